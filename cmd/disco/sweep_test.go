package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/discoflow/disco/selector/eval"
)

func sweepArgs(out string, extra ...string) []string {
	return append([]string{"sweep", "--playlists", tiny, "--catalog", tiny, "--distractors", "20", "--shuffles", "3",
		"--quiet", "--out", out}, extra...)
}

func runOK(t *testing.T, args ...string) (string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, stderr.String())
	}
	return stdout.String(), stderr.String()
}

func TestSweepCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "s.csv")
	plotDir := filepath.Join(dir, "plots")
	stdout, _ := runOK(t, sweepArgs(out, "--grid", "sweetness=0:2:1,smoothness=0|2", "--workers", "2", "--plot-dir", plotDir)...)
	for _, want := range []string{"Best setting per metric", "catalog_mrr ↑", "build_step ↓", "Pareto front over build_precision, build_genre, build_key, build_tempo", "Goals for built playlists"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	recs := readCSV(t, out)
	if len(recs) != 7 || strings.Join(recs[0], ",") != strings.Join(eval.CSVHeader(), ",") {
		t.Fatalf("%d records, header %v", len(recs), recs[0])
	}
	// The recommended setting is a row that meets the goals.
	var sw, sm float64
	if i := strings.Index(stdout, "Recommended ("); i < 0 {
		if !strings.Contains(stdout, "No setting meets the goals") {
			t.Errorf("neither a recommendation nor its absence:\n%s", stdout)
		}
	} else if _, err := fmt.Sscanf(stdout[i+strings.Index(stdout[i:], "--sweetness"):], "--sweetness %g --smoothness %g", &sw, &sm); err != nil {
		t.Errorf("recommendation unreadable: %v", err)
	} else {
		found := false
		for _, rec := range recs[1:] {
			r, _, err := eval.ParseRow(rec)
			if err != nil {
				t.Fatal(err)
			}
			if r.Setting.Knobs.Sweetness == sw && r.Setting.Knobs.Smoothness == sm {
				found = true
				c := eval.RowChoice(r, 1)
				if g := eval.DefaultGoals(math.Inf(1)); !g.Met(c) {
					t.Errorf("recommended %g/%g misses the goals: %+v", sw, sm, c)
				}
			}
		}
		if !found {
			t.Errorf("recommended %g/%g is not in the grid", sw, sm)
		}
	}
	// Grid order: sweetness slowest.
	for i, want := range []string{"0,0", "0,2", "1,0", "1,2", "2,0", "2,2"} {
		if got := recs[i+1][2] + "," + recs[i+1][3]; got != want {
			t.Errorf("row %d: sweetness,smoothness %s, want %s", i+1, got, want)
		}
	}
	// Per metric of the Pareto front, one plot per knob and a heatmap:
	// what disco serve shows too (plots.SweepFigures).
	if ents, err := os.ReadDir(plotDir); err != nil || len(ents) != 4*3 {
		t.Errorf("%d plots (%v), want 12", len(ents), err)
	}
	for _, name := range []string{"build_precision-vs-sweetness.png", "build_key-vs-smoothness.png", "build_tempo-sweetness-smoothness.png"} {
		if fi, err := os.Stat(filepath.Join(plotDir, name)); err != nil || fi.Size() < 1000 {
			t.Errorf("plot %s: %v", name, err)
		}
	}

	// The same seed gives the same file whatever the workers.
	out1 := filepath.Join(dir, "s1.csv")
	runOK(t, sweepArgs(out1, "--grid", "sweetness=0:2:1,smoothness=0|2", "--workers", "1")...)
	a, _ := os.ReadFile(out)
	b, _ := os.ReadFile(out1)
	if !bytes.Equal(a, b) {
		t.Error("1 and 2 workers wrote different files")
	}
}

