package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MapPoint is one song of a playlist placed in a 2-D projection (the
// first two principal components of its scaled features).
type MapPoint struct {
	Label string // "Artist - Title"; the map shows the shortened title
	Seed  bool   // chosen by the user, not by the model
	X, Y  float64
}

// Map draws a playlist's path through a 2-D projection: numbered markers
// (squares for seeds, discs for picks) coloured from dark violet to green
// along the playlist, arrows from each song to the next, each song's
// title beside it (for paths of at most 25 songs), and the catalog (background, any number of points)
// as a faint cloud behind. The axes span the path and the central 99% of
// the catalog, so a few far outliers do not shrink the path to a dot. A
// numbered tracklist runs down the right side.
//
// It returns ErrNoData when path is empty. Non-finite points are skipped
// (the path has a gap there); background may be nil.
func Map(path []MapPoint, background [][2]float64, xLabel, yLabel, title string) (*Figure, error) {
	if len(path) == 0 {
		return nil, fmt.Errorf("%w: map of an empty playlist", ErrNoData)
	}
	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, pt := range path {
		if finite(pt.X) && finite(pt.Y) {
			xlo, xhi = min(xlo, pt.X), max(xhi, pt.X)
			ylo, yhi = min(ylo, pt.Y), max(yhi, pt.Y)
		}
	}
	bx, by := make([]float64, 0, len(background)), make([]float64, 0, len(background))
	for _, b := range background {
		if finite(b[0]) && finite(b[1]) {
			bx, by = append(bx, b[0]), append(by, b[1])
		}
	}
	if len(bx) > 0 {
		l, h := centralRange(bx, 0.005)
		xlo, xhi = min(xlo, l), max(xhi, h)
		l, h = centralRange(by, 0.005)
		ylo, yhi = min(ylo, l), max(yhi, h)
	}
	xlo, xhi = span(xlo, xhi, 0.04, 1)
	ylo, yhi = span(ylo, yhi, 0.04, 1)

	p := newPanel("", xLabel, yLabel)
	cloud := &cloud{X: bx, Y: by, Color: color.NRGBA{0x70, 0x70, 0x78, 0x38}, Size: 1.6}
	pp := newPathPlot(path)
	p.Add(cloud, pp)
	p.X.Min, p.X.Max = xlo, xhi
	p.Y.Min, p.Y.Max = ylo, yhi

	seeds := make([]bool, len(path))
	for i, pt := range path {
		seeds[i] = pt.Seed
	}
	mid := viridis(0.45)
	var legend []LegendEntry
	if slices.Contains(seeds, true) {
		legend = append(legend, LegendEntry{Label: "seed", Thumbs: []plot.Thumbnailer{markerThumb{Seed: true, Fill: mid, Text: "1"}}})
	}
	if slices.Contains(seeds, false) {
		legend = append(legend, LegendEntry{Label: "picked by the model", Thumbs: []plot.Thumbnailer{markerThumb{Fill: mid, Text: "4"}}})
	}
	if len(path) > 1 {
		legend = append(legend, LegendEntry{Label: "playlist order", Thumbs: []plot.Thumbnailer{arrowThumb{Color: mid}}})
	}
	if len(bx) > 0 {
		legend = append(legend, LegendEntry{Label: fmt.Sprintf("catalog (%s songs)", thousands(len(bx))), Thumbs: []plot.Thumbnailer{cloudThumb{}}})
	}
	return &Figure{
		Title:     title,
		Legend:    legend,
		Panels:    [][]*plot.Plot{{p}},
		ListTitle: "Tracklist",
		List:      tracklist(labels(path, func(m MapPoint) string { return m.Label }), seeds),
		Width:     Pixels(1100),
		Height:    listHeight(760, len(path)),
	}, nil
}

// centralRange returns the q and 1-q quantiles of xs (which it sorts).
func centralRange(xs []float64, q float64) (lo, hi float64) {
	if len(xs) < 50 {
		return slices.Min(xs), slices.Max(xs)
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(q * float64(len(s)-1))
	return s[i], s[len(s)-1-i]
}

// thousands formats n with thin commas: 30000 -> "30,000".
func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mapTitle is the short label beside a point: the title part of "Artist -
// Title", shortened.
func mapTitle(label string) string {
	if _, title, ok := strings.Cut(label, " - "); ok && strings.TrimSpace(title) != "" {
		label = title
	}
	return Shorten(label, 22)
}

// cloud draws many points as small squares, skipping the ones outside the
// data area; it does not widen the axes.
type cloud struct {
	X, Y  []float64
	Color color.Color
	Size  vg.Length
}

// cloudLayers is how many translucent layers the cloud is drawn in: each
// layer is one path (one fill call, fast for tens of thousands of
// points), and overlaps darken up to this many times, which shows
// density.
const cloudLayers = 12

func (cl *cloud) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	c.SetColor(cl.Color)
	h := cl.Size / 2
	for layer := range cloudLayers {
		var path vg.Path
		for i := layer; i < len(cl.X); i += cloudLayers {
			x, y := tx(cl.X[i]), ty(cl.Y[i])
			if !c.Contains(vg.Point{X: x, Y: y}) {
				continue
			}
			path.Move(vg.Point{X: x - h, Y: y - h})
			path.Line(vg.Point{X: x + h, Y: y - h})
			path.Line(vg.Point{X: x + h, Y: y + h})
			path.Line(vg.Point{X: x - h, Y: y + h})
			path.Close()
		}
		if len(path) > 0 {
			c.Fill(path)
		}
	}
}

type cloudThumb struct{}

func (cloudThumb) Thumbnail(c *draw.Canvas) {
	c.SetColor(color.NRGBA{0x70, 0x70, 0x78, 0x90})
	w, h := c.Size().X, c.Size().Y
	for _, f := range [][2]vg.Length{{0.15, 0.3}, {0.35, 0.7}, {0.5, 0.4}, {0.7, 0.65}, {0.85, 0.25}, {0.6, 0.15}, {0.25, 0.85}} {
		x, y := c.Min.X+f[0]*w, c.Min.Y+f[1]*h
		c.Fill(rectPath(x-0.9, y-0.9, x+0.9, y+0.9))
	}
}

func rectPath(x0, y0, x1, y1 vg.Length) vg.Path {
	var p vg.Path
	p.Move(vg.Point{X: x0, Y: y0})
	p.Line(vg.Point{X: x1, Y: y0})
	p.Line(vg.Point{X: x1, Y: y1})
	p.Line(vg.Point{X: x0, Y: y1})
	p.Close()
	return p
}

// maxMapTitles is the longest path whose songs get their titles beside
// them; longer paths rely on the numbers and the tracklist.
const maxMapTitles = 25

// Marker sizes of the map, in points.
const (
	pickRadius = vg.Length(8.5)
	seedRadius = vg.Length(9)
)

// pathPlot draws the playlist: arrows, numbered markers and titles placed
// to avoid each other.
type pathPlot struct {
	Points []MapPoint
	Colors []color.Color
	Titles []string
}

func newPathPlot(path []MapPoint) *pathPlot {
	pp := &pathPlot{Points: path}
	n := len(path)
	for i, pt := range path {
		t := 0.0
		if n > 1 {
			t = float64(i) / float64(n-1)
		}
		pp.Colors = append(pp.Colors, viridis(0.03+0.8*t))
		if n <= maxMapTitles {
			pp.Titles = append(pp.Titles, mapTitle(pt.Label))
		} else {
			pp.Titles = append(pp.Titles, "")
		}
	}
	return pp
}

func (pp *pathPlot) ok(i int) bool { return finite(pp.Points[i].X) && finite(pp.Points[i].Y) }

func (pp *pathPlot) radius(i int) vg.Length {
	if pp.Points[i].Seed {
		return seedRadius
	}
	return pickRadius
}

func (pp *pathPlot) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for i, pt := range pp.Points {
		if pp.ok(i) {
			xmin, xmax = min(xmin, pt.X), max(xmax, pt.X)
			ymin, ymax = min(ymin, pt.Y), max(ymax, pt.Y)
		}
	}
	return
}

