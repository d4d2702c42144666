package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/cache"
	"github.com/discoflow/disco/features/load"
)

// fetchIDs are the tracks of the test files; the fake ReccoBeats knows all
// but the unknown one. The embedded catalog knows none of them (disco
// fetch features would fill them from it and not ask the server).
var fetchIDs = []string{
	"4u7EnebtmKWzUH433cf5Q0", "1pKYYY0dkg23sQQXi0Q5z0", "5IVuqXILoxVWvWEPm82Jx0",
	"7hQJA50XrCWABAu5v6QZ40", "2fuCquhmrzHpu5xcA1ci90",
}

const fetchUnknown = "5IVuqXILoxVWvWEPm82Jx0"

// fakeReccoBeats answers GET /v1/audio-features in ReccoBeats' shape:
// {"content": [...]}, unknown ids left out, entries named by ReccoBeats
// UUIDs and matched by their href. replies are served first.
type fakeReccoBeats struct {
	srv      *httptest.Server
	requests atomic.Int64
	asked    atomic.Int64
	mu       sync.Mutex
	replies  []int // statuses to answer first (429 comes with Retry-After: 0)
	onReq    func(n int64) (hang bool)
}

// set sets the statuses to answer first and the hook run on each request;
// a hook that returns true leaves that request unanswered until the client
// gives up on it, so a cancellation in the hook reaches the client first.
func (f *fakeReccoBeats) set(replies []int, onReq func(n int64) (hang bool)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.replies, f.onReq = replies, onReq
}

func newFakeReccoBeats(t *testing.T) *fakeReccoBeats {
	f := &fakeReccoBeats{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := f.requests.Add(1)
		f.mu.Lock()
		hook := f.onReq
		status := 0
		if len(f.replies) > 0 {
			status, f.replies = f.replies[0], f.replies[1:]
		}
		f.mu.Unlock()
		if hook != nil && hook(n) {
			<-r.Context().Done()
			return
		}
		if status != 0 {
			if status == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "0")
			}
			w.WriteHeader(status)
			return
		}
		if r.URL.Path == "/v1/track/recommendation" {
			// Three tracks for any seeds, in ReccoBeats' track shape.
			var content []map[string]any
			for i, id := range fetchIDs[2:] {
				content = append(content, map[string]any{
					"id": fmt.Sprintf("10000000-0000-4000-8000-%012d", i), "trackTitle": fmt.Sprintf("Song %d", i),
					"artists":    []map[string]any{{"id": "a", "name": fmt.Sprintf("Artist %d", i), "href": "https://open.spotify.com/artist/x"}},
					"durationMs": 200000 + i, "isrc": "QZFIX0000002", "ean": nil, "upc": nil,
					"href": "https://open.spotify.com/track/" + id, "availableCountries": "DE", "popularity": 50 + i,
				})
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"content": content})
			return
		}
		if r.URL.Path != "/v1/audio-features" {
			http.NotFound(w, r)
			return
		}
		ids := strings.Split(r.URL.Query().Get("ids"), ",")
		f.asked.Add(int64(len(ids)))
		var content []map[string]any
		for i, id := range ids {
			if id == fetchUnknown {
				continue
			}
			content = append(content, map[string]any{
				"id": fmt.Sprintf("00000000-0000-4000-8000-%012d", i), "href": "https://open.spotify.com/track/" + id,
				"isrc": "QZFIX0000001", "acousticness": 0.1, "danceability": 0.5 + float64(len(id)%7)/100, "energy": 0.7,
				"instrumentalness": 0.001, "key": 5, "liveness": 0.12, "loudness": -6.5, "mode": 1,
				"speechiness": 0.04, "tempo": 121.5, "valence": 0.6,
			})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"content": content})
	}))
	t.Cleanup(f.srv.Close)
	old := reccoBeatsURL
	reccoBeatsURL = f.srv.URL + "/v1"
	t.Cleanup(func() { reccoBeatsURL = old })
	return f
}

// isolate keeps a test away from the user's real cache and config.
func isolate(t *testing.T) string {
	dir := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("HOME", dir)
	return dir
}

