package features

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// This file holds what the readers of track tables (features/tidycsv,
// features/exportify) share: the validation policy for one row, the
// catalog-building rules for repeated track ids, and the opening of a CSV
// file (gzip, byte-order mark, header). The policy itself is documented on
// [RowParser.Parse] and [Collector.Add].

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
	NumFields = FieldFeature + NumAbstract
)

// Ranges of the concrete values. A value outside its range makes a row
// malformed.
const (
	MaxTempo         = 1000 // BPM; tempo must be in [0, MaxTempo], 0 meaning unknown
	MaxTimeSignature = 16   // beats per bar; 0 means unknown
	MaxPopularity    = 100
)

// ConflictTol is the tolerance within which two rows of one track id carry
// the same features (see [SameFeatures]).
const ConflictTol = 1e-9

// Errors a malformed value wraps (in a [ParseError]).
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

// CellError is a malformed cell found by [RowParser.Parse]: the record
// index of the cell, its field and what is wrong.
type CellError struct {
	Index int
	Field Field
	Err   error
}

func (e *CellError) Error() string { return e.Err.Error() }

// RowParser turns the cells of one row of a track table into a [Track]
// under disco's validation policy. The zero value is not usable: Cols must
// be set (MatchColumns) and SplitArtists given.
type RowParser struct {
	Cols Columns
	// SplitArtists appends the artist names in cell s to dst, trimmed, and
	// returns it; the rule is the source's (";" or "," separated).
	SplitArtists func(dst []string, s string) []string
	// NA makes a cell holding exactly "NA", R's missing value, count as
	// empty.
	NA bool

	artists []string
}

// Parse fills t from rec. The strings of t point into rec (and t.Artists
// into a buffer reused by the next call); [Collector.Add] copies what it
// keeps. A column the table lacks counts as an empty cell.
//
// The policy, cell by cell (numbers may have surrounding white space):
//
//   - track id: required; a Spotify URI or URL is reduced to its id
//     ([ParseTrackRef]), any other text is kept as the source's own id;
//     empty is malformed ([ErrEmptyID]).
//   - name, album, release date, genre, subgenre: kept as written; empty
//     is allowed (the collector warns about a missing name).
//   - artists: split by SplitArtists; empty means none.
//   - the eight abstract features: empty means missing; "NaN", "Inf" and
//     the like mean missing too, and Parse reports the cell so that the
//     reader can warn; a number outside [AbstractRanges] or any other text
//     is malformed. When any feature is missing the track has HasFeatures
//     false and Features = [NoFeatures].
//   - key: an integer (also written "5.0") in -1..11, -1 or empty meaning
//     unknown; anything else is malformed.
//   - mode: 0 or 1, empty meaning unknown (-1); anything else, -1
//     included, is malformed.
//   - tempo: BPM in [0, MaxTempo]; 0 or empty means unknown (0); NaN or
//     Inf text means unknown and is reported like a NaN feature; negative,
//     above MaxTempo or not a number is malformed.
//   - time signature: an integer in 0..MaxTimeSignature, 0 or empty meaning
//     unknown; else malformed.
//   - popularity: an integer in 0..100, empty meaning unknown (-1).
//   - duration (ms): a non-negative integer, empty meaning unknown (-1).
//
// Parse returns the record index of the first NaN/Inf cell (-1 if none),
// and a *CellError for the first malformed cell.
func (p *RowParser) Parse(rec []string, t *Track) (nonFinite int, err *CellError) {
	nonFinite = -1
	cell := func(f Field) string {
		i := p.Cols[f]
		if i < 0 {
			return ""
		}
		s := rec[i]
		if p.NA && s == "NA" {
			return ""
		}
		return s
	}
	bad := func(f Field, e error) *CellError {
		return &CellError{Index: p.Cols[f], Field: f, Err: e}
	}

	id := strings.TrimSpace(cell(FieldID))
	if id == "" {
		if p.Cols[FieldID] < 0 {
			return -1, &CellError{Index: 0, Field: FieldID, Err: ErrEmptyID}
		}
		return -1, bad(FieldID, ErrEmptyID)
	}
	if ref, ok := ParseTrackRef(id); ok {
		id = ref
	}
	t.ID = id
	t.Name = cell(FieldName)
	p.artists = p.artists[:0]
	if s := cell(FieldArtists); s != "" {
		p.artists = p.SplitArtists(p.artists, s)
	}
	t.Artists = p.artists
	t.Album = cell(FieldAlbum)
	t.ReleaseDate = cell(FieldReleaseDate)
	t.Genre = cell(FieldGenre)
	t.Subgenre = cell(FieldSubgenre)

	var e error
	if t.DurationMS, e = parseInt(cell(FieldDuration), -1, 0, math.MaxInt32); e != nil {
		return -1, bad(FieldDuration, e)
	}
	if t.Popularity, e = parseInt(cell(FieldPopularity), -1, 0, MaxPopularity); e != nil {
		return -1, bad(FieldPopularity, e)
	}
	if t.Key, e = parseInt(cell(FieldKey), -1, -1, 11); e != nil {
		return -1, bad(FieldKey, e)
	}
	if t.Mode, e = parseInt(cell(FieldMode), -1, 0, 1); e != nil {
		return -1, bad(FieldMode, e)
	}
	if t.TimeSignature, e = parseInt(cell(FieldTimeSignature), 0, 0, MaxTimeSignature); e != nil {
		return -1, bad(FieldTimeSignature, e)
	}
	tempo, known, e := parseFloat(cell(FieldTempo), 0, MaxTempo)
	switch {
	case e != nil:
		return -1, bad(FieldTempo, e)
	case !known && math.IsNaN(tempo):
		nonFinite = p.Cols[FieldTempo]
		t.Tempo = 0
	default:
		t.Tempo = tempo // 0 when empty: unknown
	}

	has := true
	for i := range NumAbstract {
		f := FieldFeature + Field(i)
		r := AbstractRanges[i]
		v, known, e := parseFloat(cell(f), r.Min, r.Max)
		if e != nil {
			return -1, bad(f, e)
		}
		if !known {
			has = false
			if math.IsNaN(v) && nonFinite < 0 {
				nonFinite = p.Cols[f]
			}
		}
		t.Features[i] = v
	}
	t.HasFeatures = has
	if !has {
		t.Features = NoFeatures
	}
	return nonFinite, nil
}

