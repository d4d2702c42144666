package plots

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strings"

	xfont "golang.org/x/image/font"
	"golang.org/x/text/encoding/charmap"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/discoflow/disco/internal/atomic"
)

// DPI is the resolution of raster output (PNG, JPEG, TIFF) in dots per inch.
const DPI = 96

// Pixels returns the length that spans n pixels of raster output at [DPI].
func Pixels(n int) vg.Length { return vg.Length(n) * vg.Inch / DPI }

// MaxPixels bounds each side of raster output, so that a wrong unit (say
// millimetres given as points) fails instead of allocating gigabytes.
const MaxPixels = 16000

var (
	// ErrNoData is returned when there is nothing to draw.
	ErrNoData = errors.New("plots: no data")
	// ErrSize is returned for a width or height that is not positive and
	// finite, or larger than MaxPixels.
	ErrSize = errors.New("plots: bad size")
)

// Drawer is anything that draws itself on a canvas: a [*Figure] or a
// [*plot.Plot].
type Drawer interface {
	Draw(c draw.Canvas)
}

// Sizer is a Drawer's own preferred size; [Save], [Encode], [PNG] and
// [Image] use it when given a zero width and height.
type Sizer interface {
	Size() (w, h vg.Length)
}

// LegendEntry is one item of a figure's legend: a label and the
// thumbnails (line, glyph, band ...) drawn on top of each other before it.
type LegendEntry struct {
	Label  string
	Thumbs []plot.Thumbnailer
}

// ListItem is one line of a figure's side list, such as "3  Daft Punk -
// One More Time". Shaded lines get the same grey band as seeds in the
// panels.
type ListItem struct {
	Text   string
	Shaded bool
}

// Figure is a picture of aligned panels: a title on top (shortened with
// an ellipsis if wider than the figure), a legend strip under it, a grid of plots whose data areas line up, and an optional
// list at the right (a tracklist). The zero value draws a blank white
// canvas; constructors in this package fill it in, and callers may change
// any field (a panel's axis range, a title) before saving.
type Figure struct {
	Title  string
	Legend []LegendEntry
	// Panels is row-major; every row must have the same length. A nil
	// panel leaves its cell empty.
	Panels [][]*plot.Plot
	// ColWeights and RowWeights, when not nil, give the relative widths of
	// the columns' and heights of the rows' data areas; nil means equal.
	ColWeights, RowWeights []float64
	// ListTitle heads List, which is drawn at the right of the panels.
	ListTitle string
	List      []ListItem
	// Width and Height are the preferred size, used when Save is given
	// zero sizes.
	Width, Height vg.Length
}

// Size returns the figure's preferred size.
func (f *Figure) Size() (w, h vg.Length) { return f.Width, f.Height }

// Layout constants, in points.
const (
	outerPad  = vg.Length(8)
	panelPadX = vg.Length(14)
	panelPadY = vg.Length(10)
	listGap   = vg.Length(12)
)

// Draw draws the figure on c. It panics if the rows of Panels differ in
// length or a weight slice has the wrong length (programmer error).
func (f *Figure) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	c = draw.Crop(c, outerPad, -outerPad, outerPad, -outerPad)

	if f.Title != "" {
		sty := titleStyle()
		h := sty.Rectangle(f.Title).Size().Y
		sty.YAlign = draw.YTop
		c.FillText(sty, vg.Point{X: c.Center().X, Y: c.Max.Y}, fitWidth(sty, f.Title, c.Size().X))
		c.Max.Y -= h + 4
	}
	if len(f.Legend) > 0 {
		h := drawLegendStrip(c, f.Legend)
		c.Max.Y -= h + 6
	}
	if len(f.List) > 0 {
		w := listWidth(f.ListTitle, f.List, c.Size().X*0.34)
		drawList(draw.Crop(c, c.Size().X-w, 0, 0, 0), f.ListTitle, f.List)
		c.Max.X -= w + listGap
	}
	if len(f.Panels) == 0 {
		return
	}
	canvases := alignWeighted(f.Panels, f.ColWeights, f.RowWeights, c)
	for j, row := range f.Panels {
		for i, p := range row {
			if p != nil {
				p.Draw(canvases[j][i])
			}
		}
	}
}

