package spotify_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/spotify"
)

// waits records the retry waits a client asked for, instead of sleeping.
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

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

func config(f *fakeSpotify, w *waits) spotify.Config {
	cfg := spotify.Config{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		TokenURL:     f.srv.URL + "/api/token",
		BaseURL:      f.srv.URL + "/v1",
	}
	if w != nil {
		cfg.Sleep = w.sleep
	}
	return cfg
}

func newClient(t *testing.T, f *fakeSpotify, w *waits) *spotify.Client {
	t.Helper()
	c, err := spotify.New(context.Background(), config(f, w))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewCredentials(t *testing.T) {
	t.Run("ok", func(t *testing.T) {
		f := newFake(t)
		newClient(t, f, nil)
		if got := f.count("/api/token"); got != 1 {
			t.Errorf("token requests = %d, want 1", got)
		}
	})
	t.Run("refused", func(t *testing.T) {
		f := newFake(t)
		f.refuse = true
		_, err := spotify.New(context.Background(), config(f, nil))
		if !errors.Is(err, spotify.ErrBadCredentials) {
			t.Fatalf("err = %v, want ErrBadCredentials", err)
		}
		for _, want := range []string{"invalid_client", "SPOTIFY_ID", "SPOTIFY_SECRET"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not mention %q", err, want)
			}
		}
	})
	t.Run("missing", func(t *testing.T) {
		t.Setenv("SPOTIFY_ID", "")
		t.Setenv("SPOTIFY_SECRET", "")
		_, err := spotify.New(context.Background(), spotify.Config{})
		if !errors.Is(err, spotify.ErrNoCredentials) {
			t.Fatalf("err = %v, want ErrNoCredentials", err)
		}
	})
	t.Run("from environment", func(t *testing.T) {
		f := newFake(t)
		t.Setenv("SPOTIFY_ID", clientID)
		t.Setenv("SPOTIFY_SECRET", clientSecret)
		cfg := config(f, nil)
		cfg.ClientID, cfg.ClientSecret = "", ""
		if _, err := spotify.New(context.Background(), cfg); err != nil {
			t.Fatal(err)
		}
	})
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name          string
		fixture       string
		artist, title string
		wantID        string
		wantHit       string // in the *MismatchError, when no match
	}{
		{"match", "search_queen.json", "Queen", "Bohemian Rhapsody", idA, ""},
		{"match despite case and punctuation", "search_queen.json", "QUEEN", "bohemian rhapsody!", idA, ""},
		{"different song", "search_mismatch.json", "Queen", "Bohemian Rhapsody", "", "The Dandy Warhols - Bohemian Like You"},
		{"no hits", "search_empty.json", "Nobody", "No Such Song", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.search = tt.fixture
			c := newClient(t, f, nil)
			got, err := c.Resolve(context.Background(), tt.artist, tt.title)
			if tt.wantID != "" {
				if err != nil {
					t.Fatal(err)
				}
				if got.ID != tt.wantID || got.Name != "Bohemian Rhapsody - Remastered 2011" || got.Artist() != "Queen" ||
					got.Album != "A Night At The Opera (2011 Remaster)" || got.Popularity != 84 || got.DurationMS != 354320 {
					t.Errorf("got %+v", got)
				}
				if got.HasFeatures || got.Key != -1 || got.From.Meta != "spotify" {
					t.Errorf("a search hit has no features: %+v", got)
				}
				return
			}
			var me *spotify.MismatchError
			if !errors.As(err, &me) {
				t.Fatalf("err = %v, want *MismatchError", err)
			}
			if me.Hit != tt.wantHit {
				t.Errorf("Hit = %q, want %q", me.Hit, tt.wantHit)
			}
			if tt.wantHit != "" && (!strings.Contains(err.Error(), "different song") || !strings.Contains(err.Error(), idMis)) {
				t.Errorf("error %q does not say it found a different song", err)
			}
			// Both the fielded and the plain query were tried.
			if n := f.count("/v1/search"); n != 2 {
				t.Errorf("searches = %d, want 2", n)
			}
		})
	}
}