func (pp *pathPlot) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	var boxes []plot.GlyphBox
	for i, pt := range pp.Points {
		if pp.ok(i) {
			r := pp.radius(i) + 1
			boxes = append(boxes, plot.GlyphBox{X: p.X.Norm(pt.X), Y: p.Y.Norm(pt.Y),
				Rectangle: vg.Rectangle{Min: vg.Point{X: -r, Y: -r}, Max: vg.Point{X: r, Y: r}}})
		}
	}
	return boxes
}

func (pp *pathPlot) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	n := len(pp.Points)
	at := make([]vg.Point, n)
	for i, pt := range pp.Points {
		if pp.ok(i) {
			at[i] = vg.Point{X: tx(pt.X), Y: ty(pt.Y)}
		}
	}
	// Arrows first, so markers sit on top of their ends.
	var segs [][2]vg.Point
	for i := 0; i+1 < n; i++ {
		if !pp.ok(i) || !pp.ok(i+1) {
			continue
		}
		drawArrow(&c, at[i], at[i+1], pp.radius(i)+1.5, pp.radius(i+1)+2, pp.Colors[i])
		segs = append(segs, [2]vg.Point{at[i], at[i+1]})
	}
	// Titles, placed greedily in playlist order.
	sty := style(8.5, false, colText)
	var placed []vg.Rectangle
	markers := make([]vg.Rectangle, 0, n)
	for i := range n {
		if pp.ok(i) {
			r := pp.radius(i) + 1
			markers = append(markers, vg.Rectangle{Min: at[i].Sub(vg.Point{X: r, Y: r}), Max: at[i].Add(vg.Point{X: r, Y: r})})
		}
	}
	for i := range n {
		if !pp.ok(i) || pp.Titles[i] == "" {
			continue
		}
		w, h := sty.Width(pp.Titles[i]), sty.FontExtents().Height
		box := placeLabel(c.Rectangle, at[i], pp.radius(i), w, h, placed, markers, segs)
		placed = append(placed, box)
		c.FillPolygon(color.NRGBA{0xFF, 0xFF, 0xFF, 0xB8}, rect(box.Min.X-1.5, box.Min.Y, box.Max.X+1.5, box.Max.Y))
		s := sty
		s.YAlign = draw.YCenter
		c.FillText(s, vg.Point{X: box.Min.X, Y: (box.Min.Y + box.Max.Y) / 2}, pp.Titles[i])
	}
	// Markers with their numbers.
	for i := range n {
		if pp.ok(i) {
			drawMarker(&c, at[i], pp.Points[i].Seed, pp.Colors[i], strconv.Itoa(i+1))
		}
	}
}

