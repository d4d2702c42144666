package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/discoflow/disco/selector/app"
)

const seed = "Daft Punk - One More Time"

// embedded is the library on the embedded data, opened once for the tests.
var embedded = sync.OnceValues(func() (*app.Library, error) {
	return app.Open(context.Background(), app.Options{})
})

// newTestServer serves the embedded library with o.
func newTestServer(t *testing.T, o Options) *httptest.Server {
	t.Helper()
	lib, err := embedded()
	if err != nil {
		t.Fatal(err)
	}
	if o.Timeout == 0 {
		// Not the default 10 s: under -race on a shared machine the map's
		// first PCA of 25,816 songs can take longer. TestDeadline sets its own.
		o.Timeout = 3 * time.Minute
	}
	ts := httptest.NewServer(New(t.Context(), lib, o).Handler())
	t.Cleanup(ts.Close)
	return ts
}

// get answers a GET of path, its status and body.
func get(t *testing.T, ts *httptest.Server, path string) (int, []byte) {
	t.Helper()
	return do(t, ts, http.MethodGet, path, nil)
}

func do(t *testing.T, ts *httptest.Server, method, path string, body io.Reader) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// errorOf decodes an error answer.
func errorOf(t *testing.T, b []byte) apiError {
	t.Helper()
	var e apiError
	if err := json.Unmarshal(b, &e); err != nil || e.Message == "" {
		t.Fatalf("not an error answer (%v): %s", err, b)
	}
	return e
}

// wantError checks that a GET of path answers code with an error message.
func wantError(t *testing.T, ts *httptest.Server, path string, code int) {
	t.Helper()
	got, b := get(t, ts, path)
	if got != code {
		t.Errorf("GET %s: %d, want %d: %s", path, got, code, b)
		return
	}
	errorOf(t, b)
}

func TestPagesEmbedded(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, tc := range []struct{ path, want string }{
		{"/", "<title>disco</title>"},
		{"/app.js", "AbortController"},
		{"/style.css", ".result"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			code, b := get(t, ts, tc.path)
			if code != 200 || !strings.Contains(string(b), tc.want) {
				t.Errorf("GET %s: %d, want 200 with %q", tc.path, code, tc.want)
			}
		})
	}
	if code, _ := get(t, ts, "/etc/passwd"); code != http.StatusNotFound {
		t.Errorf("GET /etc/passwd: %d, want 404", code)
	}
}

func TestInfo(t *testing.T) {
	ts := newTestServer(t, Options{})
	code, b := get(t, ts, "/api/info")
	var info Info
	if err := json.Unmarshal(b, &info); code != 200 || err != nil {
		t.Fatalf("%d %v: %s", code, err, b)
	}
	lib, _ := embedded()
	if info.Tracks != len(lib.Tracks) || info.MaxLength != DefaultMaxLength || len(info.Knobs) != 5 || len(info.Genres) == 0 {
		t.Errorf("info %+v", info)
	}
}

func TestSuggest(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, tc := range []struct {
		name, query string
		code        int
		first       string // the first suggestion's label; "" none
		n           int    // suggestions, when code is 200
	}{
		{"exact", "q=" + url.QueryEscape(seed), 200, seed, 8},
		{"forgiving", "q=daft+punk+one+more", 200, seed, 8},
		{"few", "n=2&q=daft+punk", 200, "", 2},
		{"empty", "q=", 200, "", 0},
		{"punctuation only", "q=%21%21", 200, "", 0},
		{"n zero", "n=0&q=daft", 400, "", 0},
		{"n large", "n=1000&q=daft", 400, "", 0},
		{"n not a number", "n=x&q=daft", 400, "", 0},
		{"too long", "q=" + strings.Repeat("a", MaxQuery+1), 400, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, b := get(t, ts, "/api/suggest?"+tc.query)
			if code != tc.code {
				t.Fatalf("%d, want %d: %s", code, tc.code, b)
			}
			if code != 200 {
				errorOf(t, b)
				return
			}
			var songs []Song
			if err := json.Unmarshal(b, &songs); err != nil {
				t.Fatal(err)
			}
			if len(songs) != tc.n {
				t.Errorf("%d suggestions, want %d", len(songs), tc.n)
			}
			if tc.first != "" && (len(songs) == 0 || songs[0].Label != tc.first) {
				t.Errorf("suggestions %v, want %q first", songs, tc.first)
			}
		})
	}
}

