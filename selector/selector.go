package selector

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model/scale"
	"github.com/discoflow/disco/theory"
)

// Knobs weigh the terms of the objective. The zero value switches every term
// off; use DefaultKnobs for DISCO's defaults.
type Knobs struct {
	Flow       float64 `json:"flow"`       // weight of the distance to the prediction
	Spicyness  float64 `json:"spicyness"`  // stretch of the prediction away from the mean
	Sweetness  float64 `json:"sweetness"`  // weight of key similarity
	Smoothness float64 `json:"smoothness"` // weight of tempo similarity
	// Belong weighs how strongly the candidate source proposed the song
	// (Prior: 1 for its first proposal, falling with its rank), so
	// that the seeds' world is not traded away for a slightly better
	// flow; 0, the original's, lets the flow alone choose among the pool.
	Belong float64 `json:"belong"`
	// Taste weighs the taste term: a taste model's probability that the
	// listener likes the song (Selector.SetTaste, Pass.Taste); 0, the
	// default, or no taste model switches it off.
	Taste float64 `json:"taste,omitempty"`
	// Centre is the point spicyness stretches the prediction away from:
	// the catalog's mean (the original's, the zero value) or the seeds'.
	Centre Centre `json:"centre"`
}

// DefaultKnobs are disco's defaults: flow 1, spicyness 5, sweetness 0.75,
// smoothness 1 (chosen by a sweep on held-out playlists, bench/eval/
// README.md) and belong 6, chosen with the hybrid source's pool size and
// quotas by `disco eval --folds 5` over the training playlists and the
// rule written in bench/eval/README.md: with candidates.DefaultPoolSize
// and DefaultQuotas the picks from the seeds' own playlist are 10.0% ±
// 0.5 (belong 0 and the first quotas: 6.5%), 83.1% of their genre, with
// 95.3% of moves key-compatible and 94.2% within 6% BPM.
func DefaultKnobs() Knobs {
	return Knobs{Flow: 1, Spicyness: 5, Sweetness: 0.75, Smoothness: 1, Belong: 6}
}

// OriginalKnobs are the knobs of the original DISCO notebooks: flow 1,
// spicyness 1.2, sweetness 1, smoothness 1.
var OriginalKnobs = Knobs{Flow: 1, Spicyness: 1.2, Sweetness: 1, Smoothness: 1}

// Predictor is the flow model as the selector uses it: fed one song at a
// time (its 9 inputs: mode, then the 8 scaled features), it returns its
// prediction of the next song's scaled features. *model.Predictor
// implements it.
type Predictor interface {
	Reset()
	Step(in *[9]float64) features.Vector
}

// Terms are the parts of one candidate's score.
type Terms struct {
	Distance float64 `json:"distance"`  // ‖spicyness·y − x_c‖₂
	KeySim   float64 `json:"key_sim"`   // theory.KeySim(previous, candidate)
	TempoSim float64 `json:"tempo_sim"` // theory.TempoSim(previous, candidate)
	Prior    float64 `json:"prior"`     // how strongly the candidate source proposed it (Prior), 0 without one
	// Taste is the taste model's probability that the listener likes the
	// song (Selector.SetTaste), 0 without a taste model; JSON shows it
	// only when Tasted.
	Taste float64 `json:"taste"`
	// Arc is the arc's term (ArcCost: weight·(value − target)²), 0
	// without an arc; JSON shows it only when Arced.
	Arc     float64 `json:"arc"`
	Penalty float64 `json:"penalty"` // the rules' penalties (Rules.Penalty)
	Score   float64 `json:"score"`   // the weighted sum plus the penalty; lower is better
	tasted  bool
	arced   bool
}

// Tasted reports whether a taste model measured t.Taste: a build with
// Selector.SetTaste.
func (t Terms) Tasted() bool { return t.tasted }

// Arced reports whether an arc measured t.Arc: a build with Options.Arc.
func (t Terms) Arced() bool { return t.arced }

