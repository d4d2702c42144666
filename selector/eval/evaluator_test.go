package eval

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/selector"
)

var testKnobs = []selector.Knobs{
	selector.DefaultKnobs(),
	selector.OriginalKnobs,
	{Flow: 1},
	{Sweetness: 1},
	{Flow: 0.5, Spicyness: 1.5, Sweetness: 2, Smoothness: 0.3},
	{Flow: 2, Spicyness: 0.8, Sweetness: 0, Smoothness: 3},
	{Flow: 1, Spicyness: 3, Sweetness: 0.5, Smoothness: 0.5, Centre: selector.CentreSeeds},
	{Flow: 1, Spicyness: 5, Sweetness: 0.75, Smoothness: 1, Belong: 2},
	{Belong: 1, Sweetness: 0.5},
}

// tasteKnobs add the taste term to testKnobs, for Data with testTaste.
var tasteKnobs = append(append([]selector.Knobs(nil), testKnobs...),
	selector.Knobs{Flow: 1, Spicyness: 5, Sweetness: 0.75, Smoothness: 1, Belong: 2, Taste: 3},
	selector.Knobs{Taste: 1, Sweetness: 0.5},
	selector.Knobs{Flow: 1, Spicyness: 2, Taste: 40},
)

// testTaste is a taste model of the synthetic tracks: a liking spread over
// [0, 1) by the first feature, agreeing above one half.
func testTaste(t *features.Track) (float64, bool) {
	v := math.Mod(37*t.Features[0], 1)
	return v, v > 0.5
}

// The pools are selector.CatalogPool's, in its order.
func TestPoolsMatchCatalogPool(t *testing.T) {
	cat, pls := synth(1, 400, 6, 30)
	for _, n := range []int{0, 5, 50, 1000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			d := prepare(t, pls, cat, Options{Pools: []int{n}})
			for _, r := range d.runs {
				seeds := trackList(d, r.idx[:3])
				p := &selector.CatalogPool{Tracks: cat, Scaler: identity, N: n}
				want, err := p.Candidates(context.Background(), seeds)
				if err != nil {
					t.Fatal(err)
				}
				if got := trackList(d, poolOrder(d, &r)); !slices.Equal(got, want) {
					t.Fatalf("pool of %s: got %d tracks, want %d; first %v vs %v", r.name, len(got), len(want), ids(got[:3]), ids(want[:3]))
				}
			}
		})
	}
}

// poolOrder returns a playlist's pool of the largest prepared size.
func poolOrder(d *Data, r *run) []int32 {
	if !d.allPools {
		return r.pool.idx
	}
	out := make([]int32, len(d.cat))
	for i, c := range d.cat {
		out[r.rank[i]] = c
	}
	return out
}

func trackList(d *Data, idx []int32) []*features.Track {
	out := make([]*features.Track, len(idx))
	for i, j := range idx {
		out[i] = d.tab.tracks[j]
	}
	return out
}

func ids(ts []*features.Track) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

