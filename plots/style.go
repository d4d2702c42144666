package plots

import (
	"image/color"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

type textStyle = text.Style

// MaxLabel is the length in runes beyond which a song label is shortened
// with an ellipsis.
const MaxLabel = 40

// The Okabe-Ito palette, safe for the common colour-vision deficiencies.
var (
	colBlue      = color.NRGBA{0x00, 0x72, 0xB2, 0xFF}
	colVermilion = color.NRGBA{0xD5, 0x5E, 0x00, 0xFF}
	colGreen     = color.NRGBA{0x00, 0x9E, 0x73, 0xFF}
	colOrange    = color.NRGBA{0xE6, 0x9F, 0x00, 0xFF}
	colSky       = color.NRGBA{0x56, 0xB4, 0xE9, 0xFF}
	colPurple    = color.NRGBA{0xCC, 0x79, 0xA7, 0xFF}
	colBlack     = color.NRGBA{0x20, 0x20, 0x20, 0xFF}
	colWhite     = color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
	colGrey      = color.NRGBA{0x80, 0x80, 0x80, 0xFF}
	colGridLine  = color.NRGBA{0xE4, 0xE4, 0xE4, 0xFF}
	colText      = color.NRGBA{0x22, 0x22, 0x22, 0xFF}
	colSubtle    = color.NRGBA{0x55, 0x55, 0x55, 0xFF}
	seedBand     = color.NRGBA{0xE9, 0xE4, 0xD8, 0xFF} // a warm light grey
)

// seriesStyle is the look of the k-th series of a multi-series plot:
// colour, glyph shape and dash pattern all change, so series stay apart
// in greyscale too.
func seriesStyle(k int) (color.Color, draw.GlyphDrawer, []vg.Length) {
	cols := []color.Color{colBlue, colVermilion, colGreen, colOrange, colPurple, colSky, colBlack}
	shapes := []draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, diamondGlyph{}, ringGlyph{Width: 1.5}, invTriangleGlyph{}, draw.BoxGlyph{}}
	dashes := [][]vg.Length{nil, {6, 3}, {2, 2}, {8, 3, 2, 3}}
	return cols[k%len(cols)], shapes[k%len(shapes)], dashes[k%len(dashes)]
}

var sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

func style(size vg.Length, bold bool, c color.Color) textStyle {
	f := sansFont
	if bold {
		f.Weight = xfont.WeightBold
	}
	return textStyle{
		Color:   c,
		Font:    font.From(f, size),
		XAlign:  draw.XLeft,
		YAlign:  draw.YBottom,
		Handler: plot.DefaultTextHandler,
	}
}

func titleStyle() textStyle {
	s := style(15, true, colText)
	s.XAlign = draw.XCenter
	return s
}
func legendStyle() textStyle    { return style(10, false, colText) }
func listTitleStyle() textStyle { return style(10.5, true, colText) }
func listStyle() textStyle      { return style(9.5, false, colText) }
func noteStyle() textStyle      { return style(8, false, colSubtle) }

// newPanel returns a plot styled for this package: sans fonts, light
// grid, no box clutter.
func newPanel(title, xLabel, yLabel string) *plot.Plot {
	p := newBarePanel(title, xLabel, yLabel)
	g := plotter.NewGrid()
	g.Vertical.Color = colGridLine
	g.Horizontal.Color = colGridLine
	g.Vertical.Width = 0.6
	g.Horizontal.Width = 0.6
	p.Add(g)
	return p
}

// newBarePanel is newPanel without the grid.
func newBarePanel(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle = style(11, true, colText)
	p.Title.TextStyle.XAlign = draw.XCenter
	p.Title.TextStyle.YAlign = draw.YTop
	p.Title.Padding = 4
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle = style(10, false, colText)
		ax.Label.TextStyle.XAlign = draw.XCenter
		ax.Label.Padding = 3
		ax.Tick.Label = style(9, false, colSubtle)
		ax.Tick.Length = 4
		ax.Tick.Color = colGrey
		ax.Color = colGrey
		ax.Padding = 2
		ax.Tick.Marker = niceTicks{}
	}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.Legend.TextStyle = legendStyle()
	return p
}

// niceTicks labels about Target (default 6) round values (1, 2, 2.5 or 5 times a power
// of ten) and puts unlabelled minor ticks between them.
type niceTicks struct{ Target int }

