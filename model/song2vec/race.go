//go:build race

package song2vec

// raceEnabled is true under the race detector, where training workers
// serialise their updates (see Train) so that Hogwild's deliberate races do
// not fail the tests of programs that train.
const raceEnabled = true
