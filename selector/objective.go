package selector

import (
	"fmt"
	"math"
	"slices"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/theory"
)

// This file holds DISCO's objective, once: every command, the greedy
// pass, the beam search, the sequencer's pairwise costs and selector/eval
// score a transition with the functions below.

// Songs are songs prepared for scoring, as flat arrays so that a scan over
// candidates reads memory in sequence: per song its 8 scaled features, its
// position on the circle of fifths, the phase of its tempo, its network
// input and its recording id. The zero value is an empty set; Add appends.
type Songs struct {
	X      []float64    // n×8 scaled features, row-major
	Fifths []int8       // circle-of-fifths position 0..11; 12 unknown
	TC, TS []float64    // cos and sin of 2π·log2(tempo); 0, 0 unknown
	In     [][9]float64 // the network's input: mode, then the scaled features
	Rec    []int32      // recording id, as the caller numbers recordings
	Artist []int32      // first artist's id, as the caller numbers artists; -1 unknown
}

// Len returns the number of songs.
func (s *Songs) Len() int { return len(s.Fifths) }

// Reset empties s, keeping its memory.
func (s *Songs) Reset() {
	s.X, s.Fifths, s.TC, s.TS, s.In, s.Rec, s.Artist = s.X[:0], s.Fifths[:0], s.TC[:0], s.TS[:0], s.In[:0], s.Rec[:0], s.Artist[:0]
}

// Add appends track t with its scaled features z, recording id rec and
// artist id artist.
func (s *Songs) Add(t *features.Track, z features.Vector, rec, artist int32) {
	s.X = append(s.X, z[:]...)
	s.Fifths = append(s.Fifths, FifthsOf(t))
	c, sn := TempoPhase(t.Tempo)
	s.TC = append(s.TC, c)
	s.TS = append(s.TS, sn)
	var in [9]float64
	in[0] = features.ModeInput(t.Mode)
	copy(in[1:], z[:])
	s.In = append(s.In, in)
	s.Rec = append(s.Rec, rec)
	s.Artist = append(s.Artist, artist)
}

// AddFrom appends song i of o.
func (s *Songs) AddFrom(o *Songs, i int) {
	s.X = append(s.X, o.X[i*8:i*8+8]...)
	s.Fifths = append(s.Fifths, o.Fifths[i])
	s.TC = append(s.TC, o.TC[i])
	s.TS = append(s.TS, o.TS[i])
	s.In = append(s.In, o.In[i])
	s.Rec = append(s.Rec, o.Rec[i])
	s.Artist = append(s.Artist, o.Artist[i])
}

// Scaled returns song i's scaled features.
func (s *Songs) Scaled(i int) features.Vector {
	var z features.Vector
	copy(z[:], s.X[i*8:i*8+8])
	return z
}

// From is what a transition needs of the song it starts from.
type From struct {
	fifths int8
	tc, ts float64
}

// From returns the transition context of song i.
func (s *Songs) From(i int) From { return From{s.Fifths[i], s.TC[i], s.TS[i]} }

// FromTrack returns the transition context of track t.
func FromTrack(t *features.Track) From {
	c, sn := TempoPhase(t.Tempo)
	return From{FifthsOf(t), c, sn}
}

// FifthsOf returns t's position on the circle of fifths (its relative
// major's), or 12 when its key or mode is unknown.
func FifthsOf(t *features.Track) int8 {
	k := theory.NewKey(t.Key, t.Mode)
	if !k.Known() {
		return 12
	}
	return int8(k.Fifths())
}

// TempoPhase returns (cos, sin) of 2π·log2(bpm), so that the dot product of
// two phases is cos(2π·log2(t1/t2)) = theory.TempoSim(t1, t2). Unknown
// tempo (not positive, or not finite) gives (0, 0): a dot product of 0,
// the neutral value.
func TempoPhase(bpm float64) (float64, float64) {
	if !(bpm > 0) || math.IsInf(bpm, 0) {
		return 0, 0
	}
	sn, c := math.Sincos(2 * math.Pi * math.Log2(bpm))
	return c, sn
}

