// Package builtin provides the catalog embedded in disco: the TidyTuesday
// 2020-01-21 "Spotify Songs" data (29,500 rows, 423 playlists, six genres),
// pulled from the Spotify Web API with spotifyr in January 2020. The
// TidyTuesday project is MIT-licensed; the content comes from Spotify.
//
// The file is the TidyTuesday CSV without its track_album_id column,
// gzip-compressed; make_catalog.sh rebuilds it.
package builtin

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
)

//go:embed catalog.csv.gz
var catalogGz []byte

// Name is the name the embedded catalog goes by in messages and provenance.
const Name = "builtin:spotify_songs.csv"

// Open returns a reader of the embedded catalog's CSV text. The text is
// decompressed by a goroutine of its own, ahead of the reader, so that
// decompressing and parsing share the machine's cores; reading to the end
// (or to an error) releases it.
func Open() (io.Reader, error) {
	zr, err := gzip.NewReader(bytes.NewReader(catalogGz))
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriterSize(pw, 256<<10)
		_, err := io.Copy(bw, zr)
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err)
	}()
	return bufio.NewReaderSize(pr, 256<<10), nil
}
