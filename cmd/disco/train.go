package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/builtin"
	"github.com/discoflow/disco/features/load"
	"github.com/discoflow/disco/internal/atomic"
	"github.com/discoflow/disco/model"
	"github.com/discoflow/disco/plots"
)

func init() {
	register(command{name: "train", summary: "train a flow model on playlists", run: runTrain})
}

const trainHelp = `
Trains the flow model: a recurrent network that, from the playlist so far,
predicts the scaled audio features of the next song. The scaler is fitted on
the training playlists only; validation playlists are held out whole.

Without --data it trains on the embedded catalog. Training stops early when
the validation error has not improved for --patience epochs, and keeps the
best epoch's weights. Ctrl-C stops between batches and still writes the best
model so far.

At the end it prints the validation error of the model against three
baselines: the last song repeated, the running mean of the playlist so far,
and the global mean of the training targets (whose error is the mean
absolute deviation, MAD).

By default the model is residual on the running mean (--residual mean): the
network predicts the correction to the running mean of the playlist so far
(or, with --residual ewma, to an exponentially weighted mean, its rate
fitted on the training playlists or set with --ewma-rate), so that a zero
output predicts the baseline, and the model kept is never worse than the
baseline on the validation playlists. --residual none is DISCO's plain
formulation; its weight decay defaults to 0.

The defaults are the embedded model's recipe (tanh, lr 0.003, weight decay
0.3 with a residual, 60 epochs, patience 8), chosen by cross-validation: in
leave-one-genre-out it is below the running mean on every held-out genre,
where the plain form (--residual none --lr 0.01) is up to 9% above it.
DISCO's original settings are --residual none --activation linear --lr 0.001
--epochs 10 --patience 3.

--input-noise S adds Gaussian noise of deviation S to the scaled feature
inputs while training, --dropout P drops units between the recurrent layers
while training; both drawn from the seed, both recorded in the model file,
neither used at inference. Both are off by default: measured with --cv (see
the README), neither moved the error or the MRR beyond the seeds' spread.

--cv genre (leave one genre out) or --cv K (K folds of playlists) writes no
model: it trains one per fold, on the other folds (validating on --val of
them for early stopping), and prints each fold's held-out error against the
running mean, the last song and the global mean, and the catalog MRR of
the true next song (DISCO's score with disco eval's default knobs, against
the order-blind centroid, among 99 catalog distractors, as disco eval
reports it), with the mean and standard deviation over the folds;
--format json writes the same as JSON. Leave-one-genre-out needs two
genres or more, each with at least 5 playlists.

Examples:
  disco train --out my.disco
  disco train --data spotify_songs.csv --epochs 80 --lr 0.01 --plot loss.png --out my.disco
  disco train --residual mean --cv genre
`

// trainOptions are the flags of disco train.
type trainOptions struct {
	data     multiFlag
	out      string
	plot     string
	hidden   string
	skipBad  bool
	val      float64
	patience int
	cv       string
	valGenre bool
	format   string
	cfg      model.Config
}

// The defaults of disco train that differ from model.Config's zero value
// (DISCO's plain form): the embedded model's recipe (see the
// model/builtin doc), chosen by cross-validation in issue 17.
var trainDefaults = model.Config{
	Activation:  model.Tanh,
	Epochs:      60,
	LearnRate:   0.003,
	Patience:    8,
	Residual:    model.ResidualMean,
	WeightDecay: 0.3, // with a residual; none for --residual none
}

