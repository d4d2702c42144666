package model

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/internal/optim"
	"github.com/discoflow/disco/model/scale"
)

// EpochStats describes one finished epoch.
type EpochStats struct {
	Epoch     int     `json:"epoch"`       // 1-based
	TrainMAE  float64 `json:"train_mae"`   // mean over the epoch's real training steps, as the weights moved (perturbed, with Config.InputNoise or Dropout)
	ValMAE    float64 `json:"val_mae"`     // on the validation runs after the epoch; 0 without validation data
	Sequences int     `json:"sequences"`   // training sequences seen
	Seconds   float64 `json:"seconds"`     // wall time of the epoch's batches (not of validation)
	Best      bool    `json:"best"`        // the best epoch so far (lowest ValMAE, or TrainMAE without validation)
	SeqPerSec float64 `json:"seq_per_sec"` // Sequences / Seconds
}

// BatchStats describes one finished gradient step.
type BatchStats struct {
	Epoch     int     // 1-based
	Batch     int     // 1-based within the epoch
	Batches   int     // per epoch
	Sequences int     // sequences done in this epoch
	Total     int     // training sequences per epoch
	Loss      float64 // the batch's MAE
}

// Hooks are optional callbacks of Train, called on the training goroutine.
type Hooks struct {
	Epoch func(EpochStats)
	Batch func(BatchStats)
}

// replica computes a batch's loss and gradient.
type replica interface {
	// lossGrad returns scale * sum of |yhat - y| over the real steps and
	// outputs of seqs, and adds its gradient to grad. A replica with
	// training perturbations (Config.InputNoise, Config.Dropout) draws
	// them from stream (see regStream); one without ignores it.
	lossGrad(w *Weights, seqs []Sequence, scale float64, grad []float64, stream uint64) (float64, error)
	close()
}

type nativeReplica struct{ nb *nativeBatch }

func (r nativeReplica) lossGrad(w *Weights, seqs []Sequence, scale float64, grad []float64, stream uint64) (float64, error) {
	T := 0
	for _, s := range seqs {
		T = max(T, s.Len())
	}
	if r.nb.reg != nil {
		r.nb.reg.reseed(stream)
	}
	r.nb.load(seqs, T)
	return r.nb.lossGrad(w, scale, grad), nil
}

func (nativeReplica) close() {}

type gorgoniaRep struct {
	r *gorgoniaReplica
	T int
}

func (r gorgoniaRep) lossGrad(w *Weights, seqs []Sequence, scale float64, grad []float64, stream uint64) (float64, error) {
	gg, err := r.r.graph(r.T, len(seqs))
	if err != nil {
		return 0, err
	}
	if r.r.reg != nil {
		r.r.reg.reseed(stream)
	}
	return gg.run(w, seqs, scale, grad)
}

func (r gorgoniaRep) close() { r.r.close() }

func newReplica(cfg Config, T int) replica {
	if cfg.Engine == Gorgonia {
		r := newGorgoniaReplica(cfg.Hidden, cfg.Activation == Tanh, newBaseline(cfg))
		r.reg = newRegulariser(cfg)
		return gorgoniaRep{r: r, T: T}
	}
	nb := newNativeBatch(cfg.Hidden, cfg.Activation == Tanh, newBaseline(cfg))
	nb.reg = newRegulariser(cfg)
	return nativeReplica{nb: nb}
}

// Chunking of a batch: at most maxChunks chunks of at least minChunk
// sequences. The chunks depend only on the batch, never on the number of
// workers, so neither do the results.
const (
	minChunk  = 16
	maxChunks = 8
)

// chunkSize returns the number of sequences per chunk of a batch of n.
func chunkSize(n int) int {
	return max(minChunk, (n+maxChunks-1)/maxChunks)
}

