package taste

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"github.com/discoflow/disco/internal/frame"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model/scale"
)

// blobs returns n songs per label of k labels as Gaussian blobs in input
// space, centres sep apart along each label's own axis.
func blobs(k, n int, sep float64, seed uint64) ([]Input, []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	var xs []Input
	var ys []int
	for c := range k {
		for range n {
			var x Input
			for j := range x {
				x[j] = rng.NormFloat64()
			}
			x[c%MaxInputs] += sep
			xs = append(xs, x)
			ys = append(ys, c)
		}
	}
	return xs, ys
}

// TestGorgoniaMatchesPlainGo holds the training graph and the plain-Go
// forward pass together: the same logits and loss on the same weights, and
// Gorgonia's gradient equal to a central finite difference of the plain-Go
// loss.
func TestGorgoniaMatchesPlainGo(t *testing.T) {
	for _, tc := range []struct {
		name   string
		inputs int
		hidden []int
		act    string
		k      int
		l2     float64
	}{
		{"binary relu", NumInputs, []int{7, 5}, ReLU, 2, 0},
		{"binary tanh l2", NumInputs, []int{6}, Tanh, 2, 0.01},
		{"softmax sigmoid key tempo", MaxInputs, []int{5, 4}, Sigmoid, 4, 0},
		{"softmax linear l2", NumInputs, []int{3}, Linear, 3, 0.1},
		{"logistic regression key tempo", MaxInputs, []int{}, ReLU, 6, 0},
		{"binary logistic", NumInputs, []int{}, ReLU, 2, 0.05},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			net := NewNet(tc.inputs, tc.hidden, tc.act, tc.k, rng)
			for i := range net.Data { // non-zero biases too
				net.Data[i] += 0.3 * rng.NormFloat64()
			}
			xs, ys := blobs(tc.k, 3, 1, 5)
			w := make([]float64, len(ys))
			for i := range w {
				w[i] = 0.5 + rng.Float64()
			}
			idx := []int{0, 2, 3, 5} // a partial batch: padding rows of weight 0
			B := 6
			gg, err := newGraph(net.Sizes, tc.act, B, tc.l2)
			if err != nil {
				t.Fatal(err)
			}
			defer gg.close()
			sw := 0.0
			for _, i := range idx {
				sw += w[i]
			}
			grad := make([]float64, len(net.Data))
			loss, err := gg.run(net, xs, ys, w, idx, 1/sw, grad)
			if err != nil {
				t.Fatal(err)
			}
			bx, by, bw := gather(xs, ys, w, idx)
			plain := func() float64 { return net.Loss(bx, by, bw, tc.l2) }
			if want := plain(); math.Abs(loss-want) > 1e-12 {
				t.Fatalf("gorgonia loss %v, plain Go %v", loss, want)
			}
			var buf Buffer
			for r, i := range idx {
				z := net.Logits(&buf, xs[i][:tc.inputs])
				for j, v := range gg.logitsOf(r) {
					if math.Abs(v-z[j]) > 1e-12 {
						t.Fatalf("song %d logit %d: gorgonia %v, plain Go %v", i, j, v, z[j])
					}
				}
			}
			const h = 1e-6
			for p := range net.Data {
				old := net.Data[p]
				net.Data[p] = old + h
				up := plain()
				net.Data[p] = old - h
				down := plain()
				net.Data[p] = old
				fd := (up - down) / (2 * h)
				if math.Abs(fd-grad[p]) > 1e-6*(1+math.Abs(fd)) {
					t.Fatalf("parameter %d: gorgonia gradient %v, finite difference %v", p, grad[p], fd)
				}
			}
		})
	}
}

func TestProbs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, k := range []int{2, 3, 6} {
		net := NewNet(NumInputs, []int{4}, Tanh, k, rng)
		xs, _ := blobs(1, 5, 0, 9)
		var buf Buffer
		p := make([]float64, k)
		for _, x := range xs {
			got := net.Probs(p, &buf, x[:NumInputs])
			s := 0.0
			for _, v := range got {
				if !(v > 0 && v < 1) {
					t.Fatalf("k=%d: probability %v", k, v)
				}
				s += v
			}
			if math.Abs(s-1) > 1e-12 {
				t.Fatalf("k=%d: probabilities sum to %v", k, s)
			}
		}
	}
}

