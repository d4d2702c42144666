package taste

import (
	"math"
	"slices"
)

// AUC returns the area under the ROC curve of scores for the positives
// (pos[i] true) against the negatives: the probability that a random
// positive scores higher than a random negative, ties counting one half
// (the Mann-Whitney U statistic over n+ n-). It returns NaN when either
// class is empty. It panics if the lengths differ.
func AUC(scores []float64, pos []bool) float64 {
	if len(scores) != len(pos) {
		panic("taste: AUC with scores and labels of different lengths")
	}
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmpFloat(scores[a], scores[b]) })
	var np, nn, rankSum float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		mid := float64(i+j+1) / 2 // the average 1-based rank of the tie group
		for _, k := range idx[i:j] {
			if pos[k] {
				rankSum += mid
				np++
			} else {
				nn++
			}
		}
		i = j
	}
	if np == 0 || nn == 0 {
		return math.NaN()
	}
	return (rankSum - np*(np+1)/2) / (np * nn)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ROCPoint is one point of a ROC curve.
type ROCPoint struct{ FPR, TPR float64 }

// ROC returns the ROC curve of scores for the positives: from (0, 0) to
// (1, 1), one point per distinct score, thresholds from the highest down
// (tied scores move both rates at once). It returns nil when either class
// is empty. It panics if the lengths differ.
func ROC(scores []float64, pos []bool) []ROCPoint {
	if len(scores) != len(pos) {
		panic("taste: ROC with scores and labels of different lengths")
	}
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmpFloat(scores[b], scores[a]) })
	var np, nn float64
	for _, p := range pos {
		if p {
			np++
		} else {
			nn++
		}
	}
	if np == 0 || nn == 0 {
		return nil
	}
	pts := []ROCPoint{{0, 0}}
	var tp, fp float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			if pos[idx[j]] {
				tp++
			} else {
				fp++
			}
			j++
		}
		pts = append(pts, ROCPoint{fp / nn, tp / np})
		i = j
	}
	return pts
}

// Scores are the classification figures of one predictor on labelled
// songs. Precision, recall and F1 are macro averages over the labels (a
// label never predicted has precision 0, as scikit-learn's
// zero_division=0); AUC is the label's one-vs-rest AUC, macro-averaged
// over the labels for more than two (for two, the AUC of the second
// label, which is also the first's).
type Scores struct {
	N         int         `json:"n"`
	AUC       float64     `json:"auc"`
	F1        float64     `json:"f1"`
	Precision float64     `json:"precision"`
	Recall    float64     `json:"recall"`
	Accuracy  float64     `json:"accuracy"`
	PerLabel  []LabelStat `json:"per_label"`
	// Confusion[i][j] counts the songs of label i predicted as label j.
	Confusion [][]int `json:"confusion"`
}

// LabelStat are one label's figures.
type LabelStat struct {
	AUC       float64 `json:"auc"`
	F1        float64 `json:"f1"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	Support   int     `json:"support"`
}

// Score returns the figures of the predicted probabilities probs (one row
// per song, one column per label, k = len(probs[i]) labels) against the
// true labels ys. The predicted label is the most probable one (ties to
// the lower index). It panics if the lengths differ. A label without
// songs has NaN AUC, and counts 0 in the averages of precision, recall and F1.
func Score(probs [][]float64, ys []int) Scores {
	if len(probs) != len(ys) {
		panic("taste: Score with probabilities and labels of different lengths")
	}
	if len(probs) == 0 {
		return Scores{}
	}
	k := len(probs[0])
	s := Scores{N: len(ys), PerLabel: make([]LabelStat, k), Confusion: make([][]int, k)}
	for i := range s.Confusion {
		s.Confusion[i] = make([]int, k)
	}
	correct := 0
	for i, p := range probs {
		pred := argmax(p)
		s.Confusion[ys[i]][pred]++
		if pred == ys[i] {
			correct++
		}
	}
	s.Accuracy = float64(correct) / float64(len(ys))
	col := make([]float64, len(ys))
	pos := make([]bool, len(ys))
	var aucSum float64
	var aucN int
	for c := range k {
		for i, p := range probs {
			col[i], pos[i] = p[c], ys[i] == c
		}
		st := &s.PerLabel[c]
		st.AUC = AUC(col, pos)
		if !math.IsNaN(st.AUC) {
			aucSum += st.AUC
			aucN++
		}
		var tp, pred int
		for r := range k {
			pred += s.Confusion[r][c]
			st.Support += s.Confusion[c][r]
		}
		tp = s.Confusion[c][c]
		if pred > 0 {
			st.Precision = float64(tp) / float64(pred)
		}
		if st.Support > 0 {
			st.Recall = float64(tp) / float64(st.Support)
		}
		if st.Precision+st.Recall > 0 {
			st.F1 = 2 * st.Precision * st.Recall / (st.Precision + st.Recall)
		}
		s.Precision += st.Precision / float64(k)
		s.Recall += st.Recall / float64(k)
		s.F1 += st.F1 / float64(k)
	}
	s.AUC = math.NaN()
	switch {
	case k == 2:
		s.AUC = s.PerLabel[1].AUC
	case aucN > 0:
		s.AUC = aucSum / float64(aucN)
	}
	return s
}

// argmax returns the index of the largest value of p, the first of ties.
func argmax(p []float64) int {
	best := 0
	for j, v := range p {
		if v > p[best] {
			best = j
		}
	}
	return best
}
