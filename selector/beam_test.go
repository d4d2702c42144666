package selector

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/theory"
)

// meanPred predicts the running mean of the songs fed so far, and keeps
// that mean as its saveable state: a predictor with history, so that a
// beam search must keep one state per beam to get its costs right.
type meanPred struct {
	sum features.Vector
	n   float64
}

func (m *meanPred) Reset() { *m = meanPred{} }
func (m *meanPred) Step(in *[9]float64) features.Vector {
	var y features.Vector
	m.n++
	for i := range y {
		m.sum[i] += in[i+1]
		y[i] = m.sum[i] / m.n
	}
	return y
}
func (m *meanPred) StateLen() int { return 9 }
func (m *meanPred) SaveState(dst []float64) {
	copy(dst, m.sum[:])
	dst[8] = m.n
}
func (m *meanPred) LoadState(src []float64) {
	copy(m.sum[:], src)
	m.n = src[8]
}

// cost returns the total cost of a built playlist, from its terms.
func cost(picks []Pick) float64 {
	var c float64
	for _, p := range picks {
		c += p.Terms.Score
	}
	return c
}

// exhaustive returns the least total cost of any playlist of length songs
// from seeds and cands, the costs computed naively along each order with
// meanPred's prediction, penalties from rules. With to, the playlist ends
// with to (counted in length), and the target blends spicyness·y with the
// path from the last seed to to by blend.
func exhaustive(seeds, cands []*features.Track, k Knobs, rules *Rules, length int, to *features.Track, blend float64) float64 {
	return exhaustiveWith(seeds, cands, k, rules, length, to, blend, nil, nil)
}

// exhaustiveWith is exhaustive with an arc (each song after the seeds
// pays weight·(feature − target)², the target read at pos/(length−1))
// and pins (pins[pos] stands at pos, given: no prior).
func exhaustiveWith(seeds, cands []*features.Track, k Knobs, rules *Rules, length int, to *features.Track, blend float64, arc *Arc, pins map[int]*features.Track) float64 {
	best := math.Inf(1)
	arcTerm := func(t *features.Track, pos int) float64 {
		if arc == nil {
			return 0
		}
		w := arc.Weight
		if w == 0 {
			w = 10
		}
		d := t.Features[arc.Feature] - arc.Target(float64(pos)/float64(length-1))
		return w * d * d
	}
	n := len(seeds)
	var rec func(order []*features.Track, used []bool, c float64)
	rec = func(order []*features.Track, used []bool, c float64) {
		if len(order) == length {
			best = min(best, c)
			return
		}
		var y features.Vector // running mean of order, scaled (identity)
		for _, t := range order {
			for j := range y {
				y[j] += t.Features[j] / float64(len(order))
			}
		}
		if to != nil {
			// The target (1−blend)·spicyness·y + blend·path is spicyness·y'
			// with y' as below.
			f := float64(len(order)-(n-1)) / float64(length-n)
			a, b := seeds[n-1].Features, to.Features
			for j := range y {
				y[j] = (1-blend)*y[j] + blend*(a[j]+f*(b[j]-a[j]))/k.Spicyness
			}
		}
		prev := order[len(order)-1]
		score := func(t *features.Track, pos int) float64 {
			s := naiveScore(y, prev, t, pos, k)
			if rules != nil {
				if a, b := theory.NewKey(prev.Key, prev.Mode), theory.NewKey(t.Key, t.Mode); a.Known() && b.Known() && theory.KeySim(a, b) < 1 {
					s += rules.KeyPenalty
				}
				if prev.Tempo > 0 && t.Tempo > 0 && math.Abs(math.Log2(theory.TempoRatio(prev.Tempo, t.Tempo))) > math.Log2(1.06)+1e-12 {
					s += rules.TempoPenalty
				}
			}
			return s
		}
		pos := len(order)
		if to != nil && pos == length-1 {
			rec(append(order, to), used, c+score(to, -1)+arcTerm(to, pos))
			return
		}
		if pin := pins[pos]; pin != nil {
			rec(append(order, pin), used, c+score(pin, -1)+arcTerm(pin, pos))
			return
		}
		for i, t := range cands {
			if used[i] {
				continue
			}
			used[i] = true
			rec(append(order, t), used, c+score(t, i)+arcTerm(t, pos))
			used[i] = false
		}
	}
	rec(append([]*features.Track(nil), seeds...), make([]bool, len(cands)), 0)
	return best
}

