package selector

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
)

// playlistTracks returns the tracks of a built playlist, in order.
func playlistTracks(picks []Pick) []*features.Track {
	ts := make([]*features.Track, len(picks))
	for i, p := range picks {
		ts[i] = p.Track
	}
	return ts
}

// pickRMSE is Arc.RMSE over the chosen songs of a playlist alone: the
// seeds are given, whatever the arc.
func pickRMSE(a *Arc, picks []Pick) float64 {
	var ss float64
	n := 0
	for i, p := range picks {
		if !p.Seed {
			d := p.Track.Features[a.Feature] - a.Target(float64(i)/float64(len(picks)-1))
			ss += d * d
			n++
		}
	}
	return math.Sqrt(ss / float64(n))
}

// A build follows an arc much better with the arc's term than without,
// greedy and beam, for rising, falling and curved arcs.
func TestBuildFollowsArc(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	cands := randomTracks(rng, 400)
	seeds := cands[:2]
	for _, name := range []string{"rise", "fall", "valley", "wave"} {
		pts, err := ParseArc(name)
		if err != nil {
			t.Fatal(err)
		}
		arc := &Arc{Feature: features.Energy, Points: pts}
		for _, beam := range []int{0, 4} {
			t.Run(fmt.Sprintf("%s/beam=%d", name, beam), func(t *testing.T) {
				s, _ := New(cands, identity)
				o := Options{Beam: beam, Rules: &Rules{KeyPenalty: 3, TempoPenalty: 3, ArtistGap: 3}}
				without, err := s.BuildWith(seeds, &meanPred{}, DefaultKnobs(), 16, o)
				if err != nil {
					t.Fatal(err)
				}
				o.Arc = arc
				with, err := s.BuildWith(seeds, &meanPred{}, DefaultKnobs(), 16, o)
				if err != nil {
					t.Fatal(err)
				}
				a, b := pickRMSE(arc, without), pickRMSE(arc, with)
				t.Logf("RMSE without the arc %.3f, with %.3f (whole playlists %.3f, %.3f)", a, b, arc.RMSE(playlistTracks(without)), arc.RMSE(playlistTracks(with)))
				// The flow term, not the arc, weighs most at the default
				// knobs.
				if !(b < 0.85*a) {
					t.Errorf("RMSE with the arc %.3f, not 15%% under %.3f without", b, a)
				}
				for i, p := range with {
					if p.Seed {
						continue
					}
					want := ArcCost(DefaultArcWeight, p.Track.Features[features.Energy], arc.Target(float64(i)/15))
					if !p.Terms.Arced() || math.Abs(p.Terms.Arc-want) > 1e-12 {
						t.Fatalf("song %d: arc term %v (arced %v), want %v", i, p.Terms.Arc, p.Terms.Arced(), want)
					}
				}
				// A heavier arc is followed closer still.
				o.Arc = &Arc{Feature: features.Energy, Points: pts, Weight: 200}
				heavy, err := s.BuildWith(seeds, &meanPred{}, DefaultKnobs(), 16, o)
				if err != nil {
					t.Fatal(err)
				}
				if h := pickRMSE(arc, heavy); !(h < b && h < a/2) {
					t.Errorf("RMSE with weight 200 %.3f, not under %.3f (weight 10) and half of %.3f (none)", h, b, a)
				}
				if without[2].Terms.Arced() {
					t.Error("a build without an arc has arced terms")
				}
			})
		}
	}
}

