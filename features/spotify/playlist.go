package spotify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	zspotify "github.com/zmb3/spotify/v2"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/internal/retry"
)

// MaxAddItems is the most tracks one request adds to a playlist.
const MaxAddItems = 100

// SavedPlaylist is a playlist CreatePlaylist made.
type SavedPlaylist struct {
	ID    string
	URI   string // spotify:playlist:...
	URL   string // https://open.spotify.com/playlist/...
	Added int    // tracks added
}

// CreatePlaylist creates a playlist in the authorised user's account with
// POST /me/playlists and adds the tracks, in order, with POST
// /playlists/{id}/items in batches of MaxAddItems. The client must carry
// a user's token (see UserAuth). If adding fails part way, the playlist
// exists with the first Added tracks and both are returned with the error.
func (c *Client) CreatePlaylist(ctx context.Context, name, description string, public bool, trackIDs []string) (*SavedPlaylist, error) {
	var created struct {
		ID           string            `json:"id"`
		URI          string            `json:"uri"`
		ExternalURLs map[string]string `json:"external_urls"`
	}
	body := map[string]any{"name": name, "description": description, "public": public}
	if err := c.post(ctx, "POST /me/playlists", c.baseURL+"me/playlists", body, &created); err != nil {
		return nil, err
	}
	if created.ID == "" {
		return nil, errors.New("spotify: POST /me/playlists: answer without a playlist id")
	}
	p := &SavedPlaylist{ID: created.ID, URI: created.URI, URL: created.ExternalURLs["spotify"]}
	for lo := 0; lo < len(trackIDs); lo += MaxAddItems {
		hi := min(lo+MaxAddItems, len(trackIDs))
		uris := make([]string, 0, hi-lo)
		for _, id := range trackIDs[lo:hi] {
			uris = append(uris, "spotify:track:"+id)
		}
		var snap struct {
			SnapshotID string `json:"snapshot_id"`
		}
		endpoint := "POST /playlists/{id}/items"
		if err := c.post(ctx, endpoint, c.baseURL+"playlists/"+url.PathEscape(p.ID)+"/items", map[string]any{"uris": uris}, &snap); err != nil {
			return p, fmt.Errorf("%w (playlist %s was created with %d of %d tracks)", err, p.ID, p.Added, len(trackIDs))
		}
		p.Added = hi
	}
	return p, nil
}

// Playlist returns the playlist id, its name and its tracks in order (with
// their names, artists, album, duration and popularity; no audio
// features), with GET /playlists/{id} and GET /playlists/{id}/items pages
// of 100. Items that are not tracks (episodes) or no longer exist are
// left out and counted in skipped. Spotify serves user playlists to any
// app; its own editorial and algorithmic playlists it closed to new apps
// in November 2024, which answer 404.
func (c *Client) Playlist(ctx context.Context, id string) (pl *features.Playlist, skipped int, err error) {
	var head struct {
		Name string `json:"name"`
	}
	if err := c.do(ctx, http.MethodGet, "GET /playlists/{id}", c.baseURL+"playlists/"+url.PathEscape(id)+"?fields=name", nil, &head); err != nil {
		return nil, 0, err
	}
	pl = &features.Playlist{ID: id, Name: head.Name}
	next := c.baseURL + "playlists/" + url.PathEscape(id) + "/items?limit=100&offset=0"
	for page := 0; next != ""; page++ {
		if page > 1000 {
			return nil, 0, fmt.Errorf("spotify: GET /playlists/{id}/items: more than 1000 pages")
		}
		var items struct {
			Items []struct {
				Track *zspotify.FullTrack `json:"track"`
			} `json:"items"`
			Next *string `json:"next"`
		}
		if err := c.do(ctx, http.MethodGet, "GET /playlists/{id}/items", next, nil, &items); err != nil {
			return nil, 0, err
		}
		for _, it := range items.Items {
			if it.Track == nil || it.Track.ID == "" || (it.Track.Type != "" && it.Track.Type != "track") {
				skipped++
				continue
			}
			pl.Tracks = append(pl.Tracks, fullTrack(it.Track))
		}
		next = ""
		if items.Next != nil {
			next = *items.Next
		}
	}
	return pl, skipped, nil
}

// post sends body as JSON and decodes a 200 or 201 answer into out.
func (c *Client) post(ctx context.Context, endpoint, u string, body, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("spotify: %s: %w", endpoint, err)
	}
	return c.do(ctx, http.MethodPost, endpoint, u, b, out)
}

// do sends a request (with body as JSON when not nil) and decodes a 200
// or 201 answer into out.
func (c *Client) do(ctx context.Context, method, endpoint, u string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return fmt.Errorf("spotify: %s: %w", endpoint, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("spotify: %s: %w", endpoint, ctx.Err())
		}
		var rl *RateLimitError
		if errors.As(err, &rl) {
			return rl
		}
		if errors.Is(err, ErrBadCredentials) {
			return err
		}
		return fmt.Errorf("spotify: %s: %w", endpoint, retry.Redact(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("spotify: %s: %w", endpoint, err)
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
		var e struct {
			Error struct {
				Status  int    `json:"status"`
				Message string `json:"message"`
			} `json:"error"`
		}
		json.Unmarshal(data, &e) //nolint:errcheck // the status alone will do
		ae := &APIError{Endpoint: endpoint, Status: resp.StatusCode, Message: e.Error.Message}
		if resp.StatusCode == http.StatusForbidden && method == http.MethodPost {
			ae.Message += " (the user must have granted the playlist scopes, and a development-mode app only serves " +
				"users on its allowlist, who need Premium)"
		}
		return ae
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("spotify: %s: decoding the answer: %w", endpoint, err)
	}
	return nil
}
