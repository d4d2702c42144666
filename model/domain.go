package model

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/discoflow/disco/features"
	"gonum.org/v1/gonum/stat"
)

// Domain records the data a model was trained on, so that a caller can
// tell at run time whether songs lie far outside it (Model.Outside) and
// how much the network earned over its baseline where it was trained.
// Train fills it in; a model read from a file of format version 1 or 2
// has none (Model.Domain nil).
//
// "Far" is judged in the model's scaled units (Yeo-Johnson, then
// standardised: the space the network reads). The training songs are
// summarised by Prototypes, the centres of a k-means clustering of their
// scaled features; a song's distance is its Euclidean distance to the
// nearest prototype, and Radius is the Quantile-th quantile of the
// training songs' own distances. So, by construction, a fraction
// 1-Quantile of the training songs lie beyond Radius, and a song beyond
// it is further from the training data than all but that fraction of the
// training songs are.
type Domain struct {
	// Genres counts the training playlists per genre, sorted by name;
	// playlists without a genre are not counted (nil if none has one).
	Genres []GenreCount `json:"genres,omitempty"`
	// ValMAE and ValBaselineMAE are the network's and the running mean's
	// MAE on the validation runs (see Evaluation); zero without
	// validation data.
	ValMAE         float64 `json:"val_mae,omitempty"`
	ValBaselineMAE float64 `json:"val_running_mean_mae,omitempty"`
	// Prototypes are k-means centres of the training songs' scaled
	// features, NumOutputs values each.
	Prototypes [][]float64 `json:"prototypes"`
	// Radius is the Quantile-th quantile (empirical) of the training
	// songs' distances to their nearest prototype.
	Radius   float64 `json:"radius"`
	Quantile float64 `json:"quantile"`
}

// GenreCount is a genre and its number of training playlists.
type GenreCount struct {
	Genre     string `json:"genre"`
	Playlists int    `json:"playlists"`
}

// ValGain returns the network's validation gain over the running mean,
// 1 - ValMAE/ValBaselineMAE (0.024 is 2.4% below the running mean;
// negative is worse), or NaN without validation figures.
func (d *Domain) ValGain() float64 {
	if !(d.ValBaselineMAE > 0) || !(d.ValMAE > 0) {
		return math.NaN()
	}
	return 1 - d.ValMAE/d.ValBaselineMAE
}

// Settings of the domain's k-means: at most DomainPrototypes prototypes,
// one per domainSongs training songs (at least one), DomainQuantile.
const (
	DomainPrototypes = 128
	DomainQuantile   = 0.99
	domainSongs      = 50
	domainIters      = 20
	domainStream     = 0x646973636f2d646d // "disco-dm"
	maxPrototypes    = 4096               // refused beyond, in a file
)

// Distance returns the Euclidean distance from the scaled features z to
// the nearest of d's prototypes; NaN if z has a NaN. Each prototype must
// hold NumOutputs values, as those of a trained or read model do;
// Distance panics otherwise.
func (d *Domain) Distance(z features.Vector) float64 {
	best := math.Inf(1)
	for _, p := range d.Prototypes {
		best = min(best, z.Dist2((*features.Vector)(p))) // len(p) is NumOutputs (check)
	}
	return math.Sqrt(best)
}

// Outside returns t's distance to the model's training data (see Domain,
// in scaled units), the radius it is compared with, and whether t lies
// beyond it. ok is false, and the rest zero, when m records no domain
// (a file older than format version 3) or t has no features.
func (m *Model) Outside(t *features.Track) (dist, radius float64, far, ok bool) {
	if m.Domain == nil || t == nil || !t.HasFeatures {
		return 0, 0, false, false
	}
	dist = m.Domain.Distance(m.Scaler.Transform(t.Features))
	if math.IsNaN(dist) {
		return 0, 0, false, false
	}
	return dist, m.Domain.Radius, dist > m.Domain.Radius, true
}

// newDomain describes the training playlists train, whose distinct
// songs' scaled features are zs, and the validation evaluation ev (nil
// for none). The k-means is seeded by seed and runs on workers
// goroutines; the result does not depend on their number.
func newDomain(train []*features.Playlist, zs []features.Vector, ev *Evaluation, seed uint64, workers int) *Domain {
	d := &Domain{Quantile: DomainQuantile}
	counts := map[string]int{}
	for _, p := range train {
		if p.Genre != "" {
			counts[p.Genre]++
		}
	}
	for g, n := range counts {
		d.Genres = append(d.Genres, GenreCount{g, n})
	}
	slices.SortFunc(d.Genres, func(a, b GenreCount) int { return cmp.Compare(a.Genre, b.Genre) })
	if ev != nil {
		d.ValMAE, d.ValBaselineMAE = ev.RNN.MAE, ev.RunningMean.MAE
	}
	k := min(DomainPrototypes, max(1, len(zs)/domainSongs))
	d.Prototypes = kmeans(zs, k, seed, workers)
	dists := make([]float64, len(zs))
	for i, z := range zs {
		dists[i] = d.Distance(z)
	}
	slices.Sort(dists)
	d.Radius = stat.Quantile(d.Quantile, stat.Empirical, dists, nil)
	return d
}

