package spotify

import (
	"context"
	"errors"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/recommend"
)

// FeatureGetter gets audio features by Spotify track id: one entry per id,
// in order, nil where unknown. *Client implements it, and so does the
// cache's Fetcher wrapped around a Client.
type FeatureGetter = recommend.FeatureGetter

// Recommender recommends up to n tracks for 1 to 5 seed track ids.
// *Client implements it, and so does the cache's Recommender.
type Recommender = recommend.Recommender

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
	return recommend.Candidates(ctx, "spotify", rec, feat, seeds, p.N, MaxRecommend, MaxSeeds)
}
