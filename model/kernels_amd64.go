//go:build amd64 && !purego

package model

import "golang.org/x/sys/cpu"

// useAVX2 reports whether the CPU and the operating system support AVX2 and
// FMA (golang.org/x/sys/cpu checks CPUID and that the OS saves YMM state).
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// kernelName names the matrix kernels in use: "avx2" or "go".
func kernelName() string {
	if useAVX2 {
		return "avx2"
	}
	return "go"
}

// The assembly kernels take pointers and counts; the Go wrappers check the
// slice bounds first. Every result element is its initial value plus the
// products in index order, each added by one FMA.

// mulAdd16AVX2 adds a b to c for n = 16: c is r x 16, a is r x k (k > 0),
// b is k x 16.
//
//go:noescape
func mulAdd16AVX2(c, a, b *float64, r, k int)

// mulAdd8AVX2 is mulAdd16AVX2 for n = 8.
//
//go:noescape
func mulAdd8AVX2(c, a, b *float64, r, k int)

// mulTAdd16AVX2 adds to rows i..i+m-1 of c (16 columns, starting at c) the
// products of columns i.. of a (starting at a, row stride k) with b
// (r x 16): c[q][j] += sum over rows of a[row][q] b[row][j], q < m, m = 1
// or 2.
//
//go:noescape
func mulTAdd16AVX2(c, a, b *float64, r, k, m int)

// mulTAdd8AVX2 is mulTAdd16AVX2 for 8 columns, with m = 1 or 4.
//
//go:noescape
func mulTAdd8AVX2(c, a, b *float64, r, k, m int)

// mulAdd adds a b to c: c is r x n, a is r x k, b is k x n.
func mulAdd(c, a, b []float64, r, k, n int) {
	if !useAVX2 || (n != 16 && n != 8) || r == 0 || k == 0 {
		mulAddGo(c, a, b, r, k, n)
		return
	}
	c, a, b = c[:r*n], a[:r*k], b[:k*n]
	if n == 16 {
		mulAdd16AVX2(&c[0], &a[0], &b[0], r, k)
	} else {
		mulAdd8AVX2(&c[0], &a[0], &b[0], r, k)
	}
}

// mulTAdd adds a^T b to c: c is k x n, a is r x k, b is r x n.
func mulTAdd(c, a, b []float64, r, k, n int) {
	if !useAVX2 || (n != 16 && n != 8) || r == 0 || k == 0 {
		mulTAddGo(c, a, b, r, k, n)
		return
	}
	c, a, b = c[:k*n], a[:r*k], b[:r*n]
	const block = 128 // rows per pass, so that a and b stay in L1
	m := 2
	if n == 8 {
		m = 4
	}
	for r0 := 0; r0 < r; r0 += block {
		rows := min(block, r-r0)
		i := 0
		for ; i+m <= k; i += m {
			if n == 16 {
				mulTAdd16AVX2(&c[i*n], &a[r0*k+i], &b[r0*n], rows, k, m)
			} else {
				mulTAdd8AVX2(&c[i*n], &a[r0*k+i], &b[r0*n], rows, k, m)
			}
		}
		for ; i < k; i++ {
			if n == 16 {
				mulTAdd16AVX2(&c[i*n], &a[r0*k+i], &b[r0*n], rows, k, 1)
			} else {
				mulTAdd8AVX2(&c[i*n], &a[r0*k+i], &b[r0*n], rows, k, 1)
			}
		}
	}
}

// one is the a operand of colSumAdd's kernel calls: read with a row stride
// of 0, it multiplies every row by 1.
var one = 1.0

// colSumAdd adds the column sums of m (r x n) to dst (n). The sums are
// the same, bit for bit, as colSumAddGo's: an FMA by 1 is an addition.
func colSumAdd(dst, m []float64, r, n int) {
	if !useAVX2 || (n != 16 && n != 8) || r == 0 {
		colSumAddGo(dst, m, r, n)
		return
	}
	dst, m = dst[:n], m[:r*n]
	if n == 16 {
		mulTAdd16AVX2(&dst[0], &one, &m[0], r, 0, 1)
	} else {
		mulTAdd8AVX2(&dst[0], &one, &m[0], r, 0, 1)
	}
}
