package model

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// ar1 returns n sequences of the given number of steps following
// x_{t+1} = 0.9 x_t + e with e normal with deviation sigma, per feature,
// started from the stationary distribution. The mode input is random.
func ar1(rng *rand.Rand, n, stepsPer int, sigma float64) []Sequence {
	seqs := make([]Sequence, n)
	sd0 := sigma / math.Sqrt(1-0.81)
	for i := range seqs {
		s := make(Sequence, stepsPer)
		for j := 1; j < NumInputs; j++ {
			s[0][j] = sd0 * rng.NormFloat64()
		}
		for t := range s {
			s[t][0] = float64(rng.IntN(2))
			if t > 0 {
				for j := 1; j < NumInputs; j++ {
					s[t][j] = 0.9*s[t-1][j] + sigma*rng.NormFloat64()
				}
			}
		}
		seqs[i] = s
	}
	return seqs
}

// TestSyntheticOptimum trains on next = 0.9*current + noise, whose best
// MAE is that of predicting 0.9*current, and wants within 5% of it on fresh
// validation data.
func TestSyntheticOptimum(t *testing.T) {
	for _, engine := range []string{Native, Gorgonia} {
		t.Run(engine, func(t *testing.T) {
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
			cfg := Config{Hidden: []int{8}, Epochs: 40, LearnRate: 0.01, BatchSize: 16, Window: 20, Workers: 2, Patience: -1, Engine: engine}
			m, err := TrainSequences(context.Background(), cfg, IdentityScaler(), train, val, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			got := m.Info.ValMAE
			t.Logf("%s: val MAE %.4f, optimum %.4f (%.2f%% above), %d epochs, best %d", engine, got, opt, 100*(got/opt-1), m.Info.EpochsRun, m.Info.BestEpoch)
			if got > 1.05*opt {
				t.Errorf("val MAE %.4f, more than 5%% above the optimum %.4f", got, opt)
			}
		})
	}
}

func TestDeterminism(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	train := ar1(rng, 50, 12, 0.5)
	val := ar1(rng, 10, 12, 0.5)
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"native-1", Config{Workers: 1, Epochs: 3, BatchSize: 8, Seed: 7}},
		{"native-2", Config{Workers: 2, Epochs: 3, BatchSize: 8, Seed: 7}},
		{"gorgonia-2", Config{Workers: 2, Epochs: 1, BatchSize: 16, Seed: 7, Engine: Gorgonia}},
		{"native-2-mean", Config{Workers: 2, Epochs: 3, BatchSize: 8, Seed: 7, Residual: ResidualMean}},
		{"native-1-ewma", Config{Workers: 1, Epochs: 3, BatchSize: 8, Seed: 7, Residual: ResidualEWMA}},
		{"native-2-noise-dropout", Config{Workers: 2, Epochs: 3, BatchSize: 8, Seed: 7, Residual: ResidualMean, InputNoise: 0.2, Dropout: 0.2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := TrainSequences(context.Background(), tc.cfg, IdentityScaler(), train, val, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			b, err := TrainSequences(context.Background(), tc.cfg, IdentityScaler(), train, val, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(a.Weights.Data, b.Weights.Data) {
				t.Error("same seed, data and workers gave different weights")
			}
			// Another number of workers changes nothing either.
			c1 := tc.cfg
			c1.Workers = 3 - tc.cfg.Workers
			e, err := TrainSequences(context.Background(), c1, IdentityScaler(), train, val, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(a.Weights.Data, e.Weights.Data) {
				t.Errorf("workers %d and %d gave different weights", tc.cfg.Workers, c1.Workers)
			}
			c := tc.cfg
			c.Seed++
			d, err := TrainSequences(context.Background(), c, IdentityScaler(), train, val, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			if slices.Equal(a.Weights.Data, d.Weights.Data) {
				t.Error("another seed gave the same weights")
			}
		})
	}
}

// TestEnginesTrainAlike trains the same steps with both engines, from the
// same initial weights, and wants the same weights to rounding.
func TestEnginesTrainAlike(t *testing.T) {
	for _, residual := range []string{ResidualNone, ResidualMean, ResidualEWMA} {
		t.Run(residual, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(15, 16))
			train := ar1(rng, 40, 10, 0.5)
			cfg := Config{Workers: 2, Epochs: 2, BatchSize: 8, Seed: 3, Patience: -1, Residual: residual}
			a, err := TrainSequences(context.Background(), cfg, IdentityScaler(), train, nil, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			cfg.Engine = Gorgonia
			b, err := TrainSequences(context.Background(), cfg, IdentityScaler(), train, nil, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			if a.Config.Rate != b.Config.Rate || (residual == ResidualEWMA) != (a.Config.Rate > 0) {
				t.Errorf("EWMA rate native %v, gorgonia %v", a.Config.Rate, b.Config.Rate)
			}
			worst, moved := 0.0, 0.0
			init := InitWeights(a.Config)
			for i := range a.Weights.Data {
				worst = max(worst, math.Abs(a.Weights.Data[i]-b.Weights.Data[i]))
				moved = max(moved, math.Abs(a.Weights.Data[i]-init.Data[i]))
			}
			if worst > 1e-9 {
				t.Errorf("after %d Adam steps the engines' weights differ by up to %g", 2*5, worst)
			}
			if moved == 0 {
				t.Error("training did not move the weights")
			}
			if math.Abs(a.Info.TrainMAE-b.Info.TrainMAE) > 1e-9 {
				t.Errorf("train MAE native %.15g, gorgonia %.15g", a.Info.TrainMAE, b.Info.TrainMAE)
			}
		})
	}
}

func TestEarlyStoppingKeepsBest(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	train := ar1(rng, 30, 10, 0.5)
	val := ar1(rng, 10, 10, 0.5)
	// A learning rate far too high makes validation worse after a few
	// epochs; patience 1 then stops, and the best epoch's weights remain.
	cfg := Config{Epochs: 40, LearnRate: 0.3, Patience: 1, BatchSize: 4, Workers: 1}
	var hist []EpochStats
	m, err := TrainSequences(context.Background(), cfg, IdentityScaler(), train, val, Hooks{Epoch: func(s EpochStats) { hist = append(hist, s) }})
	if err != nil {
		t.Fatal(err)
	}
	if m.Info.Stopped != StopEarly {
		t.Fatalf("stopped %q after %d epochs, want early", m.Info.Stopped, m.Info.EpochsRun)
	}
	best := slices.MinFunc(hist, func(a, b EpochStats) int { return cmpFloat(a.ValMAE, b.ValMAE) })
	if m.Info.BestEpoch != best.Epoch || m.Info.ValMAE != best.ValMAE {
		t.Errorf("best epoch %d (%.4f), history says %d (%.4f)", m.Info.BestEpoch, m.Info.ValMAE, best.Epoch, best.ValMAE)
	}
	if got := score(m, val).MAE; got != best.ValMAE {
		t.Errorf("kept weights score %.6f, best epoch scored %.6f", got, best.ValMAE)
	}
	if len(hist) != m.Info.EpochsRun || hist[len(hist)-1].Epoch-m.Info.BestEpoch != 1 {
		t.Errorf("ran %d epochs, best %d, patience 1", len(hist), m.Info.BestEpoch)
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestCancelReturnsBestSoFar(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	train := ar1(rng, 40, 10, 0.5)
	val := ar1(rng, 10, 10, 0.5)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := Config{Epochs: 5, BatchSize: 4, Workers: 1}
	m, err := TrainSequences(ctx, cfg, IdentityScaler(), train, val, Hooks{
		Batch: func(s BatchStats) {
			if s.Epoch == 2 && s.Batch == 3 {
				cancel()
			}
		},
	})
	if !errors.Is(err, context.Canceled) || !IsInterrupted(err) {
		t.Fatalf("error %v, want one wrapping context.Canceled", err)
	}
	if m == nil {
		t.Fatal("no model returned on cancel")
	}
	if m.Info.Stopped != StopInterrupted || m.Info.EpochsRun != 1 || m.Info.BestEpoch != 1 {
		t.Errorf("stopped %q, %d epochs run, best %d; want interrupted, 1, 1", m.Info.Stopped, m.Info.EpochsRun, m.Info.BestEpoch)
	}
	if got := score(m, val).MAE; got != m.Info.ValMAE {
		t.Errorf("returned weights score %.6f, epoch 1 scored %.6f", got, m.Info.ValMAE)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"zero", Config{}, true},
		{"tanh", Config{Activation: Tanh, Hidden: []int{8, 8, 8}}, true},
		{"bad-activation", Config{Activation: "relu"}, false},
		{"zero-units", Config{Hidden: []int{16, 0}}, false},
		{"window-256", Config{Window: 256}, false},
		{"window-255", Config{Window: 255}, true},
		{"negative-lr", Config{LearnRate: -1}, false},
		{"min-len-1", Config{MinLen: 1}, false},
		{"val-1", Config{ValFrac: 1}, false},
		{"engine", Config{Engine: "cuda"}, false},
		{"residual-mean", Config{Residual: ResidualMean}, true},
		{"residual-ewma-fit", Config{Residual: ResidualEWMA}, true},
		{"residual-ewma-rate", Config{Residual: ResidualEWMA, Rate: 1}, true},
		{"residual-median", Config{Residual: "median"}, false},
		{"rate-above-1", Config{Residual: ResidualEWMA, Rate: 1.5}, false},
		{"rate-negative", Config{Residual: ResidualEWMA, Rate: -0.1}, false},
		{"rate-without-ewma", Config{Residual: ResidualMean, Rate: 0.5}, false},
		{"weight-decay", Config{WeightDecay: 0.1}, true},
		{"weight-decay-negative", Config{WeightDecay: -0.1}, false},
		{"weight-decay-wipes-out", Config{WeightDecay: 1000}, false},
		{"input-noise", Config{InputNoise: 0.1}, true},
		{"input-noise-negative", Config{InputNoise: -0.1}, false},
		{"input-noise-nan", Config{InputNoise: math.NaN()}, false},
		{"input-noise-huge", Config{InputNoise: 11}, false},
		{"dropout", Config{Dropout: 0.2}, true},
		{"dropout-1", Config{Dropout: 1}, false},
		{"dropout-negative", Config{Dropout: -0.1}, false},
		{"dropout-one-layer", Config{Dropout: 0.2, Hidden: []int{16}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if (err == nil) != tc.ok {
				t.Errorf("Validate() = %v, want ok %v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrConfig) {
				t.Errorf("error %v does not wrap ErrConfig", err)
			}
		})
	}
	d := Config{}.Defaults()
	if !slices.Equal(d.Hidden, []int{16, 16}) || d.Activation != Linear || d.BatchSize != 32 || d.Epochs != 10 ||
		d.LearnRate != 0.001 || d.Window != 50 || d.Stride != 25 || d.MinLen != 2 || d.Engine != Native ||
		d.Residual != ResidualNone || d.WeightDecay != 0 || d.InputNoise != 0 || d.Dropout != 0 {
		t.Errorf("defaults %+v are not DISCO's", d)
	}
}

func TestInitWeights(t *testing.T) {
	a := InitWeights(Config{Seed: 1})
	b := InitWeights(Config{Seed: 1})
	c := InitWeights(Config{Seed: 2})
	if !slices.Equal(a.Data, b.Data) || slices.Equal(a.Data, c.Data) {
		t.Fatal("initial weights do not follow the seed")
	}
	if n := len(a.Data); n != 9*16+16*16+16+16*16+16*16+16+16*8+8 {
		t.Errorf("%d parameters", n)
	}
	for _, p := range a.Params() {
		switch p.Name[len(p.Name)-1] {
		case 'U': // orthogonal: U U^T = I
			n := p.Rows
			for i := range n {
				for j := range n {
					s := 0.0
					for k := range n {
						s += p.Data[i*n+k] * p.Data[j*n+k]
					}
					want := 0.0
					if i == j {
						want = 1
					}
					if math.Abs(s-want) > 1e-12 {
						t.Fatalf("%s is not orthogonal: (UU^T)[%d,%d] = %g", p.Name, i, j, s)
					}
				}
			}
		case 'b':
			for _, v := range p.Data {
				if v != 0 {
					t.Fatalf("%s not zero", p.Name)
				}
			}
		case 'W':
			lim := math.Sqrt(6 / float64(p.Rows+p.Cols))
			for _, v := range p.Data {
				if math.Abs(v) > lim {
					t.Fatalf("%s holds %g beyond the Glorot limit %g", p.Name, v, lim)
				}
			}
		}
	}
}

// TestWeightDecayShrinks: in training, decoupled weight decay (see
// internal/optim) shrinks the weights.
func TestWeightDecayShrinks(t *testing.T) {
	// In training it shrinks the weights.
	rng := rand.New(rand.NewPCG(19, 20))
	train := ar1(rng, 30, 10, 0.5)
	norm := func(wd float64) float64 {
		m, err := TrainSequences(context.Background(), Config{Workers: 1, Epochs: 3, BatchSize: 8, LearnRate: 0.01, WeightDecay: wd, Patience: -1}, IdentityScaler(), train, nil, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0.0
		for _, v := range m.Weights.Data {
			n += v * v
		}
		return n
	}
	if a, b := norm(0), norm(10); !(b < a) {
		t.Errorf("weight decay 10 left |w|^2 %v, without %v", b, a)
	}
}
