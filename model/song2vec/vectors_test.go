package song2vec

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
)

func randomVectors(t testing.TB, n, dim int, seed uint64) *Vectors {
	r := rand.New(rand.NewPCG(seed, 1))
	words := make([]string, n)
	for i := range words {
		words[i] = fmt.Sprint("w", i)
	}
	data := make([]float64, n*dim)
	for i := range data {
		data[i] = r.NormFloat64()
	}
	v, err := New(words, dim, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestNew(t *testing.T) {
	tests := []struct {
		name   string
		words  []string
		dim    int
		data   []float64
		counts []int64
		err    string // "" for success
	}{
		{"ok", []string{"a", "b"}, 2, []float64{1, 0, 0, 1}, []int64{2, 1}, ""},
		{"empty", nil, 3, nil, nil, ""},
		{"zero dim", []string{"a"}, 0, nil, nil, "dimension"},
		{"short data", []string{"a", "b"}, 2, []float64{1, 0, 0}, nil, "3 values"},
		{"duplicate", []string{"a", "a"}, 1, []float64{1, 2}, nil, "appears twice"},
		{"counts", []string{"a", "b"}, 1, []float64{1, 2}, []int64{1}, "counts"},
		{"nan", []string{"a", "b"}, 1, []float64{1, math.NaN()}, nil, "non-finite"},
		{"inf", []string{"a"}, 1, []float64{math.Inf(-1)}, nil, "non-finite"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := New(tc.words, tc.dim, tc.data, tc.counts)
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if v.Len() != len(tc.words) {
					t.Errorf("Len = %d", v.Len())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), "song2vec: ") {
				t.Errorf("error %v, want one mentioning %q", err, tc.err)
			}
		})
	}
}

func TestIndexVectorRow(t *testing.T) {
	v, err := New([]string{"x", "y"}, 2, []float64{1, 2, 3, 4}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if v.Index("y") != 1 || v.Index("z") != -1 {
		t.Errorf("Index: y %d z %d", v.Index("y"), v.Index("z"))
	}
	if r, ok := v.Vector("y"); !ok || !slices.Equal(r, []float64{3, 4}) {
		t.Errorf("Vector(y) = %v %v", r, ok)
	}
	if _, ok := v.Vector("z"); ok {
		t.Error("Vector(z) found")
	}
	// Reindex after changing the data.
	v.Words = append(v.Words, "z")
	v.Data = append(v.Data, 0, 1)
	if err := v.Reindex(); err != nil || v.Index("z") != 2 {
		t.Errorf("after Reindex: %v, Index(z) = %d", err, v.Index("z"))
	}
}

func TestUnindexedPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	v := &Vectors{Words: []string{"a"}, Dim: 1, Data: []float64{1}}
	v.Index("a")
}

func TestMean(t *testing.T) {
	v, err := New([]string{"a", "b", "zero"}, 2, []float64{3, 0, 0, 0.5, 0, 0}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ids     []string
		want    []float64
		missing []string
	}{
		{[]string{"a", "b"}, []float64{0.5, 0.5}, nil}, // unit vectors, not raw
		{[]string{"a", "a", "b"}, []float64{2.0 / 3, 1.0 / 3}, nil},
		{[]string{"a", "nope", "b", "gone"}, []float64{0.5, 0.5}, []string{"nope", "gone"}},
		{[]string{"a", "zero"}, []float64{0.5, 0}, nil},
		{[]string{"nope"}, nil, []string{"nope"}},
		{nil, nil, nil},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.ids, ","), func(t *testing.T) {
			got, missing := v.Mean(tc.ids)
			if !slices.Equal(missing, tc.missing) {
				t.Errorf("missing %v, want %v", missing, tc.missing)
			}
			if (got == nil) != (tc.want == nil) || len(got) != len(tc.want) {
				t.Fatalf("mean %v, want %v", got, tc.want)
			}
			for i := range got {
				if math.Abs(got[i]-tc.want[i]) > 1e-12 {
					t.Errorf("mean %v, want %v", got, tc.want)
				}
			}
		})
	}
}

// nearestBrute ranks all rows by cosine with a full sort.
func nearestBrute(v *Vectors, q []float64, k int, exclude func(int) bool) []Neighbor {
	var all []Neighbor
	qn := math.Sqrt(dotGo(q, q))
	for i := range v.Len() {
		if exclude != nil && exclude(i) {
			continue
		}
		r := v.Row(i)
		s := 0.0
		if n := math.Sqrt(dotGo(r, r)); n > 0 && qn > 0 {
			s = dotGo(q, r) / (n * qn)
		}
		all = append(all, Neighbor{Index: i, Word: v.Words[i], Score: s})
	}
	sort.SliceStable(all, func(a, b int) bool { return all[a].Score > all[b].Score })
	return all[:min(k, len(all))]
}

