package eval

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/discoflow/disco/selector"
)

func TestParseGrid(t *testing.T) {
	tests := []struct {
		in   string
		want Grid
		err  string
	}{
		{"", nil, ""},
		{"  ", nil, ""},
		{"flow=1", Grid{{"flow", []float64{1}}}, ""},
		{"flow=0:1:0.25", Grid{{"flow", []float64{0, 0.25, 0.5, 0.75, 1}}}, ""},
		{"sweetness=0:1:0.1", Grid{{"sweetness", []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}}}, ""},
		{"spicyness=0.8:1.6:0.2", Grid{{"spicyness", []float64{0.8, 1, 1.2, 1.4, 1.6}}}, ""},
		{"spiciness=1|1.2", Grid{{"spicyness", []float64{1, 1.2}}}, ""},
		{"flow=0:1:0.4", Grid{{"flow", []float64{0, 0.4, 0.8}}}, ""}, // hi not on a step
		{"flow = 0:2:1 , Smoothness=3|0:1:1", Grid{{"flow", []float64{0, 1, 2}}, {"smoothness", []float64{3, 0, 1}}}, ""},
		{"pool=100|400|all", Grid{{"pool", []float64{100, 400, 0}}}, ""},
		{"pool=100:300:100", Grid{{"pool", []float64{100, 200, 300}}}, ""},
		{"flow=-1", Grid{{"flow", []float64{-1}}}, ""},
		{"flow", nil, "want knob=values"},
		{"heat=1", nil, "unknown knob"},
		{"flow=1,flow=2", nil, "twice"},
		{"flow=1|1", nil, "repeats"},
		{"flow=0:1:0.5|0.5", nil, "repeats"},
		{"flow=a", nil, "not a finite number"},
		{"flow=NaN", nil, "not a finite number"},
		{"flow=inf", nil, "not a finite number"},
		{"flow=1:0:0.1", nil, "lo is above hi"},
		{"flow=0:1:0", nil, "step must be positive"},
		{"flow=0:1:-1", nil, "step must be positive"},
		{"flow=0:1", nil, "lo:hi:step"},
		{"flow=", nil, "not a finite number"},
		{"flow=0:1e9:1", nil, "more than"},
		{"pool=1.5", nil, "whole numbers"},
		{"pool=-1", nil, "whole numbers"},
		{"pool=0:all:1", nil, "not a finite number"},
		{"flow=0:99:1,sweetness=0:99:1,smoothness=0:99:1,spicyness=0:9:1", nil, "settings"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			g, err := ParseGrid(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, ErrGrid) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(g) != len(tc.want) {
				t.Fatalf("got %v, want %v", g, tc.want)
			}
			for i := range g {
				if g[i].Name != tc.want[i].Name || !slices.Equal(g[i].Values, tc.want[i].Values) {
					t.Fatalf("axis %d: got %v, want %v", i, g[i], tc.want[i])
				}
			}
		})
	}
}

func TestGridSettings(t *testing.T) {
	g, err := ParseGrid("flow=0|1,pool=10|all,sweetness=2|3|4")
	if err != nil {
		t.Fatal(err)
	}
	base := Setting{Knobs: selector.OriginalKnobs, Pool: 400}
	ss := g.Settings(base)
	if len(ss) != 12 || g.Len() != 12 {
		t.Fatalf("%d settings", len(ss))
	}
	// First axis slowest, last fastest; others from base.
	want := []Setting{
		{selector.Knobs{Flow: 0, Spicyness: 1.2, Sweetness: 2, Smoothness: 1}, 10},
		{selector.Knobs{Flow: 0, Spicyness: 1.2, Sweetness: 3, Smoothness: 1}, 10},
		{selector.Knobs{Flow: 0, Spicyness: 1.2, Sweetness: 4, Smoothness: 1}, 10},
		{selector.Knobs{Flow: 0, Spicyness: 1.2, Sweetness: 2, Smoothness: 1}, 0},
	}
	if !slices.Equal(ss[:4], want) {
		t.Errorf("got %+v", ss[:4])
	}
	if ss[11].Knobs.Flow != 1 || ss[11].Pool != 0 || ss[11].Knobs.Sweetness != 4 {
		t.Errorf("last: %+v", ss[11])
	}
	if got := g.Pools(base); !slices.Equal(got, []int{10, 0}) {
		t.Errorf("pools %v", got)
	}
	if s := g.String(); s != "flow=0|1,pool=10|all,sweetness=2|3|4" {
		t.Errorf("String() = %q", s)
	}
}

