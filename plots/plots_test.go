package plots

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/discoflow/disco/features"
)

// render draws d as a 400x300 pixel image, failing the test on any error.
func render(t *testing.T, d Drawer) image.Image {
	t.Helper()
	img, err := Image(d, Pixels(400), Pixels(300))
	if err != nil {
		t.Fatalf("Image: %v", err)
	}
	return img
}

// drawAll runs all of d's drawing code on a recording canvas (cheap: no
// rasterising), failing the test if it panics.
func drawAll(t *testing.T, d Drawer) {
	t.Helper()
	var rec recorder.Canvas
	if err := drawSafely(d, draw.NewCanvas(&rec, Pixels(800), Pixels(500))); err != nil {
		t.Fatal(err)
	}
	if len(rec.Actions) == 0 {
		t.Fatal("nothing drawn")
	}
}

// countColor counts the pixels of img that are exactly c.
func countColor(img image.Image, c color.NRGBA) int {
	n := 0
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA) == c {
				n++
			}
		}
	}
	return n
}

func nanVector() features.Vector { return features.NoFeatures }

func TestFlowContracts(t *testing.T) {
	pred := features.Vector{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}
	tests := []struct {
		name    string
		steps   []FlowStep
		wantErr error // nil: no error; errAny: some error
	}{
		{"empty", nil, ErrNoData},
		{"seed with prediction", []FlowStep{{Label: "a", Seed: true, Predicted: &pred}}, errAny},
		{"one seed", []FlowStep{{Label: "a", Seed: true}}, nil},
		{"pick without prediction", []FlowStep{{Label: "a"}, {Label: "b"}}, nil},
		{"all NaN", []FlowStep{{Label: "a", Actual: nanVector()}, {Label: "b", Actual: nanVector(), Predicted: &pred}}, nil},
		{"infinities", []FlowStep{{Label: "a", Actual: features.Vector{math.Inf(1), math.Inf(-1)}}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fig, err := Flow(tt.steps, tt.name)
			checkErr(t, err, tt.wantErr)
			if err == nil {
				drawAll(t, fig)
			}
		})
	}
}

// errAny stands for "some error" in tables.
var errAny = errors.New("any error")

func checkErr(t *testing.T, err, want error) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != nil && err == nil:
		t.Fatalf("no error, want %v", want)
	case want != nil && want != errAny && !errors.Is(err, want):
		t.Fatalf("error %v, want %v", err, want)
	case err != nil && !strings.HasPrefix(err.Error(), "plots: "):
		t.Fatalf("error %q lacks the plots: prefix", err)
	}
}

// The seed band colour appears exactly when there are seeds, and the
// prediction rings' colour exactly when there are predictions.
func TestFlowMarksSeedsAndPredictions(t *testing.T) {
	all := exampleFlow()
	noSeeds := all[3:]
	noPreds := make([]FlowStep, len(all))
	for i, s := range all {
		s.Predicted = nil
		noPreds[i] = s
	}
	tests := []struct {
		name             string
		steps            []FlowStep
		wantSeed, wantPr bool
	}{
		{"seeds and predictions", all, true, true},
		{"no seeds", noSeeds, false, true},
		{"no predictions", noPreds, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fig, err := Flow(tt.steps, "")
			if err != nil {
				t.Fatal(err)
			}
			img := render(t, fig)
			if got := countColor(img, seedBand) > 100; got != tt.wantSeed {
				t.Errorf("seed band drawn = %v, want %v", got, tt.wantSeed)
			}
			if got := countColor(img, colVermilion) > 20; got != tt.wantPr {
				t.Errorf("predictions drawn = %v, want %v", got, tt.wantPr)
			}
		})
	}
}

func TestMapContracts(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name    string
		path    []MapPoint
		bg      [][2]float64
		wantErr error
	}{
		{"empty", nil, [][2]float64{{0, 0}}, ErrNoData},
		{"one point, no catalog", []MapPoint{{Label: "a - b", X: 1, Y: 2}}, nil, nil},
		{"NaN points", []MapPoint{{X: nan, Y: 0}, {X: 1, Y: 1}, {X: 2, Y: math.Inf(1)}}, [][2]float64{{nan, nan}, {0, 1}}, nil},
		{"all NaN", []MapPoint{{X: nan, Y: nan}}, [][2]float64{{nan, 0}}, nil},
		{"same point twice", []MapPoint{{X: 1, Y: 1}, {X: 1, Y: 1}}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fig, err := Map(tt.path, tt.bg, "PC 1", "PC 2", tt.name)
			checkErr(t, err, tt.wantErr)
			if err == nil {
				drawAll(t, fig)
			}
		})
	}
}

