package eval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/selector"
)

// Setting is one point of a sweep: the selector's knobs and the size of
// the build task's candidate pool (0 for the whole catalog).
type Setting struct {
	Knobs selector.Knobs `json:"knobs"`
	Pool  int            `json:"pool"`
}

// Ranking is how well a ranker puts the true next track first: HR@1, @5,
// @10 and MRR (see the package documentation), over Steps ranking steps.
// With no step the figures are NaN.
type Ranking struct {
	HR1, HR5, HR10, MRR float64
	Steps               int
}

// MarshalJSON writes the fields in lower case, NaN as null.
func (r Ranking) MarshalJSON() ([]byte, error) {
	f := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	return json.Marshal(struct {
		HR1   *float64 `json:"hr1"`
		HR5   *float64 `json:"hr5"`
		HR10  *float64 `json:"hr10"`
		MRR   *float64 `json:"mrr"`
		Steps int      `json:"steps"`
	}{f(r.HR1), f(r.HR5), f(r.HR10), f(r.MRR), r.Steps})
}

// rankAcc accumulates ranking steps.
type rankAcc struct {
	hr1, hr5, hr10, mrr float64
	n                   int
}

// add adds a step whose true candidate has lower strictly better and
// equal equally good rivals: its rank is uniform over lower+1 ..
// lower+equal+1, and the step adds the expectation of each metric.
func (a *rankAcc) add(lower, equal int, harmonic []float64) {
	lo, hi := lower+1, lower+equal+1
	w := 1 / float64(equal+1)
	hit := func(k int) float64 { return float64(max(0, min(k, hi)-lo+1)) * w }
	a.hr1 += hit(1)
	a.hr5 += hit(5)
	a.hr10 += hit(10)
	if equal == 0 {
		a.mrr += 1 / float64(lo)
	} else {
		a.mrr += (harmonic[hi] - harmonic[lo-1]) * w
	}
	a.n++
}

func (a *rankAcc) result() Ranking {
	if a.n == 0 {
		nan := math.NaN()
		return Ranking{nan, nan, nan, nan, 0}
	}
	n := float64(a.n)
	return Ranking{a.hr1 / n, a.hr5 / n, a.hr10 / n, a.mrr / n, a.n}
}

// Summary is a Setting's results: DISCO's ranking of the next track within
// the playlist and against the catalog, and the flow of the reorder and
// build tasks with their shuffles.
type Summary struct {
	Setting Setting    `json:"setting"`
	Within  Ranking    `json:"within"`
	Catalog Ranking    `json:"catalog"`
	Reorder Generation `json:"reorder"`
	Build   Generation `json:"build"`
}

// Generation is the flow of generated orders and of shuffles of the same
// songs, averaged over Playlists playlists.
type Generation struct {
	Order     Flow `json:"order"`
	Shuffled  Flow `json:"shuffled"`
	Lift      Flow `json:"lift"` // Order.Lift(Shuffled)
	Playlists int  `json:"playlists"`
	// Listener is what a listener notices of a build (NaN for the
	// reorder tasks, which keep the playlist's songs).
	Listener Listener `json:"listener"`
}

// Evaluator scores Settings on Data. It holds the scratch space and a
// predictor, so it is not safe for concurrent use: make one per goroutine.
// After the first Run, Run allocates nothing.
type Evaluator struct {
	d    *Data
	pred selector.Predictor
	// used[rec] == stamp: the recording is taken in the current build.
	used   []uint32
	stamp  uint32
	seq    []int32 // a built order
	picked []int32 // pool index of each song of seq after the seeds
	pos    []int32 // seq's songs' human positions (reorder)
	seeds  selector.Songs
	pass   selector.Pass
	// beamWidth > 0: greedy runs selector's beam search instead.
	beamWidth int
	beam      selector.Beam
	sorted    *selector.SortResult // the last sort's
	fs        *flowScratch
	arts      []int32   // scratch of Data.listen
	prior     []float64 // scratch of greedy: the pool's priors
	liking    []float64 // scratch of greedy: the pool's taste terms
	arcs      []float64 // scratch of greedy: the pool's values of Options.Arc's feature
}

