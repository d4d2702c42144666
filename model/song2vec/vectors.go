package song2vec

import (
	"fmt"
	"math"
	"sort"
)

// Vectors holds one embedding per word (track id): row i of Data, that is
// Data[i*Dim:(i+1)*Dim], belongs to Words[i].
//
// Vectors made by New, Train and the readers are ready to use. If you build
// one yourself or change Words or Data afterwards, call Reindex before using
// its methods (Index, Vector, Mean and Nearest panic on Vectors never
// indexed). The methods are safe for concurrent use; none changes Data.
type Vectors struct {
	Words []string  // one per row, distinct
	Dim   int       // vector length, at least 1
	Data  []float64 // len(Words)*Dim values, row-major
	// Counts holds each word's number of occurrences in the training corpus,
	// parallel to Words, or is nil when unknown (vectors read from a file).
	// Train sorts words by count, most frequent first, as word2vec does.
	Counts []int64

	index   map[string]int
	invNorm []float64    // 1/|row|, 0 for a zero row
	search  *searchIndex // built on the first Nearest over many rows
}

// Neighbor is one result of Nearest: a row, its word and its cosine
// similarity to the query.
type Neighbor struct {
	Index int
	Word  string
	Score float64
}

// New returns Vectors for words and their row-major data, indexed. It is an
// error for words to repeat, for dim to be less than 1, for len(data) to
// differ from len(words)*dim, for counts to be neither nil nor as long as
// words, or for a value to be NaN or infinite. The slices are not copied.
func New(words []string, dim int, data []float64, counts []int64) (*Vectors, error) {
	v := &Vectors{Words: words, Dim: dim, Data: data, Counts: counts}
	if err := v.Reindex(); err != nil {
		return nil, err
	}
	return v, nil
}

// Reindex validates v as New does and rebuilds the word index and the table
// of row norms that Index, Nearest and Mean use.
func (v *Vectors) Reindex() error {
	if v.Dim < 1 {
		return fmt.Errorf("song2vec: dimension %d is less than 1", v.Dim)
	}
	if len(v.Data) != len(v.Words)*v.Dim {
		return fmt.Errorf("song2vec: %d values for %d words of dimension %d", len(v.Data), len(v.Words), v.Dim)
	}
	if v.Counts != nil && len(v.Counts) != len(v.Words) {
		return fmt.Errorf("song2vec: %d counts for %d words", len(v.Counts), len(v.Words))
	}
	index := make(map[string]int, len(v.Words))
	for i, w := range v.Words {
		if j, dup := index[w]; dup {
			return fmt.Errorf("song2vec: word %q appears twice (rows %d and %d)", w, j, i)
		}
		index[w] = i
	}
	for i, x := range v.Data {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("song2vec: word %q has a non-finite value", v.Words[i/v.Dim])
		}
	}
	v.index, v.invNorm = index, invNorms(v.Data, v.Dim, len(v.Words))
	v.search = &searchIndex{}
	return nil
}

// invNorms returns 1/|row| for each of the n rows of data, 0 for zero rows.
func invNorms(data []float64, dim, n int) []float64 {
	inv := make([]float64, n)
	for i := range inv {
		row := data[i*dim : (i+1)*dim]
		if s := math.Sqrt(dot(row, row)); s > 0 {
			inv[i] = 1 / s
		}
	}
	return inv
}

// mustBeIndexed panics if v was built without New or Reindex, or changed
// size since: a programming error that would otherwise give empty results.
func (v *Vectors) mustBeIndexed() {
	if len(v.invNorm) != len(v.Words) || len(v.index) != len(v.Words) {
		panic("song2vec: Vectors used before Reindex")
	}
}

// Len returns the number of words.
func (v *Vectors) Len() int { return len(v.Words) }

// Row returns the vector of row i, sharing v.Data. It panics if i is out of
// range.
func (v *Vectors) Row(i int) []float64 { return v.Data[i*v.Dim : (i+1)*v.Dim : (i+1)*v.Dim] }

// Index returns the row of word, or -1 if it has no vector.
func (v *Vectors) Index(word string) int {
	v.mustBeIndexed()
	if i, ok := v.index[word]; ok {
		return i
	}
	return -1
}

// Vector returns word's vector (sharing v.Data) and whether it has one.
func (v *Vectors) Vector(word string) ([]float64, bool) {
	i := v.Index(word)
	if i < 0 {
		return nil, false
	}
	return v.Row(i), true
}

