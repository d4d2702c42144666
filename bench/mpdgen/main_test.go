package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/mpd"
)

func generate(t *testing.T, cfg Config) (string, []byte) {
	t.Helper()
	dir := t.TempDir()
	var text bytes.Buffer
	if _, err := Generate(cfg, dir, &text); err != nil {
		t.Fatal(err)
	}
	return dir, text.Bytes()
}

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = b
	}
	return out
}

var small = Config{Playlists: 2500, Tracks: 50_000, Seed: 7, ZipfS: 1.2, ZipfV: 300}

// The same flags give the same bytes; another seed gives other playlists.
func TestDeterministic(t *testing.T) {
	d1, t1 := generate(t, small)
	d2, t2 := generate(t, small)
	a, b := readDir(t, d1), readDir(t, d2)
	if len(a) != 3 {
		t.Fatalf("%d files, want 3 slices", len(a))
	}
	for name, x := range a {
		if !bytes.Equal(x, b[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	if !bytes.Equal(t1, t2) {
		t.Error("the text corpus differs between two runs with the same seed")
	}
	other := small
	other.Seed = 8
	_, t3 := generate(t, other)
	if bytes.Equal(t1, t3) {
		t.Error("seeds 7 and 8 gave the same corpus")
	}
}

// The slices read back with disco's MPD reader: every playlist, in pid
// order, each slice named by its range, the tracks those of the text file,
// and no warning (num_tracks agrees, pos is 0..n-1).
func TestReadBack(t *testing.T) {
	dir, text := generate(t, small)
	paths, err := mpd.Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"mpd.slice.0-999.json", "mpd.slice.1000-1999.json", "mpd.slice.2000-2499.json"}
	var got []string
	for _, p := range paths {
		got = append(got, filepath.Base(p))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("slices %v, want %v", got, want)
	}
	lines := strings.Split(strings.TrimSuffix(string(text), "\n"), "\n")
	n := 0
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		ds, err := mpd.Read(f, filepath.Base(p))
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if w := ds.Report.Warnings; len(w) > 0 {
			t.Errorf("%s: warnings %v", p, w)
		}
		for _, pl := range ds.Playlists {
			if pl.ID != strconv.Itoa(n) {
				t.Fatalf("playlist %d has pid %s", n, pl.ID)
			}
			if ids := strings.Join(pl.AppendIDs(nil), " "); ids != lines[n] {
				t.Fatalf("pid %d: slice has %.60q..., text file %.60q...", n, ids, lines[n])
			}
			for _, tr := range pl.Tracks {
				if tr.Name == "" || len(tr.Artists) != 1 || tr.Album == "" || tr.DurationMS < 120_000 {
					t.Fatalf("pid %d: track %+v lacks a field", n, tr)
				}
			}
			n++
		}
	}
	if n != small.Playlists || len(lines) != small.Playlists {
		t.Fatalf("%d playlists read back, %d lines, want %d", n, len(lines), small.Playlists)
	}
}

// The shape: mean length about 66 within [5, 250], no track twice in a
// playlist, and a heavy popularity tail: the most popular 1% of the tracks
// seen hold a large share of the occurrences while most tracks are seen
// in one or two playlists.
func TestShape(t *testing.T) {
	cfg := Config{Playlists: 20_000, Tracks: 2_000_000, Seed: 1, ZipfS: 1.2, ZipfV: 300}
	dir := t.TempDir()
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		_, err := Generate(cfg, dir, pw)
		pw.CloseWithError(err)
		errc <- err
	}()
	counts := map[string]int{}
	var occ, playlists, shortest, longest = 0, 0, maxLen, 0
	sc := bufio.NewScanner(pr)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		ids := strings.Fields(sc.Text())
		seen := map[string]bool{}
		for _, id := range ids {
			if !features.IsTrackID(id) {
				t.Fatalf("%q is not a track id", id)
			}
			if seen[id] {
				t.Fatalf("playlist %d has %s twice", playlists, id)
			}
			seen[id] = true
			counts[id]++
		}
		occ += len(ids)
		playlists++
		shortest, longest = min(shortest, len(ids)), max(longest, len(ids))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	mean := float64(occ) / float64(playlists)
	t.Logf("%d playlists, mean length %.2f, lengths %d..%d, %d distinct tracks", playlists, mean, shortest, longest, len(counts))
	if mean < 63 || mean > 69 {
		t.Errorf("mean length %.2f, want about 66", mean)
	}
	if shortest < minLen || longest > maxLen || longest < 200 {
		t.Errorf("lengths %d..%d, want within [%d, %d] and reaching past 200", shortest, longest, minLen, maxLen)
	}
	c := make([]int, 0, len(counts))
	rare := 0
	for _, n := range counts {
		c = append(c, n)
		if n <= 2 {
			rare++
		}
	}
	slices.Sort(c)
	slices.Reverse(c)
	top := 0
	for _, n := range c[:len(c)/100] {
		top += n
	}
	share := float64(top) / float64(occ)
	t.Logf("top 1%% of tracks: %.1f%% of occurrences; most popular in %d playlists; %.1f%% of tracks in at most 2", 100*share, c[0], 100*float64(rare)/float64(len(c)))
	if share < 0.25 {
		t.Errorf("the top 1%% of tracks hold %.1f%% of occurrences, want a heavy head (> 25%%)", 100*share)
	}
	if float64(rare) < 0.5*float64(len(c)) {
		t.Errorf("%d of %d tracks in at most 2 playlists, want most (a long tail)", rare, len(c))
	}
	if c[0] > playlists/10 {
		t.Errorf("the most popular track is in %d of %d playlists: too concentrated", c[0], playlists)
	}
}

