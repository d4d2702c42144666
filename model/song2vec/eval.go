package song2vec

import (
	"fmt"
	"runtime"
	"sort"
	"sync"
)

// EvalResult holds leave-one-out ranking figures over held-out playlists.
//
// Every occurrence of a track in a held-out playlist is one query: the
// track is hidden and the rest of its playlist is the context. A query is
// answerable when the hidden track has a vector and at least one context
// track has one; other queries count as misses for every method, so that
// all methods are scored on the same queries. Candidates are all rows
// except the context's (the hidden track stays a candidate even if it also
// occurs in the context).
type EvalResult struct {
	K          int // cut-off of HR@K and MRR@K
	Playlists  int // held-out playlists read
	Queries    int // hidden tracks, one per track occurrence
	Answerable int // queries with a vector for the hidden track and for some context track

	// song2vec: candidates ranked by cosine similarity to Mean(context),
	// ties to the lower row. HR is the share of queries whose hidden track
	// ranks in the top K; MRR the mean of 1/rank, counting 0 beyond K.
	HR, MRR float64
	// Most popular: candidates ranked by Counts (most first, ties to the
	// lower row), or by row order when Counts is nil (word2vec and gensim
	// files list words most frequent first).
	PopularHR, PopularMRR float64
	// Uniformly random ranking: the exact expected values, min(K,M)/M and
	// H(min(K,M))/M for M candidates, H the harmonic numbers.
	RandomHR, RandomMRR float64
}

func (r EvalResult) String() string {
	return fmt.Sprintf("HR@%d %.4f MRR@%d %.4f (popular %.4f/%.4f, random %.4f/%.4f) over %d queries (%d answerable) in %d playlists",
		r.K, r.HR, r.K, r.MRR, r.PopularHR, r.PopularMRR, r.RandomHR, r.RandomMRR, r.Queries, r.Answerable, r.Playlists)
}

// Evaluate ranks each hidden track of the held-out playlists among all of
// v's rows, as EvalResult describes. It uses all CPUs; results do not depend
// on their number. It returns the corpus's error, if any, and panics if k < 1.
func Evaluate(v *Vectors, heldout Corpus, k int) (EvalResult, error) {
	if k < 1 {
		panic("song2vec: Evaluate with k < 1")
	}
	v.mustBeIndexed()
	var pls [][]int // rows per held-out playlist, -1 for tracks without a vector
	queries := 0
	err := heldout.Each(func(pl []string) error {
		rows := make([]int, len(pl))
		for i, id := range pl {
			rows[i] = v.Index(id)
		}
		pls = append(pls, rows)
		queries += len(pl)
		return nil
	})
	if err != nil {
		return EvalResult{}, err
	}
	res := EvalResult{K: k, Playlists: len(pls), Queries: queries}
	if queries == 0 {
		return res, nil
	}

	// pos[i] is row i's place in the popularity order.
	n := v.Len()
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	if v.Counts != nil {
		sort.SliceStable(order, func(a, b int) bool { return v.Counts[order[a]] > v.Counts[order[b]] })
	}
	pos := make([]int, n)
	for p, i := range order {
		pos[i] = p
	}
	harmonic := make([]float64, k+1)
	for i := 1; i <= k; i++ {
		harmonic[i] = harmonic[i-1] + 1/float64(i)
	}

	type tally struct {
		answerable                    int
		hr, mrr, phr, pmrr, rhr, rmrr float64
	}
	out := make([]tally, len(pls))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			scores := make([]float64, n)
			sum := make([]float64, v.Dim)
			mean := make([]float64, v.Dim)
			excluded := make(map[int]bool)
			for p := range next {
				rows := pls[p]
				var t tally
				clear(sum)
				inVocab := 0
				for _, r := range rows {
					if r >= 0 {
						axpy(sum, v.invNorm[r], v.Row(r))
						inVocab++
					}
				}
				for qi, target := range rows {
					if target < 0 || inVocab < 2 {
						continue
					}
					t.answerable++
					clear(excluded)
					for ci, r := range rows {
						if ci != qi && r >= 0 && r != target {
							excluded[r] = true
						}
					}
					copy(mean, sum)
					axpy(mean, -v.invNorm[target], v.Row(target))
					// The mean's scale does not change the ranking.
					for j := range n {
						scores[j] = dot(mean, v.Data[j*v.Dim:(j+1)*v.Dim]) * v.invNorm[j]
					}
					st := scores[target]
					rank := 1
					for j, s := range scores {
						if (s > st || (s == st && j < target)) && !excluded[j] {
							rank++
						}
					}
					if rank <= k {
						t.hr++
						t.mrr += 1 / float64(rank)
					}
					prank := pos[target] + 1
					for r := range excluded {
						if pos[r] < pos[target] {
							prank--
						}
					}
					if prank <= k {
						t.phr++
						t.pmrr += 1 / float64(prank)
					}
					m := n - len(excluded)
					c := min(k, m)
					t.rhr += float64(c) / float64(m)
					t.rmrr += harmonic[c] / float64(m)
				}
				out[p] = t
			}
		}()
	}
	for p := range pls {
		next <- p
	}
	close(next)
	wg.Wait()
	var sum tally
	for _, t := range out {
		sum.answerable += t.answerable
		sum.hr += t.hr
		sum.mrr += t.mrr
		sum.phr += t.phr
		sum.pmrr += t.pmrr
		sum.rhr += t.rhr
		sum.rmrr += t.rmrr
	}
	q := float64(queries)
	res.Answerable = sum.answerable
	res.HR, res.MRR = sum.hr/q, sum.mrr/q
	res.PopularHR, res.PopularMRR = sum.phr/q, sum.pmrr/q
	res.RandomHR, res.RandomMRR = sum.rhr/q, sum.rmrr/q
	return res, nil
}
