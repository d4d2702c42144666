package model

import (
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestGorgoniaRuns guards against the start-up panic of old
// go4.org/unsafe/assume-no-moving-gc versions on new Go runtimes: it builds
// and runs a tiny graph, and checks its value and gradient.
func TestGorgoniaRuns(t *testing.T) {
	g := G.NewGraph()
	w := G.NewMatrix(g, tensor.Float64, G.WithShape(1, 2), G.WithName("w"),
		G.WithValue(tensor.New(tensor.WithShape(1, 2), tensor.WithBacking([]float64{2, 3}))))
	x := G.NewMatrix(g, tensor.Float64, G.WithShape(2, 1), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithShape(2, 1), tensor.WithBacking([]float64{5, 7}))))
	y := G.Must(G.Sum(G.Must(G.Mul(w, x))))
	if _, err := G.Grad(y, w); err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	if got := y.Value().Data().(float64); got != 31 {
		t.Fatalf("w·x = %v, want 31", got)
	}
	gw, err := w.Grad()
	if err != nil {
		t.Fatal(err)
	}
	if got := gw.Data().([]float64); got[0] != 5 || got[1] != 7 {
		t.Fatalf("dy/dw = %v, want [5 7]", got)
	}
}
