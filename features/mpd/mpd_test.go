package mpd

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
)

var regen = flag.Bool("regen", false, "rewrite golden files under testdata")

const sliceFile = "testdata/mpd.slice.0-2.json"

func readFile(t testing.TB, path string) *features.Dataset {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ds, err := Read(f, filepath.Base(path))
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// excerptCatalog builds a catalog with audio features from the rows of
// spotify_songs.csv copied to testdata.
func excerptCatalog(t testing.TB) *features.Catalog {
	t.Helper()
	f, err := os.Open("testdata/spotify_songs_excerpt.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	num := func(r []string, name string) float64 {
		v, err := strconv.ParseFloat(r[col[name]], 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cat := &features.Catalog{}
	for _, r := range recs[1:] {
		tr := &features.Track{
			ID: r[col["track_id"]], Name: r[col["track_name"]],
			Artists: []string{r[col["track_artist"]]}, Album: r[col["track_album_name"]],
			DurationMS: int(num(r, "duration_ms")), Popularity: int(num(r, "track_popularity")),
			Key: int(num(r, "key")), Mode: int(num(r, "mode")), Tempo: num(r, "tempo"),
			HasFeatures: true, From: features.Provenance{Meta: "csv", Features: "csv"},
		}
		for i, name := range features.AbstractNames {
			tr.Features[i] = num(r, name)
		}
		cat.Add(tr)
	}
	return cat
}

func TestReadSlice(t *testing.T) {
	ds := readFile(t, sliceFile)
	want := []struct {
		id, name string
		n        int
	}{{"0", "Throwbacks", 6}, {"1", "Rock Classics", 5}, {"2", "summer \u2600", 6}}
	if len(ds.Playlists) != len(want) {
		t.Fatalf("%d playlists, want %d", len(ds.Playlists), len(want))
	}
	for i, w := range want {
		pl := ds.Playlists[i]
		if pl.ID != w.id || pl.Name != w.name || pl.Len() != w.n {
			t.Errorf("playlist %d = (%q, %q, %d tracks), want (%q, %q, %d)", i, pl.ID, pl.Name, pl.Len(), w.id, w.name, w.n)
		}
	}
	first := ds.Playlists[0].Tracks[0]
	wantFirst := features.Track{
		ID: "0UaMYEvWZi0ZqiDOoHU3YI", Name: "Lose Control (feat. Ciara & Fat Man Scoop)",
		Artists: []string{"Missy Elliott"}, Album: "The Cookbook", DurationMS: 226863,
		Popularity: -1, Key: -1, Mode: -1, Features: features.NoFeatures,
		From: features.Provenance{Meta: "mpd:mpd.slice.0-2.json"},
	}
	if !sameMeta(first, &wantFirst) || first.Key != -1 || first.Mode != -1 || first.Tempo != 0 ||
		first.HasFeatures || !math.IsNaN(first.Features[features.Energy]) || first.From != wantFirst.From {
		t.Errorf("first track = %+v\nwant %+v", *first, wantFirst)
	}
	// pid 2 holds "bad guy" at pos 1 and 5: one catalog track, two entries.
	p2 := ds.Playlists[2]
	if p2.Tracks[1] != p2.Tracks[5] || p2.Tracks[1].ID != "2Fxmhks0bxGSBdJ92vM42m" {
		t.Errorf("pid 2 pos 1 and 5 = %v, %v, want the same catalog track", p2.Tracks[1], p2.Tracks[5])
	}
	if ds.Catalog.Get("2Fxmhks0bxGSBdJ92vM42m") != p2.Tracks[1] {
		t.Error("playlist track does not point into the catalog")
	}
	rep := ds.Report
	if rep.Rows != 17 || rep.Tracks != 16 || rep.Playlists != 3 || rep.MissingFeatures != 16 ||
		rep.UnknownKey != 16 || rep.UnknownTempo != 16 || len(rep.Warnings) != 0 {
		t.Errorf("report = %+v", rep)
	}
}

func sameMeta(a, b *features.Track) bool {
	return a.ID == b.ID && a.Name == b.Name && reflect.DeepEqual(a.Artists, b.Artists) &&
		a.Album == b.Album && a.DurationMS == b.DurationMS && a.Popularity == b.Popularity
}

func TestJoin(t *testing.T) {
	ds := readFile(t, sliceFile)
	cat := excerptCatalog(t)
	if cat.Len() != 15 {
		t.Fatalf("excerpt catalog has %d tracks, want 15", cat.Len())
	}
	cov := Join(ds, cat)
	want := Coverage{Tracks: 16, Covered: 15, Entries: 17, CoveredEntries: 16, Playlists: 3, FullyCovered: 2}
	if cov != want {
		t.Errorf("coverage = %+v, want %+v", cov, want)
	}
	const wantS = "15 of 16 tracks (93.8%) have audio features (16 of 17 playlist entries, 94.1%); 2 of 3 playlists fully covered"
	if s := cov.String(); s != wantS {
		t.Errorf("String() = %q, want %q", s, wantS)
	}
	toxic := ds.Playlists[0].Tracks[1]
	if toxic != cat.Get("6I9VzXrHxO9rA9A5euc8Ak") || !toxic.HasFeatures || toxic.Key != 5 || toxic.Tempo != 143.04 {
		t.Errorf("Toxic after join = %+v, want the catalog's track", toxic)
	}
	lose := ds.Playlists[0].Tracks[0]
	if lose.HasFeatures || lose.From.Meta != "mpd:mpd.slice.0-2.json" {
		t.Errorf("Lose Control after join = %+v, want the MPD track", lose)
	}
	if ds.Catalog.Len() != 16 || ds.Catalog.Get(toxic.ID) != toxic || ds.Catalog.Get(lose.ID) != lose {
		t.Error("dataset catalog not rebuilt from the joined tracks")
	}
	p2 := ds.Playlists[2]
	if p2.Tracks[1] != p2.Tracks[5] || !p2.Tracks[5].HasFeatures {
		t.Error("repeated track not joined in both entries")
	}
	// Joining again changes nothing.
	if again := Join(ds, cat); again != want {
		t.Errorf("second join = %+v, want %+v", again, want)
	}
}

func TestJoinPlaylist(t *testing.T) {
	ds := readFile(t, sliceFile)
	cat := excerptCatalog(t)
	for i, want := range []int{5, 5, 6} {
		if got := JoinPlaylist(ds.Playlists[i], cat); got != want {
			t.Errorf("playlist %d: %d covered, want %d", i, got, want)
		}
	}
	if got := JoinPlaylist(ds.Playlists[0], nil); got != 5 {
		t.Errorf("nil catalog: %d covered, want 5 (already joined)", got)
	}
}

func TestCoverageString(t *testing.T) {
	for _, tc := range []struct {
		c    Coverage
		want string
	}{
		{Coverage{}, "0 of 0 tracks (0.0%) have audio features (0 of 0 playlist entries, 0.0%); 0 of 0 playlists fully covered"},
		{Coverage{12345, 67890, 1234567, 40000, 100000, 3}, "67,890 of 12,345 tracks (549.9%) have audio features (40,000 of 1,234,567 playlist entries, 3.2%); 3 of 100,000 playlists fully covered"},
		{Coverage{Tracks: 67890, Covered: 12345, Entries: 999, CoveredEntries: 999, Playlists: 1000, FullyCovered: 3},
			"12,345 of 67,890 tracks (18.2%) have audio features (999 of 999 playlist entries, 100.0%); 3 of 1,000 playlists fully covered"},
	} {
		if got := tc.c.String(); got != tc.want {
			t.Errorf("%+v.String() =\n%q, want\n%q", tc.c, got, tc.want)
		}
	}
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {-1234567, "-1,234,567"}, {100000, "100,000"}} {
		if got := thousands(tc.n); got != tc.want {
			t.Errorf("thousands(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestOutOfOrderPos(t *testing.T) {
	ds := readFile(t, "testdata/out_of_order.json")
	pl := ds.Playlists[0]
	var got []string
	for _, tr := range pl.Tracks {
		got = append(got, tr.Name)
	}
	want := []string{"Thunderstruck", "Back In Black", "Don't Stop Me Now - 2011 Mix"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order = %q, want %q", got, want)
	}
	if len(ds.Report.Warnings) != 1 || !strings.Contains(ds.Report.Warnings[0], "pid 41: tracks sorted by pos") {
		t.Errorf("warnings = %q", ds.Report.Warnings)
	}
}

// track returns one compact MPD track object.
func trackJSON(pos int, id string) string {
	return fmt.Sprintf(`{"pos": %d, "artist_name": "A", "track_uri": "spotify:track:%s", "artist_uri": "", "track_name": "T%d", "album_uri": "", "duration_ms": 1000, "album_name": "B"}`, pos, id, pos)
}

const (
	id1 = "6I9VzXrHxO9rA9A5euc8Ak"
	id2 = "49FYlytm3dAAraYgpoJZux"
)

func TestReadErrors(t *testing.T) {
	good := `{"info": {}, "playlists": [{"name": "p", "pid": 7, "tracks": [` + trackJSON(0, id1) + `]}]}`
	if _, err := Read(strings.NewReader(good), "x.json"); err != nil {
		t.Fatalf("good input: %v", err)
	}
	truncAt := strings.Index(good, `"track_name"`)
	badTrack := `{"playlists": [{"pid": 7, "tracks": [{"pos": 0, "track_uri": x}]}]}`
	for _, tc := range []struct {
		name   string
		in     string
		offset int64
		pid    int
		msg    string // substring of the error
	}{
		{"empty", "", 0, -1, "unexpected end of input"},
		{"not an object", `[]`, 0, -1, `want "{", got [`},
		{"no playlists", `{"info": {"slice": "0-999"}}`, 27, -1, `no "playlists" array`},
		{"playlists not an array", `{"playlists": {}}`, 14, -1, `want "[", got {`},
		{"truncated in a track", good[:truncAt], int64(truncAt), 7, "unexpected end of input"},
		{"truncated after a playlist", good[:strings.LastIndex(good, "]")], int64(strings.LastIndex(good, "]")), -1, "unexpected end of input"},
		{"syntax error in a track", badTrack, int64(strings.Index(badTrack, `[{"pos"`) + 1), 7, "track 0: invalid character 'x'"},
		{"type error in a track", `{"playlists": [{"pid": 7, "tracks": [{"pos": "0"}]}]}`, 37, 7, `track 0: pos: want int, got JSON string`},
		{"no pos", `{"playlists": [{"pid": 7, "tracks": [{"track_uri": "` + id1 + `"}]}]}`, 37, 7, `track 0: no "pos"`},
		{"negative pos", `{"playlists": [{"pid": 7, "tracks": [` + trackJSON(-1, id1) + `]}]}`, 37, 7, `pos -1 is negative`},
		{"duplicate pos", `{"playlists": [{"pid": 7, "tracks": [` + trackJSON(1, id1) + `, ` + trackJSON(0, id2) + `, ` + trackJSON(1, id2) + `]}]}`, 36, 7, "pos 1 appears twice"},
		{"album uri", `{"playlists": [{"pid": 7, "tracks": [{"pos": 0, "track_uri": "spotify:album:` + id1 + `"}]}]}`, 37, 7, "is not a Spotify track"},
		{"pid a string", `{"playlists": [{"pid": "7", "tracks": []}]}`, 23, -1, `pid: want a number, got "7"`},
		{"pid fractional", `{"playlists": [{"pid": 7.5, "tracks": []}]}`, 23, -1, `pid: want a non-negative integer, got 7.5`},
		{"pid negative", `{"playlists": [{"pid": -7, "tracks": []}]}`, 23, -1, `want a non-negative integer, got -7`},
		{"no pid", `{"playlists": [{"name": "p", "tracks": []}]}`, 15, -1, `playlist without "pid"`},
		{"no tracks", `{"playlists": [{"name": "p", "pid": 3}]}`, 15, 3, `playlist without "tracks"`},
		{"duplicate tracks", `{"playlists": [{"pid": 3, "tracks": [], "tracks": []}]}`, 40, 3, `duplicate key "tracks"`},
		{"duplicate pid", `{"playlists": [{"pid": 3, "pid": 4, "tracks": []}]}`, 26, 3, `duplicate key "pid"`},
		{"name a number", `{"playlists": [{"pid": 3, "name": 5, "tracks": []}]}`, 34, 3, `name: want a string, got 5`},
		{"missing comma", `{"playlists": [{"pid": 3, "tracks": []} {"pid": 4, "tracks": []}]}`, 40, -1, `after array element`},
		{"data after the document", `{"playlists": []} {}`, 18, -1, "data after the end of the document"},
		{"duplicate playlists", `{"playlists": [], "playlists": []}`, 18, -1, `duplicate key "playlists"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.in), "x.json")
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if e.File != "x.json" || e.Offset != tc.offset || e.PID != tc.pid || !strings.Contains(e.Error(), tc.msg) {
				t.Errorf("err = %q (offset %d, pid %d), want offset %d, pid %d, containing %q", err, e.Offset, e.PID, tc.offset, tc.pid, tc.msg)
			}
			if !strings.HasPrefix(err.Error(), "mpd: x.json: byte ") {
				t.Errorf("err = %q, want prefix %q", err, "mpd: x.json: byte ")
			}
		})
	}
}

func TestUnknownKeysSkipped(t *testing.T) {
	in := `{"extra": [1, {"a": [2, 3]}], "playlists": [{"pid": 1, "description": "d", "odd": {"x": [[]]}, "tracks": [` +
		trackJSON(0, id1) + `], "name": null}], "more": {"y": 1}}`
	ds, err := Read(strings.NewReader(in), "x.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Playlists) != 1 || ds.Playlists[0].ID != "1" || ds.Playlists[0].Name != "" || ds.Playlists[0].Len() != 1 {
		t.Errorf("playlists = %+v", ds.Playlists)
	}
}

func TestReadWarningsAndDuplicates(t *testing.T) {
	in := `{"playlists": [` +
		`{"pid": 1, "num_tracks": 3, "tracks": [` + trackJSON(0, id1) + `, ` + trackJSON(2, id2) + `]},` +
		`{"pid": 1, "tracks": []},` +
		`{"pid": 2, "tracks": [{"pos": 0, "track_uri": "` + id1 + `", "track_name": "other"}]}]}`
	ds, err := Read(strings.NewReader(in), "w.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Playlists) != 2 || ds.Report.DuplicatePlaylists != 1 || ds.Report.Playlists != 2 {
		t.Errorf("playlists %d, report %+v", len(ds.Playlists), ds.Report)
	}
	// The first occurrence's metadata is kept.
	if got := ds.Playlists[1].Tracks[0]; got != ds.Playlists[0].Tracks[0] || got.Name != "T0" || got.DurationMS != 1000 {
		t.Errorf("pid 2 track = %+v, want the first one read", got)
	}
	wantW := []string{"pos values are not 0..1", "num_tracks 3, but 2 tracks", "repeated playlist dropped", `is "other" here but "A - T0" before`}
	if len(ds.Report.Warnings) != len(wantW) {
		t.Fatalf("warnings = %q", ds.Report.Warnings)
	}
	for i, w := range wantW {
		if !strings.Contains(ds.Report.Warnings[i], w) {
			t.Errorf("warning %d = %q, want it to contain %q", i, ds.Report.Warnings[i], w)
		}
	}
}

func TestDurationUnknown(t *testing.T) {
	in := `{"playlists": [{"pid": 1, "tracks": [{"pos": 0, "track_uri": "` + id1 + `"}, {"pos": 1, "track_uri": "` + id2 + `", "duration_ms": -5}]}]}`
	ds, err := Read(strings.NewReader(in), "d.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range ds.Playlists[0].Tracks {
		if tr.DurationMS != -1 || tr.Artists != nil {
			t.Errorf("track %s: duration %d, artists %q; want -1, nil", tr.ID, tr.DurationMS, tr.Artists)
		}
	}
}

func TestStreamStopsOnFnError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := Stream(strings.NewReader(`{"playlists": [{"pid": 1, "tracks": []}, {"pid": 2, "tracks": []}, {"pid": 3}]}`), "s.json",
		func(*features.Playlist) error {
			n++
			if n == 2 {
				return stop
			}
			return nil
		})
	if err != stop || n != 2 {
		t.Errorf("err = %v after %d playlists, want stop after 2", err, n)
	}
}

func TestDecoderNextAfterEnd(t *testing.T) {
	d := NewDecoder(strings.NewReader(`{"playlists": [{"pid": 1, "tracks": []}]}`), "n.json")
	if pl, err := d.Next(); err != nil || pl.ID != "1" {
		t.Fatalf("Next = %v, %v", pl, err)
	}
	for range 2 {
		if pl, err := d.Next(); err != io.EOF || pl != nil {
			t.Fatalf("Next at end = %v, %v; want nil, io.EOF", pl, err)
		}
	}
	bad := NewDecoder(strings.NewReader(`{"playlists": [{]}`), "n.json")
	_, err1 := bad.Next()
	_, err2 := bad.Next()
	if err1 == nil || err1 != err2 {
		t.Errorf("errors %v, %v; want the same error twice", err1, err2)
	}
}

// generator is an io.Reader producing an MPD slice of n playlists of k
// tracks each, made on demand: at most one playlist's JSON exists at a time.
type generator struct {
	n, k, i int
	buf     []byte
	state   int // 0 header, 1 playlists, 2 footer written
	size    int64
}

func (g *generator) Read(p []byte) (int, error) {
	for len(g.buf) == 0 {
		switch {
		case g.state == 0:
			g.buf = append(g.buf, `{"info": {"generated_on": "now", "slice": "generated", "version": "v1"}, "playlists": [`...)
			g.state = 1
		case g.state == 1 && g.i < g.n:
			if g.i > 0 {
				g.buf = append(g.buf, ", "...)
			}
			g.buf = appendPlaylist(g.buf, g.i, g.k)
			g.i++
		case g.state == 1:
			g.buf = append(g.buf, "]}\n"...)
			g.state = 2
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, g.buf)
	g.buf = g.buf[:copy(g.buf, g.buf[n:])]
	g.size += int64(n)
	return n, nil
}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// genID returns a 22-character base-62 id for n.
func genID(n int) string {
	var b [22]byte
	for i := range b {
		b[len(b)-1-i] = base62[n%62]
		n /= 62
	}
	return string(b[:])
}

func appendPlaylist(b []byte, pid, k int) []byte {
	b = fmt.Appendf(b, `{"name": "generated %d", "collaborative": "false", "pid": %d, "modified_at": 1500000000, "num_tracks": %d, "num_albums": %d, "num_followers": 1, "tracks": [`, pid, pid, k, k)
	for j := range k {
		if j > 0 {
			b = append(b, ", "...)
		}
		id := genID((pid*7 + j*13) % 100000)
		b = fmt.Appendf(b, `{"pos": %d, "artist_name": "Artist %d", "track_uri": "spotify:track:%s", "artist_uri": "spotify:artist:%s", "track_name": "Track %d of playlist %d", "album_uri": "spotify:album:%s", "duration_ms": %d, "album_name": "Album %d"}`,
			j, j%5, id, genID(j), j, pid, id, 180000+j, j)
	}
	return fmt.Appendf(b, `], "num_edits": 1, "duration_ms": %d, "num_artists": %d}`, k*180000, min(k, 5))
}

// TestStreamBoundedMemory streams a generated slice much larger than what
// the live heap may grow by, and checks the live heap (measured after a GC)
// stays small: a reader that held the input or all playlists would fail.
func TestStreamBoundedMemory(t *testing.T) {
	n, k := 20000, 5 // 33 MB, the size of a real slice
	if raceEnabled {
		k = 2 // 14 MB
	}
	g := &generator{n: n, k: k}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak uint64
	count, entries := 0, 0
	err := Stream(g, "generated.json", func(pl *features.Playlist) error {
		if pl.ID != strconv.Itoa(count) || pl.Len() != k {
			return fmt.Errorf("playlist %d: id %s, %d tracks", count, pl.ID, pl.Len())
		}
		count++
		entries += pl.Len()
		if count%2000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count != n || entries != n*k {
		t.Fatalf("read %d playlists, %d entries; want %d, %d", count, entries, n, n*k)
	}
	growth := int64(peak) - int64(base)
	t.Logf("input %.1f MB, live heap growth %.0f KB", float64(g.size)/1e6, float64(growth)/1e3)
	if g.size < 10e6 {
		t.Fatalf("generated only %d bytes", g.size)
	}
	if limit := g.size / 20; growth > limit {
		t.Errorf("live heap grew by %d bytes while streaming %d bytes (limit %d)", growth, g.size, limit)
	}
}

func TestWriteRoundTrip(t *testing.T) {
	for _, path := range []string{sliceFile, "testdata/out_of_order.json"} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			ds := readFile(t, path)
			var buf bytes.Buffer
			if err := Write(&buf, ds); err != nil {
				t.Fatal(err)
			}
			ds2, err := Read(&buf, filepath.Base(path))
			if err != nil {
				t.Fatalf("re-reading: %v", err)
			}
			if err := equal(ds, ds2); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestWriteGolden(t *testing.T) {
	ds := readFile(t, sliceFile)
	var buf bytes.Buffer
	if err := Write(&buf, ds); err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/write.golden.json"
	if *regen {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("Write output differs from %s (run with -regen after checking):\n%s", golden, buf.Bytes())
	}
}

func TestWritePIDs(t *testing.T) {
	tr := &features.Track{ID: id1, DurationMS: -1}
	for _, tc := range []struct {
		ids  []string
		want []string
	}{
		{[]string{"5", "3"}, []string{"5", "3"}},
		{[]string{"5", "5"}, []string{"0", "1"}},
		{[]string{"5", "37i9dQZF1DXcZDD7cfEKhW"}, []string{"0", "1"}},
		{[]string{"05", "3"}, []string{"0", "1"}},
	} {
		ds := &features.Dataset{}
		for _, id := range tc.ids {
			ds.Playlists = append(ds.Playlists, &features.Playlist{ID: id, Tracks: []*features.Track{tr}})
		}
		var buf bytes.Buffer
		if err := Write(&buf, ds); err != nil {
			t.Fatal(err)
		}
		var got []string
		if err := Stream(&buf, "p.json", func(pl *features.Playlist) error {
			got = append(got, pl.ID)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ids %q written as %q, want %q", tc.ids, got, tc.want)
		}
	}
	bad := &features.Dataset{Playlists: []*features.Playlist{{ID: "1", Tracks: []*features.Track{{ID: "local-1"}}}}}
	if err := Write(io.Discard, bad); err == nil || !strings.Contains(err.Error(), `"local-1" is not a Spotify track id`) {
		t.Errorf("Write with a non-Spotify id: err = %v", err)
	}
}

// equal reports how two datasets read from MPD differ, or nil.
func equal(a, b *features.Dataset) error {
	if a.Catalog.Len() != b.Catalog.Len() {
		return fmt.Errorf("catalogs hold %d and %d tracks", a.Catalog.Len(), b.Catalog.Len())
	}
	for i, t := range a.Catalog.Tracks {
		if !sameMeta(t, b.Catalog.Tracks[i]) {
			return fmt.Errorf("catalog track %d: %+v vs %+v", i, *t, *b.Catalog.Tracks[i])
		}
	}
	if len(a.Playlists) != len(b.Playlists) {
		return fmt.Errorf("%d and %d playlists", len(a.Playlists), len(b.Playlists))
	}
	for i, p := range a.Playlists {
		q := b.Playlists[i]
		if p.ID != q.ID || p.Name != q.Name || p.Len() != q.Len() {
			return fmt.Errorf("playlist %d: (%q, %q, %d) vs (%q, %q, %d)", i, p.ID, p.Name, p.Len(), q.ID, q.Name, q.Len())
		}
		for j, t := range p.Tracks {
			if !sameMeta(t, q.Tracks[j]) {
				return fmt.Errorf("playlist %d track %d: %+v vs %+v", i, j, *t, *q.Tracks[j])
			}
		}
	}
	return nil
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	names := []string{"mpd.slice.10000-10999.json", "mpd.slice.2000-2999.json", "mpd.slice.0-999.json", "mpd.slice.extra.json", "other.json"}
	for i, name := range names {
		doc := fmt.Sprintf(`{"playlists": [{"pid": %d, "tracks": []}]}`, i)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	paths, err := Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range paths {
		got = append(got, filepath.Base(p))
	}
	want := []string{"mpd.slice.0-999.json", "mpd.slice.2000-2999.json", "mpd.slice.10000-10999.json", "mpd.slice.extra.json"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Files = %q, want %q", got, want)
	}
	var pids []string
	if err := StreamDir(dir, func(pl *features.Playlist) error {
		pids = append(pids, pl.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(pids, []string{"2", "1", "0", "3"}) {
		t.Errorf("StreamDir pids = %q, want [2 1 0 3]", pids)
	}
	if err := StreamDir(t.TempDir(), func(*features.Playlist) error { return nil }); err == nil || !strings.Contains(err.Error(), "no mpd.slice.*.json files") {
		t.Errorf("empty dir: err = %v", err)
	}
	// An error names the file.
	if err := os.WriteFile(filepath.Join(dir, "mpd.slice.3000-3999.json"), []byte(`{"playlists": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	err = StreamDir(dir, func(*features.Playlist) error { return nil })
	if err == nil || !strings.HasPrefix(err.Error(), "mpd: mpd.slice.3000-3999.json: byte 15: unexpected end of input") {
		t.Errorf("err = %v", err)
	}
}

func FuzzRead(f *testing.F) {
	// Small seeds: the fuzzer minimises every new input it finds
	// interesting, which takes minutes for inputs the size of a real slice.
	f.Add([]byte(`{"info": {"slice": "0-2", "version": "v1"}, "playlists": [{"name": "Throwbacks", "collaborative": "false", "pid": 0, "modified_at": 1493424000, "num_tracks": 2, "num_albums": 2, "num_followers": 1, "tracks": [` +
		`{"pos": 0, "artist_name": "Missy Elliott", "track_uri": "spotify:track:0UaMYEvWZi0ZqiDOoHU3YI", "artist_uri": "spotify:artist:2wIVse2owClT7go1WT98tk", "track_name": "Lose Control (feat. Ciara & Fat Man Scoop)", "album_uri": "spotify:album:6vV5UrXcfyQD1wu4Qo2I9K", "duration_ms": 226863, "album_name": "The Cookbook"}, ` +
		`{"pos": 1, "artist_name": "Beyonc\u00e9", "track_uri": "spotify:track:` + id1 + `", "track_name": "T", "duration_ms": 1, "album_name": ""}], "num_edits": 6, "duration_ms": 226864, "num_artists": 2, "description": "d"}]}`))
	f.Add([]byte(`{"playlists": [{"pid": 1, "name": "x", "tracks": [` + trackJSON(3, id1) + `, ` + trackJSON(1, id2) + `, ` + trackJSON(2, id1) + `]}]}`))
	f.Add([]byte(`{"playlists": [{"pid": 1, "tracks": [{"pos": 0, "track_uri": "https://open.spotify.com/track/` + id1 + `?si=1", "duration_ms": 99999999999}]}, {"pid": 1, "tracks": []}]}`))
	f.Add([]byte(`{"playlists": [{"pid": 3, "tracks": []} {"pid": 4}]}`))
	f.Add([]byte(`{"info": null, "playlists": []}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := Read(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.File != "fuzz.json" || e.Offset < 0 || e.Offset > int64(len(data)) {
				t.Fatalf("err = %v (%T), want *Error within the input", err, err)
			}
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, ds); err != nil {
			t.Fatalf("Write: %v", err)
		}
		ds2, err := Read(&buf, "fuzz.json")
		if err != nil {
			t.Fatalf("re-reading what Write wrote: %v\n%s", err, buf.Bytes())
		}
		if err := equal(ds, ds2); err != nil {
			t.Fatal(err)
		}
	})
}

func BenchmarkStream(b *testing.B) {
	for _, n := range []int{100, 1000} {
		g := &generator{n: n, k: 66} // 66 tracks: the MPD's mean playlist length
		data, err := io.ReadAll(g)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("playlists=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if err := Stream(bytes.NewReader(data), "bench.json", func(*features.Playlist) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRead(b *testing.B) {
	g := &generator{n: 1000, k: 66}
	data, err := io.ReadAll(g)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Read(bytes.NewReader(data), "bench.json"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestErrorOffsetFarIn checks offsets megabytes into the input, where
// tailReader has dropped most of what it read.
func TestErrorOffsetFarIn(t *testing.T) {
	var b []byte
	b = append(b, `{"playlists": [`...)
	for i := range 1000 {
		b = appendPlaylist(b, i, 5)
		b = append(b, ",\n  "...)
	}
	bad := len(b) + len(`{"pid": 1000, "tracks": [`) + 1
	b = append(b, `{"pid": 1000, "tracks": [ {"pos": 0,, "track_uri": ""}]}]}`...)
	_, err := Read(bytes.NewReader(b), "far.json")
	var e *Error
	if !errors.As(err, &e) || e.Offset != int64(bad) || e.PID != 1000 || !strings.Contains(err.Error(), "invalid character ','") {
		t.Errorf("err = %v, want offset %d (input %d bytes), pid 1000", err, bad, len(b))
	}
}
