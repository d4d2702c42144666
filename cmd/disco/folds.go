package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/builtin"
	"github.com/discoflow/disco/internal/atomic"
	"github.com/discoflow/disco/plots"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/candidates"
	"github.com/discoflow/disco/selector/eval"
	"github.com/discoflow/disco/selector/export"
)

// This file holds disco eval --folds: the build task cross-validated over
// the training playlists, for one setting or a grid of them and a list of
// quotas, and the rule that picks a default from them (bench/eval/README.md).

// foldFigures are the figures of a build that --folds reports, in order.
var foldFigures = [...]struct {
	name string
	pct  bool // a share, shown in percent; else a distance
}{
	{"precision", true}, {"genre", true}, {"subgenre", true}, {"drift", false}, {"key=1", true}, {"6% BPM", true},
	{"artist rep", true}, {"artists", true},
}

const numFold = len(foldFigures)

// foldValues returns a build's figures in foldFigures' order: artist rep
// is the share of picks sharing an artist with one of the eval.ArtistWindow
// songs before them (lower is better), artists the share of distinct
// artists among the picks (higher is better).
func foldValues(g eval.Generation) [numFold]float64 {
	l := g.Listener
	return [numFold]float64{l.Precision, l.Genre, l.Subgenre, l.Drift, g.Order.Key, g.Order.Tempo, g.Order.Artist, l.Artists}
}

// foldRow is one setting and quota over the folds.
type foldRow struct {
	Setting eval.Setting       `json:"setting"`
	Quota   string             `json:"quota"`
	Folds   [][numFold]float64 `json:"folds"` // per fold, foldFigures' order
	Mean    [numFold]float64   `json:"mean"`
	SD      [numFold]float64   `json:"sd"`
	Front   bool               `json:"pareto_front"` // on the front of precision and key=1
	Chosen  bool               `json:"chosen"`
	Names   [numFold]string    `json:"figures"`
}

// choose applies the default rule (eval.Choose, with eval.DefaultGoals)
// to fold rows: their means, the precision's spread over the folds.
func choose(rows []foldRow, humanDrift float64) int {
	cs := make([]eval.Choice, len(rows))
	for i, r := range rows {
		cs[i] = eval.Choice{Precision: r.Mean[0], PrecisionSD: r.SD[0], Genre: r.Mean[1], Drift: r.Mean[3], Key: r.Mean[4], Tempo: r.Mean[5]}
	}
	return eval.Choose(cs, eval.DefaultGoals(humanDrift))
}

