package mpd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"

	"github.com/discoflow/disco/features"
)

// Error is a malformed slice: which file, where, in which playlist, and
// what was wrong.
type Error struct {
	File string
	// Offset is the byte offset (from 0) in the input where the failing
	// token begins: for an error inside a track object, where that object
	// begins; for input that ends too soon, the input's length.
	Offset int64
	PID    int // the playlist's pid, -1 when not known
	Err    error
}

func (e *Error) Error() string {
	if e.PID >= 0 {
		return fmt.Sprintf("mpd: %s: byte %d (pid %d): %v", e.File, e.Offset, e.PID, e.Err)
	}
	return fmt.Sprintf("mpd: %s: byte %d: %v", e.File, e.Offset, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// ErrUnexpectedEnd is the Err of an [*Error] for input that ends inside the
// JSON document.
var ErrUnexpectedEnd = errors.New("unexpected end of input")

// Decoder reads the playlists of one MPD slice, one at a time, from a
// stream. It holds one playlist and encoding/json's read buffer (about one
// track object) in memory, whatever the size of the slice.
type Decoder struct {
	dec   *json.Decoder
	in    *tailReader
	name  string
	state int // stateStart, stateList, stateDone
	err   error
	rep   features.Report
}

const (
	stateStart = iota // before the playlists array
	stateList         // inside the playlists array
	stateDone         // the document was read, or an error happened
)

// NewDecoder returns a Decoder reading a slice from r. The name (usually the
// file's base name) appears in errors and in the tracks' provenance.
func NewDecoder(r io.Reader, name string) *Decoder {
	in := &tailReader{r: r}
	d := json.NewDecoder(in)
	d.UseNumber()
	return &Decoder{dec: d, in: in, name: name}
}

// tailReader counts the bytes read from r and keeps the last of them, so
// that an error can point past the white space and separator that
// json.Decoder's InputOffset leaves before the failing token.
type tailReader struct {
	r     io.Reader
	total int64  // bytes read from r
	tail  []byte // the last bytes read, ending at total

	inStr, esc bool  // inside a string; after its backslash
	run        int   // bytes of the current token so far
	tooLong    error // a *tokenError once a token was too long
}

// tailKeep is how many bytes tailReader keeps at least; json.Decoder reads
// ahead by far less, except to hold one large value.
const tailKeep = 64 << 10

func (t *tailReader) Read(p []byte) (int, error) {
	if t.tooLong != nil {
		return 0, t.tooLong
	}
	n, err := t.r.Read(p)
	if at := t.limit(p[:n]); at >= 0 {
		// Hand the decoder what came before the long token, then stop.
		n = at
		t.tooLong = &tokenError{Offset: t.total + int64(at)}
		if n == 0 {
			return 0, t.tooLong
		}
		err = nil
	}
	t.total += int64(n)
	if len(t.tail)+n > 2*tailKeep {
		keep := max(tailKeep-n, 0)
		t.tail = t.tail[:copy(t.tail, t.tail[len(t.tail)-keep:])]
		p = p[max(n-tailKeep, 0):n]
	} else {
		p = p[:n]
	}
	t.tail = append(t.tail, p...)
	return n, err
}

// tokenError is a JSON token (a string, a number, a literal) longer than
// features.MaxLine: no MPD slice has one, and reading it whole could
// exhaust memory.
type tokenError struct{ Offset int64 }

func (e *tokenError) Error() string {
	return fmt.Sprintf("a JSON token longer than %d MiB at byte %d", features.MaxLine>>20, e.Offset)
}

func (e *tokenError) Unwrap() error { return features.ErrLineTooLong }

// limit follows the JSON text in b, continuing from the last call, and
// returns the index in b at which the current token grows beyond
// features.MaxLine bytes, or -1. A token is a string (from its opening
// quote, escapes included) or a run of bytes that are neither white space
// nor structural characters.
func (t *tailReader) limit(b []byte) int {
	for i, c := range b {
		switch {
		case t.inStr:
			switch {
			case t.esc:
				t.esc = false
			case c == '\\':
				t.esc = true
			case c == '"':
				t.inStr = false
			}
		case c == '"':
			t.inStr, t.run = true, 0
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':' || c == '{' || c == '}' || c == '[' || c == ']':
			t.run = 0
			continue
		}
		if t.run++; t.run > features.MaxLine {
			return i
		}
	}
	return -1
}

// tokenStart returns where the token after offset off begins: off moved
// past white space, at most one ':' or ',' and white space again. It
// returns off when those bytes are no longer held.
func (t *tailReader) tokenStart(off int64) int64 {
	i := off - (t.total - int64(len(t.tail)))
	if i < 0 || i > int64(len(t.tail)) {
		return off
	}
	b := t.tail[i:]
	j := skipSpace(b, 0)
	if j < len(b) && (b[j] == ':' || b[j] == ',') {
		j = skipSpace(b, j+1)
	}
	return off + int64(j)
}

func skipSpace(b []byte, j int) int {
	for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\n' || b[j] == '\r') {
		j++
	}
	return j
}

// Report returns what the decoder has read so far: Rows counts track
// entries, Playlists playlists, and Warnings notes summary fields that
// disagree with the tracks and playlists whose tracks were sorted by pos.
func (d *Decoder) Report() features.Report { return d.rep }

// Next returns the next playlist of the slice, with fresh tracks (no two
// playlists share a *Track). At the end of a well-formed slice it returns
// nil, io.EOF. After any other error it returns that error again.
func (d *Decoder) Next() (*features.Playlist, error) {
	if d.err != nil {
		return nil, d.err
	}
	pl, err := d.next()
	if err != nil {
		d.err = err
		d.state = stateDone
		return nil, err
	}
	return pl, nil
}

func (d *Decoder) next() (*features.Playlist, error) {
	if d.state == stateStart {
		if err := d.start(); err != nil {
			return nil, err
		}
	}
	if d.state == stateDone {
		return nil, io.EOF
	}
	if d.dec.More() {
		pl, err := d.playlist()
		if err != nil {
			return nil, err
		}
		d.rep.Playlists++
		return pl, nil
	}
	// End of the playlists array, then the rest of the document.
	if err := d.delim(']', -1); err != nil {
		return nil, err
	}
	if err := d.keys(true); err != nil {
		return nil, err
	}
	d.state = stateDone
	return nil, io.EOF
}

// start reads up to the first element of the playlists array.
func (d *Decoder) start() error {
	if err := d.delim('{', -1); err != nil {
		return err
	}
	if err := d.keys(false); err != nil {
		return err
	}
	d.state = stateList
	return nil
}

// keys reads top-level keys, skipping all but "playlists". Before the
// playlists (after false) it stops after the playlists array's '['; after
// them (after true) it reads to the end of the document and checks that
// nothing follows.
func (d *Decoder) keys(after bool) error {
	for {
		off := d.dec.InputOffset()
		tok, err := d.dec.Token()
		if err != nil {
			return d.fail(off, -1, err)
		}
		if tok == json.Delim('}') {
			if !after {
				return d.fail(off, -1, errors.New(`no "playlists" array`))
			}
			off = d.dec.InputOffset()
			if tok, err := d.dec.Token(); err != io.EOF {
				if err == nil {
					err = fmt.Errorf("data after the end of the document: %v", tok)
				}
				return d.fail(off, -1, err)
			}
			return nil
		}
		key, ok := tok.(string)
		if !ok {
			return d.fail(off, -1, fmt.Errorf("want a key, got %v", tok))
		}
		if key != "playlists" {
			if err := d.skip(-1); err != nil {
				return err
			}
			continue
		}
		if after {
			return d.fail(off, -1, errors.New(`duplicate key "playlists"`))
		}
		return d.delim('[', -1)
	}
}

// jsonTrack is one element of a playlist's tracks array.
type jsonTrack struct {
	Pos        *int   `json:"pos"`
	ArtistName string `json:"artist_name"`
	TrackURI   string `json:"track_uri"`
	ArtistURI  string `json:"artist_uri"`
	TrackName  string `json:"track_name"`
	AlbumURI   string `json:"album_uri"`
	DurationMS *int64 `json:"duration_ms"`
	AlbumName  string `json:"album_name"`
}

// entry is a track with its pos, until the playlist is sorted.
type entry struct {
	pos int
	t   *features.Track
}

// playlist reads one element of the playlists array.
func (d *Decoder) playlist() (*features.Playlist, error) {
	start := d.dec.InputOffset()
	if err := d.delim('{', -1); err != nil {
		return nil, err
	}
	var (
		pl                                  = &features.Playlist{}
		pid                                 = -1
		numTracks                           = -1
		entries                             []entry
		haveName, haveTracks, haveNumTracks bool
		tracksOff                           int64
		meta                                = "mpd:" + d.name
		sorted                              = true
		maxPos                              = -1
	)
	for d.dec.More() {
		off := d.dec.InputOffset()
		tok, err := d.dec.Token()
		if err != nil {
			return nil, d.fail(off, pid, err)
		}
		key, ok := tok.(string)
		if !ok {
			return nil, d.fail(off, pid, fmt.Errorf("want a key, got %v", tok))
		}
		switch key {
		case "pid":
			if pid >= 0 {
				return nil, d.fail(off, pid, errors.New(`duplicate key "pid"`))
			}
			off = d.dec.InputOffset()
			n, err := d.int()
			if err != nil {
				return nil, d.fail(off, pid, fmt.Errorf("pid: %w", err))
			}
			pid = n
			pl.ID = strconv.Itoa(pid)
		case "name":
			if haveName {
				return nil, d.fail(off, pid, errors.New(`duplicate key "name"`))
			}
			haveName = true
			off = d.dec.InputOffset()
			s, err := d.string()
			if err != nil {
				return nil, d.fail(off, pid, fmt.Errorf("name: %w", err))
			}
			pl.Name = s
		case "num_tracks":
			if haveNumTracks {
				return nil, d.fail(off, pid, errors.New(`duplicate key "num_tracks"`))
			}
			haveNumTracks = true
			off = d.dec.InputOffset()
			n, err := d.int()
			if err != nil {
				return nil, d.fail(off, pid, fmt.Errorf("num_tracks: %w", err))
			}
			numTracks = n
		case "tracks":
			if haveTracks {
				return nil, d.fail(off, pid, errors.New(`duplicate key "tracks"`))
			}
			haveTracks = true
			tracksOff = d.dec.InputOffset()
			if err := d.delim('[', pid); err != nil {
				return nil, err
			}
			for d.dec.More() {
				off := d.dec.InputOffset()
				var jt jsonTrack
				if err := d.dec.Decode(&jt); err != nil {
					return nil, d.fail(off, pid, fmt.Errorf("track %d: %w", len(entries), typeError(err)))
				}
				e, err := track(&jt, meta)
				if err != nil {
					return nil, d.fail(off, pid, fmt.Errorf("track %d: %w", len(entries), err))
				}
				if e.pos <= maxPos {
					sorted = false
				}
				maxPos = max(maxPos, e.pos)
				entries = append(entries, e)
			}
			if err := d.delim(']', pid); err != nil {
				return nil, err
			}
		default:
			if err := d.skip(pid); err != nil {
				return nil, err
			}
		}
	}
	if err := d.delim('}', pid); err != nil {
		return nil, err
	}
	if pid < 0 {
		return nil, d.fail(start, -1, errors.New(`playlist without "pid"`))
	}
	if !haveTracks {
		return nil, d.fail(start, pid, errors.New(`playlist without "tracks"`))
	}
	if !sorted {
		sort.SliceStable(entries, func(i, j int) bool { return entries[i].pos < entries[j].pos })
		for i := 1; i < len(entries); i++ {
			if entries[i].pos == entries[i-1].pos {
				return nil, d.fail(tracksOff, pid, fmt.Errorf("pos %d appears twice", entries[i].pos))
			}
		}
		d.rep.Warnf("%s: pid %d: tracks sorted by pos", d.name, pid)
	}
	if maxPos != len(entries)-1 {
		d.rep.Warnf("%s: pid %d: pos values are not 0..%d", d.name, pid, len(entries)-1)
	}
	if numTracks >= 0 && numTracks != len(entries) {
		d.rep.Warnf("%s: pid %d: num_tracks %d, but %d tracks", d.name, pid, numTracks, len(entries))
	}
	pl.Tracks = make([]*features.Track, len(entries))
	for i, e := range entries {
		pl.Tracks[i] = e.t
	}
	d.rep.Rows += len(entries)
	return pl, nil
}

// track converts one track object.
func track(jt *jsonTrack, meta string) (entry, error) {
	if jt.Pos == nil {
		return entry{}, errors.New(`no "pos"`)
	}
	if *jt.Pos < 0 {
		return entry{}, fmt.Errorf("pos %d is negative", *jt.Pos)
	}
	id, ok := features.ParseTrackRef(jt.TrackURI)
	if !ok {
		return entry{}, fmt.Errorf("track_uri %q is not a Spotify track", jt.TrackURI)
	}
	dur := -1
	if jt.DurationMS != nil && *jt.DurationMS >= 0 && *jt.DurationMS <= math.MaxInt32 {
		dur = int(*jt.DurationMS)
	}
	t := &features.Track{
		ID:         id,
		Name:       jt.TrackName,
		Album:      jt.AlbumName,
		DurationMS: dur,
		Popularity: -1,
		Key:        -1,
		Mode:       -1,
		Features:   features.NoFeatures,
		From:       features.Provenance{Meta: meta},
	}
	if jt.ArtistName != "" {
		t.Artists = []string{jt.ArtistName}
	}
	return entry{pos: *jt.Pos, t: t}, nil
}

// typeError rewrites encoding/json's type errors, which name Go types, in
// the file's terms.
func typeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("%s: want %s, got JSON %s", te.Field, te.Type, te.Value)
	}
	return err
}

