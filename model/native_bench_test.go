package model

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
)

// cpuSeconds returns the process's user and system CPU time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// BenchmarkNativeBatch times one replica's forward and backward pass over
// a batch of B full sequences of 50 steps (DISCO's linear 9-16-16-8),
// plain and residual (whose baselines are computed in load).
func BenchmarkNativeBatch(b *testing.B) {
	for _, bl := range []baseline{{kind: ResidualNone}, {kind: ResidualMean}} {
		for _, B := range []int{32, 128} {
			b.Run(fmt.Sprintf("%s/B=%d", bl.kind, B), func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 2))
				seqs := randSeqs(rng, B, 51, 51)
				w := InitWeights(Config{})
				nb := newNativeBatch(w.Hidden, false, bl)
				grad := make([]float64, len(w.Data))
				b.ReportAllocs()
				cpu0 := cpuSeconds()
				for b.Loop() {
					nb.load(seqs, 50)
					nb.lossGrad(w, 1e-3, grad)
				}
				secs := b.Elapsed().Seconds() / float64(b.N)
				b.ReportMetric(float64(B)/secs, "seq/s")
				b.ReportMetric(float64(B*50*TrainFLOPs(w.Hidden))/secs/1e9, "GFLOP/s")
				// On a shared machine wall time says little; CPU time tells
				// what one core does.
				cpu := (cpuSeconds() - cpu0) / float64(b.N)
				b.ReportMetric(float64(B*50*TrainFLOPs(w.Hidden))/cpu/1e9, "cpu-GFLOP/s")
			})
		}
	}
}
