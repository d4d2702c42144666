package selector

import (
	"context"

	"errors"
	"github.com/discoflow/disco/selector/sequence"
	"math"
	"math/rand/v2"
	"testing"
)

// TestBuildPropertyValidKnobs: over random valid knobs (seeded), lengths
// and candidate sets (with repeated recordings), every build has the
// length asked for (or ErrNoCandidates with every distinct recording
// used), no NaN in any pick's terms or features, and no recording twice
// (issue 16, item 10).
func TestBuildPropertyValidKnobs(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 10))
	for run := range 200 {
		cands := randomTracks(rng, 5+rng.IntN(60))
		// Some candidates are other versions (ids) of earlier songs.
		for i := range rng.IntN(len(cands) / 2) {
			c := *cands[rng.IntN(len(cands))]
			c.ID = c.ID + "-v" + string(rune('a'+i%26))
			cands = append(cands, &c)
		}
		k := Knobs{Flow: MaxWeight * rng.Float64(), Spicyness: MaxSpicyness * rng.Float64(),
			Sweetness: MaxWeight * rng.Float64(), Smoothness: MaxWeight * rng.Float64(), Belong: MaxWeight * rng.Float64()}
		if rng.IntN(4) == 0 {
			k.Sweetness, k.Smoothness = 0, 0
		}
		if err := k.Validate(); err != nil {
			t.Fatalf("run %d: generated knobs %+v invalid: %v", run, k, err)
		}
		seeds := cands[:1+rng.IntN(3)]
		length := len(seeds) + rng.IntN(len(cands)+5)
		s, _ := New(cands, identity)
		picks, err := s.Build(seeds, &echo{}, k, length)
		if err != nil && !errors.Is(err, ErrNoCandidates) {
			t.Fatalf("run %d: %v", run, err)
		}
		recs := map[string]bool{}
		for _, c := range cands {
			recs[RecordingKey(c)] = true
		}
		if err == nil && len(picks) != length {
			t.Fatalf("run %d: %d songs, want %d", run, len(picks), length)
		}
		if err != nil && len(picks) != len(recs) {
			t.Fatalf("run %d: candidates ran out after %d songs, but there are %d recordings", run, len(picks), len(recs))
		}
		seen := map[string]bool{}
		for i, p := range picks {
			key := RecordingKey(p.Track)
			if seen[key] {
				t.Fatalf("run %d: recording %q twice (position %d)", run, key, i+1)
			}
			seen[key] = true
			tm := p.Terms
			for _, v := range append([]float64{tm.Distance, tm.KeySim, tm.TempoSim, tm.Score}, p.Scaled[:]...) {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("run %d: pick %d has a non-finite value: %+v", run, i+1, p)
				}
			}
		}
	}
}

// TestSortPropertyValidKnobs: over random valid knobs, rules, song sets
// (with repeated artists) and fixed positions (seeded), every sort returns
// a permutation of the songs that keeps each fixed song in its place, a
// finite cost no worse than the nearest-neighbour order's or the given
// order's, and picks without a non-finite value (issue 16, item 10).
func TestSortPropertyValidKnobs(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 12))
	for run := range 150 {
		songs := randomTracks(rng, 2+rng.IntN(30))
		k := Knobs{Flow: MaxWeight * rng.Float64(), Spicyness: MaxSpicyness * rng.Float64(),
			Sweetness: MaxWeight * rng.Float64(), Smoothness: MaxWeight * rng.Float64()}
		if rng.IntN(3) == 0 {
			k.Flow = 0
		}
		rules := Rules{KeyPenalty: 6 * rng.Float64(), TempoPenalty: 6 * rng.Float64(), ArtistGap: rng.IntN(4), ArtistPenalty: 6 * rng.Float64()}
		var fixed []int
		if rng.IntN(2) == 0 {
			fixed = make([]int, len(songs))
			for p := range fixed {
				fixed[p] = -1
			}
			for _, i := range rng.Perm(len(songs))[:rng.IntN(len(songs)/2+1)] {
				fixed[rng.IntN(len(songs))] = -1 // positions may be chosen twice: only the last holds
				fixed[i] = i
			}
		}
		o := SortOptions{Knobs: k, Rules: rules, Fixed: fixed, Effort: sequence.Effort(rng.IntN(3)), Seed: rng.Uint64()}
		res, err := Sort(context.Background(), songs, identity, &echo{}, o)
		if err != nil {
			t.Fatalf("run %d: %v (knobs %+v, rules %+v)", run, err, k, rules)
		}
		if len(res.Order) != len(songs) || len(res.Picks) != len(songs) {
			t.Fatalf("run %d: %d in the order, %d picks, want %d", run, len(res.Order), len(res.Picks), len(songs))
		}
		seen := make([]bool, len(songs))
		for p, i := range res.Order {
			if i < 0 || i >= len(songs) || seen[i] {
				t.Fatalf("run %d: order %v is not a permutation", run, res.Order)
			}
			seen[i] = true
			if fixed != nil && fixed[p] >= 0 && fixed[p] != i {
				t.Fatalf("run %d: position %d holds song %d, fixed to %d", run, p, i, fixed[p])
			}
			if res.Picks[p].Track != songs[i] {
				t.Fatalf("run %d: pick %d is not song %d", run, p, i)
			}
			tm := res.Picks[p].Terms
			for _, v := range []float64{tm.Distance, tm.KeySim, tm.TempoSim, tm.Score} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("run %d: pick %d has a non-finite term: %+v", run, p, tm)
				}
			}
		}
		if math.IsNaN(res.Cost) || math.IsInf(res.Cost, 0) {
			t.Fatalf("run %d: cost %v", run, res.Cost)
		}
		if tol := 1e-9 * (1 + math.Abs(res.Cost)); res.Cost > res.Greedy+tol || res.Cost > res.Given+tol {
			t.Errorf("run %d: cost %.6f worse than greedy %.6f or the given order %.6f", run, res.Cost, res.Greedy, res.Given)
		}
	}
}
