package catbin

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"

	"github.com/discoflow/disco/features"
)

// Version is the layout version Encode writes and Decode reads.
const Version = 1

// Magic opens every file.
const Magic = "DISCOCAT"

// HeaderSize is the size of the header in bytes.
const HeaderSize = 56

// Sentinel errors, wrapped by Decode's errors.
var (
	// ErrDamaged is a file that is not a catbin file or is damaged:
	// wrong magic, truncated, a checksum or a reference that does not
	// match.
	ErrDamaged = errors.New("catbin: damaged catalog")
	// ErrVersion is a catbin file of another layout version.
	ErrVersion = errors.New("catbin: unsupported version")
)

// Header is what a file says about itself.
type Header struct {
	Version uint32
	// Source is the SHA-256 of the text the data set was read from, as
	// given to Encode.
	Source [32]byte
}

// Sizes of the fixed records.
const (
	countsSize   = 6 * 4
	trackSize    = 8*8 + 2*4 + 6*4 + 8 + features.NumAbstract*8
	playlistSize = 4*8 + 2*4
	reportInts   = 11
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Encode returns the binary form of ds; source is the SHA-256 of the text
// ds was read from (recorded for staleness checks). It fails when a
// playlist holds a track that is not in ds.Catalog, when an int field is
// outside int32, or when the data set exceeds 4 GiB of strings or 2^32
// records.
func Encode(ds *features.Dataset, source [32]byte) ([]byte, error) {
	e := encoder{refs: make(map[string]uint64)}
	if ds.Catalog == nil {
		return nil, errors.New("catbin: data set without a catalog")
	}
	tracks := ds.Catalog.Tracks
	index := make(map[*features.Track]uint32, len(tracks))
	var trk, art []byte
	for i, t := range tracks {
		index[t] = uint32(i)
		var rec [trackSize]byte
		for j, s := range [8]string{t.ID, t.Name, t.Album, t.ReleaseDate, t.Genre, t.Subgenre, t.From.Meta, t.From.Features} {
			binary.LittleEndian.PutUint64(rec[8*j:], e.ref(s))
		}
		binary.LittleEndian.PutUint32(rec[64:], uint32(len(art)/8))
		binary.LittleEndian.PutUint32(rec[68:], uint32(len(t.Artists)))
		for _, a := range t.Artists {
			art = binary.LittleEndian.AppendUint64(art, e.ref(a))
		}
		for j, v := range [5]int{t.DurationMS, t.Popularity, t.Key, t.Mode, t.TimeSignature} {
			if v < math.MinInt32 || v > math.MaxInt32 {
				return nil, fmt.Errorf("catbin: track %s: %d outside int32", t.ID, v)
			}
			binary.LittleEndian.PutUint32(rec[72+4*j:], uint32(int32(v)))
		}
		if t.HasFeatures {
			rec[92] = 1
		}
		binary.LittleEndian.PutUint64(rec[96:], math.Float64bits(t.Tempo))
		for j, x := range t.Features {
			binary.LittleEndian.PutUint64(rec[104+8*j:], math.Float64bits(x))
		}
		trk = append(trk, rec[:]...)
	}
	var pls, ent []byte
	for _, p := range ds.Playlists {
		var rec [playlistSize]byte
		for j, s := range [4]string{p.ID, p.Name, p.Genre, p.Subgenre} {
			binary.LittleEndian.PutUint64(rec[8*j:], e.ref(s))
		}
		binary.LittleEndian.PutUint32(rec[32:], uint32(len(ent)/4))
		binary.LittleEndian.PutUint32(rec[36:], uint32(len(p.Tracks)))
		for _, t := range p.Tracks {
			i, ok := index[t]
			if !ok {
				return nil, fmt.Errorf("catbin: playlist %q holds track %s, which is not in the catalog", p.Name, t.ID)
			}
			ent = binary.LittleEndian.AppendUint32(ent, i)
		}
		pls = append(pls, rec[:]...)
	}
	r := &ds.Report
	var rep []byte
	for _, v := range [reportInts]int{r.Rows, r.Skipped, r.Tracks, r.Playlists, r.DuplicatePlaylists,
		r.MissingFeatures, r.UnknownKey, r.UnknownTempo, r.Conflicts, r.Duplicates, r.NonFinite} {
		rep = binary.LittleEndian.AppendUint64(rep, uint64(int64(v)))
	}
	lists := [3][]string{r.ConflictIDs, r.MissingColumns, r.Warnings}
	nrep := 0
	for _, l := range lists {
		rep = binary.LittleEndian.AppendUint32(rep, uint32(len(l)))
		nrep += len(l)
	}
	for _, l := range lists {
		for _, s := range l {
			rep = binary.LittleEndian.AppendUint64(rep, e.ref(s))
		}
	}
	if e.err != nil {
		return nil, e.err
	}
	for _, n := range []int{len(tracks), len(art) / 8, len(ds.Playlists), len(ent) / 4} {
		if uint64(n) > math.MaxUint32 {
			return nil, errors.New("catbin: data set too large")
		}
	}

	var body []byte
	for _, n := range [6]int{e.strs.Len(), len(tracks), len(art) / 8, len(ds.Playlists), len(ent) / 4, nrep} {
		body = binary.LittleEndian.AppendUint32(body, uint32(n))
	}
	body = append(body, e.strs.Bytes()...)
	for _, b := range [][]byte{trk, art, pls, ent, rep} {
		body = append(body, b...)
	}
	if uint64(len(body)) > math.MaxUint32 {
		return nil, errors.New("catbin: data set too large")
	}
	out := make([]byte, HeaderSize, HeaderSize+len(body))
	copy(out, Magic)
	binary.LittleEndian.PutUint32(out[8:], Version)
	binary.LittleEndian.PutUint32(out[16:], uint32(len(body)))
	binary.LittleEndian.PutUint32(out[20:], crc32Checksum(body))
	copy(out[24:], source[:])
	return append(out, body...), nil
}

// encoder holds each distinct string once.
type encoder struct {
	strs bytes.Buffer
	refs map[string]uint64
	err  error
}

// ref returns the reference (offset | length<<32) of s, adding s if new.
func (e *encoder) ref(s string) uint64 {
	if s == "" {
		return 0
	}
	if r, ok := e.refs[s]; ok {
		return r
	}
	off := e.strs.Len()
	if uint64(off)+uint64(len(s)) > math.MaxUint32 {
		e.err = errors.New("catbin: data set too large")
		return 0
	}
	e.strs.WriteString(s)
	r := uint64(off) | uint64(len(s))<<32
	e.refs[s] = r
	return r
}

// ReadHeader checks data's magic, version, size and checksum and returns
// its header.
func ReadHeader(data []byte) (Header, error) {
	var h Header
	if len(data) < HeaderSize || string(data[:8]) != Magic {
		return h, fmt.Errorf("%w: no catbin header", ErrDamaged)
	}
	h.Version = binary.LittleEndian.Uint32(data[8:])
	copy(h.Source[:], data[24:HeaderSize])
	if h.Version != Version {
		return h, fmt.Errorf("%w: version %d, this disco reads version %d", ErrVersion, h.Version, Version)
	}
	if r := binary.LittleEndian.Uint32(data[12:]); r != 0 {
		return h, fmt.Errorf("%w: reserved header field %d, want 0", ErrDamaged, r)
	}
	size := binary.LittleEndian.Uint32(data[16:])
	body := data[HeaderSize:]
	if uint64(len(body)) != uint64(size) {
		return h, fmt.Errorf("%w: %d bytes after the header, the header says %d", ErrDamaged, len(body), size)
	}
	if got, want := crc32Checksum(body), binary.LittleEndian.Uint32(data[20:]); got != want {
		return h, fmt.Errorf("%w: checksum %08x, the header says %08x", ErrDamaged, got, want)
	}
	return h, nil
}

// Decode reads the data set in data (see the package documentation). The
// data set's strings are one copy of the file's string bytes, so data may
// be reused afterwards.
func Decode(data []byte) (*features.Dataset, Header, error) {
	h, err := ReadHeader(data)
	if err != nil {
		return nil, h, err
	}
	d := decoder{b: data[HeaderSize:]}
	ds, err := d.decode()
	if err != nil {
		return nil, h, err
	}
	return ds, h, nil
}

type decoder struct {
	b    []byte // the body, consumed section by section
	strs string
}

// section cuts the next n records of size bytes from the body.
func (d *decoder) section(name string, n uint32, size int) ([]byte, error) {
	want := uint64(n) * uint64(size)
	if uint64(len(d.b)) < want {
		return nil, fmt.Errorf("%w: %s: %d bytes, %d needed", ErrDamaged, name, len(d.b), want)
	}
	s := d.b[:want:want]
	d.b = d.b[want:]
	return s, nil
}

// str returns the string referenced at b[0:8].
func (d *decoder) str(b []byte) (string, bool) {
	off := uint64(binary.LittleEndian.Uint32(b))
	n := uint64(binary.LittleEndian.Uint32(b[4:]))
	if off+n > uint64(len(d.strs)) {
		return "", false
	}
	return d.strs[off : off+n], true
}

// strings fills dst with the strings referenced at rec[0:8*len(dst)],
// reporting whether all are inside the string block.
func (d *decoder) strings(dst []string, rec []byte) bool {
	for j := range dst {
		v, ok := d.str(rec[8*j:])
		if !ok {
			return false
		}
		dst[j] = v
	}
	return true
}

func (d *decoder) decode() (*features.Dataset, error) {
	counts, err := d.section("counts", 1, countsSize)
	if err != nil {
		return nil, err
	}
	var c [6]uint32
	for i := range c {
		c[i] = binary.LittleEndian.Uint32(counts[4*i:])
	}
	nstr, ntrk, nart, npl, nent, nrep := c[0], c[1], c[2], c[3], c[4], c[5]
	sb, err := d.section("strings", nstr, 1)
	if err != nil {
		return nil, err
	}
	d.strs = string(sb)
	trk, err := d.section("tracks", ntrk, trackSize)
	if err != nil {
		return nil, err
	}
	art, err := d.section("artists", nart, 8)
	if err != nil {
		return nil, err
	}
	pls, err := d.section("playlists", npl, playlistSize)
	if err != nil {
		return nil, err
	}
	ent, err := d.section("playlist entries", nent, 4)
	if err != nil {
		return nil, err
	}
	rep, err := d.section("report", 1, reportInts*8+3*4)
	if err != nil {
		return nil, err
	}
	repStrs, err := d.section("report strings", nrep, 8)
	if err != nil {
		return nil, err
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the report", ErrDamaged, len(d.b))
	}

	names := make([]string, nart)
	for i := range names {
		s, ok := d.str(art[8*i:])
		if !ok {
			return nil, fmt.Errorf("%w: artist name %d outside the strings", ErrDamaged, i)
		}
		names[i] = s
	}

	tracks := make([]features.Track, ntrk)
	ptrs := make([]*features.Track, ntrk)
	for i := range tracks {
		rec := trk[i*trackSize : (i+1)*trackSize]
		t := &tracks[i]
		ptrs[i] = t
		var s [8]string
		if !d.strings(s[:], rec) {
			return nil, fmt.Errorf("%w: track %d: a string outside the strings", ErrDamaged, i)
		}
		t.ID, t.Name, t.Album, t.ReleaseDate, t.Genre, t.Subgenre = s[0], s[1], s[2], s[3], s[4], s[5]
		t.From = features.Provenance{Meta: s[6], Features: s[7]}
		start, n := uint64(binary.LittleEndian.Uint32(rec[64:])), uint64(binary.LittleEndian.Uint32(rec[68:]))
		if start+n > uint64(len(names)) {
			return nil, fmt.Errorf("%w: track %s: artists outside the list", ErrDamaged, t.ID)
		}
		if n > 0 {
			t.Artists = names[start : start+n : start+n]
		}
		t.DurationMS = int(int32(binary.LittleEndian.Uint32(rec[72:])))
		t.Popularity = int(int32(binary.LittleEndian.Uint32(rec[76:])))
		t.Key = int(int32(binary.LittleEndian.Uint32(rec[80:])))
		t.Mode = int(int32(binary.LittleEndian.Uint32(rec[84:])))
		t.TimeSignature = int(int32(binary.LittleEndian.Uint32(rec[88:])))
		t.HasFeatures = rec[92] == 1
		t.Tempo = math.Float64frombits(binary.LittleEndian.Uint64(rec[96:]))
		for j := range t.Features {
			t.Features[j] = math.Float64frombits(binary.LittleEndian.Uint64(rec[104+8*j:]))
		}
	}
	cat := features.NewCatalog(ptrs...)
	if cat.Len() != len(ptrs) {
		return nil, fmt.Errorf("%w: %d tracks, %d distinct ids", ErrDamaged, len(ptrs), cat.Len())
	}

	entries := make([]*features.Track, nent)
	for i := range entries {
		k := binary.LittleEndian.Uint32(ent[4*i:])
		if k >= ntrk {
			return nil, fmt.Errorf("%w: playlist entry %d: track %d of %d", ErrDamaged, i, k, ntrk)
		}
		entries[i] = ptrs[k]
	}
	lists := make([]features.Playlist, npl)
	playlists := make([]*features.Playlist, npl)
	for i := range lists {
		rec := pls[i*playlistSize : (i+1)*playlistSize]
		p := &lists[i]
		playlists[i] = p
		var s [4]string
		if !d.strings(s[:], rec) {
			return nil, fmt.Errorf("%w: playlist %d: a string outside the strings", ErrDamaged, i)
		}
		p.ID, p.Name, p.Genre, p.Subgenre = s[0], s[1], s[2], s[3]
		start, n := uint64(binary.LittleEndian.Uint32(rec[32:])), uint64(binary.LittleEndian.Uint32(rec[36:]))
		if start+n > uint64(len(entries)) {
			return nil, fmt.Errorf("%w: playlist %q: tracks outside the entries", ErrDamaged, p.Name)
		}
		if n > 0 {
			p.Tracks = entries[start : start+n : start+n]
		}
	}
	if npl == 0 {
		playlists = nil
	}

	ds := &features.Dataset{Catalog: cat, Playlists: playlists}
	r := &ds.Report
	var v [reportInts]int
	for i := range v {
		v[i] = int(int64(binary.LittleEndian.Uint64(rep[8*i:])))
	}
	r.Rows, r.Skipped, r.Tracks, r.Playlists, r.DuplicatePlaylists = v[0], v[1], v[2], v[3], v[4]
	r.MissingFeatures, r.UnknownKey, r.UnknownTempo, r.Conflicts, r.Duplicates, r.NonFinite = v[5], v[6], v[7], v[8], v[9], v[10]
	var lists3 [3][]string
	next := 0
	for i := range lists3 {
		n := int(binary.LittleEndian.Uint32(rep[reportInts*8+4*i:]))
		if next+n > int(nrep) {
			return nil, fmt.Errorf("%w: report list %d: %d strings past the %d given", ErrDamaged, i, next+n, nrep)
		}
		for j := range n {
			s, ok := d.str(repStrs[8*(next+j):])
			if !ok {
				return nil, fmt.Errorf("%w: report string %d outside the strings", ErrDamaged, next+j)
			}
			lists3[i] = append(lists3[i], s)
		}
		next += n
	}
	if next != int(nrep) {
		return nil, fmt.Errorf("%w: report: %d strings, %d used", ErrDamaged, nrep, next)
	}
	r.ConflictIDs, r.MissingColumns, r.Warnings = lists3[0], lists3[1], lists3[2]
	return ds, nil
}

func crc32Checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }
