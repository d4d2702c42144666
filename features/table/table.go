package table

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"
	"strings"

	"github.com/discoflow/disco/features"
)

// This file holds what the readers of track tables (features/tidycsv,
// features/exportify) share: the opening of a file (gzip, byte-order mark),
// a CSV scanner, the validation policy for one row and the catalog-building
// rules for repeated track ids, all behind [TableReader].

// Field is a track value held in a column of a track table.
type Field int

// The fields of a track table. The abstract features follow FieldFeature in
// DISCO's order: FieldFeature+Acousticness ... FieldFeature+Valence.
const (
	FieldID Field = iota
	FieldName
	FieldArtists
	FieldAlbum
	FieldReleaseDate
	FieldGenre
	FieldSubgenre
	FieldDuration
	FieldPopularity
	FieldKey
	FieldMode
	FieldTempo
	FieldTimeSignature
	FieldFeature
	// NumFields is the number of fields.
	NumFields = FieldFeature + features.NumAbstract
)

// Ranges of the concrete values. A value outside its range makes a row
// malformed.
const (
	MaxTempo         = 1000 // BPM; tempo must be in [0, MaxTempo], 0 meaning unknown
	MaxTimeSignature = 16   // beats per bar; 0 means unknown
	MaxPopularity    = 100
)

// ConflictTol is the tolerance within which two rows of one track id carry
// the same features (see [features.SameFeatures]).
const ConflictTol = 1e-9

// Errors a malformed value or row wraps (in a [features.ParseError]).
var (
	ErrEmptyID     = errors.New("empty track id")
	ErrNotNumber   = errors.New("not a number")
	ErrNotInteger  = errors.New("not an integer")
	ErrOutOfRange  = errors.New("out of range")
	ErrFieldCount  = errors.New("wrong number of fields")
	ErrNoIDColumn  = errors.New("no track id column")
	ErrEmptyHeader = errors.New("no header line")
)

// Columns gives, for each field, the index of the record cell holding it,
// or -1 when the table has no such column.
type Columns [NumFields]int

// NormalizeHeader returns the form in which header names are compared:
// surrounding white space and a byte-order mark removed, lower case, and
// spaces and hyphens turned into underscores ("Track ID" and "track-id"
// become "track_id").
func NormalizeHeader(s string) string {
	s = strings.TrimSpace(strings.TrimPrefix(s, "\uFEFF"))
	s = strings.ToLower(s)
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, s)
}

// MatchColumns finds the fields in a header. aliases maps normalized header
// names (see [NormalizeHeader]) to fields; when several cells name one field
// the leftmost wins. Cells not in aliases are ignored.
func MatchColumns(header []string, aliases map[string]Field) Columns {
	var c Columns
	for i := range c {
		c[i] = -1
	}
	for i, h := range header {
		if f, ok := aliases[NormalizeHeader(h)]; ok && c[f] < 0 {
			c[f] = i
		}
	}
	return c
}

// OpenText returns a reader of r's text: decompressed when r starts with
// the gzip magic bytes 1f 8b, and without a leading UTF-8 byte-order mark.
func OpenText(r io.Reader) (*bufio.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, err
		}
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\uFEFF")) {
		br.Discard(3)
	}
	return br, nil
}

