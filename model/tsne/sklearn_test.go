package tsne

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestMatchesScikitLearn embeds the points of testdata/points.csv and
// compares the share of 10 nearest neighbours kept with scikit-learn's on
// the same points (testdata/sklearn.json, made by testdata/reference.py):
// for each of 3 seeds, ours must be within 0.03 of scikit-learn's lowest
// exact-method score or above. (Coordinates are not comparable: t-SNE maps
// differ by rotation, reflection and the arrangement of clusters.)
func TestMatchesScikitLearn(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "points.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	x := make([][]float64, len(recs))
	for i, r := range recs {
		for _, s := range r {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatal(err)
			}
			x[i] = append(x[i], v)
		}
	}
	b, err := os.ReadFile(filepath.Join("testdata", "sklearn.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		K          int       `json:"k"`
		Perplexity float64   `json:"perplexity"`
		Exact      []float64 `json:"exact"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	lowest := ref.Exact[0]
	for _, v := range ref.Exact {
		lowest = min(lowest, v)
	}
	for seed := range uint64(3) {
		y, err := Embed(context.Background(), x, Options{Perplexity: ref.Perplexity, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		kept := NeighboursKept(x, y, ref.K)
		t.Logf("seed %d: %.4f of %d-NN kept; scikit-learn exact %v", seed, kept, ref.K, ref.Exact)
		if kept < lowest-0.03 {
			t.Errorf("seed %d: keeps %.4f of the %d nearest neighbours, scikit-learn at least %.4f", seed, kept, ref.K, lowest)
		}
	}
}
