package song2vec

// The training and search loops spend nearly all their time in three
// operations on rows of Dim float64s: a dot product, the fused skip-gram
// update (neu += g*out; out += g*in) and an axpy; Nearest's first pass in a
// fourth, dot products of an int16 query with rows of int8 codes. On amd64 CPUs with AVX2
// and FMA they run in assembly (kernel_amd64.s); elsewhere, or when built
// with the purego tag, in the plain Go loops below. Both are exercised by
// the tests, which compare them element by element.

// dotGo returns the dot product of a and b[:len(a)].
func dotGo(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// updateGo does neu[i] += g*out[i], then out[i] += g*in[i], for i < len(neu).
func updateGo(neu, out, in []float64, g float64) {
	out = out[:len(neu)]
	in = in[:len(neu)]
	for i := range neu {
		o := out[i]
		neu[i] += g * o
		out[i] = o + g*in[i]
	}
}

// axpyGo does dst[i] += a*x[i] for i < len(dst).
func axpyGo(dst []float64, a float64, x []float64) {
	x = x[:len(dst)]
	for i := range dst {
		dst[i] += a * x[i]
	}
}

// dotsInt8Go sets dst[r] to the dot product of q and row r of codes.
func dotsInt8Go(dst []int32, codes []int8, q []int16) {
	d := len(q)
	for r := range dst {
		row := codes[r*d : r*d+d]
		var s int32
		for j, c := range row {
			s += int32(q[j]) * int32(c)
		}
		dst[r] = s
	}
}