func writeFile(t *testing.T, path, text string) string {
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runDisco(ctx context.Context, args ...string) (stdout, stderr string, err error) {
	var o, e strings.Builder
	err = run(ctx, args, &o, &e)
	return o.String(), e.String(), err
}

func TestFetchFeatures(t *testing.T) {
	dir := isolate(t)
	fake := newFakeReccoBeats(t)
	list := writeFile(t, filepath.Join(dir, "flow.m3u8"), "#EXTM3U\n#EXTINF:354,Queen - Bohemian Rhapsody\nspotify:track:"+fetchIDs[0]+"\n"+
		"https://open.spotify.com/track/"+fetchIDs[1]+"?si=abc\n"+strings.Join(fetchIDs[2:], "\n")+"\n")
	db := filepath.Join(dir, "c.db")
	out := filepath.Join(dir, "out.csv")

	stdout, stderr, err := runDisco(context.Background(), "fetch", "features", "--ids", list, "--cache", db, "--out", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "5 tracks: 0 from the cache, 5 fetched from reccobeats in 1 requests, 1 unknown to it") {
		t.Errorf("stdout %q", stdout)
	}
	if !strings.Contains(stderr, "features") || !strings.Contains(stderr, "5/5") {
		t.Errorf("no progress bar on stderr: %q", stderr)
	}
	ds, err := load.File(out, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Catalog.Len() != 5 || len(ds.Catalog.WithFeatures()) != 4 {
		t.Fatalf("%s: %d tracks, %d with features; want 5 and 4", out, ds.Catalog.Len(), len(ds.Catalog.WithFeatures()))
	}
	q := ds.Catalog.Get(fetchIDs[0])
	if q.Name != "Bohemian Rhapsody" || q.Artist() != "Queen" || q.Key != 5 || q.Tempo != 121.5 || q.Features[features.Loudness] != -6.5 {
		t.Errorf("enriched track %+v", q)
	}
	// The command indexed what it fetched: the log is empty.
	c, err := cache.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	var logged, indexed int
	c.SQL().QueryRow("SELECT count(*) FROM feature_log").Scan(&logged)
	c.SQL().QueryRow("SELECT count(*) FROM features").Scan(&indexed)
	c.Close()
	if logged != 0 || indexed != 5 {
		t.Errorf("after the fetch: %d batches in the log, %d features indexed; want 0 and 5", logged, indexed)
	}

	// The second run is answered by the cache.
	before := fake.requests.Load()
	stdout, _, err = runDisco(context.Background(), "fetch", "features", "--ids", list, "--cache", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "5 tracks: 5 from the cache, 0 fetched") || fake.requests.Load() != before {
		t.Errorf("second run: %q, %d requests", stdout, fake.requests.Load()-before)
	}
	// --format json, for scripts.
	stdout, _, err = runDisco(context.Background(), "fetch", "features", "--ids", list, "--cache", db, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Tracks, Cached, Fetched, Requests, Unknown int
		Source, Cache                              string
		WithFeatures                               int `json:"with_features"`
	}
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatalf("--format json: %v\n%s", err, stdout)
	}
	if sum.Tracks != 5 || sum.Cached != 5 || sum.Fetched != 0 || sum.Unknown != 1 || sum.Source != "reccobeats" || sum.Cache != db || sum.WithFeatures != 4 {
		t.Errorf("--format json: %+v", sum)
	}
	// --refresh asks again.
	if _, _, err = runDisco(context.Background(), "fetch", "features", "--ids", list, "--cache", db, "--refresh"); err != nil {
		t.Fatal(err)
	}
	if fake.requests.Load() != before+1 {
		t.Errorf("--refresh made %d requests, want 1", fake.requests.Load()-before)
	}
}

func TestFetchFeaturesRetriesAndResumes(t *testing.T) {
	dir := isolate(t)
	fake := newFakeReccoBeats(t)
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = fmt.Sprintf("0Cli%018d", i)
	}
	list := writeFile(t, filepath.Join(dir, "ids.txt"), strings.Join(ids, "\n")+"\n")
	db := filepath.Join(dir, "c.db")

	// A 429 and a 500 are waited out; then Ctrl-C during the second batch.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fake.set([]int{http.StatusTooManyRequests, http.StatusInternalServerError}, func(n int64) bool {
		if n == 4 { // 429, 500, batch 1, then batch 2
			cancel()
			return true
		}
		return false
	})
	_, stderr, err := runDisco(ctx, "fetch", "features", "--ids", list, "--cache", db)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "interrupted after storing 40 tracks; run the same command again") {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(stderr, "rate limited") || !strings.Contains(stderr, "500 Internal Server Error") {
		t.Errorf("waits not shown: %q", stderr)
	}
	fake.set(nil, nil)
	asked := fake.asked.Load()
	stdout, _, err := runDisco(context.Background(), "fetch", "features", "--ids", list, "--cache", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "100 tracks: 40 from the cache, 60 fetched") || fake.asked.Load()-asked != 60 {
		t.Errorf("resume: %q, asked %d ids", stdout, fake.asked.Load()-asked)
	}
}

func TestFetchFeaturesSpotifyClosed(t *testing.T) {
	dir := isolate(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/token":
			fmt.Fprint(w, `{"access_token":"BQCfixture","token_type":"Bearer","expires_in":3600}`)
		case "/v1/audio-features":
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"error":{"status":403}}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	oldAPI, oldToken := spotifyAPIURL, spotifyTokenURL
	spotifyAPIURL, spotifyTokenURL = srv.URL+"/v1/", srv.URL+"/api/token"
	t.Cleanup(func() { spotifyAPIURL, spotifyTokenURL = oldAPI, oldToken })
	t.Setenv("SPOTIFY_ID", "id")
	t.Setenv("SPOTIFY_SECRET", "secret")
	list := writeFile(t, filepath.Join(dir, "ids.txt"), strings.Join(fetchIDs, "\n"))
	_, _, err := runDisco(context.Background(), "fetch", "features", "--ids", list, "--cache", filepath.Join(dir, "c.db"), "--source", "spotify")
	if err == nil || !strings.Contains(err.Error(), "answered 403") || !strings.Contains(err.Error(), "--source reccobeats") {
		t.Fatalf("err = %v, want the closed-endpoint message", err)
	}
}

