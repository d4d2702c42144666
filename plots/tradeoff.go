package plots

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TradeoffPoint is one setting of a trade-off plot: its mean on two
// figures, their spreads (standard deviations; 0 draws no bar), whether
// it is on the Pareto front, and whether it is the chosen one.
type TradeoffPoint struct {
	Label         string
	X, Y          float64
	XErr, YErr    float64
	Front, Chosen bool
}

// Tradeoff draws settings as points with error bars, x against y (both
// better high), the Pareto front joined by a line, the chosen point
// ringed and labelled, and, when xGoal is finite, a dashed line at the
// least x a setting must reach to be chosen. Points with a non-finite
// mean are left out; none left is ErrNoData.
func Tradeoff(points []TradeoffPoint, xLabel, yLabel string, xGoal float64, title string) (*Figure, error) {
	var pts []TradeoffPoint
	for _, p := range points {
		if finite(p.X) && finite(p.Y) {
			pts = append(pts, p)
		}
	}
	if len(pts) == 0 {
		return nil, fmt.Errorf("%w: no setting with both figures", ErrNoData)
	}
	p := newPanel("", xLabel, yLabel)
	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, q := range pts {
		xlo, xhi = min(xlo, q.X-q.XErr), max(xhi, q.X+q.XErr)
		ylo, yhi = min(ylo, q.Y-q.YErr), max(yhi, q.Y+q.YErr)
	}
	if finite(xGoal) {
		xlo, xhi = min(xlo, xGoal), max(xhi, xGoal)
	}
	bar := draw.LineStyle{Color: colGrey, Width: 1}
	for _, q := range pts {
		if q.XErr > 0 {
			p.Add(&xyLine{X: []float64{q.X - q.XErr, q.X + q.XErr}, Y: []float64{q.Y, q.Y}, Line: bar})
		}
		if q.YErr > 0 {
			p.Add(&xyLine{X: []float64{q.X, q.X}, Y: []float64{q.Y - q.YErr, q.Y + q.YErr}, Line: bar})
		}
	}
	front := slices.DeleteFunc(slices.Clone(pts), func(q TradeoffPoint) bool { return !q.Front })
	slices.SortFunc(front, func(a, b TradeoffPoint) int { return cmp.Compare(a.X, b.X) })
	var fx, fy, ox, oy []float64
	for _, q := range front {
		fx, fy = append(fx, q.X), append(fy, q.Y)
	}
	for _, q := range pts {
		if !q.Front {
			ox, oy = append(ox, q.X), append(oy, q.Y)
		}
	}
	others := &xyLine{X: ox, Y: oy, Glyph: draw.GlyphStyle{Color: colSky, Radius: 3, Shape: draw.CircleGlyph{}}}
	frontLine := &xyLine{X: fx, Y: fy, Line: draw.LineStyle{Color: colBlue, Width: 1.6},
		Glyph: draw.GlyphStyle{Color: colBlue, Radius: 3.6, Shape: draw.CircleGlyph{}}}
	p.Add(others, frontLine)
	legend := []LegendEntry{{Label: "Pareto front", Thumbs: []plot.Thumbnailer{frontLine}}, {Label: "other settings", Thumbs: []plot.Thumbnailer{others}}}
	if finite(xGoal) {
		goal := &xyLine{X: []float64{xGoal, xGoal}, Y: []float64{math.Inf(-1), math.Inf(1)}, Line: draw.LineStyle{Color: colVermilion, Width: 1.2, Dashes: []vg.Length{5, 3}}}
		lo, hi := span(ylo, yhi, 0.12, 1e-9)
		goal.Y = []float64{lo, hi}
		p.Add(goal)
		legend = append(legend, LegendEntry{Label: fmt.Sprintf("goal: %s ≥ %g", xLabel, xGoal), Thumbs: []plot.Thumbnailer{goal}})
	}
	for _, q := range pts {
		if q.Chosen {
			ring := &xyLine{X: []float64{q.X}, Y: []float64{q.Y}, Glyph: draw.GlyphStyle{Color: colVermilion, Radius: 7, Shape: ringGlyph{Width: 2}}}
			p.Add(ring, &label{x: q.X, y: q.Y, text: q.Label, sty: style(9, true, colText)})
			legend = append(legend, LegendEntry{Label: "chosen", Thumbs: []plot.Thumbnailer{ring}})
		}
	}
	p.X.Min, p.X.Max = span(xlo, xhi, 0.08, 1e-9)
	p.Y.Min, p.Y.Max = span(ylo, yhi, 0.12, 1e-9)
	return &Figure{Title: title, Legend: legend, Panels: [][]*plot.Plot{{p}}, Width: Pixels(800), Height: Pixels(560)}, nil
}

// label writes text just above and right of a data point, or left of it
// when it would leave the data area.
type label struct {
	x, y float64
	text string
	sty  textStyle
}

func (l *label) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	pt := vg.Point{X: tx(l.x) + 9, Y: ty(l.y) + 6}
	sty := l.sty
	if w := sty.Width(l.text); pt.X+w > c.Max.X {
		pt.X = tx(l.x) - 9
		sty.XAlign = draw.XRight
	}
	c.FillText(sty, pt, l.text)
}
