package spotify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/discoflow/disco/internal/retry"
	zspotify "github.com/zmb3/spotify/v2"
	spotifyauth "github.com/zmb3/spotify/v2/auth"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// Source is the name of this source in provenance and in the cache.
const Source = "spotify"

// DefaultBaseURL is the Web API's base URL.
const DefaultBaseURL = "https://api.spotify.com/v1/"

// Batch limits of the Web API.
const (
	MaxFeatureIDs = 100 // ids per audio-features request
	MaxRecommend  = 100 // tracks per recommendations request
	MaxSeeds      = 5   // seeds per recommendations request
)

// Config configures a Client. The zero value means: credentials from the
// environment, Spotify's real URLs, a 30 s timeout per request, up to 3
// retries of a 5xx (after 0.5, 1 and 2 s) and Retry-After waits of up to
// 2 minutes.
type Config struct {
	ClientID     string // "" means $SPOTIFY_ID
	ClientSecret string // "" means $SPOTIFY_SECRET
	TokenURL     string // "" means spotifyauth.TokenURL
	BaseURL      string // "" means DefaultBaseURL; a trailing slash is added

	// HTTPClient carries every request, the token's included. Its
	// Transport and Timeout are used; nil means http.DefaultTransport and a
	// 30 s timeout.
	HTTPClient *http.Client

	MaxRetries int           // 5xx retries per GET; 0 means 3, negative means none
	Backoff    time.Duration // first 5xx wait, doubled each retry; 0 means 500 ms
	MaxWait    time.Duration // longest Retry-After honoured; 0 means 2 minutes

	// Sleep waits between retries; nil means a timer that stops when ctx is
	// done. Tests make it instant.
	Sleep func(ctx context.Context, d time.Duration) error
	// OnWait, if set, is told about every wait before a retry (for a
	// progress line): the reason ("rate limited", "503 Service
	// Unavailable") and how long.
	OnWait func(reason string, d time.Duration)
}

// Client is a Spotify Web API client. Its methods are safe for concurrent
// use.
type Client struct {
	api     *zspotify.Client
	http    *http.Client // authorised
	baseURL string
}

// New returns a client authorised with the client-credentials flow. It
// fetches a token at once: missing credentials give ErrNoCredentials, a
// refusal (401 invalid_client) gives an error matching ErrBadCredentials.
// ctx bounds the token requests of the client's whole life, so pass the
// command's context.
func New(ctx context.Context, cfg Config) (*Client, error) {
	id, secret := cfg.ClientID, cfg.ClientSecret
	if id == "" {
		id = os.Getenv("SPOTIFY_ID")
	}
	if secret == "" {
		secret = os.Getenv("SPOTIFY_SECRET")
	}
	if id == "" || secret == "" {
		return nil, ErrNoCredentials
	}
	tokenURL := cfg.TokenURL
	if tokenURL == "" {
		tokenURL = spotifyauth.TokenURL
	}
	base := cfg.baseClient()
	cc := clientcredentials.Config{ClientID: id, ClientSecret: secret, TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInHeader}
	tctx := context.WithValue(ctx, oauth2.HTTPClient, base)
	ts := oauth2.ReuseTokenSource(nil, cc.TokenSource(tctx))
	if _, err := ts.Token(); err != nil {
		return nil, tokenError(err)
	}
	hc := &http.Client{
		Transport: &oauth2.Transport{Base: base.Transport, Source: errTokenSource{ts}},
		Timeout:   base.Timeout,
	}
	return newClient(hc, cfg.BaseURL), nil
}

// NewWithHTTPClient returns a client that sends requests through hc, which
// must add authorisation (for example UserAuth.Client's). baseURL "" means
// DefaultBaseURL. The transport's retries are not added: wrap hc's
// transport with Config.Transport for them.
func NewWithHTTPClient(hc *http.Client, baseURL string) *Client {
	return newClient(hc, baseURL)
}