// MarshalJSON writes t's fields, taste only when Tasted, arc only when
// Arced.
func (t Terms) MarshalJSON() ([]byte, error) {
	type plain struct {
		Distance float64  `json:"distance"`
		KeySim   float64  `json:"key_sim"`
		TempoSim float64  `json:"tempo_sim"`
		Prior    float64  `json:"prior"`
		Taste    *float64 `json:"taste,omitempty"`
		Arc      *float64 `json:"arc,omitempty"`
		Penalty  float64  `json:"penalty"`
		Score    float64  `json:"score"`
	}
	v := plain{Distance: t.Distance, KeySim: t.KeySim, TempoSim: t.TempoSim, Prior: t.Prior, Penalty: t.Penalty, Score: t.Score}
	if t.tasted {
		v.Taste = &t.Taste
	}
	if t.arced {
		v.Arc = &t.Arc
	}
	return json.Marshal(v)
}

// Pick is one position of a built playlist, with its explanation.
type Pick struct {
	Track     *features.Track
	Seed      bool
	Scaled    features.Vector  // the track's scaled features
	Predicted *features.Vector // the prediction it answered; nil for seeds
	Terms     Terms            // zero for seeds
	Move      theory.Move      // key move from the previous song; theory.Unknown for the first
	Camelot   string           // e.g. "8A -> 9A (+1)"; "" for the first song
	BPMRatio  float64          // tempo ratio to the previous song folded by octaves; NaN unknown or first
	Sources   []string         // the candidate sources that proposed it, when known (candidates.Hybrid.Why)
}

// Tracks returns the tracks of a playlist's picks, in order.
func Tracks(picks []Pick) []*features.Track {
	ts := make([]*features.Track, len(picks))
	for i, p := range picks {
		ts[i] = p.Track
	}
	return ts
}

// Selector chooses songs from a fixed set of candidates. Build it once per
// candidate set with New; Build may then run many times (with other seeds
// or knobs). A Selector is not safe for concurrent use; make one per
// goroutine (they may share the candidate tracks).
type Selector struct {
	scaler *scale.Scaler
	tracks []*features.Track
	cands  Songs            // the candidates; Rec numbers their recordings
	prior  []float64        // the candidates' priors, by their order (Prior)
	taste  []float64        // the candidates' taste terms (SetTaste); nil: none
	recs   map[string]int32 // recording key -> recording id
	arts   artistIDs
	byID   map[string]int
	used   []uint32 // per recording: == stamp when taken in this build
	stamp  uint32
	seeds  Songs // scratch: the seeds of the current build
	to     Songs // scratch: a bridge's last song
	n      int   // the candidates' count: pinned songs follow them in a build
	pins   []int32
	arcs   []float64 // scratch: the candidates' values of an arc's feature
	picks  []int32
	preds  []features.Vector
	beam   Beam
}

// ErrNoCandidates is returned when a playlist needs more songs than the
// candidates can give.
var ErrNoCandidates = errors.New("selector: not enough candidates")

// New returns a Selector over the candidates that have features, in the
// order given, which is the candidate source's preference (see Prior and
// Knobs.Belong). Tracks
// without all abstract features, or whose scaled features are not finite,
// are left out (the caller can find them with features.Track.HasFeatures);
// their count is returned.
func New(cands []*features.Track, scaler *scale.Scaler) (*Selector, int) {
	s := &Selector{scaler: scaler, recs: make(map[string]int32, len(cands)), arts: artistIDs{}, byID: make(map[string]int, len(cands))}
	s.tracks = make([]*features.Track, 0, len(cands))
	var key []byte
	dropped := 0
	for _, t := range cands {
		if !t.HasFeatures {
			dropped++
			continue
		}
		z := scaler.Transform(t.Features)
		if !finite(&z) {
			dropped++
			continue
		}
		key = appendRecordingKey(key[:0], t)
		id, ok := s.recs[string(key)] // no allocation for the look-up
		if !ok {
			id = int32(len(s.recs))
			s.recs[string(key)] = id
		}
		s.tracks = append(s.tracks, t)
		s.cands.Add(t, z, id, s.arts.id(t))
		if _, ok := s.byID[t.ID]; !ok {
			s.byID[t.ID] = len(s.tracks) - 1
		}
	}
	s.used = make([]uint32, len(s.recs))
	s.prior = PoolPriors(nil, len(s.tracks))
	s.n = len(s.tracks)
	return s, dropped
}

// artistIDs numbers artists by their normalised first name.
type artistIDs map[string]int32

// id returns the id of t's first artist, numbering new ones; -1 when t
// has none.
func (a artistIDs) id(t *features.Track) int32 {
	if len(t.Artists) == 0 {
		return -1
	}
	n := features.Normalize(t.Artists[0])
	if n == "" {
		return -1
	}
	id, ok := a[n]
	if !ok {
		id = int32(len(a))
		a[n] = id
	}
	return id
}

