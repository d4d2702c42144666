package model

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// regLoss is nativeLoss with a regulariser drawing from stream.
func regLoss(w *Weights, tanh bool, bl baseline, reg *regulariser, stream uint64, seqs []Sequence, T int, grad []float64) float64 {
	nb := newNativeBatch(w.Hidden, tanh, bl)
	nb.reg = reg
	reg.reseed(stream)
	nb.load(seqs, T)
	return nb.lossGrad(w, 1/float64(NumOutputs*steps(seqs)), grad)
}

// TestRegularisedEnginesAgree: with input noise and dropout, the native
// engine's gradient matches finite differences (the perturbations drawn
// again from the same stream each time) and both engines agree on the
// loss and every gradient, drawing the same perturbations.
func TestRegularisedEnginesAgree(t *testing.T) {
	for _, tc := range []struct {
		name   string
		hidden []int
		tanh   bool
		noise  float64
		drop   float64
	}{
		{"noise", []int{5, 4}, true, 0.3, 0},
		{"dropout", []int{5, 4}, true, 0, 0.3},
		{"both-3layers", []int{4, 5, 3}, true, 0.2, 0.4},
		{"dropout-linear", []int{6, 6}, false, 0, 0.5},
	} {
		for _, bc := range testBaselines {
			t.Run(tc.name+"/"+bc.name, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(5, 6))
				seqs := randSeqs(rng, 5, 2, 7)
				w := randWeights(rng, tc.hidden)
				T := maxLen(seqs) + 2
				cfg := Config{Hidden: tc.hidden, InputNoise: tc.noise, Dropout: tc.drop, Seed: 4}
				reg := newRegulariser(cfg)
				const stream = 77
				grad := make([]float64, len(w.Data))
				loss := regLoss(w, tc.tanh, bc.bl, reg, stream, seqs, T, grad)
				plain := nativeLoss(w, tc.tanh, bc.bl, seqs, T, nil)
				if loss == plain {
					t.Error("the perturbations changed nothing")
				}
				rep := newGorgoniaReplica(tc.hidden, tc.tanh, bc.bl)
				rep.reg = newRegulariser(cfg)
				defer rep.close()
				gg, err := rep.graph(T, len(seqs))
				if err != nil {
					t.Fatal(err)
				}
				rep.reg.reseed(stream)
				ggrad := make([]float64, len(w.Data))
				gloss, err := gg.run(w, seqs, 1/float64(NumOutputs*steps(seqs)), ggrad)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(loss-gloss) > 1e-9 {
					t.Errorf("loss: native %.15g, gorgonia %.15g", loss, gloss)
				}
				names := paramNames(w)
				const eps = 1e-6
				for i := range w.Data {
					if math.Abs(grad[i]-ggrad[i]) > 1e-9 {
						t.Errorf("d/d%s: native %.15g, gorgonia %.15g", names[i], grad[i], ggrad[i])
					}
					old := w.Data[i]
					w.Data[i] = old + eps
					up := regLoss(w, tc.tanh, bc.bl, reg, stream, seqs, T, nil)
					w.Data[i] = old - eps
					down := regLoss(w, tc.tanh, bc.bl, reg, stream, seqs, T, nil)
					w.Data[i] = old
					if fd := (up - down) / (2 * eps); math.Abs(fd-grad[i]) > 1e-6*(1+math.Abs(fd)) {
						t.Errorf("native d/d%s = %.10g, finite differences %.10g", names[i], grad[i], fd)
					}
				}
			})
		}
	}
}

// TestRegularisedTraining: input noise and dropout train reproducibly for
// a seed (with 1 or 2 workers alike), differently for another seed and
// from training without them, the two engines alike to rounding; the
// model's inference ignores them (the same weights predict the same).
func TestRegularisedTraining(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	train := ar1(rng, 40, 12, 0.5)
	val := ar1(rng, 10, 12, 0.5)
	base := Config{Workers: 2, Epochs: 2, BatchSize: 8, Seed: 7, Patience: -1}
	ref, err := TrainSequences(context.Background(), base, IdentityScaler(), train, val, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	for _, reg := range []struct {
		name        string
		noise, drop float64
	}{{"noise", 0.2, 0}, {"dropout", 0, 0.2}, {"both", 0.1, 0.1}} {
		t.Run(reg.name, func(t *testing.T) {
			cfg := base
			cfg.InputNoise, cfg.Dropout = reg.noise, reg.drop
			a, err := TrainSequences(context.Background(), cfg, IdentityScaler(), train, val, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			if a.Config.InputNoise != reg.noise || a.Config.Dropout != reg.drop {
				t.Errorf("config records noise %v, dropout %v", a.Config.InputNoise, a.Config.Dropout)
			}
			c1 := cfg
			c1.Workers = 1
			b, err := TrainSequences(context.Background(), c1, IdentityScaler(), train, val, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(a.Weights.Data, b.Weights.Data) {
				t.Error("1 and 2 workers gave different weights")
			}
			c2 := cfg
			c2.Seed++
			d, err := TrainSequences(context.Background(), c2, IdentityScaler(), train, val, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			if slices.Equal(a.Weights.Data, d.Weights.Data) || slices.Equal(a.Weights.Data, ref.Weights.Data) {
				t.Error("another seed, or no regularisation, gave the same weights")
			}
			cg := cfg
			cg.Engine = Gorgonia
			g, err := TrainSequences(context.Background(), cg, IdentityScaler(), train, val, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			worst := 0.0
			for i := range a.Weights.Data {
				worst = max(worst, math.Abs(a.Weights.Data[i]-g.Weights.Data[i]))
			}
			if worst > 1e-9 {
				t.Errorf("the engines' weights differ by up to %g", worst)
			}
			// Inference: the same weights without the options predict
			// the same, and the validation score is the predictor's.
			off := &Model{Config: a.Config, Weights: a.Weights}
			off.Config.InputNoise, off.Config.Dropout = 0, 0
			if s, o := score(a, val).MAE, score(off, val).MAE; s != o || (a.Info.BestEpoch > 0 && s != a.Info.ValMAE) {
				t.Errorf("validation MAE %v with the options, %v without, recorded %v", s, o, a.Info.ValMAE)
			}
		})
	}
}

// TestRegularisedFile: a model trained with the options is written as
// version 4 and reads back with them.
func TestRegularisedFile(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	train := ar1(rng, 20, 8, 0.5)
	m, err := TrainSequences(context.Background(), Config{Epochs: 1, Dropout: 0.25, InputNoise: 0.125, Workers: 1}, IdentityScaler(), train, nil, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if v := m.FileVersion(); v != 4 {
		t.Errorf("file version %d, want 4", v)
	}
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if r.Config.Dropout != 0.25 || r.Config.InputNoise != 0.125 {
		t.Errorf("read back dropout %v, noise %v", r.Config.Dropout, r.Config.InputNoise)
	}
}
