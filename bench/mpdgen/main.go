// Command mpdgen writes a synthetic corpus shaped like the Million Playlist
// Dataset (MPD): N playlists over M tracks as MPD JSON slices
// (mpd.slice.0-999.json, mpd.slice.1000-1999.json, ..., 1000 playlists
// each, the last one possibly shorter), in the MPD's key order and
// indentation, with every field disco's MPD reader (features/mpd) reads.
//
//	go run ./bench/mpdgen -out /tmp/mpd -playlists 100000
//	go run ./bench/mpdgen -out /tmp/mpd -playlists 10000 -text /tmp/mpd.txt
//	go run ./bench/mpdgen -playlists 1000000 -count 5   # write nothing; count the tracks
//
// It is deterministic: slice s is drawn from its own PCG source seeded
// with (-seed, s), so a corpus is a function of its flags alone, and the
// slices are written one playlist at a time (memory holds one playlist,
// never the corpus). -text also writes the same playlists one per line,
// track ids separated by spaces, the form gensim's LineSentence and
// song2vec.TextFile read.
//
// Shape: a playlist's length is log-normal with median 49 and sigma 0.82,
// clipped to [5, 250] (mean about 66, as the MPD's); its tracks are drawn
// from a Zipf law over the M tracks (P(k) proportional to (v+k)^-s,
// default s 1.2, v 300), so that a few tracks are in many playlists and
// most are in few (with 2M tracks the most popular one is about 0.08% of
// all occurrences). A track drawn twice for one playlist is drawn again.
// Track co-occurrence has no structure beyond popularity: the corpus is
// for speed and memory, not for the quality of the vectors.
//
// It refuses (before writing anything) a corpus whose estimated size does
// not fit the free space of the output's file system.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "mpdgen:", err)
		os.Exit(1)
	}
}

// Config is a corpus's shape.
type Config struct {
	Playlists int     // N
	Tracks    int     // M
	Seed      uint64  // the corpus's seed
	ZipfS     float64 // Zipf exponent s > 1
	ZipfV     float64 // Zipf offset v >= 1
}

// SliceSize is the number of playlists in a full slice, as in the MPD.
const SliceSize = 1000

// Length bounds and log-normal parameters of a playlist's length.
const (
	minLen   = 5
	maxLen   = 250
	lenMu    = 3.8918 // log(49)
	lenSigma = 0.82
)

// bytesPerTrack bounds the JSON bytes one track takes in a slice (about
// 450 with the indentation), used for the disk check with the playlists'
// own fields spread over their tracks.
const bytesPerTrack = 520

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("mpdgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg Config
	out := fs.String("out", "", "directory to write the slices to (created if missing)")
	text := fs.String("text", "", "also write the playlists one per line, ids separated by spaces, to this file")
	fs.IntVar(&cfg.Playlists, "playlists", 10000, "playlists N")
	fs.IntVar(&cfg.Tracks, "tracks", 2_000_000, "tracks M")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "seed")
	fs.Float64Var(&cfg.ZipfS, "zipf-s", 1.2, "Zipf exponent s (> 1)")
	fs.Float64Var(&cfg.ZipfV, "zipf-v", 300, "Zipf offset v (>= 1)")
	count := fs.Int("count", 0, "write nothing: draw the corpus and print its distinct tracks and the tracks seen at least this many times")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *count > 0 {
		if err := cfg.check(); err != nil {
			return err
		}
		c, err := Count(cfg, *count)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "mpdgen: %d playlists, %d track occurrences, %d distinct tracks; %d tracks seen at least %d times, %d occurrences of them\n",
			c.Playlists, c.Occurrences, c.Distinct, c.Vocab, *count, c.VocabOccurrences)
		return nil
	}
	if *out == "" || fs.NArg() > 0 {
		return errors.New("need -out DIR and no arguments")
	}
	if err := cfg.check(); err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	need := EstimateBytes(cfg, *text != "")
	if free, ok := freeBytes(*out); ok && need > free {
		return fmt.Errorf("%d playlists need about %.1f GB, %s has %.1f GB free", cfg.Playlists, float64(need)/1e9, *out, float64(free)/1e9)
	}
	var tw io.Writer
	if *text != "" {
		f, err := os.Create(*text)
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(f, 1<<20)
		tw = bw
		defer func() {
			bw.Flush()
			f.Close()
		}()
	}
	st, err := Generate(cfg, *out, tw)
	if err != nil {
		return err
	}
	if bw, ok := tw.(*bufio.Writer); ok {
		if err := bw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "mpdgen: %d playlists in %d slices, %d track occurrences (mean length %.2f), %.2f GB of JSON in %s\n",
		st.Playlists, st.Slices, st.Occurrences, float64(st.Occurrences)/float64(st.Playlists), float64(st.Bytes)/1e9, *out)
	return nil
}

func (c Config) check() error {
	switch {
	case c.Playlists < 1 || c.Playlists > 1<<31-1:
		return fmt.Errorf("-playlists %d: want 1 to 2^31-1", c.Playlists)
	case c.Tracks < maxLen:
		return fmt.Errorf("-tracks %d: want at least %d (the longest playlist)", c.Tracks, maxLen)
	case !(c.ZipfS > 1):
		return fmt.Errorf("-zipf-s %v: want > 1", c.ZipfS)
	case !(c.ZipfV >= 1):
		return fmt.Errorf("-zipf-v %v: want >= 1", c.ZipfV)
	}
	return nil
}

