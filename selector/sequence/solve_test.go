package sequence

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestSolveOptimality is the goal: on 200 random sets of 10 songs
// with costs made like disco's, Solve at the default effort matches Exact
// in the median and is within 2% in the worst case.
func TestSolveOptimality(t *testing.T) {
	const sets, n = 200, 10
	rng := rand.New(rand.NewPCG(10, 200))
	gaps := make([]float64, sets)
	exactHits := 0
	for s := range sets {
		p := realProblem(rng, n)
		if s%2 == 1 {
			p.Fixed = slices.Repeat([]int{-1}, n)
			p.Fixed[0] = rng.IntN(n) // a locked first song, half the time
		}
		_, exact, err := Exact(p)
		if err != nil {
			t.Fatal(err)
		}
		order, cost := Solve(context.Background(), p, nil, Options{Seed: uint64(s)})
		if !isPermutation(order, n) || !respectsFixed(p, order) {
			t.Fatalf("set %d: bad order %v", s, order)
		}
		if cost < exact-1e-9*math.Abs(exact) {
			t.Fatalf("set %d: Solve %v below Exact %v", s, cost, exact)
		}
		gaps[s] = (cost - exact) / math.Abs(exact)
		if gaps[s] <= 1e-12 {
			exactHits++
		}
	}
	sort.Float64s(gaps)
	median, worst := (gaps[sets/2-1]+gaps[sets/2])/2, gaps[sets-1]
	t.Logf("Solve vs Exact on %d sets of %d songs: %d optimal, median gap %.3g%%, worst %.3g%%",
		sets, n, exactHits, 100*median, 100*worst)
	if median > 1e-12 {
		t.Errorf("median gap %.3g%%, want 0", 100*median)
	}
	if worst > 0.02 {
		t.Errorf("worst gap %.3g%%, want at most 2%%", 100*worst)
	}
}

func TestSolveDeterministic(t *testing.T) {
	for _, e := range []Effort{Fast, Normal, Max} {
		t.Run(e.String(), func(t *testing.T) {
			p := realProblem(rand.New(rand.NewPCG(7, 7)), 60)
			p.ArtistGap = 3
			opt := Options{Effort: e, Seed: 42}
			a, ca := Solve(context.Background(), p, nil, opt)
			b, cb := Solve(context.Background(), p, nil, opt)
			if !slices.Equal(a, b) || ca != cb {
				t.Errorf("same seed, two orders: %v (%v) and %v (%v)", a, ca, b, cb)
			}
		})
	}
}

func TestSolveFixed(t *testing.T) {
	for _, n := range []int{1, 2, 5, 13, 40} {
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(n), 3))
			for trial := range 5 {
				p := randProblem(rng, n, kind{fixed: true, position: true, artist: true, gap: 3})
				order, cost := Solve(context.Background(), p, nil, Options{Effort: Fast, Seed: uint64(trial)})
				if !isPermutation(order, n) || !respectsFixed(p, order) {
					t.Fatalf("trial %d: order %v, fixed %v", trial, order, p.Fixed)
				}
				if cost != p.OrderCost(order) {
					t.Fatalf("trial %d: cost %v, OrderCost %v", trial, cost, p.OrderCost(order))
				}
				if g := p.OrderCost(Greedy(p)); cost > g {
					t.Fatalf("trial %d: Solve %v worse than its greedy start %v", trial, cost, g)
				}
			}
		})
	}
}

