package main

import (
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/builtin"
	"github.com/discoflow/disco/model"
	modelbuiltin "github.com/discoflow/disco/model/builtin"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/candidates"
	"github.com/discoflow/disco/selector/eval"
	"github.com/discoflow/disco/selector/export"
	"github.com/discoflow/disco/selector/sequence"
)

func init() {
	register(command{name: "eval", summary: "measure playlist quality on held-out playlists, against baselines", run: runEval})
}

const evalHelp = `
Measures, on held-out playlists, how well disco predicts, ranks and orders
songs, each figure next to honest baselines:

  prediction  the model's next-step error (MAE in scaled units), per
              feature, against the last song repeated, the running mean of
              the playlist so far and the global mean (MAE/MAD);
  ranking     HR@1/5/10 and MRR of the true next song, among the rest of
              its playlist and among itself plus 99 catalog distractors,
              for five rankers: random (exact expectation), nearest to the
              last song, nearest to the playlist's centroid, the network's
              prediction alone, and DISCO's full score with the knobs;
  generation  from each playlist's first 3 songs, its rest reordered by
              DISCO and a playlist built from the catalog, against the
              human order and shuffles of the same songs: mean feature
              step, shares of transitions with keySim = 1, Camelot-
              compatible and within 6% BPM, artist repeats within 3 songs,
              Kendall tau against the human order; lift = value/shuffled-1;
  sequencer   disco sort's cost against the exact solver's on 200 random
              sets of 10 songs (median and worst gap) and the greedy
              order's regret on the sort task (greedy/sequencer - 1).

Without --playlists it evaluates the embedded catalog's validation split,
made with the model's own validation fraction and seed, so that the
playlists are ones the model never trained on (checked against the
model's data fingerprint; a warning says when they may not be).

Examples:
  disco eval
  disco eval --sweetness 2 --smoothness 2 --format json -o eval.json
  disco eval --model my.disco --playlists heldout.csv --catalog spotify_songs.csv
`

// evalData are the flags that choose and prepare the evaluation data,
// shared by disco eval and disco sweep.
type evalData struct {
	model        string
	catalog      string
	playlists    string
	maxPlaylists int
	seeds        int
	distractors  int
	shuffles     int
	length       int
	seed         uint64
	skipBad      bool
	rules        ruleFlags
	beam         int
	sort         bool
	effort       string
	cands        string
	quota        string
	taste        tasteFlags // registered by disco eval only
}

func (o *evalData) register(fs *flag.FlagSet) {
	o.rules.register(fs)
	fs.IntVar(&o.beam, "beam", 0, "also build by beam search of `width` W (disco build --beam), a row of its own")
	fs.BoolVar(&o.sort, "sort", true, "also reorder with the sequencer (disco sort), a row of its own")
	fs.StringVar(&o.effort, "effort", "normal", "the sequencer's effort: fast, normal or max")
	fs.StringVar(&o.cands, "candidates", "hybrid", "build task's candidate source: hybrid (learnt from the training playlists only: song2vec, artists, genres, features) or catalog (nearest in features)")
	fs.StringVar(&o.quota, "quota", candidates.DefaultQuotas.String(), "hybrid source's shares of the pool")
	fs.StringVar(&o.model, "model", "", "model `file`; default: the embedded one")
	fs.StringVar(&o.catalog, "catalog", "", "catalog `file` of candidates and distractors; default: the embedded one")
	fs.StringVar(&o.playlists, "playlists", "", "held-out playlists `file`; default: the embedded catalog's validation split")
	fs.IntVar(&o.maxPlaylists, "max-playlists", 0, "evaluate only the first `N` playlists (0: all)")
	fs.IntVar(&o.seeds, "seeds", 3, "first songs of each playlist that seed the generation tasks")
	fs.IntVar(&o.distractors, "distractors", 99, "catalog distractors per ranking step")
	fs.IntVar(&o.shuffles, "shuffles", 10, "shuffles each order is compared with")
	fs.IntVar(&o.length, "length", 13, "songs per built playlist, seeds included (0: as many as the held-out playlist)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the distractors and shuffles")
	fs.BoolVar(&o.skipBad, "skip-bad", false, "skip malformed rows instead of failing")
}

// prepared is evaluation data ready to score, and where it came from.
type prepared struct {
	data   *eval.Data
	model  *model.Model
	source string // the playlists, for people
}

