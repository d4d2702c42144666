package taste

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Net is a fully connected network in plain Go: the weights of a taste
// model and its forward pass. Layer l maps Sizes[l] inputs to Sizes[l+1]
// outputs, a = x W_l + b_l, where W_l is stored row-major (Sizes[l] rows of
// Sizes[l+1]) and followed by b_l in Data. The hidden layers apply
// Activation; the last layer's outputs are logits: one for two labels (the
// log-odds of the second label), one per label for more.
type Net struct {
	Sizes      []int     // inputs, hidden units..., outputs
	Activation string    // of the hidden layers
	Data       []float64 // W_0, b_0, W_1, b_1, ...
}

// numOutputs is the number of logits of a network for k labels.
func numOutputs(k int) int {
	if k == 2 {
		return 1
	}
	return k
}

// NewNet returns a network of the given number of inputs (NumInputs or
// MaxInputs), hidden layers and number of labels (at least 2), with
// Glorot-uniform weights drawn from rng and zero biases. It panics if
// labels < 2 or inputs is neither.
func NewNet(inputs int, hidden []int, activation string, labels int, rng *rand.Rand) *Net {
	if labels < 2 || (inputs != NumInputs && inputs != MaxInputs) {
		panic("taste: NewNet with fewer than 2 labels or a bad number of inputs")
	}
	sizes := append(append([]int{inputs}, hidden...), numOutputs(labels))
	n := &Net{Sizes: sizes, Activation: activation, Data: make([]float64, numParams(sizes))}
	for l := range n.Layers() {
		w, _ := n.Layer(l)
		a := math.Sqrt(6 / float64(sizes[l]+sizes[l+1]))
		for i := range w {
			w[i] = (2*rng.Float64() - 1) * a
		}
	}
	return n
}

func numParams(sizes []int) int {
	n := 0
	for l := 0; l+1 < len(sizes); l++ {
		n += sizes[l]*sizes[l+1] + sizes[l+1]
	}
	return n
}

// Layers returns the number of weight layers (hidden layers + 1).
func (n *Net) Layers() int { return len(n.Sizes) - 1 }

// Layer returns views into Data of layer l's weights (row-major, Sizes[l]
// x Sizes[l+1]) and biases.
func (n *Net) Layer(l int) (w, b []float64) {
	off := 0
	for k := range l {
		off += n.Sizes[k]*n.Sizes[k+1] + n.Sizes[k+1]
	}
	nw := n.Sizes[l] * n.Sizes[l+1]
	return n.Data[off : off+nw], n.Data[off+nw : off+nw+n.Sizes[l+1]]
}

// Clone returns a deep copy of n.
func (n *Net) Clone() *Net {
	return &Net{Sizes: append([]int(nil), n.Sizes...), Activation: n.Activation, Data: append([]float64(nil), n.Data...)}
}

// check reports whether n's parts fit together.
func (n *Net) check() error {
	if len(n.Sizes) < 2 || (n.Sizes[0] != NumInputs && n.Sizes[0] != MaxInputs) {
		return fmt.Errorf("taste: network sizes %v, want %d or %d inputs first", n.Sizes, NumInputs, MaxInputs)
	}
	for _, s := range n.Sizes {
		if s < 1 || s > MaxUnits {
			return fmt.Errorf("taste: network sizes %v", n.Sizes)
		}
	}
	if len(n.Sizes)-2 > MaxLayers {
		return fmt.Errorf("taste: %d hidden layers, at most %d", len(n.Sizes)-2, MaxLayers)
	}
	if got, want := len(n.Data), numParams(n.Sizes); got != want {
		return fmt.Errorf("taste: %d weights for sizes %v, want %d", got, n.Sizes, want)
	}
	if err := (Config{Activation: n.Activation}).Validate(); err != nil {
		return err
	}
	for _, v := range n.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > MaxWeight {
			return fmt.Errorf("taste: weight %v", v)
		}
	}
	return nil
}

// MaxWeight bounds the magnitude of a weight in a model file.
const MaxWeight = 1e4

