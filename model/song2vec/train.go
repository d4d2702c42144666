package song2vec

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Config holds the training settings. A zero field means its default, which
// is word2vec's.
type Config struct {
	Dim      int     // vector length; default 100
	Window   int     // largest distance between a track and a context track; default 5
	Negative int     // negative samples per positive pair; default 5
	MinCount int     // tracks occurring fewer times are dropped; default 5
	Sample   float64 // sub-sampling threshold; default 1e-3; negative turns sub-sampling off
	Epochs   int     // passes over the corpus; default 5
	Alpha    float64 // starting learning rate; default 0.025
	MinAlpha float64 // floor of the decaying rate; default Alpha*1e-4
	Workers  int     // training goroutines; default runtime.GOMAXPROCS(0)
	Seed     uint64  // seeds initial vectors and every worker's random source

	// BatchWords is how many track occurrences the reader hands a worker at
	// a time (whole playlists, so batches can be larger); default 10000.
	BatchWords int

	// OnEpoch, if not nil, is called after each epoch from Train's
	// goroutine.
	OnEpoch func(EpochStats)
}

// EpochStats reports one finished epoch.
type EpochStats struct {
	Epoch   int           // 1-based
	Loss    float64       // mean loss per (track, context) pair, as in Stats.Loss
	Alpha   float64       // learning rate at the end of the epoch
	Words   int64         // kept-track occurrences read in this epoch
	Elapsed time.Duration // since training (not the vocabulary pass) began
}

// Stats describes a finished training run.
type Stats struct {
	Playlists  int   // playlists in the corpus
	Tokens     int64 // track occurrences in the corpus, all tracks
	Vocab      int   // distinct tracks kept (occurring at least MinCount times)
	Dropped    int   // distinct tracks dropped by MinCount
	TrainWords int64 // occurrences of kept tracks per pass

	Words     int64 // kept-track occurrences read over all epochs, before sub-sampling
	Effective int64 // of those, kept by sub-sampling
	Pairs     int64 // (track, context) pairs trained

	VocabTime time.Duration // the counting pass
	TrainTime time.Duration // the epochs
	// WordsPerSec is Words/TrainTime, the figure word2vec logs. (gensim's
	// "raw words" also count tracks MinCount dropped: the same when
	// MinCount is 1.)
	WordsPerSec float64

	// Loss holds, per epoch, the mean over trained pairs of the
	// negative-sampling loss -log σ(u·v) - Σ log σ(-u·n), with u the
	// context track's input vector, v the track's output vector and n the
	// negative samples' output vectors.
	Loss []float64

	Workers int
	Kernel  string // "avx2" or "go": which inner loops ran
}

func (c Config) withDefaults() (Config, error) {
	def := func(p *int, d int, name string) error {
		switch {
		case *p == 0:
			*p = d
		case *p < 0:
			return fmt.Errorf("song2vec: %s %d is negative", name, *p)
		}
		return nil
	}
	if err := errors.Join(
		def(&c.Dim, 100, "dimension"),
		def(&c.Window, 5, "window"),
		def(&c.Negative, 5, "negative"),
		def(&c.MinCount, 5, "minimum count"),
		def(&c.Epochs, 5, "epochs"),
		def(&c.Workers, runtime.GOMAXPROCS(0), "workers"),
		def(&c.BatchWords, 10000, "batch words"),
	); err != nil {
		return c, err
	}
	if c.Dim > MaxDim {
		return c, fmt.Errorf("song2vec: dimension %d above %d", c.Dim, MaxDim)
	}
	if c.Sample == 0 {
		c.Sample = 1e-3
	}
	if c.Alpha == 0 {
		c.Alpha = 0.025
	}
	if c.MinAlpha == 0 {
		c.MinAlpha = c.Alpha * 1e-4
	}
	if !(c.Alpha > 0) || !(c.MinAlpha > 0) || c.MinAlpha > c.Alpha || math.IsInf(c.Alpha, 0) || math.IsNaN(c.Sample) {
		return c, fmt.Errorf("song2vec: bad learning rates %v to %v or sample %v", c.Alpha, c.MinAlpha, c.Sample)
	}
	return c, nil
}

