package taste

import (
	"math"
	"math/rand/v2"
	"slices"
)

// StratifiedSplit divides the indices 0..len(ys)-1 into a kept and a
// held-out part, holding out round(frac*n_k) songs of each label k (at
// least one of a label with 2 or more songs when frac > 0, never all of
// them), chosen by a shuffle seeded with seed. Both parts are in
// increasing order. frac <= 0 holds out nothing. Labels are the values of
// ys; they need not be contiguous. It panics if frac is NaN or >= 1.
func StratifiedSplit(ys []int, frac float64, seed uint64) (kept, held []int) {
	if math.IsNaN(frac) || frac >= 1 {
		panic("taste: StratifiedSplit fraction outside [0, 1)")
	}
	if frac <= 0 {
		kept = make([]int, len(ys))
		for i := range kept {
			kept[i] = i
		}
		return kept, nil
	}
	byLabel := map[int][]int{}
	var labels []int
	for i, y := range ys {
		if _, ok := byLabel[y]; !ok {
			labels = append(labels, y)
		}
		byLabel[y] = append(byLabel[y], i)
	}
	slices.Sort(labels)
	rng := rand.New(rand.NewPCG(seed, 0x7a57e5p11))
	for _, y := range labels {
		idx := byLabel[y]
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		n := int(math.Round(frac * float64(len(idx))))
		if n == 0 && len(idx) >= 2 {
			n = 1
		}
		if n >= len(idx) {
			n = len(idx) - 1
		}
		held = append(held, idx[:n]...)
		kept = append(kept, idx[n:]...)
	}
	slices.Sort(kept)
	slices.Sort(held)
	return kept, held
}
