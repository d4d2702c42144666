package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/discoflow/disco/internal/atomic"
	"github.com/discoflow/disco/plots"
	"github.com/discoflow/disco/selector/eval"
	"github.com/discoflow/disco/selector/export"
)

func init() {
	register(command{name: "sweep", summary: "evaluate a grid of knob settings and find the best", run: runSweep})
}

const defaultGrid = "flow=0:2:0.25,sweetness=0:3:0.5,smoothness=0:3:0.5,spicyness=0.8:1.6:0.2"

// defaultPareto are the objectives of the Pareto front: what a listener
// notices of a built playlist (does it belong: precision and genre; does
// it mix: key and tempo).
const defaultPareto = "build_precision,build_genre,build_key,build_tempo"

const sweepHelp = `
Runs the evaluation of disco eval (DISCO's ranking and its reorder and
build tasks, on held-out playlists) for every setting of a grid of knobs,
in parallel on all cores, and writes one CSV row per setting with every
metric. It then prints the best setting for each metric, the Pareto front
over precision, genre, key and tempo compatibility of the built playlists,
and the
setting it recommends by the rule disco eval --folds chooses with: among
the settings whose built playlists reach the goals (at least 95% of
transitions with keySim = 1 and 90% within 6% BPM, drifting from the seeds
no more than the human order does), those whose precision (picks from the
seeds' own playlist) is within a standard error of the best; of them, the
one whose picks most often share the playlist's genre.

The grid is comma-separated knob=values, values being "|"-separated
numbers or lo:hi:step ranges; knobs are flow, spicyness, sweetness,
smoothness and pool (candidate pool size, or "all"). Knobs left out keep
their flag value. Results are the same for a --seed whatever --workers.

Ctrl-C stops after the settings under way; the CSV keeps every finished
row, and --resume skips them next time (the file also records the data
and model it was made with, and refuses to mix them).

Examples:
  disco sweep --out sweep.csv --plot-dir sweep/
  disco sweep --grid "sweetness=0:4:0.5,smoothness=0:4:0.5" --heatmap sweetness,smoothness --out sw.csv
  disco sweep --grid "pool=100|400|1000,flow=0.5|1" --resume --out pools.csv
`

// sweepOptions are the flags of disco sweep.
type sweepOptions struct {
	data     evalData
	grid     string
	base     eval.Setting
	pool     string
	out      string
	resume   bool
	workers  int
	plotDir  string
	heatmap  string
	pareto   string
	goals    eval.Goals
	picks    int // picks judged per setting by the build task: the precision's standard error
	quiet    bool
	allowNeg bool
}