// NewEvaluator returns an Evaluator over d, with a predictor of its own.
func (d *Data) NewEvaluator() *Evaluator {
	return &Evaluator{
		d:    d,
		pred: d.opt.NewPredictor(),
		used: make([]uint32, d.tab.nrec),
		fs:   newFlowScratch(),
	}
}

// validSetting reports an error for knobs outside their documented ranges
// (negative ones allowed: see selector.Knobs.ValidateSigned; commands
// refuse them first unless asked) or a pool that was not prepared.
func (d *Data) validSetting(s Setting) error {
	if err := s.Knobs.ValidateSigned(); err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	if s.Knobs.Taste != 0 && d.liking == nil {
		return errors.New("eval: a taste weight needs a taste model (Options.Taste)")
	}
	for _, p := range d.opt.Pools {
		if p == s.Pool || (p <= 0 && s.Pool <= 0) {
			return nil
		}
	}
	return fmt.Errorf("eval: pool size %d was not prepared (Options.Pools: %v)", s.Pool, d.opt.Pools)
}

// Run scores one Setting: DISCO's ranking and the reorder and build tasks.
func (e *Evaluator) Run(s Setting) (Summary, error) {
	if err := e.d.validSetting(s); err != nil {
		return Summary{}, err
	}
	out := Summary{Setting: s}
	out.Within, out.Catalog = e.d.rankFast(s.Knobs)
	out.Reorder = e.generate(s, taskReorder)
	out.Build = e.generate(s, taskBuild)
	return out, nil
}

// Rankers, in the order of Report.Ranking.
const (
	rankRandom = iota
	rankLast
	rankCentroid
	rankRNN
	rankDISCO
	numRankers
)

// RankerNames name the rankers in Report.Ranking's order.
var RankerNames = [numRankers]string{"random", "last song", "centroid", "RNN", "DISCO"}

// rank ranks every step of every playlist with one ranker, within the
// playlist and against the catalog.
// Every ranker scores with the selector's objective (k's Flow,
// Sweetness and Smoothness); only its target differs, and only DISCO's
// uses k.Spicyness.
func (e *Evaluator) rank(kind int, k selector.Knobs) (within, catalog Ranking) {
	tb := &e.d.tab
	var wa, ca rankAcc
	var target, sum features.Vector
	for ri := range e.d.runs {
		r := &e.d.runs[ri]
		sum = features.Vector{}
		fi := 0 // r.fresh[fi] is the first fresh position ≥ t
		for t := 1; t < len(r.idx); t++ {
			prev := r.idx[t-1]
			x := tb.s.X[prev*8 : prev*8+8]
			for j := range sum {
				sum[j] += x[j]
			}
			for fi < len(r.fresh) && int(r.fresh[fi]) < t {
				fi++
			}
			switch kind {
			case rankLast:
				copy(target[:], x)
			case rankCentroid:
				for j := range target {
					target[j] = sum[j] / float64(t)
				}
			case rankRNN:
				target = r.pred[t]
			default:
				m := e.d.seedMean(r, t)
				target = k.Target(&r.pred[t], &m)
			}
			from := tb.s.From(int(prev))
			truth := r.idx[t]
			st := k.Cost(&tb.s, int(truth), &target, from, selector.Extra{})
			if math.IsNaN(st) {
				st = math.Inf(1)
			}
			count := func(c int32, lower, equal *int) {
				sc := k.Cost(&tb.s, int(c), &target, from, selector.Extra{})
				switch {
				case sc < st:
					*lower++
				case sc == st || (math.IsNaN(sc) && math.IsInf(st, 1)):
					*equal++
				}
			}
			// Within the playlist: the fresh positions from t on; a
			// repeat is skipped.
			if fi < len(r.fresh) && int(r.fresh[fi]) == t {
				lower, equal := 0, 0
				for _, p := range r.fresh[fi+1:] {
					count(r.idx[p], &lower, &equal)
				}
				wa.add(lower, equal, e.d.harmonic)
			}
			// Against the catalog.
			if r.nd > 0 {
				lower, equal := 0, 0
				for _, c := range r.distract[(t-1)*r.nd : t*r.nd] {
					count(c, &lower, &equal)
				}
				ca.add(lower, equal, e.d.harmonic)
			}
		}
	}
	return wa.result(), ca.result()
}

