package model

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Weights holds a network's parameters in one flat slice, so that an
// optimizer and the replicas of data-parallel training treat them as one
// vector. Views into it name each tensor.
//
// Layer l (0-based) of the recurrent stack computes
//
//	h_t = act(x_t W_l + h_{t-1} U_l + b_l),  h_{-1} = 0
//
// with x_t the step's input (layer 0) or the previous layer's h_t, and the
// output layer y_t = h_t W_out + b_out on the last layer's h_t. Matrices are
// row-major with inputs along rows: W_l is in x units, U_l units x units.
type Weights struct {
	Hidden []int     // units per recurrent layer
	Data   []float64 // all parameters, in the order of Params
}

// Param is a named view of one tensor in Weights.Data.
type Param struct {
	Name       string    // "rnn1/W", "rnn1/U", "rnn1/b", ..., "out/W", "out/b"
	Rows, Cols int       // a bias has Rows 1
	Data       []float64 // aliases Weights.Data
}

// numParams returns the number of parameters of a network with the given
// hidden sizes.
func numParams(hidden []int) int {
	n, in := 0, NumInputs
	for _, h := range hidden {
		n += in*h + h*h + h
		in = h
	}
	return n + in*NumOutputs + NumOutputs
}

// NewWeights returns zero weights for the given hidden sizes.
func NewWeights(hidden []int) *Weights {
	return &Weights{Hidden: append([]int(nil), hidden...), Data: make([]float64, numParams(hidden))}
}

// Params returns the named tensors, in storage order: for each layer W, U
// and b, then the output layer's W and b.
func (w *Weights) Params() []Param {
	var ps []Param
	off, in := 0, NumInputs
	take := func(name string, r, c int) {
		ps = append(ps, Param{Name: name, Rows: r, Cols: c, Data: w.Data[off : off+r*c : off+r*c]})
		off += r * c
	}
	for l, h := range w.Hidden {
		take(fmt.Sprintf("rnn%d/W", l+1), in, h)
		take(fmt.Sprintf("rnn%d/U", l+1), h, h)
		take(fmt.Sprintf("rnn%d/b", l+1), 1, h)
		in = h
	}
	take("out/W", in, NumOutputs)
	take("out/b", 1, NumOutputs)
	return ps
}

// Clone returns a deep copy.
func (w *Weights) Clone() *Weights {
	return &Weights{Hidden: append([]int(nil), w.Hidden...), Data: append([]float64(nil), w.Data...)}
}

// check reports whether Data has the length Hidden implies and holds only
// finite numbers.
func (w *Weights) check() error {
	if len(w.Hidden) == 0 {
		return fmt.Errorf("model: weights have no layers")
	}
	for _, h := range w.Hidden {
		if h < 1 {
			return fmt.Errorf("model: weights have a layer of %d units", h)
		}
	}
	if n := numParams(w.Hidden); len(w.Data) != n {
		return fmt.Errorf("model: %d weights for layers %v, want %d", len(w.Data), w.Hidden, n)
	}
	for i, v := range w.Data {
		if !(math.Abs(v) <= MaxWeight) {
			return fmt.Errorf("model: weight %d is %v, beyond ±%g", i, v, float64(MaxWeight))
		}
	}
	return nil
}

// initStream is the PCG stream of initial weights; shuffleStream that of
// the order of batches. Both are keyed by Config.Seed.
const (
	initStream    = 0x646973636f2d7731 // "disco-w1"
	shuffleStream = 0x646973636f2d7331 // "disco-s1"
)

// InitWeights returns the initial weights for cfg (with defaults filled in)
// as Keras initialises SimpleRNN and Dense: W Glorot-uniform, U orthogonal
// (the Q of a QR decomposition of a standard-normal matrix, signs fixed by
// R's diagonal), b zero. They depend only on cfg.Hidden and cfg.Seed,
// and on cfg.Residual: a residual model's output layer starts at zero
// (so that it first predicts its baseline), the rest as for a plain one.
func InitWeights(cfg Config) *Weights {
	cfg = cfg.Defaults()
	rng := rand.New(rand.NewPCG(cfg.Seed, initStream))
	w := NewWeights(cfg.Hidden)
	for _, p := range w.Params() {
		switch p.Name[len(p.Name)-1] {
		case 'W':
			if p.Name == "out/W" && cfg.Residual != ResidualNone {
				continue
			}
			lim := math.Sqrt(6 / float64(p.Rows+p.Cols))
			for i := range p.Data {
				p.Data[i] = lim * (2*rng.Float64() - 1)
			}
		case 'U':
			orthogonal(p.Data, p.Rows, rng)
		}
	}
	return w
}

// orthogonal fills dst (n x n, row-major) with a random orthogonal matrix.
func orthogonal(dst []float64, n int, rng *rand.Rand) {
	a := mat.NewDense(n, n, nil)
	for i := range n {
		for j := range n {
			a.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(a)
	var q, r mat.Dense
	qr.QTo(&q)
	qr.RTo(&r)
	for i := range n {
		for j := range n {
			v := q.At(i, j)
			if r.At(j, j) < 0 {
				v = -v
			}
			dst[i*n+j] = v
		}
	}
}

// TrainFLOPs returns the floating-point operations (a multiply-add counts
// 2) of one training step of one sequence through a network with the given
// hidden sizes: the forward pass, and the backward pass's gradients for
// the weights and for every layer's input but the network's.
func TrainFLOPs(hidden []int) int {
	fwd, bwd, in := 0, 0, NumInputs
	for l, h := range hidden {
		fwd += in*h + h*h
		bwd += in*h + h*h // dW, dU
		bwd += h * h      // the recurrence's dh
		if l > 0 {
			bwd += in * h // d input
		}
		in = h
	}
	fwd += in * NumOutputs
	bwd += 2 * in * NumOutputs
	return 2 * (fwd + bwd)
}
