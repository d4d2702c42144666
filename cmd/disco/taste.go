package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/builtin"
	"github.com/discoflow/disco/internal/atomic"
	"github.com/discoflow/disco/model/taste"
	"github.com/discoflow/disco/selector/app"
)

func init() {
	register(command{name: "taste", summary: "learn whose song it is: train and apply a taste model", run: runTaste})
}

const tasteGroupHelp = `
Subcommands:
  train    train a taste model on labelled songs and score it on a held-out split
  predict  each song's probability per label under a taste model

Run "disco taste SUBCOMMAND -h" for each.
`

func runTaste(ctx context.Context, e *env, args []string) error {
	return runGroup(ctx, e, args, "taste", tasteGroupHelp, map[string]func(context.Context, *env, []string) error{
		"train":   runTasteTrain,
		"predict": runTastePredict,
	})
}

const tasteTrainHelp = `
Trains a taste model: a small neural network (an MLP over the 8 scaled audio
features, the mode, and the key and tempo encoded as a place on the circle of
fifths and a phase within the tempo's octave) that tells whose, or which kind
of, song a song is.

Labels come either from files, one per label (--label NAME=FILE, repeatable;
FILE is a playlist in any format disco reads: a liked-songs export, an
M3U8, an id list, a CSV), or from a column of one data set
(--label-column playlist_genre over --data, default the embedded catalog).
Songs without features are filled from the embedded catalog where it knows
them; the rest are counted, named and left out.

A held-out split (--test, stratified by label, seeded) is kept away from
training. The rest trains the network, with --val of it held out (again
stratified) for early stopping: training stops when the validation loss has
not improved for --patience epochs and keeps the best epoch's weights. The
output scores, on the held-out split, the network against a logistic
regression (the same training without hidden layers) and the majority
class: ROC AUC (one-vs-rest, macro-averaged, for more than two labels),
macro F1, precision, recall, accuracy and confusion matrices.

A song under two labels is reported and, by --dupes, dropped from both
(drop, the default) or kept under the first (first). A label with fewer
than --min-songs songs is an error (with --force, a warning).

--plot-dir draws roc.png, loss.png and tsne.png (the t-SNE map of the
network's last hidden layer on the held-out songs, coloured by label, with
the most out-of-place songs named).

Examples:
  disco taste train --label me=liked.csv --label you=their_liked.csv --out us.disco
  disco taste train --label-column playlist_genre --out genres.disco --plot-dir plots
  disco taste train --label-column playlist_genre --only pop,r&b --out pop-rnb.disco
`

type tasteTrainOptions struct {
	labels     multiFlag
	column     string
	data       string
	only       string
	out        string
	format     string
	plotDir    string
	hidden     string
	test       float64
	val        float64
	minSongs   int
	maxPer     int
	force      bool
	dupes      string
	shuffle    bool
	skipBad    bool
	verbose    bool
	perplexity float64
	config     string
	tsneMax    int
	cfg        taste.Config
}

