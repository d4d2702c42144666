package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/discoflow/disco/selector/app"
)

//go:embed static
var static embed.FS

// Defaults of Options' zero fields.
const (
	DefaultTimeout   = 10 * time.Second
	DefaultMaxUpload = 5 << 20 // bytes of an upload as sent
	DefaultMaxLength = 200     // songs of a built playlist
	// MaxSortSongs is the most songs an upload may ask to sort: the
	// sequencer's local search grows with the square of the songs, and a
	// request has a deadline.
	MaxSortSongs = 500
)

// Options configure a Server; the zero value means the defaults above.
type Options struct {
	Timeout   time.Duration // each request's deadline
	MaxUpload int64         // largest upload accepted, in bytes
	MaxLength int           // longest playlist a build may ask for
	Slots     int           // builds and sorts running at once; 0: 2·GOMAXPROCS
	TSNESongs int           // songs on the t-SNE map; 0: DefaultTSNESongs
	// Eval computes the eval report of the embedded data (disco eval's
	// code), called at most once, in the background, when the Eval page
	// first asks; nil: the page says there is none.
	Eval func(ctx context.Context) (*EvalResult, error)
	// Sweep runs a small disco sweep on the embedded data, called at
	// most once, in the background after Eval, when the Eval page first
	// asks; nil: the page says there is none.
	Sweep func(ctx context.Context) (*SweepResult, error)
}

// Server is disco serve's handlers over one library.
type Server struct {
	lib   *app.Library
	opt   Options
	slots chan struct{}
	mux   *http.ServeMux

	mapOnce sync.Once
	mapData *mapData
	mapErr  error

	vecMapOnce sync.Once
	vecMap     *mapData
	vecMapErr  error

	eval  background[*EvalResult]
	sweep background[*sweepData]
	tsne  background[*mapData]
}

// New returns the server of lib. ctx bounds background work (the eval
// report, the t-SNE map): cancel it when the server shuts down.
func New(ctx context.Context, lib *app.Library, o Options) *Server {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxUpload <= 0 {
		o.MaxUpload = DefaultMaxUpload
	}
	if o.MaxLength <= 0 {
		o.MaxLength = DefaultMaxLength
	}
	if o.TSNESongs <= 0 {
		o.TSNESongs = DefaultTSNESongs
	}
	if o.Slots <= 0 {
		o.Slots = 2 * runtime.GOMAXPROCS(0)
	}
	s := &Server{lib: lib, opt: o, slots: make(chan struct{}, o.Slots), mux: http.NewServeMux()}
	s.eval.ctx, s.eval.run = ctx, o.Eval
	s.tsne.ctx, s.tsne.run = ctx, s.tsneMap
	if o.Sweep != nil {
		s.sweep.ctx, s.sweep.run = ctx, s.sweepRun
	}
	assets, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded tree is part of the binary
	}
	s.mux.Handle("/", http.FileServerFS(assets))
	s.mux.HandleFunc("GET /api/info", s.handleInfo)
	s.mux.HandleFunc("GET /api/suggest", s.handleSuggest)
	s.mux.HandleFunc("GET /api/build", s.handleBuild)
	s.mux.HandleFunc("POST /api/build", s.handleBuild)
	s.mux.HandleFunc("POST /api/sort", s.handleSort)
	s.mux.HandleFunc("GET /api/map", s.handleMap)
	s.mux.HandleFunc("GET /api/neighbours", s.handleNeighbours)
	s.mux.HandleFunc("GET /api/eval", s.handleEval)
	s.mux.HandleFunc("GET /api/sweep", s.handleSweep)
	s.mux.HandleFunc("GET /api/sweep/{name}", s.handleSweepPlot)
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errorf(http.StatusNotFound, "no endpoint %s %s (see /api/info and the README)", r.Method, cut(r.URL.Path)))
	})
	return s
}

// Handler returns the server's handler: every request under the
// deadline of Options.Timeout (its context is cancelled then, and the
// client gets 503 with a JSON message).
func (s *Server) Handler() http.Handler {
	return headers(withDeadline(s.mux, s.opt.Timeout))
}

// timeoutBody is the answer of a request past its deadline that did not
// answer itself (handlers that notice the deadline answer writeError's
// 503).
const timeoutBody = `{"error":"the request took longer than the server's deadline (the server is busy; try again)"}` + "\n"

// withDeadline runs h under http.TimeoutHandler with deadline d, its 503
// sent as application/json like every other error.
func withDeadline(h http.Handler, d time.Duration) http.Handler {
	th := http.TimeoutHandler(h, d, timeoutBody)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		th.ServeHTTP(jsonTimeout{w}, r)
	})
}

// jsonTimeout labels TimeoutHandler's own 503 as JSON: it is the only
// answer that reaches WriteHeader without a Content-Type (TimeoutHandler
// copies a handler's headers, Content-Type included, before its
// WriteHeader).
type jsonTimeout struct{ http.ResponseWriter }

func (w jsonTimeout) WriteHeader(code int) {
	if h := w.Header(); code == http.StatusServiceUnavailable && h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Cache-Control", "no-store")
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap gives http.ResponseController the writer underneath.
func (w jsonTimeout) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// headers sets the headers every answer carries.
func headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
		h.ServeHTTP(w, r)
	})
}

// slot waits for a free build-or-sort slot; release it when done. It
// fails when the request's deadline comes first.
func (s *Server) slot(ctx context.Context) (release func(), err error) {
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// apiError is an error answer: a status and a message, with the closest
// songs for a seed not found.
type apiError struct {
	Status  int    `json:"-"`
	Message string `json:"error"`
	// Query is the seed that matched no song, or several.
	Query     string `json:"query,omitempty"`
	Ambiguous bool   `json:"ambiguous,omitempty"`
	Closest   []Song `json:"closest,omitempty"`
}

func (e *apiError) Error() string { return e.Message }

// errorf is an apiError with a formatted message.
func errorf(status int, format string, args ...any) *apiError {
	return &apiError{Status: status, Message: fmt.Sprintf(format, args...)}
}

// computingError is a result still computed in the background: 202 with
// a Computing answer.
type computingError struct{ Computing }

func (e *computingError) Error() string { return e.Message }

// writeError answers err: an *apiError as it is, a result still computed
// as 202, a deadline as 503, any other error as 500.
func writeError(w http.ResponseWriter, err error) {
	var ae *apiError
	var ce *computingError
	switch {
	case errors.As(err, &ce):
		writeJSON(w, http.StatusAccepted, ce.Computing)
		return
	case errors.As(err, &ae):
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		ae = errorf(http.StatusServiceUnavailable, "the request took longer than the server's deadline (the server is busy; try again)")
	default:
		ae = errorf(http.StatusInternalServerError, "%v", err)
	}
	writeJSON(w, ae.Status, ae)
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) // the client may be gone; nothing to do then
}