func TestNearest(t *testing.T) {
	v := randomVectors(t, 500, 7, 3)
	r := rand.New(rand.NewPCG(4, 4))
	for _, k := range []int{1, 5, 50, 499, 500, 600} {
		t.Run(fmt.Sprint("k=", k), func(t *testing.T) {
			q := randSlice(r, 7)
			odd := func(i int) bool { return i%2 == 1 }
			for _, ex := range []func(int) bool{nil, odd} {
				got := v.Nearest(q, k, ex)
				want := nearestBrute(v, q, k, ex)
				if len(got) != len(want) {
					t.Fatalf("%d neighbours, want %d", len(got), len(want))
				}
				for i := range got {
					if got[i].Index != want[i].Index || got[i].Word != want[i].Word || math.Abs(got[i].Score-want[i].Score) > 1e-12 {
						t.Fatalf("neighbour %d = %+v, want %+v", i, got[i], want[i])
					}
				}
			}
		})
	}
}

// TestNearestIndexed checks that the int8 index gives exactly the plain
// scan's neighbours, on random rows, on clustered rows (many near ties),
// on exact duplicates and with exclusions.
func TestNearestIndexed(t *testing.T) {
	defer func(m int) { searchMin = m }(searchMin)
	searchMin = 1
	r := rand.New(rand.NewPCG(8, 8))
	clustered := func(n, dim int) *Vectors {
		centres := randomVectors(t, 5, dim, 9)
		v := randomVectors(t, n, dim, 10)
		for i := range n {
			c := centres.Row(i % 5)
			row := v.Row(i)
			for j := range row {
				row[j] = c[j] + 1e-3*row[j]
				if i%7 == 0 { // exact duplicates of the centre
					row[j] = c[j]
				}
			}
		}
		if err := v.Reindex(); err != nil {
			t.Fatal(err)
		}
		return v
	}
	sets := map[string]*Vectors{
		"random/dim=64":    randomVectors(t, 3000, 64, 5),
		"random/dim=7":     randomVectors(t, 3000, 7, 6),
		"random/dim=100":   randomVectors(t, 2000, 100, 7),
		"clustered/dim=32": clustered(3000, 32),
	}
	for name, v := range sets {
		t.Run(name, func(t *testing.T) {
			for trial := range 20 {
				q := randSlice(r, v.Dim)
				if trial%2 == 0 { // a query right on some row
					copy(q, v.Row(r.IntN(v.Len())))
				}
				k := []int{1, 10, 100}[trial%3]
				var ex func(int) bool
				if trial%4 == 1 {
					ex = func(i int) bool { return i%3 == 0 }
				}
				got := v.Nearest(q, k, ex)
				want := v.nearestScan(q, 1/math.Sqrt(dot(q, q)), k, ex)
				if len(got) != len(want) {
					t.Fatalf("trial %d: %d neighbours, want %d", trial, len(got), len(want))
				}
				for i := range got {
					if got[i].Index != want[i].Index || got[i].Score != want[i].Score {
						t.Fatalf("trial %d: neighbour %d = %+v, want %+v", trial, i, got[i], want[i])
					}
				}
			}
		})
	}
}

func TestNearestEdgeCases(t *testing.T) {
	// Rows 1 and 3 are the same direction as row 0; row 2 is zero.
	v, err := New([]string{"a", "b", "zero", "c"}, 2, []float64{1, 0, 2, 0, 0, 0, 5, 0}, nil)
	if err != nil {
		t.Fatal(err)
	}
	words := func(ns []Neighbor) (w []string) {
		for _, n := range ns {
			w = append(w, n.Word)
		}
		return w
	}
	tests := []struct {
		name string
		q    []float64
		k    int
		ex   func(int) bool
		want []string
	}{
		{"ties to lower index", []float64{1, 0}, 3, nil, []string{"a", "b", "c"}},
		{"exclude", []float64{3, 0}, 2, func(i int) bool { return i == 1 }, []string{"a", "c"}},
		{"zero row scores 0", []float64{-1, 0}, 1, nil, []string{"zero"}},
		{"zero query: all 0, by index", []float64{0, 0}, 4, nil, []string{"a", "b", "zero", "c"}},
		{"k 0", []float64{1, 0}, 0, nil, nil},
		{"all excluded", []float64{1, 0}, 2, func(int) bool { return true }, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := words(v.Nearest(tc.q, tc.k, tc.ex)); !slices.Equal(got, tc.want) {
				t.Errorf("Nearest = %v, want %v", got, tc.want)
			}
		})
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("no panic for a query of the wrong length")
			}
		}()
		v.Nearest([]float64{1}, 1, nil)
	}()
}

// BenchmarkNearest measures one exhaustive query; the issue asks for at
// most 50 ms per query over 1M vectors of 64 dimensions. "scan" forces the
// plain float64 pass that Nearest uses below searchMin rows, for
// comparison with the int8 index.
func BenchmarkNearest(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		v := randomVectors(b, n, 64, 1)
		q := randSlice(rand.New(rand.NewPCG(2, 2)), 64)
		for _, mode := range []string{"index", "scan"} {
			b.Run(fmt.Sprintf("n=%d/dim=64/%s", n, mode), func(b *testing.B) {
				if mode == "scan" {
					defer func(m int) { searchMin = m }(searchMin)
					searchMin = math.MaxInt
				} else if n < searchMin {
					b.Skip("below searchMin: Nearest scans")
				}
				v.Nearest(q, 10, nil) // builds the index
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					if len(v.Nearest(q, 10, nil)) != 10 {
						b.Fatal("short result")
					}
				}
			})
		}
	}
}
