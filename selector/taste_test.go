package selector

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
)

// likingOf is a taste model of the random tracks: a liking spread over
// [0, 1) by the second feature.
func likingOf(t *features.Track) float64 { return math.Mod(53*t.Features[1], 1) }

// The scan's cost is Cost's, to the bit, with the taste term, the prior
// and the arc term on or off, for every candidate.
func TestScanMatchesCostWithTaste(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 5))
	cands := randomTracks(rng, 300)
	s, _ := New(cands, identity)
	if err := s.SetTaste(likingOf); err != nil {
		t.Fatal(err)
	}
	energy := make([]float64, len(cands))
	for i, c := range s.tracks {
		energy[i] = c.Features[features.Energy]
	}
	used := make([]uint32, len(s.recs))
	for _, k := range []Knobs{DefaultKnobs(), {Flow: 1, Spicyness: 2, Taste: 3}, {Flow: 0.7, Spicyness: 5, Sweetness: 0.75, Smoothness: 1, Belong: 4, Taste: 2.5}, {Taste: 100}, {}} {
		for trial := range 20 {
			var target features.Vector
			for j := range target {
				target[j] = 3 * rng.NormFloat64()
			}
			from := s.cands.From(rng.IntN(s.cands.Len()))
			x := Extras{Prior: s.prior, Liking: s.taste}
			if trial%2 == 1 { // the arc term, at a random target
				x.Arc, x.ArcWeight, x.ArcTarget = energy, 10*rng.Float64(), rng.Float64()
			}
			for i := range s.cands.Len() {
				_, got := k.Best(&s.cands, i, i+1, nil, x, &target, from, used, 1, nil, nil)
				want := k.Cost(&s.cands, i, &target, from, x.At(i))
				if math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("knobs %+v, trial %d, candidate %d: scan %v, Cost %v", k, trial, i, got, want)
				}
				tm := k.Terms(&s.cands, i, &target, from, x.At(i))
				if math.Float64bits(tm.Score) != math.Float64bits(want) {
					t.Fatalf("Terms.Score %v, Cost %v", tm.Score, want)
				}
				if x.Arc != nil && tm.Arc != ArcCost(x.ArcWeight, energy[i], x.ArcTarget) {
					t.Fatalf("Terms.Arc %v, ArcCost %v", tm.Arc, ArcCost(x.ArcWeight, energy[i], x.ArcTarget))
				}
			}
		}
	}
}

// A candidate the taste model likes wins once the taste weight is large,
// and loses to the flow's choice without it; the picks' taste terms are
// the model's, and the score carries them.
func TestTasteTermChangesPicks(t *testing.T) {
	f := features.Vector{0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}
	near, far := f, f
	near[0] = 0.52
	far[0] = 1.5
	seed := track("s", "A", "Seed", 0, 1, 120, f)
	flowPick := track("near", "B", "Near", 0, 1, 120, near)
	liked := track("liked", "C", "Liked", 0, 1, 120, far)
	likes := map[string]float64{"near": 0.1, "liked": 0.95}
	liking := func(t *features.Track) float64 { return likes[t.ID] }
	for _, c := range []struct {
		w    float64
		want string
	}{{0, "near"}, {0.5, "near"}, {2, "liked"}, {50, "liked"}} {
		t.Run(fmt.Sprint(c.w), func(t *testing.T) {
			s, _ := New([]*features.Track{seed, flowPick, liked}, identity)
			if err := s.SetTaste(liking); err != nil {
				t.Fatal(err)
			}
			k := Knobs{Flow: 1, Spicyness: 1, Taste: c.w}
			for _, beam := range []int{0, 2} {
				picks, err := s.BuildWith([]*features.Track{seed}, &meanPred{}, k, 2, Options{Beam: beam})
				if err != nil {
					t.Fatal(err)
				}
				p := picks[1]
				if p.Track.ID != c.want {
					t.Fatalf("weight %v beam %d: picked %s, want %s", c.w, beam, p.Track.ID, c.want)
				}
				if !p.Terms.Tasted() || p.Terms.Taste != likes[c.want] {
					t.Fatalf("taste term %v (tasted %v), want %v", p.Terms.Taste, p.Terms.Tasted(), likes[c.want])
				}
				if want := k.Score(p.Terms.Distance, p.Terms.KeySim, p.Terms.TempoSim, Extra{Prior: p.Terms.Prior, Liking: p.Terms.Taste}); p.Terms.Score != want {
					t.Fatalf("score %v, Score of the terms %v", p.Terms.Score, want)
				}
			}
		})
	}
}

func TestSetTaste(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 6))
	cands := randomTracks(rng, 20)
	s, _ := New(cands, identity)
	for _, bad := range []float64{-0.1, 1.5, math.NaN()} {
		err := s.SetTaste(func(*features.Track) float64 { return bad })
		if err == nil || !strings.Contains(err.Error(), "not a probability") {
			t.Errorf("liking %v: err %v", bad, err)
		}
		if s.taste != nil {
			t.Fatalf("liking %v: a refused SetTaste left a taste", bad)
		}
	}
	// Without a taste model the term is 0, JSON shows no taste, and a
	// taste weight changes nothing.
	k := DefaultKnobs()
	a, err := s.Build(cands[:1], &echo{}, k, 8)
	if err != nil {
		t.Fatal(err)
	}
	k.Taste = 50
	b, _ := s.Build(cands[:1], &echo{}, k, 8)
	for i := range a {
		if a[i].Track != b[i].Track || a[i].Terms != b[i].Terms {
			t.Fatalf("pick %d: taste weight without a taste model changed %+v to %+v", i, a[i].Terms, b[i].Terms)
		}
	}
	js, _ := json.Marshal(a[1].Terms)
	if strings.Contains(string(js), "taste") || !strings.Contains(string(js), `"prior"`) {
		t.Fatalf("JSON without taste: %s", js)
	}
	if err := s.SetTaste(likingOf); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Build(cands[:1], &echo{}, k, 8)
	js, _ = json.Marshal(c[1].Terms)
	if want := fmt.Sprintf(`"taste":%v`, likingOf(c[1].Track)); !strings.Contains(string(js), want) {
		t.Fatalf("JSON %s lacks %s", js, want)
	}
	if err := s.SetTaste(nil); err != nil || s.taste != nil {
		t.Fatalf("SetTaste(nil): %v", err)
	}
}