// TableReader reads a CSV track table row by row. Create one with
// NewTableReader, set its options, then call Next until io.EOF.
//
// # Validation policy
//
// A malformed row (a bad cell, a CSV syntax error, more or fewer cells than
// the header) is a *[features.ParseError] naming the file, the line (1-based,
// counting the header and the physical lines of quoted line breaks), the
// byte column (1-based) where the cell starts, and the column's header name,
// unless Skip is set: then it is left out, counted in features.Report.Skipped and
// warned about. Rows whose cells are all empty or white space are ignored,
// like blank lines. features.Report.Rows counts the other rows, skipped ones
// included. Cell by cell (numbers may have surrounding white space):
//
//   - track id: required; a Spotify URI or URL is reduced to its id
//     ([features.ParseTrackRef]), any other text is kept, trimmed, as the source's
//     own id; empty is malformed ([ErrEmptyID]).
//   - name, album, release date, genre, subgenre: kept as written; empty
//     is allowed, and a track without a name is warned about.
//   - artists: split by SplitArtists; empty means none.
//   - the eight abstract features: empty means missing; NaN or Inf text
//     ("NaN", "nan", "Inf", "-Infinity"...) or a number beyond float64
//     ("1e400") means missing too, with a warning, the row counted in
//     features.Report.NonFinite; a number outside [features.AbstractRanges] ([ErrOutOfRange]) or any
//     other text ([ErrNotNumber]) is malformed. When any feature is missing
//     the track has HasFeatures false and Features = [features.NoFeatures], and is
//     counted in features.Report.MissingFeatures.
//   - key: an integer (also written "5.0") in -1..11, -1 or empty meaning
//     unknown (counted in features.Report.UnknownKey), or a note name with an
//     optional mode ("C#", "A minor", as spotifyr's key_name and key_mode
//     write it; its mode is used when the mode cell says none); else
//     malformed.
//   - mode: 0 or 1, or "minor" or "major" (spotifyr's mode_name), empty
//     meaning unknown (-1); anything else, -1 included, is malformed.
//   - key, mode, time signature, popularity, duration: NaN or Inf text
//     (pandas writes a missing integer so) means unknown, with a warning,
//     the row counted in features.Report.NonFinite.
//   - tempo: BPM in [0, MaxTempo]; 0 or empty means unknown (0), counted in
//     features.Report.UnknownTempo; NaN, Inf or beyond float64 means unknown too,
//     with a warning, counted in features.Report.NonFinite; negative, above MaxTempo or not a number is malformed (no
//     writer uses a negative tempo for "unknown").
//   - time signature: an integer in 0..MaxTimeSignature, 0 or empty meaning
//     unknown; else malformed.
//   - popularity: an integer in 0..100, empty meaning unknown (-1).
//   - duration (ms): a non-negative integer, empty meaning unknown (-1).
//
// A track id seen again keeps its first row's track, counted in
// features.Report.Duplicates when the features agree. When the later row's
// features differ ([features.SameFeatures] within [ConflictTol]: the abstract
// features, key, mode and tempo, and whether features are known),
// features.Report.Conflicts counts the row, features.Report.ConflictIDs names the first
// ids, and a warning names both rows. features.Report.MissingColumns lists the
// columns disco uses that the header lacks. Metadata
// of later rows (name, genre...) is ignored without warning.
//
// Tracks get provenance source+":"+line, with the source given to
// NewTableReader and the line the row starts on.
//
// # CSV
//
// The text is read by the rules of encoding/csv (RFC 4180; see
// [encoding/csv.Reader] with its defaults): quoted fields may hold commas,
// quotes written "" and line breaks; CRLF line ends become LF; blank lines
// are skipped. Unlike encoding/csv the reader makes no string per row,
// which matters for speed: cells are byte slices into a buffer reused from
// row to row, and only the values a new track keeps are copied.
type TableReader struct {
	Name   string   // file name, for errors and warnings
	Header []string // the header cells as written
	Cols   Columns  // the fields' columns
	Skip   bool     // skip malformed rows instead of failing
	// NA makes a cell holding exactly "NA" (R's missing value) or "null"
	// (any case: JSON's, SQL's) count as empty, in every column.
	NA bool
	// SplitArtists appends the artist names in an artist cell to dst,
	// trimmed, and returns it; the rule is the source's. A cell without
	// ',', ';' or '\' and without surrounding white space is taken as one
	// name without calling it.
	SplitArtists func(dst []string, s string) []string

	ds      *features.Dataset
	source  string
	sc      scanner
	row     rowValues
	strs    map[string]string // interned strings
	slab    []features.Track
	artSlab []string
	arena   arena
	buf     []byte
	artists []string

	genre, subgenre string // the last ones interned
}

// rowValues is one parsed row: the numbers in a features.Track, the text as slices
// of the row.
type rowValues struct {
	t                                                features.Track // numeric fields only
	id, name, artists, album, release, genre, subgen []byte
}

// NewTableReader opens r (see [OpenText]) and reads its header, matching
// columns through aliases. The table must have a track id column
// ([ErrNoIDColumn]). features.Provenance of its tracks is source+":"+line.
func NewTableReader(r io.Reader, name, source string, aliases map[string]Field) (*TableReader, error) {
	br, err := OpenText(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	tr := &TableReader{
		Name:   name,
		ds:     &features.Dataset{Catalog: features.WithCapacity(rowsHint(r))},
		source: source,
		strs:   make(map[string]string),
		SplitArtists: func(dst []string, s string) []string {
			return append(dst, s)
		},
	}
	tr.sc.r = br
	err = tr.sc.next()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: %w", name, ErrEmptyHeader)
	}
	if err != nil {
		return nil, tr.syntaxError(err)
	}
	for i := range tr.sc.n() {
		tr.Header = append(tr.Header, string(tr.sc.field(i)))
	}
	tr.Cols = MatchColumns(tr.Header, aliases)
	if tr.Cols[FieldID] < 0 {
		return nil, &features.ParseError{File: name, Line: 1, Err: ErrNoIDColumn}
	}
	tr.ds.Report.MissingColumns = missingColumns(&tr.Cols)
	return tr, nil
}