// sameJSON reports whether a and b encode alike.
func sameJSON(t *testing.T, a, b any) bool {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(ja, jb)
}

func buildOf(t *testing.T, b []byte) BuildResponse {
	t.Helper()
	var r BuildResponse
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return r
}

func TestBuild(t *testing.T) {
	ts := newTestServer(t, Options{})
	q := "seed=" + url.QueryEscape(seed)
	code, b := get(t, ts, "/api/build?"+q)
	if code != 200 {
		t.Fatalf("%d: %s", code, b)
	}
	r := buildOf(t, b)
	if len(r.Playlist) != 13 || len(r.Path) != 13 || !r.Playlist[0].Seed || r.Playlist[0].Artist != "Daft Punk" {
		t.Fatalf("build: %d songs, %d path points, first %+v", len(r.Playlist), len(r.Path), r.Playlist[0])
	}
	for i, e := range r.Playlist[1:] {
		if e.Terms == nil || e.Predicted == nil {
			t.Errorf("song %d without terms or prediction", i+2)
		}
	}

	t.Run("POST is GET", func(t *testing.T) {
		code, pb := do(t, ts, http.MethodPost, "/api/build", strings.NewReader(`{"seeds":["`+seed+`"]}`))
		if code != 200 {
			t.Fatalf("%d: %s", code, pb)
		}
		p := buildOf(t, pb)
		if !sameJSON(t, p.Playlist, r.Playlist) {
			t.Error("POST and GET of the same request built different playlists")
		}
	})

	t.Run("POST bridge is GET bridge", func(t *testing.T) {
		code, gb := get(t, ts, "/api/build?length=8&from="+url.QueryEscape(seed)+"&to=Adele+-+Hello")
		if code != 200 {
			t.Fatalf("%d: %s", code, gb)
		}
		code, pb := do(t, ts, http.MethodPost, "/api/build", strings.NewReader(`{"from":"`+seed+`","to":"Adele - Hello","length":8}`))
		if code != 200 {
			t.Fatalf("%d: %s", code, pb)
		}
		g, p := buildOf(t, gb), buildOf(t, pb)
		if !sameJSON(t, g.Playlist, p.Playlist) || len(g.Playlist) != 8 || g.Playlist[7].Title != "Hello" {
			t.Errorf("bridges: GET %d songs, POST %d, or not ending with Hello", len(g.Playlist), len(p.Playlist))
		}
	})

	t.Run("a knob changes the playlist", func(t *testing.T) {
		_, kb := get(t, ts, "/api/build?"+q+"&sweetness=0&smoothness=0&belong=0&flow=3")
		k := buildOf(t, kb)
		if sameJSON(t, k.Playlist, r.Playlist) {
			t.Error("other knobs built the same playlist")
		}
	})

	t.Run("no seed picks at random", func(t *testing.T) {
		code, rb := get(t, ts, "/api/build?length=5&rand=7")
		if code != 200 {
			t.Fatalf("%d: %s", code, rb)
		}
		if r := buildOf(t, rb); !r.Random || len(r.Playlist) != 5 {
			t.Errorf("random build: %v, %d songs", r.Random, len(r.Playlist))
		}
	})
}

