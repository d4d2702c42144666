//go:build amd64 && !purego

package song2vec

// useAVX2 reports whether the CPU and the operating system support AVX2 and
// FMA (CPUID leaves 1 and 7, and YMM state enabled in XCR0).
var useAVX2 = detectAVX2()

// kernelName names the kernels in use: "avx2" or "go".
func kernelName() string {
	if useAVX2 {
		return "avx2"
	}
	return "go"
}

func detectAVX2() bool {
	maxID, _, _, _ := cpuid(0, 0)
	if maxID < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const (
		fma     = 1 << 12
		osxsave = 1 << 27
		avx     = 1 << 28
	)
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0
}

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax, edx uint32)

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
