package scale

import (
	"errors"
	"fmt"
	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/internal/optim"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// ErrNoData is returned by FitScaler and FitPCA when given no rows (or, for
// FitPCA, fewer rows than it needs).
var ErrNoData = errors.New("features: no data to fit")

// FitScaler fits a Scaler to the raw feature vectors xs, as scikit-learn
// 1.2's PowerTransformer(method="yeo-johnson", standardize=True).fit does:
//
//   - per feature, lambda maximises the Yeo-Johnson profile
//     log-likelihood -n/2 log(var(y)) + (lambda-1) sum(sign(x) log1p(|x|)),
//     where y are the transformed values and var their population
//     variance. Up to 131,072 rows (exactMaxRows) it is found by a
//     step-for-step port of scipy.optimize.brent with the bracket (-2, 2),
//     scikit-learn's search, so lambdas agree with scikit-learn's to that
//     search's tolerance (1.48e-8 relative, about 1e-7 in practice). On
//     more rows the same search runs on 65,536 rows spread evenly over the
//     data, and Newton's method with exact derivatives then takes that
//     estimate to the maximum on all rows (to about 1e-10), falling back to
//     the full search where it cannot vouch for its result;
//   - Means and Stds are the mean and population (ddof 0) standard
//     deviation of the transformed values, as StandardScaler computes them.
//
// The likelihood and the standardisation are computed without overflow
// for any lambda the search visits: values whose squares would overflow
// are rescaled by a power of e first.
//
// A constant feature (all values equal) gets Lambda 1 (the identity), the
// transformed value as Mean and Std 1, so it scales to exactly 0. A feature
// whose transformed variance is within rounding error of 0 also gets Std 1:
// scikit-learn sets the scale of such near-constant features to 1, and so
// does FitScaler, with the same test.
//
// FitScaler returns an error wrapping ErrNoData when xs is empty, an error
// naming the row (0-based index into xs) and feature of the first NaN or
// infinite value, and an error when a feature's mean or standard deviation
// overflows, so a Scaler it returns never holds NaN or Inf. It does not
// check the documented feature ranges: the transform is defined on all
// reals. The features are fitted in parallel, on up to GOMAXPROCS
// goroutines; xs is not modified.
func FitScaler(xs []features.Vector) (*Scaler, error) {
	if len(xs) == 0 {
		return nil, fmt.Errorf("features: fit scaler: %w", ErrNoData)
	}
	for r := range xs {
		for j, v := range xs[r] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("features: fit scaler: row %d: %s is %v", r, features.AbstractNames[j], v)
			}
		}
	}
	s := &Scaler{}
	var errs [features.NumAbstract]error
	var next atomic.Int64
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), features.NumAbstract)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := newYJFitter(len(xs))
			var sub *yjFitter
			if len(xs) > exactMaxRows {
				sub = newYJFitter(min(subsampleRows, len(xs)))
			}
			for {
				j := int(next.Add(1) - 1)
				if j >= features.NumAbstract {
					return
				}
				s.Lambdas[j], s.Means[j], s.Stds[j], errs[j] = f.fit(sub, xs, j)
			}
		}()
	}
	wg.Wait()
	for j, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("features: fit scaler: %s: %w", features.AbstractNames[j], err)
		}
	}
	return s, nil
}

// Above exactMaxRows rows, FitScaler finds each lambda in two stages: the
// scikit-learn search (bracket and Brent) on a subsample of subsampleRows
// rows spread evenly over the data, then Newton's method on all rows from
// there (see newton). Variables so that tests can exercise both paths on
// small data.
var (
	exactMaxRows  = 1 << 17
	subsampleRows = 1 << 16
)

// yjFitter fits one feature at a time; its buffers are reused.
type yjFitter struct {
	a []float64 // log1p(|x|): values with x >= 0 first, then those with x < 0
	y []float64 // scratch: transformed values
	// Per feature, set by load:
	n      int     // rows loaded: a[:n], y[:n]
	nPos   int     // number of x >= 0, at the front of a
	sumSL  float64 // sum of sign(x) log1p(|x|)
	maxPos float64 // largest a among x >= 0 (0 if none)
	maxNeg float64 // largest a among x < 0 (0 if none)
}

func newYJFitter(capacity int) *yjFitter {
	return &yjFitter{a: make([]float64, capacity), y: make([]float64, capacity)}
}

