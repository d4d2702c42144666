package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/atomic"
	"github.com/discoflow/disco/features/recommend"
	"github.com/discoflow/disco/model"
	"github.com/discoflow/disco/model/song2vec"
	"github.com/discoflow/disco/plots"
	"github.com/discoflow/disco/selector"
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
	fs.StringVar(&o.pool, "pool", "", "candidate pool size `N`, or \"all\" (default: 100 for hybrid, 400 for a bridge and the other sources)")
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

// bridgePool is a bridge's hybrid pool size when --pool is not given: a
// path needs songs between its ends. On 30 random pairs, 12-song greedy
// bridges from pools of 100 and 400 rank their songs by distance to the
// end with correlation −0.45 and −0.79.
const bridgePool = 400

// bridgeBelong is a bridge's belong knob when --belong is not given: a
// bridge leaves its first song's world on purpose, so the pool's order
// (the first song's sources) should not hold it back. On 20 random pairs
// (bench/sort/bridge.py), 12-song bridges rank their songs by distance to
// the end with correlation −0.80 greedy and −0.89 with --beam 8 at belong
// 0, against −0.67 and −0.77 at the default 4.
const bridgeBelong = 0

// bridgeBeam is a bridge's beam width when --beam is not given: only a
// beam weighs the move into the fixed last song. On 20 random pairs
// (bench/sort/bridge.py), the greedy bridge's move into its end scores 4.65
// on average against 0.66 with a beam of 8, and the songs' rank
// correlation with their distance to the end is -0.80 against -0.89, for
// the same whole-process time (bench/sort/README.md).
const bridgeBeam = 8

// bridgeDefaults sets a bridge's own defaults of the flags not given:
// bridgePool, bridgeBelong and bridgeBeam.
func (o *buildOptions) bridgeDefaults(fs *flag.FlagSet) {
	if !flagSet(fs, "pool") && o.cands == "hybrid" {
		o.pool = strconv.Itoa(bridgePool)
	}
	if !flagSet(fs, "belong") {
		o.knobs.Belong = bridgeBelong
	}
	if !flagSet(fs, "beam") {
		o.beam = bridgeBeam
	}
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
	if source == "hybrid" {
		return strconv.Itoa(candidates.DefaultPoolSize)
	}
	return strconv.Itoa(selector.DefaultPoolSize)
}

// buildResult is a built playlist and what its plots need.
type buildResult struct {
	picks  []selector.Pick
	model  *model.Model
	tracks []*features.Track // the catalog's tracks with features
}

