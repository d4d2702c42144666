package spotify

import (
	"context"
	"errors"
	"fmt"

	"github.com/discoflow/disco/features"
)

// FeatureGetter gets audio features by Spotify track id: one entry per id,
// in order, nil where unknown. *Client implements it, and so does the
// cache's Fetcher wrapped around a Client.
type FeatureGetter interface {
	GetFeatures(ctx context.Context, ids []string) ([]*features.Track, error)
}

// Recommender recommends up to n tracks for 1 to 5 seed track ids.
// *Client implements it, and so does the cache's Recommender.
type Recommender interface {
	Recommend(ctx context.Context, seeds []string, n int) ([]*features.Track, error)
}

// Pool is a candidate pool from Spotify, as the original DISCO built it:
// N recommendations for each seed and N for all seeds together (the first
// MaxSeeds of them), de-duplicated, seeds left out, then the audio features
// of all candidates. It implements the selector's Pool interface.
type Pool struct {
	Client      *Client       // used for a nil Recommender or Features
	Recommender Recommender   // nil means Client
	Features    FeatureGetter // nil means Client
	N           int           // tracks per request; 0 means MaxRecommend
}

// Candidates returns the candidates in a deterministic order: each seed's
// recommendations in seed order, then the joint ones, each track at its
// first appearance. Tracks Spotify has no features for are returned with
// HasFeatures false. Seeds without an id are skipped; none with an id is
// an error. The first failing request ends the call with its error (a
// *ClosedError when Spotify refuses the endpoint).
func (p *Pool) Candidates(ctx context.Context, seeds []*features.Track) ([]*features.Track, error) {
	rec, feat := p.Recommender, p.Features
	if rec == nil && p.Client != nil {
		rec = p.Client
	}
	if feat == nil && p.Client != nil {
		feat = p.Client
	}
	if rec == nil || feat == nil {
		return nil, errors.New("spotify: pool without a client")
	}
	return candidates(ctx, rec, feat, seeds, p.N, MaxRecommend, MaxSeeds)
}

func candidates(ctx context.Context, rec Recommender, feat FeatureGetter, seeds []*features.Track, n, maxN, maxSeeds int) ([]*features.Track, error) {
	if n <= 0 || n > maxN {
		n = maxN
	}
	var ids []string
	isSeed := map[string]bool{}
	for _, s := range seeds {
		if s != nil && s.ID != "" && !isSeed[s.ID] {
			ids = append(ids, s.ID)
			isSeed[s.ID] = true
		}
	}
	if len(ids) == 0 {
		return nil, errors.New("spotify: no seed has a Spotify track id")
	}
	queries := make([][]string, 0, len(ids)+1)
	for _, id := range ids {
		queries = append(queries, []string{id})
	}
	if len(ids) > 1 {
		queries = append(queries, ids[:min(len(ids), maxSeeds)])
	}
	var out []*features.Track
	seen := map[string]bool{}
	for _, q := range queries {
		recs, err := rec.Recommend(ctx, q, n)
		if err != nil {
			return nil, err
		}
		for _, t := range recs {
			if t == nil || t.ID == "" || seen[t.ID] || isSeed[t.ID] {
				continue
			}
			seen[t.ID] = true
			out = append(out, t)
		}
	}
	cids := make([]string, len(out))
	for i, t := range out {
		cids[i] = t.ID
	}
	fs, err := feat.GetFeatures(ctx, cids)
	if err != nil {
		return nil, err
	}
	if len(fs) != len(cids) {
		return nil, fmt.Errorf("spotify: features for %d candidates, got %d", len(cids), len(fs))
	}
	for i, t := range out {
		merge(t, fs[i])
	}
	return out, nil
}
