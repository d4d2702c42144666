package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/cache"
	"github.com/discoflow/disco/features/fill"
	"github.com/discoflow/disco/features/load"
	"github.com/discoflow/disco/features/reccobeats"
	"github.com/discoflow/disco/features/spotify"
	"github.com/discoflow/disco/features/tidycsv"
	"github.com/discoflow/disco/internal/atomic"
)

func init() {
	register(command{name: "fetch", summary: "fetch audio features from Spotify or ReccoBeats into the local cache", run: runFetch})
}

// Endpoints of the online services, "" meaning the real ones. Tests point
// them at local servers.
var (
	spotifyAPIURL   string
	spotifyAuthURL  string
	spotifyTokenURL string
	reccoBeatsURL   string
	openBrowser     = spotify.OpenBrowser
)

const fetchHelp = `
Fetches the audio features of every track in FILE from an online source into
disco's local cache (a SQLite database), in batches, with a progress bar.
FILE is any track file disco reads: a list of Spotify ids, URIs or URLs (one
a line, M3U8 too), an Exportify or TidyTuesday/Kaggle CSV, or an MPD slice.

Songs whose features disco knows already (from --catalog, then the
embedded catalog, by id or by artist and title) are filled and not asked
for; --refresh asks for everything. Offline or half-answered, the --out
file is written with what is known, the songs still unknown are named,
and the command fails with one line.

What the cache holds is not fetched again, so an interrupted fetch (Ctrl-C,
a lost connection, kill -9) resumes where it stopped: run the same command
again. Rate limits (429) are waited out as the service asks.

Sources:
  spotify      the Spotify Web API; needs SPOTIFY_ID and SPOTIFY_SECRET, and
               an app that still has audio features (apps created after
               2024-11-27 do not: use reccobeats)
  reccobeats   the free ReccoBeats API (no key), by Spotify track id

Examples:
  disco fetch features --ids liked.csv --source reccobeats --out liked-features.csv
  disco fetch features --ids mpd.slice.0-999.json --source reccobeats
`

// onlineOptions are the flags of commands that use an online source.
type onlineOptions struct {
	source  string
	cache   string
	refresh bool
	maxAge  time.Duration
}

// register adds --source, --cache, --refresh and --max-age to fs.
func (o *onlineOptions) register(fs *flag.FlagSet, defaultSource string) {
	fs.StringVar(&o.source, "source", defaultSource, "online `source`: spotify or reccobeats")
	fs.StringVar(&o.cache, "cache", "", "cache database `file` (default: disco/cache.db in the user cache directory)")
	fs.BoolVar(&o.refresh, "refresh", false, "ignore the cache: fetch everything again (and store it)")
	fs.DurationVar(&o.maxAge, "max-age", 0, "treat cached entries older than this `duration` as missing (0: keep forever)")
}

// online is an online source behind the cache.
type online struct {
	name     string
	db       *cache.DB
	features *cache.Fetcher
	recs     *cache.Recommender
	spotify  *spotify.Client // for seed search; nil for ReccoBeats
	pool     interface {
		Candidates(ctx context.Context, seeds []*features.Track) ([]*features.Track, error)
	}
}

// openOnline opens the cache and the source named in o. onWait, if set, is
// told about rate-limit and retry waits.
func openOnline(ctx context.Context, o onlineOptions, onWait func(reason string, d time.Duration)) (*online, error) {
	var src interface {
		cache.Source
		cache.RecommendSource
	}
	var sp *spotify.Client
	switch o.source {
	case "spotify":
		c, err := spotify.New(ctx, spotify.Config{BaseURL: spotifyAPIURL, TokenURL: spotifyTokenURL, OnWait: onWait})
		if err != nil {
			return nil, err
		}
		src, sp = c, c
	case "reccobeats":
		src = &reccobeats.Client{BaseURL: reccoBeatsURL, OnWait: onWait}
	default:
		return nil, fmt.Errorf("unknown source %q (want spotify or reccobeats)", o.source)
	}
	db, err := cache.Open(o.cache)
	if err != nil {
		return nil, err
	}
	on := &online{
		name:     o.source,
		db:       db,
		features: &cache.Fetcher{DB: db, Source: src, Refresh: o.refresh, MaxAge: o.maxAge},
		recs:     &cache.Recommender{DB: db, Source: src, Refresh: o.refresh, MaxAge: o.maxAge},
		spotify:  sp,
	}
	if sp != nil {
		on.pool = &spotify.Pool{Client: sp, Recommender: on.recs, Features: on.features}
	} else {
		on.pool = &reccobeats.Pool{Recommender: on.recs, Features: on.features}
	}
	return on, nil
}

func (o *online) Close() error { return o.db.Close() }

// fetchFeaturesFlags are the flags of disco fetch features.
type fetchFeaturesFlags struct {
	online  onlineOptions
	ids     string
	catalog string
	out     string
	skipBad bool
	format  string
}

