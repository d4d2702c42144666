package spotify

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// ErrEndpointClosed is what a [*ClosedError] matches: Spotify refused an
// endpoint it closed to this app. Its text says what happened and what to
// use instead.
//
//lint:ignore ST1005 Spotify is a name.
var ErrEndpointClosed = errors.New("Spotify closed its audio features and recommendations to apps " +
	"created after 2024-11-27 and to development-mode apps, and this app is one of them; " +
	"work offline instead with disco's embedded catalog (the default), " +
	"--catalog FILE with a TidyTuesday/Kaggle spotify_songs.csv or an Exportify export, " +
	"or --source reccobeats for features and recommendations from ReccoBeats")

// ErrNoCredentials means SPOTIFY_ID or SPOTIFY_SECRET is not set.
var ErrNoCredentials = errors.New("spotify: SPOTIFY_ID and SPOTIFY_SECRET must be set " +
	"(create an app at https://developer.spotify.com/dashboard); " +
	"without them use disco's embedded catalog, --catalog FILE or --source reccobeats")

// ErrBadCredentials means the token endpoint refused the app's id or
// secret.
var ErrBadCredentials = errors.New("spotify: the token endpoint refused the app credentials; " +
	"check SPOTIFY_ID and SPOTIFY_SECRET")

// ClosedError is a 403 or 404 from an endpoint Spotify closed to new apps
// (recommendations, audio features). errors.Is(err, ErrEndpointClosed)
// holds for it.
type ClosedError struct {
	Endpoint string // for example "GET /audio-features"
	Status   int    // HTTP status, 403 or 404
}

func (e *ClosedError) Error() string {
	return fmt.Sprintf("spotify: %s answered %d %s: %v", e.Endpoint, e.Status, http.StatusText(e.Status), ErrEndpointClosed)
}

// Unwrap returns ErrEndpointClosed.
func (e *ClosedError) Unwrap() error { return ErrEndpointClosed }

// APIError is any other error status from the Web API.
type APIError struct {
	Endpoint string
	Status   int    // HTTP status, 0 when unknown
	Message  string // Spotify's message, if it sent one
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("spotify: %s: HTTP %d %s", e.Endpoint, e.Status, http.StatusText(e.Status))
	if e.Message != "" && e.Message != http.StatusText(e.Status) {
		s += ": " + e.Message
	}
	return s
}

// RateLimitError is a 429 whose Retry-After is longer than the client is
// willing to wait ([Config.MaxWait]).
type RateLimitError struct {
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("spotify: rate limited: Spotify asks to wait %v before the next request; try again later", e.RetryAfter)
}

// MismatchError is a search whose hits are not the song asked for.
type MismatchError struct {
	Artist, Title string // what was asked
	Hit           string // the best hit, "artist - title", or "" when there were no hits
	HitID         string
}

func (e *MismatchError) Error() string {
	if e.Hit == "" {
		return fmt.Sprintf("spotify: no track found for %q by %q", e.Title, e.Artist)
	}
	return fmt.Sprintf("spotify: no track matches %q by %q; the best hit was %q (%s), a different song",
		e.Title, e.Artist, e.Hit, e.HitID)
}
