package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/load"
	"github.com/discoflow/disco/features/spotify"
	"github.com/discoflow/disco/model"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/app"
	"github.com/discoflow/disco/selector/export"
	"github.com/discoflow/disco/selector/sequence"
	"github.com/discoflow/disco/theory"
)

func init() {
	register(command{name: "sort", summary: "put a playlist's songs in an order with flow", run: runSort})
}

const sortHelp = `
Puts the songs of a playlist file in an order that flows: each move mixes
in key (same key, relative, a fifth) and tempo (within 6%, half and double
time count), the features step smoothly, and no artist plays twice within
--artist-gap songs. It minimises the sum over transitions of

  flow·step − sweetness·keySim − smoothness·tempoSim + penalties

by local search (2-opt, block moves, swaps, simulated annealing; the same
file, flags and --rand give the same order on every machine), and prints
the order with every move explained, beside the cost of your order, the
nearest-neighbour order and shuffles.

The file may be any playlist disco reads (Exportify CSV, a TidyTuesday-
style CSV, an MPD slice, an id list, disco's own M3U8 or CSV); songs are
looked up in the catalog for their features. --in may also be a Spotify
playlist (spotify:playlist:ID or its open.spotify.com URL), read online
with the app credentials SPOTIFY_ID and SPOTIFY_SECRET; its songs' features
still come from the catalog and the cache.

Examples:
  disco sort --in party.csv
  disco sort --in set.m3u8 --first "Daft Punk - One More Time" --arc rise -o sorted.m3u8
  disco sort --in mix.csv --strict-key --artist-gap 4 --effort max --format json
  disco sort --in https://open.spotify.com/playlist/37i9dQZF1DX0XUsuxWHRQd -o sorted.m3u8
`

// ruleFlags are the flags of the rules, shared by sort and build.
type ruleFlags struct {
	artistGap    int
	strictKey    bool
	maxBPMJump   float64
	keyPenalty   float64
	tempoPenalty float64
	artistCost   float64
}

func (r *ruleFlags) register(fs *flag.FlagSet) {
	d := selector.DefaultRules()
	fs.IntVar(&r.artistGap, "artist-gap", d.ArtistGap, "keep an artist out of the `N` songs after each of its songs (0: off)")
	fs.BoolVar(&r.strictKey, "strict-key", false, "allow only moves that mix in key (same key, relative, a fifth)")
	fs.Float64Var(&r.maxBPMJump, "max-bpm-jump", 100*theory.DefaultTempoTolerance, "largest tempo change that mixes, in `percent` (half and double time allowed)")
	fs.Float64Var(&r.keyPenalty, "key-penalty", d.KeyPenalty, "cost of a move that does not mix in key")
	fs.Float64Var(&r.tempoPenalty, "tempo-penalty", d.TempoPenalty, "cost of a tempo change beyond --max-bpm-jump")
	fs.Float64Var(&r.artistCost, "artist-penalty", d.ArtistPenalty, "cost of an artist again within --artist-gap")
}

// rules returns the rules the flags ask for, or an error naming the flag.
func (r *ruleFlags) rules() (selector.Rules, error) {
	for _, f := range []struct {
		name string
		v    float64
		max  float64
	}{{"--max-bpm-jump", r.maxBPMJump, 50}, {"--key-penalty", r.keyPenalty, 100}, {"--tempo-penalty", r.tempoPenalty, 100}, {"--artist-penalty", r.artistCost, 100}} {
		if !(f.v >= 0 && f.v <= f.max) {
			return selector.Rules{}, fmt.Errorf("%s: %v is not a number in [0, %v]", f.name, f.v, f.max)
		}
	}
	if r.artistGap < 0 || r.artistGap > 8 {
		return selector.Rules{}, fmt.Errorf("--artist-gap: %d is not in [0, 8]", r.artistGap)
	}
	out := selector.Rules{KeyPenalty: r.keyPenalty, TempoPenalty: r.tempoPenalty, TempoTolerance: r.maxBPMJump / 100, ArtistGap: r.artistGap, ArtistPenalty: r.artistCost}
	if r.strictKey {
		out.KeyPenalty = math.Inf(1)
	}
	return out, nil
}

// registerKnobs adds the knobs' flags, with DISCO's defaults; note ends
// each flag's text (sweep's ", when not in the grid").
func registerKnobs(fs *flag.FlagSet, k *selector.Knobs, note string) {
	d := selector.DefaultKnobs()
	fs.Float64Var(&k.Flow, "flow", d.Flow, "weight of the distance to the predicted next song"+note)
	fs.Float64Var(&k.Spicyness, "spicyness", d.Spicyness, "stretch of the prediction away from the mean"+note)
	fs.Float64Var(&k.Sweetness, "sweetness", d.Sweetness, "weight of key compatibility"+note)
	fs.Float64Var(&k.Smoothness, "smoothness", d.Smoothness, "weight of tempo compatibility"+note)
	fs.Float64Var(&k.Belong, "belong", d.Belong, "weight of how strongly the candidate source proposed the song (its rank in the pool; 0: the flow alone chooses)"+note)
	fs.TextVar(&k.Centre, "centre", d.Centre, "the point spicyness stretches the prediction away from: seeds (their mean) or global (the catalog's mean, the original's)"+note)
}

