package sequence

import "math"

// Greedy returns the nearest-neighbour order of p's songs: position by
// position, the song fixed there, or else the unplaced, unfixed song that
// adds the least cost (its transition from the song before, or StartCost
// at position 0, plus its position cost and the artist penalties with the
// songs before it). Ties go to the smallest song index; a forbidden (+Inf)
// step is taken only when nothing else is left. It never looks ahead, so it
// can strand the last songs in bad moves: it is the baseline for Solve. It
// panics if p.Validate reports an error.
func Greedy(p *Problem) []int {
	mustValid(p)
	n := p.N
	fixedAt := p.fixedAt()
	used := make([]bool, n)
	order := make([]int, 0, n)
	for pos := range n {
		if p.Fixed != nil && p.Fixed[pos] >= 0 {
			s := p.Fixed[pos]
			order = append(order, s)
			used[s] = true
			continue
		}
		best, arg := math.Inf(1), -1
		for j := range n {
			if used[j] || fixedAt[j] >= 0 {
				continue
			}
			if c := p.addCost(order, j); arg < 0 || c < best {
				best, arg = c, j
			}
		}
		order = append(order, arg)
		used[arg] = true
	}
	return order
}

// addCost is the cost that appending song j to order adds.
func (p *Problem) addCost(order []int, j int) float64 {
	n, pos := p.N, len(order)
	c := 0.0
	if pos == 0 {
		if p.StartCost != nil {
			c += p.StartCost[j]
		}
	} else {
		c += p.Cost[order[pos-1]*n+j]
	}
	if p.Position != nil {
		c += p.Position[pos*n+j]
	}
	if p.spacing() && p.Artist[j] >= 0 {
		for x := max(0, pos-p.ArtistGap+1); x < pos; x++ {
			if p.Artist[order[x]] == p.Artist[j] {
				c += p.ArtistPenalty
			}
		}
	}
	return c
}

func mustValid(p *Problem) {
	if err := p.Validate(); err != nil {
		panic(err)
	}
}
