package eval

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model"
	"github.com/discoflow/disco/model/scale"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/sequence"
	"github.com/discoflow/disco/theory"
)

// Options configure Prepare. Scaler and NewPredictor are required (Model
// sets both); every other zero field means the documented default.
type Options struct {
	// Model, when set, is the flow model: Scaler and NewPredictor default
	// to its scaler and predictors, and Report includes its prediction
	// error on the playlists (model.Evaluate).
	Model *model.Model
	// Scaler scales raw features; default &Model.Scaler.
	Scaler *scale.Scaler
	// NewPredictor returns a fresh predictor; it is called once per
	// Evaluator and by Prepare. Default: Model's.
	NewPredictor func() selector.Predictor

	// Seeds is the number of first tracks of each playlist that seed the
	// generation tasks. Default 3.
	Seeds int
	// Distractors is the number of catalog tracks drawn as distractors
	// for each ranking step. Default 99.
	Distractors int
	// Shuffles is the number of shuffles each order is compared with.
	// Default 10.
	Shuffles int
	// Seed seeds the distractors and the shuffles (0 is a seed like any
	// other).
	Seed uint64
	// Pools lists the candidate pool sizes the Settings will use for the
	// build task; 0 or negative means the whole catalog. Default
	// {selector.DefaultPoolSize}. Run refuses a pool size not prepared.
	Pools []int
	// BuildLength is the number of songs of a built playlist, seeds
	// included. Default 13, disco build's (the original's 3 seeds and 10
	// picks); negative means as many as the playlist has.
	BuildLength int
	// Rules, when not nil, are the rules the reorder and build tasks
	// apply, as disco build does (selector.Pass.Rules).
	Rules *selector.Rules
	// Beam > 0 adds to Report the task "build, beam": the build task by
	// selector's beam search of this width. The predictor must then be
	// a selector.StatePredictor.
	Beam int
	// Sort adds to Report the task "sort": the reorder task done by
	// selector.Sort (the seeds locked in place) at SortEffort, with Rules
	// (selector.DefaultRules when nil).
	Sort       bool
	SortEffort sequence.Effort
	// Candidates, when not nil, is the build task's candidate source
	// (disco build's --candidates): each playlist's pool is what it
	// returns for the playlist's seeds, and a Setting's Pool caps it.
	// When nil, the pool is the catalog's nearest tracks to the seeds
	// (selector.CatalogPool's order).
	Candidates selector.Pool
	// Labels, when not nil, gives each track id the genres and
	// subgenres it is known by: Report's listener figures judge the
	// build's picks by them against the playlist's own labels. Give the
	// labels of every playlist, held-out ones included; the candidate
	// source must not see the held-out ones.
	Labels map[string][]Label
	// Taste, when not nil, is a taste model's view of a track: liking,
	// the probability in [0, 1] that the listener likes it, and agrees,
	// whether the model assigns the track to the listener. The build
	// tasks weigh liking by Knobs.Taste, as disco build does
	// (selector.Pass.Taste); the reorder and ranking tasks do not (their
	// songs are the playlist's, or every candidate alike). Listener.Taste
	// is the share of picks it agrees with. Without it, a Setting with
	// Knobs.Taste is refused.
	Taste func(t *features.Track) (liking float64, agrees bool)
	// Arc, when not nil, is a target curve the build tasks' picks follow
	// (selector.Pass.Arc), as disco build --arc does; the reorder and
	// ranking tasks do not.
	Arc *selector.Arc
}

func (o Options) defaults() Options {
	if o.Model != nil {
		if o.Scaler == nil {
			o.Scaler = &o.Model.Scaler
		}
		if o.NewPredictor == nil {
			m := o.Model
			o.NewPredictor = func() selector.Predictor { return m.NewPredictor() }
		}
	}
	if o.Seeds == 0 {
		o.Seeds = 3
	}
	if o.Distractors == 0 {
		o.Distractors = 99
	}
	if o.Shuffles == 0 {
		o.Shuffles = 10
	}
	if len(o.Pools) == 0 {
		o.Pools = []int{selector.DefaultPoolSize}
	}
	if o.BuildLength == 0 {
		o.BuildLength = 13
	}
	return o
}

