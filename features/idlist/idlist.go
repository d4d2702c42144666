package idlist

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/discoflow/disco/features"
)

// ErrNotTrack is the Err of the [*features.ParseError] for a line that is
// neither blank, a comment nor a Spotify track reference.
var ErrNotTrack = errors.New("not a Spotify track id, URI or URL")

// maxSeconds bounds an #EXTINF duration; beyond it (about 116 days) the
// duration is taken as unknown.
const maxSeconds = 1e7

// hint is what an #EXTINF line says about the next track.
type hint struct {
	durationMS int // -1 unknown
	artist     string
	title      string
}

// Read reads a playlist file. The name (usually the file's path) appears
// in errors and provenance; the playlist's ID is its base name and its
// Name the base name without extension ("road trip.m3u8" gives "road
// trip"). An empty file gives one empty playlist. A line that is not a
// track reference is a *features.ParseError wrapping ErrNotTrack; a read
// error is returned wrapped.
func Read(r io.Reader, name string) (*features.Dataset, error) {
	pl := &features.Playlist{ID: filepath.Base(name), Name: features.PlaylistName(name)}
	ds := &features.Dataset{Catalog: &features.Catalog{}, Playlists: []*features.Playlist{pl}}
	rep := &ds.Report
	firstLine := make(map[string]int) // track id -> line of its first listing

	br := bufio.NewReader(r)
	var pending *hint
	var long []byte
	for lineNo := 1; ; lineNo++ {
		b, err := features.ReadLine(br, &long)
		if err == features.ErrLineTooLong {
			return nil, &features.ParseError{File: name, Line: lineNo, Err: err}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("idlist: %s: %w", name, err)
		}
		raw := string(b)
		if lineNo == 1 {
			raw = strings.TrimPrefix(raw, "\uFEFF")
		}
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
		case strings.HasPrefix(line, "#"):
			if h, ok := extinf(raw); ok {
				pending = &h
			}
		default:
			id, ok := features.ParseTrackRef(line)
			if !ok {
				return nil, &features.ParseError{File: name, Line: lineNo, // the whole line is at fault
					Err: fmt.Errorf("%w: %s", ErrNotTrack, quoteShort(line))}
			}
			if rep.Rows++; rep.Rows > features.MaxRows {
				return nil, &features.ParseError{File: name, Line: lineNo, Err: features.ErrTooManyRows}
			}
			t := newTrack(id, pending, "idlist:"+name+":"+strconv.Itoa(lineNo))
			pending = nil
			held, added := ds.Catalog.Add(t)
			if added {
				firstLine[id] = lineNo
			} else {
				rep.Warnf("%s:%d: track %s repeats line %d", name, lineNo, id, firstLine[id])
				if len(rep.Warnings) < features.MaxWarnings && !sameMeta(held, t) && (t.Name != "" || t.Artists != nil || t.DurationMS >= 0) {
					rep.Warnf("%s:%d: track %s is %q here but %q on line %d; first kept", name, lineNo, id, t.String(), held.String(), firstLine[id])
				}
			}
			pl.Tracks = append(pl.Tracks, held)
		}
	}
	if pending != nil {
		rep.Warnf("%s: #EXTINF at the end of the file without a track", name)
	}
	n := ds.Catalog.Len()
	rep.Tracks = n
	rep.Playlists = 1
	rep.MissingFeatures = n
	rep.UnknownKey = n
	rep.UnknownTempo = n
	return ds, nil
}