func runSweep(ctx context.Context, e *env, args []string) error {
	var o sweepOptions
	fs := newFlags(e, "sweep", "[flags]", sweepHelp)
	o.data.register(fs)
	fs.StringVar(&o.grid, "grid", defaultGrid, "knob `grid` to sweep")
	registerKnobs(fs, &o.base.Knobs, ", when not in the grid")
	fs.StringVar(&o.pool, "pool", "", "candidate pool `N` (or \"all\"), when not in the grid (default: 300 for hybrid, 400 for catalog)")
	fs.StringVar(&o.out, "out", "sweep.csv", "write the results to this CSV `file`")
	fs.BoolVar(&o.resume, "resume", false, "keep the rows already in --out and run only the settings missing")
	fs.IntVar(&o.workers, "workers", 0, "parallel workers (default: the number of CPUs)")
	fs.StringVar(&o.plotDir, "plot-dir", "", "draw PNG plots into `dir`: each metric against each knob, and heatmaps")
	fs.StringVar(&o.heatmap, "heatmap", "", "the two `knobs` of the heatmaps, e.g. sweetness,smoothness (default: the first two swept)")
	fs.StringVar(&o.pareto, "pareto", defaultPareto, "`metrics` of the Pareto front, comma-separated")
	def := eval.DefaultGoals(0)
	fs.Float64Var(&o.goals.Key, "goal-key", def.Key, "goal: least share of built transitions with keySim = 1")
	fs.Float64Var(&o.goals.Tempo, "goal-tempo", def.Tempo, "goal: least share of built transitions within 6% BPM")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress bar")
	fs.BoolVar(&o.allowNeg, "allow-negative", false, "allow negative knobs (each in [-max, max])")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "disco sweep: unexpected arguments %q\n", fs.Args())
		return errUsage
	}
	usage := func(err error) error {
		fmt.Fprintf(e.stderr, "disco sweep: %v\n", err)
		return errUsage
	}
	var err error
	if o.base.Pool, err = parsePool(cmp.Or(o.pool, defaultPool(o.data.cands))); err != nil {
		return err
	}
	if err := o.data.validate(); err != nil {
		return err
	}
	if err := validKnobs(o.base.Knobs, o.allowNeg); err != nil {
		return err
	}
	grid, err := eval.ParseGrid(o.grid)
	if err != nil {
		return usage(err)
	}
	paretoMetrics := splitList(o.pareto)
	for _, m := range paretoMetrics {
		if eval.MetricIndex(m) < 0 {
			return usage(fmt.Errorf("--pareto: unknown metric %q (known: %s)", m, metricNames()))
		}
	}
	hx, hy, err := heatmapAxes(grid, o.heatmap)
	if err != nil {
		return usage(err)
	}
	if o.workers <= 0 {
		o.workers = runtime.GOMAXPROCS(0)
	}
	settings := grid.Settings(o.base)
	for _, s := range settings {
		if err := validKnobs(s.Knobs, o.allowNeg); err != nil {
			return fmt.Errorf("%w (grid setting %s)", err, knobsString(s))
		}
	}
	plotProbe := ""
	if o.plotDir != "" {
		plotProbe = filepath.Join(o.plotDir, "plot.png") // any name: Check tries the directory
	}
	if err := checkOutputs(o.plotDir, o.out, plotProbe); err != nil {
		return err
	}

	p, err := o.data.prepare(ctx, e.stderr, grid.Pools(o.base))
	if err != nil {
		return err
	}
	d := p.data
	fmt.Fprintf(e.stderr, "playlists: %s: %d evaluated against %s catalog tracks\n", p.source, d.Runs(), thousands(d.CatalogSize()))
	if pools := grid.Pools(o.base); o.data.cands == "hybrid" && len(pools) > 1 {
		// The seeds' own songs lead the hybrid's whole pool, so its first
		// n songs are not the pool disco build --pool n makes.
		fmt.Fprintf(e.stderr, "warning: the smaller pools of the grid are the first songs of the hybrid's %s-song pool, not pools of their own size as disco build --pool makes them; disco eval --folds --grid scores each size on its own pool\n", poolString(slices.Max(pools)))
	}
	fmt.Fprintf(e.stderr, "grid: %d settings (%s)\n", len(settings), grid)

	// The rows already done, and the file the new ones go to.
	rows, err := eval.OpenResults(o.out, o.resume, d.Fingerprint())
	if err != nil {
		return err
	}
	done := make([]bool, len(settings)) // before the sweep: Sweep's workers read it
	todo := 0
	for i, s := range settings {
		if done[i] = rows.Has(s); !done[i] {
			todo++
		}
	}
	if len(settings) > todo {
		fmt.Fprintf(e.stderr, "resume: %d of %d settings already in %s\n", len(settings)-todo, len(settings), o.out)
	}

	var bar *progress
	if !o.quiet && todo > 0 {
		bar = newProgress(e.stderr, "sweep", todo, "settings")
	}
	start := time.Now()
	err = eval.Sweep(ctx, d, settings, o.workers, func(i int) bool { return done[i] }, func(i int, s eval.Summary) error {
		r := s.Row()
		if err := rows.Append(r); err != nil {
			return err
		}
		if bar != nil {
			bar.Add(1)
		}
		return nil
	})
	if bar != nil {
		bar.Done()
	}
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if ctx.Err() != nil {
			n := 0
			for _, s := range settings {
				if rows.Has(s) {
					n++
				}
			}
			return fmt.Errorf("interrupted: %d of %d settings done and kept in %s; run again with --resume to finish", n, len(settings), o.out)
		}
		return err
	}
	elapsed := time.Since(start)
	// Rewrite the file in grid order (rows of other grids after).
	if err := rows.Rewrite(settings); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "wrote %s: %d settings (%d run in %s, %d workers)\n", o.out, len(settings), todo, elapsed.Round(time.Millisecond), o.workers)

	gridRs := rows.Rows(settings)
	o.goals, o.picks = judging(d, o.goals)
	if err := printSweep(e.stdout, gridRs, paretoMetrics, o.goals, o.picks); err != nil {
		return err
	}
	if o.plotDir != "" {
		rep, err := d.Report(o.base) // the baselines, for reference lines
		if err != nil {
			return err
		}
		return drawSweep(e.stderr, o.plotDir, grid, gridRs, plots.SweepOptions{
			Metrics: paretoMetrics, HeatX: hx, HeatY: hy, Goals: o.goals, Picks: o.picks, Refs: plots.SweepRefs(rep, o.goals)})
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func metricNames() string {
	names := make([]string, len(eval.Metrics))
	for i, m := range eval.Metrics {
		names[i] = m.Name
	}
	return strings.Join(names, ", ")
}

// heatmapAxes returns the knobs of the heatmaps: those named, or the
// first two axes with more than one value ("" when there are none).
func heatmapAxes(g eval.Grid, s string) (string, string, error) {
	multi := func(name string) bool {
		for _, a := range g {
			if a.Name == name {
				return len(a.Values) > 1
			}
		}
		return false
	}
	if s != "" {
		names := splitList(s)
		if len(names) != 2 {
			return "", "", fmt.Errorf("--heatmap %q: want two knobs, e.g. sweetness,smoothness", s)
		}
		for _, n := range names {
			if !multi(n) {
				return "", "", fmt.Errorf("--heatmap: %q is not a knob swept over several values", n)
			}
		}
		return names[0], names[1], nil
	}
	var found []string
	for _, a := range g {
		if len(a.Values) > 1 {
			found = append(found, a.Name)
		}
	}
	if len(found) < 2 {
		return "", "", nil
	}
	return found[0], found[1], nil
}

// Figures shown per metric: shares as percentages, the rest as numbers.
func metricValue(m eval.Metric, v float64) string {
	switch {
	case strings.HasSuffix(m.Name, "_lift"):
		return signedPct(v)
	case strings.HasSuffix(m.Name, "_key"), strings.HasSuffix(m.Name, "_camelot"), strings.HasSuffix(m.Name, "_tempo"), strings.HasSuffix(m.Name, "_artist"):
		return pct(v)
	}
	return f3(v)
}

func settingCells(s eval.Setting) []string {
	cells := make([]string, len(eval.KnobNames))
	for i, k := range eval.KnobNames {
		cells[i] = strconv.FormatFloat(s.Get(k), 'g', -1, 64)
		if k == eval.KnobPool {
			cells[i] = poolString(s.Pool)
		}
	}
	return cells
}

// printSweep prints the best setting per metric, the Pareto front and the
// recommendation.
func printSweep(w io.Writer, rows []eval.Row, pareto []string, g eval.Goals, picks int) error {
	bw := &errWriter{w: w}
	right := map[int]bool{}
	for i := 1; i <= len(eval.KnobNames)+1; i++ {
		right[i] = true
	}
	fmt.Fprintf(bw, "Best setting per metric (%d settings)\n\n", len(rows))
	table := [][]string{append([]string{"metric", "best"}, eval.KnobNames[:]...)}
	for m, met := range eval.Metrics {
		b := eval.Best(rows, m)
		if b < 0 {
			continue
		}
		dir := "↑"
		if !met.Higher {
			dir = "↓"
		}
		table = append(table, append([]string{met.Name + " " + dir, metricValue(met, rows[b].Values[m])}, settingCells(rows[b].Setting)...))
	}
	export.Aligned(bw, table, right)

	front, err := eval.ParetoRows(rows, pareto)
	if err != nil {
		return err
	}
	idx := make([]int, len(pareto))
	for j, name := range pareto {
		idx[j] = eval.MetricIndex(name)
	}
	// Best first by the first objective.
	slices.SortStableFunc(front, func(a, b int) int {
		va, vb := rows[a].Values[idx[0]], rows[b].Values[idx[0]]
		if !eval.Metrics[idx[0]].Higher {
			va, vb = -va, -vb
		}
		switch {
		case va > vb:
			return -1
		case va < vb:
			return 1
		}
		return 0
	})
	const maxFront = 25
	fmt.Fprintf(bw, "\nPareto front over %s: %d settings", strings.Join(pareto, ", "), len(front))
	if len(front) > maxFront {
		fmt.Fprintf(bw, " (the %d best by %s shown; all in the CSV)", maxFront, pareto[0])
	}
	fmt.Fprint(bw, "\n\n")
	head := append([]string(nil), eval.KnobNames[:]...)
	head = append(head, pareto...)
	table = [][]string{head}
	for n, i := range front {
		if n == maxFront {
			break
		}
		line := settingCells(rows[i].Setting)
		for _, m := range idx {
			line = append(line, metricValue(eval.Metrics[m], rows[i].Values[m]))
		}
		table = append(table, line)
	}
	all := map[int]bool{}
	for i := range head {
		all[i] = true
	}
	export.Aligned(bw, table, all)

	met := 0
	for _, r := range rows {
		if g.Met(eval.RowChoice(r, picks)) {
			met++
		}
	}
	fmt.Fprintf(bw, "\nGoals for built playlists: key=1 ≥ %s, within 6%% BPM ≥ %s, drift ≤ %s (the human order's): met by %d of %d settings.\n",
		pct(g.Key), pct(g.Tempo), f3(g.MaxDrift), met, len(rows))
	writeRecommendation(bw, rows, g, picks)
	return bw.err
}

// judging returns the goals g with the drift of d's human order, and the
// picks judged per setting by the build task (the precision's standard
// error): what eval.ChooseRows needs of a sweep on d.
func judging(d *eval.Data, g eval.Goals) (eval.Goals, int) {
	g.MaxDrift = d.Human().Listener.Drift
	return g, d.Human().Playlists * max(0, d.Options().BuildLength-d.Options().Seeds)
}

// writeRecommendation writes the setting eval.ChooseRows recommends of
// rows, as flags, and its build figures; or that none meets the goals.
func writeRecommendation(w io.Writer, rows []eval.Row, g eval.Goals, picks int) {
	r := eval.ChooseRows(rows, g, picks)
	if r < 0 {
		fmt.Fprintln(w, "No setting meets the goals: none recommended.")
		return
	}
	s := rows[r]
	v := func(name string) float64 { return s.Values[eval.MetricIndex(name)] }
	fmt.Fprintf(w, "Recommended (of those meeting the goals, the ones within a standard error of the best precision; of them the best genre): --flow %g --spicyness %g --sweetness %g --smoothness %g --belong %g --pool %s\n",
		s.Setting.Knobs.Flow, s.Setting.Knobs.Spicyness, s.Setting.Knobs.Sweetness, s.Setting.Knobs.Smoothness, s.Setting.Knobs.Belong, poolString(s.Setting.Pool))
	fmt.Fprintf(w, "  build: precision %s, genre %s, drift %s, key=1 %s, 6%% BPM %s; catalog MRR %s\n",
		pct(v("build_precision")), pct(v("build_genre")), f3(v("build_drift")), pct(v("build_key")), pct(v("build_tempo")), f3(v("catalog_mrr")))
}

// drawSweep writes the sweep's figures (plots.SweepFigures: each metric
// against each swept knob, heatmaps over hx and hy) into dir, all or none.
func drawSweep(log io.Writer, dir string, grid eval.Grid, rows []eval.Row, o plots.SweepOptions) error {
	figs, err := plots.SweepFigures(grid, rows, o)
	if err != nil || len(figs) == 0 {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// All the plots, or none: they are put in place at the end.
	var outs atomic.Set
	defer outs.Abort()
	for _, f := range figs {
		path := filepath.Join(dir, f.Name)
		if err := plots.AddTo(&outs, f.Figure, 0, 0, path); err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
	}
	if err := outs.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(log, "wrote %d plots to %s\n", len(figs), dir)
	return nil
}
