package sequence

import "math"

// total is a cost split into its number of +Inf terms and the sum of the
// finite ones, so that prefix sums stay finite and a move that removes a
// forbidden step is an improvement whatever the rest costs. Orders are
// compared by inf first, then v.
type total struct {
	inf int
	v   float64
}

func (t *total) add(c float64) {
	if math.IsInf(c, 1) {
		t.inf++
	} else {
		t.v += c
	}
}

func (t total) sub(u total) total { return total{t.inf - u.inf, t.v - u.v} }

func (t total) plus(u total) total { return total{t.inf + u.inf, t.v + u.v} }

// less reports whether t is cheaper than u.
func (t total) less(u total) bool {
	if t.inf != u.inf {
		return t.inf < u.inf
	}
	return t.v < u.v
}

// move rearranges the range [lo, hi) of the order: it is cut into m
// consecutive segments seg[0..m-1] (old positions [s, e)), which are laid
// out again in the order ord, segment k reversed if rev[k]. 2-opt is one
// reversed segment, or-opt two exchanged segments (the block possibly
// reversed), a swap three segments A B C laid out as C B A.
type move struct {
	lo, hi int
	m      int
	seg    [3][2]int
	ord    [3]int
	rev    [3]bool
}

// state is an order with the prefix sums that make move costs O(1) in the
// transitions.
type state struct {
	p     *Problem
	n     int
	o     []int
	fwd   []total // fwd[k]: the transitions o[t] -> o[t+1], t < k
	bwd   []total // bwd[k]: the reversed transitions o[t+1] -> o[t], t < k
	pos   []int   // pos[song]: its position in o
	buf   []int
	win   []artistAt
	space bool
}

func newState(p *Problem, order []int) *state {
	n := p.N
	s := &state{
		p: p, n: n,
		o:     append([]int(nil), order...),
		fwd:   make([]total, n),
		bwd:   make([]total, n),
		pos:   make([]int, n),
		buf:   make([]int, n),
		win:   make([]artistAt, 0, 8*max(p.ArtistGap, 1)),
		space: p.spacing(),
	}
	s.prefix(0)
	return s
}

// prefix recomputes fwd and bwd from index k on (and pos, from 0).
func (s *state) prefix(k int) {
	if k < 1 {
		for x, song := range s.o {
			s.pos[song] = x
		}
		k = 1
		if s.n > 0 {
			s.fwd[0], s.bwd[0] = total{}, total{}
		}
	}
	n, c, o := s.n, s.p.Cost, s.o
	for ; k < n; k++ {
		f, b := s.fwd[k-1], s.bwd[k-1]
		f.add(c[o[k-1]*n+o[k]])
		b.add(c[o[k]*n+o[k-1]])
		s.fwd[k], s.bwd[k] = f, b
	}
}

// edge is the cost of song j right after song i; i < 0 is the start.
func (s *state) edge(i, j int) float64 {
	if i < 0 {
		if s.p.StartCost == nil {
			return 0
		}
		return s.p.StartCost[j]
	}
	return s.p.Cost[i*s.n+j]
}

// cost returns the whole cost of the current order.
func (s *state) cost() total {
	var t total
	if s.n == 0 {
		return t
	}
	t.add(s.edge(-1, s.o[0]))
	t = t.plus(s.fwd[s.n-1])
	if s.p.Position != nil {
		for x, song := range s.o {
			t.add(s.p.Position[x*s.n+song])
		}
	}
	t.v += s.p.artistCost(s.o)
	return t
}

// delta returns the cost of the order after mv minus the cost before.
func (s *state) delta(mv *move) total {
	o, n := s.o, s.n
	lo, hi := mv.lo, mv.hi
	prev := -1
	if lo > 0 {
		prev = o[lo-1]
	}
	var old, nu total
	old.add(s.edge(prev, o[lo]))
	old = old.plus(s.fwd[hi-1].sub(s.fwd[lo]))
	if hi < n {
		old.add(s.p.Cost[o[hi-1]*n+o[hi]])
	}
	cur := prev
	for k := 0; k < mv.m; k++ {
		g := mv.ord[k]
		a, e := mv.seg[g][0], mv.seg[g][1]
		var first, last int
		if mv.rev[g] {
			first, last = o[e-1], o[a]
			nu = nu.plus(s.bwd[e-1].sub(s.bwd[a]))
		} else {
			first, last = o[a], o[e-1]
			nu = nu.plus(s.fwd[e-1].sub(s.fwd[a]))
		}
		nu.add(s.edge(cur, first))
		cur = last
	}
	if hi < n {
		nu.add(s.p.Cost[cur*n+o[hi]])
	}
	if posCost := s.p.Position; posCost != nil {
		x := lo
		for k := 0; k < mv.m; k++ {
			g := mv.ord[k]
			a, e := mv.seg[g][0], mv.seg[g][1]
			if x == a && !mv.rev[g] {
				x = e // in place: no change
				continue
			}
			for t := a; t < e; t++ {
				old.add(posCost[t*n+o[t]])
			}
			if mv.rev[g] {
				for t := e - 1; t >= a; t-- {
					nu.add(posCost[x*n+o[t]])
					x++
				}
			} else {
				for t := a; t < e; t++ {
					nu.add(posCost[x*n+o[t]])
					x++
				}
			}
		}
	}
	d := nu.sub(old)
	if s.space {
		d.v += float64(float64(s.pairs(mv, true)-s.pairs(mv, false)) * s.p.ArtistPenalty)
	}
	return d
}