// keySims[a][b] is theory.KeySim between circle-of-fifths positions a
// and b (12: unknown, neutral).
var keySims = func() (t [13][13]float64) {
	for i := range 13 {
		for j := range 13 {
			t[i][j] = theory.Neutral
			if i < 12 && j < 12 {
				// Two major keys at these positions on the circle.
				t[i][j] = theory.KeySim(theory.NewKey((i*7)%12, 1), theory.NewKey((j*7)%12, 1))
			}
		}
	}
	return t
}()

// KeySimFifths returns theory.KeySim between two circle-of-fifths
// positions as FifthsOf gives them (12 unknown: neutral).
func KeySimFifths(a, b int8) float64 { return keySims[a][b] }

// KeySim returns keySim(from, song i of s).
func (s *Songs) KeySim(f From, i int) float64 { return keySims[f.fifths][s.Fifths[i]] }

// TempoSim returns tempoSim(from, song i of s).
func (s *Songs) TempoSim(f From, i int) float64 { return f.tc*s.TC[i] + f.ts*s.TS[i] }

// Centre is the point spicyness stretches the network's prediction away
// from.
type Centre int

const (
	// CentreGlobal stretches away from the catalog's mean (0 in scaled
	// units): the original's target spicyness·y, which slides a long
	// build towards the catalog's extremes.
	CentreGlobal Centre = iota
	// CentreSeeds stretches away from the seeds' mean m:
	// m + spicyness·(y − m).
	CentreSeeds
)

// String names c as ParseCentre reads it.
func (c Centre) String() string {
	if c == CentreSeeds {
		return "seeds"
	}
	return "global"
}

// MarshalText writes c's name.
func (c Centre) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads a name ParseCentre accepts.
func (c *Centre) UnmarshalText(b []byte) error {
	v, err := ParseCentre(string(b))
	*c = v
	return err
}

// ParseCentre reads "global" or "seeds".
func ParseCentre(s string) (Centre, error) {
	switch s {
	case "global":
		return CentreGlobal, nil
	case "seeds":
		return CentreSeeds, nil
	}
	return 0, fmt.Errorf("--centre %q: want seeds or global", s)
}

// Target returns the point in scaled feature space that the flow term
// measures the distance to, from the network's prediction y and the
// seeds' mean m: spicyness·y, or m + spicyness·(y − m) with CentreSeeds.
func (k *Knobs) Target(y, m *features.Vector) features.Vector {
	var t features.Vector
	if k.Centre == CentreSeeds {
		for i, v := range y {
			t[i] = m[i] + k.Spicyness*(v-m[i])
		}
		return t
	}
	for i, v := range y {
		t[i] = k.Spicyness * v
	}
	return t
}

// Mean returns the mean of s's scaled features (zero for no songs).
func (s *Songs) Mean() features.Vector {
	var m features.Vector
	n := s.Len()
	for i := range n {
		for j, v := range s.X[i*8 : i*8+8] {
			m[j] += v / float64(n)
		}
	}
	return m
}

// Extra is one candidate's terms beyond its transition: how strongly the
// candidate source proposed it (Prior; 0 where the songs come from no
// source: a sort, a ranking, a song given rather than chosen), the taste
// model's probability that the listener likes it (Selector.SetTaste,
// Pass.Taste; 0 without one), and its arc term (ArcCost; 0 without an
// arc). The zero value is none of them.
type Extra struct {
	Prior  float64
	Liking float64
	Arc    float64 // already weighed: Arc.Weight·(value − target)²
}

// Score combines a transition's terms into its cost: flow·distance −
// sweetness·keySim − smoothness·tempoSim − belong·prior − taste·liking +
// arc. Lower is better.
func (k *Knobs) Score(distance, keySim, tempoSim float64, x Extra) float64 {
	s := k.Flow*distance - k.Sweetness*keySim - k.Smoothness*tempoSim - k.Belong*x.Prior - k.Taste*x.Liking
	if x.Arc != 0 {
		s += x.Arc
	}
	return s
}

