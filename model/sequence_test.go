package model

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/discoflow/disco/features"
)

// synthTrack returns a track whose features are f (clamped to the
// documented ranges), mode m.
func synthTrack(id string, m int, f features.Vector) *features.Track {
	return &features.Track{ID: id, Mode: m, Key: -1, Features: f, HasFeatures: true}
}

func featureless(id string) *features.Track {
	return &features.Track{ID: id, Mode: -1, Key: -1, Features: features.NoFeatures}
}

// synthPlaylists returns n playlists of random length in [lo, hi] with
// features drifting around a per-playlist vibe, so that the running mean
// is informative.
func synthPlaylists(rng *rand.Rand, n, lo, hi int) []*features.Playlist {
	pls := make([]*features.Playlist, n)
	id := 0
	for i := range pls {
		var vibe features.Vector
		for j := range vibe {
			vibe[j] = 0.2 + 0.6*rng.Float64()
		}
		p := &features.Playlist{ID: fmt.Sprintf("pl%d", i)}
		cur := vibe
		for range lo + rng.IntN(hi-lo+1) {
			var f features.Vector
			for j := range f {
				cur[j] = 0.5*cur[j] + 0.5*vibe[j] + 0.1*rng.NormFloat64()
				f[j] = math.Min(1, math.Max(0, cur[j]))
			}
			f[features.Loudness] = -30 + 30*f[features.Loudness]
			p.Tracks = append(p.Tracks, synthTrack(fmt.Sprintf("t%d", id), rng.IntN(2), f))
			id++
		}
		pls[i] = p
	}
	return pls
}

func TestRuns(t *testing.T) {
	a := synthTrack("a", 1, features.Vector{0.1, 0.2, 0.3, 0.4, 0.5, -5, 0.7, 0.8})
	b := synthTrack("b", 0, features.Vector{0.2, 0.2, 0.3, 0.4, 0.5, -6, 0.7, 0.8})
	c := synthTrack("c", -1, features.Vector{0.3, 0.2, 0.3, 0.4, 0.5, -7, 0.7, 0.8})
	x := featureless("x")
	s := IdentityScaler()
	for _, tc := range []struct {
		name   string
		tracks []*features.Track
		minLen int
		want   [][]string
	}{
		{"whole", []*features.Track{a, b, c}, 2, [][]string{{"a", "b", "c"}}},
		{"split-at-gap", []*features.Track{a, b, x, c, a}, 2, [][]string{{"a", "b"}, {"c", "a"}}},
		{"drop-short", []*features.Track{a, x, b, c, a}, 2, [][]string{{"b", "c", "a"}}},
		{"min-len-3", []*features.Track{a, b, x, c, a, b}, 3, [][]string{{"c", "a", "b"}}},
		{"all-gaps", []*features.Track{x, a, x, x, b, x}, 2, nil},
		{"nil-track", []*features.Track{a, nil, b, c}, 2, [][]string{{"b", "c"}}},
		{"empty", nil, 2, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runs := Runs([]*features.Playlist{{ID: "p", Tracks: tc.tracks}}, s, tc.minLen)
			byFirst := map[float64]string{0.1: "a", 0.2: "b", 0.3: "c"}
			var got [][]string
			for _, r := range runs {
				var ids []string
				for _, st := range r {
					ids = append(ids, byFirst[math.Round(st[1]*10)/10])
				}
				got = append(got, ids)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("runs %v, want %v", got, tc.want)
			}
		})
	}
	in := Input(c, s)
	if in[0] != 0.5 || math.Abs(in[1]-0.3) > 1e-12 || math.Abs(in[6]+7) > 1e-12 {
		t.Errorf("Input of an unknown-mode track = %v", in)
	}
}

