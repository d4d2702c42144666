// Package discojson reads the JSON that disco build and disco sort write
// (--format json: an array of entries with id, artist and title) back into
// a features.Dataset of one playlist, so that a built playlist can be
// sorted, saved or built on. Entries are kept in their order; an entry
// without a Spotify track id is an error naming its position. The tracks
// have no audio features: callers fill them from a catalog, by id.
package discojson

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/discoflow/disco/features"
)

// MaxBytes bounds the document Read accepts.
const MaxBytes = 64 << 20

type entry struct {
	ID         string `json:"id"`
	URI        string `json:"uri"`
	Artist     string `json:"artist"`
	Title      string `json:"title"`
	Album      string `json:"album"`
	DurationMS int    `json:"duration_ms"`
}

// Read reads disco's JSON playlist; name (usually its path) appears in
// errors and names the playlist.
func Read(r io.Reader, name string) (*features.Dataset, error) {
	var es []entry
	lr := &io.LimitedReader{R: r, N: MaxBytes + 1}
	if err := json.NewDecoder(lr).Decode(&es); err != nil {
		if lr.N <= 0 {
			return nil, fmt.Errorf("discojson: %s: larger than %d MiB", name, MaxBytes>>20)
		}
		return nil, fmt.Errorf("discojson: %s: not disco's JSON playlist (an array of entries with \"id\"): %w", name, err)
	}
	p := &features.Playlist{ID: filepath.Base(name), Name: features.PlaylistName(name)}
	ds := &features.Dataset{Catalog: &features.Catalog{}, Playlists: []*features.Playlist{p}}
	rep := &ds.Report
	for i, e := range es {
		rep.Rows++
		id, ok := features.ParseTrackRef(e.ID)
		if !ok {
			id, ok = features.ParseTrackRef(e.URI)
		}
		if !ok {
			return nil, fmt.Errorf("discojson: %s: entry %d: no Spotify track id (id %q)", name, i+1, e.ID)
		}
		t := &features.Track{ID: id, Name: e.Title, Album: e.Album, DurationMS: -1, Popularity: -1,
			Key: -1, Mode: -1, Features: features.NoFeatures,
			From: features.Provenance{Meta: fmt.Sprintf("discojson:%s:%d", name, i+1)}}
		if e.DurationMS > 0 {
			t.DurationMS = e.DurationMS
		}
		if e.Artist != "" {
			t.Artists = strings.Split(e.Artist, ", ")
		}
		held, _ := ds.Catalog.Add(t)
		p.Tracks = append(p.Tracks, held)
	}
	n := ds.Catalog.Len()
	rep.Tracks, rep.Playlists, rep.MissingFeatures, rep.UnknownKey, rep.UnknownTempo = n, 1, n, n, n
	return ds, nil
}