// extinf parses an "#EXTINF:<seconds>[ attributes],<info>" line, given
// with its trailing white space so that "Artist - " keeps its separator.
// Carriage returns in info become spaces, and artist and title are trimmed
// of spaces only: so Write's "artist - title" always splits back at its own
// separator.
func extinf(raw string) (hint, bool) {
	s := strings.TrimLeft(raw, " \t\uFEFF")
	s = strings.TrimRight(s, "\r\n")
	const tag = "#EXTINF:"
	if len(s) < len(tag) || !strings.EqualFold(s[:len(tag)], tag) {
		return hint{}, false
	}
	dur, info, _ := strings.Cut(s[len(tag):], ",")
	h := hint{durationMS: -1}
	if f := strings.Fields(dur); len(f) > 0 {
		if secs, err := strconv.ParseFloat(f[0], 64); err == nil && secs >= 0 && secs <= maxSeconds {
			h.durationMS = int(math.Round(secs * 1000))
		}
	}
	info = strings.ReplaceAll(info, "\r", " ")
	if artist, title, ok := strings.Cut(info, " - "); ok {
		h.artist, h.title = strings.Trim(artist, " "), strings.Trim(title, " ")
	} else {
		h.title = strings.Trim(info, " ")
	}
	return h, true
}

func newTrack(id string, h *hint, meta string) *features.Track {
	t := &features.Track{
		ID:         id,
		DurationMS: -1,
		Popularity: -1,
		Key:        -1,
		Mode:       -1,
		Features:   features.NoFeatures,
		From:       features.Provenance{Meta: meta},
	}
	if h != nil {
		t.Name = h.title
		t.DurationMS = h.durationMS
		if h.artist != "" {
			t.Artists = []string{h.artist}
		}
	}
	return t
}

func sameMeta(a, b *features.Track) bool {
	return a.Name == b.Name && a.Artist() == b.Artist() && a.DurationMS == b.DurationMS
}

// quoteShort quotes s, cut to 60 bytes.
func quoteShort(s string) string {
	if len(s) > 60 {
		return strconv.Quote(s[:60]) + "..."
	}
	return strconv.Quote(s)
}

// Write writes pl's tracks as Spotify URIs, one a line. When some track has
// a name, artists or a known duration it writes an extended M3U file
// instead: "#EXTM3U", then for each track "#EXTINF:<seconds>,<artists> -
// <title>" (seconds -1 when unknown; " - " left out when there are no
// artists and the title holds no " - ") and its URI. Line breaks in names
// become spaces; an artist holding " - " reads back split at its first
// " - ". The playlist's name is not written: it is the file's.
//
// A track whose id is not a Spotify track id is an error, since the file
// could not be read back.
func Write(w io.Writer, pl *features.Playlist) error {
	m3u := false
	for i, t := range pl.Tracks {
		if id, ok := features.ParseTrackRef(t.ID); !ok || id != t.ID {
			return fmt.Errorf("idlist: track %d: id %q is not a Spotify track id", i, t.ID)
		}
		if t.Name != "" || len(t.Artists) > 0 || t.DurationMS >= 0 {
			m3u = true
		}
	}
	bw := bufio.NewWriter(w)
	if m3u {
		bw.WriteString("#EXTM3U\n")
	}
	for _, t := range pl.Tracks {
		if m3u {
			bw.WriteString("#EXTINF:")
			bw.WriteString(seconds(t.DurationMS))
			bw.WriteByte(',')
			bw.WriteString(info(t))
			bw.WriteByte('\n')
		}
		bw.WriteString(t.URI())
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("idlist: %w", err)
	}
	return nil
}

// seconds formats a duration in milliseconds as M3U seconds: whole seconds
// when exact, else as many decimals as needed; -1 when unknown.
func seconds(ms int) string {
	if ms < 0 {
		return "-1"
	}
	if ms%1000 == 0 {
		return strconv.Itoa(ms / 1000)
	}
	return strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)
}

var oneLine = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ")

// info returns the "artist - title" part of an #EXTINF line for t, in the
// form extinf parses back to the same artist and title.
func info(t *features.Track) string {
	a := oneLine.Replace(t.Artist())
	n := oneLine.Replace(t.Name)
	if a == "" && !strings.Contains(n, " - ") {
		return n
	}
	return a + " - " + n
}
