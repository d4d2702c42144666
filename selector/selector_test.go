package selector

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model/scale"
	"github.com/discoflow/disco/theory"
)

// echo is a predictor that predicts the song it was last fed, and counts
// its steps: enough to test the selector without a trained network.
type echo struct{ steps int }

func (e *echo) Reset() { e.steps = 0 }
func (e *echo) Step(in *[9]float64) features.Vector {
	e.steps++
	var y features.Vector
	copy(y[:], in[1:])
	return y
}

var identity = &scale.Scaler{
	Lambdas: features.Vector{1, 1, 1, 1, 1, 1, 1, 1},
	Stds:    features.Vector{1, 1, 1, 1, 1, 1, 1, 1},
}

func track(id, artist, name string, key, mode int, tempo float64, f features.Vector) *features.Track {
	return &features.Track{ID: id, Name: name, Artists: []string{artist}, Key: key, Mode: mode, Tempo: tempo, Features: f, HasFeatures: true}
}

func randomTracks(rng *rand.Rand, n int) []*features.Track {
	ts := make([]*features.Track, n)
	for i := range ts {
		var f features.Vector
		for j := range f {
			f[j] = rng.Float64()
		}
		key, mode := rng.IntN(13)-1, rng.IntN(2)
		tempo := 60 + 120*rng.Float64()
		if rng.IntN(20) == 0 {
			tempo = 0
		}
		ts[i] = track(fmt.Sprintf("t%06d", i), fmt.Sprintf("artist %d", i), fmt.Sprintf("song %d", i), key, mode, tempo, f)
	}
	return ts
}

// naiveScore is DISCO's objective written out directly from DISCO.md,
// with the belonging term for the candidate at 0-based position pos of
// its pool: 1/(1 + pos/10); none for pos < 0 (a song given, not proposed).
func naiveScore(y features.Vector, prev, c *features.Track, pos int, k Knobs) float64 {
	var d float64
	for i := range y {
		e := k.Spicyness*y[i] - c.Features[i]
		d += e * e
	}
	ks := theory.KeySim(theory.NewKey(prev.Key, prev.Mode), theory.NewKey(c.Key, c.Mode))
	ts := theory.TempoSim(prev.Tempo, c.Tempo)
	s := k.Flow*math.Sqrt(d) - k.Sweetness*ks - k.Smoothness*ts
	if pos >= 0 {
		s -= k.Belong / (1 + float64(pos)/10)
	}
	return s
}

func TestBuildMatchesNaiveObjective(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cands := randomTracks(rng, 500)
	seeds := cands[:3]
	for _, k := range []Knobs{DefaultKnobs(), OriginalKnobs, {Flow: 1}, {Sweetness: 1}, {Smoothness: 1}, {Flow: 0.5, Spicyness: 1.5, Sweetness: 2, Smoothness: 0.3},
		{Flow: 1, Spicyness: 1, Sweetness: 0.75, Smoothness: 1, Belong: 1}, {Belong: 1, Smoothness: 0.1}} {
		t.Run(fmt.Sprintf("%+v", k), func(t *testing.T) {
			s, dropped := New(cands, identity)
			if dropped != 0 {
				t.Fatalf("dropped %d", dropped)
			}
			pred := &echo{}
			got, err := s.Build(seeds, pred, k, 13)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 13 || pred.steps != 12 {
				t.Fatalf("len %d, predictor steps %d; want 13 and 12 (one per song but the last)", len(got), pred.steps)
			}
			used := map[string]bool{}
			for _, p := range got[:3] {
				used[p.Track.ID] = true
			}
			for i := 3; i < len(got); i++ {
				prev := got[i-1].Track
				y := prev.Features // the echo predictor's prediction
				best, bestScore := (*features.Track)(nil), math.Inf(1)
				for pos, c := range cands {
					if used[c.ID] {
						continue
					}
					if sc := naiveScore(y, prev, c, pos, k); sc < bestScore-1e-12 {
						best, bestScore = c, sc
					}
				}
				if got[i].Track != best {
					t.Fatalf("pick %d = %s (score %v), naive argmin %s (score %v)", i, got[i].Track.ID, got[i].Terms.Score, best.ID, bestScore)
				}
				if math.Abs(got[i].Terms.Score-bestScore) > 1e-9 {
					t.Errorf("pick %d score %v, naive %v", i, got[i].Terms.Score, bestScore)
				}
				used[best.ID] = true
			}
		})
	}
}

