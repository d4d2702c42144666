package main

import "testing"

// Every kernel this CPU has runs and counts what it runs: a positive rate.
func TestFMAPeak(t *testing.T) {
	ks := fmaKernels()
	if len(ks) == 0 {
		t.Fatal("no kernel")
	}
	for _, k := range ks {
		if f := k.run(10); f <= 0 {
			t.Errorf("%s: %v operations for 10 iterations", k.name, f)
		}
		g := fmaPeak(k, 1, 1, 1_000_000)
		if !(g > 0) {
			t.Errorf("%s: peak %v GFLOP/s", k.name, g)
		}
		t.Logf("%s: %.1f GFLOP/s", k.name, g)
	}
}

func BenchmarkFMAKernel(b *testing.B) {
	for _, k := range fmaKernels() {
		b.Run(k.name, func(b *testing.B) {
			b.ReportAllocs()
			var flops float64
			for b.Loop() {
				flops += k.run(1_000_000)
			}
			b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