// ErrEmptyVocab is returned by Train when no track occurs MinCount times.
var ErrEmptyVocab = errors.New("song2vec: no track occurs the minimum number of times")

// Train learns a vector per track of corpus by skip-gram with negative
// sampling, as word2vec does (Mikolov et al. 2013, and the C tool's
// choices):
//
//   - A first pass counts tracks; those occurring fewer than MinCount times
//     are dropped from every playlist. The vocabulary is sorted by count,
//     most frequent first, ties in order of first appearance.
//   - Each epoch streams the corpus again. A worker drops each occurrence
//     of a track with count c, out of T kept occurrences, with
//     word2vec's sub-sampling rule: it keeps it with probability
//     (sqrt(c/(s·T)) + 1)·(s·T)/c for Sample s.
//   - For each remaining track at position p it draws a reduced window b
//     uniformly in 1..Window and trains every pair (track, context track)
//     within b positions: the context track's input vector is moved
//     towards the track's output vector and away from Negative tracks drawn
//     from the unigram distribution raised to 0.75 (drawing the track
//     itself is skipped).
//   - The learning rate falls linearly from Alpha with the share of the
//     Epochs·T occurrences read so far, never below MinAlpha.
//   - σ comes from a table of 1000 values over [-6, 6], as in word2vec;
//     beyond ±6 the gradient is 0 or ±Alpha (so no exp in the inner loop;
//     gensim instead skips such pairs).
//   - Input vectors start uniform in [-0.5, 0.5)/Dim, output vectors at
//     zero; the input vectors are the result.
//
// Workers goroutines train at once on batches of whole playlists and update
// the shared vectors without locks (Hogwild), as word2vec's threads do:
// results then vary from run to run. With one worker, training is
// deterministic: the same corpus, Config and Seed give identical vectors.
// Under the race detector (build tag race) workers take turns per playlist,
// so that -race reports real races rather than Hogwild's benign ones.
//
// Where the C tool uses a table of 1e8 samples for negatives (400 MB), Train
// draws exactly from the same distribution with Walker's alias method (8
// bytes per track, one random number per draw). Random numbers come from a
// PCG per worker seeded from Seed, not word2vec's LCG. Vectors and
// arithmetic are float64.
//
// ctx is checked between batches; on cancellation Train returns ctx.Err().
// Errors from the corpus are returned as they are.
func Train(ctx context.Context, corpus Corpus, cfg Config) (*Vectors, *Stats, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, nil, err
	}
	stats := &Stats{Workers: cfg.Workers, Kernel: kernelName()}
	t0 := time.Now()
	voc, err := buildVocab(ctx, corpus, cfg.MinCount, stats)
	if err != nil {
		return nil, nil, err
	}
	stats.VocabTime = time.Since(t0)

	t := newTrainer(cfg, voc)
	t1 := time.Now()
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		if err := t.epoch(ctx, corpus); err != nil {
			return nil, nil, err
		}
		loss, pairs := 0.0, int64(0)
		var words, eff int64
		for _, w := range t.workers {
			loss += w.loss
			pairs += w.pairs
			words += w.words
			eff += w.effective
			w.loss, w.pairs, w.words, w.effective = 0, 0, 0, 0
		}
		meanLoss := 0.0
		if pairs > 0 {
			meanLoss = loss / float64(pairs)
		}
		stats.Loss = append(stats.Loss, meanLoss)
		stats.Words += words
		stats.Effective += eff
		stats.Pairs += pairs
		if cfg.OnEpoch != nil {
			cfg.OnEpoch(EpochStats{Epoch: epoch, Loss: meanLoss, Alpha: t.alpha(), Words: words, Elapsed: time.Since(t1)})
		}
	}
	stats.TrainTime = time.Since(t1)
	if s := stats.TrainTime.Seconds(); s > 0 {
		stats.WordsPerSec = float64(stats.Words) / s
	}
	v, err := New(voc.words, cfg.Dim, t.syn0, voc.counts)
	if err != nil {
		return nil, nil, fmt.Errorf("song2vec: training diverged: %w", err)
	}
	return v, stats, nil
}