// rankTerms are the knob-independent parts of DISCO's score of every
// candidate of every ranking step, so that scoring a Setting takes a few
// operations per candidate, read in sequence: with target s·y,
// ‖s·y − x‖² = s²·‖y‖² − 2s·(y·x) + ‖x‖².
type rankTerms struct {
	yy      []float64 // per step: ‖y‖²
	ym, mm  []float64 // per step: y·m and ‖m‖², m the seeds' mean (Data.seedMean)
	truth   []term    // per step: the true next track
	within  []term    // the within candidates of each step with one
	wOff    []int32   // step i's within candidates: within[wOff[i]:wOff[i+1]]
	hasW    []bool    // step i ranks within the playlist (not a repeat)
	catalog []term    // step i's distractors: catalog[cOff[i]:cOff[i+1]]
	cOff    []int32
}

type term struct{ yx, xx, mx, ks, ts float64 }

// prepareRankTerms fills d.rt from the runs.
func (d *Data) prepareRankTerms() {
	tb := &d.tab
	rt := &d.rt
	steps, nw, nc := 0, 0, 0
	for _, r := range d.runs {
		steps += len(r.idx) - 1
		nw += len(r.fresh) * (len(r.fresh) - 1) / 2
		nc += (len(r.idx) - 1) * r.nd
	}
	rt.yy = make([]float64, 0, steps)
	rt.truth = make([]term, 0, steps)
	rt.hasW = make([]bool, 0, steps)
	rt.within = make([]term, 0, nw)
	rt.catalog = make([]term, 0, nc)
	rt.wOff = append(make([]int32, 0, steps+1), 0)
	rt.cOff = append(make([]int32, 0, steps+1), 0)
	for ri := range d.runs {
		r := &d.runs[ri]
		fi := 0
		for t := 1; t < len(r.idx); t++ {
			y := r.pred[t]
			m := d.seedMean(r, t)
			var yy, ym, mm float64
			for j, v := range y {
				yy += v * v
				ym += v * m[j]
				mm += m[j] * m[j]
			}
			from := tb.s.From(int(r.idx[t-1]))
			mk := func(c int32) term {
				x := tb.s.X[c*8 : c*8+8]
				var tm term
				for j, v := range y {
					tm.yx += v * x[j]
					tm.xx += x[j] * x[j]
					tm.mx += m[j] * x[j]
				}
				tm.ks = tb.s.KeySim(from, int(c))
				tm.ts = tb.s.TempoSim(from, int(c))
				return tm
			}
			rt.yy = append(rt.yy, yy)
			rt.ym = append(rt.ym, ym)
			rt.mm = append(rt.mm, mm)
			rt.truth = append(rt.truth, mk(r.idx[t]))
			for fi < len(r.fresh) && int(r.fresh[fi]) < t {
				fi++
			}
			w := fi < len(r.fresh) && int(r.fresh[fi]) == t
			rt.hasW = append(rt.hasW, w)
			if w {
				for _, p := range r.fresh[fi+1:] {
					rt.within = append(rt.within, mk(r.idx[p]))
				}
			}
			rt.wOff = append(rt.wOff, int32(len(rt.within)))
			if r.nd > 0 {
				for _, c := range r.distract[(t-1)*r.nd : t*r.nd] {
					rt.catalog = append(rt.catalog, mk(c))
				}
			}
			rt.cOff = append(rt.cOff, int32(len(rt.catalog)))
		}
	}
}