type sortOptions struct {
	in          string
	catalog     string
	model       string
	format      string
	out         string
	plot        string
	plotDir     string
	knobs       selector.Knobs
	rules       ruleFlags
	lock        int
	first, last string
	pins        multiFlag
	arc         arcFlags
	effort      string
	randSeed    uint64
	dropUnknown bool
	strict      bool
	skipBad     bool
}

func runSort(ctx context.Context, e *env, args []string) error {
	var o sortOptions
	fs := newFlags(e, "sort", "--in FILE [flags]", sortHelp)
	fs.StringVar(&o.in, "in", "", "the playlist `file` to sort")
	fs.StringVar(&o.catalog, "catalog", "", "catalog `file` the songs' features come from; default: the embedded one")
	fs.StringVar(&o.model, "model", "", "model `file` (for the flow plot's predictions); default: the embedded one")
	fs.StringVar(&o.format, "format", "", "output format: table, json, csv, m3u8, xspf (default: from -o's extension, else table)")
	fs.StringVar(&o.out, "o", "", "write the sorted playlist to `file` (atomically) instead of standard output")
	fs.StringVar(&o.plot, "plot", "", "draw the flow plot to `file`.png")
	fs.StringVar(&o.plotDir, "plot-dir", "", "draw the flow, map and mix plots into `dir`")
	registerKnobs(fs, &o.knobs, "")
	o.rules.register(fs)
	fs.IntVar(&o.lock, "lock", 0, "keep the first `N` songs where they are")
	fs.StringVar(&o.first, "first", "", "the `song` to open with")
	fs.StringVar(&o.last, "last", "", "the `song` to close with")
	fs.Var(&o.pins, "pin", "put a song at a position, as `SONG@POS` (1-based; repeatable)")
	o.arc.register(fs)
	fs.StringVar(&o.effort, "effort", "normal", "search effort: fast, normal or max")
	fs.Uint64Var(&o.randSeed, "rand", 1, "seed of the search")
	fs.BoolVar(&o.dropUnknown, "drop-unknown", false, "leave out songs without features instead of failing")
	fs.BoolVar(&o.strict, "strict", false, "fail when a rule cannot be met instead of listing the violations")
	fs.BoolVar(&o.skipBad, "skip-bad", false, "skip malformed rows of the file instead of failing")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "disco sort: unexpected arguments %q\n", fs.Args())
		return errUsage
	}
	if o.in == "" {
		fmt.Fprintln(e.stderr, "disco sort: --in FILE is required")
		return errUsage
	}
	if o.format == "" {
		o.format = export.FormatFromPath(o.out)
		if o.format == "" {
			o.format = "table"
		}
	}
	bo := &buildOptions{out: o.out, format: o.format, plot: o.plot, plotDir: o.plotDir}
	paths := []string{o.out}
	for _, j := range buildPlots(bo) {
		paths = append(paths, j.path)
	}
	if err := checkOutputs(o.plotDir, paths...); err != nil {
		return err
	}
	res, in, err := sortFile(ctx, e.stderr, &o)
	if err != nil {
		return err
	}
	return writeOutputs(e, bo, &buildResult{picks: res.Picks, model: in.model, tracks: in.tracks}, paths)
}

// sortInputs is what the plots need besides the order.
type sortInputs struct {
	model  *model.Model
	tracks []*features.Track // the catalog's tracks with features
}

func sortFile(ctx context.Context, log io.Writer, o *sortOptions) (*selector.SortResult, *sortInputs, error) {
	rules, err := o.rules.rules()
	if err != nil {
		return nil, nil, err
	}
	if err := o.knobs.Validate(); err != nil {
		return nil, nil, err
	}
	effort, err := sequence.ParseEffort(o.effort)
	if err != nil {
		return nil, nil, fmt.Errorf("--effort: %w", err)
	}
	arc, err := o.arc.arc()
	if err != nil {
		return nil, nil, err
	}
	lib, err := app.Open(ctx, app.Options{Catalog: o.catalog, CatalogOnly: true, Model: o.model, Quiet: true})
	if err != nil {
		return nil, nil, err
	}
	in, err := readSortInput(ctx, log, o)
	if err != nil {
		return nil, nil, err
	}
	res, err := lib.Sort(ctx, app.SortRequest{In: in, DropUnknown: o.dropUnknown, Knobs: o.knobs, Rules: rules,
		Arc: arc, Effort: effort, Seed: o.randSeed, Log: log,
		Fixed: func(songs []*features.Track) ([]int, error) { return sortFixed(songs, o) }})
	if err != nil && !errors.Is(err, selector.ErrInfeasible) {
		return nil, nil, err
	}
	printSortSummary(log, res)
	if err != nil || (o.strict && len(res.Violations) > 0) {
		return nil, nil, fmt.Errorf("sort: %d rules broken (see above); without --strict-key or --strict disco gives the best order with its violations", len(res.Violations))
	}
	return res.SortResult, &sortInputs{model: lib.Model, tracks: lib.Tracks}, nil
}

