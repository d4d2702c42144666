package features

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
)

// SplitPlaylists divides playlists into a training and a validation set,
// whole playlists at a time, so that no playlist's transitions leak from
// one set into the other. Model training and evaluation both use it, so
// that they agree on what was held out.
//
// The split depends only on the set of playlists, valFrac and seed, not
// on the order of pls: the playlists are sorted by ID (ties, which a
// reader should not produce, by Name, then length, then input order),
// shuffled by a Fisher-Yates shuffle driven by PCG(seed, splitStream)
// from math/rand/v2 (implemented here, so the result cannot change with
// the Go release), and the first round(valFrac*len(pls)) become the
// validation set. When 0 < valFrac < 1 and there are at least two
// playlists, each set gets at least one. Both results are in ID order and
// share the *Playlist values of pls; pls itself is not modified.
//
// SplitPlaylists panics if valFrac is NaN or outside [0, 1], or if pls
// holds a nil playlist.
func SplitPlaylists(pls []*Playlist, valFrac float64, seed uint64) (train, val []*Playlist) {
	if !(valFrac >= 0 && valFrac <= 1) {
		panic(fmt.Sprintf("features: SplitPlaylists: valFrac %v outside [0, 1]", valFrac))
	}
	sorted := slices.Clone(pls)
	for _, p := range sorted {
		if p == nil {
			panic("features: SplitPlaylists: nil playlist")
		}
	}
	slices.SortStableFunc(sorted, comparePlaylists)

	n := len(sorted)
	nVal := int(math.Round(valFrac * float64(n)))
	if n >= 2 && valFrac > 0 && valFrac < 1 {
		nVal = min(max(nVal, 1), n-1)
	}

	order := slices.Clone(sorted)
	rng := rand.NewPCG(seed, splitStream)
	for i := n - 1; i > 0; i-- {
		// j uniform in [0, i], by Lemire's multiply-shift (bias below
		// 2^-40 for any realistic count, and fixed forever).
		j, _ := bits.Mul64(rng.Uint64(), uint64(i+1))
		order[i], order[j] = order[j], order[i]
	}
	inVal := make(map[*Playlist]bool, nVal)
	for _, p := range order[:nVal] {
		inVal[p] = true
	}
	train = make([]*Playlist, 0, n-nVal)
	val = make([]*Playlist, 0, nVal)
	for _, p := range sorted {
		if inVal[p] {
			val = append(val, p)
		} else {
			train = append(train, p)
		}
	}
	return train, val
}

// splitStream is the second PCG seed word of SplitPlaylists.
const splitStream = 0xd15c05b1a7

// comparePlaylists orders playlists by ID, then Name, then length.
func comparePlaylists(a, b *Playlist) int {
	if c := cmp.Compare(a.ID, b.ID); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return cmp.Compare(len(a.Tracks), len(b.Tracks))
}
