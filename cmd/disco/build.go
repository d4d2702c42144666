package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/recommend"
	"github.com/discoflow/disco/internal/atomic"
	"github.com/discoflow/disco/model"
	"github.com/discoflow/disco/model/scale"
	"github.com/discoflow/disco/plots"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/app"
	"github.com/discoflow/disco/selector/candidates"
	"github.com/discoflow/disco/selector/export"
	"github.com/discoflow/disco/theory"
)

func init() {
	register(command{name: "build", summary: "build a playlist with flow from seed songs", run: runBuild})
}

const buildHelp = `
Builds a playlist that flows: starting from one to three seed songs, it picks
each next song greedily, the candidate closest to what the flow model
predicts and mixing well after the previous song (key on the circle of
fifths, tempo with half and double time). The knobs weigh the terms:

  score = flow·‖spicyness·prediction − candidate‖ − sweetness·keySim − smoothness·tempoSim
          − belong·prior − taste·P(--taste-for likes it) + arc-weight·(feature − arc)²

where prior is how strongly the candidate sources proposed the song (1 for
the pool's first, 1/2 for its eleventh), and the arc's term counts with
--arc only. The last term needs a taste model
(--taste FILE from disco taste train, --taste-for LABEL, --taste-weight W,
default 1): it prefers songs the model gives that label; with two labels
(--taste-for both, or a,b) the least of their probabilities, songs both
would like.

Seeds are "artist - title", a title, a Spotify track id, URI or URL. With
no seed, disco picks three at random (from --genre if given) and says which.

A bridge (--from A --to B) is a path of --length songs from A to B: A
first, B last, and each song's target moves from A's features to B's
along the way (--blend of it, the rest the flow model's prediction). A
bridge searches with a beam of 8 by default, which weighs the move into B,
and with belong 0 (it leaves A's world on purpose).

Constraints, as disco sort has them: --arc NAME|points makes the playlist
follow a curve of --arc-feature (energy by default) over its positions,
each pick paying --arc-weight·(feature − curve)² beside the terms above,
greedy or --beam, with the arc's RMSE reported; --pin "SONG@POS" puts a
catalog song at a position after the seeds (1-based, repeatable) and the
build fills around it, the moves into and out of it scored as any other;
--last SONG closes the playlist (a pin at --length: the targets do not
lean towards it; for a path whose songs move towards a song, use --from
and --to). Sort's --lock and --first do not apply: the seeds come first.

Examples:
  disco build --seed "Daft Punk - One More Time" --plot flow.png
  disco build --seed "Daft Punk - One More Time" --arc rise --pin "Adele - Hello@7" --last "Queen - Don't Stop Me Now"
  disco build --genre rock --length 20 --format m3u8 -o rock.m3u8
  disco build --seed 6f807x0ima9a1j3VPbc7VN --pool all --sweetness 2 --format json
  disco build --from "Daft Punk - One More Time" --to "Adele - Hello" --length 12
  disco build --seed "Daft Punk - One More Time" --taste genres.disco --taste-for rock --taste-weight 2
`

// buildOptions are the flags of disco build.
type buildOptions struct {
	seeds    multiFlag
	genres   multiFlag
	length   int
	pool     string
	poolN    int // --pool parsed by validate: 0 for "all"
	knobs    selector.Knobs
	catalog  string
	only     bool
	model    string
	format   string
	out      string
	plot     string
	plotDir  string
	randSeed uint64
	skipBad  bool
	allowNeg bool
	quiet    bool
	cands    string
	quota    string
	vectors  string
	online   onlineOptions
	rules    ruleFlags
	beam     int
	from, to string  // a bridge's ends
	blend    float64 // a bridge's share of the path in the target
	taste    tasteFlags
	arc      arcFlags
	arcSpec  *selector.Arc // --arc parsed by validate; nil: none
	pins     multiFlag     // --pin SONG@POS
	last     string        // --last SONG: a pin at --length
}