func activate(act string, v []float64) {
	switch act {
	case ReLU:
		for i, x := range v {
			if x < 0 {
				v[i] = 0
			}
		}
	case Tanh:
		for i, x := range v {
			v[i] = math.Tanh(x)
		}
	case Sigmoid:
		for i, x := range v {
			v[i] = sigmoid(x)
		}
	}
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// softplus returns log(1+exp(x)) without overflow.
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// Buffer holds the scratch space of a forward pass; the zero value is
// ready and grows on first use. A Buffer is not safe for concurrent use.
type Buffer struct{ a, b []float64 }

// forward runs n on input x and returns the activations of layer upto
// (0: the input itself; Layers(): the logits), in a slice of buf's that the
// next call overwrites.
func (n *Net) forward(buf *Buffer, x []float64, upto int) []float64 {
	in := append(buf.a[:0], x...)
	buf.a = in
	for l := range upto {
		w, b := n.Layer(l)
		rows, cols := n.Sizes[l], n.Sizes[l+1]
		out := append(buf.b[:0], b...)
		for i := range rows {
			xi := in[i]
			if xi == 0 {
				continue
			}
			row := w[i*cols : (i+1)*cols]
			for j, wij := range row {
				out[j] += xi * wij
			}
		}
		if l+1 < n.Layers() {
			activate(n.Activation, out)
		}
		buf.a, buf.b = out, in
		in = out
	}
	return in
}

// Logits returns the output-layer values of n for input x, in a slice of
// buf's that the next call overwrites. x must have Sizes[0] values.
func (n *Net) Logits(buf *Buffer, x []float64) []float64 {
	return n.forward(buf, x, n.Layers())
}

// Hidden returns the activations of n's last hidden layer for input x (the
// input itself for a network without hidden layers), in a slice of buf's
// that the next call overwrites.
func (n *Net) Hidden(buf *Buffer, x []float64) []float64 {
	return n.forward(buf, x, n.Layers()-1)
}

// Probs writes to dst the probability of each of the k labels for input x
// and returns it: for k = 2, 1-p and p with p the sigmoid of the single
// logit; for more, the softmax of the logits. dst must have room for k
// values (len(dst) = k).
func (n *Net) Probs(dst []float64, buf *Buffer, x []float64) []float64 {
	z := n.Logits(buf, x)
	if len(z) == 1 {
		p := sigmoid(z[0])
		dst[0], dst[1] = 1-p, p
		return dst[:2]
	}
	m := math.Inf(-1)
	for _, v := range z {
		m = math.Max(m, v)
	}
	s := 0.0
	for j, v := range z {
		dst[j] = math.Exp(v - m)
		s += dst[j]
	}
	for j := range z {
		dst[j] /= s
	}
	return dst[:len(z)]
}

// pointLoss returns the cross-entropy of logits z for label y: binary
// cross-entropy of the sigmoid for one logit, softmax cross-entropy for
// more. Both are computed without overflow.
func pointLoss(z []float64, y int) float64 {
	if len(z) == 1 {
		return softplus(z[0]) - float64(y)*z[0]
	}
	m := math.Inf(-1)
	for _, v := range z {
		m = math.Max(m, v)
	}
	s := 0.0
	for _, v := range z {
		s += math.Exp(v - m)
	}
	return m + math.Log(s) - z[y]
}

// Loss returns the loss that training minimises on the given inputs and
// labels: the weighted mean cross-entropy, sum w_i l_i / sum w_i (w nil
// means all 1), plus l2/2 times the sum of the squared weights (not the
// biases). It panics if the lengths of xs, ys and w (when not nil) differ.
func (n *Net) Loss(xs []Input, ys []int, w []float64, l2 float64) float64 {
	if len(xs) != len(ys) || (w != nil && len(w) != len(ys)) {
		panic("taste: Loss with inputs, labels and weights of different lengths")
	}
	var buf Buffer
	var sum, sw float64
	for i := range xs {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		sum += wi * pointLoss(n.Logits(&buf, xs[i][:n.Sizes[0]]), ys[i])
		sw += wi
	}
	loss := 0.0
	if sw > 0 {
		loss = sum / sw
	}
	return loss + l2*n.weightNorm2()/2
}

func (n *Net) weightNorm2() float64 {
	s := 0.0
	for l := range n.Layers() {
		w, _ := n.Layer(l)
		for _, v := range w {
			s += v * v
		}
	}
	return s
}