// The evaluator's greedy orders are selector.Build's, song for song, for
// both tasks, whatever the knobs and pool size.
func TestGreedyMatchesSelectorBuild(t *testing.T) {
	cat, pls := synth(2, 500, 8, 40)
	// A playlist with a seed's recording repeated later and a repeat of a
	// later song.
	pl := &features.Playlist{Name: "repeats", Tracks: append([]*features.Track(nil), cat[:30]...)}
	pl.Tracks[10] = cat[1]
	pl.Tracks[20] = cat[15]
	pls = append(pls, pl)
	peak := &selector.Arc{Feature: features.Danceability, Points: []selector.ArcPoint{{At: 0, Value: 0.2}, {At: 0.6, Value: 0.9}, {At: 1, Value: 0.4}}, Weight: 3}
	for _, arc := range []*selector.Arc{nil, peak} {
		d := prepare(t, pls, cat, Options{Pools: []int{20, 400, 0}, Taste: testTaste, Arc: arc})
		e := d.NewEvaluator()
		for _, k := range tasteKnobs {
			for _, pool := range []int{20, 400, 0} {
				t.Run(fmt.Sprintf("%+v/pool%d/arc=%v", k, pool, arc != nil), func(t *testing.T) {
					for ri := range d.runs {
						r := &d.runs[ri]
						seeds := trackList(d, r.idx[:3])
						for _, build := range []bool{false, true} {
							cands := r.rp.idx[3:] // the reorder's neutral order
							if build {
								cands = poolOrder(d, r)
								if pool > 0 {
									cands = cands[:min(len(cands), pool+3)]
								}
							}
							sel, dropped := selector.New(trackList(d, cands), identity)
							if dropped != 0 {
								t.Fatalf("dropped %d", dropped)
							}
							kb := k
							if !build {
								kb.Belong = 0 // the reorder's songs come from no source
								kb.Taste = 0  // and the task measures their order alone
							} else if err := sel.SetTaste(func(t *features.Track) float64 { v, _ := testTaste(t); return v }); err != nil {
								t.Fatal(err)
							}
							var o selector.Options
							if build {
								o.Arc = arc // the build task's, not the reorder's
							}
							picks, err := sel.BuildWith(seeds, newMix(), kb, len(r.idx), o)
							if err != nil && err != selector.ErrNoCandidates {
								t.Fatal(err)
							}
							switch {
							case !build:
								e.greedy(r.idx[:3], &r.rp, 3, len(r.idx), nil, false, k, len(r.idx)) // k's Belong has no effect here
							case pool > 0:
								e.greedy(r.idx[:3], &r.pool, 0, min(len(r.pool.idx), pool+3), nil, true, k, len(r.idx))
							default:
								e.greedy(r.idx[:3], &d.catPack, 0, len(d.cat), r.rank, true, k, len(r.idx))
							}
							got := trackList(d, e.seq)
							if len(got) != len(picks) {
								t.Fatalf("%s build=%v: %d songs, selector %d", r.name, build, len(got), len(picks))
							}
							for i, p := range picks {
								if got[i] != p.Track {
									t.Fatalf("%s build=%v: song %d is %s, selector picked %s", r.name, build, i, got[i].ID, p.Track.ID)
								}
								if i >= 3 {
									// The score is the selector's to the bit.
									prev := e.seq[i-1]
									var m features.Vector
									for _, sd := range picks[:3] {
										for j, v := range sd.Scaled {
											m[j] += v / 3
										}
									}
									target := k.Target(p.Predicted, &m)
									tb := &d.tab
									prior := 0.0
									switch {
									case build && pool > 0:
										prior = selector.Prior(int(e.picked[i-3]))
									case build:
										prior = selector.Prior(int(r.rank[e.picked[i-3]]))
									}
									liking := 0.0
									if build {
										liking, _ = testTaste(p.Track)
									}
									if p.Terms.Taste != liking || p.Terms.Tasted() != build {
										t.Fatalf("song %d: taste %v (tasted %v), want %v", i, p.Terms.Taste, p.Terms.Tasted(), liking)
									}
									x := selector.Extra{Prior: prior, Liking: liking}
									if build && arc != nil {
										x.Arc = selector.ArcCost(arc.Weight, p.Track.Features[arc.Feature], arc.Target(float64(i)/float64(len(r.idx)-1)))
										if x.Arc != p.Terms.Arc || !p.Terms.Arced() {
											t.Fatalf("song %d: arc %v (arced %v), want %v", i, p.Terms.Arc, p.Terms.Arced(), x.Arc)
										}
									}
									sc := kb.Cost(&tb.s, int(e.seq[i]), &target, tb.s.From(int(prev)), x)
									if sc != p.Terms.Score {
										t.Fatalf("song %d: score %v, selector %v", i, sc, p.Terms.Score)
									}
								}
							}
						}
					}
				})
			}
		}
	}
}

func TestRankAcc(t *testing.T) {
	h := []float64{0, 1, 1.5, 1.5 + 1.0/3, 1.5 + 1.0/3 + 0.25}
	for i := 5; i <= 20; i++ {
		h = append(h, h[i-1]+1/float64(i))
	}
	tests := []struct {
		name              string
		lower, equal      int
		hr1, hr5, hr10, m float64
	}{
		{"first", 0, 0, 1, 1, 1, 1},
		{"second", 1, 0, 0, 1, 1, 0.5},
		{"sixth", 5, 0, 0, 0, 1, 1.0 / 6},
		{"eleventh", 10, 0, 0, 0, 0, 1.0 / 11},
		{"tied with one for first", 0, 1, 0.5, 1, 1, 0.75},
		{"ranks 4..7", 3, 3, 0, 0.5, 1, (0.25 + 0.2 + 1.0/6 + 1.0/7) / 4},
		{"ranks 9..12", 8, 3, 0, 0, 0.5, (1.0/9 + 0.1 + 1.0/11 + 1.0/12) / 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var a rankAcc
			a.add(tc.lower, tc.equal, h)
			r := a.result()
			if !near(r.HR1, tc.hr1, 1e-12) || !near(r.HR5, tc.hr5, 1e-12) || !near(r.HR10, tc.hr10, 1e-12) || !near(r.MRR, tc.m, 1e-12) || r.Steps != 1 {
				t.Errorf("got %+v, want HR %v %v %v MRR %v", r, tc.hr1, tc.hr5, tc.hr10, tc.m)
			}
		})
	}
}

