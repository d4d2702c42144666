package sequence

import (
	"context"
	"fmt"
	"math/rand/v2"
)

// Effort trades time for cost in Solve. The zero value is Normal.
type Effort int

// Efforts, from quickest to best.
const (
	Normal Effort = iota // the default
	Fast
	Max
)

// String returns "fast", "normal" or "max".
func (e Effort) String() string {
	switch e {
	case Fast:
		return "fast"
	case Normal:
		return "normal"
	case Max:
		return "max"
	}
	return fmt.Sprintf("Effort(%d)", int(e))
}

// ParseEffort parses "fast", "normal" or "max"; "" is Normal.
func ParseEffort(s string) (Effort, error) {
	switch s {
	case "fast":
		return Fast, nil
	case "normal", "":
		return Normal, nil
	case "max":
		return Max, nil
	}
	return Normal, fmt.Errorf("sequence: unknown effort %q (want fast, normal or max)", s)
}

// Options sets Solve's search. The zero value is Normal effort with seed 0.
type Options struct {
	Effort Effort
	// Seed seeds the PCG source of the annealing: the same problem, start
	// and seed give the same order on every machine; different seeds may
	// give different orders (of equal or different cost).
	Seed uint64
	// Iterations is the number of annealing steps per round; 0 takes it
	// from Effort (see the package documentation).
	Iterations int
}

// schedule returns the annealing steps per round and the number of rounds.
func (opt Options) schedule(n int) (iters, rounds int) {
	switch opt.Effort {
	case Fast:
		iters, rounds = 200*n+5000, 1
	case Max:
		iters, rounds = 2000*n+40000, 4
	default:
		iters, rounds = 1000*n+20000, 1
	}
	if opt.Iterations > 0 {
		iters = opt.Iterations
	}
	return iters, rounds
}

// Solve improves the order start of p's songs (nil: Greedy(p)) by local
// search and returns the best order it finds and its cost, p.OrderCost of
// the order. It never returns an order costlier than start.
//
// The search is simulated annealing over three moves (2-opt: reverse a
// segment; or-opt: move a block of 1 to 3 songs elsewhere, possibly
// reversed; swap two songs), most of them guided by candidate lists of
// cheap transitions, then a descent over the same moves until none
// improves; see the package documentation for their cost. At Max it
// anneals four rounds, each from the best so far.
// Fixed songs never move. A forbidden (+Inf) step is left only when no
// feasible order was found (then the cost is +Inf).
//
// Solve is deterministic: no clock is read, and the randomness comes from
// a PCG source seeded with opt.Seed. When ctx is cancelled it stops within
// a few thousand steps and returns the best order so far; ctx nil is
// context.Background. It panics if p.Validate reports an error or start is
// not a permutation of 0..N-1 with Fixed songs in place.
func Solve(ctx context.Context, p *Problem, start []int, opt Options) ([]int, float64) {
	mustValid(p)
	if ctx == nil {
		ctx = context.Background()
	}
	if start == nil {
		start = Greedy(p)
	} else if err := p.checkOrder(start); err != nil {
		panic(err)
	}
	n := p.N
	sr := newSearch(p, start)
	if len(sr.movable) >= 2 {
		sr.lists()
		iters, rounds := opt.schedule(n)
		rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed_d15c0))
		for r := 0; r < rounds && ctx.Err() == nil; r++ {
			if r > 0 {
				sr.reset(sr.best)
			}
			sr.anneal(ctx, rng, iters)
			sr.reset(sr.best)
			sr.descend(ctx)
		}
	}
	order := append([]int(nil), sr.best...)
	return order, p.OrderCost(order)
}

// checkOrder reports whether order is a permutation respecting Fixed.
func (p *Problem) checkOrder(order []int) error {
	if len(order) != p.N {
		return fmt.Errorf("sequence: start has %d songs, want %d", len(order), p.N)
	}
	seen := make([]bool, p.N)
	for pos, s := range order {
		if s < 0 || s >= p.N || seen[s] {
			return fmt.Errorf("sequence: start is not a permutation (position %d: song %d)", pos, s)
		}
		seen[s] = true
		if p.Fixed != nil && p.Fixed[pos] >= 0 && p.Fixed[pos] != s {
			return fmt.Errorf("sequence: start has song %d at position %d, fixed to song %d", s, pos, p.Fixed[pos])
		}
	}
	return nil
}

