package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// This file holds small plot.Plotter implementations that, unlike
// gonum's, accept non-finite values (drawn as gaps) instead of returning
// plotter.ErrNaN.

// xyLine draws Y against X as a line broken at non-finite points, with
// optional glyphs at the finite points.
type xyLine struct {
	X, Y  []float64
	Line  draw.LineStyle  // zero Width: no line
	Glyph draw.GlyphStyle // nil Shape: no glyphs
}

func (l *xyLine) point(c draw.Canvas, p *plot.Plot, i int) (vg.Point, bool) {
	x, y := l.X[i], l.Y[i]
	if !finite(x) || !finite(y) {
		return vg.Point{}, false
	}
	tx, ty := p.Transforms(&c)
	return vg.Point{X: tx(x), Y: ty(y)}, true
}

func (l *xyLine) Plot(c draw.Canvas, p *plot.Plot) {
	if l.Line.Width > 0 && l.Line.Color != nil {
		var lines [][]vg.Point
		var cur []vg.Point
		for i := range l.X {
			pt, ok := l.point(c, p, i)
			if !ok {
				if len(cur) > 1 {
					lines = append(lines, cur)
				}
				cur = nil
				continue
			}
			cur = append(cur, pt)
		}
		if len(cur) > 1 {
			lines = append(lines, cur)
		}
		if len(lines) > 0 {
			c.StrokeLines(l.Line, c.ClipLinesXY(lines...)...)
		}
	}
	if l.Glyph.Shape != nil {
		for i := range l.X {
			if pt, ok := l.point(c, p, i); ok {
				c.DrawGlyph(l.Glyph, pt)
			}
		}
	}
}

func (l *xyLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for i := range l.X {
		if x, y := l.X[i], l.Y[i]; finite(x) && finite(y) {
			xmin, xmax = min(xmin, x), max(xmax, x)
			ymin, ymax = min(ymin, y), max(ymax, y)
		}
	}
	return
}

func (l *xyLine) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	if l.Glyph.Shape == nil {
		return nil
	}
	var boxes []plot.GlyphBox
	for i := range l.X {
		if x, y := l.X[i], l.Y[i]; finite(x) && finite(y) {
			boxes = append(boxes, plot.GlyphBox{X: p.X.Norm(x), Y: p.Y.Norm(y), Rectangle: l.Glyph.Rectangle()})
		}
	}
	return boxes
}

func (l *xyLine) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	if l.Line.Width > 0 && l.Line.Color != nil {
		c.StrokeLine2(l.Line, c.Min.X, y, c.Max.X, y)
	}
	if l.Glyph.Shape != nil {
		c.DrawGlyphNoClip(l.Glyph, c.Center())
	}
}

// xBands shades vertical bands [Lo, Hi] of the x axis over the full
// height of the data area.
type xBands struct {
	Ranges [][2]float64
	Color  color.Color
}

func (b *xBands) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	for _, r := range b.Ranges {
		x0, x1 := max(tx(r[0]), c.Min.X), min(tx(r[1]), c.Max.X)
		if x1 > x0 {
			c.FillPolygon(b.Color, rect(x0, c.Min.Y, x1, c.Max.Y))
		}
	}
}

func (b *xBands) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(b.Color, rect(c.Min.X, c.Min.Y, c.Max.X, c.Max.Y))
}

// bandsOf returns the runs of true in marks as ranges of 1-based
// positions widened by half a step: marks {T,T,F,T} give [0.5,2.5] and
// [3.5,4.5].
func bandsOf(marks []bool) [][2]float64 {
	var out [][2]float64
	for i := 0; i < len(marks); i++ {
		if !marks[i] {
			continue
		}
		j := i
		for j+1 < len(marks) && marks[j+1] {
			j++
		}
		out = append(out, [2]float64{float64(i+1) - 0.5, float64(j+1) + 0.5})
		i = j
	}
	return out
}

// segment is a straight line in data coordinates.
type segment struct {
	X0, Y0, X1, Y1 float64
	Style          draw.LineStyle
}

