package model

import (
	"context"

	"github.com/discoflow/disco/features"
)

// Split splits playlists into training and validation sets with
// features.SplitPlaylists: whole playlists, a fraction valFrac of them for
// validation, deterministic in seed. A valFrac of 0 or less (or NaN) holds
// nothing out; Split panics if valFrac is 1 or more.
func Split(pls []*features.Playlist, valFrac float64, seed uint64) (train, val []*features.Playlist) {
	if !(valFrac > 0) {
		return pls, nil
	}
	return features.SplitPlaylists(pls, valFrac, seed)
}

// Fit splits playlists by cfg.ValFrac and cfg.Seed (see Split) and trains
// on them (see Train).
func Fit(ctx context.Context, cfg Config, pls []*features.Playlist, hooks Hooks) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := cfg.Defaults()
	train, val := Split(pls, c.ValFrac, c.Seed)
	return Train(ctx, cfg, train, val, hooks)
}