// Far outliers in the catalog do not set the axes: they span the path and
// the central 99% of the catalog.
func TestMapIgnoresCatalogOutliers(t *testing.T) {
	path, bg := exampleMap()
	bg = append(bg, [2]float64{1000, -1000})
	fig, err := Map(path, bg, "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	p := fig.Panels[0][0]
	if p.X.Max > 50 || p.Y.Min < -50 {
		t.Errorf("axes [%g, %g] x [%g, %g] stretched to an outlier", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	for _, pt := range path {
		if pt.X < p.X.Min || pt.X > p.X.Max || pt.Y < p.Y.Min || pt.Y > p.Y.Max {
			t.Errorf("path point %+v outside the axes", pt)
		}
	}
}

func TestMixContracts(t *testing.T) {
	tests := []struct {
		name    string
		steps   []MixStep
		wantErr error
	}{
		{"empty", nil, ErrNoData},
		{"bad key", []MixStep{{Label: "a", Camelot: "8A"}, {Label: "b", Camelot: "13A"}}, errAny},
		{"bad letter", []MixStep{{Camelot: "8C"}}, errAny},
		{"all unknown", []MixStep{{}, {BPM: math.NaN()}, {BPM: -3}}, nil},
		{"one step", []MixStep{{Camelot: "12b", BPM: 174}}, nil},
		{"wrap both ways", []MixStep{{Camelot: "12A", BPM: 120}, {Camelot: "1A", BPM: 60, KeyCompatible: true, TempoCompatible: true}, {Camelot: "11B", BPM: 121}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fig, err := Mix(tt.steps, tt.name)
			checkErr(t, err, tt.wantErr)
			if err == nil {
				drawAll(t, fig)
			}
		})
	}
}

// Compatible transitions are drawn green and clashes vermilion, and
// nothing is drawn in either colour between unknown keys and tempos.
func TestMixTransitionColours(t *testing.T) {
	mk := func(keyOK, tempoOK bool, known bool) []MixStep {
		s := []MixStep{{Camelot: "8A", BPM: 124}, {Camelot: "9A", BPM: 126, KeyCompatible: keyOK, TempoCompatible: tempoOK}}
		if !known {
			s[1].Camelot, s[1].BPM = "", 0
		}
		return s
	}
	tests := []struct {
		name              string
		steps             []MixStep
		wantGood, wantBad bool
	}{
		{"compatible", mk(true, true, true), true, false},
		{"clashing", mk(false, false, true), false, true},
		{"unknown", mk(true, false, false), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fig, err := Mix(tt.steps, "")
			if err != nil {
				t.Fatal(err)
			}
			fig.Legend = nil // the legend shows both colours
			img := render(t, fig)
			if got := countColor(img, colGreen) > 10; got != tt.wantGood {
				t.Errorf("green drawn = %v, want %v", got, tt.wantGood)
			}
			if got := countColor(img, colVermilion) > 10; got != tt.wantBad {
				t.Errorf("vermilion drawn = %v, want %v", got, tt.wantBad)
			}
		})
	}
}

func TestParseCamelot(t *testing.T) {
	tests := []struct {
		in     string
		num    int
		letter byte
		ok     bool
	}{
		{"8A", 8, 'A', true},
		{"12B", 12, 'B', true},
		{" 1b ", 1, 'B', true},
		{"01A", 1, 'A', true},
		{"0A", 0, 0, false},
		{"13A", 0, 0, false},
		{"8C", 0, 0, false},
		{"A", 0, 0, false},
		{"", 0, 0, false},
		{"-1A", 0, 0, false},
		{"+8A", 0, 0, false},
		{"8 A", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			num, letter, err := ParseCamelot(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseCamelot(%q) error = %v, want ok %v", tt.in, err, tt.ok)
			}
			if num != tt.num || letter != tt.letter {
				t.Errorf("ParseCamelot(%q) = %d, %q; want %d, %q", tt.in, num, letter, tt.num, tt.letter)
			}
		})
	}
}

func FuzzParseCamelot(f *testing.F) {
	for _, s := range []string{"8A", "12b", " 1B", "13A", "", "0B", "+1A", "1٣A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		num, letter, err := ParseCamelot(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "plots: ") {
				t.Fatalf("error %q lacks prefix", err)
			}
			return
		}
		if num < 1 || num > 12 || (letter != 'A' && letter != 'B') {
			t.Fatalf("ParseCamelot(%q) = %d, %q", s, num, letter)
		}
		// The canonical form parses to the same key.
		n2, l2, err := ParseCamelot(fmt.Sprintf("%d%c", num, letter))
		if err != nil || n2 != num || l2 != letter {
			t.Fatalf("canonical form of %q does not round-trip: %d %q %v", s, n2, l2, err)
		}
	})
}

