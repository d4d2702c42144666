package spotify

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/discoflow/disco/internal/atomic"
	spotifyauth "github.com/zmb3/spotify/v2/auth"
	"golang.org/x/oauth2"
)

// DefaultRedirectURL is the loopback redirect UserAuth uses unless told
// otherwise. Register it, exactly, in the app's settings on Spotify's
// dashboard.
const DefaultRedirectURL = "http://127.0.0.1:8888/callback"

// SaveScopes are the scopes needed to create a playlist and add tracks.
var SaveScopes = []string{spotifyauth.ScopePlaylistModifyPrivate, spotifyauth.ScopePlaylistModifyPublic}

// UserAuth authorises disco to act for a user with the authorization-code
// flow and PKCE (no client secret involved) and a loopback redirect. The
// zero value uses $SPOTIFY_ID, Spotify's URLs, SaveScopes,
// DefaultRedirectURL, DefaultTokenFile, a 5-minute wait for the user and
// the system browser.
type UserAuth struct {
	ClientID    string   // "" means $SPOTIFY_ID
	AuthURL     string   // "" means spotifyauth.AuthURL
	TokenURL    string   // "" means spotifyauth.TokenURL
	Scopes      []string // nil means SaveScopes
	RedirectURL string   // http://127.0.0.1:PORT/PATH; port 0 picks a free one; "" means DefaultRedirectURL
	TokenFile   string   // "" means DefaultTokenFile()

	// HTTPClient carries token requests and, under the returned client,
	// API requests; nil means http.DefaultTransport with a 30 s timeout.
	HTTPClient *http.Client
	Timeout    time.Duration // longest wait for the browser's redirect; 0 means 5 minutes

	// Out receives the authorisation URL and instructions; nil discards
	// them (then OpenBrowser is the only way the user sees the URL).
	Out io.Writer
	// OpenBrowser opens the URL; nil means OpenBrowser. Its error is
	// ignored: the URL was printed.
	OpenBrowser func(url string) error
}

// DefaultTokenFile returns where UserAuth caches the user's token:
// os.UserConfigDir()/disco/spotify-token.json.
func DefaultTokenFile() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("spotify: %w", err)
	}
	return filepath.Join(dir, "disco", "spotify-token.json"), nil
}

// OpenBrowser runs xdg-open (or open on macOS, rundll32 on Windows) on
// url if it is installed, without waiting for it.
func OpenBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}

func (a *UserAuth) config(redirect string) (*oauth2.Config, error) {
	id := a.ClientID
	if id == "" {
		id = os.Getenv("SPOTIFY_ID")
	}
	if id == "" {
		return nil, errors.New("spotify: SPOTIFY_ID must be set to save playlists " +
			"(create an app at https://developer.spotify.com/dashboard and register the redirect URI " + DefaultRedirectURL + ")")
	}
	authURL, tokenURL := a.AuthURL, a.TokenURL
	if authURL == "" {
		authURL = spotifyauth.AuthURL
	}
	if tokenURL == "" {
		tokenURL = spotifyauth.TokenURL
	}
	scopes := a.Scopes
	if scopes == nil {
		scopes = SaveScopes
	}
	return &oauth2.Config{
		ClientID:    id,
		Endpoint:    oauth2.Endpoint{AuthURL: authURL, TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInParams},
		Scopes:      scopes,
		RedirectURL: redirect,
	}, nil
}

func (a *UserAuth) httpClient() *http.Client {
	if a.HTTPClient != nil {
		return a.HTTPClient
	}
	return &http.Client{Timeout: 30 * time.Second}
}

func (a *UserAuth) tokenFile() (string, error) {
	if a.TokenFile != "" {
		return a.TokenFile, nil
	}
	return DefaultTokenFile()
}

