package selector

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
)

// TestBridgeBeamExhaustive holds a bridge's beam search to the naive
// objective: a beam wide enough to keep every path finds the cheapest
// playlist that ends with the bridge's end, its move into the end
// included, the targets blended along the path.
func TestBridgeBeamExhaustive(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 15 {
		all := randomTracks(rng, 9)
		from, to, cands := all[0], all[1], all[2:]
		// The end under another id is the same recording: never picked.
		twin := *to
		twin.ID = "twin"
		cands = append(cands, &twin, to)
		for _, tc := range []struct {
			name  string
			k     Knobs
			rules *Rules
			blend float64
		}{
			{"default", DefaultKnobs(), nil, 0},
			{"original, half blend", OriginalKnobs, nil, 0.5},
			{"penalties, all blend", DefaultKnobs(), &Rules{KeyPenalty: 1.5, TempoPenalty: 0.7}, 1},
		} {
			t.Run(fmt.Sprintf("%d/%s", trial, tc.name), func(t *testing.T) {
				s, _ := New(cands, identity)
				length := 5 // from, 3 picks, to
				o := Options{Rules: tc.rules, To: to, Blend: tc.blend}
				blend := tc.blend
				if blend == 0 {
					blend = DefaultBlend
				}
				want := exhaustive([]*features.Track{from}, all[2:], tc.k, tc.rules, length, to, blend)
				for _, w := range []int{0, 1, 2, 8, 1000} {
					o.Beam = w
					got, err := s.BuildWith([]*features.Track{from}, &meanPred{}, tc.k, length, o)
					if err != nil || len(got) != length {
						t.Fatalf("beam %d: %d songs, %v", w, len(got), err)
					}
					if got[0].Track != from || got[length-1].Track != to || got[length-1].Predicted == nil {
						t.Fatalf("beam %d: from %s to %s, want %s to %s with a prediction", w, got[0].Track.ID, got[length-1].Track.ID, from.ID, to.ID)
					}
					for _, p := range got[1 : length-1] {
						if p.Track.ID == "twin" || p.Track == to {
							t.Fatalf("beam %d picked the end's recording %s", w, p.Track.ID)
						}
					}
					if c := cost(got); c < want-1e-9 || (w == 1000 && c > want+1e-9) {
						t.Errorf("beam %d: cost %v, exhaustive %v", w, c, want)
					}
				}
			})
		}
	}
}

// TestBridgePath: with the blend alone in the target, songs on the line
// from the first song to the last are picked in the order of the line.
func TestBridgePath(t *testing.T) {
	at := func(i int) *features.Track {
		v := float64(i) / 10
		return track(fmt.Sprintf("p%02d", i), fmt.Sprintf("artist %d", i), "song", -1, -1, 0,
			features.Vector{v, v, v, v, v, v, v, v})
	}
	var cands []*features.Track
	for i := 1; i < 10; i++ {
		cands = append(cands, at(i))
	}
	from, to := at(0), at(10)
	s, _ := New(cands, identity)
	for _, w := range []int{0, 4} {
		got, err := s.BuildWith([]*features.Track{from}, &meanPred{}, Knobs{Flow: 1, Spicyness: 1}, 6, Options{To: to, Blend: 1, Beam: w})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, p := range got {
			ids = append(ids, p.Track.ID)
		}
		if g, want := strings.Join(ids, " "), "p00 p02 p04 p06 p08 p10"; g != want {
			t.Errorf("beam %d: %s, want %s", w, g, want)
		}
		if d := got[5].Terms.Distance; d > 1e-12 {
			t.Errorf("beam %d: the end's distance to its own target %v, want 0", w, d)
		}
	}
}

// TestBridgeArtistGap: the end's artist keeps out of the songs just before
// it, as a song already played would.
func TestBridgeArtistGap(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	all := randomTracks(rng, 12)
	from, to := all[0], all[1]
	cands := all[2:]
	// Candidates of the end's artist, nearest to it in features.
	for i := range 3 {
		c := *to
		c.ID, c.Name = fmt.Sprintf("same%d", i), fmt.Sprintf("other song %d", i)
		c.Features[0] += 0.01 * float64(i+1)
		cands = append(cands, &c)
	}
	s, _ := New(cands, identity)
	for _, w := range []int{0, 3} {
		got, err := s.BuildWith([]*features.Track{from}, &meanPred{}, DefaultKnobs(), 6, Options{To: to, Beam: w, Rules: &Rules{ArtistGap: 2}})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range got[3:5] {
			if p.Track.Artists[0] == to.Artists[0] {
				t.Errorf("beam %d: %s, of the end's artist, 2 songs or less before it", w, p.Track.ID)
			}
		}
	}
}

func TestBridgeErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	all := randomTracks(rng, 8)
	s, _ := New(all[2:], identity)
	nofeat := *all[1]
	nofeat.HasFeatures = false
	same := *all[0]
	same.ID = "another id"
	for _, tc := range []struct {
		name   string
		to     *features.Track
		length int
		blend  float64
		want   string
	}{
		{"the end is the seed", all[0], 5, 0, "is a seed"},
		{"the end is the seed's recording", &same, 5, 0, "is a seed"},
		{"no features", &nofeat, 5, 0, "no audio features"},
		{"no place for the end", all[1], 1, 0, "no place"},
		{"blend above 1", all[1], 5, 1.5, "blend"},
		{"blend NaN", all[1], 5, math.NaN(), "blend"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.BuildWith(all[:1], &meanPred{}, DefaultKnobs(), tc.length, Options{To: tc.to, Blend: tc.blend})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	// Two songs: the seed, then the end, explained.
	got, err := s.BuildWith(all[:1], &meanPred{}, DefaultKnobs(), 2, Options{To: all[1], Beam: 2})
	if err != nil || len(got) != 2 || got[1].Track != all[1] || got[1].Predicted == nil || got[1].Terms.Score == 0 {
		t.Errorf("length 2: %v, %+v", err, got)
	}
}

func BenchmarkBridge(b *testing.B) {
	for _, w := range []int{0, 8} {
		b.Run(fmt.Sprintf("beam=%d", w), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(5, 6))
			ts := randomTracks(rng, 25_000)
			s, _ := New(ts[2:], identity)
			o := Options{Beam: w, Rules: &Rules{KeyPenalty: 1, TempoPenalty: 1, ArtistGap: 3}, To: ts[1]}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.BuildWith(ts[:1], &meanPred{}, DefaultKnobs(), 50, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