// alignWeighted is plot.Align with columns and rows of weighted size: it
// returns one canvas per panel such that the data areas of the panels in
// a column share their x extent and those in a row their y extent.
func alignWeighted(panels [][]*plot.Plot, colW, rowW []float64, dc draw.Canvas) [][]draw.Canvas {
	rows, cols := len(panels), len(panels[0])
	for j, row := range panels {
		if len(row) != cols {
			panic(fmt.Sprintf("plots: panel row %d has %d columns, want %d", j, len(row), cols))
		}
	}
	colW = weights(colW, cols, "column")
	rowW = weights(rowW, rows, "row")

	// Margins between each cell and its data area, measured on an even
	// tiling; they depend on axes and labels, hardly on the cell size.
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: panelPadX, PadY: panelPadY}
	type margins struct{ l, r, b, t vg.Length }
	own := make([][]margins, rows)
	left, right := make([]vg.Length, cols), make([]vg.Length, cols)
	bottom, top := make([]vg.Length, rows), make([]vg.Length, rows)
	for j, row := range panels {
		own[j] = make([]margins, cols)
		for i, p := range row {
			if p == nil {
				continue
			}
			cell := tiles.At(dc, i, j)
			data := p.DataCanvas(cell)
			m := margins{
				l: data.Min.X - cell.Min.X, r: cell.Max.X - data.Max.X,
				b: data.Min.Y - cell.Min.Y, t: cell.Max.Y - data.Max.Y,
			}
			own[j][i] = m
			left[i], right[i] = max(left[i], m.l), max(right[i], m.r)
			bottom[j], top[j] = max(bottom[j], m.b), max(top[j], m.t)
		}
	}
	freeX := dc.Size().X - panelPadX*vg.Length(cols-1)
	for i := range cols {
		freeX -= left[i] + right[i]
	}
	freeY := dc.Size().Y - panelPadY*vg.Length(rows-1)
	for j := range rows {
		freeY -= bottom[j] + top[j]
	}
	freeX, freeY = max(freeX, 1), max(freeY, 1)

	// Data areas line up: each panel's canvas is its column's and row's
	// data extent grown by that panel's own margins.
	out := make([][]draw.Canvas, rows)
	y := dc.Max.Y
	for j := range rows {
		dataTop := y - top[j]
		dataBottom := dataTop - freeY*vg.Length(rowW[j])
		out[j] = make([]draw.Canvas, cols)
		x := dc.Min.X
		for i := range cols {
			dataLeft := x + left[i]
			dataRight := dataLeft + freeX*vg.Length(colW[i])
			m := own[j][i]
			out[j][i] = draw.Canvas{
				Canvas: dc.Canvas,
				Rectangle: vg.Rectangle{
					Min: vg.Point{X: dataLeft - m.l, Y: dataBottom - m.b},
					Max: vg.Point{X: dataRight + m.r, Y: dataTop + m.t},
				},
			}
			x = dataRight + right[i] + panelPadX
		}
		y = dataBottom - bottom[j] - panelPadY
	}
	return out
}

// weights returns w normalised to sum 1, or n equal weights for nil w.
func weights(w []float64, n int, what string) []float64 {
	out := make([]float64, n)
	if w == nil {
		for i := range out {
			out[i] = 1 / float64(n)
		}
		return out
	}
	if len(w) != n {
		panic(fmt.Sprintf("plots: %d %s weights for %d %ss", len(w), what, n, what))
	}
	var sum float64
	for _, x := range w {
		if !(x > 0) || math.IsInf(x, 0) {
			panic(fmt.Sprintf("plots: %s weight %v is not positive and finite", what, x))
		}
		sum += x
	}
	for i, x := range w {
		out[i] = x / sum
	}
	return out
}

