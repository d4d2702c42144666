package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/discoflow/disco/model/taste"
)

// genreIDs returns the ids of up to n tracks with features of the embedded
// catalog's playlists of genre g, each once.
func genreIDs(t *testing.T, g string, n int) []string {
	t.Helper()
	ds, err := openCatalog("", false)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var ids []string
	for _, p := range ds.Playlists {
		if p.Genre != g {
			continue
		}
		for _, tr := range p.Tracks {
			if tr.HasFeatures && !seen[tr.ID] && len(ids) < n {
				seen[tr.ID] = true
				ids = append(ids, tr.ID)
			}
		}
	}
	return ids
}

func idList(t *testing.T, path string, ids []string) string {
	var b strings.Builder
	b.WriteString("#EXTM3U\n")
	for _, id := range ids {
		b.WriteString("spotify:track:" + id + "\n")
	}
	return writeFile(t, path, b.String())
}

type tasteJSON struct {
	Labels     []string `json:"labels"`
	Songs      int      `json:"songs"`
	Test       int      `json:"test"`
	Duplicates int      `json:"duplicates"`
	Missing    int      `json:"missing_features"`
	Results    []struct {
		Name   string       `json:"name"`
		Scores taste.Scores `json:"scores"`
	} `json:"results"`
}

func TestTasteTrainAndPredict(t *testing.T) {
	dir := t.TempDir()
	rock := genreIDs(t, "rock", 120)
	rap := genreIDs(t, "rap", 120)
	// One song under both labels, one id nobody knows.
	unknown := "0000000000000000000000"
	a := idList(t, filepath.Join(dir, "me.m3u8"), append(append([]string{}, rock...), rap[0], unknown))
	b := idList(t, filepath.Join(dir, "you.m3u8"), rap)
	out := filepath.Join(dir, "us.disco")
	plotDir := filepath.Join(dir, "plots")
	stdout, stderr, err := runDisco(context.Background(), "taste", "train", "--label", "me="+a, "--label", "you="+b,
		"--out", out, "--hidden", "8", "--epochs", "30", "--seed", "2", "--plot-dir", plotDir, "--tsne-max", "60", "--perplexity", "10")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for _, want := range []string{"1 songs are under more than one label, dropped from all of them", "1 songs have no audio features and are left out"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	for _, want := range []string{"MLP 8 relu", "logistic regression", "majority class", "Confusion matrix, MLP 8 relu", "precision", "Per label"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	for _, p := range []string{"roc.png", "loss.png", "tsne.png"} {
		if b, err := os.ReadFile(filepath.Join(plotDir, p)); err != nil || !strings.HasPrefix(string(b), "\x89PNG") {
			t.Errorf("%s not a PNG: %v", p, err)
		}
	}
	m, err := taste.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(m.Labels, ",") != "me,you" || len(m.Config.Hidden) != 1 || m.Config.Hidden[0] != 8 {
		t.Fatalf("model labels %v hidden %v", m.Labels, m.Config.Hidden)
	}
	// me keeps its 120 rock songs (the shared one and the unknown one
	// left out), you 119: 80% of each trains, the rest is scored.
	for i, want := range []int{96, 95} {
		if got := m.Info.TrainSongs[i] + m.Info.ValSongs[i]; got != want {
			t.Errorf("%d songs of %s trained on, want %d", got, m.Labels[i], want)
		}
	}

	// predict: the rock songs are mostly "me", the rap ones "you".
	probe := idList(t, filepath.Join(dir, "probe.m3u8"), append(append([]string{}, rock[:20]...), append(rap[1:21], unknown)...))
	for _, format := range []string{"table", "csv", "json"} {
		t.Run(format, func(t *testing.T) {
			stdout, stderr, err := runDisco(context.Background(), "taste", "predict", "--model", out, "--in", probe, "--format", format)
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			if !strings.Contains(stderr, "1 of 41 songs have no audio features") {
				t.Errorf("stderr %q", stderr)
			}
			switch format {
			case "json":
				var got struct {
					Labels []string
					Songs  []struct {
						ID     string             `json:"id"`
						Probs  map[string]float64 `json:"probabilities"`
						Likely string             `json:"most_likely"`
					}
				}
				if err := json.Unmarshal([]byte(stdout), &got); err != nil {
					t.Fatal(err)
				}
				right := 0
				for i, s := range got.Songs[:40] {
					want := "me"
					if i >= 20 {
						want = "you"
					}
					if s.Likely == want {
						right++
					}
					if math.Abs(s.Probs["me"]+s.Probs["you"]-1) > 1e-9 {
						t.Errorf("song %s: probabilities %v", s.ID, s.Probs)
					}
				}
				if right < 32 {
					t.Errorf("%d of 40 rock/rap songs under the right label", right)
				}
				if got.Songs[40].Probs != nil {
					t.Errorf("unknown song has probabilities %v", got.Songs[40].Probs)
				}
			case "csv":
				lines := strings.Split(strings.TrimSpace(stdout), "\n")
				if len(lines) != 42 || lines[0] != "id,artist,title,p_me,p_you,most_likely" {
					t.Errorf("%d lines, header %q", len(lines), lines[0])
				}
			case "table":
				if !strings.Contains(stdout, "most likely") || !strings.Contains(stdout, "(no features)") {
					t.Errorf("table:\n%s", stdout)
				}
			}
		})
	}
}

// TestTasteShuffledLabels trains on rock against rap with the labels
// shuffled over the songs: the held-out AUC must be that of chance. Under
// the null, the AUC of n1 positives and n2 negatives has standard
// deviation sqrt((n1+n2+1)/(12 n1 n2)) (Hanley and McNeil), 0.029 for the
// 200 + 200 held-out songs here; the test allows 4 of them (0.115). The
// same run without shuffling must land far outside that band, so the test
// can tell.
func TestTasteShuffledLabels(t *testing.T) {
	for _, tc := range []struct {
		name     string
		shuffled bool
	}{{"shuffled", true}, {"real", false}} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"taste", "train", "--label-column", "playlist_genre", "--only", "rock,rap", "--max-per-label", "1000",
				"--out", filepath.Join(t.TempDir(), "x.disco"), "--format", "json", "--seed", "3"}
			if tc.shuffled {
				args = append(args, "--shuffle-labels")
			}
			stdout, stderr, err := runDisco(context.Background(), args...)
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			var got tasteJSON
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatal(err)
			}
			conf := got.Results[0].Scores.Confusion
			n1 := float64(conf[1][0] + conf[1][1])
			n2 := float64(conf[0][0] + conf[0][1])
			if n1 != 200 || n2 != 200 {
				t.Fatalf("held out %v and %v songs, want 200 each", n1, n2)
			}
			sd := math.Sqrt((n1 + n2 + 1) / (12 * n1 * n2))
			for _, r := range got.Results[:2] {
				d := math.Abs(r.Scores.AUC - 0.5)
				t.Logf("%s: AUC %.4f, %.1f sd from 0.5 (sd %.4f)", r.Name, r.Scores.AUC, d/sd, sd)
				if tc.shuffled && d > 4*sd {
					t.Errorf("%s: AUC %.3f on shuffled labels, more than 4 sd (%.3f) from 0.5", r.Name, r.Scores.AUC, 4*sd)
				}
				if !tc.shuffled && d < 10*sd {
					t.Errorf("%s: AUC %.3f on real labels, within 10 sd of chance", r.Name, r.Scores.AUC)
				}
			}
			if auc := got.Results[2].Scores.AUC; auc != 0.5 {
				t.Errorf("majority class AUC %v, want 0.5", auc)
			}
		})
	}
}