func runTrain(ctx context.Context, e *env, args []string) error {
	def := trainDefaults.Defaults()
	var o trainOptions
	fs := newFlags(e, "train", "[--data FILE ...] --out FILE [flags]", trainHelp)
	fs.Var(&o.data, "data", "playlist data `file` (repeatable; default: the embedded catalog)")
	fs.StringVar(&o.out, "out", "model.disco", "write the model to `file`")
	fs.StringVar(&o.plot, "plot", "", "draw training and validation error per epoch to `file` (.png, .svg, .pdf)")
	fs.StringVar(&o.hidden, "hidden", joinInts(def.Hidden), "units of each recurrent `layer`, comma-separated")
	fs.StringVar(&o.cfg.Activation, "activation", def.Activation, "recurrent activation: linear or tanh")
	fs.IntVar(&o.cfg.BatchSize, "batch", def.BatchSize, "sequences per gradient step")
	fs.IntVar(&o.cfg.Epochs, "epochs", def.Epochs, "maximum number of epochs")
	fs.Float64Var(&o.cfg.LearnRate, "lr", def.LearnRate, "Adam learning rate")
	fs.Uint64Var(&o.cfg.Seed, "seed", 1, "seed of the initial weights, the batch order and the validation split")
	fs.IntVar(&o.cfg.Window, "window", def.Window, "steps per training sequence, T (at most 255)")
	fs.IntVar(&o.cfg.Stride, "stride", 0, "steps between windows over longer playlists (default window/2)")
	fs.IntVar(&o.cfg.MinLen, "min-len", def.MinLen, "fewest consecutive tracks with features that make a sequence")
	fs.Float64Var(&o.val, "val", def.ValFrac, "fraction of playlists held out for validation (0: none)")
	fs.IntVar(&o.patience, "patience", def.Patience, "stop after this many epochs without a better validation error (0: never)")
	fs.IntVar(&o.cfg.Workers, "workers", 0, "data-parallel workers (default: the number of CPUs); results are reproducible for a given number")
	fs.StringVar(&o.cfg.Engine, "engine", def.Engine, "training engine: native (fast, plain Go) or gorgonia (reference)")
	fs.StringVar(&o.cfg.Residual, "residual", def.Residual, "formulation: none (the network predicts the next song), mean or ewma (it predicts the correction to the running mean or an exponentially weighted mean of the songs so far)")
	fs.Float64Var(&o.cfg.Rate, "ewma-rate", 0, "rate of the ewma baseline, in (0, 1] (default: fitted on the training playlists)")
	fs.Float64Var(&o.cfg.WeightDecay, "weight-decay", def.WeightDecay, "decoupled (AdamW) weight decay: each step shrinks every weight by lr*this fraction; for a residual model it pulls towards the baseline (default 0 with --residual none)")
	fs.Float64Var(&o.cfg.InputNoise, "input-noise", 0, "training only: standard deviation of Gaussian noise added to the scaled feature inputs (0: none)")
	fs.Float64Var(&o.cfg.Dropout, "dropout", 0, "training only: probability of dropping a unit between the recurrent layers (0: none; needs two layers or more)")
	fs.StringVar(&o.format, "format", "table", "with --cv: output format, table or json")
	fs.StringVar(&o.cv, "cv", "", "cross-validate instead of writing a model: `genre` (leave one genre out) or K (folds of playlists)")
	fs.BoolVar(&o.valGenre, "val-genre", false, "with --cv genre: stop early on another whole genre, unseen in training, instead of --val of the training playlists")
	fs.BoolVar(&o.skipBad, "skip-bad", false, "skip malformed rows instead of stopping at the first")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "disco train: unexpected arguments %q\n", fs.Args())
		return errUsage
	}
	hidden, err := parseInts(o.hidden)
	if err != nil {
		fmt.Fprintf(e.stderr, "disco train: --hidden: %v\n", err)
		return errUsage
	}
	o.cfg.Hidden = hidden
	if o.cfg.Residual == model.ResidualNone && !flagSet(fs, "weight-decay") {
		o.cfg.WeightDecay = 0 // the plain form, as DISCO's
	}
	// Zero means "the default" in model.Config; on the command line the
	// defaults are the flags' own, so a 0 here is a mistake.
	if err := checkCounts(
		count{"epochs", o.cfg.Epochs, 1, 1_000_000},
		count{"batch", o.cfg.BatchSize, 1, 1 << 20},
		count{"window", o.cfg.Window, 1, 255},
	); err != nil {
		return err
	}
	o.cfg.ValFrac = o.val
	if o.val <= 0 {
		o.cfg.ValFrac = -1
	}
	o.cfg.Patience = o.patience
	if o.patience <= 0 {
		o.cfg.Patience = -1
	}
	if err := o.cfg.Validate(); err != nil {
		fmt.Fprintf(e.stderr, "disco train: %v\n", err)
		return errUsage
	}
	cfg := o.cfg.Defaults()
	var k int
	if o.cv != "" && o.cv != "genre" {
		if k, err = strconv.Atoi(o.cv); err != nil {
			fmt.Fprintf(e.stderr, "disco train: --cv %q: want genre or a number of folds\n", o.cv)
			return errUsage
		}
		if err := checkCounts(count{"cv", k, 2, 1000}); err != nil {
			return err
		}
	}
	if o.format != "table" && o.format != "json" {
		fmt.Fprintf(e.stderr, "disco train: --format %q: want table or json\n", o.format)
		return errUsage
	}
	if o.format != "table" && o.cv == "" {
		fmt.Fprintln(e.stderr, "disco train: --format goes with --cv")
		return errUsage
	}
	if o.valGenre && o.cv != "genre" {
		fmt.Fprintln(e.stderr, "disco train: --val-genre goes with --cv genre")
		return errUsage
	}
	if o.cv == "" {
		if err := checkOutputs("", o.out, o.plot); err != nil {
			return err
		}
	}

	ds, names, err := loadDataset(e, o.data, o.skipBad)
	if err != nil {
		return err
	}
	pls := ds.Playlists
	if o.cv != "" {
		return crossValidateTrain(ctx, e, cfg, ds, names, k, o.valGenre, o.format)
	}
	train, val := model.Split(pls, cfg.ValFrac, cfg.Seed)
	fmt.Fprintf(e.stderr, "training on %d playlists, validating on %d; %s engine, %d workers\n",
		len(train), len(val), cfg.Engine, cfg.Workers)

	var bar *progress
	var sum float64
	var nb int
	epochStart := time.Now()
	hooks := model.Hooks{
		Batch: func(s model.BatchStats) {
			if s.Batch == 1 {
				bar = newProgress(e.stderr, fmt.Sprintf("epoch %*d/%d", len(strconv.Itoa(cfg.Epochs)), s.Epoch, cfg.Epochs), s.Total, "seq")
				bar.start = epochStart
				sum, nb = 0, 0
			}
			sum += s.Loss
			nb++
			bar.suffix = fmt.Sprintf("train %.4f", sum/float64(nb))
			bar.Set(s.Sequences)
		},
		Epoch: func(s model.EpochStats) {
			note := fmt.Sprintf("train %.4f", s.TrainMAE)
			if len(val) > 0 {
				note += fmt.Sprintf("  val %.4f", s.ValMAE)
			}
			if s.Best {
				note += " *"
			}
			bar.Note("%s", note)
			bar.Done()
			epochStart = time.Now()
		},
	}
	m, err := model.Train(ctx, cfg, train, val, hooks)
	if m == nil {
		if bar != nil {
			bar.Done()
		}
		return err
	}
	interrupted := err != nil
	if interrupted && bar != nil {
		fmt.Fprintln(e.stderr)
	}
	m.Info.Data = names
	// The model and its plot go into place together, or neither.
	var outs atomic.Set
	defer outs.Abort()
	if serr := outs.Add(o.out, 0o644, m.Write); serr != nil {
		return errors.Join(fmt.Errorf("writing %s: %w", o.out, serr), err)
	}
	plotted := o.plot != "" && len(m.Info.History) > 0
	if plotted {
		if perr := plotLoss(&outs, m, o.plot); perr != nil {
			return errors.Join(fmt.Errorf("%v (nothing written)", perr), err)
		}
	}
	if serr := outs.Commit(); serr != nil {
		return errors.Join(serr, err)
	}
	fmt.Fprintf(e.stderr, "wrote %s (epoch %d of %d, %s, %.1fs)\n", o.out, m.Info.BestEpoch, m.Info.EpochsRun, m.Info.Stopped, m.Info.Seconds)
	if plotted {
		fmt.Fprintf(e.stderr, "wrote %s\n", o.plot)
	}
	if m.Info.Eval != nil {
		printEvaluation(e.stdout, m.Info.Eval, m.Info.ValPlaylists)
	}
	if interrupted {
		return fmt.Errorf("training interrupted; the best model so far is in %s: %w", o.out, err)
	}
	return nil
}