// rankFast is rank(rankDISCO, k) on the precomputed terms: the distance
// to k.Target expanded as above, combined by the selector's k.Score.
// Scores differ from the direct formula by rounding only, so ranks differ
// only between candidates within rounding of each other.
func (d *Data) rankFast(k selector.Knobs) (within, catalog Ranking) {
	rt := &d.rt
	var wa, ca rankAcc
	// The target is a·y + b·m: b = 0 for CentreGlobal, 1 − spicyness
	// for CentreSeeds; ‖a·y + b·m − x‖² = a²‖y‖² + 2ab·y·m + b²‖m‖²
	// − 2a·y·x − 2b·m·x + ‖x‖².
	s2, m2 := k.Spicyness*k.Spicyness, -2*k.Spicyness
	b := 0.0
	if k.Centre == selector.CentreSeeds {
		b = 1 - k.Spicyness
	}
	var tt float64 // per step: ‖a·y + b·m‖²
	score := func(yy float64, tm *term) float64 {
		if b == 0 {
			return k.Score(math.Sqrt(max(0, s2*yy+m2*tm.yx+tm.xx)), tm.ks, tm.ts, selector.Extra{})
		}
		return k.Score(math.Sqrt(max(0, tt+m2*tm.yx-2*b*tm.mx+tm.xx)), tm.ks, tm.ts, selector.Extra{})
	}
	for i, yy := range rt.yy {
		tt = s2*yy + 2*k.Spicyness*b*rt.ym[i] + b*b*rt.mm[i]
		st := score(yy, &rt.truth[i])
		if math.IsNaN(st) {
			st = math.Inf(1)
		}
		if rt.hasW[i] {
			lower, equal := 0, 0
			for k := range rt.within[rt.wOff[i]:rt.wOff[i+1]] {
				sc := score(yy, &rt.within[int(rt.wOff[i])+k])
				if sc < st {
					lower++
				} else if sc == st || (sc != sc && st > math.MaxFloat64) {
					equal++
				}
			}
			wa.add(lower, equal, d.harmonic)
		}
		if c0, c1 := rt.cOff[i], rt.cOff[i+1]; c1 > c0 {
			lower, equal := 0, 0
			for k := c0; k < c1; k++ {
				sc := score(yy, &rt.catalog[k])
				if sc < st {
					lower++
				} else if sc == st || (sc != sc && st > math.MaxFloat64) {
					equal++
				}
			}
			ca.add(lower, equal, d.harmonic)
		}
	}
	return wa.result(), ca.result()
}

// The generation tasks.
const (
	taskReorder = iota // the playlist's own songs after its seeds, greedily
	taskBuild          // from the catalog, greedily
	taskBeam           // from the catalog, by beam search
	taskSort           // the playlist's own songs, by selector.Sort
)

