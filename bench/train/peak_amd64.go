//go:build amd64 && !purego

package main

import "golang.org/x/sys/cpu"

//go:noescape
func fmaLoopAVX2(n int, a, b float64)

//go:noescape
func fmaLoopAVX512(n int, a, b float64)

// fmaKernels are the peak kernels this CPU runs: AVX2 (4 float64 lanes,
// the width of disco's model kernels) and AVX-512 (8 lanes) when present,
// else scalar math.FMA. Each runs n iterations of 12 independent FMAs and
// returns the floating-point operations done.
func fmaKernels() []fmaKernel {
	var ks []fmaKernel
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ks = append(ks, fmaKernel{"avx2", func(n int) float64 { fmaLoopAVX2(n, 1.0000001, 1e-9); return float64(n) * 12 * 4 * 2 }})
	}
	if cpu.X86.HasAVX512F {
		ks = append(ks, fmaKernel{"avx512", func(n int) float64 { fmaLoopAVX512(n, 1.0000001, 1e-9); return float64(n) * 12 * 8 * 2 }})
	}
	if len(ks) == 0 {
		ks = append(ks, fmaKernel{"scalar", scalarFMA})
	}
	return ks
}
