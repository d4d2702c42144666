package selector

import (
	"errors"
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
			Sweetness: MaxWeight * rng.Float64(), Smoothness: MaxWeight * rng.Float64()}
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
