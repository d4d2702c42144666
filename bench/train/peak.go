package main

import (
	"math"
	"sync"
	"time"
)

// fmaKernel is a loop of independent float64 FMAs: run(n) does n
// iterations and returns the floating-point operations done (an FMA
// counts 2).
type fmaKernel struct {
	name string
	run  func(n int) float64
}

// sink keeps scalarFMA's result alive.
var sink float64

// scalarFMA runs n iterations of 8 independent scalar FMAs.
func scalarFMA(n int) float64 {
	var a [8]float64
	for range n {
		for j := range a {
			a[j] = math.FMA(1.0000001, 1e-9, a[j])
		}
	}
	sink = a[0] + a[7]
	return float64(n) * 8 * 2
}

// fmaPeak measures k's throughput on workers goroutines at once (as many
// as GOMAXPROCS, which the caller sets): the best of trials runs of n
// iterations each, in GFLOP/s.
func fmaPeak(k fmaKernel, workers, trials, n int) float64 {
	var best float64
	for range trials {
		var wg sync.WaitGroup
		flops := make([]float64, workers)
		t0 := time.Now()
		for w := range workers {
			wg.Go(func() { flops[w] = k.run(n) })
		}
		wg.Wait()
		secs := time.Since(t0).Seconds()
		var sum float64
		for _, f := range flops {
			sum += f
		}
		best = max(best, sum/secs/1e9)
	}
	return best
}