// trainer runs data-parallel gradient steps. A batch is cut into chunks
// (see chunkSize); cfg.Workers goroutines, each with its own replica (its
// own buffers, and for Gorgonia its own graphs and weight tensors), take
// chunks in turn and compute the gradient of each chunk's share of the
// batch loss into that chunk's buffer; the buffers are summed in chunk
// order, and Adam takes one step. A worker that the machine delays holds
// up only the chunks it has taken, and the sum, fixed in order, does not
// depend on which worker took which chunk.
type trainer struct {
	cfg   Config
	w     *Weights
	reps  []replica
	grads [][]float64 // per chunk
	loss  []float64   // per chunk
	errs  []error     // per chunk
	grad  []float64
	adam  optim.Adam
	steps int // gradient steps taken: the key of the perturbations' streams
}

func newTrainer(cfg Config, w *Weights, T int) *trainer {
	tr := &trainer{cfg: cfg, w: w, adam: optim.NewAdam(len(w.Data), cfg.LearnRate)}
	tr.adam.Decay = cfg.LearnRate * cfg.WeightDecay
	chunks := (cfg.BatchSize + chunkSize(cfg.BatchSize) - 1) / chunkSize(cfg.BatchSize)
	for range min(cfg.Workers, chunks) {
		tr.reps = append(tr.reps, newReplica(cfg, T))
	}
	for range chunks {
		tr.grads = append(tr.grads, make([]float64, len(w.Data)))
	}
	tr.loss = make([]float64, chunks)
	tr.errs = make([]error, chunks)
	tr.grad = make([]float64, len(w.Data))
	return tr
}

func (tr *trainer) close() {
	for _, r := range tr.reps {
		r.close()
	}
}

// lossGrad computes the batch's masked MAE and its gradient into tr.grad.
func (tr *trainer) lossGrad(batch []Sequence) (float64, error) {
	n := steps(batch)
	if n == 0 {
		return 0, nil
	}
	scale := 1 / float64(NumOutputs*n)
	size := chunkSize(len(batch))
	chunks := (len(batch) + size - 1) / size
	for len(tr.grads) < chunks { // a batch larger than cfg.BatchSize
		tr.grads = append(tr.grads, make([]float64, len(tr.w.Data)))
		tr.loss = append(tr.loss, 0)
		tr.errs = append(tr.errs, nil)
	}
	run := func(rep replica, c int) {
		g := tr.grads[c]
		clear(g)
		tr.loss[c], tr.errs[c] = rep.lossGrad(tr.w, batch[c*size:min((c+1)*size, len(batch))], scale, g, regStreamOf(tr.steps, c))
	}
	workers := min(len(tr.reps), chunks)
	if workers == 1 {
		for c := range chunks {
			run(tr.reps[0], c)
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for wk := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					c := int(next.Add(1) - 1)
					if c >= chunks {
						return
					}
					run(tr.reps[wk], c)
				}
			}()
		}
		wg.Wait()
	}
	loss := 0.0
	clear(tr.grad)
	for c := range chunks {
		if tr.errs[c] != nil {
			return 0, tr.errs[c]
		}
		addTo(tr.grad, tr.grads[c])
		loss += tr.loss[c]
	}
	return loss, nil
}

// step takes one Adam step on batch and returns the batch's MAE.
func (tr *trainer) step(batch []Sequence) (float64, error) {
	loss, err := tr.lossGrad(batch)
	if err != nil {
		return 0, err
	}
	tr.adam.Step(tr.w.Data, tr.grad)
	tr.steps++
	return loss, nil
}

// Stop reasons recorded in Info.Stopped.
const (
	StopCompleted   = "completed"   // all epochs ran
	StopEarly       = "early"       // patience ran out
	StopInterrupted = "interrupted" // the context was cancelled
)