// generate runs a generation task over every playlist long enough, and
// measures the orders and their shuffles.
func (e *Evaluator) generate(s Setting, task int) Generation {
	build := task == taskBuild || task == taskBeam
	d := e.d
	tb := &d.tab
	ns := d.opt.Seeds
	var order, shuf flowMean
	var listen listenMean
	g := Generation{}
	const stream = 0xb1d_0000_0000
	for ri := range d.runs {
		r := &d.runs[ri]
		if len(r.idx) <= ns {
			continue
		}
		g.Playlists++
		var pos []int32
		e.beamWidth = 0
		if task == taskBeam {
			e.beamWidth = d.opt.Beam
		}
		switch {
		case task == taskSort:
			e.sort(r, s.Knobs)
			pos = e.humanPositions(ns, r.rpPos)
		case !build:
			e.greedy(r.idx[:ns], &r.rp, ns, len(r.idx), nil, false, s.Knobs, len(r.idx))
			pos = e.humanPositions(ns, r.rpPos)
		case s.Pool > 0 || d.opt.Candidates != nil:
			length := d.opt.BuildLength
			if length < 0 {
				length = len(r.idx)
			}
			hi := len(r.pool.idx)
			if s.Pool > 0 {
				hi = min(hi, s.Pool+ns)
			}
			e.greedy(r.idx[:ns], &r.pool, 0, hi, nil, true, s.Knobs, length)
		default:
			length := d.opt.BuildLength
			if length < 0 {
				length = len(r.idx)
			}
			e.greedy(r.idx[:ns], &d.catPack, 0, len(d.cat), r.rank, true, s.Knobs, length)
		}
		f := tb.measure(e.seq, ns, pos, e.fs)
		order.add(&f)
		if build {
			l := d.listen(ri, e.seq, &e.arts)
			listen.add(&l)
		}
		var sv [numFlow]float64
		if build {
			sv = tb.shuffled(e.seq, ns, pos, d.opt.Shuffles, d.opt.Seed, stream+uint64(ri), e.fs)
		} else {
			// Shuffles depend on the set of songs only: reuse those of
			// the usual set.
			set := append(e.fs.sorted[:0], pos[ns:]...)
			e.fs.sorted = set
			slices.Sort(set)
			if slices.Equal(set, r.reorderSet) {
				sv = r.reorderShuffled
			} else {
				sv = d.shuffledReorder(r, ri, set, e.fs)
			}
		}
		shuf.add(&sv)
	}
	g.Order, g.Shuffled = order.mean(), shuf.mean()
	g.Lift = g.Order.Lift(g.Shuffled)
	g.Listener = listen.mean()
	return g
}

// humanPositions returns the position in the playlist of each song of
// e.seq, a reorder of the playlist's pack after its ns seeds; rpPos maps
// the pack's positions to the playlist's.
func (e *Evaluator) humanPositions(ns int, rpPos []int32) []int32 {
	e.pos = e.pos[:0]
	for i := range ns {
		e.pos = append(e.pos, int32(i))
	}
	for _, p := range e.picked {
		e.pos = append(e.pos, rpPos[p])
	}
	return e.pos
}

// greedy builds an order into e.seq with the selector's greedy pass
// (selector.Knobs.Greedy): the seeds, then from the candidates p[lo:hi]
// the one with the lowest cost, never a seed's recording nor one already
// taken, until length songs or the candidates run out. Ties go to the
// candidate earlier in the pool: the lower rank when rank is not nil, else
// the lower position. When pooled, p is a candidate source's pool in its
// order of preference (or in rank's), and each candidate has the prior of
// its rank (selector.Prior), as selector.New gives it, and its taste term
// (Options.Taste), as Selector.SetTaste gives it, and with Options.Arc the
// arc's term, as selector.Options.Arc adds it; else (the reorder task) no
// candidate has any. e.picked gets the position in p of each
// song after the seeds.
func (e *Evaluator) greedy(seeds []int32, p *pack, lo, hi int, rank []int32, pooled bool, k selector.Knobs, length int) {
	tb := &e.d.tab
	e.stamp++
	if e.stamp == 0 { // wrapped: clear
		clear(e.used)
		e.stamp = 1
	}
	e.seeds.Reset()
	for _, sd := range seeds {
		e.used[tb.s.Rec[sd]] = e.stamp
		e.seeds.AddFrom(&tb.s, int(sd))
	}
	var prior []float64
	if pooled && k.Belong != 0 {
		if rank == nil {
			e.prior = selector.PoolPriors(e.prior, hi)
		} else {
			e.prior = e.prior[:0]
			for _, r := range rank {
				e.prior = append(e.prior, selector.Prior(int(r)))
			}
		}
		prior = e.prior
	}
	var liking []float64
	if pooled && k.Taste != 0 && e.d.liking != nil {
		e.liking = e.liking[:0]
		for _, c := range p.idx[:hi] {
			e.liking = append(e.liking, e.d.liking[c])
		}
		liking = e.liking
	}
	e.pass = selector.Pass{Seeds: &e.seeds, Cands: &p.s, Lo: lo, Hi: hi, Rank: rank, Prior: prior, Taste: liking, Used: e.used, Stamp: e.stamp, Length: length, Rules: e.d.opt.Rules}
	if arc := e.d.opt.Arc; pooled && arc != nil {
		e.arcs = e.arcs[:0]
		for _, c := range p.idx[:hi] {
			e.arcs = append(e.arcs, tb.tracks[c].Features[arc.Feature])
		}
		e.pass.Arc, e.pass.ArcValue = arc, e.arcs
	}
	if e.beamWidth > 0 {
		e.picked = e.beam.Run(&k, e.pred.(selector.StatePredictor), &e.pass, e.beamWidth, e.picked[:0], nil)
	} else {
		e.picked = k.Greedy(e.pred, &e.pass, e.picked[:0], nil)
	}
	e.seq = append(e.seq[:0], seeds...)
	for _, i := range e.picked {
		e.seq = append(e.seq, p.idx[i])
	}
}

