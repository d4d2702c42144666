// Package catbin provides a compact binary form of a [features.Dataset],
// the form the embedded catalog ships in so that a command starts without
// parsing CSV.
//
// # Overview
//
// [Encode] writes a data set: its catalog's tracks with every field, its
// playlists in order (their tracks as indexes into the catalog, so a track
// in several playlists stays one value), and its report. [Decode] reads it
// back into a data set whose strings are all substrings of one copy of the
// file's string block, and whose tracks, artists and playlists are cut from
// a few large slices: decoding allocates about ten times whatever the
// catalog's size, plus the catalog's id map (81 allocations in all for the
// embedded catalog's 25,816 tracks).
//
// # Layout
//
// All numbers are little-endian. A 56-byte header:
//
//	magic    [8]byte  "DISCOCAT"
//	version  uint32   [Version]
//	reserved uint32   0 (anything else is damage)
//	size     uint32   bytes after the header
//	crc      uint32   CRC-32 (Castagnoli) of the bytes after the header
//	source   [32]byte the SHA-256 of the text the data set was read from
//
// then the body: a count table (uint32s: string bytes, tracks, artist
// names, playlists, playlist entries, report strings) followed by the
// string bytes (each distinct string once), the track records, the artist
// name references, the playlist records, the playlist entries (uint32
// track indexes) and the report. A string is referenced by its offset and
// length (two uint32s) in the string bytes; int fields are int32 (Encode
// refuses values outside it), floats are their IEEE-754 bits, so NaN and
// -0 come back as they went in.
//
// An empty list (a track's artists, a playlist's tracks, the report's
// lists) decodes as nil.
//
// # Damage
//
// Decode checks the magic, the version, the size and the checksum before
// it reads anything else, and every reference against its section; a
// damaged or truncated file is an error wrapping [ErrDamaged], a file of
// another version one wrapping [ErrVersion]. It never panics on bad input.
package catbin