// drawLegendStrip draws the entries side by side, centred at the top of
// c, wrapping to more lines when needed, and returns the height used.
func drawLegendStrip(c draw.Canvas, entries []LegendEntry) vg.Length {
	sty := legendStyle()
	const thumbW, thumbGap, itemGap = vg.Length(22), vg.Length(5), vg.Length(18)
	lineH := sty.FontExtents().Height + 4
	width := func(e LegendEntry) vg.Length { return thumbW + thumbGap + sty.Width(e.Label) }

	// Break into lines.
	var lines [][]LegendEntry
	var cur []LegendEntry
	var curW vg.Length
	for _, e := range entries {
		w := width(e)
		if len(cur) > 0 && curW+itemGap+w > c.Size().X {
			lines = append(lines, cur)
			cur, curW = nil, 0
		}
		if len(cur) > 0 {
			curW += itemGap
		}
		cur = append(cur, e)
		curW += w
	}
	lines = append(lines, cur)

	y := c.Max.Y
	for _, line := range lines {
		var total vg.Length
		for k, e := range line {
			if k > 0 {
				total += itemGap
			}
			total += width(e)
		}
		x := c.Center().X - total/2
		for _, e := range line {
			thumb := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: x, Y: y - lineH + 2},
				Max: vg.Point{X: x + thumbW, Y: y - 2},
			}}
			for _, t := range e.Thumbs {
				t.Thumbnail(&thumb)
			}
			s := sty
			s.YAlign = draw.YCenter
			c.FillText(s, vg.Point{X: x + thumbW + thumbGap, Y: y - lineH/2}, e.Label)
			x += width(e) + itemGap
		}
		y -= lineH
	}
	return lineH * vg.Length(len(lines))
}

// listWidth returns the width the list needs, at most limit.
func listWidth(title string, items []ListItem, limit vg.Length) vg.Length {
	w := listTitleStyle().Width(title)
	sty := listStyle()
	for _, it := range items {
		w = max(w, sty.Width(it.Text))
	}
	return min(w+8, limit)
}

// drawList draws the title and items top-down in c. Items too wide are
// cut with an ellipsis; when there are too many for the height, the font
// shrinks (to 6.5 points) and, if that is not enough, the last line says
// how many more there are.
func drawList(c draw.Canvas, title string, items []ListItem) {
	y := c.Max.Y
	if title != "" {
		sty := listTitleStyle()
		sty.YAlign = draw.YTop
		c.FillText(sty, vg.Point{X: c.Min.X + 4, Y: y}, title)
		y -= sty.FontExtents().Height + 6
	}
	sty := listStyle()
	avail := y - c.Min.Y
	lineH := sty.FontExtents().Height + 5
	if need := lineH * vg.Length(len(items)); need > avail {
		size := max(sty.Font.Size*avail/need, 6.5)
		sty.Font.Size = size
		lineH = max(avail/vg.Length(len(items)), sty.FontExtents().Height+1)
	}
	if fit := int(avail / lineH); fit < len(items) {
		if fit < 1 {
			return
		}
		more := len(items) - fit + 1
		items = append(items[:fit-1:fit-1], ListItem{Text: fmt.Sprintf("… and %d more", more)})
	}
	for _, it := range items {
		if it.Shaded {
			c.FillPolygon(seedBand, rect(c.Min.X, y-lineH, c.Max.X, y))
		}
		s := sty
		s.YAlign = draw.YCenter
		c.FillText(s, vg.Point{X: c.Min.X + 4, Y: y - lineH/2}, fitWidth(s, it.Text, c.Size().X-8))
		y -= lineH
	}
}

// fitWidth shortens s with an ellipsis until it fits in w.
func fitWidth(sty textStyle, s string, w vg.Length) string {
	if sty.Width(s) <= w {
		return s
	}
	r := []rune(s)
	for n := len(r) - 1; n > 0; n-- {
		t := strings.TrimRight(string(r[:n]), " -") + "…"
		if sty.Width(t) <= w {
			return t
		}
	}
	return "…"
}

func rect(x0, y0, x1, y1 vg.Length) []vg.Point {
	return []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
}

// Encode draws d at the given size and writes it to w in format: "png",
// "svg", "pdf", "eps", "jpg"/"jpeg" or "tif"/"tiff". A zero width and
// height mean d's own size (d must then be a Sizer). A panic inside the
// drawing code (gonum/plot panics on some degenerate ranges) is returned
// as an error.
func Encode(w io.Writer, d Drawer, width, height vg.Length, format string) error {
	width, height, err := sizeOf(d, width, height)
	if err != nil {
		return err
	}
	format = strings.ToLower(strings.TrimPrefix(format, "."))
	c, err := draw.NewFormattedCanvas(width, height, format)
	if err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	if format == "pdf" {
		c = pdfFontFix{c}
	}
	if err := drawSafely(d, draw.New(c)); err != nil {
		return err
	}
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("plots: writing %s: %w", format, err)
	}
	return nil
}