// rowsHint guesses how many rows r holds from its size, when r tells
// (bytes.Reader, strings.Reader, a regular file), so that the catalog's map
// is made about the right size at once.
func rowsHint(r io.Reader) int {
	var size int64
	switch v := r.(type) {
	case interface{ Len() int }:
		size = int64(v.Len())
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
	}
	return int(min(size/200, 1<<21))
}

// features.Dataset returns the dataset being read: the catalog of the tracks read so
// far and the report. Playlists are the caller's to add.
func (tr *TableReader) Dataset() *features.Dataset { return tr.ds }

// Intern returns a string equal to b shared with every other interned
// string equal to it, so that repeated values (genres, artists, playlist
// names) are held once.
func (tr *TableReader) Intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if v, ok := tr.strs[string(b)]; ok {
		return v
	}
	v := string(b)
	tr.strs[v] = v
	return v
}

func (tr *TableReader) internString(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := tr.strs[s]; ok {
		return v
	}
	v := strings.Clone(s)
	tr.strs[v] = v
	return v
}

// Cell returns the cell of column i of the row Next returned last (valid
// until the next call of Next), nil when i is negative or, with NA set, the
// cell is "NA".
func (tr *TableReader) Cell(i int) []byte {
	if i < 0 {
		return nil
	}
	c := tr.sc.field(i)
	if tr.NA && isNA(c) {
		return nil
	}
	return c
}

// isNA reports whether c is "NA" or "null" in any case, surrounding white
// space allowed.
func isNA(c []byte) bool {
	if len(c) < 2 || len(c) > 12 {
		return false
	}
	c = bytes.TrimSpace(c)
	return (len(c) == 2 && c[0] == 'N' && c[1] == 'A') || (len(c) == 4 && bytes.EqualFold(c, []byte("null")))
}

// Next reads rows until one is valid and returns the catalog's track for it
// (added if new) and the line the row starts on; Cell gives the row's
// cells. At the end it returns io.EOF. See the type's documentation for the
// policy.
func (tr *TableReader) Next() (*features.Track, int, error) {
	r := &tr.ds.Report
	for {
		err := tr.sc.next()
		if err == io.EOF {
			return nil, 0, io.EOF
		}
		if err != nil {
			var ce *csv.ParseError
			if !errors.As(err, &ce) {
				return nil, 0, fmt.Errorf("%s: %w", tr.Name, err)
			}
			r.Rows++
			pe := tr.syntaxError(err)
			if !tr.Skip || errors.Is(err, features.ErrLineTooLong) {
				return nil, 0, pe
			}
			r.Skipped++
			r.Warnf("skipped: %v", pe)
			continue
		}
		if tr.blank() {
			continue
		}
		r.Rows++
		line := tr.sc.pos[0].line
		if r.Rows > features.MaxRows {
			return nil, 0, &features.ParseError{File: tr.Name, Line: line, Err: features.ErrTooManyRows}
		}
		nonFinite, cerr := tr.parse()
		if cerr != nil {
			pe := tr.cellError(cerr)
			if !tr.Skip {
				return nil, 0, pe
			}
			r.Skipped++
			r.Warnf("skipped: %v", pe)
			continue
		}
		if nonFinite >= 0 {
			r.NonFinite++
			r.Warnf("%s:%d: column %q is %q: treated as missing", tr.Name, line, tr.Header[nonFinite], bytes.TrimSpace(tr.sc.field(nonFinite)))
		}
		return tr.add(line), line, nil
	}
}

// cellError is a malformed cell found by parse.
type cellError struct {
	index int // record index of the cell
	field Field
	err   error
}