func runBuild(ctx context.Context, e *env, args []string) error {
	var o buildOptions
	fs := newFlags(e, "build", "[flags]", buildHelp)
	fs.Var(&o.seeds, "seed", "seed `song` (repeatable, 1 to 3): \"artist - title\", title, id, URI or URL")
	fs.Var(&o.genres, "genre", "limit candidates to this `genre` (repeatable); \"seeds\" means the seeds' genres")
	fs.IntVar(&o.length, "length", 13, "songs in all, seeds included")
	fs.StringVar(&o.pool, "pool", "", "candidate pool size `N`, or \"all\" (default: 300 for hybrid, 400 for a bridge and the other sources)")
	fs.StringVar(&o.quota, "quota", candidates.DefaultQuotas.String(), "hybrid source's shares of the pool")
	registerKnobs(fs, &o.knobs, "")
	o.rules.register(fs)
	fs.IntVar(&o.beam, "beam", 0, "search `W` partial playlists at once (beam search) instead of picking greedily")
	fs.StringVar(&o.from, "from", "", "bridge: the first `song` of a path to --to (instead of --seed)")
	fs.StringVar(&o.to, "to", "", "bridge: the last `song` of the path from --from")
	o.arc.register(fs)
	fs.Var(&o.pins, "pin", "put a catalog song at a position after the seeds, as `SONG@POS` (1-based; repeatable); the build fills around it")
	fs.StringVar(&o.last, "last", "", "the catalog `song` to close with (a --pin at --length; for a path towards it, --from/--to)")
	fs.Float64Var(&o.blend, "blend", selector.DefaultBlend, "bridge: the `share` (above 0, at most 1) of the path from --from to --to in each song's target; the flow model's prediction has the rest")
	fs.BoolVar(&o.allowNeg, "allow-negative", false, "allow negative knobs (each in [-max, max]), which reward what the score normally penalises")
	fs.StringVar(&o.catalog, "catalog", "", "your songs' `file` (CSV, Exportify, MPD JSON): they join the embedded catalog's, those without features filled from what disco knows")
	fs.BoolVar(&o.only, "catalog-only", false, "use only --catalog's songs, as they are, instead of adding them to the embedded catalog")
	fs.StringVar(&o.model, "model", "", "model `file`; default: the embedded one")
	fs.StringVar(&o.format, "format", "", "output format: table, json, csv, m3u8, xspf (default: from -o's extension, else table)")
	fs.StringVar(&o.out, "o", "", "write the playlist to `file` (atomically) instead of standard output")
	fs.StringVar(&o.plot, "plot", "", "draw the flow plot to `file`.png")
	fs.StringVar(&o.plotDir, "plot-dir", "", "draw the flow, map and mix plots into `dir`")
	fs.Uint64Var(&o.randSeed, "rand", 1, "seed of the random choice of seed songs")
	fs.BoolVar(&o.skipBad, "skip-bad", false, "skip malformed catalog rows instead of failing")
	fs.BoolVar(&o.quiet, "quiet", false, "do not print the summary of reading --catalog")
	fs.StringVar(&o.cands, "candidates", "hybrid", "where candidates come from: hybrid (song2vec, the seeds' and related artists, nearest in features, the seeds' genres, by --quota), catalog (nearest in feature space), song2vec (songs sharing playlists with the seeds), or online (--source's recommendations)")
	fs.StringVar(&o.vectors, "vectors", "", "song2vec vectors `file` for --candidates song2vec; default: the embedded ones")
	o.online.register(fs, "reccobeats")
	o.taste.register(fs)
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "disco build: unexpected arguments %q\n", fs.Args())
		return errUsage
	}
	if len(o.seeds) > 3 {
		fmt.Fprintln(e.stderr, "disco build: at most 3 seeds")
		return errUsage
	}
	if o.from != "" {
		o.bridgeDefaults(fs)
	}
	if err := o.validate(); err != nil {
		return err
	}
	if o.format == "" {
		o.format = export.FormatFromPath(o.out)
		if o.format == "" {
			o.format = "table"
		}
	}
	paths := []string{o.out}
	for _, j := range buildPlots(&o) {
		paths = append(paths, j.path)
	}
	if err := checkOutputs(o.plotDir, paths...); err != nil {
		return err
	}
	res, err := build(ctx, e.stderr, &o)
	if err != nil {
		return err
	}
	return writeOutputs(e, &o, res, paths)
}

// writeOutputs writes a playlist and its plots (o's -o, --format, --plot
// and --plot-dir; paths lists -o and the plots, as checked before the
// work) all or none: every output is written in full, and only then put in
// place; standard output is written last.
func writeOutputs(e *env, o *buildOptions, res *buildResult, paths []string) error {
	var err error
	// Every output is written in full, and only then put in place.
	var outs atomic.Set
	defer outs.Abort()
	var stdout bytes.Buffer
	write := func(w io.Writer) error { return export.Write(w, o.format, res.picks) }
	if o.out == "" {
		err = write(&stdout)
	} else {
		err = outs.Add(o.out, 0o644, write)
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", cmp.Or(o.out, "the playlist"), err)
	}
	if err := drawBuild(&outs, o, res); err != nil {
		return err
	}
	if err := outs.Commit(); err != nil {
		return err
	}
	for i, p := range paths {
		switch {
		case i == 0 && p != "":
			fmt.Fprintf(e.stderr, "wrote %s (%d songs)\n", p, len(res.picks))
		case i > 0:
			fmt.Fprintf(e.stderr, "wrote %s\n", p)
		}
	}
	_, err = e.stdout.Write(stdout.Bytes())
	return err
}

