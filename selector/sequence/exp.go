package sequence

import "math"

// exp returns e^x for x ≤ 0 (0 below −40, where e^x < 5e-18), computed with explicit
// roundings so that it gives the same bits on every machine: math.Exp has
// per-architecture assembly, and the compiler may fuse a*b+c on some
// architectures unless each product is converted. Its relative error is
// below 1e-15, plenty for an acceptance test.
func exp(x float64) float64 {
	if x < -40 {
		return 0 // below the resolution of rand's Float64
	}
	if x > 0 {
		panic("sequence: exp of a positive number")
	}
	const ln2 = 0.6931471805599453
	// x = k·ln2 + r with |r| ≤ ln2/2.
	k := int(x/ln2 - 0.5)
	r := x - float64(float64(k)*ln2)
	// Taylor series of e^r to degree 16, by Horner.
	s := 1.0
	for d := 16; d >= 1; d-- {
		s = 1 + float64(float64(r*s)/float64(d))
	}
	return math.Ldexp(s, k) // exact: a power of two
}