// Data is held-out playlists and a catalog prepared for evaluation (see
// the package documentation). It is read-only once prepared: any number of
// Evaluators may share it.
type Data struct {
	opt Options
	tab table
	cat []int32 // catalog candidates, as table indices, in catalog order
	// allPools is true when a pool of the whole catalog was asked for:
	// then catPack holds the catalog and run.rank each candidate's place
	// in the playlist's pool. run.pool holds the maxPool+Seeds nearest.
	allPools bool
	maxPool  int
	catPack  pack
	runs     []run
	// harmonic[n] = H_n = 1 + 1/2 + ... + 1/n.
	harmonic []float64
	// human order, measured once: its flow and its shuffles'.
	human, humanShuffled flowMean
	rt                   rankTerms
	// The prediction error (when Options.Model is set).
	prediction *model.Evaluation
	fp         string
	playlists  int // playlists given
	lab        labels
	// liking[i] and agrees[i]: Options.Taste of table index i; nil
	// without it.
	liking []float64
	agrees []bool
}

// run is one playlist: a run of consecutive tracks with features.
type run struct {
	playlist int // index in the playlists given to Prepare
	name     string
	idx      []int32           // table indices, in playlist order
	pred     []features.Vector // pred[t]: the model's prediction after idx[:t]; pred[0] unused
	fresh    []int32           // positions whose recording appears there first
	nd       int               // distractors per step
	distract []int32           // step t (1-based) at [(t-1)*nd, t*nd)
	recs     []int32           // distinct recordings of the run, sorted
	rp       pack              // the run's tracks: the seeds, then the rest in neutral order (reorderOrder)
	rpPos    []int32           // the playlist position of each of rp's tracks
	pool     pack              // nearest catalog candidates to the seeds, CatalogPool order
	rank     []int32           // with Data.allPools: place of each catalog candidate in the whole pool
	rprec    float64           // R-precision of the pool (Listener.RPrecision)
	// reorderSet holds the positions, ascending, of the songs a reorder
	// picks unless two ids of one recording differ in features: every
	// recording after the seeds but theirs, at its first position.
	reorderSet      []int32
	reorderShuffled [numFlow]float64 // the shuffles of that set
}

// reorderOrder returns the positions of idx in the order the reorder task
// offers them: the ns seeds first, then the rest by a hash of their track
// ids. In playlist order, a tie in score (two ids of one song, say, or
// knobs that are all zero) would go to the earlier song and hand the
// reorder the human order it is measured against.
func reorderOrder(tb *table, idx []int32, ns int) []int32 {
	pos := make([]int32, len(idx))
	for i := range pos {
		pos[i] = int32(i)
	}
	if len(idx) > ns {
		key := make([]uint64, len(idx))
		for i := ns; i < len(idx); i++ {
			h := fnv.New64a()
			h.Write([]byte(tb.tracks[idx[i]].ID))
			key[i] = h.Sum64()
		}
		slices.SortStableFunc(pos[ns:], func(a, b int32) int { return cmp.Compare(key[a], key[b]) })
	}
	return pos
}

// pack holds tracks' scoring data contiguously, in a given order, so that
// scanning candidates reads memory in sequence.
type pack struct {
	idx []int32 // table indices
	s   selector.Songs
}

func (tb *table) pack(idx []int32) pack {
	p := pack{idx: idx}
	for _, c := range idx {
		p.s.AddFrom(&tb.s, int(c))
	}
	return p
}

