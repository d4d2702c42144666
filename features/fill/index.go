package fill

import (
	"context"
	"sync"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/selector"
)

// Index is a Source over tracks held in memory: the embedded catalog or a
// feature file.
type Index struct {
	name   string
	tracks []*features.Track // those with features, in the order given
	byID   map[string]*features.Track
	keys   sync.Once                  // byKey is built at the first look-up by name
	byKey  map[string]*features.Track // selector.RecordingKey
}

// NewIndex indexes the tracks with features (others are left out) by id
// and by normalised artist and title; the first track wins a shared key.
// name names the source in reports. The index by name is built at the
// first song not found by id (normalising every title costs more than
// the rest), so that a playlist of known ids never pays for it.
func NewIndex(name string, tracks []*features.Track) *Index {
	x := &Index{name: name, byID: make(map[string]*features.Track, len(tracks))}
	for _, t := range tracks {
		if t == nil || !t.HasFeatures {
			continue
		}
		x.tracks = append(x.tracks, t)
		if _, ok := x.byID[t.ID]; !ok {
			x.byID[t.ID] = t
		}
	}
	return x
}

// indexKeys builds byKey.
func (x *Index) indexKeys() {
	x.byKey = make(map[string]*features.Track, len(x.tracks))
	for _, t := range x.tracks {
		if k := selector.RecordingKey(t); k != "\x00" {
			if _, ok := x.byKey[k]; !ok {
				x.byKey[k] = t
			}
		}
	}
}

// Len returns the number of tracks indexed by id.
func (x *Index) Len() int { return len(x.byID) }

// Name implements Source.
func (x *Index) Name() string { return x.name }

// Find implements Source: by id, then by artists and title, then by the
// first artist and title. It never fails.
func (x *Index) Find(_ context.Context, want []*features.Track) ([]Hit, error) {
	hits := make([]Hit, len(want))
	for i, t := range want {
		hits[i] = x.find(t)
	}
	return hits, nil
}

func (x *Index) find(t *features.Track) Hit {
	if k := x.byID[t.ID]; k != nil {
		return Hit{k, ByID}
	}
	if t.Name == "" || len(t.Artists) == 0 {
		return Hit{}
	}
	x.keys.Do(x.indexKeys)
	if k := x.byKey[selector.RecordingKey(t)]; k != nil {
		return Hit{k, ByName}
	}
	if len(t.Artists) > 1 {
		first := features.Track{Name: t.Name, Artists: t.Artists[:1]}
		if k := x.byKey[selector.RecordingKey(&first)]; k != nil {
			return Hit{k, ByName}
		}
	}
	return Hit{}
}
