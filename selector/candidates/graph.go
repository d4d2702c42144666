package candidates

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/discoflow/disco/features"
)

// ArtistGraph counts how often artists share playlists.
type ArtistGraph struct {
	n  map[string]int            // artist -> playlists holding it
	co map[string]map[string]int // artist -> other artist -> playlists holding both
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
	g := &ArtistGraph{n: map[string]int{}, co: map[string]map[string]int{}}
	var arts []string
	for _, p := range pls {
		arts = arts[:0]
		for _, t := range p.Tracks {
			for _, a := range t.Artists {
				if k := ArtistKey(a); k != "" && !slices.Contains(arts, k) && len(arts) < maxArtistsPerPlaylist {
					arts = append(arts, k)
				}
			}
		}
		for i, a := range arts {
			g.n[a]++
			m := g.co[a]
			if m == nil {
				m = map[string]int{}
				g.co[a] = m
			}
			for j, b := range arts {
				if i != j {
					m[b]++
				}
			}
		}
	}
	return g
}

// Artists returns the number of artists the graph knows.
func (g *ArtistGraph) Artists() int { return len(g.n) }

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
	w := map[string]float64{}
	given := map[string]bool{}
	for _, a := range artists {
		given[ArtistKey(a)] = true
	}
	for a := range given {
		na := g.n[a]
		for b, c := range g.co[a] {
			if !given[b] {
				w[b] += float64(c) / math.Sqrt(float64(na*g.n[b]))
			}
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
