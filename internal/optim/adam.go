// Package optim holds disco's optimisers: Adam as in Keras, with decoupled
// weight decay (AdamW), which the flow model (package model) and the
// taste model (model/taste) both step with; and Brent's scalar
// minimisation as SciPy does it, which fits the Yeo-Johnson lambdas of
// model/scale.
package optim

import "math"

// Adam is Adam as in Keras: beta1 0.9, beta2 0.999, epsilon 1e-7, the
// bias correction folded into the step size. Decay, when above 0, is the
// decoupled weight decay per step (AdamW): every weight shrinks by
// Decay·w after the Adam step.
type Adam struct {
	LR    float64
	Decay float64
	m, v  []float64
	t     int
}

// NewAdam returns Adam with step size lr for n weights.
func NewAdam(n int, lr float64) Adam {
	return Adam{LR: lr, m: make([]float64, n), v: make([]float64, n)}
}

// Step takes one step on the weights w with the gradient g (len(g) ≥
// len(w); at most the n weights NewAdam was given).
func (a *Adam) Step(w, g []float64) {
	const b1, b2, eps = 0.9, 0.999, 1e-7
	a.t++
	lr := a.LR * math.Sqrt(1-math.Pow(b2, float64(a.t))) / (1 - math.Pow(b1, float64(a.t)))
	m, v := a.m[:len(w)], a.v[:len(w)]
	g = g[:len(w)]
	for i := range w {
		m[i] = b1*m[i] + (1-b1)*g[i]
		v[i] = b2*v[i] + (1-b2)*g[i]*g[i]
		w[i] -= lr * m[i] / (math.Sqrt(v[i]) + eps)
	}
	if a.Decay > 0 {
		for i := range w {
			w[i] -= a.Decay * w[i]
		}
	}
}
