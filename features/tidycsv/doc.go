// Package tidycsv provides the reader and writer of audio-feature CSV
// tables in the layout of the TidyTuesday 2020-01-21 "Spotify Songs" data
// (spotify_songs.csv) and of Kaggle's "Spotify tracks dataset".
//
// # Layout
//
// One row per playlist entry, or per track when there are no playlists.
// Columns are found by their header name, compared case-insensitively with
// surrounding white space removed and spaces or hyphens read as
// underscores; extra columns are ignored and only the track id is
// required. Accepted names (leftmost wins when several name one field):
//
//	track id        id, track_id, spotify_id, track_uri, uri, track.id, track.uri
//	name            name, track_name, song, song_name, title, track.name
//	artists         artist, artists, track_artist, artist_name, artist_names, artist_name(s)
//	album           album, album_name, track_album_name, track.album.name
//	release date    release_date, album_release_date, track_album_release_date,
//	                track.album.release_date
//	popularity      popularity, track_popularity, track.popularity
//	duration        duration_ms, duration, track.duration_ms (milliseconds)
//	key, mode       also as text: key_name ("C#"), key_mode ("C# minor"),
//	                mode_name ("minor"); a numeric column to their left wins
//	genre           genre, playlist_genre, track_genre
//	subgenre        subgenre, playlist_subgenre
//	playlist name   playlist, playlist_name
//	playlist id     playlist_id, pid
//	features        danceability, energy, key, loudness, mode, speechiness,
//	                acousticness, instrumentalness, liveness, valence, tempo,
//	                time_signature
//
// A UTF-8 byte-order mark, CRLF line ends, quoted commas and quoted line
// breaks are read as RFC 4180 says; gzip-compressed input (magic bytes
// 1f 8b) is decompressed.
//
// # Artists
//
// The artist cell is split on ";" (Kaggle joins several artists so, and a
// few TidyTuesday rows do too), each name trimmed and empty names dropped.
// It is never split on ",": TidyTuesday's track_artist is the one credited
// name, and names such as "Tyler, The Creator" hold commas.
//
// # Missing values
//
// The data came from R, which writes a missing value as NA. A cell holding
// exactly NA, or null in any case, is read as empty, in every column: a
// track named "NA" cannot be told from one without a name (five rows of
// spotify_songs.csv have NA for name, artist and album). NaN in a numeric
// column is unknown too, with a warning (see below). So NA, NaN, null and
// empty cells all mean the value is unknown: the row is kept, and a track
// with any abstract feature unknown has none (counted in
// Report.MissingFeatures).
//
// # spotifyr
//
// The output of spotifyr's get_playlist_audio_features, written with R's
// write.csv, reads as it is: its dotted names (track.id, track.name,
// track.album.name, track.duration_ms...) are aliases above, the
// row-name column and the many others are ignored, and playlist_id and
// playlist_name give the playlists (spotifyr has no genre column). Its
// list columns (track.artists) do not survive write.csv, so such exports
// have no artists.
//
// # Playlists
//
// Playlists are rebuilt from contiguous rows with the same playlist id (the
// playlist name when the id is empty), in row order; a row with neither is
// a catalog track in no playlist and ends the current block. A playlist's
// name, genre and subgenre come from its first row. Without playlist
// columns there are no playlists, only a catalog. When a playlist id comes
// back later as a new block:
//
//   - with the same tracks in the same order, the block is a duplicate: it
//     is dropped and counted in Report.DuplicatePlaylists (spotify_songs.csv
//     lists one playlist under two genres so);
//   - with other tracks, the first block is kept and the later one dropped
//     with a warning (not counted as a duplicate). spotify_songs.csv has
//     seven such blocks, each under another subgenre than the first and
//     sharing most but not all of its tracks.
//
// Either way the rows' tracks still enter the catalog.
//
// # Validation
//
// Each row is checked as [table.TableReader] describes, shared with the
// Exportify reader. In short:
//
//   - A malformed row is a *[features.ParseError] naming the file, the line
//     (1-based, counting the header and the physical lines of quoted line
//     breaks), the byte column (1-based) where the cell starts, and the
//     column's header name. Malformed means: an empty track id; a number
//     that does not parse; an abstract feature outside
//     [features.AbstractRanges]; key outside -1..11 or not an integer; mode
//     other than 0, 1 or empty; tempo negative or above
//     [features.MaxTempo]; popularity outside 0..100; negative duration;
//     time signature outside 0..[features.MaxTimeSignature]; a row with
//     more or fewer cells than the header; a CSV syntax error.
//   - With Options.SkipBad a malformed row is left out instead, counted in
//     Report.Skipped and warned about.
//   - NaN or Inf in an abstract feature, or an empty feature cell: the
//     track has no features (HasFeatures false, Features =
//     [features.NoFeatures]), counted in Report.MissingFeatures; NaN/Inf
//     text is also warned about.
//   - key -1 or empty: unknown key, kept, counted in Report.UnknownKey.
//   - mode empty: unknown (-1).
//   - tempo 0, empty, NaN or Inf: unknown (0), counted in
//     Report.UnknownTempo (NaN/Inf warned about). A negative tempo is
//     malformed, not unknown: no writer produces one to mean "unknown".
//   - an empty name: kept as "", with a warning.
//   - the same track id again: the first row's track is kept; when the
//     later row's features differ (beyond [table.ConflictTol]),
//     Report.Conflicts counts it and a warning names both rows.
//   - a row whose cells are all empty is ignored, like a blank line.
//
// Report.Rows counts data rows, skipped ones included.
//
// # Speed
//
// The CSV text is split by table.TableReader's scanner, which follows
// encoding/csv's rules exactly (a fuzz test holds the two to it) without
// making a string per row; numbers are parsed from the bytes, with
// strconv.ParseFloat behind an exact fast path; each new track's strings
// share one block of memory, and genres, artists and playlist names are
// interned. bench/csvread measures it against Python's csv module.
//
// # Writing
//
// [Write] writes the TidyTuesday columns (without track_album_id) plus
// time_signature, so that what [Read] returns reads back the same: the
// same playlists in the same order, and the same catalog tracks with the
// same values. Only the catalog's order and the provenance may change.
package tidycsv
