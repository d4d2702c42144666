package selector

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/discoflow/disco/features"
)

// RecordingKey identifies a recording across ids: the normalised artists
// and title. Two tracks with the same key are the same song (a single and
// its album release, say) and a playlist uses only one of them.
func RecordingKey(t *features.Track) string {
	return string(appendRecordingKey(nil, t))
}

// appendRecordingKey appends RecordingKey(t) to dst.
func appendRecordingKey(dst []byte, t *features.Track) []byte {
	dst = features.AppendNormalized(dst, t.Artist())
	dst = append(dst, 0)
	return features.AppendNormalized(dst, t.Name)
}

// NotFoundError is returned for a seed that matches no track, or more than
// one recording. Matches holds the closest tracks, best first.
type NotFoundError struct {
	Query     string
	Ambiguous bool
	Matches   []*features.Track
	Role      string // what the query is, in messages: "" a seed, "song" a song (see named)
}

// named is how a message names query q of role r: `seed "q"` for a seed
// (r ""), just `"q"` for a "song", `r "q"` otherwise.
func named(r, q string) string {
	switch r {
	case "":
		r = "seed"
	case "song":
		return strconv.Quote(q)
	}
	return r + " " + strconv.Quote(q)
}

// MaxQueryShown is the most runes of a seed an error message quotes; a
// longer seed is cut and marked with "…".
const MaxQueryShown = 80

// cutQuery returns q, cut to MaxQueryShown runes.
func cutQuery(q string) string {
	if utf8.RuneCountInString(q) <= MaxQueryShown {
		return q
	}
	r := []rune(q)
	return string(r[:MaxQueryShown-1]) + "…"
}

func (e *NotFoundError) Error() string {
	var b strings.Builder
	if e.Ambiguous {
		fmt.Fprintf(&b, "selector: %s matches several songs; say which:", named(e.Role, cutQuery(e.Query)))
	} else {
		fmt.Fprintf(&b, "selector: no song matches %s", named(e.Role, cutQuery(e.Query)))
		if len(e.Matches) > 0 {
			b.WriteString("; closest:")
		}
	}
	for _, t := range e.Matches {
		fmt.Fprintf(&b, "\n  %s  (%s)", t.String(), t.ID)
	}
	return b.String()
}

// NoFeaturesError is returned for a seed that names a track of the catalog
// that has no audio features: it is there, but of no use to the flow model
// until its features are known.
type NoFeaturesError struct {
	Query string
	Track *features.Track
	Role  string // as NotFoundError's
}

func (e *NoFeaturesError) Error() string {
	return fmt.Sprintf("selector: %s is %s (%s), which has no audio features", named(e.Role, e.Query), e.Track.String(), e.Track.ID)
}

// Resolver finds tracks in a catalog by id, Spotify URI or URL, or
// "artist - title", forgiving case, accents and punctuation.
type Resolver struct {
	cat    *features.Catalog
	tracks []*features.Track          // with features, catalog order
	keys   []string                   // features.Normalize("artist title") per track
	titles []string                   // features.Normalize(title) per track
	bare   map[string]*features.Track // tracks without features by key and by title, the first wins
}

// NewResolver indexes the catalog's tracks that have features (a seed
// without features is of no use to the flow model); those without are
// indexed only to name them in a *NoFeaturesError.
func NewResolver(cat *features.Catalog) *Resolver {
	r := &Resolver{cat: cat}
	var b []byte
	for _, t := range cat.Tracks {
		title := features.Normalize(t.Name)
		// features.Normalize(artist + " " + title), from the parts: the space
		// between them keeps the two from running into each other.
		b = features.AppendNormalized(b[:0], t.Artist())
		if len(b) > 0 && title != "" {
			b = append(b, ' ')
		}
		b = append(b, title...)
		if !t.HasFeatures {
			if r.bare == nil {
				r.bare = make(map[string]*features.Track)
			}
			for _, k := range []string{string(b), title} {
				if _, ok := r.bare[k]; !ok && k != "" {
					r.bare[k] = t
				}
			}
			continue
		}
		r.tracks = append(r.tracks, t)
		r.keys = append(r.keys, string(b))
		r.titles = append(r.titles, title)
	}
	return r
}

