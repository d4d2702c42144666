package plots

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is a named sequence of values, one per x of its plot.
type Series struct {
	Name string
	Y    []float64
}

// SweepLine draws a metric against one knob: one line per series, in the
// order given, each with its own colour, marker and dash. Points are drawn
// in xs order (sort them first for a left-to-right line). When every x is
// positive and they span a factor of 100 or more (a learning rate, say),
// the x axis is logarithmic.
//
// It returns ErrNoData when xs or series is empty, and an error naming
// the series when its length differs from xs. Non-finite values are gaps.
func SweepLine(knob, metric string, xs []float64, series []Series, title string) (*Figure, error) {
	if len(xs) == 0 || len(series) == 0 {
		return nil, fmt.Errorf("%w: sweep with %d knob values and %d series", ErrNoData, len(xs), len(series))
	}
	for _, s := range series {
		if len(s.Y) != len(xs) {
			return nil, fmt.Errorf("plots: series %q has %d values for %d knob values", s.Name, len(s.Y), len(xs))
		}
	}
	xlo, xhi := math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		if finite(x) {
			xlo, xhi = min(xlo, x), max(xhi, x)
		}
	}
	ylo, yhi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for i, y := range s.Y {
			if finite(y) && finite(xs[i]) {
				ylo, yhi = min(ylo, y), max(yhi, y)
			}
		}
	}
	p := newPanel("", knob, metric)
	logX := xlo > 0 && xhi/xlo >= 100
	if logX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = logTicks{}
		xlo, xhi = xlo/math.Pow(xhi/xlo, 0.04), xhi*math.Pow(xhi/xlo, 0.04)
	} else {
		xlo, xhi = span(xlo, xhi, 0.04, 1e-9)
		if xlo > xhi { // no finite x
			xlo, xhi = 0, 1
		}
	}
	ylo, yhi = span(ylo, yhi, 0.08, 1e-9)

	var legend []LegendEntry
	for k, s := range series {
		col, shape, dashes := seriesStyle(k)
		l := &xyLine{X: xs, Y: s.Y,
			Line:  draw.LineStyle{Color: col, Width: 1.8, Dashes: dashes},
			Glyph: draw.GlyphStyle{Color: col, Radius: 3.2, Shape: shape},
		}
		p.Add(l)
		legend = append(legend, LegendEntry{Label: s.Name, Thumbs: []plot.Thumbnailer{l}})
	}
	p.X.Min, p.X.Max = xlo, xhi
	p.Y.Min, p.Y.Max = ylo, yhi
	if len(series) == 1 && series[0].Name == "" {
		legend = nil
	}
	return &Figure{
		Title:  title,
		Legend: legend,
		Panels: [][]*plot.Plot{{p}},
		Width:  Pixels(800),
		Height: Pixels(500),
	}, nil
}

