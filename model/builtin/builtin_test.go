package builtin

import (
	"math"
	"testing"

	"github.com/discoflow/disco/model"
)

func TestLoad(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if m.Info.Fingerprint == "" || m.Info.BestEpoch == 0 || m.Info.Eval == nil {
		t.Errorf("embedded model lacks its training record: %+v", m.Info)
	}
	// The embedded model is residual on the running mean, and on its
	// validation playlists it beats that baseline.
	if m.Config.Residual != model.ResidualMean || !m.Info.Eval.BeatsRunningMean() {
		t.Errorf("embedded model: residual %q, validation MAE %.4f against the running mean's %.4f",
			m.Config.Residual, m.Info.Eval.RNN.MAE, m.Info.Eval.RunningMean.MAE)
	}
	// It records its training domain: the six genres of the embedded
	// catalog's 381 training playlists, and its validation gain.
	if d := m.Domain; d == nil || len(d.Genres) != 6 || len(d.Prototypes) != model.DomainPrototypes || !(d.ValGain() > 0.02) {
		t.Errorf("embedded model's domain: %+v", d)
	} else {
		n := 0
		for _, g := range d.Genres {
			n += g.Playlists
		}
		if n != m.Info.TrainPlaylists {
			t.Errorf("domain genres count %d playlists, trained on %d", n, m.Info.TrainPlaylists)
		}
	}
	p := m.NewPredictor()
	var in [model.NumInputs]float64
	for range 5 {
		y := p.Step(&in)
		for _, v := range y {
			if math.IsNaN(v) || math.Abs(v) > 10 {
				t.Fatalf("prediction %v", y)
			}
		}
	}
	// Copies are independent.
	m.Weights.Data[0] += 1
	m2, _ := Load()
	if m2.Weights.Data[0] == m.Weights.Data[0] {
		t.Error("Load returns shared weights")
	}
}

func TestVectors(t *testing.T) {
	v, err := Vectors()
	if err != nil {
		t.Fatal(err)
	}
	// One vector per track of the 423 embedded playlists: 25,816 tracks.
	if v.Dim != 16 || v.Len() < 25_000 {
		t.Fatalf("%d vectors of dimension %d", v.Len(), v.Dim)
	}
	if _, ok := v.Vector("0DiWol3AO6WpXZgp0goxAV"); !ok { // Daft Punk - One More Time
		t.Error("a catalog track has no vector")
	}
}