// validate checks the knobs and counts (see selector.Knobs.Validate), so
// that a bad value stops the command before any work.
func (o *buildOptions) validate() error {
	if err := o.taste.validate(&o.knobs); err != nil {
		return err
	}
	if err := validKnobs(o.knobs, o.allowNeg); err != nil {
		return err
	}
	least := max(1, len(o.seeds))
	if o.from != "" || o.to != "" {
		if o.from == "" || o.to == "" || len(o.seeds) > 0 {
			return badFlag(errors.New("a bridge needs --from and --to, and no --seed"))
		}
		if !(o.blend > 0 && o.blend <= 1) {
			return badFlag(fmt.Errorf("--blend: %v is not a number in (0, 1]: a bridge follows its path at least a little", o.blend))
		}
		least = 2
	}
	if err := checkCounts(count{"length", o.length, least, selector.MaxLength}); err != nil {
		return err
	}
	arc, err := o.arc.arc()
	if err != nil {
		return badFlag(err)
	}
	o.arcSpec = arc
	if err := o.checkPins(); err != nil {
		return err
	}
	n, err := parsePool(cmp.Or(o.pool, defaultPool(o.cands)))
	o.poolN = n
	return err
}

// bridgeDefaults sets a bridge's own defaults of the flags not given
// (app.BuildRequest.BridgeDefaults).
func (o *buildOptions) bridgeDefaults(fs *flag.FlagSet) {
	r := app.BuildRequest{Source: o.cands, Knobs: o.knobs, Beam: o.beam}
	r.BridgeDefaults(func(name string) bool { return flagSet(fs, name) })
	if r.Pool != 0 {
		o.pool = strconv.Itoa(r.Pool)
	}
	o.knobs, o.beam = r.Knobs, r.Beam
}

// flagSet reports whether the named flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// defaultPool is the pool size of a candidate source when --pool is not
// given.
func defaultPool(source string) string {
	return strconv.Itoa(app.DefaultPool(source))
}

// buildResult is a built playlist and what its plots need.
type buildResult struct {
	picks  []selector.Pick
	model  *model.Model
	tracks []*features.Track // the catalog's tracks with features
}

func build(ctx context.Context, log io.Writer, o *buildOptions) (*buildResult, error) {
	lib, err := app.Open(ctx, app.Options{Catalog: o.catalog, CatalogOnly: o.only, SkipBad: o.skipBad,
		Model: o.model, Vectors: o.vectors, Cache: o.online.cache, Log: log, Quiet: o.quiet})
	if err != nil {
		return nil, err
	}
	tt, err := openTaste(&o.taste, &lib.Model.Scaler)
	if err != nil {
		return nil, err
	}
	rules, err := o.rules.rules()
	if err != nil {
		return nil, err
	}
	req := app.BuildRequest{Seeds: o.seeds, Genres: o.genres, Length: o.length,
		Source: o.cands, Pool: o.poolN, Knobs: o.knobs, Rules: &rules, Beam: o.beam,
		From: o.from, To: o.to, Blend: o.blend, Rand: o.randSeed, Log: log, Quiet: o.quiet, Arc: o.arcSpec,
		Pins: func(r *selector.Resolver, seeds []*features.Track, to *features.Track) ([]selector.Pin, error) {
			return buildPins(r, seeds, to, o)
		}}
	if o.cands == "hybrid" {
		if req.Quotas, err = candidates.ParseQuotas(o.quota); err != nil {
			return nil, err
		}
	}
	if tt != nil {
		req.Taste = tt.liking
	}
	if o.cands == "online" {
		on, err := openOnline(ctx, o.online, func(reason string, d time.Duration) {
			fmt.Fprintf(log, "%s: waiting %v\n", reason, d.Round(time.Second))
		})
		if err != nil {
			return nil, err
		}
		defer on.Close()
		req.Online = &app.Online{Pool: on.pool, Seed: func(ctx context.Context, q string) (*features.Track, error) {
			return onlineSeed(ctx, log, on, q)
		}}
	}
	res, err := lib.Build(ctx, req)
	if err != nil {
		return nil, noFeaturesHint(err, o.catalog)
	}
	app.WarnFar(log, "disco build", lib.Model, res.Far, len(res.Far))
	if !math.IsNaN(res.ArcRMSE) {
		fmt.Fprintf(log, "arc followed with RMSE %.3f\n", res.ArcRMSE)
	}
	return &buildResult{picks: res.Picks, model: lib.Model, tracks: lib.Tracks}, nil
}