// prepare loads the model, the catalog and the held-out playlists, and
// prepares them for the given pool sizes.
func (o *evalData) prepare(ctx context.Context, log io.Writer, pools []int) (*prepared, error) {
	m, err := openModel(o.model)
	if err != nil {
		return nil, err
	}
	cat, err := openCatalog(o.catalog, o.skipBad)
	if err != nil {
		return nil, err
	}
	var pls, train []*features.Playlist
	var source string
	if o.playlists == "" {
		train, pls, source, err = o.validationSplit(log, m, cat)
		if err != nil {
			return nil, err
		}
	} else {
		ds, err := openCatalog(o.playlists, o.skipBad)
		if err != nil {
			return nil, err
		}
		pls, source = ds.Playlists, fmt.Sprintf("%s (%d playlists)", o.playlists, len(ds.Playlists))
		train = cat.Playlists
	}
	checked := pls
	if o.maxPlaylists > 0 && len(checked) > o.maxPlaylists {
		checked = checked[:o.maxPlaylists]
	}
	warnFar(log, "disco eval", m, evalSeeds(checked, o.seeds), 5)
	return o.prepareOn(ctx, m, cat, train, pls, source, pools)
}

// prepareOn prepares the held-out playlists pls against cat, the hybrid
// source (when chosen) learnt from train only.
func (o *evalData) prepareOn(ctx context.Context, m *model.Model, cat *features.Dataset, train, pls []*features.Playlist, source string, pools []int) (*prepared, error) {
	h, err := o.learn(ctx, m, cat, train, pools)
	if err != nil {
		return nil, err
	}
	return o.prepareWith(ctx, m, cat, poolOf(h), pls, source, pools)
}

// learn returns the hybrid source learnt from train only, with the quotas
// of --quota and a pool as large as the largest of pools; nil for
// --candidates catalog.
func (o *evalData) learn(ctx context.Context, m *model.Model, cat *features.Dataset, train []*features.Playlist, pools []int) (*candidates.Hybrid, error) {
	switch o.cands {
	case "catalog":
		return nil, nil
	case "hybrid":
		q, err := candidates.ParseQuotas(o.quota)
		if err != nil {
			return nil, err
		}
		h, err := candidates.Learn(ctx, train, cat.Catalog, &m.Scaler, candidates.VectorConfig)
		if err != nil {
			return nil, err
		}
		h.N, h.Quotas = slices.Max(pools), q
		if h.N <= 0 {
			h.N = cat.Catalog.Len()
		}
		return h, nil
	}
	return nil, fmt.Errorf("--candidates %q: want hybrid or catalog", o.cands)
}

// prepareWith prepares the held-out playlists pls against cat, the build
// task's candidates from src (nil: the catalog's nearest).
func (o *evalData) prepareWith(ctx context.Context, m *model.Model, cat *features.Dataset, src selector.Pool, pls []*features.Playlist, source string, pools []int) (*prepared, error) {
	if o.maxPlaylists > 0 && len(pls) > o.maxPlaylists {
		pls = pls[:o.maxPlaylists]
		source += fmt.Sprintf(", the first %d", o.maxPlaylists)
	}
	rules, err := o.rules.rules()
	if err != nil {
		return nil, err
	}
	effort, err := sequence.ParseEffort(o.effort)
	if err != nil {
		return nil, fmt.Errorf("--effort: %w", err)
	}
	tt, err := openTaste(&o.taste, &m.Scaler)
	if err != nil {
		return nil, err
	}
	var tasteOf func(*features.Track) (float64, bool)
	if tt != nil {
		tasteOf = tt.of
		source += "; " + tt.describe(o.taste.file)
	}
	d, err := eval.Prepare(ctx, pls, cat.Catalog.WithFeatures(), eval.Options{
		Taste:       tasteOf,
		Candidates:  src,
		Labels:      labelsOf(cat.Playlists, pls),
		Rules:       &rules,
		Beam:        o.beam,
		Sort:        o.sort,
		SortEffort:  effort,
		Model:       m,
		Seeds:       o.seeds,
		Distractors: o.distractors,
		Shuffles:    o.shuffles,
		BuildLength: buildLength(o.length),
		Seed:        o.seed,
		Pools:       pools,
	})
	if err != nil {
		return nil, err
	}
	return &prepared{data: d, model: m, source: source}, nil
}

// buildLength maps --length (0: the playlist's) to eval.Options.BuildLength.
func buildLength(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}