// logTicks labels 1, 2 and 5 times each power of ten in range (or only
// the powers when the range spans more than three decades).
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) {
		return nil
	}
	mults := []float64{1, 2, 5}
	if math.Log10(hi/lo) > 3 {
		mults = []float64{1}
	}
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		for _, m := range []float64{1, 2, 3, 4, 5, 6, 7, 8, 9} {
			v := m * math.Pow(10, e)
			if v < lo || v > hi {
				continue
			}
			t := plot.Tick{Value: v}
			if slices.Contains(mults, m) {
				t.Label = strconv.FormatFloat(v, 'g', -1, 64)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// Heatmap draws a metric over a grid of two knobs: z[i][j] is the value at
// xs[j] and ys[i]. Knob values are shown as evenly spaced categories
// labelled with their values (sweeps rarely use even steps), each cell
// coloured on the viridis scale and, when it fits, labelled with its value
// to three significant digits; a colour bar at the right gives the scale.
//
// It returns ErrNoData when xs or ys is empty, and an error when z does
// not have len(ys) rows of len(xs) values. Non-finite cells are drawn
// hatched grey and labelled "n/a"; when all cells are non-finite the
// colour bar spans [0, 1].
func Heatmap(xKnob, yKnob string, xs, ys []float64, z [][]float64, metric, title string) (*Figure, error) {
	if len(xs) == 0 || len(ys) == 0 {
		return nil, fmt.Errorf("%w: heatmap of %d x %d knob values", ErrNoData, len(xs), len(ys))
	}
	if len(z) != len(ys) {
		return nil, fmt.Errorf("plots: heatmap has %d rows of values for %d %s values", len(z), len(ys), yKnob)
	}
	for i, row := range z {
		if len(row) != len(xs) {
			return nil, fmt.Errorf("plots: heatmap row %d has %d values for %d %s values", i, len(row), len(xs), xKnob)
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, row := range z {
		for _, v := range row {
			if finite(v) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	switch {
	case lo > hi:
		lo, hi = 0, 1
	case lo == hi:
		lo, hi = lo-0.5, hi+0.5
	}

	hp := newBarePanel("", xKnob, yKnob)
	hp.Add(&cells{Z: z, Lo: lo, Hi: hi, Decimals: decimals(lo, hi)})
	hp.X.Min, hp.X.Max = -0.5, float64(len(xs))-0.5
	hp.Y.Min, hp.Y.Max = -0.5, float64(len(ys))-0.5
	hp.X.Tick.Marker = categoryTicks(xs)
	hp.Y.Tick.Marker = categoryTicks(ys)
	hp.X.Padding, hp.Y.Padding = 0, 0
	hp.X.Tick.Length, hp.Y.Tick.Length = 0, 0

	bar := newBarePanel("", "", metric)
	bar.Add(&colorBar{})
	bar.HideX()
	bar.X.Min, bar.X.Max = 0, 1
	bar.Y.Min, bar.Y.Max = lo, hi
	bar.Y.Padding = 0

	return &Figure{
		Title:      title,
		Panels:     [][]*plot.Plot{{hp, bar}},
		ColWeights: []float64{1, 0.045},
		Width:      Pixels(800),
		Height:     Pixels(560),
	}, nil
}

// categoryTicks labels positions 0..n-1 with the values.
func categoryTicks(vals []float64) plot.ConstantTicks {
	ticks := make(plot.ConstantTicks, len(vals))
	for i, v := range vals {
		ticks[i] = plot.Tick{Value: float64(i), Label: formatValue(v)}
	}
	return ticks
}

// formatValue prints v with at most three significant digits, without an
// exponent for everyday magnitudes.
func formatValue(v float64) string {
	switch a := math.Abs(v); {
	case !finite(v):
		return "n/a"
	case a == 0:
		return "0"
	case a >= 1000 && a < 1e7:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 1e-3 && a < 1000:
		return strconv.FormatFloat(v, 'g', 3, 64)
	default:
		return strconv.FormatFloat(v, 'e', 2, 64)
	}
}

// decimals is the number of decimals that shows values in [lo, hi] to
// three significant digits at their largest magnitude (0 to 6).
func decimals(lo, hi float64) int {
	m := max(math.Abs(lo), math.Abs(hi))
	if m == 0 || !finite(m) {
		return 0
	}
	return min(6, max(0, 2-int(math.Floor(math.Log10(m)))))
}

// cells draws a grid of coloured cells, centred on integer coordinates,
// labelled with their values to Decimals decimals.
type cells struct {
	Z        [][]float64
	Lo, Hi   float64
	Decimals int
}

func (cl *cells) label(v float64) string {
	if !finite(v) {
		return "n/a"
	}
	return strconv.FormatFloat(v, 'f', cl.Decimals, 64)
}

func (cl *cells) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	labelSty := style(10, false, colText)
	labelSty.XAlign, labelSty.YAlign = draw.XCenter, draw.YCenter
	// Labels only if every one fits its cell.
	cw, ch := tx(1)-tx(0), ty(1)-ty(0)
	fits := ch >= labelSty.FontExtents().Height+2
	for _, row := range cl.Z {
		for _, v := range row {
			if labelSty.Width(cl.label(v))+4 > cw {
				fits = false
			}
		}
	}
	for i, row := range cl.Z {
		for j, v := range row {
			x0, x1 := tx(float64(j)-0.5), tx(float64(j)+0.5)
			y0, y1 := ty(float64(i)-0.5), ty(float64(i)+0.5)
			var fill color.Color = color.NRGBA{0xD0, 0xD0, 0xD0, 0xFF}
			if finite(v) {
				fill = viridis((v - cl.Lo) / (cl.Hi - cl.Lo))
			}
			c.FillPolygon(fill, rect(x0, y0, x1, y1))
			if !finite(v) {
				hatch(&c, x0, y0, x1, y1)
			}
			c.StrokeLines(draw.LineStyle{Color: colWhite, Width: 1}, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})
			if fits {
				s := labelSty
				s.Color = textOn(fill)
				c.FillText(s, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, cl.label(v))
			}
		}
	}
}

// hatch draws thin diagonal lines across a rectangle.
func hatch(c *draw.Canvas, x0, y0, x1, y1 vg.Length) {
	sty := draw.LineStyle{Color: color.NRGBA{0xA0, 0xA0, 0xA0, 0xFF}, Width: 0.6}
	clip := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}}
	h := y1 - y0
	for x := x0 - h; x < x1; x += 6 {
		clip.StrokeLines(sty, clip.ClipLinesXY([]vg.Point{{X: x, Y: y0}, {X: x + h, Y: y1}})...)
	}
}

// colorBar fills its data area with the viridis scale from the y axis
// minimum (bottom) to maximum (top).
type colorBar struct{}

func (colorBar) Plot(c draw.Canvas, p *plot.Plot) {
	const steps = 256
	img := image.NewNRGBA(image.Rect(0, 0, 1, steps))
	for k := range steps {
		img.SetNRGBA(0, steps-1-k, viridis((float64(k)+0.5)/steps))
	}
	c.DrawImage(c.Rectangle, img)
}
