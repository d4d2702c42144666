package scale

import "math"

// expm1Scaled sets dst[i] = expm1(c*as[i]) * mul for i < len(as), within
// about 2 ulps of the exact value times mul for c*as[i] <= 700 (below -700,
// expm1 is taken as -1). It is the kernel of FitScaler's likelihood
// evaluations, which dominate its time, and two to three times faster than
// math.Expm1: exp(t) = 2^(k/32) exp(r) with |r| <= ln2/64, 2^(j/32) from a
// double-double table, exp(r)-1 by a degree-7 Taylor polynomial, and the
// -1 folded in exactly (Sterbenz's lemma) where the result is small. It
// panics if len(dst) < len(as).
func expm1Scaled(dst, as []float64, c, mul float64) {
	const (
		shifter = 0x1.8p52 // adding and subtracting it rounds to an integer
		ln2Hi   = 6.93147180369123816490e-01
		ln2Lo   = 1.90821492927058770002e-10
		inv     = 32 / math.Ln2
	)
	dst = dst[:len(as)]
	for i, a := range as {
		t := c * a
		if t < -700 { // a plain comparison: the max builtin's NaN rules cost more
			t = -700
		}
		kf := (t*inv + shifter) - shifter
		r := (t - kf*(ln2Hi/32)) - kf*(ln2Lo/32)
		// r + r^2/2! + ... + r^7/7!, grouped (Estrin) for a shorter chain
		// of dependent operations than Horner's rule.
		r2 := r * r
		p := r + r2*((1.0/2+r*(1.0/6))+r2*((1.0/24+r*(1.0/120))+r2*(1.0/720+r*(1.0/5040))))
		k := int64(kf)
		e := &exp2Tab[k&31]
		sc := math.Float64frombits(uint64(k>>5+1023) << 52)
		s, sl := sc*e[0], sc*e[1]
		dst[i] = ((s - 1) + (s*p + sl*(1+p))) * mul
	}
}

// expm1Fast is expm1Scaled for one value: expm1(t).
func expm1Fast(t float64) float64 {
	var d [1]float64
	expm1Scaled(d[:], []float64{t}, 1, 1)
	return d[0]
}

// exp2Tab holds 2^(j/32) as double-doubles (hi, lo), computed with
// math/big to 400 bits.
var exp2Tab = [32][2]float64{
	{0x1.0000p+00, 0x0.0000p+00},                    // 2^(0/32)
	{0x1.059b0d3158574p+00, 0x1.d73e2a475b465p-55},  // 2^(1/32)
	{0x1.0b5586cf9890fp+00, 0x1.8a62e4adc610bp-54},  // 2^(2/32)
	{0x1.11301d0125b51p+00, -0x1.6c51039449b3ap-54}, // 2^(3/32)
	{0x1.172b83c7d517bp+00, -0x1.19041b9d78a76p-55}, // 2^(4/32)
	{0x1.1d4873168b9aap+00, 0x1.e016e00a2643cp-54},  // 2^(5/32)
	{0x1.2387a6e756238p+00, 0x1.9b07eb6c70573p-54},  // 2^(6/32)
	{0x1.29e9df51fdee1p+00, 0x1.612e8afad1255p-55},  // 2^(7/32)
	{0x1.306fe0a31b715p+00, 0x1.6f46ad23182e4p-55},  // 2^(8/32)
	{0x1.371a7373aa9cbp+00, -0x1.63aeabf42eae2p-54}, // 2^(9/32)
	{0x1.3dea64c123422p+00, 0x1.ada0911f09ebcp-55},  // 2^(10/32)
	{0x1.44e086061892dp+00, 0x1.89b7a04ef80dp-59},   // 2^(11/32)
	{0x1.4bfdad5362a27p+00, 0x1.d4397afec42e2p-56},  // 2^(12/32)
	{0x1.5342b569d4f82p+00, -0x1.07abe1db13cadp-55}, // 2^(13/32)
	{0x1.5ab07dd485429p+00, 0x1.6324c054647adp-54},  // 2^(14/32)
	{0x1.6247eb03a5585p+00, -0x1.383c17e40b497p-54}, // 2^(15/32)
	{0x1.6a09e667f3bcdp+00, -0x1.bdd3413b26456p-54}, // 2^(16/32)
	{0x1.71f75e8ec5f74p+00, -0x1.16e4786887a99p-55}, // 2^(17/32)
	{0x1.7a11473eb0187p+00, -0x1.41577ee04992fp-55}, // 2^(18/32)
	{0x1.82589994cce13p+00, -0x1.d4c1dd41532d8p-54}, // 2^(19/32)
	{0x1.8ace5422aa0dbp+00, 0x1.6e9f156864b27p-54},  // 2^(20/32)
	{0x1.93737b0cdc5e5p+00, -0x1.75fc781b57ebcp-57}, // 2^(21/32)
	{0x1.9c49182a3f09p+00, 0x1.c7c46b071f2bep-56},   // 2^(22/32)
	{0x1.a5503b23e255dp+00, -0x1.d2f6edb8d41e1p-54}, // 2^(23/32)
	{0x1.ae89f995ad3adp+00, 0x1.7a1cd345dcc81p-54},  // 2^(24/32)
	{0x1.b7f76f2fb5e47p+00, -0x1.5584f7e54ac3bp-56}, // 2^(25/32)
	{0x1.c199bdd85529cp+00, 0x1.11065895048ddp-55},  // 2^(26/32)
	{0x1.cb720dcef9069p+00, 0x1.503cbd1e949dbp-56},  // 2^(27/32)
	{0x1.d5818dcfba487p+00, 0x1.2ed02d75b3707p-55},  // 2^(28/32)
	{0x1.dfc97337b9b5fp+00, -0x1.1a5cd4f184b5cp-54}, // 2^(29/32)
	{0x1.ea4afa2a490dap+00, -0x1.e9c23179c2893p-54}, // 2^(30/32)
	{0x1.f50765b6e454p+00, 0x1.9d3e12dd8a18bp-54},   // 2^(31/32)
}
