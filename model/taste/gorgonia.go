package taste

// The training graph: the network of a Net as a Gorgonia expression graph
// with symbolic gradients, for one batch size. It keeps clear of the two
// silent faults of Gorgonia v0.9.18 (see shared/docs/GORGONIA.md): nothing
// is sliced or concatenated, and the graph owns its weight tensors (the
// trainer copies the weights in before each run, so no tensor is shared
// by two machines). Gradients are read from the nodes G.Grad returns,
// which every run overwrites, so nothing accumulates across runs.
//
// Gorgonia's own LogSumExp adds the maximum inside the logarithm
// (log(sum(exp(z-m)) + m)), which is wrong; the softmax cross-entropy
// here is written out as log(sum(exp(z))) - z_y. It does not subtract the
// maximum logit first, so logits above about 700 would overflow: run
// reports a non-finite loss as an error instead of stepping on it.

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

type graph struct {
	B       int
	outputs int
	vm      G.VM
	weights []*G.Node
	wData   [][]float64 // backings of weights, in Data order
	grads   G.Nodes
	loss    *G.Node
	logits  *G.Node
	logitV  G.Value

	x, y, w []float64 // backings: B x inputs, B x outputs, B
	inputs  int
}

// newGraph builds the training graph of a network of the given sizes and
// activation for batches of B songs, with weight decay l2.
func newGraph(sizes []int, act string, B int, l2 float64) (gg *graph, err error) {
	defer func() {
		// Gorgonia's Must panics on shape errors; report them instead.
		if r := recover(); r != nil {
			err = fmt.Errorf("taste: building the gorgonia graph: %v", r)
		}
	}()
	g := G.NewGraph()
	K := sizes[len(sizes)-1]
	gg = &graph{B: B, outputs: K, inputs: sizes[0]}
	mat := func(name string, rows, cols int, backing []float64) *G.Node {
		return G.NewMatrix(g, tensor.Float64, G.WithShape(rows, cols), G.WithName(name),
			G.WithValue(tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(backing))))
	}
	for l := 0; l+1 < len(sizes); l++ {
		wd := make([]float64, sizes[l]*sizes[l+1])
		bd := make([]float64, sizes[l+1])
		gg.weights = append(gg.weights, mat(fmt.Sprintf("W%d", l), sizes[l], sizes[l+1], wd), mat(fmt.Sprintf("b%d", l), 1, sizes[l+1], bd))
		gg.wData = append(gg.wData, wd, bd)
	}
	gg.x = make([]float64, B*sizes[0])
	gg.y = make([]float64, B*K)
	gg.w = make([]float64, B)
	x := mat("x", B, sizes[0], gg.x)
	y := mat("y", B, K, gg.y)
	w := G.NewVector(g, tensor.Float64, G.WithShape(B), G.WithName("w"),
		G.WithValue(tensor.New(tensor.WithShape(B), tensor.WithBacking(gg.w))))

	a := x
	L := len(sizes) - 1
	for l := range L {
		a = G.Must(G.BroadcastAdd(G.Must(G.Mul(a, gg.weights[2*l])), gg.weights[2*l+1], nil, []byte{0}))
		if l+1 < L {
			switch act {
			case ReLU:
				a = G.Must(G.Rectify(a))
			case Tanh:
				a = G.Must(G.Tanh(a))
			case Sigmoid:
				a = G.Must(G.Sigmoid(a))
			case Linear:
			default:
				return nil, fmt.Errorf("taste: activation %q", act)
			}
		}
	}
	gg.logits = a
	G.Read(a, &gg.logitV)
	var per *G.Node // B: the cross-entropy of each song
	if K == 1 {
		// softplus(z) - y z
		per = G.Must(G.Sum(G.Must(G.Sub(G.Must(G.Softplus(a)), G.Must(G.HadamardProd(y, a)))), 1))
	} else {
		lse := G.Must(G.Log(G.Must(G.Sum(G.Must(G.Exp(a)), 1))))
		zy := G.Must(G.Sum(G.Must(G.HadamardProd(y, a)), 1))
		per = G.Must(G.Sub(lse, zy))
	}
	loss := G.Must(G.Sum(G.Must(G.HadamardProd(per, w))))
	if l2 > 0 {
		var sq G.Nodes
		for l := range L {
			sq = append(sq, G.Must(G.Sum(G.Must(G.Square(gg.weights[2*l])))))
		}
		reg := sq[0]
		if len(sq) > 1 {
			reg = G.Must(G.ReduceAdd(sq))
		}
		loss = G.Must(G.Add(loss, G.Must(G.Mul(reg, G.NewConstant(l2/2)))))
	}
	gg.loss = loss
	if gg.grads, err = G.Grad(loss, gg.weights...); err != nil {
		return nil, fmt.Errorf("taste: gorgonia gradients: %w", err)
	}
	gg.vm = G.NewTapeMachine(g)
	return gg, nil
}

func (gg *graph) close() { gg.vm.Close() }

// run loads the batch (xs[idx[i]], ys[idx[i]]) with per-song weights
// w[idx[i]]*scale (rows past len(idx) are padding of weight 0), copies
// net's weights in, runs the graph, writes the gradient to grad (len
// numParams, in Data order; nil for none) and returns the loss.
func (gg *graph) run(net *Net, xs []Input, ys []int, w []float64, idx []int, scale float64, grad []float64) (float64, error) {
	if len(idx) > gg.B {
		return 0, fmt.Errorf("taste: %d songs for a graph of batch %d", len(idx), gg.B)
	}
	off := 0
	for _, d := range gg.wData {
		copy(d, net.Data[off:off+len(d)])
		off += len(d)
	}
	clear(gg.x)
	clear(gg.y)
	clear(gg.w)
	K := gg.outputs
	for i, k := range idx {
		copy(gg.x[i*gg.inputs:(i+1)*gg.inputs], xs[k][:gg.inputs])
		if K == 1 {
			gg.y[i] = float64(ys[k])
		} else {
			gg.y[i*K+ys[k]] = 1
		}
		gg.w[i] = scale
		if w != nil {
			gg.w[i] *= w[k]
		}
	}
	defer gg.vm.Reset()
	if err := gg.vm.RunAll(); err != nil {
		return 0, fmt.Errorf("taste: gorgonia run: %w", err)
	}
	loss := gg.loss.Value().Data().(float64)
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return loss, fmt.Errorf("taste: training diverged (loss %v); try a lower learning rate", loss)
	}
	if grad != nil {
		off := 0
		for _, gn := range gg.grads {
			d := gn.Value().Data().([]float64)
			copy(grad[off:off+len(d)], d)
			off += len(d)
		}
	}
	return loss, nil
}

// logitsOf returns the logits of batch row i of the last run.
func (gg *graph) logitsOf(i int) []float64 {
	d := gg.logitV.Data().([]float64)
	return d[i*gg.outputs : (i+1)*gg.outputs]
}