// EstimateBytes is an upper estimate of the corpus's size on disk: the
// slices, and the text file if withText.
func EstimateBytes(c Config, withText bool) uint64 {
	occ := uint64(c.Playlists) * 67
	n := occ * bytesPerTrack
	if withText {
		n += occ * 23
	}
	return n
}

// Stats describes what Generate wrote.
type Stats struct {
	Playlists, Slices, Occurrences int
	Bytes                          int64 // of JSON
}

// Generate writes cfg's corpus as slices in dir and, if text is not nil,
// as lines to text.
func Generate(cfg Config, dir string, text io.Writer) (Stats, error) {
	if err := cfg.check(); err != nil {
		return Stats{}, err
	}
	var st Stats
	g := newGen(cfg)
	for first := 0; first < cfg.Playlists; first += SliceSize {
		n := min(SliceSize, cfg.Playlists-first)
		name := filepath.Join(dir, fmt.Sprintf("mpd.slice.%d-%d.json", first, first+n-1))
		f, err := os.Create(name)
		if err != nil {
			return st, err
		}
		cw := &countWriter{w: f}
		bw := bufio.NewWriterSize(cw, 1<<20)
		occ, err := g.slice(bw, text, first/SliceSize, first, n)
		if err == nil {
			err = bw.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return st, err
		}
		st.Playlists += n
		st.Slices++
		st.Occurrences += occ
		st.Bytes += cw.n
	}
	return st, nil
}

// Counts describes a corpus's vocabulary, as Count draws it.
type Counts struct {
	Playlists, Occurrences int
	Distinct               int // tracks seen at least once
	Vocab                  int // tracks seen at least minCount times
	VocabOccurrences       int // their occurrences
}

