package sequence

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestDelta checks every kind of move's priced change against the cost
// recomputed from scratch, on problems with every part.
func TestDelta(t *testing.T) {
	kinds := []struct {
		name string
		k    kind
	}{
		{"plain", kind{}},
		{"position start", kind{position: true, start: true}},
		{"artist gap 3", kind{artist: true, gap: 3}},
		{"artist gap 5 inf", kind{artist: true, gap: 5, inf: true}},
		{"all", kind{fixed: true, position: true, start: true, inf: true, artist: true, gap: 4}},
	}
	for _, kc := range kinds {
		for _, n := range []int{2, 3, 5, 9, 20} {
			t.Run(fmt.Sprintf("%s/n=%d", kc.name, n), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(n), 2))
				p := randProblem(rng, n, kc.k)
				sr := newSearch(p, Greedy(p))
				sr.lists()
				if len(sr.movable) < 2 {
					return
				}
				var mv move
				for trial := 0; trial < 2000; trial++ {
					if !sr.random(rng, &mv) {
						continue
					}
					before := split(p, sr.o)
					d := sr.delta(&mv)
					sr.apply(&mv)
					after := split(p, sr.o)
					want := after.sub(before)
					if d.inf != want.inf || math.Abs(d.v-want.v) > 1e-9 {
						t.Fatalf("trial %d: move %+v priced %+v, recomputed %+v", trial, mv, d, want)
					}
					if !respectsFixed(p, sr.o) || !isPermutation(sr.o, n) {
						t.Fatalf("trial %d: move %+v broke the order %v", trial, mv, sr.o)
					}
				}
			})
		}
	}
}

// split is OrderCost as a total, term by term.
func split(p *Problem, order []int) total {
	var t total
	for k, s := range order {
		if k == 0 {
			if p.StartCost != nil {
				t.add(p.StartCost[s])
			}
		} else {
			t.add(p.Cost[order[k-1]*p.N+s])
		}
		if p.Position != nil {
			t.add(p.Position[k*p.N+s])
		}
	}
	t.v += p.artistCost(order)
	return t
}

func TestExp(t *testing.T) {
	for _, x := range []float64{0, -1e-9, -0.3, -0.5, -1, -2.7, -10, -39.9} {
		if got, want := exp(x), math.Exp(x); math.Abs(got-want) > 1e-14*want {
			t.Errorf("exp(%v) = %v, want %v", x, got, want)
		}
	}
	if exp(-41) != 0 {
		t.Errorf("exp(-41) = %v, want 0", exp(-41))
	}
}