func TestBuildRules(t *testing.T) {
	f := features.Vector{0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}
	near := f
	near[0] = 0.51
	seed := track("s1", "Daft Punk", "One More Time", 0, 1, 120, f)
	tests := []struct {
		name  string
		cands []*features.Track
		want  []string // ids of picks after the seed
		err   error
		len   int // playlist length; len(want)+1 when 0
	}{
		{
			name:  "seed is never a candidate",
			cands: []*features.Track{seed, track("a", "X", "A", 0, 1, 120, near)},
			want:  []string{"a"},
		},
		{
			name: "same recording under another id is the seed",
			cands: []*features.Track{
				track("s2", "DAFT PUNK", "One More Time!", 0, 1, 120, f),
				track("a", "X", "A", 0, 1, 120, near),
			},
			want: []string{"a"},
		},
		{
			name: "same recording is used once",
			cands: []*features.Track{
				track("a1", "Beyoncé", "Halo", 0, 1, 120, near),
				track("a2", "Beyonce", "Halo", 0, 1, 120, near),
				track("b", "X", "B", 0, 1, 120, features.Vector{0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9}),
			},
			want: []string{"a1", "b"},
		},
		{
			name: "ties go to the earlier candidate",
			cands: []*features.Track{
				track("b", "X", "B", 0, 1, 120, near),
				track("a", "Y", "A", 0, 1, 120, near),
			},
			want: []string{"b", "a"},
		},
		{
			name: "unknown tempo and key are neutral, not winners",
			cands: []*features.Track{
				track("unknown", "X", "U", -1, -1, 0, near),
				track("known", "Y", "K", 0, 1, 120, near),
			},
			want: []string{"known", "unknown"},
		},
		{
			name: "NaN tempo is neutral, so a matching tempo beats it",
			cands: []*features.Track{
				track("nan", "X", "N", 0, 1, math.NaN(), near),
				track("ok", "Y", "O", 7, 1, 120, near),
			},
			want: []string{"ok", "nan"},
		},
		{
			name:  "runs out of candidates",
			cands: []*features.Track{track("a", "X", "A", 0, 1, 120, near)},
			want:  []string{"a"},
			err:   ErrNoCandidates,
			len:   3,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := New(tc.cands, identity)
			n := tc.len
			if n == 0 {
				n = len(tc.want) + 1
			}
			got, err := s.Build([]*features.Track{seed}, &echo{}, OriginalKnobs, n)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			var ids []string
			for _, p := range got[1:] {
				ids = append(ids, p.Track.ID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tc.want) {
				t.Errorf("picks %v, want %v", ids, tc.want)
			}
		})
	}
}

func TestBuildExplains(t *testing.T) {
	f := features.Vector{0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}
	seed := track("s", "A", "Seed", 9, 0, 120, f) // A minor, 8A
	next := track("n", "B", "Next", 4, 0, 60, f)  // E minor, 9A, half time
	s, _ := New([]*features.Track{next}, identity)
	got, err := s.Build([]*features.Track{seed}, &echo{}, OriginalKnobs, 2)
	if err != nil {
		t.Fatal(err)
	}
	p := got[1]
	if p.Camelot != theory.Transition(theory.NewKey(9, 0), theory.NewKey(4, 0)) || p.Move != theory.Up {
		t.Errorf("move %v %q, want Up 8A -> 9A", p.Move, p.Camelot)
	}
	if math.Abs(p.BPMRatio-1) > 1e-12 {
		t.Errorf("BPM ratio %v, want 1 (half time)", p.BPMRatio)
	}
	if p.Terms.KeySim != 1 || math.Abs(p.Terms.TempoSim-1) > 1e-12 || math.Abs(p.Terms.Distance-1.2*math.Sqrt(8*0.25)+math.Sqrt(8*0.25)) > 1e-12 {
		t.Errorf("terms %+v", p.Terms)
	}
	if p.Predicted == nil || got[0].Predicted != nil || !got[0].Seed || got[1].Seed {
		t.Errorf("seed flags or predictions wrong: %+v", got)
	}
}

func TestCatalogPool(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	ts := randomTracks(rng, 200)
	for i, tr := range ts {
		tr.Genre = []string{"rock", "pop"}[i%2]
	}
	seeds := ts[:2]
	p := &CatalogPool{Tracks: ts, Scaler: identity, N: 20}
	got, err := p.Candidates(context.Background(), seeds)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 22 {
		t.Fatalf("%d candidates, want 20 + 2 seeds", len(got))
	}
	// Every track left out is no nearer to the seeds than every one kept.
	in := map[*features.Track]bool{}
	worst := 0.0
	d := func(tr *features.Track) float64 {
		m := math.Inf(1)
		for _, s := range seeds {
			m = min(m, tr.Features.Dist2(&s.Features))
		}
		return m
	}
	for _, c := range got {
		in[c] = true
		worst = max(worst, d(c))
	}
	for _, tr := range ts {
		if !in[tr] && d(tr) < worst {
			t.Fatalf("%s left out at distance %v < %v", tr.ID, d(tr), worst)
		}
	}
	p = &CatalogPool{Tracks: ts, Scaler: identity, Genres: []string{"pop"}}
	got, _ = p.Candidates(context.Background(), seeds)
	if len(got) != 100 {
		t.Errorf("genre pop: %d candidates, want 100", len(got))
	}
	for _, c := range got {
		if c.Genre != "pop" {
			t.Fatalf("genre filter let %s (%s) through", c.ID, c.Genre)
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("candidates=%d", n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(5, 6))
			ts := randomTracks(rng, n)
			s, _ := New(ts, identity)
			pred := &echo{}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := s.Build(ts[:3], pred, DefaultKnobs(), 50); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