// TestSolveAvoidsInf: most moves are forbidden, but a hidden path through
// all the songs is open, so a feasible order exists and Solve must find
// one, although the greedy start runs into a forbidden move.
func TestSolveAvoidsInf(t *testing.T) {
	tests := []struct {
		n    int
		open float64 // share of other moves left open
	}{{8, 0.2}, {30, 0.3}, {100, 0.2}}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("n=%d", tc.n), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(tc.n), 4))
			n := tc.n
			p := &Problem{N: n, Cost: make([]float64, n*n)}
			for i := range p.Cost {
				p.Cost[i] = math.Inf(1)
				if rng.Float64() < tc.open {
					p.Cost[i] = rng.Float64()
				}
			}
			hidden := rng.Perm(n)
			for k := 1; k < n; k++ {
				p.Cost[hidden[k-1]*n+hidden[k]] = 5 // open, but dear
			}
			order, cost := Solve(context.Background(), p, nil, Options{})
			if math.IsInf(cost, 1) {
				t.Fatalf("Solve gave %v, cost +Inf (greedy %v)", order, p.OrderCost(Greedy(p)))
			}
			t.Logf("greedy %v, Solve %v", p.OrderCost(Greedy(p)), cost)
		})
	}
}

func TestSolveCancelled(t *testing.T) {
	p := realProblem(rand.New(rand.NewPCG(5, 5)), 50)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := Greedy(p)
	order, cost := Solve(ctx, p, start, Options{Effort: Max})
	if !isPermutation(order, p.N) || cost > p.OrderCost(start) {
		t.Errorf("cancelled Solve: %v, cost %v, start %v", order, cost, p.OrderCost(start))
	}
}

func TestSolveStart(t *testing.T) {
	p := realProblem(rand.New(rand.NewPCG(6, 6)), 30)
	start := rand.New(rand.NewPCG(1, 1)).Perm(p.N)
	order, cost := Solve(context.Background(), p, start, Options{Effort: Fast})
	if !isPermutation(order, p.N) || cost > p.OrderCost(start) {
		t.Errorf("Solve from a shuffle: %v, cost %v, shuffle %v", order, cost, p.OrderCost(start))
	}
	for _, bad := range [][]int{{0, 1}, slices.Repeat([]int{0}, p.N)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("start %v: no panic", bad)
				}
			}()
			Solve(context.Background(), p, bad, Options{})
		}()
	}
}

func TestValidate(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	ok := func() *Problem { return &Problem{N: 3, Cost: make([]float64, 9)} }
	tests := []struct {
		name  string
		edit  func(p *Problem)
		field string
		index int
	}{
		{"valid", func(p *Problem) {}, "", 0},
		{"valid with everything", func(p *Problem) {
			p.Artist, p.ArtistGap, p.ArtistPenalty = []int32{0, -1, 0}, 3, 1
			p.Fixed, p.Position, p.StartCost = []int{-1, 2, -1}, make([]float64, 9), make([]float64, 3)
			p.Cost[1], p.Position[4], p.StartCost[2] = inf, inf, inf
		}, "", 0},
		{"NaN on the diagonal is ignored", func(p *Problem) { p.Cost[4] = nan }, "", 0},
		{"negative N", func(p *Problem) { p.N = -1 }, "N", -1},
		{"short Cost", func(p *Problem) { p.Cost = p.Cost[:8] }, "Cost", -1},
		{"NaN cost", func(p *Problem) { p.Cost[5] = nan }, "Cost", 5},
		{"-Inf cost", func(p *Problem) { p.Cost[1] = -inf }, "Cost", 1},
		{"short Artist", func(p *Problem) { p.Artist = []int32{1} }, "Artist", -1},
		{"negative gap", func(p *Problem) { p.ArtistGap = -2 }, "ArtistGap", -1},
		{"negative penalty", func(p *Problem) { p.ArtistPenalty = -1 }, "ArtistPenalty", -1},
		{"infinite penalty", func(p *Problem) { p.ArtistPenalty = inf }, "ArtistPenalty", -1},
		{"long Fixed", func(p *Problem) { p.Fixed = []int{-1, -1, -1, -1} }, "Fixed", -1},
		{"Fixed out of range", func(p *Problem) { p.Fixed = []int{-1, 3, -1} }, "Fixed", 1},
		{"Fixed below -1", func(p *Problem) { p.Fixed = []int{-2, -1, -1} }, "Fixed", 0},
		{"song fixed twice", func(p *Problem) { p.Fixed = []int{1, -1, 1} }, "Fixed", 2},
		{"short Position", func(p *Problem) { p.Position = make([]float64, 3) }, "Position", -1},
		{"NaN Position", func(p *Problem) { p.Position = make([]float64, 9); p.Position[7] = nan }, "Position", 7},
		{"short StartCost", func(p *Problem) { p.StartCost = make([]float64, 2) }, "StartCost", -1},
		{"-Inf StartCost", func(p *Problem) { p.StartCost = []float64{0, -inf, 0} }, "StartCost", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := ok()
			tc.edit(p)
			err := p.Validate()
			if tc.field == "" {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != tc.field || ve.Index != tc.index {
				t.Errorf("Validate() = %v, want a fault in %s[%d]", err, tc.field, tc.index)
			}
		})
	}
}

