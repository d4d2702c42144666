package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func randSlice(rng *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = rng.NormFloat64()
	}
	return s
}

// checkKernel compares got with want element by element, to 1e-12 of the
// sum of the absolute values of the terms (the initial value and every
// product), and checks that the guard elements past the result are intact.
func checkKernel(t *testing.T, got, want, scale []float64, size int) {
	t.Helper()
	for i := range got {
		if i >= size {
			if got[i] != want[i] {
				t.Fatalf("element %d past the result changed: %v, want %v", i, got[i], want[i])
			}
			continue
		}
		if d := math.Abs(got[i] - want[i]); d > 1e-12*scale[i] || math.IsNaN(got[i]) {
			t.Fatalf("element %d = %v, want %v (diff %g, scale %g)", i, got[i], want[i], d, scale[i])
		}
	}
}

// TestKernelsAgree holds mulAdd and mulTAdd, whatever kernels they use
// (kernelName), to the plain-Go kernels on random inputs of awkward sizes.
func TestKernelsAgree(t *testing.T) {
	t.Logf("kernels: %s", kernelName())
	rng := rand.New(rand.NewPCG(7, 8))
	const guard = 5
	for _, r := range []int{1, 2, 3, 4, 5, 7, 31, 127, 128, 129, 301} {
		for _, k := range []int{1, 2, 3, 5, 8, 9, 16, 17} {
			for _, n := range []int{3, 4, 8, 9, 16} {
				t.Run(fmt.Sprintf("mulAdd/r=%d/k=%d/n=%d", r, k, n), func(t *testing.T) {
					a, b := randSlice(rng, r*k), randSlice(rng, k*n)
					c := randSlice(rng, r*n+guard)
					want := append([]float64(nil), c...)
					mulAddGo(want, a, b, r, k, n)
					got := append([]float64(nil), c...)
					mulAdd(got, a, b, r, k, n)
					scale := make([]float64, r*n)
					for i := range r {
						for j := range n {
							s := math.Abs(c[i*n+j])
							for q := range k {
								s += math.Abs(a[i*k+q] * b[q*n+j])
							}
							scale[i*n+j] = s
						}
					}
					checkKernel(t, got, want, scale, r*n)
				})
				t.Run(fmt.Sprintf("mulTAdd/r=%d/k=%d/n=%d", r, k, n), func(t *testing.T) {
					a, b := randSlice(rng, r*k), randSlice(rng, r*n)
					c := randSlice(rng, k*n+guard)
					want := append([]float64(nil), c...)
					mulTAddGo(want, a, b, r, k, n)
					got := append([]float64(nil), c...)
					mulTAdd(got, a, b, r, k, n)
					scale := make([]float64, k*n)
					for i := range k {
						for j := range n {
							s := math.Abs(c[i*n+j])
							for row := range r {
								s += math.Abs(a[row*k+i] * b[row*n+j])
							}
							scale[i*n+j] = s
						}
					}
					checkKernel(t, got, want, scale, k*n)
				})
			}
		}
	}
}

// TestColSumAdd holds colSumAdd to colSumAddGo, bit for bit.
func TestColSumAdd(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, r := range []int{1, 2, 5, 129, 1000} {
		for _, n := range []int{3, 8, 16} {
			m := randSlice(rng, r*n)
			dst := randSlice(rng, n+3)
			want := append([]float64(nil), dst...)
			colSumAddGo(want[:n], m, r, n)
			got := append([]float64(nil), dst...)
			colSumAdd(got[:n], m, r, n)
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("r=%d n=%d: element %d = %v, want %v", r, n, i, got[i], want[i])
				}
			}
		}
	}
}

// TestKernelRowsIndependent checks that a row's result does not depend on
// the rows around it (on which block of rows it was computed in): the
// property that makes training bit-identical with any number of workers.
func TestKernelRowsIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{8, 16} {
		const r, k = 7, 16
		a, b, c := randSlice(rng, r*k), randSlice(rng, k*n), randSlice(rng, r*n)
		all := append([]float64(nil), c...)
		mulAdd(all, a, b, r, k, n)
		for row := range r {
			one := append([]float64(nil), c[row*n:(row+1)*n]...)
			mulAdd(one, a[row*k:(row+1)*k], b, 1, k, n)
			for j := range one {
				if one[j] != all[row*n+j] {
					t.Fatalf("n=%d row %d col %d: alone %v, in a block %v", n, row, j, one[j], all[row*n+j])
				}
			}
		}
	}
}

// BenchmarkKernels times each kernel, on the shapes of DISCO's network
// (batch chunk of 32 sequences of 50 steps), with the kernels in use and
// the plain-Go ones.
func BenchmarkKernels(b *testing.B) {
	const R = 32 * 50
	type kernel func(c, a, b []float64, r, k, n int)
	impls := []struct {
		name   string
		mul    kernel
		mulT   kernel
		enable bool
	}{
		{kernelName(), mulAdd, mulTAdd, true},
		{"go", mulAddGo, mulTAddGo, kernelName() != "go"},
	}
	shapes := []struct {
		name       string
		r, k, n    int
		transposed bool
	}{
		{"mulAdd/input", R, 9, 16, false},
		{"mulAdd/step", 32, 16, 16, false},
		{"mulAdd/output", R, 16, 8, false},
		{"mulAdd/outputBack", R, 8, 16, false},
		{"mulTAdd/W0", R, 9, 16, true},
		{"mulTAdd/U", R, 16, 16, true},
		{"mulTAdd/Wout", R, 16, 8, true},
	}
	b.Run("colSumAdd/"+kernelName(), func(b *testing.B) {
		rng := rand.New(rand.NewPCG(1, 2))
		m, dst := randSlice(rng, R*16), make([]float64, 16)
		b.ReportAllocs()
		for b.Loop() {
			colSumAdd(dst, m, R, 16)
		}
	})
	b.Run("colSumAdd/go", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(1, 2))
		m, dst := randSlice(rng, R*16), make([]float64, 16)
		b.ReportAllocs()
		for b.Loop() {
			colSumAddGo(dst, m, R, 16)
		}
	})
	for _, im := range impls {
		if !im.enable {
			continue
		}
		for _, s := range shapes {
			b.Run(s.name+"/"+im.name, func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 2))
				var x, y, c []float64
				f := im.mul
				if s.transposed {
					x, y, c = randSlice(rng, s.r*s.k), randSlice(rng, s.r*s.n), randSlice(rng, s.k*s.n)
					f = im.mulT
				} else {
					x, y, c = randSlice(rng, s.r*s.k), randSlice(rng, s.k*s.n), randSlice(rng, s.r*s.n)
				}
				b.ReportAllocs()
				for b.Loop() {
					f(c, x, y, s.r, s.k, s.n)
				}
				b.ReportMetric(2*float64(s.r*s.k*s.n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
