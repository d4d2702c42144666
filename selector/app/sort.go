package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/fill"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/sequence"
	"github.com/discoflow/disco/theory"
)

// SortRequest is a playlist to put in an order with flow.
type SortRequest struct {
	In          *features.Dataset // the playlist: its first playlist, or its tracks when it has none
	DropUnknown bool              // leave out songs without features instead of failing

	Knobs  selector.Knobs
	Rules  selector.Rules
	Arc    *selector.Arc
	Effort sequence.Effort
	Seed   uint64 // of the search
	// Fixed returns the positions the request fixes for the songs to
	// sort (see selector.SortOptions.Fixed); nil: none.
	Fixed func(songs []*features.Track) ([]int, error)

	Log io.Writer
}

// SortResult is a sorted playlist beside the order it came in.
type SortResult struct {
	*selector.SortResult
	Songs               []*features.Track // the songs sorted, in the order given
	GivenMix, SortedMix Mix               // what mixes in the given order and in the new one
}

// Sort orders the songs of r.In. With infeasible rules it returns the
// best order and an error wrapping selector.ErrInfeasible.
func (l *Library) Sort(ctx context.Context, r SortRequest) (*SortResult, error) {
	if err := r.Knobs.Validate(); err != nil {
		return nil, err
	}
	songs, err := l.Songs(ctx, logTo(r.Log), r.In, r.DropUnknown)
	if err != nil {
		return nil, err
	}
	var fixed []int
	if r.Fixed != nil {
		if fixed, err = r.Fixed(songs); err != nil {
			return nil, err
		}
	}
	res, err := selector.Sort(ctx, songs, &l.Model.Scaler, l.Model.NewPredictor(), selector.SortOptions{
		Knobs: r.Knobs, Rules: r.Rules, Fixed: fixed, Arc: r.Arc, Effort: r.Effort, Seed: r.Seed,
	})
	if res == nil {
		return nil, err
	}
	return &SortResult{SortResult: res, Songs: songs, GivenMix: MixCounts(songs, r.Rules), SortedMix: MixCounts(selector.Tracks(res.Picks), r.Rules)}, err
}

// Songs returns the songs of a playlist file in its order (its first
// playlist, or its tracks when it has none), each with features: its own,
// or those features/fill finds in the library's catalog (by id, then
// artist and title). Repeated recordings are kept once, and said so on
// log; songs without features are an error that lists them, or left out
// with dropUnknown.
func (l *Library) Songs(ctx context.Context, log io.Writer, in *features.Dataset, dropUnknown bool) ([]*features.Track, error) {
	tracks := in.Catalog.Tracks
	if len(in.Playlists) > 0 {
		tracks = in.Playlists[0].Tracks
		if len(in.Playlists) > 1 {
			fmt.Fprintf(log, "the file holds %d playlists: sorting the first, %q\n", len(in.Playlists), in.Playlists[0].Name)
		}
	}
	if len(tracks) == 0 {
		return nil, errors.New("sort: the file holds no songs")
	}
	cat := l.Data.Catalog
	r, err := fill.Fill(ctx, tracks, fill.NewIndex(l.Name, cat.Tracks))
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(log, r)
	seen := map[string]bool{}
	var songs, unknown []*features.Track
	repeats := 0
	for _, t := range tracks {
		if c := cat.Get(t.ID); t.Name == "" && c != nil && c.HasFeatures {
			t = c // a bare id: the catalog's song, with its name
		}
		k := "id:" + t.ID // a song known by its id alone is its id
		if t.Name != "" {
			k = selector.RecordingKey(t)
		}
		if seen[k] || seen["id:"+t.ID] {
			repeats++
			continue
		}
		seen[k], seen["id:"+t.ID] = true, true
		if !t.HasFeatures {
			unknown = append(unknown, t)
			continue
		}
		songs = append(songs, t)
	}
	if repeats > 0 {
		fmt.Fprintf(log, "%d repeated songs kept once\n", repeats)
	}
	if len(unknown) > 0 {
		names := make([]string, 0, min(len(unknown), 5))
		for _, t := range unknown[:min(len(unknown), 5)] {
			names = append(names, fmt.Sprintf("%q", ShortName(t)))
		}
		more := ""
		if len(unknown) > 5 {
			more = fmt.Sprintf(" and %d more", len(unknown)-5)
		}
		if !dropUnknown {
			return nil, fmt.Errorf("sort: %d songs have no audio features: %s%s; --drop-unknown leaves them out, and `disco fetch features --ids FILE --out enriched.csv` fetches them", len(unknown), strings.Join(names, ", "), more)
		}
		fmt.Fprintf(log, "left out %d songs without audio features: %s%s\n", len(unknown), strings.Join(names, ", "), more)
	}
	if len(songs) == 0 {
		return nil, errors.New("sort: no song of the file has audio features")
	}
	return songs, nil
}

// ShortName names a track in a message: "artist - title", or its id,
// cut to 60 characters.
func ShortName(t *features.Track) string {
	s := t.String()
	if strings.TrimSpace(strings.Trim(s, "-")) == "" || t.Name == "" {
		s = t.ID
	}
	if r := []rune(s); len(r) > 60 {
		s = string(r[:59]) + "…"
	}
	return s
}

// Mix counts an order's transitions that mix.
type Mix struct {
	Moves  int `json:"moves"`
	Key    int `json:"key_compatible"`   // keySim = 1
	Tempo  int `json:"tempo_compatible"` // within the rules' tolerance, half and double time allowed
	Artist int `json:"artist_spaced"`    // no artist again within the rules' gap
}

// MixCounts counts an order's transitions that mix in key (keySim = 1),
// in tempo, and that keep artists apart under the rules' gap.
func MixCounts(order []*features.Track, rules selector.Rules) Mix {
	var c Mix
	tol := rules.TempoTolerance
	if tol == 0 {
		tol = theory.DefaultTempoTolerance
	}
	for i := 1; i < len(order); i++ {
		a, b := order[i-1], order[i]
		c.Moves++
		if theory.KeySim(theory.NewKey(a.Key, a.Mode), theory.NewKey(b.Key, b.Mode)) == 1 {
			c.Key++
		}
		if theory.TempoCompatible(a.Tempo, b.Tempo, tol) {
			c.Tempo++
		}
		spaced := true
		for back := 1; back <= rules.ArtistGap && i-back >= 0; back++ {
			if len(b.Artists) > 0 && len(order[i-back].Artists) > 0 && features.Normalize(order[i-back].Artists[0]) == features.Normalize(b.Artists[0]) {
				spaced = false
			}
		}
		if spaced {
			c.Artist++
		}
	}
	return c
}
