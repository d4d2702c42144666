//go:build race

package model

// raceEnabled is true under the race detector, which slows Gorgonia's
// interpreter about twentyfold; the slowest Gorgonia tests then shrink.
const raceEnabled = true