// TestBuildBadInput sends every bad value the issue lists, and more: each
// is refused with a 4xx and a message naming the value.
func TestBuildBadInput(t *testing.T) {
	ts := newTestServer(t, Options{})
	s := "seed=" + url.QueryEscape(seed)
	for _, tc := range []struct {
		name   string
		method string
		query  string // GET query, or POST body
		code   int
		want   string // in the message
	}{
		{"knob NaN", "GET", s + "&flow=NaN", 400, "flow: NaN"},
		{"knob infinite", "GET", s + "&sweetness=Inf", 400, "sweetness: +Inf"},
		{"knob negative", "GET", s + "&belong=-1", 400, "belong: -1"},
		{"knob too large", "GET", s + "&smoothness=1000", 400, "smoothness: 1000"},
		{"spicyness too large", "GET", s + "&spicyness=21", 400, "spicyness: 21"},
		{"knob not a number", "GET", s + "&flow=lots", 400, `flow: "lots" is not a number`},
		{"length too long", "GET", s + "&length=10000", 400, "length: 10000 is not a whole number in [1, 200]"},
		{"length zero", "GET", s + "&length=0", 400, "length: 0"},
		{"length below seeds", "GET", s + "&seed=Adele+-+Hello&length=1", 400, "length: 1"},
		{"length fraction", "GET", s + "&length=2.5", 400, "length"},
		{"pool negative", "GET", s + "&pool=-1", 400, "pool: -1"},
		{"pool too large", "GET", s + "&pool=100000000", 400, "pool"},
		{"beam too wide", "GET", s + "&beam=99", 400, "beam: 99"},
		{"four seeds", "GET", s + "&seed=a&seed=b&seed=c", 400, "4 seeds"},
		{"empty seed", "GET", "seed=+", 400, "empty seed"},
		{"long seed", "GET", "seed=" + strings.Repeat("x", MaxQuery+1), 400, "characters"},
		{"online source", "GET", s + "&source=online", 400, `source "online"`},
		{"unknown source", "GET", s + "&source=radio", 400, `source "radio"`},
		{"bad format", "GET", s + "&format=exe", 400, `format "exe"`},
		{"bad centre", "GET", s + "&centre=middle", 400, "centre"},
		{"unknown parameter", "GET", s + "&path=/etc/passwd", 400, `unknown parameter "path"`},
		{"taste without a model", "GET", s + "&taste=1", 400, "unknown parameter"},
		{"unknown genre", "GET", s + "&genre=polka", 422, `genre "polka"`},
		{"same song twice", "GET", s + "&seed=" + url.QueryEscape(seed), 422, "same song"},
		{"unknown seed", "GET", "seed=zzqx+nothing+at+all", 404, "no song matches"},
		{"bridge without to", "GET", "from=" + url.QueryEscape(seed), 400, "a bridge needs from and to"},
		{"bridge and seeds", "GET", s + "&from=a&to=b", 400, "a bridge needs from and to"},
		{"bridge blend zero", "GET", "from=a&to=b&blend=0", 400, "blend: 0"},
		{"bridge blend NaN", "GET", "from=a&to=b&blend=NaN", 400, "blend: NaN"},
		{"bridge too short", "GET", "from=a&to=b&length=1", 400, "length: 1"},
		{"bridge same song", "GET", "from=" + url.QueryEscape(seed) + "&to=" + url.QueryEscape(seed), 422, "the same song"},
		{"bridge unknown end", "GET", "from=" + url.QueryEscape(seed) + "&to=qqqq+zzzz+xxxx", 404, "no song matches"},
		{"POST unknown field", "POST", `{"seeds":["` + seed + `"],"catalog":"/etc/passwd"}`, 400, `unknown field "catalog"`},
		{"POST NaN", "POST", `{"seeds":["` + seed + `"],"flow":NaN}`, 400, "invalid character"},
		{"POST knob as text", "POST", `{"seeds":["` + seed + `"],"flow":"1"}`, 400, "cannot unmarshal"},
		{"POST length too long", "POST", `{"seeds":["` + seed + `"],"length":10000}`, 400, "length: 10000"},
		{"POST taste", "POST", `{"seeds":["` + seed + `"],"taste":1}`, 400, "no taste model"},
		{"POST two values", "POST", `{"seeds":["` + seed + `"]} {}`, 400, "more than one"},
		{"POST not JSON", "POST", `seeds=x`, 400, "invalid character"},
		{"POST empty", "POST", ``, 400, "EOF"},
		{"POST too large", "POST", `{"seeds":["` + strings.Repeat("x", maxBody) + `"]}`, 413, "larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var code int
			var b []byte
			if tc.method == "POST" {
				code, b = do(t, ts, "POST", "/api/build", strings.NewReader(tc.query))
			} else {
				code, b = get(t, ts, "/api/build?"+tc.query)
			}
			if code != tc.code {
				t.Fatalf("%d, want %d: %s", code, tc.code, b)
			}
			if e := errorOf(t, b); !strings.Contains(e.Message, tc.want) {
				t.Errorf("message %q, want it to hold %q", e.Message, tc.want)
			}
		})
	}
}