// search is the state of Solve: the current order, the best one, and the
// free positions the moves may touch.
type search struct {
	*state
	cur      total
	best     []int
	bestCost total
	movable  []int    // free positions
	run      [][2]int // run[x]: the run of free positions [s, e) holding x; {-1, -1} if x is fixed
	succ     []int    // succ[s*k:(s+1)*k]: the cheapest songs to follow s
	pred     []int    // pred[s*k:(s+1)*k]: the cheapest songs to precede s
	k        int
}

func newSearch(p *Problem, start []int) *search {
	sr := &search{state: newState(p, start), run: make([][2]int, p.N)}
	sr.best = append([]int(nil), start...)
	sr.cur = sr.cost()
	sr.bestCost = sr.cur
	for x := 0; x < p.N; {
		if p.Fixed != nil && p.Fixed[x] >= 0 {
			sr.run[x] = [2]int{-1, -1}
			x++
			continue
		}
		e := x
		for e < p.N && (p.Fixed == nil || p.Fixed[e] < 0) {
			e++
		}
		for t := x; t < e; t++ {
			sr.run[t] = [2]int{x, e}
			sr.movable = append(sr.movable, t)
		}
		x = e
	}
	return sr
}

// reset makes order the current one.
func (sr *search) reset(order []int) {
	copy(sr.o, order)
	sr.prefix(0)
	sr.cur = sr.cost()
}

// take applies mv, whose cost is d, and keeps the order if it is the best.
func (sr *search) take(mv *move, d total) {
	sr.apply(mv)
	sr.cur = sr.cur.plus(d)
	if sr.cur.less(sr.bestCost) {
		sr.bestCost = sr.cur
		copy(sr.best, sr.o)
	}
}

// random draws a random move on free positions; false if the draw was
// not a move (retry). Four draws in five are guided by the candidate
// lists, as in descend; the others are uniform.
func (sr *search) random(rng *rand.Rand, mv *move) bool {
	fr := sr.movable
	i := fr[rng.IntN(len(fr))]
	r := sr.run[i]
	guided := rng.IntN(5) != 0
	c := rng.IntN(sr.k)
	switch u := rng.IntN(10); {
	case u < 3: // 2-opt
		var j int
		switch {
		case !guided:
			j = r[0] + rng.IntN(r[1]-r[0])
		case i > 0:
			j = sr.pos[sr.succ[sr.o[i-1]*sr.k+c]] // o[j] to follow o[i-1]
		default:
			return false
		}
		if j == i || sr.run[j] != r {
			return false
		}
		mv.setReverse(min(i, j), max(i, j))
	case u < 8: // or-opt
		l := 1 + rng.IntN(3)
		if i+l > r[1] {
			return false
		}
		var k int
		switch {
		case !guided:
			k = r[0] + rng.IntN(r[1]-r[0]+1)
		case c&1 == 0:
			k = sr.pos[sr.pred[sr.o[i]*sr.k+c]] + 1 // after a good predecessor
		default:
			k = sr.pos[sr.succ[sr.o[i+l-1]*sr.k+c]] // before a good successor
		}
		if k < r[0] || k > r[1] || k >= i && k <= i+l {
			return false
		}
		mv.setBlock(i, l, k, l > 1 && rng.IntN(2) == 0)
	default: // swap
		var j int
		switch {
		case !guided:
			j = fr[rng.IntN(len(fr))]
		case i > 0:
			j = sr.pos[sr.succ[sr.o[i-1]*sr.k+c]]
		default:
			return false
		}
		if j == i || sr.run[j][0] < 0 {
			return false
		}
		mv.setSwap(min(i, j), max(i, j))
	}
	return true
}

// startTemp sets the starting temperature; see anneal.
const startTemp = 15

// anneal runs iters steps of simulated annealing from the current order,
// cooling geometrically from a temperature set by the moves' typical cost
// to a thousandth of it.
func (sr *search) anneal(ctx context.Context, rng *rand.Rand, iters int) {
	var mv move
	// The starting temperature: a share min(1, startTemp/N) of the mean
	// finite uphill step of random moves from the start, tuned on
	// disco-like costs at N = 10, 100 and 500: at large N, hotter starts
	// scramble a good greedy order that the budget cannot rebuild; at
	// small N, colder ones stay stuck.
	sum, cnt := 0.0, 0
	for t := 0; t < 200; t++ {
		if !sr.random(rng, &mv) {
			continue
		}
		if d := sr.delta(&mv); d.inf == 0 && d.v > 0 {
			sum += d.v
			cnt++
		}
	}
	if cnt == 0 {
		return
	}
	temp := min(1, startTemp/float64(sr.n)) * sum / float64(cnt)
	const lnEnd = -6.907755278982137 // ln(1e-3)
	alpha := exp(lnEnd / float64(iters))
	for it := 0; it < iters; it++ {
		if it&4095 == 0 && ctx.Err() != nil {
			return
		}
		temp *= alpha
		if !sr.random(rng, &mv) {
			continue
		}
		d := sr.delta(&mv)
		switch {
		case d.inf < 0, d.inf == 0 && d.v <= 0:
		case d.inf == 0 && rng.Float64() < exp(-d.v/temp):
		default:
			continue
		}
		sr.take(&mv, d)
	}
}