func newClient(hc *http.Client, baseURL string) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	if !strings.HasSuffix(baseURL, "/") {
		baseURL += "/"
	}
	return &Client{
		api:     zspotify.New(hc, zspotify.WithRetry(true), zspotify.WithBaseURL(baseURL)),
		http:    hc,
		baseURL: baseURL,
	}
}

// Transport returns the retrying transport described by cfg on top of
// next (nil means cfg.HTTPClient's transport, or http.DefaultTransport).
func (cfg Config) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		if cfg.HTTPClient != nil && cfg.HTTPClient.Transport != nil {
			next = cfg.HTTPClient.Transport
		} else {
			next = http.DefaultTransport
		}
	}
	t := &transport{next: next, maxRetries: cfg.MaxRetries, backoff: cfg.Backoff, maxWait: cfg.MaxWait, sleep: cfg.Sleep, onWait: cfg.OnWait}
	switch {
	case t.maxRetries == 0:
		t.maxRetries = 3
	case t.maxRetries < 0:
		t.maxRetries = 0
	}
	if t.backoff == 0 {
		t.backoff = 500 * time.Millisecond
	}
	if t.maxWait == 0 {
		t.maxWait = 2 * time.Minute
	}
	if t.sleep == nil {
		t.sleep = retry.Sleep
	}
	return t
}

// baseClient is the unauthorised client: cfg's transport wrapped in the
// retrying transport.
func (cfg Config) baseClient() *http.Client {
	timeout := 30 * time.Second
	if cfg.HTTPClient != nil && cfg.HTTPClient.Timeout > 0 {
		timeout = cfg.HTTPClient.Timeout
	}
	return &http.Client{Transport: cfg.Transport(nil), Timeout: timeout}
}

// HTTPClient returns the client's authorised HTTP client, for endpoints
// the library does not cover.
func (c *Client) HTTPClient() *http.Client { return c.http }

// errTokenSource turns token errors met while refreshing into the same
// clear errors as New's.
type errTokenSource struct{ ts oauth2.TokenSource }

func (s errTokenSource) Token() (*oauth2.Token, error) {
	t, err := s.ts.Token()
	if err != nil {
		return nil, tokenError(err)
	}
	return t, nil
}

// tokenError explains a failed token request.
func tokenError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		code := re.ErrorCode
		if code == "" && re.Response != nil {
			code = re.Response.Status
		}
		desc := re.ErrorDescription
		if desc != "" {
			desc = ": " + desc
		}
		if re.ErrorCode == "invalid_client" || re.ErrorCode == "unauthorized_client" ||
			(re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized) {
			return fmt.Errorf("%w (%s%s)", ErrBadCredentials, code, desc)
		}
		return fmt.Errorf("spotify: token request failed (%s%s)", code, desc)
	}
	return fmt.Errorf("spotify: token request failed: %w", retry.Redact(err))
}

// call runs f, a library call on endpoint, and turns its error into one of
// this package's. closable marks the endpoints Spotify closed to new apps.
func (c *Client) call(ctx context.Context, endpoint string, closable bool, f func(ctx context.Context) error) error {
	var status int
	err := f(withStatus(ctx, &status))
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("spotify: %s: %w", endpoint, ctx.Err())
	}
	var rl *RateLimitError
	if errors.As(err, &rl) {
		return rl // not the *url.Error around it, whose URL holds the ids
	}
	if errors.Is(err, ErrBadCredentials) {
		if ue := (*url.Error)(nil); errors.As(err, &ue) {
			return ue.Err
		}
		return err
	}
	var se zspotify.Error
	if errors.As(err, &se) && se.Status != 0 {
		status = se.Status
	}
	if status < 400 {
		// A transport error (its URL without the query: the ids, a
		// token), or a body that did not decode.
		return fmt.Errorf("spotify: %s: %w", endpoint, retry.Redact(err))
	}
	if closable && (status == http.StatusForbidden || status == http.StatusNotFound) {
		return &ClosedError{Endpoint: endpoint, Status: status}
	}
	msg := se.Message
	if strings.HasPrefix(msg, "spotify:") {
		msg = ""
	}
	return &APIError{Endpoint: endpoint, Status: status, Message: msg}
}
