package selector

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model/scale"
	"github.com/discoflow/disco/selector/sequence"
	"github.com/discoflow/disco/theory"
)

// DefaultRules are the rules disco sort and disco build apply unless told
// otherwise: a move that does not mix in key (keySim < 1) or in tempo
// (beyond 6%, half and double time allowed) costs 3, more than the feature
// step between two unrelated songs, and the same artist within 3 songs
// costs 4. Measured on the embedded model's 42 validation playlists
// (disco eval): penalties of 2 give the sort 88.6% key-compatible and
// 85.7% tempo-compatible moves, 3 give 90.9% and 87.4%.
func DefaultRules() Rules {
	return Rules{KeyPenalty: 3, TempoPenalty: 3, ArtistGap: 3, ArtistPenalty: 4}
}

// SortOptions configure Sort.
type SortOptions struct {
	Knobs Knobs
	Rules Rules
	// Fixed[p] is the index in the songs of the song that must stand at
	// position p, or -1; nil fixes nothing. Locks (the first N songs),
	// --first, --last and pins all become Fixed.
	Fixed []int
	// Arc, when not nil, is a target curve for one feature along the
	// playlist, followed with weight Arc.Weight.
	Arc    *Arc
	Effort sequence.Effort
	Seed   uint64
	// Shuffles is the number of seeded shuffles the result is compared
	// with; 0 means 10.
	Shuffles int
}

// SortResult is an order and what explains it.
type SortResult struct {
	Order []int  // Order[p] is the index in the songs of the song at position p
	Picks []Pick // the songs in Order, with their terms (see Sort)
	// Cost is the order's cost (sequence.Problem.OrderCost); Given,
	// Greedy and Shuffled are the costs of the order the songs came in,
	// of the nearest-neighbour order and the mean over shuffles (Fixed
	// songs kept in place), on the same problem.
	Cost, Given, Greedy, Shuffled float64
	// ArcRMSE is the root mean square distance of the arc's feature from
	// its target curve; NaN without an arc.
	ArcRMSE    float64
	Violations []Violation
}

// Violation is a rule an order breaks at one transition: into position
// Position (0-based) from the song before it.
type Violation struct {
	Position int    `json:"position"`
	Rule     string `json:"rule"` // "key", "tempo" or "artist"
	Detail   string `json:"detail"`
}

func (v Violation) String() string { return fmt.Sprintf("song %d: %s", v.Position+1, v.Detail) }

// ErrInfeasible is returned by Sort when no order meets the forbidding
// (infinite) penalties; the result still holds the best order found.
var ErrInfeasible = errors.New("selector: no order meets the strict rules")

// Sort puts the songs in an order with flow: it minimises the pairwise
// part of DISCO's objective over the order, that is the sum over
// transitions of
//
//	flow·‖x_next − x_prev‖ − sweetness·keySim − smoothness·tempoSim + rule penalties
//
// (the feature step to the previous song standing in for the network's
// prediction, which depends on the whole order), plus the artist-gap
// penalties and the arc's position costs, with the local search of
// selector/sequence at the given effort and seed. Every song must have
// features and a finite scaled form.
//
// The picks carry the network's prediction along the final order (for the
// flow plot) and the pairwise terms: Terms.Distance is the feature step
// from the previous song. Songs at a Fixed position are marked Seed.
func Sort(ctx context.Context, songs []*features.Track, scaler *scale.Scaler, pred Predictor, o SortOptions) (*SortResult, error) {
	p, s, err := sortProblem(songs, scaler, o)
	if err != nil {
		return nil, err
	}
	n := p.N
	order, cost := sequence.Solve(ctx, p, nil, sequence.Options{Effort: o.Effort, Seed: o.Seed})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &SortResult{Order: order, Cost: cost, ArcRMSE: math.NaN()}
	given := make([]int, n)
	for i := range given {
		given[i] = i
	}
	res.Given = p.OrderCost(given)
	res.Greedy = p.OrderCost(sequence.Greedy(p))
	res.Shuffled = shuffledCost(p, o.Shuffles, o.Seed)
	if o.Arc != nil {
		sorted := make([]*features.Track, n)
		for pos, i := range order {
			sorted[pos] = songs[i]
		}
		res.ArcRMSE = o.Arc.RMSE(sorted)
	}
	res.Picks, res.Violations = explainOrder(songs, s, order, o, pred)
	if math.IsInf(cost, 1) {
		return res, ErrInfeasible
	}
	return res, nil
}

// SortProblem returns the problem Sort solves for the songs and options
// (its Effort, Seed and Shuffles aside): the pairwise costs with the
// rules' penalties, the artists and their gap, Fixed and the arc's
// position costs. Its errors are Sort's for bad songs or options.
func SortProblem(songs []*features.Track, scaler *scale.Scaler, o SortOptions) (*sequence.Problem, error) {
	p, _, err := sortProblem(songs, scaler, o)
	return p, err
}

