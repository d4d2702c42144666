// Package features provides disco's data: tracks with their audio features,
// ordered playlists and the catalog that holds them. Their scaling and
// projection live in model/scale.
//
// # Overview
//
// A [Track] carries Spotify-style audio features as float64: the eight
// abstract features of DISCO ([Acousticness] ... [Valence], in that order),
// the concrete ones (key, mode, tempo) and metadata. Unknown values have a
// defined representation instead of a magic number leaking into arithmetic:
// key and mode -1, tempo 0, and HasFeatures false when any abstract feature
// is missing.
//
// A [Playlist] is an ordered list of tracks; a [Catalog] holds each track
// once, by id. Readers for files live in sub-packages, one per source, and
// all return a [Dataset].
package features
