package idlist

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
)

func readFile(t testing.TB, path string) (*features.Dataset, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Read(f, path)
}

// entry is what a test expects of one playlist entry.
type entry struct {
	id, artist, name string
	dur              int
}

func entries(pl *features.Playlist) []entry {
	var out []entry
	for _, t := range pl.Tracks {
		out = append(out, entry{t.ID, t.Artist(), t.Name, t.DurationMS})
	}
	return out
}

func TestReadFiles(t *testing.T) {
	for _, tc := range []struct {
		path     string
		name     string
		want     []entry
		tracks   int
		warnings int
	}{
		{"testdata/roadtrip.txt", "roadtrip", []entry{
			{"6f807x0ima9a1j3VPbc7VN", "", "", -1},
			{"0r7CVbZTWZgbTCYdfa2P31", "", "", -1},
			{"1XGmzt0PVuFgQYYnV2It7A", "", "", -1},
			{"0FDzzruyVECATHXKHFs9eJ", "", "", -1},
			{"6f807x0ima9a1j3VPbc7VN", "", "", -1},
		}, 4, 1},
		{"testdata/windows.txt", "windows", []entry{
			{"57bgtoPSgt236HzfBOd8kj", "", "", -1},
			{"08mG3Y1vljYA6bvDt4Wqkj", "", "", -1},
		}, 2, 0},
		{"testdata/disco.m3u8", "disco", []entry{
			{"6f807x0ima9a1j3VPbc7VN", "Ed Sheeran", "I Don't Care (with Justin Bieber) - Loud Luxury Remix", 195000},
			{"0r7CVbZTWZgbTCYdfa2P31", "Maroon 5", "Memories - Dillon Francis Remix", 163000},
			{"6I9VzXrHxO9rA9A5euc8Ak", "Britney Spears", "Toxic", 199000},
			{"5hVghJ4KaYES3BFUATCYn0", "Tyler, The Creator", "EARFQUAKE", -1},
		}, 4, 0},
	} {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			ds, err := readFile(t, tc.path)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds.Playlists) != 1 {
				t.Fatalf("%d playlists, want 1", len(ds.Playlists))
			}
			pl := ds.Playlists[0]
			if pl.Name != tc.name || pl.ID != filepath.Base(tc.path) {
				t.Errorf("playlist (%q, %q), want (%q, %q)", pl.ID, pl.Name, filepath.Base(tc.path), tc.name)
			}
			if got := entries(pl); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("entries =\n%+v\nwant\n%+v", got, tc.want)
			}
			rep := ds.Report
			if ds.Catalog.Len() != tc.tracks || rep.Tracks != tc.tracks || rep.Rows != len(tc.want) || rep.Playlists != 1 ||
				rep.MissingFeatures != tc.tracks || rep.UnknownKey != tc.tracks || rep.UnknownTempo != tc.tracks ||
				len(rep.Warnings) != tc.warnings {
				t.Errorf("catalog %d tracks, report %+v", ds.Catalog.Len(), rep)
			}
			for _, tr := range ds.Catalog.Tracks {
				if tr.HasFeatures || tr.Key != -1 || tr.Mode != -1 || tr.Tempo != 0 || tr.Popularity != -1 ||
					!math.IsNaN(tr.Features[features.Valence]) || !strings.HasPrefix(tr.From.Meta, "idlist:"+tc.path+":") {
					t.Errorf("track %+v: want no features and idlist provenance", *tr)
				}
			}
		})
	}
}