// TrainSequences trains a network on ready-made sequences: train are
// training sequences of at most cfg.Window transitions (see Windows), val
// are whole runs to validate on after each epoch (nil for none). scaler is
// recorded in the model (use IdentityScaler for data that is already
// scaled). It returns a model holding the best epoch's weights, with
// Info's training fields filled in (not the data fields, which Train
// fills).
//
// For a residual model (cfg.Residual), an EWMA rate of zero is fitted on
// train (FitRate); the output layer starts at zero, so that the initial
// weights predict the baseline, and they stay the model (Info.BestEpoch 0,
// Info.TrainMAE and ValMAE the baseline's) unless an epoch beats them. A
// window's baseline, like its recurrent state, starts at the window's
// first song.
//
// If ctx is cancelled, training stops between batches and TrainSequences
// returns the best model so far (the current weights if no epoch finished)
// together with an error wrapping ctx.Err().
func TrainSequences(ctx context.Context, cfg Config, scaler *scale.Scaler, train, val []Sequence, hooks Hooks) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.Defaults()
	if len(train) == 0 {
		return nil, ErrNoData
	}
	if err := checkSequences(train, cfg.Window); err != nil {
		return nil, err
	}
	if err := checkSequences(val, 0); err != nil {
		return nil, fmt.Errorf("validation: %w", err)
	}
	if cfg.Residual == ResidualEWMA && cfg.Rate == 0 {
		cfg.Rate = FitRate(train)
	}
	T := 0
	for _, s := range train {
		T = max(T, s.Len())
	}
	w := InitWeights(cfg)
	tr := newTrainer(cfg, w, T)
	defer tr.close()

	start := time.Now()
	m := &Model{Config: cfg, Scaler: *scaler, Weights: w.Clone()}
	m.Info.Engine = cfg.Engine
	m.Info.TrainSequences = len(train)
	m.Info.TrainSteps = steps(train)
	m.Info.ValSteps = steps(val)
	best := math.Inf(1)
	var bestW *Weights
	order := make([]int, len(train))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, shuffleStream))
	batch := make([]Sequence, 0, cfg.BatchSize)
	nb := (len(train) + cfg.BatchSize - 1) / cfg.BatchSize
	sinceBest := 0
	if cfg.Residual != ResidualNone {
		// The initial weights predict the baseline exactly (their output
		// layer is zero): the score to beat. If no epoch beats it, they
		// are the model, with BestEpoch 0.
		zero := &Model{Config: cfg, Weights: w}
		m.Info.TrainMAE = score(zero, train).MAE
		best = m.Info.TrainMAE
		if len(val) > 0 {
			m.Info.ValMAE = score(zero, val).MAE
			best = m.Info.ValMAE
		}
		bestW = w.Clone()
	}
	finish := func(reason string) *Model {
		if bestW != nil {
			m.Weights = bestW
		} else {
			m.Weights = w.Clone()
		}
		m.Info.Stopped = reason
		m.Info.Seconds = time.Since(start).Seconds()
		return m
	}
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		t0 := time.Now()
		sum, n, done := 0.0, 0, 0
		for b := range nb {
			if err := ctx.Err(); err != nil {
				return finish(StopInterrupted), fmt.Errorf("model: training stopped in epoch %d: %w", epoch, err)
			}
			batch = batch[:0]
			for _, i := range order[b*cfg.BatchSize : min((b+1)*cfg.BatchSize, len(order))] {
				batch = append(batch, train[i])
			}
			loss, err := tr.step(batch)
			if err != nil {
				return nil, err
			}
			k := steps(batch)
			sum += loss * float64(k)
			n += k
			done += len(batch)
			if hooks.Batch != nil {
				hooks.Batch(BatchStats{Epoch: epoch, Batch: b + 1, Batches: nb, Sequences: done, Total: len(train), Loss: loss})
			}
		}
		if err := w.check(); err != nil {
			return nil, fmt.Errorf("model: training diverged in epoch %d: %w", epoch, err)
		}
		secs := time.Since(t0).Seconds()
		st := EpochStats{Epoch: epoch, TrainMAE: sum / float64(n), Sequences: done, Seconds: secs}
		if secs > 0 {
			st.SeqPerSec = float64(done) / secs
		}
		monitor := st.TrainMAE
		if len(val) > 0 {
			st.ValMAE = score(&Model{Config: cfg, Weights: w}, val).MAE
			monitor = st.ValMAE
		}
		if monitor < best {
			best, bestW, sinceBest = monitor, w.Clone(), 0
			st.Best = true
			m.Info.BestEpoch = epoch
			m.Info.TrainMAE, m.Info.ValMAE = st.TrainMAE, st.ValMAE
		} else {
			sinceBest++
		}
		m.Info.EpochsRun = epoch
		m.Info.History = append(m.Info.History, st)
		if hooks.Epoch != nil {
			hooks.Epoch(st)
		}
		if cfg.Patience >= 0 && sinceBest >= cfg.Patience && epoch < cfg.Epochs {
			return finish(StopEarly), nil
		}
	}
	return finish(StopCompleted), nil
}

