package taste_test

import (
	"fmt"

	"github.com/discoflow/disco/model/taste"
)

func ExampleAUC() {
	// Scores of 2 positives and 3 negatives; one positive ties a negative.
	scores := []float64{0.9, 0.4, 0.4, 0.2, 0.1}
	pos := []bool{true, true, false, false, false}
	fmt.Printf("%.3f\n", taste.AUC(scores, pos))
	// Output: 0.917
}

func ExampleStratifiedSplit() {
	ys := []int{0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	kept, held := taste.StratifiedSplit(ys, 0.2, 1)
	fmt.Println(len(kept), len(held)) // one of label 0, two of label 1 held out
	// Output: 12 3
}

func ExampleScore() {
	probs := [][]float64{{0.8, 0.2}, {0.6, 0.4}, {0.3, 0.7}, {0.45, 0.55}}
	s := taste.Score(probs, []int{0, 1, 1, 0})
	fmt.Printf("accuracy %.2f, AUC %.2f, confusion %v\n", s.Accuracy, s.AUC, s.Confusion)
	// Output: accuracy 0.50, AUC 0.75, confusion [[1 1] [1 1]]
}
