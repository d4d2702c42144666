package optim

import (
	"math"
	"testing"
)

// TestAdamWeightDecay: with a zero gradient, a step of decoupled weight
// decay shrinks every weight by lr*decay, and none without it.
func TestAdamWeightDecay(t *testing.T) {
	for _, tc := range []struct {
		name  string
		decay float64
		want  float64
	}{
		{"none", 0, 2},
		{"0.1", 0.1, 2 * (1 - 0.01*0.1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := NewAdam(3, 0.01)
			a.Decay = 0.01 * tc.decay
			w := []float64{2, 2, 2}
			a.Step(w, []float64{0, 0, 0})
			for i, v := range w {
				if math.Abs(v-tc.want) > 1e-15 {
					t.Errorf("w[%d] = %.17g, want %.17g", i, v, tc.want)
				}
			}
		})
	}
}

// TestAdamFirstStep: Adam's first step moves each weight by about lr
// against its gradient's sign, whatever the gradient's size.
func TestAdamFirstStep(t *testing.T) {
	a := NewAdam(3, 0.01)
	w := []float64{1, 1, 1}
	a.Step(w, []float64{5, -0.1, 0})
	for i, want := range []float64{0.99, 1.01, 1} {
		if math.Abs(w[i]-want) > 1e-6 {
			t.Errorf("w[%d] = %.9f, want %.9f", i, w[i], want)
		}
	}
}