// placeLabel picks, among eight places around a marker at pt of radius r,
// the one for a w x h label that leaves the data area least, overlaps
// other labels and markers least, and crosses the fewest path segments;
// ties go to the right, then left, above and below.
func placeLabel(area vg.Rectangle, pt vg.Point, r, w, h vg.Length, labels, markers []vg.Rectangle, segs [][2]vg.Point) vg.Rectangle {
	const g = 2
	d := r * 0.75
	cands := []vg.Point{ // lower-left corners
		{X: pt.X + r + g, Y: pt.Y - h/2},
		{X: pt.X - r - g - w, Y: pt.Y - h/2},
		{X: pt.X - w/2, Y: pt.Y + r + g},
		{X: pt.X - w/2, Y: pt.Y - r - g - h},
		{X: pt.X + d, Y: pt.Y + d},
		{X: pt.X - d - w, Y: pt.Y + d},
		{X: pt.X + d, Y: pt.Y - d - h},
		{X: pt.X - d - w, Y: pt.Y - d - h},
	}
	best, bestCost := vg.Rectangle{}, math.Inf(1)
	for k, ll := range cands {
		box := vg.Rectangle{Min: ll, Max: vg.Point{X: ll.X + w, Y: ll.Y + h}}
		cost := float64(k) * 0.5
		cost += 50 * float64(w*h-overlap(box, area))
		for _, o := range labels {
			cost += 4 * float64(overlap(box, o))
		}
		for _, o := range markers {
			cost += 3 * float64(overlap(box, o))
		}
		for _, s := range segs {
			if crosses(box, s[0], s[1]) {
				cost += 60
			}
		}
		if cost < bestCost {
			best, bestCost = box, cost
		}
	}
	return best
}

