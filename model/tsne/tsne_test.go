package tsne

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
)

// clusters returns n points in dim dimensions around c cluster centres.
func clusters(n, c, dim int, seed uint64) ([][]float64, []int) {
	rng := rand.New(rand.NewPCG(seed, 2))
	centres := make([][]float64, c)
	for k := range centres {
		centres[k] = make([]float64, dim)
		for d := range centres[k] {
			centres[k][d] = 6 * rng.NormFloat64()
		}
	}
	x := make([][]float64, n)
	lab := make([]int, n)
	for i := range x {
		lab[i] = i % c
		x[i] = make([]float64, dim)
		for d := range x[i] {
			x[i][d] = centres[lab[i]][d] + rng.NormFloat64()
		}
	}
	return x, lab
}

func TestEmbedKeepsNeighbourhoods(t *testing.T) {
	x, lab := clusters(300, 5, 10, 1)
	y, err := Embed(context.Background(), x, Options{Perplexity: 20, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	// Random positions keep about k/(n-1) = 3% of the 10 nearest; t-SNE
	// must keep far more.
	if kept := NeighboursKept(x, y, 10); kept < 0.4 {
		t.Errorf("t-SNE keeps %.3f of the 10 nearest neighbours, want >= 0.4", kept)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	rnd := make([][2]float64, len(x))
	for i := range rnd {
		rnd[i] = [2]float64{rng.NormFloat64(), rng.NormFloat64()}
	}
	if kept := NeighboursKept(x, rnd, 10); kept > 0.1 {
		t.Errorf("a random map keeps %.3f, want about 0.03 (the score is broken)", kept)
	}
	// Each point's nearest in the plane is of its own cluster.
	same := 0
	for i := range y {
		best, bd := -1, 0.0
		for j := range y {
			if j == i {
				continue
			}
			d := (y[i][0]-y[j][0])*(y[i][0]-y[j][0]) + (y[i][1]-y[j][1])*(y[i][1]-y[j][1])
			if best < 0 || d < bd {
				best, bd = j, d
			}
		}
		if lab[best] == lab[i] {
			same++
		}
	}
	if same < 297 {
		t.Errorf("%d of 300 points have a nearest neighbour of their own cluster", same)
	}
}

func TestEmbedDeterministic(t *testing.T) {
	x, _ := clusters(120, 3, 5, 4)
	for _, theta := range []float64{-1, 0.5} {
		var runs [][][2]float64
		for _, w := range []int{1, 2, 3} {
			y, err := Embed(context.Background(), x, Options{Perplexity: 10, Iterations: 300, Seed: 5, Workers: w, Theta: theta})
			if err != nil {
				t.Fatal(err)
			}
			runs = append(runs, y)
		}
		for r := 1; r < len(runs); r++ {
			for i := range runs[0] {
				if runs[r][i] != runs[0][i] {
					t.Fatalf("theta %v: worker count changed point %d: %v vs %v", theta, i, runs[r][i], runs[0][i])
				}
			}
		}
		y, _ := Embed(context.Background(), x, Options{Perplexity: 10, Iterations: 300, Seed: 6, Theta: theta})
		if y[0] == runs[0][0] {
			t.Fatalf("theta %v: another seed gave the same map", theta)
		}
	}
}

func TestEmbedErrors(t *testing.T) {
	x, _ := clusters(20, 2, 3, 1)
	for _, tc := range []struct {
		name string
		x    [][]float64
		opt  Options
	}{
		{"too few", x[:3], Options{Perplexity: 2}},
		{"perplexity too high", x, Options{Perplexity: 20}},
		{"ragged", append(x[:5:5], []float64{1}), Options{Perplexity: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Embed(context.Background(), tc.x, tc.opt); !errors.Is(err, ErrPoints) {
				t.Fatalf("error %v, want ErrPoints", err)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Embed(ctx, x, Options{Perplexity: 5}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

// BenchmarkEmbed embeds clustered points in 16 dimensions with the
// default options (1000 iterations, perplexity 30): exact repulsion and
// Barnes-Hut (theta 0.5).
func BenchmarkEmbed(b *testing.B) {
	for _, tc := range []struct {
		name  string
		n     int
		theta float64
	}{{"exact/1000", 1000, -1}, {"bh/1000", 1000, 0.5}, {"exact/5000", 5000, -1}, {"bh/5000", 5000, 0.5}} {
		x, _ := clusters(tc.n, 6, 16, 1)
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Embed(context.Background(), x, Options{Seed: 1, Theta: tc.theta}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func itoa(n int) string {
	s := ""
	for n > 0 || s == "" {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}

// TestBarnesHutAgreesWithExact embeds the same points exactly and with
// Barnes-Hut (theta 0.5): both keep about the same share of neighbours,
// and Barnes-Hut with theta near 0 gives the exact map.
func TestBarnesHutAgreesWithExact(t *testing.T) {
	x, _ := clusters(400, 5, 8, 7)
	exact, err := Embed(context.Background(), x, Options{Perplexity: 20, Seed: 1, Theta: -1})
	if err != nil {
		t.Fatal(err)
	}
	bh, err := Embed(context.Background(), x, Options{Perplexity: 20, Seed: 1, Theta: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	ke, kb := NeighboursKept(x, exact, 10), NeighboursKept(x, bh, 10)
	t.Logf("10-NN kept: exact %.4f, Barnes-Hut %.4f", ke, kb)
	if kb < ke-0.03 {
		t.Errorf("Barnes-Hut keeps %.4f, exact %.4f", kb, ke)
	}
	tiny, err := Embed(context.Background(), x, Options{Perplexity: 20, Seed: 1, Theta: 1e-9, Iterations: 50})
	if err != nil {
		t.Fatal(err)
	}
	ex50, _ := Embed(context.Background(), x, Options{Perplexity: 20, Seed: 1, Theta: -1, Iterations: 50})
	for i := range tiny {
		for d := range 2 {
			if diff := tiny[i][d] - ex50[i][d]; diff > 1e-9 || diff < -1e-9 {
				t.Fatalf("theta 1e-9 differs from exact at point %d: %v vs %v", i, tiny[i], ex50[i])
			}
		}
	}
}
