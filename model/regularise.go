package model

import "math/rand/v2"

// Training-only regularisation (Config.InputNoise and Config.Dropout):
// both engines perturb a loaded batch the same way, from the same random
// numbers, so that they stay held together by the same tests; inference
// (the predictor, validation scores) never sees it.

// regStream is the base of the PCG streams of the perturbations: chunk c
// of gradient step k (0-based, counted over the whole training) draws
// from PCG(Config.Seed, regStream + k*maxChunks + c). The chunks depend
// only on the batch (see chunkSize), so the draws depend neither on the
// engine nor on the number of workers.
const regStream = 0x646973636f2d7267 // "disco-rg"

// regStreamOf returns the stream of chunk c of gradient step k.
func regStreamOf(k, c int) uint64 { return regStream + uint64(k)*maxChunks + uint64(c) }

// regulariser draws a chunk's perturbations. Each replica has its own.
type regulariser struct {
	noise float64 // Config.InputNoise
	drop  float64 // Config.Dropout
	seed  uint64
	pcg   rand.PCG
	rng   *rand.Rand
}

// newRegulariser returns cfg's regulariser, nil when cfg has none: then
// nothing is drawn and training is as without this code.
func newRegulariser(cfg Config) *regulariser {
	if !cfg.regularised() {
		return nil
	}
	r := &regulariser{noise: cfg.InputNoise, drop: cfg.Dropout, seed: cfg.Seed}
	r.rng = rand.New(&r.pcg)
	return r
}

// dropout reports whether r masks units between layers (r may be nil).
func (r *regulariser) dropout() bool { return r != nil && r.drop > 0 }

// reseed starts the draws of one chunk (see regStream).
func (r *regulariser) reseed(stream uint64) { r.pcg.Seed(r.seed, stream) }

// apply perturbs the real steps of seqs, loaded time-major with batch
// width B: it adds noise to the scaled features of x ([T][B][NumInputs];
// not the mode, input 0) and, with dropout, sets the masks drop[l]
// ([T][B][hidden[l]], one per gap between recurrent layers l and l+1) to
// 0 or 1/(1-Dropout); padding steps get masks of 1 (they carry no loss).
// The draws go sequence by sequence, step by step: the noise of the step's
// 8 features, then each gap's mask, unit by unit.
func (r *regulariser) apply(seqs []Sequence, B int, hidden []int, x []float64, drop [][]float64) {
	for _, d := range drop {
		for i := range d {
			d[i] = 1
		}
	}
	keep := 1 / (1 - r.drop)
	for b, s := range seqs {
		for t := range s.Len() {
			if r.noise > 0 {
				in := x[(t*B+b)*NumInputs+1 : (t*B+b+1)*NumInputs]
				for j := range in {
					in[j] += r.noise * r.rng.NormFloat64()
				}
			}
			if r.drop > 0 {
				for l, d := range drop {
					H := hidden[l]
					m := d[(t*B+b)*H : (t*B+b+1)*H]
					for k := range m {
						if r.rng.Float64() < r.drop {
							m[k] = 0
						} else {
							m[k] = keep
						}
					}
				}
			}
		}
	}
}

// mulInPlace multiplies dst by m elementwise.
func mulInPlace(dst, m []float64) {
	m = m[:len(dst)]
	for i := range dst {
		dst[i] *= m[i]
	}
}
