package eval

import (
	"math"
	"testing"
)

func TestChoose(t *testing.T) {
	g := Goals{Key: 0.95, Tempo: 0.9, MaxDrift: 2}
	c := func(prec, sd, genre, drift, key, tempo float64) Choice {
		return Choice{Precision: prec, PrecisionSD: sd, Genre: genre, Drift: drift, Key: key, Tempo: tempo}
	}
	for _, tc := range []struct {
		name string
		cs   []Choice
		want int
	}{
		// 1 misses the key goal, 0 is the most precise, 2 is within its sd
		// and truer to the genre, 3 is too imprecise.
		{"genre within the sd", []Choice{c(0.10, 0.02, 0.6, 1, 0.96, 0.95), c(0.20, 0.01, 0.9, 1, 0.80, 0.95), c(0.085, 0.01, 0.7, 1, 0.97, 0.95), c(0.07, 0.01, 0.9, 1, 0.99, 0.95)}, 2},
		{"no sd: the most precise", []Choice{c(0.10, 0, 0.6, 1, 0.96, 0.95), c(0.099, 0, 0.9, 1, 0.96, 0.95)}, 0},
		{"genre tie: the more precise", []Choice{c(0.09, 0.02, 0.8, 1, 0.96, 0.95), c(0.10, 0.02, 0.8, 1, 0.96, 0.95)}, 1},
		{"tempo goal", []Choice{c(0.10, 0, 0.8, 1, 0.96, 0.89), c(0.05, 0, 0.5, 1, 0.96, 0.9)}, 1},
		{"drift goal", []Choice{c(0.10, 0, 0.8, 2.1, 0.96, 0.95)}, -1},
		{"NaN never meets a goal", []Choice{c(0.10, 0, 0.8, math.NaN(), 0.96, 0.95)}, -1},
		{"none", nil, -1},
	} {
		if got := Choose(tc.cs, g); got != tc.want {
			t.Errorf("%s: chose %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestChooseRows(t *testing.T) {
	row := func(prec, genre float64) Row {
		r := Row{Values: make([]float64, len(Metrics))}
		for k, v := range map[string]float64{"build_precision": prec, "build_genre": genre, "build_drift": 1, "build_key": 0.97, "build_tempo": 0.95} {
			r.Values[MetricIndex(k)] = v
		}
		return r
	}
	rows := []Row{row(0.10, 0.6), row(0.09, 0.9)}
	g := DefaultGoals(2)
	// 400 picks: the standard error of 10% is 1.5 points, so 9% is as
	// precise and its genre wins; with 40,000 picks it is 0.15 points.
	if got := ChooseRows(rows, g, 400); got != 1 {
		t.Errorf("400 picks: chose %d, want 1", got)
	}
	if got := ChooseRows(rows, g, 40000); got != 0 {
		t.Errorf("40,000 picks: chose %d, want 0", got)
	}
	if se := RowChoice(rows[0], 400).PrecisionSD; math.Abs(se-0.015) > 1e-12 {
		t.Errorf("standard error %v, want 0.015", se)
	}
}
