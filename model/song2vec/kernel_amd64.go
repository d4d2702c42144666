//go:build amd64 && !purego

package song2vec

import "golang.org/x/sys/cpu"

// useAVX2 reports whether the CPU and the operating system support AVX2 and
// FMA (golang.org/x/sys/cpu checks CPUID and that the OS saves YMM state).
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// kernelName names the kernels in use: "avx2" or "go".
func kernelName() string {
	if useAVX2 {
		return "avx2"
	}
	return "go"
}

//go:noescape
func dotAVX2(a, b []float64) float64

//go:noescape
func updateAVX2(neu, out, in []float64, scale float64)

//go:noescape
func axpyAVX2(dst []float64, a float64, x []float64)

//go:noescape
func prefetchAVX2(row []float64)

// prefetch asks the CPU to bring row into cache; it has no other effect.
// Plain PREFETCHT0 needs only SSE, but it rides with the AVX2 kernels.
func prefetch(row []float64) {
	if useAVX2 {
		prefetchAVX2(row)
	}
}

//go:noescape
func dotsInt8AVX2(dst []int32, codes []int8, q []int16)

// dotsInt8 sets dst[r] to the dot product of q and row r of codes (rows of
// len(q) values); len(q) must be a positive multiple of 16.
func dotsInt8(dst []int32, codes []int8, q []int16) {
	if useAVX2 {
		_ = codes[:len(dst)*len(q)]
		dotsInt8AVX2(dst, codes, q)
		return
	}
	dotsInt8Go(dst, codes, q)
}

// dot returns the dot product of a and b[:len(a)]; b must be at least as long
// as a.
func dot(a, b []float64) float64 {
	if useAVX2 {
		_ = b[:len(a)]
		return dotAVX2(a, b)
	}
	return dotGo(a, b)
}

// update does neu[i] += g*out[i], then out[i] += g*in[i], for i < len(neu).
func update(neu, out, in []float64, g float64) {
	if useAVX2 {
		_, _ = out[:len(neu)], in[:len(neu)]
		updateAVX2(neu, out, in, g)
		return
	}
	updateGo(neu, out, in, g)
}

// axpy does dst[i] += a*x[i] for i < len(dst).
func axpy(dst []float64, a float64, x []float64) {
	if useAVX2 {
		_ = x[:len(dst)]
		axpyAVX2(dst, a, x)
		return
	}
	axpyGo(dst, a, x)
}