// shortName names a track in a message (app.ShortName).
var shortName = app.ShortName

// sortFixed turns --lock, --first, --last and --pin into the positions
// they fix, checking that they agree.
func sortFixed(songs []*features.Track, o *sortOptions) ([]int, error) {
	n := len(songs)
	if o.lock == 0 && o.first == "" && o.last == "" && len(o.pins) == 0 {
		return nil, nil
	}
	pl := newPlacer(n, func(i int) string { return shortName(songs[i]) })
	cat := features.NewCatalog(songs...)
	r := selector.NewResolver(cat)
	find := func(flag, q string) (int, error) {
		t, err := r.ResolveAs(q, "song")
		if err != nil {
			return 0, fmt.Errorf("%s: %w", flag, err)
		}
		for i, s := range songs {
			if s == t {
				return i, nil
			}
		}
		return 0, fmt.Errorf("%s %q: not among the songs to sort", flag, q)
	}
	put := pl.put
	if o.lock < 0 || o.lock > n {
		return nil, fmt.Errorf("--lock %d: the playlist has %d songs", o.lock, n)
	}
	for i := range o.lock {
		if err := put(i, i, "--lock"); err != nil {
			return nil, err
		}
	}
	if o.first != "" && o.first == o.last {
		return nil, errors.New("--first and --last name the same song")
	}
	for _, f := range []struct {
		flag, q string
		pos     int
	}{{"--first", o.first, 0}, {"--last", o.last, n - 1}} {
		if f.q == "" {
			continue
		}
		i, err := find(f.flag, f.q)
		if err != nil {
			return nil, err
		}
		if err := put(f.pos, i, f.flag); err != nil {
			return nil, err
		}
	}
	for _, p := range o.pins {
		q, pos, err := parsePin(p)
		if err != nil {
			return nil, err
		}
		i, err := find("--pin", q)
		if err != nil {
			return nil, err
		}
		if err := put(pos-1, i, "--pin "+p); err != nil {
			return nil, err
		}
	}
	return pl.fixed, nil
}

// readSortInput reads --in: a playlist file, or a Spotify playlist
// (spotify:playlist:ID or an open.spotify.com/playlist URL) read online.
func readSortInput(ctx context.Context, log io.Writer, o *sortOptions) (*features.Dataset, error) {
	lower := strings.ToLower(o.in)
	if !strings.HasPrefix(lower, "spotify:playlist:") && !strings.Contains(lower, "spotify.com/") {
		return load.File(o.in, load.Options{SkipBad: o.skipBad})
	}
	id, ok := features.ParsePlaylistRef(o.in)
	if !ok {
		return nil, badFlag(fmt.Errorf("--in: %q is not a Spotify playlist (spotify:playlist:ID or https://open.spotify.com/playlist/ID)", o.in))
	}
	c, err := spotify.New(ctx, spotify.Config{BaseURL: spotifyAPIURL, TokenURL: spotifyTokenURL, OnWait: func(reason string, d time.Duration) {
		fmt.Fprintf(log, "%s: waiting %v\n", reason, d.Round(time.Second))
	}})
	if err != nil {
		return nil, err
	}
	pl, skipped, err := c.Playlist(ctx, id)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "Spotify playlist %q: %d tracks", pl.Name, len(pl.Tracks))
	if skipped > 0 {
		fmt.Fprintf(log, " (%d episodes or removed tracks left out)", skipped)
	}
	fmt.Fprintln(log)
	cat := &features.Catalog{}
	for i, t := range pl.Tracks {
		held, _ := cat.Add(t)
		pl.Tracks[i] = held
	}
	return &features.Dataset{Catalog: cat, Playlists: []*features.Playlist{pl}}, nil
}

// printSortSummary prints the order's cost beside the alternatives and
// what mixes, for the given order and the new one, then the violations.
func printSortSummary(w io.Writer, res *app.SortResult) {
	fmt.Fprintf(w, "sorted %d songs: cost %.1f (greedy %.1f, your order %.1f, shuffled %.1f)\n", len(res.Songs), res.Cost, res.Greedy, res.Given, res.Shuffled)
	a, b := res.GivenMix, res.SortedMix
	fmt.Fprintf(w, "  key-compatible %d/%d (yours %d), tempo-compatible %d/%d (yours %d), artists spaced %d/%d (yours %d)\n",
		b.Key, b.Moves, a.Key, b.Tempo, b.Moves, a.Tempo, b.Artist, b.Moves, a.Artist)
	if !math.IsNaN(res.ArcRMSE) {
		fmt.Fprintf(w, "  arc followed with RMSE %.3f\n", res.ArcRMSE)
	}
	for i, v := range res.Violations {
		if i == 10 {
			fmt.Fprintf(w, "  ... and %d more\n", len(res.Violations)-10)
			break
		}
		fmt.Fprintf(w, "  breaks: %s\n", v)
	}
}