func runTasteTrain(ctx context.Context, e *env, args []string) error {
	def := taste.Config{}.Defaults()
	var o tasteTrainOptions
	fs := newFlags(e, "taste train", "(--label NAME=FILE ... | --label-column COLUMN) --out FILE [flags]", tasteTrainHelp)
	fs.Var(&o.labels, "label", "`NAME=FILE`: the songs of FILE have label NAME (repeatable, at least twice)")
	fs.StringVar(&o.column, "label-column", "", "take labels from this `column` of --data: playlist_genre, playlist_subgenre or playlist_name")
	fs.StringVar(&o.data, "data", "", "data `file` for --label-column (default: the embedded catalog)")
	fs.StringVar(&o.only, "only", "", "with --label-column, keep only these comma-separated `labels`")
	fs.StringVar(&o.out, "out", "taste.disco", "write the model to `file`")
	fs.StringVar(&o.format, "format", "table", "output format: table or json")
	fs.StringVar(&o.plotDir, "plot-dir", "", "draw roc.png, loss.png and tsne.png into `dir`")
	fs.StringVar(&o.hidden, "hidden", joinInts(def.Hidden), "units of each hidden `layer`, comma-separated (0: none, which is logistic regression)")
	fs.StringVar(&o.cfg.Activation, "activation", def.Activation, "hidden activation: relu, tanh, sigmoid or linear")
	fs.IntVar(&o.cfg.BatchSize, "batch", def.BatchSize, "songs per Adam step")
	fs.IntVar(&o.cfg.Epochs, "epochs", def.Epochs, "maximum number of epochs")
	fs.Float64Var(&o.cfg.LearnRate, "lr", def.LearnRate, "Adam learning rate")
	fs.Float64Var(&o.cfg.L2, "l2", 0, "weight decay")
	fs.IntVar(&o.cfg.Patience, "patience", def.Patience, "stop after this many epochs without a lower validation loss")
	fs.StringVar(&o.cfg.ClassWeights, "class-weights", def.ClassWeights, "balanced (each label weighs the same) or none")
	fs.Uint64Var(&o.cfg.Seed, "seed", 1, "seed of the splits, the initial weights, the batch order and t-SNE")
	fs.Float64Var(&o.test, "test", 0.2, "fraction of each label held out for scoring")
	fs.Float64Var(&o.val, "val", def.ValFrac, "fraction of the training songs of each label held out for early stopping")
	fs.IntVar(&o.minSongs, "min-songs", 10, "fewest songs a label needs")
	fs.IntVar(&o.maxPer, "max-per-label", 0, "use at most this many songs of each label, drawn with the seed (0: all)")
	fs.BoolVar(&o.force, "force", false, "train even when a label has fewer than --min-songs songs")
	fs.StringVar(&o.dupes, "dupes", "drop", "a song under two labels: drop (from both) or first (keep the first label)")
	fs.BoolVar(&o.shuffle, "shuffle-labels", false, "shuffle the labels over the songs first (a sanity check: AUC should come out near 0.5)")
	fs.Float64Var(&o.perplexity, "perplexity", 30, "t-SNE perplexity (with --plot-dir)")
	fs.IntVar(&o.tsneMax, "tsne-max", 1500, "t-SNE at most this many held-out songs, drawn with the seed (with --plot-dir)")
	fs.BoolVar(&o.cfg.KeyTempo, "key-tempo", true, "add the key (on the circle of fifths) and the tempo's phase within its octave to the inputs (--key-tempo=false: the 8 features and the mode only)")
	fs.BoolVar(&o.skipBad, "skip-bad", false, "skip malformed rows instead of stopping at the first")
	fs.BoolVar(&o.verbose, "v", false, "print every epoch")
	fs.StringVar(&o.config, "config", "", "read the network and training settings from this JSON `file` (the \"config\" of a model file; fields: "+strings.Join(tasteConfigFields, ", ")+"); the flags that set them may then not be given")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "disco taste train: unexpected arguments %q\n", fs.Args())
		return errUsage
	}
	switch {
	case len(o.labels) > 0 && o.column != "":
		return badFlag(errors.New("give either --label or --label-column, not both"))
	case len(o.labels) == 0 && o.column == "":
		return badFlag(errors.New("give the labels: --label NAME=FILE (at least twice) or --label-column playlist_genre"))
	case o.data != "" && o.column == "":
		return badFlag(errors.New("--data goes with --label-column; with --label each FILE holds one label's songs"))
	case o.only != "" && o.column == "":
		return badFlag(errors.New("--only goes with --label-column"))
	case o.format != "table" && o.format != "json":
		return badFlag(fmt.Errorf("--format %q: want table or json", o.format))
	case o.dupes != "drop" && o.dupes != "first":
		return badFlag(fmt.Errorf("--dupes %q: want drop or first", o.dupes))
	case !(o.test > 0 && o.test < 0.9):
		return badFlag(fmt.Errorf("--test %v: want a fraction in (0, 0.9)", o.test))
	case !(o.val > 0 && o.val < 0.9):
		return badFlag(fmt.Errorf("--val %v: want a fraction in (0, 0.9)", o.val))
	case !(o.perplexity >= 2 && o.perplexity <= 100):
		return badFlag(fmt.Errorf("--perplexity %v: want 2 to 100", o.perplexity))
	}
	hidden := []int{}
	if strings.TrimSpace(o.hidden) != "" && o.hidden != "0" {
		h, err := parseInts(o.hidden)
		if err != nil {
			return badFlag(fmt.Errorf("--hidden: %v", err))
		}
		hidden = h
	}
	o.cfg.Hidden = hidden
	o.cfg.ValFrac = o.val
	if o.cfg.Patience <= 0 {
		o.cfg.Patience = -1
	}
	if o.config != "" {
		var clash []string
		fs.Visit(func(f *flag.Flag) {
			if slices.Contains(tasteConfigFlags, f.Name) {
				clash = append(clash, "--"+f.Name)
			}
		})
		if len(clash) > 0 {
			return badFlag(fmt.Errorf("--config sets the network and training; drop %s or the config file", strings.Join(clash, ", ")))
		}
		cfg, err := readTasteConfig(o.config)
		if err != nil {
			return err
		}
		cfg.Seed = o.cfg.Seed
		o.cfg = cfg.Defaults()
		o.val = o.cfg.ValFrac
	}
	if err := checkCounts(
		count{"epochs", o.cfg.Epochs, 1, 1_000_000},
		count{"batch", o.cfg.BatchSize, 1, 1 << 20},
		count{"min-songs", o.minSongs, 2, 1 << 30},
		count{"tsne-max", o.tsneMax, 10, 20000},
	); err != nil {
		return err
	}
	if err := o.cfg.Validate(); err != nil {
		return badFlag(err)
	}
	var plotPaths []string
	if o.plotDir != "" {
		for _, n := range []string{"roc.png", "loss.png", "tsne.png"} {
			plotPaths = append(plotPaths, filepath.Join(o.plotDir, n))
		}
	}
	if err := checkOutputs(o.plotDir, append([]string{o.out}, plotPaths...)...); err != nil {
		return err
	}

	set, err := gatherLabelled(ctx, e, &o)
	if err != nil {
		return err
	}
	res, err := trainAndScore(ctx, e, &o, set)
	if err != nil {
		return err
	}
	res.model.Info.Data = set.sources

	var outs atomic.Set
	defer outs.Abort()
	if err := outs.Add(o.out, 0o644, res.model.Write); err != nil {
		return fmt.Errorf("writing %s: %w", o.out, err)
	}
	var odd []oddSong
	if o.plotDir != "" {
		if odd, err = tastePlots(&outs, &o, set, res, plotPaths); err != nil {
			return fmt.Errorf("%v (nothing written)", err)
		}
	}
	if err := outs.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "wrote %s\n", o.out)
	for _, p := range plotPaths {
		fmt.Fprintf(e.stderr, "wrote %s\n", p)
	}
	if o.format == "json" {
		return writeTasteJSON(e.stdout, set, res, odd)
	}
	printTasteTable(e.stdout, set, res, odd)
	return nil
}