// parseInt parses an integer cell: empty gives missing; the value must be in
// [lo, hi]. An integral float ("5.0", "1e2") is accepted.
func parseInt(s string, missing, lo, hi int) (int, error) {
	if s == "" {
		return missing, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		s = strings.TrimSpace(s)
		if s == "" {
			return missing, nil
		}
		n, err = strconv.Atoi(s)
	}
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		switch {
		case ferr != nil && !errors.Is(ferr, strconv.ErrRange):
			return 0, fmt.Errorf("%w: %q", ErrNotInteger, s)
		case ferr != nil || math.IsNaN(f) || math.IsInf(f, 0) || f != math.Trunc(f):
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
func parseFloat(s string, lo, hi float64) (v float64, known bool, err error) {
	if s == "" {
		return 0, false, nil
	}
	v, ok := fastFloat(s)
	if !ok {
		v, err = strconv.ParseFloat(s, 64)
	}
	if err != nil {
		if t := strings.TrimSpace(s); t != s {
			if t == "" {
				return 0, false, nil
			}
			s = t
			v, err = strconv.ParseFloat(s, 64)
		}
	}
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return 0, false, fmt.Errorf("%w: %s not in [%v, %v]", ErrOutOfRange, s, lo, hi)
		}
		return 0, false, fmt.Errorf("%w: %q", ErrNotNumber, s)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return math.NaN(), false, nil
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
func fastFloat(s string) (float64, bool) {
	i, neg := 0, false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	var mant uint64
	digits, exp := 0, 0
	sawDigit, sawDot := false, false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			sawDigit = true
			if mant == 0 && c == '0' {
				if sawDot {
					exp--
				}
				continue
			}
			digits++
			if digits > 15 {
				return 0, false
			}
			mant = mant*10 + uint64(c-'0')
			if sawDot {
				exp--
			}
		case c == '.' && !sawDot:
			sawDot = true
		default:
			goto tail
		}
	}
tail:
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

// Collector builds a [Dataset]'s catalog from parsed rows and keeps its
// [Report]. Create one with NewCollector.
type Collector struct {
	DS     *Dataset
	Name   string // file name, for warnings ("name:line: ...")
	Source string // provenance prefix: Provenance fields become Source+":"+line

	strs map[string]string
	slab []Track
	buf  []byte

	genre, subgenre string // the last ones interned
}

// NewCollector returns a collector of an empty dataset read from the file
// called name, whose tracks get provenance source+":"+line.
func NewCollector(name, source string) *Collector {
	return &Collector{
		DS:     &Dataset{Catalog: &Catalog{}},
		Name:   name,
		Source: source,
		strs:   make(map[string]string),
	}
}

// Intern returns a copy of s shared with every other interned string equal
// to it, so that repeated values (genres, artists, playlist names) are held
// once and never pin the buffer s came from.
func (c *Collector) Intern(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := c.strs[s]; ok {
		return v
	}
	v := strings.Clone(s)
	c.strs[v] = v
	return v
}

// Add adds the track parsed from the row at line (1-based, the row's first
// physical line) and returns the catalog's track for its id. The policy:
//
//   - a new id: a copy of t is added (its strings copied, genres and
//     artists interned, so that nothing points into the row's buffer), with
//     provenance Source:line; it is counted in Report.Tracks and, as the
//     case may be, in MissingFeatures, UnknownKey and UnknownTempo; a
//     missing name is kept as "" with a warning.
//   - an id already held: the first track is kept as it is. When t's
//     features differ from it (SameFeatures within ConflictTol: the
//     abstract features, key, mode, tempo, and whether features are known),
//     Report.Conflicts counts the row and a warning names both lines.
//     Metadata of later rows (name, genre...) is ignored without warning.
func (c *Collector) Add(t *Track, line int) *Track {
	r := &c.DS.Report
	cat := c.DS.Catalog
	if cat.byID == nil {
		cat.byID = make(map[string]*Track)
	}
	if old, ok := cat.byID[t.ID]; ok {
		if !SameFeatures(old, t, ConflictTol) {
			r.Conflicts++
			r.Warnf("%s:%d: track %s: features differ from its first row (%s); first kept", c.Name, line, t.ID, old.From.Features)
		}
		return old
	}
	if len(c.slab) == 0 {
		c.slab = make([]Track, 256)
	}
	n := &c.slab[0]
	c.slab = c.slab[1:]
	*n = *t

	// One allocation holds the track's own strings: id, name, album,
	// release date and provenance.
	b := c.buf[:0]
	b = append(b, t.ID...)
	b = append(b, t.Name...)
	b = append(b, t.Album...)
	b = append(b, t.ReleaseDate...)
	b = append(b, c.Source...)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(line), 10)
	c.buf = b
	all := string(b)
	cut := func(n int) string {
		s := all[:n]
		all = all[n:]
		return s
	}
	n.ID = cut(len(t.ID))
	n.Name = cut(len(t.Name))
	n.Album = cut(len(t.Album))
	n.ReleaseDate = cut(len(t.ReleaseDate))
	n.From = Provenance{Meta: all, Features: all}
	if t.Genre != c.genre {
		c.genre = c.Intern(t.Genre)
	}
	if t.Subgenre != c.subgenre {
		c.subgenre = c.Intern(t.Subgenre)
	}
	n.Genre, n.Subgenre = c.genre, c.subgenre
	n.Artists = nil
	if len(t.Artists) > 0 {
		n.Artists = make([]string, len(t.Artists))
		for i, a := range t.Artists {
			n.Artists[i] = c.Intern(a)
		}
	}
	cat.byID[n.ID] = n
	cat.Tracks = append(cat.Tracks, n)

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
		r.Warnf("%s:%d: track %s has no name; kept", c.Name, line, n.ID)
	}
	return n
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

