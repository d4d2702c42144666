package eval

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/discoflow/disco/model"
	"github.com/discoflow/disco/selector"
)

// shuffledReorder returns the shuffles' flow for a reorder of r whose
// songs after the seeds are at the given positions of r, ascending: the
// shuffles start from that canonical order, so they depend only on the
// set of songs, not on the order the reorder put them in.
func (d *Data) shuffledReorder(r *run, ri int, set []int32, sc *flowScratch) [numFlow]float64 {
	ns := d.opt.Seeds
	sc.cseq, sc.cpos = sc.cseq[:0], sc.cpos[:0]
	for p := range ns {
		sc.cseq = append(sc.cseq, r.idx[p])
		sc.cpos = append(sc.cpos, int32(p))
	}
	for _, p := range set {
		sc.cseq = append(sc.cseq, r.idx[p])
		sc.cpos = append(sc.cpos, p)
	}
	return d.tab.shuffled(sc.cseq, ns, sc.cpos, d.opt.Shuffles, d.opt.Seed, 0x5e0_0000_0000+uint64(ri), sc)
}

// measureHuman measures the human order of every playlist long enough for
// the generation tasks, and its shuffles.
func (d *Data) measureHuman() {
	tb := &d.tab
	ns := d.opt.Seeds
	sc := newFlowScratch()
	var pos []int32
	for ri := range d.runs {
		r := &d.runs[ri]
		if len(r.idx) <= ns {
			continue
		}
		pos = pos[:0]
		for i := range r.idx {
			pos = append(pos, int32(i))
		}
		f := tb.measure(r.idx, ns, pos, sc)
		d.human.add(&f)
		v := tb.shuffled(r.idx, ns, pos, d.opt.Shuffles, d.opt.Seed, 0x4a0_0000_0000+uint64(ri), sc)
		d.humanShuffled.add(&v)
		// The reorder task's usual set of songs, and its shuffles.
		var seeds []int32
		for _, i := range r.idx[:ns] {
			seeds = append(seeds, tb.s.Rec[i])
		}
		for _, p := range r.fresh {
			if int(p) >= ns && !slices.Contains(seeds, tb.s.Rec[r.idx[p]]) {
				r.reorderSet = append(r.reorderSet, p)
			}
		}
		r.reorderShuffled = d.shuffledReorder(r, ri, r.reorderSet, sc)
	}
}

// Human returns the flow of the playlists' human order and of its
// shuffles (the songs after the seeds), with the lift.
func (d *Data) Human() Generation {
	g := Generation{Order: d.human.mean(), Shuffled: d.humanShuffled.mean(), Listener: d.humanListener()}
	g.Lift = g.Order.Lift(g.Shuffled)
	for _, r := range d.runs {
		if len(r.idx) > d.opt.Seeds {
			g.Playlists++
		}
	}
	return g
}

// Prediction returns the model's prediction error against the baselines on
// the playlists, or nil when Options.Model was not set.
func (d *Data) Prediction() *model.Evaluation { return d.prediction }

// RankerScores is one ranker's ranking within the playlist and against
// the catalog.
type RankerScores struct {
	Name    string  `json:"name"`
	Within  Ranking `json:"within"`
	Catalog Ranking `json:"catalog"`
}

// GenerationScores is one order's flow, with its shuffles'.
type GenerationScores struct {
	Name string `json:"name"` // "human", "reorder" or "build"
	Generation
}

// Report is everything disco eval shows for one Setting.
type Report struct {
	Setting     Setting `json:"setting"`
	Playlists   int     `json:"playlists"` // playlists (runs) evaluated
	Catalog     int     `json:"catalog"`   // catalog candidates
	Seeds       int     `json:"seeds"`
	Distractors int     `json:"distractors"`
	Shuffles    int     `json:"shuffles"`
	BuildLength int     `json:"build_length"` // songs per built playlist; -1: the playlist's
	Seed        uint64  `json:"seed"`
	Fingerprint string  `json:"fingerprint"`
	// Prediction is the model's next-step error against its baselines;
	// nil without Options.Model.
	Prediction *model.Evaluation `json:"prediction,omitempty"`
	// Ranking holds the rankers in RankerNames' order, DISCO last.
	Ranking []RankerScores `json:"ranking"`
	// Generation holds the human order, the reorder and the build task.
	Generation []GenerationScores `json:"generation"`
	// Sequencer is the sequencer against the exact solver and the greedy
	// order (CheckSequencer, SeqCheckSets sets of SeqCheckSize songs);
	// nil without Options.Sort or with a negative flow.
	Sequencer *SeqCheck `json:"sequencer,omitempty"`
}