// overlap returns the area shared by a and b.
func overlap(a, b vg.Rectangle) vg.Length {
	w := min(a.Max.X, b.Max.X) - max(a.Min.X, b.Min.X)
	h := min(a.Max.Y, b.Max.Y) - max(a.Min.Y, b.Min.Y)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

// crosses reports whether the segment p0-p1 passes through box (sampled
// at 24 points, plenty for labels a few dozen points wide).
func crosses(box vg.Rectangle, p0, p1 vg.Point) bool {
	for k := 1; k < 24; k++ {
		t := vg.Length(k) / 24
		q := vg.Point{X: p0.X + t*(p1.X-p0.X), Y: p0.Y + t*(p1.Y-p0.Y)}
		if q.X >= box.Min.X && q.X <= box.Max.X && q.Y >= box.Min.Y && q.Y <= box.Max.Y {
			return true
		}
	}
	return false
}

// drawArrow draws an arrow from a to b, starting gapA after a and ending
// gapB before b, with a filled head. Nothing is drawn if the points are
// too close for a visible shaft.
func drawArrow(c *draw.Canvas, a, b vg.Point, gapA, gapB vg.Length, col color.Color) {
	dx, dy := b.X-a.X, b.Y-a.Y
	l := vg.Length(math.Hypot(float64(dx), float64(dy)))
	const head, halfW = vg.Length(7), vg.Length(3.4)
	if l < gapA+gapB+head+1 {
		return
	}
	ux, uy := dx/l, dy/l
	start := vg.Point{X: a.X + ux*gapA, Y: a.Y + uy*gapA}
	tip := vg.Point{X: b.X - ux*gapB, Y: b.Y - uy*gapB}
	base := vg.Point{X: tip.X - ux*head, Y: tip.Y - uy*head}
	c.StrokeLines(draw.LineStyle{Color: col, Width: 1.6}, c.ClipLinesXY([]vg.Point{start, base})...)
	c.FillPolygon(col, c.ClipPolygonXY([]vg.Point{
		tip,
		{X: base.X - uy*halfW, Y: base.Y + ux*halfW},
		{X: base.X + uy*halfW, Y: base.Y - ux*halfW},
	}))
}

// drawMarker draws a seed square or a pick disc filled with fill, with a
// white rim and the number inside.
func drawMarker(c *draw.Canvas, at vg.Point, seed bool, fill color.Color, num string) {
	g := draw.GlyphStyle{Color: fill, Radius: pickRadius, Shape: discGlyph{Outline: colWhite, Width: 1.3}}
	if seed {
		g = draw.GlyphStyle{Color: fill, Radius: seedRadius, Shape: squareGlyph{Outline: colBlack, Width: 1.6}}
	}
	c.DrawGlyphNoClip(g, at)
	size := vg.Length(8.5)
	if len(num) > 2 {
		size = 6.5
	}
	s := style(size, true, textOn(fill))
	s.XAlign, s.YAlign = draw.XCenter, draw.YCenter
	c.FillText(s, at, num)
}

type markerThumb struct {
	Seed bool
	Fill color.Color
	Text string
}

func (m markerThumb) Thumbnail(c *draw.Canvas) { drawMarker(c, c.Center(), m.Seed, m.Fill, m.Text) }

type arrowThumb struct{ Color color.Color }

func (a arrowThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	drawArrow(c, vg.Point{X: c.Min.X - 2, Y: y}, vg.Point{X: c.Max.X + 2, Y: y}, 2, 2, a.Color)
}