// validationSplit returns the embedded catalog's validation playlists as
// disco train splits them (features.SplitPlaylists with the model's
// validation fraction and seed), and warns when the model's data
// fingerprint says it was not trained on that split.
func (o *evalData) validationSplit(log io.Writer, m *model.Model, cat *features.Dataset) (train, val []*features.Playlist, source string, err error) {
	if o.catalog != "" {
		if cat, err = openCatalog("", o.skipBad); err != nil {
			return nil, nil, "", err
		}
	}
	frac, seed := m.Config.ValFrac, m.Config.Seed
	if !(frac > 0 && frac < 1) {
		return nil, nil, "", fmt.Errorf("the model was trained without a validation split (fraction %v): give --playlists", frac)
	}
	train, val = features.SplitPlaylists(cat.Playlists, frac, seed)
	name := o.model
	if name == "" {
		name = modelbuiltin.Name
	}
	source = fmt.Sprintf("validation split of %s (%d of %d playlists; fraction %g, seed %d)", builtin.Name, len(val), len(cat.Playlists), frac, seed)
	if fp := model.Fingerprint(train, val); m.Info.Fingerprint != fp {
		fmt.Fprintf(log, "warning: %s was not trained on this split of %s (data fingerprints differ): these playlists may be training data; give held-out --playlists\n", name, builtin.Name)
		source += ", NOT the model's own split"
	} else {
		source += ", held out from the model's training"
	}
	return train, val, source, nil
}

// labelsOf gives every track of the playlists the genres and subgenres of
// the playlists it is in, for judging builds (eval.Options.Labels).
func labelsOf(lists ...[]*features.Playlist) map[string][]eval.Label {
	out := map[string][]eval.Label{}
	for _, pls := range lists {
		for _, p := range pls {
			l := eval.Label{Genre: p.Genre, Subgenre: p.Subgenre}
			for _, t := range p.Tracks {
				if !slices.Contains(out[t.ID], l) {
					out[t.ID] = append(out[t.ID], l)
				}
			}
		}
	}
	return out
}

func runEval(ctx context.Context, e *env, args []string) error {
	var o evalData
	var s eval.Setting
	var pool, format, out string
	var allowNeg bool
	var folds int
	fs := newFlags(e, "eval", "[flags]", evalHelp)
	o.register(fs)
	var grid, quotas, plotPath string
	fs.IntVar(&folds, "folds", 0, "instead of the validation split, cross-validate the build task over the training playlists in `K` folds (the hybrid source learnt from the other folds) and print its figures with their mean and spread")
	fs.StringVar(&grid, "grid", "", "with --folds: a knob `grid` to compare, as disco sweep takes it (\"belong=0|2|4,sweetness=0.75|1.5\")")
	fs.StringVar(&quotas, "quotas", "", "with --folds: hybrid `quotas` to compare, separated by \";\" (default: --quota)")
	fs.StringVar(&plotPath, "plot", "", "with --folds: draw precision against key-compatible moves of every setting into this PNG `file`")
	registerKnobs(fs, &s.Knobs, "")
	o.taste.register(fs)
	fs.BoolVar(&allowNeg, "allow-negative", false, "allow negative knobs (each in [-max, max])")
	fs.StringVar(&pool, "pool", "", "build task's candidate pool size `N`, or \"all\" (default: 300 for hybrid, 400 for catalog)")
	fs.StringVar(&format, "format", "", "output format: table, json or csv (default: from -o's extension, else table)")
	fs.StringVar(&out, "o", "", "write the results to `file` (atomically) instead of standard output")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "disco eval: unexpected arguments %q\n", fs.Args())
		return errUsage
	}
	var err error
	if s.Pool, err = parsePool(cmp.Or(pool, defaultPool(o.cands))); err != nil {
		return err
	}
	if err := o.taste.validate(&s.Knobs); err != nil {
		return err
	}
	if err := validKnobs(s.Knobs, allowNeg); err != nil {
		return err
	}
	if err := o.validate(); err != nil {
		return err
	}
	if format == "" {
		format = "table"
		if i := strings.LastIndexByte(out, '.'); i >= 0 {
			switch ext := strings.ToLower(out[i+1:]); ext {
			case "json", "csv":
				format = ext
			}
		}
	}
	if format != "table" && format != "json" && format != "csv" {
		fmt.Fprintf(e.stderr, "disco eval: --format %q: want table, json or csv\n", format)
		return errUsage
	}
	if err := checkOutputs("", out); err != nil {
		return err
	}
	if folds == 0 && (grid != "" || quotas != "" || plotPath != "") {
		return badFlag(errors.New("--grid, --quotas and --plot go with --folds"))
	}
	if folds != 0 {
		if err := checkCounts(count{"folds", folds, 2, 100}); err != nil {
			return err
		}
		g, err := eval.ParseGrid(grid)
		if err != nil {
			return badFlag(err)
		}
		settings := g.Settings(s)
		for _, st := range settings {
			if err := validKnobs(st.Knobs, allowNeg); err != nil {
				return err
			}
		}
		qs := []string{o.quota}
		if quotas != "" {
			qs = strings.Split(quotas, ";")
		}
		if err := checkOutputs("", plotPath); err != nil {
			return err
		}
		return o.crossValidate(ctx, e, settings, qs, folds, format, out, plotPath)
	}
	p, err := o.prepare(ctx, e.stderr, []int{s.Pool})
	if err != nil {
		return err
	}
	rep, err := p.data.Report(s)
	if err != nil {
		return err
	}
	write := func(w io.Writer) error { return writeReport(w, format, p.source, rep) }
	if out == "" {
		return write(e.stdout)
	}
	if err := writeOutput(out, write); err != nil {
		return fmt.Errorf("writing %s: %w", out, err)
	}
	fmt.Fprintf(e.stderr, "wrote %s\n", out)
	return nil
}

