package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randSeqs returns n random sequences with lengths (in steps) in
// [minSteps, maxSteps], inputs and targets standard normal, mode 0 or 1.
func randSeqs(rng *rand.Rand, n, minSteps, maxSteps int) []Sequence {
	seqs := make([]Sequence, n)
	for i := range seqs {
		k := minSteps + rng.IntN(maxSteps-minSteps+1)
		s := make(Sequence, k)
		for t := range s {
			s[t][0] = float64(rng.IntN(2))
			for j := 1; j < NumInputs; j++ {
				s[t][j] = rng.NormFloat64()
			}
		}
		seqs[i] = s
	}
	return seqs
}

// randWeights returns weights with small random values (biases included,
// so that their gradients are tested too).
func randWeights(rng *rand.Rand, hidden []int) *Weights {
	w := NewWeights(hidden)
	for i := range w.Data {
		w.Data[i] = 0.4 * rng.NormFloat64()
	}
	return w
}

// The baselines the engine tests run with: none (plain), the running mean
// and an EWMA.
var testBaselines = []struct {
	name string
	bl   baseline
}{
	{"plain", baseline{kind: ResidualNone}},
	{"mean", baseline{kind: ResidualMean}},
	{"ewma", baseline{kind: ResidualEWMA, rate: 0.3}},
}

// nativeLoss returns the native engine's loss (scaled to the batch MAE)
// and, if grad is not nil, adds its gradient.
func nativeLoss(w *Weights, tanh bool, bl baseline, seqs []Sequence, T int, grad []float64) float64 {
	nb := newNativeBatch(w.Hidden, tanh, bl)
	nb.load(seqs, T)
	return nb.lossGrad(w, 1/float64(NumOutputs*steps(seqs)), grad)
}

func maxLen(seqs []Sequence) int {
	T := 0
	for _, s := range seqs {
		T = max(T, s.Len())
	}
	return T
}

func TestGradientsFiniteDifferences(t *testing.T) {
	for _, tc := range []struct {
		name   string
		hidden []int
		tanh   bool
	}{
		{"linear-1layer", []int{5}, false},
		{"linear-2layers", []int{4, 3}, false},
		{"tanh-2layers", []int{4, 3}, true},
		{"tanh-3layers", []int{3, 4, 2}, true},
	} {
		for _, bc := range testBaselines {
			t.Run(tc.name+"/"+bc.name, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(1, 2))
				seqs := randSeqs(rng, 4, 2, 7)
				w := randWeights(rng, tc.hidden)
				T := maxLen(seqs) + 2 // some padding too
				grad := make([]float64, len(w.Data))
				nativeLoss(w, tc.tanh, bc.bl, seqs, T, grad)
				rep := newGorgoniaReplica(tc.hidden, tc.tanh, bc.bl)
				defer rep.close()
				gg, err := rep.graph(T, len(seqs))
				if err != nil {
					t.Fatal(err)
				}
				ggrad := make([]float64, len(w.Data))
				if _, err := gg.run(w, seqs, 1/float64(NumOutputs*steps(seqs)), ggrad); err != nil {
					t.Fatal(err)
				}
				const eps = 1e-6
				names := paramNames(w)
				for i := range w.Data {
					old := w.Data[i]
					w.Data[i] = old + eps
					up := nativeLoss(w, tc.tanh, bc.bl, seqs, T, nil)
					w.Data[i] = old - eps
					down := nativeLoss(w, tc.tanh, bc.bl, seqs, T, nil)
					w.Data[i] = old
					fd := (up - down) / (2 * eps)
					if d := math.Abs(fd - grad[i]); d > 1e-6*(1+math.Abs(fd)) {
						t.Errorf("native d/d%s = %.10g, finite differences %.10g", names[i], grad[i], fd)
					}
					if d := math.Abs(fd - ggrad[i]); d > 1e-6*(1+math.Abs(fd)) {
						t.Errorf("gorgonia d/d%s = %.10g, finite differences %.10g", names[i], ggrad[i], fd)
					}
				}
			})
		}
	}
}

