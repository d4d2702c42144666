//go:build !amd64 || purego

package model

// kernelName names the matrix kernels in use.
func kernelName() string { return "go" }

// mulAdd adds a b to c: c is r x n, a is r x k, b is k x n.
func mulAdd(c, a, b []float64, r, k, n int) { mulAddGo(c, a, b, r, k, n) }

// mulTAdd adds a^T b to c: c is k x n, a is r x k, b is r x n.
func mulTAdd(c, a, b []float64, r, k, n int) { mulTAddGo(c, a, b, r, k, n) }

// colSumAdd adds the column sums of m (r x n) to dst (n).
func colSumAdd(dst, m []float64, r, n int) { colSumAddGo(dst, m, r, n) }