// crossValidate runs the build task for every setting and quota on k
// folds of the training playlists (the embedded catalog's, as disco train
// splits them), each fold held out in turn with the hybrid source learnt
// from the others, and prints each setting's mean and spread, the Pareto
// front of precision against key-compatible moves, and the setting the
// default rule chooses. With one setting and one quota it also prints
// each fold. The flow model saw every fold in training: the spread
// measures the candidate source and the knobs, not the model.
func (o *evalData) crossValidate(ctx context.Context, e *env, settings []eval.Setting, quotas []string, k int, format, out, plotPath string) error {
	m, err := openModel(o.model)
	if err != nil {
		return err
	}
	cat, err := openCatalog(o.catalog, o.skipBad)
	if err != nil {
		return err
	}
	train, _, _, err := o.validationSplit(e.stderr, m, cat)
	if err != nil {
		return err
	}
	qs := make([]candidates.Quotas, len(quotas))
	for i, q := range quotas {
		if qs[i], err = candidates.ParseQuotas(q); err != nil {
			return badFlag(fmt.Errorf("--quotas: %w", err))
		}
	}
	pools := []int{}
	for _, s := range settings {
		if !slices.Contains(pools, s.Pool) {
			pools = append(pools, s.Pool)
		}
	}
	order := slices.Clone(train)
	rand.New(rand.NewPCG(o.seed, 0xf01d)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	rows := make([]foldRow, 0, len(settings)*len(quotas))
	for _, q := range quotas {
		for _, s := range settings {
			rows = append(rows, foldRow{Setting: s, Quota: q})
		}
	}
	var human []float64 // the human order's drift, per fold
	var sizes []int
	// The hybrid's pool is learnt for each size: it is not the prefix of
	// a larger one (the seeds' own songs lead the whole pool). The
	// catalog's nearest are, so one preparation serves every size.
	groups := [][]int{pools}
	if o.cands == "hybrid" {
		groups = groups[:0]
		for _, n := range pools {
			groups = append(groups, []int{n})
		}
	}
	bar := newProgress(e.stderr, "folds", k*len(quotas)*len(groups), "pools")
	done := 0
	for f := range k {
		var in, held []*features.Playlist
		for i, p := range order {
			if i%k == f {
				held = append(held, p)
			} else {
				in = append(in, p)
			}
		}
		sizes = append(sizes, len(held))
		h, err := o.learn(ctx, m, cat, in, pools)
		if err != nil {
			return err
		}
		for qi := range quotas {
			for gi, group := range groups {
				var src *candidates.Hybrid
				if h != nil {
					n := group[0]
					if n <= 0 {
						n = cat.Catalog.Len()
					}
					src = h.With(qs[qi], n)
				}
				p, err := o.prepareWith(ctx, m, cat, poolOf(src), held, "", group)
				if err != nil {
					return err
				}
				if qi == 0 && gi == 0 {
					human = append(human, p.data.Human().Listener.Drift)
				}
				for si, s := range settings {
					if !slices.Contains(group, s.Pool) {
						continue
					}
					g, err := p.data.Build(s)
					if err != nil {
						return err
					}
					r := &rows[qi*len(settings)+si]
					r.Folds = append(r.Folds, foldValues(g))
				}
				done++
				bar.Set(done)
			}
		}
	}
	bar.Done()
	humanDrift := stat.Mean(human, nil)
	points := make([][]float64, len(rows))
	for i := range rows {
		r := &rows[i]
		for j := range numFold {
			r.Names[j] = foldFigures[j].name
			col := make([]float64, len(r.Folds))
			for f, v := range r.Folds {
				col[f] = v[j]
			}
			r.Mean[j], r.SD[j] = stat.MeanStdDev(col, nil)
		}
		points[i] = []float64{r.Mean[0], r.Mean[4]}
	}
	for _, i := range eval.Pareto(points, []bool{true, true}) {
		rows[i].Front = true
	}
	chosen := choose(rows, humanDrift)
	if chosen >= 0 {
		rows[chosen].Chosen = true
	}

	var outs atomic.Set
	defer outs.Abort()
	if plotPath != "" {
		if err := drawTradeoff(&outs, plotPath, rows, k); err != nil {
			return err
		}
	}
	head := fmt.Sprintf("Build task, %d-fold cross-validation over the %d training playlists of %s (folds of %s); knobs: %s; candidates: %s",
		k, len(train), builtin.Name, joinInts(sizes), knobsString(settings[0]), o.cands)
	if len(quotas) == 1 {
		head += " (quota " + quotas[0] + ")"
	}

	write := func(w io.Writer) error {
		switch format {
		case "json":
			return writeJSON(w, struct {
				Folds      int       `json:"folds"`
				HumanDrift float64   `json:"human_drift"`
				Rows       []foldRow `json:"settings"`
			}{k, humanDrift, rows})
		case "csv":
			return writeFoldsCSV(w, rows)
		}
		return writeFoldsTable(w, head, rows, humanDrift, chosen)
	}
	if out != "" {
		if err := outs.Add(out, 0o644, write); err != nil {
			return err
		}
		return outs.Commit()
	}
	if err := outs.Commit(); err != nil {
		return err
	}
	return write(e.stdout)
}

// poolOf returns h as a selector.Pool, nil (no source) for nil.
func poolOf(h *candidates.Hybrid) selector.Pool {
	if h == nil {
		return nil
	}
	return h
}

// labeller names fold rows by what varies among them: the knobs that
// differ and, when several, the quota; "" when nothing does. It also
// returns the names of what varies, for a column header.
func labeller(rows []foldRow) (func(foldRow) string, string) {
	var vary []string
	for _, k := range eval.KnobNames {
		if slices.ContainsFunc(rows, func(r foldRow) bool { return r.Setting.Get(k) != rows[0].Setting.Get(k) }) {
			vary = append(vary, k)
		}
	}
	quotas := slices.ContainsFunc(rows, func(r foldRow) bool { return r.Quota != rows[0].Quota })
	header := strings.Join(vary, ", ")
	if quotas {
		header = strings.TrimPrefix(header+", quota", ", ")
	}
	return func(r foldRow) string {
		var parts []string
		for _, k := range vary {
			v := strconv.FormatFloat(r.Setting.Get(k), 'g', -1, 64)
			if k == eval.KnobPool {
				v = poolString(r.Setting.Pool)
			}
			parts = append(parts, k+" "+v)
		}
		if quotas {
			parts = append(parts, r.Quota)
		}
		return strings.Join(parts, ", ")
	}, header
}

// fmtFold formats figure j's value.
func fmtFold(j int, v float64) string {
	if foldFigures[j].pct {
		return pct(v)
	}
	return f3(v)
}

func writeFoldsTable(w io.Writer, head string, rows []foldRow, humanDrift float64, chosen int) error {
	fmt.Fprintf(w, "%s\n\n", head)
	right := map[int]bool{}
	if len(rows) == 1 {
		// One setting: each fold, then the mean and spread.
		r := rows[0]
		t := [][]string{{"fold"}}
		for j := range numFold {
			t[0] = append(t[0], foldFigures[j].name)
			right[j+1] = true
		}
		for f, v := range r.Folds {
			row := []string{strconv.Itoa(f + 1)}
			for j := range numFold {
				row = append(row, fmtFold(j, v[j]))
			}
			t = append(t, row)
		}
		mean, sd := []string{"mean"}, []string{"sd"}
		for j := range numFold {
			mean, sd = append(mean, fmtFold(j, r.Mean[j])), append(sd, fmtFold(j, r.SD[j]))
		}
		t = append(t, mean, sd)
		if err := export.Aligned(w, t, right); err != nil {
			return err
		}
	} else {
		label, header := labeller(rows)
		t := [][]string{{header}}
		for j := range numFold {
			t[0] = append(t[0], foldFigures[j].name)
			right[j+1] = true
		}
		t[0] = append(t[0], "")
		for i, r := range rows {
			row := []string{label(r)}
			for j := range numFold {
				row = append(row, fmtFold(j, r.Mean[j])+" ± "+fmtFold(j, r.SD[j]))
			}
			var marks []string
			if r.Front {
				marks = append(marks, "front")
			}
			if i == chosen {
				marks = append(marks, "CHOSEN")
			}
			t = append(t, append(row, strings.Join(marks, " ")))
		}
		if err := export.Aligned(w, t, right); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\nHuman order's drift on the same folds: %s. ", f3(humanDrift))
	if chosen < 0 {
		_, err := fmt.Fprintf(w, "No setting clears key=1 ≥ %s, 6%% BPM ≥ %s and drift ≤ the human's.\n", pct(eval.DefaultGoals(0).Key), pct(eval.DefaultGoals(0).Tempo))
		return err
	}
	_, err := fmt.Fprintf(w, "Chosen (of the settings with key=1 ≥ %s, 6%% BPM ≥ %s and drift ≤ the human's, those within one sd of the best precision; of them the best genre): %s\n", pct(eval.DefaultGoals(0).Key), pct(eval.DefaultGoals(0).Tempo), knobsString(rows[chosen].Setting)+"; quota "+rows[chosen].Quota)
	return err
}

func writeFoldsCSV(w io.Writer, rows []foldRow) error {
	var t [][]string
	head := append([]string{}, eval.KnobNames[:]...)
	head = append(head, "quota", "folds")
	for j := range numFold {
		head = append(head, foldFigures[j].name+"_mean", foldFigures[j].name+"_sd")
	}
	t = append(t, append(head, "pareto_front", "chosen"))
	for _, r := range rows {
		var rec []string
		for _, k := range eval.KnobNames {
			rec = append(rec, strconv.FormatFloat(r.Setting.Get(k), 'g', -1, 64))
		}
		rec = append(rec, r.Quota, strconv.Itoa(len(r.Folds)))
		for j := range numFold {
			rec = append(rec, strconv.FormatFloat(r.Mean[j], 'g', -1, 64), strconv.FormatFloat(r.SD[j], 'g', -1, 64))
		}
		t = append(t, append(rec, strconv.FormatBool(r.Front), strconv.FormatBool(r.Chosen)))
	}
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(t); err != nil {
		return err
	}
	return cw.Error()
}

// drawTradeoff draws precision against key=1 of every setting (plots.Tradeoff).
func drawTradeoff(outs *atomic.Set, path string, rows []foldRow, k int) error {
	pts := make([]plots.TradeoffPoint, len(rows))
	label, _ := labeller(rows)
	for i, r := range rows {
		pts[i] = plots.TradeoffPoint{Label: label(r), X: r.Mean[4], Y: r.Mean[0], XErr: r.SD[4], YErr: r.SD[0], Front: r.Front, Chosen: r.Chosen}
	}
	fig, err := plots.Tradeoff(pts, "key-compatible moves (key=1)", "precision (picks from the seeds' playlist)", eval.DefaultGoals(0).Key,
		fmt.Sprintf("Belonging against mixing: %d settings, mean ± sd over %d folds", len(rows), k))
	if err != nil {
		return err
	}
	w, h := fig.Size()
	return plots.AddTo(outs, fig, w, h, path)
}
