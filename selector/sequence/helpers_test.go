package sequence

import (
	"math"
	"math/rand/v2"

	"github.com/discoflow/disco/theory"
)

// kind says which parts a random problem has.
type kind struct {
	fixed, position, start, inf, artist bool
	gap                                 int // with artist
}

// randProblem returns a random problem of n songs: asymmetric costs in
// [-1, 3), and the parts k asks for.
func randProblem(rng *rand.Rand, n int, k kind) *Problem {
	p := &Problem{N: n, Cost: make([]float64, n*n)}
	for i := range p.Cost {
		p.Cost[i] = -1 + 4*rng.Float64()
		if k.inf && rng.IntN(6) == 0 {
			p.Cost[i] = math.Inf(1)
		}
	}
	if k.fixed && n > 0 {
		p.Fixed = make([]int, n)
		perm := rng.Perm(n)
		for pos := range p.Fixed {
			p.Fixed[pos] = -1
			if rng.IntN(3) == 0 {
				p.Fixed[pos] = perm[pos]
			}
		}
	}
	if k.position {
		p.Position = make([]float64, n*n)
		for i := range p.Position {
			p.Position[i] = 2 * rng.Float64()
		}
	}
	if k.start {
		p.StartCost = make([]float64, n)
		for i := range p.StartCost {
			p.StartCost[i] = 3 * rng.Float64()
		}
	}
	if k.artist {
		p.Artist = make([]int32, n)
		for i := range p.Artist {
			p.Artist[i] = int32(rng.IntN(4)) - 1
		}
		p.ArtistGap = k.gap
		p.ArtistPenalty = 1.5
	}
	return p
}

// realProblem returns n songs whose costs are made like disco's: the
// feature step between random standardised 8-d vectors (flow 1), minus
// keySim and tempoSim of random keys and tempos (sweetness = smoothness =
// 1), plus 1 for a move that is not key-compatible and 1 for a tempo jump
// beyond 6%; artists among n/2 with gap 2, penalty 2. The costs are
// asymmetric through theory.Classify.
func realProblem(rng *rand.Rand, n int) *Problem {
	const dim = 8
	x := make([]float64, n*dim)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	keys := make([]theory.Key, n)
	tempo := make([]float64, n)
	p := &Problem{N: n, Cost: make([]float64, n*n), Artist: make([]int32, n), ArtistGap: 2, ArtistPenalty: 2}
	for i := range n {
		keys[i] = theory.NewKey(rng.IntN(12), rng.IntN(2))
		tempo[i] = 70 + 110*rng.Float64()
		p.Artist[i] = int32(rng.IntN(max(1, n/2)))
	}
	for i := range n {
		for j := range n {
			step := 0.0
			for d := range dim {
				diff := x[j*dim+d] - x[i*dim+d]
				step += diff * diff
			}
			c := math.Sqrt(step) - theory.KeySim(keys[i], keys[j]) - theory.TempoSim(tempo[i], tempo[j])
			if !theory.Classify(keys[i], keys[j]).Compatible() {
				c++
			}
			if !theory.TempoCompatible(tempo[i], tempo[j], 0.06) {
				c++
			}
			p.Cost[i*n+j] = c
		}
	}
	return p
}

// bruteForce returns the least OrderCost over all orders respecting Fixed
// (+Inf if there is none), and the first order, in lexicographic order,
// that achieves it.
func bruteForce(p *Problem) ([]int, float64) {
	n := p.N
	best, arg := math.Inf(1), []int(nil)
	order := make([]int, 0, n)
	used := make([]bool, n)
	fixedAt := p.fixedAt()
	var rec func()
	rec = func() {
		pos := len(order)
		if pos == n {
			if c := p.OrderCost(order); arg == nil || c < best {
				best, arg = c, append([]int(nil), order...)
			}
			return
		}
		for j := range n {
			if used[j] {
				continue
			}
			if p.Fixed != nil && p.Fixed[pos] >= 0 && p.Fixed[pos] != j {
				continue
			}
			if (p.Fixed == nil || p.Fixed[pos] < 0) && fixedAt[j] >= 0 {
				continue
			}
			used[j] = true
			order = append(order, j)
			rec()
			order = order[:pos]
			used[j] = false
		}
	}
	rec()
	return arg, best
}

// isPermutation reports whether order holds 0..n-1 once each.
func isPermutation(order []int, n int) bool {
	if len(order) != n {
		return false
	}
	seen := make([]bool, n)
	for _, s := range order {
		if s < 0 || s >= n || seen[s] {
			return false
		}
		seen[s] = true
	}
	return true
}

func near(a, b float64) bool {
	if math.IsInf(a, 1) || math.IsInf(b, 1) {
		return a == b
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}
