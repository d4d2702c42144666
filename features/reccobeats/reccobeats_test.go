package reccobeats_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/reccobeats"
)

const (
	idA       = "4u7EnebtmKWzUH433cf5Qv" // Queen - Bohemian Rhapsody
	idB       = "1pKYYY0dkg23sQQXi0Q5zN" // Daft Punk - Around the World
	idC       = "5IVuqXILoxVWvWEPm82Jxr" // Beyoncé - Crazy In Love: key -1, tempo 0
	idUnknown = "0TrackFixture000000005" // left out of the answer
	idStop    = "7hQJA50XrCWABAu5v6QZ4i"
	idPress   = "2fuCquhmrzHpu5xcA1ci9x"
)

type reply struct {
	status int
	header map[string]string
	body   string
}

// fake speaks the ReccoBeats API: fixture entries, plus generated
// features for ids starting "0Gen" (danceability = index/1000, where the
// id ends in the index).
type fake struct {
	t   testing.TB
	srv *httptest.Server

	mu        sync.Mutex
	entries   map[string]json.RawMessage // by Spotify id
	queue     map[string][]reply
	hits      map[string]int
	batches   [][]string
	onRequest func(path string, n int, r *http.Request)
}

func newFake(t testing.TB) *fake {
	f := &fake{t: t, entries: map[string]json.RawMessage{}, queue: map[string][]reply{}, hits: map[string]int{}}
	var ans struct{ Content []json.RawMessage }
	if err := json.Unmarshal(readFixture(t, "audio_features.json"), &ans); err != nil {
		t.Fatal(err)
	}
	for _, raw := range ans.Content {
		var e struct{ Href string }
		json.Unmarshal(raw, &e)
		id, _ := reccobeats.SpotifyID(e.Href)
		f.entries[id] = raw
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func readFixture(t testing.TB, name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (f *fake) push(path string, rs ...reply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queue[path] = append(f.queue[path], rs...)
}

func (f *fake) count(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[path]
}

func genEntry(id string) json.RawMessage {
	i, _ := strconv.Atoi(strings.TrimLeft(id[4:], "0"))
	return json.RawMessage(fmt.Sprintf(`{"id":"00000000-0000-4000-8000-%012d","href":"https://open.spotify.com/track/%s","isrc":"QZGEN%07d",`+
		`"acousticness":0.5,"danceability":%g,"energy":0.5,"instrumentalness":0.1,"key":%d,"liveness":0.1,"loudness":-7.5,`+
		`"mode":1,"speechiness":0.05,"tempo":%g,"valence":0.5}`, i, id, i, float64(i%1000)/1000, i%12, 90+float64(i%60)))
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	f.mu.Lock()
	f.hits[path]++
	n := f.hits[path]
	hook := f.onRequest
	var canned *reply
	if q := f.queue[path]; len(q) > 0 {
		canned = &q[0]
		f.queue[path] = q[1:]
	}
	f.mu.Unlock()
	if hook != nil {
		hook(path, n, r)
	}
	w.Header().Set("Content-Type", "application/json")
	if canned != nil {
		for k, v := range canned.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(canned.status)
		w.Write([]byte(canned.body))
		return
	}
	q := r.URL.Query()
	switch path {
	case "/v1/audio-features":
		ids := strings.Split(q.Get("ids"), ",")
		if len(ids) > 40 {
			w.WriteHeader(400)
			w.Write([]byte(`{"error":"Bad Request","message":"too many ids"}`))
			return
		}
		f.mu.Lock()
		f.batches = append(f.batches, ids)
		var content []json.RawMessage
		// Answer in reverse order, each known id once: the client must match
		// by href, not by position.
		seen := map[string]bool{}
		for i := len(ids) - 1; i >= 0; i-- {
			id := ids[i]
			if seen[id] {
				continue
			}
			seen[id] = true
			if raw, ok := f.entries[id]; ok {
				content = append(content, raw)
			} else if strings.HasPrefix(id, "0Gen") {
				content = append(content, genEntry(id))
			}
		}
		f.mu.Unlock()
		b, _ := json.Marshal(map[string]any{"content": content})
		w.Write(b)
	case "/v1/track/recommendation":
		if q.Get("size") != "100" {
			w.WriteHeader(400)
			return
		}
		switch q.Get("seeds") {
		case idA, idA + "," + idB:
			w.Write(readFixture(f.t, "recommendation.json"))
		default:
			w.Write([]byte(`{"content":[]}`))
		}
	default:
		w.WriteHeader(404)
		w.Write([]byte(`{"error":"Not Found","message":"No static resource"}`))
	}
}

type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

func client(f *fake, w *waits) *reccobeats.Client {
	c := &reccobeats.Client{BaseURL: f.srv.URL + "/v1"}
	if w != nil {
		c.Sleep = w.sleep
	}
	return c
}

func TestGetFeatures(t *testing.T) {
	f := newFake(t)
	got, err := client(f, nil).GetFeatures(context.Background(), []string{idA, idB, idUnknown, idC})
	if err != nil {
		t.Fatal(err)
	}
	if got[2] != nil {
		t.Errorf("unknown id: %+v, want nil", got[2])
	}
	a := got[0]
	want := features.Vector{0.271, 0.392, 0.402, 0, 0.243, -9.961, 0.0536, 0.228}
	if a.ID != idA || !a.HasFeatures || a.Features != want || a.Key != 10 || a.Mode != 0 || a.Tempo != 143.883 {
		t.Errorf("A = %+v", a)
	}
	if a.TimeSignature != 0 || a.From.Features != "reccobeats" {
		t.Errorf("A: time signature %d (ReccoBeats has none), from %q", a.TimeSignature, a.From.Features)
	}
	if b := got[1]; b.ID != idB || b.Key != 7 || b.Mode != 1 || b.Features[features.Danceability] != 0.956 {
		t.Errorf("B = %+v", b)
	}
	if c := got[3]; c.ID != idC || c.Key != -1 || c.Tempo != 0 || !c.HasFeatures {
		t.Errorf("C = %+v, want key -1 and tempo 0 (unknown)", c)
	}
}

func TestGetFeaturesBatches(t *testing.T) {
	f := newFake(t)
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = fmt.Sprintf("0Gen%018d", i)
	}
	ids[7] = ids[3] // a repeated id
	got, err := client(f, nil).GetFeatures(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	for i, tr := range got {
		j := i
		if i == 7 {
			j = 3
		}
		if tr == nil || tr.ID != ids[i] || tr.Features[features.Danceability] != float64(j)/1000 {
			t.Fatalf("entry %d = %+v, want the features of %s", i, tr, ids[i])
		}
	}
	var sizes []int
	for _, b := range f.batches {
		sizes = append(sizes, len(b))
	}
	if fmt.Sprint(sizes) != "[40 40 20]" {
		t.Errorf("batches %v, want [40 40 20]", sizes)
	}
}

func TestFailures(t *testing.T) {
	tests := []struct {
		name      string
		replies   []reply
		wantErr   string
		wantHits  int
		wantWaits string
	}{
		{"429 then success", []reply{{429, map[string]string{"Retry-After": "1"}, ""}}, "", 2, "[1s]"},
		{"429 twice then success", []reply{{429, map[string]string{"Retry-After": "1"}, ""}, {429, map[string]string{"Retry-After": "0"}, ""}}, "", 3, "[1s 0s]"},
		{"500 then success", []reply{{500, nil, `{"error":"Internal Server Error"}`}}, "", 2, "[500ms]"},
		{"502 until retries run out", []reply{{502, nil, ""}, {502, nil, ""}, {502, nil, ""}, {502, nil, ""}}, "HTTP 502", 4, "[500ms 1s 2s]"},
		{"400 is not retried", []reply{{400, nil, `{"error":"Bad Request","message":"ids must be valid"}`}}, "HTTP 400 Bad Request: ids must be valid", 1, "[]"},
		{"Retry-After too long", []reply{{429, map[string]string{"Retry-After": "86400"}, ""}}, "wait 24h0m0s", 1, "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			w := &waits{}
			f.push("/v1/audio-features", tt.replies...)
			got, err := client(f, w).GetFeatures(context.Background(), []string{idA})
			if tt.wantErr == "" {
				if err != nil || got[0] == nil || got[0].ID != idA {
					t.Fatalf("got %v, %v", got, err)
				}
			} else if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if n := f.count("/v1/audio-features"); n != tt.wantHits {
				t.Errorf("requests = %d, want %d", n, tt.wantHits)
			}
			if got := fmt.Sprint(w.d); got != tt.wantWaits {
				t.Errorf("waits %s, want %s", got, tt.wantWaits)
			}
		})
	}
}

func TestRateLimitErrorType(t *testing.T) {
	f := newFake(t)
	f.push("/v1/audio-features", reply{429, map[string]string{"Retry-After": "600"}, ""})
	c := client(f, nil)
	c.MaxWait = time.Minute
	_, err := c.GetFeatures(context.Background(), []string{idA})
	var rl *reccobeats.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 10*time.Minute {
		t.Fatalf("err = %v, want a *RateLimitError of 10m", err)
	}
}

func TestCancelMidFetch(t *testing.T) {
	f := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.onRequest = func(path string, n int, r *http.Request) {
		if n == 2 {
			cancel()
			<-r.Context().Done()
		}
	}
	ids := make([]string, 200)
	for i := range ids {
		ids[i] = fmt.Sprintf("0Gen%018d", i)
	}
	_, err := client(f, nil).GetFeatures(ctx, ids)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := f.count("/v1/audio-features"); n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
}

func TestRecommend(t *testing.T) {
	f := newFake(t)
	got, err := client(f, nil).Recommend(context.Background(), []string{idA}, 100)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tr := range got {
		ids = append(ids, tr.ID)
	}
	// The entry without a Spotify href is dropped.
	if want := []string{idStop, idB, idPress, idUnknown}; fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Fatalf("ids %v, want %v", ids, want)
	}
	p := got[2]
	if p.Name != "Under Pressure - Remastered 2011" || p.Artist() != "Queen, David Bowie" || p.DurationMS != 248440 ||
		p.Popularity != 79 || p.HasFeatures || p.Key != -1 || p.From.Meta != "reccobeats" {
		t.Errorf("Under Pressure = %+v", p)
	}
	if _, err := client(f, nil).Recommend(context.Background(), []string{"a", "b", "c", "d", "e", "f"}, 10); err == nil {
		t.Error("6 seeds accepted")
	}
}

func TestPool(t *testing.T) {
	f := newFake(t)
	f.entries[idStop] = genEntry("0Gen000000000000000042")
	// genEntry names its own id in href; rewrite it for idStop.
	f.entries[idStop] = json.RawMessage(strings.Replace(string(f.entries[idStop]), "0Gen000000000000000042", idStop, 1))
	p := &reccobeats.Pool{Client: client(f, nil)}
	got, err := p.Candidates(context.Background(), []*features.Track{{ID: idA}, {ID: idB}, {}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tr := range got {
		ids = append(ids, tr.ID)
	}
	// A's list without seed B; B's list is empty; the joint list repeats.
	if want := []string{idStop, idPress, idUnknown}; fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Fatalf("candidates %v, want %v", ids, want)
	}
	if !got[0].HasFeatures || got[0].Features[features.Danceability] != 0.042 || got[0].From.Features != "reccobeats" {
		t.Errorf("Don't Stop Me Now: %+v", got[0])
	}
	if got[1].HasFeatures || got[2].HasFeatures {
		t.Error("tracks ReccoBeats has no features for must have HasFeatures false")
	}
	if n := f.count("/v1/track/recommendation"); n != 3 {
		t.Errorf("recommendation requests = %d, want 3", n)
	}
	if _, err := p.Candidates(context.Background(), []*features.Track{{Name: "no id"}}); err == nil {
		t.Error("seeds without ids accepted")
	}
}

func TestSpotifyID(t *testing.T) {
	tests := []struct {
		href, want string
		ok         bool
	}{
		{"https://open.spotify.com/track/4u7EnebtmKWzUH433cf5Qv", idA, true},
		{"https://open.spotify.com/track/4u7EnebtmKWzUH433cf5Qv/", idA, true},
		{"https://open.spotify.com/track/4u7EnebtmKWzUH433cf5Qv?si=abc", idA, true},
		{"https://open.spotify.com/artist/1dfeR4HaWDbWqFHLkxsg1d", "", false},
		{"https://open.spotify.com/track/short", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.href, func(t *testing.T) {
			got, ok := reccobeats.SpotifyID(tt.href)
			if got != tt.want || ok != tt.ok {
				t.Errorf("SpotifyID(%q) = %q, %v", tt.href, got, ok)
			}
		})
	}
}

func FuzzSpotifyID(f *testing.F) {
	f.Add("https://open.spotify.com/track/4u7EnebtmKWzUH433cf5Qv")
	f.Add("://x/track/")
	f.Fuzz(func(t *testing.T, href string) {
		id, ok := reccobeats.SpotifyID(href)
		if ok != (len(id) == 22) || (ok && !strings.Contains(href, id)) {
			t.Errorf("SpotifyID(%q) = %q, %v", href, id, ok)
		}
	})
}