// writeReport writes an eval report in format: json, csv or table (what
// disco eval --format writes, and the Eval page of disco serve shows).
func writeReport(w io.Writer, format, source string, rep *eval.Report) error {
	switch format {
	case "json":
		return writeJSON(w, struct {
			Playlists string `json:"playlists_source"`
			*eval.Report
		}{source, rep})
	case "csv":
		return writeReportCSV(w, rep)
	}
	return writeReportTable(w, source, rep)
}

// parsePool parses a pool size: a positive number or "all" (0).
func parsePool(s string) (int, error) {
	if strings.EqualFold(s, "all") {
		return 0, nil
	}
	n, err := selector.ParseCount("pool", s, 1, selector.MaxPool)
	if err != nil {
		return 0, badFlag(fmt.Errorf("%w (or \"all\")", err))
	}
	return n, nil
}

// validate checks the counts of the playlists' flags against their
// documented ranges (the flags' help).
func (o *evalData) validate() error {
	if err := checkCounts(
		count{"max-playlists", o.maxPlaylists, 0, 1 << 30},
		count{"seeds", o.seeds, 1, 50},
		count{"distractors", o.distractors, 1, 1_000_000},
		count{"shuffles", o.shuffles, 1, 10_000},
		count{"length", o.length, 0, selector.MaxLength},
	); err != nil {
		return err
	}
	return nil
}

func poolString(n int) string {
	if n <= 0 {
		return "all"
	}
	return strconv.Itoa(n)
}

func knobsString(s eval.Setting) string {
	k := s.Knobs
	taste := ""
	if k.Taste != 0 {
		taste = fmt.Sprintf(", taste %g", k.Taste)
	}
	return fmt.Sprintf("flow %g, spicyness %g (from the %s mean), sweetness %g, smoothness %g, belong %g%s, pool %s", k.Flow, k.Spicyness, k.Centre, k.Sweetness, k.Smoothness, k.Belong, taste, poolString(s.Pool))
}

