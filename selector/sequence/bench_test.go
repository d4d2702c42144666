package sequence

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkSolve orders n songs with disco-like costs and artist gap 3,
// at each effort, from the greedy start.
func BenchmarkSolve(b *testing.B) {
	for _, n := range []int{100, 500} {
		p := realProblem(rand.New(rand.NewPCG(uint64(n), 8)), n)
		p.ArtistGap = 3
		for _, e := range []Effort{Fast, Normal, Max} {
			b.Run(fmt.Sprintf("n=%d/%v", n, e), func(b *testing.B) {
				b.ReportAllocs()
				var cost float64
				for b.Loop() {
					_, cost = Solve(context.Background(), p, nil, Options{Effort: e, Seed: 1})
				}
				b.ReportMetric(cost/p.OrderCost(Greedy(p)), "cost/greedy")
			})
		}
	}
}

func BenchmarkExact(b *testing.B) {
	p := realProblem(rand.New(rand.NewPCG(12, 8)), MaxExact)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Exact(p); err != nil {
			b.Fatal(err)
		}
	}
}
