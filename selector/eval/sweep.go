package eval

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
)

// Metric is one figure of a Setting's Row.
type Metric struct {
	Name   string // CSV column, e.g. "build_key"
	Higher bool   // higher is better
	Doc    string
}

// Metrics lists the figures of a Row, in CSV order: DISCO's ranking within
// the playlist and against the catalog; then for the reorder and build
// tasks each Flow field and its lift over the shuffles (no lift for tau,
// whose shuffled value is about 0; no tau for build); then the build's
// Listener figures (precision, genre, drift, ...). A lift is better in the
// same direction as its metric.
var Metrics = buildMetrics()

func buildMetrics() []Metric {
	var ms []Metric
	for _, set := range []string{"within", "catalog"} {
		for _, m := range []string{"hr1", "hr5", "hr10", "mrr"} {
			ms = append(ms, Metric{set + "_" + m, true, "DISCO's next-track ranking " + set + ": " + m})
		}
	}
	for _, task := range []string{"reorder", "build"} {
		for _, f := range flowFields {
			if task == "build" && f.name == "tau" {
				continue
			}
			ms = append(ms, Metric{task + "_" + f.name, f.higher, task + ": " + f.name})
		}
		for _, f := range flowFields {
			if f.name == "tau" {
				continue
			}
			ms = append(ms, Metric{task + "_" + f.name + "_lift", f.higher, task + ": " + f.name + " over shuffled"})
		}
	}
	for _, f := range listenFields {
		ms = append(ms, Metric{"build_" + f.name, f.higher, "build: what a listener notices: " + f.name})
	}
	return ms
}

// MetricIndex returns the index in Metrics of the named metric, or -1.
func MetricIndex(name string) int {
	return slices.IndexFunc(Metrics, func(m Metric) bool { return m.Name == name })
}

// Row is a Setting and its figures, Values[i] being Metrics[i].
type Row struct {
	Setting Setting
	Values  []float64
}

// Row flattens s into Metrics' order.
func (s *Summary) Row() Row {
	v := make([]float64, 0, len(Metrics))
	for _, r := range []Ranking{s.Within, s.Catalog} {
		v = append(v, r.HR1, r.HR5, r.HR10, r.MRR)
	}
	for _, g := range []*Generation{&s.Reorder, &s.Build} {
		o, l := g.Order.vals(), g.Lift.vals()
		for i, f := range flowFields {
			if g == &s.Build && f.name == "tau" {
				continue
			}
			v = append(v, o[i])
		}
		for i, f := range flowFields {
			if f.name != "tau" {
				v = append(v, l[i])
			}
		}
	}
	l := s.Build.Listener.vals()
	v = append(v, l[:]...)
	return Row{Setting: s.Setting, Values: v}
}