func build(ctx context.Context, log io.Writer, o *buildOptions) (*buildResult, error) {
	ds, err := openCatalog(o.catalog, o.skipBad)
	if err == nil && o.catalog != "" && ds.Report.Tracks == 0 {
		return nil, errEmptyCatalog(o.catalog, ds.Report)
	}
	if err == nil && o.catalog != "" && !o.quiet {
		reportData(log, o.catalog, ds.Report, false)
	}
	if err == nil && o.catalog != "" && !o.only {
		ds, err = withEmbedded(ctx, log, ds, o.online.cache, o.skipBad)
	}
	if err != nil {
		return nil, err
	}
	m, err := openModel(o.model)
	if err != nil {
		return nil, err
	}
	tt, err := openTaste(&o.taste, &m.Scaler)
	if err != nil {
		return nil, err
	}
	tracks := ds.Catalog.WithFeatures()
	if len(tracks) == 0 {
		return nil, errEmptyCatalog(cmp.Or(o.catalog, "embedded"), ds.Report)
	}
	var on *online
	if o.cands == "online" {
		on, err = openOnline(ctx, o.online, func(reason string, d time.Duration) {
			fmt.Fprintf(log, "%s: waiting %v\n", reason, d.Round(time.Second))
		})
		if err != nil {
			return nil, err
		}
		defer on.Close()
	}
	var seeds []*features.Track
	var to *features.Track
	if o.from != "" {
		seeds, to, err = bridgeEnds(ds.Catalog, o.from, o.to)
	} else {
		seeds, err = chooseSeeds(log, ds.Catalog, tracks, o)
		var nf *selector.NotFoundError
		if on != nil && errors.As(err, &nf) && !nf.Ambiguous {
			seeds, err = onlineSeeds(ctx, log, on, ds.Catalog, o.seeds)
		}
	}
	if err != nil {
		return nil, noFeaturesHint(err, o.catalog)
	}
	pins, err := buildPins(ds.Catalog, seeds, to, o)
	if err != nil {
		return nil, noFeaturesHint(err, o.catalog)
	}
	around := seeds // the songs the candidates are drawn around
	if to != nil {
		around = []*features.Track{seeds[0], to}
	}
	warnFar(log, "disco build", m, around, len(around))
	pool := &selector.CatalogPool{Tracks: tracks, Scaler: &m.Scaler, N: selector.DefaultPoolSize}
	for _, g := range o.genres {
		if g == "seeds" {
			pool.SeedGenres = true
		} else {
			pool.Genres = append(pool.Genres, g)
		}
	}
	if len(pool.Genres) > 0 {
		if err := checkGenres(tracks, pool.Genres); err != nil {
			return nil, err
		}
	}
	pool.N = o.poolN
	var src selector.Pool = pool
	var hybrid *candidates.Hybrid
	switch o.cands {
	case "catalog":
	case "hybrid":
		q, err := candidates.ParseQuotas(o.quota)
		if err != nil {
			return nil, err
		}
		v, err := openVectors(o.vectors)
		if err == nil {
			err = candidates.CheckVectors(v, ds.Catalog)
		}
		if err != nil {
			return nil, err
		}
		hybrid = &candidates.Hybrid{Catalog: ds.Catalog, Scaler: &m.Scaler, Vectors: v,
			Artists: candidates.NewArtistGraph(ds.Playlists), N: pool.N, Quotas: q}
		if hybrid.N <= 0 {
			hybrid.N = len(tracks)
		}
		src = hybrid
	case "song2vec":
		v, err := openVectors(o.vectors)
		if err == nil {
			err = candidates.CheckVectors(v, ds.Catalog)
		}
		if err != nil {
			return nil, err
		}
		n := pool.N
		if n <= 0 {
			n = v.Len()
		}
		src = &song2vec.Pool{Vectors: v, Catalog: ds.Catalog, N: n, Cold: candidates.NewMapper(v, ds.Catalog, &m.Scaler)}
	case "online":
		src = on.pool
	default:
		return nil, fmt.Errorf("--candidates %q: want hybrid, catalog, song2vec or online", o.cands)
	}
	cands, err := src.Candidates(ctx, around)
	if err != nil {
		return nil, err
	}
	if hybrid != nil && !o.quiet {
		fmt.Fprintf(log, "candidates: %s\n", hybrid.Report())
	}
	if sp, ok := src.(*song2vec.Pool); ok && sp.NotInCatalog+sp.NoFeatures > 0 {
		fmt.Fprintf(log, "song2vec: left out %d neighbours not in the catalog and %d without audio features\n", sp.NotInCatalog, sp.NoFeatures)
	}
	sel, dropped := selector.New(cands, &m.Scaler)
	if dropped > 0 {
		fmt.Fprintf(log, "%d candidates without audio features left out\n", dropped)
	}
	if tt != nil {
		if err := sel.SetTaste(tt.liking); err != nil {
			return nil, err
		}
	}
	rules, err := o.rules.rules()
	if err != nil {
		return nil, err
	}
	picks, err := sel.BuildWith(seeds, m.NewPredictor(), o.knobs, o.length, selector.Options{Rules: &rules, Beam: o.beam, To: to, Blend: o.blend, Arc: o.arcSpec, Pins: pins})
	if to != nil && errors.Is(err, selector.ErrNoCandidates) {
		return nil, fmt.Errorf("the candidates ran out: %d of %d could stand between --from and --to, not %d (try a larger --pool)", len(picks)-1, sel.Len(), o.length-2)
	}
	if errors.Is(err, selector.ErrNoCandidates) {
		fmt.Fprintf(log, "disco: the candidates ran out: %d of %d could follow the seeds (the others are the seeds or another version of a song already in the playlist); the playlist has %d songs, not %d (try a larger --pool)\n",
			len(picks)-len(seeds), sel.Len(), len(picks), o.length)
	} else if err != nil {
		return nil, err
	}
	if o.arcSpec != nil {
		fmt.Fprintf(log, "arc followed with RMSE %.3f\n", o.arcSpec.RMSE(pickTracks(picks)))
	}
	if hybrid != nil {
		for i := range picks {
			if !picks[i].Seed {
				picks[i].Sources = hybrid.Why(picks[i].Track.ID)
			}
		}
	}
	return &buildResult{picks: picks, model: m, tracks: tracks}, nil
}

