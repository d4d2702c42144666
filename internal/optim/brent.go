package optim

import "math"

// This file ports scipy.optimize.brent(func, brack=(xa, xb)) of SciPy 1.10
// (Debian 12's python3-scipy), which scikit-learn 1.2's PowerTransformer
// uses to fit Yeo-Johnson lambdas. The port is step for step, comparisons
// and all, so that on the same objective it evaluates the same points and
// stops at the same minimum, even where the objective has several local
// minima or is +Inf somewhere.

const (
	brentGold      = 1.618034 // scipy's _gold
	brentVerySmall = 1e-21    // scipy's _verysmall_num
	brentGrowLimit = 110.0
	brentBrackIter = 1000
	brentTol       = 1.48e-8 // relative x tolerance, scipy's default
	brentMinTol    = 1.0e-11 // absolute part of the x tolerance
	brentCG        = 0.3819660
	brentMaxIter   = 500
)

// BracketMin is scipy.optimize.bracket: from xa and xb it searches
// downhill for a, b, c with f(b) < f(a) and f(b) < f(c) (b need not lie
// between a and c in order: a and c are on either side). ok is false when
// the search took more than brentBrackIter steps, where scipy raises
// "Too many iterations.".
func BracketMin(f func(float64) float64, xa, xb float64) (a, b, c, fa, fb, fc float64, ok bool) {
	fa, fb = f(xa), f(xb)
	if fa < fb {
		xa, xb = xb, xa
		fa, fb = fb, fa
	}
	xc := xb + brentGold*(xb-xa)
	fc = f(xc)
	for iter := 0; fc < fb; {
		tmp1 := (xb - xa) * (fb - fc)
		tmp2 := (xb - xc) * (fb - fa)
		val := tmp2 - tmp1
		var denom float64
		if math.Abs(val) < brentVerySmall {
			denom = 2 * brentVerySmall
		} else {
			denom = 2 * val
		}
		w := xb - ((xb-xc)*tmp2-(xb-xa)*tmp1)/denom
		wlim := xb + brentGrowLimit*(xc-xb)
		if iter > brentBrackIter {
			return xa, xb, xc, fa, fb, fc, false
		}
		iter++
		var fw float64
		switch {
		case (w-xc)*(xb-w) > 0:
			fw = f(w)
			if fw < fc {
				return xb, w, xc, fb, fw, fc, true
			} else if fw > fb {
				return xa, xb, w, fa, fb, fw, true
			}
			w = xc + brentGold*(xc-xb)
			fw = f(w)
		case (w-wlim)*(wlim-xc) >= 0:
			w = wlim
			fw = f(w)
		case (w-wlim)*(xc-w) > 0:
			fw = f(w)
			if fw < fc {
				xb = xc
				xc = w
				w = xc + brentGold*(xc-xb)
				fb = fc
				fc = fw
				fw = f(w)
			}
		default:
			w = xc + brentGold*(xc-xb)
			fw = f(w)
		}
		xa, xb, xc = xb, xc, w
		fa, fb, fc = fb, fc, fw
	}
	return xa, xb, xc, fa, fb, fc, true
}

// BrentMin returns the x that scipy.optimize.brent(f, brack=(xa, xb))
// returns: BracketMin from (xa, xb), then Brent's parabolic interpolation
// and golden-section search to a relative tolerance of 1.48e-8 (plus
// 1e-11 absolute), at most 500 iterations. ok is false when the bracket
// search failed.
func BrentMin(f func(float64) float64, xa, xb float64) (xmin float64, ok bool) {
	xa, xb, xc, _, fb, _, ok := BracketMin(f, xa, xb)
	if !ok {
		return xb, false
	}
	x, w, v := xb, xb, xb
	fx, fw, fv := fb, fb, fb
	a, b := xc, xa
	if xa < xc {
		a, b = xa, xc
	}
	var deltax, rat float64
	for iter := 0; iter < brentMaxIter; iter++ {
		tol1 := brentTol*math.Abs(x) + brentMinTol
		tol2 := 2 * tol1
		xmid := 0.5 * (a + b)
		if math.Abs(x-xmid) < tol2-0.5*(b-a) {
			break
		}
		if math.Abs(deltax) <= tol1 {
			if x >= xmid {
				deltax = a - x // golden section step
			} else {
				deltax = b - x
			}
			rat = brentCG * deltax
		} else { // parabolic step
			tmp1 := (x - w) * (fx - fv)
			tmp2 := (x - v) * (fx - fw)
			p := (x-v)*tmp2 - (x-w)*tmp1
			tmp2 = 2 * (tmp2 - tmp1)
			if tmp2 > 0 {
				p = -p
			}
			tmp2 = math.Abs(tmp2)
			dxTemp := deltax
			deltax = rat
			if p > tmp2*(a-x) && p < tmp2*(b-x) && math.Abs(p) < math.Abs(0.5*tmp2*dxTemp) {
				rat = p * 1.0 / tmp2
				u := x + rat
				if u-a < tol2 || b-u < tol2 {
					if xmid-x >= 0 {
						rat = tol1
					} else {
						rat = -tol1
					}
				}
			} else {
				if x >= xmid {
					deltax = a - x
				} else {
					deltax = b - x
				}
				rat = brentCG * deltax
			}
		}
		var u float64
		if math.Abs(rat) < tol1 { // move by at least tol1
			if rat >= 0 {
				u = x + tol1
			} else {
				u = x - tol1
			}
		} else {
			u = x + rat
		}
		fu := f(u)
		if fu > fx {
			if u < x {
				a = u
			} else {
				b = u
			}
			if fu <= fw || w == x {
				v, w = w, u
				fv, fw = fw, fu
			} else if fu <= fv || v == x || v == w {
				v = u
				fv = fu
			}
		} else {
			if u >= x {
				a = x
			} else {
				b = x
			}
			v, w, x = w, x, u
			fv, fw, fx = fw, fx, fu
		}
	}
	return x, true
}