// paramNames names every weight, "rnn1/W[2,3]".
func paramNames(w *Weights) []string {
	var out []string
	for _, p := range w.Params() {
		for i := range p.Data {
			out = append(out, p.Name+"["+itoa(i/p.Cols)+","+itoa(i%p.Cols)+"]")
		}
	}
	return out
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// TestEnginesAgree holds the native engine and the plain-Go predictor to the
// Gorgonia graph: loss, every gradient, and every output.
func TestEnginesAgree(t *testing.T) {
	for _, tc := range []struct {
		name   string
		hidden []int
		tanh   bool
		B, T   int
	}{
		{"disco-default", []int{16, 16}, false, 6, 12},
		{"tanh", []int{16, 8}, true, 5, 9},
		{"one-layer", []int{7}, false, 1, 4},
	} {
		for _, bc := range testBaselines {
			t.Run(tc.name+"/"+bc.name, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(3, 4))
				seqs := randSeqs(rng, tc.B, 2, tc.T+1)
				w := InitWeights(Config{Hidden: tc.hidden, Seed: 9})
				for i := range w.Data { // non-zero biases
					w.Data[i] += 0.05 * rng.NormFloat64()
				}
				scale := 1 / float64(NumOutputs*steps(seqs))
				grad := make([]float64, len(w.Data))
				loss := nativeLoss(w, tc.tanh, bc.bl, seqs, tc.T, grad)
				rep := newGorgoniaReplica(tc.hidden, tc.tanh, bc.bl)
				defer rep.close()
				gg, err := rep.graph(tc.T, tc.B)
				if err != nil {
					t.Fatal(err)
				}
				ggrad := make([]float64, len(w.Data))
				gloss, err := gg.run(w, seqs, scale, ggrad)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(loss-gloss) > 1e-9 {
					t.Errorf("loss: native %.15g, gorgonia %.15g", loss, gloss)
				}
				names := paramNames(w)
				for i := range grad {
					if math.Abs(grad[i]-ggrad[i]) > 1e-9 {
						t.Errorf("d/d%s: native %.15g, gorgonia %.15g", names[i], grad[i], ggrad[i])
					}
				}
				m := &Model{Config: Config{Hidden: tc.hidden, Residual: bc.bl.kind, Rate: bc.bl.rate}, Weights: w}
				if tc.tanh {
					m.Config.Activation = Tanh
				}
				p := m.NewPredictor()
				plain := &Model{Config: m.Config, Weights: w}
				plain.Config.Residual, plain.Config.Rate = ResidualNone, 0
				q := plain.NewPredictor()
				worst, worstBase := 0.0, 0.0
				var want [NumOutputs]float64
				for b, s := range seqs {
					p.Reset()
					q.Reset()
					for step := range s.Len() {
						y := p.Step(&s[step])
						g := gg.outputs(step, b)
						for j := range y {
							worst = max(worst, math.Abs(y[j]-g[j]))
						}
						// The prediction is the plain network's output plus
						// the baseline of the steps so far, computed here
						// from its definition.
						yq := q.Step(&s[step])
						refBaseline(want[:], bc.bl, s[:step+1])
						for j := range y {
							worstBase = max(worstBase, math.Abs(y[j]-yq[j]-want[j]))
						}
					}
				}
				if worst > 1e-9 {
					t.Errorf("predictor and gorgonia outputs differ by up to %g", worst)
				}
				if worstBase > 1e-9 {
					t.Errorf("prediction minus network output differs from the baseline by up to %g", worstBase)
				}
			})
		}
	}
}

// refBaseline writes the baseline after the given steps into dst, from the
// definitions: zero, the mean, or e_0 = x_0, e_t = (1-r) e_{t-1} + r x_t.
func refBaseline(dst []float64, bl baseline, steps Sequence) {
	for j := range dst {
		v := 0.0
		switch bl.kind {
		case ResidualMean:
			for _, s := range steps {
				v += s[1+j]
			}
			v /= float64(len(steps))
		case ResidualEWMA:
			v = steps[0][1+j]
			for _, s := range steps[1:] {
				v = (1-bl.rate)*v + bl.rate*s[1+j]
			}
		}
		dst[j] = v
	}
}

// TestMaskedEqualsUnpadded checks that padding changes neither loss nor
// gradient, in both engines.
func TestMaskedEqualsUnpadded(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	seqs := randSeqs(rng, 3, 6, 6) // 5 transitions each
	hidden := []int{6, 5}
	w := randWeights(rng, hidden)
	scale := 1 / float64(NumOutputs*steps(seqs))
	type result struct {
		loss float64
		grad []float64
	}
	run := func(engine string, bl baseline, T int) result {
		g := make([]float64, len(w.Data))
		var loss float64
		if engine == Native {
			loss = nativeLoss(w, false, bl, seqs, T, g)
		} else {
			rep := newGorgoniaReplica(hidden, false, bl)
			defer rep.close()
			gg, err := rep.graph(T, len(seqs))
			if err != nil {
				t.Fatal(err)
			}
			if loss, err = gg.run(w, seqs, scale, g); err != nil {
				t.Fatal(err)
			}
		}
		return result{loss, g}
	}
	for _, engine := range []string{Native, Gorgonia} {
		for _, bc := range testBaselines {
			t.Run(engine+"/"+bc.name, func(t *testing.T) {
				a, b := run(engine, bc.bl, 5), run(engine, bc.bl, 11)
				if math.Abs(a.loss-b.loss) > 1e-12 {
					t.Errorf("loss unpadded %.15g, padded %.15g", a.loss, b.loss)
				}
				for i := range a.grad {
					if math.Abs(a.grad[i]-b.grad[i]) > 1e-12 {
						t.Errorf("gradient %d unpadded %.15g, padded %.15g", i, a.grad[i], b.grad[i])
					}
				}
			})
		}
	}
	// Padding within a batch: a short sequence next to a long one counts
	// as it does alone (with the running-mean baseline, each sequence's
	// own).
	bl := baseline{kind: ResidualMean}
	t.Run("mixed-batch", func(t *testing.T) {
		short := seqs[0][:3]
		long := randSeqs(rng, 1, 9, 9)[0]
		n1, n2 := short.Len(), long.Len()
		gs := make([]float64, len(w.Data))
		gl := make([]float64, len(w.Data))
		gb := make([]float64, len(w.Data))
		ls := nativeLoss(w, false, bl, []Sequence{short}, n1, gs)
		ll := nativeLoss(w, false, bl, []Sequence{long}, n2, gl)
		lb := nativeLoss(w, false, bl, []Sequence{short, long}, n2, gb)
		// The batch loss is the step-weighted mean of the two.
		want := (ls*float64(n1) + ll*float64(n2)) / float64(n1+n2)
		if math.Abs(lb-want) > 1e-12 {
			t.Errorf("batch loss %.15g, want %.15g", lb, want)
		}
		for i := range gb {
			wantG := (gs[i]*float64(n1) + gl[i]*float64(n2)) / float64(n1+n2)
			if math.Abs(gb[i]-wantG) > 1e-12 {
				t.Errorf("gradient %d: batch %.15g, want %.15g", i, gb[i], wantG)
			}
		}
	})
}
