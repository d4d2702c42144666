// Package recommend provides the candidate pool that online services give:
// as the original DISCO built it from Spotify, N recommendations for each
// seed and N for all seeds together, de-duplicated, seeds left out, then
// the audio features of every candidate. The Spotify and ReccoBeats
// packages plug their clients (or the cache in front of them) into it.
package recommend

import (
	"context"
	"fmt"

	"github.com/discoflow/disco/features"
)

// FeatureGetter gets audio features by Spotify track id: one entry per id,
// in order, nil where unknown.
type FeatureGetter interface {
	GetFeatures(ctx context.Context, ids []string) ([]*features.Track, error)
}

// Recommender recommends up to n tracks for a few seed track ids.
type Recommender interface {
	Recommend(ctx context.Context, seeds []string, n int) ([]*features.Track, error)
}

// Candidates returns the candidates in a deterministic order: each seed's
// recommendations in seed order, then the joint ones (for the first
// maxSeeds seeds), each track at its first appearance, with the features
// feat gives merged in (HasFeatures false where it has none). n is the
// tracks asked per request, clamped to 1..maxN (0 means maxN). Seeds
// without an id are skipped; none with an id is an error. The first
// failing request ends the call with its error. source names the service
// in errors.
func Candidates(ctx context.Context, source string, rec Recommender, feat FeatureGetter, seeds []*features.Track, n, maxN, maxSeeds int) ([]*features.Track, error) {
	if rec == nil || feat == nil {
		return nil, fmt.Errorf("%s: pool without a client", source)
	}
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
		return nil, fmt.Errorf("%s: no seed has a Spotify track id", source)
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
		return nil, fmt.Errorf("%s: features for %d candidates, got %d", source, len(cids), len(fs))
	}
	for i, t := range out {
		Merge(t, fs[i])
	}
	return out, nil
}

// Merge copies the audio features of f (key, mode, tempo, time signature,
// the abstract features and their provenance) into t, and the duration
// when t lacks one. A nil f marks t as having no features.
func Merge(t, f *features.Track) {
	if f == nil {
		t.HasFeatures = false
		t.Features = features.NoFeatures
		return
	}
	t.Key, t.Mode, t.Tempo, t.TimeSignature = f.Key, f.Mode, f.Tempo, f.TimeSignature
	t.Features, t.HasFeatures = f.Features, f.HasFeatures
	t.From.Features = f.From.Features
	if t.DurationMS <= 0 && f.DurationMS > 0 {
		t.DurationMS = f.DurationMS
	}
}