// ResolveAs is Resolve for a query of another role than a seed's (a
// pinned song, a bridge's end): its errors name the query so ("song %q").
func (r *Resolver) ResolveAs(query, role string) (*features.Track, error) {
	t, err := r.Resolve(query)
	var nf *NotFoundError
	var nof *NoFeaturesError
	switch {
	case errors.As(err, &nf):
		nf.Role = role
	case errors.As(err, &nof):
		nof.Role = role
	}
	return t, err
}

// Resolve returns the track a query names. A query is a track id, a
// Spotify URI or URL, "artist - title" or just a title. Several ids of the
// same recording are one match (the first in the catalog wins); several
// recordings are an ambiguous match. Errors are *NotFoundError with the
// closest matches, or, for a query that names only a track without
// features exactly (by id, "artist - title" or title), *NoFeaturesError.
func (r *Resolver) Resolve(query string) (*features.Track, error) {
	if id, ok := features.ParseTrackRef(query); ok {
		if t := r.cat.Get(id); t != nil {
			if !t.HasFeatures {
				return nil, &NoFeaturesError{Query: query, Track: t}
			}
			return t, nil
		}
		return nil, &NotFoundError{Query: query}
	}
	q := features.Normalize(strings.Replace(query, " - ", " ", 1))
	if q == "" {
		return nil, &NotFoundError{Query: query}
	}
	var exact []*features.Track
	for i, k := range r.keys {
		if k == q || r.titles[i] == q {
			exact = append(exact, r.tracks[i])
		}
	}
	exact = distinctRecordings(exact)
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(exact) > 1:
		return nil, &NotFoundError{Query: query, Ambiguous: true, Matches: exact[:min(len(exact), 8)]}
	}
	// An exact match without features beats a partial one with.
	if t := r.bare[q]; t != nil {
		return nil, &NoFeaturesError{Query: query, Track: t}
	}
	// No exact match: every word of the query in the track's words?
	var partial []*features.Track
	words := strings.Fields(q)
	for i, k := range r.keys {
		if containsWords(k, words) {
			partial = append(partial, r.tracks[i])
		}
	}
	partial = distinctRecordings(partial)
	if len(partial) == 1 {
		return partial[0], nil
	}
	if len(partial) > 1 {
		return nil, &NotFoundError{Query: query, Ambiguous: true, Matches: partial[:min(len(partial), 8)]}
	}
	return nil, &NotFoundError{Query: query, Matches: r.Closest(q, 5)}
}

func containsWords(s string, words []string) bool {
	have := strings.Fields(s)
	for _, w := range words {
		found := false
		for _, h := range have {
			if h == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func distinctRecordings(ts []*features.Track) []*features.Track {
	seen := map[string]bool{}
	out := ts[:0:0]
	for _, t := range ts {
		k := RecordingKey(t)
		if !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	return out
}

// Closest returns up to n tracks whose normalised "artist title" is
// closest to the normalised query by a trigram similarity, best first, one
// per recording.
func (r *Resolver) Closest(q string, n int) []*features.Track {
	qg := trigrams(q)
	type scored struct {
		i int
		s float64
	}
	var all []scored
	for i, k := range r.keys {
		s := max(similarity(qg, trigrams(k)), similarity(qg, trigrams(r.titles[i])))
		if s > 0 {
			all = append(all, scored{i, s})
		}
	}
	sort.SliceStable(all, func(a, b int) bool { return all[a].s > all[b].s })
	var out []*features.Track
	seen := map[string]bool{}
	for _, c := range all {
		t := r.tracks[c.i]
		if k := RecordingKey(t); !seen[k] {
			seen[k] = true
			out = append(out, t)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

func trigrams(s string) map[string]bool {
	s = "  " + s + " "
	g := map[string]bool{}
	rs := []rune(s)
	for i := 0; i+3 <= len(rs); i++ {
		g[string(rs[i:i+3])] = true
	}
	return g
}

// similarity is the Dice coefficient of two trigram sets.
func similarity(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n := 0
	for g := range a {
		if b[g] {
			n++
		}
	}
	return 2 * float64(n) / float64(len(a)+len(b))
}
