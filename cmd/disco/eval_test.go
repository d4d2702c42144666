package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var tiny = filepath.Join("testdata", "train_tiny.csv")

func TestEvalCommand(t *testing.T) {
	base := []string{"eval", "--playlists", tiny, "--catalog", tiny, "--distractors", "20", "--shuffles", "3"}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), base, &stdout, &stderr); err != nil {
		t.Fatalf("eval: %v\n%s", err, stderr.String())
	}
	for _, want := range []string{
		"Prediction", "running mean", "MAE/MAD",
		"Next-track ranking", "random", "last song", "centroid", "RNN", "DISCO",
		"Generation", "human order", "DISCO reorder", "DISCO build", "shuffled", "lift",
		"flow 1, spicyness 5 (from the global mean), sweetness 0.75, smoothness 1, pool 100",
		"What a listener notices", "random picks", "precision",
		"against the exact solver on 200 random sets of 10 songs", "gap: sequencer/exact - 1", "regret: greedy/sequencer - 1",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, stdout.String())
		}
	}

	stdout.Reset()
	if err := run(context.Background(), append(base, "--format", "json", "--sweetness", "2", "--pool", "all"), &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Setting struct {
			Knobs struct{ Sweetness float64 }
			Pool  int
		}
		Ranking []struct {
			Name    string
			Catalog struct{ MRR *float64 }
		}
		Generation []struct{ Name string }
		Prediction *struct{ Steps int }
		Sequencer  *struct {
			Sets      int      `json:"sets"`
			GapWorst  *float64 `json:"gap_worst"`
			Playlists int      `json:"playlists"`
			Regret    *float64 `json:"regret_mean"`
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	if rep.Setting.Knobs.Sweetness != 2 || rep.Setting.Pool != 0 || len(rep.Ranking) != 5 || len(rep.Generation) != 5 || rep.Generation[2].Name != "sort" || rep.Generation[4].Name != "random picks" || rep.Prediction == nil || rep.Prediction.Steps == 0 {
		t.Errorf("json report: %+v", rep)
	}
	if q := rep.Sequencer; q == nil || q.Sets != 200 || q.GapWorst == nil || *q.GapWorst < 0 || q.Playlists == 0 || q.Regret == nil || *q.Regret < 0 {
		t.Errorf("json report's sequencer check: %+v", rep.Sequencer)
	}
	// Random's catalog MRR is H_21/21 exactly: 20 distractors.
	h := 0.0
	for n := 1; n <= 21; n++ {
		h += 1 / float64(n)
	}
	if r := rep.Ranking[0]; r.Name != "random" || r.Catalog.MRR == nil || *r.Catalog.MRR-h/21 > 1e-12 || h/21-*r.Catalog.MRR > 1e-12 {
		t.Errorf("random ranker: %+v, want MRR %v", r, h/21)
	}

	out := filepath.Join(t.TempDir(), "eval.csv")
	if err := run(context.Background(), append(base, "-o", out), &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, out)
	if len(recs) < 100 || strings.Join(recs[0], ",") != "section,subject,metric,value" {
		t.Errorf("csv: %d records, header %v", len(recs), recs[0])
	}
	found := false
	for _, r := range recs {
		found = found || (r[0] == "sequencer" && r[2] == "gap_median" && r[3] != "NaN")
	}
	if !found {
		t.Error("csv lacks the sequencer's gap_median")
	}
}

func TestEvalUsage(t *testing.T) {
	for _, args := range [][]string{
		{"eval", "--format", "xml"},
		{"eval", "--pool", "0"},
		{"eval", "extra"},
	} {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), args, &stdout, &stderr); !errors.Is(err, errUsage) {
			t.Errorf("%v: err %v, want a usage error", args, err)
		}
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestEvalCentre: --centre seeds reaches the objective (another catalog
// ranking than the global stretch) and a bad name is refused.
func TestEvalCentre(t *testing.T) {
	base := []string{"eval", "--catalog", "testdata/train_tiny.csv", "--playlists", "testdata/train_tiny.csv", "--distractors", "20", "--shuffles", "3", "--sort=false", "--format", "json"}
	mrr := func(args ...string) float64 {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), append(base, args...), &stdout, &stderr); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr.String())
		}
		var rep struct {
			Setting struct{ Knobs struct{ Centre string } }
			Ranking []struct{ Catalog struct{ MRR float64 } }
		}
		if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		if want := args[1]; rep.Setting.Knobs.Centre != want {
			t.Errorf("centre %q, want %q", rep.Setting.Knobs.Centre, want)
		}
		return rep.Ranking[len(rep.Ranking)-1].Catalog.MRR
	}
	if g, s := mrr("--centre", "global"), mrr("--centre", "seeds"); g == s {
		t.Errorf("catalog MRR %v with both centres", g)
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), append(base, "--centre", "middle"), &stdout, &stderr); err == nil || !strings.Contains(stderr.String()+err.Error(), "want seeds or global") {
		t.Errorf("--centre middle: %v, %s", err, stderr.String())
	}
}

// TestEvalFoldsRefused: one fold is no cross-validation.
func TestEvalFoldsRefused(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"eval", "--folds", "1"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error()+stderr.String(), "--folds") {
		t.Errorf("--folds 1: %v, %s", err, stderr.String())
	}
}
