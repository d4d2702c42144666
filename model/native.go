package model

// The native engine: the network's forward pass and back-propagation
// through time over a batch of sequences, in plain Go on flat slices.
//
// Layout: activations are time-major, [t][b][unit], one flat slice per
// layer; steps past a sequence's end are padding, computed like any other
// (a padded step cannot influence an earlier one) but given no loss and so
// no gradient.

// nativeBatch holds the buffers of one replica, reused across batches.
type nativeBatch struct {
	hidden []int
	tanh   bool

	T, B int
	x    []float64   // [T][B][NumInputs]
	y    []float64   // [T][B][NumOutputs]
	mask []float64   // [T][B]: 1 for a real step, 0 for padding
	h    [][]float64 // per layer [T][B][units]
	g    [][]float64 // per layer: dLoss/dh from above, [T][B][units]
	gOut []float64   // dLoss/dy, [T][B][NumOutputs]
	dA   []float64   // [B][maxUnits] current step
	dAn  []float64   // [B][maxUnits] next step's dA (recurrence)
	dH   []float64   // [B][maxUnits]
	yhat []float64   // [B][NumOutputs] scratch
}

func newNativeBatch(hidden []int, tanh bool) *nativeBatch {
	return &nativeBatch{hidden: append([]int(nil), hidden...), tanh: tanh}
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
	maxH := 0
	if len(nb.h) != len(nb.hidden) {
		nb.h = make([][]float64, len(nb.hidden))
		nb.g = make([][]float64, len(nb.hidden))
	}
	for l, h := range nb.hidden {
		nb.h[l] = grow(nb.h[l], T*B*h)
		nb.g[l] = grow(nb.g[l], T*B*h)
		maxH = max(maxH, h)
	}
	nb.gOut = grow(nb.gOut, T*B*NumOutputs)
	nb.dA = grow(nb.dA, B*maxH)
	nb.dAn = grow(nb.dAn, B*maxH)
	nb.dH = grow(nb.dH, B*maxH)
	nb.yhat = grow(nb.yhat, B*NumOutputs)
}

