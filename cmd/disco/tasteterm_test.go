package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/discoflow/disco/model/taste"
)

// tinyTaste trains a small rock-against-rap taste model of the embedded
// catalog into dir.
func tinyTaste(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(dir, "rr.disco")
	if _, stderr, err := runDisco(context.Background(), "taste", "train", "--label-column", "playlist_genre", "--only", "rock,rap",
		"--max-per-label", "300", "--hidden", "8", "--epochs", "15", "--seed", "1", "--out", out); err != nil {
		t.Fatalf("taste train: %v\n%s", err, stderr)
	}
	return out
}

type tastePick struct {
	Seed  bool `json:"seed"`
	Terms *struct {
		Taste *float64 `json:"taste"`
		Score float64  `json:"score"`
	} `json:"terms"`
}

func TestBuildTaste(t *testing.T) {
	dir := t.TempDir()
	model := tinyTaste(t, dir)
	seed := genreIDs(t, "rap", 1)[0]
	// meanRock builds from a rap seed with the rock term at weight w and
	// returns the picks' mean taste term and how many are above one half.
	meanRock := func(w string) (float64, int) {
		stdout, stderr, err := runDisco(context.Background(), "build", "--seed", seed, "--length", "11", "--format", "json",
			"--taste", model, "--taste-for", "rock", "--taste-weight", w)
		if err != nil {
			t.Fatalf("build: %v\n%s", err, stderr)
		}
		var picks []tastePick
		if err := json.Unmarshal([]byte(stdout), &picks); err != nil {
			t.Fatal(err)
		}
		sum, above := 0.0, 0
		for _, p := range picks[1:] {
			if p.Terms == nil || p.Terms.Taste == nil {
				t.Fatalf("a pick without terms.taste: %s", stdout)
			}
			sum += *p.Terms.Taste
			if *p.Terms.Taste > 0.5 {
				above++
			}
		}
		return sum / 10, above
	}
	m0, a0 := meanRock("0")
	m20, a20 := meanRock("20")
	t.Logf("rock taste of 10 picks after a rap seed: weight 0 mean %.3f (%d above 0.5), weight 20 mean %.3f (%d)", m0, a0, m20, a20)
	if !(m20 > m0+0.2) || a20 <= a0 || a20 < 8 {
		t.Errorf("weight 20 did not pull the picks towards rock: mean %.3f vs %.3f, %d vs %d above one half", m20, m0, a20, a0)
	}

	// The table has a taste column only with a taste model.
	stdout, _, err := runDisco(context.Background(), "build", "--seed", seed, "--length", "4", "--taste", model, "--taste-for", "both")
	if err != nil || !strings.Contains(strings.SplitN(stdout, "\n", 2)[0], "taste") {
		t.Fatalf("table with --taste-for both: %v\n%s", err, stdout)
	}
	stdout, _, err = runDisco(context.Background(), "build", "--seed", seed, "--length", "4")
	if err != nil || strings.Contains(stdout, "taste") {
		t.Fatalf("table without a taste model: %v\n%s", err, stdout)
	}
	stdout, _, err = runDisco(context.Background(), "build", "--seed", seed, "--length", "4", "--format", "csv", "--taste", model, "--taste-for", "rap")
	if err != nil || !strings.HasSuffix(strings.SplitN(stdout, "\n", 2)[0], ",taste") {
		t.Fatalf("CSV with a taste model: %v\n%s", err, stdout)
	}
}

