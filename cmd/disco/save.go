package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/load"
	"github.com/discoflow/disco/features/spotify"
)

func init() {
	register(command{name: "save", summary: "save a playlist file to your Spotify account", run: runSave})
}

const saveHelp = `
Creates a playlist in your Spotify account with the tracks of FILE, in
order: the M3U8 or CSV that "disco build" writes, or any list of Spotify
track ids, URIs or URLs (one a line).

The first time, disco asks for your permission: it prints a Spotify URL
(and tries to open your browser); after you agree, Spotify redirects to
disco on 127.0.0.1. Register that redirect URI, exactly, in your app's
settings on https://developer.spotify.com/dashboard, and set SPOTIFY_ID to
the app's client id. The token is kept (mode 0600) in disco/spotify-token.json
in your config directory and refreshed when it expires; no client secret
is needed (authorization code with PKCE).

Examples:
  disco build --seed "Daft Punk - One More Time" -o flow.m3u8
  disco save --to spotify --in flow.m3u8 --name "One More Flow"
`

func runSave(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "save", "--to spotify --in FILE [--name NAME] [flags]", saveHelp)
	to := fs.String("to", "spotify", "where to save: spotify")
	in := fs.String("in", "", "playlist `file`: M3U8, CSV or a list of track ids")
	name := fs.String("name", "", "playlist `name` (default: the file's playlist name)")
	desc := fs.String("description", "Ordered with flow by disco", "playlist `description`")
	public := fs.Bool("public", false, "make the playlist public")
	redirect := fs.String("redirect", spotify.DefaultRedirectURL, "loopback redirect `URI` registered for the app")
	token := fs.String("token", "", "token `file` (default: disco/spotify-token.json in the user config directory)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if *to != "spotify" {
		fmt.Fprintf(e.stderr, "disco save: --to %q: only spotify is supported\n", *to)
		return errUsage
	}
	if *in == "" || fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "disco save: give one --in FILE (and no other arguments)")
		return errUsage
	}
	ids, plName, err := playlistIDs(*in)
	if err != nil {
		return err
	}
	if *name == "" {
		*name = plName
	}

	ua := &spotify.UserAuth{
		AuthURL:     spotifyAuthURL,
		TokenURL:    spotifyTokenURL,
		RedirectURL: *redirect,
		TokenFile:   *token,
		HTTPClient:  spotifyHTTPClient(func(reason string, d time.Duration) { fmt.Fprintf(e.stderr, "disco: %s, waiting %v\n", reason, d) }),
		Out:         e.stderr,
		OpenBrowser: openBrowser,
	}
	hc, err := ua.Client(ctx)
	if err != nil {
		return err
	}
	p, err := spotify.NewWithHTTPClient(hc, spotifyAPIURL).CreatePlaylist(ctx, *name, *desc, *public, ids)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "saved %d tracks to %q: %s\n", p.Added, *name, p.URL)
	return nil
}

// playlistIDs reads the Spotify track ids of the one playlist in path, in
// order, and its name. A file with several playlists is an error; tracks
// without a Spotify id are too (Spotify could not add them).
func playlistIDs(path string) ([]string, string, error) {
	ds, err := load.File(path, load.Options{})
	if err != nil {
		return nil, "", err
	}
	var tracks []*features.Track
	name := features.PlaylistName(path)
	switch len(ds.Playlists) {
	case 0:
		tracks = ds.Catalog.Tracks
	case 1:
		tracks = ds.Playlists[0].Tracks
		if n := strings.TrimSpace(ds.Playlists[0].Name); n != "" {
			name = n
		}
	default:
		return nil, "", fmt.Errorf("%s holds %d playlists; save takes one", path, len(ds.Playlists))
	}
	ids := make([]string, 0, len(tracks))
	var bad []string
	for _, t := range tracks {
		if features.IsTrackID(t.ID) {
			ids = append(ids, t.ID)
		} else if len(bad) < 3 {
			bad = append(bad, fmt.Sprintf("%q", t.String()))
		}
	}
	if len(ids) < len(tracks) {
		return nil, "", fmt.Errorf("%s: %d of %d tracks have no Spotify track id (%s)", path, len(tracks)-len(ids), len(tracks), strings.Join(bad, ", "))
	}
	if len(ids) == 0 {
		return nil, "", fmt.Errorf("%s: no tracks", path)
	}
	return ids, name, nil
}

// spotifyHTTPClient is the base client for user-authorised Spotify calls:
// the spotify package's retrying transport (429 Retry-After, 5xx on GET).
func spotifyHTTPClient(onWait func(reason string, d time.Duration)) *http.Client {
	return &http.Client{Transport: spotify.Config{OnWait: onWait}.Transport(nil), Timeout: 30 * time.Second}
}
