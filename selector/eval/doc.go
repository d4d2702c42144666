// Package eval provides the measurement of DISCO's playlists on held-out
// playlists, against honest baselines, and the parameter sweeps that choose
// the selector's knobs by that evidence.
//
// # Overview
//
// Prepare turns held-out playlists, a catalog and a flow model into Data:
// every track's scaled features, circle-of-fifths position and tempo phase
// computed once, the model's predictions along each playlist's human order,
// the catalog distractors of each ranking step and each playlist's pool of
// catalog candidates, all drawn from the Options' seed. Data is read-only
// and shared; an Evaluator (one per goroutine) scores one knob Setting
// without allocating. Report adds what does not depend on the knobs (the
// prediction error, the baseline rankers, the human order) for disco eval;
// Sweep runs many Settings on all cores for disco sweep.
//
// A "playlist" is a run of consecutive tracks with features (as in
// model.Runs): a track without features splits a playlist, since the
// tracks on either side of it were never neighbours.
//
// # Next-track ranking
//
// At every step t ≥ 1 of a playlist, given the tracks before t, each ranker
// orders a candidate set and the true track t gets a rank r. HR@k is the
// share of steps with r ≤ k; MRR is the mean of 1/r over the whole ranking
// (no cut-off). Both are micro-averaged over all steps of all playlists.
// Two candidate sets:
//
//   - Within: the tracks of the playlist not yet played. A track whose
//     recording (selector.RecordingKey, or the same id) appeared earlier in
//     the playlist is a repeat: it is never a candidate, and a step whose
//     true track is a repeat is skipped.
//   - Catalog: the true track and Options.Distractors tracks (99) drawn
//     without replacement, from the Options' seed, from the catalog's tracks
//     whose recording is not in the playlist.
//
// Rankers score every candidate, lowest first: Random (every score equal),
// Last (distance to the last song), Centroid (distance to the mean of the
// songs so far), RNN (distance to the model's prediction, unstretched) and
// DISCO (the selector's full objective with the Setting's knobs, against
// the last song). Distances are Euclidean in scaled feature space. Ties are
// broken at random, and the metrics are their exact expectation over the
// tie-break: a true track tied with E others below L strictly better ones
// has each rank L+1 .. L+E+1 with probability 1/(E+1). So Random's figures
// are its exact expected values, HR@k = min(k, N)/N and MRR = H_N/N for N
// candidates.
//
// # Generation
//
// From each playlist of more than Options.Seeds (3) tracks, its first three
// tracks seed two greedy builds with the Setting's knobs, exactly as
// selector.Build makes them (seeds and repeated recordings excluded, ties to
// the earlier candidate):
//
//   - Reorder: the rest of the playlist is the candidate set, offered in
//     a neutral order (by a hash of the track ids), so that a tie cannot
//     fall to the earlier song and hand back the human order; the result
//     is the playlist reordered.
//   - Build: the candidates are a selector.CatalogPool of Setting.Pool
//     tracks nearest to the seeds (all of them when Pool is 0); the result
//     has Options.BuildLength songs, seeds included (13 by default, as
//     disco build makes them; or as many as the playlist).
//
// Each order, and the human order, is measured on its transitions from the
// last seed on: the mean step (Euclidean distance between consecutive
// songs' scaled features), the share of transitions with keySim = 1, the
// share Camelot-compatible (theory.Move.Compatible), the share within 6% BPM
// with half and double time allowed (theory.TempoCompatible), the share of
// songs after the seeds sharing an artist with one of the 3 songs before,
// and for orders of the playlist's own tracks the Kendall tau against the
// human order. Key and tempo shares count the transitions where both songs'
// key (tempo) is known. Metrics are computed per playlist and averaged over
// playlists (a playlist with no transition to count is left out of that
// metric's mean).
//
// Every order is compared with Options.Shuffles (10) seeded shuffles of the
// same songs after the seeds: Shuffled is their mean, and the lift of a
// metric is order/shuffled − 1 (of the means over playlists), so a lift of
// −0.1 on the step means steps 10% smaller than the same songs shuffled, and
// +2 on the key share three times as many key-compatible transitions.
//
// # The sequencer
//
// With Options.Sort, Report also holds the sequencer to its references
// (CheckSequencer): on SeqCheckSets (200) random sets of SeqCheckSize
// (10) songs, each drawn from one playlist, the gap of selector.Sort's
// cost to sequence.Exact's on the same problem (selector.SortProblem),
// and on each playlist of the sort task the greedy regret, the cost of
// sequence.Greedy's order over selector.Sort's, minus 1. Costs are
// measured above their floor (SeqCheck), so that the ratios are of
// positive numbers.
//
// # Determinism
//
// Everything random (distractors, shuffles) comes from PCG sources seeded by
// Options.Seed and the playlist's index, never shared between playlists or
// goroutines, so a Setting's results are bit-identical whatever the number
// of workers of a Sweep and whatever order the Settings run in.
package eval
