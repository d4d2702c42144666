// Package builtin provides the flow model embedded in disco: a model
// trained by disco itself on the embedded catalog (features/builtin, the
// TidyTuesday "Spotify Songs" playlists), used whenever no model file is
// given.
//
// # How it was made
//
// From the repository's root, with the same disco version:
//
//	go run ./cmd/disco train --workers 2 --epochs 80 --lr 0.01 --patience 10 --seed 1 \
//	    --out model/builtin/default.disco
//
// (no --data: the embedded catalog). `disco model info` prints the file:
// its configuration, data fingerprint, training history and validation
// scores against the baselines.
package builtin