// TableReader reads a CSV track table row by row under the validation
// policy of [RowParser.Parse] and [Collector.Add]: a malformed row (a bad
// cell, a CSV syntax error, a wrong number of fields) is a *[ParseError]
// with file, line, column and field, unless Skip is set, in which case it is
// counted in Report.Skipped, warned about, and left out. Rows whose cells
// are all empty or white space are ignored, like blank lines.
type TableReader struct {
	Name   string   // file name, for errors and warnings
	Header []string // the header cells as written
	Parser RowParser
	C      *Collector
	Skip   bool // skip malformed rows instead of failing

	cr      *csv.Reader
	scratch Track
	line    int
}

// NewTableReader opens r (see [OpenText]) and reads its header, matching
// columns through aliases. The table must have a track id column.
// Provenance of its tracks is source+":"+line.
func NewTableReader(r io.Reader, name, source string, aliases map[string]Field) (*TableReader, error) {
	br, err := OpenText(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: %w", name, ErrEmptyHeader)
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	header = append([]string(nil), header...)
	cols := MatchColumns(header, aliases)
	if cols[FieldID] < 0 {
		return nil, &ParseError{File: name, Line: 1, Err: ErrNoIDColumn}
	}
	return &TableReader{
		Name:   name,
		Header: header,
		Parser: RowParser{Cols: cols},
		C:      NewCollector(name, source),
		cr:     cr,
	}, nil
}

// Next reads rows until one is valid and returns the catalog's track for it
// (see [Collector.Add]), the row's cells (valid until the next call) and
// the row's first line. At the end it returns io.EOF.
func (tr *TableReader) Next() (*Track, []string, int, error) {
	r := &tr.C.DS.Report
	for {
		rec, err := tr.cr.Read()
		if err == io.EOF {
			return nil, nil, 0, io.EOF
		}
		if err != nil {
			var ce *csv.ParseError
			if !errors.As(err, &ce) {
				return nil, nil, 0, fmt.Errorf("%s: %w", tr.Name, err)
			}
			r.Rows++
			pe := csvError(tr.Name, err)
			if !tr.Skip {
				return nil, nil, 0, pe
			}
			r.Skipped++
			r.Warnf("skipped: %v", pe)
			continue
		}
		if blank(rec) {
			continue
		}
		line, _ := tr.cr.FieldPos(0)
		r.Rows++
		t := &tr.scratch
		nonFinite, cerr := tr.Parser.Parse(rec, t)
		if cerr != nil {
			pe := tr.cellError(cerr)
			if !tr.Skip {
				return nil, nil, 0, pe
			}
			r.Skipped++
			r.Warnf("skipped: %v", pe)
			continue
		}
		if nonFinite >= 0 {
			r.Warnf("%s:%d: column %q is %q: treated as missing", tr.Name, line, tr.Header[nonFinite], strings.TrimSpace(rec[nonFinite]))
		}
		return tr.C.Add(t, line), rec, line, nil
	}
}

// cellError locates a CellError in the current record.
func (tr *TableReader) cellError(e *CellError) *ParseError {
	line, col := tr.cr.FieldPos(e.Index)
	field := tr.Header[e.Index]
	if tr.Parser.Cols[e.Field] < 0 {
		field = ""
	}
	return &ParseError{File: tr.Name, Line: line, Column: col, Field: field, Err: e.Err}
}

// csvError turns an encoding/csv error into a ParseError.
func csvError(name string, err error) error {
	var ce *csv.ParseError
	if !errors.As(err, &ce) {
		return fmt.Errorf("%s: %w", name, err)
	}
	if errors.Is(ce.Err, csv.ErrFieldCount) {
		return &ParseError{File: name, Line: ce.StartLine, Err: ErrFieldCount}
	}
	return &ParseError{File: name, Line: ce.Line, Column: ce.Column, Err: ce.Err}
}

func blank(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}