func (t niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil
	}
	target := t.Target
	if target <= 0 {
		target = 6
	}
	raw := (hi - lo) / float64(target)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	prec := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	if s := step / math.Pow(10, -float64(prec)); math.Abs(s-math.Round(s)) > 1e-6 {
		prec++ // 2.5, 0.25 ...
	}
	// Multiples k*step/2 of half a step: even k labelled, odd k minor.
	// Values a rounding error outside [lo, hi] are pulled in, so that
	// the axis keeps its end labels.
	var ticks []plot.Tick
	half := step / 2
	for k := math.Ceil(lo/half - 1e-9); k <= math.Floor(hi/half+1e-9); k++ {
		v := min(max(k*half, lo), hi)
		if k == 0 {
			v = 0
		}
		t := plot.Tick{Value: v}
		if math.Mod(k, 2) == 0 {
			t.Label = strconv.FormatFloat(v, 'f', prec, 64)
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// posTicks marks the integer positions 1..N of a playlist (or epochs)
// and labels all of them when there are at most Max (default 25), else
// the multiples of a round step (2, 5, 10, 20, 50 ...) that leaves at
// most Max labels, plus 1 when the step is 5 or more. Minor ticks mark
// every position, or every fifth of a step above 5.
type posTicks struct{ N, Max int }

func (t posTicks) Ticks(lo, hi float64) []plot.Tick {
	limit := t.Max
	if limit <= 0 {
		limit = 25
	}
	step := 1
	for k := 1; t.N/step > limit; k++ { // 1, 2, 5, 10, 20, 50 ...
		step = []int{1, 2, 5}[k%3] * int(math.Pow10(k/3))
	}
	minor := 1
	if step > 5 {
		minor = step / 5
	}
	var ticks []plot.Tick
	for i := 1; i <= t.N; i++ {
		v := float64(i)
		if v < lo || v > hi {
			continue
		}
		switch {
		case i%step == 0 || (i == 1 && step >= 5):
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.Itoa(i)})
		case i%minor == 0:
			ticks = append(ticks, plot.Tick{Value: v})
		}
	}
	return ticks
}

// Shorten returns label cut to at most n runes, ending in an ellipsis when
// cut. It cuts at a word boundary when one is near the end, trims
// separators left dangling ("Artist -"), and collapses runs of white space.
func Shorten(label string, n int) string {
	label = strings.Join(strings.Fields(label), " ")
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(label) <= n {
		return label
	}
	if n == 1 {
		return "…"
	}
	r := []rune(label)[:n-1]
	cut := len(r)
	for i := len(r) - 1; i >= len(r)*2/3; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	s := strings.TrimRight(string(r[:cut]), " -–,;:(/&")
	if s == "" {
		s = string(r)
	}
	return s + "…"
}

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// span widens [lo, hi] by frac on both sides, and to at least minWidth;
// an empty range (lo > hi) becomes [-1, 1].
func span(lo, hi, frac, minWidth float64) (float64, float64) {
	if lo > hi {
		return -1, 1
	}
	if w := hi - lo; w < minWidth {
		mid := (lo + hi) / 2
		lo, hi = mid-minWidth/2, mid+minWidth/2
	}
	pad := (hi - lo) * frac
	return lo - pad, hi + pad
}

// diamondGlyph is a filled square standing on a corner.
type diamondGlyph struct{}

func (diamondGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * 1.3
	var p vg.Path
	p.Move(vg.Point{X: pt.X, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y})
	p.Line(vg.Point{X: pt.X, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X - r, Y: pt.Y})
	p.Close()
	c.Fill(p)
}

// invTriangleGlyph is a filled triangle pointing down.
type invTriangleGlyph struct{}

func (invTriangleGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * 1.25
	var p vg.Path
	p.Move(vg.Point{X: pt.X, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X - r*0.866, Y: pt.Y + r*0.5})
	p.Line(vg.Point{X: pt.X + r*0.866, Y: pt.Y + r*0.5})
	p.Close()
	c.Fill(p)
}

// ringGlyph is a hollow circle with a white centre and a stroke of the
// given width, so it reads as "hollow" even over a line.
type ringGlyph struct{ Width vg.Length }

func (g ringGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	var p vg.Path
	p.Move(vg.Point{X: pt.X + sty.Radius, Y: pt.Y})
	p.Arc(pt, sty.Radius, 0, 2*math.Pi)
	p.Close()
	c.SetColor(color.White)
	c.Fill(p)
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: max(g.Width, 0.5)})
	c.Stroke(p)
}

// squareGlyph is a filled square with an outline of another colour.
type squareGlyph struct {
	Outline color.Color
	Width   vg.Length
}

func (g squareGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * 0.9
	var p vg.Path
	p.Move(vg.Point{X: pt.X - r, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X - r, Y: pt.Y + r})
	p.Close()
	c.Fill(p)
	if g.Outline != nil && g.Width > 0 {
		c.SetLineStyle(draw.LineStyle{Color: g.Outline, Width: g.Width})
		c.Stroke(p)
	}
}

// discGlyph is a filled circle with an outline of another colour.
type discGlyph struct {
	Outline color.Color
	Width   vg.Length
}

func (g discGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	var p vg.Path
	p.Move(vg.Point{X: pt.X + sty.Radius, Y: pt.Y})
	p.Arc(pt, sty.Radius, 0, 2*math.Pi)
	p.Close()
	c.Fill(p)
	if g.Outline != nil && g.Width > 0 {
		c.SetLineStyle(draw.LineStyle{Color: g.Outline, Width: g.Width})
		c.Stroke(p)
	}
}