// tasteConfigFlags are the flags that a --config file replaces.
var tasteConfigFlags = []string{"hidden", "activation", "batch", "epochs", "lr", "l2", "patience", "class-weights", "val", "key-tempo"}

// tasteConfigFields are the JSON fields of taste.Config that a --config
// file may hold.
var tasteConfigFields = []string{"hidden", "activation", "batch_size", "epochs", "learn_rate", "l2", "val_frac", "patience", "class_weights", "key_tempo"}

// readTasteConfig reads a taste.Config from a JSON file. Fields left out
// take the library's defaults (key_tempo is then off, and a missing hidden
// means the default layers); unknown fields are an error.
func readTasteConfig(path string) (taste.Config, error) {
	var cfg taste.Config
	b, err := os.ReadFile(path)
	if err != nil {
		return cfg, fmt.Errorf("--config: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return cfg, fmt.Errorf("--config %s: %w", path, err)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("--config %s: %w", path, err)
	}
	return cfg, nil
}

// labelledSet is the songs to learn from, each under one label.
type labelledSet struct {
	labels  []string
	tracks  []*features.Track
	ys      []int
	sources []string
	dupes   int // songs under more than one label
	missing int // songs without features, left out
}

// gatherLabelled reads the labelled songs of o's --label or --label-column.
func gatherLabelled(ctx context.Context, e *env, o *tasteTrainOptions) (*labelledSet, error) {
	type entry struct {
		t      *features.Track
		labels []string
	}
	var order []string
	byID := map[string]*entry{}
	var labels []string
	add := func(t *features.Track, label string) {
		en := byID[t.ID]
		if en == nil {
			en = &entry{t: t}
			byID[t.ID] = en
			order = append(order, t.ID)
		}
		if !slices.Contains(en.labels, label) {
			en.labels = append(en.labels, label)
		}
	}
	set := &labelledSet{}
	if o.column != "" {
		var key func(p *features.Playlist) string
		switch o.column {
		case "playlist_genre", "genre":
			key = func(p *features.Playlist) string { return p.Genre }
		case "playlist_subgenre", "subgenre":
			key = func(p *features.Playlist) string { return p.Subgenre }
		case "playlist_name":
			key = func(p *features.Playlist) string { return p.Name }
		default:
			return nil, badFlag(fmt.Errorf("--label-column %q: want playlist_genre, playlist_subgenre or playlist_name", o.column))
		}
		ds, err := openCatalog(o.data, o.skipBad)
		if err != nil {
			return nil, err
		}
		name := o.data
		if name == "" {
			name = builtin.Name
		}
		set.sources = []string{name + " (" + o.column + ")"}
		var keep map[string]bool
		if o.only != "" {
			keep = map[string]bool{}
			for _, l := range strings.Split(o.only, ",") {
				keep[strings.TrimSpace(l)] = true
			}
		}
		for _, p := range ds.Playlists {
			l := strings.TrimSpace(key(p))
			if l == "" || (keep != nil && !keep[l]) {
				continue
			}
			if !slices.Contains(labels, l) {
				labels = append(labels, l)
			}
			for _, t := range p.Tracks {
				add(t, l)
			}
		}
		if keep != nil {
			for l := range keep {
				if !slices.Contains(labels, l) {
					return nil, fmt.Errorf("--only: no playlist of %s has %s %q", name, o.column, l)
				}
			}
		}
		slices.Sort(labels)
	} else {
		for _, lf := range o.labels {
			name, path, ok := strings.Cut(lf, "=")
			name = strings.TrimSpace(name)
			if !ok || name == "" || path == "" {
				return nil, badFlag(fmt.Errorf("--label %q: want NAME=FILE", lf))
			}
			if slices.Contains(labels, name) {
				return nil, badFlag(fmt.Errorf("--label %s given twice", name))
			}
			ds, err := openCatalog(path, o.skipBad)
			if err != nil {
				return nil, err
			}
			tracks := ds.Catalog.Tracks
			if r, ok, err := app.FillMissing(ctx, tracks, ""); err != nil {
				return nil, err
			} else if ok {
				fmt.Fprintf(e.stderr, "%s: %s\n", name, r)
			}
			labels = append(labels, name)
			set.sources = append(set.sources, name+"="+path)
			for _, t := range tracks {
				add(t, name)
			}
		}
	}
	if len(labels) < 2 {
		return nil, fmt.Errorf("one label only (%s): a taste model tells at least two apart; give another --label NAME=FILE", strings.Join(labels, ""))
	}
	set.labels = labels
	index := map[string]int{}
	for i, l := range labels {
		index[l] = i
	}
	var missing, dupes []string
	for _, id := range order {
		en := byID[id]
		if len(en.labels) > 1 {
			set.dupes++
			if len(dupes) < 5 {
				dupes = append(dupes, fmt.Sprintf("%s (%s)", en.t, strings.Join(en.labels, ", ")))
			}
			if o.dupes == "drop" {
				continue
			}
		}
		if !en.t.HasFeatures {
			set.missing++
			if len(missing) < 10 {
				missing = append(missing, en.t.String())
			}
			continue
		}
		set.tracks = append(set.tracks, en.t)
		set.ys = append(set.ys, index[en.labels[0]])
	}
	if set.dupes > 0 {
		what := "dropped from all of them"
		if o.dupes == "first" {
			what = "kept under the first"
		}
		fmt.Fprintf(e.stderr, "%d songs are under more than one label, %s (--dupes): %s", set.dupes, what, strings.Join(dupes, "; "))
		if set.dupes > len(dupes) {
			fmt.Fprint(e.stderr, "; ...")
		}
		fmt.Fprintln(e.stderr)
	}
	if set.missing > 0 {
		fmt.Fprintf(e.stderr, "%d songs have no audio features and are left out: %s", set.missing, strings.Join(missing, "; "))
		if set.missing > len(missing) {
			fmt.Fprint(e.stderr, "; ...")
		}
		fmt.Fprintln(e.stderr, " (disco fetch features gets them)")
	}
	if o.maxPer > 0 {
		subsample(set, o.maxPer, o.cfg.Seed)
	}
	counts := make([]int, len(labels))
	for _, y := range set.ys {
		counts[y]++
	}
	for i, n := range counts {
		if n >= o.minSongs {
			continue
		}
		msg := fmt.Sprintf("label %s has %d songs with features; it needs at least %d (--min-songs)", labels[i], n, o.minSongs)
		if !o.force || n < 2 {
			if o.force {
				msg += "; even with --force a label needs 2"
			} else {
				msg += ", or --force to train anyway"
			}
			return nil, errors.New(msg)
		}
		fmt.Fprintln(e.stderr, "warning:", msg)
	}
	if o.shuffle {
		rng := rand.New(rand.NewPCG(o.cfg.Seed, 0x5f1e))
		rng.Shuffle(len(set.ys), func(i, j int) { set.ys[i], set.ys[j] = set.ys[j], set.ys[i] })
		fmt.Fprintln(e.stderr, "labels shuffled over the songs (--shuffle-labels): the scores below should be those of chance")
	}
	return set, nil
}

// subsample keeps at most n songs per label, drawn with seed, in their
// original order.
func subsample(set *labelledSet, n int, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x5ab))
	byLabel := make([][]int, len(set.labels))
	for i, y := range set.ys {
		byLabel[y] = append(byLabel[y], i)
	}
	var keep []int
	for _, idx := range byLabel {
		if len(idx) > n {
			rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
			idx = idx[:n]
		}
		keep = append(keep, idx...)
	}
	slices.Sort(keep)
	tr, ys := make([]*features.Track, len(keep)), make([]int, len(keep))
	for j, i := range keep {
		tr[j], ys[j] = set.tracks[i], set.ys[i]
	}
	set.tracks, set.ys = tr, ys
}

