package model

// The Gorgonia engine: the same network as a Gorgonia expression graph
// with symbolic gradients. It is the reference the native engine is held
// to, and works around two faults of Gorgonia v0.9.18 (see GORGONIA.md):
//
//   - slice-hash collisions at offsets of 256 and more: nothing is sliced;
//     each time step has its own input, target and mask nodes, and T is at
//     most 255 anyway (Config.Validate);
//   - in-place transposition of shared matrix operands: every replica owns
//     its weight tensors; the trainer copies the weights in before a run.
//
// Gradients are read from the nodes G.Grad returns, which a run overwrites,
// so nothing accumulates across runs and no solver is involved.

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// gorgoniaGraph is one compiled graph for a fixed (T, B).
type gorgoniaGraph struct {
	T, B    int
	g       *G.ExprGraph
	vm      G.VM
	weights []*G.Node // one per Param, in storage order
	wData   [][]float64
	grads   G.Nodes
	loss    *G.Node
	yhat    []*G.Node // per step, B x NumOutputs
	yhatVal []G.Value // copies of the outputs, read during a run

	x, y, m []float64 // backings: [T][B][NumInputs], [T][B][NumOutputs], [T][B][NumOutputs]
	base    []float64 // residual baselines [T][B][NumOutputs], nil for a plain model
	bl      baseline
	hidden  []int
	reg     *regulariser // training perturbations, nil for none (see regulariser)
	drop    [][]float64  // with dropout: the masks between layers l and l+1, [T][B][hidden[l]]
}

// gorgoniaReplica holds the graphs of one replica by shape.
type gorgoniaReplica struct {
	hidden []int
	tanh   bool
	bl     baseline
	reg    *regulariser // set before the first graph is built; nil for none
	graphs map[[2]int]*gorgoniaGraph
}

func newGorgoniaReplica(hidden []int, tanh bool, bl baseline) *gorgoniaReplica {
	return &gorgoniaReplica{hidden: append([]int(nil), hidden...), tanh: tanh, bl: bl, graphs: make(map[[2]int]*gorgoniaGraph)}
}

func (r *gorgoniaReplica) close() {
	for _, gg := range r.graphs {
		gg.vm.Close()
	}
}

// graph returns the graph for shape (T, B), building it on first use.
func (r *gorgoniaReplica) graph(T, B int) (*gorgoniaGraph, error) {
	if gg, ok := r.graphs[[2]int{T, B}]; ok {
		return gg, nil
	}
	gg, err := buildGorgonia(r.hidden, r.tanh, r.bl, r.reg, T, B)
	if err != nil {
		return nil, err
	}
	r.graphs[[2]int{T, B}] = gg
	return gg, nil
}