// onlineSeed finds a seed the catalog lacks through the online source: a
// Spotify id, URI or URL directly, "artist - title" by Spotify's search
// (which checks that the hit is the song asked for); its audio features
// come through the cache.
func onlineSeed(ctx context.Context, log io.Writer, on *online, q string) (*features.Track, error) {
	t := &features.Track{Key: -1, Mode: -1}
	if id, ok := features.ParseTrackRef(q); ok {
		t.ID = id
	} else {
		artist, title, ok := strings.Cut(q, " - ")
		if !ok || on.spotify == nil {
			return nil, fmt.Errorf("seed %q is not in the catalog; give its Spotify id or URL (or \"artist - title\" with --source spotify)", q)
		}
		found, err := on.spotify.Resolve(ctx, artist, title)
		if err != nil {
			return nil, fmt.Errorf("seed %q: %w", q, err)
		}
		t = found
	}
	fs, err := on.features.GetFeatures(ctx, []string{t.ID})
	if err != nil {
		return nil, fmt.Errorf("seed %q: %w", q, err)
	}
	recommend.Merge(t, fs[0])
	if !t.HasFeatures {
		return nil, fmt.Errorf("seed %q (%s): %s has no audio features for it", q, t.ID, on.name)
	}
	fmt.Fprintf(log, "seed %q from %s: %s (%s)\n", q, on.name, t.String(), t.ID)
	return t, nil
}

// plotJob is one plot file and the figure drawn into it.
type plotJob struct {
	path string
	draw func(*buildResult) (plots.Drawer, error)
}

// buildPlots returns the plots the flags ask for.
func buildPlots(o *buildOptions) []plotJob {
	var jobs []plotJob
	if o.plot != "" {
		jobs = append(jobs, plotJob{o.plot, flowFigure})
	}
	if o.plotDir != "" {
		jobs = append(jobs,
			plotJob{filepath.Join(o.plotDir, "flow.png"), flowFigure},
			plotJob{filepath.Join(o.plotDir, "map.png"), mapFigure},
			plotJob{filepath.Join(o.plotDir, "mix.png"), mixFigure},
		)
	}
	return jobs
}

// drawBuild draws the plots the flags ask for into outs.
func drawBuild(outs *atomic.Set, o *buildOptions, res *buildResult) error {
	for _, j := range buildPlots(o) {
		d, err := j.draw(res)
		if err != nil {
			return fmt.Errorf("plot %s: %w", j.path, err)
		}
		if err := plots.AddTo(outs, d, 0, 0, j.path); err != nil {
			return err
		}
	}
	return nil
}

func playlistTitle(picks []selector.Pick) string {
	return fmt.Sprintf("disco: %d songs from %s", len(picks), picks[0].Track.String())
}

func flowFigure(res *buildResult) (plots.Drawer, error) {
	steps := make([]plots.FlowStep, len(res.picks))
	for i, p := range res.picks {
		steps[i] = plots.FlowStep{Label: p.Track.String(), Seed: p.Seed, Actual: p.Scaled, Predicted: p.Predicted}
	}
	return plots.Flow(steps, playlistTitle(res.picks))
}

func mapFigure(res *buildResult) (plots.Drawer, error) {
	sc := &res.model.Scaler
	zs := make([]features.Vector, len(res.tracks))
	for i, t := range res.tracks {
		zs[i] = sc.Transform(t.Features)
	}
	pca, err := scale.FitPCA(zs, 2)
	if err != nil {
		return nil, err
	}
	bg := make([][2]float64, len(zs))
	p := make([]float64, 2)
	for i, z := range zs {
		pca.ProjectTo(p, z)
		bg[i] = [2]float64{p[0], p[1]}
	}
	path := make([]plots.MapPoint, len(res.picks))
	for i, pk := range res.picks {
		pca.ProjectTo(p, pk.Scaled)
		path[i] = plots.MapPoint{Label: pk.Track.String(), Seed: pk.Seed, X: p[0], Y: p[1]}
	}
	xl := fmt.Sprintf("PC1 (%.0f%% of variance)", 100*pca.Explained[0])
	yl := fmt.Sprintf("PC2 (%.0f%% of variance)", 100*pca.Explained[1])
	return plots.Map(path, bg, xl, yl, playlistTitle(res.picks))
}

func mixFigure(res *buildResult) (plots.Drawer, error) {
	steps := make([]plots.MixStep, len(res.picks))
	for i, p := range res.picks {
		t := p.Track
		steps[i] = plots.MixStep{Label: t.String(), Seed: p.Seed, Camelot: theory.NewKey(t.Key, t.Mode).Camelot(), BPM: t.Tempo}
		if i > 0 {
			prev := res.picks[i-1].Track
			// Energy-boost moves (+2, +7, diagonal) are deliberate DJ moves: they mix.
			steps[i].KeyCompatible = p.Move.Compatible() || p.Move.Boost()
			steps[i].TempoCompatible = theory.TempoCompatible(prev.Tempo, t.Tempo, theory.DefaultTempoTolerance)
		}
	}
	return plots.Mix(steps, playlistTitle(res.picks))
}
