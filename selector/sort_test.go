package selector

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/selector/sequence"
	"github.com/discoflow/disco/theory"
)

// mixShare returns the share of an order's transitions with keySim = 1
// and within 6% BPM.
func mixShare(ts []*features.Track) (key, tempo float64) {
	for i := 1; i < len(ts); i++ {
		a, b := ts[i-1], ts[i]
		if theory.KeySim(theory.NewKey(a.Key, a.Mode), theory.NewKey(b.Key, b.Mode)) == 1 {
			key++
		}
		if theory.TempoCompatible(a.Tempo, b.Tempo, theory.DefaultTempoTolerance) {
			tempo++
		}
	}
	n := float64(len(ts) - 1)
	return key / n, tempo / n
}

func sortOpts() SortOptions {
	return SortOptions{Knobs: DefaultKnobs(), Rules: DefaultRules(), Effort: sequence.Normal, Seed: 7}
}

func TestSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	songs := randomTracks(rng, 40)
	for _, t := range songs {
		t.Key = max(t.Key, 0) // every key known
		if t.Tempo == 0 {
			t.Tempo = 120
		}
	}
	res, err := Sort(context.Background(), songs, identity, &meanPred{}, sortOpts())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Order) != len(songs) || len(res.Picks) != len(songs) {
		t.Fatalf("%d in the order, %d picks; want %d", len(res.Order), len(res.Picks), len(songs))
	}
	perm := slices.Clone(res.Order)
	slices.Sort(perm)
	for i, v := range perm {
		if v != i {
			t.Fatalf("order %v is not a permutation", res.Order)
		}
	}
	var sum float64
	for i, p := range res.Picks {
		if p.Track != songs[res.Order[i]] {
			t.Fatalf("pick %d is not the order's song", i)
		}
		sum += p.Terms.Score
		if i > 0 && p.Predicted == nil {
			t.Errorf("pick %d has no prediction", i)
		}
	}
	// The artists are all different, so the order's cost is its picks'.
	if math.Abs(sum-res.Cost) > 1e-9 {
		t.Errorf("picks' scores sum to %v, the cost is %v", sum, res.Cost)
	}
	if !(res.Cost < res.Greedy && res.Greedy < res.Shuffled && res.Cost < res.Given) {
		t.Errorf("cost %v, greedy %v, given %v, shuffled %v: want the sort best and shuffles worst", res.Cost, res.Greedy, res.Given, res.Shuffled)
	}
	gk, gt := mixShare(songs)
	sorted := make([]*features.Track, len(songs))
	for i, p := range res.Picks {
		sorted[i] = p.Track
	}
	sk, st := mixShare(sorted)
	if sk < 0.8 || st < 0.6 || sk <= gk || st <= gt {
		t.Errorf("sorted: %.0f%% key, %.0f%% tempo; given %.0f%%, %.0f%%", 100*sk, 100*st, 100*gk, 100*gt)
	}
	nv := 0
	for _, p := range res.Picks[1:] {
		if p.Terms.Penalty > 0 {
			nv++
		}
	}
	if nv > 0 && len(res.Violations) == 0 {
		t.Errorf("%d penalised moves but no violation listed", nv)
	}
	// The same input and seed give the same order.
	again, err := Sort(context.Background(), songs, identity, nil, sortOpts())
	if err != nil || !slices.Equal(again.Order, res.Order) {
		t.Errorf("second run: %v, %v; want the same order", again.Order, err)
	}
}