// sortProblem is SortProblem, with the songs prepared for scoring.
func sortProblem(songs []*features.Track, scaler *scale.Scaler, o SortOptions) (*sequence.Problem, *Songs, error) {
	n := len(songs)
	if n == 0 {
		return nil, nil, errors.New("selector: no songs to sort")
	}
	s := &Songs{}
	arts := artistIDs{}
	for i, t := range songs {
		if !t.HasFeatures {
			return nil, nil, fmt.Errorf("selector: %q has no audio features", t.String())
		}
		z := scaler.Transform(t.Features)
		if !finite(&z) {
			return nil, nil, fmt.Errorf("selector: %q has features out of the scaler's range", t.String())
		}
		a := arts.id(t)
		s.Add(t, z, int32(i), a)
	}
	p := &sequence.Problem{
		N: n, Cost: make([]float64, n*n), Artist: s.Artist, Fixed: o.Fixed,
		ArtistPenalty: o.Rules.ArtistPenalty,
	}
	if o.Rules.ArtistGap > 0 {
		// sequence counts pairs closer than its gap; Rules, pairs at most
		// ArtistGap apart.
		p.ArtistGap = o.Rules.ArtistGap + 1
	}
	k, rules := o.Knobs, o.Rules
	for i := range n {
		from := s.From(i)
		x := s.Scaled(i)
		for j := range n {
			if i != j {
				p.Cost[i*n+j] = k.Cost(s, j, &x, from, Extra{}) + rules.Penalty(s, j, from) // a sort's songs come from no source: no prior (nor taste)
			}
		}
	}
	if o.Arc != nil {
		p.Position = o.Arc.costs(songs)
	}
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	return p, s, nil
}

// shuffledCost returns the mean cost of seeded shuffles of the free songs.
func shuffledCost(p *sequence.Problem, shuffles int, seed uint64) float64 {
	if shuffles <= 0 {
		shuffles = 10
	}
	rng := rand.New(rand.NewPCG(seed, 0x50f7))
	fixed := make([]bool, p.N)
	var free []int
	for pos := range p.N {
		if pos < len(p.Fixed) && p.Fixed[pos] >= 0 {
			fixed[p.Fixed[pos]] = true
		}
	}
	for i := range p.N {
		if !fixed[i] {
			free = append(free, i)
		}
	}
	order := make([]int, p.N)
	var sum float64
	for range shuffles {
		rng.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
		f := 0
		for pos := range order {
			if pos < len(p.Fixed) && p.Fixed[pos] >= 0 {
				order[pos] = p.Fixed[pos]
			} else {
				order[pos] = free[f]
				f++
			}
		}
		sum += p.OrderCost(order)
	}
	return sum / float64(shuffles)
}

// explainOrder returns the picks of an order with their pairwise terms and
// the network's predictions, and the rules the order breaks.
func explainOrder(songs []*features.Track, s *Songs, order []int, o SortOptions, pred Predictor) ([]Pick, []Violation) {
	picks := make([]Pick, len(order))
	var vs []Violation
	k, rules := o.Knobs, o.Rules
	if pred != nil {
		pred.Reset()
	}
	var y features.Vector
	tcos := rules.tempoCos()
	for pos, i := range order {
		t := songs[i]
		p := Pick{Track: t, Scaled: s.Scaled(i), Seed: pos < len(o.Fixed) && o.Fixed[pos] >= 0, BPMRatio: math.NaN()}
		if pos > 0 {
			prev := order[pos-1]
			from, x := s.From(prev), s.Scaled(prev)
			p.Terms = k.Terms(s, i, &x, from, Extra{})
			p.Terms.Penalty = rules.Penalty(s, i, from)
			p.Terms.Score += p.Terms.Penalty
			explain(&p, songs[prev])
			if pred != nil {
				yy := y
				p.Predicted = &yy
			}
			if s.keyBreaks(from, i) {
				vs = append(vs, Violation{pos, "key", fmt.Sprintf("key %s after %s does not mix", p.Camelot, songs[prev].String())})
			}
			if s.tempoBreaks(from, i, tcos) {
				vs = append(vs, Violation{pos, "tempo", fmt.Sprintf("tempo %.0f after %.0f BPM", t.Tempo, songs[prev].Tempo)})
			}
			if g := rules.ArtistGap; g > 0 && s.Artist[i] >= 0 {
				for back := 1; back <= g && pos-back >= 0; back++ {
					if s.Artist[order[pos-back]] == s.Artist[i] {
						vs = append(vs, Violation{pos, "artist", fmt.Sprintf("%s again %d songs after", t.Artists[0], back)})
						break
					}
				}
			}
		} else {
			p.Move = theory.Unknown
		}
		if pred != nil && pos+1 < len(order) {
			y = pred.Step(&s.In[i])
		}
		picks[pos] = p
	}
	return picks, vs
}

