// Package idlist provides a reader and writer for plain playlist files: one
// Spotify track per line, as a bare id, a URI or an open.spotify.com URL.
//
// # Format
//
// Each line is trimmed of white space (a UTF-8 byte order mark at the start
// of the file and CRLF line ends are accepted). Blank lines and lines
// starting with '#' are ignored, except that an extended M3U file, such as
// the M3U8 files disco writes, also works:
//
//	#EXTM3U
//	#EXTINF:194,Ed Sheeran - I Don't Care (with Justin Bieber) - Loud Luxury Remix
//	spotify:track:6f807x0ima9a1j3VPbc7VN
//
// An "#EXTINF:<seconds>,<info>" line gives the next track line its
// duration and a name hint: info is split at its first " - " into artist and
// title (without " - " it is all title), each trimmed of spaces. Seconds
// may have decimals; seconds that are negative, not a number or above 10^7
// leave the duration unknown (-1). A hint applies to the next track line,
// across comments and blank lines. Every other line must be a
// track reference accepted by [features.ParseTrackRef]; anything else, such
// as a local path in an M3U file, is a [*features.ParseError] with the file,
// line (no column: the whole line is at fault), wrapping [ErrNotTrack].
//
// # Result
//
// [Read] returns one playlist named after the file (its base name without
// the extension) in file order. A track listed twice stays twice in the
// playlist but is one catalog track, with the metadata of its first
// listing. Tracks have no audio features, as in the Million Playlist
// Dataset: HasFeatures false, Features [features.NoFeatures], Key and Mode
// -1, Tempo 0, Popularity -1, and provenance Meta "idlist:<file>:<line>".
//
// [Write] writes a playlist back: plain URIs when no track has a name,
// artist or duration, extended M3U otherwise, so that what Read returns
// survives a round trip.
package idlist