func TestMatches(t *testing.T) {
	tests := []struct {
		artist, title string
		hitArtists    []string
		hitTitle      string
		want          bool
	}{
		{"Queen", "Bohemian Rhapsody", []string{"Queen"}, "Bohemian Rhapsody - Remastered 2011", true},
		{"Queen", "Bohemian Rhapsody", []string{"The Dandy Warhols"}, "Bohemian Like You", false},
		{"Queen", "Bohemian Rhapsody", []string{"Queen Latifah"}, "Bohemian Rhapsody", false},
		{"Beyonce", "Crazy in Love", []string{"Beyoncé", "JAY-Z"}, "Crazy In Love (feat. Jay-Z)", true},
		{"Beyoncé feat. Jay-Z", "Crazy In Love", []string{"Beyoncé", "JAY-Z"}, "Crazy In Love", true},
		{"Jay Z", "Crazy In Love", []string{"Beyoncé", "JAY-Z"}, "Crazy In Love", true},
		{"Dandy Warhols", "Bohemian Like You", []string{"The Dandy Warhols"}, "Bohemian Like You", true},
		{"Simon & Garfunkel", "The Boxer", []string{"Simon and Garfunkel"}, "The Boxer", true},
		{"Sigur Rós", "Hoppípolla", []string{"Sigur Ros"}, "Hoppipolla", true},
		{"Mø", "Lean On", []string{"Major Lazer", "MØ", "DJ Snake"}, "Lean On (feat. MØ & DJ Snake)", true},
		{"Guns N' Roses", "Don't Cry", []string{"Guns N' Roses"}, "Dont Cry - Original", true},
		{"Daft Punk", "One More Time", []string{"Daft Punk"}, "Around the World", false},
		{"", "", []string{"Queen"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.artist+" - "+tt.title, func(t *testing.T) {
			if got := spotify.Matches(tt.artist, tt.title, tt.hitArtists, tt.hitTitle); got != tt.want {
				t.Errorf("Matches(%q, %q, %q, %q) = %v, want %v", tt.artist, tt.title, tt.hitArtists, tt.hitTitle, got, tt.want)
			}
		})
	}
}

func TestGetFeatures(t *testing.T) {
	f := newFake(t)
	c := newClient(t, f, nil)
	ids := []string{idA, idUnknown, idC, "0TrackFixture000000000", "0TrackFixture000000001", "7ouMYWpwJ422jRcDASZB7P"}
	got, err := c.GetFeatures(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ids) {
		t.Fatalf("len = %d, want %d", len(got), len(ids))
	}
	if got[1] != nil || got[5] != nil {
		t.Errorf("unknown ids should give nil entries: %v, %v", got[1], got[5])
	}
	a := got[0]
	want := features.Vector{0.011, 0.4, 0.5, 0.000123, 0.0921, -9.211, 0.0342, 0.301}
	if a.ID != idA || !a.HasFeatures || a.Features != want {
		t.Errorf("A: features %v (has %v), want exactly %v", a.Features, a.HasFeatures, want)
	}
	if a.Key != 0 || a.Mode != 0 || a.Tempo != 100.123 || a.TimeSignature != 4 || a.From.Features != "spotify" {
		t.Errorf("A: key %d mode %d tempo %v ts %d from %q", a.Key, a.Mode, a.Tempo, a.TimeSignature, a.From.Features)
	}
	if got[2].Key != -1 {
		t.Errorf("C: key %d, want -1 (unknown)", got[2].Key)
	}
	if r0 := got[3]; r0.Tempo != 0 || r0.Mode != 1 {
		t.Errorf("R0: tempo %v mode %d, want 0 (unknown) and 1", r0.Tempo, r0.Mode)
	}
	if r1 := got[4]; r1.TimeSignature != 3 {
		t.Errorf("R1: time signature %d, want 3", r1.TimeSignature)
	}
}

func TestGetFeaturesBatches(t *testing.T) {
	f := newFake(t)
	c := newClient(t, f, nil)
	ids := make([]string, 250)
	for i := range ids {
		ids[i] = fmt.Sprintf("0Batch%016d", i)
	}
	got, err := c.GetFeatures(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 250 {
		t.Fatalf("len = %d", len(got))
	}
	var sizes []int
	next := 0
	for _, b := range f.featIDs {
		sizes = append(sizes, len(b))
		for _, id := range b {
			if id != ids[next] {
				t.Fatalf("asked %s at position %d, want %s", id, next, ids[next])
			}
			next++
		}
	}
	if fmt.Sprint(sizes) != "[100 100 50]" {
		t.Errorf("batch sizes %v, want [100 100 50]", sizes)
	}
}

func TestPool(t *testing.T) {
	f := newFake(t)
	c := newClient(t, f, nil)
	p := &spotify.Pool{Client: c}
	seeds := []*features.Track{{ID: idA}, {ID: idB}}
	got, err := p.Candidates(context.Background(), seeds)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, t := range got {
		ids = append(ids, strings.TrimPrefix(t.ID, "0TrackFixture00000000"))
	}
	// A's list, B's new ones (A itself left out), then the joint list's.
	if want := "[0 1 2 3 4 5 6 7]"; fmt.Sprint(ids) != want {
		t.Errorf("candidates %v, want %v", ids, want)
	}
	if n := f.count("/v1/recommendations"); n != 3 {
		t.Errorf("recommendation requests = %d, want 3", n)
	}
	if n := f.count("/v1/audio-features"); n != 1 {
		t.Errorf("audio-features requests = %d, want 1", n)
	}
	for _, tr := range got {
		unknown := tr.ID == idUnknown
		if tr.HasFeatures == unknown {
			t.Errorf("%s: HasFeatures %v", tr.ID, tr.HasFeatures)
		}
		if unknown {
			if !math.IsNaN(tr.Features[0]) || tr.Key != -1 {
				t.Errorf("%s: no features, but %v key %d", tr.ID, tr.Features, tr.Key)
			}
			continue
		}
		if tr.Name == "" || tr.Artist() == "" || tr.From.Meta != "spotify" || tr.From.Features != "spotify" {
			t.Errorf("%s: incomplete %+v", tr.ID, tr)
		}
	}
}

func TestFailures(t *testing.T) {
	tests := []struct {
		name    string
		path    string
		replies []reply
		call    string // "features", "pool"
		// wantErr is "" for success, else a substring of the error.
		wantErr    string
		wantClosed bool
		wantHits   int
		wantWaits  string
	}{
		{"429 then success", "/v1/audio-features", []reply{{429, retryAfter(1), "error_429.json"}},
			"features", "", false, 2, "[1s]"},
		{"429 without Retry-After waits 5s", "/v1/audio-features", []reply{{429, nil, "error_429.json"}},
			"features", "", false, 2, "[5s]"},
		{"500 then success", "/v1/audio-features", []reply{{500, nil, "error_500.json"}},
			"features", "", false, 2, "[500ms]"},
		{"503 twice then success", "/v1/audio-features", []reply{{503, nil, ""}, {503, nil, ""}},
			"features", "", false, 3, "[500ms 1s]"},
		{"500 until retries run out", "/v1/audio-features", []reply{{500, nil, "error_500.json"}, {500, nil, "error_500.json"}, {500, nil, "error_500.json"}, {500, nil, "error_500.json"}},
			"features", "HTTP 500", false, 4, "[500ms 1s 2s]"},
		{"403 on audio features", "/v1/audio-features", []reply{{403, nil, "error_403.json"}},
			"features", "GET /audio-features answered 403", true, 1, "[]"},
		{"404 on recommendations", "/v1/recommendations", []reply{{404, nil, "error_404.json"}},
			"pool", "GET /recommendations answered 404", true, 1, "[]"},
		{"404 with an empty body", "/v1/recommendations", []reply{{404, nil, ""}},
			"pool", "GET /recommendations answered 404", true, 1, "[]"},
		{"403 on the pool's features", "/v1/audio-features", []reply{{403, nil, "error_403.json"}},
			"pool", "GET /audio-features answered 403", true, 1, "[]"},
		{"401 is not a closed endpoint", "/v1/audio-features", []reply{{401, nil, `{"error":{"status":401,"message":"The access token expired"}}`}},
			"features", "HTTP 401 Unauthorized: The access token expired", false, 1, "[]"},
		{"Retry-After too long", "/v1/audio-features", []reply{{429, retryAfter(3600), "error_429.json"}},
			"features", "wait 1h0m0s", false, 1, "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			w := &waits{}
			c := newClient(t, f, w)
			f.push(tt.path, tt.replies...)
			var err error
			switch tt.call {
			case "features":
				var got []*features.Track
				got, err = c.GetFeatures(context.Background(), []string{idA, idUnknown})
				if err == nil && (got[0] == nil || !got[0].HasFeatures || got[1] != nil) {
					t.Errorf("after the retries: %v", got)
				}
			case "pool":
				_, err = (&spotify.Pool{Client: c}).Candidates(context.Background(), []*features.Track{{ID: idA}, {ID: idB}})
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
			} else if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
			}
			if err != nil && (strings.Contains(err.Error(), idA) || strings.Contains(err.Error(), "ids=")) {
				t.Errorf("error %q names the request's ids", err)
			}
			if got := errors.Is(err, spotify.ErrEndpointClosed); got != tt.wantClosed {
				t.Errorf("errors.Is(err, ErrEndpointClosed) = %v, want %v", got, tt.wantClosed)
			}
			if tt.wantClosed {
				var ce *spotify.ClosedError
				if !errors.As(err, &ce) {
					t.Fatalf("err is %T, want *ClosedError", err)
				}
				// One clear message: what happened and what to do instead.
				for _, s := range []string{"2024-11-27", "embedded catalog", "--catalog", "Exportify", "--source reccobeats"} {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("message %q does not mention %q", err, s)
					}
				}
			}
			if got := f.count(tt.path); got != tt.wantHits {
				t.Errorf("requests to %s = %d, want %d", tt.path, got, tt.wantHits)
			}
			if got := fmt.Sprint(w.all()); got != tt.wantWaits {
				t.Errorf("waits %s, want %s", got, tt.wantWaits)
			}
		})
	}
}

