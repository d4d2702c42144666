package taste

import (
	"context"
	"errors"
	"fmt"
	"github.com/discoflow/disco/internal/optim"
	"math"
	"math/rand/v2"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model/scale"
)

// Epoch is the record of one training epoch.
type Epoch struct {
	Epoch int     `json:"epoch"` // from 1
	Train float64 `json:"train"` // mean loss of the epoch's batches (with weight decay)
	Val   float64 `json:"val"`   // loss on the validation songs after the epoch; 0 without validation songs
	Best  bool    `json:"best"`  // the lowest validation loss so far
}

// Hooks are called during training; nil fields are skipped.
type Hooks struct {
	Epoch func(Epoch)
}

// Stop reasons recorded in Info.Stopped.
const (
	StopCompleted   = "completed"   // all epochs ran
	StopEarly       = "early"       // patience ran out
	StopInterrupted = "interrupted" // the context was cancelled
)

// Info records how a model was trained.
type Info struct {
	History    []Epoch   `json:"history"`
	BestEpoch  int       `json:"best_epoch"` // the epoch whose weights the model holds, from 1
	EpochsRun  int       `json:"epochs_run"`
	Stopped    string    `json:"stopped"`
	TrainSongs []int     `json:"train_songs"` // per label, trained on
	ValSongs   []int     `json:"val_songs"`   // per label, held out for early stopping
	Weights    []float64 `json:"class_weights"`
	Seconds    float64   `json:"seconds"`
	Data       []string  `json:"data,omitempty"` // where the songs came from, for the record
}

// Errors of training.
var (
	ErrLabels     = errors.New("taste: need at least two labels")
	ErrEmptyLabel = errors.New("taste: a label has no training songs")
)

// Inputs returns the network inputs of track t under scaler s: the 8
// scaled abstract features, the mode, then the key and tempo inputs (see
// NumInputs; a network without them reads only the first NumInputs). It
// returns an error if t has no features.
func Inputs(s *scale.Scaler, t *features.Track) (Input, error) {
	var x Input
	if !t.HasFeatures {
		return x, fmt.Errorf("taste: %s (%s) has no audio features", t, t.ID)
	}
	z := s.Transform(t.Features)
	copy(x[:], z[:])
	x[features.NumAbstract] = features.ModeInput(t.Mode)
	if t.Key >= 0 && t.Key < 12 {
		a := 2 * math.Pi * float64(7*t.Key%12) / 12
		x[NumInputs], x[NumInputs+1] = math.Cos(a), math.Sin(a)
	}
	if t.Tempo > 0 && !math.IsInf(t.Tempo, 0) {
		a := 2 * math.Pi * math.Log2(t.Tempo)
		x[NumInputs+2], x[NumInputs+3] = math.Cos(a), math.Sin(a)
	}
	return x, nil
}

// Train trains a taste model on tracks labelled ys (indices into labels;
// at least two labels, each with songs). It fits the scaler on tracks,
// holds out cfg.ValFrac of them (stratified, seeded) for early stopping,
// and returns the model with the best epoch's weights. Every track must
// have features. If ctx is cancelled it stops between epochs and returns
// the best model so far with an error wrapping ctx.Err().
func Train(ctx context.Context, cfg Config, labels []string, tracks []*features.Track, ys []int, hooks Hooks) (*Model, error) {
	if len(tracks) != len(ys) {
		panic("taste: Train with tracks and labels of different lengths")
	}
	if len(labels) < 2 {
		return nil, fmt.Errorf("%w, got %d", ErrLabels, len(labels))
	}
	raw := make([]features.Vector, len(tracks))
	for i, t := range tracks {
		if !t.HasFeatures {
			return nil, fmt.Errorf("taste: %s (%s) has no audio features", t, t.ID)
		}
		raw[i] = t.Features
	}
	scaler, err := scale.FitScaler(raw)
	if err != nil {
		return nil, fmt.Errorf("taste: fitting the scaler: %w", err)
	}
	xs := make([]Input, len(tracks))
	for i, t := range tracks {
		xs[i], _ = Inputs(scaler, t)
	}
	net, info, err := TrainInputs(ctx, cfg, len(labels), xs, ys, hooks)
	if net == nil {
		return nil, err
	}
	m := &Model{Labels: append([]string(nil), labels...), Config: cfg.Defaults(), Scaler: *scaler, Net: net, Info: info}
	return m, err
}

