// Package load provides the opening of any track data file disco reads:
// it recognises the format from the content, not the name, and hands the
// file to the reader of that format; and it merges several datasets into
// one.
//
// # Formats
//
// [Sniff] decides from the first bytes of the (decompressed) text:
//
//   - gzip (magic bytes 1f 8b): decompressed first, then sniffed again;
//     a UTF-8 byte-order mark and leading white space are skipped;
//   - JSON starting {"info" or {"playlists": a Million Playlist Dataset
//     slice (features/mpd); other JSON is not recognised;
//   - a first line that is a CSV header naming Exportify's track column
//     ("Track URI", "Spotify ID", "Track ID" or "Spotify URI", as written):
//     Exportify (features/exportify);
//   - a first line that is a CSV header with a track id column of the
//     TidyTuesday/Kaggle layout (track_id, id, spotify_id, track_uri, uri,
//     in any case): the audio-feature table (features/tidycsv);
//   - a first line that is a track reference (id, URI or URL), a comment
//     or M3U line starting with "#", any other single field, or no line at
//     all: a plain list of track references (features/idlist);
//   - anything else (a CSV header without a known track column): not
//     recognised, an error naming what was expected.
//
// Exportify is checked before the tidy layout because "Track ID" also
// normalises to track_id: Exportify's column names are title case with
// spaces, the tidy ones are lower case with underscores.
package load