// Build scores the build task alone for s: the figures of Report's
// "build" row, without the rankers and the other tasks (a sweep over
// folds needs no more).
func (d *Data) Build(s Setting) (Generation, error) {
	if err := d.validSetting(s); err != nil {
		return Generation{}, err
	}
	return d.NewEvaluator().generate(s, taskBuild), nil
}

// rankers returns every ranker's scores in RankerNames' order, DISCO's
// (computed by the caller for its Setting) last.
func (e *Evaluator) rankers(discoWithin, discoCatalog Ranking) []RankerScores {
	var out []RankerScores
	for kind := range numRankers {
		rs := RankerScores{Name: RankerNames[kind]}
		switch kind {
		case rankDISCO:
			rs.Within, rs.Catalog = discoWithin, discoCatalog
		case rankRandom:
			rs.Within, rs.Catalog = e.rank(kind, selector.Knobs{})
		default:
			rs.Within, rs.Catalog = e.rank(kind, selector.Knobs{Flow: 1, Spicyness: 1})
		}
		out = append(out, rs)
	}
	return out
}

// Rankings scores s's ranking alone: Report's Ranking (every ranker, in
// RankerNames' order, DISCO last), without the generation tasks, for
// callers that need only the MRRs (disco train --cv).
func (d *Data) Rankings(s Setting) ([]RankerScores, error) {
	if err := d.validSetting(s); err != nil {
		return nil, err
	}
	e := d.NewEvaluator()
	w, c := d.rankFast(s.Knobs)
	return e.rankers(w, c), nil
}

// Ranker returns the named ranker's scores in rs (Report.Ranking or
// Rankings), and whether it is there.
func Ranker(rs []RankerScores, name string) (RankerScores, bool) {
	for _, r := range rs {
		if r.Name == name {
			return r, true
		}
	}
	return RankerScores{}, false
}

// Report scores s with every ranker and task, next to the human order.
func (d *Data) Report(s Setting) (*Report, error) {
	if err := d.validSetting(s); err != nil {
		return nil, err
	}
	e := d.NewEvaluator()
	sum, err := e.Run(s)
	if err != nil {
		return nil, err
	}
	rep := &Report{
		Setting:     s,
		Playlists:   len(d.runs),
		Catalog:     len(d.cat),
		Seeds:       d.opt.Seeds,
		Distractors: d.opt.Distractors,
		Shuffles:    d.opt.Shuffles,
		BuildLength: d.opt.BuildLength,
		Seed:        d.opt.Seed,
		Fingerprint: d.fp,
		Prediction:  d.prediction,
	}
	rep.Ranking = e.rankers(sum.Within, sum.Catalog)
	rep.Generation = []GenerationScores{
		{"human", d.Human()},
		{"reorder", sum.Reorder},
	}
	if d.opt.Sort {
		rep.Generation = append(rep.Generation, GenerationScores{"sort", e.generate(s, taskSort)})
		if s.Knobs.Flow >= 0 { // costs have a floor to measure from
			if rep.Sequencer, err = d.CheckSequencer(context.Background(), s.Knobs, SeqCheckSets, SeqCheckSize); err != nil {
				return nil, err
			}
		}
	}
	rep.Generation = append(rep.Generation, GenerationScores{"build", sum.Build})
	// Random picks: only their listener figures mean anything.
	rep.Generation = append(rep.Generation, GenerationScores{"random picks", Generation{Listener: d.randomListener(), Order: nanFlow(), Shuffled: nanFlow(), Lift: nanFlow()}})
	if d.opt.Beam > 0 {
		if _, ok := e.pred.(selector.StatePredictor); !ok {
			return nil, errors.New("eval: Options.Beam needs a predictor whose state can be saved")
		}
		rep.Generation = append(rep.Generation, GenerationScores{fmt.Sprintf("build, beam %d", d.opt.Beam), e.generate(s, taskBeam)})
	}
	return rep, nil
}

func nanFlow() Flow {
	var v [numFlow]float64
	for i := range v {
		v[i] = math.NaN()
	}
	return flowOf(v)
}