// Count draws cfg's corpus exactly as Generate does, writing nothing, and
// counts its tracks: what a corpus too large to write here would hold,
// and how large song2vec's vocabulary would be at minCount.
func Count(cfg Config, minCount int) (Counts, error) {
	if err := cfg.check(); err != nil {
		return Counts{}, err
	}
	g := newGen(cfg)
	g.counts = make([]int32, cfg.Tracks)
	var c Counts
	for first := 0; first < cfg.Playlists; first += SliceSize {
		n := min(SliceSize, cfg.Playlists-first)
		occ, _ := g.slice(nil, nil, first/SliceSize, first, n)
		c.Playlists += n
		c.Occurrences += occ
	}
	for _, n := range g.counts {
		if n > 0 {
			c.Distinct++
		}
		if int(n) >= minCount {
			c.Vocab++
			c.VocabOccurrences += int(n)
		}
	}
	return c, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// gen holds one playlist's buffers, reused from playlist to playlist.
type gen struct {
	cfg     Config
	tracks  []uint64
	seen    map[uint64]bool
	albums  map[uint64]bool
	artists map[uint64]bool
	buf     []byte
	counts  []int32 // occurrences of each track, when counting
}

func newGen(cfg Config) *gen {
	return &gen{cfg: cfg, seen: map[uint64]bool{}, albums: map[uint64]bool{}, artists: map[uint64]bool{}}
}

// playlistLen draws a playlist's length.
func playlistLen(r *rand.Rand) int {
	n := int(math.Round(math.Exp(lenMu + lenSigma*r.NormFloat64())))
	return min(max(n, minLen), maxLen)
}

// meta holds a playlist's drawn fields that disco does not read.
type meta struct{ modified, followers, edits int64 }

// draw draws a playlist's tracks into g.tracks, then its other fields.
func (g *gen) draw(r *rand.Rand, z *rand.Zipf) meta {
	k := playlistLen(r)
	g.tracks = g.tracks[:0]
	clear(g.seen)
	for len(g.tracks) < k {
		t := z.Uint64()
		if g.seen[t] {
			continue
		}
		g.seen[t] = true
		g.tracks = append(g.tracks, t)
	}
	return meta{
		modified:  1262304000 + r.Int64N(250_000_000)/86400*86400,
		followers: 1 + int64(r.ExpFloat64()*2),
		edits:     1 + r.Int64N(20),
	}
}

// slice writes slice s (playlists first..first+n-1) and returns its track
// occurrences; with w nil it only draws (and counts, if g.counts is set).
func (g *gen) slice(w *bufio.Writer, text io.Writer, s, first, n int) (int, error) {
	r := rand.New(rand.NewPCG(g.cfg.Seed, uint64(s)))
	z := rand.NewZipf(r, g.cfg.ZipfS, g.cfg.ZipfV, uint64(g.cfg.Tracks-1))
	if w != nil {
		fmt.Fprintf(w, "{\n    \"info\": {\n        \"generated_on\": \"mpdgen seed %d\", \n        \"slice\": \"%d-%d\", \n        \"version\": \"v1\"\n    }, \n    \"playlists\": [",
			g.cfg.Seed, first, first+n-1)
	}
	occ := 0
	for i := range n {
		m := g.draw(r, z)
		occ += len(g.tracks)
		if g.counts != nil {
			for _, t := range g.tracks {
				g.counts[t]++
			}
		}
		if w == nil {
			continue
		}
		if i > 0 {
			w.WriteString(", ")
		}
		g.buf = g.playlist(g.buf[:0], first+i, m)
		if _, err := w.Write(g.buf); err != nil {
			return occ, err
		}
		if text != nil {
			b := g.buf[:0]
			for j, t := range g.tracks {
				if j > 0 {
					b = append(b, ' ')
				}
				b = appendID(b, t, saltTrack)
			}
			b = append(b, '\n')
			if _, err := text.Write(b); err != nil {
				return occ, err
			}
		}
	}
	if w == nil {
		return occ, nil
	}
	if n > 0 {
		w.WriteString("\n    ")
	}
	_, err := w.WriteString("]\n}")
	return occ, err
}

// Salts that make a track's, its artist's and its album's ids distinct.
const (
	saltTrack  = 0x9e3779b97f4a7c15
	saltArtist = 0xbf58476d1ce4e5b9
	saltAlbum  = 0x94d049bb133111eb
)

// artistOf and albumOf give a track's artist and album: tracks come ten to
// an album and four albums to an artist, neighbours in popularity.
func artistOf(t uint64) uint64 { return t / 40 }
func albumOf(t uint64) uint64  { return t / 10 }

// playlist appends playlist pid (its tracks in g.tracks) in the MPD's
// indentation.
func (g *gen) playlist(b []byte, pid int, m meta) []byte {
	clear(g.albums)
	clear(g.artists)
	var dur int64
	for _, t := range g.tracks {
		g.albums[albumOf(t)] = true
		g.artists[artistOf(t)] = true
		dur += int64(duration(t))
	}
	b = append(b, "\n        {\n            \"name\": \"playlist "...)
	b = strconv.AppendInt(b, int64(pid), 10)
	b = append(b, "\", \n            \"collaborative\": \"false\", \n            \"pid\": "...)
	b = strconv.AppendInt(b, int64(pid), 10)
	b = append(b, ", \n            \"modified_at\": "...)
	b = strconv.AppendInt(b, m.modified, 10)
	b = append(b, ", \n            \"num_tracks\": "...)
	b = strconv.AppendInt(b, int64(len(g.tracks)), 10)
	b = append(b, ", \n            \"num_albums\": "...)
	b = strconv.AppendInt(b, int64(len(g.albums)), 10)
	b = append(b, ", \n            \"num_followers\": "...)
	b = strconv.AppendInt(b, m.followers, 10)
	b = append(b, ", \n            \"tracks\": ["...)
	for i, t := range g.tracks {
		if i > 0 {
			b = append(b, ", "...)
		}
		a, al := artistOf(t), albumOf(t)
		b = append(b, "\n                {\n                    \"pos\": "...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ", \n                    \"artist_name\": \"Artist "...)
		b = strconv.AppendUint(b, a, 10)
		b = append(b, "\", \n                    \"track_uri\": \"spotify:track:"...)
		b = appendID(b, t, saltTrack)
		b = append(b, "\", \n                    \"artist_uri\": \"spotify:artist:"...)
		b = appendID(b, a, saltArtist)
		b = append(b, "\", \n                    \"track_name\": \"Track "...)
		b = strconv.AppendUint(b, t, 10)
		b = append(b, "\", \n                    \"album_uri\": \"spotify:album:"...)
		b = appendID(b, al, saltAlbum)
		b = append(b, "\", \n                    \"duration_ms\": "...)
		b = strconv.AppendInt(b, int64(duration(t)), 10)
		b = append(b, ", \n                    \"album_name\": \"Album "...)
		b = strconv.AppendUint(b, al, 10)
		b = append(b, "\"\n                }"...)
	}
	if len(g.tracks) > 0 {
		b = append(b, "\n            "...)
	}
	b = append(b, "], \n            \"num_edits\": "...)
	b = strconv.AppendInt(b, m.edits, 10)
	b = append(b, ", \n            \"duration_ms\": "...)
	b = strconv.AppendInt(b, dur, 10)
	b = append(b, ", \n            \"num_artists\": "...)
	b = strconv.AppendInt(b, int64(len(g.artists)), 10)
	b = append(b, "\n        }"...)
	return b
}

// duration is a track's length in ms, 2 to 6 minutes.
func duration(t uint64) int { return 120_000 + int(mix(t^saltAlbum)%240_000) }

// mix is SplitMix64's finaliser, a bijection of uint64.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// appendID appends a 22-character Spotify-style id for n: the first 11
// characters are mix(n+salt) in base 62 (a bijection, so distinct n give
// distinct ids), the last 11 mix of that again.
func appendID(b []byte, n, salt uint64) []byte {
	x := mix(n + salt)
	y := mix(x)
	for _, v := range [2]uint64{x, y} {
		for range 11 { // 62^11 > 2^64
			b = append(b, base62[v%62])
			v /= 62
		}
	}
	return b
}
