package song2vec

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

func TestEvaluate(t *testing.T) {
	// a and b point the same way, c is orthogonal, d opposite; popularity
	// order b, c, d, a.
	v, err := New([]string{"a", "b", "c", "d"}, 2, []float64{1, 0, 0.9, 0.1, 0, 1, -1, 0}, []int64{1, 5, 3, 2})
	if err != nil {
		t.Fatal(err)
	}
	heldout := Playlists{{"a", "b"}, {"c", "zzz"}, {"d"}}
	tests := []struct {
		k    int
		want EvalResult
	}{
		{1, EvalResult{K: 1, Playlists: 3, Queries: 5, Answerable: 2,
			HR: 2.0 / 5, MRR: 2.0 / 5, PopularHR: 1.0 / 5, PopularMRR: 1.0 / 5, RandomHR: 2.0 / 15, RandomMRR: 2.0 / 15}},
		{2, EvalResult{K: 2, Playlists: 3, Queries: 5, Answerable: 2,
			HR: 2.0 / 5, MRR: 2.0 / 5, PopularHR: 1.0 / 5, PopularMRR: 1.0 / 5, RandomHR: 4.0 / 15, RandomMRR: 1.0 / 5}},
		{10, EvalResult{K: 10, Playlists: 3, Queries: 5, Answerable: 2,
			HR: 2.0 / 5, MRR: 2.0 / 5, PopularHR: 2.0 / 5, PopularMRR: (1 + 1.0/3) / 5, RandomHR: 2.0 / 5, RandomMRR: 2 * (1.5 + 1.0/3) / 3 / 5}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint("k=", tc.k), func(t *testing.T) {
			got, err := Evaluate(v, heldout, tc.k)
			if err != nil {
				t.Fatal(err)
			}
			if !closeResults(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
	t.Run("hidden track repeated in its context stays a candidate", func(t *testing.T) {
		got, err := Evaluate(v, Playlists{{"c", "c"}}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got.Answerable != 2 || got.HR != 1 {
			t.Errorf("%+v", got)
		}
	})
	t.Run("without counts, row order is popularity", func(t *testing.T) {
		// By count, c and d rank 2nd once the other is excluded; by row
		// order, 3rd.
		w := *v
		w.Counts = nil
		for _, tc := range []struct {
			v    *Vectors
			want float64
		}{{v, 1}, {&w, 0}} {
			got, err := Evaluate(tc.v, Playlists{{"c", "d"}}, 2)
			if err != nil {
				t.Fatal(err)
			}
			if got.PopularHR != tc.want {
				t.Errorf("counts %v: popular HR %v, want %v", tc.v.Counts, got.PopularHR, tc.want)
			}
		}
	})
	t.Run("corpus error", func(t *testing.T) {
		if _, err := Evaluate(v, failingCorpus{2}, 1); err != errCorpus {
			t.Errorf("error %v", err)
		}
	})
	t.Run("empty", func(t *testing.T) {
		got, err := Evaluate(v, Playlists{}, 3)
		if err != nil || got.Queries != 0 || got.HR != 0 {
			t.Errorf("%+v %v", got, err)
		}
	})
}

func closeResults(a, b EvalResult) bool {
	eq := func(x, y float64) bool { return math.Abs(x-y) < 1e-12 }
	return a.K == b.K && a.Playlists == b.Playlists && a.Queries == b.Queries && a.Answerable == b.Answerable &&
		eq(a.HR, b.HR) && eq(a.MRR, b.MRR) && eq(a.PopularHR, b.PopularHR) && eq(a.PopularMRR, b.PopularMRR) &&
		eq(a.RandomHR, b.RandomHR) && eq(a.RandomMRR, b.RandomMRR)
}

// TestEvaluateReference compares Evaluate with a direct implementation that
// sorts every candidate, on random vectors and playlists.
func TestEvaluateReference(t *testing.T) {
	v := randomVectors(t, 300, 8, 11)
	v.Counts = make([]int64, v.Len())
	r := rand.New(rand.NewPCG(12, 12))
	for i := range v.Counts {
		v.Counts[i] = int64(r.IntN(5))
	}
	var heldout Playlists
	for range 30 {
		pl := make([]string, 1+r.IntN(12))
		for j := range pl {
			pl[j] = fmt.Sprint("w", r.IntN(330)) // some unknown
		}
		heldout = append(heldout, pl)
	}
	const k = 10
	got, err := Evaluate(v, heldout, k)
	if err != nil {
		t.Fatal(err)
	}
	want := EvalResult{K: k, Playlists: len(heldout)}
	for _, pl := range heldout {
		want.Queries += len(pl)
		for qi, id := range pl {
			target := v.Index(id)
			var ctx []string
			excluded := map[int]bool{}
			for ci, c := range pl {
				if ci != qi {
					ctx = append(ctx, c)
					if j := v.Index(c); j >= 0 && j != target {
						excluded[j] = true
					}
				}
			}
			mean, missing := v.Mean(ctx)
			if target < 0 || len(missing) == len(ctx) {
				continue
			}
			want.Answerable++
			var cands []int
			for j := range v.Len() {
				if !excluded[j] {
					cands = append(cands, j)
				}
			}
			rr := func(less func(a, b int) bool) float64 {
				order := append([]int(nil), cands...) // by index, so ties go to the lower row
				sort.SliceStable(order, func(a, b int) bool { return less(order[a], order[b]) })
				for rank, j := range order {
					if j == target {
						if rank < k {
							return 1 / float64(rank+1)
						}
						return 0
					}
				}
				panic("target not a candidate")
			}
			score := func(j int) float64 { return dotGo(mean, v.Row(j)) / math.Sqrt(dotGo(v.Row(j), v.Row(j))) }
			if x := rr(func(a, b int) bool { return score(a) > score(b) }); x > 0 {
				want.HR++
				want.MRR += x
			}
			if x := rr(func(a, b int) bool { return v.Counts[a] > v.Counts[b] }); x > 0 {
				want.PopularHR++
				want.PopularMRR += x
			}
			m := float64(len(cands))
			want.RandomHR += float64(min(k, len(cands))) / m
			h := 0.0
			for i := 1; i <= min(k, len(cands)); i++ {
				h += 1 / float64(i)
			}
			want.RandomMRR += h / m
		}
	}
	q := float64(want.Queries)
	want.HR, want.MRR, want.PopularHR, want.PopularMRR = want.HR/q, want.MRR/q, want.PopularHR/q, want.PopularMRR/q
	want.RandomHR, want.RandomMRR = want.RandomHR/q, want.RandomMRR/q
	if want.Answerable < 20 || want.HR == 0 || want.PopularHR == 0 {
		t.Fatalf("reference case too weak: %+v", want)
	}
	if !closeResults(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}