// cellError locates a cellError in the current record.
func (tr *TableReader) cellError(e *cellError) *features.ParseError {
	if tr.Cols[e.field] < 0 {
		return &features.ParseError{File: tr.Name, Line: tr.sc.pos[0].line, Err: e.err}
	}
	p := tr.sc.pos[e.index]
	return &features.ParseError{File: tr.Name, Line: p.line, Column: p.col, Field: tr.Header[e.index], Err: e.err}
}

// syntaxError turns a CSV syntax error into a features.ParseError.
func (tr *TableReader) syntaxError(err error) error {
	var ce *csv.ParseError
	if !errors.As(err, &ce) {
		return fmt.Errorf("%s: %w", tr.Name, err)
	}
	switch {
	case errors.Is(ce.Err, csv.ErrFieldCount):
		return &features.ParseError{File: tr.Name, Line: ce.StartLine, Err: ErrFieldCount}
	case ce.Err == features.ErrLineTooLong: // named by the line the record starts on
		return &features.ParseError{File: tr.Name, Line: ce.StartLine, Err: ce.Err}
	}
	return &features.ParseError{File: tr.Name, Line: ce.Line, Column: ce.Column, Err: ce.Err}
}

// blank reports whether the current row's cells are all empty or white
// space.
func (tr *TableReader) blank() bool {
	for i := range tr.sc.n() {
		if len(bytes.TrimSpace(tr.sc.field(i))) > 0 {
			return false
		}
	}
	return true
}

// parse parses the current row into tr.row. It returns the record index of
// the first NaN/Inf cell (-1 if none), and the first malformed cell.
func (tr *TableReader) parse() (nonFinite int, err *cellError) {
	nonFinite = -1
	v := &tr.row
	t := &v.t
	cell := func(f Field) []byte { return tr.Cell(tr.Cols[f]) }
	bad := func(f Field, e error) *cellError {
		return &cellError{index: tr.Cols[f], field: f, err: e}
	}

	id := bytes.TrimSpace(cell(FieldID))
	if len(id) == 0 {
		return -1, bad(FieldID, ErrEmptyID)
	}
	if !isTrackID(id) {
		if rest, ok := features.CutPrefixFold(string(id), "spotify:track:"); ok && features.IsTrackID(rest) {
			id = id[len(id)-features.TrackIDLen:]
		} else if ref, ok := features.ParseTrackRef(string(id)); ok {
			id = []byte(ref)
		}
	}
	v.id = id
	v.name = cell(FieldName)
	v.artists = cell(FieldArtists)
	v.album = cell(FieldAlbum)
	v.release = cell(FieldReleaseDate)
	v.genre = cell(FieldGenre)
	v.subgen = cell(FieldSubgenre)

	var e error
	// An integer column's NaN or Inf (pandas writes a missing integer as
	// NaN) is unknown, counted and warned about like a feature's.
	integer := func(dst *int, f Field, missing, lo, hi int) *cellError {
		v, e := parseInt(cell(f), missing, lo, hi)
		switch {
		case errors.Is(e, errNonFinite):
			if nonFinite < 0 {
				nonFinite = tr.Cols[f]
			}
		case e != nil:
			return bad(f, e)
		}
		*dst = v
		return nil
	}
	if ce := integer(&t.DurationMS, FieldDuration, -1, 0, math.MaxInt32); ce != nil {
		return -1, ce
	}
	if ce := integer(&t.Popularity, FieldPopularity, -1, 0, MaxPopularity); ce != nil {
		return -1, ce
	}
	keyMode := -1
	if key, mode, ok := parseKeyName(cell(FieldKey)); ok {
		t.Key, keyMode = key, mode
	} else if ce := integer(&t.Key, FieldKey, -1, -1, 11); ce != nil {
		return -1, ce
	}
	if mode, ok := parseModeName(cell(FieldMode)); ok {
		t.Mode = mode
	} else if ce := integer(&t.Mode, FieldMode, -1, 0, 1); ce != nil {
		return -1, ce
	}
	if t.Mode < 0 {
		t.Mode = keyMode // a key written "C# minor" (spotifyr's key_mode) says the mode
	}
	if ce := integer(&t.TimeSignature, FieldTimeSignature, 0, 0, MaxTimeSignature); ce != nil {
		return -1, ce
	}
	tempo, known, e := parseFloat(cell(FieldTempo), 0, MaxTempo)
	switch {
	case e != nil:
		return -1, bad(FieldTempo, e)
	case !known && math.IsNaN(tempo):
		if nonFinite < 0 {
			nonFinite = tr.Cols[FieldTempo]
		}
		t.Tempo = 0
	default:
		t.Tempo = tempo // 0 when empty: unknown
	}

	has := true
	for i := range features.NumAbstract {
		f := FieldFeature + Field(i)
		r := features.AbstractRanges[i]
		x, known, e := parseFloat(cell(f), r.Min, r.Max)
		if e != nil {
			return -1, bad(f, e)
		}
		if !known {
			has = false
			if math.IsNaN(x) && nonFinite < 0 {
				nonFinite = tr.Cols[f]
			}
		}
		t.Features[i] = x
	}
	t.HasFeatures = has
	if !has {
		t.Features = features.NoFeatures
	}
	return nonFinite, nil
}

