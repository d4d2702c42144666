package plots

import (
	"fmt"
	"math"
	"slices"

	"github.com/discoflow/disco/selector/eval"
)

// SweepRef is a constant line drawn in a metric's sweep plots: a goal or
// the best baseline.
type SweepRef struct {
	Name  string
	Value float64
}

// SweepRefs returns, per metric, the line to compare a sweep with: for
// ranking metrics the best baseline ranker of rep (not DISCO), for the
// build task's key and tempo shares the goal. rep may be nil: goals only.
func SweepRefs(rep *eval.Report, g eval.Goals) map[string]SweepRef {
	refs := map[string]SweepRef{
		"build_key":   {fmt.Sprintf("goal (%.1f%%)", 100*g.Key), g.Key},
		"build_tempo": {fmt.Sprintf("goal (%.1f%%)", 100*g.Tempo), g.Tempo},
	}
	if rep == nil {
		return refs
	}
	for _, set := range []string{"within", "catalog"} {
		for _, m := range []string{"hr1", "hr5", "hr10", "mrr"} {
			best := SweepRef{Value: math.Inf(-1)}
			for _, r := range rep.Ranking {
				if r.Name == "DISCO" {
					continue
				}
				rk := r.Within
				if set == "catalog" {
					rk = r.Catalog
				}
				v := map[string]float64{"hr1": rk.HR1, "hr5": rk.HR5, "hr10": rk.HR10, "mrr": rk.MRR}[m]
				if v > best.Value {
					best = SweepRef{"best baseline (" + r.Name + ")", v}
				}
			}
			if !math.IsInf(best.Value, -1) {
				refs[set+"_"+m] = best
			}
		}
	}
	return refs
}

// SweepOptions choose the figures of [SweepFigures].
type SweepOptions struct {
	Metrics []string // the metrics drawn, e.g. the Pareto front's
	// HeatX and HeatY are the knobs of the heatmaps; "": none.
	HeatX, HeatY string
	// Goals and Picks choose the recommended setting (eval.ChooseRows),
	// whose slice is drawn too.
	Goals eval.Goals
	Picks int
	Refs  map[string]SweepRef // constant lines per metric (SweepRefs)
}

// NamedFigure is a figure and its file name, e.g.
// "build_precision-vs-sweetness.png".
type NamedFigure struct {
	Name   string
	Figure *Figure
}

// SweepFigures returns the plots of a sweep's rows over grid, as disco
// sweep --plot-dir writes them and disco serve shows them: each metric
// against each knob swept over several values (the other knobs at that
// metric's best, and at the recommended setting), and a heatmap over
// HeatX and HeatY per metric. Metrics without a finite value are left
// out; no rows is no figures. An unknown metric is an error.
func SweepFigures(grid eval.Grid, rows []eval.Row, o SweepOptions) ([]NamedFigure, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	rec := eval.ChooseRows(rows, o.Goals, o.Picks)
	var out []NamedFigure
	for _, name := range o.Metrics {
		m := eval.MetricIndex(name)
		if m < 0 {
			return nil, fmt.Errorf("plots: unknown sweep metric %q", name)
		}
		b := eval.Best(rows, m)
		if b < 0 {
			continue
		}
		for _, ax := range grid {
			if len(ax.Values) < 2 {
				continue
			}
			xs := sortedValues(grid, ax.Name)
			series := []Series{{Name: "others at the best for " + name, Y: eval.Slice(rows, rows[b].Setting, ax.Name, xs, m)}}
			if rec >= 0 && rec != b {
				series = append(series, Series{Name: "others at the recommended setting", Y: eval.Slice(rows, rows[rec].Setting, ax.Name, xs, m)})
			}
			if ref, ok := o.Refs[name]; ok {
				y := make([]float64, len(xs))
				for i := range y {
					y[i] = ref.Value
				}
				series = append(series, Series{Name: ref.Name, Y: y})
			}
			fig, err := SweepLine(ax.Name, name, xs, series, fmt.Sprintf("disco sweep: %s against %s", name, ax.Name))
			if err != nil {
				return nil, err
			}
			out = append(out, NamedFigure{fmt.Sprintf("%s-vs-%s.png", name, ax.Name), fig})
		}
		if o.HeatX != "" {
			xs, ys := sortedValues(grid, o.HeatX), sortedValues(grid, o.HeatY)
			z := eval.Surface(rows, rows[b].Setting, o.HeatX, o.HeatY, xs, ys, m)
			fig, err := Heatmap(o.HeatX, o.HeatY, xs, ys, z, name, fmt.Sprintf("disco sweep: %s (other knobs at its best)", name))
			if err != nil {
				return nil, err
			}
			out = append(out, NamedFigure{fmt.Sprintf("%s-%s-%s.png", name, o.HeatX, o.HeatY), fig})
		}
	}
	return out, nil
}

// sortedValues returns the values of grid's axis name, sorted.
func sortedValues(g eval.Grid, name string) []float64 {
	for _, a := range g {
		if a.Name == name {
			xs := slices.Clone(a.Values)
			slices.Sort(xs)
			return xs
		}
	}
	return nil
}