// Arc is a target curve for one raw feature along a playlist: Points give
// the target value at relative positions 0 (first song) to 1 (last),
// linearly interpolated.
type Arc struct {
	Feature int // index into features.Vector (features.AbstractNames)
	Points  []ArcPoint
	Weight  float64 // cost per squared unit of distance from the target; 0 means 10
}

// ArcPoint is one point of an Arc.
type ArcPoint struct{ At, Value float64 }

// arcShapes are the named arcs, on energy's 0..1 scale.
var arcShapes = map[string][]ArcPoint{
	"flat":   {{0, 0.6}, {1, 0.6}},
	"rise":   {{0, 0.3}, {1, 0.9}},
	"fall":   {{0, 0.9}, {1, 0.3}},
	"peak":   {{0, 0.4}, {0.6, 0.9}, {1, 0.5}},
	"valley": {{0, 0.8}, {0.5, 0.3}, {1, 0.8}},
	"wave":   {{0, 0.4}, {0.25, 0.85}, {0.5, 0.4}, {0.75, 0.85}, {1, 0.4}},
}

// ArcNames are the names ParseArc knows.
func ArcNames() []string {
	names := make([]string, 0, len(arcShapes))
	for n := range arcShapes {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ParseArc parses an arc's points: a name (flat, rise, fall, peak, valley,
// wave) or points "at:value,at:value,..." with at in [0, 1] increasing.
func ParseArc(spec string) ([]ArcPoint, error) {
	if pts, ok := arcShapes[spec]; ok {
		return slices.Clone(pts), nil
	}
	if !strings.Contains(spec, ":") {
		return nil, fmt.Errorf("arc %q: want one of %s, or points like \"0:0.3,0.6:0.9,1:0.4\"", spec, strings.Join(ArcNames(), ", "))
	}
	var pts []ArcPoint
	for _, f := range strings.Split(spec, ",") {
		a, v, ok := strings.Cut(strings.TrimSpace(f), ":")
		at, err1 := strconv.ParseFloat(a, 64)
		val, err2 := strconv.ParseFloat(v, 64)
		if !ok || err1 != nil || err2 != nil || math.IsNaN(at) || math.IsInf(val, 0) || math.IsNaN(val) {
			return nil, fmt.Errorf("arc %q: point %q is not at:value", spec, f)
		}
		if at < 0 || at > 1 || (len(pts) > 0 && at <= pts[len(pts)-1].At) {
			return nil, fmt.Errorf("arc %q: positions must increase within [0, 1]", spec)
		}
		pts = append(pts, ArcPoint{at, val})
	}
	return pts, nil
}

// Target returns the arc's target at relative position at in [0, 1].
func (a *Arc) Target(at float64) float64 {
	pts := a.Points
	if at <= pts[0].At {
		return pts[0].Value
	}
	for i := 1; i < len(pts); i++ {
		if at <= pts[i].At {
			f := (at - pts[i-1].At) / (pts[i].At - pts[i-1].At)
			return pts[i-1].Value + f*(pts[i].Value-pts[i-1].Value)
		}
	}
	return pts[len(pts)-1].Value
}

func (a *Arc) at(pos, n int) float64 {
	if n < 2 {
		return 0
	}
	return float64(pos) / float64(n-1)
}

// DefaultArcWeight is an arc's weight when Arc.Weight is 0: the cost per
// squared unit of distance from its target.
const DefaultArcWeight = 10

// weight returns a's weight, DefaultArcWeight when 0.
func (a *Arc) weight() float64 {
	if a.Weight == 0 {
		return DefaultArcWeight
	}
	return a.Weight
}

// check returns an error when a is not an arc Target can follow.
func (a *Arc) check() error {
	if a.Feature < 0 || a.Feature >= len(features.AbstractNames) {
		return fmt.Errorf("selector: arc feature %d is not in [0, %d)", a.Feature, len(features.AbstractNames))
	}
	if len(a.Points) == 0 {
		return errors.New("selector: an arc needs at least one point")
	}
	if !(a.Weight >= 0) || math.IsInf(a.Weight, 1) {
		return fmt.Errorf("selector: arc weight %v is not a finite number ≥ 0", a.Weight)
	}
	return nil
}

// costs returns the n×n position costs: ArcCost of each song at each
// position.
func (a *Arc) costs(songs []*features.Track) []float64 {
	n := len(songs)
	w := a.weight()
	c := make([]float64, n*n)
	for pos := range n {
		target := a.Target(a.at(pos, n))
		for i, t := range songs {
			c[pos*n+i] = ArcCost(w, t.Features[a.Feature], target)
		}
	}
	return c
}

// RMSE returns the root mean square distance of the arc's feature of a
// playlist's songs, in their order, from its target at their positions;
// NaN for no songs.
func (a *Arc) RMSE(playlist []*features.Track) float64 {
	var ss float64
	for pos, t := range playlist {
		d := t.Features[a.Feature] - a.Target(a.at(pos, len(playlist)))
		ss += d * d
	}
	return math.Sqrt(ss / float64(len(playlist)))
}
