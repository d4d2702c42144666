package eval

import "math"

// Goals are what a default setting's built playlists must reach to be
// eligible: at least Key of transitions with keySim = 1 and Tempo within
// 6% BPM, with a drift no larger than MaxDrift (the human order's on the
// same playlists).
type Goals struct {
	Key, Tempo, MaxDrift float64
}

// DefaultGoals are the goals of the default rule: 95% key-compatible, 90%
// within 6% BPM, and no more drift than the human order's.
func DefaultGoals(humanDrift float64) Goals {
	return Goals{Key: 0.95, Tempo: 0.90, MaxDrift: humanDrift}
}

// Choice is one setting's build figures, as the default rule reads them:
// means over folds, or one split's values.
type Choice struct {
	// PrecisionSD is how far Precision can be trusted: the spread over
	// folds, or one split's standard error (RowChoice).
	Precision, PrecisionSD float64
	Genre, Drift           float64
	Key, Tempo             float64
}

// Met reports whether c reaches the goals.
func (g Goals) Met(c Choice) bool {
	return c.Key >= g.Key && c.Tempo >= g.Tempo && c.Drift <= g.MaxDrift
}

// Choose is the rule that picks a default setting by what listeners
// notice (bench/eval/README.md): among the settings that meet the goals,
// those whose precision is within one PrecisionSD of the most precise
// one's are as precise as the data can tell; of them, the one whose picks
// most often share the playlist's genre, then the more precise, then the
// first. It returns -1 when no setting meets the goals. disco eval
// --folds and disco sweep both choose with it.
func Choose(cs []Choice, g Goals) int {
	best := -1
	for i, c := range cs {
		if g.Met(c) && (best < 0 || c.Precision > cs[best].Precision) {
			best = i
		}
	}
	if best < 0 {
		return -1
	}
	floor := cs[best].Precision - cs[best].PrecisionSD
	chosen := best
	for i, c := range cs {
		if !g.Met(c) || c.Precision < floor {
			continue
		}
		if o := cs[chosen]; c.Genre > o.Genre || (c.Genre == o.Genre && c.Precision > o.Precision) {
			chosen = i
		}
	}
	return chosen
}

// RowChoice returns a sweep row's figures for Choose, picks being the
// number of picks its build task judged: the precision's standard error
// is then √(p(1−p)/picks), a binomial share's.
func RowChoice(r Row, picks int) Choice {
	v := func(name string) float64 { return r.Values[MetricIndex(name)] }
	p := v("build_precision")
	return Choice{Precision: p, PrecisionSD: math.Sqrt(p * (1 - p) / float64(max(picks, 1))),
		Genre: v("build_genre"), Drift: v("build_drift"), Key: v("build_key"), Tempo: v("build_tempo")}
}

// ChooseRows applies Choose to sweep rows (RowChoice).
func ChooseRows(rows []Row, g Goals, picks int) int {
	cs := make([]Choice, len(rows))
	for i, r := range rows {
		cs[i] = RowChoice(r, picks)
	}
	return Choose(cs, g)
}