func TestTasteTrainBadInput(t *testing.T) {
	dir := t.TempDir()
	rock := genreIDs(t, "rock", 40)
	few := idList(t, filepath.Join(dir, "few.m3u8"), genreIDs(t, "rap", 5))
	many := idList(t, filepath.Join(dir, "many.m3u8"), rock)
	many2 := idList(t, filepath.Join(dir, "many2.m3u8"), genreIDs(t, "edm", 30))
	out := filepath.Join(dir, "never.disco")
	for _, tc := range []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"no labels", []string{}, true, "give the labels"},
		{"both label kinds", []string{"--label", "a=" + many, "--label-column", "playlist_genre"}, true, "not both"},
		{"one label file", []string{"--label", "a=" + many}, false, "one label only"},
		{"one label column", []string{"--label-column", "playlist_genre", "--only", "pop"}, false, "one label only"},
		{"unknown only", []string{"--label-column", "playlist_genre", "--only", "pop,polka"}, false, `"polka"`},
		{"too few songs", []string{"--label", "a=" + many, "--label", "b=" + few}, false, "label b has 5 songs with features; it needs at least 10 (--min-songs), or --force"},
		{"same label twice", []string{"--label", "a=" + many, "--label", "a=" + few}, true, "given twice"},
		{"bad label", []string{"--label", many}, true, "want NAME=FILE"},
		{"bad dupes", []string{"--label", "a=" + many, "--label", "b=" + few, "--dupes", "both"}, true, "--dupes"},
		{"bad column", []string{"--label-column", "tempo"}, true, "--label-column"},
		{"missing file", []string{"--label", "a=" + many, "--label", "b=" + filepath.Join(dir, "nope.csv")}, false, "nope.csv"},
		{"too few for the map", []string{"--label", "a=" + many, "--label", "b=" + many2, "--epochs", "2", "--plot-dir", filepath.Join(dir, "plots")}, false, "needs at least 16 held-out songs, and there are 14"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, err := runDisco(context.Background(), append([]string{"taste", "train", "--out", out}, tc.args...)...)
			if err == nil {
				t.Fatalf("no error\n%s", stderr)
			}
			if errors.Is(err, errUsage) != tc.usage {
				t.Errorf("usage error %v, want %v: %v", errors.Is(err, errUsage), tc.usage, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
			if _, serr := os.Stat(out); serr == nil {
				t.Fatalf("%s written by a failed run", out)
			}
		})
	}
	// --force trains with a small label and warns.
	_, stderr, err := runDisco(context.Background(), "taste", "train", "--out", out, "--label", "a="+many, "--label", "b="+few, "--force", "--epochs", "5", "--min-songs", "6")
	if err != nil {
		t.Fatalf("--force: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "warning: label b has 5 songs") {
		t.Errorf("--force gave no warning:\n%s", stderr)
	}
}

