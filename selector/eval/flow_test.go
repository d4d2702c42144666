package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/selector"
)

func bruteTau(v []int32) float64 {
	n := len(v)
	c, d := 0, 0
	for i := range n {
		for j := i + 1; j < n; j++ {
			switch {
			case v[i] < v[j]:
				c++
			case v[i] > v[j]:
				d++
			}
		}
	}
	return float64(c-d) / float64(n*(n-1)/2)
}

func TestKendallTau(t *testing.T) {
	tests := []struct {
		name string
		v    []int32
		want float64
	}{
		{"sorted", []int32{0, 1, 2, 3}, 1},
		{"reversed", []int32{3, 2, 1, 0}, -1},
		{"one swap of four", []int32{1, 0, 2, 3}, 1 - 4.0/12},
		{"two", []int32{5, 9}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf []int32
			if got := kendallTau(slices.Clone(tc.v), &buf); !near(got, tc.want, 1e-12) {
				t.Errorf("tau = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("single is NaN", func(t *testing.T) {
		var buf []int32
		if got := kendallTau([]int32{3}, &buf); !math.IsNaN(got) {
			t.Errorf("tau of one = %v", got)
		}
	})
	rng := rand.New(rand.NewPCG(9, 9))
	var buf []int32
	for n := 2; n < 60; n++ {
		v := make([]int32, n)
		for i, p := range rng.Perm(n) {
			v[i] = int32(p) * 3
		}
		want := bruteTau(v)
		if got := kendallTau(slices.Clone(v), &buf); !near(got, want, 1e-12) {
			t.Fatalf("n=%d: tau %v, brute force %v", n, got, want)
		}
	}
}

// A hand-made order with known key, Camelot, tempo and artist figures.
func TestMeasureHandCase(t *testing.T) {
	f := func(v float64) features.Vector { return features.Vector{v} }
	songs := []*features.Track{
		track("s0", "A", "0", 0, 1, 100, f(0)),  // C major, 8B
		track("s1", "B", "1", 7, 1, 103, f(3)),  // G major, 9B: keySim 1, +1; 3% BPM
		track("s2", "A", "2", 4, 0, 206, f(7)),  // E minor, 9A: relative of G; 206/103 = 2: double time
		track("s3", "C", "3", 1, 1, 120, f(7)),  // C# major, 3B: not compatible; 120/206 folded 1.165
		track("s4", "D", "4", -1, -1, 0, f(8)),  // unknown key and tempo
		track("s5", "B", "5", 9, 0, 126, f(10)), // A minor; after unknown: not counted
	}
	tb := newTable()
	var seq []int32
	for _, s := range songs {
		seq = append(seq, tb.add(s, identity))
	}
	sc := newFlowScratch()
	got := tb.measure(seq, 1, []int32{0, 1, 2, 3, 5, 4}, sc)
	// Transitions from position 0: 0→1, 1→2, 2→3, 3→4, 4→5.
	want := Flow{
		Step:    (3 + 4 + 0 + 1 + 2) / 5.0,
		Key:     2.0 / 3, // 0→1, 1→2 of the three with both keys known
		Camelot: 2.0 / 3,
		Tempo:   2.0 / 3, // 0→1 (3%), 1→2 (double); 2→3 not
		// s2 repeats A (s0, 2 back); s5 repeats B (s1, 4 back: no).
		Artist: 1.0 / 5,
		// positions 1,2,3,5,4: one inversion of 5 songs.
		Tau: 1 - 4.0/20,
	}
	if g := flowOf(got); !flowNear(g, want) {
		t.Errorf("got  %+v\nwant %+v", g, want)
	}
	// From position 3 on: transitions 2→3, 3→4, 4→5.
	got = tb.measure(seq, 3, nil, sc)
	want = Flow{Step: 1, Key: 0, Camelot: 0, Tempo: 0, Artist: 0, Tau: math.NaN()}
	if g := flowOf(got); !flowNear(g, want) {
		t.Errorf("from 3: got %+v, want %+v", g, want)
	}
	// Nothing after the seeds: all NaN.
	got = tb.measure(seq[:2], 2, nil, sc)
	for i, v := range got {
		if !math.IsNaN(v) {
			t.Errorf("field %d = %v without transitions", i, v)
		}
	}
}

func flowNear(a, b Flow) bool {
	x, y := a.vals(), b.vals()
	for i := range x {
		if !near(x[i], y[i], 1e-12) {
			return false
		}
	}
	return true
}

func TestArtistRepeatWindow(t *testing.T) {
	f := features.Vector{}
	mk := func(id string, artists ...string) *features.Track {
		t := track(id, "", id, 0, 1, 100, f)
		t.Artists = artists
		return t
	}
	tb := newTable()
	var seq []int32
	for _, s := range []*features.Track{
		mk("0", "Ann", "Bo"), mk("1", "Cy"), mk("2", "Di"), mk("3", "bo"), // Bo, 3 back, normalised
		mk("4", "Eve"), mk("5", "Fay"), mk("6", "Gus"), mk("7", "Eve"), // Eve, 3 back
		mk("8", "Hal"), mk("9", "Ivy"), mk("10", "Jo"), mk("11", "Kim"), mk("12", "Hal"), // Hal, 4 back: no
	} {
		seq = append(seq, tb.add(s, identity))
	}
	for i, want := range []bool{false, false, false, true, false, false, false, true, false, false, false, false, false} {
		if got := tb.artistRepeat(seq, i); got != want {
			t.Errorf("song %d: repeat %v, want %v", i, got, want)
		}
	}
}

// Shuffles keep the seeds in place and permute the rest; their mean tau is
// near 0 and the human order's is 1.
func TestHumanAndShuffles(t *testing.T) {
	cat, pls := synth(11, 400, 12, 40)
	d := prepare(t, pls, cat, Options{Shuffles: 50})
	h := d.Human()
	if h.Order.Tau != 1 {
		t.Errorf("human tau %v", h.Order.Tau)
	}
	if math.Abs(h.Shuffled.Tau) > 0.05 {
		t.Errorf("shuffled tau %v, want about 0", h.Shuffled.Tau)
	}
	// Synthetic playlists are random: the human order is no better than a
	// shuffle, give or take.
	if math.Abs(h.Lift.Step) > 0.1 {
		t.Errorf("step lift of a random order %v", h.Lift.Step)
	}
	if h.Playlists != 12 {
		t.Errorf("%d playlists", h.Playlists)
	}
}

func TestShuffledKeepsSeeds(t *testing.T) {
	tb := newTable()
	_, pls := synth(12, 50, 1, 20)
	var seq []int32
	for _, s := range pls[0].Tracks {
		seq = append(seq, tb.add(s, identity))
	}
	orig := slices.Clone(seq)
	sc := newFlowScratch()
	tb.shuffled(seq, 3, nil, 5, 1, 2, sc)
	if !slices.Equal(seq, orig) {
		t.Fatal("shuffled changed its input")
	}
	if !slices.Equal(sc.shuf[:3], orig[:3]) {
		t.Errorf("seeds moved: %v vs %v", sc.shuf[:3], orig[:3])
	}
	a, b := slices.Clone(sc.shuf), slices.Clone(orig)
	slices.Sort(a)
	slices.Sort(b)
	if !slices.Equal(a, b) {
		t.Error("a shuffle is not a permutation")
	}
}

func TestFlowJSON(t *testing.T) {
	b, err := json.Marshal(Flow{Step: 1.5, Key: 0.25, Camelot: math.NaN(), Tempo: 1, Artist: 0, Tau: math.Inf(1)})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"step":1.5`, `"camelot":null`, `"tau":null`, `"artist":0`} {
		if !strings.Contains(string(b), s) {
			t.Errorf("%s lacks %s", b, s)
		}
	}
}

// The report's figures are those of Run for DISCO, and the baselines do
// not depend on the knobs.
func TestReportConsistent(t *testing.T) {
	cat, pls := synth(13, 500, 6, 35)
	d := prepare(t, pls, cat, Options{})
	s1 := Setting{Knobs: selector.DefaultKnobs(), Pool: selector.DefaultPoolSize}
	s2 := Setting{Knobs: selector.Knobs{Flow: 0.2, Spicyness: 2, Sweetness: 3}, Pool: selector.DefaultPoolSize}
	r1, err := d.Report(s1)
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := d.Report(s2)
	sum, _ := d.NewEvaluator().Run(s1)
	if r1.Ranking[rankDISCO].Within != sum.Within || !genNear(r1.Generation[2].Generation, sum.Build) {
		t.Error("report differs from Run")
	}
	for k := range rankDISCO {
		if r1.Ranking[k] != r2.Ranking[k] {
			t.Errorf("baseline %s depends on the knobs", RankerNames[k])
		}
	}
	if !genNear(r1.Generation[0].Generation, r2.Generation[0].Generation) {
		t.Error("human order depends on the knobs")
	}
	if r1.Ranking[rankDISCO] == r2.Ranking[rankDISCO] {
		t.Error("DISCO's ranking does not depend on the knobs")
	}
	if _, err := json.Marshal(r1); err != nil {
		t.Error(err)
	}
}

func TestPrepareRefuses(t *testing.T) {
	cat, pls := synth(14, 50, 2, 10)
	short := []*features.Playlist{{Tracks: cat[:1]}}
	for name, c := range map[string]struct {
		pls []*features.Playlist
		opt Options
	}{
		"no scaler":    {pls, Options{NewPredictor: newMix}},
		"no predictor": {pls, Options{Scaler: identity}},
		"no playlist":  {short, Options{Scaler: identity, NewPredictor: newMix}},
		"no seeds":     {pls, Options{Scaler: identity, NewPredictor: newMix, Seeds: -1}},
	} {
		if _, err := Prepare(context.Background(), c.pls, cat, c.opt); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	_ = selector.DefaultKnobs
}

func genNear(a, b Generation) bool {
	return a.Playlists == b.Playlists && flowNear(a.Order, b.Order) && flowNear(a.Shuffled, b.Shuffled) && flowNear(a.Lift, b.Lift)
}

// A reorder's shuffles depend on its set of songs only, so they are the
// same whatever the knobs, and the same as the shuffles of that set in
// any order.
func TestReorderShufflesSetOnly(t *testing.T) {
	cat, pls := synth(15, 400, 8, 30)
	for i, tr := range cat {
		tr.Name = fmt.Sprint("unique ", i) // no recording under two ids
	}
	d := prepare(t, pls, cat, Options{})
	e := d.NewEvaluator()
	var first Flow
	for i, k := range testKnobs {
		s, err := e.Run(Setting{Knobs: k, Pool: selector.DefaultPoolSize})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = s.Reorder.Shuffled
		} else if !flowNear(s.Reorder.Shuffled, first) {
			t.Errorf("%+v: shuffled %+v, first knobs %+v", k, s.Reorder.Shuffled, first)
		}
	}
	// A set in another order shuffles alike.
	r := &d.runs[0]
	set := slices.Clone(r.reorderSet)
	got := d.shuffledReorder(r, 0, set, newFlowScratch())
	if flowOf(got) != flowOf(r.reorderShuffled) && !flowNear(flowOf(got), flowOf(r.reorderShuffled)) {
		t.Errorf("recomputed %v, prepared %v", got, r.reorderShuffled)
	}
}