func TestDuplicates(t *testing.T) {
	ds, err := readFile(t, "testdata/roadtrip.txt")
	if err != nil {
		t.Fatal(err)
	}
	pl := ds.Playlists[0]
	if pl.Tracks[0] != pl.Tracks[4] {
		t.Error("a repeated id gives two catalog tracks")
	}
	if got := pl.Tracks[0].From.Meta; got != "idlist:testdata/roadtrip.txt:4" {
		t.Errorf("provenance %q, want the first listing's line 4", got)
	}
	if w := ds.Report.Warnings; len(w) != 1 || !strings.Contains(w[0], "roadtrip.txt:10: track 6f807x0ima9a1j3VPbc7VN repeats line 4") {
		t.Errorf("warnings = %q", w)
	}
	// A later listing with other metadata does not change the first.
	in := "#EXTINF:10,A - One\n" + id1 + "\n#EXTINF:20,B - Two\n" + id1 + "\n"
	ds, err = Read(strings.NewReader(in), "d.m3u")
	if err != nil {
		t.Fatal(err)
	}
	want := []entry{{id1, "A", "One", 10000}, {id1, "A", "One", 10000}}
	if got := entries(ds.Playlists[0]); !reflect.DeepEqual(got, want) {
		t.Errorf("entries = %+v, want %+v", got, want)
	}
	if w := ds.Report.Warnings; len(w) != 2 || !strings.Contains(w[1], `is "B - Two" here but "A - One" on line 2; first kept`) {
		t.Errorf("warnings = %q", w)
	}
}

const (
	id1 = "6I9VzXrHxO9rA9A5euc8Ak"
	id2 = "49FYlytm3dAAraYgpoJZux"
)