// TestTransportErrorRedacted: a connection dropped mid-request is an error
// that names the endpoint, host and path, never the query with the ids.
func TestTransportErrorRedacted(t *testing.T) {
	f := newFake(t)
	c := newClient(t, f, &waits{})
	f.onRequest = func(path string, n int, r *http.Request) {
		if path == "/v1/audio-features" {
			panic(http.ErrAbortHandler) // the server drops the connection
		}
	}
	_, err := c.GetFeatures(context.Background(), []string{idA, idB})
	if err == nil {
		t.Fatal("no error for a dropped connection")
	}
	msg := err.Error()
	if strings.Contains(msg, idA) || strings.Contains(msg, "ids=") || strings.Contains(msg, "?") {
		t.Errorf("error %q shows the query", msg)
	}
	if !strings.Contains(msg, "/v1/audio-features") || !strings.Contains(msg, "spotify:") {
		t.Errorf("error %q does not name the endpoint", msg)
	}
}

// TestPlaylist: a playlist's name and tracks come back in order over
// pages; an episode and a removed track are left out and counted.
func TestPlaylist(t *testing.T) {
	f := newFake(t)
	c := newClient(t, f, &waits{})
	pl, skipped, err := c.Playlist(context.Background(), "37i9dQZF1DXcBWIGoYBM5M")
	if err != nil {
		t.Fatal(err)
	}
	if pl.Name != "Road Trip" || len(pl.Tracks) != 3 || skipped != 2 {
		t.Fatalf("playlist %q, %d tracks, %d skipped; want Road Trip, 3, 2", pl.Name, len(pl.Tracks), skipped)
	}
	for i, want := range []string{idA, idB, idUnknown} {
		if pl.Tracks[i].ID != want {
			t.Errorf("track %d is %s, want %s", i, pl.Tracks[i].ID, want)
		}
	}
	if q := pl.Tracks[0]; q.Name != "Bohemian Rhapsody" || q.Artist() != "Queen" || q.HasFeatures {
		t.Errorf("first track %+v", q)
	}
	f.push("/v1/playlists/{id}", reply{404, nil, "error_404.json"})
	if _, _, err := c.Playlist(context.Background(), "37i9dQZF1DXcBWIGoYBM5M"); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Errorf("a closed playlist: %v", err)
	}
}

