package optim

import (
	"math"
	"testing"
)

func TestBrentMin(t *testing.T) {
	for _, c := range []struct {
		name   string
		f      func(float64) float64
		xa, xb float64
		want   float64
	}{
		{"parabola", func(x float64) float64 { return (x - 1.5) * (x - 1.5) }, -2, 2, 1.5},
		{"minimum outside the start", func(x float64) float64 { return (x + 7) * (x + 7) }, -2, 2, -7},
		{"cosh", func(x float64) float64 { return math.Cosh(x - 0.25) }, 0, 1, 0.25},
		{"+Inf beyond a wall", func(x float64) float64 {
			if x > 3 {
				return math.Inf(1)
			}
			return (x - 2.5) * (x - 2.5)
		}, -2, 2, 2.5},
	} {
		x, ok := BrentMin(c.f, c.xa, c.xb)
		if !ok || math.Abs(x-c.want) > 1e-7 {
			t.Errorf("%s: BrentMin = %v, %v; want %v", c.name, x, ok, c.want)
		}
	}
}