// add applies the catalog policy to the parsed row at line and returns the
// catalog's track for its id.
func (tr *TableReader) add(line int) *features.Track {
	v := &tr.row
	r := &tr.ds.Report
	cat := tr.ds.Catalog
	if old := cat.Get(string(v.id)); old != nil {
		if features.SameFeatures(old, &v.t, ConflictTol) {
			r.Duplicates++
		} else {
			r.AddConflict(old.ID)
			r.Warnf("%s:%d: track %s: features differ from its first row (%s); first kept", tr.Name, line, v.id, old.From.Features)
		}
		return old
	}
	if len(tr.slab) == 0 {
		tr.slab = make([]features.Track, 256)
	}
	n := &tr.slab[0]
	tr.slab = tr.slab[1:]
	*n = v.t

	// The track's own strings (id, name, album, release date, provenance)
	// are cut from one string of the arena.
	b := tr.buf[:0]
	b = append(b, v.id...)
	b = append(b, v.name...)
	b = append(b, v.album...)
	b = append(b, v.release...)
	b = append(b, tr.source...)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(line), 10)
	tr.buf = b
	all := tr.arena.add(b)
	cut := func(n int) string {
		s := all[:n]
		all = all[n:]
		return s
	}
	n.ID = cut(len(v.id))
	n.Name = cut(len(v.name))
	n.Album = cut(len(v.album))
	n.ReleaseDate = cut(len(v.release))
	n.From = features.Provenance{Meta: all, Features: all}
	if string(v.genre) != tr.genre {
		tr.genre = tr.Intern(v.genre)
	}
	if string(v.subgen) != tr.subgenre {
		tr.subgenre = tr.Intern(v.subgen)
	}
	n.Genre, n.Subgenre = tr.genre, tr.subgenre
	n.Artists = nil
	if len(v.artists) > 0 {
		if oneArtist(v.artists) {
			tr.artists = append(tr.artists[:0], tr.Intern(v.artists))
		} else {
			tr.artists = tr.SplitArtists(tr.artists[:0], string(v.artists))
			for i, a := range tr.artists {
				tr.artists[i] = tr.internString(a)
			}
		}
		if k := len(tr.artists); k > 0 {
			if len(tr.artSlab) < k {
				tr.artSlab = make([]string, max(k, 1024))
			}
			n.Artists = tr.artSlab[:k:k]
			tr.artSlab = tr.artSlab[k:]
			copy(n.Artists, tr.artists)
		}
	}
	cat.Add(n)

	r.Tracks++
	if !n.HasFeatures {
		r.MissingFeatures++
	}
	if n.Key == -1 {
		r.UnknownKey++
	}
	if n.Tempo == 0 {
		r.UnknownTempo++
	}
	if n.Name == "" {
		r.Warnf("%s:%d: track %s has no name; kept", tr.Name, line, n.ID)
	}
	return n
}

// oneArtist reports whether an artist cell is one name for any splitting
// rule: no ',', ';' or '\', no surrounding white space.
func oneArtist(b []byte) bool {
	return !bytes.ContainsAny(b, ",;\\") && len(bytes.TrimSpace(b)) == len(b)
}

// arena hands out strings cut from large shared blocks, so that a track's
// strings cost no allocation of their own. A strings.Builder never changes
// the bytes it has written, so strings taken from it stay valid while it
// grows; a new builder starts when the block is full.
type arena struct {
	b strings.Builder
}

const arenaBlock = 64 << 10

// add returns a string equal to p.
func (a *arena) add(p []byte) string {
	if len(p) > arenaBlock/4 {
		return string(p)
	}
	if a.b.Cap()-a.b.Len() < len(p) {
		a.b = strings.Builder{}
		a.b.Grow(arenaBlock)
	}
	start := a.b.Len()
	a.b.Write(p)
	return a.b.String()[start:]
}