func TestSortFixedAndArc(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 11))
	songs := randomTracks(rng, 15)
	o := sortOpts()
	o.Fixed = make([]int, len(songs))
	for i := range o.Fixed {
		o.Fixed[i] = -1
	}
	o.Fixed[0], o.Fixed[1], o.Fixed[14] = 0, 1, 7
	res, err := Sort(context.Background(), songs, identity, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Order[0] != 0 || res.Order[1] != 1 || res.Order[14] != 7 {
		t.Errorf("fixed songs moved: %v", res.Order)
	}
	if !res.Picks[0].Seed || res.Picks[2].Seed {
		t.Errorf("fixed songs should be marked, free ones not")
	}
	// An arc that rises in energy, followed firmly, orders by energy.
	pts, err := ParseArc("rise")
	if err != nil {
		t.Fatal(err)
	}
	o = sortOpts()
	o.Knobs, o.Rules = Knobs{}, Rules{}
	o.Arc = &Arc{Feature: features.Energy, Points: pts}
	res, err = Sort(context.Background(), songs, identity, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	e := func(pos int) float64 { return songs[res.Order[pos]].Features[features.Energy] }
	if !(e(0) < e(7) && e(7) < e(14)) || math.IsNaN(res.ArcRMSE) {
		t.Errorf("energy along the rise: %.2f, %.2f, %.2f (RMSE %v)", e(0), e(7), e(14), res.ArcRMSE)
	}
}

func TestSortStrict(t *testing.T) {
	f := features.Vector{0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}
	// C major and F# major cannot follow each other in any order.
	songs := []*features.Track{
		track("a", "A", "1", 0, 1, 120, f),
		track("b", "B", "2", 6, 1, 120, f),
	}
	o := sortOpts()
	o.Rules.KeyPenalty = math.Inf(1)
	res, err := Sort(context.Background(), songs, identity, nil, o)
	if !errors.Is(err, ErrInfeasible) || res == nil || len(res.Violations) != 1 || res.Violations[0].Rule != "key" {
		t.Fatalf("err %v, result %+v; want ErrInfeasible and the key violation", err, res)
	}
}

func TestSortBadInput(t *testing.T) {
	f := features.Vector{0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}
	noFeatures := &features.Track{ID: "x", Name: "Lonely As You", Artists: []string{"Foo Fighters"}, Key: -1, Mode: -1}
	for _, tc := range []struct {
		name  string
		songs []*features.Track
	}{
		{"empty", nil},
		{"no features", []*features.Track{track("a", "A", "1", 0, 1, 120, f), noFeatures}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Sort(context.Background(), tc.songs, identity, nil, sortOpts()); err == nil {
				t.Error("no error")
			}
		})
	}
	one, err := Sort(context.Background(), []*features.Track{track("a", "A", "1", 0, 1, 120, f)}, identity, nil, sortOpts())
	if err != nil || len(one.Picks) != 1 {
		t.Errorf("one song: %v, %v", one, err)
	}
}

func TestParseArc(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []ArcPoint
		ok   bool
	}{
		{"rise", []ArcPoint{{0, 0.3}, {1, 0.9}}, true},
		{"0:0.3,0.6:0.9,1:0.4", []ArcPoint{{0, 0.3}, {0.6, 0.9}, {1, 0.4}}, true},
		{"zigzag", nil, false},
		{"0:0.3,0.6", nil, false},
		{"0.5:1,0.2:0", nil, false},
		{"0:NaN", nil, false},
		{"2:0.5", nil, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseArc(tc.in)
			if (err == nil) != tc.ok || (tc.ok && !slices.Equal(got, tc.want)) {
				t.Errorf("ParseArc(%q) = %v, %v", tc.in, got, err)
			}
		})
	}
	a := Arc{Points: []ArcPoint{{0, 0}, {0.5, 1}, {1, 0}}}
	for _, c := range [][2]float64{{0, 0}, {0.25, 0.5}, {0.5, 1}, {0.75, 0.5}, {1, 0}} {
		if got := a.Target(c[0]); math.Abs(got-c[1]) > 1e-12 {
			t.Errorf("Target(%v) = %v, want %v", c[0], got, c[1])
		}
	}
}

func BenchmarkSort(b *testing.B) {
	for _, n := range []int{100, 500} {
		b.Run(fmt.Sprintf("songs=%d", n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, uint64(n)))
			songs := randomTracks(rng, n)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Sort(context.Background(), songs, identity, &meanPred{}, sortOpts()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