// A hand case with known ranks: features on one axis, the predictor
// echoing the last song, keys and tempos all unknown.
func TestRankHandCase(t *testing.T) {
	mk := func(id string, v float64) *features.Track {
		return track(id, "a"+id, id, -1, -1, 0, features.Vector{v})
	}
	a, b, c, dd := mk("a", 0), mk("b", 1), mk("c", 3), mk("d", 1.5)
	pl := &features.Playlist{Name: "p", Tracks: []*features.Track{a, b, c, dd}}
	d := prepare(t, []*features.Playlist{pl}, []*features.Track{a, b, c, dd}, Options{
		NewPredictor: func() selector.Predictor { return &echo{} }, Distractors: 1, Seeds: 1,
	})
	rep, err := d.Report(Setting{Knobs: selector.Knobs{Flow: 1, Spicyness: 1}, Pool: selector.DefaultPoolSize})
	if err != nil {
		t.Fatal(err)
	}
	// Within, "last song" (= RNN = DISCO here):
	//   t=1, last a=0: candidates b=1 (true), c=3, d=1.5: rank 1.
	//   t=2, last b=1: c=3 (true), d=1.5: rank 2.
	//   t=3, last c=3: d only: rank 1.
	// HR@1 = 2/3, MRR = (1 + 0.5 + 1)/3.
	for _, name := range []string{"last song", "RNN", "DISCO"} {
		r := ranker(t, rep, name).Within
		if r.Steps != 3 || !near(r.HR1, 2.0/3, 1e-12) || !near(r.HR5, 1, 1e-12) || !near(r.MRR, 2.5/3, 1e-12) {
			t.Errorf("%s within: %+v", name, r)
		}
	}
	// Centroid: t=1 mean 0: b rank 1; t=2 mean 0.5: c=3 (2.5) vs d (1):
	// rank 2; t=3: rank 1.
	if r := ranker(t, rep, "centroid").Within; !near(r.HR1, 2.0/3, 1e-12) {
		t.Errorf("centroid: %+v", r)
	}
	// Random within: N = 3, 2, 1 candidates: HR@1 = (1/3 + 1/2 + 1)/3,
	// MRR = (H3/3 + H2/2 + 1)/3.
	r := ranker(t, rep, "random").Within
	if !near(r.HR1, (1.0/3+0.5+1)/3, 1e-12) || !near(r.MRR, ((1+0.5+1.0/3)/3+0.75+1)/3, 1e-12) || !near(r.HR5, 1, 1e-12) {
		t.Errorf("random within: %+v", r)
	}
	// Against the catalog: one distractor outside the playlist; there is
	// none, so no catalog ranking.
	if r := ranker(t, rep, "DISCO").Catalog; r.Steps != 0 || !math.IsNaN(r.MRR) {
		t.Errorf("catalog ranking without distractors: %+v", r)
	}
}

// echo predicts the song it was last fed.
type echo struct{}

func (echo) Reset() {}
func (echo) Step(in *[9]float64) features.Vector {
	var y features.Vector
	copy(y[:], in[1:])
	return y
}

