package builtin

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"

	"github.com/discoflow/disco/model/song2vec"
)

//go:embed song2vec.bin.gz
var vectorsGz []byte

// VectorsName is the name the embedded song2vec vectors go by in messages.
const VectorsName = "builtin:song2vec.bin.gz"

// Vectors returns the embedded song2vec vectors: one 16-dimensional vector
// for every track of the embedded catalog, learnt from its 423 playlists by
//
//	go run ./cmd/disco song2vec --workers 1 --seed 1 --out song2vec.bin && gzip -9n song2vec.bin
//
// (dimension 16, window 10, 5 negative samples, min count 1, no
// sub-sampling, 50 epochs), in word2vec's binary format.
func Vectors() (*song2vec.Vectors, error) {
	zr, err := gzip.NewReader(bytes.NewReader(vectorsGz))
	if err != nil {
		return nil, fmt.Errorf("embedded vectors: %w", err)
	}
	v, err := song2vec.ReadBinary(zr)
	if err != nil {
		return nil, fmt.Errorf("embedded vectors: %w", err)
	}
	return v, nil
}
