package mpd

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/discoflow/disco/features"
)

type outTrack struct {
	Pos        int    `json:"pos"`
	ArtistName string `json:"artist_name"`
	TrackURI   string `json:"track_uri"`
	ArtistURI  string `json:"artist_uri"`
	TrackName  string `json:"track_name"`
	AlbumURI   string `json:"album_uri"`
	DurationMS int    `json:"duration_ms"`
	AlbumName  string `json:"album_name"`
}

type outPlaylist struct {
	Name          string     `json:"name"`
	Collaborative string     `json:"collaborative"`
	PID           int        `json:"pid"`
	ModifiedAt    int64      `json:"modified_at"`
	NumTracks     int        `json:"num_tracks"`
	NumAlbums     int        `json:"num_albums"`
	NumFollowers  int        `json:"num_followers"`
	Tracks        []outTrack `json:"tracks"`
	NumEdits      int        `json:"num_edits"`
	DurationMS    int64      `json:"duration_ms"`
	NumArtists    int        `json:"num_artists"`
}

// Write writes ds's playlists as one MPD slice, in the MPD's key order and
// indentation, one playlist at a time.
//
// A playlist's pid is its ID when every playlist's ID is a distinct
// non-negative decimal integer (as [Read] makes them); otherwise playlists
// are numbered 0, 1, ... in order. Tracks get pos 0..n-1, track_uri from
// the id, artist_name the artists joined by ", ", and duration_ms as held
// (-1 when unknown). What the MPD has but a Track does not hold is written
// as a neutral value: artist_uri and album_uri "", collaborative "false",
// modified_at, num_followers and num_edits 0. num_tracks, num_albums and
// num_artists (distinct album names and artist strings, as URIs are not
// held) and the playlist's duration_ms (the sum of known durations) are
// computed from the tracks.
//
// A track whose id is not a Spotify track id is an error: the slice could
// not be read back.
func Write(w io.Writer, ds *features.Dataset) error {
	pids := make([]int, len(ds.Playlists))
	seen := make(map[int]bool, len(ds.Playlists))
	byID := true
	for i, pl := range ds.Playlists {
		n, err := strconv.Atoi(pl.ID)
		if err != nil || n < 0 || strconv.Itoa(n) != pl.ID || seen[n] {
			byID = false
			break
		}
		seen[n] = true
		pids[i] = n
	}
	if !byID {
		for i := range pids {
			pids[i] = i
		}
	}

	bw := bufio.NewWriter(w)
	bw.WriteString("{\n    \"info\": {\n        \"generated_by\": \"disco\",\n        \"version\": \"v1\"\n    },\n    \"playlists\": [")
	var buf bytes.Buffer // one playlist's JSON
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("        ", "    ")
	var out outPlaylist
	for i, pl := range ds.Playlists {
		if err := fill(&out, pl, pids[i]); err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n        ")
		buf.Reset()
		if err := enc.Encode(&out); err != nil {
			return fmt.Errorf("mpd: %w", err)
		}
		bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	if len(ds.Playlists) > 0 {
		bw.WriteString("\n    ")
	}
	bw.WriteString("]\n}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("mpd: %w", err)
	}
	return nil
}

// fill sets out to the MPD form of pl, reusing out's track slice.
func fill(out *outPlaylist, pl *features.Playlist, pid int) error {
	tracks := out.Tracks[:0]
	if tracks == nil {
		tracks = []outTrack{} // "tracks": [], not null
	}
	albums := make(map[string]bool)
	artists := make(map[string]bool)
	var dur int64
	for i, t := range pl.Tracks {
		if id, ok := features.ParseTrackRef(t.ID); !ok || id != t.ID {
			return fmt.Errorf("mpd: playlist %q: track %d: id %q is not a Spotify track id", pl.ID, i, t.ID)
		}
		a := t.Artist()
		tracks = append(tracks, outTrack{
			Pos: i, ArtistName: a, TrackURI: t.URI(), TrackName: t.Name,
			DurationMS: t.DurationMS, AlbumName: t.Album,
		})
		albums[t.Album] = true
		artists[a] = true
		if t.DurationMS > 0 {
			dur += int64(t.DurationMS)
		}
	}
	*out = outPlaylist{
		Name: pl.Name, Collaborative: "false", PID: pid,
		NumTracks: len(tracks), NumAlbums: len(albums), Tracks: tracks,
		DurationMS: dur, NumArtists: len(artists),
	}
	return nil
}