// Any grid ParseGrid accepts has finite values, no repeats, bounded size,
// whole pools, and round-trips through String.
func FuzzParseGrid(f *testing.F) {
	for _, s := range []string{"flow=0:2:0.25,sweetness=0:3:0.5", "pool=1|all", "spiciness=0.8:1.6:0.2", "flow=1e300:1e301:1e299", "x", "flow=0:1:1e-300"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, err := ParseGrid(s)
		if err != nil {
			return
		}
		if g.Len() > MaxSettings {
			t.Fatalf("%d settings", g.Len())
		}
		for _, a := range g {
			if len(a.Values) == 0 || len(a.Values) > MaxAxisValues {
				t.Fatalf("%s: %d values", a.Name, len(a.Values))
			}
			for i, v := range a.Values {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("%s: %v", a.Name, v)
				}
				if a.Name == KnobPool && (v < 0 || v != math.Trunc(v)) {
					t.Fatalf("pool %v", v)
				}
				if slices.Contains(a.Values[:i], v) {
					t.Fatalf("%s: %v repeats", a.Name, v)
				}
			}
		}
		g2, err := ParseGrid(g.String())
		if err != nil {
			t.Fatalf("String() %q does not parse: %v", g.String(), err)
		}
		if g2.String() != g.String() {
			t.Fatalf("round trip: %q then %q", g.String(), g2.String())
		}
	})
}

func TestPareto(t *testing.T) {
	// Objectives: (mrr ↑, step ↓).
	pts := [][]float64{
		{0.5, 1.0}, // 0: front
		{0.4, 1.0}, // 1: dominated by 0
		{0.6, 1.5}, // 2: front
		{0.6, 1.5}, // 3: equal to 2: front
		{0.3, 0.5}, // 4: front
		{0.3, 0.6}, // 5: dominated by 4
		{math.NaN(), 0.1},
		{0.55, 1.6}, // 7: dominated by 2
	}
	got := Pareto(pts, []bool{true, false})
	if want := []int{0, 2, 3, 4}; !slices.Equal(got, want) {
		t.Errorf("front %v, want %v", got, want)
	}
	if got := Pareto(nil, nil); len(got) != 0 {
		t.Errorf("empty: %v", got)
	}
}

func TestBestAndRecommend(t *testing.T) {
	row := func(flow float64, vals map[string]float64) Row {
		r := Row{Setting: Setting{Knobs: selector.Knobs{Flow: flow}}, Values: make([]float64, len(Metrics))}
		for k, v := range vals {
			r.Values[MetricIndex(k)] = v
		}
		return r
	}
	rows := []Row{
		row(0, map[string]float64{"catalog_mrr": 0.3, "build_key": 0.95, "build_tempo": 0.9, "build_step": 2.0}),
		row(1, map[string]float64{"catalog_mrr": 0.5, "build_key": 0.95, "build_tempo": 0.7, "build_step": 1.0}),
		row(2, map[string]float64{"catalog_mrr": 0.4, "build_key": 0.91, "build_tempo": 0.85, "build_step": 1.5}),
		row(3, map[string]float64{"catalog_mrr": math.NaN(), "build_key": 0.99, "build_tempo": 0.99, "build_step": 0.5}),
	}
	if b := Best(rows, MetricIndex("catalog_mrr")); b != 1 {
		t.Errorf("best mrr: row %d", b)
	}
	if b := Best(rows, MetricIndex("build_step")); b != 3 {
		t.Errorf("best step (lower): row %d", b)
	}
	if b := Best(rows[:1], MetricIndex("within_mrr")); b != 0 {
		t.Errorf("ties go first: %d", b)
	}
	front, err := ParetoRows(rows, []string{"catalog_mrr", "build_step"})
	if err != nil || !slices.Equal(front, []int{1}) {
		t.Errorf("front %v, %v", front, err)
	}
	if _, err := ParetoRows(rows, []string{"nope"}); err == nil {
		t.Error("unknown metric accepted")
	}
}

func TestCSVRoundTrip(t *testing.T) {
	cat, pls := synth(21, 300, 3, 20)
	d := prepare(t, pls, cat, Options{})
	s, err := d.NewEvaluator().Run(Setting{Knobs: selector.Knobs{Flow: 0.1, Spicyness: 1.0 / 3, Sweetness: 2}, Pool: 400})
	if err != nil {
		t.Fatal(err)
	}
	r := s.Row()
	rec := FormatRow(r, d.Fingerprint())
	if len(rec) != len(CSVHeader()) {
		t.Fatalf("%d fields under %d columns", len(rec), len(CSVHeader()))
	}
	got, setup, err := ParseRow(rec)
	if err != nil {
		t.Fatal(err)
	}
	if got.Setting != r.Setting || setup != d.Fingerprint() {
		t.Errorf("setting %+v %q", got.Setting, setup)
	}
	for i := range r.Values {
		if math.Float64bits(got.Values[i]) != math.Float64bits(r.Values[i]) && !(math.IsNaN(got.Values[i]) && math.IsNaN(r.Values[i])) {
			t.Errorf("%s: %v, wrote %v", Metrics[i].Name, got.Values[i], r.Values[i])
		}
	}
	if _, _, err := ParseRow(rec[1:]); err == nil {
		t.Error("short row accepted")
	}
	rec[slices.Index(KnobNames[:], KnobPool)] = "1.5"
	if _, _, err := ParseRow(rec); err == nil {
		t.Error("fractional pool accepted")
	}
}

