package theory

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestTempoSimSamples(t *testing.T) {
	// DISCO.md's sample values, to two decimals.
	tests := []struct {
		ratio, want float64
	}{
		{1, 1},
		{1.03, 0.96},
		{1.06, 0.86},
		{1.1, 0.65},
		{1.2, -0.08},
		{math.Sqrt2, -1},
		{2, 1},
		{0.5, 1},
		{4, 1},
	}
	for _, tt := range tests {
		for _, base := range []float64{60, 100, 128, 174} {
			t.Run(fmt.Sprintf("%g*%g", base, tt.ratio), func(t *testing.T) {
				got := TempoSim(base, base*tt.ratio)
				if math.Abs(got-tt.want) > 0.005 {
					t.Errorf("TempoSim(%g, %g) = %.4f, want %.2f", base, base*tt.ratio, got, tt.want)
				}
				if back := TempoSim(base*tt.ratio, base); math.Abs(back-got) > 1e-12 {
					t.Errorf("not symmetric: %v vs %v", got, back)
				}
			})
		}
	}
}

// TestTempoSimFormula compares with DISCO's formula taken literally, on
// tempos where the literal formula is well behaved.
func TestTempoSimFormula(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		t1, t2 := 40+rng.Float64()*200, 40+rng.Float64()*200
		want := math.Cos(2 * math.Pi * math.Log2(t1/t2))
		if got := TempoSim(t1, t2); math.Abs(got-want) > 1e-9 {
			t.Fatalf("TempoSim(%v, %v) = %v, formula gives %v", t1, t2, got, want)
		}
	}
}

var badTempos = []float64{0, -120, math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1)}

func TestTempoUnknown(t *testing.T) {
	for _, bad := range badTempos {
		for _, pair := range [][2]float64{{bad, 120}, {120, bad}, {bad, bad}} {
			name := fmt.Sprintf("%v,%v", pair[0], pair[1])
			t.Run(name, func(t *testing.T) {
				if s := TempoSim(pair[0], pair[1]); s != Neutral || math.IsNaN(s) {
					t.Errorf("TempoSim = %v, want Neutral", s)
				}
				if r := TempoRatio(pair[0], pair[1]); !math.IsNaN(r) {
					t.Errorf("TempoRatio = %v, want NaN", r)
				}
				if TempoCompatible(pair[0], pair[1], 1) {
					t.Errorf("TempoCompatible = true, want false")
				}
			})
		}
	}
}

// TestTempoExtremes checks that no finite positive tempo, however extreme,
// gives NaN or leaves the documented ranges.
func TestTempoExtremes(t *testing.T) {
	values := []float64{math.SmallestNonzeroFloat64, 1e-300, 1e-10, 0.5, 1, 120, 1e10, 1e300, math.MaxFloat64}
	for _, a := range values {
		for _, b := range values {
			s := TempoSim(a, b)
			r := TempoRatio(a, b)
			if math.IsNaN(s) || s < -1 || s > 1 {
				t.Errorf("TempoSim(%g, %g) = %v", a, b, s)
			}
			if math.IsNaN(r) || r < math.Sqrt2/2 || r >= math.Sqrt2 {
				t.Errorf("TempoRatio(%g, %g) = %v, out of [sqrt2/2, sqrt2)", a, b, r)
			}
		}
	}
}

func TestTempoRatio(t *testing.T) {
	tests := []struct {
		t1, t2, want float64
	}{
		{100, 100, 1},
		{100, 106, 1.06},
		{100, 94, 0.94},
		{100, 50, 1},
		{100, 200, 1},
		{100, 206, 1.03},
		{100, 51.5, 1.03},
		{100, 141, 1.41},
		{100, 142, 0.71},
		{100, 71, 0.71},
		{100, 70, 1.4},
		{128, 128 * math.Sqrt2, math.Sqrt2 / 2},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%g->%g", tt.t1, tt.t2), func(t *testing.T) {
			if got := TempoRatio(tt.t1, tt.t2); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("TempoRatio(%g, %g) = %v, want %v", tt.t1, tt.t2, got, tt.want)
			}
		})
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		t1, t2 := math.Exp(rng.NormFloat64()*3), math.Exp(rng.NormFloat64()*3)
		r := TempoRatio(t1, t2)
		if r < math.Sqrt2/2 || r >= math.Sqrt2 {
			t.Fatalf("TempoRatio(%v, %v) = %v, out of [sqrt2/2, sqrt2)", t1, t2, r)
		}
		// r differs from t2/t1 by a whole number of octaves.
		oct := math.Log2(t2/t1) - math.Log2(r)
		if math.Abs(oct-math.Round(oct)) > 1e-9 {
			t.Fatalf("TempoRatio(%v, %v) = %v is not t2/t1 folded by octaves", t1, t2, r)
		}
	}
}

func TestTempoCompatible(t *testing.T) {
	tests := []struct {
		t1, t2, tol float64
		want        bool
	}{
		{120, 120, DefaultTempoTolerance, true},
		{100, 106, DefaultTempoTolerance, true},
		{100, 94, DefaultTempoTolerance, true},
		{94, 100, DefaultTempoTolerance, false}, // 6.4% up
		{100, 107, DefaultTempoTolerance, false},
		{100, 93, DefaultTempoTolerance, false},
		{100, 212, DefaultTempoTolerance, true}, // double time, +6%
		{120, 60, DefaultTempoTolerance, true},
		{170, 87, DefaultTempoTolerance, true},
		{128, 100, DefaultTempoTolerance, false},
		{100, 106, 0.05, false},
		{100, 105, 0.05, true},
		{100, 100, 0, true},
		{100, 100.5, 0, false},
		{100, 100, -0.01, false},
		{100, 100, math.NaN(), false},
		{100, 140, math.Inf(1), true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%g->%g@%g", tt.t1, tt.t2, tt.tol), func(t *testing.T) {
			if got := TempoCompatible(tt.t1, tt.t2, tt.tol); got != tt.want {
				t.Errorf("TempoCompatible(%g, %g, %g) = %v, want %v", tt.t1, tt.t2, tt.tol, got, tt.want)
			}
		})
	}
}
