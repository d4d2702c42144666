package reccobeats

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/recommend"
	"github.com/discoflow/disco/internal/retry"
)

// Source is the name of this source in provenance and in the cache.
const Source = "reccobeats"

// DefaultBaseURL is the API's base URL.
const DefaultBaseURL = "https://api.reccobeats.com/v1/"

// Limits of the API.
const (
	MaxFeatureIDs = 40  // ids per audio-features request
	MaxSeeds      = 5   // seeds per recommendation request
	MaxRecommend  = 100 // tracks per recommendation request
)

// Client is a ReccoBeats client. The zero value is ready to use: the real
// API, a 30 s timeout per request, up to 3 retries of a 5xx (after 0.5, 1
// and 2 s) and Retry-After waits of up to 2 minutes. A Client is safe for
// concurrent use once its fields are set.
type Client struct {
	BaseURL    string       // "" means DefaultBaseURL
	HTTPClient *http.Client // nil means a client with a 30 s timeout

	MaxRetries int           // 5xx retries per request; 0 means 3, negative means none
	Backoff    time.Duration // first 5xx wait, doubled each retry; 0 means 500 ms
	MaxWait    time.Duration // longest Retry-After honoured; 0 means 2 minutes

	// Sleep waits between retries; nil means a timer that stops when ctx
	// is done. Tests make it instant.
	Sleep func(ctx context.Context, d time.Duration) error
	// OnWait, if set, is told about each wait before a retry.
	OnWait func(reason string, d time.Duration)
}