// TestUnknownSeedClosest: an unknown seed answers the closest songs, as
// disco build lists them, and so does an ambiguous one.
func TestUnknownSeedClosest(t *testing.T) {
	ts := newTestServer(t, Options{})
	code, b := get(t, ts, "/api/build?seed=qqqq+One+More+Time+zzzz")
	if code != http.StatusNotFound {
		t.Fatalf("%d, want 404: %s", code, b)
	}
	e := errorOf(t, b)
	if e.Query != "qqqq One More Time zzzz" || len(e.Closest) == 0 {
		t.Fatalf("error %+v: want the query and the closest songs", e)
	}
	found := false
	for _, s := range e.Closest {
		found = found || s.Title == "One More Time"
	}
	if !found {
		t.Errorf("closest %v: want a One More Time among them", e.Closest)
	}
	code, b = get(t, ts, "/api/build?seed=Queen+-+Bohemian+Rhapsody")
	if e := errorOf(t, b); code != http.StatusNotFound || !e.Ambiguous || len(e.Closest) < 2 {
		t.Errorf("ambiguous seed: %d %+v, want 404 listing the songs it matches", code, e)
	}
}

// TestBuildFlood sends 1,000 requests for a 10,000-song playlist: each is
// refused before any work, and the server still builds afterwards.
func TestBuildFlood(t *testing.T) {
	ts := newTestServer(t, Options{})
	var wg sync.WaitGroup
	codes := make(chan int, 1000)
	work := make(chan struct{})
	for range 50 {
		wg.Go(func() {
			for range work {
				resp, err := ts.Client().Get(ts.URL + "/api/build?length=10000&seed=" + url.QueryEscape(seed))
				if err != nil {
					codes <- 0
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				codes <- resp.StatusCode
			}
		})
	}
	for range 1000 {
		work <- struct{}{}
	}
	close(work)
	wg.Wait()
	close(codes)
	refused := 0
	for c := range codes {
		if c == http.StatusBadRequest {
			refused++
		}
	}
	if refused != 1000 {
		t.Errorf("%d of 1000 refused, want all", refused)
	}
	if code, b := get(t, ts, "/api/build?seed="+url.QueryEscape(seed)); code != 200 {
		t.Errorf("after the flood: %d: %s", code, b)
	}
}

func TestDeadline(t *testing.T) {
	ts := newTestServer(t, Options{Timeout: 1}) // 1 ns: every request is late
	code, b := get(t, ts, "/api/build?seed="+url.QueryEscape(seed))
	if code != http.StatusServiceUnavailable || !strings.Contains(string(b), "deadline") {
		t.Errorf("%d, want 503 naming the deadline: %s", code, b)
	}
}

func TestDownloads(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, tc := range []struct{ format, head, ctype string }{
		{"m3u8", "#EXTM3U", "audio/x-mpegurl"},
		{"xspf", "<?xml", "application/xspf+xml"},
		{"csv", "position,", "text/csv"},
		{"json", "[", "application/json"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			resp, err := ts.Client().Get(ts.URL + "/api/build?format=" + tc.format + "&seed=" + url.QueryEscape(seed))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 || !bytes.HasPrefix(b, []byte(tc.head)) {
				t.Fatalf("%d: %.80s", resp.StatusCode, b)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.ctype) {
				t.Errorf("Content-Type %q, want %s", ct, tc.ctype)
			}
			if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="disco.`+tc.format+`"` {
				t.Errorf("Content-Disposition %q", cd)
			}
		})
	}
}

// playlistFile is the test's Exportify playlist, of songs in the catalog.
func playlistFile(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/post_teen_pop.csv")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gzipped(b []byte) []byte {
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write(b)
	w.Close()
	return z.Bytes()
}

func TestSort(t *testing.T) {
	ts := newTestServer(t, Options{})
	file := playlistFile(t)
	code, b := do(t, ts, "POST", "/api/sort?name=party.csv&effort=fast", bytes.NewReader(file))
	if code != 200 {
		t.Fatalf("%d: %s", code, b)
	}
	var r SortResponse
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Playlist) == 0 || len(r.Playlist) != len(r.Given) || r.SortedMix.Moves != len(r.Playlist)-1 {
		t.Fatalf("sorted %d songs, given %d, moves %d", len(r.Playlist), len(r.Given), r.SortedMix.Moves)
	}
	if r.Cost > r.GivenCost {
		t.Errorf("sorted cost %v above the given order's %v", r.Cost, r.GivenCost)
	}
	t.Run("Latin-1 is text", func(t *testing.T) {
		latin := bytes.ReplaceAll(file, []byte("Doo-Wops"), []byte("Doo-W\xf6ps")) // ö in Latin-1
		code, lb := do(t, ts, "POST", "/api/sort?effort=fast", bytes.NewReader(latin))
		if code != 200 {
			t.Fatalf("%d: %s", code, lb)
		}
	})
	t.Run("gzip", func(t *testing.T) {
		code, gb := do(t, ts, "POST", "/api/sort?effort=fast", bytes.NewReader(gzipped(file)))
		var g SortResponse
		if err := json.Unmarshal(gb, &g); code != 200 || err != nil {
			t.Fatalf("%d %v: %s", code, err, gb)
		}
		if !sameJSON(t, g.Playlist, r.Playlist) {
			t.Error("the gzipped file sorted otherwise")
		}
	})
}

func TestSortBadInput(t *testing.T) {
	ts := newTestServer(t, Options{MaxUpload: 64 << 10})
	binary := make([]byte, 4096)
	for i := range binary {
		binary[i] = byte(i * 7)
	}
	var many strings.Builder
	lib, _ := embedded()
	for _, tr := range lib.Tracks[:MaxSortSongs+1] {
		fmt.Fprintln(&many, tr.URI())
	}
	for _, tc := range []struct {
		name, query string
		body        []byte
		code        int
		want        string
	}{
		{"empty", "", nil, 400, "empty"},
		{"white space", "", []byte(" \n\t\n"), 400, "empty"},
		{"empty gzip", "", gzipped(nil), 400, "empty"},
		{"too large", "", bytes.Repeat([]byte("spotify:track:4uLU6hMCjMI75M1A2tKUQC\n"), 2000), 413, "larger than 64 KB"},
		{"gzip bomb", "", gzipped(bytes.Repeat([]byte("a"), 11<<20)), 413, "inflates"},
		{"broken gzip", "", []byte{0x1f, 0x8b, 1, 2, 3}, 400, "gzip"},
		{"binary", "", binary, 415, "binary"},
		{"PNG", "", append([]byte("\x89PNG\r\n\x1a\n"), binary...), 415, "binary"},
		{"control characters", "", bytes.Repeat([]byte("a\x01\x02b\n"), 100), 415, "binary"},
		{"JSON of no playlist", "", []byte(`{"hello": "world"}`), 415, "unrecognised format"},
		{"CSV without a track column", "", []byte("a,b\n1,2\n"), 415, "track column"},
		{"not track ids", "", []byte("hello\nworld\n"), 400, "cannot be read"},
		{"unknown songs", "", []byte("spotify:track:0000000000000000000000\nspotify:track:1111111111111111111111\n"), 422, "no audio features"},
		{"too many songs", "", []byte(many.String()), 413, "at most 500"},
		{"knob NaN", "flow=NaN", playlistFile(t), 400, "flow: NaN"},
		{"knob too large", "sweetness=101", playlistFile(t), 400, "sweetness: 101"},
		{"bad effort", "effort=huge", playlistFile(t), 400, "effort"},
		{"unknown parameter", "path=/etc/passwd", playlistFile(t), 400, "unknown parameter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, b := do(t, ts, "POST", "/api/sort?"+tc.query, bytes.NewReader(tc.body))
			if code != tc.code {
				t.Fatalf("%d, want %d: %s", code, tc.code, b)
			}
			if e := errorOf(t, b); !strings.Contains(e.Message, tc.want) {
				t.Errorf("message %q, want it to hold %q", e.Message, tc.want)
			}
		})
	}
	for _, path := range []string{"/api/sort", "/api/nothing"} {
		wantError(t, ts, path, http.StatusNotFound)
	}
}

func TestMap(t *testing.T) {
	ts := newTestServer(t, Options{})
	code, b := get(t, ts, "/api/map")
	var m MapResponse
	if err := json.Unmarshal(b, &m); code != 200 || err != nil {
		t.Fatalf("%d %v", code, err)
	}
	n := len(m.IDs)
	lib, _ := embedded()
	if n != len(lib.Tracks) || len(m.XYZ) != 3*n || len(m.Features) != 8*n || len(m.Genre) != n || len(m.Artist) != n || len(m.Explained) != 3 {
		t.Fatalf("map of %d ids, %d coordinates, %d features", n, len(m.XYZ), len(m.Features))
	}
	if !(m.Explained[0] >= m.Explained[1] && m.Explained[1] >= m.Explained[2] && m.Explained[2] > 0) {
		t.Errorf("explained %v, want decreasing", m.Explained)
	}
	for i, g := range m.Genre {
		if g >= len(m.Genres) {
			t.Fatalf("song %d: genre %d of %d", i, g, len(m.Genres))
		}
	}
	req, _ := http.NewRequest("GET", ts.URL+"/api/map", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	zr, err := gzip.NewReader(resp.Body)
	if err != nil || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("map with gzip: %v, Content-Encoding %q", err, resp.Header.Get("Content-Encoding"))
	}
	if plain, err := io.ReadAll(zr); err != nil || !bytes.Equal(plain, b) {
		t.Errorf("the gzipped map is not the map (%v)", err)
	}
	for _, q := range []string{"dims=9", "space=umap"} {
		wantError(t, ts, "/api/map?"+q, http.StatusBadRequest)
	}
}

func TestMapSong2vec(t *testing.T) {
	ts := newTestServer(t, Options{})
	code, b := get(t, ts, "/api/map?space=song2vec")
	var m MapResponse
	if err := json.Unmarshal(b, &m); code != 200 || err != nil {
		t.Fatalf("%d %v", code, err)
	}
	lib, _ := embedded()
	v, err := lib.Vectors()
	if err != nil {
		t.Fatal(err)
	}
	n := len(m.IDs)
	if m.Space != "song2vec" || n == 0 || n > v.Len() || n >= len(lib.Tracks) || len(m.XYZ) != 3*n {
		t.Fatalf("song2vec map: space %q, %d songs of %d vectors and %d tracks", m.Space, n, v.Len(), len(lib.Tracks))
	}
	if !(m.Explained[0] >= m.Explained[1] && m.Explained[1] >= m.Explained[2] && m.Explained[2] > 0 && m.Explained[0] < 1) {
		t.Errorf("explained %v", m.Explained)
	}
	code, b = get(t, ts, "/api/neighbours?space=song2vec&n=5&id="+m.IDs[0])
	var r struct {
		Neighbours []Neighbour `json:"neighbours"`
	}
	if err := json.Unmarshal(b, &r); code != 200 || err != nil || len(r.Neighbours) != 5 {
		t.Fatalf("%d %v: %s", code, err, b)
	}
	for i, nb := range r.Neighbours {
		if nb.ID == m.IDs[0] || m.IDs[nb.Index] != nb.ID || nb.Distance < 0 || nb.Distance > 2 || (i > 0 && nb.Distance < r.Neighbours[i-1].Distance) {
			t.Errorf("neighbour %d: %+v", i, nb)
		}
	}
}

func TestMapTSNE(t *testing.T) {
	ts := newTestServer(t, Options{TSNESongs: 200})
	code, b := get(t, ts, "/api/map?space=tsne")
	for code == http.StatusAccepted {
		if !strings.Contains(string(b), "computing") {
			t.Fatalf("202 without saying so: %s", b)
		}
		code, b = get(t, ts, "/api/map?space=tsne")
	}
	var m MapResponse
	if err := json.Unmarshal(b, &m); code != 200 || err != nil {
		t.Fatalf("%d %v: %.200s", code, err, b)
	}
	if m.Space != "tsne" || len(m.IDs) != 200 || len(m.XYZ) != 600 || m.Explained != nil {
		t.Fatalf("t-SNE map: space %q, %d songs, %d coordinates, explained %v", m.Space, len(m.IDs), len(m.XYZ), m.Explained)
	}
	spread := 0.0
	for i := range m.IDs {
		if m.XYZ[3*i+2] != 0 {
			t.Fatalf("point %d has z %v: a t-SNE map is flat", i, m.XYZ[3*i+2])
		}
		spread = max(spread, math.Abs(m.XYZ[3*i]), math.Abs(m.XYZ[3*i+1]))
	}
	if spread == 0 {
		t.Error("every point at the origin")
	}
	code, b = get(t, ts, "/api/neighbours?space=tsne&n=3&id="+m.IDs[5])
	if code != 200 || strings.Count(string(b), `"distance"`) != 3 {
		t.Errorf("t-SNE neighbours: %d %s", code, b)
	}
}

func TestNeighbours(t *testing.T) {
	ts := newTestServer(t, Options{})
	lib, _ := embedded()
	id := lib.Tracks[0].ID
	code, b := get(t, ts, "/api/neighbours?n=5&id="+id)
	var r struct {
		Song       Song        `json:"song"`
		Neighbours []Neighbour `json:"neighbours"`
	}
	if err := json.Unmarshal(b, &r); code != 200 || err != nil {
		t.Fatalf("%d %v: %s", code, err, b)
	}
	if r.Song.ID != id || len(r.Neighbours) != 5 {
		t.Fatalf("%+v", r)
	}
	for i, nb := range r.Neighbours {
		if nb.ID == id || (i > 0 && nb.Distance < r.Neighbours[i-1].Distance) {
			t.Errorf("neighbour %d: %+v (the song itself, or out of order)", i, nb)
		}
	}
	wantError(t, ts, "/api/neighbours?id=nope", http.StatusNotFound)
	for _, q := range []string{"id=" + id + "&n=0", "id=" + id + "&n=x", "id=" + id + "&space=umap"} {
		wantError(t, ts, "/api/neighbours?"+q, http.StatusBadRequest)
	}
}

func TestEval(t *testing.T) {
	t.Run("none", func(t *testing.T) {
		ts := newTestServer(t, Options{})
		if code, _ := get(t, ts, "/api/eval"); code != http.StatusNotFound {
			t.Errorf("%d, want 404", code)
		}
	})
	t.Run("computed once in the background", func(t *testing.T) {
		release := make(chan struct{})
		var calls atomic.Int32
		ts := newTestServer(t, Options{Eval: func(ctx context.Context) (*EvalResult, error) {
			calls.Add(1)
			<-release
			return &EvalResult{JSON: json.RawMessage(`{"playlists":3}`), Table: "Playlists: 3\n"}, nil
		}})
		code, b := get(t, ts, "/api/eval")
		if code != http.StatusAccepted || !strings.Contains(string(b), "computing") {
			t.Fatalf("while computing: %d %s, want 202", code, b)
		}
		close(release)
		for code == http.StatusAccepted {
			code, b = get(t, ts, "/api/eval")
		}
		if code != 200 || string(b) != `{"playlists":3}` {
			t.Errorf("%d %s", code, b)
		}
		if code, b := get(t, ts, "/api/eval?format=table"); code != 200 || string(b) != "Playlists: 3\n" {
			t.Errorf("table: %d %s", code, b)
		}
		if code, _ := get(t, ts, "/api/eval?format=pdf"); code != 400 {
			t.Errorf("format pdf: %d, want 400", code)
		}
		if n := calls.Load(); n != 1 {
			t.Errorf("eval ran %d times", n)
		}
	})
	t.Run("fails", func(t *testing.T) {
		ts := newTestServer(t, Options{Eval: func(ctx context.Context) (*EvalResult, error) { return nil, errors.New("no data") }})
		code, b := get(t, ts, "/api/eval")
		for code == http.StatusAccepted {
			code, b = get(t, ts, "/api/eval")
		}
		if code != 500 || !strings.Contains(string(b), "no data") {
			t.Errorf("%d %s", code, b)
		}
	})
}
