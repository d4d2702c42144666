package sequence

import (
	"math"
	"math/bits"
)

// MaxExact is the largest N that Exact solves.
const MaxExact = 12

// Exact returns an optimal order of p's songs and its cost, by Held-Karp
// dynamic programming over (set of songs placed, last song): O(2^N·N²)
// time and O(2^N·N) memory, about 600,000 steps and 400 kB at N = 12.
//
// It minimises the transitions, StartCost, Position and Fixed exactly,
// and the artist spacing exactly when ArtistGap ≤ 2 (a pairwise term then).
// For a larger gap it counts only the pairs of adjacent songs and ignores
// the pairs 2..gap−1 apart: the order is then optimal for that relaxation,
// not necessarily for the full cost. The cost returned is always
// p.OrderCost(order), with every term.
//
// Among optimal orders it returns the lexicographically smallest (equal
// sums as computed by the recursion; costs that differ in the last bit
// are not equal). It returns ErrTooLarge for N > MaxExact, ErrInfeasible
// (and a nil order) when every order costs +Inf, and the error of
// p.Validate for an inconsistent problem.
func Exact(p *Problem) ([]int, float64, error) {
	if err := p.Validate(); err != nil {
		return nil, 0, err
	}
	n := p.N
	if n > MaxExact {
		return nil, 0, ErrTooLarge
	}
	if n == 0 {
		return []int{}, 0, nil
	}
	fixedAt := p.fixedAt()
	// allowed reports whether song j may stand at position pos.
	allowed := func(j, pos int) bool {
		if p.Fixed != nil && p.Fixed[pos] >= 0 {
			return p.Fixed[pos] == j
		}
		return fixedAt[j] < 0
	}
	adjacent := p.spacing()
	// step is the cost of song j at position pos right after song i.
	step := func(i, j, pos int) float64 {
		c := p.Cost[i*n+j]
		if adjacent && p.Artist[i] >= 0 && p.Artist[i] == p.Artist[j] {
			c += p.ArtistPenalty
		}
		if p.Position != nil {
			c += p.Position[pos*n+j]
		}
		return c
	}
	first := func(j int) float64 {
		c := 0.0
		if p.StartCost != nil {
			c += p.StartCost[j]
		}
		if p.Position != nil {
			c += p.Position[j]
		}
		return c
	}

	// f[mask*n+last] is the least cost of placing the songs not in mask
	// after the songs of mask, which end with last.
	full := 1<<n - 1
	f := make([]float64, (full+1)*n)
	for i := range f {
		f[i] = math.Inf(1)
	}
	for last := range n {
		f[full*n+last] = 0
	}
	for mask := full - 1; mask > 0; mask-- {
		pos := bits.OnesCount(uint(mask))
		for last := range n {
			if mask&(1<<last) == 0 {
				continue
			}
			best := math.Inf(1)
			for j := range n {
				if mask&(1<<j) != 0 || !allowed(j, pos) {
					continue
				}
				if c := step(last, j, pos) + f[(mask|1<<j)*n+j]; c < best {
					best = c
				}
			}
			f[mask*n+last] = best
		}
	}

	// Walk forward, taking the smallest song that achieves the optimum.
	best, arg := math.Inf(1), -1
	for j := range n {
		if !allowed(j, 0) {
			continue
		}
		if c := first(j) + f[(1<<j)*n+j]; c < best {
			best, arg = c, j
		}
	}
	if arg < 0 {
		return nil, 0, ErrInfeasible
	}
	order := make([]int, 1, n)
	order[0] = arg
	mask := 1 << arg
	for pos := 1; pos < n; pos++ {
		last := order[pos-1]
		want := f[mask*n+last]
		next := -1
		for j := range n {
			if mask&(1<<j) != 0 || !allowed(j, pos) {
				continue
			}
			if step(last, j, pos)+f[(mask|1<<j)*n+j] == want {
				next = j
				break
			}
		}
		order = append(order, next)
		mask |= 1 << next
	}
	return order, p.OrderCost(order), nil
}
