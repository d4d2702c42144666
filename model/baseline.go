package model

import (
	"math"

	"github.com/discoflow/disco/features"
)

// Residual formulations (Config.Residual).
const (
	// ResidualNone is DISCO's plain formulation: the network's output is
	// the prediction.
	ResidualNone = "none"
	// ResidualMean: the prediction is the running mean of the scaled
	// features of the songs so far plus the network's output.
	ResidualMean = "mean"
	// ResidualEWMA: the prediction is an exponentially weighted mean of
	// the songs so far (rate Config.Rate, fitted on the training runs when
	// zero) plus the network's output.
	ResidualEWMA = "ewma"
)

// baseline is the running baseline of a residual model over one sequence:
// after each song fed with add, value gives the prediction a zero network
// output stands for. The zero baseline (kind none) adds nothing.
//
// The running mean is sum/n, the EWMA e_0 = x_0, e_t = e_{t-1} + rate
// (x_t - e_{t-1}); every engine and the predictor compute them with this
// type, so that they agree to the bit.
type baseline struct {
	kind string
	rate float64
	acc  features.Vector
	n    int
}

func newBaseline(cfg Config) baseline {
	return baseline{kind: cfg.Residual, rate: cfg.Rate}
}

// on reports whether the baseline adds anything.
func (b *baseline) on() bool { return b.kind == ResidualMean || b.kind == ResidualEWMA }

func (b *baseline) reset() {
	b.acc = features.Vector{}
	b.n = 0
}

// add feeds one song's scaled features (its network input without the
// mode: in[1:]).
func (b *baseline) add(x []float64) {
	x = x[:NumOutputs]
	switch {
	case b.kind == ResidualEWMA && b.n > 0:
		for j, v := range x {
			b.acc[j] += b.rate * (v - b.acc[j])
		}
	default:
		for j, v := range x {
			b.acc[j] += v
		}
	}
	b.n++
}

// addValue adds the baseline's current value to dst (len NumOutputs).
func (b *baseline) addValue(dst []float64) {
	dst = dst[:NumOutputs]
	switch b.kind {
	case ResidualMean:
		inv := 1 / float64(b.n) // fill computes the mean the same way, to the bit
		for j := range dst {
			dst[j] += b.acc[j] * inv
		}
	case ResidualEWMA:
		for j := range dst {
			dst[j] += b.acc[j]
		}
	}
}

// fill writes the baseline of every transition of s into dst[t*stride:],
// NumOutputs values each: the baseline after steps 0..t.
//
// It computes what add and addValue would, to the bit, in one pass.
func (b *baseline) fill(dst []float64, s Sequence, stride int) {
	var acc [NumOutputs]float64
	for t := range s.Len() {
		x := (*[NumOutputs]float64)(s[t][1:])
		row := (*[NumOutputs]float64)(dst[t*stride : t*stride+NumOutputs])
		switch {
		case b.kind == ResidualMean:
			inv := 1 / float64(t+1)
			for j, v := range x {
				acc[j] += v
				row[j] = acc[j] * inv
			}
		case b.kind == ResidualEWMA && t > 0:
			for j, v := range x {
				acc[j] += b.rate * (v - acc[j])
				row[j] = acc[j]
			}
		case b.kind == ResidualEWMA:
			acc = *x
			*row = acc
		default:
			*row = [NumOutputs]float64{}
		}
	}
}

// EWMAScore returns the MAE of the EWMA with the given rate, predicting
// each transition of runs from the run so far.
func EWMAScore(runs []Sequence, rate float64) Score {
	b := baseline{kind: ResidualEWMA, rate: rate}
	var acc features.Vector
	var v [NumOutputs]float64
	for _, r := range runs {
		b.reset()
		for t := range r.Len() {
			b.add(r[t][1:])
			v = [NumOutputs]float64{}
			b.addValue(v[:])
			for j, y := range r.Target(t) {
				acc[j] += math.Abs(v[j] - y)
			}
		}
	}
	return finishScore(acc, steps(runs))
}

// FitRate returns the EWMA rate in [0.01, 1] with the lowest MAE on runs
// (see EWMAScore): the best of a grid of steps of 0.01, refined by a
// golden-section search between its neighbours, to 1e-4. Ties go to the
// lower rate. Without transitions it returns 1/8, an arbitrary rate.
func FitRate(runs []Sequence) float64 {
	if steps(runs) == 0 {
		return 0.125
	}
	f := func(r float64) float64 { return EWMAScore(runs, r).MAE }
	best, bestF := 0.01, math.Inf(1)
	for i := 1; i <= 100; i++ {
		r := float64(i) / 100
		if v := f(r); v < bestF {
			best, bestF = r, v
		}
	}
	lo, hi := max(0.01, best-0.01), min(1, best+0.01)
	const g = 0.6180339887498949
	a, b := hi-g*(hi-lo), lo+g*(hi-lo)
	fa, fb := f(a), f(b)
	for hi-lo > 1e-4 {
		if fa <= fb {
			hi, b, fb = b, a, fa
			a = hi - g*(hi-lo)
			fa = f(a)
		} else {
			lo, a, fa = a, b, fb
			b = lo + g*(hi-lo)
			fb = f(b)
		}
	}
	if r := (lo + hi) / 2; f(r) < bestF {
		return r
	}
	return best
}