// fetchSummary is what disco fetch features did, as --format json prints
// it.
type fetchSummary struct {
	Known        int    `json:"known"`         // filled from the embedded catalog, not asked
	Tracks       int    `json:"tracks"`        // distinct Spotify ids asked for (of the cache, then the source)
	Skipped      int    `json:"skipped"`       // tracks without a Spotify id
	Cached       int    `json:"cached"`        // answered by the cache
	Fetched      int    `json:"fetched"`       // asked of the source
	Requests     int    `json:"requests"`      // batches asked
	Unknown      int    `json:"unknown"`       // unknown to the source
	Source       string `json:"source"`        // spotify or reccobeats
	Cache        string `json:"cache"`         // the database file
	Out          string `json:"out,omitempty"` // the CSV written, if any
	WithFeatures int    `json:"with_features"` // tracks of the file with features now
	Total        int    `json:"total"`         // tracks of the file
}

func newFetchFeaturesFlags(e *env) (*flag.FlagSet, *fetchFeaturesFlags) {
	fs := newFlags(e, "fetch", "features --ids FILE [flags]", fetchHelp)
	f := &fetchFeaturesFlags{}
	f.online.register(fs, "reccobeats")
	fs.StringVar(&f.ids, "ids", "", "track `file`: id list, M3U8, Exportify or tidy CSV, MPD slice")
	fs.StringVar(&f.catalog, "catalog", "", "a `file` with features of songs (any format disco reads), asked before the embedded catalog")
	fs.StringVar(&f.out, "out", "", "also write the tracks with their features as a tidy CSV `file`")
	fs.BoolVar(&f.skipBad, "skip-bad", false, "skip malformed rows of a CSV instead of failing")
	fs.StringVar(&f.format, "format", "text", "summary `format`: text or json")
	return fs, f
}

func runFetch(ctx context.Context, e *env, args []string) error {
	fs, f := newFetchFeaturesFlags(e)
	switch {
	case len(args) == 0:
		fs.SetOutput(e.stderr)
		fs.Usage()
		return errUsage
	case args[0] == "features":
		args = args[1:]
	case strings.HasPrefix(args[0], "-"):
		// Only help makes sense here; anything else is a usage error below.
	default:
		fmt.Fprintf(e.stderr, "disco fetch: unknown kind %q (want: features)\n", args[0])
		return errUsage
	}
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if f.ids == "" || fs.NArg() > 0 || len(args) == 0 {
		fmt.Fprintln(e.stderr, "disco fetch features: give one --ids FILE (and no other arguments)")
		return errUsage
	}
	o := f.online
	if o.source != "spotify" && o.source != "reccobeats" {
		fmt.Fprintf(e.stderr, "disco fetch features: --source %q: want spotify or reccobeats\n", o.source)
		return errUsage
	}
	if f.format != "text" && f.format != "json" {
		fmt.Fprintf(e.stderr, "disco fetch features: --format %q: want text or json\n", f.format)
		return errUsage
	}
	ds, err := load.File(f.ids, load.Options{SkipBad: f.skipBad})
	if err != nil {
		return err
	}
	// What disco knows locally is filled first; the source is asked only
	// for the rest (--refresh asks it for everything).
	known := 0
	if !o.refresh {
		var sources []fill.Source
		if f.catalog != "" {
			cat, err := openCatalog(f.catalog, f.skipBad)
			if err != nil {
				return err
			}
			sources = append(sources, fill.NewIndex(f.catalog, cat.Catalog.Tracks))
		}
		emb, err := openCatalog("", false)
		if err != nil {
			return err
		}
		sources = append(sources, fill.NewIndex(embeddedName, emb.Catalog.Tracks))
		fr, err := fill.Fill(ctx, ds.Catalog.Tracks, sources...)
		if err != nil {
			return err
		}
		for _, n := range fr.Filled {
			known += n.ByID + n.ByName
		}
		if known > 0 {
			fmt.Fprintf(e.stderr, "disco: known locally: %s\n", fr)
		}
	}
	var refs []string
	skipped := 0
	for _, t := range ds.Catalog.Tracks {
		switch {
		case !features.IsTrackID(t.ID):
			skipped++
		case !t.HasFeatures || o.refresh:
			refs = append(refs, t.ID)
		}
	}
	if skipped > 0 {
		fmt.Fprintf(e.stderr, "disco: %d tracks of %s have no Spotify id and are skipped\n", skipped, f.ids)
	}
	if len(refs) == 0 && known == 0 {
		return fmt.Errorf("%s: no Spotify track ids", f.ids)
	}
	sum := fetchSummary{Tracks: len(refs), Skipped: skipped, Known: known, Source: o.source}

	// The bar counts the tracks to fetch; it starts once the cache has
	// answered what it holds.
	var p *progress
	on, err := openOnline(ctx, o, func(reason string, d time.Duration) {
		if p != nil {
			p.Note("%s: waiting %v", reason, d.Round(time.Second))
		} else {
			fmt.Fprintf(e.stderr, "disco: %s: waiting %v\n", reason, d.Round(time.Second))
		}
	})
	if err != nil {
		return err
	}
	defer on.Close()
	sum.Cache = on.db.Path()
	on.features.Progress = func(fetched, toFetch int) {
		if p == nil {
			if toFetch == 0 {
				return
			}
			if cached := len(refs) - toFetch; cached > 0 {
				fmt.Fprintf(e.stderr, "disco: %d of %d tracks are cached; fetching %d\n", cached, len(refs), toFetch)
			}
			p = newProgress(e.stderr, "features", toFetch, "tracks")
		}
		p.suffix = ""
		p.Set(fetched)
	}
	// What an interrupted fetch stored is indexed first.
	if err := compactAnnounced(ctx, e, on.db); err != nil {
		return err
	}
	var res cache.Result
	if len(refs) > 0 {
		res, err = on.features.Fetch(ctx, refs)
	}
	if p != nil {
		p.Done()
	}
	if err == nil {
		// Index what was fetched now, rather than in the next command that
		// looks something up (see the cache package's doc).
		err = compactAnnounced(ctx, e, on.db)
	}
	sum.Cached, sum.Fetched, sum.Requests, sum.Unknown = res.Cached, res.Fetched, res.Requests, res.Unknown
	if err != nil {
		if ctx.Err() != nil {
			printFetchSummary(e, f.format, sum)
			return fmt.Errorf("interrupted after storing %d tracks; run the same command again to resume: %w", res.Fetched, err)
		}
		// Half-answered or offline: what the cache stored of this fetch
		// is filled in, the file written with what is known.
		if _, ferr := fill.Fill(ctx, ds.Catalog.Tracks, &fill.Cache{DB: on.db, Sources: []string{o.source}}); ferr != nil {
			return errors.Join(err, ferr)
		}
		if werr := writeFetched(e, f, ds, &sum); werr != nil {
			return errors.Join(err, werr)
		}
		return shortNetError(o.source, err)
	}
	for i, id := range refs {
		if ft := res.Tracks[i]; ft != nil {
			t := ds.Catalog.Get(id)
			t.Key, t.Mode, t.Tempo, t.TimeSignature = ft.Key, ft.Mode, ft.Tempo, ft.TimeSignature
			t.Features, t.HasFeatures = ft.Features, ft.HasFeatures
			t.From.Features = ft.From.Features
			if t.DurationMS <= 0 && ft.DurationMS > 0 {
				t.DurationMS = ft.DurationMS
			}
		}
	}
	return writeFetched(e, f, ds, &sum)
}