func TestBuildTasteBadInput(t *testing.T) {
	dir := t.TempDir()
	model := tinyTaste(t, dir)
	m, err := taste.Load(model)
	if err != nil {
		t.Fatal(err)
	}
	// A model whose scaler saw the features on another scale (loudness
	// in other units, say): its mean moves by 50 sd.
	m.Scaler.Means[5] += 50 * m.Scaler.Stds[5]
	foreign := filepath.Join(dir, "foreign.disco")
	if err := m.Save(foreign); err != nil {
		t.Fatal(err)
	}
	seed := genreIDs(t, "rap", 1)[0]
	for _, tc := range []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"unknown label", []string{"--taste", model, "--taste-for", "polka"}, false, `--taste-for "polka": the taste model ` + model + " has no such label; it has: rap, rock"},
		{"one of two unknown", []string{"--taste", model, "--taste-for", "rock,jazz"}, false, `"jazz"`},
		{"other features", []string{"--taste", foreign, "--taste-for", "rock"}, false, "trained on other features than the flow model's: loudness"},
		{"weight without model", []string{"--taste-weight", "2"}, true, "go with --taste"},
		{"for without model", []string{"--taste-for", "rock"}, true, "go with --taste"},
		{"model without for", []string{"--taste", model}, true, "needs --taste-for"},
		{"weight out of range", []string{"--taste", model, "--taste-for", "rock", "--taste-weight", "101"}, true, "--taste-weight: 101 is not a number in [0, 100]"},
		{"weight not a number", []string{"--taste", model, "--taste-for", "rock", "--taste-weight", "x"}, true, "taste-weight"},
		{"not a taste model", []string{"--taste", filepath.Join("testdata", "train_tiny.csv"), "--taste-for", "rock"}, false, "not a disco taste model"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, tc.name+".json")
			args := append([]string{"build", "--seed", seed, "--length", "4", "-o", out}, tc.args...)
			_, stderr, err := runDisco(context.Background(), args...)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.usage != errors.Is(err, errUsage) {
				t.Errorf("usage error %v, want %v: %v", errors.Is(err, errUsage), tc.usage, err)
			}
			if msg := err.Error() + stderr; !strings.Contains(msg, tc.want) {
				t.Errorf("error %q (stderr %q) lacks %q", err, stderr, tc.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s was written", out)
			}
		})
	}
}

func TestEvalTaste(t *testing.T) {
	dir := t.TempDir()
	model := tinyTaste(t, dir)
	base := []string{"eval", "--playlists", tiny, "--catalog", tiny, "--distractors", "20", "--shuffles", "3", "--sort=false", "--taste", model, "--taste-for", "rock"}
	type rep struct {
		Setting struct {
			Knobs struct{ Taste float64 }
		}
		Generation []struct {
			Name     string
			Listener struct{ Taste *float64 }
		}
	}
	get := func(w string) rep {
		stdout, stderr, err := runDisco(context.Background(), append(base, "--format", "json", "--taste-weight", w, "--pool", "all")...)
		if err != nil {
			t.Fatalf("eval: %v\n%s", err, stderr)
		}
		var r rep
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	build := func(r rep) float64 {
		for _, g := range r.Generation {
			if g.Name == "build" {
				if g.Listener.Taste == nil {
					t.Fatal("build task without a taste figure")
				}
				return *g.Listener.Taste
			}
		}
		t.Fatal("no build task")
		return 0
	}
	r0, r50 := get("0"), get("50")
	if r50.Setting.Knobs.Taste != 50 {
		t.Errorf("setting's taste %v", r50.Setting.Knobs.Taste)
	}
	a0, a50 := build(r0), build(r50)
	t.Logf("rock label agreement of the build task: weight 0 %.3f, weight 50 %.3f", a0, a50)
	if !(a50 > a0) || a50 < 0.8 {
		t.Errorf("weight 50 did not raise the build's rock agreement: %.3f vs %.3f", a50, a0)
	}
	stdout, _, err := runDisco(context.Background(), append(base, "--taste-weight", "2")...)
	if err != nil || !strings.Contains(stdout, "taste label") || !strings.Contains(stdout, "taste 2, pool") {
		t.Fatalf("table: %v\n%s", err, stdout)
	}
	stdout, _, err = runDisco(context.Background(), "eval", "--playlists", tiny, "--catalog", tiny, "--distractors", "20", "--shuffles", "3", "--sort=false")
	if err != nil || strings.Contains(stdout, "taste") {
		t.Fatalf("table without a taste model: %v\n%s", err, stdout)
	}
	_, _, err = runDisco(context.Background(), "eval", "--playlists", tiny, "--catalog", tiny, "--taste-weight", "1")
	if !errors.Is(err, errUsage) {
		t.Fatalf("--taste-weight without --taste: %v", err)
	}
}
