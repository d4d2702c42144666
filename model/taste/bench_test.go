package taste

import (
	"context"
	"testing"
)

// BenchmarkTrain trains the default network (32-16, batch 64) on songs of
// six labels for a fixed 100 epochs (no early stopping, 20% validation).
func BenchmarkTrain(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(itoa(n)+"songs_100epochs", func(b *testing.B) {
			xs, ys := blobs(6, n/6, 1, 3)
			cfg := Config{Epochs: 100, Patience: -1, Seed: 1}
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := TrainInputs(context.Background(), cfg, 6, xs, ys, Hooks{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPredict(b *testing.B) {
	m := testModel(4)
	x, _ := blobs(1, 1, 0, 1)
	var buf Buffer
	p := make([]float64, 4)
	b.ReportAllocs()
	for b.Loop() {
		m.Net.Probs(p, &buf, x[0][:NumInputs])
	}
}

func itoa(n int) string {
	if n >= 1000 && n%1000 == 0 {
		return itoa(n/1000) + "k"
	}
	s := ""
	for n > 0 || s == "" {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}
