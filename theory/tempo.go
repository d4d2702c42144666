package theory

import "math"

// DefaultTempoTolerance is the DJ "6% rule": two tempos whose folded ratio
// is within 6% of 1 beat-match with the pitch fader.
const DefaultTempoTolerance = 0.06

// tempoSlack widens TempoCompatible's tolerance so that a ratio written
// exactly at the tolerance in decimal (100 -> 106 BPM at 0.06) counts,
// despite binary rounding.
const tempoSlack = 1e-9

// knownTempo reports whether t is a usable tempo: positive and finite.
func knownTempo(t float64) bool { return t > 0 && !math.IsInf(t, 1) }

// octaveRatio returns t2/t1 folded by octaves into [sqrt2/2, sqrt2), for
// known tempos. It works on the mantissas, so extreme tempos cannot
// overflow, and folding by a power of two adds no rounding.
func octaveRatio(t1, t2 float64) float64 {
	f1, _ := math.Frexp(t1)
	f2, _ := math.Frexp(t2)
	r := f2 / f1 // in (1/2, 2)
	switch {
	case r >= math.Sqrt2:
		r /= 2
	case r < math.Sqrt2/2:
		r *= 2
	}
	return r
}

// TempoSim returns DISCO's tempo similarity cos(2 pi log2(t1/t2)), in
// [-1, 1]: 1 for equal tempos and for half or double time, -1 for a ratio
// of sqrt 2. It is symmetric. By ratio: 1.03 gives 0.96, 1.06 gives 0.86,
// 1.1 gives 0.65, 1.2 gives -0.08.
//
// If either tempo is unknown (zero, negative, NaN or infinite) it returns
// Neutral; it never returns NaN.
func TempoSim(t1, t2 float64) float64 {
	if !knownTempo(t1) || !knownTempo(t2) {
		return Neutral
	}
	return math.Cos(2 * math.Pi * math.Log2(octaveRatio(t1, t2)))
}

// TempoRatio returns t2/t1 folded by octaves (multiplied or divided by
// powers of two) into [sqrt2/2, sqrt2), so that half and double time give 1
// and 100 -> 206 BPM gives 1.03. It returns NaN if either tempo is unknown
// (zero, negative, NaN or infinite).
func TempoRatio(t1, t2 float64) float64 {
	if !knownTempo(t1) || !knownTempo(t2) {
		return math.NaN()
	}
	return octaveRatio(t1, t2)
}

// TempoCompatible reports whether going from tempo t1 to tempo t2 beat-matches
// within tolerance tol: |TempoRatio(t1, t2) - 1| <= tol, with a rounding
// slack of 1e-9 so that 100 -> 106 BPM counts at tol 0.06. Half and double
// time are allowed. Use DefaultTempoTolerance for the DJ 6% rule.
//
// The test is on the relative change from t1 to t2, so it is not quite
// symmetric: 100 -> 94 is within 6% (ratio 0.94) but 94 -> 100 is not
// (ratio 1.064).
//
// It returns false if either tempo is unknown, or if tol is negative or NaN.
func TempoCompatible(t1, t2, tol float64) bool {
	if !knownTempo(t1) || !knownTempo(t2) || !(tol >= 0) {
		return false
	}
	return math.Abs(octaveRatio(t1, t2)-1) <= tol+tempoSlack
}