func buildGorgonia(hidden []int, tanh bool, bl baseline, reg *regulariser, T, B int) (gg *gorgoniaGraph, err error) {
	defer func() {
		// Gorgonia's Must panics on shape errors; report them instead.
		if r := recover(); r != nil {
			err = fmt.Errorf("model: building the gorgonia graph: %v", r)
		}
	}()
	g := G.NewGraph()
	gg = &gorgoniaGraph{T: T, B: B, g: g, bl: bl, hidden: append([]int(nil), hidden...), reg: reg}
	w := NewWeights(hidden)
	for _, p := range w.Params() {
		data := make([]float64, len(p.Data))
		n := G.NewMatrix(g, tensor.Float64, G.WithShape(p.Rows, p.Cols), G.WithName(p.Name),
			G.WithValue(tensor.New(tensor.WithShape(p.Rows, p.Cols), tensor.WithBacking(data))))
		gg.weights = append(gg.weights, n)
		gg.wData = append(gg.wData, data)
	}
	gg.x = make([]float64, T*B*NumInputs)
	gg.y = make([]float64, T*B*NumOutputs)
	gg.m = make([]float64, T*B*NumOutputs)
	if bl.on() {
		gg.base = make([]float64, T*B*NumOutputs)
	}
	if reg.dropout() {
		for l := range len(hidden) - 1 {
			gg.drop = append(gg.drop, make([]float64, T*B*hidden[l]))
		}
	}
	input := func(name string, t, cols int, backing []float64) *G.Node {
		return G.NewMatrix(g, tensor.Float64, G.WithShape(B, cols), G.WithName(fmt.Sprintf("%s%d", name, t)),
			G.WithValue(tensor.New(tensor.WithShape(B, cols), tensor.WithBacking(backing[t*B*cols:(t+1)*B*cols]))))
	}
	gg.yhatVal = make([]G.Value, T)
	L := len(hidden)
	prev := make([]*G.Node, L)
	var terms G.Nodes
	for t := range T {
		in := input("x", t, NumInputs, gg.x)
		for l := range L {
			W, U, b := gg.weights[3*l], gg.weights[3*l+1], gg.weights[3*l+2]
			a := G.Must(G.Mul(in, W))
			if t > 0 {
				a = G.Must(G.Add(a, G.Must(G.Mul(prev[l], U))))
			}
			a = G.Must(G.BroadcastAdd(a, b, nil, []byte{0}))
			if tanh {
				a = G.Must(G.Tanh(a))
			}
			prev[l] = a
			in = a
			if l < L-1 && gg.drop != nil {
				// Dropout on the way to the next layer: a constant
				// mask, drawn by the regulariser before the run.
				in = G.Must(G.HadamardProd(a, input(fmt.Sprintf("drop%d_", l), t, hidden[l], gg.drop[l])))
			}
		}
		yh := G.Must(G.BroadcastAdd(G.Must(G.Mul(in, gg.weights[3*L])), gg.weights[3*L+1], nil, []byte{0}))
		if gg.base != nil {
			// A residual model: the prediction is the baseline, a
			// constant input, plus the network's output.
			yh = G.Must(G.Add(yh, input("base", t, NumOutputs, gg.base)))
		}
		gg.yhat = append(gg.yhat, yh)
		G.Read(yh, &gg.yhatVal[t])
		y := input("y", t, NumOutputs, gg.y)
		m := input("m", t, NumOutputs, gg.m)
		d := G.Must(G.Abs(G.Must(G.Sub(yh, y))))
		terms = append(terms, G.Must(G.Sum(G.Must(G.HadamardProd(d, m)))))
	}
	loss := terms[0]
	if len(terms) > 1 {
		loss = G.Must(G.ReduceAdd(terms))
	}
	gg.loss = loss
	if gg.grads, err = G.Grad(loss, gg.weights...); err != nil {
		return nil, fmt.Errorf("model: gorgonia gradients: %w", err)
	}
	gg.vm = G.NewTapeMachine(g)
	return gg, nil
}

// run loads seqs (padded to gg.T steps) with loss scale, copies w in, runs
// the graph, adds the gradient to grad (if not nil) and returns the loss.
func (gg *gorgoniaGraph) run(w *Weights, seqs []Sequence, scale float64, grad []float64) (float64, error) {
	if len(seqs) != gg.B {
		return 0, fmt.Errorf("model: %d sequences for a graph of batch %d", len(seqs), gg.B)
	}
	for i, p := range w.Params() {
		copy(gg.wData[i], p.Data)
	}
	clear(gg.x)
	clear(gg.y)
	clear(gg.m)
	clear(gg.base)
	B := gg.B
	for b, s := range seqs {
		if s.Len() > gg.T {
			return 0, fmt.Errorf("model: sequence of %d transitions for a graph of %d steps", s.Len(), gg.T)
		}
		for t := range s.Len() {
			copy(gg.x[(t*B+b)*NumInputs:], s[t][:])
			copy(gg.y[(t*B+b)*NumOutputs:], s[t+1][1:])
			m := gg.m[(t*B+b)*NumOutputs : (t*B+b+1)*NumOutputs]
			for j := range m {
				m[j] = scale
			}
		}
		if gg.base != nil {
			gg.bl.fill(gg.base[b*NumOutputs:], s, B*NumOutputs)
		}
	}
	if gg.reg != nil {
		gg.reg.apply(seqs, B, gg.hidden, gg.x, gg.drop)
	}
	defer gg.vm.Reset()
	if err := gg.vm.RunAll(); err != nil {
		return 0, fmt.Errorf("model: gorgonia run: %w", err)
	}
	loss := gg.loss.Value().Data().(float64)
	if grad != nil {
		off := 0
		for _, gn := range gg.grads {
			d := gn.Value().Data().([]float64)
			addTo(grad[off:off+len(d)], d)
			off += len(d)
		}
	}
	return loss, nil
}

// outputs returns the predictions of the last run (for a residual model
// baseline plus network output) at step t, batch row b.
func (gg *gorgoniaGraph) outputs(t, b int) []float64 {
	d := gg.yhatVal[t].Data().([]float64)
	return d[b*NumOutputs : (b+1)*NumOutputs]
}