// loadPlaylists reads the data files (the embedded catalog when there are
// none), merges them (load.Merge: each track once, playlists concatenated)
// and returns the playlists and the files' names.
func loadPlaylists(e *env, paths []string, skipBad bool) ([]*features.Playlist, []string, error) {
	ds, names, err := loadDataset(e, paths, skipBad)
	if err != nil {
		return nil, nil, err
	}
	return ds.Playlists, names, nil
}

// loadDataset is loadPlaylists returning the merged dataset, its catalog
// too.
func loadDataset(e *env, paths []string, skipBad bool) (*features.Dataset, []string, error) {
	if len(paths) == 0 {
		paths = []string{""}
	}
	var dss []*features.Dataset
	var names []string
	for _, p := range paths {
		ds, err := openCatalog(p, skipBad)
		if err != nil {
			return nil, nil, err
		}
		name := p
		if p == "" {
			name = builtin.Name
		}
		reportData(e.stderr, name, ds.Report, false)
		dss = append(dss, ds)
		names = append(names, name)
	}
	ds := dss[0]
	if len(dss) > 1 {
		ds = load.Merge(dss...)
	}
	if len(ds.Playlists) == 0 {
		return nil, nil, fmt.Errorf("no playlists in %s", strings.Join(names, ", "))
	}
	return ds, names, nil
}

