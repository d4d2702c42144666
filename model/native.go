package model

import "math"

// The native engine: the network's forward pass and back-propagation
// through time over a batch of sequences, in plain Go on flat slices.
//
// Layout: activations are time-major, [t][b][unit], one flat slice per
// layer; steps past a sequence's end are padding, computed like any other
// (a padded step cannot influence an earlier one) but given no loss and so
// no gradient.

// nativeBatch holds the buffers of one replica, reused across batches.
//
// The forward pass computes each layer over all T*B rows at once (the input
// term as one tall matrix product, then the recurrence step by step); the
// backward pass propagates through time step by step and then forms the
// weight gradients as tall products over all rows. Padding rows get a zero
// output gradient, and, being at the end of their sequence, pass none back.
type nativeBatch struct {
	hidden []int
	tanh   bool
	bl     baseline // of a residual model; its kind none adds nothing

	T, B int
	x    []float64   // [T][B][NumInputs]
	y    []float64   // [T][B][NumOutputs]
	mask []float64   // [T][B]: 1 for a real step, 0 for padding
	h    [][]float64 // per layer [T][B][units]
	g    [][]float64 // per layer: dLoss/dh from above, then dLoss/da, [T][B][units]
	base []float64   // residual baselines, [T][B][NumOutputs] (only when bl.on())
	out  []float64   // predictions, then dLoss/dy, [T][B][NumOutputs]
	wt   []float64   // a transposed weight matrix

	// reg, when not nil, perturbs each loaded batch (training only; see
	// regulariser). With dropout, drop[l] is the mask between layers l
	// and l+1 and din[l] layer l's masked output, the input of layer l+1,
	// both [T][B][hidden[l]].
	reg  *regulariser
	drop [][]float64
	din  [][]float64
}