// IdentityScaler returns a scaler that leaves features as they are
// (Yeo-Johnson with lambda 1 is the identity; mean 0, deviation 1), for
// data that is already scaled.
func IdentityScaler() *scale.Scaler {
	s := &scale.Scaler{}
	for i := range s.Lambdas {
		s.Lambdas[i], s.Stds[i] = 1, 1
	}
	return s
}

// Train fits a flow model: it fits the scaler on the distinct tracks of the
// training playlists (only), cuts the playlists into runs of tracks with
// features (see Runs) and those into windows (see Windows), trains with
// TrainSequences, validating on the whole runs of val, and scores the best
// weights against the baselines on val (Info.Eval), and describes the
// training data in Domain (see Domain). cfg is filled with
// defaults; cfg.ValFrac is not used here (the caller split already; see
// Fit).
//
// On cancellation it returns the best model so far, fully described, and an
// error wrapping ctx.Err(); on any other error, a nil model.
func Train(ctx context.Context, cfg Config, train, val []*features.Playlist, hooks Hooks) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.Defaults()
	xs := trainingTracks(train)
	if len(xs) < 2 {
		return nil, ErrNoData
	}
	scaler, err := scale.FitScaler(xs)
	if err != nil {
		return nil, fmt.Errorf("model: fitting the scaler: %w", err)
	}
	runs := Runs(train, scaler, cfg.MinLen)
	valRuns := Runs(val, scaler, cfg.MinLen)
	if cfg.Residual == ResidualEWMA && cfg.Rate == 0 {
		// Fitted on whole runs, each transition once, as the predictor
		// sees them (the windows count some transitions twice).
		cfg.Rate = FitRate(runs)
	}
	seqs := Windows(runs, cfg.Window, cfg.Stride)
	m, err := TrainSequences(ctx, cfg, scaler, seqs, valRuns, hooks)
	if m == nil {
		return nil, err
	}
	m.Info.Fingerprint = Fingerprint(train, val)
	m.Info.TrainPlaylists, m.Info.ValPlaylists = len(train), len(val)
	m.Info.TrainTracks = len(xs)
	m.Info.TrainRuns, m.Info.ValRuns = len(runs), len(valRuns)
	m.Info.TargetMean, m.Info.TargetMAD = targetStats(runs)
	if len(valRuns) > 0 {
		ev := m.evaluateRuns(valRuns)
		m.Info.Eval = &ev
	}
	zs := make([]features.Vector, len(xs))
	for i, x := range xs {
		zs[i] = scaler.Transform(x)
	}
	m.Domain = newDomain(train, zs, m.Info.Eval, cfg.Seed, cfg.Workers)
	m.Info.Created = time.Now().UTC().Truncate(time.Second)
	m.Info.Version = Version()
	return m, err
}

// IsInterrupted reports whether err says that training was cancelled (in
// which case Train returned a usable model as well).
func IsInterrupted(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