// APIError is an error status from the API.
type APIError struct {
	Endpoint string
	Status   int
	Message  string
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("reccobeats: %s: HTTP %d %s", e.Endpoint, e.Status, http.StatusText(e.Status))
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// RateLimitError is a 429 whose Retry-After is longer than MaxWait.
type RateLimitError struct {
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("reccobeats: rate limited: ReccoBeats asks to wait %v before the next request; try again later", e.RetryAfter)
}

// Name returns Source; with BatchSize and GetFeatures it makes the client
// a cache source.
func (c *Client) Name() string { return Source }

// BatchSize returns MaxFeatureIDs.
func (c *Client) BatchSize() int { return MaxFeatureIDs }

// featureEntry is one element of the audio-features answer.
type featureEntry struct {
	ID               string   `json:"id"` // ReccoBeats' UUID
	Href             string   `json:"href"`
	ISRC             string   `json:"isrc"`
	Acousticness     *float64 `json:"acousticness"`
	Danceability     *float64 `json:"danceability"`
	Energy           *float64 `json:"energy"`
	Instrumentalness *float64 `json:"instrumentalness"`
	Key              *int     `json:"key"`
	Liveness         *float64 `json:"liveness"`
	Loudness         *float64 `json:"loudness"`
	Mode             *int     `json:"mode"`
	Speechiness      *float64 `json:"speechiness"`
	Tempo            *float64 `json:"tempo"`
	Valence          *float64 `json:"valence"`
}

// GetFeatures returns the audio features of the tracks with the given
// Spotify ids, one entry per id in the same order, nil for ids ReccoBeats
// does not know. Each entry holds the id, the features (key -1 and mode -1
// when missing or out of range, tempo 0 when unknown, time signature 0)
// and From.Features "reccobeats"; HasFeatures is false when an abstract
// feature is missing or out of range. It asks in batches of MaxFeatureIDs
// and stops at the first error.
func (c *Client) GetFeatures(ctx context.Context, ids []string) ([]*features.Track, error) {
	out := make([]*features.Track, len(ids))
	for lo := 0; lo < len(ids); lo += MaxFeatureIDs {
		hi := min(lo+MaxFeatureIDs, len(ids))
		var ans struct {
			Content []featureEntry `json:"content"`
		}
		q := url.Values{"ids": {strings.Join(ids[lo:hi], ",")}}
		if err := c.get(ctx, "GET /audio-features", "audio-features", q, &ans); err != nil {
			return nil, err
		}
		pos := make(map[string]int, hi-lo)
		for i := hi - 1; i >= lo; i-- {
			pos[ids[i]] = i // the first position of a repeated id
		}
		for i := range ans.Content {
			e := &ans.Content[i]
			sid, ok := SpotifyID(e.Href)
			if !ok {
				continue
			}
			j, asked := pos[sid]
			if !asked {
				continue
			}
			out[j] = e.track(sid)
		}
		// Repeated ids share their first entry.
		for i := lo; i < hi; i++ {
			if out[i] == nil {
				if j := pos[ids[i]]; j != i && out[j] != nil {
					cp := *out[j]
					out[i] = &cp
				}
			}
		}
	}
	return out, nil
}

func (e *featureEntry) track(id string) *features.Track {
	t := &features.Track{
		ID: id, Key: -1, Mode: -1, DurationMS: -1, Popularity: -1,
		From: features.Provenance{Features: Source},
	}
	if e.Key != nil && *e.Key >= 0 && *e.Key <= 11 {
		t.Key = *e.Key
	}
	if e.Mode != nil && (*e.Mode == 0 || *e.Mode == 1) {
		t.Mode = *e.Mode
	}
	if e.Tempo != nil && *e.Tempo > 0 {
		t.Tempo = *e.Tempo
	}
	vals := [features.NumAbstract]*float64{
		features.Acousticness:     e.Acousticness,
		features.Danceability:     e.Danceability,
		features.Energy:           e.Energy,
		features.Instrumentalness: e.Instrumentalness,
		features.Liveness:         e.Liveness,
		features.Loudness:         e.Loudness,
		features.Speechiness:      e.Speechiness,
		features.Valence:          e.Valence,
	}
	var v features.Vector
	ok := true
	for i, p := range vals {
		if p == nil {
			ok = false
			break
		}
		v[i] = *p
	}
	if ok && features.CheckFeatures(v) == nil {
		t.Features, t.HasFeatures = v, true
	} else {
		t.Features = features.NoFeatures
	}
	return t
}

// SpotifyID returns the Spotify track id at the end of an href such as
// https://open.spotify.com/track/<id> (a query or trailing slash allowed).
func SpotifyID(href string) (string, bool) {
	u, err := url.Parse(href)
	if err != nil {
		return "", false
	}
	p := strings.TrimSuffix(u.Path, "/")
	i := strings.LastIndex(p, "/track/")
	if i < 0 {
		return "", false
	}
	id := p[i+len("/track/"):]
	if !isTrackID(id) {
		return "", false
	}
	return id, true
}

func isTrackID(s string) bool {
	if len(s) != 22 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// recTrack is one element of the recommendation answer.
type recTrack struct {
	ID         string `json:"id"`
	TrackTitle string `json:"trackTitle"`
	Artists    []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Href string `json:"href"`
	} `json:"artists"`
	DurationMS int    `json:"durationMs"`
	ISRC       string `json:"isrc"`
	Href       string `json:"href"`
	Popularity *int   `json:"popularity"`
}

// Recommend returns up to n (at most MaxRecommend) tracks ReccoBeats
// recommends for 1 to MaxSeeds Spotify track ids, in its order, as Tracks
// without features whose ID is the Spotify id from their href (entries
// without one are dropped).
func (c *Client) Recommend(ctx context.Context, seeds []string, n int) ([]*features.Track, error) {
	if len(seeds) == 0 || len(seeds) > MaxSeeds {
		return nil, fmt.Errorf("reccobeats: recommendations need 1 to %d seeds, got %d", MaxSeeds, len(seeds))
	}
	n = min(max(n, 1), MaxRecommend)
	var ans struct {
		Content []recTrack `json:"content"`
	}
	q := url.Values{"seeds": {strings.Join(seeds, ",")}, "size": {strconv.Itoa(n)}}
	if err := c.get(ctx, "GET /track/recommendation", "track/recommendation", q, &ans); err != nil {
		return nil, err
	}
	out := make([]*features.Track, 0, len(ans.Content))
	for _, r := range ans.Content {
		sid, ok := SpotifyID(r.Href)
		if !ok {
			continue
		}
		t := &features.Track{
			ID: sid, Name: r.TrackTitle, DurationMS: r.DurationMS, Popularity: -1,
			Key: -1, Mode: -1, Features: features.NoFeatures,
			From: features.Provenance{Meta: Source},
		}
		if t.DurationMS <= 0 {
			t.DurationMS = -1
		}
		if r.Popularity != nil {
			t.Popularity = *r.Popularity
		}
		for _, a := range r.Artists {
			t.Artists = append(t.Artists, a.Name)
		}
		out = append(out, t)
	}
	return out, nil
}

func (c *Client) base() string {
	b := c.BaseURL
	if b == "" {
		b = DefaultBaseURL
	}
	if !strings.HasSuffix(b, "/") {
		b += "/"
	}
	return b
}

func (c *Client) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return defaultHTTP
}

var defaultHTTP = &http.Client{Timeout: 30 * time.Second}

