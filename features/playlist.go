package features

import (
	"fmt"
	"strings"
)

// Playlist is an ordered list of tracks. Tracks point into a Catalog, so a
// track that appears in several playlists is one value.
type Playlist struct {
	ID       string
	Name     string
	Genre    string
	Subgenre string
	Tracks   []*Track
}

// Len returns the number of tracks.
func (p *Playlist) Len() int { return len(p.Tracks) }

// AppendIDs appends the ids of p's tracks, in order, to dst.
func (p *Playlist) AppendIDs(dst []string) []string {
	for _, t := range p.Tracks {
		dst = append(dst, t.ID)
	}
	return dst
}

// playlistExts are the extensions PlaylistName drops, longest first.
var playlistExts = []string{".csv.gz", ".m3u8", ".xspf", ".json", ".csv", ".m3u", ".txt", ".gz"}

// PlaylistName returns the name of the playlist in the file at path: its
// base name without a playlist file's extension (.csv, .csv.gz, .json,
// .xspf, .m3u8, .m3u, .txt, .gz, in any case). Every reader and command
// that names a playlist after its file calls it.
func PlaylistName(path string) string {
	base := path[strings.LastIndexAny(path, `/\`)+1:]
	lower := strings.ToLower(base)
	for _, ext := range playlistExts {
		if strings.HasSuffix(lower, ext) && len(base) > len(ext) {
			return base[:len(base)-len(ext)]
		}
	}
	return base
}

// Catalog holds tracks, each once, by id, in the order they were added.
// The zero value is an empty catalog ready to use.
type Catalog struct {
	Tracks []*Track
	byID   map[string]*Track
}

// NewCatalog returns a catalog of the given tracks. A later track with an id
// already present is dropped.
func NewCatalog(tracks ...*Track) *Catalog {
	c := &Catalog{}
	if len(tracks) > 0 {
		c.Tracks = make([]*Track, 0, len(tracks))
		c.byID = make(map[string]*Track, len(tracks))
	}
	for _, t := range tracks {
		c.Add(t)
	}
	return c
}

// WithCapacity returns an empty catalog with room for n tracks before
// its index grows: for readers that know about how many rows come.
func WithCapacity(n int) *Catalog {
	return &Catalog{byID: make(map[string]*Track, n)}
}

// Len returns the number of tracks.
func (c *Catalog) Len() int { return len(c.Tracks) }

// Get returns the track with the given id, or nil.
func (c *Catalog) Get(id string) *Track {
	return c.byID[id]
}

// Add adds t unless a track with its id is present. It returns the track
// now held under that id, and whether t was added.
func (c *Catalog) Add(t *Track) (*Track, bool) {
	if c.byID == nil {
		c.byID = make(map[string]*Track)
	}
	if old, ok := c.byID[t.ID]; ok {
		return old, false
	}
	c.byID[t.ID] = t
	c.Tracks = append(c.Tracks, t)
	return t, true
}

// WithFeatures returns the catalog's tracks that have all abstract features,
// in catalog order.
func (c *Catalog) WithFeatures() []*Track {
	out := make([]*Track, 0, len(c.Tracks))
	for _, t := range c.Tracks {
		if t.HasFeatures {
			out = append(out, t)
		}
	}
	return out
}

// Dataset is what a reader returns: a catalog of tracks, the playlists that
// order them, and a report of what was read, fixed or skipped.
type Dataset struct {
	Catalog   *Catalog
	Playlists []*Playlist
	Report    Report
}

// Report counts what a reader saw. Warnings hold one line per notable event
// (a skipped row, a conflict), at most a few hundred; counts are exact.
type Report struct {
	Rows               int `json:"rows"`                // data rows read
	Skipped            int `json:"skipped"`             // malformed rows skipped (only when asked to)
	Tracks             int `json:"tracks"`              // distinct tracks
	Playlists          int `json:"playlists"`           // playlists kept
	DuplicatePlaylists int `json:"duplicate_playlists"` // playlists dropped as repeats of one already read
	MissingFeatures    int `json:"missing_features"`    // tracks without all abstract features
	UnknownKey         int `json:"unknown_key"`         // tracks with key -1
	UnknownTempo       int `json:"unknown_tempo"`       // tracks with tempo 0
	Conflicts          int `json:"conflicts"`           // rows whose track id was seen before with different features (first kept)
	Duplicates         int `json:"duplicates"`          // rows whose track id was seen before with the same features (merged)
	NonFinite          int `json:"non_finite"`          // rows with a NaN, ±Inf or overflowing number (1e400): that value unknown
	// ConflictIDs are the first MaxConflictIDs track ids counted in
	// Conflicts.
	ConflictIDs []string `json:"conflict_ids"`
	// MissingColumns are the columns disco uses that a table lacks, by
	// their usual names ("tempo", "key"), each with what its absence costs
	// (see ColumnCost).
	MissingColumns []string `json:"missing_columns"`
	Warnings       []string `json:"warnings"`
}

// MaxConflictIDs bounds Report.ConflictIDs.
const MaxConflictIDs = 3

// MaxWarnings bounds Report.Warnings.
const MaxWarnings = 200

// Warnf appends a warning unless MaxWarnings are already held.
func (r *Report) Warnf(format string, args ...any) {
	if len(r.Warnings) < MaxWarnings {
		r.Warnings = append(r.Warnings, fmt.Sprintf(format, args...))
	}
}

// ParseError is a malformed value in a file: which file, line and column,
// and what was wrong.
type ParseError struct {
	File   string
	Line   int // 1-based
	Column int // 1-based byte offset in the line (shown as "byte N"), 0 when the whole line is at fault
	Field  string
	Err    error
}

func (e *ParseError) Error() string {
	loc := fmt.Sprintf("%s:%d", e.File, e.Line)
	if e.Column > 0 {
		loc += fmt.Sprintf(": byte %d", e.Column) // a byte offset in the line, not a column of the table
	}
	if e.Field != "" {
		return fmt.Sprintf("%s: column %q: %v", loc, e.Field, e.Err)
	}
	return fmt.Sprintf("%s: %v", loc, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }
