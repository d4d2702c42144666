package eval

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model/scale"
	"github.com/discoflow/disco/selector"
)

// identity scales nothing: Yeo-Johnson with lambda 1 is the identity.
var identity = &scale.Scaler{
	Lambdas: features.Vector{1, 1, 1, 1, 1, 1, 1, 1},
	Stds:    features.Vector{1, 1, 1, 1, 1, 1, 1, 1},
}

// mix predicts half the last song plus half the mean so far: a stand-in
// for the network with state, so that feeding order matters.
type mix struct {
	n    int
	sum  features.Vector
	last features.Vector
}

func (m *mix) Reset() { *m = mix{} }
func (m *mix) Step(in *[9]float64) features.Vector {
	m.n++
	copy(m.last[:], in[1:])
	var y features.Vector
	for j := range y {
		m.sum[j] += in[1+j]
		y[j] = 0.5*m.last[j] + 0.5*m.sum[j]/float64(m.n) + 0.01*in[0]
	}
	return y
}

func newMix() selector.Predictor { return &mix{} }

func track(id, artist, name string, key, mode int, tempo float64, f features.Vector) *features.Track {
	return &features.Track{ID: id, Name: name, Artists: []string{artist}, Key: key, Mode: mode, Tempo: tempo, Features: f, HasFeatures: true}
}

// synth returns a random catalog of n tracks (a few of them the same
// recording under two ids, a few with unknown key or tempo, 40 artists)
// and playlists cut from it.
func synth(seed uint64, n, nPlaylists, length int) ([]*features.Track, []*features.Playlist) {
	rng := rand.New(rand.NewPCG(seed, 7))
	ts := make([]*features.Track, n)
	for i := range ts {
		var f features.Vector
		for j := range f {
			f[j] = rng.Float64()
		}
		key, mode := rng.IntN(12), rng.IntN(2)
		if rng.IntN(25) == 0 {
			key, mode = -1, -1
		}
		tempo := 70 + 110*rng.Float64()
		if rng.IntN(30) == 0 {
			tempo = 0
		}
		name := fmt.Sprintf("song %d", i)
		artist := fmt.Sprintf("artist %d", rng.IntN(40))
		if i > 0 && rng.IntN(15) == 0 {
			// The same recording as the previous track, another id.
			name, artist = ts[i-1].Name, ts[i-1].Artists[0]
		}
		ts[i] = track(fmt.Sprintf("t%05d", i), artist, name, key, mode, tempo, f)
	}
	pls := make([]*features.Playlist, nPlaylists)
	for p := range pls {
		pl := &features.Playlist{ID: fmt.Sprintf("p%d", p), Name: fmt.Sprintf("playlist %d", p)}
		for range length {
			pl.Tracks = append(pl.Tracks, ts[rng.IntN(n)])
		}
		pls[p] = pl
	}
	return ts, pls
}

func prepare(t testing.TB, pls []*features.Playlist, cat []*features.Track, opt Options) *Data {
	t.Helper()
	if opt.Scaler == nil {
		opt.Scaler = identity
	}
	if opt.NewPredictor == nil {
		opt.NewPredictor = newMix
	}
	d, err := Prepare(context.Background(), pls, cat, opt)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}