// sort orders the playlist's songs after its seeds with selector.Sort,
// the seeds locked, each recording once (as the greedy reorder takes
// them), into e.seq and e.picked; e.sorted keeps Sort's result (nil when
// it failed).
func (e *Evaluator) sort(r *run, k selector.Knobs) {
	d := e.d
	ns := d.opt.Seeds
	songs, at, fixed := d.sortInput(r)
	o := d.sortOptions(k)
	o.Fixed = fixed
	res, err := selector.Sort(context.Background(), songs, d.opt.Scaler, nil, o)
	e.seq = append(e.seq[:0], r.idx[:ns]...)
	e.picked = e.picked[:0]
	e.sorted = res
	if err != nil && res == nil {
		return
	}
	for _, i := range res.Order[ns:] {
		e.seq = append(e.seq, r.rp.idx[at[i]])
		e.picked = append(e.picked, at[i])
	}
}

// sortInput returns the songs of the reorder task as selector.Sort takes
// them: the seeds, then each recording of the rest once, with the pack
// position of each song and the seeds fixed in place.
func (d *Data) sortInput(r *run) (songs []*features.Track, at []int32, fixed []int) {
	tb := &d.tab
	ns := d.opt.Seeds
	seen := map[int32]bool{}
	for i, c := range r.rp.idx {
		if rec := tb.s.Rec[c]; !seen[rec] {
			seen[rec] = true
			songs = append(songs, tb.tracks[c])
			at = append(at, int32(i))
		} else if i < ns {
			songs = append(songs, tb.tracks[c]) // a seed repeated stays a seed
			at = append(at, int32(i))
		}
	}
	fixed = make([]int, len(songs))
	for i := range fixed {
		fixed[i] = -1
		if i < ns {
			fixed[i] = i
		}
	}
	return songs, at, fixed
}

// sortOptions returns the options of the sort task with knobs k, nothing
// fixed: Options.Rules (selector.DefaultRules when nil), SortEffort and
// Seed.
func (d *Data) sortOptions(k selector.Knobs) selector.SortOptions {
	rules := selector.DefaultRules()
	if d.opt.Rules != nil {
		rules = *d.opt.Rules
	}
	return selector.SortOptions{Knobs: k, Rules: rules, Effort: d.opt.SortEffort, Seed: d.opt.Seed}
}

// seedMean returns the mean scaled features of the seeds of step t of r:
// its first Options.Seeds songs, or the first t when t is smaller (the
// point CentreSeeds stretches from).
func (d *Data) seedMean(r *run, t int) features.Vector {
	var m features.Vector
	n := min(t, d.opt.Seeds)
	for _, i := range r.idx[:n] {
		for j, v := range d.tab.s.X[i*8 : i*8+8] {
			m[j] += v / float64(n)
		}
	}
	return m
}
