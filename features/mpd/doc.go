// Package mpd provides a reader and writer for the Million Playlist Dataset
// (MPD) of the RecSys Challenge 2018, and the join of its playlists to a
// catalog that has audio features.
//
// # Format
//
// The MPD comes as 1,000 JSON files ("slices") named mpd.slice.<a>-<b>.json,
// each about 33 MB with 1,000 playlists:
//
//	{"info": {"generated_on": ..., "slice": "0-999", "version": "v1"},
//	 "playlists": [{"name", "collaborative", "pid", "modified_at",
//	   "num_tracks", "num_albums", "num_followers", "num_edits",
//	   "duration_ms", "num_artists", "description" (optional),
//	   "tracks": [{"pos", "artist_name", "track_uri", "artist_uri",
//	     "track_name", "album_uri", "duration_ms", "album_name"}]}]}
//
// A playlist becomes a [features.Playlist] with ID the decimal pid and the
// playlist's name; a track becomes a [features.Track] with the id of its
// track_uri, its name, one artist, album and duration. The MPD has no audio
// features: every track has HasFeatures false, Features
// [features.NoFeatures], Key and Mode -1, Tempo 0, Popularity -1, and
// provenance Meta "mpd:<file>". Summary fields (num_tracks, num_albums,
// duration_ms of a playlist, ...) are not trusted: a num_tracks that
// disagrees with the tracks is reported as a warning by [Read].
//
// # Order and validation
//
// Tracks are ordered by pos. Tracks listed out of pos order are sorted
// (and [Read] warns); a pos seen twice in one playlist, a missing or
// negative pos, a missing pid or tracks array, a pid that is not an integer
// in [0, 2^31), a repeated "pid", "name", "num_tracks", "tracks" or
// "playlists" key, a track_uri that is not a Spotify track
// (any form [features.ParseTrackRef] accepts), or malformed JSON is an
// [*Error] naming the file, the byte offset and, once read, the playlist's
// pid. Unknown keys are skipped, token by token. A negative or missing
// duration_ms is unknown (-1); null strings read as "".
//
// # Streaming
//
// [Decoder] and [Stream] read a slice token by token with encoding/json's
// Decoder: memory holds one playlist at a time, never the slice. [Read]
// collects a slice into a [features.Dataset]; [StreamDir] streams every
// slice of a directory in numeric order.
//
// # Joining
//
// [Join] replaces each playlist track by the catalog's track with the same
// id, which brings audio features to MPD playlists, and reports the
// [Coverage].
package mpd