func TestReadLines(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want []entry
	}{
		{"empty", "", nil},
		{"only comments", "#EXTM3U\n# nothing\n\n", nil},
		{"no final newline", id1, []entry{{id1, "", "", -1}}},
		{"uppercase URI", "SPOTIFY:TRACK:" + id1, []entry{{id1, "", "", -1}}},
		{"URL with fragment", "http://open.spotify.com/track/" + id1 + "#x", []entry{{id1, "", "", -1}}},
		{"embed URL", "https://open.spotify.com/embed/track/" + id1, []entry{{id1, "", "", -1}}},
		{"tabs and CR", "\t" + id1 + "\t\r\n", []entry{{id1, "", "", -1}}},
		{"hint skips comments", "#EXTINF:1,A - T\n# note\n\n" + id1 + "\n" + id2, []entry{{id1, "A", "T", 1000}, {id2, "", "", -1}}},
		{"later hint wins", "#EXTINF:1,A - T\n#EXTINF:2,B - U\n" + id1, []entry{{id1, "B", "U", 2000}}},
		{"title only", "#EXTINF:3,Just A Title\n" + id1, []entry{{id1, "", "Just A Title", 3000}}},
		{"first dash splits", "#EXTINF:3,A - B - C\n" + id1, []entry{{id1, "A", "B - C", 3000}}},
		{"artist only", "#EXTINF:3,A - \n" + id1, []entry{{id1, "A", "", 3000}}},
		{"empty artist", "#EXTINF:3, - B - C\n" + id1, []entry{{id1, "", "B - C", 3000}}},
		{"hyphen without spaces", "#EXTINF:3,Jay-Z\n" + id1, []entry{{id1, "", "Jay-Z", 3000}}},
		{"comma in artist", "#EXTINF:3,Tyler, The Creator - See You Again\n" + id1, []entry{{id1, "Tyler, The Creator", "See You Again", 3000}}},
		{"fractional seconds", "#EXTINF:3.25,A - T\n" + id1, []entry{{id1, "A", "T", 3250}}},
		{"attributes", `#EXTINF:-1 tvg-id="x",A - T` + "\n" + id1, []entry{{id1, "A", "T", -1}}},
		{"bad seconds", "#EXTINF:abc,A - T\n" + id1, []entry{{id1, "A", "T", -1}}},
		{"NaN seconds", "#EXTINF:NaN,A - T\n" + id1, []entry{{id1, "A", "T", -1}}},
		{"absurd seconds", "#EXTINF:1e12,A - T\n" + id1, []entry{{id1, "A", "T", -1}}},
		{"no comma", "#EXTINF:42\n" + id1, []entry{{id1, "", "", 42000}}},
		{"lowercase tag", "#extinf:5,A - T\n" + id1, []entry{{id1, "A", "T", 5000}}},
		{"BOM before EXTM3U", "\uFEFF#EXTM3U\r\n#EXTINF:5,A - T\r\n" + id1 + "\r\n", []entry{{id1, "A", "T", 5000}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := Read(strings.NewReader(tc.in), "x.txt")
			if err != nil {
				t.Fatal(err)
			}
			if got := entries(ds.Playlists[0]); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("entries = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	long := strings.Repeat("x", 100)
	for _, tc := range []struct {
		name string
		in   string
		line int
		msg  string
	}{
		{"word", id1 + "\nhello\n", 2, `x.txt:2: not a Spotify track id, URI or URL: "hello"`},
		{"album URI", "\n\nspotify:album:" + id1, 3, `x.txt:3: not a Spotify track id, URI or URL: "spotify:album:` + id1 + `"`},
		{"short id", "6I9VzXrHxO9rA9A5euc8A", 1, `x.txt:1: not a Spotify`},
		{"id with comment", id1 + " # great", 1, `x.txt:1: not a Spotify`},
		{"long line cut", long, 1, `"` + strings.Repeat("x", 60) + `"...`},
		{"playlist URL", "https://open.spotify.com/playlist/37i9dQZF1DXcZDD7cfEKhW", 1, "not a Spotify track"},
		{"local file in M3U", "", 5, `local.m3u:5: not a Spotify track id, URI or URL: "/home/me/Music/demo.mp3"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.in == "" {
				_, err = readFile(t, "testdata/local.m3u")
			} else {
				_, err = Read(strings.NewReader(tc.in), "x.txt")
			}
			var pe *features.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v (%T), want *features.ParseError", err, err)
			}
			if pe.Line != tc.line || pe.Column != 0 || !errors.Is(err, ErrNotTrack) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %q (line %d, column %d), want line %d, no column (the whole line), containing %q", err, pe.Line, pe.Column, tc.line, tc.msg)
			}
		})
	}
}

type failReader struct{}

func (failReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestReadIOError(t *testing.T) {
	_, err := Read(failReader{}, "x.txt")
	if err == nil || err.Error() != "idlist: x.txt: disk on fire" {
		t.Errorf("err = %v", err)
	}
}

func TestWrite(t *testing.T) {
	tr := func(id, artist, name string, dur int) *features.Track {
		t := &features.Track{ID: id, Name: name, DurationMS: dur}
		if artist != "" {
			t.Artists = strings.Split(artist, ";")
		}
		return t
	}
	for _, tc := range []struct {
		name   string
		tracks []*features.Track
		want   string
	}{
		{"empty", nil, ""},
		{"plain", []*features.Track{tr(id1, "", "", -1), tr(id2, "", "", -1)},
			"spotify:track:" + id1 + "\nspotify:track:" + id2 + "\n"},
		{"m3u", []*features.Track{tr(id1, "Britney Spears", "Toxic", 198800), tr(id2, "", "", -1)},
			"#EXTM3U\n#EXTINF:198.8,Britney Spears - Toxic\nspotify:track:" + id1 + "\n#EXTINF:-1,\nspotify:track:" + id2 + "\n"},
		{"duration only", []*features.Track{tr(id1, "", "", 60000)}, "#EXTM3U\n#EXTINF:60,\nspotify:track:" + id1 + "\n"},
		{"several artists", []*features.Track{tr(id1, "A;B", "T", -1)}, "#EXTM3U\n#EXTINF:-1,A, B - T\nspotify:track:" + id1 + "\n"},
		{"dash in title, no artist", []*features.Track{tr(id1, "", "B - C", -1)}, "#EXTM3U\n#EXTINF:-1, - B - C\nspotify:track:" + id1 + "\n"},
		{"line breaks", []*features.Track{tr(id1, "A", "x\ny\r\nz", -1)}, "#EXTM3U\n#EXTINF:-1,A - x y z\nspotify:track:" + id1 + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, &features.Playlist{Tracks: tc.tracks}); err != nil {
				t.Fatal(err)
			}
			if buf.String() != tc.want {
				t.Errorf("Write =\n%q\nwant\n%q", buf.String(), tc.want)
			}
		})
	}
	err := Write(io.Discard, &features.Playlist{Tracks: []*features.Track{{ID: "spotify:track:" + id1}}})
	if err == nil || !strings.Contains(err.Error(), "is not a Spotify track id") {
		t.Errorf("Write of a URI as id: err = %v", err)
	}
}

func TestRoundTripFiles(t *testing.T) {
	for _, path := range []string{"testdata/roadtrip.txt", "testdata/windows.txt", "testdata/disco.m3u8"} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			ds, err := readFile(t, path)
			if err != nil {
				t.Fatal(err)
			}
			if err := roundTrip(ds, path); err != nil {
				t.Error(err)
			}
		})
	}
}

// roundTrip writes ds's playlist, reads it back under the same name and
// reports any difference.
func roundTrip(ds *features.Dataset, name string) error {
	var buf bytes.Buffer
	if err := Write(&buf, ds.Playlists[0]); err != nil {
		return fmt.Errorf("Write: %w", err)
	}
	ds2, err := Read(bytes.NewReader(buf.Bytes()), name)
	if err != nil {
		return fmt.Errorf("re-reading %q: %w", buf.String(), err)
	}
	p, q := ds.Playlists[0], ds2.Playlists[0]
	if p.ID != q.ID || p.Name != q.Name {
		return fmt.Errorf("playlist (%q, %q) read back as (%q, %q)", p.ID, p.Name, q.ID, q.Name)
	}
	if a, b := entries(p), entries(q); !reflect.DeepEqual(a, b) {
		return fmt.Errorf("entries %+v read back as %+v from\n%s", a, b, buf.Bytes())
	}
	if ds.Catalog.Len() != ds2.Catalog.Len() {
		return fmt.Errorf("catalog of %d tracks read back with %d", ds.Catalog.Len(), ds2.Catalog.Len())
	}
	for i, t := range ds.Catalog.Tracks {
		if u := ds2.Catalog.Tracks[i]; t.ID != u.ID {
			return fmt.Errorf("catalog track %d: %s read back as %s", i, t.ID, u.ID)
		}
	}
	return nil
}

func FuzzRead(f *testing.F) {
	for _, path := range []string{"testdata/roadtrip.txt", "testdata/windows.txt", "testdata/disco.m3u8", "testdata/local.m3u"} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("#EXTINF:3, - B - C\n" + id1 + "\n#EXTINF:1.5,A - \r\n" + id2 + "\n#EXTINF:7,x -\t - y\n" + id1))
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := Read(bytes.NewReader(data), "fuzz.m3u8")
		if err != nil {
			var pe *features.ParseError
			if !errors.As(err, &pe) || pe.File != "fuzz.m3u8" || pe.Line < 1 || pe.Column != 0 {
				t.Fatalf("err = %v (%T), want a ParseError", err, err)
			}
			return
		}
		if err := roundTrip(ds, "fuzz.m3u8"); err != nil {
			t.Fatal(err)
		}
	})
}

// BenchmarkRead reads a 10,000-line M3U8 list.
func BenchmarkRead(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("#EXTM3U\n")
	for i := range 10000 {
		fmt.Fprintf(&buf, "#EXTINF:%d,Artist %d - Title %d\nspotify:track:%s\n", 180+i%60, i%97, i, genID(i%5000))
	}
	data := buf.Bytes()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Read(bytes.NewReader(data), "bench.m3u8"); err != nil {
			b.Fatal(err)
		}
	}
}

// genID returns a 22-character base-62 id for n.
func genID(n int) string {
	const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var b [22]byte
	for i := range b {
		b[len(b)-1-i] = base62[n%62]
		n /= 62
	}
	return string(b[:])
}
