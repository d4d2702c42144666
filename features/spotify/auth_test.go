package spotify_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/discoflow/disco/features/spotify"
	"golang.org/x/oauth2"
)

// browser plays the user's browser: it follows the authorisation URL, and
// the fake's redirect, to the loopback callback.
func browser(t *testing.T, got chan<- string) func(string) error {
	return func(u string) error {
		resp, err := http.Get(u)
		if err != nil {
			got <- err.Error()
			return err
		}
		resp.Body.Close()
		got <- resp.Status
		return nil
	}
}

func userAuth(t *testing.T, f *fakeSpotify, open func(string) error) *spotify.UserAuth {
	return &spotify.UserAuth{
		ClientID:    clientID,
		AuthURL:     f.srv.URL + "/authorize",
		TokenURL:    f.srv.URL + "/api/token",
		RedirectURL: "http://127.0.0.1:0/callback",
		TokenFile:   filepath.Join(t.TempDir(), "disco", "spotify-token.json"),
		OpenBrowser: open,
		Timeout:     10 * time.Second,
	}
}

func TestPKCE(t *testing.T) {
	f := newFake(t)
	pages := make(chan string, 1)
	ua := userAuth(t, f, browser(t, pages))
	var out strings.Builder
	ua.Out = &out
	hc, err := ua.Client(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := <-pages; got != "200 OK" {
		t.Errorf("the callback page answered %s", got)
	}
	// The fake checked client id, code, redirect URI and that
	// base64url(sha256(verifier)) is the S256 challenge; it answers only then.
	if fmt.Sprint(f.grants) != "[authorization_code]" {
		t.Errorf("grants %v, want one authorization_code", f.grants)
	}
	if !strings.HasPrefix(f.redirect, "http://127.0.0.1:") || !strings.HasSuffix(f.redirect, "/callback") || strings.Contains(f.redirect, ":0/") {
		t.Errorf("redirect URI %q is not a loopback URL with a real port", f.redirect)
	}
	if !strings.Contains(out.String(), f.srv.URL+"/authorize?") {
		t.Errorf("the URL was not printed: %q", out.String())
	}
	fi, err := os.Stat(ua.TokenFile)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v, want 0600", fi.Mode().Perm())
	}
	tok, err := spotify.LoadToken(ua.TokenFile)
	if err != nil || tok.AccessToken != userToken1 || tok.RefreshToken != refreshToken {
		t.Fatalf("saved token %+v, %v", tok, err)
	}

	// The authorised client creates a playlist with today's endpoints.
	c := spotify.NewWithHTTPClient(hc, f.srv.URL+"/v1/")
	ids := make([]string, 250)
	for i := range ids {
		ids[i] = fmt.Sprintf("0Save%017d", i)
	}
	p, err := c.CreatePlaylist(context.Background(), "disco test", "Ordered by disco", false, ids)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "3cEYpjA9oz9GiPac4AsH4n" || p.Added != 250 || p.URL != "https://open.spotify.com/playlist/3cEYpjA9oz9GiPac4AsH4n" {
		t.Errorf("playlist %+v", p)
	}
	if len(f.created) != 1 || f.created[0]["name"] != "disco test" || f.created[0]["public"] != false {
		t.Errorf("POST /me/playlists bodies %v", f.created)
	}
	var sizes []int
	var added []string
	for _, b := range f.added {
		sizes = append(sizes, len(b))
		added = append(added, b...)
	}
	if fmt.Sprint(sizes) != "[100 100 50]" {
		t.Errorf("item batches %v, want [100 100 50]", sizes)
	}
	for i, u := range added {
		if u != "spotify:track:"+ids[i] {
			t.Fatalf("item %d = %s, want spotify:track:%s", i, u, ids[i])
		}
	}
	for _, b := range f.bearer {
		if b != "Bearer "+userToken1 {
			t.Errorf("API request with %q, want the user's token", b)
		}
	}

	// An expired token is refreshed, and the new one saved (keeping the
	// refresh token, which Spotify does not always send again).
	tok.Expiry = time.Now().Add(-time.Hour)
	if err := spotify.SaveToken(ua.TokenFile, tok); err != nil {
		t.Fatal(err)
	}
	ua.OpenBrowser = func(string) error { t.Error("a saved token should not need the browser"); return nil }
	hc, err = ua.Client(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(f.grants) != "[authorization_code refresh_token]" {
		t.Errorf("grants %v, want a refresh", f.grants)
	}
	tok, err = spotify.LoadToken(ua.TokenFile)
	if err != nil || tok.AccessToken != userToken2 || tok.RefreshToken != refreshToken {
		t.Errorf("after refresh the file holds %+v, %v", tok, err)
	}
	f.bearer = nil
	if _, err := spotify.NewWithHTTPClient(hc, f.srv.URL+"/v1/").CreatePlaylist(context.Background(), "again", "", true, ids[:1]); err != nil {
		t.Fatal(err)
	}
	if len(f.bearer) == 0 || f.bearer[0] != "Bearer "+userToken2 {
		t.Errorf("after refresh requests carry %v", f.bearer)
	}
}

// TestPKCEPersistsLaterRefresh checks that a token refreshed while the
// client is in use is written back.
func TestPKCEPersistsLaterRefresh(t *testing.T) {
	f := newFake(t)
	ua := userAuth(t, f, nil)
	// A token that is valid now but expires within oauth2's 10 s margin the
	// moment it is used.
	tok := &oauth2.Token{AccessToken: userToken1, TokenType: "Bearer", RefreshToken: refreshToken, Expiry: time.Now().Add(11 * time.Second)}
	if err := spotify.SaveToken(ua.TokenFile, tok); err != nil {
		t.Fatal(err)
	}
	hc, err := ua.Client(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond)
	if _, err := spotify.NewWithHTTPClient(hc, f.srv.URL+"/v1/").CreatePlaylist(context.Background(), "x", "", false, nil); err != nil {
		t.Fatal(err)
	}
	saved, _ := spotify.LoadToken(ua.TokenFile)
	if fmt.Sprint(f.grants) != "[refresh_token]" || saved.AccessToken != userToken2 {
		t.Errorf("grants %v, saved %q; want a refresh written back", f.grants, saved.AccessToken)
	}
}

func TestPKCEWrongState(t *testing.T) {
	f := newFake(t)
	f.wrongState = true
	pages := make(chan string, 1)
	ua := userAuth(t, f, browser(t, pages))
	_, err := ua.Client(context.Background())
	if err == nil || !strings.Contains(err.Error(), "wrong state") {
		t.Fatalf("err = %v, want a wrong-state error", err)
	}
	if got := <-pages; got != "400 Bad Request" {
		t.Errorf("callback answered %s, want 400", got)
	}
	if len(f.grants) != 0 {
		t.Errorf("a code with a wrong state was exchanged: %v", f.grants)
	}
	if _, err := os.Stat(ua.TokenFile); err == nil {
		t.Error("a token file was written")
	}
}

func TestPKCECancel(t *testing.T) {
	f := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	ua := userAuth(t, f, func(string) error { cancel(); return nil }) // the user never agrees; Ctrl-C
	_, err := ua.Client(ctx)
	if err == nil || ctx.Err() == nil || !strings.Contains(err.Error(), "canceled") {
		t.Fatalf("err = %v, want cancellation", err)
	}
}

func TestCreatePlaylistPartial(t *testing.T) {
	f := newFake(t)
	c := spotify.NewWithHTTPClient(&http.Client{Transport: bearer{userToken1}}, f.srv.URL+"/v1/")
	f.push("/v1/playlists/{id}/items", reply{201, nil, "playlist_items.json"}, reply{500, nil, "error_500.json"})
	ids := make([]string, 150)
	for i := range ids {
		ids[i] = fmt.Sprintf("0Part%017d", i)
	}
	p, err := c.CreatePlaylist(context.Background(), "partial", "", false, ids)
	if err == nil || !strings.Contains(err.Error(), "with 100 of 150 tracks") {
		t.Fatalf("err = %v", err)
	}
	if p == nil || p.Added != 100 {
		t.Errorf("playlist %+v, want 100 added", p)
	}
	// A POST is not retried on 5xx (it might have been applied).
	if n := f.count("/v1/playlists/{id}/items"); n != 2 {
		t.Errorf("item requests = %d, want 2", n)
	}
}

type bearer struct{ token string }

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}