// drawSafely draws d on c, returning a panic of the drawing code as an
// error.
func drawSafely(d Drawer, c draw.Canvas) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plots: drawing failed: %v", r)
		}
	}()
	d.Draw(c)
	return nil
}

// Image returns d drawn as an image of the given size (zero for d's own)
// at DPI, white where nothing is drawn.
func Image(d Drawer, width, height vg.Length) (image.Image, error) {
	width, height, err := sizeOf(d, width, height)
	if err != nil {
		return nil, err
	}
	c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(DPI))
	if err := drawSafely(d, draw.New(c)); err != nil {
		return nil, err
	}
	return c.Image(), nil
}

// PNG returns d drawn as a PNG image of the given size (zero for d's own).
func PNG(d Drawer, width, height vg.Length) ([]byte, error) {
	var buf bytes.Buffer
	if err := Encode(&buf, d, width, height, "png"); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Save draws d at the given size (zero for d's own) and writes it to
// path atomically, in the format its extension names (see [Encode]). The
// file is created with permission 0644; on error, an existing file at
// path is left as it was.
func Save(d Drawer, width, height vg.Length, path string) error {
	buf, err := encodeFor(d, width, height, path)
	if err != nil {
		return err
	}
	if err := atomic.WriteBytes(path, 0o644, buf); err != nil {
		return fmt.Errorf("plots: saving %s: %w", path, err)
	}
	return nil
}

// AddTo draws d as Save does and adds the file to the output set s, to be
// renamed to path when s is committed (see [atomic.Set]): a command whose
// later steps fail leaves path as it was.
func AddTo(s *atomic.Set, d Drawer, width, height vg.Length, path string) error {
	buf, err := encodeFor(d, width, height, path)
	if err != nil {
		return err
	}
	if err := s.Add(path, 0o644, func(w io.Writer) error { _, err := w.Write(buf); return err }); err != nil {
		return fmt.Errorf("plots: saving %s: %w", path, err)
	}
	return nil
}

// encodeFor encodes d in the format path's extension names.
func encodeFor(d Drawer, width, height vg.Length, path string) ([]byte, error) {
	ext := filepath.Ext(path)
	if ext == "" {
		return nil, fmt.Errorf("plots: %s: no file extension to choose a format", path)
	}
	var buf bytes.Buffer
	if err := Encode(&buf, d, width, height, ext); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// pdfFontFix works around two faults of gonum/plot v0.17.0's PDF canvas:
// it fails on bold and italic fonts ("undefined font": they are
// registered under style "" but looked up under "B" and "I"), and every
// embedded font file is stored under one name, so a document with two
// fonts shows all its text in the last one. So PDF text is set in the
// regular face only. The canvas also passes strings on as if they were
// Windows-1252 bytes, so they are converted (runes outside it become
// '?', a figure space two spaces).
type pdfFontFix struct{ vg.CanvasWriterTo }

func (c pdfFontFix) FillString(f font.Face, pt vg.Point, s string) {
	if f.Font.Weight != xfont.WeightNormal || f.Font.Style != xfont.StyleNormal {
		reg := f.Font
		reg.Weight, reg.Style = xfont.WeightNormal, xfont.StyleNormal
		if font.DefaultCache.Has(reg) {
			f = font.DefaultCache.Lookup(reg, f.Font.Size)
		}
	}
	c.CanvasWriterTo.FillString(f, pt, toWindows1252(s))
}

// toWindows1252 returns s encoded as Windows-1252 bytes.
func toWindows1252(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '\u2007' {
			b.WriteString("  ")
			continue
		}
		if x, ok := charmap.Windows1252.EncodeRune(r); ok {
			b.WriteByte(x)
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}

func sizeOf(d Drawer, w, h vg.Length) (vg.Length, vg.Length, error) {
	if w == 0 && h == 0 {
		s, ok := d.(Sizer)
		if !ok {
			return 0, 0, fmt.Errorf("%w: zero size and %T has no size of its own", ErrSize, d)
		}
		w, h = s.Size()
	}
	limit := Pixels(MaxPixels)
	for _, x := range []vg.Length{w, h} {
		if !(x > 0) || x > limit {
			return 0, 0, fmt.Errorf("%w: %v x %v points (at most %v, %d pixels)", ErrSize, w, h, limit, MaxPixels)
		}
	}
	return w, h, nil
}