// load prepares feature j of m rows of xs, evenly spread: row i*len(xs)/m
// for i < m (all rows, in order, when m == len(xs)).
func (f *yjFitter) load(xs []features.Vector, j, m int) {
	n := len(xs)
	f.n, f.nPos, f.maxPos, f.maxNeg = m, 0, 0, 0
	neg := m
	sl := f.y[:m] // scratch for the sign(x) log1p(|x|) terms
	for i := range m {
		r := i
		if m != n {
			r = int(int64(i) * int64(n) / int64(m))
		}
		x := xs[r][j]
		if x >= 0 {
			v := math.Log1p(x)
			f.a[f.nPos] = v
			sl[i] = v
			f.nPos++
			f.maxPos = max(f.maxPos, v)
		} else {
			v := math.Log1p(-x)
			neg--
			f.a[neg] = v
			sl[i] = -v
			f.maxNeg = max(f.maxNeg, v)
		}
	}
	f.sumSL = pairSum(sl)
}

// fitLambda returns scikit-learn's lambda for the loaded feature.
func (f *yjFitter) fitLambda() (float64, error) {
	l, ok := optim.BrentMin(f.negLogLik, -2, 2)
	if !ok {
		return 0, errors.New("no bracket of the likelihood's maximum found")
	}
	return l, nil
}

// fit returns the lambda, mean and standard deviation of feature j of xs.
// sub, used when len(xs) > exactMaxRows, holds the subsample.
func (f *yjFitter) fit(sub *yjFitter, xs []features.Vector, j int) (lambda, mean, std float64, err error) {
	n := len(xs)
	first, constant := xs[0][j], true
	for r := range xs {
		if xs[r][j] != first {
			constant = false
			break
		}
	}
	if constant {
		return 1, YeoJohnson(first, 1), 1, nil
	}

	f.load(xs, j, n)
	if sub != nil {
		sub.load(xs, j, len(sub.a))
		if lambda, err = sub.fitLambda(); err != nil {
			return 0, 0, 0, err
		}
		var ok bool
		if lambda, ok = f.newton(sub, lambda); !ok {
			sub = nil // fall back to the search on all rows
		}
	}
	if sub == nil {
		if lambda, err = f.fitLambda(); err != nil {
			return 0, 0, 0, err
		}
	}

	// Standardise as StandardScaler does: mean, then the corrected
	// two-pass variance. logVar leaves the transformed values in f.y, times
	// exp(-e) when it rescaled them (e > 0), so that their squares cannot
	// overflow even where the mean and std are near the float64 limit.
	var e float64
	if f.rescaled(lambda) {
		e = f.maxExp(lambda)
	}
	f.logVar(lambda)
	y := f.y[:n]
	mean = pairSum(y) / float64(n)
	d, d2 := pairSumDev(y, mean)
	v := (d2 - d*d/float64(n)) / float64(n)
	constantish := isConstantFeature(v, mean, n)
	scale := math.Exp(e)
	mean, std = mean*scale, math.Sqrt(v)*scale
	if math.IsInf(mean, 0) || math.IsNaN(mean) || math.IsInf(std, 0) || math.IsNaN(std) {
		return 0, 0, 0, fmt.Errorf("transformed values overflow (lambda %v)", lambda)
	}
	if constantish || std == 0 {
		std = 1
	}
	return lambda, mean, std, nil
}

// isConstantFeature is scikit-learn's _is_constant_feature: whether a
// variance computed by the two-pass algorithm is indistinguishable from 0.
func isConstantFeature(v, mean float64, n int) bool {
	const eps = 0x1p-52
	nf := float64(n)
	return v <= nf*eps*v+(nf*mean*eps)*(nf*mean*eps)
}

// logTiny is log of the smallest normal float64; scikit-learn returns +Inf
// from the negative log-likelihood when var(y) is below it.
var logTiny = math.Log(0x1p-1022)

// overflowExp is the exponent above which transformed values are rescaled
// before their variance is computed: e^300 squared and summed over even
// 1e9 values stays finite. A variable so that tests can force rescaling.
var overflowExp = 300.0

