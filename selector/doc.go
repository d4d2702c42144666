// Package selector provides DISCO's greedy choice of the next song: the
// objective, candidate pools, seed resolution and the explanation of each
// pick.
//
// # The objective
//
// With s the last song so far, y the flow model's prediction of the next
// song's scaled features and x_c a candidate's scaled features,
//
//	score(c) = flow·‖spicyness·y − x_c‖₂ − sweetness·keySim(s, c) − smoothness·tempoSim(s, c)
//
// and the candidate with the lowest score is appended (DISCO.md, section 4).
// The original's knobs were flow 1, spicyness 1.2, sweetness 1, smoothness
// 1 (OriginalKnobs); disco's defaults (DefaultKnobs) come from a sweep on
// held-out playlists. keySim and
// tempoSim are theory.KeySim and theory.TempoSim, both in [-1, 1]; the
// distance is unbounded, which is why the knobs matter (see disco sweep).
//
// # Beams and bridges
//
// Options.Beam replaces the greedy pass by a beam search over the same
// costs (Beam.Run). Options.To makes a bridge: the playlist ends with a
// given song, and each pick's target is Pass.target, the network's target
// blended (Options.Blend, all of it by default) with the point that
// stands, on the line from the last seed's scaled features to the end's,
// as far along as the pick stands in the playlist. Greedy, beam and the
// explanation all read their targets there; a beam also pays for the move
// into the end.
//
// # Faults of the original, fixed
//
//   - Seeds and picked songs are never candidates, and the same recording
//     under two ids (same normalised artist and title) is used once.
//   - The key of a picked song is its own key: the original wrote a minor
//     key back as key+3, so the reference drifted by three fifths.
//   - Unknown key or tempo gives the neutral similarity 0; a score that is
//     NaN never wins, and candidates without features never enter a pool.
//   - Ties: the lowest score wins; among equal scores, the candidate earlier
//     in the pool's order. Pools are ordered deterministically (by distance
//     to the seeds, then by track id), so a build is reproducible.
//
// # Speed
//
// A Selector keeps its candidates as flat arrays and precomputes, per
// candidate, the position on the circle of fifths and (cos, sin) of
// 2π·log2(tempo), so that keySim is a table look-up and tempoSim a dot
// product: scoring one candidate costs about thirty floating-point
// operations and no allocation.
package selector
