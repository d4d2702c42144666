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

// evalCache computes the eval report once, in the background, so that a
// request never waits longer than its deadline for it.
type evalCache struct {
	ctx  context.Context
	run  func(ctx context.Context) (*EvalResult, error)
	once sync.Once
	done chan struct{}

	start time.Time
	res   *EvalResult
	err   error
}

// get starts the computation on first call and returns its result, or
// nil, how long it has run and nil while it runs.
func (c *evalCache) get() (*EvalResult, time.Duration, error) {
	c.once.Do(func() {
		c.done, c.start = make(chan struct{}), time.Now()
		go func() {
			defer close(c.done)
			c.res, c.err = c.run(c.ctx)
		}()
	})
	select {
	case <-c.done:
		return c.res, 0, c.err
	default:
		return nil, time.Since(c.start), nil
	}
}

// EvalStatus is the Eval page's answer while the report is computed.
type EvalStatus struct {
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
	res, running, err := s.eval.get()
	if res == nil && err == nil {
		writeJSON(w, http.StatusAccepted, EvalStatus{Status: "computing", Seconds: running.Seconds(),
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