// A sweep gives the same rows whatever the number of workers.
func TestSweepDeterministic(t *testing.T) {
	cat, pls := synth(22, 400, 5, 30)
	g, _ := ParseGrid("flow=0.5|1,sweetness=0:2:1,pool=20|100")
	base := Setting{Knobs: selector.DefaultKnobs()}
	d := prepare(t, pls, cat, Options{Pools: g.Pools(base)})
	settings := g.Settings(base)
	run := func(workers int) [][]string {
		out := make([][]string, len(settings))
		err := Sweep(context.Background(), d, settings, workers, nil, func(i int, s Summary) error {
			if out[i] != nil {
				t.Fatalf("setting %d twice", i)
			}
			out[i] = FormatRow(s.Row(), "")
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	one := run(1)
	for _, w := range []int{2, 5} {
		got := run(w)
		for i := range one {
			if !slices.Equal(one[i], got[i]) {
				t.Fatalf("%d workers, setting %d:\n%v\n%v", w, i, got[i], one[i])
			}
		}
	}
	// And the same as a fresh Evaluator on one setting alone.
	s, _ := d.NewEvaluator().Run(settings[7])
	if !slices.Equal(FormatRow(s.Row(), ""), one[7]) {
		t.Error("a setting's row depends on what ran before it")
	}
	// The row carries what a listener notices of the build, as Report's
	// build row does.
	r := s.Row()
	l := s.Build.Listener
	for name, want := range map[string]float64{"build_precision": l.Precision, "build_genre": l.Genre, "build_drift": l.Drift, "build_artists": l.Artists} {
		i := MetricIndex(name)
		if i < 0 || (r.Values[i] != want && !(math.IsNaN(want) && math.IsNaN(r.Values[i]))) {
			t.Errorf("%s: index %d, want %v", name, i, want)
		}
	}
	if i := MetricIndex("build_drift"); i < 0 || Metrics[i].Higher || math.IsNaN(r.Values[i]) {
		t.Errorf("build_drift: %+v", Metrics[max(i, 0)])
	}
}

func TestSweepSkipStopCancel(t *testing.T) {
	cat, pls := synth(23, 200, 3, 15)
	d := prepare(t, pls, cat, Options{})
	g, _ := ParseGrid("flow=0:1:0.1")
	settings := g.Settings(Setting{Pool: 400})
	var got []int
	err := Sweep(context.Background(), d, settings, 2, func(i int) bool { return i%2 == 0 }, func(i int, s Summary) error {
		got = append(got, i)
		return nil
	})
	slices.Sort(got)
	if err != nil || !slices.Equal(got, []int{1, 3, 5, 7, 9}) {
		t.Errorf("ran %v, err %v", got, err)
	}
	stop := errors.New("stop")
	n := 0
	err = Sweep(context.Background(), d, settings, 2, nil, func(i int, s Summary) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("stop: err %v after %d calls", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = Sweep(ctx, d, settings, 2, nil, func(i int, s Summary) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	bad := []Setting{{Knobs: selector.Knobs{Flow: math.NaN()}, Pool: 400}}
	if err := Sweep(context.Background(), d, bad, 1, nil, nil); err == nil {
		t.Error("NaN knob accepted")
	}
}

func TestSliceSurface(t *testing.T) {
	var rows []Row
	for _, f := range []float64{0, 1, 2} {
		for _, s := range []float64{0, 1} {
			r := Row{Setting: Setting{Knobs: selector.Knobs{Flow: f, Sweetness: s, Spicyness: 1}, Pool: 400}, Values: make([]float64, len(Metrics))}
			r.Values[0] = 10*f + s
			rows = append(rows, r)
		}
	}
	through := rows[3].Setting // flow 1, sweetness 1
	if got := Slice(rows, through, KnobFlow, []float64{0, 1, 2, 3}, 0); !slicesNear(got, []float64{1, 11, 21, math.NaN()}) {
		t.Errorf("slice %v", got)
	}
	z := Surface(rows, through, KnobFlow, KnobSweetness, []float64{0, 1, 2}, []float64{0, 1}, 0)
	if !slicesNear(z[0], []float64{0, 10, 20}) || !slicesNear(z[1], []float64{1, 11, 21}) {
		t.Errorf("surface %v", z)
	}
}

func slicesNear(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !near(a[i], b[i], 1e-12) {
			return false
		}
	}
	return true
}