// Extras are a scan's per-candidate extras (Extra), by index in the
// candidates; a nil slice is 0 for every candidate. The zero value adds
// nothing.
type Extras struct {
	Prior  []float64 // each candidate's Prior
	Liking []float64 // each candidate's taste term
	// Arc, when not nil, holds each candidate's value of the arc's
	// feature (raw, as Arc reads it); each pays ArcCost(ArcWeight,
	// Arc[i], ArcTarget), the arc's term at the position being filled.
	Arc                  []float64
	ArcWeight, ArcTarget float64
}

// At returns candidate i's extras.
func (x *Extras) At(i int) Extra {
	var e Extra
	if x.Prior != nil {
		e.Prior = x.Prior[i]
	}
	if x.Liking != nil {
		e.Liking = x.Liking[i]
	}
	if x.Arc != nil {
		e.Arc = ArcCost(x.ArcWeight, x.Arc[i], x.ArcTarget)
	}
	return e
}

// ArcCost is an arc's term, once: weight·(value − target)² for a song
// whose arc feature is value at a position where the arc's target is
// target. A sort's position costs, a build's scan and every pick's Terms
// take it from here.
func ArcCost(weight, value, target float64) float64 {
	d := value - target
	return weight * d * d
}

// PriorHalf is the rank at which a candidate source's proposal weighs half
// its first (see Prior).
const PriorHalf = 10

// Prior returns the belonging term's measure for the candidate a source
// listed at 0-based rank r, its preference first: 1/(1 + r/PriorHalf), so
// 1 for its first proposal, ½ for its eleventh, about 0.1 for its 91st.
// Every source orders its pool by preference (nearest first, song2vec's
// most similar first, the hybrid's quotas interleaved by rank), so the
// term means the same for all of them, and it does not depend on the
// pool's size.
func Prior(r int) float64 { return 1 / (1 + float64(r)/PriorHalf) }

// PoolPriors returns Prior of each rank 0..n-1, appended to dst[:0].
func PoolPriors(dst []float64, n int) []float64 {
	dst = dst[:0]
	for r := range n {
		dst = append(dst, Prior(r))
	}
	return dst
}

// Distance returns ‖target − x_i‖₂ for song i of s.
func (s *Songs) Distance(target *features.Vector, i int) float64 {
	x := s.X[i*8 : i*8+8 : i*8+8]
	var d float64
	for j, v := range target {
		e := v - x[j]
		d += e * e
	}
	return math.Sqrt(d)
}

// Cost returns the cost of playing song i of s after from, with the flow
// term measured to target and the song's extras x (its prior, taste term
// and arc term): DISCO's objective. It is NaN when a term is.
func (k *Knobs) Cost(s *Songs, i int, target *features.Vector, from From, x Extra) float64 {
	return k.Score(s.Distance(target, i), s.KeySim(from, i), s.TempoSim(from, i), x)
}

// Terms returns the parts of Cost.
func (k *Knobs) Terms(s *Songs, i int, target *features.Vector, from From, x Extra) Terms {
	t := Terms{Distance: s.Distance(target, i), KeySim: s.KeySim(from, i), TempoSim: s.TempoSim(from, i), Prior: x.Prior, Taste: x.Liking, Arc: x.Arc}
	t.Score = k.Score(t.Distance, t.KeySim, t.TempoSim, x)
	return t
}

// Rules are the DJ's rules a transition may break. A broken rule adds its
// penalty to the transition's cost; an infinite penalty forbids the move.
// The zero value applies no rule.
type Rules struct {
	// KeyPenalty is added when both keys are known and keySim < 1, that
	// is unless the keys are the same, relative, or a fifth apart.
	KeyPenalty float64
	// TempoPenalty is added when both tempos are known and differ by more
	// than TempoTolerance, half and double time allowed.
	TempoPenalty float64
	// TempoTolerance is the largest tempo change that mixes, as a
	// fraction; 0 means theory.DefaultTempoTolerance (6%).
	TempoTolerance float64
	// ArtistGap g > 0 keeps an artist out of the g songs after each of
	// its songs (g = 3: at least three other songs between two of one
	// artist): a build never picks such a song, a sort pays ArtistPenalty
	// for each. Artists are compared by their normalised first name.
	ArtistGap     int
	ArtistPenalty float64
}

