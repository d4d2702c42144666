package song2vec

import (
	"context"
	"errors"
	"fmt"

	"github.com/discoflow/disco/features"
)

// Pool is a source of candidate songs for a playlist (it implements
// selector.Pool): the N tracks nearest by cosine to the mean of the seeds'
// vectors, looked up in a catalog for their audio features. Collaborative
// filtering finds the songs, the flow model orders them.
type Pool struct {
	Vectors *Vectors
	Catalog *features.Catalog
	N       int // candidates wanted; tracks without features do not count

	// Report, filled by Candidates: tracks the vectors found that the
	// catalog lacks, or has without audio features; those are left out.
	NotInCatalog, NoFeatures int
}

// ErrNoSeedVectors is returned when none of the seeds has a vector.
var ErrNoSeedVectors = errors.New("song2vec: none of the seeds has a vector (they were in no training playlist)")

// Candidates implements selector.Pool. Candidates come nearest first; the
// seeds themselves are excluded.
func (p *Pool) Candidates(ctx context.Context, seeds []*features.Track) ([]*features.Track, error) {
	ids := make([]string, len(seeds))
	seedRow := map[int]bool{}
	for i, s := range seeds {
		ids[i] = s.ID
		if j := p.Vectors.Index(s.ID); j >= 0 {
			seedRow[j] = true
		}
	}
	mean, missing := p.Vectors.Mean(ids)
	if len(missing) == len(ids) {
		return nil, ErrNoSeedVectors
	}
	p.NotInCatalog, p.NoFeatures = 0, 0
	var out []*features.Track
	// Ask for more neighbours than needed: some lack features.
	for k := 2 * p.N; ; k *= 2 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out = out[:0]
		p.NotInCatalog, p.NoFeatures = 0, 0
		nn := p.Vectors.Nearest(mean, k, func(i int) bool { return seedRow[i] })
		for _, n := range nn {
			t := p.Catalog.Get(n.Word)
			switch {
			case t == nil:
				p.NotInCatalog++
			case !t.HasFeatures:
				p.NoFeatures++
			default:
				out = append(out, t)
			}
			if len(out) == p.N {
				return out, nil
			}
		}
		if len(nn) < k || k >= p.Vectors.Len() {
			if len(out) == 0 {
				return nil, fmt.Errorf("song2vec: no neighbour of the seeds has audio features in the catalog (%d not in it, %d without features)", p.NotInCatalog, p.NoFeatures)
			}
			return out, nil
		}
	}
}