func TestLossContracts(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name       string
		train, val []float64
		best       int
		wantErr    error
	}{
		{"empty", nil, nil, -1, ErrNoData},
		{"best past val", []float64{1, 2, 3}, []float64{1, 2}, 2, errAny},
		{"best indexes train without val", []float64{1, 0.9, 0.8}, nil, 2, nil},
		{"no best", []float64{1}, []float64{1.1}, -1, nil},
		{"diverged epochs", []float64{1, nan, math.Inf(1)}, []float64{nan, nan, nan}, 1, nil},
		{"val longer", []float64{1}, []float64{1, 0.9, 0.8}, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fig, err := Loss(tt.train, tt.val, tt.best, tt.name)
			checkErr(t, err, tt.wantErr)
			if err == nil {
				drawAll(t, fig)
			}
		})
	}
}

func TestSweepLineContracts(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name    string
		xs      []float64
		series  []Series
		wantErr error
		wantLog bool
	}{
		{"no xs", nil, []Series{{"a", nil}}, ErrNoData, false},
		{"no series", []float64{1}, nil, ErrNoData, false},
		{"length mismatch", []float64{1, 2}, []Series{{"a", []float64{1}}}, errAny, false},
		{"linear", []float64{0, 0.5, 1}, []Series{{"a", []float64{1, 2, 3}}}, nil, false},
		{"log for learning rates", []float64{1e-4, 1e-3, 1e-2}, []Series{{"a", []float64{1, 2, 3}}}, nil, true},
		{"NaN x and y", []float64{nan, 1, 2}, []Series{{"a", []float64{1, nan, 3}}, {"b", []float64{nan, nan, nan}}}, nil, false},
		{"all NaN", []float64{nan}, []Series{{"a", []float64{nan}}}, nil, false},
		{"one point", []float64{3}, []Series{{"a", []float64{0.5}}}, nil, false},
		{"many series", []float64{1, 2}, []Series{{"a", []float64{1, 2}}, {"b", []float64{2, 3}}, {"c", []float64{3, 4}}, {"d", []float64{4, 5}}, {"e", []float64{5, 6}}, {"f", []float64{6, 7}}, {"g", []float64{7, 8}}, {"h", []float64{8, 9}}}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fig, err := SweepLine("knob", "metric", tt.xs, tt.series, tt.name)
			checkErr(t, err, tt.wantErr)
			if err != nil {
				return
			}
			_, isLog := fig.Panels[0][0].X.Scale.(plot.LogScale)
			if isLog != tt.wantLog {
				t.Errorf("log x axis = %v, want %v", isLog, tt.wantLog)
			}
			drawAll(t, fig)
		})
	}
}

func TestHeatmapContracts(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name    string
		xs, ys  []float64
		z       [][]float64
		wantErr error
	}{
		{"empty", nil, []float64{1}, nil, ErrNoData},
		{"rows mismatch", []float64{1, 2}, []float64{1, 2}, [][]float64{{1, 2}}, errAny},
		{"ragged", []float64{1, 2}, []float64{1, 2}, [][]float64{{1, 2}, {3}}, errAny},
		{"one cell", []float64{1}, []float64{1}, [][]float64{{0.5}}, nil},
		{"constant", []float64{1, 2}, []float64{1}, [][]float64{{7, 7}}, nil},
		{"all NaN", []float64{1, 2}, []float64{1}, [][]float64{{nan, math.Inf(1)}}, nil},
		{"huge values", []float64{1, 2}, []float64{1}, [][]float64{{-1e12, 1e12}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fig, err := Heatmap("x", "y", tt.xs, tt.ys, tt.z, "m", tt.name)
			checkErr(t, err, tt.wantErr)
			if err == nil {
				drawAll(t, fig)
			}
		})
	}
}

