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
	"testing"

	"github.com/discoflow/disco/selector/export"
)

const sortInput = "testdata/post_teen_pop.csv" // an Exportify export without features, 26 songs

func TestSortCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "sorted.json")
	_, errOut, err := buildRun(t, "sort", "--in", sortInput, "--first", "Bruno Mars - Just the Way You Are", "--plot", filepath.Join(dir, "flow.png"), "-o", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var es []export.Entry
	if err := json.Unmarshal(b, &es); err != nil {
		t.Fatal(err)
	}
	if len(es) != 26 || es[0].Title != "Just the Way You Are" {
		t.Fatalf("%d songs, first %q; want 26 from Just the Way You Are", len(es), es[0].Title)
	}
	for _, want := range []string{"26 songs: 26 features from the embedded catalog", "sorted 26 songs: cost", "(greedy", "your order", "key-compatible"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	// The sorted file sorts to itself: its own order costs what the sort finds.
	_, errOut, err = buildRun(t, "sort", "--in", out, "--lock", "1", "--format", "m3u8")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "26 songs: 26 features") {
		t.Errorf("re-reading disco's JSON: %s", errOut)
	}
}

func TestSortBadInput(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.txt")
	os.WriteFile(empty, nil, 0o644)
	unknown := filepath.Join(dir, "unknown.txt")
	os.WriteFile(unknown, []byte("spotify:track:4uLU6hMCjMI75M1A2tKUQC\nspotify:track:7BqBn9nzAq8spo5e7cZ0dJ\n"), 0o644)
	keep := filepath.Join(dir, "keep.m3u8")
	os.WriteFile(keep, []byte("keep me"), 0o644)
	for _, tc := range []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"no --in", nil, true, ""},
		{"empty file", []string{"--in", empty}, false, "no songs"},
		{"unknown song", []string{"--in", unknown}, false, "have no audio features"},
		{"first is last", []string{"--in", sortInput, "--first", "Rude", "--last", "Rude"}, false, "same song"},
		{"lock too long", []string{"--in", sortInput, "--lock", "30"}, false, "has 26 songs"},
		{"pin beyond", []string{"--in", sortInput, "--pin", "Rude@40"}, false, "beyond"},
		{"two on one place", []string{"--in", sortInput, "--first", "Rude", "--pin", "Diamonds@1"}, false, "both want position 1"},
		{"bad arc", []string{"--in", sortInput, "--arc", "zigzag"}, false, "want one of"},
		{"bad arc points", []string{"--in", sortInput, "--arc", "0:0.3,0.5"}, false, "not at:value"},
		{"bad arc weight", []string{"--in", sortInput, "--arc", "rise", "--arc-weight", "0"}, false, "--arc-weight: 0 is not"},
		{"pin without a position", []string{"--in", sortInput, "--pin", "Rude"}, false, "want SONG@POSITION"},
		{"bad effort", []string{"--in", sortInput, "--effort", "huge"}, false, "effort"},
		{"NaN knob", []string{"--in", sortInput, "--sweetness", "NaN", "-o", keep}, false, "--sweetness"},
		{"strict", []string{"--in", sortInput, "--strict-key", "--strict", "-o", keep}, false, "rules broken"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, err := buildRun(t, append([]string{"sort"}, tc.args...)...)
			if tc.usage {
				if !errors.Is(err, errUsage) {
					t.Errorf("err %v, want a usage error", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q\n%s", err, tc.want, errOut)
			}
		})
	}
	if b, _ := os.ReadFile(keep); string(b) != "keep me" {
		t.Errorf("a failed sort replaced -o: %q", b)
	}
	// --drop-unknown sorts the known song and names the other.
	out, errOut, err := buildRun(t, "sort", "--in", unknown, "--drop-unknown", "--format", "csv")
	if err != nil || !strings.Contains(errOut, "left out 1 songs without audio features") {
		t.Errorf("--drop-unknown: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "Just the Way You Are") {
		t.Errorf("a bare id is not named after the catalog's song:\n%s", out)
	}
}

