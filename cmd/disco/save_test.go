package main

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fakeSpotifyAccount plays Spotify's authorisation server and the
// playlist endpoints of the Web API for one user.
type fakeSpotifyAccount struct {
	srv       *httptest.Server
	mu        sync.Mutex
	challenge string
	redirect  string
	exchanged int
	created   []map[string]any
	items     []string
	batches   int
}

func newFakeSpotifyAccount(t *testing.T) *fakeSpotifyAccount {
	f := &fakeSpotifyAccount{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("client_id") != "save-client" || q.Get("code_challenge_method") != "S256" || q.Get("response_type") != "code" ||
			!strings.Contains(q.Get("scope"), "playlist-modify-private") {
			http.Error(w, "bad request", 400)
			return
		}
		f.mu.Lock()
		f.challenge, f.redirect = q.Get("code_challenge"), q.Get("redirect_uri")
		f.mu.Unlock()
		u, _ := url.Parse(q.Get("redirect_uri"))
		u.RawQuery = url.Values{"code": {"the-code"}, "state": {q.Get("state")}}.Encode()
		http.Redirect(w, r, u.String(), http.StatusFound)
	})
	mux.HandleFunc("POST /api/token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		f.mu.Lock()
		ok := r.PostForm.Get("grant_type") == "authorization_code" && r.PostForm.Get("code") == "the-code" &&
			r.PostForm.Get("client_id") == "save-client" && r.PostForm.Get("redirect_uri") == f.redirect &&
			base64.RawURLEncoding.EncodeToString(sum[:]) == f.challenge
		if ok {
			f.exchanged++
		}
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if !ok {
			w.WriteHeader(400)
			fmt.Fprint(w, `{"error":"invalid_grant","error_description":"code_verifier was incorrect"}`)
			return
		}
		fmt.Fprint(w, `{"access_token":"BQDsave","token_type":"Bearer","expires_in":3600,"refresh_token":"AQDsave","scope":"playlist-modify-private playlist-modify-public"}`)
	})
	mux.HandleFunc("POST /v1/me/playlists", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer BQDsave" {
			w.WriteHeader(401)
			return
		}
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		f.mu.Lock()
		f.created = append(f.created, body)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		fmt.Fprint(w, `{"collaborative":false,"description":"d","external_urls":{"spotify":"https://open.spotify.com/playlist/3cEYpjA9oz9GiPac4AsH4n"},`+
			`"followers":{"href":null,"total":0},"href":"https://api.spotify.com/v1/playlists/3cEYpjA9oz9GiPac4AsH4n","id":"3cEYpjA9oz9GiPac4AsH4n",`+
			`"images":[],"name":"n","owner":{"id":"u","type":"user","uri":"spotify:user:u"},"public":false,"snapshot_id":"AAAAAQ==",`+
			`"tracks":{"href":"https://api.spotify.com/v1/playlists/3cEYpjA9oz9GiPac4AsH4n/tracks","total":0},"type":"playlist","uri":"spotify:playlist:3cEYpjA9oz9GiPac4AsH4n"}`)
	})
	mux.HandleFunc("POST /v1/playlists/3cEYpjA9oz9GiPac4AsH4n/items", func(w http.ResponseWriter, r *http.Request) {
		var body struct{ URIs []string }
		json.NewDecoder(r.Body).Decode(&body)
		f.mu.Lock()
		f.items = append(f.items, body.URIs...)
		f.batches++
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		fmt.Fprint(w, `{"snapshot_id":"AAAAAg=="}`)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	oldAPI, oldAuth, oldToken, oldOpen := spotifyAPIURL, spotifyAuthURL, spotifyTokenURL, openBrowser
	spotifyAPIURL, spotifyAuthURL, spotifyTokenURL = f.srv.URL+"/v1/", f.srv.URL+"/authorize", f.srv.URL+"/api/token"
	// The browser: follow the authorisation URL and Spotify's redirect.
	openBrowser = func(u string) error {
		resp, err := http.Get(u)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	t.Cleanup(func() {
		spotifyAPIURL, spotifyAuthURL, spotifyTokenURL, openBrowser = oldAPI, oldAuth, oldToken, oldOpen
	})
	t.Setenv("SPOTIFY_ID", "save-client")
	return f
}

func TestSave(t *testing.T) {
	dir := isolate(t)
	f := newFakeSpotifyAccount(t)
	var m3u strings.Builder
	m3u.WriteString("#EXTM3U\n")
	for i, id := range fetchIDs {
		fmt.Fprintf(&m3u, "#EXTINF:%d,Artist %d - Song %d\nspotify:track:%s\n", 200+i, i, i, id)
	}
	in := writeFile(t, filepath.Join(dir, "flow.m3u8"), m3u.String())
	token := filepath.Join(dir, "tok", "spotify-token.json")
	stdout, stderr, err := runDisco(context.Background(), "save", "--to", "spotify", "--in", in, "--name", "Disco Flow",
		"--redirect", "http://127.0.0.1:0/callback", "--token", token)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if want := `saved 5 tracks to "Disco Flow": https://open.spotify.com/playlist/3cEYpjA9oz9GiPac4AsH4n`; !strings.Contains(stdout, want) {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	if !strings.Contains(stderr, f.srv.URL+"/authorize?") {
		t.Errorf("the authorisation URL was not printed: %q", stderr)
	}
	if f.exchanged != 1 || len(f.created) != 1 || f.created[0]["name"] != "Disco Flow" || f.created[0]["public"] != false {
		t.Errorf("exchanged %d, created %v", f.exchanged, f.created)
	}
	var want []string
	for _, id := range fetchIDs {
		want = append(want, "spotify:track:"+id)
	}
	if fmt.Sprint(f.items) != fmt.Sprint(want) {
		t.Errorf("items %v, want %v", f.items, want)
	}
	if fi, err := os.Stat(token); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("token file: %v, %v", fi, err)
	}

	// The saved token is used again: no second authorisation. The playlist
	// name defaults to the file's.
	openBrowser = func(string) error { t.Error("browser opened again"); return nil }
	stdout, _, err = runDisco(context.Background(), "save", "--in", in, "--token", token, "--redirect", "http://127.0.0.1:0/callback")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, `to "flow"`) || f.exchanged != 1 {
		t.Errorf("second save: %q, %d exchanges", stdout, f.exchanged)
	}
}

func TestSaveErrors(t *testing.T) {
	dir := isolate(t)
	newFakeSpotifyAccount(t)
	local := writeFile(t, filepath.Join(dir, "local.m3u8"), "#EXTM3U\n#EXTINF:200,A - B\n/music/a.mp3\n")
	empty := writeFile(t, filepath.Join(dir, "empty.txt"), "")
	tests := []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"other target", []string{"save", "--to", "apple", "--in", local}, true, ""},
		{"no input", []string{"save", "--to", "spotify"}, true, ""},
		{"local file", []string{"save", "--in", local}, false, "local.m3u8"},
		{"no tracks", []string{"save", "--in", empty}, false, "no tracks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, err := runDisco(context.Background(), tt.args...)
			if tt.usage {
				if !errors.Is(err, errUsage) || stderr == "" {
					t.Errorf("err = %v, stderr %q; want a usage error", err, stderr)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}
