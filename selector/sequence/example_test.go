package sequence_test

import (
	"context"
	"fmt"
	"math"

	"github.com/discoflow/disco/selector/sequence"
)

// Four songs; song 0 must open, and 3 may never follow 1. The greedy
// order takes the cheap 0 -> 1 -> 2 and is left with the dear 2 -> 3.
func Example() {
	inf := math.Inf(1)
	p := &sequence.Problem{
		N: 4,
		Cost: []float64{
			0, 1, 4, 2,
			3, 0, 1, inf,
			2, 5, 0, 9,
			1, 1, 3, 0,
		},
		Fixed: []int{0, -1, -1, -1},
	}
	greedy := sequence.Greedy(p)
	exact, cost, err := sequence.Exact(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	order, solved := sequence.Solve(context.Background(), p, nil, sequence.Options{Seed: 1})
	fmt.Println("greedy", greedy, p.OrderCost(greedy))
	fmt.Println("exact ", exact, cost)
	fmt.Println("solve ", order, solved)
	// Output:
	// greedy [0 1 2 3] 11
	// exact  [0 3 1 2] 4
	// solve  [0 3 1 2] 4
}
