package model

import (
	"math"

	"github.com/discoflow/disco/features"
)

// Predictor runs a trained network one song at a time, in plain Go: feed
// the playlist's songs in order, and after each one it returns the
// predicted scaled features of the next. It keeps the recurrent state
// between calls; Reset starts a new playlist. Steps allocate nothing.
//
// For a residual model (Config.Residual) the prediction is the baseline
// of the songs fed so far plus the network's output.
//
// A Predictor is not safe for concurrent use; make one per goroutine (they
// share the model's weights, which they only read).
type Predictor struct {
	m      *Model
	ps     []Param
	tanh   bool
	bl     baseline
	h      [][]float64 // state per layer
	next   [][]float64 // scratch per layer
	steps  int
	inputs [NumInputs]float64
}

// NewPredictor returns a predictor over m's weights, at the start of a
// playlist.
func (m *Model) NewPredictor() *Predictor {
	p := &Predictor{m: m, ps: m.Weights.Params(), tanh: m.Config.Activation == Tanh, bl: newBaseline(m.Config)}
	for _, h := range m.Weights.Hidden {
		p.h = append(p.h, make([]float64, h))
		p.next = append(p.next, make([]float64, h))
	}
	return p
}

// Reset clears the recurrent state: the next step is a playlist's first.
func (p *Predictor) Reset() {
	for _, h := range p.h {
		clear(h)
	}
	p.bl.reset()
	p.steps = 0
}

// StateLen returns the length of the slice SaveState fills: the
// recurrent state of every layer, a residual model's baseline state and
// the step count.
func (p *Predictor) StateLen() int {
	n := 1
	for _, h := range p.h {
		n += len(h)
	}
	if p.bl.on() {
		n += NumOutputs
	}
	return n
}

// SaveState copies the predictor's state into dst, of length StateLen,
// so that LoadState can return to it (a beam search keeps one per beam).
// It allocates nothing.
func (p *Predictor) SaveState(dst []float64) {
	o := 0
	for _, h := range p.h {
		o += copy(dst[o:], h)
	}
	if p.bl.on() {
		o += copy(dst[o:], p.bl.acc[:])
	}
	dst[o] = float64(p.steps)
}

// LoadState restores a state saved by SaveState (of this predictor or of
// another over the same model).
func (p *Predictor) LoadState(src []float64) {
	o := 0
	for _, h := range p.h {
		o += copy(h, src[o:])
	}
	if p.bl.on() {
		o += copy(p.bl.acc[:], src[o:])
	}
	p.steps = int(src[o])
	p.bl.n = p.steps
}

// Steps returns the number of steps fed since the last Reset.
func (p *Predictor) Steps() int { return p.steps }

// Step feeds one song's network input (see Input) and returns the
// predicted scaled features of the song after it.
func (p *Predictor) Step(in *[NumInputs]float64) features.Vector {
	x := in[:]
	for l := range p.h {
		W, U, b := p.ps[3*l].Data, p.ps[3*l+1].Data, p.ps[3*l+2].Data
		nx := p.next[l]
		copy(nx, b)
		matVecAdd(nx, x, W)
		if p.steps > 0 {
			matVecAdd(nx, p.h[l], U)
		}
		if p.tanh {
			tanhInPlace(nx)
		}
		p.h[l], p.next[l] = nx, p.h[l]
		x = nx
	}
	L := len(p.h)
	var y features.Vector
	copy(y[:], p.ps[3*L+1].Data)
	matVecAdd(y[:], x, p.ps[3*L].Data)
	if p.bl.on() {
		p.bl.add(in[1:])
		p.bl.addValue(y[:])
	}
	p.steps++
	return y
}

// Feed feeds track t, scaled with the model's scaler, and returns the
// predicted scaled features of the song after it. A track without
// features gives a NaN input and so NaN predictions from then on; callers
// skip such tracks or Reset.
func (p *Predictor) Feed(t *features.Track) features.Vector {
	p.inputs = Input(t, &p.m.Scaler)
	return p.Step(&p.inputs)
}

// Predict returns the prediction after feeding the given tracks from a
// fresh state (it calls Reset first). With no tracks it returns the
// prediction of an empty history: NaN in every position.
func (p *Predictor) Predict(tracks []*features.Track) features.Vector {
	p.Reset()
	y := features.NoFeatures
	for _, t := range tracks {
		y = p.Feed(t)
	}
	return y
}

func tanhInPlace(v []float64) {
	for i, x := range v {
		v[i] = math.Tanh(x)
	}
}
