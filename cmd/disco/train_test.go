package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/discoflow/disco/model"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/eval"
)

func TestTrainCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "tiny.disco")
	png := filepath.Join(dir, "loss.png")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"train",
		"--data", filepath.Join("testdata", "train_tiny.csv"),
		"--out", out, "--epochs", "3", "--hidden", "8", "--batch", "4", "--workers", "2", "--val", "0.2", "--seed", "3",
		"--plot", png,
	}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("train: %v\n%s", err, stderr.String())
	}
	m, err := model.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if m.Info.EpochsRun != 3 || m.Config.Hidden[0] != 8 || len(m.Config.Hidden) != 1 || m.Config.Seed != 3 || m.Info.Eval == nil {
		t.Errorf("model from flags: config %+v, info %+v", m.Config, m.Info)
	}
	if b, err := os.ReadFile(png); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Errorf("--plot did not write a PNG: %v", err)
	}
	for _, want := range []string{"RNN", "last song repeated", "running mean so far", "global mean of train", "MAE/MAD"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
	if !strings.Contains(stdout.String(), "beat the running-mean baseline") {
		t.Errorf("output does not say whether the RNN beats the running mean:\n%s", stdout.String())
	}

	// model info reads it back, as text and as JSON.
	stdout.Reset()
	if err := run(context.Background(), []string{"model", "info", out}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if m.Domain == nil || !(m.Domain.Radius > 0) {
		t.Fatalf("trained model has no domain: %+v", m.Domain)
	}
	far := fmt.Sprintf("far beyond     %.3f scaled units from the nearest of %d prototypes", m.Domain.Radius, len(m.Domain.Prototypes))
	for _, want := range []string{m.Info.Fingerprint, "rnn1/W", "History", "acousticness", "Training domain", far, "format DISCOFLW v3"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("model info lacks %q", want)
		}
	}
	stdout.Reset()
	if err := run(context.Background(), []string{"model", "info", "--json", out}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Config  model.Config `json:"config"`
		Weights []struct{ Name string }
		Domain  *model.Domain `json:"domain"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil || len(doc.Weights) != 5 || doc.Config.Seed != 3 ||
		doc.Domain == nil || doc.Domain.Radius != m.Domain.Radius || len(doc.Domain.Prototypes) != len(m.Domain.Prototypes) {
		t.Errorf("model info --json: %v, %+v", err, doc)
	}
}

func TestTrainInterrupted(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cut.disco")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"train", "--data", filepath.Join("testdata", "train_tiny.csv"), "--out", out, "--epochs", "2"}, &stdout, &stderr)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	// Even stopped before the first epoch ends, a usable model is written.
	if _, err := model.Load(out); err != nil {
		t.Fatal(err)
	}
}

func TestTrainBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"train", "--hidden", "16,x"},
		{"train", "--activation", "relu"},
		{"train", "--window", "300"},
		{"train", "--residual", "median"},
		{"train", "--ewma-rate", "2", "--residual", "ewma"},
		{"train", "--ewma-rate", "0.5"},
		{"train", "--cv", "1"},
		{"train", "--cv", "genres"},
		{"train", "--cv", "3", "--val-genre"},
		{"train", "--dropout", "1"},
		{"train", "--dropout", "-0.1"},
		{"train", "--dropout", "0.2", "--hidden", "16"},
		{"train", "--input-noise", "-1"},
		{"train", "--input-noise", "NaN"},
		{"train", "--format", "xml", "--cv", "3"},
		{"train", "--format", "json"},
		{"train", "extra"},
		{"model"},
		{"model", "frobnicate"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if err := run(context.Background(), args, &stdout, &stderr); !errors.Is(err, errUsage) {
				t.Errorf("error %v, want a usage error", err)
			}
		})
	}
}

func TestModelInfoDefault(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"model", "info"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "builtin:default.disco") {
		t.Errorf("model info without a file does not describe the embedded model:\n%s", stdout.String())
	}
}

func TestModelInfoRefusesBadFile(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"model", "info", filepath.Join("testdata", "train_tiny.csv")}, &stdout, &stderr)
	if !errors.Is(err, model.ErrNotModel) {
		t.Errorf("error %v, want ErrNotModel", err)
	}
}

// TestTrainResidual: --residual writes a residual model (format version 3,
// which records the training domain) whose record says so, and model info
// describes it; --residual none has no weight decay unless asked for.
func TestTrainResidual(t *testing.T) {
	for _, tc := range []struct {
		residual, info string
		version        uint32
		decay          float64
	}{
		{"none", "(plain)", 3, 0},
		{"mean", "running mean of the songs so far + network output", 3, 0.3},
		{"ewma", "exponentially weighted mean", 3, 0.3},
	} {
		t.Run(tc.residual, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "r.disco")
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), []string{"train", "--data", filepath.Join("testdata", "train_tiny.csv"),
				"--out", out, "--epochs", "2", "--hidden", "4", "--workers", "1", "--residual", tc.residual}, &stdout, &stderr)
			if err != nil {
				t.Fatalf("train: %v\n%s", err, stderr.String())
			}
			m, err := model.Load(out)
			if err != nil {
				t.Fatal(err)
			}
			if m.Config.Residual != tc.residual || m.FileVersion() != tc.version || (tc.residual == "ewma") != (m.Config.Rate > 0) || m.Config.WeightDecay != tc.decay {
				t.Errorf("model: residual %q, rate %v, version %d, weight decay %v", m.Config.Residual, m.Config.Rate, m.FileVersion(), m.Config.WeightDecay)
			}
			if tc.residual == "ewma" && !strings.Contains(stdout.String(), "EWMA so far") {
				t.Errorf("the evaluation lacks the EWMA baseline:\n%s", stdout.String())
			}
			stdout.Reset()
			if err := run(context.Background(), []string{"model", "info", out}, &stdout, &stderr); err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("v%d)", tc.version); !strings.Contains(stdout.String(), tc.info) || !strings.Contains(stdout.String(), want) {
				t.Errorf("model info lacks %q or %q:\n%.400s", tc.info, want, stdout.String())
			}
		})
	}
}

// TestTrainCV: --cv K prints a row per fold, the mean and sd, and writes no
// model; --cv genre on data of one genre, or with a genre of fewer than 5
// playlists, fails saying why.
func TestTrainCV(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "never.disco")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"train", "--data", filepath.Join("testdata", "train_tiny.csv"),
		"--out", out, "--epochs", "2", "--hidden", "4", "--workers", "1", "--cv", "3", "--residual", "mean"}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("train --cv 3: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(stdout.String(), "\n")
	var folds []string
	for _, l := range lines {
		if f := strings.Fields(l); len(f) == 12 && (f[0] == "1" || f[0] == "2" || f[0] == "3") {
			folds = append(folds, f[0])
		}
	}
	if len(folds) != 3 || !strings.Contains(stdout.String(), "\nmean ") || !strings.Contains(stdout.String(), "\nsd ") ||
		!strings.Contains(stdout.String(), "beats the running mean on") || !strings.Contains(stdout.String(), "centroid MRR") ||
		!strings.Contains(stdout.String(), "catalog MRR is above the centroid's on") {
		t.Errorf("--cv 3 output lacks its folds (%v), mean, sd or verdict:\n%s", folds, stdout.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("--cv wrote a model: %v", err)
	}

	// One genre: train_tiny.csv is all pop.
	stdout.Reset()
	err = run(context.Background(), []string{"train", "--data", filepath.Join("testdata", "train_tiny.csv"), "--cv", "genre"}, &stdout, &stderr)
	if !errors.Is(err, model.ErrOneGenre) || !strings.Contains(err.Error(), `"pop"`) {
		t.Errorf("--cv genre on one genre: %v", err)
	}
	// A genre of 2 playlists next to one of 8.
	b, err := os.ReadFile(filepath.Join("testdata", "train_tiny.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(string(b)), "\n")
	var ids []string
	for i, r := range rows[1:] {
		f := strings.Split(r, ",")
		id := f[len(f)-15] // playlist_id, counted from the end (names may hold commas)
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
		if slices.Index(ids, id) < 2 {
			rows[i+1] = strings.Replace(r, ","+id+",pop,", ","+id+",jazz,", 1)
		}
	}
	two := filepath.Join(dir, "two.csv")
	if err := os.WriteFile(two, []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = run(context.Background(), []string{"train", "--data", two, "--cv", "genre"}, &stdout, &stderr)
	if !errors.Is(err, model.ErrSmallGenre) || !strings.Contains(err.Error(), "jazz (2)") {
		t.Errorf("--cv genre with a genre of 2 playlists: %v", err)
	}
}

// TestTrainDefaults: without flags disco train uses the embedded model's
// recipe; --residual none with an explicit --weight-decay keeps it.
func TestTrainDefaults(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want model.Config
	}{
		{"defaults", nil, model.Config{Residual: model.ResidualMean, Activation: model.Tanh, LearnRate: 0.003, WeightDecay: 0.3, Epochs: 60, Patience: 8}},
		{"plain", []string{"--residual", "none"}, model.Config{Residual: model.ResidualNone, Activation: model.Tanh, LearnRate: 0.003, Epochs: 60, Patience: 8}},
		{"plain-with-decay", []string{"--residual", "none", "--weight-decay", "0.5", "--lr", "0.01"}, model.Config{Residual: model.ResidualNone, Activation: model.Tanh, LearnRate: 0.01, WeightDecay: 0.5, Epochs: 60, Patience: 8}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "d.disco")
			args := append([]string{"train", "--data", filepath.Join("testdata", "train_tiny.csv"), "--out", out, "--hidden", "4", "--workers", "1"}, tc.args...)
			if _, stderr, err := runDisco(context.Background(), args...); err != nil {
				t.Fatalf("train: %v\n%s", err, stderr)
			}
			m, err := model.Load(out)
			if err != nil {
				t.Fatal(err)
			}
			c, w := m.Config, tc.want
			if c.Residual != w.Residual || c.Activation != w.Activation || c.LearnRate != w.LearnRate || c.WeightDecay != w.WeightDecay || c.Epochs != w.Epochs || c.Patience != w.Patience {
				t.Errorf("config %+v, want %+v", c, w)
			}
		})
	}
}

// TestTrainCVMRR: --cv --format json reports per fold the catalog MRR of
// DISCO and of the centroid, equal to what selector/eval's Report computes
// for the fold's model on the fold's test playlists with disco eval's
// defaults; and the regularisation flags reach the fold models.
func TestTrainCVMRR(t *testing.T) {
	data := filepath.Join("testdata", "train_tiny.csv")
	args := []string{"train", "--data", data, "--epochs", "2", "--hidden", "4,3", "--workers", "1", "--cv", "2",
		"--seed", "2", "--dropout", "0.25", "--input-noise", "0.1", "--format", "json"}
	stdout, stderr, err := runDisco(context.Background(), args...)
	if err != nil {
		t.Fatalf("train --cv 2: %v\n%s", err, stderr)
	}
	var rep cvReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("--format json: %v\n%s", err, stdout)
	}
	if len(rep.Folds) != 2 || rep.Config.Dropout != 0.25 || rep.Config.InputNoise != 0.1 {
		t.Fatalf("report: %d folds, config %+v", len(rep.Folds), rep.Config)
	}
	// The same folds and models, by the library, and disco eval's figures.
	ds, err := openCatalog(data, false)
	if err != nil {
		t.Fatal(err)
	}
	folds, err := model.KFolds(ds.Playlists, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	res, err := model.CrossValidate(context.Background(), rep.Config, folds, model.Hooks{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		d, err := eval.Prepare(context.Background(), folds[i].Test, ds.Catalog.WithFeatures(), eval.Options{Model: r.Model, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		er, err := d.Report(eval.Setting{Knobs: selector.DefaultKnobs(), Pool: selector.DefaultPoolSize})
		if err != nil {
			t.Fatal(err)
		}
		var disco, centroid float64
		for _, rk := range er.Ranking {
			switch rk.Name {
			case "DISCO":
				disco = rk.Catalog.MRR
			case "centroid":
				centroid = rk.Catalog.MRR
			}
		}
		got := rep.Folds[i]
		if got.MRR != disco || got.CentroidMRR != centroid || disco == 0 {
			t.Errorf("fold %s: MRR %v, centroid %v; eval's Report %v, %v", got.Fold, got.MRR, got.CentroidMRR, disco, centroid)
		}
		if got.RNN != r.Eval.RNN.MAE {
			t.Errorf("fold %s: RNN MAE %v, CrossValidate's %v", got.Fold, got.RNN, r.Eval.RNN.MAE)
		}
	}
	mean := (rep.Folds[0].MRR + rep.Folds[1].MRR) / 2
	if math.Abs(rep.Mean.MRR-mean) > 1e-15 {
		t.Errorf("mean MRR %v, want %v", rep.Mean.MRR, mean)
	}
}

// TestTrainRegularised: --input-noise and --dropout are recorded in the
// model file (version 4) and shown by model info; set to 0 they train the
// same weights as without the flags.
func TestTrainRegularised(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join("testdata", "train_tiny.csv")
	train := func(name string, extra ...string) *model.Model {
		out := filepath.Join(dir, name)
		args := append([]string{"train", "--data", data, "--out", out, "--epochs", "2", "--hidden", "4,3", "--workers", "1", "--seed", "4", "--residual", "none"}, extra...)
		if _, stderr, err := runDisco(context.Background(), args...); err != nil {
			t.Fatalf("train %v: %v\n%s", extra, err, stderr)
		}
		m, err := model.Load(out)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	m := train("reg.disco", "--dropout", "0.25", "--input-noise", "0.1")
	if m.Config.Dropout != 0.25 || m.Config.InputNoise != 0.1 || m.FileVersion() != 4 {
		t.Errorf("config %+v, version %d", m.Config, m.FileVersion())
	}
	info, _, err := runDisco(context.Background(), "model", "info", filepath.Join(dir, "reg.disco"))
	if err != nil || !strings.Contains(info, "input noise 0.1, dropout 0.25") {
		t.Errorf("model info: %v\n%s", err, info)
	}
	plain := train("plain.disco")
	off := train("off.disco", "--dropout", "0", "--input-noise", "0")
	if !slices.Equal(plain.Weights.Data, off.Weights.Data) || plain.FileVersion() != off.FileVersion() || off.FileVersion() == 4 {
		t.Error("--dropout 0 --input-noise 0 trained other weights than without the flags")
	}
	if slices.Equal(plain.Weights.Data, m.Weights.Data) {
		t.Error("the regularisation changed nothing")
	}
}
