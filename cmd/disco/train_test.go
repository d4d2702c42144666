package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/discoflow/disco/model"
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
	for _, want := range []string{m.Info.Fingerprint, "rnn1/W", "History", "acousticness"} {
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
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil || len(doc.Weights) != 5 || doc.Config.Seed != 3 {
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