func TestFetchUsage(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{
		{"fetch"},
		{"fetch", "playlists"},
		{"fetch", "features"},
		{"fetch", "features", "--ids", "x", "--source", "lastfm"},
		{"fetch", "features", "--ids", "x", "extra"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			_, stderr, err := runDisco(context.Background(), args...)
			if !errors.Is(err, errUsage) || stderr == "" {
				t.Errorf("err = %v, stderr %q; want a usage error explained", err, stderr)
			}
		})
	}
}

// TestOnlinePool runs the pool that openOnline wires (ReccoBeats behind
// the cache) twice: the second time the cache answers everything.
func TestOnlinePool(t *testing.T) {
	dir := isolate(t)
	fake := newFakeReccoBeats(t)
	on, err := openOnline(context.Background(), onlineOptions{source: "reccobeats", cache: filepath.Join(dir, "c.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer on.Close()
	seeds := []*features.Track{{ID: fetchIDs[0]}, {ID: fetchIDs[1]}}
	var runs [2][]*features.Track
	for i := range runs {
		if runs[i], err = on.pool.Candidates(context.Background(), seeds); err != nil {
			t.Fatal(err)
		}
		if i == 0 && fake.requests.Load() != 4 {
			t.Errorf("first run made %d requests, want 3 recommendations and 1 features", fake.requests.Load())
		}
	}
	if fake.requests.Load() != 4 {
		t.Errorf("second run made %d requests, want none", fake.requests.Load()-4)
	}
	for i := range runs {
		var got []string
		for _, c := range runs[i] {
			got = append(got, fmt.Sprintf("%s:%s:%v", c.ID, c.Name, c.HasFeatures))
		}
		want := fmt.Sprintf("[%s:Song 0:false %s:Song 1:true %s:Song 2:true]", fetchIDs[2], fetchIDs[3], fetchIDs[4])
		if fmt.Sprint(got) != want {
			t.Errorf("run %d: candidates %v, want %v", i, got, want)
		}
	}
	if runs[1][1].From.Features != "cache:reccobeats" || runs[1][1].From.Meta != "cache:reccobeats" || runs[1][1].Artist() != "Artist 1" {
		t.Errorf("cached candidate %+v", runs[1][1])
	}
}

// TestBuildOnline builds a playlist from a seed the embedded catalog lacks,
// with candidates and features from ReccoBeats (a local server in its
// shape) behind the cache.
func TestBuildOnline(t *testing.T) {
	dir := isolate(t)
	fake := newFakeReccoBeats(t)
	const seed = "0OnlineSeedNotInCatalg" // a Spotify-shaped id the embedded catalog lacks
	out, errOut, err := runDisco(context.Background(), "build", "--candidates", "online", "--source", "reccobeats",
		"--cache", filepath.Join(dir, "c.db"), "--seed", "spotify:track:"+seed, "--length", "3", "--format", "csv")
	if err != nil {
		t.Fatalf("build: %v\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "from reccobeats") || !strings.Contains(errOut, "1 candidates without audio features left out") {
		t.Errorf("stderr does not say where the seed came from or what was left out:\n%s", errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.Contains(lines[1], seed) || !strings.Contains(lines[2], "Song") || !strings.Contains(lines[3], "Song") {
		t.Errorf("playlist:\n%s", out)
	}
	if fake.requests.Load() == 0 {
		t.Error("the server was never asked")
	}
	// A name the catalog lacks cannot be searched on ReccoBeats: a clear error.
	_, _, err = runDisco(context.Background(), "build", "--candidates", "online", "--source", "reccobeats",
		"--cache", filepath.Join(dir, "c.db"), "--seed", "Nobody - Nothing At All")
	if err == nil || !strings.Contains(err.Error(), "Spotify id or URL") {
		t.Errorf("err = %v", err)
	}
}

// TestFetchIndexesLeftovers leaves a thousand stored batches unindexed, as
// an interrupted fetch does: the next fetch says it indexes them first.
func TestFetchIndexesLeftovers(t *testing.T) {
	dir := isolate(t)
	newFakeReccoBeats(t)
	db := filepath.Join(dir, "c.db")
	c, err := cache.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		id := fmt.Sprintf("0Leftover%013d", i)
		if err := c.StoreFeatures(context.Background(), "reccobeats", []string{id}, []*features.Track{nil}); err != nil {
			t.Fatal(err)
		}
	}
	c.Close()
	list := writeFile(t, filepath.Join(dir, "ids.txt"), strings.Join(fetchIDs, "\n")+"\n")
	_, stderr, err := runDisco(context.Background(), "fetch", "features", "--ids", list, "--cache", db)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "indexing 1000 batches of fetched features") {
		t.Errorf("no word of the leftovers on stderr:\n%s", stderr)
	}
	if strings.Count(stderr, "indexing") != 1 {
		t.Errorf("want one indexing line (this fetch's own batch is small):\n%s", stderr)
	}
}
