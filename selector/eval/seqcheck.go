package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/sequence"
)

// The sizes of Report's check of the sequencer: SeqCheckSets sets of
// SeqCheckSize songs each.
const (
	SeqCheckSets = 200
	SeqCheckSize = 10
)

// SeqCheck holds the sequencer (selector.Sort at Options.SortEffort, with
// Options.Rules or selector.DefaultRules) to the exact solver and to the
// greedy order.
//
// Costs are measured above their floor: each transition's cost is at
// least −(|sweetness| + |smoothness|) when flow ≥ 0 (a distance and
// penalties are never negative), so an order of n songs costs at least
// −(n−1)·(|sweetness| + |smoothness|), and a ratio of two costs above
// that floor is a ratio of positive numbers.
type SeqCheck struct {
	// Sets random sets of Size songs, each drawn (from the Options' seed)
	// among the distinct recordings of one playlist with at least Size,
	// are put in order, nothing fixed, by the sequencer and by
	// sequence.Exact on selector.SortProblem's problem, with the artist
	// gap at most 1 (adjacent songs), on which Exact is exact.
	Sets int
	Size int
	// Gap is sequencer cost / exact cost − 1 per set: its median and
	// largest, and the share of sets where it is 0 (within 1e-9).
	GapMedian float64
	GapWorst  float64
	Optimal   float64
	// Regret is greedy cost / sequencer cost − 1 on the sort task (each
	// playlist's songs after its seeds, the seeds locked, the task's
	// rules; sequence.Greedy against selector.Sort, as SortResult gives
	// both): its median, mean and largest over Playlists playlists.
	Playlists    int
	RegretMedian float64
	RegretMean   float64
	RegretWorst  float64
}

// CheckSequencer measures the sequencer with knobs k on sets random sets
// of size songs (see SeqCheck) and its greedy regret on every playlist of
// the sort task. A figure with nothing to measure is NaN. It returns an
// error for size outside [2, sequence.MaxExact], negative flow, or when
// ctx is cancelled.
func (d *Data) CheckSequencer(ctx context.Context, k selector.Knobs, sets, size int) (*SeqCheck, error) {
	if size < 2 || size > sequence.MaxExact {
		return nil, fmt.Errorf("eval: sequencer check sets of %d songs, want 2 to %d", size, sequence.MaxExact)
	}
	if k.Flow < 0 {
		return nil, fmt.Errorf("eval: the sequencer check needs flow >= 0, not %v", k.Flow)
	}
	above := func(cost float64, n int) float64 {
		return cost + float64(n-1)*(math.Abs(k.Sweetness)+math.Abs(k.Smoothness))
	}
	out := &SeqCheck{Size: size}

	o := d.sortOptions(k)
	o.Rules.ArtistGap = min(o.Rules.ArtistGap, 1)
	var gaps []float64
	for _, songs := range d.drawSets(sets, size) {
		res, err := selector.Sort(ctx, songs, d.opt.Scaler, nil, o)
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			continue // infeasible under strict rules: no gap to speak of
		}
		p, err := selector.SortProblem(songs, d.opt.Scaler, o)
		if err != nil {
			return nil, err
		}
		_, exact, err := sequence.Exact(p)
		if err != nil {
			continue
		}
		gaps = append(gaps, above(res.Cost, size)/above(exact, size)-1)
	}
	out.Sets = len(gaps)
	out.GapMedian, out.GapWorst, _ = spread(gaps)
	out.Optimal = math.NaN()
	if len(gaps) > 0 {
		hits := 0
		for _, g := range gaps {
			if g <= 1e-9 {
				hits++
			}
		}
		out.Optimal = float64(hits) / float64(len(gaps))
	}

	e := d.NewEvaluator()
	var regrets []float64
	for ri := range d.runs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r := &d.runs[ri]
		if len(r.idx) <= d.opt.Seeds {
			continue
		}
		e.sort(r, k)
		res := e.sorted
		if res == nil || math.IsInf(res.Cost, 1) {
			continue
		}
		n := len(res.Order)
		regrets = append(regrets, above(res.Greedy, n)/above(res.Cost, n)-1)
	}
	out.Playlists = len(regrets)
	out.RegretMedian, out.RegretWorst, out.RegretMean = spread(regrets)
	return out, nil
}

// drawSets draws sets random sets of size songs: each from a playlist
// chosen at random among those with at least size distinct recordings,
// size of them chosen at random, from a source seeded by Options.Seed.
func (d *Data) drawSets(sets, size int) [][]*features.Track {
	tb := &d.tab
	var pools [][]int32 // per eligible playlist: the first track of each recording
	for _, r := range d.runs {
		seen := map[int32]bool{}
		var first []int32
		for _, c := range r.idx {
			if rec := tb.s.Rec[c]; !seen[rec] {
				seen[rec] = true
				first = append(first, c)
			}
		}
		if len(first) >= size {
			pools = append(pools, first)
		}
	}
	if len(pools) == 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(d.opt.Seed, 0x5e9c_4ec4))
	out := make([][]*features.Track, sets)
	for i := range out {
		pool := slices.Clone(pools[rng.IntN(len(pools))])
		for j := range size { // a partial Fisher-Yates shuffle
			k := j + rng.IntN(len(pool)-j)
			pool[j], pool[k] = pool[k], pool[j]
		}
		for _, c := range pool[:size] {
			out[i] = append(out[i], tb.tracks[c])
		}
	}
	return out
}

// spread returns the median, the largest value and the mean of v; NaN
// for each when v is empty.
func spread(v []float64) (median, worst, mean float64) {
	if len(v) == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	s := slices.Sorted(slices.Values(v))
	n := len(s)
	median = s[n/2]
	if n%2 == 0 {
		median = (s[n/2-1] + s[n/2]) / 2
	}
	for _, x := range s {
		mean += x / float64(n)
	}
	return median, s[n-1], mean
}

// SeqCheckNames name SeqCheck's figures in the order of Values.
var SeqCheckNames = [...]string{"sets", "size", "gap_median", "gap_worst", "optimal", "playlists", "regret_median", "regret_mean", "regret_worst"}

// Values returns c's figures in SeqCheckNames' order.
func (c *SeqCheck) Values() [len(SeqCheckNames)]float64 {
	return [...]float64{float64(c.Sets), float64(c.Size), c.GapMedian, c.GapWorst, c.Optimal, float64(c.Playlists), c.RegretMedian, c.RegretMean, c.RegretWorst}
}

// MarshalJSON writes the figures by SeqCheckNames, NaN as null.
func (c SeqCheck) MarshalJSON() ([]byte, error) {
	v := c.Values()
	return marshalNullable(v[:], func(i int) string { return SeqCheckNames[i] })
}

// marshalNullable writes values as a JSON object, value i under name(i),
// NaN and infinities as null.
func marshalNullable(values []float64, name func(int) string) ([]byte, error) {
	m := make(map[string]*float64, len(values))
	for i, v := range values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			m[name(i)] = &values[i]
		} else {
			m[name(i)] = nil
		}
	}
	return json.Marshal(m)
}
