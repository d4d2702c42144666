package song2vec

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"sync"
	"testing"
)

// golden is what bench/song2vec/gensim_ref.py writes.
type golden struct {
	Gensim   string `json:"gensim"`
	K        int    `json:"k"`
	Settings struct {
		Dim      int     `json:"dim"`
		Window   int     `json:"window"`
		Negative int     `json:"negative"`
		MinCount int     `json:"min_count"`
		Sample   float64 `json:"sample"`
		Epochs   int     `json:"epochs"`
		Alpha    float64 `json:"alpha"`
	} `json:"settings"`
	Train, Heldout struct {
		File   string `json:"file"`
		SHA256 string `json:"sha256"`
	}
	Queries    int     `json:"queries"`
	Answerable int     `json:"answerable"`
	HR         float64 `json:"hr"`
	MRR        float64 `json:"mrr"`
	HRSD       float64 `json:"hr_sd"`
	PopularHR  float64 `json:"popular_hr"`
	RandomHR   float64 `json:"random_hr"`
	RandomMRR  float64 `json:"random_mrr"`
	Runs       []struct {
		Seed int     `json:"seed"`
		HR   float64 `json:"hr"`
	} `json:"runs"`
}

func readPlaylists(t testing.TB, path, sum string) Playlists {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if h := sha256.Sum256(raw); sum != "" && hex.EncodeToString(h[:]) != sum {
		t.Fatalf("%s changed since the golden figures were made; rerun bench/song2vec/gensim_ref.py", path)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pls, err := ReadPlaylists(f)
	if err != nil {
		t.Fatal(err)
	}
	return pls
}

// qualitySeeds is how many models the quality test trains and averages:
// one model's HR@10 varies by about 7% from seed to seed (gensim's too),
// so one would not do for a 5% comparison.
const qualitySeeds = 16

// TestQualityVsGensim trains song2vec on the committed train split of the
// real playlists with gensim's settings and compares HR@10 on the held-out
// split with gensim's golden figure (the mean over its seeds).
func TestQualityVsGensim(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 16 models; skipped in -short mode")
	}
	raw, err := os.ReadFile("testdata/gensim_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	train := readPlaylists(t, "testdata/"+g.Train.File, g.Train.SHA256)
	heldout := readPlaylists(t, "testdata/"+g.Heldout.File, g.Heldout.SHA256)
	s := g.Settings
	results := make([]EvalResult, qualitySeeds)
	errs := make([]error, qualitySeeds)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i := range qualitySeeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			cfg := Config{
				Dim: s.Dim, Window: s.Window, Negative: s.Negative, MinCount: s.MinCount,
				Sample: s.Sample, Epochs: s.Epochs, Alpha: s.Alpha, Workers: 1, Seed: uint64(i + 1),
			}
			v, _, err := Train(context.Background(), train, cfg)
			if err != nil {
				errs[i] = err
				return
			}
			results[i], errs[i] = Evaluate(v, heldout, g.K)
		}()
	}
	wg.Wait()
	hr, mrr := 0.0, 0.0
	for i, r := range results {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		hr += r.HR / qualitySeeds
		mrr += r.MRR / qualitySeeds
	}
	r := results[0]
	t.Logf("disco  HR@%d %.5f MRR@%d %.5f (mean of %d seeds)", g.K, hr, g.K, mrr, qualitySeeds)
	t.Logf("gensim HR@%d %.5f MRR@%d %.5f (mean of %d seeds, sd of one %.5f)", g.K, g.HR, g.K, g.MRR, len(g.Runs), g.HRSD)
	t.Logf("baselines: popular %.5f (gensim's ties %.5f), random %.5f; %d queries, %d answerable", r.PopularHR, g.PopularHR, r.RandomHR, r.Queries, r.Answerable)

	// The same protocol: the same queries, the same vocabulary, hence the
	// same exact random baseline.
	if r.Queries != g.Queries || r.Answerable != g.Answerable {
		t.Errorf("%d queries, %d answerable; gensim had %d, %d", r.Queries, r.Answerable, g.Queries, g.Answerable)
	}
	if math.Abs(r.RandomHR-g.RandomHR) > 1e-12 || math.Abs(r.RandomMRR-g.RandomMRR) > 1e-12 {
		t.Errorf("random baseline %.8f/%.8f, gensim's %.8f/%.8f", r.RandomHR, r.RandomMRR, g.RandomHR, g.RandomMRR)
	}
	if rel := (hr - g.HR) / g.HR; math.Abs(rel) > 0.05 {
		t.Errorf("HR@%d %.5f is %+.1f%% from gensim's %.5f; want within 5%%", g.K, hr, 100*rel, g.HR)
	}
	if hr < 5*r.PopularHR {
		t.Errorf("HR@%d %.5f is not well above the most-popular baseline %.5f", g.K, hr, r.PopularHR)
	}
}
