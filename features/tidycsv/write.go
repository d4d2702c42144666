package tidycsv

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/discoflow/disco/features"
)

// Header is the header line Write writes: the TidyTuesday columns but
// track_album_id, then time_signature.
var Header = []string{
	"track_id", "track_name", "track_artist", "track_popularity", "track_album_name",
	"track_album_release_date", "playlist_name", "playlist_id", "playlist_genre",
	"playlist_subgenre", "danceability", "energy", "key", "loudness", "mode",
	"speechiness", "acousticness", "instrumentalness", "liveness", "valence",
	"tempo", "duration_ms", "time_signature",
}

// Write writes ds as a table in the layout of Header, with LF line ends
// and no byte-order mark.
//
// First come rows for the catalog's tracks that the playlists cannot carry,
// in catalog order, with empty playlist columns: tracks in no playlist, and
// tracks whose genre or subgenre differ from those of the first playlist
// holding them. Then every playlist, in order, one row per entry, carrying
// the playlist's id, name, genre and subgenre. Artists are joined by ";".
// Unknown values are written as empty cells, except an unknown key (-1)
// and tempo (0), written as such.
//
// Read gives back the same playlists and track values (see the package
// documentation). Write fails on what it cannot write so: a playlist with
// neither id nor name, two playlists with the same id (or, without ids, the
// same name), a track with an empty id, a track with HasFeatures whose
// features fail features.CheckFeatures. Empty playlists are left out.
func Write(w io.Writer, ds *features.Dataset) error {
	first := make(map[*features.Track]*features.Playlist)
	keys := make(map[string]int)
	for i, p := range ds.Playlists {
		if p.ID == "" && strings.TrimSpace(p.Name) == "" {
			return fmt.Errorf("tidycsv: playlist %d has neither id nor name", i)
		}
		if len(p.Tracks) == 0 {
			continue
		}
		k := key(p)
		if j, dup := keys[k]; dup {
			return fmt.Errorf("tidycsv: playlists %d and %d share the key %q", j, i, k)
		}
		keys[k] = i
		for _, t := range p.Tracks {
			if first[t] == nil {
				first[t] = p
			}
		}
	}

	cw := csv.NewWriter(w)
	if err := cw.Write(Header); err != nil {
		return fmt.Errorf("tidycsv: %w", err)
	}
	rec := make([]string, len(Header))
	if ds.Catalog != nil {
		for _, t := range ds.Catalog.Tracks {
			p := first[t]
			if p != nil && p.Genre == t.Genre && p.Subgenre == t.Subgenre {
				continue
			}
			if err := row(rec, t, nil); err != nil {
				return err
			}
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("tidycsv: %w", err)
			}
		}
	}
	for _, p := range ds.Playlists {
		for _, t := range p.Tracks {
			if err := row(rec, t, p); err != nil {
				return err
			}
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("tidycsv: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("tidycsv: %w", err)
	}
	return nil
}

// row fills rec with t's row in playlist p, or in no playlist when p is nil.
func row(rec []string, t *features.Track, p *features.Playlist) error {
	if strings.TrimSpace(t.ID) == "" {
		return fmt.Errorf("tidycsv: track with empty id (%q)", t.Name)
	}
	if t.HasFeatures {
		if err := features.CheckFeatures(t.Features); err != nil {
			return fmt.Errorf("tidycsv: track %s: %w", t.ID, err)
		}
	}
	rec[0] = t.ID
	rec[1] = t.Name
	rec[2] = strings.Join(t.Artists, ";")
	rec[3] = optInt(t.Popularity, -1)
	rec[4] = t.Album
	rec[5] = t.ReleaseDate
	if p != nil {
		rec[6], rec[7], rec[8], rec[9] = p.Name, p.ID, p.Genre, p.Subgenre
	} else {
		rec[6], rec[7], rec[8], rec[9] = "", "", t.Genre, t.Subgenre
	}
	feat := func(i int) string {
		if !t.HasFeatures {
			return ""
		}
		return fmtFloat(t.Features[i])
	}
	rec[10] = feat(features.Danceability)
	rec[11] = feat(features.Energy)
	rec[12] = strconv.Itoa(t.Key)
	rec[13] = feat(features.Loudness)
	rec[14] = optInt(t.Mode, -1)
	rec[15] = feat(features.Speechiness)
	rec[16] = feat(features.Acousticness)
	rec[17] = feat(features.Instrumentalness)
	rec[18] = feat(features.Liveness)
	rec[19] = feat(features.Valence)
	rec[20] = fmtFloat(t.Tempo)
	rec[21] = optInt(t.DurationMS, -1)
	rec[22] = optInt(t.TimeSignature, 0)
	return nil
}

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// optInt formats n, or "" when n is the unknown value.
func optInt(n, unknown int) string {
	if n == unknown {
		return ""
	}
	return strconv.Itoa(n)
}