// negLogLik is scikit-learn's _neg_log_likelihood for the current feature:
// n/2 log(var(y)) - (lambda-1) sum(sign(x) log1p(|x|)), or +Inf when
// var(y) is below the smallest normal float64.
func (f *yjFitter) negLogLik(l float64) float64 {
	n := f.n
	lv := f.logVar(l)
	if lv < logTiny || math.IsNaN(lv) {
		return math.Inf(1)
	}
	return float64(n)/2*lv - (l-1)*f.sumSL
}

// logVar returns log of the population variance of the Yeo-Johnson
// transform with lambda l of the current feature.
func (f *yjFitter) logVar(l float64) float64 {
	n := f.n
	pos, neg := f.a[:f.nPos], f.a[f.nPos:n]
	y := f.y[:n]
	yp, yn := y[:f.nPos], y[f.nPos:]
	c := 2 - l
	logPos := math.Abs(l) < lambdaEps    // x >= 0 branch is log1p(x)
	logNeg := math.Abs(l-2) <= lambdaEps // x < 0 branch is -log1p(-x)
	e := f.maxExp(l)
	if e <= overflowExp { // y and its square sums cannot overflow
		switch {
		case logPos:
			copy(yp, pos)
		default:
			expm1Scaled(yp, pos, l, 1/l)
		}
		switch {
		case logNeg:
			for i, a := range neg {
				yn[i] = -a
			}
		default:
			expm1Scaled(yn, neg, c, -1/c)
		}
		return math.Log(variance(y))
	}

	// Rescaled: y * exp(-e). With (exp(l a) - 1)/l, that is
	// (exp(l a - e) - exp(-e)) / l, each term at most 1/|l| in size.
	s := math.Exp(-e)
	switch {
	case logPos:
		for i, a := range pos {
			yp[i] = a * s
		}
	default:
		for i, a := range pos {
			yp[i] = (math.Exp(l*a-e) - s) / l
		}
	}
	switch {
	case logNeg:
		for i, a := range neg {
			yn[i] = -a * s
		}
	default:
		for i, a := range neg {
			yn[i] = -(math.Exp(c*a-e) - s) / c
		}
	}
	return math.Log(variance(y)) + 2*e
}

// maxExp returns the largest exponent of an exp in the transform with
// lambda l of the current feature, or 0.
func (f *yjFitter) maxExp(l float64) float64 {
	var e float64
	if f.nPos > 0 && math.Abs(l) >= lambdaEps {
		e = max(e, l*f.maxPos)
	}
	if f.nPos < f.n && math.Abs(l-2) > lambdaEps {
		e = max(e, (2-l)*f.maxNeg)
	}
	return e
}

// rescaled reports whether logVar(l) rescales the transformed values.
func (f *yjFitter) rescaled(l float64) bool { return f.maxExp(l) > overflowExp }

// variance returns the population variance of y by the corrected two-pass
// algorithm with pairwise sums.
func variance(y []float64) float64 {
	n := float64(len(y))
	m := pairSum(y) / n
	d, d2 := pairSumDev(y, m)
	return (d2 - d*d/n) / n
}

// pairBlock is the length below which pairSum adds sequentially (with
// four accumulators).
const pairBlock = 256

// pairSum returns the sum of y by pairwise summation, whose rounding error
// grows with log(len(y)) rather than len(y), like NumPy's.
func pairSum(y []float64) float64 {
	if len(y) > pairBlock {
		h := len(y) / 2 &^ 3
		return pairSum(y[:h]) + pairSum(y[h:])
	}
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(y); i += 4 {
		s0 += y[i]
		s1 += y[i+1]
		s2 += y[i+2]
		s3 += y[i+3]
	}
	for ; i < len(y); i++ {
		s0 += y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// pairSumDev returns the sums of y[i]-m and of (y[i]-m)^2, pairwise.
func pairSumDev(y []float64, m float64) (d, d2 float64) {
	if len(y) > pairBlock {
		h := len(y) / 2 &^ 3
		a, a2 := pairSumDev(y[:h], m)
		b, b2 := pairSumDev(y[h:], m)
		return a + b, a2 + b2
	}
	var s0, s1, q0, q1 float64
	i := 0
	for ; i+2 <= len(y); i += 2 {
		u, v := y[i]-m, y[i+1]-m
		s0 += u
		s1 += v
		q0 += u * u
		q1 += v * v
	}
	for ; i < len(y); i++ {
		u := y[i] - m
		s0 += u
		q0 += u * u
	}
	return s0 + s1, q0 + q1
}