// --resume keeps the rows already in the file (it does not run them
// again), runs the missing ones, and survives a torn last line.
func TestSweepResume(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "s.csv")
	runOK(t, sweepArgs(out, "--grid", "sweetness=0|1")...)
	recs := readCSV(t, out)
	if len(recs) != 3 {
		t.Fatalf("%d records", len(recs))
	}
	// Mark the finished rows: if resume ran them again, the marks would go.
	b, _ := os.ReadFile(out)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	mark := func(line string) string {
		f := strings.Split(line, ",")
		f[len(eval.KnobNames)] = "0.123456789" // within_hr1, the first metric
		return strings.Join(f, ",")
	}
	lines[1], lines[2] = mark(lines[1]), mark(lines[2])
	// And a torn line, as a killed process leaves.
	torn := strings.Join(lines, "\n") + "\n1,1.2,2,1,0,400,0.0"
	if err := os.WriteFile(out, []byte(torn), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr := runOK(t, sweepArgs(out, "--grid", "sweetness=0:3:1", "--resume")...)
	if !strings.Contains(stderr, "resume: 2 of 4 settings already in") {
		t.Errorf("stderr: %s", stderr)
	}
	recs = readCSV(t, out)
	if len(recs) != 5 {
		t.Fatalf("%d records after resume", len(recs))
	}
	for i, want := range []string{"0", "1", "2", "3"} {
		if recs[i+1][2] != want {
			t.Errorf("row %d: sweetness %s, want %s", i+1, recs[i+1][2], want)
		}
	}
	m := len(eval.KnobNames)
	if recs[1][m] != "0.123456789" || recs[2][m] != "0.123456789" {
		t.Errorf("finished rows were run again: %v %v", recs[1][m], recs[2][m])
	}
	if recs[3][m] == "0.123456789" {
		t.Error("new row has the mark")
	}

	// Other data or options: refused.
	var stdout, errb bytes.Buffer
	err := run(context.Background(), sweepArgs(out, "--grid", "sweetness=0:3:1", "--resume", "--seed", "9"), &stdout, &errb)
	if err == nil || !strings.Contains(err.Error(), "other data, model or options") {
		t.Errorf("resume with another seed: %v", err)
	}
	// Without --resume the file starts afresh.
	runOK(t, sweepArgs(out, "--grid", "sweetness=5")...)
	if recs := readCSV(t, out); len(recs) != 2 || recs[1][2] != "5" {
		t.Errorf("fresh start: %v", recs)
	}
}

func TestSweepUsage(t *testing.T) {
	checkUsage(t, "sweep", []usageCase{
		{[]string{"sweep", "--grid", "heat=1"}, `unknown knob "heat"`},
		{[]string{"sweep", "--grid", "flow=1:0:1"}, `"1:0:1": lo is above hi`},
		{[]string{"sweep", "--pareto", "nope"}, `--pareto: unknown metric "nope"`},
		{[]string{"sweep", "--grid", "flow=0|1", "--heatmap", "flow,sweetness"}, `--heatmap: "sweetness" is not a knob swept over several values`},
		{[]string{"sweep", "--pool", "x"}, `--pool: "x" is not a whole number`},
		{[]string{"sweep", "--nope"}, "flag provided but not defined: -nope"},
	})
}

// TestSweepWarnsPoolPrefixes: a hybrid sweep over several pool sizes says
// that the smaller ones are prefixes of the largest pool; one size, or the
// catalog source (whose nearest songs are prefixes), says nothing.
func TestSweepWarnsPoolPrefixes(t *testing.T) {
	dir := t.TempDir()
	for i, tc := range []struct {
		extra []string
		warn  bool
	}{
		{[]string{"--candidates", "hybrid", "--grid", "pool=10|20"}, true},
		{[]string{"--candidates", "hybrid", "--grid", "belong=0|4", "--pool", "20"}, false},
		{[]string{"--candidates", "catalog", "--grid", "pool=10|20"}, false},
	} {
		_, stderr := runOK(t, sweepArgs(filepath.Join(dir, fmt.Sprintf("s%d.csv", i)), tc.extra...)...)
		if got := strings.Contains(stderr, "first songs of the hybrid's 20-song pool"); got != tc.warn {
			t.Errorf("%v: warning %v, want %v:\n%s", tc.extra, got, tc.warn, stderr)
		}
	}
}