func TestSave(t *testing.T) {
	fig, err := Loss([]float64{1, 0.8, 0.7}, []float64{1.1, 0.9, 0.85}, 2, "loss")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tests := []struct {
		file  string
		w, h  vg.Length
		magic string // prefix of a good file; "" means Save must fail
		errIs error
	}{
		{"a.png", Pixels(300), Pixels(200), "\x89PNG", nil},
		{"b.PNG", Pixels(300), Pixels(200), "\x89PNG", nil},
		{"c.svg", 0, 0, "<?xml", nil},
		{"d.pdf", Pixels(300), Pixels(200), "%PDF", nil},
		{"e.bmp", 0, 0, "", nil},
		{"noext", 0, 0, "", nil},
		{"f.png", -1, 5, "", ErrSize},
		{"g.png", Pixels(MaxPixels + 1), Pixels(10), "", ErrSize},
		{"h.png", vg.Length(math.NaN()), Pixels(10), "", ErrSize},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			err := Save(fig, tt.w, tt.h, path)
			if tt.magic == "" {
				if err == nil {
					t.Fatal("no error")
				}
				if tt.errIs != nil && !errors.Is(err, tt.errIs) {
					t.Fatalf("error %v, want %v", err, tt.errIs)
				}
				if _, serr := os.Stat(path); serr == nil {
					t.Error("a file was written despite the error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b, []byte(tt.magic)) {
				t.Errorf("file starts %q, want %q", b[:min(8, len(b))], tt.magic)
			}
		})
	}
	// A bare plot.Plot has no size of its own.
	if err := Save(plot.New(), 0, 0, filepath.Join(dir, "bare.png")); !errors.Is(err, ErrSize) {
		t.Errorf("bare plot at zero size: %v, want ErrSize", err)
	}
	// The PNG has the asked pixel size.
	b, err := PNG(fig, Pixels(321), Pixels(123))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width != 321 || cfg.Height != 123 {
		t.Errorf("PNG size %dx%d (%v), want 321x123", cfg.Width, cfg.Height, err)
	}
}

// A drawing panic (here a ragged panel grid, a programmer error) comes
// back from Encode as an error instead of killing the program.
func TestEncodeRecoversPanics(t *testing.T) {
	fig := &Figure{Panels: [][]*plot.Plot{{plot.New(), plot.New()}, {plot.New()}}}
	var buf bytes.Buffer
	err := Encode(&buf, fig, Pixels(100), Pixels(100), "png")
	if err == nil || !strings.Contains(err.Error(), "drawing failed") {
		t.Fatalf("error %v, want a drawing failure", err)
	}
}

// Panels with y tick labels of different widths still get data areas that
// start and end at the same x, and rows share their y extent.
func TestAlignedPanels(t *testing.T) {
	narrow := newPanel("a", "", "y")
	narrow.Add(&xyLine{X: []float64{0, 1}, Y: []float64{0, 1}})
	wide := newPanel("b", "x", "a much longer y label")
	wide.Add(&xyLine{X: []float64{0, 1}, Y: []float64{-123456, 123456}})
	side := newPanel("c", "", "")
	side.Add(&xyLine{X: []float64{0, 1}, Y: []float64{0, 1}})
	panels := [][]*plot.Plot{{narrow, side}, {wide, nil}}

	drawAll(t, &Figure{Panels: panels, ColWeights: []float64{3, 1}})
	c := draw.New(vgimg.New(Pixels(400), Pixels(300)))
	cs := alignWeighted(panels, []float64{3, 1}, nil, c)
	dn, dw := narrow.DataCanvas(cs[0][0]), wide.DataCanvas(cs[1][0])
	const eps = 1e-6
	if math.Abs(float64(dn.Min.X-dw.Min.X)) > eps || math.Abs(float64(dn.Max.X-dw.Max.X)) > eps {
		t.Errorf("column 0 data x: [%v, %v] vs [%v, %v]", dn.Min.X, dn.Max.X, dw.Min.X, dw.Max.X)
	}
	ds := side.DataCanvas(cs[0][1])
	if math.Abs(float64(dn.Min.Y-ds.Min.Y)) > eps || math.Abs(float64(dn.Max.Y-ds.Max.Y)) > eps {
		t.Errorf("row 0 data y: [%v, %v] vs [%v, %v]", dn.Min.Y, dn.Max.Y, ds.Min.Y, ds.Max.Y)
	}
	// Weights 3:1 give data widths 3:1.
	if r := float64(dn.Size().X / ds.Size().X); math.Abs(r-3) > 0.01 {
		t.Errorf("data width ratio %v, want 3", r)
	}
}

func TestShorten(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"Daft Punk - One More Time", 40, "Daft Punk - One More Time"},
		{"Daft Punk - One More Time", 12, "Daft Punk…"},
		{"Daft Punk - One More Time", 14, "Daft Punk…"},
		{"Sigur Rós - Hoppípolla", 22, "Sigur Rós - Hoppípolla"},
		{"Sigur Rós - Hoppípolla", 21, "Sigur Rós - Hoppípol…"},
		{"  many   spaces\there ", 40, "many spaces here"},
		{"abcdefghij", 5, "abcd…"},
		{"abc", 1, "…"},
		{"abc", 0, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.in, tt.n), func(t *testing.T) {
			got := Shorten(tt.in, tt.n)
			if got != tt.want {
				t.Errorf("Shorten(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
		})
	}
}

