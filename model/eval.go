package model

import (
	"math"

	"github.com/discoflow/disco/features"
)

// Score is a mean absolute error over a set of transitions, overall (the
// mean over transitions and the 8 features) and per feature.
type Score struct {
	MAE        float64         `json:"mae"`
	PerFeature features.Vector `json:"per_feature"`
}

// Evaluation compares the network with three order-aware and order-blind
// baselines on the same transitions (every transition of every run, each
// predicted from the run so far):
//
//   - Last: the current song's features, repeated;
//   - RunningMean: the mean of the run's songs so far;
//   - GlobalMean: the mean of the training targets, whatever came before;
//     its error on the training targets is the mean absolute deviation
//     MAD, the scale DISCO reported its result against (MAE/MAD = 0.69).
type Evaluation struct {
	Steps       int   `json:"steps"` // transitions scored
	RNN         Score `json:"rnn"`
	Last        Score `json:"last"`
	RunningMean Score `json:"running_mean"`
	GlobalMean  Score `json:"global_mean"`
	// EWMA is the exponentially weighted mean baseline at the model's
	// rate; only for a model with that baseline (ResidualEWMA).
	EWMA *Score `json:"ewma,omitempty"`
	// MAD is the mean absolute deviation of the training targets around
	// their mean (Info.TargetMAD), overall.
	MAD float64 `json:"mad"`
}

// Ratio returns RNN.MAE / MAD (DISCO's original: 0.69), or NaN without a
// MAD.
func (e *Evaluation) Ratio() float64 {
	if e.MAD == 0 {
		return math.NaN()
	}
	return e.RNN.MAE / e.MAD
}

// BeatsRunningMean reports whether the network's MAE is below the running
// mean's: whether it learnt more than the playlist's average so far.
func (e *Evaluation) BeatsRunningMean() bool { return e.RNN.MAE < e.RunningMean.MAE }

// Evaluate scores m and the baselines on the playlists' runs of tracks with
// features (scaled by m's scaler, cut like training data), with the
// training target mean and MAD recorded in m.Info.
func (m *Model) Evaluate(pls []*features.Playlist) Evaluation {
	return m.evaluateRuns(Runs(pls, &m.Scaler, m.Config.MinLen))
}

func (m *Model) evaluateRuns(runs []Sequence) Evaluation {
	ev := Evaluation{Steps: steps(runs), MAD: mean8(m.Info.TargetMAD)}
	ev.RNN = score(m, runs)
	if m.Config.Residual == ResidualEWMA {
		e := EWMAScore(runs, m.Config.Rate)
		ev.EWMA = &e
	}
	var acc [3]features.Vector
	var run features.Vector
	for _, r := range runs {
		run = features.Vector{}
		for t := range r.Len() {
			y := r.Target(t)
			for j := range NumOutputs {
				cur := r[t][1+j]
				run[j] += cur
				acc[0][j] += math.Abs(cur - y[j])
				acc[1][j] += math.Abs(run[j]/float64(t+1) - y[j])
				acc[2][j] += math.Abs(m.Info.TargetMean[j] - y[j])
			}
		}
	}
	ev.Last = finishScore(acc[0], ev.Steps)
	ev.RunningMean = finishScore(acc[1], ev.Steps)
	ev.GlobalMean = finishScore(acc[2], ev.Steps)
	return ev
}

// score runs m's predictor (only m's Weights and Config are used) over
// each run from a fresh state and returns its MAE on every transition.
func score(m *Model, runs []Sequence) Score {
	p := m.NewPredictor()
	var acc features.Vector
	for _, r := range runs {
		p.Reset()
		for t := range r.Len() {
			yh := p.Step(&r[t])
			y := r.Target(t)
			for j := range NumOutputs {
				acc[j] += math.Abs(yh[j] - y[j])
			}
		}
	}
	return finishScore(acc, steps(runs))
}

func finishScore(acc features.Vector, n int) Score {
	var s Score
	if n == 0 {
		return s
	}
	for j := range acc {
		s.PerFeature[j] = acc[j] / float64(n)
	}
	s.MAE = mean8(s.PerFeature)
	return s
}

func mean8(v features.Vector) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// targetStats returns the per-feature mean of the targets of runs (every
// step but each run's first) and their mean absolute deviation around it.
func targetStats(runs []Sequence) (mean, mad features.Vector) {
	n := steps(runs)
	if n == 0 {
		return
	}
	for _, r := range runs {
		for t := range r.Len() {
			for j, v := range r.Target(t) {
				mean[j] += v
			}
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	for _, r := range runs {
		for t := range r.Len() {
			for j, v := range r.Target(t) {
				mad[j] += math.Abs(v - mean[j])
			}
		}
	}
	for j := range mad {
		mad[j] /= float64(n)
	}
	return mean, mad
}
