package model

// Small dense kernels of the native engine. Matrices are row-major
// float64 slices. The shapes that matter are tall and skinny: R (batch
// times steps) rows of at most a few dozen columns, times a small weight
// matrix that stays in L1.
//
// mulAdd, mulTAdd and colSumAdd (kernels_amd64.go, kernels_other.go) use AVX2/FMA
// assembly for products with 8 or 16 columns, DISCO's shapes, on CPUs that
// have it, and the plain-Go kernels here otherwise (and with the purego
// build tag). The plain-Go kernels keep 2x4 blocks of the result in
// registers. They use a separate multiply and add, not math.FMA: without
// GOAMD64=v3 every math.FMA carries a CPU-feature test, and measured here
// the plain form is about 35% faster. The two kinds round differently (an
// FMA rounds once), so results differ in the last bits between machines
// with and without AVX2; on one machine every product of a given shape
// takes the same path, whatever the number of workers.

// mulAddGo adds a b to c: c is r x n, a is r x k, b is k x n.
func mulAddGo(c, a, b []float64, r, k, n int) {
	c, a, b = c[:r*n], a[:r*k], b[:k*n]
	n4 := n &^ 3
	row := 0
	for ; row+2 <= r; row += 2 {
		a0 := a[row*k : row*k+k]
		a1 := a[(row+1)*k : (row+1)*k+k]
		c0 := c[row*n : row*n+n]
		c1 := c[(row+1)*n : (row+1)*n+n]
		for j := 0; j < n4; j += 4 {
			x0, x1, x2, x3 := c0[j], c0[j+1], c0[j+2], c0[j+3]
			y0, y1, y2, y3 := c1[j], c1[j+1], c1[j+2], c1[j+3]
			for i, av := range a0 {
				bv := b[i*n+j : i*n+j+4 : i*n+j+4]
				bw := a1[i]
				x0 = x0 + av*bv[0]
				x1 = x1 + av*bv[1]
				x2 = x2 + av*bv[2]
				x3 = x3 + av*bv[3]
				y0 = y0 + bw*bv[0]
				y1 = y1 + bw*bv[1]
				y2 = y2 + bw*bv[2]
				y3 = y3 + bw*bv[3]
			}
			c0[j], c0[j+1], c0[j+2], c0[j+3] = x0, x1, x2, x3
			c1[j], c1[j+1], c1[j+2], c1[j+3] = y0, y1, y2, y3
		}
		for j := n4; j < n; j++ {
			x, y := c0[j], c1[j]
			for i, av := range a0 {
				x = x + av*b[i*n+j]
				y = y + a1[i]*b[i*n+j]
			}
			c0[j], c1[j] = x, y
		}
	}
	for ; row < r; row++ {
		a0 := a[row*k : row*k+k]
		c0 := c[row*n : row*n+n]
		for j := range c0 {
			x := c0[j]
			for i, av := range a0 {
				x = x + av*b[i*n+j]
			}
			c0[j] = x
		}
	}
}

// mulTAddGo adds a^T b to c: c is k x n, a is r x k, b is r x n.
func mulTAddGo(c, a, b []float64, r, k, n int) {
	c, a, b = c[:k*n], a[:r*k], b[:r*n]
	const block = 128 // rows per pass, so that a and b stay in L1
	n4 := n &^ 3
	k2 := k &^ 1
	for r0 := 0; r0 < r; r0 += block {
		r1 := min(r0+block, r)
		for i := 0; i < k2; i += 2 {
			c0 := c[i*n : i*n+n]
			c1 := c[(i+1)*n : (i+1)*n+n]
			for j := 0; j < n4; j += 4 {
				x0, x1, x2, x3 := c0[j], c0[j+1], c0[j+2], c0[j+3]
				y0, y1, y2, y3 := c1[j], c1[j+1], c1[j+2], c1[j+3]
				for row := r0; row < r1; row++ {
					ar := a[row*k+i : row*k+i+2 : row*k+i+2]
					bv := b[row*n+j : row*n+j+4 : row*n+j+4]
					p, q := ar[0], ar[1]
					x0 = x0 + p*bv[0]
					x1 = x1 + p*bv[1]
					x2 = x2 + p*bv[2]
					x3 = x3 + p*bv[3]
					y0 = y0 + q*bv[0]
					y1 = y1 + q*bv[1]
					y2 = y2 + q*bv[2]
					y3 = y3 + q*bv[3]
				}
				c0[j], c0[j+1], c0[j+2], c0[j+3] = x0, x1, x2, x3
				c1[j], c1[j+1], c1[j+2], c1[j+3] = y0, y1, y2, y3
			}
			for j := n4; j < n; j++ {
				x, y := c0[j], c1[j]
				for row := r0; row < r1; row++ {
					x = x + a[row*k+i]*b[row*n+j]
					y = y + a[row*k+i+1]*b[row*n+j]
				}
				c0[j], c1[j] = x, y
			}
		}
		for i := k2; i < k; i++ {
			c0 := c[i*n : i*n+n]
			for j := range c0 {
				x := c0[j]
				for row := r0; row < r1; row++ {
					x = x + a[row*k+i]*b[row*n+j]
				}
				c0[j] = x
			}
		}
	}
}

// transpose sets dst (c x r) to the transpose of m (r x c).
func transpose(dst, m []float64, r, c int) {
	for i := range r {
		for j := range c {
			dst[j*r+i] = m[i*c+j]
		}
	}
}

// colSumAddGo adds the column sums of m (r x n) to dst (n).
func colSumAddGo(dst, m []float64, r, n int) {
	for row := range r {
		addTo(dst, m[row*n:row*n+n])
	}
}

// setRows sets every row of m (r x n) to v.
func setRows(m, v []float64, r, n int) {
	for row := range r {
		copy(m[row*n:row*n+n], v)
	}
}
