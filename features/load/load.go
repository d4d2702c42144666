package load

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/discojson"
	"github.com/discoflow/disco/features/exportify"
	"github.com/discoflow/disco/features/idlist"
	"github.com/discoflow/disco/features/mpd"
	"github.com/discoflow/disco/features/table"
	"github.com/discoflow/disco/features/tidycsv"
	"github.com/discoflow/disco/features/xspf"
)

// Options control reading. The zero value is strict.
type Options struct {
	// SkipBad makes the CSV readers (tidy and Exportify) skip malformed
	// rows, counting them in Report.Skipped, instead of failing. MPD slices
	// and id lists have no row-skipping mode: a malformed one fails.
	SkipBad bool
}

// Format is a file format disco reads.
type Format int

// The formats.
const (
	Unknown   Format = iota
	TidyCSV          // TidyTuesday/Kaggle audio-feature table (features/tidycsv)
	Exportify        // Exportify playlist CSV (features/exportify)
	MPD              // Million Playlist Dataset JSON slice (features/mpd)
	IDList           // one track id, URI or URL per line (features/idlist)
	DiscoJSON        // disco's own JSON playlist (features/discojson)
	XSPF             // XSPF playlist (features/xspf)
)

func (f Format) String() string {
	switch f {
	case TidyCSV:
		return "tidy CSV"
	case Exportify:
		return "Exportify CSV"
	case MPD:
		return "MPD JSON"
	case IDList:
		return "track id list"
	case DiscoJSON:
		return "disco JSON"
	case XSPF:
		return "XSPF"
	}
	return "unknown"
}

// ErrUnknownFormat is wrapped by the error for content that no reader
// recognises.
var ErrUnknownFormat = errors.New("unrecognised format")

// SniffLen is how many leading bytes Read looks at.
const SniffLen = 64 << 10

// exportifyIDs are Exportify's names of the track column, as written.
var exportifyIDs = []string{"Track URI", "Spotify ID", "Track ID", "Spotify URI"}

// Sniff returns the format of a file whose text (decompressed) begins with
// head, and for Unknown a reason. See the package documentation for the
// rules; a first line longer than head is judged on what head holds.
func Sniff(head []byte) (Format, string) {
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		return Unknown, "gzip data must be decompressed before sniffing"
	}
	head = bytes.TrimPrefix(head, []byte("\uFEFF"))
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) == 0 {
		return IDList, ""
	}
	if head[0] == '{' || head[0] == '[' {
		rest := bytes.TrimLeft(head[1:], " \t\r\n")
		if head[0] == '{' && (bytes.HasPrefix(rest, []byte(`"info"`)) || bytes.HasPrefix(rest, []byte(`"playlists"`))) {
			return MPD, ""
		}
		if head[0] == '[' && (len(rest) == 0 || rest[0] == '{' || rest[0] == ']') {
			return DiscoJSON, ""
		}
		return Unknown, `JSON that is neither a Million Playlist Dataset slice (want {"info" or {"playlists") nor disco's playlist (an array of entries)`
	}
	if head[0] == '<' {
		if bytes.Contains(head, []byte("<playlist")) {
			return XSPF, ""
		}
		return Unknown, "XML that is not an XSPF playlist"
	}
	line, _, _ := bytes.Cut(head, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if line[0] == '#' {
		return IDList, ""
	}
	if _, ok := features.ParseTrackRef(string(line)); ok {
		return IDList, ""
	}
	cr := csv.NewReader(bytes.NewReader(head))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err != nil || len(header) == 0 {
		return IDList, ""
	}
	for _, h := range header {
		if slices.Contains(exportifyIDs, strings.TrimSpace(h)) {
			return Exportify, ""
		}
	}
	for _, h := range header {
		if f, ok := table.HeaderAliases[table.NormalizeHeader(h)]; ok && f == table.FieldID {
			return TidyCSV, ""
		}
	}
	if len(header) == 1 {
		return IDList, ""
	}
	return Unknown, fmt.Sprintf("CSV header without a track column (want %s, or %s)",
		strings.Join(table.IDHeaders(), ", "), strings.Join(exportifyIDs, ", "))
}