func TestOrderCost(t *testing.T) {
	p := &Problem{
		N:    3,
		Cost: []float64{0, 1, 2, 3, 0, 4, 5, 6, 0},
		// songs 0 and 2 share an artist
		Artist: []int32{7, -1, 7}, ArtistGap: 3, ArtistPenalty: 10,
		Position:  []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9},
		StartCost: []float64{100, 200, 300},
	}
	tests := []struct {
		order []int
		want  float64
	}{
		{[]int{}, 0},
		{[]int{0, 1, 2}, 100 + 1 + 4 + 0.1 + 0.5 + 0.9 + 10},
		{[]int{1, 0, 2}, 200 + 3 + 2 + 0.2 + 0.4 + 0.9 + 10},
		{[]int{0, 2, 1}, 100 + 2 + 6 + 0.1 + 0.6 + 0.8 + 10},
	}
	for _, tc := range tests {
		if got := p.OrderCost(tc.order); !near(got, tc.want) {
			t.Errorf("OrderCost(%v) = %v, want %v", tc.order, got, tc.want)
		}
	}
	p.ArtistGap = 2 // 0 and 2 apart by 2: no longer a pair
	if got, want := p.OrderCost([]int{0, 1, 2}), 100+1+4+0.1+0.5+0.9; !near(got, want) {
		t.Errorf("gap 2: OrderCost = %v, want %v", got, want)
	}
}

func TestParseEffort(t *testing.T) {
	tests := []struct {
		in   string
		want Effort
		ok   bool
	}{{"fast", Fast, true}, {"normal", Normal, true}, {"", Normal, true}, {"max", Max, true}, {"Max", Normal, false}, {"slow", Normal, false}}
	for _, tc := range tests {
		got, err := ParseEffort(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseEffort(%q) = %v, %v", tc.in, got, err)
		}
		if tc.ok && tc.in != "" && got.String() != tc.in {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), tc.in)
		}
	}
}

// FuzzSolve: on small random problems, Solve returns a permutation with
// the Fixed songs in place, and its cost is OrderCost of that order.
func FuzzSolve(f *testing.F) {
	f.Add(uint64(1), uint8(5), uint8(0xff), uint16(300))
	f.Add(uint64(2), uint8(9), uint8(0x13), uint16(1))
	f.Add(uint64(3), uint8(1), uint8(0), uint16(0))
	f.Fuzz(func(t *testing.T, seed uint64, n, flags uint8, iters uint16) {
		rng := rand.New(rand.NewPCG(seed, 9))
		k := kind{fixed: flags&1 != 0, position: flags&2 != 0, start: flags&4 != 0, inf: flags&8 != 0, artist: flags&16 != 0, gap: int(flags>>5) + 1}
		p := randProblem(rng, int(n%10), k)
		order, cost := Solve(context.Background(), p, nil, Options{Effort: Effort(flags % 3), Seed: seed, Iterations: int(iters)})
		if !isPermutation(order, p.N) || !respectsFixed(p, order) {
			t.Fatalf("order %v, fixed %v", order, p.Fixed)
		}
		if c := p.OrderCost(order); cost != c && !(math.IsNaN(cost) && math.IsNaN(c)) {
			t.Fatalf("cost %v, OrderCost %v", cost, c)
		}
	})
}