// Number formats for tables.
func f3(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

func pct(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
}

func signedPct(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return fmt.Sprintf("%+.1f%%", 100*v)
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// writeReportTable writes the report as aligned tables.
func writeReportTable(w io.Writer, source string, rep *eval.Report) error {
	bw := &errWriter{w: w}
	fmt.Fprintf(bw, "Playlists: %s: %d evaluated.\n", source, rep.Playlists)
	fmt.Fprintf(bw, "Catalog: %s tracks. Knobs: %s. Seed %d.\n", thousands(rep.Catalog), knobsString(rep.Setting), rep.Seed)

	if ev := rep.Prediction; ev != nil {
		fmt.Fprintf(bw, "\nPrediction: next-step MAE in scaled units over %s steps (lower is better)\n\n", thousands(ev.Steps))
		rows := [][]string{{"feature", "RNN", "last song", "running mean", "global mean"}}
		for j, name := range features.AbstractNames {
			rows = append(rows, []string{name, f3(ev.RNN.PerFeature[j]), f3(ev.Last.PerFeature[j]), f3(ev.RunningMean.PerFeature[j]), f3(ev.GlobalMean.PerFeature[j])})
		}
		rows = append(rows, []string{"overall", f3(ev.RNN.MAE), f3(ev.Last.MAE), f3(ev.RunningMean.MAE), f3(ev.GlobalMean.MAE)})
		if ev.MAD > 0 {
			rows = append(rows, []string{"MAE/MAD", f3(ev.RNN.MAE / ev.MAD), f3(ev.Last.MAE / ev.MAD), f3(ev.RunningMean.MAE / ev.MAD), f3(ev.GlobalMean.MAE / ev.MAD)})
		}
		export.Aligned(bw, rows, map[int]bool{1: true, 2: true, 3: true, 4: true})
	}

	var within, catalog int
	if len(rep.Ranking) > 0 {
		within, catalog = rep.Ranking[0].Within.Steps, rep.Ranking[0].Catalog.Steps
	}
	fmt.Fprintf(bw, "\nNext-track ranking: %s steps within the playlist (the songs not yet played), %s against the catalog (the true song and %d distractors); higher is better\n\n",
		thousands(within), thousands(catalog), rep.Distractors)
	rows := [][]string{{"ranker", "within HR@1", "HR@5", "HR@10", "MRR", "catalog HR@1", "HR@5", "HR@10", "MRR"}}
	for _, r := range rep.Ranking {
		rows = append(rows, []string{r.Name,
			f3(r.Within.HR1), f3(r.Within.HR5), f3(r.Within.HR10), f3(r.Within.MRR),
			f3(r.Catalog.HR1), f3(r.Catalog.HR5), f3(r.Catalog.HR10), f3(r.Catalog.MRR)})
	}
	export.Aligned(bw, rows, map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true})

	np := 0
	if len(rep.Generation) > 0 {
		np = rep.Generation[0].Playlists
	}
	length := "as many songs as the playlist"
	if rep.BuildLength > 0 {
		length = fmt.Sprintf("%d songs", rep.BuildLength)
	}
	fmt.Fprintf(bw, "\nGeneration from each playlist's first %d songs (%d playlists): the rest reordered, and %s built from the catalog; transitions from the last seed on; shuffled: mean of %d shuffles of the same songs; lift = value/shuffled - 1\n\n",
		rep.Seeds, np, length, rep.Shuffles)
	rows = [][]string{{"order", "step ↓", "key=1 ↑", "Camelot ↑", "6% BPM ↑", "artist rep ↓", "tau"}}
	genName := func(g string) string {
		name := map[string]string{"human": "human order", "reorder": "DISCO reorder (greedy)", "sort": "DISCO sort (sequencer)", "build": "DISCO build", "random picks": "random picks"}[g]
		return cmp.Or(name, "DISCO "+g)
	}
	for _, g := range rep.Generation {
		if g.Name == "random picks" {
			continue // no flow to speak of
		}
		name := genName(g.Name)
		line := func(label string, f eval.Flow, lift bool) []string {
			if lift {
				return []string{label, signedPct(f.Step), signedPct(f.Key), signedPct(f.Camelot), signedPct(f.Tempo), signedPct(f.Artist), ""}
			}
			return []string{label, f3(f.Step), pct(f.Key), pct(f.Camelot), pct(f.Tempo), pct(f.Artist), f3(f.Tau)}
		}
		rows = append(rows, line(name, g.Order, false))
		rows = append(rows, line("  shuffled", g.Shuffled, false))
		rows = append(rows, line("  lift", g.Lift, true))
	}
	export.Aligned(bw, rows, map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true})
	if c := rep.Sequencer; c != nil {
		writeSeqCheck(bw, c)
	}

	fmt.Fprintf(bw, "\nWhat a listener notices of the %s: picks from the seeds' own playlist (precision), the candidate pool's R-precision, picks of the playlist's genre and subgenre, drift of the last %d songs from the seeds (scaled units), distinct artists\n\n", length, eval.DriftWindow)
	rows = [][]string{{"order", "precision ↑", "pool R-prec ↑", "genre ↑", "subgenre ↑", "drift ↓", "artists ↑"}}
	tasted := slices.ContainsFunc(rep.Generation, func(g eval.GenerationScores) bool { return !math.IsNaN(g.Listener.Taste) })
	if tasted {
		rows[0] = append(rows[0], "taste label ↑")
	}
	for _, g := range rep.Generation {
		l := g.Listener
		if math.IsNaN(l.Precision) {
			continue
		}
		row := []string{genName(g.Name), pct(l.Precision), pct(l.RPrecision), pct(l.Genre), pct(l.Subgenre), f3(l.Drift), pct(l.Artists)}
		if tasted {
			row = append(row, pct(l.Taste))
		}
		rows = append(rows, row)
	}
	export.Aligned(bw, rows, map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true})
	if tasted {
		fmt.Fprintln(bw, "\ntaste label: the share of the songs after the seeds that the taste model assigns to --taste-for (its most likely label is one of them)")
	}
	return bw.err
}

