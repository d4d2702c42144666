package song2vec

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func randSlice(r *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = r.Float64()*2 - 1
	}
	return s
}

// TestKernels checks the kernels in use (assembly where the CPU allows)
// against the plain Go loops for every length up to 70, so that each
// unrolled block and tail is covered.
func TestKernels(t *testing.T) {
	t.Logf("kernels: %s", kernelName())
	r := rand.New(rand.NewPCG(1, 2))
	const tol = 1e-12
	for n := 0; n <= 70; n++ {
		t.Run(fmt.Sprint("n=", n), func(t *testing.T) {
			a, b := randSlice(r, n), randSlice(r, n+3) // b longer than a is allowed
			if got, want := dot(a, b), dotGo(a, b); math.Abs(got-want) > tol {
				t.Errorf("dot = %v, want %v", got, want)
			}
			neu, out, in := randSlice(r, n), randSlice(r, n), randSlice(r, n)
			neu2, out2 := append([]float64(nil), neu...), append([]float64(nil), out...)
			update(neu, out, in, 0.3)
			updateGo(neu2, out2, in, 0.3)
			for i := range neu {
				if math.Abs(neu[i]-neu2[i]) > tol || math.Abs(out[i]-out2[i]) > tol {
					t.Fatalf("update differs at %d: (%v, %v) want (%v, %v)", i, neu[i], out[i], neu2[i], out2[i])
				}
			}
			dst := randSlice(r, n)
			dst2 := append([]float64(nil), dst...)
			axpy(dst, -0.7, in)
			axpyGo(dst2, -0.7, in)
			for i := range dst {
				if math.Abs(dst[i]-dst2[i]) > tol {
					t.Fatalf("axpy differs at %d: %v want %v", i, dst[i], dst2[i])
				}
			}
		})
	}
}

func TestDotsInt8(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, d := range []int{16, 32, 64, 112} {
		for rows := 0; rows <= 9; rows++ {
			t.Run(fmt.Sprintf("dim=%d/rows=%d", d, rows), func(t *testing.T) {
				codes := make([]int8, rows*d)
				for i := range codes {
					codes[i] = int8(r.IntN(255) - 127)
				}
				q := make([]int16, d)
				for i := range q {
					q[i] = int16(r.IntN(255) - 127)
				}
				// Extremes too: the sums must not overflow.
				if rows > 0 {
					for j := range d {
						codes[j], q[j] = -127, -127
					}
				}
				got, want := make([]int32, rows), make([]int32, rows)
				dotsInt8(got, codes, q)
				dotsInt8Go(want, codes, q)
				if !slices.Equal(got, want) {
					t.Errorf("got %v, want %v", got, want)
				}
			})
		}
	}
}

var sinkFloat float64

func BenchmarkKernels(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{64, 100} {
		x, y, z := randSlice(r, n), randSlice(r, n), randSlice(r, n)
		b.Run(fmt.Sprintf("dot/%s/dim=%d", kernelName(), n), func(b *testing.B) {
			b.ReportAllocs()
			s := 0.0
			for b.Loop() {
				s += dot(x, y)
			}
			sinkFloat = s
		})
		b.Run(fmt.Sprintf("dot/go/dim=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			s := 0.0
			for b.Loop() {
				s += dotGo(x, y)
			}
			sinkFloat = s
		})
		b.Run(fmt.Sprintf("update/%s/dim=%d", kernelName(), n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				update(x, y, z, 1e-9)
			}
		})
		b.Run(fmt.Sprintf("update/go/dim=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				updateGo(x, y, z, 1e-9)
			}
		})
	}
}