// Client returns an HTTP client authorised for the user. It uses the
// cached token when there is one (refreshing it if it expired) and runs
// Login otherwise, or when the refresh is refused. Tokens the client
// refreshes later are written back to the token file. ctx bounds the
// login and the client's token refreshes.
func (a *UserAuth) Client(ctx context.Context) (*http.Client, error) {
	path, err := a.tokenFile()
	if err != nil {
		return nil, err
	}
	cfg, err := a.config("")
	if err != nil {
		return nil, err
	}
	hc := a.httpClient()
	tctx := context.WithValue(ctx, oauth2.HTTPClient, hc)
	tok, err := LoadToken(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var ts oauth2.TokenSource
	if tok != nil {
		ts = cfg.TokenSource(tctx, tok)
		t, err := ts.Token()
		var re *oauth2.RetrieveError
		switch {
		case err == nil:
			tok = t
		case errors.As(err, &re):
			tok = nil // refused (revoked, or another app): log in again
		default:
			return nil, fmt.Errorf("spotify: refreshing the saved token: %w", err)
		}
	}
	if tok == nil {
		if tok, err = a.Login(ctx); err != nil {
			return nil, err
		}
		ts = cfg.TokenSource(tctx, tok)
	}
	if err := SaveToken(path, tok); err != nil {
		return nil, err
	}
	src := &savingSource{src: ts, last: tok.AccessToken, save: func(t *oauth2.Token) error { return SaveToken(path, t) }}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	return &http.Client{Transport: &oauth2.Transport{Base: base, Source: src}, Timeout: hc.Timeout}, nil
}

// savingSource writes every new token to the token file.
type savingSource struct {
	mu   sync.Mutex
	src  oauth2.TokenSource
	last string
	save func(*oauth2.Token) error
}

func (s *savingSource) Token() (*oauth2.Token, error) {
	t, err := s.src.Token()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.AccessToken != s.last {
		if err := s.save(t); err != nil {
			return nil, err
		}
		s.last = t.AccessToken
	}
	return t, nil
}

// Login runs the authorization-code flow with PKCE: it listens on the
// loopback redirect address, prints the authorisation URL (and tries to
// open a browser), waits for Spotify's redirect, checks its state, and
// exchanges the code together with the code verifier for a token. It
// returns the token without saving it.
func (a *UserAuth) Login(ctx context.Context) (*oauth2.Token, error) {
	redirect := a.RedirectURL
	if redirect == "" {
		redirect = DefaultRedirectURL
	}
	u, err := url.Parse(redirect)
	if err != nil || u.Scheme != "http" || u.Port() == "" || !net.ParseIP(u.Hostname()).IsLoopback() {
		return nil, fmt.Errorf("spotify: redirect URL %q must be http://127.0.0.1:PORT/PATH", redirect)
	}
	ln, err := net.Listen("tcp", u.Host)
	if err != nil {
		return nil, fmt.Errorf("spotify: listening for the authorisation redirect: %w", err)
	}
	defer ln.Close()
	u.Host = ln.Addr().String() // the real port when it was 0
	cfg, err := a.config(u.String())
	if err != nil {
		return nil, err
	}
	verifier := oauth2.GenerateVerifier()
	state, err := randomState()
	if err != nil {
		return nil, err
	}
	authURL := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))

	type result struct {
		code string
		err  error
	}
	done := make(chan result, 1)
	var once sync.Once
	finish := func(r result) { once.Do(func() { done <- r }) }
	mux := http.NewServeMux()
	mux.HandleFunc(u.Path, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		switch {
		case q.Get("state") != state:
			http.Error(w, "disco: the state does not match; start again", http.StatusBadRequest)
			finish(result{err: errors.New("spotify: authorisation redirect with a wrong state (a stale tab or a forged request); try again")})
		case q.Get("error") != "":
			http.Error(w, "disco: authorisation refused: "+q.Get("error"), http.StatusForbidden)
			finish(result{err: fmt.Errorf("spotify: authorisation refused: %s", q.Get("error"))})
		case q.Get("code") == "":
			http.Error(w, "disco: no code", http.StatusBadRequest)
			finish(result{err: errors.New("spotify: authorisation redirect without a code")})
		default:
			fmt.Fprintln(w, "disco is authorised. You can close this tab.")
			finish(result{code: q.Get("code")})
		}
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer func() {
		// Let the browser get its page before the server goes.
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			srv.Close()
		}
	}()

	if a.Out != nil {
		fmt.Fprintf(a.Out, "To let disco save playlists in your Spotify account, open this URL and agree:\n\n  %s\n\nWaiting for Spotify to redirect to %s ...\n", authURL, u.String())
	}
	open := a.OpenBrowser
	if open == nil {
		open = OpenBrowser
	}
	go open(authURL) //nolint:errcheck // the URL is printed; a browser is a convenience

	timeout := a.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Minute
	}
	wait := time.NewTimer(timeout)
	defer wait.Stop()
	var r result
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("spotify: waiting for authorisation: %w", ctx.Err())
	case <-wait.C:
		return nil, fmt.Errorf("spotify: no authorisation after %v", timeout)
	case r = <-done:
	}
	if r.err != nil {
		return nil, r.err
	}
	tctx := context.WithValue(ctx, oauth2.HTTPClient, a.httpClient())
	tok, err := cfg.Exchange(tctx, r.code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("spotify: exchanging the authorisation code: %w", tokenError(err))
	}
	return tok, nil
}

func randomState() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("spotify: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// LoadToken reads a token saved by SaveToken. A missing file gives an
// error matching fs.ErrNotExist.
func LoadToken(path string) (*oauth2.Token, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var t oauth2.Token
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("spotify: token file %s: %w", path, err)
	}
	if t.AccessToken == "" && t.RefreshToken == "" {
		return nil, fmt.Errorf("spotify: token file %s holds no token", path)
	}
	return &t, nil
}

// SaveToken writes t to path atomically with mode 0600, creating the
// directory (mode 0700) if needed.
func SaveToken(path string, t *oauth2.Token) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("spotify: %w", err)
	}
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return fmt.Errorf("spotify: %w", err)
	}
	if err := atomic.WriteBytes(path, 0o600, append(b, '\n')); err != nil {
		return fmt.Errorf("spotify: saving token: %w", err)
	}
	return nil
}
