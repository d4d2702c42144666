package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
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
		"flow 1, spicyness 5 (from the global mean), sweetness 0.75, smoothness 1, belong 6, pool 200",
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
	checkUsage(t, "eval", []usageCase{
		{[]string{"eval", "--format", "xml"}, `--format "xml": want table, json or csv`},
		{[]string{"eval", "--pool", "0"}, `--pool: 0 is not a whole number in [1, `},
		{[]string{"eval", "extra"}, `unexpected arguments ["extra"]`},
		{[]string{"eval", "--nope"}, "flag provided but not defined: -nope"},
	})
}

// usageCase is a command line that must fail as a usage error, and what
// the message must say.
type usageCase struct {
	args []string
	want string
}

// checkUsage runs each case of the command cmd and checks that it fails
// with a usage error whose message (stderr, then the error main prints)
// says want, with the usage for an unknown flag, and nothing on stdout.
func checkUsage(t *testing.T, cmd string, cases []usageCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), c.args, &stdout, &stderr)
			if !errors.Is(err, errUsage) {
				t.Errorf("err %v, want a usage error", err)
			}
			said := stderr.String()
			if err != nil {
				said += err.Error()
			}
			if !strings.Contains(said, c.want) {
				t.Errorf("the message lacks %q:\n%s", c.want, said)
			}
			if strings.HasPrefix(c.want, "flag provided") && !strings.Contains(said, "Usage: disco "+cmd) {
				t.Errorf("an unknown flag should print the usage:\n%s", said)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout not empty: %q", stdout.String())
			}
		})
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

// TestEvalFoldsGrid: --folds with a grid reports every setting over every
// fold with its mean, marks the setting choose picks; --plot draws the
// trade-off; --grid without --folds is refused.
func TestEvalFoldsGrid(t *testing.T) {
	dir := t.TempDir()
	out, plot := filepath.Join(dir, "folds.json"), filepath.Join(dir, "tradeoff.png")
	var stdout, stderr bytes.Buffer
	args := []string{"eval", "--folds", "2", "--candidates", "catalog", "--pool", "30", "--max-playlists", "8", "--sort=false",
		"--grid", "belong=0|60,sweetness=0.75|3", "--plot", plot, "-o", out}
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Folds      int
		HumanDrift float64   `json:"human_drift"`
		Rows       []foldRow `json:"settings"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if got.Folds != 2 || len(got.Rows) != 4 {
		t.Fatalf("%d folds, %d settings; want 2 and 4", got.Folds, len(got.Rows))
	}
	for i, r := range got.Rows {
		if len(r.Folds) != 2 {
			t.Fatalf("setting %d: %d folds", i, len(r.Folds))
		}
		if m := (r.Folds[0][0] + r.Folds[1][0]) / 2; math.Abs(m-r.Mean[0]) > 1e-12 {
			t.Errorf("setting %d: precision mean %v of %v", i, r.Mean[0], r.Folds)
		}
	}
	chosen := choose(got.Rows, got.HumanDrift)
	for i, r := range got.Rows {
		if r.Chosen != (i == chosen) {
			t.Errorf("setting %d: chosen %v, the rule picks %d", i, r.Chosen, chosen)
		}
	}
	// belong 60 follows the pool's order, belong 0 the flow: they differ.
	if got.Rows[0].Mean == got.Rows[1].Mean {
		t.Errorf("belong 0 and 60 gave the same figures: %v", got.Rows[0].Mean)
	}
	// The rule, on rows made to test it: 1 is ineligible (key), 0 the most
	// precise, 2 within its sd and of a better genre, 3 too imprecise.
	row := func(prec, sd, genre, key float64) foldRow {
		return foldRow{Mean: [numFold]float64{prec, genre, 0, 1, key, 0.95}, SD: [numFold]float64{sd}}
	}
	rule := []foldRow{row(0.10, 0.02, 0.6, 0.96), row(0.20, 0.01, 0.9, 0.80), row(0.085, 0.01, 0.7, 0.97), row(0.07, 0.01, 0.9, 0.99)}
	if c := choose(rule, 2); c != 2 {
		t.Errorf("choose picked %d, want 2", c)
	}
	if c := choose(rule, 0.5); c != -1 {
		t.Errorf("choose with every drift above the human's: %d, want -1", c)
	}
	if png, err := os.ReadFile(plot); err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("plot: %v", err)
	}
	stdout.Reset()
	stderr.Reset()
	if err := run(context.Background(), []string{"eval", "--grid", "belong=0|1"}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "go with --folds") {
		t.Errorf("--grid without --folds: %v", err)
	}
}

// TestEvalWarnsFarSeed: held-out playlists whose seeds include a song far
// from the model's training songs get one warning naming it; the same
// playlist without it gets none.
func TestEvalWarnsFarSeed(t *testing.T) {
	const header = "track_id,track_name,track_artist,track_popularity,track_album_name,track_album_release_date,playlist_name,playlist_id,playlist_genre,playlist_subgenre,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms\n"
	piano := "farpiano000000000000001,Nocturne For Nobody,Test Pianist,10,Quiet,2020-01-01,Night,plnight,classical,solo piano,0.25,0.02,1,-38.5,0,0.04,0.995,0.95,0.08,0.04,70.0,300000\n"
	var ordinary strings.Builder
	for i, v := range [][3]float64{{0.70, 0.75, -5.5}, {0.65, 0.80, -4.9}, {0.72, 0.70, -6.1}, {0.60, 0.85, -4.0}, {0.68, 0.77, -5.0}} {
		fmt.Fprintf(&ordinary, "ordinary0000000000000%d,Ordinary Song %d,Test Band,50,Pop,2020-01-01,Night,plnight,classical,solo piano,%g,%g,5,%g,1,0.06,0.10,0.0,0.12,0.60,118.0,200000\n", i, i, v[0], v[1], v[2])
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name, rows string
		warnings   int
	}{
		{"far", piano + ordinary.String(), 1},
		{"ordinary", ordinary.String(), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".csv")
			if err := os.WriteFile(path, []byte(header+tc.rows), 0o644); err != nil {
				t.Fatal(err)
			}
			_, errOut, err := runDisco(context.Background(), "eval", "--playlists", path, "--candidates", "catalog", "--distractors", "9", "--shuffles", "1")
			if err != nil {
				t.Fatalf("eval: %v\n%s", err, errOut)
			}
			if n := strings.Count(errOut, "lies far outside the model's training data"); n != tc.warnings {
				t.Fatalf("%d warnings, want %d:\n%s", n, tc.warnings, errOut)
			}
			if tc.warnings > 0 && !strings.Contains(errOut, `disco eval: warning: seed "Test Pianist - Nocturne For Nobody" (farpiano000000000000001)`) {
				t.Errorf("warning does not name the seed:\n%s", errOut)
			}
		})
	}
}