// vocab is the kept tracks, most frequent first.
type vocab struct {
	words  []string
	counts []int64
	index  map[string]int32
	total  int64 // sum of counts
}

func buildVocab(ctx context.Context, corpus Corpus, minCount int, stats *Stats) (*vocab, error) {
	counts := make(map[string]int64)
	var order []string
	err := corpus.Each(func(pl []string) error {
		stats.Playlists++
		if stats.Playlists%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		for _, w := range pl {
			c, ok := counts[w]
			if !ok {
				order = append(order, w)
			}
			counts[w] = c + 1
		}
		stats.Tokens += int64(len(pl))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	v := &vocab{}
	for _, w := range order {
		if c := counts[w]; c >= int64(minCount) {
			v.words = append(v.words, w)
		}
	}
	stats.Dropped = len(order) - len(v.words)
	if len(v.words) == 0 {
		return nil, ErrEmptyVocab
	}
	if len(v.words) > math.MaxInt32 {
		return nil, fmt.Errorf("song2vec: %d distinct tracks are too many", len(v.words))
	}
	sort.SliceStable(v.words, func(i, j int) bool { return counts[v.words[i]] > counts[v.words[j]] })
	v.counts = make([]int64, len(v.words))
	v.index = make(map[string]int32, len(v.words))
	for i, w := range v.words {
		v.counts[i] = counts[w]
		v.total += counts[w]
		v.index[w] = int32(i)
	}
	stats.Vocab = len(v.words)
	stats.TrainWords = v.total
	return v, nil
}

// Sigmoid and loss tables, as in word2vec: expTableSize values over
// [-maxExp, maxExp], each taken at the middle of its bin.
const (
	maxExp       = 6
	expTableSize = 1000
	expScale     = float64(expTableSize) / (2 * maxExp)
)

var sigTable, logSigTable = func() (s, l [expTableSize]float64) {
	for i := range s {
		x := (float64(i)+0.5)/expScale - maxExp
		s[i] = 1 / (1 + math.Exp(-x))
		l[i] = -math.Log(s[i]) // -log σ(x)
	}
	return
}()

// softplusNeg returns -log σ(x) = log(1 + exp(-x)), stably.
func softplusNeg(x float64) float64 {
	if x > 0 {
		return math.Log1p(math.Exp(-x))
	}
	return -x + math.Log1p(math.Exp(x))
}

// trainer holds the shared state of one training run.
type trainer struct {
	cfg   Config
	voc   *vocab
	dim   int
	syn0  []float64 // input vectors, the result
	syn1  []float64 // output vectors
	keep  []uint32  // sub-sampling: keep an occurrence if a uniform uint32 <= keep[w]
	alias []aliasEntry

	prefetch bool // whether syn1 is too big for cache, so prefetching pays

	done    atomic.Int64 // kept-track occurrences read, all epochs, flushed by workers
	total   float64      // Epochs·T + 1
	workers []*worker
	mu      sync.Mutex // serialises updates under the race detector only
}

type aliasEntry struct {
	prob  uint32 // take the entry itself if a uniform uint32 < prob
	alias uint32
}

func newTrainer(cfg Config, voc *vocab) *trainer {
	n, dim := len(voc.words), cfg.Dim
	t := &trainer{
		cfg: cfg, voc: voc, dim: dim,
		syn0:  make([]float64, n*dim),
		syn1:  make([]float64, n*dim),
		keep:  make([]uint32, n),
		total: float64(cfg.Epochs)*float64(voc.total) + 1,
	}
	t.prefetch = len(t.syn1)*8 > prefetchAbove
	init := rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15))
	for i := range t.syn0 {
		t.syn0[i] = (init.Float64() - 0.5) / float64(dim)
	}
	for i, c := range voc.counts {
		p := 1.0
		if cfg.Sample > 0 {
			st := cfg.Sample * float64(voc.total)
			p = (math.Sqrt(float64(c)/st) + 1) * st / float64(c)
		}
		if p >= 1 {
			t.keep[i] = math.MaxUint32
		} else {
			t.keep[i] = uint32(p * (1 << 32))
		}
	}
	t.alias = buildAlias(voc.counts, 0.75)
	for i := range cfg.Workers {
		t.workers = append(t.workers, &worker{
			t:    t,
			rng:  rand.NewPCG(cfg.Seed, uint64(i)+1),
			neu:  make([]float64, dim),
			negs: make([]int32, cfg.Negative),
		})
	}
	return t
}