func TestTrainLearnsAndStopsEarly(t *testing.T) {
	for _, tc := range []struct {
		name   string
		k      int
		hidden []int
		minAcc float64
	}{
		{"binary mlp", 2, []int{8}, 0.9},
		{"four labels mlp", 4, []int{16, 8}, 0.85},
		{"four labels logistic", 4, []int{}, 0.85},
	} {
		t.Run(tc.name, func(t *testing.T) {
			xs, ys := blobs(tc.k, 150, 3, 11)
			cfg := Config{Hidden: tc.hidden, Epochs: 300, Patience: 5, Seed: 7, BatchSize: 32, LearnRate: 0.01}
			net, info, err := TrainInputs(context.Background(), cfg, tc.k, xs, ys, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			if info.Stopped != StopEarly {
				t.Errorf("stopped %q after %d epochs, want early", info.Stopped, info.EpochsRun)
			}
			if info.EpochsRun != info.BestEpoch+5 {
				t.Errorf("ran %d epochs, best %d: want best + patience", info.EpochsRun, info.BestEpoch)
			}
			best := info.History[info.BestEpoch-1]
			for _, e := range info.History {
				if e.Val < best.Val {
					t.Errorf("epoch %d has val loss %v below the kept epoch %d's %v", e.Epoch, e.Val, best.Epoch, best.Val)
				}
			}
			// The returned network is the best epoch's: its validation loss
			// is the one recorded.
			_, val := StratifiedSplit(ys, 0.2, cfg.Seed)
			vx, vy, vw := gather(xs, ys, weightsOf(ys, info.Weights), val)
			if got := net.Loss(vx, vy, vw, 0); math.Abs(got-best.Val) > 1e-12 {
				t.Errorf("kept network's val loss %v, recorded %v", got, best.Val)
			}
			probs := make([][]float64, len(vx))
			var buf Buffer
			for i, x := range vx {
				probs[i] = append([]float64(nil), net.Probs(make([]float64, tc.k), &buf, x[:NumInputs])...)
			}
			if s := Score(probs, vy); s.Accuracy < tc.minAcc || s.AUC < 0.95 {
				t.Errorf("accuracy %.3f, AUC %.3f on validation, want >= %.2f and >= 0.95", s.Accuracy, s.AUC, tc.minAcc)
			}
			// Same seed, same network.
			net2, _, err := TrainInputs(context.Background(), cfg, tc.k, xs, ys, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			for i := range net.Data {
				if net.Data[i] != net2.Data[i] {
					t.Fatalf("two runs with seed %d differ at weight %d", cfg.Seed, i)
				}
			}
		})
	}
}

func weightsOf(ys []int, cw []float64) []float64 {
	w := make([]float64, len(ys))
	for i, y := range ys {
		w[i] = cw[y]
	}
	return w
}

func TestTrainErrors(t *testing.T) {
	xs, ys := blobs(2, 10, 1, 1)
	for _, tc := range []struct {
		name string
		k    int
		ys   []int
		cfg  Config
		want error
	}{
		{"one label", 1, make([]int, len(ys)), Config{}, ErrLabels},
		{"empty label", 3, ys, Config{}, ErrEmptyLabel},
		{"bad activation", 2, ys, Config{Activation: "gelu"}, ErrConfig},
		{"bad validation fraction", 2, ys, Config{ValFrac: 0.95}, ErrConfig},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := TrainInputs(context.Background(), tc.cfg, tc.k, xs, tc.ys, Hooks{})
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := TrainInputs(ctx, Config{}, 2, xs, ys, Hooks{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: error %v", err)
	}
}

func TestStratifiedSplit(t *testing.T) {
	ys := make([]int, 0, 130)
	for i := range 100 {
		ys = append(ys, i%2) // 50 and 50
	}
	for range 30 {
		ys = append(ys, 2)
	}
	ys = append(ys, 3) // a label of one song stays in kept
	kept, held := StratifiedSplit(ys, 0.2, 42)
	count := map[int]int{}
	for _, i := range held {
		count[ys[i]]++
	}
	if count[0] != 10 || count[1] != 10 || count[2] != 6 || count[3] != 0 {
		t.Fatalf("held out per label %v, want 10 10 6 0", count)
	}
	if len(kept)+len(held) != len(ys) {
		t.Fatalf("%d + %d != %d", len(kept), len(held), len(ys))
	}
	seen := map[int]bool{}
	for _, i := range append(append([]int{}, kept...), held...) {
		if seen[i] {
			t.Fatalf("index %d twice", i)
		}
		seen[i] = true
	}
	k2, h2 := StratifiedSplit(ys, 0.2, 42)
	if !equalInts(k2, kept) || !equalInts(h2, held) {
		t.Fatal("same seed, different split")
	}
	_, h3 := StratifiedSplit(ys, 0.2, 43)
	if equalInts(h3, held) {
		t.Fatal("different seeds, same split")
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestAUCAndScore(t *testing.T) {
	for _, tc := range []struct {
		name   string
		scores []float64
		pos    []bool
		want   float64
	}{
		{"perfect", []float64{0.1, 0.2, 0.8, 0.9}, []bool{false, false, true, true}, 1},
		{"inverted", []float64{0.9, 0.8, 0.2, 0.1}, []bool{false, false, true, true}, 0},
		{"all tied", []float64{0.5, 0.5, 0.5, 0.5}, []bool{false, true, false, true}, 0.5},
		// pairs (pos, neg): (0.4: 0.1 yes, 0.4 tie, 0.7 no) = 1.5; (0.8: all 3) = 3; /6
		{"ties", []float64{0.1, 0.4, 0.7, 0.4, 0.8}, []bool{false, false, false, true, true}, 4.5 / 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := AUC(tc.scores, tc.pos); math.Abs(got-tc.want) > 1e-12 {
				t.Fatalf("AUC %v, want %v", got, tc.want)
			}
			// The trapezoid area under ROC equals the AUC.
			pts := ROC(tc.scores, tc.pos)
			area := 0.0
			for i := 1; i < len(pts); i++ {
				area += (pts[i].FPR - pts[i-1].FPR) * (pts[i].TPR + pts[i-1].TPR) / 2
			}
			if math.Abs(area-tc.want) > 1e-12 {
				t.Fatalf("ROC area %v, want %v", area, tc.want)
			}
		})
	}
	if !math.IsNaN(AUC([]float64{1, 2}, []bool{true, true})) {
		t.Fatal("AUC of one class is not NaN")
	}
	// 3 labels: rows are probabilities, truth 0 0 1 1 2 2.
	probs := [][]float64{{.8, .1, .1}, {.2, .7, .1}, {.1, .8, .1}, {.1, .6, .3}, {.1, .1, .8}, {.5, .2, .3}}
	s := Score(probs, []int{0, 0, 1, 1, 2, 2})
	wantConf := [][]int{{1, 1, 0}, {0, 2, 0}, {1, 0, 1}}
	for i := range wantConf {
		if !equalInts(s.Confusion[i], wantConf[i]) {
			t.Fatalf("confusion %v, want %v", s.Confusion, wantConf)
		}
	}
	if math.Abs(s.Accuracy-4.0/6) > 1e-12 {
		t.Fatalf("accuracy %v", s.Accuracy)
	}
	// precision: 0: 1/2, 1: 2/3, 2: 1/1; recall: 1/2, 1, 1/2
	if math.Abs(s.Precision-(0.5+2.0/3+1)/3) > 1e-12 || math.Abs(s.Recall-(0.5+1+0.5)/3) > 1e-12 {
		t.Fatalf("precision %v recall %v", s.Precision, s.Recall)
	}
	f1 := (0.5 + 0.8 + 2.0/3) / 3
	if math.Abs(s.F1-f1) > 1e-12 {
		t.Fatalf("F1 %v, want %v", s.F1, f1)
	}
}

// testModel returns a small trained-shape model with random weights.
func testModel(k int) *Model {
	rng := rand.New(rand.NewPCG(8, 9))
	labels := []string{"ana", "ben", "cy", "dee"}[:k]
	var sc scale.Scaler
	for j := range sc.Lambdas {
		sc.Lambdas[j], sc.Means[j], sc.Stds[j] = 0.5+0.1*float64(j), 0.1, 1.5
	}
	cfg := Config{Hidden: []int{5, 3}}.Defaults()
	return &Model{Labels: labels, Config: cfg, Scaler: sc, Net: NewNet(NumInputs, cfg.Hidden, cfg.Activation, k, rng),
		Info: Info{History: []Epoch{{Epoch: 1, Train: 0.7, Val: 0.6, Best: true}}, BestEpoch: 1, EpochsRun: 1, Stopped: StopCompleted}}
}

func TestFileRoundTripAndRefusals(t *testing.T) {
	m := testModel(3)
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	back, err := Read(bytes.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.Net.Data {
		if back.Net.Data[i] != m.Net.Data[i] {
			t.Fatalf("weight %d: %v read back as %v", i, m.Net.Data[i], back.Net.Data[i])
		}
	}
	if back.Scaler != m.Scaler || strings.Join(back.Labels, ",") != "ana,ben,cy" {
		t.Fatalf("scaler or labels differ: %+v %v", back.Scaler, back.Labels)
	}
	tr := &features.Track{ID: "x", HasFeatures: true, Mode: 1, Features: features.Vector{.2, .5, .6, 0, .1, -7, .05, .4}}
	p1, _ := m.NewPredictor().Probs(tr)
	p2, _ := back.NewPredictor().Probs(tr)
	for j := range p1 {
		if p1[j] != p2[j] {
			t.Fatalf("probabilities differ after a round trip: %v vs %v", p1, p2)
		}
	}

	newer := append([]byte(nil), good...)
	binary.LittleEndian.PutUint32(newer[8:], FormatVersion+1)
	corrupt := append([]byte(nil), good...)
	corrupt[frame.HeaderSize+10] ^= 1
	flow := append([]byte("DISCOFLW"), good[8:]...)
	// A file whose checksum is right but whose network is short.
	short := testModel(3)
	short.Net.Data = short.Net.Data[:10]
	var sb bytes.Buffer
	payload, _ := marshalUnchecked(short)
	sb.WriteString(Magic)
	binary.Write(&sb, binary.LittleEndian, uint32(FormatVersion))
	binary.Write(&sb, binary.LittleEndian, uint64(len(payload)))
	sb.Write(payload)
	sum := sha256Sum(sb.Bytes())
	sb.Write(sum[:])
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"truncated header", good[:5], ErrTruncated},
		{"truncated payload", good[:len(good)/2], ErrTruncated},
		{"truncated checksum", good[:len(good)-1], ErrTruncated},
		{"foreign", []byte("ID3\x03 this is an mp3, not a model............"), ErrNotModel},
		{"flow model", flow, ErrFlowModel},
		{"newer", newer, ErrNewVersion},
		{"corrupted", corrupt, ErrChecksum},
		{"short network", sb.Bytes(), ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(tc.data))
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
		})
	}
}

func TestInputs(t *testing.T) {
	var sc scale.Scaler
	for j := range sc.Lambdas {
		sc.Lambdas[j], sc.Stds[j] = 1, 1
	}
	c120, s120 := math.Cos(2*math.Pi*math.Log2(120)), math.Sin(2*math.Pi*math.Log2(120))
	base := features.Track{ID: "x", HasFeatures: true, Features: features.Vector{.1, .2, .3, .4, .5, -6, .7, .8}}
	for _, tc := range []struct {
		name  string
		key   int
		mode  int
		tempo float64
		want  [5]float64 // mode, cos/sin key, cos/sin tempo
	}{
		{"C major at 120", 0, 1, 120, [5]float64{1, 1, 0, c120, s120}},
		// 60 BPM is an octave below 120: the same phase.
		{"G (one fifth up) minor at 60", 7, 0, 60, [5]float64{0, math.Cos(math.Pi / 6), math.Sin(math.Pi / 6), c120, s120}},
		{"F (one fifth down) at 90", 5, 1, 90, [5]float64{1, math.Cos(-math.Pi / 6), math.Sin(-math.Pi / 6), math.Cos(2 * math.Pi * math.Log2(90)), math.Sin(2 * math.Pi * math.Log2(90))}},
		{"unknown key, mode and tempo", -1, -1, 0, [5]float64{0.5, 0, 0, 0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := base
			tr.Key, tr.Mode, tr.Tempo = tc.key, tc.mode, tc.tempo
			x, err := Inputs(&sc, &tr)
			if err != nil {
				t.Fatal(err)
			}
			z := sc.Transform(base.Features)
			for j := range features.NumAbstract {
				if x[j] != z[j] {
					t.Fatalf("input %d = %v, scaled feature %v", j, x[j], z[j])
				}
			}
			for j, w := range tc.want {
				if math.Abs(x[features.NumAbstract+j]-w) > 1e-9 {
					t.Fatalf("inputs after the features %v, want %v", x[features.NumAbstract:], tc.want)
				}
			}
		})
	}
	if _, err := Inputs(&sc, &features.Track{ID: "y"}); err == nil {
		t.Fatal("a track without features gave inputs")
	}
}