// tempoCos returns the smallest tempo phase product that mixes: a tempo
// ratio r (folded by octaves) mixes when cos(2π·log2 r) ≥ tempoCos, that
// is |log2 r| ≤ log2(1 + tolerance). (It is a little stricter below 1
// than |r − 1| ≤ tolerance: 0.9434 rather than 0.94 at 6%.)
func (r *Rules) tempoCos() float64 {
	tol := r.TempoTolerance
	if tol == 0 {
		tol = theory.DefaultTempoTolerance
	}
	return math.Cos(2 * math.Pi * math.Log2(1+tol))
}

// Penalty returns the penalties song i of s pays after from.
func (r *Rules) Penalty(s *Songs, i int, from From) float64 {
	return r.penalty(s, i, from, r.tempoCos())
}

// penalty is Penalty with r.tempoCos() given.
func (r *Rules) penalty(s *Songs, i int, from From, tempoCos float64) float64 {
	var p float64
	if r.KeyPenalty != 0 && s.keyBreaks(from, i) {
		p += r.KeyPenalty
	}
	if r.TempoPenalty != 0 && s.tempoBreaks(from, i, tempoCos) {
		p += r.TempoPenalty
	}
	return p
}

// keyBreaks reports whether song i after from breaks the key rule: both
// keys known and keySim < 1.
func (s *Songs) keyBreaks(from From, i int) bool {
	return from.fifths < 12 && s.Fifths[i] < 12 && s.KeySim(from, i) < 1
}

// tempoBreaks reports whether song i after from breaks the tempo rule:
// both tempos known and their phase product below tempoCos.
func (s *Songs) tempoBreaks(from From, i int, tempoCos float64) bool {
	return (from.tc != 0 || from.ts != 0) && (s.TC[i] != 0 || s.TS[i] != 0) && s.TempoSim(from, i) < tempoCos
}

// Best returns the candidate of s in [lo, hi) with the lowest finite cost
// whose recording is not taken (used[Rec[i]] != stamp), and its cost; -1
// when there is none. Ties go to the lower rank[i] when rank is not nil,
// else to the lower index. A NaN cost never wins.
//
// With rules, each candidate also pays rules.Penalty, and a candidate
// whose artist is among recent (the artists of the songs just before it,
// as many as the artist gap asks) is skipped.
//
// x holds the candidates' extras: prior, taste and arc (Pass.extras).
func (k *Knobs) Best(s *Songs, lo, hi int, rank []int32, x Extras, target *features.Vector, from From, used []uint32, stamp uint32, rules *Rules, recent []int32) (int, float64) {
	var top [1]scored
	if k.scan(top[:], s, lo, hi, rank, x, target, from, used, stamp, rules, recent) == 0 {
		return -1, math.Inf(1)
	}
	return top[0].i, top[0].cost
}