// TestRetryAfterRealWait runs the default sleeper once, with the shortest
// wait the header can ask for.
func TestRetryAfterRealWait(t *testing.T) {
	f := newFake(t)
	c := newClient(t, f, nil)
	f.push("/v1/audio-features", reply{429, retryAfter(0), "error_429.json"})
	got, err := c.GetFeatures(context.Background(), []string{idA})
	if err != nil || got[0] == nil {
		t.Fatalf("got %v, %v", got, err)
	}
	if n := f.count("/v1/audio-features"); n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
}

func TestCancel(t *testing.T) {
	t.Run("mid-fetch", func(t *testing.T) {
		f := newFake(t)
		c := newClient(t, f, nil)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		f.onRequest = func(path string, n int, r *http.Request) {
			if path == "/v1/audio-features" && n == 2 {
				cancel()
				<-r.Context().Done() // the client gives up on this request
			}
		}
		ids := make([]string, 350)
		for i := range ids {
			ids[i] = fmt.Sprintf("0Cancel%015d", i)
		}
		_, err := c.GetFeatures(ctx, ids)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if n := f.count("/v1/audio-features"); n != 2 {
			t.Errorf("requests = %d, want 2 (none after the cancel)", n)
		}
	})
	t.Run("during a Retry-After wait", func(t *testing.T) {
		f := newFake(t)
		c := newClient(t, f, nil) // the real sleeper
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		f.push("/v1/audio-features", reply{429, retryAfter(60), "error_429.json"})
		f.onRequest = func(path string, n int, r *http.Request) {
			if path == "/v1/audio-features" {
				time.AfterFunc(10*time.Millisecond, cancel)
			}
		}
		_, err := c.GetFeatures(ctx, []string{idA})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
}
