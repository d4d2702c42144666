package plots

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/discoflow/disco/selector/eval"
)

func TestSweepFigures(t *testing.T) {
	grid, err := eval.ParseGrid("sweetness=0|1|2,smoothness=0|1,flow=1")
	if err != nil {
		t.Fatal(err)
	}
	var rows []eval.Row
	for _, s := range grid.Settings(eval.Setting{}) {
		r := eval.Row{Setting: s, Values: make([]float64, len(eval.Metrics))}
		for j := range r.Values {
			r.Values[j] = 0.5 + 0.1*s.Knobs.Sweetness - 0.05*s.Knobs.Smoothness
		}
		rows = append(rows, r)
	}
	nan := slices.Clone(rows)
	for i := range nan {
		nan[i].Values = slices.Repeat([]float64{math.NaN()}, len(eval.Metrics))
	}
	for _, tc := range []struct {
		name    string
		rows    []eval.Row
		o       SweepOptions
		want    []string
		wantErr string
	}{
		{"lines and heatmaps", rows, SweepOptions{Metrics: []string{"build_precision", "build_key"}, HeatX: "sweetness", HeatY: "smoothness", Goals: eval.DefaultGoals(math.Inf(1)), Picks: 10},
			[]string{"build_precision-vs-sweetness.png", "build_precision-vs-smoothness.png", "build_precision-sweetness-smoothness.png",
				"build_key-vs-sweetness.png", "build_key-vs-smoothness.png", "build_key-sweetness-smoothness.png"}, ""},
		{"no heatmap", rows, SweepOptions{Metrics: []string{"catalog_mrr"}}, []string{"catalog_mrr-vs-sweetness.png", "catalog_mrr-vs-smoothness.png"}, ""},
		{"no rows", nil, SweepOptions{Metrics: []string{"build_precision"}}, nil, ""},
		{"no finite value", nan, SweepOptions{Metrics: []string{"build_precision"}}, nil, ""},
		{"unknown metric", rows, SweepOptions{Metrics: []string{"build_joy"}}, nil, "build_joy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			figs, err := SweepFigures(grid, tc.rows, tc.o)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one naming %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range figs {
				names = append(names, f.Name)
				if _, err := PNG(f.Figure, 0, 0); err != nil {
					t.Errorf("%s: %v", f.Name, err)
				}
			}
			if !slices.Equal(names, tc.want) {
				t.Errorf("figures %q, want %q", names, tc.want)
			}
		})
	}
}

func TestSweepRefs(t *testing.T) {
	g := eval.Goals{Key: 0.95, Tempo: 0.9}
	refs := SweepRefs(nil, g)
	if len(refs) != 2 || refs["build_key"] != (SweepRef{"goal (95.0%)", 0.95}) || refs["build_tempo"] != (SweepRef{"goal (90.0%)", 0.9}) {
		t.Errorf("without a report: %v", refs)
	}
	rep := &eval.Report{Ranking: []eval.RankerScores{
		{Name: "DISCO", Within: eval.Ranking{MRR: 0.9}, Catalog: eval.Ranking{MRR: 0.9}},
		{Name: "random", Within: eval.Ranking{MRR: 0.1}, Catalog: eval.Ranking{MRR: 0.3}},
		{Name: "centroid", Within: eval.Ranking{MRR: 0.2}, Catalog: eval.Ranking{MRR: 0.2}},
	}}
	refs = SweepRefs(rep, g)
	for metric, want := range map[string]SweepRef{
		"within_mrr":  {"best baseline (centroid)", 0.2},
		"catalog_mrr": {"best baseline (random)", 0.3},
	} {
		if refs[metric] != want {
			t.Errorf("%s: %v, want %v (the best ranker other than DISCO)", metric, refs[metric], want)
		}
	}
}
