package sequence

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestExactBruteForce(t *testing.T) {
	kinds := []struct {
		name string
		k    kind
	}{
		{"plain", kind{}},
		{"fixed", kind{fixed: true}},
		{"position", kind{position: true}},
		{"start", kind{start: true}},
		{"inf", kind{inf: true}},
		{"artist gap 2", kind{artist: true, gap: 2}},
		{"all", kind{fixed: true, position: true, start: true, inf: true, artist: true, gap: 2}},
	}
	for _, kc := range kinds {
		for n := 0; n <= 8; n++ {
			t.Run(fmt.Sprintf("%s/n=%d", kc.name, n), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(n), 1))
				for trial := range 6 {
					p := randProblem(rng, n, kc.k)
					_, want := bruteForce(p)
					got, cost, err := Exact(p)
					if math.IsInf(want, 1) {
						if !errors.Is(err, ErrInfeasible) {
							t.Fatalf("trial %d: no feasible order, Exact gave %v, %v, %v", trial, got, cost, err)
						}
						continue
					}
					if err != nil {
						t.Fatalf("trial %d: %v", trial, err)
					}
					if !isPermutation(got, n) || !respectsFixed(p, got) {
						t.Fatalf("trial %d: bad order %v (fixed %v)", trial, got, p.Fixed)
					}
					if cost != p.OrderCost(got) || !near(cost, want) {
						t.Fatalf("trial %d: Exact %v cost %v (OrderCost %v), brute force %v", trial, got, cost, p.OrderCost(got), want)
					}
				}
			})
		}
	}
}

func respectsFixed(p *Problem, order []int) bool {
	for pos, s := range p.Fixed {
		if s >= 0 && order[pos] != s {
			return false
		}
	}
	return true
}

func TestExactTies(t *testing.T) {
	tests := []struct {
		name string
		p    *Problem
		want []int
	}{
		{"all equal", &Problem{N: 4, Cost: make([]float64, 16)}, []int{0, 1, 2, 3}},
		{"fixed last", &Problem{N: 4, Cost: make([]float64, 16), Fixed: []int{-1, -1, -1, 0}}, []int{1, 2, 3, 0}},
		{"one cheap move", &Problem{N: 3, Cost: []float64{0, 1, 1, 1, 0, 1, 1, 0.5, 0}}, []int{0, 2, 1}},
		{"single", &Problem{N: 1, Cost: []float64{7}}, []int{0}},
		{"empty", &Problem{}, []int{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := Exact(tc.p)
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("Exact = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestExactErrors(t *testing.T) {
	big := &Problem{N: MaxExact + 1, Cost: make([]float64, (MaxExact+1)*(MaxExact+1))}
	if _, _, err := Exact(big); !errors.Is(err, ErrTooLarge) {
		t.Errorf("N = %d: err %v, want ErrTooLarge", big.N, err)
	}
	inf := math.Inf(1)
	blocked := &Problem{N: 3, Cost: []float64{0, inf, inf, inf, 0, inf, inf, inf, 0}}
	if _, _, err := Exact(blocked); !errors.Is(err, ErrInfeasible) {
		t.Errorf("all moves forbidden: err %v, want ErrInfeasible", err)
	}
	var ve *ValidationError
	if _, _, err := Exact(&Problem{N: 2}); !errors.As(err, &ve) {
		t.Errorf("invalid problem: err %v, want a *ValidationError", err)
	}
}