func TestWindows(t *testing.T) {
	for _, tc := range []struct {
		name           string
		transitions    int
		window, stride int
		want           [][2]int // [start, transitions]
	}{
		{"short", 10, 50, 25, [][2]int{{0, 10}}},
		{"exact", 50, 50, 25, [][2]int{{0, 50}}},
		{"one-more", 51, 50, 25, [][2]int{{0, 50}, {1, 50}}},
		{"stride-fits", 100, 50, 25, [][2]int{{0, 50}, {25, 50}, {50, 50}}},
		{"tail", 120, 50, 25, [][2]int{{0, 50}, {25, 50}, {50, 50}, {70, 50}}},
		{"no-overlap", 10, 4, 4, [][2]int{{0, 4}, {4, 4}, {6, 4}}},
		{"gaps-never", 10, 3, 5, [][2]int{{0, 3}, {5, 3}, {7, 3}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := make(Sequence, tc.transitions+1)
			for i := range r {
				r[i][0] = float64(i)
			}
			ws := Windows([]Sequence{r}, tc.window, tc.stride)
			var got [][2]int
			covered := make([]bool, tc.transitions)
			for _, w := range ws {
				got = append(got, [2]int{int(w[0][0]), w.Len()})
				for i := range w.Len() {
					covered[int(w[0][0])+i] = true
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("windows %v, want %v", got, tc.want)
			}
			if tc.stride <= tc.window && slices.Contains(covered, false) {
				t.Errorf("a transition is in no window: %v", covered)
			}
		})
	}
}

func TestTrainPlaylists(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	train := synthPlaylists(rng, 40, 5, 60)
	val := synthPlaylists(rng, 8, 5, 60)
	// A gap in a training playlist.
	train[0].Tracks[2] = featureless("gap")
	cfg := Config{Epochs: 15, Workers: 2, LearnRate: 0.01, Window: 20, Stride: 10}
	var epochs int
	m, err := Train(context.Background(), cfg, train, val, Hooks{Epoch: func(EpochStats) { epochs++ }})
	if err != nil {
		t.Fatal(err)
	}
	in := m.Info
	if in.Eval == nil || in.TrainPlaylists != 40 || in.ValPlaylists != 8 || epochs != in.EpochsRun || in.Fingerprint == "" {
		t.Fatalf("info %+v", in)
	}
	if in.TrainRuns != 41 {
		t.Errorf("%d training runs, want 41 (one playlist split at its gap)", in.TrainRuns)
	}
	// The scaler is fitted on the training tracks only: their scaled
	// features have mean 0.
	var mean features.Vector
	n := 0
	for _, p := range train {
		for _, tr := range p.Tracks {
			if tr.HasFeatures {
				z := m.Scaler.Transform(tr.Features)
				for j := range z {
					mean[j] += z[j]
				}
				n++
			}
		}
	}
	for j := range mean {
		if math.Abs(mean[j]/float64(n)) > 1e-9 {
			t.Errorf("%s: training mean %g after scaling, want 0", features.AbstractNames[j], mean[j]/float64(n))
		}
	}
	ev := in.Eval
	t.Logf("val MAE: rnn %.4f, last %.4f, running mean %.4f, global mean %.4f, MAD %.4f",
		ev.RNN.MAE, ev.Last.MAE, ev.RunningMean.MAE, ev.GlobalMean.MAE, ev.MAD)
	if ev.RNN.MAE != in.ValMAE {
		t.Errorf("eval RNN MAE %g, best epoch's val MAE %g", ev.RNN.MAE, in.ValMAE)
	}
	// On these playlists (a vibe plus noise) the running mean is a strong
	// baseline and the global mean a weak one.
	if !(ev.RunningMean.MAE < ev.GlobalMean.MAE) || !(ev.RNN.MAE < ev.GlobalMean.MAE) {
		t.Errorf("baselines out of order: %+v", ev)
	}
	// Evaluate recomputes the same thing.
	if ev2 := m.Evaluate(val); ev2 != *ev {
		t.Errorf("Evaluate = %+v, want %+v", ev2, *ev)
	}
	// Feed and Step agree.
	p := m.NewPredictor()
	q := m.NewPredictor()
	for _, tr := range val[0].Tracks {
		in := Input(tr, &m.Scaler)
		if a, b := p.Feed(tr), q.Step(&in); a != b {
			t.Fatal("Feed and Step differ")
		}
	}
	if got := p.Predict(val[0].Tracks); got != q.Predict(val[0].Tracks) || p.Steps() != len(val[0].Tracks) {
		t.Error("Predict is not deterministic or miscounts")
	}
}

func TestTrainNoData(t *testing.T) {
	_, err := Train(context.Background(), Config{}, nil, nil, Hooks{})
	if err == nil {
		t.Fatal("no error without data")
	}
	one := []*features.Playlist{{ID: "p", Tracks: []*features.Track{featureless("x"), featureless("y")}}}
	if _, err := Train(context.Background(), Config{}, one, nil, Hooks{}); err == nil {
		t.Fatal("no error without features")
	}
}

func TestPredictorAllocs(t *testing.T) {
	m := testModel(t)
	p := m.NewPredictor()
	var in [NumInputs]float64
	in[1] = 0.3
	if n := testing.AllocsPerRun(100, func() { p.Step(&in) }); n != 0 {
		t.Errorf("Step allocates %v times", n)
	}
	tr := synthTrack("a", 1, features.Vector{0.1, 0.2, 0.3, 0.4, 0.5, -5, 0.7, 0.8})
	if n := testing.AllocsPerRun(100, func() { p.Feed(tr) }); n != 0 {
		t.Errorf("Feed allocates %v times", n)
	}
}

func BenchmarkPredictorStep(b *testing.B) {
	for _, hidden := range [][]int{{16, 16}, {32, 32}} {
		b.Run(fmt.Sprint(hidden), func(b *testing.B) {
			m := &Model{Config: Config{Hidden: hidden}, Weights: InitWeights(Config{Hidden: hidden})}
			p := m.NewPredictor()
			var in [NumInputs]float64
			for i := range in {
				in[i] = 0.1 * float64(i)
			}
			b.ReportAllocs()
			cpu0 := cpuSeconds()
			for b.Loop() {
				if p.Steps() == 200 {
					p.Reset()
				}
				p.Step(&in)
			}
			// CPU time per step: on a shared machine, wall time overstates.
			b.ReportMetric((cpuSeconds()-cpu0)/float64(b.N)*1e9, "cpu-ns/op")
		})
	}
}

func TestFit(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	pls := synthPlaylists(rng, 30, 5, 20)
	cfg := Config{Epochs: 2, Workers: 1, ValFrac: 0.2, Seed: 4}
	a, err := Fit(context.Background(), cfg, pls, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Info.TrainPlaylists != 24 || a.Info.ValPlaylists != 6 {
		t.Errorf("split %d/%d, want 24/6", a.Info.TrainPlaylists, a.Info.ValPlaylists)
	}
	// The split follows the seed, not the order of the playlists.
	rev := slices.Clone(pls)
	slices.Reverse(rev)
	b, err := Fit(context.Background(), cfg, rev, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Info.Fingerprint != b.Info.Fingerprint || !slices.Equal(a.Weights.Data, b.Weights.Data) {
		t.Error("the same playlists in another order trained differently")
	}
	if _, err := Fit(context.Background(), Config{ValFrac: 1}, pls, Hooks{}); !errors.Is(err, ErrConfig) {
		t.Errorf("ValFrac 1: %v, want ErrConfig", err)
	}
}