func finite(z *features.Vector) bool {
	for _, v := range z {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// SetTaste gives every candidate its taste term, liking(t): the
// probability, in [0, 1], that the listener likes track t (a taste
// model's, see model/taste). Knobs.Taste weighs it in every later build,
// greedy or beam, and the picks' Terms show it. A bridge's given end is
// not chosen, so it has none, like its prior. nil removes the term. It
// returns an error, and keeps the candidates' earlier terms, if a value
// is not a number in [0, 1].
func (s *Selector) SetTaste(liking func(t *features.Track) float64) error {
	if liking == nil {
		s.taste = nil
		return nil
	}
	v := make([]float64, len(s.tracks))
	for i, t := range s.tracks {
		v[i] = liking(t)
		if !(v[i] >= 0 && v[i] <= 1) {
			return fmt.Errorf("selector: taste of %q is %v, not a probability in [0, 1]", t.String(), v[i])
		}
	}
	s.taste = v
	return nil
}

// Len returns the number of candidates.
func (s *Selector) Len() int { return len(s.tracks) }

// Tracks returns the candidates, in pool order.
func (s *Selector) Tracks() []*features.Track { return s.tracks }

// Build returns a playlist of length songs: the seeds, in order, then songs
// chosen greedily from the candidates. pred is reset and fed each song
// once, except the last song. Seeds (and every recording equal to a seed)
// are never candidates, and each recording is picked once. It returns
// ErrNoCandidates, with the songs chosen so far, when the candidates run
// out.
func (s *Selector) Build(seeds []*features.Track, pred Predictor, k Knobs, length int) ([]Pick, error) {
	return s.BuildWith(seeds, pred, k, length, Options{})
}

// Options are a build's choices beyond the knobs. The zero value is
// DISCO's greedy pass with no rules.
type Options struct {
	// Rules add penalties for moves that do not mix and keep artists
	// apart; nil: none.
	Rules *Rules
	// Beam > 0 searches that many partial playlists at once (Beam.Run)
	// instead of the greedy pass; the predictor must then be a
	// StatePredictor.
	Beam int
	// To, when not nil, makes the build a bridge from the last seed to
	// To: To ends the playlist (it counts in length, which must leave it
	// a place after the seeds) and the flow target moves from the last
	// seed's features to To's along the way (Pass.To). To must have
	// features and be no seed's recording.
	To *features.Track
	// Blend in [0, 1] is the path's share of a bridge's flow target (the
	// network's prediction has the rest); 0 means DefaultBlend. Ignored
	// without To.
	Blend float64
	// Arc, when not nil, is a target curve for one feature along the
	// playlist (as Sort follows it): each pick's cost gains the arc's
	// term at its position (ArcCost; Pass.Arc), greedy or beam.
	Arc *Arc
	// Pins are songs given at positions: each stands at its Pos, the
	// build filling around it (Pass.Pins). A pin must have features,
	// stand after the seeds and before length (and a bridge's end), and
	// be no seed, no other pin and not To; one pin a position.
	Pins []Pin
}

// Pin is a song given at a position of a build.
type Pin struct {
	Track *features.Track
	Pos   int // 0-based position in the playlist (0: the first seed)
}

// BuildWith is Build with options: rules, and a beam search instead of the
// greedy pass.
func (s *Selector) BuildWith(seeds []*features.Track, pred Predictor, k Knobs, length int, o Options) ([]Pick, error) {
	p, err := s.pass(seeds, length)
	if err != nil {
		return nil, err
	}
	p.Rules = o.Rules
	if o.To != nil {
		if err := s.bridge(p, seeds, o); err != nil {
			return nil, err
		}
	}
	defer s.unpin()
	if err := s.pin(p, seeds, o); err != nil {
		return nil, err
	}
	if o.Arc != nil {
		if err := o.Arc.check(); err != nil {
			return nil, err
		}
		s.arcs = s.arcs[:0]
		for _, t := range s.tracks {
			s.arcs = append(s.arcs, t.Features[o.Arc.Feature])
		}
		p.Arc, p.ArcValue = o.Arc, s.arcs
		if o.To != nil {
			p.ArcTo = o.To.Features[o.Arc.Feature]
		}
	}
	s.preds = s.preds[:0]
	if o.Beam > 0 {
		sp, ok := pred.(StatePredictor)
		if !ok {
			return nil, errors.New("selector: a beam search needs a predictor whose state can be saved")
		}
		s.picks = s.beam.Run(&k, sp, p, o.Beam, s.picks[:0], &s.preds)
	} else {
		s.picks = k.Greedy(pred, p, s.picks[:0], &s.preds)
	}
	return s.explain(p, seeds, o.To, k, length)
}

// bridge makes p a bridge to o.To.
func (s *Selector) bridge(p *Pass, seeds []*features.Track, o Options) error {
	t := o.To
	if !t.HasFeatures {
		return fmt.Errorf("selector: the bridge's end %q has no audio features", t.String())
	}
	z := s.scaler.Transform(t.Features)
	if !finite(&z) {
		return fmt.Errorf("selector: the bridge's end %q has features out of the scaler's range", t.String())
	}
	for _, sd := range seeds {
		if sd.ID == t.ID || RecordingKey(sd) == RecordingKey(t) {
			return fmt.Errorf("selector: the bridge's end %q is a seed", t.String())
		}
	}
	if p.Length < len(seeds)+1 {
		return fmt.Errorf("selector: a bridge of %d songs has no place for its end after %d seeds", p.Length, len(seeds))
	}
	blend := o.Blend
	if blend == 0 {
		blend = DefaultBlend
	}
	if !(blend >= 0 && blend <= 1) {
		return fmt.Errorf("selector: blend %v is not in [0, 1]", o.Blend)
	}
	s.to.Reset()
	s.to.Add(t, z, -1, s.arts.id(t))
	s.take(t)
	p.To, p.Blend = &s.to, blend
	return nil
}

// pin appends o's pinned songs to the candidates, after the last (at
// s.n and on: outside the pass's [Lo, Hi), with Rec -1, prior and taste
// 0), takes their recordings and sets p.Pins.
func (s *Selector) pin(p *Pass, seeds []*features.Track, o Options) error {
	if len(o.Pins) == 0 {
		return nil
	}
	end := p.Length // the positions a pin may take: [len(seeds), end)
	if o.To != nil {
		end--
	}
	s.pins = slices.Grow(s.pins[:0], p.Length)[:p.Length]
	for i := range s.pins {
		s.pins[i] = -1
	}
	for _, pn := range o.Pins {
		t := pn.Track
		switch {
		case pn.Pos < len(seeds):
			return fmt.Errorf("selector: %q is pinned at position %d, a seed's (the seeds stand at 1 to %d)", t.String(), pn.Pos+1, len(seeds))
		case o.To != nil && pn.Pos == end:
			return fmt.Errorf("selector: %q is pinned at position %d, the bridge's end's", t.String(), pn.Pos+1)
		case pn.Pos >= end:
			return fmt.Errorf("selector: %q is pinned at position %d, beyond the playlist's %d songs", t.String(), pn.Pos+1, p.Length)
		case s.pins[pn.Pos] >= 0:
			return fmt.Errorf("selector: %q and %q are both pinned at position %d", s.tracks[s.pins[pn.Pos]].String(), t.String(), pn.Pos+1)
		case !t.HasFeatures:
			return fmt.Errorf("selector: the pinned song %q has no audio features", t.String())
		}
		z := s.scaler.Transform(t.Features)
		if !finite(&z) {
			return fmt.Errorf("selector: the pinned song %q has features out of the scaler's range", t.String())
		}
		others := slices.Clone(seeds)
		if o.To != nil {
			others = append(others, o.To)
		}
		for _, c := range s.pins {
			if c >= 0 {
				others = append(others, s.tracks[c])
			}
		}
		for _, u := range others {
			if u.ID == t.ID || RecordingKey(u) == RecordingKey(t) {
				return fmt.Errorf("selector: the pinned song %q is already in the playlist (a seed, the bridge's end or another pin)", t.String())
			}
		}
		s.pins[pn.Pos] = int32(len(s.tracks))
		s.tracks = append(s.tracks, t)
		s.cands.Add(t, z, -1, s.arts.id(t))
		s.prior = append(s.prior, 0) // given, not chosen: no prior, no taste
		if s.taste != nil {
			s.taste = append(s.taste, 0)
		}
		s.take(t)
	}
	p.Prior, p.Taste, p.Pins = s.prior, s.taste, s.pins
	return nil
}

// unpin removes the pinned songs pin appended to the candidates.
func (s *Selector) unpin() {
	if len(s.tracks) == s.n {
		return
	}
	s.tracks, s.prior = s.tracks[:s.n], s.prior[:s.n]
	if s.taste != nil {
		s.taste = s.taste[:s.n]
	}
	c := &s.cands
	c.X, c.Fifths, c.TC, c.TS, c.In, c.Rec, c.Artist = c.X[:8*s.n], c.Fifths[:s.n], c.TC[:s.n], c.TS[:s.n], c.In[:s.n], c.Rec[:s.n], c.Artist[:s.n]
}

// take marks t's recording, and every candidate with t's id, taken in the
// current pass.
func (s *Selector) take(t *features.Track) {
	if i, ok := s.byID[t.ID]; ok {
		s.used[s.cands.Rec[i]] = s.stamp
	}
	if r, ok := s.recs[RecordingKey(t)]; ok {
		s.used[r] = s.stamp
	}
}

// pass prepares a pass over every candidate from the given seeds: a new
// stamp, the seeds' recordings taken.
func (s *Selector) pass(seeds []*features.Track, length int) (*Pass, error) {
	if len(seeds) == 0 {
		return nil, errors.New("selector: no seed songs")
	}
	s.seeds.Reset()
	for _, t := range seeds {
		if !t.HasFeatures {
			return nil, fmt.Errorf("selector: seed %q has no audio features", t.String())
		}
		s.seeds.Add(t, s.scaler.Transform(t.Features), -1, s.arts.id(t))
	}
	s.stamp++
	if s.stamp == 0 { // wrapped
		clear(s.used)
		s.stamp = 1
	}
	for _, t := range seeds {
		s.take(t)
	}
	return &Pass{Seeds: &s.seeds, Cands: &s.cands, Lo: 0, Hi: s.cands.Len(), Prior: s.prior, Taste: s.taste, Used: s.used, Stamp: s.stamp, Length: length}, nil
}

// explain turns a pass's picks (s.picks), and the predictions they
// answered (s.preds), into the playlist with every pick's terms; a
// bridge's end to follows them when every pick was made.
func (s *Selector) explain(pass *Pass, seeds []*features.Track, to *features.Track, k Knobs, length int) ([]Pick, error) {
	picks, preds := s.picks, s.preds
	out := make([]Pick, 0, len(seeds)+len(picks)+1)
	for i, t := range seeds {
		p := Pick{Track: t, Seed: true, Scaled: s.seeds.Scaled(i), BPMRatio: math.NaN(), Move: theory.Unknown}
		if i > 0 {
			explain(&p, seeds[i-1])
		}
		out = append(out, p)
	}
	from, prev := s.seeds.From(len(seeds)-1), seeds[len(seeds)-1]
	m := s.seeds.Mean()
	// pick explains song i of songs, track t, at the next position.
	pick := func(songs *Songs, i int, t *features.Track, y features.Vector, x Extra) {
		target := pass.target(&k, &y, &m, len(out))
		p := Pick{Track: t, Scaled: songs.Scaled(i), Predicted: &y, Terms: k.Terms(songs, i, &target, from, x)}
		p.Terms.tasted = pass.Taste != nil
		p.Terms.arced = pass.Arc != nil
		if pass.Rules != nil {
			p.Terms.Penalty = pass.Rules.Penalty(songs, i, from)
			p.Terms.Score += p.Terms.Penalty
		}
		explain(&p, prev)
		out = append(out, p)
		from, prev = songs.From(i), t
	}
	for j, c := range picks {
		x := pass.extras(len(out))
		pick(&s.cands, int(c), s.tracks[c], preds[j], x.At(int(c))) // a pin's prior and taste are 0
	}
	if to != nil && len(preds) > len(picks) {
		pick(&s.to, 0, to, preds[len(picks)], Extra{Arc: pass.arcAt(len(out), pass.ArcTo)}) // given, not chosen: no prior, no taste
	}
	if len(out) < length {
		return out, ErrNoCandidates
	}
	return out, nil
}

func explain(p *Pick, prev *features.Track) {
	a := theory.NewKey(prev.Key, prev.Mode)
	b := theory.NewKey(p.Track.Key, p.Track.Mode)
	p.Move = theory.Classify(a, b)
	p.Camelot = theory.Transition(a, b)
	p.BPMRatio = theory.TempoRatio(prev.Tempo, p.Track.Tempo)
}
