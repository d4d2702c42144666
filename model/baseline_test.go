package model

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// vibe returns n runs of the given length whose songs are a per-run vibe
// plus independent noise: the best prediction of the next song is the
// vibe, which the running mean estimates, and the last song is a poor one.
func vibe(rng *rand.Rand, n, length int, noise float64) []Sequence {
	runs := make([]Sequence, n)
	for i := range runs {
		var mu [NumInputs]float64
		for j := 1; j < NumInputs; j++ {
			mu[j] = rng.NormFloat64()
		}
		r := make(Sequence, length)
		for t := range r {
			r[t][0] = float64(rng.IntN(2))
			for j := 1; j < NumInputs; j++ {
				r[t][j] = mu[j] + noise*rng.NormFloat64()
			}
		}
		runs[i] = r
	}
	return runs
}

// constantRuns returns runs whose every song repeats the first: the last
// song (EWMA rate 1) predicts them exactly.
func constantRuns(rng *rand.Rand, n, length int) []Sequence {
	runs := vibe(rng, n, length, 0)
	for i := range runs {
		// A drift makes any rate below 1 lag behind.
		for t := range runs[i] {
			for j := 1; j < NumInputs; j++ {
				runs[i][t][j] += 0.3 * float64(t)
			}
		}
	}
	return runs
}

func TestFitRate(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for _, tc := range []struct {
		name     string
		runs     []Sequence
		min, max float64
	}{
		{"drift-wants-last-song", constantRuns(rng, 10, 12), 0.99, 1},
		{"vibe-wants-a-long-memory", vibe(rng, 40, 30, 1), 0.01, 0.25},
		{"no-data", nil, 0.125, 0.125},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := FitRate(tc.runs)
			if r < tc.min || r > tc.max {
				t.Fatalf("rate %v, want in [%v, %v]", r, tc.min, tc.max)
			}
			if len(tc.runs) == 0 {
				return
			}
			// No rate of the grid does better.
			best := EWMAScore(tc.runs, r).MAE
			for i := 1; i <= 100; i++ {
				if v := EWMAScore(tc.runs, float64(i)/100).MAE; v < best-1e-12 {
					t.Errorf("rate %v has MAE %v, below the fitted %v's %v", float64(i)/100, v, r, best)
				}
			}
		})
	}
}

// TestResidualNeverBelowBaseline trains residual models on data where the
// running mean is already the best predictor: the model kept must not be
// worse than its baseline on the validation runs, and one that no epoch
// improved predicts exactly the baseline.
func TestResidualNeverBelowBaseline(t *testing.T) {
	for _, residual := range []string{ResidualMean, ResidualEWMA} {
		t.Run(residual, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(33, 34))
			train := vibe(rng, 60, 16, 1)
			val := vibe(rng, 20, 16, 1)
			cfg := Config{Hidden: []int{8}, Epochs: 4, LearnRate: 0.05, BatchSize: 8, Workers: 1, Seed: 1, Residual: residual, Patience: -1}
			m, err := TrainSequences(context.Background(), cfg, IdentityScaler(), train, val, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			base := m.evaluateRuns(val).RunningMean.MAE
			if residual == ResidualEWMA {
				base = EWMAScore(val, m.Config.Rate).MAE
			}
			t.Logf("val MAE %.4f, baseline %.4f, best epoch %d", m.Info.ValMAE, base, m.Info.BestEpoch)
			if m.Info.ValMAE > base+1e-12 {
				t.Errorf("val MAE %v above the baseline's %v", m.Info.ValMAE, base)
			}
			if got := score(m, val).MAE; got != m.Info.ValMAE {
				t.Errorf("the model kept scores %v, Info says %v", got, m.Info.ValMAE)
			}
			// The initial weights are the baseline, exactly.
			zero := &Model{Config: m.Config, Weights: InitWeights(m.Config)}
			if got := score(zero, val).MAE; math.Abs(got-base) > 1e-12 {
				t.Errorf("initial residual model scores %v, baseline %v", got, base)
			}
		})
	}
}