// scan fills dst with the len(dst) best candidates for Best, best first,
// and returns how many it found.
func (k *Knobs) scan(dst []scored, s *Songs, lo, hi int, rank []int32, ex Extras, target *features.Vector, from From, used []uint32, stamp uint32, rules *Rules, recent []int32) int {
	ks := &keySims[from.fifths]
	x, fifths, tc, ts, rec := s.X[:8*hi], s.Fifths[:hi], s.TC[:hi], s.TS[:hi], s.Rec[:hi]
	penalise := rules != nil && (rules.KeyPenalty != 0 || rules.TempoPenalty != 0)
	var tcos float64
	if penalise {
		tcos = rules.tempoCos()
	}
	prior, liking, arc := ex.Prior, ex.Liking, ex.Arc
	if k.Belong == 0 {
		prior = nil
	}
	if k.Taste == 0 {
		liking = nil
	}
	n, worst := 0, math.Inf(1) // worst: the cost to beat once dst is full
	for i := lo; i < hi; i++ {
		if used[rec[i]] == stamp || (len(recent) > 0 && slices.Contains(recent, s.Artist[i])) {
			continue
		}
		xi := x[i*8 : i*8+8 : i*8+8]
		var d float64
		for j, v := range target {
			e := v - xi[j]
			d += e * e
		}
		// k.Score, written out so that the loop stays flat; a test holds
		// the two together bit for bit.
		c := k.Flow*math.Sqrt(d) - k.Sweetness*ks[fifths[i]] - k.Smoothness*(from.tc*tc[i]+from.ts*ts[i])
		if prior != nil {
			c -= k.Belong * prior[i]
		}
		if liking != nil {
			c -= k.Taste * liking[i]
		}
		if arc != nil {
			if a := ArcCost(ex.ArcWeight, arc[i], ex.ArcTarget); a != 0 {
				c += a
			}
		}
		if penalise {
			c += rules.penalty(s, i, from, tcos)
		}
		if !(c <= worst) { // NaN, +Inf (forbidden) or worse than the kept
			continue
		}
		r := int32(i)
		if rank != nil {
			r = rank[i]
		}
		e := scored{i, c, r}
		if n == len(dst) && !better(e, dst[n-1]) {
			continue
		}
		j := min(n, len(dst)-1)
		for j > 0 && better(e, dst[j-1]) {
			dst[j] = dst[j-1]
			j--
		}
		dst[j] = e
		n = min(n+1, len(dst))
		if n == len(dst) {
			worst = dst[n-1].cost
		}
	}
	return n
}

// Pass is one greedy or beam pass of DISCO's selection: the seeds are fed
// to the network in order, then each next song is chosen among the
// candidates Cands[Lo:Hi] whose recording is not taken.
//
// Used is indexed by recording id: a recording is taken when
// Used[rec] == Stamp. The caller marks the seeds' recordings (and any
// other it wants excluded); the pass marks every song it picks. Length is
// the number of songs in all, seeds included.
type Pass struct {
	Seeds  *Songs
	Cands  *Songs
	Lo, Hi int
	Rank   []int32 // tie-break: the lower rank wins; nil: the lower index
	// Prior[i] is candidate i's prior (see Prior): how strongly the
	// candidate source proposed it; nil: 0 for every candidate.
	Prior []float64
	// Taste[i] is candidate i's taste term (Knobs.Taste weighs it): the
	// taste model's probability that the listener likes it, in [0, 1];
	// nil: 0 for every candidate.
	Taste  []float64
	Used   []uint32
	Stamp  uint32
	Length int
	Rules  *Rules // nil: none
	// To, when not nil, holds the one song that ends the playlist: a
	// bridge. It counts in Length, so the pass picks Length − Seeds.Len()
	// − 1 songs, never To's recording (the caller marks it taken) nor its
	// artist within the artist gap before it. The flow target then moves
	// along the path from the last seed to To (see target), and a beam
	// counts To's transition in each playlist's cost.
	To *Songs
	// Blend in [0, 1] is the path's share of a bridge's flow target; the
	// network's target has the rest. Ignored without To.
	Blend float64
	// Arc, when not nil, is a target curve the playlist follows: the
	// song at position pos (0: the first seed) pays the arc's term,
	// ArcCost(Arc.Weight, its value, Arc's target at pos/(Length − 1)),
	// chosen or given. ArcValue[i] is candidate i's value of the arc's
	// feature (raw, as Arc reads it), ArcTo To's.
	Arc      *Arc
	ArcValue []float64
	ArcTo    float64
	// Pins, when not nil, holds the songs given at positions: Pins[pos]
	// is the index in Cands of the song that must stand at playlist
	// position pos, or -1 (nil or short: none). A pinned song is placed,
	// not chosen: it lies outside [Lo, Hi), its Rec is -1 (the caller
	// takes its recording), and its Prior and Taste are 0. The moves into
	// and out of it count as any other; the picks before it keep its
	// artist out of the artist gap, as before To.
	Pins []int32
}