// Mean returns the mean of the unit-length vectors of ids, so that each id
// weighs the same whatever its vector's norm (gensim's most_similar does
// the same with several positive words), and the ids that have no vector,
// in order. An id given twice counts twice. If none of ids has a vector,
// mean is nil. Zero vectors count as zero.
func (v *Vectors) Mean(ids []string) (mean []float64, missing []string) {
	v.mustBeIndexed()
	n := 0
	for _, id := range ids {
		i := v.Index(id)
		if i < 0 {
			missing = append(missing, id)
			continue
		}
		if mean == nil {
			mean = make([]float64, v.Dim)
		}
		axpy(mean, v.invNorm[i], v.Row(i))
		n++
	}
	if n > 0 {
		for j := range mean {
			mean[j] /= float64(n)
		}
	}
	return mean, missing
}

// Nearest returns the k rows most similar to query by cosine similarity,
// best first, leaving out rows for which exclude (if not nil) returns true.
// Ties go to the lower row index. It returns fewer than k neighbours when
// fewer rows are left, and none when k <= 0. A zero query, or a zero row,
// has similarity 0. It panics if len(query) != v.Dim.
//
// The search is exhaustive and exact. Over fewer than 16384 rows it is one
// pass over Data: a dot product per row, scaled by the row's precomputed
// inverse norm. Over more, the first call builds an index of the unit rows
// quantised to int8 (Dim bytes a row, an eighth of Data) and each query
// reads that instead, then rescores in float64 the few rows whose error
// bound lets them reach the top k, so results are the same as the plain
// scan's. exclude is only consulted for rows that could enter the top k.
func (v *Vectors) Nearest(query []float64, k int, exclude func(i int) bool) []Neighbor {
	if len(query) != v.Dim {
		panic(fmt.Sprintf("song2vec: query of length %d for vectors of dimension %d", len(query), v.Dim))
	}
	v.mustBeIndexed()
	if k <= 0 || len(v.Words) == 0 {
		return nil
	}
	var out []Neighbor
	qn := math.Sqrt(dot(query, query))
	switch {
	case qn == 0: // every similarity is 0: the first k rows left
		for i := 0; i < v.Len() && len(out) < k; i++ {
			if exclude == nil || !exclude(i) {
				out = append(out, Neighbor{Index: i})
			}
		}
	case v.Len() < searchMin:
		out = v.nearestScan(query, 1/qn, k, exclude)
	default:
		out = v.nearestIndexed(query, 1/qn, k, exclude)
	}
	for j := range out {
		out[j].Word = v.Words[out[j].Index]
	}
	return out
}

// nearestScan scores every row in float64.
func (v *Vectors) nearestScan(query []float64, qinv float64, k int, exclude func(i int) bool) []Neighbor {
	h := topK{k: k}
	d := v.Dim
	data := v.Data
	for i, inv := range v.invNorm {
		s := dot(query, data[i*d:i*d+d]) * inv * qinv
		if len(h.items) == k && !h.better(s, i) {
			continue
		}
		if exclude != nil && exclude(i) {
			continue
		}
		h.push(s, i)
	}
	return h.sorted()
}

// topK keeps the k best (score, index) pairs in a min-heap whose root is the
// worst kept pair; higher scores are better, then lower indices.
type topK struct {
	k     int
	items []Neighbor
}

// better reports whether (s, i) beats the worst kept pair.
func (h *topK) better(s float64, i int) bool {
	w := h.items[0]
	return s > w.Score || (s == w.Score && i < w.Index)
}

func less(a, b Neighbor) bool { // a worse than b
	return a.Score < b.Score || (a.Score == b.Score && a.Index > b.Index)
}

func (h *topK) push(s float64, i int) {
	n := Neighbor{Index: i, Score: s}
	if len(h.items) < h.k {
		h.items = append(h.items, n)
		for c := len(h.items) - 1; c > 0; {
			p := (c - 1) / 2
			if !less(h.items[c], h.items[p]) {
				break
			}
			h.items[c], h.items[p] = h.items[p], h.items[c]
			c = p
		}
		return
	}
	h.items[0] = n
	for p := 0; ; {
		c := 2*p + 1
		if c >= len(h.items) {
			break
		}
		if c+1 < len(h.items) && less(h.items[c+1], h.items[c]) {
			c++
		}
		if !less(h.items[c], h.items[p]) {
			break
		}
		h.items[c], h.items[p] = h.items[p], h.items[c]
		p = c
	}
}

func (h *topK) sorted() []Neighbor {
	out := h.items
	sort.Slice(out, func(a, b int) bool { return less(out[b], out[a]) })
	return out
}