// writeFetched writes the enriched file if --out asks for it, prints the
// summary and, in text, the line that names the songs still without
// features.
func writeFetched(e *env, f *fetchFeaturesFlags, ds *features.Dataset, sum *fetchSummary) error {
	sum.WithFeatures, sum.Total = len(ds.Catalog.WithFeatures()), ds.Catalog.Len()
	if f.out != "" {
		if err := atomic.WriteFile(f.out, 0o644, func(w io.Writer) error { return tidycsv.Write(w, ds) }); err != nil {
			return err
		}
		sum.Out = f.out
	}
	printFetchSummary(e, f.format, *sum)
	if f.format == "text" && sum.WithFeatures < sum.Total {
		// Fill with no sources only counts: the songs with features and
		// the ones without, named.
		r, _ := fill.Fill(context.Background(), ds.Catalog.Tracks)
		fmt.Fprintf(e.stdout, "now: %s\n", r)
	}
	return nil
}

// shortNetError says a network error in one short line: the source, the
// host and the reason, without the request's URL and its query string.
// Other errors (an HTTP status, say) are returned as they are.
func shortNetError(source string, err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	host := ue.URL
	if u, perr := url.Parse(ue.URL); perr == nil {
		host = u.Host
	}
	reason := ue.Err
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.As(reason, &dns):
		reason = errors.New(dns.Err)
	case errors.As(reason, &op):
		reason = op.Err
	}
	return fmt.Errorf("%s: %s: %v", source, host, reason)
}

// compactAnnounced folds the cache's log of fetched batches into its index
// (cache.DB.Compact), saying so first when there are enough of them, a
// thousand (some 40,000 tracks), for it to take a while.
func compactAnnounced(ctx context.Context, e *env, db *cache.DB) error {
	n, err := db.Pending(ctx)
	if err != nil {
		return err
	}
	if n >= 1000 {
		fmt.Fprintf(e.stderr, "disco: indexing %d batches of fetched features in the cache\n", n)
	}
	_, err = db.Compact(ctx)
	return err
}

// printFetchSummary prints s as text lines or as one JSON object.
func printFetchSummary(e *env, format string, s fetchSummary) {
	if format == "json" {
		writeJSON(e.stdout, s)
		return
	}
	if s.Known > 0 {
		fmt.Fprintf(e.stdout, "%d tracks known locally, not asked\n", s.Known)
	}
	fmt.Fprintf(e.stdout, "%d tracks: %d from the cache, %d fetched from %s in %d requests, %d unknown to it\n",
		s.Tracks, s.Cached, s.Fetched, s.Source, s.Requests, s.Unknown)
	fmt.Fprintf(e.stdout, "cache: %s\n", s.Cache)
	if s.Out != "" {
		fmt.Fprintf(e.stdout, "wrote %s: %d tracks, %d with features\n", s.Out, s.Total, s.WithFeatures)
	}
}
