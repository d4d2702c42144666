package scale

import "math"

// The second stage of fitting a lambda on many rows. scikit-learn's search
// needs 13 to 25 likelihood evaluations per feature, each a pass over all
// rows; after the search on a subsample, Newton's method needs two or three
// passes, each computing the likelihood with its first and second
// derivatives in lambda. The likelihood is smooth and, near its maximum,
// close to quadratic, so Newton converges quadratically from the
// subsample's estimate; it reaches the maximum to about 1e-10, closer than
// scikit-learn's own tolerance (1.48e-8 relative).
//
// With y the transformed values and V = var(y), the objective is
//
//	f   = n/2 log V - (l-1) S
//	f'  = n/2 V'/V - S,                   V'  = 2 cov(y, y')
//	f'' = n/2 (V''/V - (V'/V)^2),         V'' = 2 (var(y') + cov(y, y''))
//
// where ' is d/dl. For x >= 0, with a = log1p(x) and e = exp(l a):
//
//	y = (e-1)/l,  y' = (a e - y)/l,  y'' = (a^2 e - 2 y')/l
//
// and for x < 0, with c = 2-l, g(c) the same expressions in c: y = -g,
// y' = g', y'' = -g''. The derivatives lose relative precision 2 eps/(l a)
// to cancellation as l a approaches 0, so Newton is used only while l stays
// at least newtonMinDist from 0 (and 2-l from 0) for the branches present;
// otherwise, or if an iterate fails to decrease f, the caller falls back to
// the search on all rows.

const (
	newtonMinDist = 1e-3
	newtonMaxIter = 20
	newtonStepTol = 1e-5  // stop once a step is this small (relative to max(1, |l|))
	newtonErrTol  = 1e-10 // or once the predicted error is this small (likewise)
)

// newton refines lambda l, estimated on the subsample in sub, on the rows
// loaded into f. ok is false when it cannot vouch for the result.
func (f *yjFitter) newton(sub *yjFitter, l float64) (lambda float64, ok bool) {
	prev, prevStep := math.Inf(1), math.Inf(1)
	for range newtonMaxIter {
		if !f.newtonUsable(l) {
			return l, false
		}
		// Shifts for the one-pass moments: means on the subsample.
		var k [3]float64
		if m := sub.moments(l, k); m.n > 0 {
			k = [3]float64{m.sy / m.n, m.sp / m.n, m.sq / m.n}
		}
		fv, d1, d2 := f.moments(l, k).objective(l, f.sumSL)
		if !(d2 > 0) || math.IsNaN(fv) || math.IsInf(fv, 0) || math.IsNaN(d1) || math.IsInf(d2, 0) {
			return l, false
		}
		// Rounding in f is about 1e-13 |f|; anything beyond is an increase.
		if fv > prev+1e-11*math.Abs(prev) {
			return l, false
		}
		prev = fv
		step := -d1 / d2
		if math.Abs(step) > 1 { // the subsample's estimate is not this far off
			return l, false
		}
		l += step
		scale := max(1, math.Abs(l))
		if math.Abs(step) <= newtonStepTol*scale {
			return l, f.newtonUsable(l)
		}
		// Converging quadratically, the error after this step is about
		// c step^2, with c = |step| / prevStep^2 seen from the last two
		// steps: stop once that is below newtonErrTol, so that most
		// features need two passes instead of three.
		if c := math.Abs(step) / (prevStep * prevStep); !math.IsInf(prevStep, 0) && math.Abs(step) < 0.1*math.Abs(prevStep) &&
			c*step*step <= newtonErrTol*scale {
			return l, f.newtonUsable(l)
		}
		prevStep = step
	}
	return l, false
}

// newtonUsable reports whether the derivatives at l are accurate and
// cannot overflow.
func (f *yjFitter) newtonUsable(l float64) bool {
	if f.nPos > 0 && math.Abs(l) < newtonMinDist {
		return false
	}
	if f.nPos < f.n && math.Abs(2-l) < newtonMinDist {
		return false
	}
	return f.maxExp(l) <= overflowExp
}

// yjMoments are sums over rows of shifted y, y', y” (dy = y - k[0], dp =
// y' - k[1], dq = y” - k[2]) and their products.
type yjMoments struct {
	n                  float64
	sy, sp, sq         float64 // sums of dy, dp, dq
	syy, syp, spp, syq float64 // sums of dy dy, dy dp, dp dp, dy dq
}

func (m *yjMoments) add(o *yjMoments) {
	m.sy += o.sy
	m.sp += o.sp
	m.sq += o.sq
	m.syy += o.syy
	m.syp += o.syp
	m.spp += o.spp
	m.syq += o.syq
}

// objective returns f, f' and f” from the moments.
func (m yjMoments) objective(l, sumSL float64) (fv, d1, d2 float64) {
	n := m.n
	my, mp, mq := m.sy/n, m.sp/n, m.sq/n
	v := m.syy/n - my*my
	cyp := m.syp/n - my*mp
	vp := m.spp/n - mp*mp
	cyq := m.syq/n - my*mq
	if !(v > 0) {
		return math.NaN(), math.NaN(), math.NaN()
	}
	v1 := 2 * cyp / v
	v2 := 2 * (vp + cyq) / v
	return n/2*math.Log(v) - (l-1)*sumSL, n/2*v1 - sumSL, n / 2 * (v2 - v1*v1)
}

// moments returns the shifted moments of the loaded rows at l. Sums are
// accumulated per block of rows and then added, keeping rounding small.
func (f *yjFitter) moments(l float64, k [3]float64) yjMoments {
	const block = 512 // yjBranchMoments' limit
	total := yjMoments{n: float64(f.n)}
	pos, neg := f.a[:f.nPos], f.a[f.nPos:f.n]
	for lo := 0; lo < len(pos); lo += block {
		b := yjBranchMoments(pos[lo:min(lo+block, len(pos))], l, 1, k)
		total.add(&b)
	}
	for lo := 0; lo < len(neg); lo += block {
		b := yjBranchMoments(neg[lo:min(lo+block, len(neg))], 2-l, -1, k)
		total.add(&b)
	}
	return total
}

// yjBranchMoments returns the moments of one sign branch: with g(c) =
// (exp(c a)-1)/c, y = sign g, y' = g', y” = sign g” (c = l, sign 1 for
// x >= 0; c = 2-l, sign -1 for x < 0).
func yjBranchMoments(as []float64, c, sign float64, k [3]float64) yjMoments {
	var m yjMoments
	var ems [512]float64
	em := ems[:len(as)] // panics beyond a block
	expm1Scaled(em, as, c, 1)
	inv := 1 / c
	for i, a := range as {
		e := em[i] + 1
		g := em[i] * inv
		gp := (a*e - g) * inv
		gq := (a*a*e - 2*gp) * inv
		dy, dp, dq := sign*g-k[0], gp-k[1], sign*gq-k[2]
		m.sy += dy
		m.sp += dp
		m.sq += dq
		m.syy += dy * dy
		m.syp += dy * dp
		m.spp += dp * dp
		m.syq += dy * dq
	}
	return m
}
