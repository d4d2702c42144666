package web

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// EvalResult is disco eval's report on the embedded data, as its --format
// json and its table write it.
type EvalResult struct {
	JSON  json.RawMessage
	Table string
}

// background computes a value once, in the background, so that a request
// never waits longer than its deadline for it: the eval report, the t-SNE
// map.
type background[T any] struct {
	ctx  context.Context
	run  func(ctx context.Context) (T, error)
	once sync.Once
	done chan struct{}

	start time.Time
	res   T
	err   error
}

// get starts the computation on first call and returns its result and
// true, or how long it has run and false while it runs.
func (c *background[T]) get() (res T, running time.Duration, ok bool, err error) {
	c.once.Do(func() {
		c.done, c.start = make(chan struct{}), time.Now()
		go func() {
			defer close(c.done)
			c.res, c.err = c.run(c.ctx)
		}()
	})
	select {
	case <-c.done:
		return c.res, 0, true, c.err
	default:
		return res, time.Since(c.start), false, nil
	}
}

// Computing is the answer (202) while a background result is computed.
type Computing struct {
	Status  string  `json:"status"` // "computing"
	Seconds float64 `json:"seconds"`
	Message string  `json:"message"`
}

func (s *Server) handleEval(w http.ResponseWriter, r *http.Request) {
	if s.eval.run == nil {
		writeError(w, errorf(http.StatusNotFound, "this server has no eval report (disco eval computes one)"))
		return
	}
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "table" {
		writeError(w, errorf(http.StatusBadRequest, "format %q: want json or table", cut(format)))
		return
	}
	res, running, ok, err := s.eval.get()
	if !ok {
		writeJSON(w, http.StatusAccepted, Computing{Status: "computing", Seconds: running.Seconds(),
			Message: "disco eval runs once in the background when the page first asks (too slow to answer within a request); it is cached after"})
		return
	}
	if err != nil {
		writeError(w, errorf(http.StatusInternalServerError, "disco eval: %v", err))
		return
	}
	if format == "table" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(res.Table))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(res.JSON)
}