// segments draws line segments, skipping those with a non-finite end,
// clipped to the data area. It does not widen the axes.
type segments struct {
	Segs []segment
}

func (s *segments) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	for _, g := range s.Segs {
		if !finite(g.X0) || !finite(g.Y0) || !finite(g.X1) || !finite(g.Y1) {
			continue
		}
		line := []vg.Point{{X: tx(g.X0), Y: ty(g.Y0)}, {X: tx(g.X1), Y: ty(g.Y1)}}
		c.StrokeLines(g.Style, c.ClipLinesXY(line)...)
	}
}

// lineThumb is a legend thumbnail of a plain line.
type lineThumb draw.LineStyle

func (l lineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(draw.LineStyle(l), c.Min.X, y, c.Max.X, y)
}

// glyphThumb is a legend thumbnail of a single glyph.
type glyphThumb draw.GlyphStyle

func (g glyphThumb) Thumbnail(c *draw.Canvas) {
	c.DrawGlyphNoClip(draw.GlyphStyle(g), c.Center())
}

// textThumb is a legend thumbnail of a short text.
type textThumb struct {
	Text  string
	Style textStyle
}

func (t textThumb) Thumbnail(c *draw.Canvas) {
	s := t.Style
	s.XAlign, s.YAlign = draw.XCenter, draw.YCenter
	c.FillText(s, c.Center(), t.Text)
}

// annotation is a text placed at a data point, shifted by an offset in
// points.
type annotation struct {
	X, Y   float64
	Text   string
	Offset vg.Point
	Style  textStyle
}

// annotations draws texts at data points; non-finite points are skipped.
// Their glyph boxes make the plot leave room for them, so nothing clips.
// With IfRoom, items are in x order and none is drawn unless each is
// narrower than the gap to its neighbours.
type annotations struct {
	Items  []annotation
	IfRoom bool
}

func (a *annotations) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	if a.IfRoom {
		for k := 1; k < len(a.Items); k++ {
			prev, cur := a.Items[k-1], a.Items[k]
			need := (prev.Style.Width(prev.Text)+cur.Style.Width(cur.Text))/2 + 3
			if gap := tx(cur.X) - tx(prev.X); gap < need {
				return
			}
		}
	}
	for _, it := range a.Items {
		if !finite(it.X) || !finite(it.Y) {
			continue
		}
		c.FillText(it.Style, vg.Point{X: tx(it.X) + it.Offset.X, Y: ty(it.Y) + it.Offset.Y}, it.Text)
	}
}

func (a *annotations) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	var boxes []plot.GlyphBox
	for _, it := range a.Items {
		if !finite(it.X) || !finite(it.Y) {
			continue
		}
		r := it.Style.Rectangle(it.Text)
		boxes = append(boxes, plot.GlyphBox{
			X: p.X.Norm(it.X), Y: p.Y.Norm(it.Y),
			Rectangle: vg.Rectangle{Min: r.Min.Add(it.Offset), Max: r.Max.Add(it.Offset)},
		})
	}
	return boxes
}

// hLine is a horizontal reference line across the data area.
type hLine struct {
	Y     float64
	Style draw.LineStyle
}

func (h *hLine) Plot(c draw.Canvas, p *plot.Plot) {
	_, ty := p.Transforms(&c)
	y := ty(h.Y)
	if c.ContainsY(y) {
		c.StrokeLine2(h.Style, c.Min.X, y, c.Max.X, y)
	}
}

// vLine is a vertical reference line across the data area.
type vLine struct {
	X     float64
	Style draw.LineStyle
}

func (v *vLine) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	x := tx(v.X)
	if c.ContainsX(x) {
		c.StrokeLine2(v.Style, x, c.Min.Y, x, c.Max.Y)
	}
}

func (v *vLine) Thumbnail(c *draw.Canvas) {
	x := c.Center().X
	c.StrokeLine2(v.Style, x, c.Min.Y, x, c.Max.Y)
}