// base62 marks the bytes of a Spotify id.
var base62 = func() (t [256]bool) {
	for c := range 256 {
		t[c] = '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
	}
	return t
}()

// isTrackID is features.IsTrackID for bytes.
func isTrackID(b []byte) bool {
	if len(b) != features.TrackIDLen {
		return false
	}
	ok := true
	for _, c := range b {
		ok = ok && base62[c]
	}
	return ok
}

// parseInt parses an integer cell: empty gives missing; the value must be
// in [lo, hi]. An integral float ("5.0", "1e2") is accepted.
// errNonFinite is parseInt's report of a NaN or Inf: the value is
// unknown.
var errNonFinite = errors.New("not finite")

// keyNames are the pitch classes as spotifyr's key_name and key_mode
// write them ("C", "C#", ... "B"), flats accepted too.
var keyNames = map[string]int{
	"c": 0, "c#": 1, "db": 1, "d": 2, "d#": 3, "eb": 3, "e": 4, "f": 5, "f#": 6, "gb": 6,
	"g": 7, "g#": 8, "ab": 8, "a": 9, "a#": 10, "bb": 10, "b": 11,
}

// parseKeyName reads a key written as a note name with an optional mode
// ("C#", "A minor", "Eb major"; any case), as spotifyr's key_name and
// key_mode columns hold it. mode is 1 (major), 0 (minor) or -1 (not said);
// ok is false for anything else, numbers included.
func parseKeyName(b []byte) (key, mode int, ok bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || len(b) > 12 || !('A' <= b[0] && b[0] <= 'G' || 'a' <= b[0] && b[0] <= 'g') {
		return 0, 0, false
	}
	note, rest, _ := bytes.Cut(b, []byte(" "))
	key, ok = keyNames[strings.ToLower(string(note))]
	if !ok {
		return 0, 0, false
	}
	mode = -1
	if rest = bytes.TrimSpace(rest); len(rest) > 0 {
		if mode, ok = parseModeName(rest); !ok {
			return 0, 0, false
		}
	}
	return key, mode, true
}

// parseModeName reads a mode written "major" or "minor" (any case), as
// spotifyr's mode_name holds it: 1 or 0, ok false for anything else.
func parseModeName(b []byte) (mode int, ok bool) {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.EqualFold(b, []byte("major")):
		return 1, true
	case bytes.EqualFold(b, []byte("minor")):
		return 0, true
	}
	return 0, false
}

func parseInt(b []byte, missing, lo, hi int) (int, error) {
	if len(b) == 0 {
		return missing, nil
	}
	// Fast path: an optional minus and up to 9 digits.
	n, neg, i := 0, false, 0
	if b[0] == '-' {
		neg, i = true, 1
	}
	if j := len(b) - i; j > 0 && j <= 9 {
		for ; i < len(b) && '0' <= b[i] && b[i] <= '9'; i++ {
			n = n*10 + int(b[i]-'0')
		}
		if i == len(b) {
			if neg {
				n = -n
			}
			if n < lo || n > hi {
				return 0, fmt.Errorf("%w: %d not in [%d, %d]", ErrOutOfRange, n, lo, hi)
			}
			return n, nil
		}
	}
	s := string(bytes.TrimSpace(b))
	if s == "" {
		return missing, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		switch {
		case ferr == nil && (math.IsNaN(f) || math.IsInf(f, 0)):
			return missing, errNonFinite
		case ferr != nil || f != math.Trunc(f):
			return 0, fmt.Errorf("%w: %q", ErrNotInteger, s)
		case f < float64(lo) || f > float64(hi):
			return 0, fmt.Errorf("%w: %s not in [%d, %d]", ErrOutOfRange, s, lo, hi)
		}
		n = int(f)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%w: %d not in [%d, %d]", ErrOutOfRange, n, lo, hi)
	}
	return n, nil
}

