package plots

import (
	"bytes"
	"errors"
	"testing"
)

func TestTastePlots(t *testing.T) {
	roc := [][]ROCCurve{{{Label: "a", FPR: []float64{0, 0.2, 1}, TPR: []float64{0, 0.7, 1}, AUC: 0.75}}}
	pts := []LabelledPoint{{X: 0, Y: 0, Label: 0}, {X: 1, Y: 1, Label: 1, Name: "Artist - Song"}, {X: 2, Y: 0.5, Label: 1}}
	for _, tc := range []struct {
		name string
		make func() (*Figure, error)
		err  error
	}{
		{"roc", func() (*Figure, error) { return ROC(roc, []string{"MLP"}, "ROC") }, nil},
		{"roc without curves", func() (*Figure, error) { return ROC(nil, nil, "ROC") }, ErrNoData},
		{"roc titles mismatch", func() (*Figure, error) { return ROC(roc, nil, "ROC") }, ErrNoData},
		{"loss", func() (*Figure, error) {
			return TrainingLoss([]float64{1, 0.8, 0.7}, []float64{0.9, 0.85, 0.86}, 1, "loss", "t")
		}, nil},
		{"loss empty", func() (*Figure, error) { return TrainingLoss(nil, nil, -1, "loss", "t") }, ErrNoData},
		{"embedding", func() (*Figure, error) { return Embedding(pts, []string{"x", "y"}, "map") }, nil},
		{"embedding empty", func() (*Figure, error) { return Embedding(nil, []string{"x"}, "map") }, ErrNoData},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fig, err := tc.make()
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			if err != nil {
				return
			}
			b, err := PNG(fig, 0, 0)
			if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
				t.Fatalf("PNG: %v", err)
			}
		})
	}
	if _, err := TrainingLoss([]float64{1}, []float64{1}, 3, "loss", "t"); err == nil {
		t.Error("best epoch past the end accepted")
	}
}
