package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"

	"github.com/discoflow/disco/plots"
	"github.com/discoflow/disco/selector/eval"
)

// SweepResult is a disco sweep on the embedded data: its rows, the
// setting it recommends and its figures.
type SweepResult struct {
	Grid  string // the grid swept, as disco sweep --grid takes it
	Setup string // the data's fingerprint: the sweep CSV's setup column
	Rows  []eval.Row
	// Recommended is disco sweep's recommendation (eval.ChooseRows), as
	// it prints it.
	Recommended string
	Figures     []plots.NamedFigure // plots.SweepFigures of the rows
}

// sweepData is a SweepResult with its figures rendered to PNG.
type sweepData struct {
	res   *SweepResult
	names []string
	png   map[string][]byte
}

// sweepRun runs the sweep once the eval report is done (the two would
// share the cores), then renders its figures.
func (s *Server) sweepRun(ctx context.Context) (*sweepData, error) {
	if s.eval.run != nil {
		s.eval.get() // starts it when the page has not asked yet
		select {
		case <-s.eval.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	res, err := s.opt.Sweep(ctx)
	if err != nil {
		return nil, err
	}
	d := &sweepData{res: res, png: map[string][]byte{}}
	for _, f := range res.Figures {
		if _, dup := d.png[f.Name]; dup {
			return nil, fmt.Errorf("two sweep figures named %s", f.Name)
		}
		b, err := plots.PNG(f.Figure, 0, 0)
		if err != nil {
			return nil, fmt.Errorf("plot %s: %w", f.Name, err)
		}
		d.names, d.png[f.Name] = append(d.names, f.Name), b
	}
	return d, nil
}

// sweepReady returns the sweep, or writes why not (none, computing,
// failed) and returns nil.
func (s *Server) sweepReady(w http.ResponseWriter) *sweepData {
	if s.sweep.run == nil {
		writeError(w, errorf(http.StatusNotFound, "this server has no sweep (disco sweep computes one)"))
		return nil
	}
	d, running, ok, err := s.sweep.get()
	if !ok {
		writeJSON(w, http.StatusAccepted, Computing{Status: "computing", Seconds: running.Seconds(),
			Message: "a small disco sweep runs once in the background after disco eval; it is cached after"})
		return nil
	}
	if err != nil {
		writeError(w, errorf(http.StatusInternalServerError, "disco sweep: %v", err))
		return nil
	}
	return d
}

// SweepAnswer is /api/sweep's answer.
type SweepAnswer struct {
	Grid        string     `json:"grid"`
	Settings    int        `json:"settings"`
	Recommended string     `json:"recommended"`
	Plots       []string   `json:"plots"` // each at /api/sweep/{name}
	Rows        []SweepRow `json:"rows"`
}

// SweepRow is a row of the sweep: its JSON object has the sweep CSV's
// columns (eval.CSVHeader), in that order, NaN as null.
type SweepRow struct {
	Row   eval.Row
	Setup string
}

// MarshalJSON writes the row under the CSV's column names.
func (r SweepRow) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	num := func(v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b.WriteString("null")
			return
		}
		b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	}
	b.WriteByte('{')
	for _, k := range eval.KnobNames {
		fmt.Fprintf(&b, "%q:", k)
		num(r.Row.Setting.Get(k))
		b.WriteByte(',')
	}
	for i, m := range eval.Metrics {
		fmt.Fprintf(&b, "%q:", m.Name)
		if i < len(r.Row.Values) {
			num(r.Row.Values[i])
		} else {
			b.WriteString("null")
		}
		b.WriteByte(',')
	}
	setup, err := json.Marshal(r.Setup)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(&b, "%q:%s}", "setup", setup)
	return b.Bytes(), nil
}

func (s *Server) handleSweep(w http.ResponseWriter, r *http.Request) {
	d := s.sweepReady(w)
	if d == nil {
		return
	}
	a := SweepAnswer{Grid: d.res.Grid, Settings: len(d.res.Rows), Recommended: d.res.Recommended, Plots: d.names, Rows: make([]SweepRow, len(d.res.Rows))}
	for i, row := range d.res.Rows {
		a.Rows[i] = SweepRow{row, d.res.Setup}
	}
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) handleSweepPlot(w http.ResponseWriter, r *http.Request) {
	d := s.sweepReady(w)
	if d == nil {
		return
	}
	name := r.PathValue("name")
	b, ok := d.png[name] // only the names of the figures: no path is opened
	if !ok {
		writeError(w, errorf(http.StatusNotFound, "no sweep plot %q (the list is at /api/sweep)", cut(name)))
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}