// TrainInputs trains a network on ready-made inputs xs with labels ys in
// 0..k-1 (see Train, which calls it). It returns the best network, the
// training record and, if ctx was cancelled, an error wrapping ctx.Err()
// with the best network so far.
func TrainInputs(ctx context.Context, cfg Config, k int, xs []Input, ys []int, hooks Hooks) (*Net, Info, error) {
	start := time.Now()
	if err := cfg.Validate(); err != nil {
		return nil, Info{}, err
	}
	cfg = cfg.Defaults()
	if k < 2 {
		return nil, Info{}, fmt.Errorf("%w, got %d", ErrLabels, k)
	}
	for i, y := range ys {
		if y < 0 || y >= k {
			return nil, Info{}, fmt.Errorf("taste: song %d has label %d of %d", i, y, k)
		}
	}
	trainIdx, valIdx := []int(nil), []int(nil)
	if cfg.ValFrac > 0 {
		trainIdx, valIdx = StratifiedSplit(ys, cfg.ValFrac, cfg.Seed)
	} else {
		trainIdx, _ = StratifiedSplit(ys, 0, cfg.Seed)
	}
	info := Info{TrainSongs: make([]int, k), ValSongs: make([]int, k), Weights: make([]float64, k)}
	for _, i := range trainIdx {
		info.TrainSongs[ys[i]]++
	}
	for _, i := range valIdx {
		info.ValSongs[ys[i]]++
	}
	for c, n := range info.TrainSongs {
		if n == 0 {
			return nil, Info{}, fmt.Errorf("%w (label %d)", ErrEmptyLabel, c)
		}
		info.Weights[c] = 1
		if cfg.ClassWeights == Balanced {
			info.Weights[c] = float64(len(trainIdx)) / float64(k*n)
		}
	}
	w := make([]float64, len(ys))
	for i, y := range ys {
		w[i] = info.Weights[y]
	}
	valX, valY, valW := gather(xs, ys, w, valIdx)

	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed7a57e))
	net := NewNet(inputsOf(cfg), cfg.Hidden, cfg.Activation, k, rng)
	B := min(cfg.BatchSize, len(trainIdx))
	l2 := max(cfg.L2, 0)
	gg, err := newGraph(net.Sizes, cfg.Activation, B, l2)
	if err != nil {
		return nil, Info{}, err
	}
	defer gg.close()
	opt := optim.NewAdam(len(net.Data), cfg.LearnRate)
	grad := make([]float64, len(net.Data))
	best, bestLoss, since := net.Clone(), math.Inf(1), 0
	order := append([]int(nil), trainIdx...)
	stopped := StopCompleted
	var cerr error
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		if err := ctx.Err(); err != nil {
			stopped, cerr = StopInterrupted, fmt.Errorf("taste: training interrupted: %w", err)
			break
		}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var sum float64
		var nb int
		for lo := 0; lo < len(order); lo += B {
			idx := order[lo:min(lo+B, len(order))]
			sw := 0.0
			for _, i := range idx {
				sw += w[i]
			}
			loss, err := gg.run(net, xs, ys, w, idx, 1/sw, grad)
			if err != nil {
				return nil, Info{}, err
			}
			opt.Step(net.Data, grad)
			sum += loss
			nb++
		}
		e := Epoch{Epoch: epoch, Train: sum / float64(nb)}
		cur := e.Train
		if len(valIdx) > 0 {
			e.Val = net.Loss(valX, valY, valW, l2)
			cur = e.Val
		}
		if len(valIdx) == 0 || cur < bestLoss {
			bestLoss, since, e.Best = cur, 0, true
			best = net.Clone()
			info.BestEpoch = epoch
		} else {
			since++
		}
		info.History = append(info.History, e)
		info.EpochsRun = epoch
		if hooks.Epoch != nil {
			hooks.Epoch(e)
		}
		if cfg.Patience > 0 && since >= cfg.Patience {
			stopped = StopEarly
			break
		}
	}
	info.Stopped = stopped
	info.Seconds = time.Since(start).Seconds()
	return best, info, cerr
}

func gather(xs []Input, ys []int, w []float64, idx []int) ([]Input, []int, []float64) {
	gx := make([]Input, len(idx))
	gy := make([]int, len(idx))
	gw := make([]float64, len(idx))
	for j, i := range idx {
		gx[j], gy[j], gw[j] = xs[i], ys[i], w[i]
	}
	return gx, gy, gw
}