// prefetchAbove is the size in bytes of the output matrix above which
// workers prefetch the rows of negative samples. Below it the matrix stays
// in a core's cache and prefetching only costs instructions.
const prefetchAbove = 4 << 20

// buildAlias returns Walker's alias table for weights count^power (Vose's
// construction), so that a draw costs one random number and one lookup.
func buildAlias(counts []int64, power float64) []aliasEntry {
	n := len(counts)
	p := make([]float64, n)
	sum := 0.0
	for i, c := range counts {
		p[i] = math.Pow(float64(c), power)
		sum += p[i]
	}
	small, large := make([]int, 0, n), make([]int, 0, n)
	for i := range p {
		p[i] *= float64(n) / sum
		if p[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	tab := make([]aliasEntry, n)
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		tab[s] = aliasEntry{prob: uint32(p[s] * (1 << 32)), alias: uint32(l)}
		p[l] -= 1 - p[s]
		if p[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What is left has probability 1 up to rounding.
	for _, i := range append(small, large...) {
		tab[i] = aliasEntry{prob: math.MaxUint32, alias: uint32(i)}
	}
	return tab
}

// alpha returns the current learning rate.
func (t *trainer) alpha() float64 {
	a := t.cfg.Alpha * (1 - float64(t.done.Load())/t.total)
	return max(a, t.cfg.MinAlpha)
}

// batch is a run of whole playlists, as vocabulary indices.
type batch struct {
	words []int32
	ends  []int // end of each playlist in words
}

// epoch streams the corpus once to the workers.
func (t *trainer) epoch(ctx context.Context, corpus Corpus) error {
	nw := len(t.workers)
	jobs := make(chan *batch, 2*nw)
	free := make(chan *batch, 2*nw+2)
	var wg sync.WaitGroup
	for _, w := range t.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range jobs {
				w.train(b)
				select {
				case free <- b:
				default:
				}
			}
			w.flush()
		}()
	}
	get := func() *batch {
		select {
		case b := <-free:
			b.words, b.ends = b.words[:0], b.ends[:0]
			return b
		default:
			return &batch{words: make([]int32, 0, t.cfg.BatchWords+256)}
		}
	}
	send := func(b *batch) error {
		select {
		case jobs <- b:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	cur := get()
	err := corpus.Each(func(pl []string) error {
		start := len(cur.words)
		for _, w := range pl {
			if i, ok := t.voc.index[w]; ok {
				cur.words = append(cur.words, i)
			}
		}
		if len(cur.words) == start {
			return nil
		}
		cur.ends = append(cur.ends, len(cur.words))
		if len(cur.words) >= t.cfg.BatchWords {
			if err := send(cur); err != nil {
				return err
			}
			cur = get()
		}
		return nil
	})
	if err == nil && len(cur.words) > 0 {
		err = send(cur)
	}
	close(jobs)
	wg.Wait()
	if err == nil {
		err = ctx.Err()
	}
	return err
}

// worker is one training goroutine's private state.
type worker struct {
	t        *trainer
	rng      *rand.PCG
	neu      []float64 // gradient for the context track's input vector
	negs     []int32   // the current pair's negative samples
	sentence []int32
	alpha    float64
	pending  int64 // words read since the last flush to t.done

	// Per-epoch tallies, read by Train between epochs.
	loss                    float64
	pairs, words, effective int64
}

// flushEvery is how many words a worker reads between updates of the
// shared progress counter and its learning rate, as in word2vec.
const flushEvery = 10000

func (w *worker) flush() {
	w.t.done.Add(w.pending)
	w.pending = 0
	w.alpha = w.t.alpha()
}

func (w *worker) train(b *batch) {
	t := w.t
	if w.alpha == 0 {
		w.alpha = t.alpha()
	}
	start := 0
	for _, end := range b.ends {
		pl := b.words[start:end]
		start = end
		w.words += int64(len(pl))
		w.pending += int64(len(pl))
		if w.pending >= flushEvery {
			w.flush()
		}
		s := w.sentence[:0]
		for _, x := range pl {
			if uint32(w.rng.Uint64()>>32) <= t.keep[x] {
				s = append(s, x)
			}
		}
		w.sentence = s
		w.effective += int64(len(s))
		if raceEnabled {
			t.mu.Lock()
		}
		w.playlist(s)
		if raceEnabled {
			t.mu.Unlock()
		}
	}
}

// playlist trains on one sub-sampled playlist.
func (w *worker) playlist(s []int32) {
	t := w.t
	dim := t.dim
	window := uint64(t.cfg.Window)
	nv := uint64(len(t.alias))
	alpha := w.alpha
	syn0, syn1, neu, negs := t.syn0, t.syn1, w.neu, w.negs
	loss := 0.0
	pairs := int64(0)
	for p, word := range s {
		b, _ := bits.Mul64(w.rng.Uint64(), window) // reduced window: Window-b in 1..Window
		reach := int(window - b)
		lo, hi := max(p-reach, 0), min(p+reach+1, len(s))
		for c := lo; c < hi; c++ {
			if c == p {
				continue
			}
			// Draw the negatives first and prefetch their rows: they are
			// random rows of a matrix that often does not fit in cache,
			// and their loads then overlap each other and the positive
			// update.
			for d := range negs {
				i, frac := bits.Mul64(w.rng.Uint64(), nv)
				e := t.alias[i]
				if uint32(frac>>32) >= e.prob {
					i = uint64(e.alias)
				}
				negs[d] = int32(i)
				if t.prefetch {
					prefetch(syn1[int(i)*dim : int(i)*dim+dim])
				}
			}
			l1 := syn0[int(s[c])*dim : int(s[c])*dim+dim]
			clear(neu)
			for d := -1; d < len(negs); d++ {
				target, label := word, 1.0
				if d >= 0 {
					target, label = negs[d], 0
					if target == word {
						continue
					}
				}
				l2 := syn1[int(target)*dim : int(target)*dim+dim]
				f := dot(l1, l2)
				var g float64
				switch {
				case f >= maxExp:
					g = (label - 1) * alpha
					if label == 0 {
						loss += softplusNeg(-f)
					}
				case f <= -maxExp:
					g = label * alpha
					if label == 1 {
						loss += softplusNeg(f)
					}
				default:
					k := int((f + maxExp) * expScale)
					g = (label - sigTable[k]) * alpha
					if label == 1 {
						loss += logSigTable[k]
					} else {
						loss += logSigTable[expTableSize-1-k]
					}
				}
				update(neu, l2, l1, g)
			}
			axpy(l1, 1, neu)
			pairs++
		}
	}
	w.loss += loss
	w.pairs += pairs
}
