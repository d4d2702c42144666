//go:build !race

package song2vec

const raceEnabled = false