// TestResidualLearnsBeyondBaseline: on AR(1) data (next = 0.9 current +
// noise) the running mean is a poor predictor. A residual model must learn
// a correction: with the EWMA baseline (whose fitted rate is near 1, the
// last song) it must come within 5% of the optimum, like a plain model;
// with the running mean, which a linear recurrence cannot undo exactly
// (it weighs the past by 1/t), at least 5% below the running mean.
func TestResidualLearnsBeyondBaseline(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	train := ar1(rng, 160, 21, 0.5)
	val := ar1(rng, 40, 21, 0.5)
	opt := 0.0
	for _, s := range val {
		for i := range s.Len() {
			for j := range NumOutputs {
				opt += math.Abs(0.9*s[i][1+j] - s[i+1][1+j])
			}
		}
	}
	opt /= float64(NumOutputs * steps(val))
	for _, residual := range []string{ResidualMean, ResidualEWMA} {
		t.Run(residual, func(t *testing.T) {
			cfg := Config{Hidden: []int{8}, Epochs: 40, LearnRate: 0.01, BatchSize: 16, Window: 20, Workers: 2, Patience: -1, Residual: residual}
			m, err := TrainSequences(context.Background(), cfg, IdentityScaler(), train, val, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			rm := m.evaluateRuns(val).RunningMean.MAE
			t.Logf("val MAE %.4f, optimum %.4f, running mean %.4f, rate %.3f", m.Info.ValMAE, opt, rm, m.Config.Rate)
			if m.Info.BestEpoch == 0 {
				t.Error("no epoch beat the baseline")
			}
			if residual == ResidualEWMA && m.Info.ValMAE > 1.05*opt {
				t.Errorf("val MAE %.4f, more than 5%% above the optimum %.4f", m.Info.ValMAE, opt)
			}
			if residual == ResidualMean && m.Info.ValMAE > 0.95*rm {
				t.Errorf("val MAE %.4f, not 5%% below the running mean's %.4f", m.Info.ValMAE, rm)
			}
		})
	}
}

// TestResidualPredictorState: a residual predictor's saved state holds
// its baseline, so that loading it resumes the same predictions.
func TestResidualPredictorState(t *testing.T) {
	for _, residual := range []string{ResidualNone, ResidualMean, ResidualEWMA} {
		t.Run(residual, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(35, 36))
			cfg := Config{Hidden: []int{5, 4}, Residual: residual}
			if residual == ResidualEWMA {
				cfg.Rate = 0.4
			}
			m := &Model{Config: cfg.Defaults(), Weights: randWeights(rng, cfg.Hidden)}
			seq := randSeqs(rng, 1, 10, 10)[0]
			p := m.NewPredictor()
			want := 1 + 9
			if residual != ResidualNone {
				want += NumOutputs
			}
			if p.StateLen() != want {
				t.Errorf("StateLen %d, want %d", p.StateLen(), want)
			}
			state := make([]float64, p.StateLen())
			var ys []any
			for i := range seq {
				if i == 4 {
					p.SaveState(state)
				}
				ys = append(ys, p.Step(&seq[i]))
			}
			q := m.NewPredictor()
			q.Step(&seq[9]) // some other state, to be overwritten
			q.LoadState(state)
			for i := 4; i < len(seq); i++ {
				if y := q.Step(&seq[i]); y != ys[i] {
					t.Fatalf("step %d after LoadState: %v, want %v", i, y, ys[i])
				}
			}
			if n := testing.AllocsPerRun(50, func() { p.Step(&seq[0]) }); n != 0 {
				t.Errorf("Step allocates %v times", n)
			}
		})
	}
}

// TestResidualInitWeights: only the output layer's W differs from the
// plain model's initial weights, and it is zero.
func TestResidualInitWeights(t *testing.T) {
	a := InitWeights(Config{Seed: 3})
	b := InitWeights(Config{Seed: 3, Residual: ResidualMean})
	for i, p := range b.Params() {
		q := a.Params()[i]
		switch {
		case p.Name == "out/W":
			if slices.ContainsFunc(p.Data, func(v float64) bool { return v != 0 }) || !slices.ContainsFunc(q.Data, func(v float64) bool { return v != 0 }) {
				t.Error("out/W: want zero for a residual model, random for a plain one")
			}
		case !slices.Equal(p.Data, q.Data):
			t.Errorf("%s differs between plain and residual", p.Name)
		}
	}
}