// arcAt returns the arc's term of a song whose arc feature is value at
// position pos; 0 without an arc.
func (p *Pass) arcAt(pos int, value float64) float64 {
	if p.Arc == nil {
		return 0
	}
	return ArcCost(p.Arc.weight(), value, p.Arc.Target(p.Arc.at(pos, p.Length)))
}

// pinAt returns the index in Cands of the song pinned at position pos, or
// -1.
func (p *Pass) pinAt(pos int) int32 {
	if pos < len(p.Pins) {
		return p.Pins[pos]
	}
	return -1
}

// mark sets candidate c's recording's entry in Used to v; a pinned song
// has no recording there (its Rec is -1: the caller took it).
func (p *Pass) mark(c int32, v uint32) {
	if r := p.Cands.Rec[c]; r >= 0 {
		p.Used[r] = v
	}
}

// extras returns the candidates' extras at playlist position pos: their
// priors, taste terms and, with an arc, their values of its feature and
// the arc's target at pos.
func (p *Pass) extras(pos int) Extras {
	x := Extras{Prior: p.Prior, Liking: p.Taste}
	if p.Arc != nil {
		x.Arc, x.ArcWeight, x.ArcTarget = p.ArcValue, p.Arc.weight(), p.Arc.Target(p.Arc.at(pos, p.Length)) // the scan's arcAt
	}
	return x
}

// DefaultBlend is the path's share of a bridge's flow target when a build
// does not say (Options.Blend): all of it. On 30 random pairs of catalog
// songs, 12-song bridges from a hybrid pool of 400, the rank correlation
// of position and distance to the end is −0.79 greedy and −0.87 with a
// beam of 8 at blend 1, against −0.65 and −0.71 at 0.8 and −0.40 at 0.5
// (bench/sort/bridge.py): the network's prediction pulls the path away
// from its line.
const DefaultBlend = 1.0

// picks returns the number of songs the pass chooses.
func (p *Pass) picks() int {
	n := p.Length - p.Seeds.Len()
	if p.To != nil {
		n--
	}
	return max(n, 0)
}

// target returns the flow target of the song at playlist position pos
// (0: the first seed), given the network's prediction y and the seeds'
// mean m: k.Target(y, m), and for a bridge
//
//	(1 − Blend)·k.Target(y, m) + Blend·(a + f·(b − a))
//
// with a the last seed's scaled features, b To's and f the share of the
// way from the last seed (f = 0) to To (f = 1) that pos stands at. Every
// pass, beam and explanation takes its targets from here.
func (p *Pass) target(k *Knobs, y, m *features.Vector, pos int) features.Vector {
	t := k.Target(y, m)
	if p.To == nil {
		return t
	}
	n := p.Seeds.Len()
	f := float64(pos-(n-1)) / float64(p.Length-n)
	a, b := p.Seeds.X[(n-1)*8:n*8], p.To.X[:8]
	for j := range t {
		t[j] = (1-p.Blend)*t[j] + p.Blend*(a[j]+f*(b[j]-a[j]))
	}
	return t
}

// toCost returns the cost of a bridge's last song after song from, given
// the network's prediction y after from: its Cost (its arc term, not its
// prior nor taste: it is given, not chosen) and its rules' penalty.
func (p *Pass) toCost(k *Knobs, y, m *features.Vector, from From) float64 {
	pos := p.Length - 1
	t := p.target(k, y, m, pos)
	c := k.Cost(p.To, 0, &t, from, Extra{Arc: p.arcAt(pos, p.ArcTo)})
	if p.Rules != nil {
		c += p.Rules.Penalty(p.To, 0, from)
	}
	return c
}

