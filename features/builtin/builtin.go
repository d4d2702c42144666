// Package builtin provides the catalog embedded in disco: the TidyTuesday
// 2020-01-21 "Spotify Songs" data (29,500 rows, 423 playlists, six genres),
// pulled from the Spotify Web API with spotifyr in January 2020. The
// TidyTuesday project is MIT-licensed; the content comes from Spotify.
//
// The file is the TidyTuesday CSV without its track_album_id column,
// gzip-compressed; make_catalog.sh rebuilds it. Commands read the catalog
// through [Dataset], from catalog.bin: the data set the CSV gives, in the
// binary form of internal/catbin, which go generate rebuilds from the CSV
// (a test fails when it was not rerun after the CSV changed). [Open] gives
// the CSV text itself.
package builtin

//go:generate go run ./internal/gencatalog -in catalog.csv.gz -out catalog.bin -name builtin:spotify_songs.csv

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/internal/catbin"
)

//go:embed catalog.csv.gz
var catalogGz []byte

//go:embed catalog.bin
var catalogBin []byte

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

// Dataset returns the embedded catalog as the tidy CSV reader
// (features/tidycsv, strict) gives it from the CSV text, decoded from its
// binary form: a new data set on every call, which the caller may change.
// An error means a damaged build.
func Dataset() (*features.Dataset, error) {
	ds, _, err := catbin.Decode(catalogBin)
	if err != nil {
		return nil, fmt.Errorf("builtin: catalog.bin (go generate ./features/builtin rebuilds it): %w", err)
	}
	return ds, nil
}