// bridgeEnds resolves a bridge's ends, --from and --to, in the catalog:
// the seeds (the first song alone) and the last song.
func bridgeEnds(cat *features.Catalog, from, to string) ([]*features.Track, *features.Track, error) {
	r := selector.NewResolver(cat)
	a, err := r.Resolve(from)
	if err != nil {
		return nil, nil, fmt.Errorf("--from: %w", err)
	}
	b, err := r.Resolve(to)
	if err != nil {
		return nil, nil, fmt.Errorf("--to: %w", err)
	}
	if a.ID == b.ID || selector.RecordingKey(a) == selector.RecordingKey(b) {
		return nil, nil, fmt.Errorf("--from %q and --to %q are the same song (%s): a bridge goes from one song to another", from, to, a.String())
	}
	return []*features.Track{a}, b, nil
}

// onlineSeeds resolves the seeds the catalog lacks through the online
// source: a Spotify id, URI or URL directly, "artist - title" by Spotify's
// search (which checks that the hit is the song asked for); their audio
// features come through the cache.
func onlineSeeds(ctx context.Context, log io.Writer, on *online, cat *features.Catalog, queries []string) ([]*features.Track, error) {
	r := selector.NewResolver(cat)
	seeds := make([]*features.Track, 0, len(queries))
	for _, q := range queries {
		if t, err := r.Resolve(q); err == nil {
			seeds = append(seeds, t)
			continue
		}
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
		seeds = append(seeds, t)
	}
	return seeds, nil
}

// chooseSeeds resolves the seed flags, or picks three seeds at random from
// the (genre-limited) catalog with the --rand source.
func chooseSeeds(log io.Writer, cat *features.Catalog, tracks []*features.Track, o *buildOptions) ([]*features.Track, error) {
	if len(o.seeds) > 0 {
		r := selector.NewResolver(cat)
		seeds := make([]*features.Track, 0, len(o.seeds))
		for i, q := range o.seeds {
			t, err := r.Resolve(q)
			if err != nil {
				return nil, err
			}
			for j, s := range seeds {
				if selector.RecordingKey(s) == selector.RecordingKey(t) {
					return nil, fmt.Errorf("--seed %q and --seed %q are the same song (%s): give each seed once", o.seeds[j], o.seeds[i], t.String())
				}
			}
			seeds = append(seeds, t)
		}
		return seeds, nil
	}
	var from []*features.Track
	for _, t := range tracks {
		if len(o.genres) == 0 || contains(o.genres, t.Genre) {
			from = append(from, t)
		}
	}
	if len(from) == 0 {
		return nil, checkGenres(tracks, o.genres)
	}
	rng := rand.New(rand.NewPCG(o.randSeed, 0x5eed))
	n := min(3, len(from))
	seeds := make([]*features.Track, 0, n)
	seen := map[string]bool{}
	for len(seeds) < n && len(seen) < len(from) {
		t := from[rng.IntN(len(from))]
		if k := selector.RecordingKey(t); !seen[k] {
			seen[k] = true
			seeds = append(seeds, t)
		}
	}
	fmt.Fprintf(log, "no --seed given: picked at random (--rand %d):\n", o.randSeed)
	for _, t := range seeds {
		fmt.Fprintf(log, "  --seed %q\n", t.ID)
		fmt.Fprintf(log, "      %s\n", t.String())
	}
	return seeds, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkGenres returns an error naming the catalog's genres if one of want
// is not among them.
func checkGenres(tracks []*features.Track, want []string) error {
	have := map[string]bool{}
	for _, t := range tracks {
		if t.Genre != "" {
			have[t.Genre] = true
		}
	}
	for _, g := range want {
		if g != "seeds" && !have[g] {
			names := make([]string, 0, len(have))
			for h := range have {
				names = append(names, h)
			}
			sort.Strings(names)
			return fmt.Errorf("no tracks of genre %q; the catalog has: %s", g, strings.Join(names, ", "))
		}
	}
	return nil
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
	pca, err := features.FitPCA(zs, 2)
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