func newNativeBatch(hidden []int, tanh bool, bl baseline) *nativeBatch {
	return &nativeBatch{hidden: append([]int(nil), hidden...), tanh: tanh, bl: bl}
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// load fills the input, target and mask buffers from seqs, padded to T
// steps (T at least the longest sequence).
func (nb *nativeBatch) load(seqs []Sequence, T int) {
	B := len(seqs)
	nb.T, nb.B = T, B
	nb.x = grow(nb.x, T*B*NumInputs)
	nb.y = grow(nb.y, T*B*NumOutputs)
	nb.mask = grow(nb.mask, T*B)
	clear(nb.x)
	clear(nb.y)
	clear(nb.mask)
	for b, s := range seqs {
		for t := range s.Len() {
			copy(nb.x[(t*B+b)*NumInputs:], s[t][:])
			copy(nb.y[(t*B+b)*NumOutputs:], s[t+1][1:])
			nb.mask[t*B+b] = 1
		}
	}
	if nb.bl.on() {
		nb.base = grow(nb.base, T*B*NumOutputs)
		clear(nb.base)
		for b, s := range seqs {
			nb.bl.fill(nb.base[b*NumOutputs:], s, B*NumOutputs)
		}
	}
	if len(nb.h) != len(nb.hidden) {
		nb.h = make([][]float64, len(nb.hidden))
		nb.g = make([][]float64, len(nb.hidden))
	}
	maxW, in := 0, NumInputs
	for l, h := range nb.hidden {
		nb.h[l] = grow(nb.h[l], T*B*h)
		nb.g[l] = grow(nb.g[l], T*B*h)
		maxW = max(maxW, in*h, h*h)
		in = h
	}
	maxW = max(maxW, in*NumOutputs)
	nb.out = grow(nb.out, T*B*NumOutputs)
	nb.wt = grow(nb.wt, maxW)
	if nb.reg != nil {
		if nb.reg.dropout() {
			gaps := len(nb.hidden) - 1
			if len(nb.drop) != gaps {
				nb.drop = make([][]float64, gaps)
				nb.din = make([][]float64, gaps)
			}
			for l := range gaps {
				nb.drop[l] = grow(nb.drop[l], T*B*nb.hidden[l])
				nb.din[l] = grow(nb.din[l], T*B*nb.hidden[l])
			}
		}
		nb.reg.apply(seqs, B, nb.hidden, nb.x, nb.drop)
	}
}

// lossGrad runs the forward pass and, if grad is not nil, the backward pass
// over the loaded batch with weights w. The loss is
// scale * sum over real steps and outputs of |yhat - y|; its gradient is
// added to grad (same layout as w.Data). It returns the loss.
func (nb *nativeBatch) lossGrad(w *Weights, scale float64, grad []float64) float64 {
	ps := w.Params()
	T, B := nb.T, nb.B
	R := T * B
	L := len(nb.hidden)
	// Forward.
	in, nIn := nb.x, NumInputs
	for l, H := range nb.hidden {
		W, U, bias := ps[3*l].Data, ps[3*l+1].Data, ps[3*l+2].Data
		hl := nb.h[l]
		setRows(hl, bias, R, H)
		mulAdd(hl, in, W, R, nIn, H)
		step := B * H
		for t := range T {
			row := hl[t*step : (t+1)*step]
			if t > 0 {
				mulAdd(row, hl[(t-1)*step:t*step], U, B, H, H)
			}
			if nb.tanh {
				tanhInPlace(row)
			}
		}
		in, nIn = hl, H
		if l < L-1 && nb.din != nil {
			// Dropout on the way to the next layer.
			d := nb.din[l]
			copy(d, hl)
			mulInPlace(d, nb.drop[l])
			in = d
		}
	}
	Wo, bo := ps[3*L].Data, ps[3*L+1].Data
	out := nb.out
	setRows(out, bo, R, NumOutputs)
	mulAdd(out, in, Wo, R, nIn, NumOutputs)
	if nb.bl.on() {
		// A residual model predicts baseline + output; the gradient with
		// respect to the output is that with respect to the prediction.
		addTo(out, nb.base)
	}
	loss := 0.0
	for i := range R {
		gy := out[i*NumOutputs : (i+1)*NumOutputs]
		if nb.mask[i] == 0 {
			clear(gy)
			continue
		}
		y := nb.y[i*NumOutputs : (i+1)*NumOutputs]
		y = y[:len(gy)]
		// Without a branch on the sign of d, which random data makes
		// unpredictable; the sums are those of adding d or -d.
		for j, v := range gy {
			d := v - y[j]
			loss += math.Abs(d)
			g := math.Copysign(scale, d)
			if d == 0 {
				g = 0
			}
			gy[j] = g
		}
	}
	loss *= scale
	if grad == nil {
		return loss
	}
	gs := w.paramsOf(grad)
	// Output layer: out now holds dLoss/dy.
	mulTAdd(gs[3*L].Data, in, out, R, nIn, NumOutputs)
	colSumAdd(gs[3*L+1].Data, out, R, NumOutputs)
	above := nb.g[L-1]
	clear(above)
	transpose(nb.wt, Wo, nIn, NumOutputs)
	mulAdd(above, out, nb.wt, R, NumOutputs, nIn)
	// Recurrent layers, top down: through time, then the weight gradients
	// over all rows.
	for l := L - 1; l >= 0; l-- {
		H := nb.hidden[l]
		W, U := ps[3*l].Data, ps[3*l+1].Data
		hl, gl := nb.h[l], nb.g[l]
		step := B * H
		ut := nb.wt[:H*H]
		transpose(ut, U, H, H)
		for t := T - 1; t >= 0; t-- {
			gt := gl[t*step : (t+1)*step]
			if t < T-1 {
				mulAdd(gt, gl[(t+1)*step:(t+2)*step], ut, B, H, H)
			}
			if nb.tanh {
				ht := hl[t*step : (t+1)*step]
				ht = ht[:len(gt)]
				for k, h := range ht {
					gt[k] *= 1 - h*h
				}
			}
		}
		input, nIn := nb.x, NumInputs
		if l > 0 {
			input, nIn = nb.h[l-1], nb.hidden[l-1]
			if nb.din != nil {
				input = nb.din[l-1]
			}
		}
		mulTAdd(gs[3*l].Data, input, gl, R, nIn, H)
		if T > 1 {
			mulTAdd(gs[3*l+1].Data, hl[:(T-1)*step], gl[step:], (T-1)*B, H, H)
		}
		colSumAdd(gs[3*l+2].Data, gl, R, H)
		if l > 0 {
			below := nb.g[l-1]
			clear(below)
			transpose(nb.wt, W, nIn, H)
			mulAdd(below, gl, nb.wt[:H*nIn], R, H, nIn)
			if nb.din != nil {
				mulInPlace(below, nb.drop[l-1])
			}
		}
	}
	return loss
}

// paramsOf returns the named views of a slice laid out like w.Data.
func (w *Weights) paramsOf(data []float64) []Param {
	v := Weights{Hidden: w.Hidden, Data: data}
	return v.Params()
}

// matVecAdd adds x M to dst, with M row-major len(x) x len(dst).
func matVecAdd(dst, x, m []float64) {
	n := len(dst)
	for i, xi := range x {
		if xi == 0 {
			continue
		}
		row := m[i*n : (i+1)*n]
		row = row[:len(dst)]
		for j := range dst {
			dst[j] += xi * row[j]
		}
	}
}

func addTo(dst, s []float64) {
	s = s[:len(dst)]
	for i := range dst {
		dst[i] += s[i]
	}
}