// Sizes that cannot be made are refused, and the disk estimate covers what
// was written.
func TestRefuse(t *testing.T) {
	for _, c := range []Config{
		{Playlists: 0, Tracks: 1000, ZipfS: 1.2, ZipfV: 1},
		{Playlists: 10, Tracks: 100, ZipfS: 1.2, ZipfV: 1},
		{Playlists: 10, Tracks: 1000, ZipfS: 1, ZipfV: 1},
		{Playlists: 10, Tracks: 1000, ZipfS: 1.2, ZipfV: 0.5},
	} {
		if _, err := Generate(c, t.TempDir(), nil); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	dir := t.TempDir()
	st, err := Generate(small, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if est := EstimateBytes(small, false); uint64(st.Bytes) > est || float64(st.Bytes) < 0.7*float64(est) {
		t.Errorf("wrote %d bytes, estimated %d", st.Bytes, est)
	}
	// A corpus larger than the free space is refused before it starts.
	if free, ok := freeBytes(dir); ok {
		n := int(min(free/(67*bytesPerTrack)*2+1000, 1<<31-1))
		err := run([]string{"-out", dir, "-playlists", strconv.Itoa(n)}, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "free") {
			t.Errorf("%d playlists on %d free bytes: %v", n, free, err)
		}
		if files, _ := mpd.Files(dir); len(files) != 3 {
			t.Errorf("%d slices after the refusal, want the 3 from before", len(files))
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	cfg := Config{Playlists: 1000, Tracks: 2_000_000, Seed: 1, ZipfS: 1.2, ZipfV: 300}
	dir := b.TempDir()
	b.ReportAllocs()
	var bytes int64
	for b.Loop() {
		st, err := Generate(cfg, dir, nil)
		if err != nil {
			b.Fatal(err)
		}
		bytes = st.Bytes
	}
	b.SetBytes(bytes)
}

// Count draws what Generate writes: the same occurrences, distinct tracks
// and tracks seen at least twice as the text corpus holds.
func TestCount(t *testing.T) {
	_, text := generate(t, small)
	counts := map[string]int{}
	occ := 0
	for _, id := range strings.Fields(string(text)) {
		counts[id]++
		occ++
	}
	twice, twiceOcc := 0, 0
	for _, n := range counts {
		if n >= 2 {
			twice++
			twiceOcc += n
		}
	}
	c, err := Count(small, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := Counts{Playlists: small.Playlists, Occurrences: occ, Distinct: len(counts), Vocab: twice, VocabOccurrences: twiceOcc}
	if c != want {
		t.Errorf("Count %+v, the written corpus %+v", c, want)
	}
}
