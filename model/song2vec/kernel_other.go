//go:build !amd64 || purego

package song2vec

// kernelName names the kernels in use.
func kernelName() string { return "go" }

func dot(a, b []float64) float64                 { return dotGo(a, b) }
func update(neu, out, in []float64, g float64)   { updateGo(neu, out, in, g) }
func axpy(dst []float64, a float64, x []float64) { axpyGo(dst, a, x) }

func dotsInt8(dst []int32, codes []int8, q []int16) { dotsInt8Go(dst, codes, q) }

func prefetch([]float64) {}