// kmeans returns k centres of xs (len(xs) >= k >= 1, every value finite)
// by Lloyd's algorithm from a k-means++ start drawn with seed, for at
// most domainIters rounds or until no point changes cluster. A point
// goes to the nearest centre, the lowest index on ties; a centre left
// without points keeps its place. The assignments are computed by workers
// goroutines over fixed ranges of points, so the result does not depend
// on their number.
func kmeans(xs []features.Vector, k int, seed uint64, workers int) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, domainStream))
	cs := make([]features.Vector, 0, k)
	cs = append(cs, xs[rng.IntN(len(xs))])
	d2 := make([]float64, len(xs))
	for i := range xs {
		d2[i] = xs[i].Dist2(&cs[0])
	}
	for len(cs) < k {
		total := 0.0
		for _, v := range d2 {
			total += v
		}
		next := len(xs) - 1
		if total > 0 {
			u := rng.Float64() * total
			for i, v := range d2 {
				if u -= v; u < 0 {
					next = i
					break
				}
			}
		} else {
			next = rng.IntN(len(xs))
		}
		cs = append(cs, xs[next])
		for i := range xs {
			d2[i] = min(d2[i], xs[i].Dist2(&cs[len(cs)-1]))
		}
	}
	assign := make([]int, len(xs))
	for i := range assign {
		assign[i] = -1
	}
	sums := make([]features.Vector, k)
	ns := make([]int, k)
	workers = max(workers, 1)
	chunk := (len(xs) + workers - 1) / workers
	for range domainIters {
		var changed atomic.Bool
		var wg sync.WaitGroup
		for lo := 0; lo < len(xs); lo += chunk {
			wg.Add(1)
			go func(lo, hi int) {
				defer wg.Done()
				for i := lo; i < hi; i++ {
					best, bd := 0, math.Inf(1)
					for c := range cs {
						if d := xs[i].Dist2(&cs[c]); d < bd {
							best, bd = c, d
						}
					}
					if assign[i] != best {
						assign[i] = best
						changed.Store(true)
					}
				}
			}(lo, min(lo+chunk, len(xs)))
		}
		wg.Wait()
		if !changed.Load() {
			break
		}
		clear(sums)
		clear(ns)
		for i, x := range xs {
			c := assign[i]
			ns[c]++
			for j := range NumOutputs {
				sums[c][j] += x[j]
			}
		}
		for c := range cs {
			if ns[c] == 0 {
				continue
			}
			for j := range NumOutputs {
				cs[c][j] = sums[c][j] / float64(ns[c])
			}
		}
	}
	out := make([][]float64, len(cs))
	for c := range cs {
		out[c] = append([]float64(nil), cs[c][:]...)
	}
	return out
}

// check reports whether d's content is usable: finite prototypes of
// NumOutputs values, a positive finite radius, a quantile in (0, 1),
// named genres with playlists.
func (d *Domain) check() error {
	if n := len(d.Prototypes); n < 1 || n > maxPrototypes {
		return fmt.Errorf("model: domain has %d prototypes (want 1..%d)", n, maxPrototypes)
	}
	for i, p := range d.Prototypes {
		if len(p) != NumOutputs {
			return fmt.Errorf("model: domain prototype %d has %d values, want %d", i, len(p), NumOutputs)
		}
		for _, v := range p {
			if math.IsNaN(v) || math.Abs(v) > MaxScale {
				return fmt.Errorf("model: domain prototype %d has value %v", i, v)
			}
		}
	}
	if !(d.Radius >= 0) || d.Radius > MaxScale {
		return fmt.Errorf("model: domain radius %v", d.Radius)
	}
	if !(d.Quantile > 0 && d.Quantile < 1) {
		return fmt.Errorf("model: domain quantile %v (want in (0, 1))", d.Quantile)
	}
	for _, v := range []float64{d.ValMAE, d.ValBaselineMAE} {
		if !(v >= 0) || v > MaxScale {
			return fmt.Errorf("model: domain validation MAE %v", v)
		}
	}
	for _, g := range d.Genres {
		if g.Genre == "" || g.Playlists < 1 {
			return fmt.Errorf("model: domain genre %q with %d playlists", g.Genre, g.Playlists)
		}
	}
	return nil
}