// table holds every track that takes part, with everything scoring needs.
type table struct {
	tracks []*features.Track
	// s holds what scoring needs; s.Rec is equal for the same id or
	// selector.RecordingKey.
	s      selector.Songs
	kcode  []int8 // key code: 2·pitch + mode, 24 unknown
	tempo  []float64
	nrec   int
	artOff []int32 // artists of track i: arts[artOff[i]:artOff[i+1]]
	arts   []int32
	byPtr  map[*features.Track]int32
	recKey map[string]int32
	recID  map[string]int32
	artID  map[string]int32
	// camelot[a][b]: the move between key codes a and b is Camelot-
	// compatible (theory.Move.Compatible).
	camelot [25][25]bool
}

func newTable() table {
	t := table{
		byPtr:  map[*features.Track]int32{},
		recKey: map[string]int32{},
		recID:  map[string]int32{},
		artID:  map[string]int32{},
		artOff: []int32{0},
	}
	for a := range 24 {
		for b := range 24 {
			ka, kb := theory.NewKey(a/2, a%2), theory.NewKey(b/2, b%2)
			t.camelot[a][b] = theory.Classify(ka, kb).Compatible()
		}
	}
	return t
}

// grow makes room for n more tracks.
func (tb *table) grow(n int) {
	tb.tracks = slices.Grow(tb.tracks, n)
	tb.s.X = slices.Grow(tb.s.X, 8*n)
	tb.s.In = slices.Grow(tb.s.In, n)
	tb.s.Fifths = slices.Grow(tb.s.Fifths, n)
	tb.s.TC = slices.Grow(tb.s.TC, n)
	tb.s.TS = slices.Grow(tb.s.TS, n)
	tb.kcode = slices.Grow(tb.kcode, n)
	tb.tempo = slices.Grow(tb.tempo, n)
	tb.s.Rec = slices.Grow(tb.s.Rec, n)
	tb.artOff = slices.Grow(tb.artOff, n)
	tb.arts = slices.Grow(tb.arts, n)
}

// add returns t's index, adding it if new; -1 if it has no usable
// features (not all eight known, or not finite once scaled).
func (tb *table) add(t *features.Track, s *scale.Scaler) int32 {
	if t == nil || !t.HasFeatures {
		return -1
	}
	if i, ok := tb.byPtr[t]; ok {
		return i
	}
	z := s.Transform(t.Features)
	for _, v := range z {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			tb.byPtr[t] = -1
			return -1
		}
	}
	i := int32(len(tb.tracks))
	tb.byPtr[t] = i
	tb.tracks = append(tb.tracks, t)
	k := theory.NewKey(t.Key, t.Mode)
	kc := int8(24)
	if k.Known() {
		kc = int8(2*k.Pitch + int(k.Mode))
	}
	tb.kcode = append(tb.kcode, kc)
	tb.tempo = append(tb.tempo, t.Tempo)

	// The same id, or the same artists and title, is the same recording.
	key := selector.RecordingKey(t)
	r, ok := tb.recID[t.ID]
	if !ok {
		r, ok = tb.recKey[key]
	}
	if !ok {
		r = int32(tb.nrec)
		tb.nrec++
	}
	if _, ok := tb.recID[t.ID]; !ok {
		tb.recID[t.ID] = r
	}
	if _, ok := tb.recKey[key]; !ok {
		tb.recKey[key] = r
	}
	first := int32(-1)

	for _, a := range t.Artists {
		n := features.Normalize(a)
		if n == "" {
			continue
		}
		id, ok := tb.artID[n]
		if !ok {
			id = int32(len(tb.artID))
			tb.artID[n] = id
		}
		tb.arts = append(tb.arts, id)
	}
	tb.artOff = append(tb.artOff, int32(len(tb.arts)))
	if a := tb.arts[tb.artOff[i]:]; len(a) > 0 {
		first = a[0]
	}
	tb.s.Add(t, z, r, first)
	return i
}

// ErrNoPlaylists is returned by Prepare when no playlist has two
// consecutive tracks with features.
var ErrNoPlaylists = errors.New("eval: no playlist with two consecutive tracks with features")

