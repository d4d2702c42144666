package song2vec

import (
	"math"
	"sync"
)

// searchMin is the number of rows from which Nearest searches through the
// int8 index rather than scanning the float64 rows. Tests lower it.
var searchMin = 16384

// searchIndex is a compact copy of the unit-length rows for Nearest's first
// pass: each row quantised to int8 codes with its own step (scale), so a
// row of 64 dimensions takes 64 bytes instead of 512. Memory bandwidth, not
// arithmetic, bounds an exhaustive search, so reading an eighth of the bytes
// makes it several times faster; a per-row error bound then keeps the
// result exact (see nearestIndexed).
type searchIndex struct {
	once   sync.Once
	dimPad int       // Dim rounded up to a multiple of 16; codes are zero-padded
	codes  []int8    // n rows of dimPad codes
	scale  []float64 // per row: the value of one code step; 0 for a zero row
	l1     []float64 // per row: scale·Σ|code|, the L1 norm of the quantised row
}

func (s *searchIndex) build(v *Vectors) {
	n, d := v.Len(), v.Dim
	s.dimPad = (d + 15) &^ 15
	s.codes = make([]int8, n*s.dimPad)
	s.scale = make([]float64, n)
	s.l1 = make([]float64, n)
	for i := range n {
		inv := v.invNorm[i]
		if inv == 0 {
			continue
		}
		row := v.Row(i)
		m := 0.0
		for _, x := range row {
			m = max(m, math.Abs(x*inv))
		}
		step := m / 127
		codes := s.codes[i*s.dimPad : i*s.dimPad+d]
		sum := 0.0
		for j, x := range row {
			c := max(-127, min(127, math.Round(x*inv/step)))
			codes[j] = int8(c)
			sum += math.Abs(c)
		}
		s.scale[i] = step
		s.l1[i] = step * sum
	}
}

// nearestIndexed finds the same neighbours as nearestScan, exactly, reading
// the int8 codes for every row and the float64 row only for candidates.
//
// With u a unit row, û its quantised copy (|u-û| <= scale/2 per component),
// q the unit query and q̂ its int16 copy (|q-q̂| <= sq/2), the approximate
// score a = q̂·û differs from the exact q·u by at most
// b = ‖q‖₁·scale/2 + sq/2·‖û‖₁. The pass keeps the k best lower bounds a-b
// of rows not excluded; their least, L, never exceeds the k-th best exact
// score, so only rows whose upper bound a+b reaches L can be in the top k.
// Those candidates are scored exactly, in float64, as nearestScan does.
func (v *Vectors) nearestIndexed(query []float64, qinv float64, k int, exclude func(int) bool) []Neighbor {
	s := v.search
	s.once.Do(func() { s.build(v) })
	n, d := v.Len(), v.Dim

	maxAbs, l1q := 0.0, 0.0
	for _, x := range query {
		maxAbs = max(maxAbs, math.Abs(x*qinv))
		l1q += math.Abs(x * qinv)
	}
	sq := maxAbs / 127
	q16 := make([]int16, s.dimPad)
	for j, x := range query {
		q16[j] = int16(max(-127, min(127, math.Round(x*qinv/sq))))
	}

	type cand struct {
		i  int
		up float64
	}
	var cands []cand
	lower := topK{k: k}
	const block = 1024
	buf := make([]int32, block)
	for start := 0; start < n; start += block {
		m := min(block, n-start)
		dotsInt8(buf[:m], s.codes[start*s.dimPad:(start+m)*s.dimPad], q16)
		for r, dotq := range buf[:m] {
			i := start + r
			a := sq * s.scale[i] * float64(dotq)
			// 1e-9 covers the float64 rounding of a, b and the exact scores.
			b := 0.5*s.scale[i]*l1q + 0.5*sq*s.l1[i] + 1e-9
			full := len(lower.items) == k
			if full && a+b < lower.items[0].Score {
				continue
			}
			if exclude != nil && exclude(i) {
				continue
			}
			cands = append(cands, cand{i, a + b})
			if !full || lower.better(a-b, i) {
				lower.push(a-b, i)
			}
		}
	}
	bound := math.Inf(-1)
	if len(lower.items) == k {
		bound = lower.items[0].Score
	}
	h := topK{k: k}
	for _, c := range cands {
		if c.up < bound {
			continue
		}
		sc := dot(query, v.Data[c.i*d:c.i*d+d]) * v.invNorm[c.i] * qinv
		if len(h.items) < k || h.better(sc, c.i) {
			h.push(sc, c.i)
		}
	}
	return h.sorted()
}