// With an arc, the greedy pass still picks the naive objective's argmin,
// the arc's term added; its scores are the naive ones.
func TestBuildArcMatchesNaiveObjective(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cands := randomTracks(rng, 300)
	seeds := cands[:3]
	arc := &Arc{Feature: features.Danceability, Points: []ArcPoint{{0, 0.2}, {0.5, 0.9}, {1, 0.4}}, Weight: 3}
	const length = 13
	for _, k := range []Knobs{DefaultKnobs(), OriginalKnobs, {Flow: 1}, {}} {
		t.Run(fmt.Sprintf("%+v", k), func(t *testing.T) {
			s, _ := New(cands, identity)
			got, err := s.BuildWith(seeds, &echo{}, k, length, Options{Arc: arc})
			if err != nil {
				t.Fatal(err)
			}
			used := map[string]bool{}
			for _, p := range got[:3] {
				used[p.Track.ID] = true
			}
			for i := 3; i < len(got); i++ {
				prev := got[i-1].Track
				best, bestScore := (*features.Track)(nil), math.Inf(1)
				for pos, c := range cands {
					if used[c.ID] {
						continue
					}
					d := c.Features[arc.Feature] - arc.Target(float64(i)/(length-1))
					if sc := naiveScore(prev.Features, prev, c, pos, k) + arc.Weight*d*d; sc < bestScore-1e-12 {
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

// A beam wide enough to keep every path finds the cheapest playlist with
// the pins in place and the arc's terms counted, the moves into and out
// of each pin included; greedy and narrow beams place the pins too, and
// width 1 is the greedy pass.
func TestBeamPinsArcExhaustive(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	rise, _ := ParseArc("rise")
	for trial := range 10 {
		all := randomTracks(rng, 10)
		seeds, cands := all[:1], all[1:7]
		p1, p2 := all[7], all[8]
		for _, tc := range []struct {
			name   string
			length int
			pins   map[int]*features.Track
			arc    *Arc
			to     *features.Track
		}{
			{"arc", 6, nil, &Arc{Feature: features.Energy, Points: rise}, nil},
			{"pin middle", 6, map[int]*features.Track{2: p1}, nil, nil},
			{"pins first and last", 6, map[int]*features.Track{1: p1, 5: p2}, nil, nil},
			{"adjacent pins and an arc", 6, map[int]*features.Track{3: p1, 4: p2}, &Arc{Feature: features.Valence, Points: rise, Weight: 4}, nil},
			{"bridge with a pin and an arc", 6, map[int]*features.Track{2: p1}, &Arc{Feature: features.Energy, Points: rise}, all[9]},
		} {
			t.Run(fmt.Sprintf("%d/%s", trial, tc.name), func(t *testing.T) {
				s, _ := New(cands, identity)
				o := Options{Rules: &Rules{KeyPenalty: 1.5, TempoPenalty: 0.7}, Arc: tc.arc, To: tc.to, Blend: 0.5}
				for pos, p := range tc.pins {
					o.Pins = append(o.Pins, Pin{p, pos})
				}
				blend := 0.0
				if tc.to != nil {
					blend = 0.5
				}
				want := exhaustiveWith(seeds, cands, DefaultKnobs(), o.Rules, tc.length, tc.to, blend, tc.arc, tc.pins)
				var greedy []Pick
				for _, w := range []int{0, 1, 2, 1000} {
					o.Beam = w
					got, err := s.BuildWith(seeds, &meanPred{}, DefaultKnobs(), tc.length, o)
					if err != nil || len(got) != tc.length {
						t.Fatalf("beam %d: %d songs, %v", w, len(got), err)
					}
					for pos, p := range tc.pins {
						if got[pos].Track != p {
							t.Fatalf("beam %d: position %d holds %s, want the pin %s", w, pos, got[pos].Track.ID, p.ID)
						}
					}
					seen := map[string]bool{}
					for _, p := range got {
						if seen[p.Track.ID] {
							t.Fatalf("beam %d: %s twice", w, p.Track.ID)
						}
						seen[p.Track.ID] = true
					}
					c := cost(got)
					if c < want-1e-9 || (w == 1000 && c > want+1e-9) {
						t.Errorf("beam %d: cost %v, exhaustive %v", w, c, want)
					}
					switch w {
					case 0:
						greedy = got
					case 1:
						if tc.to != nil {
							break // a bridge's last pick looks ahead
						}
						for i := range got {
							if got[i].Track != greedy[i].Track || got[i].Terms != greedy[i].Terms {
								t.Fatalf("width 1: song %d is %s %+v, greedy's %s %+v", i, got[i].Track.ID, got[i].Terms, greedy[i].Track.ID, greedy[i].Terms)
							}
						}
					}
				}
				if s.Len() != len(cands) || len(s.Tracks()) != len(cands) || s.cands.Len() != len(cands) {
					t.Errorf("after the build: %d candidates (%d tracks, %d songs), want %d", s.Len(), len(s.Tracks()), s.cands.Len(), len(cands))
				}
				// The same selector builds without pins afterwards, and
				// never picks a pin there by accident of leftovers.
				plain, err := s.BuildWith(seeds, &meanPred{}, DefaultKnobs(), tc.length, Options{})
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range plain {
					if p.Track == p1 || p.Track == p2 {
						t.Fatalf("a build without pins picked %s, a pin of the build before", p.Track.ID)
					}
				}
			})
		}
	}
}

// The songs before a pin keep its artist out of the artist gap, and a
// pinned song's recording is never picked elsewhere.
func TestPinArtistGapAndRecording(t *testing.T) {
	f := features.Vector{0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}
	near := f
	near[0] = 0.51
	mid := f
	mid[0] = 0.6
	seed := track("s", "A", "Seed", 0, 1, 120, f)
	pin := track("pin", "P", "Pinned", 0, 1, 120, mid)
	cands := []*features.Track{
		track("same-artist", "P", "Other", 0, 1, 120, near), // nearest, but the pin's artist
		track("pin-twin", "P", "Pinned", 0, 1, 120, near),   // the pin's recording
		track("b", "B", "1", 0, 1, 120, mid),
		track("c", "C", "2", 0, 1, 120, mid),
		track("d", "D", "3", 0, 1, 120, mid),
	}
	for _, beam := range []int{0, 3} {
		s, _ := New(cands, identity)
		got, err := s.BuildWith([]*features.Track{seed}, &meanPred{}, Knobs{Flow: 1, Spicyness: 1}, 5, Options{Beam: beam, Rules: &Rules{ArtistGap: 2}, Pins: []Pin{{pin, 2}}})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, p := range got {
			ids = append(ids, p.Track.ID)
		}
		if ids[2] != "pin" || strings.Contains(strings.Join(ids, " "), "pin-twin") || strings.Contains(strings.Join(ids, " "), "same-artist") {
			t.Errorf("beam %d: %v; want the pin at 3, no twin, and no other song of its artist within 2 of it", beam, ids)
		}
	}
}

func TestPinErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	all := randomTracks(rng, 30)
	seeds, cands, to := all[:2], all[2:28], all[29]
	p := all[28]
	twin := *seeds[0]
	twin.ID = "twin"
	bare := *p
	bare.ID, bare.Name, bare.HasFeatures = "bare", "bare", false
	for _, tc := range []struct {
		name string
		o    Options
		want string
	}{
		{"on a seed", Options{Pins: []Pin{{p, 1}}}, "a seed's"},
		{"before the playlist", Options{Pins: []Pin{{p, -1}}}, "a seed's"},
		{"beyond the length", Options{Pins: []Pin{{p, 8}}}, "beyond the playlist's 8 songs"},
		{"two on one position", Options{Pins: []Pin{{p, 3}, {cands[0], 3}}}, "both pinned at position 4"},
		{"a seed pinned", Options{Pins: []Pin{{seeds[1], 4}}}, "already in the playlist"},
		{"a seed's recording pinned", Options{Pins: []Pin{{&twin, 4}}}, "already in the playlist"},
		{"one song twice", Options{Pins: []Pin{{p, 3}, {p, 5}}}, "already in the playlist"},
		{"the bridge's end pinned", Options{To: to, Pins: []Pin{{to, 3}}}, "already in the playlist"},
		{"on the bridge's end", Options{To: to, Pins: []Pin{{p, 7}}}, "the bridge's end's"},
		{"no features", Options{Pins: []Pin{{&bare, 3}}}, "no audio features"},
		{"a bad arc", Options{Arc: &Arc{Feature: 9, Points: []ArcPoint{{0, 1}}}}, "arc feature 9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := New(cands, identity)
			_, err := s.BuildWith(seeds, &meanPred{}, DefaultKnobs(), 8, tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want one saying %q", err, tc.want)
			}
			if s.Len() != len(cands) || s.cands.Len() != len(cands) {
				t.Errorf("after the error: %d candidates, want %d", s.cands.Len(), len(cands))
			}
		})
	}
}

func BenchmarkBuildArc(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	ts := randomTracks(rng, 25_000)
	s, _ := New(ts, identity)
	rise, _ := ParseArc("rise")
	for _, w := range []int{0, 8} {
		b.Run(fmt.Sprintf("beam=%d", w), func(b *testing.B) {
			o := Options{Beam: w, Rules: &Rules{KeyPenalty: 1, TempoPenalty: 1, ArtistGap: 3}, Arc: &Arc{Feature: features.Energy, Points: rise}, Pins: []Pin{{ts[3], 20}}}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.BuildWith(ts[:3], &meanPred{}, DefaultKnobs(), 50, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
