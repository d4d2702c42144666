package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model/scale"
	"github.com/discoflow/disco/model/taste"
	"github.com/discoflow/disco/selector"
)

// tasteFlags are the taste term's flags of disco build and disco eval.
type tasteFlags struct {
	file   string
	forArg string
	weight float64
	set    bool // --taste-weight was given
}

// defaultTasteWeight is the taste term's weight when --taste is given
// without --taste-weight.
const defaultTasteWeight = 1.0

func (f *tasteFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.file, "taste", "", "taste model `file` (disco taste train): add its taste term, the probability that --taste-for likes the song, to the score")
	fs.StringVar(&f.forArg, "taste-for", "", "with --taste: the `label` whose songs to prefer; a comma list (or \"both\" for a two-label model) prefers songs all of them would like, by the least of their probabilities")
	fs.Func("taste-weight", fmt.Sprintf("with --taste: the taste term's `weight`, in [0, %d] (default %g)", selector.MaxWeight, defaultTasteWeight), func(s string) error {
		v, err := parseFloat(s)
		f.weight, f.set = v, true
		return err
	})
}

func parseFloat(s string) (float64, error) {
	var v float64
	if _, err := fmt.Sscan(s, &v); err != nil || strings.TrimSpace(s) != s {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return v, nil
}

// validate checks the flags before any work and puts the weight in k.
func (f *tasteFlags) validate(k *selector.Knobs) error {
	if f.file == "" {
		if f.set || f.forArg != "" {
			return badFlag(errors.New("--taste-weight and --taste-for go with --taste (a taste model file, from disco taste train)"))
		}
		return nil
	}
	if f.forArg == "" {
		return badFlag(errors.New("--taste needs --taste-for: the label whose songs to prefer"))
	}
	k.Taste = defaultTasteWeight
	if f.set {
		k.Taste = f.weight
	}
	return nil
}

// tasteTerm is a loaded taste model and the labels it prefers.
type tasteTerm struct {
	m     *taste.Model
	names []string
	idx   []int // the labels' indices in m.Labels
	pred  *taste.Predictor
}

// openTaste loads f's taste model, resolves --taste-for among its labels
// and checks that it was trained on the flow model's features (flow: the
// flow model's scaler). nil without --taste.
func openTaste(f *tasteFlags, flow *scale.Scaler) (*tasteTerm, error) {
	if f.file == "" {
		return nil, nil
	}
	m, err := taste.Load(f.file)
	if err != nil {
		return nil, fmt.Errorf("--taste %s: %w", f.file, err)
	}
	names := strings.Split(f.forArg, ",")
	if f.forArg == "both" && m.Label("both") < 0 {
		if len(m.Labels) != 2 {
			return nil, fmt.Errorf("--taste-for both: the taste model %s has %d labels (%s), not two; name them: --taste-for %s", f.file, len(m.Labels), strings.Join(m.Labels, ", "), strings.Join(m.Labels[:2], ","))
		}
		names = m.Labels
	}
	tt := &tasteTerm{m: m, pred: m.NewPredictor()}
	for _, n := range names {
		n = strings.TrimSpace(n)
		i := m.Label(n)
		if i < 0 {
			return nil, fmt.Errorf("--taste-for %q: the taste model %s has no such label; it has: %s", n, f.file, strings.Join(m.Labels, ", "))
		}
		if slices.Contains(tt.idx, i) {
			return nil, fmt.Errorf("--taste-for: label %q given twice", n)
		}
		tt.names, tt.idx = append(tt.names, n), append(tt.idx, i)
	}
	if err := sameFeatures(&m.Scaler, flow); err != nil {
		return nil, fmt.Errorf("--taste %s: %w", f.file, err)
	}
	return tt, nil
}

// Bounds of sameFeatures: the flow model's data must sit within
// maxCentreShift standard deviations of the taste model's centre, with a
// spread between 1/maxSpreadRatio and maxSpreadRatio times its own. A
// taste model of one person's liked songs moves the centre by about one
// sd at most; features in other units (a 0-100 scale, loudness as a
// ratio) move it by tens.
const (
	maxCentreShift = 3.0
	maxSpreadRatio = 4.0
)

// sameFeatures reports an error when the taste model's scaler (fitted on
// its training songs) and the flow model's describe different features:
// for each feature, the flow scaler's centre and ±1 sd, in raw units,
// are put through the taste scaler.
func sameFeatures(ts, flow *scale.Scaler) error {
	var lo, mid, hi features.Vector
	for j := range lo {
		lo[j], hi[j] = -1, 1
	}
	zl, zm, zh := ts.Transform(flow.Inverse(lo)), ts.Transform(flow.Inverse(mid)), ts.Transform(flow.Inverse(hi))
	for j, name := range features.AbstractNames {
		span := (zh[j] - zl[j]) / 2
		if !(math.Abs(zm[j]) <= maxCentreShift) || !(span >= 1/maxSpreadRatio && span <= maxSpreadRatio) {
			return fmt.Errorf("it was trained on other features than the flow model's: %s's centre in the flow model's data is %.3g sd from the taste model's, and its spread %.3g times (allowed: %g sd, %g to %g times); train the taste model on songs with the same features (disco taste train)",
				name, zm[j], span, maxCentreShift, 1/maxSpreadRatio, maxSpreadRatio)
		}
	}
	return nil
}

// probs returns the model's probabilities for t, or nil without features.
func (tt *tasteTerm) probs(t *features.Track) []float64 {
	p, err := tt.pred.Probs(t)
	if err != nil {
		return nil
	}
	return p
}

// liking is the taste term: the least of the --taste-for labels'
// probabilities (0 without features).
func (tt *tasteTerm) liking(t *features.Track) float64 {
	v, _ := tt.of(t)
	return v
}

// of returns the taste term of t and whether the model assigns t to one
// of the --taste-for labels (its most likely label is one of them).
func (tt *tasteTerm) of(t *features.Track) (float64, bool) {
	p := tt.probs(t)
	if p == nil {
		return 0, false
	}
	v := 1.0
	for _, i := range tt.idx {
		v = min(v, p[i])
	}
	best := 0
	for i, x := range p {
		if x > p[best] {
			best = i
		}
	}
	return v, slices.Contains(tt.idx, best)
}

// describe names the term for the reports.
func (tt *tasteTerm) describe(file string) string {
	return fmt.Sprintf("taste %s for %s", file, strings.Join(tt.names, "+"))
}