// Prepare prepares playlists for evaluation against the catalog's tracks
// (candidates for the build task and distractors for ranking; tracks
// without features are left out). The playlists' tracks need not be in
// the catalog. It returns an error when opt lacks a scaler or predictor,
// when no playlist is usable, or when ctx is cancelled.
func Prepare(ctx context.Context, pls []*features.Playlist, catalog []*features.Track, opt Options) (*Data, error) {
	opt = opt.defaults()
	switch {
	case opt.Scaler == nil:
		return nil, errors.New("eval: no scaler")
	case opt.NewPredictor == nil:
		return nil, errors.New("eval: no predictor")
	case opt.Seeds < 1:
		return nil, fmt.Errorf("eval: %d seeds", opt.Seeds)
	case opt.Distractors < 1 || opt.Shuffles < 1:
		return nil, fmt.Errorf("eval: %d distractors, %d shuffles (want at least 1)", opt.Distractors, opt.Shuffles)
	}
	d := &Data{opt: opt, tab: newTable(), playlists: len(pls)}
	n := len(catalog)
	for _, p := range pls {
		n += len(p.Tracks)
	}
	d.tab.grow(n)
	for _, p := range opt.Pools {
		if p <= 0 {
			d.allPools = true
		}
		d.maxPool = max(d.maxPool, p)
	}
	tb := &d.tab
	for pi, p := range pls {
		var cur []int32
		flush := func() {
			if len(cur) >= 2 {
				d.runs = append(d.runs, run{playlist: pi, name: p.Name, idx: cur})
			}
			cur = nil
		}
		for _, t := range p.Tracks {
			i := tb.add(t, opt.Scaler)
			if i < 0 {
				flush()
				continue
			}
			cur = append(cur, i)
		}
		flush()
	}
	if len(d.runs) == 0 {
		return nil, ErrNoPlaylists
	}
	seen := make(map[int32]bool)
	for _, t := range catalog {
		if i := tb.add(t, opt.Scaler); i >= 0 && !seen[i] {
			seen[i] = true
			d.cat = append(d.cat, i)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	maxN := opt.Distractors + 1
	for _, r := range d.runs {
		maxN = max(maxN, len(r.idx))
	}
	d.harmonic = make([]float64, maxN+1)
	for n := 1; n <= maxN; n++ {
		d.harmonic[n] = d.harmonic[n-1] + 1/float64(n)
	}

	var catPos map[int32]int32 // table index -> position in d.cat
	if d.allPools {
		d.catPack = tb.pack(d.cat)
		catPos = make(map[int32]int32, len(d.cat))
		for i, c := range d.cat {
			catPos[c] = int32(i)
		}
	}
	pred := opt.NewPredictor()
	mark := make([]int32, tb.nrec) // recording -> run index + 1 that holds it
	var eligible []int32
	var scratch poolScratch
	for ri := range d.runs {
		if ri%16 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		r := &d.runs[ri]
		r.pred = make([]features.Vector, len(r.idx))
		pred.Reset()
		for t := 1; t < len(r.idx); t++ {
			r.pred[t] = pred.Step(&tb.s.In[r.idx[t-1]])
		}
		for pos, i := range r.idx {
			if mark[tb.s.Rec[i]] != int32(ri+1) {
				mark[tb.s.Rec[i]] = int32(ri + 1)
				r.fresh = append(r.fresh, int32(pos))
				r.recs = append(r.recs, tb.s.Rec[i])
			}
		}
		slices.Sort(r.recs)
		eligible = d.drawDistractors(r, ri, mark, eligible)
		r.rpPos = reorderOrder(tb, r.idx, opt.Seeds)
		rp := make([]int32, len(r.idx))
		for i, p := range r.rpPos {
			rp[i] = r.idx[p]
		}
		r.rp = tb.pack(rp)
		r.rprec = math.NaN()
		if len(r.idx) > opt.Seeds && opt.Candidates != nil {
			pool, err := d.candidates(ctx, r)
			if err != nil {
				return nil, err
			}
			r.pool = tb.pack(pool)
			r.rprec = d.rPrecision(r, pool)
		} else if len(r.idx) > opt.Seeds {
			pool := d.nearest(r.idx[:opt.Seeds], &scratch)
			r.pool = tb.pack(pool[:min(len(pool), d.maxPool+opt.Seeds)])
			r.rprec = d.rPrecision(r, pool)
			if d.allPools {
				r.rank = make([]int32, len(d.cat))
				for i, c := range pool {
					r.rank[catPos[c]] = int32(i)
				}
			}
		}
	}
	if d.opt.Taste != nil {
		d.liking, d.agrees = make([]float64, len(d.tab.tracks)), make([]bool, len(d.tab.tracks))
		for i, t := range d.tab.tracks {
			d.liking[i], d.agrees[i] = d.opt.Taste(t)
			if v := d.liking[i]; !(v >= 0 && v <= 1) {
				return nil, fmt.Errorf("eval: taste of %q is %v, not a probability in [0, 1]", t.String(), v)
			}
		}
	}
	d.prepareRankTerms()
	d.measureHuman()
	d.prepareLabels(pls)
	if opt.Model != nil {
		ev := opt.Model.Evaluate(pls)
		d.prediction = &ev
	}
	d.fp = d.fingerprint()
	return d, nil
}

// Runs returns the number of playlists (runs) evaluated.
func (d *Data) Runs() int { return len(d.runs) }

// Steps returns the number of next-track ranking steps over all
// playlists (before skipping repeats).
func (d *Data) Steps() int {
	n := 0
	for _, r := range d.runs {
		n += len(r.idx) - 1
	}
	return n
}

// CatalogSize returns the number of catalog candidates (tracks with usable
// features).
func (d *Data) CatalogSize() int { return len(d.cat) }

// Options returns the options Prepare used, defaults filled in.
func (d *Data) Options() Options { return d.opt }

// Fingerprint returns a hex digest of everything a Setting's results
// depend on besides the Setting: the options, the playlists' and the
// catalog's track ids and scaled features, the model's predictions along
// the playlists, the distractors and the pools. Two Data with the same
// fingerprint give the same results.
func (d *Data) Fingerprint() string { return d.fp }

func (d *Data) fingerprint() string {
	h := sha256.New()
	var b [8]byte
	u := func(v uint64) {
		binary.LittleEndian.PutUint64(b[:], v)
		h.Write(b[:])
	}
	f := func(v float64) { u(math.Float64bits(v)) }
	s := func(v string) { u(uint64(len(v))); h.Write([]byte(v)) }
	s("disco eval data v1")
	u(uint64(d.opt.Seeds))
	u(uint64(d.opt.Distractors))
	u(uint64(d.opt.Shuffles))
	u(d.opt.Seed)
	u(uint64(int64(d.opt.BuildLength)))
	tb := &d.tab
	u(uint64(len(tb.tracks)))
	for i, t := range tb.tracks {
		s(t.ID)
		u(uint64(tb.s.Rec[i]))
		u(uint64(int64(t.Key)))
		u(uint64(int64(t.Mode)))
		f(t.Tempo)
		for _, v := range tb.s.X[i*8 : i*8+8] {
			f(v)
		}
	}
	ints := func(xs []int32) {
		u(uint64(len(xs)))
		for _, x := range xs {
			u(uint64(x))
		}
	}
	ints(d.cat)
	for _, r := range d.runs {
		ints(r.idx)
		for _, y := range r.pred[1:] {
			for _, v := range y {
				f(v)
			}
		}
		ints(r.distract)
		ints(r.pool.idx)
		ints(r.rank)
	}
	if d.liking != nil { // without a taste model, as before it existed
		s("taste")
		for i, v := range d.liking {
			f(v)
			if d.agrees[i] {
				u(1)
			} else {
				u(0)
			}
		}
	}
	if a := d.opt.Arc; a != nil { // without an arc, as before it existed
		s("arc")
		u(uint64(a.Feature))
		f(a.Weight)
		for _, p := range a.Points {
			f(p.At)
			f(p.Value)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// candidates returns the table indices of Options.Candidates' pool for
// r's seeds.
func (d *Data) candidates(ctx context.Context, r *run) ([]int32, error) {
	tb := &d.tab
	seeds := make([]*features.Track, 0, d.opt.Seeds)
	for _, i := range r.idx[:d.opt.Seeds] {
		seeds = append(seeds, tb.tracks[i])
	}
	ts, err := d.opt.Candidates.Candidates(ctx, seeds)
	if err != nil {
		return nil, fmt.Errorf("eval: candidates for playlist %q: %w", r.name, err)
	}
	pool := make([]int32, 0, len(ts))
	for _, t := range ts {
		if i := tb.add(t, d.opt.Scaler); i >= 0 {
			pool = append(pool, i)
		}
	}
	return pool, nil
}

// drawDistractors draws, for each step of r, nd distinct catalog
// candidates whose recording is not in r (mark[rec] == ri+1 for r's).
func (d *Data) drawDistractors(r *run, ri int, mark []int32, eligible []int32) []int32 {
	tb := &d.tab
	eligible = eligible[:0]
	for _, c := range d.cat {
		if mark[tb.s.Rec[c]] != int32(ri+1) {
			eligible = append(eligible, c)
		}
	}
	r.nd = min(d.opt.Distractors, len(eligible))
	steps := len(r.idx) - 1
	r.distract = make([]int32, 0, steps*r.nd)
	if r.nd == 0 {
		return eligible
	}
	rng := rand.New(rand.NewPCG(d.opt.Seed, 0xd157_0000_0000+uint64(ri)))
	for range steps {
		// Partial Fisher-Yates: the first nd of eligible become a uniform
		// sample without replacement, whatever eligible's order was.
		for k := range r.nd {
			j := k + rng.IntN(len(eligible)-k)
			eligible[k], eligible[j] = eligible[j], eligible[k]
		}
		r.distract = append(r.distract, eligible[:r.nd]...)
	}
	return eligible
}

type poolScratch struct {
	cands []poolCand
}

type poolCand struct {
	d  float64
	id string
	i  int32
}

func poolLess(a, b poolCand) int {
	if c := cmp.Compare(a.d, b.d); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// nearest returns the catalog candidates nearest to the seeds, in
// selector.CatalogPool's order (squared distance to the nearest seed, then
// track id) and number (the pool size plus the number of seeds, since
// seeds are in the catalog), for the largest pool prepared (all of them
// when the whole catalog is).
func (d *Data) nearest(seeds []int32, sc *poolScratch) []int32 {
	tb := &d.tab
	sc.cands = sc.cands[:0]
	for _, c := range d.cat {
		x := tb.s.X[c*8 : c*8+8]
		best := math.Inf(1)
		for _, s := range seeds {
			y := tb.s.X[s*8 : s*8+8]
			var dd float64
			for j := range 8 {
				e := x[j] - y[j]
				dd += e * e
			}
			best = min(best, dd)
		}
		sc.cands = append(sc.cands, poolCand{best, tb.tracks[c].ID, c})
	}
	cs := sc.cands
	n := len(cs)
	if !d.allPools {
		n = min(n, d.maxPool+len(seeds))
	}
	if n < len(cs) {
		// Keep the n smallest: a bounded max-heap.
		h := cs[:n]
		for i := n/2 - 1; i >= 0; i-- {
			siftDown(h, i)
		}
		for _, c := range cs[n:] {
			if poolLess(c, h[0]) < 0 {
				h[0] = c
				siftDown(h, 0)
			}
		}
		cs = h
	}
	slices.SortFunc(cs, poolLess)
	out := make([]int32, len(cs))
	for i, c := range cs {
		out[i] = c.i
	}
	return out
}

// siftDown restores the max-heap property (by poolLess) below i.
func siftDown(h []poolCand, i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && poolLess(h[r], h[l]) > 0 {
			m = r
		}
		if poolLess(h[m], h[i]) <= 0 {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}