func TestBeam(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 20 {
		all := randomTracks(rng, 9)
		seeds, cands := all[:2], all[2:]
		for _, tc := range []struct {
			name  string
			k     Knobs
			rules *Rules
		}{
			{"default", DefaultKnobs(), nil},
			{"original", OriginalKnobs, nil},
			{"penalties", DefaultKnobs(), &Rules{KeyPenalty: 1.5, TempoPenalty: 0.7}},
			{"belong", Knobs{Flow: 1, Spicyness: 1, Sweetness: 0.75, Smoothness: 1, Belong: 2}, nil},
		} {
			t.Run(fmt.Sprintf("%d/%s", trial, tc.name), func(t *testing.T) {
				s, _ := New(cands, identity)
				length := 6
				greedy, err := s.BuildWith(seeds, &meanPred{}, tc.k, length, Options{Rules: tc.rules})
				if err != nil {
					t.Fatal(err)
				}
				one, err := s.BuildWith(seeds, &meanPred{}, tc.k, length, Options{Rules: tc.rules, Beam: 1})
				if err != nil {
					t.Fatal(err)
				}
				for i := range greedy {
					if greedy[i].Track != one[i].Track || greedy[i].Terms != one[i].Terms {
						t.Fatalf("width 1: song %d is %s %+v, greedy's %s %+v", i, one[i].Track.ID, one[i].Terms, greedy[i].Track.ID, greedy[i].Terms)
					}
				}
				// A beam as wide as every path (7·6·5·4 = 840) is exhaustive.
				wide, err := s.BuildWith(seeds, &meanPred{}, tc.k, length, Options{Rules: tc.rules, Beam: 1000})
				if err != nil {
					t.Fatal(err)
				}
				want := exhaustive(seeds, cands, tc.k, tc.rules, length, nil, 0)
				if got := cost(wide); math.Abs(got-want) > 1e-9 {
					t.Errorf("wide beam cost %v, exhaustive %v", got, want)
				}
				if cost(wide) > cost(greedy)+1e-12 {
					t.Errorf("wide beam %v costs more than greedy %v", cost(wide), cost(greedy))
				}
				// Beams of any width give a full, duplicate-free playlist.
				for _, w := range []int{2, 3, 8} {
					got, err := s.BuildWith(seeds, &meanPred{}, tc.k, length, Options{Rules: tc.rules, Beam: w})
					if err != nil || len(got) != length {
						t.Fatalf("width %d: %d songs, %v", w, len(got), err)
					}
					seen := map[string]bool{}
					for _, p := range got {
						if seen[p.Track.ID] {
							t.Fatalf("width %d: %s twice", w, p.Track.ID)
						}
						seen[p.Track.ID] = true
					}
				}
			})
		}
	}
}

func TestBeamRunsOut(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	all := randomTracks(rng, 5)
	s, _ := New(all[1:], identity)
	got, err := s.BuildWith(all[:1], &meanPred{}, DefaultKnobs(), 10, Options{Beam: 4})
	if err != ErrNoCandidates || len(got) != 5 {
		t.Fatalf("%d songs, %v; want 5 and ErrNoCandidates", len(got), err)
	}
	if _, err := s.BuildWith(all[:1], &echo{}, DefaultKnobs(), 3, Options{Beam: 4}); err == nil {
		t.Error("a predictor without state: no error")
	}
}

func TestRules(t *testing.T) {
	f := features.Vector{0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}
	g := f
	g[0] = 0.9
	n := f
	n[1] = 0.52
	seed := track("s", "A", "seed", 0, 1, 120, f) // C major
	cands := []*features.Track{
		track("near-bad-key", "B", "1", 6, 1, 120, n), // F# major: keySim -1
		track("far-good-key", "C", "2", 7, 1, 121, g), // G major: a fifth
		track("same-artist", "A", "3", 0, 1, 120, f),  // the seed's artist
		track("bad-tempo", "D", "4", 0, 1, 140, f),    // 17% faster
	}
	for _, tc := range []struct {
		name  string
		rules *Rules
		want  string
	}{
		{"no rules: nearest, same artist", nil, "same-artist"},
		{"artist gap", &Rules{ArtistGap: 1}, "bad-tempo"},
		{"strict key and tempo", &Rules{ArtistGap: 1, KeyPenalty: math.Inf(1), TempoPenalty: math.Inf(1)}, "far-good-key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := New(cands, identity)
			got, err := s.BuildWith([]*features.Track{seed}, &echo{}, Knobs{Flow: 1}, 2, Options{Rules: tc.rules})
			if err != nil {
				t.Fatal(err)
			}
			if got[1].Track.ID != tc.want {
				t.Errorf("picked %s, want %s", got[1].Track.ID, tc.want)
			}
		})
	}
}

func BenchmarkBeam(b *testing.B) {
	for _, w := range []int{1, 8} {
		b.Run(fmt.Sprintf("width=%d", w), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(5, 6))
			ts := randomTracks(rng, 25_000)
			s, _ := New(ts, identity)
			pred := &meanPred{}
			o := Options{Beam: w, Rules: &Rules{KeyPenalty: 1, TempoPenalty: 1, ArtistGap: 3}}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.BuildWith(ts[:3], pred, DefaultKnobs(), 50, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
