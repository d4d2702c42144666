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
// score over its 3 seeds or above, exact against exact and Barnes-Hut
// against Barnes-Hut (its own seeds spread by about 0.007). (Coordinates are not comparable: t-SNE maps
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
		BarnesHut  []float64 `json:"barnes_hut"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		theta float64
		ref   []float64
	}{{"exact", -1, ref.Exact}, {"barnes-hut", 0.5, ref.BarnesHut}} {
		lowest := tc.ref[0]
		for _, v := range tc.ref {
			lowest = min(lowest, v)
		}
		for seed := range uint64(3) {
			y, err := Embed(context.Background(), x, Options{Perplexity: ref.Perplexity, Seed: seed, Theta: tc.theta})
			if err != nil {
				t.Fatal(err)
			}
			kept := NeighboursKept(x, y, ref.K)
			t.Logf("%s, seed %d: %.4f of %d-NN kept; scikit-learn %v", tc.name, seed, kept, ref.K, tc.ref)
			if kept < lowest-0.03 {
				t.Errorf("%s, seed %d: keeps %.4f of the %d nearest neighbours, scikit-learn at least %.4f", tc.name, seed, kept, ref.K, lowest)
			}
		}
	}
}
