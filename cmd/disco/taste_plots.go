package main

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/internal/atomic"
	"github.com/discoflow/disco/model/taste"
	"github.com/discoflow/disco/model/tsne"
	"github.com/discoflow/disco/plots"
)

func plotsShorten(s string) string { return plots.Shorten(s, 40) }

// oddSong is a held-out song whose nearest neighbours on the t-SNE map
// mostly carry another label.
type oddSong struct {
	track *features.Track
	label string // its own
	among string // the label most of its neighbours carry
	share int    // how many of its k neighbours carry among
	k     int
}

// maxOdd is how many out-of-place songs are named.
const maxOdd = 8

// minTSNE is the fewest held-out songs the t-SNE map is drawn for.
const minTSNE = 16

// tastePlots adds roc.png, loss.png and tsne.png (paths, in that order) to
// outs and returns the out-of-place songs it named on the map.
func tastePlots(outs *atomic.Set, o *tasteTrainOptions, set *labelledSet, res *tasteResult, paths []string) ([]oddSong, error) {
	// ROC: one panel per trained predictor, one curve per label (the
	// second label's only for two).
	var groups [][]plots.ROCCurve
	var titles []string
	testY := make([]int, len(res.testIdx))
	for j, i := range res.testIdx {
		testY[j] = set.ys[i]
	}
	for _, p := range res.predictors[:2] {
		var curves []plots.ROCCurve
		for c, l := range set.labels {
			if len(set.labels) == 2 && c == 0 {
				continue
			}
			scores := make([]float64, len(testY))
			pos := make([]bool, len(testY))
			for i := range testY {
				scores[i], pos[i] = p.probs[i][c], testY[i] == c
			}
			pts := taste.ROC(scores, pos)
			cur := plots.ROCCurve{Label: l, AUC: p.Scores.PerLabel[c].AUC}
			for _, pt := range pts {
				cur.FPR = append(cur.FPR, pt.FPR)
				cur.TPR = append(cur.TPR, pt.TPR)
			}
			curves = append(curves, cur)
		}
		groups = append(groups, curves)
		titles = append(titles, fmt.Sprintf("%s (AUC %.3f)", p.Name, p.Scores.AUC))
	}
	what := "one-vs-rest per label"
	if len(set.labels) == 2 {
		what = set.labels[1] + " against " + set.labels[0]
	}
	fig, err := plots.ROC(groups, titles, fmt.Sprintf("ROC on %d held-out songs, %s", len(testY), what))
	if err != nil {
		return nil, err
	}
	if err := plots.AddTo(outs, fig, 0, 0, paths[0]); err != nil {
		return nil, err
	}

	m := res.model
	var tr, va []float64
	for _, e := range m.Info.History {
		tr = append(tr, e.Train)
		va = append(va, e.Val)
	}
	fig, err = plots.TrainingLoss(tr, va, m.Info.BestEpoch-1, "cross-entropy (class-weighted)",
		fmt.Sprintf("%s: loss per epoch, early stopping with patience %d", describeNet(m.Config), m.Config.Patience))
	if err != nil {
		return nil, err
	}
	if err := plots.AddTo(outs, fig, 0, 0, paths[1]); err != nil {
		return nil, err
	}

	// t-SNE of the last hidden layer on (a seeded sample of) the held-out
	// songs.
	idx := slices.Clone(res.testIdx)
	if len(idx) > o.tsneMax {
		rng := rand.New(rand.NewPCG(o.cfg.Seed, 0x75e))
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		idx = idx[:o.tsneMax]
		slices.Sort(idx)
	}
	if len(idx) < minTSNE {
		return nil, fmt.Errorf("the t-SNE map needs at least %d held-out songs, and there are %d: raise --test or give more songs, or leave out --plot-dir", minTSNE, len(idx))
	}
	pred := m.NewPredictor()
	hx := make([][]float64, len(idx))
	for j, i := range idx {
		h, err := pred.Hidden(set.tracks[i])
		if err != nil {
			return nil, err
		}
		hx[j] = slices.Clone(h)
	}
	perp := min(o.perplexity, float64(len(idx)-1)/3)
	y, err := tsne.Embed(context.Background(), hx, tsne.Options{Perplexity: perp, Seed: o.cfg.Seed})
	if err != nil {
		return nil, fmt.Errorf("t-SNE: %w", err)
	}
	odd, oddAt := outOfPlace(y, idx, set, 10)
	pts := make([]plots.LabelledPoint, len(idx))
	for j, i := range idx {
		pts[j] = plots.LabelledPoint{X: y[j][0], Y: y[j][1], Label: set.ys[i]}
	}
	for n, j := range oddAt {
		pts[j].Name = odd[n].track.String()
	}
	kept := tsne.NeighboursKept(hx, y, 10)
	fig, err = plots.Embedding(pts, set.labels, fmt.Sprintf("t-SNE of the last hidden layer, %d held-out songs (perplexity %.0f; %.0f%% of 10-NN kept)", len(idx), perp, 100*kept))
	if err != nil {
		return nil, err
	}
	if err := plots.AddTo(outs, fig, 0, 0, paths[2]); err != nil {
		return nil, err
	}
	return odd, nil
}

// outOfPlace returns the songs (at most maxOdd) most of whose k nearest
// neighbours on the map carry one other label, most out of place first:
// by the count of those neighbours, then by the distance to the nearest
// song of their own label, farthest first (then the earlier song). It
// also returns their indices in y.
func outOfPlace(y [][2]float64, idx []int, set *labelledSet, k int) ([]oddSong, []int) {
	type cand struct {
		j, share, among int
		own             float64 // squared distance to the nearest song of its own label
	}
	var cands []cand
	k = min(k, len(y)-1)
	order := make([]int, len(y))
	d := make([]float64, len(y))
	for j := range y {
		for i := range y {
			dx, dy := y[j][0]-y[i][0], y[j][1]-y[i][1]
			d[i] = dx*dx + dy*dy
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int {
			switch {
			case d[a] < d[b]:
				return -1
			case d[a] > d[b]:
				return 1
			}
			return a - b
		})
		counts := make([]int, len(set.labels))
		for _, i := range order[1 : k+1] {
			counts[set.ys[idx[i]]]++
		}
		own := set.ys[idx[j]]
		best := -1
		for c, n := range counts {
			if c != own && (best < 0 || n > counts[best]) {
				best = c
			}
		}
		if counts[best] > k/2 {
			c := cand{j: j, share: counts[best], among: best, own: math.Inf(1)}
			for _, i := range order[1:] {
				if set.ys[idx[i]] == own {
					c.own = d[i]
					break
				}
			}
			cands = append(cands, c)
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		if a.share != b.share {
			return b.share - a.share
		}
		return cmp.Compare(b.own, a.own)
	})
	var odd []oddSong
	var at []int
	for _, c := range cands[:min(len(cands), maxOdd)] {
		t := set.tracks[idx[c.j]]
		odd = append(odd, oddSong{track: t, label: set.labels[set.ys[idx[c.j]]], among: set.labels[c.among], share: c.share, k: k})
		at = append(at, c.j)
	}
	return odd, at
}
