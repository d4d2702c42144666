package taste

import (
	"bytes"
	"context"
	"testing"
)

// TestClassWeights trains on overlapping labels of 400 and 40 songs: with
// uniform weights the network leans to the big label, with balanced
// weights it finds more of the small one (recall on the training songs).
func TestClassWeights(t *testing.T) {
	xs, ys := blobs(2, 400, 1.2, 21)
	// Keep 40 of label 1.
	var kx []Input
	var ky []int
	n1 := 0
	for i, y := range ys {
		if y == 1 {
			if n1 == 40 {
				continue
			}
			n1++
		}
		kx, ky = append(kx, xs[i]), append(ky, y)
	}
	recall := func(weights string) (float64, Info) {
		cfg := Config{Hidden: []int{8}, Epochs: 60, Patience: -1, ValFrac: -1, ClassWeights: weights, Seed: 4, LearnRate: 0.01}
		net, info, err := TrainInputs(context.Background(), cfg, 2, kx, ky, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		var buf Buffer
		p := make([]float64, 2)
		hit := 0
		for i, x := range kx {
			if ky[i] == 1 && net.Probs(p, &buf, x[:NumInputs])[1] > 0.5 {
				hit++
			}
		}
		return float64(hit) / 40, info
	}
	ru, iu := recall(Uniform)
	rb, ib := recall(Balanced)
	if iu.Weights[0] != 1 || iu.Weights[1] != 1 {
		t.Errorf("uniform weights %v", iu.Weights)
	}
	if want := 440.0 / (2 * 40); ib.Weights[1] != want || ib.Weights[0] != 440.0/(2*400) {
		t.Errorf("balanced weights %v, want [%v %v]", ib.Weights, 440.0/800, want)
	}
	t.Logf("recall of the small label: balanced %.2f, uniform %.2f", rb, ru)
	if !(rb > ru+0.2) {
		t.Errorf("recall of the small label: balanced %.2f, uniform %.2f; want balanced well above", rb, ru)
	}
}

// FuzzRead checks that Read never panics and that a model it accepts
// writes and reads back.
func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	if err := testModel(2).Write(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(buf.Bytes()[:40])
	f.Add([]byte("DISCOTST\x01\x00\x00\x00\xff\xff\xff\xff\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := m.Write(&out); err != nil {
			t.Fatalf("accepted model does not write: %v", err)
		}
		if _, err := Read(bytes.NewReader(out.Bytes())); err != nil {
			t.Fatalf("rewritten model refused: %v", err)
		}
	})
}
