package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image/png"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/discoflow/disco/plots"
	"github.com/discoflow/disco/selector/eval"
)

// fakeSweep is a sweep of two settings with one figure.
func fakeSweep(t *testing.T) *SweepResult {
	t.Helper()
	fig, err := plots.SweepLine("sweetness", "build_precision", []float64{0, 1}, []plots.Series{{Name: "others at the best", Y: []float64{0.1, 0.12}}}, "disco sweep: build_precision against sweetness")
	if err != nil {
		t.Fatal(err)
	}
	rows := make([]eval.Row, 2)
	for i := range rows {
		rows[i].Setting.Knobs.Sweetness = float64(i)
		rows[i].Values = make([]float64, len(eval.Metrics))
		for j := range rows[i].Values {
			rows[i].Values[j] = float64(i) + 0.5
		}
	}
	rows[1].Values[0] = math.NaN()
	return &SweepResult{Grid: "sweetness=0|1", Setup: "test setup", Rows: rows, Recommended: "Recommended (...): --sweetness 1\n",
		Figures: []plots.NamedFigure{{Name: "build_precision-vs-sweetness.png", Figure: fig}}}
}

// waitDone gets path until it is no longer 202.
func waitDone(t *testing.T, ts *httptest.Server, path string) (int, []byte) {
	t.Helper()
	code, b := get(t, ts, path)
	for code == http.StatusAccepted {
		code, b = get(t, ts, path)
	}
	return code, b
}

func TestSweep(t *testing.T) {
	t.Run("none", func(t *testing.T) {
		ts := newTestServer(t, Options{})
		for _, p := range []string{"/api/sweep", "/api/sweep/build_precision-vs-sweetness.png"} {
			wantError(t, ts, p, http.StatusNotFound)
		}
	})
	t.Run("after the eval, once, in the background", func(t *testing.T) {
		releaseEval, releaseSweep := make(chan struct{}), make(chan struct{})
		var evalDone, sweeps atomic.Int32
		var sweptAfterEval atomic.Bool
		ts := newTestServer(t, Options{
			Eval: func(ctx context.Context) (*EvalResult, error) {
				<-releaseEval
				evalDone.Add(1)
				return &EvalResult{JSON: json.RawMessage(`{}`)}, nil
			},
			Sweep: func(ctx context.Context) (*SweepResult, error) {
				sweeps.Add(1)
				sweptAfterEval.Store(evalDone.Load() == 1)
				<-releaseSweep
				return fakeSweep(t), nil
			},
		})
		for _, p := range []string{"/api/sweep", "/api/sweep/build_precision-vs-sweetness.png", "/api/sweep/nope.png"} {
			if code, b := get(t, ts, p); code != http.StatusAccepted || !strings.Contains(string(b), `"computing"`) {
				t.Errorf("%s while computing: %d %s, want 202", p, code, b)
			}
		}
		close(releaseEval)
		close(releaseSweep)
		code, b := waitDone(t, ts, "/api/sweep")
		if code != http.StatusOK {
			t.Fatalf("%d %s", code, b)
		}
		var a struct {
			Grid        string           `json:"grid"`
			Settings    int              `json:"settings"`
			Recommended string           `json:"recommended"`
			Plots       []string         `json:"plots"`
			Rows        []map[string]any `json:"rows"`
		}
		if err := json.Unmarshal(b, &a); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		if a.Grid != "sweetness=0|1" || a.Settings != 2 || len(a.Rows) != 2 || !strings.Contains(a.Recommended, "--sweetness 1") ||
			strings.Join(a.Plots, ",") != "build_precision-vs-sweetness.png" {
			t.Errorf("%+v", a)
		}
		// The rows have the CSV's columns, NaN as null.
		for i, row := range a.Rows {
			if len(row) != len(eval.CSVHeader()) {
				t.Errorf("row %d has %d fields, want the CSV's %d", i, len(row), len(eval.CSVHeader()))
			}
			for _, k := range eval.CSVHeader() {
				if _, ok := row[k]; !ok {
					t.Errorf("row %d lacks %s", i, k)
				}
			}
			if row["sweetness"] != float64(i) || row["setup"] != "test setup" || row["build_genre"] != float64(i)+0.5 {
				t.Errorf("row %d: %v", i, row)
			}
		}
		if a.Rows[1][eval.Metrics[0].Name] != nil {
			t.Errorf("NaN written as %v, want null", a.Rows[1][eval.Metrics[0].Name])
		}
		if !sweptAfterEval.Load() {
			t.Error("the sweep ran before the eval was done")
		}

		resp, err := ts.Client().Get(ts.URL + "/api/sweep/build_precision-vs-sweetness.png")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		img, err := png.Decode(resp.Body)
		if err != nil {
			t.Fatalf("the plot is no PNG: %v", err)
		}
		if r := img.Bounds(); r.Dx() < 100 || r.Dy() < 100 {
			t.Errorf("plot of %v", r)
		}
		for _, name := range []string{"nope.png", "build_precision-vs-sweetness", "build_precision-vs-sweetness.png.png", "../sweep.go", "..%2F..%2Fgo.mod", "%2Fetc%2Fpasswd", strings.Repeat("x", 500) + ".png"} {
			wantError(t, ts, "/api/sweep/"+name, http.StatusNotFound)
		}
		wantError(t, ts, "/api/sweep/"+url.PathEscape("../static/index.html"), http.StatusNotFound)
		if n := sweeps.Load(); n != 1 {
			t.Errorf("the sweep ran %d times", n)
		}
	})
	t.Run("fails", func(t *testing.T) {
		ts := newTestServer(t, Options{Sweep: func(ctx context.Context) (*SweepResult, error) { return nil, errors.New("no data") }})
		for _, p := range []string{"/api/sweep", "/api/sweep/x.png"} {
			if code, b := waitDone(t, ts, p); code != 500 || !strings.Contains(string(b), "no data") {
				t.Errorf("%s: %d %s", p, code, b)
			}
		}
	})
	t.Run("two figures of one name", func(t *testing.T) {
		ts := newTestServer(t, Options{Sweep: func(ctx context.Context) (*SweepResult, error) {
			r := fakeSweep(t)
			r.Figures = append(r.Figures, r.Figures[0])
			return r, nil
		}})
		if code, b := waitDone(t, ts, "/api/sweep"); code != 500 || !strings.Contains(string(b), "two sweep figures") {
			t.Errorf("%d %s", code, b)
		}
	})
}

