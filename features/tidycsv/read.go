package tidycsv

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
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

// Playlist columns, which only this layout has.
var (
	playlistNameAliases = []string{"playlist", "playlist_name"}
	playlistIDAliases   = []string{"playlist_id", "pid"}
)

// ReadFile reads the table in the file at path (gzip-compressed or not);
// path names the file in errors and provenance.
func ReadFile(path string, opt Options) (*features.Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tidycsv: %w", err)
	}
	defer f.Close()
	return Read(f, path, opt)
}

// Read reads a table from r; name names it in errors, warnings and
// provenance ("csv:name:line"). See the package documentation for the
// layout and the validation policy. Errors about a malformed row are
// *features.ParseError; others are prefixed "tidycsv: ".
func Read(r io.Reader, name string, opt Options) (*features.Dataset, error) {
	tr, err := table.NewTableReader(r, name, "csv:"+name, table.HeaderAliases)
	if err != nil {
		var pe *features.ParseError
		if errors.As(err, &pe) {
			return nil, err
		}
		return nil, fmt.Errorf("tidycsv: %w", err)
	}
	tr.Skip = opt.SkipBad
	tr.NA = true
	tr.SplitArtists = SplitArtists
	cols := tr.Cols
	plName := findColumn(tr.Header, playlistNameAliases)
	plID := findColumn(tr.Header, playlistIDAliases)

	ds := tr.Dataset()
	b := builder{ds: ds, name: name, kept: make(map[string]*features.Playlist)}
	for {
		t, line, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *features.ParseError
			if errors.As(err, &pe) {
				return nil, err
			}
			return nil, fmt.Errorf("tidycsv: %w", err)
		}
		id := bytes.TrimSpace(tr.Cell(plID))
		pname := tr.Cell(plName)
		if len(id) == 0 && len(bytes.TrimSpace(pname)) == 0 {
			b.flush() // a track in no playlist
			continue
		}
		if b.cur == nil || b.cur.ID != string(id) || (len(id) == 0 && b.cur.Name != string(pname)) {
			b.flush()
			b.line = line
			b.cur = &features.Playlist{
				ID:       tr.Intern(id),
				Name:     tr.Intern(pname),
				Genre:    tr.Intern(tr.Cell(cols[table.FieldGenre])),
				Subgenre: tr.Intern(tr.Cell(cols[table.FieldSubgenre])),
			}
		}
		b.cur.Tracks = append(b.cur.Tracks, t)
		b.last = line
	}
	b.flush()
	ds.Report.Playlists = len(ds.Playlists)
	return ds, nil
}

// builder assembles playlists from blocks of rows.
type builder struct {
	ds         *features.Dataset
	name       string
	kept       map[string]*features.Playlist // by key
	keptLine   map[string]int
	cur        *features.Playlist
	line, last int // first and last line of cur
}

// key identifies a playlist: by id, or by name when it has no id.
func key(p *features.Playlist) string {
	if p.ID != "" {
		return "id:" + p.ID
	}
	return "name:" + p.Name
}

func (b *builder) flush() {
	p := b.cur
	if p == nil {
		return
	}
	b.cur = nil
	r := &b.ds.Report
	k := key(p)
	first, seen := b.kept[k]
	switch {
	case !seen:
		b.kept[k] = p
		if b.keptLine == nil {
			b.keptLine = make(map[string]int)
		}
		b.keptLine[k] = b.line
		b.ds.Playlists = append(b.ds.Playlists, p)
	case slices.Equal(first.Tracks, p.Tracks):
		r.DuplicatePlaylists++
		r.Warnf("%s:%d-%d: playlist %s repeats the one at line %d; duplicate dropped",
			b.name, b.line, b.last, label(p), b.keptLine[k])
	default:
		r.Warnf("%s:%d-%d: playlist %s appears again with other tracks (%d, first had %d at line %d); first kept",
			b.name, b.line, b.last, label(p), len(p.Tracks), len(first.Tracks), b.keptLine[k])
	}
}

func label(p *features.Playlist) string {
	if p.ID != "" {
		return fmt.Sprintf("%q (%s)", p.Name, p.ID)
	}
	return fmt.Sprintf("%q", p.Name)
}

func findColumn(header []string, names []string) int {
	for i, h := range header {
		if slices.Contains(names, table.NormalizeHeader(h)) {
			return i
		}
	}
	return -1
}

// SplitArtists appends to dst the artist names in s, which are separated by
// ";", each trimmed of white space; empty names are dropped. Commas do not
// separate.
func SplitArtists(dst []string, s string) []string {
	for {
		a, rest, more := strings.Cut(s, ";")
		if a = strings.TrimSpace(a); a != "" {
			dst = append(dst, a)
		}
		if !more {
			return dst
		}
		s = rest
	}
}
