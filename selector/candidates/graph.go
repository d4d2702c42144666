package candidates

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/discoflow/disco/features"
)

// ArtistGraph counts how often artists share playlists. It keeps each
// playlist's distinct artists and, per artist, the playlists holding it,
// and counts the pairs of the artists asked about when asked (Related):
// building it is linear in the playlists' tracks, not quadratic in their
// artists.
type ArtistGraph struct {
	lists [][]string         // each playlist's distinct artists
	in    map[string][]int32 // artist -> the playlists holding it
}

// ArtistKey is the form of an artist's name the graph and the artist
// source compare: trimmed and lower-cased.
func ArtistKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// maxArtistsPerPlaylist bounds the quadratic pair count of one playlist.
const maxArtistsPerPlaylist = 300

// NewArtistGraph counts the artists of the given playlists (each
// playlist's distinct artists, every credited artist of every track).
// Playlists with more than 300 artists count their first 300.
func NewArtistGraph(pls []*features.Playlist) *ArtistGraph {
	g := &ArtistGraph{lists: make([][]string, 0, len(pls)), in: map[string][]int32{}}
	for _, p := range pls {
		var arts []string
		for _, t := range p.Tracks {
			for _, a := range t.Artists {
				if k := ArtistKey(a); k != "" && !slices.Contains(arts, k) && len(arts) < maxArtistsPerPlaylist {
					arts = append(arts, k)
				}
			}
		}
		for _, a := range arts {
			g.in[a] = append(g.in[a], int32(len(g.lists)))
		}
		g.lists = append(g.lists, arts)
	}
	return g
}

// Artists returns the number of artists the graph knows.
func (g *ArtistGraph) Artists() int { return len(g.in) }

// Related is an artist and how strongly it goes with the artists asked
// about.
type Related struct {
	Artist string
	Weight float64
}

// Related returns the artists that share playlists with any of the given
// ones (not those themselves), strongest first: the weight is the sum
// over the given artists a of co(a, b) / √(n(a)·n(b)), the cosine of
// their playlist sets. Ties go to the smaller name. At most k (all when
// k ≤ 0).
func (g *ArtistGraph) Related(artists []string, k int) []Related {
	given := map[string]bool{}
	var order []string
	for _, a := range artists {
		if a = ArtistKey(a); !given[a] {
			given[a] = true
			order = append(order, a)
		}
	}
	slices.Sort(order) // the sums below in one order, whatever the map's
	w := map[string]float64{}
	co := map[string]int{}
	for _, a := range order {
		clear(co)
		for _, pi := range g.in[a] {
			for _, b := range g.lists[pi] {
				if !given[b] {
					co[b]++
				}
			}
		}
		na := len(g.in[a])
		for b, c := range co {
			w[b] += float64(c) / math.Sqrt(float64(na*len(g.in[b])))
		}
	}
	out := make([]Related, 0, len(w))
	for a, v := range w {
		out = append(out, Related{a, v})
	}
	slices.SortFunc(out, func(x, y Related) int {
		if c := cmp.Compare(y.Weight, x.Weight); c != 0 {
			return c
		}
		return cmp.Compare(x.Artist, y.Artist)
	})
	if k > 0 && len(out) > k {
		out = out[:k]
	}
	return out
}
