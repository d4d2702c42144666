package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/selector"
)

// This file holds the constraints' flags that disco sort and disco build
// share: the arc (--arc, --arc-feature) and the songs put at positions
// (--pin, --last; sort's --lock and --first), parsed and checked once.

// arcFlags are --arc and --arc-feature.
type arcFlags struct {
	spec    string
	feature string
	weight  float64
}

func (a *arcFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&a.spec, "arc", "", "follow a curve of --arc-feature: "+strings.Join(selector.ArcNames(), ", ")+", or `points` \"0:0.3,0.6:0.9,1:0.4\"")
	fs.StringVar(&a.feature, "arc-feature", "energy", "the `feature` --arc follows")
	fs.Float64Var(&a.weight, "arc-weight", selector.DefaultArcWeight, "the arc's `weight`: cost per squared unit of --arc-feature away from the curve")
}

// arc returns the arc the flags ask for, nil without --arc, or an error
// naming the flag.
func (a *arcFlags) arc() (*selector.Arc, error) {
	if a.spec == "" {
		return nil, nil
	}
	pts, err := selector.ParseArc(a.spec)
	if err != nil {
		return nil, fmt.Errorf("--arc: %w", err)
	}
	f := features.AbstractIndex(a.feature)
	if f < 0 {
		return nil, fmt.Errorf("--arc-feature %q: want one of %s", a.feature, strings.Join(features.AbstractNames[:], ", "))
	}
	if !(a.weight > 0 && a.weight <= 1000) {
		return nil, fmt.Errorf("--arc-weight: %v is not a number in (0, 1000]", a.weight)
	}
	return &selector.Arc{Feature: f, Points: pts, Weight: a.weight}, nil
}

// parsePin splits a --pin value, SONG@POS, into its song and its 1-based
// position.
func parsePin(p string) (string, int, error) {
	at := strings.LastIndex(p, "@")
	if at < 0 {
		return "", 0, fmt.Errorf("--pin %q: want SONG@POSITION, e.g. \"Daft Punk - One More Time@3\"", p)
	}
	pos, err := strconv.Atoi(strings.TrimSpace(p[at+1:]))
	if err != nil || strings.TrimSpace(p[:at]) == "" {
		return "", 0, fmt.Errorf("--pin %q: want SONG@POSITION, e.g. \"Daft Punk - One More Time@3\"", p)
	}
	return p[:at], pos, nil
}

// placer puts songs at the positions of a playlist of n songs, checking
// that the flags that ask agree: no position beyond the playlist, one
// song a position, each song at one position. The caller numbers the
// songs.
type placer struct {
	fixed []int    // per position: the song put there, or -1
	by    []string // per position: the flag that put it
	name  func(song int) string
}

func newPlacer(n int, name func(song int) string) *placer {
	pl := &placer{fixed: make([]int, n), by: make([]string, n), name: name}
	for i := range pl.fixed {
		pl.fixed[i] = -1
	}
	return pl
}

// put puts song at 0-based position pos, for the flag why.
func (pl *placer) put(pos, song int, why string) error {
	n := len(pl.fixed)
	if pos < 0 || pos >= n {
		return fmt.Errorf("%s: position %d is beyond the playlist's %d songs", why, pos+1, n)
	}
	if pl.fixed[pos] >= 0 && pl.fixed[pos] != song {
		return fmt.Errorf("%s and %s both want position %d", pl.by[pos], why, pos+1)
	}
	for p, s := range pl.fixed {
		if s == song && p != pos {
			return fmt.Errorf("%s and %s put %q at positions %d and %d", pl.by[p], why, pl.name(song), p+1, pos+1)
		}
	}
	pl.fixed[pos], pl.by[pos] = song, why
	return nil
}

// checkPins checks build's --pin and --last before any work: their form,
// and their positions against --length and the seeds' places when the
// flags tell them (--seed, or a bridge's --from and --to).
func (o *buildOptions) checkPins() error {
	seeds := len(o.seeds)
	if o.from != "" {
		seeds = 1
	}
	if o.last != "" && o.to != "" {
		return badFlag(fmt.Errorf("--last %q and --to %q both end the playlist: a bridge's end is --to", o.last, o.to))
	}
	for _, p := range o.pins {
		_, pos, err := parsePin(p)
		if err != nil {
			return badFlag(err)
		}
		switch {
		case pos < 1 || pos > o.length:
			return badFlag(fmt.Errorf("--pin %q: position %d is beyond the playlist's %d songs (--length)", p, pos, o.length))
		case pos <= seeds:
			return badFlag(fmt.Errorf("--pin %q: position %d is a seed's (%s)", p, pos, seedPlaces(seeds)))
		case o.to != "" && pos == o.length:
			return badFlag(fmt.Errorf("--pin %q: position %d is the bridge's end's, --to", p, pos))
		}
	}
	return nil
}

// seedPlaces says where n seeds stand.
func seedPlaces(n int) string {
	if n == 1 {
		return "the seed stands at 1"
	}
	return fmt.Sprintf("the seeds stand at 1 to %d", n)
}

// buildPins resolves build's --pin and --last with the catalog's
// resolver r, as seeds are, and returns them as the selector's pins: --last is a pin at the
// last position. The seeds stand first and a bridge's end last; each
// position holds one song and each song one position.
func buildPins(r *selector.Resolver, seeds []*features.Track, to *features.Track, o *buildOptions) ([]selector.Pin, error) {
	if len(o.pins) == 0 && o.last == "" {
		return nil, nil
	}
	var songs []*features.Track // the playlist's given songs, one a recording
	id := func(t *features.Track) int {
		for i, s := range songs {
			if s.ID == t.ID || selector.RecordingKey(s) == selector.RecordingKey(t) {
				return i
			}
		}
		songs = append(songs, t)
		return len(songs) - 1
	}
	pl := newPlacer(o.length, func(i int) string { return shortName(songs[i]) })
	seedFlag := "--seed"
	switch {
	case o.from != "":
		seedFlag = "--from"
	case len(o.seeds) == 0:
		seedFlag = "a random seed (--rand)"
	}
	for i, t := range seeds {
		if err := pl.put(i, id(t), seedFlag); err != nil {
			return nil, err
		}
	}
	if to != nil {
		if err := pl.put(o.length-1, id(to), "--to"); err != nil {
			return nil, err
		}
	}
	var pins []selector.Pin
	place := func(q string, pos int, why string) error {
		if pos < len(seeds) {
			return fmt.Errorf("%s: position %d is a seed's (%s)", why, pos+1, seedPlaces(len(seeds)))
		}
		t, err := r.ResolveAs(q, "song")
		if err != nil {
			return fmt.Errorf("%s: %w", why, err)
		}
		if err := pl.put(pos, id(t), why); err != nil {
			return err
		}
		pins = append(pins, selector.Pin{Track: t, Pos: pos})
		return nil
	}
	if o.last != "" {
		if err := place(o.last, o.length-1, "--last"); err != nil {
			return nil, err
		}
	}
	for _, p := range o.pins {
		q, pos, err := parsePin(p)
		if err != nil {
			return nil, err
		}
		if err := place(q, pos-1, fmt.Sprintf("--pin %q", p)); err != nil {
			return nil, err
		}
	}
	return pins, nil
}