// layout lists the pieces of the order before or after mv, left to
// right: the part left of the range (id leftPiece), the segments (ids 0
// to 2), the part right of it (id rightPiece).
func (s *state) layout(mv *move, after bool, out *[5]piece) []piece {
	pieces := out[:0]
	pieces = append(pieces, piece{0, mv.lo, 0, false, leftPiece})
	x := mv.lo
	for k := 0; k < mv.m; k++ {
		g := k
		if after {
			g = mv.ord[k]
		}
		a, e := mv.seg[g][0], mv.seg[g][1]
		rev := after && mv.rev[g]
		pieces = append(pieces, piece{x, x + e - a, a, rev, g})
		x += e - a
	}
	return append(pieces, piece{mv.hi, s.n, mv.hi, false, rightPiece})
}

// piece is a run [start, end) of new positions holding the old positions
// from src on (backwards from src+end−start−1 if rev).
type piece struct {
	start, end, src int
	rev             bool
	id              int // leftPiece, a segment's index, or rightPiece
}

// The ids of the pieces around a move's segments: the two parts that
// keep their places.
const (
	leftPiece  = -1
	rightPiece = 3
)

// pairs counts the pairs of one artist closer than the gap whose songs lie
// in different pieces of mv, after or before it. Pairs within one piece
// keep their distance (a reversal preserves it), so the difference of the
// two counts is the change in artist pairs. Such a pair straddles a cut,
// so it lies in the window of gap−1 songs either side of one: the windows
// are merged, read once into win, and counted.
func (s *state) pairs(mv *move, after bool) int {
	g, art := s.p.ArtistGap, s.p.Artist
	var buf [5]piece
	pieces := s.layout(mv, after, &buf)
	count := 0
	win := s.win[:0]
	next := 0 // the first position not yet read
	flush := func() {
		for x := range win {
			for y := x + 1; y < len(win) && y-x < g; y++ {
				if win[y].id != win[x].id && !(win[x].id == leftPiece && win[y].id == rightPiece) && win[y].artist == win[x].artist {
					count++
				}
			}
		}
		win = win[:0]
	}
	k := 0
	for c := 1; c < len(pieces); c++ {
		b := pieces[c].start // a cut
		u, v := max(b-g+1, 0), min(b+g-1, s.n)
		if u > next {
			flush()
		} else {
			u = next
		}
		for ; u < v; u++ {
			for pieces[k].end <= u {
				k++
			}
			q := pieces[k]
			old := q.src + u - q.start
			if q.rev {
				old = q.src + q.end - 1 - u
			}
			a := art[s.o[old]]
			if a < 0 {
				a = -1 - int32(u) // unknown: matches nothing
			}
			win = append(win, artistAt{a, int8(q.id)})
		}
		next = max(next, v)
	}
	flush()
	s.win = win
	return count
}

type artistAt struct {
	artist int32
	id     int8
}

// apply performs mv on the order.
func (s *state) apply(mv *move) {
	o, buf := s.o, s.buf[:0]
	for k := 0; k < mv.m; k++ {
		g := mv.ord[k]
		a, e := mv.seg[g][0], mv.seg[g][1]
		if mv.rev[g] {
			for t := e - 1; t >= a; t-- {
				buf = append(buf, o[t])
			}
		} else {
			buf = append(buf, o[a:e]...)
		}
	}
	copy(o[mv.lo:mv.hi], buf)
	for x := mv.lo; x < mv.hi; x++ {
		s.pos[o[x]] = x
	}
	s.prefix(mv.lo)
}

// setReverse makes mv the reversal of [i, j].
func (mv *move) setReverse(i, j int) {
	*mv = move{lo: i, hi: j + 1, m: 1}
	mv.seg[0] = [2]int{i, j + 1}
	mv.rev[0] = true
}

// setBlock makes mv the move of the block [i, i+l) to stand before
// position k (k < i or k > i+l), reversed if rev.
func (mv *move) setBlock(i, l, k int, rev bool) {
	*mv = move{m: 2}
	mv.ord = [3]int{1, 0, 2}
	if k < i {
		mv.lo, mv.hi = k, i+l
		mv.seg[0] = [2]int{k, i}
		mv.seg[1] = [2]int{i, i + l}
		mv.rev[1] = rev
	} else {
		mv.lo, mv.hi = i, k
		mv.seg[0] = [2]int{i, i + l}
		mv.seg[1] = [2]int{i + l, k}
		mv.rev[0] = rev
	}
}

// setSwap makes mv the exchange of the songs at positions i < j.
func (mv *move) setSwap(i, j int) {
	if j == i+1 {
		mv.setBlock(i, 1, j+1, false)
		return
	}
	*mv = move{lo: i, hi: j + 1, m: 3}
	mv.seg = [3][2]int{{i, i + 1}, {i + 1, j}, {j, j + 1}}
	mv.ord = [3]int{2, 1, 0}
}
