package exportify

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/table"
)

// Options control reading. The zero value is strict: the first malformed
// row is an error.
type Options struct {
	// SkipBad leaves malformed rows out, counting them in Report.Skipped
	// and warning about each, instead of failing on the first.
	SkipBad bool
}

// ReadFile reads the Exportify file at path; path names it in errors and
// provenance, and its base name gives the playlist's name.
func ReadFile(path string, opt Options) (*features.Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("exportify: %w", err)
	}
	defer f.Close()
	return Read(f, path, opt)
}

// Read reads an Exportify file from r; name names it in errors, warnings
// and provenance ("exportify:name:line"), and gives the playlist's name
// (see features.PlaylistName). The dataset holds one playlist, possibly empty.
// Errors about a malformed row are *features.ParseError; others are
// prefixed "exportify: ".
func Read(r io.Reader, name string, opt Options) (*features.Dataset, error) {
	tr, err := table.NewTableReader(r, name, "exportify:"+name, table.HeaderAliases)
	if err != nil {
		var pe *features.ParseError
		if errors.As(err, &pe) {
			return nil, err
		}
		return nil, fmt.Errorf("exportify: %w", err)
	}
	tr.Skip = opt.SkipBad
	tr.SplitArtists = SplitArtists
	ds := tr.Dataset()
	p := &features.Playlist{Name: features.PlaylistName(name)}
	for {
		t, _, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *features.ParseError
			if errors.As(err, &pe) {
				return nil, err
			}
			return nil, fmt.Errorf("exportify: %w", err)
		}
		p.Tracks = append(p.Tracks, t)
	}
	ds.Playlists = []*features.Playlist{p}
	ds.Report.Playlists = 1
	return ds, nil
}

// SplitArtists appends to dst the artist names in s: separated by commas
// not escaped by a backslash, with "\," and "\\" unescaped and each name
// trimmed; empty names are dropped.
func SplitArtists(dst []string, s string) []string {
	if !strings.Contains(s, `\`) {
		for {
			a, rest, more := strings.Cut(s, ",")
			if a = strings.TrimSpace(a); a != "" {
				dst = append(dst, a)
			}
			if !more {
				return dst
			}
			s = rest
		}
	}
	var b strings.Builder
	flush := func() {
		if a := strings.TrimSpace(b.String()); a != "" {
			dst = append(dst, a)
		}
		b.Reset()
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s) && (s[i+1] == ',' || s[i+1] == '\\'):
			b.WriteByte(s[i+1])
			i++
		case c == ',':
			flush()
		default:
			b.WriteByte(c)
		}
	}
	flush()
	return dst
}

// JoinArtists joins artist names as newer Exportify versions do: with ", ",
// a comma in a name written "\,", and a backslash "\\" so that SplitArtists
// gives the names back.
func JoinArtists(names []string) string {
	var b strings.Builder
	for i, a := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		for j := 0; j < len(a); j++ {
			if a[j] == ',' || a[j] == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(a[j])
		}
	}
	return b.String()
}

// Header is the header line Write writes: the current Exportify columns
// that disco reads.
var Header = []string{
	"Track URI", "Track Name", "Album Name", "Artist Name(s)", "Release Date",
	"Duration (ms)", "Popularity", "Genres", "Danceability", "Energy", "Key",
	"Loudness", "Mode", "Speechiness", "Acousticness", "Instrumentalness",
	"Liveness", "Valence", "Tempo", "Time Signature",
}

// Write writes a playlist as an Exportify file: ds's one playlist, or its
// catalog in order when it has no playlist (more than one playlist is an
// error: an Exportify file holds one; write each to its own file). Track
// URIs are spotify:track:ID for Spotify ids, other ids as they are. Artists
// are joined by JoinArtists. Unknown values are empty cells, except an
// unknown key (-1) and tempo (0), written as such. The playlist's name is
// not in the file but in its name. Write fails on a track with an empty id
// or HasFeatures with features that fail features.CheckFeatures.
func Write(w io.Writer, ds *features.Dataset) error {
	var tracks []*features.Track
	switch {
	case len(ds.Playlists) > 1:
		return fmt.Errorf("exportify: %d playlists; an Exportify file holds one", len(ds.Playlists))
	case len(ds.Playlists) == 1:
		tracks = ds.Playlists[0].Tracks
	case ds.Catalog != nil:
		tracks = ds.Catalog.Tracks
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(Header); err != nil {
		return fmt.Errorf("exportify: %w", err)
	}
	rec := make([]string, len(Header))
	for _, t := range tracks {
		if strings.TrimSpace(t.ID) == "" {
			return fmt.Errorf("exportify: track with empty id (%q)", t.Name)
		}
		if t.HasFeatures {
			if err := features.CheckFeatures(t.Features); err != nil {
				return fmt.Errorf("exportify: track %s: %w", t.ID, err)
			}
		}
		rec[0] = t.ID
		if features.IsTrackID(t.ID) {
			rec[0] = t.URI()
		}
		rec[1], rec[2], rec[3], rec[4] = t.Name, t.Album, JoinArtists(t.Artists), t.ReleaseDate
		rec[5], rec[6], rec[7] = optInt(t.DurationMS, -1), optInt(t.Popularity, -1), t.Genre
		feat := func(i int) string {
			if !t.HasFeatures {
				return ""
			}
			return strconv.FormatFloat(t.Features[i], 'g', -1, 64)
		}
		rec[8], rec[9], rec[10] = feat(features.Danceability), feat(features.Energy), strconv.Itoa(t.Key)
		rec[11], rec[12], rec[13] = feat(features.Loudness), optInt(t.Mode, -1), feat(features.Speechiness)
		rec[14], rec[15], rec[16] = feat(features.Acousticness), feat(features.Instrumentalness), feat(features.Liveness)
		rec[17], rec[18], rec[19] = feat(features.Valence), strconv.FormatFloat(t.Tempo, 'g', -1, 64), optInt(t.TimeSignature, 0)
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("exportify: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("exportify: %w", err)
	}
	return nil
}

// optInt formats n, or "" when n is the unknown value.
func optInt(n, unknown int) string {
	if n == unknown {
		return ""
	}
	return strconv.Itoa(n)
}