// parseFloat parses a float cell. Empty gives (0, false, nil); NaN or Inf
// text gives (NaN, false, nil); a number outside [lo, hi] or text that is
// not a number is an error.
func parseFloat(b []byte, lo, hi float64) (v float64, known bool, err error) {
	if len(b) == 0 {
		return 0, false, nil
	}
	v, ok := fastFloat(b)
	if !ok {
		s := string(bytes.TrimSpace(b))
		if s == "" {
			return 0, false, nil
		}
		v, err = strconv.ParseFloat(s, 64)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				return math.NaN(), false, nil // beyond float64 (1e400): as ±Inf, unknown
			}
			return 0, false, fmt.Errorf("%w: %q", ErrNotNumber, s)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return math.NaN(), false, nil
		}
	}
	if v < lo || v > hi {
		return 0, false, fmt.Errorf("%w: %v not in [%v, %v]", ErrOutOfRange, v, lo, hi)
	}
	return v, true, nil
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// fastFloat parses the plain decimal forms that fill feature tables
// ("0.748", "-2.634", "6.18e-5", "122") when the result is exact by
// Clinger's fast path: at most 15 significant digits and a power of ten
// within 1e22, so one correctly rounded multiplication or division gives
// the same float64 as strconv.ParseFloat. Anything else reports false.
func fastFloat[T string | []byte](s T) (float64, bool) {
	i, neg := 0, false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		i++
	}
	var mant uint64
	digits, exp := 0, 0 // significant digits; power of ten
	sawDigit := false
	for ; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			break
		}
		sawDigit = true
		if mant != 0 || c != 0 {
			mant = mant*10 + uint64(c)
			digits++
		}
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s); i++ {
			c := s[i] - '0'
			if c > 9 {
				break
			}
			sawDigit = true
			exp--
			if mant != 0 || c != 0 {
				mant = mant*10 + uint64(c)
				digits++
			}
		}
	}
	if digits > 15 {
		return 0, false // mant may have wrapped; either way not exact
	}
	if !sawDigit {
		return 0, false
	}
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return 0, false
		}
		i++
		eneg := false
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			eneg = s[i] == '-'
			i++
		}
		if i == len(s) {
			return 0, false
		}
		e := 0
		for ; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' || e > 1000 {
				return 0, false
			}
			e = e*10 + int(c-'0')
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	f := float64(mant)
	switch {
	case mant == 0:
		f = 0
	case exp == 0:
	case exp > 0 && exp <= 22:
		f *= pow10[exp]
	case exp < 0 && exp >= -22:
		f /= pow10[-exp]
	default:
		return 0, false
	}
	if neg {
		f = -f
	}
	return f, true
}

// position is where a field starts: 1-based line and byte column.
type position struct{ line, col int }

// scanner splits CSV text into records by the rules of encoding/csv's
// Reader with its defaults (comma ',', no comments, no lazy quotes, no
// trimming; every record must have as many fields as the first, fields,
// unless it is 0), returning fields as byte slices of a buffer reused by
// the next call, and errors as *csv.ParseError equal to encoding/csv's.
// The rules are encoding/csv's (The Go Authors, BSD licence); FuzzScanner
// checks the two agree.
type scanner struct {
	r      *bufio.Reader
	fields int // expected fields per record; 0 takes the first record's

	line int    // lines read
	raw  []byte // a line longer than r's buffer
	buf  []byte // the field bytes of a record with quotes
	data []byte // the current record's bytes: a line, or buf
	span []span // each field of the current record in data
	pos  []position
}

// span is a field's bytes in scanner.data. Offsets rather than slices keep
// pointers out of the per-field bookkeeping.
type span struct{ start, end int }

// n returns the number of fields of the current record.
func (s *scanner) n() int { return len(s.span) }

// field returns field i of the current record, valid until the next call
// of next.
func (s *scanner) field(i int) []byte {
	sp := s.span[i]
	return s.data[sp.start:sp.end:sp.end]
}

// readLine reads a line, with CRLF made LF and a CR before EOF dropped.
func (s *scanner) readLine() ([]byte, error) {
	s.line++
	line, err := features.ReadLine(s.r, &s.raw)
	if err == features.ErrLineTooLong {
		return nil, &csv.ParseError{StartLine: s.line, Line: s.line, Err: err}
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1] // a CR before the end of the input
	}
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

func endsNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}