func FuzzShorten(f *testing.F) {
	f.Add("Daft Punk - One More Time", 12)
	f.Add("Sigur Rós - Hoppípolla", 5)
	f.Add("\xff\xfe bad utf8", 3)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 1000 {
			return
		}
		got := Shorten(s, n)
		if c := utf8.RuneCountInString(got); c > n {
			t.Fatalf("Shorten(%q, %d) = %q has %d runes", s, n, got, c)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Shorten(%q, %d) = %q is not valid UTF-8", s, n, got)
		}
	})
}

func TestBandsOf(t *testing.T) {
	tests := []struct {
		name  string
		marks []bool
		want  [][2]float64
	}{
		{"none", []bool{false, false}, nil},
		{"leading run", []bool{true, true, false}, [][2]float64{{0.5, 2.5}}},
		{"two runs", []bool{true, false, true, true}, [][2]float64{{0.5, 1.5}, {2.5, 4.5}}},
		{"all", []bool{true, true}, [][2]float64{{0.5, 2.5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := bandsOf(tt.marks)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("bandsOf(%v) = %v, want %v", tt.marks, got, tt.want)
			}
		})
	}
}

func TestTicks(t *testing.T) {
	t.Run("nice", func(t *testing.T) {
		for _, r := range [][2]float64{{-1.8, 2.4}, {0.55, 0.9}, {0, 1}, {-1e-4, 3e-4}, {100, 130}, {0.641, 0.748}} {
			ticks := niceTicks{}.Ticks(r[0], r[1])
			labelled := 0
			for _, tk := range ticks {
				if tk.Value < r[0] || tk.Value > r[1] {
					t.Errorf("range %v: tick %v outside", r, tk.Value)
				}
				if tk.Label != "" {
					labelled++
				}
			}
			if labelled < 3 || labelled > 9 {
				t.Errorf("range %v: %d labelled ticks, want 3..9", r, labelled)
			}
		}
	})
	t.Run("positions", func(t *testing.T) {
		for _, tc := range []struct{ n, max, wantLabels int }{
			{13, 13, 13}, {14, 13, 7}, {50, 13, 11}, {300, 12, 7}, {1, 25, 1},
		} {
			ticks := posTicks{N: tc.n, Max: tc.max}.Ticks(0.5, float64(tc.n)+0.5)
			labelled := 0
			for _, tk := range ticks {
				if tk.Label != "" {
					labelled++
				}
			}
			if labelled != tc.wantLabels {
				t.Errorf("posTicks{%d, %d}: %d labels, want %d", tc.n, tc.max, labelled, tc.wantLabels)
			}
		}
	})
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {0.586, "0.586"}, {12.345, "12.3"}, {1234.4, "1234"}, {1e-5, "1.00e-05"}, {math.NaN(), "n/a"}, {-0.25, "-0.25"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := formatValue(tt.v); got != tt.want {
				t.Errorf("formatValue(%v) = %q, want %q", tt.v, got, tt.want)
			}
		})
	}
}

// A plain gonum plot is a Drawer too, including one whose plotters would
// reject NaN: Flow's own plotters accept it.
func TestPlainPlotIsADrawer(t *testing.T) {
	p := plot.New()
	s, err := plotter.NewScatter(plotter.XYs{{X: 1, Y: 2}})
	if err != nil {
		t.Fatal(err)
	}
	p.Add(s)
	drawAll(t, p)
}

func BenchmarkMap(b *testing.B) {
	path, _ := exampleMap()
	for _, n := range []int{0, 3000, 30000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			bg := make([][2]float64, n)
			for i := range bg {
				a := float64(i) * 2.399963 // golden angle spiral
				r := math.Sqrt(float64(i)/float64(max(n, 1))) * 4
				bg[i] = [2]float64{r * math.Cos(a), r * math.Sin(a)}
			}
			b.ReportAllocs()
			for b.Loop() {
				fig, err := Map(path, bg, "PC 1", "PC 2", "bench")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := PNG(fig, 0, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkFlow(b *testing.B) {
	steps := exampleFlow()
	b.ReportAllocs()
	for b.Loop() {
		fig, err := Flow(steps, "bench")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := PNG(fig, 0, 0); err != nil {
			b.Fatal(err)
		}
	}
}