// predictorResult is one predictor's held-out scores and probabilities.
type predictorResult struct {
	Name   string       `json:"name"`
	Short  string       `json:"-"` // a column head: MLP, logistic, majority
	Scores taste.Scores `json:"scores"`
	probs  [][]float64
}

type tasteResult struct {
	model      *taste.Model
	logistic   *taste.Model
	trainIdx   []int
	testIdx    []int
	predictors []predictorResult // MLP, logistic regression, majority
}

func describeNet(cfg taste.Config) string {
	if len(cfg.Hidden) == 0 {
		return "logistic regression"
	}
	return fmt.Sprintf("MLP %s %s", strings.ReplaceAll(joinInts(cfg.Hidden), ",", "-"), cfg.Activation)
}

func trainAndScore(ctx context.Context, e *env, o *tasteTrainOptions, set *labelledSet) (*tasteResult, error) {
	trainIdx, testIdx := taste.StratifiedSplit(set.ys, o.test, o.cfg.Seed)
	res := &tasteResult{trainIdx: trainIdx, testIdx: testIdx}
	pick := func(idx []int) ([]*features.Track, []int) {
		tr, ys := make([]*features.Track, len(idx)), make([]int, len(idx))
		for j, i := range idx {
			tr[j], ys[j] = set.tracks[i], set.ys[i]
		}
		return tr, ys
	}
	trT, trY := pick(trainIdx)
	teT, teY := pick(testIdx)
	stopping := "no early stopping"
	if o.val > 0 {
		stopping = fmt.Sprintf("%.0f%% of them for early stopping", 100*o.val)
	}
	fmt.Fprintf(e.stderr, "%d songs of %d labels: training on %d (%s), scoring on %d held out\n",
		len(set.tracks), len(set.labels), len(trT), stopping, len(teT))
	train := func(cfg taste.Config) (*taste.Model, error) {
		name := describeNet(cfg)
		hooks := taste.Hooks{}
		if o.verbose {
			hooks.Epoch = func(ep taste.Epoch) {
				mark := ""
				if ep.Best {
					mark = " *"
				}
				fmt.Fprintf(e.stderr, "  %s epoch %d: train %.4f val %.4f%s\n", name, ep.Epoch, ep.Train, ep.Val, mark)
			}
		}
		m, err := taste.Train(ctx, cfg, set.labels, trT, trY, hooks)
		if err != nil {
			return nil, err
		}
		best := m.Info.History[m.Info.BestEpoch-1]
		fmt.Fprintf(e.stderr, "%s: epoch %d of %d kept (%s), validation loss %.4f, %.1fs\n",
			name, m.Info.BestEpoch, m.Info.EpochsRun, m.Info.Stopped, best.Val, m.Info.Seconds)
		return m, nil
	}
	var err error
	if res.model, err = train(o.cfg); err != nil {
		return nil, err
	}
	lcfg := o.cfg
	lcfg.Hidden = []int{}
	if res.logistic, err = train(lcfg); err != nil {
		return nil, err
	}
	for _, m := range []*taste.Model{res.model, res.logistic} {
		p := m.NewPredictor()
		probs := make([][]float64, len(teT))
		for i, t := range teT {
			v, err := p.Probs(t)
			if err != nil {
				return nil, err
			}
			probs[i] = slices.Clone(v)
		}
		short := "MLP"
		if len(m.Config.Hidden) == 0 {
			short = "logistic"
		}
		res.predictors = append(res.predictors, predictorResult{Name: describeNet(m.Config), Short: short, Scores: taste.Score(probs, teY), probs: probs})
	}
	// The majority class: the training label frequencies for every song.
	prior := make([]float64, len(set.labels))
	for _, y := range trY {
		prior[y] += 1 / float64(len(trY))
	}
	probs := make([][]float64, len(teT))
	for i := range probs {
		probs[i] = prior
	}
	res.predictors = append(res.predictors, predictorResult{Name: "majority class", Short: "majority", Scores: taste.Score(probs, teY), probs: probs})
	return res, nil
}