// File reads the file at path in whatever format it holds (see Sniff),
// gzip-compressed or not; path names it in errors and provenance.
func File(path string, opt Options) (*features.Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	defer f.Close()
	return Read(f, path, opt)
}

// Read reads r in whatever format it holds (see Sniff); name names it in
// errors and provenance. Errors are the format reader's, unchanged (a
// *features.ParseError for a malformed CSV row, for instance), or, for
// content no reader recognises, an error wrapping ErrUnknownFormat.
func Read(r io.Reader, name string, opt Options) (*features.Dataset, error) {
	br, err := table.OpenText(r)
	if err != nil {
		return nil, fmt.Errorf("load: %s: %w", name, err)
	}
	head, err := br.Peek(SniffLen)
	if err != nil && err != io.EOF && len(head) == 0 {
		return nil, fmt.Errorf("load: %s: %w", name, err) // a corrupt gzip stream, say
	}
	format, why := Sniff(head)
	switch format {
	case TidyCSV:
		return tidycsv.Read(br, name, tidycsv.Options{SkipBad: opt.SkipBad})
	case Exportify:
		return exportify.Read(br, name, exportify.Options{SkipBad: opt.SkipBad})
	case MPD:
		return mpd.Read(br, name)
	case IDList:
		return idlist.Read(br, name)
	case DiscoJSON:
		return discojson.Read(br, name)
	case XSPF:
		return xspf.Read(br, name)
	}
	return nil, fmt.Errorf("load: %s: %w: %s", name, ErrUnknownFormat, why)
}

// Merge returns one dataset holding the tracks and playlists of dss, in
// order; nil datasets are skipped and the inputs are not changed. Tracks
// are merged by id: the first dataset's track wins, even when it lacks
// features that a later one has (so list catalogs with features first). A
// later track with other features (both with HasFeatures, and not
// features.SameFeatures within table.ConflictTol) counts in
// Report.Conflicts with a warning; one without features, as from an MPD
// slice or an id list, is no conflict. Playlists are concatenated, each
// pointing to the merged catalog's tracks (a playlist whose tracks were
// replaced is a copy). The report adds up the inputs' (see
// features.Report.Add), and counts Tracks, Playlists, MissingFeatures,
// UnknownKey and UnknownTempo afresh on the result.
func Merge(dss ...*features.Dataset) *features.Dataset {
	out := &features.Dataset{Catalog: &features.Catalog{}}
	r := &out.Report
	for _, ds := range dss {
		if ds == nil {
			continue
		}
		r.Add(&ds.Report)
		merged := make(map[*features.Track]*features.Track)
		get := func(t *features.Track) *features.Track {
			m, ok := merged[t]
			if !ok {
				m = add(out, t)
				merged[t] = m
			}
			return m
		}
		if ds.Catalog != nil {
			for _, t := range ds.Catalog.Tracks {
				get(t)
			}
		}
		for _, p := range ds.Playlists {
			q := p
			for i, t := range p.Tracks {
				m := get(t)
				if m == t {
					continue
				}
				if q == p {
					c := *p
					c.Tracks = slices.Clone(p.Tracks)
					q = &c
				}
				q.Tracks[i] = m
			}
			out.Playlists = append(out.Playlists, q)
		}
	}
	for _, t := range out.Catalog.Tracks {
		if !t.HasFeatures {
			r.MissingFeatures++
		}
		if t.Key == -1 {
			r.UnknownKey++
		}
		if t.Tempo == 0 {
			r.UnknownTempo++
		}
	}
	r.Tracks = out.Catalog.Len()
	r.Playlists = len(out.Playlists)
	return out
}

// add adds t to out's catalog unless its id is there, and returns the
// catalog's track. A held track of another value with other features is a
// conflict.
func add(out *features.Dataset, t *features.Track) *features.Track {
	held, added := out.Catalog.Add(t)
	if !added && held != t && held.HasFeatures && t.HasFeatures && !features.SameFeatures(held, t, table.ConflictTol) {
		out.Report.AddConflict(t.ID)
		out.Report.Warnf("merge: track %s: features from %s differ from %s; first kept", t.ID, t.From.Features, held.From.Features)
	}
	return held
}
