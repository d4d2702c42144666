package model

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/discoflow/disco/features"
)

// domainModel trains a small model on 40 synthetic playlists of two
// genres, with validation.
func domainModel(t testing.TB) (*Model, []*features.Playlist) {
	t.Helper()
	rng := rand.New(rand.NewPCG(61, 62))
	pls := withGenres(synthPlaylists(rng, 40, 20, 30), map[string]int{"pop": 25, "rock": 15})
	train, val := Split(pls, 0.2, 3)
	m, err := Train(context.Background(), Config{Epochs: 2, Workers: 1, Seed: 3, Residual: ResidualMean}, train, val, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	return m, train
}

// TestDomain: Train records the training genres with their playlist
// counts, the validation figures, and prototypes whose radius leaves out
// about 1% of the training songs; a song far from the data is outside,
// the training songs (but that 1%) inside.
func TestDomain(t *testing.T) {
	m, train := domainModel(t)
	d := m.Domain
	if d == nil {
		t.Fatal("no domain")
	}
	want := map[string]int{}
	for _, p := range train {
		want[p.Genre]++
	}
	if len(d.Genres) != 2 || d.Genres[0].Genre != "pop" || d.Genres[1].Genre != "rock" ||
		d.Genres[0].Playlists != want["pop"] || d.Genres[1].Playlists != want["rock"] {
		t.Errorf("genres %v, want pop %d, rock %d", d.Genres, want["pop"], want["rock"])
	}
	if d.ValMAE != m.Info.Eval.RNN.MAE || d.ValBaselineMAE != m.Info.Eval.RunningMean.MAE {
		t.Errorf("validation MAE %v vs running mean %v, want %v vs %v", d.ValMAE, d.ValBaselineMAE, m.Info.Eval.RNN.MAE, m.Info.Eval.RunningMean.MAE)
	}
	if g := d.ValGain(); math.Abs(g-(1-d.ValMAE/d.ValBaselineMAE)) > 1e-15 || g < 0 {
		t.Errorf("gain %v: a residual model is never worse than its baseline on validation", g)
	}
	songs := trainingTracks(train)
	if k := len(d.Prototypes); k != len(songs)/domainSongs {
		t.Errorf("%d prototypes for %d songs, want %d", k, len(songs), len(songs)/domainSongs)
	}
	if !(d.Radius > 0) || d.Quantile != DomainQuantile {
		t.Fatalf("radius %v, quantile %v", d.Radius, d.Quantile)
	}
	beyond := 0
	for _, x := range songs {
		dist, r, far, ok := m.Outside(&features.Track{Features: x, HasFeatures: true})
		if !ok || r != d.Radius {
			t.Fatalf("Outside of a training song: ok %v, radius %v", ok, r)
		}
		if far {
			beyond++
			if dist <= d.Radius {
				t.Fatalf("far at distance %v within radius %v", dist, d.Radius)
			}
		}
	}
	if n := int(math.Ceil(0.01 * float64(len(songs)))); beyond > n || beyond == 0 {
		t.Errorf("%d of %d training songs beyond the radius, want 1 to %d", beyond, len(songs), n)
	}
	// Loud, slow-to-fade music of the synthetic data is in [0, 1] and
	// [-30, 0] dB; this is all extremes at once.
	odd := &features.Track{Features: features.Vector{0, 0, 0, 0, 0, -60, 0, 0}, HasFeatures: true}
	if dist, _, far, ok := m.Outside(odd); !ok || !far || dist < 2*d.Radius {
		t.Errorf("made-up far song: distance %v (radius %v), far %v", dist, d.Radius, far)
	}
	if _, _, far, ok := m.Outside(&features.Track{Features: features.NoFeatures}); ok || far {
		t.Error("a song without features is judged")
	}
	noDomain := *m
	noDomain.Domain = nil
	if _, _, far, ok := noDomain.Outside(odd); ok || far {
		t.Error("a model without a domain judges songs")
	}
}

// TestDomainDeterministic: the same data and seed give the same domain.
func TestDomainDeterministic(t *testing.T) {
	a, _ := domainModel(t)
	b, _ := domainModel(t)
	if a.Domain.Radius != b.Domain.Radius || len(a.Domain.Prototypes) != len(b.Domain.Prototypes) {
		t.Fatalf("radius %v, %v", a.Domain.Radius, b.Domain.Radius)
	}
	for i := range a.Domain.Prototypes {
		for j := range a.Domain.Prototypes[i] {
			if a.Domain.Prototypes[i][j] != b.Domain.Prototypes[i][j] {
				t.Fatalf("prototype %d differs", i)
			}
		}
	}
}

// TestDomainFile: a model with a domain is written as version 3 and reads
// back with it; a version 2 file with a domain, and a broken domain, are
// invalid; a model without one (the old v1 file) still writes as before.
func TestDomainFile(t *testing.T) {
	m, _ := domainModel(t)
	b := encode(t, m)
	if v := binary.LittleEndian.Uint32(b[8:12]); v != 3 || m.FileVersion() != 3 {
		t.Fatalf("written as version %d, want 3", v)
	}
	got, err := Read(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got.Domain == nil || got.Domain.Radius != m.Domain.Radius || len(got.Domain.Genres) != 2 || got.Domain.ValGain() != m.Domain.ValGain() {
		t.Fatalf("domain read back as %+v", got.Domain)
	}
	if !bytes.Equal(b, encode(t, got)) {
		t.Error("re-encoding a loaded model changes its bytes")
	}
	for _, tc := range []struct {
		name      string
		version   uint32
		old, new  string
		wantError string
	}{
		{"v2-with-domain", 2, "", "", "version 2 file with a domain"},
		{"negative-radius", 3, `"quantile": 0.99`, `"quantile": 0.99, "radius": -1`, "domain radius -1"},
		{"quantile-1", 3, `"quantile": 0.99`, `"quantile": 1`, "domain quantile 1"},
		{"short-prototype", 3, `"prototypes": [`, `"prototypes": [[1, 2],`, "has 2 values"},
		{"empty-genre", 3, `"genre": "pop"`, `"genre": ""`, `domain genre ""`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			readEdited(t, b, tc.version, tc.old, tc.new, tc.wantError)
		})
	}
}

func TestKmeans(t *testing.T) {
	// Two tight clusters far apart: two centres, one at each.
	var xs []features.Vector
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 200 {
		c := float64(10 * (i % 2))
		var x features.Vector
		for j := range x {
			x[j] = c + 0.01*rng.NormFloat64()
		}
		xs = append(xs, x)
	}
	for i := range xs { // noise, for the workers' check below
		xs = append(xs, features.Vector{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64(), float64(i % 3)})
	}
	one, three := kmeans(xs, 8, 1, 1), kmeans(xs, 8, 1, 3)
	for c := range one {
		if !slices.Equal(one[c], three[c]) {
			t.Fatalf("centre %d with 1 worker %v, with 3 %v", c, one[c], three[c])
		}
	}
	xs = xs[:200]
	cs := kmeans(xs, 2, 1, 3)
	if len(cs) != 2 || math.Abs(cs[0][0]+cs[1][0]-10) > 0.01 || math.Abs(math.Abs(cs[0][0]-cs[1][0])-10) > 0.01 {
		t.Errorf("centres %v", cs)
	}
}
