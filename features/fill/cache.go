package fill

import (
	"context"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/cache"
)

// Cache is a Source over the features cache: by Spotify id only (the
// cache holds no titles), asking each online source's entries in turn.
type Cache struct {
	DB      *cache.DB
	Sources []string      // cache source names, e.g. "reccobeats", "spotify"
	MaxAge  time.Duration // entries older than this count as missing; 0 keeps all
}

// Name implements Source.
func (c *Cache) Name() string { return "the cache" }

// Find implements Source. Errors are the database's.
func (c *Cache) Find(ctx context.Context, want []*features.Track) ([]Hit, error) {
	hits := make([]Hit, len(want))
	var ids []string
	var pos []int
	for i, t := range want {
		if features.IsTrackID(t.ID) {
			ids = append(ids, t.ID)
			pos = append(pos, i)
		}
	}
	for _, src := range c.Sources {
		if len(ids) == 0 {
			break
		}
		got, _, err := c.DB.LookupFeatures(ctx, src, ids, c.MaxAge)
		if err != nil {
			return nil, err
		}
		for j, g := range got {
			if g != nil && g.HasFeatures && hits[pos[j]].Track == nil {
				hits[pos[j]] = Hit{g, ByID}
			}
		}
	}
	return hits, nil
}