// TestSortSpotifyPlaylist: --in a Spotify playlist URL reads it through
// the real client from a server that speaks Spotify's JSON (two pages),
// fills the songs' features from the embedded catalog and sorts them; a
// playlist Spotify does not serve (404) is an error naming the endpoint.
func TestSortSpotifyPlaylist(t *testing.T) {
	dir := isolate(t)
	rows := strings.Split(strings.TrimSpace(mustRead(t, sortInput)), "\n")[1:9]
	item := func(row string) string {
		f := strings.Split(row, ",")
		id := strings.TrimPrefix(f[0], "spotify:track:")
		return `{"track":{"type":"track","id":"` + id + `","name":"` + f[1] + `","artists":[{"name":"` + f[2] + `","id":"a"}],"album":{"name":"x"},"duration_ms":200000,"popularity":50}}`
	}
	var page1, page2 []string
	for i, r := range rows {
		if i < 5 {
			page1 = append(page1, item(r))
		} else {
			page2 = append(page2, item(r))
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/api/token":
			fmt.Fprint(w, `{"access_token":"BQCfixture","token_type":"Bearer","expires_in":3600}`)
		case r.URL.Path == "/v1/playlists/37i9dQZF1DX0XUsuxWHRQd":
			fmt.Fprint(w, `{"name":"Pop Party"}`)
		case r.URL.Path == "/v1/playlists/37i9dQZF1DX0XUsuxWHRQd/items" && r.URL.Query().Get("offset") == "0":
			fmt.Fprintf(w, `{"items":[%s],"next":"http://%s/v1/playlists/37i9dQZF1DX0XUsuxWHRQd/items?offset=5&limit=100"}`, strings.Join(page1, ","), r.Host)
		case r.URL.Path == "/v1/playlists/37i9dQZF1DX0XUsuxWHRQd/items":
			fmt.Fprintf(w, `{"items":[%s,{"track":null}],"next":null}`, strings.Join(page2, ","))
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":{"status":404,"message":"Resource not found"}}`)
		}
	}))
	defer srv.Close()
	oldAPI, oldToken := spotifyAPIURL, spotifyTokenURL
	spotifyAPIURL, spotifyTokenURL = srv.URL+"/v1/", srv.URL+"/api/token"
	t.Cleanup(func() { spotifyAPIURL, spotifyTokenURL = oldAPI, oldToken })
	t.Setenv("SPOTIFY_ID", "id")
	t.Setenv("SPOTIFY_SECRET", "secret")
	out := filepath.Join(dir, "sorted.m3u8")
	_, stderr, err := runDisco(context.Background(), "sort", "--in", "https://open.spotify.com/playlist/37i9dQZF1DX0XUsuxWHRQd?si=abc", "-o", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, `Spotify playlist "Pop Party": 8 tracks (1 episodes or removed tracks left out)`) || !strings.Contains(stderr, "sorted 8 songs") {
		t.Errorf("stderr:\n%s", stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if id := strings.TrimPrefix(strings.Split(r, ",")[0], "spotify:track:"); !strings.Contains(string(b), id) {
			t.Errorf("%s missing from the sorted playlist", id)
		}
	}
	if _, _, err := runDisco(context.Background(), "sort", "--in", "spotify:playlist:37i9dQZF1DXcBWIGoYBM5M"); err == nil || !strings.Contains(err.Error(), "GET /playlists/{id}") || !strings.Contains(err.Error(), "404") {
		t.Errorf("a playlist Spotify does not serve: %v", err)
	}
	if _, _, err := runDisco(context.Background(), "sort", "--in", "https://open.spotify.com/album/37i9dQZF1DXcBWIGoYBM5M"); err == nil || !strings.Contains(err.Error(), "is not a Spotify playlist") {
		t.Errorf("an album URL: %v", err)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