// get asks path?q and decodes a 200 answer into out, waiting on 429 and
// retrying 5xx.
func (c *Client) get(ctx context.Context, endpoint, path string, q url.Values, out any) error {
	u := c.base() + path + "?" + q.Encode()
	retries := c.MaxRetries
	switch {
	case retries == 0:
		retries = 3
	case retries < 0:
		retries = 0
	}
	backoff := c.Backoff
	if backoff <= 0 {
		backoff = 500 * time.Millisecond
	}
	maxWait := c.MaxWait
	if maxWait <= 0 {
		maxWait = 2 * time.Minute
	}
	sleep := c.Sleep
	if sleep == nil {
		sleep = retry.Sleep
	}
	fails := 0
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return fmt.Errorf("reccobeats: %s: %w", endpoint, err)
		}
		req.Header.Set("Accept", "application/json")
		resp, err := c.httpClient().Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("reccobeats: %s: %w", endpoint, ctx.Err())
			}
			return fmt.Errorf("reccobeats: %s: %w", endpoint, retry.Redact(err))
		}
		var wait time.Duration
		var reason string
		switch {
		case resp.StatusCode == http.StatusOK:
			err := json.NewDecoder(io.LimitReader(resp.Body, maxAnswer)).Decode(out)
			resp.Body.Close()
			if err != nil {
				if ctx.Err() != nil {
					return fmt.Errorf("reccobeats: %s: %w", endpoint, ctx.Err())
				}
				return fmt.Errorf("reccobeats: %s: decoding the answer: %w", endpoint, err)
			}
			return nil
		case resp.StatusCode == http.StatusTooManyRequests:
			wait = retry.After(resp.Header.Get("Retry-After"), 5*time.Second)
			retry.Discard(resp)
			if wait > maxWait {
				return &RateLimitError{RetryAfter: wait}
			}
			reason = "rate limited"
		case resp.StatusCode >= 500 && fails < retries:
			wait = backoff << fails
			fails++
			reason = resp.Status
			retry.Discard(resp)
		default:
			msg := errorMessage(resp)
			return &APIError{Endpoint: endpoint, Status: resp.StatusCode, Message: msg}
		}
		if c.OnWait != nil {
			c.OnWait(reason, wait)
		}
		if err := sleep(ctx, wait); err != nil {
			return fmt.Errorf("reccobeats: %s: %w", endpoint, err)
		}
	}
}

// maxAnswer bounds the bytes of one answer read (about 4 kB a track, 40
// tracks a request): a longer one is cut and fails to decode.
const maxAnswer = 16 << 20

// errorMessage reads an error body: a JSON "message" or "error" field, or
// the start of the text.
func errorMessage(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	var e struct {
		Message string `json:"message"`
		Error   string `json:"error"`
	}
	if json.Unmarshal(b, &e) == nil {
		if e.Message != "" {
			return e.Message
		}
		if e.Error != "" {
			return e.Error
		}
	}
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	if strings.HasPrefix(s, "{") || strings.HasPrefix(s, "<") {
		return ""
	}
	return s
}

// Pool is a candidate pool from ReccoBeats: N recommendations for each
// seed and N for all seeds together (the first MaxSeeds), de-duplicated,
// seeds left out, then their audio features. It implements the selector's
// Pool interface.
type Pool struct {
	Client      *Client     // used for a nil Recommender or Features
	Recommender Recommender // nil means Client
	Features    FeatureGetter
	N           int // tracks per request; 0 means MaxRecommend
}

// FeatureGetter gets audio features by Spotify track id: one entry per id,
// nil where unknown. *Client and the cache's Fetcher implement it.
type FeatureGetter = recommend.FeatureGetter

// Recommender recommends up to n tracks for 1 to 5 seed track ids.
type Recommender = recommend.Recommender

// Candidates returns the candidates in a deterministic order: each seed's
// recommendations in seed order, then the joint ones, each track at its
// first appearance. Tracks without features have HasFeatures false. Seeds
// without an id are skipped; none with an id is an error.
func (p *Pool) Candidates(ctx context.Context, seeds []*features.Track) ([]*features.Track, error) {
	var rec Recommender = p.Recommender
	var feat FeatureGetter = p.Features
	if rec == nil && p.Client != nil {
		rec = p.Client
	}
	if feat == nil && p.Client != nil {
		feat = p.Client
	}
	return recommend.Candidates(ctx, "reccobeats", rec, feat, seeds, p.N, MaxRecommend, MaxSeeds)
}
