package scale

import (
	"fmt"
	"github.com/discoflow/disco/features"
	"math/rand/v2"
	"syscall"
	"testing"
)

// reportCPU reports the process's CPU time per op since c0 (all
// goroutines) as cpu-ns/op: on a machine shared with other work, wall time
// says little; on an idle one, wall time is about cpu-ns/op divided by the
// cores in use.
func reportCPU(b *testing.B, c0 float64) {
	b.ReportMetric((cpuTime()-c0)/float64(b.N), "cpu-ns/op")
}

// cpuTime returns the process's user+system CPU time in nanoseconds.
func cpuTime() float64 {
	var r syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &r); err != nil {
		return 0
	}
	return float64(r.Utime.Nano() + r.Stime.Nano())
}

// syntheticRows returns n raw feature vectors resampled from the embedded
// catalog with Gaussian noise (1% of each feature's documented range),
// clamped to the documented ranges; seeded, so the same n gives the same
// rows.
func syntheticRows(tb testing.TB, n int, seed uint64) []features.Vector {
	_, real := loadCatalog(tb)
	rng := rand.New(rand.NewPCG(seed, 0x5ca1e))
	xs := make([]features.Vector, n)
	for i := range xs {
		x := real[rng.IntN(len(real))]
		for j := range x {
			r := features.AbstractRanges[j]
			x[j] += 0.01 * (r.Max - r.Min) * rng.NormFloat64()
			x[j] = min(max(x[j], r.Min), r.Max)
		}
		xs[i] = x
	}
	return xs
}

func BenchmarkFitScaler(b *testing.B) {
	for _, bc := range []struct {
		name string
		n    int
	}{{"10k", 10_000}, {"100k", 100_000}, {"1M", 1_000_000}} {
		b.Run(bc.name, func(b *testing.B) {
			xs := syntheticRows(b, bc.n, 1)
			b.ReportAllocs()
			c0 := cpuTime()
			for b.Loop() {
				if _, err := FitScaler(xs); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, c0)
		})
	}
}

func BenchmarkTransform(b *testing.B) {
	_, xs := loadCatalog(b)
	s, err := FitScaler(xs)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var sink features.Vector
	i := 0
	c0 := cpuTime()
	for b.Loop() {
		sink = s.Transform(xs[i])
		i++
		if i == len(xs) {
			i = 0
		}
	}
	reportCPU(b, c0)
	_ = fmt.Sprint(sink[0])
}
