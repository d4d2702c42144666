// Package tsne provides t-distributed stochastic neighbour embedding
// (van der Maaten and Hinton, 2008) of points into the plane.
//
// # Overview
//
// [Embed] follows scikit-learn's TSNE (1.2) step for step where it can:
// input affinities from Gaussian kernels whose widths are found by binary
// search to match the perplexity, over each point's 3*perplexity+1 nearest
// neighbours (scikit-learn's Barnes-Hut preparation; an exact P over all
// pairs differs only in entries that round to nothing), symmetrised and
// normalised; a Student-t kernel in the plane; gradient descent with
// momentum 0.5 then 0.8, per-coordinate gains, early exaggeration 12 for
// the first 250 iterations and the learning rate max(N/48, 50).
//
// The gradient's repulsive part is computed exactly over all pairs up to
// ExactMax points (an iteration costs O(N²)), and above that with the
// Barnes-Hut approximation (a quadtree, angle Options.Theta, default 0.5,
// O(N log N) per iteration). The input affinities are found by brute force
// (O(N²) once). The points are
// split over Workers goroutines by rows, each row summed in a fixed
// order, so the result depends only on the points and the Options, not on
// the number of workers.
//
// [NeighboursKept] scores an embedding by the share of each point's k
// nearest neighbours that stay among its k nearest in the plane.
package tsne
