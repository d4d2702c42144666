package selector

import (
	"context"
	"math"
	"sort"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model/scale"
)

// Pool finds candidate songs for a playlist that starts with the given
// seeds. Sources of candidates (the catalog, Spotify, ReccoBeats, song2vec)
// implement it. The returned tracks may lack features; New leaves those
// out. Implementations must return candidates in a deterministic order.
type Pool interface {
	Candidates(ctx context.Context, seeds []*features.Track) ([]*features.Track, error)
}

// CatalogPool draws candidates from a catalog: the N tracks nearest to the
// seeds in scaled feature space (nearest to any seed), or every track when
// N <= 0. Genres, when set, keeps only tracks of those genres; SeedGenres
// keeps only tracks of the seeds' genres.
type CatalogPool struct {
	Tracks     []*features.Track
	Scaler     *scale.Scaler
	N          int
	Genres     []string
	SeedGenres bool
}

// DefaultPoolSize is the original's candidate count: 100 recommendations
// for each of 3 seeds and 100 for all of them.
const DefaultPoolSize = 400

// Candidates implements Pool. Ties in distance go to the smaller track id.
func (p *CatalogPool) Candidates(ctx context.Context, seeds []*features.Track) ([]*features.Track, error) {
	genres := map[string]bool{}
	for _, g := range p.Genres {
		genres[g] = true
	}
	if p.SeedGenres {
		for _, s := range seeds {
			if s.Genre != "" {
				genres[s.Genre] = true
			}
		}
	}
	zs := make([]features.Vector, 0, len(seeds))
	for _, s := range seeds {
		if s.HasFeatures {
			zs = append(zs, p.Scaler.Transform(s.Features))
		}
	}
	type cand struct {
		t *features.Track
		d float64
	}
	var cs []cand
	for _, t := range p.Tracks {
		if !t.HasFeatures || (len(genres) > 0 && !genres[t.Genre]) {
			continue
		}
		d := math.Inf(1)
		if len(zs) > 0 {
			z := p.Scaler.Transform(t.Features)
			for _, s := range zs {
				d = min(d, z.Dist2(&s))
			}
		}
		cs = append(cs, cand{t, d})
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].t.ID < cs[j].t.ID
	})
	n := len(cs)
	if p.N > 0 {
		// Seeds are in the catalog too and will be excluded by the
		// selector: keep them from eating the pool's places.
		n = min(n, p.N+len(seeds))
	}
	out := make([]*features.Track, 0, n)
	for _, c := range cs[:n] {
		out = append(out, c.t)
	}
	return out, nil
}