func TestTastePredictRefusesFlowModel(t *testing.T) {
	dir := t.TempDir()
	probe := idList(t, filepath.Join(dir, "p.m3u8"), genreIDs(t, "rock", 3))
	flow := filepath.Join(dir, "flow.disco")
	if _, stderr, err := runDisco(context.Background(), "train", "--data", filepath.Join("testdata", "train_tiny.csv"), "--out", flow, "--epochs", "1", "--hidden", "4", "--workers", "1"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	_, _, err := runDisco(context.Background(), "taste", "predict", "--model", flow, "--in", probe)
	if !errors.Is(err, taste.ErrFlowModel) {
		t.Fatalf("error %v, want ErrFlowModel", err)
	}
}

func TestTasteHelp(t *testing.T) {
	for _, args := range [][]string{{"taste", "-h"}, {"taste", "train", "-h"}, {"taste", "predict", "--help"}} {
		stdout, _, err := runDisco(context.Background(), args...)
		if err != nil && !errors.Is(err, flag.ErrHelp) {
			t.Fatalf("%v: %v", args, err)
		}
		if !strings.Contains(stdout, "Usage: disco taste") {
			t.Errorf("%v: no usage on stdout: %q", args, stdout)
		}
	}
}

func TestTasteConfigFile(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, filepath.Join(dir, "net.json"), `{"hidden": [6, 3], "activation": "tanh", "epochs": 4, "key_tempo": true}`)
	bad := writeFile(t, filepath.Join(dir, "bad.json"), `{"hidden": [6], "layers": 3}`)
	out := filepath.Join(dir, "m.disco")
	base := []string{"taste", "train", "--label-column", "playlist_genre", "--only", "rock,rap", "--max-per-label", "100", "--out", out}
	if _, stderr, err := runDisco(context.Background(), append(base, "--config", cfg, "--seed", "9")...); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	m, err := taste.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if c := m.Config; len(c.Hidden) != 2 || c.Hidden[0] != 6 || c.Activation != "tanh" || c.Epochs != 4 || !c.KeyTempo || c.Seed != 9 {
		t.Fatalf("config from the file: %+v", c)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"flag and file", []string{"--config", cfg, "--hidden", "4"}, true, "drop --hidden"},
		{"unknown field", []string{"--config", bad}, false, "layers"},
		{"missing file", []string{"--config", filepath.Join(dir, "none.json")}, false, "none.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runDisco(context.Background(), append(base, tc.args...)...)
			if err == nil || errors.Is(err, errUsage) != tc.usage || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v (usage %v), want %q (usage %v)", err, errors.Is(err, errUsage), tc.want, tc.usage)
			}
		})
	}
}
