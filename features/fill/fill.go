package fill

import (
	"context"
	"fmt"
	"strings"

	"github.com/discoflow/disco/features"
)

// Match is how a track was matched to a known one.
type Match int

// The matches, in the order they are tried.
const (
	NoMatch Match = iota
	ByID          // the same Spotify track id
	ByName        // the same normalised artist and title
)

func (m Match) String() string {
	switch m {
	case ByID:
		return "id"
	case ByName:
		return "artist and title"
	}
	return "none"
}

// Hit is a known track with features for a wanted one, and how it
// matched; a zero Hit (Track nil) means unknown.
type Hit struct {
	Track *features.Track
	Match Match
}

// Source is a place where audio features may be known.
type Source interface {
	// Name names the source in the report: "the embedded catalog".
	Name() string
	// Find returns one Hit per track of want, in order; hits carry
	// features (HasFeatures). want holds no nil and no track twice.
	Find(ctx context.Context, want []*features.Track) ([]Hit, error)
}

// Result is what Fill did with one track that lacked features.
type Result struct {
	Track  *features.Track
	Source string // the source's Name, "" when unknown
	Match  Match  // NoMatch when unknown
}

// Filled counts the tracks one source filled, by match.
type Filled struct {
	Source string
	ByID   int
	ByName int
}

// Report is what Fill did.
type Report struct {
	Songs  int      // distinct tracks, local files included
	Had    int      // tracks that had features already
	Local  int      // local files, skipped
	Filled []Filled // one per source, in the order given
	// Results holds one entry per track that lacked features (local files
	// left out), in the order of the tracks.
	Results []Result
	// Unknown are the tracks that no source knew, in order.
	Unknown []*features.Track
}

// MaxNamed is how many unknown songs Report.String names.
const MaxNamed = 5

// String is the one line that says what Fill did, for example
//
//	4 songs: 3 features from the embedded catalog, 1 unknown ("Lonely As You")
//
// A source whose matches were not all by id says how many matched by
// which; up to MaxNamed unknown songs are named by title.
func (r Report) String() string {
	var parts []string
	if r.Had > 0 {
		parts = append(parts, fmt.Sprintf("%d with features", r.Had))
	}
	for _, f := range r.Filled {
		n := f.ByID + f.ByName
		if n == 0 {
			continue
		}
		s := fmt.Sprintf("%d features from %s", n, f.Source)
		if f.ByName > 0 {
			s += fmt.Sprintf(" (%d by id, %d by artist and title)", f.ByID, f.ByName)
		}
		parts = append(parts, s)
	}
	if len(r.Unknown) > 0 {
		names := make([]string, 0, min(len(r.Unknown), MaxNamed))
		for _, t := range r.Unknown[:min(len(r.Unknown), MaxNamed)] {
			n := t.Name
			if n == "" {
				n = t.ID
			}
			names = append(names, fmt.Sprintf("%q", n))
		}
		more := ""
		if len(r.Unknown) > MaxNamed {
			more = fmt.Sprintf(" and %d more", len(r.Unknown)-MaxNamed)
		}
		parts = append(parts, fmt.Sprintf("%d unknown (%s%s)", len(r.Unknown), strings.Join(names, ", "), more))
	}
	if r.Local > 0 {
		parts = append(parts, fmt.Sprintf("%d local %s skipped", r.Local, plural(r.Local, "file", "files")))
	}
	if len(parts) == 0 {
		parts = append(parts, "nothing to fill")
	}
	return fmt.Sprintf("%d %s: %s", r.Songs, plural(r.Songs, "song", "songs"), strings.Join(parts, ", "))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// IsLocal reports whether id is a local file's ("spotify:local:...").
func IsLocal(id string) bool {
	return len(id) >= len("spotify:local:") && strings.EqualFold(id[:len("spotify:local:")], "spotify:local:")
}

// Fill gives the tracks without features the features of the first source
// that knows them; see the package documentation for the contract.
func Fill(ctx context.Context, tracks []*features.Track, sources ...Source) (Report, error) {
	var r Report
	seen := make(map[*features.Track]bool, len(tracks))
	var want []*features.Track
	for _, t := range tracks {
		if t == nil || seen[t] {
			continue
		}
		seen[t] = true
		r.Songs++
		switch {
		case t.HasFeatures:
			r.Had++
		case IsLocal(t.ID):
			r.Local++
		default:
			want = append(want, t)
		}
	}
	done := make(map[*features.Track]Result, len(want))
	left := want
	for _, src := range sources {
		f := Filled{Source: src.Name()}
		if len(left) > 0 {
			hits, err := src.Find(ctx, left)
			if err != nil {
				return r, fmt.Errorf("fill: %s: %w", src.Name(), err)
			}
			still := left[:0:0]
			for i, t := range left {
				h := hits[i]
				if h.Track == nil || !h.Track.HasFeatures {
					still = append(still, t)
					continue
				}
				apply(t, h.Track, src.Name())
				done[t] = Result{Track: t, Source: src.Name(), Match: h.Match}
				if h.Match == ByName {
					f.ByName++
				} else {
					f.ByID++
				}
			}
			left = still
		}
		r.Filled = append(r.Filled, f)
	}
	for _, t := range want {
		res, ok := done[t]
		if !ok {
			res = Result{Track: t}
			r.Unknown = append(r.Unknown, t)
		}
		r.Results = append(r.Results, res)
	}
	return r, nil
}

// apply copies the audio values of known into t.
func apply(t, known *features.Track, source string) {
	t.Features, t.HasFeatures = known.Features, true
	t.Key, t.Mode, t.Tempo, t.TimeSignature = known.Key, known.Mode, known.Tempo, known.TimeSignature
	t.From.Features = known.From.Features
	if t.From.Features == "" {
		t.From.Features = source
	}
	if t.DurationMS <= 0 && known.DurationMS > 0 {
		t.DurationMS = known.DurationMS
	}
}