func printTasteTable(w io.Writer, set *labelledSet, res *tasteResult, odd []oddSong) {
	n := len(res.testIdx)
	fmt.Fprintf(w, "Held-out split: %d songs of %d labels (stratified); macro averages over the labels\n\n", n, len(set.labels))
	fmt.Fprintf(w, "%-24s %6s %6s %9s %6s %8s\n", "predictor", "AUC", "F1", "precision", "recall", "accuracy")
	for _, p := range res.predictors {
		s := p.Scores
		fmt.Fprintf(w, "%-24s %6.3f %6.3f %9.3f %6.3f %8.3f\n", p.Name, s.AUC, s.F1, s.Precision, s.Recall, s.Accuracy)
	}
	fmt.Fprintln(w)
	lw := len("label")
	for _, l := range set.labels {
		lw = max(lw, len(l))
	}
	fmt.Fprintf(w, "Per label, one-vs-rest\n%-*s %6s", lw, "label", "songs")
	for _, p := range res.predictors {
		fmt.Fprintf(w, " %13s %12s", p.Short+" AUC", p.Short+" F1")
	}
	fmt.Fprintln(w)
	for c, l := range set.labels {
		fmt.Fprintf(w, "%-*s %6d", lw, l, res.predictors[0].Scores.PerLabel[c].Support)
		for _, p := range res.predictors {
			st := p.Scores.PerLabel[c]
			fmt.Fprintf(w, " %13.3f %12.3f", st.AUC, st.F1)
		}
		fmt.Fprintln(w)
	}
	for _, p := range res.predictors {
		fmt.Fprintf(w, "\nConfusion matrix, %s (rows: true label, columns: predicted)\n", p.Name)
		cw := 6
		for _, l := range set.labels {
			cw = max(cw, len(l))
		}
		fmt.Fprintf(w, "%-*s", lw, "")
		for _, l := range set.labels {
			fmt.Fprintf(w, " %*s", cw, l)
		}
		fmt.Fprintln(w)
		for c, l := range set.labels {
			fmt.Fprintf(w, "%-*s", lw, l)
			for _, v := range p.Scores.Confusion[c] {
				fmt.Fprintf(w, " %*d", cw, v)
			}
			fmt.Fprintln(w)
		}
	}
	d := res.predictors[0].Scores.AUC - res.predictors[1].Scores.AUC
	fmt.Fprintln(w)
	if d > 0 {
		fmt.Fprintf(w, "The network beats logistic regression on AUC by %.3f on this split.\n", d)
	} else {
		fmt.Fprintf(w, "The network does NOT beat logistic regression on AUC on this split (by %.3f): the simpler model will do.\n", d)
	}
	if len(odd) > 0 {
		fmt.Fprintln(w, "\nMost out-of-place held-out songs (their nearest neighbours on the t-SNE map carry another label):")
		for _, s := range odd {
			fmt.Fprintf(w, "  %-40s %s, among %s (%d of %d neighbours)\n", plotsShorten(s.track.String()), s.label, s.among, s.share, s.k)
		}
	}
}

