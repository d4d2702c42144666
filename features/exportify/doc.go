// Package exportify provides the reader and writer of Exportify CSV files:
// one Spotify playlist as exported by Exportify (exportify.net and its
// forks), one row per entry in playlist order.
//
// # Layout
//
// Columns are found by header name, compared case-insensitively with
// surrounding white space removed and spaces or hyphens read as
// underscores; Exportify's names changed over the years and all are
// accepted (leftmost wins when several name one field); other columns
// (Added By, Added At, Explicit, ISRC, URIs of artists and albums...) are
// ignored. Only the track column is required.
//
//	track           Track URI, Spotify ID, Track ID, URI, Spotify URI, ID
//	name            Track Name, Name, Title
//	artists         Artist Name(s), Artist Names, Artist Name, Artists, Artist
//	album           Album Name, Album
//	release date    Release Date, Album Release Date
//	duration        Duration (ms), Track Duration (ms), Duration_ms, Duration
//	popularity      Popularity
//	genre           Genres, Artist Genres (kept as written in Track.Genre)
//	features        Danceability, Energy, Key, Loudness, Mode, Speechiness,
//	                Acousticness, Instrumentalness, Liveness, Valence, Tempo,
//	                Time Signature
//
// The track cell may hold a URI (spotify:track:ID), an open.spotify.com URL
// or a bare id; any other value (a local file's spotify:local:... URI) is
// kept as the track's id as written. Feature cells are empty when Spotify
// gave no features (as it does for applications registered since November
// 2024): such tracks have no features.
//
// One file is one playlist: its name is the file's base name without the
// extension (.csv, .csv.gz, .gz); it has no id. A track listed twice is one
// catalog track appearing twice in the playlist.
//
// # Artists
//
// Exportify joins a track's artists with "," (older versions) or ", "
// (newer ones, which write a comma inside a name as "\,"). The artist cell
// is split on commas not preceded by a backslash, "\," and "\\" are
// unescaped, and each name is trimmed. So "Tyler\, The Creator" is one
// artist, but in an old export without escapes it is two ("Tyler" and "The
// Creator"): the file cannot tell them apart.
//
// # Validation
//
// The policy is the one of features/tidycsv, shared through
// [table.TableReader]: a malformed row
// is a *[features.ParseError] with file, line, byte column and column name
// unless Options.SkipBad, which skips and counts it; NaN, Inf or empty
// features mean missing features; key -1 and tempo 0 are unknown; an empty
// name is kept with a warning; a track listed again with other features is
// a conflict (first kept). Unlike tidycsv, NA is not a missing value here.
// A UTF-8 byte-order mark (which Exportify writes), CRLF line ends, quoted
// commas and line breaks, and gzip-compressed input are read.
//
// # Writing
//
// [Write] writes a playlist in the current Exportify columns that disco
// knows, so that [Read], given the same file name, returns the same
// playlist and tracks.
package exportify