func ranker(t *testing.T, rep *Report, name string) RankerScores {
	t.Helper()
	for _, r := range rep.Ranking {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no ranker %q", name)
	return RankerScores{}
}

// The random ranker gets its exact expected value: averaged over the
// steps, HR@k = min(k, N)/N and MRR = H_N/N, with N the candidates.
func TestRandomRankerExact(t *testing.T) {
	cat, pls := synth(3, 300, 5, 25)
	d := prepare(t, pls, cat, Options{Distractors: 7})
	rep, err := d.Report(Setting{Knobs: selector.DefaultKnobs(), Pool: selector.DefaultPoolSize})
	if err != nil {
		t.Fatal(err)
	}
	// Brute force: every rank 1..N equally likely.
	expect := func(sizes []int) (hr1, hr5, hr10, mrr float64) {
		for _, n := range sizes {
			for r := 1; r <= n; r++ {
				w := 1 / float64(n)
				if r <= 1 {
					hr1 += w
				}
				if r <= 5 {
					hr5 += w
				}
				if r <= 10 {
					hr10 += w
				}
				mrr += w / float64(r)
			}
		}
		m := float64(len(sizes))
		return hr1 / m, hr5 / m, hr10 / m, mrr / m
	}
	var within, catalog []int
	for _, r := range d.runs {
		for t := 1; t < len(r.idx); t++ {
			catalog = append(catalog, 8)
			if i := slices.Index(r.fresh, int32(t)); i >= 0 {
				within = append(within, len(r.fresh)-i)
			}
		}
	}
	got := ranker(t, rep, "random")
	for _, c := range []struct {
		name  string
		got   Ranking
		sizes []int
	}{{"within", got.Within, within}, {"catalog", got.Catalog, catalog}} {
		h1, h5, h10, m := expect(c.sizes)
		if c.got.Steps != len(c.sizes) || !near(c.got.HR1, h1, 1e-12) || !near(c.got.HR5, h5, 1e-12) || !near(c.got.HR10, h10, 1e-12) || !near(c.got.MRR, m, 1e-12) {
			t.Errorf("%s: got %+v, want %d steps, HR %v %v %v, MRR %v", c.name, c.got, len(c.sizes), h1, h5, h10, m)
		}
	}
	// Repeats are skipped within the playlist: synth's playlists draw with
	// replacement, so some steps are repeats.
	if len(within) >= d.Steps() {
		t.Errorf("no repeat skipped: %d of %d steps", len(within), d.Steps())
	}
}

// Distractors are outside the playlist (by recording), distinct within a
// step, and drawn from the catalog.
func TestDistractors(t *testing.T) {
	cat, pls := synth(4, 300, 5, 30)
	d := prepare(t, pls, cat, Options{Distractors: 20})
	tb := &d.tab
	for _, r := range d.runs {
		if r.nd != 20 || len(r.distract) != 20*(len(r.idx)-1) {
			t.Fatalf("%d distractors per step, %d in all", r.nd, len(r.distract))
		}
		for s := 0; s < len(r.idx)-1; s++ {
			seen := map[int32]bool{}
			for _, c := range r.distract[s*20 : (s+1)*20] {
				if seen[c] {
					t.Fatalf("distractor %d twice in a step", c)
				}
				seen[c] = true
				if _, ok := slices.BinarySearch(r.recs, tb.s.Rec[c]); ok {
					t.Fatalf("distractor %s is in the playlist", tb.tracks[c].ID)
				}
				if !slices.Contains(d.cat, c) {
					t.Fatalf("distractor %d not in the catalog", c)
				}
			}
		}
	}
}

// Run allocates nothing once warm.
func TestRunAllocs(t *testing.T) {
	cat, pls := synth(5, 300, 4, 30)
	d := prepare(t, pls, cat, Options{})
	e := d.NewEvaluator()
	s := Setting{Knobs: selector.DefaultKnobs(), Pool: selector.DefaultPoolSize}
	if _, err := e.Run(s); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(5, func() { e.Run(s) }); n != 0 {
		t.Errorf("Run allocates %v times", n)
	}
}

func TestRunRefuses(t *testing.T) {
	cat, pls := synth(6, 100, 2, 10)
	d := prepare(t, pls, cat, Options{Pools: []int{50}})
	e := d.NewEvaluator()
	for _, s := range []Setting{
		{Knobs: selector.Knobs{Flow: math.NaN()}, Pool: 50},
		{Knobs: selector.Knobs{Sweetness: math.Inf(1)}, Pool: 50},
		{Knobs: selector.DefaultKnobs(), Pool: 400},
		{Knobs: selector.DefaultKnobs(), Pool: 0},
	} {
		if _, err := e.Run(s); err == nil {
			t.Errorf("%+v: no error", s)
		}
	}
}

// DISCO's ranking from the precomputed terms equals the direct formula's.
func TestRankFastMatchesDirect(t *testing.T) {
	cat, pls := synth(31, 600, 8, 40)
	d := prepare(t, pls, cat, Options{Distractors: 30})
	e := d.NewEvaluator()
	for _, k := range append(testKnobs, selector.Knobs{}, selector.Knobs{Flow: 1, Spicyness: 0}) {
		t.Run(fmt.Sprintf("%+v", k), func(t *testing.T) {
			w1, c1 := e.rank(rankDISCO, k)
			w2, c2 := d.rankFast(k)
			for _, p := range [][2]Ranking{{w1, w2}, {c1, c2}} {
				a, b := p[0], p[1]
				if a.Steps != b.Steps || !near(a.HR1, b.HR1, 1e-12) || !near(a.HR5, b.HR5, 1e-12) || !near(a.HR10, b.HR10, 1e-12) || !near(a.MRR, b.MRR, 1e-12) {
					t.Errorf("direct %+v, fast %+v", a, b)
				}
			}
		})
	}
}

// With every knob zero all candidates tie. The reorder must then not
// return the human order it is measured against (tau 1 before the
// candidates were offered in a neutral order): tau stays near 0.
func TestReorderTiesAreNeutral(t *testing.T) {
	cat, pls := synth(3, 400, 20, 30)
	d := prepare(t, pls, cat, Options{})
	out, err := d.NewEvaluator().Run(Setting{Pool: 400})
	if err != nil {
		t.Fatal(err)
	}
	if tau := out.Reorder.Order.Tau; math.IsNaN(tau) || math.Abs(tau) > 0.3 {
		t.Errorf("reorder tau with all knobs zero = %v, want near 0", tau)
	}
	if tau := d.Human().Order.Tau; tau != 1 {
		t.Errorf("human order tau = %v, want 1", tau)
	}
}
