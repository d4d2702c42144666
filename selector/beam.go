package selector

import (
	"cmp"
	"slices"

	"github.com/discoflow/disco/features"
)

// StatePredictor is a Predictor whose recurrent state can be saved and
// restored, so that a beam search can keep one state per beam.
// *model.Predictor implements it.
type StatePredictor interface {
	Predictor
	StateLen() int
	SaveState(dst []float64)
	LoadState(src []float64)
}

// scored is a candidate and its cost.
type scored struct {
	i    int
	cost float64
	rank int32
}

// better reports whether a beats b: the lower cost, then the lower rank.
func better(a, b scored) bool {
	if a.cost != b.cost {
		return a.cost < b.cost
	}
	return a.rank < b.rank
}

// Beam is a beam search's scratch space, kept between runs so that a run
// allocates nothing once warm. The zero value is ready to use.
type Beam struct {
	picks, nextPicks []int32           // beams × length, flat
	preds, nextPreds []features.Vector // beams × length, flat
	state, nextState []float64         // beams × StateLen, flat
	ys, nextYs       []features.Vector // each beam's prediction of its next song
	costs, nextCosts []float64
	expand           []expansion
	top              []scored
	recent           []int32
}

type expansion struct {
	beam int
	c    scored
	cost float64 // the beam's cost with this pick
}

// BridgeLook is how many times its width of candidates each beam weighs
// for the last pick of a bridge, the one that moves into its fixed end.
const BridgeLook = 4

// Run runs a beam search of the given width over the pass: it keeps the
// width partial playlists of lowest total cost (the sum of their picks'
// costs, penalties and arc terms included), expands each by its width cheapest
// candidates, and returns the picks of the cheapest complete playlist
// (appended to picks, the predictions they answered appended to *preds
// when preds is not nil). Ties go to the beam kept first, then to Best's
// tie rule, so a run is deterministic. Width 1 gives Greedy's playlist.
//
// For a bridge (p.To not nil) a playlist's cost includes the move into
// p.To (Pass.toCost), and at the last depth each beam is expanded by its
// BridgeLook·width cheapest candidates, so that the last pick is chosen
// for the move into p.To (width 1 is then Greedy's playlist but for the
// last pick); the prediction p.To answers is appended to *preds after
// the picks'. Each kept beam costs one network step per song; a bridge's
// last depth, one more per expansion.
//
// At a pinned position (p.Pins) every beam is expanded by the pinned song
// alone, its cost counted as a pick's, so the beams kept are those that
// move best into and out of it.
func (b *Beam) Run(k *Knobs, pred StatePredictor, p *Pass, width int, picks []int32, preds *[]features.Vector) []int32 {
	width = max(width, 1)
	L := p.picks() // the stride of picks and preds
	got := L
	S := pred.StateLen()
	grow := func(v []int32, n int) []int32 { return slices.Grow(v[:0], n)[:n] }
	growV := func(v []features.Vector, n int) []features.Vector { return slices.Grow(v[:0], n)[:n] }
	growF := func(v []float64, n int) []float64 { return slices.Grow(v[:0], n)[:n] }
	b.picks, b.nextPicks = grow(b.picks, width*L), grow(b.nextPicks, width*L)
	b.preds, b.nextPreds = growV(b.preds, width*L), growV(b.nextPreds, width*L)
	b.state, b.nextState = growF(b.state, width*S), growF(b.nextState, width*S)
	b.ys, b.nextYs = growV(b.ys, width), growV(b.nextYs, width)
	b.costs, b.nextCosts = growF(b.costs, width), growF(b.nextCosts, width)
	look := width
	if p.To != nil {
		look = BridgeLook * width
	}
	b.top = slices.Grow(b.top[:0], look)[:look]

	n := p.Seeds.Len()
	y := p.feedSeeds(pred)
	pred.SaveState(b.state[:S])
	b.ys[0], b.costs[0] = y, 0
	beams := 1
	m := p.Seeds.Mean()
	for depth := 0; depth < L; depth++ {
		b.expand = b.expand[:0]
		for bi := range beams {
			bp := b.picks[bi*L : bi*L+depth]
			from := p.Seeds.From(n - 1)
			if depth > 0 {
				from = p.Cands.From(int(bp[depth-1]))
			}
			top := b.top[:width]
			if depth+1 == L {
				top = b.top[:look]
			}
			var found int
			if pin := p.pinAt(n + depth); pin >= 0 {
				// Placed, not chosen: the one expansion of every beam.
				top[0] = scored{int(pin), p.pinCost(k, &b.ys[bi], &m, n+depth, pin, from), 0}
				found = 1
			} else {
				for _, c := range bp {
					p.mark(c, p.Stamp)
				}
				b.recent = p.recent(b.recent, bp)
				target := p.target(k, &b.ys[bi], &m, n+depth)
				found = k.scan(top, p.Cands, p.Lo, p.Hi, p.Rank, p.extras(n+depth), &target, from, p.Used, p.Stamp, p.Rules, b.recent)
				for _, c := range bp {
					p.mark(c, 0) // picks are never seeds: 0 is free
				}
			}
			for _, c := range top[:found] {
				cost := b.costs[bi] + c.cost
				if p.To != nil && depth+1 == L {
					pred.LoadState(b.state[bi*S : bi*S+S])
					y := pred.Step(&p.Cands.In[c.i])
					cost += p.toCost(k, &y, &m, p.Cands.From(c.i))
				}
				b.expand = append(b.expand, expansion{bi, c, cost})
			}
		}
		if len(b.expand) == 0 {
			got = depth // the candidates ran out: the best beams stop here
			break
		}
		slices.SortStableFunc(b.expand, func(x, y expansion) int { return cmp.Compare(x.cost, y.cost) })
		next := min(width, len(b.expand))
		for ni, e := range b.expand[:next] {
			copy(b.nextPicks[ni*L:ni*L+depth], b.picks[e.beam*L:e.beam*L+depth])
			b.nextPicks[ni*L+depth] = int32(e.c.i)
			copy(b.nextPreds[ni*L:ni*L+depth], b.preds[e.beam*L:e.beam*L+depth])
			b.nextPreds[ni*L+depth] = b.ys[e.beam]
			b.nextCosts[ni] = e.cost
			if depth+1 < L || p.To != nil {
				pred.LoadState(b.state[e.beam*S : e.beam*S+S])
				b.nextYs[ni] = pred.Step(&p.Cands.In[e.c.i])
				pred.SaveState(b.nextState[ni*S : ni*S+S])
			}
		}
		b.picks, b.nextPicks = b.nextPicks, b.picks
		b.preds, b.nextPreds = b.nextPreds, b.preds
		b.state, b.nextState = b.nextState, b.state
		b.ys, b.nextYs = b.nextYs, b.ys
		b.costs, b.nextCosts = b.nextCosts, b.costs
		beams = next
	}
	// Beams are kept sorted by cost: the first is the best.
	for _, c := range b.picks[:got] {
		p.mark(c, p.Stamp)
	}
	picks = append(picks, b.picks[:got]...)
	if preds != nil {
		*preds = append(*preds, b.preds[:got]...)
		if p.To != nil && got == L {
			*preds = append(*preds, b.ys[0])
		}
	}
	return picks
}