// improves reports whether d lowers the cost by more than rounding.
func improves(d total) bool {
	return d.inf < 0 || d.inf == 0 && d.v < -1e-9
}

// neighbours is the length of the candidate lists of the descent.
const neighbours = 10

// lists sets succ and pred: for each song, the neighbours songs with the
// cheapest transition out of it and into it, cheapest first, ties by
// index. With N ≤ neighbours+1 they hold every other song, and the descent
// tries every move. O(N²·neighbours).
func (sr *search) lists() {
	n := sr.n
	k := min(neighbours, n-1)
	sr.succ, sr.pred, sr.k = make([]int, n*k), make([]int, n*k), k
	var key [neighbours]float64
	for s := range n {
		for dir := range 2 {
			dst := sr.succ[s*k : (s+1)*k]
			if dir == 1 {
				dst = sr.pred[s*k : (s+1)*k]
			}
			m := 0 // insertion into the k best so far
			for j := range n {
				if j == s {
					continue
				}
				c := sr.p.Cost[s*n+j]
				if dir == 1 {
					c = sr.p.Cost[j*n+s]
				}
				if m == k && !(c < key[m-1]) {
					continue
				}
				if m < k {
					m++
				}
				x := m - 1
				for ; x > 0 && c < key[x-1]; x-- {
					key[x], dst[x] = key[x-1], dst[x-1]
				}
				key[x], dst[x] = c, j
			}
		}
	}
}

// try applies mv if it lowers the cost by more than rounding.
func (sr *search) try(mv *move) bool {
	d := sr.delta(mv)
	if d.inf < 0 || d.inf == 0 && d.v < -1e-9 {
		sr.take(mv, d)
		return true
	}
	return false
}

// descend applies improving moves until none is left or ctx is done. The
// moves tried make a new transition into one of the candidate lists: a
// block of 1 to 3 songs (either way round) put after one of its first
// song's cheapest predecessors or before one of its last song's cheapest
// successors, a segment reversed so that it starts with one of the
// cheapest successors of the song before it or ends with one of the
// cheapest predecessors of the song after it, and a song swapped with one
// of the cheapest successors of the song before it.
func (sr *search) descend(ctx context.Context) {
	var mv move
	n, k := sr.n, sr.k
	block := func(i, l, at int) bool {
		r := sr.run[i]
		if at < r[0] || at > r[1] || (at >= i && at <= i+l) {
			return false
		}
		mv.setBlock(i, l, at, false)
		if sr.try(&mv) {
			return true
		}
		if l > 1 {
			mv.setBlock(i, l, at, true)
			return sr.try(&mv)
		}
		return false
	}
	reverse := func(i, j int) bool {
		if i > j || i == j || sr.run[i] != sr.run[j] || sr.run[i][0] < 0 {
			return false
		}
		mv.setReverse(i, j)
		return sr.try(&mv)
	}
	for again := true; again && ctx.Err() == nil; {
		again = false
		for _, i := range sr.movable {
			r := sr.run[i]
			for l := 1; l <= 3 && i+l <= r[1]; l++ {
				for c := 0; c < k; c++ {
					again = block(i, l, sr.pos[sr.pred[sr.o[i]*k+c]]+1) || again
					again = block(i, l, sr.pos[sr.succ[sr.o[i+l-1]*k+c]]) || again
				}
			}
			for c := 0; c < k; c++ {
				if i > 0 {
					again = reverse(i, sr.pos[sr.succ[sr.o[i-1]*k+c]]) || again
				}
				if i+1 < n {
					again = reverse(sr.pos[sr.pred[sr.o[i+1]*k+c]], i) || again
				}
				if i > 0 {
					if j := sr.pos[sr.succ[sr.o[i-1]*k+c]]; j != i && sr.run[j][0] >= 0 {
						mv.setSwap(min(i, j), max(i, j))
						again = sr.try(&mv) || again
					}
				}
			}
		}
	}
}
