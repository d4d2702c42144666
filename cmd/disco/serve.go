package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/discoflow/disco/cmd/disco/web"
	"github.com/discoflow/disco/plots"
	"github.com/discoflow/disco/selector/app"
	"github.com/discoflow/disco/selector/eval"
)

func init() {
	register(command{name: "serve", summary: "serve a local web page to build, sort and explore playlists", run: runServe})
}

const serveHelp = `
Serves a web page on your machine to build playlists with knobs as
sliders (the table, the flow chart and the path through the catalog's
principal components redraw as a knob moves), sort a dropped playlist
file, explore the catalog on a map of its principal components, and read
disco eval's tables for the embedded data with the plots of a small disco
sweep (belong × sweetness, 16 settings, run once in the background after
the eval). Everything is in the binary; the page works without a network.

The page stands on a JSON API under /api/ (see the README): the same
library calls as disco build and disco sort, downloads byte-identical to
disco build --format m3u8|xspf|csv|json.

It listens on the loopback interface unless --addr says otherwise (and
warns when it does not); uploads are capped (--max-upload), every
request has a deadline (--timeout), and Ctrl-C shuts it down gracefully.

Examples:
  disco serve
  disco serve --addr 127.0.0.1:9000 --open
  disco serve --catalog my_songs.csv
`

type serveOptions struct {
	addr      string
	open      bool
	catalog   string
	only      bool
	model     string
	vectors   string
	timeout   time.Duration
	maxUpload int64
	maxLength int
	tsneSongs int
	noEval    bool
}

func runServe(ctx context.Context, e *env, args []string) error {
	var o serveOptions
	fs := newFlags(e, "serve", "[flags]", serveHelp)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen on `host:port` (a host other than loopback is reachable from the network)")
	fs.BoolVar(&o.open, "open", false, "open the page in the default browser")
	fs.StringVar(&o.catalog, "catalog", "", "your songs' `file` (CSV, Exportify, MPD JSON): they join the embedded catalog's")
	fs.BoolVar(&o.only, "catalog-only", false, "use only --catalog's songs")
	fs.StringVar(&o.model, "model", "", "model `file`; default: the embedded one")
	fs.StringVar(&o.vectors, "vectors", "", "song2vec vectors `file`; default: the embedded ones")
	fs.DurationVar(&o.timeout, "timeout", web.DefaultTimeout, "each request's `deadline`")
	fs.Int64Var(&o.maxUpload, "max-upload", web.DefaultMaxUpload, "largest upload to sort, in `bytes`")
	fs.IntVar(&o.maxLength, "max-length", web.DefaultMaxLength, "longest playlist a build may ask for, in `songs`")
	fs.IntVar(&o.tsneSongs, "tsne-songs", web.DefaultTSNESongs, "songs on the Map page's t-SNE map (computed once, in the background)")
	fs.BoolVar(&o.noEval, "no-eval", false, "do not compute disco eval's report and sweep for the Eval page")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "disco serve: unexpected arguments %q\n", fs.Args())
		return errUsage
	}
	if o.timeout <= 0 || o.maxUpload <= 0 {
		return badFlag(errors.New("--timeout and --max-upload must be positive"))
	}
	if err := checkCounts(count{"max-length", o.maxLength, 1, 10_000}, count{"tsne-songs", o.tsneSongs, 10, 10_000}); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(o.addr)
	if err != nil {
		return badFlag(fmt.Errorf("--addr %q: %w", o.addr, err))
	}
	if !loopback(host) {
		fmt.Fprintf(e.stderr, "disco serve: warning: --addr %s is not a loopback address: anyone who can reach this machine can use the server\n", o.addr)
	}
	lib, err := app.Open(ctx, app.Options{Catalog: o.catalog, CatalogOnly: o.only, Model: o.model, Vectors: o.vectors, Log: e.stderr})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(e.stderr, "disco serve: %s (%d songs); Ctrl-C stops\n", url, len(lib.Tracks))
	if o.open {
		if err := openBrowser(url); err != nil {
			fmt.Fprintf(e.stderr, "disco serve: could not open a browser (%v): open %s yourself\n", err, url)
		}
	}
	return serve(ctx, ln, newServer(ctx, lib, o))
}

