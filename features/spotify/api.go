package spotify

import (
	"context"
	"fmt"

	"github.com/discoflow/disco/features"
	zspotify "github.com/zmb3/spotify/v2"
)

// Name returns Source; with BatchSize and GetFeatures it makes the client a
// cache source.
func (c *Client) Name() string { return Source }

// BatchSize returns MaxFeatureIDs, the most ids one audio-features request
// takes.
func (c *Client) BatchSize() int { return MaxFeatureIDs }

// GetFeatures returns the audio features of the tracks with the given
// Spotify ids, one entry per id in the same order, nil for ids Spotify
// does not know. Each entry holds the id, the features (see the package
// doc for unknown values) and From.Features "spotify". It asks in batches
// of MaxFeatureIDs and stops at the first error (a *ClosedError for the
// closed endpoint).
func (c *Client) GetFeatures(ctx context.Context, ids []string) ([]*features.Track, error) {
	out := make([]*features.Track, len(ids))
	for lo := 0; lo < len(ids); lo += MaxFeatureIDs {
		hi := min(lo+MaxFeatureIDs, len(ids))
		chunk := make([]zspotify.ID, hi-lo)
		for i, id := range ids[lo:hi] {
			chunk[i] = zspotify.ID(id)
		}
		var afs []*zspotify.AudioFeatures
		err := c.call(ctx, "GET /audio-features", true, func(ctx context.Context) error {
			var err error
			afs, err = c.api.GetAudioFeatures(ctx, chunk...)
			return err
		})
		if err != nil {
			return nil, err
		}
		if len(afs) != len(chunk) {
			return nil, fmt.Errorf("spotify: GET /audio-features: asked for %d ids, got %d entries", len(chunk), len(afs))
		}
		for i, af := range afs {
			if af == nil {
				continue
			}
			if af.ID == "" {
				af.ID = chunk[i]
			}
			if string(af.ID) != ids[lo+i] {
				return nil, fmt.Errorf("spotify: GET /audio-features: entry %d is for %s, asked for %s", i, af.ID, ids[lo+i])
			}
			out[lo+i] = featuresTrack(af)
		}
	}
	return out, nil
}

// Recommend returns up to n (at most MaxRecommend) tracks Spotify
// recommends for the given seed track ids (1 to MaxSeeds), in Spotify's
// order, as Tracks without features. The closed endpoint gives a
// *ClosedError.
func (c *Client) Recommend(ctx context.Context, seeds []string, n int) ([]*features.Track, error) {
	if len(seeds) == 0 || len(seeds) > MaxSeeds {
		return nil, fmt.Errorf("spotify: recommendations need 1 to %d seeds, got %d", MaxSeeds, len(seeds))
	}
	n = min(max(n, 1), MaxRecommend)
	s := zspotify.Seeds{}
	for _, id := range seeds {
		s.Tracks = append(s.Tracks, zspotify.ID(id))
	}
	var recs *zspotify.Recommendations
	err := c.call(ctx, "GET /recommendations", true, func(ctx context.Context) error {
		var err error
		recs, err = c.api.GetRecommendations(ctx, s, nil, zspotify.Limit(n))
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]*features.Track, 0, len(recs.Tracks))
	for i := range recs.Tracks {
		if recs.Tracks[i].ID == "" {
			continue
		}
		out = append(out, metaTrack(&recs.Tracks[i], -1))
	}
	return out, nil
}