// Sweep runs every setting on d with the given number of workers
// (GOMAXPROCS when 0 or less), each with its own Evaluator. skip, when
// not nil, names settings not to run (already done). done is called for
// each finished setting, from Sweep's own goroutine (never concurrently),
// in the order they finish; an error from done stops the sweep and is
// returned. A setting's Summary does not depend on the workers or the
// order. On cancellation Sweep stops handing out settings, delivers those
// under way, and returns ctx.Err().
func Sweep(ctx context.Context, d *Data, settings []Setting, workers int, skip func(i int) bool, done func(i int, s Summary) error) error {
	for _, s := range settings {
		if err := d.validSetting(s); err != nil {
			return err
		}
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type result struct {
		i int
		s Summary
	}
	jobs := make(chan int)
	results := make(chan result)
	var wg sync.WaitGroup
	for range min(workers, max(1, len(settings))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := d.NewEvaluator()
			for i := range jobs {
				s, _ := e.Run(settings[i]) // validated above
				results <- result{i, s}
			}
		}()
	}
	stop := make(chan struct{})
	go func() {
		defer close(jobs)
		for i := range settings {
			if skip != nil && skip(i) {
				continue
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			case <-stop:
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	var err error
	for r := range results {
		if err == nil {
			if err = done(r.i, r.s); err != nil {
				close(stop)
			}
		}
	}
	if err != nil {
		return err
	}
	return ctx.Err()
}

// oriented returns v so that higher is better.
func oriented(v float64, higher bool) float64 {
	if higher {
		return v
	}
	return -v
}

// Best returns the index of the row with the best value of metric m
// (Metrics index); ties go to the earlier row; rows with NaN are passed
// over. It returns -1 when no row has a value.
func Best(rows []Row, m int) int {
	bi := -1
	for i, r := range rows {
		v := r.Values[m]
		if math.IsNaN(v) {
			continue
		}
		if bi < 0 || oriented(v, Metrics[m].Higher) > oriented(rows[bi].Values[m], Metrics[m].Higher) {
			bi = i
		}
	}
	return bi
}

// Pareto returns the indices, in order, of the points not dominated by
// another: q dominates p when q is at least as good in every objective
// and better in one. higher[j] says whether objective j is better high.
// Points with a NaN objective are left out. Equal points are all kept.
// It takes O(n²·objectives) time.
func Pareto(points [][]float64, higher []bool) []int {
	ok := func(p []float64) bool {
		return !slices.ContainsFunc(p, math.IsNaN)
	}
	var out []int
	for i, p := range points {
		if !ok(p) {
			continue
		}
		dominated := false
		for j, q := range points {
			if j == i || !ok(q) {
				continue
			}
			ge, gt := true, false
			for k := range p {
				a, b := oriented(q[k], higher[k]), oriented(p[k], higher[k])
				if a < b {
					ge = false
					break
				}
				if a > b {
					gt = true
				}
			}
			if ge && gt {
				dominated = true
				break
			}
		}
		if !dominated {
			out = append(out, i)
		}
	}
	return out
}

// ParetoRows returns the rows on the Pareto front over the named metrics.
func ParetoRows(rows []Row, metrics []string) ([]int, error) {
	idx := make([]int, len(metrics))
	higher := make([]bool, len(metrics))
	for j, name := range metrics {
		if idx[j] = MetricIndex(name); idx[j] < 0 {
			return nil, fmt.Errorf("eval: unknown metric %q", name)
		}
		higher[j] = Metrics[idx[j]].Higher
	}
	pts := make([][]float64, len(rows))
	for i, r := range rows {
		pts[i] = make([]float64, len(idx))
		for j, m := range idx {
			pts[i][j] = r.Values[m]
		}
	}
	return Pareto(pts, higher), nil
}

// Slice returns metric m along the knob named axis, the other knobs as in
// through: for each value in values, the value of the row with that knob
// value and every other knob equal to through's (NaN if no such row).
func Slice(rows []Row, through Setting, axis string, values []float64, m int) []float64 {
	out := make([]float64, len(values))
	for i, v := range values {
		s := through
		s.Set(axis, v)
		out[i] = lookup(rows, s, m)
	}
	return out
}

// Surface returns metric m over two knobs, the others as in through:
// z[i][j] is the value at x = xs[j], y = ys[i] (NaN if no such row).
func Surface(rows []Row, through Setting, xAxis, yAxis string, xs, ys []float64, m int) [][]float64 {
	z := make([][]float64, len(ys))
	for i, y := range ys {
		z[i] = make([]float64, len(xs))
		for j, x := range xs {
			s := through
			s.Set(xAxis, x)
			s.Set(yAxis, y)
			z[i][j] = lookup(rows, s, m)
		}
	}
	return z
}

func lookup(rows []Row, s Setting, m int) float64 {
	for _, r := range rows {
		if r.Setting == s {
			return r.Values[m]
		}
	}
	return math.NaN()
}

// CSVHeader returns the columns of a sweep's CSV: the knobs (KnobNames),
// the metrics (Metrics) and "setup", the Data's Fingerprint.
func CSVHeader() []string {
	h := append([]string(nil), KnobNames[:]...)
	for _, m := range Metrics {
		h = append(h, m.Name)
	}
	return append(h, "setup")
}

// FormatRow returns r as a CSV record under CSVHeader; numbers are
// written to round-trip exactly, NaN as "NaN".
func FormatRow(r Row, setup string) []string {
	rec := make([]string, 0, len(KnobNames)+len(r.Values)+1)
	for _, k := range KnobNames {
		rec = append(rec, strconv.FormatFloat(r.Setting.Get(k), 'g', -1, 64))
	}
	for _, v := range r.Values {
		rec = append(rec, strconv.FormatFloat(v, 'g', -1, 64))
	}
	return append(rec, setup)
}

// ParseRow parses a record written by FormatRow; it returns the row and
// its setup.
func ParseRow(rec []string) (Row, string, error) {
	n := len(KnobNames) + len(Metrics) + 1
	if len(rec) != n {
		return Row{}, "", fmt.Errorf("eval: sweep row has %d fields, want %d", len(rec), n)
	}
	var r Row
	for i, k := range KnobNames {
		v, err := strconv.ParseFloat(rec[i], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || (k == KnobPool && v != math.Trunc(v)) {
			return Row{}, "", fmt.Errorf("eval: sweep row: %s %q", k, rec[i])
		}
		r.Setting.Set(k, v)
	}
	r.Values = make([]float64, len(Metrics))
	for j := range Metrics {
		v, err := strconv.ParseFloat(rec[len(KnobNames)+j], 64)
		if err != nil {
			return Row{}, "", fmt.Errorf("eval: sweep row: %s %q", Metrics[j].Name, rec[len(KnobNames)+j])
		}
		r.Values[j] = v
	}
	return r, rec[n-1], nil
}