// writeSeqCheck writes the sequencer's optimality gap and greedy regret.
func writeSeqCheck(w io.Writer, c *eval.SeqCheck) {
	fmt.Fprintf(w, "\nThe sequencer (disco sort) against the exact solver on %d random sets of %d songs, each from one playlist (artist gap 1), and the greedy order's regret on the sort task (%d playlists); costs above their floor, -(sweetness+smoothness) a transition\n\n",
		c.Sets, c.Size, c.Playlists)
	rows := [][]string{
		{"measure", "median", "mean", "worst", "optimal"},
		{"gap: sequencer/exact - 1", signedPct(c.GapMedian), "", signedPct(c.GapWorst), pct(c.Optimal)},
		{"regret: greedy/sequencer - 1", signedPct(c.RegretMedian), signedPct(c.RegretMean), signedPct(c.RegretWorst), ""},
	}
	export.Aligned(w, rows, map[int]bool{1: true, 2: true, 3: true, 4: true})
}

// writeReportCSV writes the report in long form: section, subject,
// metric, value.
func writeReportCSV(w io.Writer, rep *eval.Report) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"section", "subject", "metric", "value"})
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	put := func(sec, subj, metric string, v float64) { cw.Write([]string{sec, subj, metric, num(v)}) }
	s := rep.Setting
	for _, k := range eval.KnobNames {
		put("setting", "knobs", k, s.Get(k))
	}
	if ev := rep.Prediction; ev != nil {
		for _, sc := range []struct {
			name string
			s    model.Score
		}{{"rnn", ev.RNN}, {"last", ev.Last}, {"running_mean", ev.RunningMean}, {"global_mean", ev.GlobalMean}} {
			for j, f := range features.AbstractNames {
				put("prediction", sc.name, f, sc.s.PerFeature[j])
			}
			put("prediction", sc.name, "overall", sc.s.MAE)
		}
		put("prediction", "all", "mad", ev.MAD)
		put("prediction", "all", "steps", float64(ev.Steps))
	}
	for _, r := range rep.Ranking {
		for _, set := range []struct {
			name string
			r    eval.Ranking
		}{{"within", r.Within}, {"catalog", r.Catalog}} {
			put("ranking_"+set.name, r.Name, "hr1", set.r.HR1)
			put("ranking_"+set.name, r.Name, "hr5", set.r.HR5)
			put("ranking_"+set.name, r.Name, "hr10", set.r.HR10)
			put("ranking_"+set.name, r.Name, "mrr", set.r.MRR)
			put("ranking_"+set.name, r.Name, "steps", float64(set.r.Steps))
		}
	}
	for _, g := range rep.Generation {
		for _, part := range []struct {
			name string
			f    eval.Flow
		}{{"", g.Order}, {"_shuffled", g.Shuffled}, {"_lift", g.Lift}} {
			f := part.f
			for _, m := range []struct {
				name string
				v    float64
			}{{"step", f.Step}, {"key", f.Key}, {"camelot", f.Camelot}, {"tempo", f.Tempo}, {"artist", f.Artist}, {"tau", f.Tau}} {
				put("generation", g.Name, m.name+part.name, m.v)
			}
		}
		put("generation", g.Name, "playlists", float64(g.Playlists))
		for i, v := range g.Listener.Values() {
			if eval.ListenerNames[i] == "taste" && math.IsNaN(v) {
				continue // no taste model
			}
			put("listener", g.Name, eval.ListenerNames[i], v)
		}
	}
	if c := rep.Sequencer; c != nil {
		for i, v := range c.Values() {
			put("sequencer", "sort", eval.SeqCheckNames[i], v)
		}
	}
	cw.Flush()
	return cw.Error()
}

// errWriter remembers the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