// The rows' JSON is valid whatever the setup string.
func TestSweepRowJSON(t *testing.T) {
	for _, setup := range []string{"", `quote " and \ backslash`, "ünïcode\x00\n"} {
		r := SweepRow{Row: eval.Row{Values: make([]float64, len(eval.Metrics))}, Setup: setup}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil || m["setup"] != setup {
			t.Errorf("%q: %v %s", setup, err, b)
		}
		if !bytes.HasPrefix(b, []byte(`{"flow":`)) {
			t.Errorf("columns not in CSV order: %.40s", b)
		}
	}
}

// A handler that does not answer by its deadline gets TimeoutHandler's
// 503, as JSON with the headers every answer carries; a handler's own
// answers keep their types.
func TestDeadlineJSON(t *testing.T) {
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // past the deadline, and still not answering
		<-release
	})
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("busy"))
	})
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errorf(http.StatusTeapot, "short and stout"))
	})
	late := httptest.NewServer(headers(withDeadline(mux, 1))) // 1 ns: every request is late
	t.Cleanup(late.Close)
	t.Cleanup(func() { close(release) }) // before late.Close, which waits for the handler
	inTime := httptest.NewServer(headers(withDeadline(mux, time.Hour)))
	t.Cleanup(inTime.Close)
	for _, tc := range []struct {
		path, ctype, body string
		code              int
	}{
		{"/slow", "application/json; charset=utf-8", "server's deadline", http.StatusServiceUnavailable},
		{"/text", "text/plain; charset=utf-8", "busy", http.StatusServiceUnavailable},
		{"/json", "application/json; charset=utf-8", "short and stout", http.StatusTeapot},
	} {
		t.Run(tc.path, func(t *testing.T) {
			ts := inTime
			if tc.path == "/slow" {
				ts = late
			}
			resp, err := ts.Client().Get(ts.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.code || resp.Header.Get("Content-Type") != tc.ctype || !strings.Contains(string(b), tc.body) {
				t.Errorf("%d %q %s, want %d %q containing %q", resp.StatusCode, resp.Header.Get("Content-Type"), b, tc.code, tc.ctype, tc.body)
			}
			if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no nosniff header")
			}
			if strings.HasPrefix(tc.ctype, "application/json") {
				var e struct{ Error string }
				if err := json.Unmarshal(b, &e); err != nil || e.Error == "" {
					t.Errorf("not a JSON error: %v %s", err, b)
				}
			}
		})
	}
}