// delim reads the delimiter want.
func (d *Decoder) delim(want json.Delim, pid int) error {
	off := d.dec.InputOffset()
	tok, err := d.dec.Token()
	if err != nil {
		return d.fail(off, pid, err)
	}
	if tok != want {
		return d.fail(off, pid, fmt.Errorf("want %q, got %v", want, tokString(tok)))
	}
	return nil
}

// int reads a non-negative integer that fits an int32.
func (d *Decoder) int() (int, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return 0, err
	}
	n, ok := tok.(json.Number)
	if !ok {
		return 0, fmt.Errorf("want a number, got %v", tokString(tok))
	}
	v, err := strconv.ParseInt(string(n), 10, 32)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("want a non-negative integer, got %s", n)
	}
	return int(v), nil
}

// string reads a string; null reads as "".
func (d *Decoder) string() (string, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return "", err
	}
	switch v := tok.(type) {
	case string:
		return v, nil
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("want a string, got %v", tokString(tok))
}

// skip reads and drops one value, token by token, so that an unknown key
// holding a large value does not have to fit in memory.
func (d *Decoder) skip(pid int) error {
	depth := 0
	for {
		off := d.dec.InputOffset()
		tok, err := d.dec.Token()
		if err != nil {
			return d.fail(off, pid, err)
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// fail returns an *Error for the token after offset off (an InputOffset
// taken before reading it), turning an end of input inside the document
// into ErrUnexpectedEnd at the input's end.
func (d *Decoder) fail(off int64, pid int, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{File: d.name, Offset: d.in.total, PID: pid, Err: ErrUnexpectedEnd}
	}
	return &Error{File: d.name, Offset: d.in.tokenStart(off), PID: pid, Err: err}
}

func tokString(tok json.Token) string {
	switch v := tok.(type) {
	case string:
		return strconv.Quote(v)
	case nil:
		return "null"
	case json.Delim:
		return string(v)
	}
	return fmt.Sprint(tok)
}

// Stream calls fn with each playlist of the MPD slice read from r, in file
// order, as [Decoder.Next] returns them. It stops at the first error: a
// malformed slice gives an [*Error], and an error from fn is returned
// unchanged. Memory holds one playlist at a time.
func Stream(r io.Reader, name string, fn func(*features.Playlist) error) error {
	d := NewDecoder(r, name)
	for {
		pl, err := d.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(pl); err != nil {
			return err
		}
	}
}

// Read reads a whole MPD slice into a Dataset: a catalog with each track
// once, by id (the first occurrence's metadata kept), and the playlists in
// file order, whose tracks point into the catalog. A playlist whose pid was
// already read is dropped and counted in Report.DuplicatePlaylists. Every
// track lacks features, so Report.MissingFeatures, UnknownKey and
// UnknownTempo all equal Report.Tracks.
func Read(r io.Reader, name string) (*features.Dataset, error) {
	d := NewDecoder(r, name)
	ds := &features.Dataset{Catalog: &features.Catalog{}}
	pids := make(map[string]bool)
	dups := 0
	for {
		pl, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if pids[pl.ID] {
			dups++
			d.rep.Warnf("%s: pid %s: repeated playlist dropped", name, pl.ID)
			continue
		}
		pids[pl.ID] = true
		for i, t := range pl.Tracks {
			held, added := ds.Catalog.Add(t)
			if !added && (held.Name != t.Name || held.Artist() != t.Artist()) {
				d.rep.Warnf("%s: pid %s: track %s is %q here but %q before; first kept", name, pl.ID, t.ID, t.String(), held.String())
			}
			pl.Tracks[i] = held
		}
		ds.Playlists = append(ds.Playlists, pl)
	}
	ds.Report = d.Report()
	ds.Report.Playlists = len(ds.Playlists)
	ds.Report.DuplicatePlaylists = dups
	n := ds.Catalog.Len()
	ds.Report.Tracks = n
	ds.Report.MissingFeatures = n
	ds.Report.UnknownKey = n
	ds.Report.UnknownTempo = n
	return ds, nil
}