// next reads the next record (see n and field). On a syntax error it
// returns a *csv.ParseError; a wrong field count comes with the record.
func (s *scanner) next() error {
	var line []byte
	var errRead error
	for errRead == nil {
		line, errRead = s.readLine()
		if errRead == nil && len(line) == endsNL(line) {
			line = nil
			continue // blank line
		}
		break
	}
	if errRead == io.EOF {
		return errRead
	}

	var err error
	start := s.line
	s.span, s.pos = s.span[:0], s.pos[:0]
	p := position{line: s.line, col: 1}
	if bytes.IndexByte(line, '"') < 0 {
		// No quotes: the fields are what lies between commas, in place.
		// (This is the loop below without its quote handling.)
		s.data = line
		end := len(line) - endsNL(line)
		for at := 0; ; {
			i := bytes.IndexByte(line[at:end], ',')
			if i < 0 {
				s.span = append(s.span, span{at, end})
				s.pos = append(s.pos, p)
				break
			}
			s.span = append(s.span, span{at, at + i})
			s.pos = append(s.pos, p)
			at += i + 1
			p.col += i + 1
		}
		return s.finish(start, errRead)
	}
	s.buf = s.buf[:0]
	from := 0 // start of the current field in buf
	field := func(fp position) {
		s.span = append(s.span, span{from, len(s.buf)})
		s.pos = append(s.pos, fp)
		from = len(s.buf)
	}
fields:
	for {
		if len(line) == 0 || line[0] != '"' {
			// An unquoted field runs to the next comma or the line's end.
			i := bytes.IndexByte(line, ',')
			f := line
			if i >= 0 {
				f = f[:i]
			} else {
				f = f[:len(f)-endsNL(f)]
			}
			if j := bytes.IndexByte(f, '"'); j >= 0 {
				err = &csv.ParseError{StartLine: start, Line: s.line, Column: p.col + j, Err: csv.ErrBareQuote}
				break fields
			}
			s.buf = append(s.buf, f...)
			field(p)
			if i < 0 {
				break fields
			}
			line = line[i+1:]
			p.col += i + 1
			continue
		}
		// A quoted field, possibly over several lines.
		fp := p
		line = line[1:]
		p.col++
		for {
			i := bytes.IndexByte(line, '"')
			switch {
			case i >= 0:
				s.buf = append(s.buf, line[:i]...)
				line = line[i+1:]
				p.col += i + 1
				switch {
				case len(line) > 0 && line[0] == '"': // "" is a quote
					s.buf = append(s.buf, '"')
					line = line[1:]
					p.col++
				case len(line) > 0 && line[0] == ',': // end of field
					line = line[1:]
					p.col++
					field(fp)
					continue fields
				case endsNL(line) == len(line): // end of record
					field(fp)
					break fields
				default:
					err = &csv.ParseError{StartLine: start, Line: s.line, Column: p.col - 1, Err: csv.ErrQuote}
					break fields
				}
			case len(line) > 0: // the field goes on on the next line
				s.buf = append(s.buf, line...)
				if len(s.buf) > features.MaxLine {
					err = &csv.ParseError{StartLine: start, Line: s.line, Err: features.ErrLineTooLong}
					break fields
				}
				if errRead != nil {
					break fields
				}
				p.col += len(line)
				line, errRead = s.readLine()
				if len(line) > 0 {
					p.line++
					p.col = 1
				}
				if errRead == io.EOF {
					errRead = nil
				}
			default: // end of input inside quotes
				if errRead == nil {
					err = &csv.ParseError{StartLine: start, Line: p.line, Column: p.col, Err: csv.ErrQuote}
					break fields
				}
				field(fp)
				break fields
			}
		}
	}
	s.data = s.buf
	if err == nil {
		err = errRead
	}
	return s.finish(start, err)
}

// finish checks the record's length.
func (s *scanner) finish(start int, err error) error {
	if s.fields > 0 {
		if len(s.span) != s.fields && err == nil {
			err = &csv.ParseError{StartLine: start, Line: start, Column: 1, Err: csv.ErrFieldCount}
		}
	} else if s.fields == 0 {
		s.fields = len(s.span)
	}
	return err
}

// usedColumns are the columns whose absence a Report names, with their
// usual header names, in the order the summary lists them.
var usedColumns = []struct {
	field Field
	name  string
}{
	{FieldName, "track_name"},
	{FieldArtists, "artists"},
	{FieldTempo, "tempo"},
	{FieldKey, "key"},
	{FieldMode, "mode"},
}

// missingColumns returns the used columns that cols lacks; "audio
// features" stands for any of the eight abstract features.
func missingColumns(cols *Columns) []string {
	var out []string
	for _, c := range usedColumns {
		if cols[c.field] < 0 {
			out = append(out, c.name)
		}
	}
	for i := range features.NumAbstract {
		if cols[FieldFeature+Field(i)] < 0 {
			out = append(out, "audio features")
			break
		}
	}
	return out
}
