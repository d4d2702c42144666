package song2vec

import (
	"context"
	"errors"
	"fmt"
	"math"

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
	// Cold, when not nil, gives a seed without a vector one (a cold
	// start); without it such seeds are left out.
	Cold ColdStart

	// Report, filled by Candidates: tracks the vectors found that the
	// catalog lacks, or has without audio features; those are left out.
	NotInCatalog, NoFeatures int
}

// ColdStart gives a song that has no vector one from what else is known
// of it (its artist, its audio features): candidates.Mapper. It returns
// nil when it cannot.
type ColdStart interface {
	ColdVector(t *features.Track) []float64
}

// ErrNoSeedVectors is returned when none of the seeds has a vector.
var ErrNoSeedVectors = errors.New("song2vec: none of the seeds has a vector (they were in no training playlist)")

// SeedMean returns the mean of the seeds' unit vectors, each seed without
// one given one by Cold when it can (see Vectors.Mean), and nil when no
// seed has a vector.
func (p *Pool) SeedMean(seeds []*features.Track) []float64 {
	ids := make([]string, len(seeds))
	for i, s := range seeds {
		ids[i] = s.ID
	}
	mean, missing := p.Vectors.Mean(ids)
	if len(missing) == 0 || p.Cold == nil {
		return mean
	}
	n := len(ids) - len(missing)
	sum := make([]float64, p.Vectors.Dim)
	for j := range mean {
		sum[j] = mean[j] * float64(n)
	}
	for _, s := range seeds {
		if p.Vectors.Index(s.ID) >= 0 {
			continue
		}
		u := p.Cold.ColdVector(s)
		var norm float64
		for _, x := range u {
			norm += x * x
		}
		if len(u) != len(sum) || norm == 0 {
			continue
		}
		for j, x := range u {
			sum[j] += x / math.Sqrt(norm)
		}
		n++
	}
	if n == 0 {
		return nil
	}
	for j := range sum {
		sum[j] /= float64(n)
	}
	return sum
}

// Candidates implements selector.Pool. Candidates come nearest first; the
// seeds themselves are excluded.
func (p *Pool) Candidates(ctx context.Context, seeds []*features.Track) ([]*features.Track, error) {
	seedRow := map[int]bool{}
	for _, s := range seeds {
		if j := p.Vectors.Index(s.ID); j >= 0 {
			seedRow[j] = true
		}
	}
	mean := p.SeedMean(seeds)
	if mean == nil {
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