// lossGrad runs the forward pass and, if grad is not nil, the backward pass
// over the loaded batch with weights w. The loss is
// scale * sum over real steps and outputs of |yhat - y|; its gradient is
// added to grad (same layout as w.Data). It returns the loss.
func (nb *nativeBatch) lossGrad(w *Weights, scale float64, grad []float64) float64 {
	ps := w.Params()
	T, B := nb.T, nb.B
	L := len(nb.hidden)
	// Forward.
	in, nIn := nb.x, NumInputs
	for l, H := range nb.hidden {
		W, U, bias := ps[3*l].Data, ps[3*l+1].Data, ps[3*l+2].Data
		hl := nb.h[l]
		for t := range T {
			for b := range B {
				row := hl[(t*B+b)*H : (t*B+b+1)*H]
				copy(row, bias)
				xr := in[(t*B+b)*nIn : (t*B+b+1)*nIn]
				matVecAdd(row, xr, W)
				if t > 0 {
					matVecAdd(row, hl[((t-1)*B+b)*H:((t-1)*B+b+1)*H], U)
				}
				if nb.tanh {
					tanhInPlace(row)
				}
			}
		}
		in, nIn = hl, H
	}
	Wo, bo := ps[3*L].Data, ps[3*L+1].Data
	loss := 0.0
	for t := range T {
		for b := range B {
			i := t*B + b
			yh := nb.yhat[b*NumOutputs : (b+1)*NumOutputs]
			copy(yh, bo)
			matVecAdd(yh, in[i*nIn:(i+1)*nIn], Wo)
			gy := nb.gOut[i*NumOutputs : (i+1)*NumOutputs]
			if nb.mask[i] == 0 {
				clear(gy)
				continue
			}
			y := nb.y[i*NumOutputs : (i+1)*NumOutputs]
			for j := range NumOutputs {
				d := yh[j] - y[j]
				switch {
				case d > 0:
					loss += d
					gy[j] = scale
				case d < 0:
					loss -= d
					gy[j] = -scale
				default:
					gy[j] = 0
				}
			}
		}
	}
	loss *= scale
	if grad == nil {
		return loss
	}
	gs := w.paramsOf(grad)
	// Output layer.
	gWo, gbo := gs[3*L].Data, gs[3*L+1].Data
	HL := nb.hidden[L-1]
	hTop, gTop := nb.h[L-1], nb.g[L-1]
	for i := range T * B {
		gy := nb.gOut[i*NumOutputs : (i+1)*NumOutputs]
		if nb.mask[i] == 0 {
			clear(gTop[i*HL : (i+1)*HL])
			continue
		}
		addTo(gbo, gy)
		outerAdd(gWo, hTop[i*HL:(i+1)*HL], gy)
		matTVec(gTop[i*HL:(i+1)*HL], Wo, gy)
	}
	// Recurrent layers, top down, each backwards in time.
	for l := L - 1; l >= 0; l-- {
		H := nb.hidden[l]
		W, U := ps[3*l].Data, ps[3*l+1].Data
		gW, gU, gb := gs[3*l].Data, gs[3*l+1].Data, gs[3*l+2].Data
		hl, gl := nb.h[l], nb.g[l]
		var below []float64
		nIn := NumInputs
		input := nb.x
		if l > 0 {
			below, nIn, input = nb.g[l-1], nb.hidden[l-1], nb.h[l-1]
		}
		dA, dAn := nb.dA[:B*H], nb.dAn[:B*H]
		clear(dAn)
		for t := T - 1; t >= 0; t-- {
			for b := range B {
				i := t*B + b
				dh := nb.dH[:H]
				copy(dh, gl[i*H:(i+1)*H])
				if t < T-1 {
					matTVecAdd(dh, U, dAn[b*H:(b+1)*H])
				}
				da := dA[b*H : (b+1)*H]
				hr := hl[i*H : (i+1)*H]
				if nb.tanh {
					for k := range da {
						da[k] = dh[k] * (1 - hr[k]*hr[k])
					}
				} else {
					copy(da, dh)
				}
				addTo(gb, da)
				outerAdd(gW, input[i*nIn:(i+1)*nIn], da)
				if t > 0 {
					outerAdd(gU, hl[((t-1)*B+b)*H:((t-1)*B+b+1)*H], da)
				}
				if below != nil {
					matTVec(below[i*nIn:(i+1)*nIn], W, da)
				}
			}
			dA, dAn = dAn, dA
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

// matTVec sets dst = M v, with M row-major len(dst) x len(v).
func matTVec(dst, m, v []float64) {
	n := len(v)
	for i := range dst {
		row := m[i*n : (i+1)*n]
		row = row[:len(v)]
		s := 0.0
		for j, vj := range v {
			s += row[j] * vj
		}
		dst[i] = s
	}
}

// matTVecAdd adds M v to dst, with M row-major len(dst) x len(v).
func matTVecAdd(dst, m, v []float64) {
	n := len(v)
	for i := range dst {
		row := m[i*n : (i+1)*n]
		row = row[:len(v)]
		s := 0.0
		for j, vj := range v {
			s += row[j] * vj
		}
		dst[i] += s
	}
}

// outerAdd adds the outer product a b^T to M (len(a) x len(b), row-major).
func outerAdd(m, a, b []float64) {
	n := len(b)
	for i, ai := range a {
		if ai == 0 {
			continue
		}
		row := m[i*n : (i+1)*n]
		row = row[:len(b)]
		for j, bj := range b {
			row[j] += ai * bj
		}
	}
}

func addTo(dst, s []float64) {
	s = s[:len(dst)]
	for i := range dst {
		dst[i] += s[i]
	}
}
