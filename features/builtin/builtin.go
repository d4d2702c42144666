// Package builtin provides the catalog embedded in disco: the TidyTuesday
// 2020-01-21 "Spotify Songs" data (29,500 rows, 423 playlists, six genres),
// pulled from the Spotify Web API with spotifyr in January 2020. The
// TidyTuesday project is MIT-licensed; the content comes from Spotify.
//
// The file is the TidyTuesday CSV without its track_album_id column,
// gzip-compressed; make_catalog.sh rebuilds it.
package builtin

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
)

//go:embed catalog.csv.gz
var catalogGz []byte

// Name is the name the embedded catalog goes by in messages and provenance.
const Name = "builtin:spotify_songs.csv"

// Open returns a reader of the embedded catalog's CSV text.
func Open() (io.Reader, error) {
	return gzip.NewReader(bytes.NewReader(catalogGz))
}
