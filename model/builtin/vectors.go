package builtin

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/discoflow/disco/model/song2vec"
)

// The vectors are embedded uncompressed: float32s barely compress (gzip
// saved a fifth of the file) and gunzipping them was the largest single
// cost of a default build's start-up (about 25 ms of 120, issue 18).
//
//go:embed song2vec.bin
var vectorsBin []byte

// VectorsName is the name the embedded song2vec vectors go by in messages.
const VectorsName = "builtin:song2vec.bin"

// Vectors returns the embedded song2vec vectors: one 16-dimensional vector
// for every track of the embedded catalog, learnt from its 423 playlists by
//
//	go run ./cmd/disco song2vec --workers 1 --seed 1 --out song2vec.bin
//
// (dimension 16, window 10, 5 negative samples, min count 1, no
// sub-sampling, 50 epochs), in word2vec's binary format.
func Vectors() (*song2vec.Vectors, error) {
	v, err := song2vec.ReadBinary(bytes.NewReader(vectorsBin))
	if err != nil {
		return nil, fmt.Errorf("embedded vectors: %w", err)
	}
	return v, nil
}
