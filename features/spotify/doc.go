// Package spotify provides disco's Spotify Web API source: seed resolution
// by search, recommendations and audio features as features.Track values,
// a candidate pool for the selector, and saving a playlist to a user's
// account.
//
// # Overview
//
// [New] makes a [Client] with the client-credentials flow from SPOTIFY_ID
// and SPOTIFY_SECRET; it asks for a token at once so that refused
// credentials fail early with [ErrBadCredentials]. Every method takes a
// context, and cancelling it stops the call.
//
// [Client.Resolve] finds a seed by artist and title and checks that the hit
// really is that song, after normalising case, accents, punctuation and
// version suffixes such as " - Remastered 2011"; a different song gives a
// [*MismatchError] naming what Spotify found.
//
// [Client.Recommend] and [Client.GetFeatures] use the endpoints Spotify
// closed on 2024-11-27 to new and development-mode apps. A 403 or 404 from
// them gives one [*ClosedError], which matches [ErrEndpointClosed] with
// errors.Is and whose message names the offline alternatives.
//
// [Pool] implements the selector's candidate pool as the original DISCO
// did: 100 recommendations for each seed and 100 for all seeds together,
// de-duplicated, then audio features in batches of at most 100.
//
// # Saving playlists
//
// [UserAuth] runs the authorization-code flow with PKCE and a loopback
// redirect (http://127.0.0.1:PORT/callback), caches the token in the user's
// config directory with mode 0600 and refreshes it when it expires.
// [Client.CreatePlaylist] then uses today's endpoints, POST /me/playlists
// and POST /playlists/{id}/items, which the zmb3 library does not know.
//
// # Rate limits and errors
//
// All requests go through one transport that honours 429 Retry-After
// (waits longer than [Config.MaxWait] become a [*RateLimitError]) and
// retries GET requests that fail with a 5xx status, with exponential
// backoff. Values arrive as float32 from the library and are converted to
// float64 here, once, keeping the decimal value Spotify sent.
package spotify