func writeTasteJSON(w io.Writer, set *labelledSet, res *tasteResult, odd []oddSong) error {
	type oddJSON struct {
		ID, Song, Label, Among string
		Neighbours, Of         int
	}
	out := struct {
		Labels     []string          `json:"labels"`
		Songs      int               `json:"songs"`
		Train      int               `json:"train"`
		Test       int               `json:"test"`
		Duplicates int               `json:"duplicates"`
		Missing    int               `json:"missing_features"`
		Model      taste.Info        `json:"model"`
		Results    []predictorResult `json:"results"`
		OutOfPlace []oddJSON         `json:"out_of_place,omitempty"`
	}{set.labels, len(set.tracks), len(res.trainIdx), len(res.testIdx), set.dupes, set.missing, res.model.Info, res.predictors, nil}
	for _, s := range odd {
		out.OutOfPlace = append(out.OutOfPlace, oddJSON{s.track.ID, s.track.String(), s.label, s.among, s.share, s.k})
	}
	b, err := json.MarshalIndent(&out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

const tastePredictHelp = `
Prints each song's probability per label under a taste model (made by
disco taste train), and the most probable label. Songs without features are
filled from the embedded catalog where it knows them; the rest are listed
with empty probabilities.

Examples:
  disco taste predict --model us.disco --in candidates.csv
  disco taste predict --model genres.disco --in playlist.m3u8 --format csv > probs.csv
`

func runTastePredict(ctx context.Context, e *env, args []string) error {
	var modelPath, in, format string
	var skipBad bool
	fs := newFlags(e, "taste predict", "--model FILE --in FILE [--format table|csv|json]", tastePredictHelp)
	fs.StringVar(&modelPath, "model", "", "taste model `file` (from disco taste train)")
	fs.StringVar(&in, "in", "", "songs `file`, in any format disco reads")
	fs.StringVar(&format, "format", "table", "output format: table, csv or json")
	fs.BoolVar(&skipBad, "skip-bad", false, "skip malformed rows instead of stopping at the first")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(e.stderr, "disco taste predict: unexpected arguments %q\n", fs.Args())
		return errUsage
	case modelPath == "":
		return badFlag(errors.New("--model is required"))
	case in == "":
		return badFlag(errors.New("--in is required"))
	case format != "table" && format != "csv" && format != "json":
		return badFlag(fmt.Errorf("--format %q: want table, csv or json", format))
	}
	m, err := taste.Load(modelPath)
	if err != nil {
		return fmt.Errorf("loading taste model: %w", err)
	}
	ds, err := openCatalog(in, skipBad)
	if err != nil {
		return err
	}
	tracks := ds.Catalog.Tracks
	if r, ok, err := app.FillMissing(ctx, tracks, ""); err != nil {
		return err
	} else if ok {
		fmt.Fprintln(e.stderr, r)
	}
	type row struct {
		t     *features.Track
		probs []float64 // nil without features
		best  string
	}
	p := m.NewPredictor()
	var rows []row
	missing := 0
	for _, t := range tracks {
		r := row{t: t}
		if v, err := p.Probs(t); err == nil {
			r.probs = slices.Clone(v)
			r.best = m.Labels[argmaxF(v)]
		} else {
			missing++
		}
		rows = append(rows, r)
	}
	if missing > 0 {
		fmt.Fprintf(e.stderr, "%d of %d songs have no audio features; their probabilities are left empty\n", missing, len(rows))
	}
	switch format {
	case "json":
		type jrow struct {
			ID     string             `json:"id"`
			Song   string             `json:"song"`
			Probs  map[string]float64 `json:"probabilities,omitempty"`
			Likely string             `json:"most_likely,omitempty"`
		}
		out := struct {
			Labels []string `json:"labels"`
			Songs  []jrow   `json:"songs"`
		}{Labels: m.Labels}
		for _, r := range rows {
			j := jrow{ID: r.t.ID, Song: r.t.String(), Likely: r.best}
			if r.probs != nil {
				j.Probs = map[string]float64{}
				for i, l := range m.Labels {
					j.Probs[l] = r.probs[i]
				}
			}
			out.Songs = append(out.Songs, j)
		}
		b, err := json.MarshalIndent(&out, "", "  ")
		if err != nil {
			return err
		}
		_, err = e.stdout.Write(append(b, '\n'))
		return err
	case "csv":
		cw := csv.NewWriter(e.stdout)
		head := []string{"id", "artist", "title"}
		for _, l := range m.Labels {
			head = append(head, "p_"+l)
		}
		cw.Write(append(head, "most_likely"))
		for _, r := range rows {
			rec := []string{r.t.ID, r.t.Artist(), r.t.Name}
			for i := range m.Labels {
				v := ""
				if r.probs != nil {
					v = strconv.FormatFloat(r.probs[i], 'f', 6, 64)
				}
				rec = append(rec, v)
			}
			cw.Write(append(rec, r.best))
		}
		cw.Flush()
		return cw.Error()
	}
	lw := 5
	for _, l := range m.Labels {
		lw = max(lw, len(l))
	}
	fmt.Fprintf(e.stdout, "%-42s", "song")
	for _, l := range m.Labels {
		fmt.Fprintf(e.stdout, " %*s", lw, l)
	}
	fmt.Fprintf(e.stdout, "  %s\n", "most likely")
	for _, r := range rows {
		fmt.Fprintf(e.stdout, "%-42s", plotsShorten(r.t.String()))
		for i := range m.Labels {
			if r.probs == nil {
				fmt.Fprintf(e.stdout, " %*s", lw, "-")
			} else {
				fmt.Fprintf(e.stdout, " %*.3f", lw, r.probs[i])
			}
		}
		best := r.best
		if best == "" {
			best = "(no features)"
		}
		fmt.Fprintf(e.stdout, "  %s\n", best)
	}
	return nil
}

func argmaxF(p []float64) int {
	best := 0
	for j, v := range p {
		if v > p[best] || math.IsNaN(p[best]) {
			best = j
		}
	}
	return best
}
