//go:build !race

package mpd

// raceEnabled is whether the race detector is on; tests that stream large
// inputs shrink them to stay within CI's time.
const raceEnabled = false
