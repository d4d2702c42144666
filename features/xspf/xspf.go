// Package xspf reads XSPF playlists (https://xspf.org), as disco and many
// players write them, into a features.Dataset of one playlist.
//
// A track is kept when its location or one of its identifiers is a
// Spotify track id, URI or URL; its title and creator become the track's
// name and artist. Other tracks (local files, other services) are counted
// in Report.Skipped with a warning. The tracks have no audio features:
// callers fill them from a catalog.
package xspf

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/discoflow/disco/features"
)

// MaxBytes bounds the document Read accepts.
const MaxBytes = 64 << 20

type track struct {
	Locations   []string `xml:"location"`
	Identifiers []string `xml:"identifier"`
	Title       string   `xml:"title"`
	Creator     string   `xml:"creator"`
	Album       string   `xml:"album"`
	Duration    int      `xml:"duration"`
}

type playlist struct {
	XMLName xml.Name `xml:"playlist"`
	Title   string   `xml:"title"`
	Tracks  []track  `xml:"trackList>track"`
}

// Read reads an XSPF document; name (usually its path) appears in errors
// and names the playlist when the document has no title.
func Read(r io.Reader, name string) (*features.Dataset, error) {
	var pl playlist
	lr := &io.LimitedReader{R: r, N: MaxBytes + 1}
	if err := xml.NewDecoder(lr).Decode(&pl); err != nil {
		if lr.N <= 0 {
			return nil, fmt.Errorf("xspf: %s: larger than %d MiB", name, MaxBytes>>20)
		}
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, &features.ParseError{File: name, Line: se.Line, Err: errors.New(se.Msg)}
		}
		return nil, fmt.Errorf("xspf: %s: %w", name, err)
	}
	p := &features.Playlist{ID: filepath.Base(name), Name: pl.Title}
	if p.Name == "" {
		p.Name = features.PlaylistName(name)
	}
	ds := &features.Dataset{Catalog: &features.Catalog{}, Playlists: []*features.Playlist{p}}
	rep := &ds.Report
	for i, x := range pl.Tracks {
		rep.Rows++
		id, ok := spotifyID(x)
		if !ok {
			rep.Skipped++
			rep.Warnf("%s: track %d (%q) has no Spotify id: skipped", name, i+1, x.Title)
			continue
		}
		t := &features.Track{ID: id, Name: strings.TrimSpace(x.Title), Album: strings.TrimSpace(x.Album),
			DurationMS: x.Duration, Popularity: -1, Key: -1, Mode: -1, Features: features.NoFeatures,
			From: features.Provenance{Meta: fmt.Sprintf("xspf:%s:%d", name, i+1)}}
		if x.Duration <= 0 {
			t.DurationMS = -1
		}
		if c := strings.TrimSpace(x.Creator); c != "" {
			t.Artists = []string{c}
		}
		held, _ := ds.Catalog.Add(t)
		p.Tracks = append(p.Tracks, held)
	}
	n := ds.Catalog.Len()
	rep.Tracks, rep.Playlists, rep.MissingFeatures, rep.UnknownKey, rep.UnknownTempo = n, 1, n, n, n
	return ds, nil
}

func spotifyID(x track) (string, bool) {
	for _, s := range append(append([]string(nil), x.Locations...), x.Identifiers...) {
		if id, ok := features.ParseTrackRef(s); ok {
			return id, true
		}
	}
	return "", false
}