// pinCost returns the cost of the song pinned at position pos, candidate
// c, after from, given the network's prediction y after from: its Cost
// and its rules' penalty, as a chosen song's.
func (p *Pass) pinCost(k *Knobs, y, m *features.Vector, pos int, c int32, from From) float64 {
	t := p.target(k, y, m, pos)
	x := p.extras(pos)
	cost := k.Cost(p.Cands, int(c), &t, from, x.At(int(c)))
	if p.Rules != nil {
		cost += p.Rules.Penalty(p.Cands, int(c), from)
	}
	return cost
}

// feedSeeds resets pred and feeds it the seeds (all but the last when the
// playlist is the seeds alone), returning its prediction of the next song.
func (p *Pass) feedSeeds(pred Predictor) features.Vector {
	pred.Reset()
	var y features.Vector
	for i := range p.Seeds.Len() {
		if i+1 < p.Length {
			y = pred.Step(&p.Seeds.In[i])
		}
	}
	return y
}

// recent returns the artists the next pick may not share under the
// artist gap: those of the last gap songs of seeds followed by picks.
func (p *Pass) recent(dst []int32, picks []int32) []int32 {
	dst = dst[:0]
	if p.Rules == nil || p.Rules.ArtistGap < 1 {
		return dst
	}
	pos := p.Seeds.Len() + len(picks) // the position being filled
	if p.To != nil && p.Length-1-pos <= p.Rules.ArtistGap && p.To.Artist[0] >= 0 {
		dst = append(dst, p.To.Artist[0]) // the bridge's end is near
	}
	for q := pos + 1; q <= pos+p.Rules.ArtistGap && q < len(p.Pins); q++ {
		if c := p.Pins[q]; c >= 0 && p.Cands.Artist[c] >= 0 {
			dst = append(dst, p.Cands.Artist[c]) // a pinned song is near
		}
	}
	for back := 1; back <= p.Rules.ArtistGap; back++ {
		var a int32
		switch j := len(picks) - back; {
		case j >= 0:
			a = p.Cands.Artist[picks[j]]
		case p.Seeds.Len()+j >= 0:
			a = p.Seeds.Artist[p.Seeds.Len()+j]
		default:
			return dst
		}
		if a >= 0 {
			dst = append(dst, a)
		}
	}
	return dst
}

// Greedy runs DISCO's greedy pass: each next song is the candidate with the
// lowest Cost after the previous song, against the network's prediction
// given every song so far. It appends the index in Cands of each pick to
// picks and, when preds is not nil, the prediction each pick answered to
// *preds (for a bridge, then the prediction p.To answers, when every pick
// was made). The network is reset and fed each song once, except the
// last. It stops early when the candidates run out. A bridge's last song
// is not looked ahead to: the last pick is the cheapest after the one
// before it. Nor is a pin (p.Pins): its position takes its song, and the
// pick before it is the cheapest after the song before that. With an arc
// (p.Arc) each pick's cost has the arc's term at its position.
func (k *Knobs) Greedy(pred Predictor, p *Pass, picks []int32, preds *[]features.Vector) []int32 {
	n := p.Seeds.Len()
	y := p.feedSeeds(pred)
	from := p.Seeds.From(n - 1)
	var recent [24]int32 // the gap (at most 8), To and pins within it
	start := len(picks)
	m := p.Seeds.Mean()
	end := n + p.picks()
	for songs := n; songs < end; songs++ {
		target := p.target(k, &y, &m, songs)
		best := int(p.pinAt(songs))
		if best < 0 {
			best, _ = k.Best(p.Cands, p.Lo, p.Hi, p.Rank, p.extras(songs), &target, from, p.Used, p.Stamp, p.Rules, p.recent(recent[:0], picks[start:]))
		}
		if best < 0 {
			break
		}
		p.mark(int32(best), p.Stamp)
		picks = append(picks, int32(best))
		if preds != nil {
			*preds = append(*preds, y)
		}
		if songs+1 < p.Length {
			y = pred.Step(&p.Cands.In[best])
		}
		from = p.Cands.From(best)
	}
	if p.To != nil && preds != nil && len(picks)-start == end-n {
		*preds = append(*preds, y)
	}
	return picks
}
