// Package sequence provides the ordering of a given set of songs by their
// transition costs: an exact solver for small sets, a greedy baseline and a
// seeded local search. It knows nothing of features, keys or the network:
// the caller (selector, disco sort) turns those into a Problem.
//
// # The cost of an order
//
// For a Problem p and an order o (a permutation of 0..N−1),
//
//	cost(o) = StartCost[o[0]] + Σ_k Cost[o[k−1]·N+o[k]] + Σ_k Position[k·N+o[k]]
//	        + ArtistPenalty · #{p < q : q−p < ArtistGap, Artist[o[p]] = Artist[o[q]] ≥ 0}
//
// with the nil parts left out; that is Problem.OrderCost. A +Inf term (a
// forbidden move or position) makes the order infeasible. Fixed[p] ≥ 0
// pins a song to position p: every solver keeps it there, and it is not a
// cost but a constraint. Validate lists what a consistent Problem needs.
//
// # Solvers
//
// Exact is Held-Karp dynamic programming, O(2^N·N²), for N ≤ MaxExact (12).
// It is exact for every term except the artist pairs more than one
// position apart, which it ignores (so it is exact for ArtistGap ≤ 2); the
// cost it returns is still OrderCost of its order. Among optimal orders it
// returns the lexicographically smallest.
//
// Greedy places, position by position, the song that adds the least cost.
//
// Solve improves a start order (Greedy's by default) by simulated
// annealing over 2-opt (segment reversal), or-opt (a block of 1 to 3 songs
// moved, possibly reversed) and swaps, then a descent to a local optimum.
// Four moves in five are guided by candidate lists (each song's ten
// cheapest successors and predecessors). Prefix sums of the forward and
// backward transitions make a move's transition cost O(1) even for
// asymmetric costs; the artist pairs are recounted only in windows of
// ArtistGap songs around the cuts; Position costs take O(songs moved); a
// taken move costs O(N) to update the prefix sums. The steps per round
// are N·200 + 5,000 at Fast, N·1000 + 20,000 at Normal and N·2000 +
// 40,000 at Max (four rounds, each from the best so far), at about 0.2 to
// 0.3 µs a step; building the candidate lists is O(N²) and a descent pass
// O(N·60) moves. Measured on a shared 2-core Xeon: N = 100 takes about
// 11, 37 and 250 ms at Fast, Normal and Max; N = 500 about 0.09, 0.17 and
// 1.1 s (BenchmarkSolve).
//
// # Determinism
//
// Solve reads no clock: its only randomness is a PCG source seeded with
// Options.Seed, and its floating-point steps avoid per-architecture
// functions (math.Exp) and fused multiply-adds, so a problem, start and
// seed give the same order on every machine. Different seeds may give
// different orders. A context cancels the search, returning the best
// order so far; a time budget belongs to the caller, through it.
//
// # Errors and panics
//
// Exact returns an error for a bad problem (a *ValidationError), one of
// more than MaxExact songs (ErrTooLarge) or one with no feasible order
// (ErrInfeasible). Greedy and Solve panic on a problem that Validate
// rejects, and Solve on a start that is not a permutation respecting
// Fixed: those are the caller's mistakes. Solve on an infeasible problem
// returns its best order with cost +Inf.
package sequence