// newServer returns the handlers of lib with o's limits; the Eval page
// runs disco eval's and disco sweep's own code on the embedded data, unless --no-eval or
// another catalog or model is given (the report is of the embedded data).
func newServer(ctx context.Context, lib *app.Library, o serveOptions) *web.Server {
	wo := web.Options{Timeout: o.timeout, MaxUpload: o.maxUpload, MaxLength: o.maxLength, TSNESongs: o.tsneSongs}
	if !o.noEval && o.catalog == "" && o.model == "" {
		em := &embedded{}
		wo.Eval, wo.Sweep = em.eval, em.sweep
	}
	return web.New(ctx, lib, wo)
}

// serve serves h on ln until ctx is cancelled, then shuts down
// gracefully: requests running finish within 5 s.
func serve(ctx context.Context, ln net.Listener, s *web.Server) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loopback reports whether host names the loopback interface.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serveSweepGrid is the sweep of the Eval page: belong × sweetness, 16
// settings, the other knobs at disco eval's defaults.
const serveSweepGrid = "belong=2|4|6|8,sweetness=0|1|2|3"

// embedded is the embedded data of the Eval page, prepared once for the
// eval report and the sweep: disco eval with its default flags.
type embedded struct {
	once sync.Once
	p    *prepared
	s    eval.Setting
	rep  *eval.Report
	err  error
}

func (em *embedded) prepare(ctx context.Context) (*prepared, eval.Setting, *eval.Report, error) {
	em.once.Do(func() {
		var o evalData
		fs := flag.NewFlagSet("eval", flag.ContinueOnError)
		o.register(fs) // registering sets the flags' defaults
		registerKnobs(fs, &em.s.Knobs, "")
		if em.s.Pool, em.err = parsePool(defaultPool(o.cands)); em.err != nil {
			return
		}
		if em.p, em.err = o.prepare(ctx, io.Discard, []int{em.s.Pool}); em.err != nil {
			return
		}
		em.rep, em.err = em.p.data.Report(em.s)
	})
	return em.p, em.s, em.rep, em.err
}

// eval returns disco eval's JSON and table of the embedded data, as disco
// eval --format json and the table print them.
func (em *embedded) eval(ctx context.Context) (*web.EvalResult, error) {
	p, _, rep, err := em.prepare(ctx)
	if err != nil {
		return nil, err
	}
	var j, t bytes.Buffer
	if err := writeReport(&j, "json", p.source, rep); err != nil {
		return nil, err
	}
	if err := writeReport(&t, "table", p.source, rep); err != nil {
		return nil, err
	}
	return &web.EvalResult{JSON: j.Bytes(), Table: t.String()}, nil
}

// sweep runs disco sweep --grid serveSweepGrid on the embedded data: its
// rows, its recommendation as disco sweep prints it, and the figures of
// disco sweep --plot-dir.
func (em *embedded) sweep(ctx context.Context) (*web.SweepResult, error) {
	p, base, rep, err := em.prepare(ctx)
	if err != nil {
		return nil, err
	}
	grid, err := eval.ParseGrid(serveSweepGrid)
	if err != nil {
		return nil, err
	}
	hx, hy, err := heatmapAxes(grid, "")
	if err != nil {
		return nil, err
	}
	d := p.data
	settings := grid.Settings(base)
	rows := make([]eval.Row, len(settings))
	if err := eval.Sweep(ctx, d, settings, 0, nil, func(i int, s eval.Summary) error {
		rows[i] = s.Row()
		return nil
	}); err != nil {
		return nil, err
	}
	g, picks := judging(d, eval.DefaultGoals(0))
	figs, err := plots.SweepFigures(grid, rows, plots.SweepOptions{
		Metrics: splitList(defaultPareto), HeatX: hx, HeatY: hy, Goals: g, Picks: picks, Refs: plots.SweepRefs(rep, g)})
	if err != nil {
		return nil, err
	}
	var rec bytes.Buffer
	writeRecommendation(&rec, rows, g, picks)
	return &web.SweepResult{Grid: grid.String(), Setup: d.Fingerprint(), Rows: rows, Recommended: rec.String(), Figures: figs}, nil
}