func plotLoss(outs *atomic.Set, m *model.Model, path string) error {
	var tr, va []float64
	for _, s := range m.Info.History {
		tr = append(tr, s.TrainMAE)
		if m.Info.ValSteps > 0 {
			va = append(va, s.ValMAE)
		}
	}
	fig, err := plots.Loss(tr, va, m.Info.BestEpoch-1, "flow model: mean absolute error per epoch")
	if err != nil {
		return err
	}
	return plots.AddTo(outs, fig, 0, 0, path)
}

// printEvaluation prints the validation table: the RNN against the
// baselines, overall and per feature, and says plainly whether the RNN
// beats the running mean.
func printEvaluation(w io.Writer, ev *model.Evaluation, playlists int) {
	fmt.Fprintf(w, "Validation: mean absolute error on %d transitions of %d playlists (scaled features; lower is better)\n\n", ev.Steps, playlists)
	fmt.Fprintf(w, "%-22s %7s %8s", "predictor", "MAE", "MAE/MAD")
	for _, n := range features.AbstractNames {
		fmt.Fprintf(w, " %6.6s", n)
	}
	fmt.Fprintln(w)
	row := func(name string, s model.Score) {
		fmt.Fprintf(w, "%-22s %7.4f %8.3f", name, s.MAE, s.MAE/ev.MAD)
		for _, v := range s.PerFeature {
			fmt.Fprintf(w, " %6.3f", v)
		}
		fmt.Fprintln(w)
	}
	row("RNN", ev.RNN)
	row("last song repeated", ev.Last)
	row("running mean so far", ev.RunningMean)
	row("global mean of train", ev.GlobalMean)
	if ev.EWMA != nil {
		row("EWMA so far (model's)", *ev.EWMA)
	}
	fmt.Fprintf(w, "%-22s %7.4f %8.3f\n\n", "MAD of train targets", ev.MAD, 1.0)
	fmt.Fprintf(w, "MAE/MAD = %.3f (DISCO's original reported 0.69).\n", ev.Ratio())
	d := ev.RunningMean.MAE - ev.RNN.MAE
	if ev.BeatsRunningMean() {
		fmt.Fprintf(w, "The RNN beats the running-mean baseline by %.4f (%.1f%%).\n", d, 100*d/ev.RunningMean.MAE)
	} else {
		fmt.Fprintf(w, "The RNN does NOT beat the running-mean baseline: it is worse by %.4f (%.1f%%); it learnt no more than the playlist's average so far.\n", -d, -100*d/ev.RunningMean.MAE)
	}
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a list of positive integers", s)
		}
		out = append(out, n)
	}
	return out, nil
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}
