package plots

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Loss draws training and validation mean absolute error per epoch, epochs
// numbered from 1 on x. best is the 0-based index of the best epoch in val
// (in train when val is empty), marked by a dotted vertical line and a
// ring, its value given in the legend; a negative best marks none. Either series may be empty
// or shorter than the other (training stopped early); non-finite values
// (a diverged epoch) are gaps.
//
// It returns ErrNoData when both series are empty, and an error when best
// is past the end of its series.
func Loss(train, val []float64, best int, title string) (*Figure, error) {
	if len(train) == 0 && len(val) == 0 {
		return nil, fmt.Errorf("%w: no epochs", ErrNoData)
	}
	ref, refName := val, "validation"
	if len(val) == 0 {
		ref, refName = train, "training"
	}
	if best >= len(ref) {
		return nil, fmt.Errorf("plots: best epoch index %d past the %d %s epochs", best, len(ref), refName)
	}
	n := max(len(train), len(val))
	ylo, yhi := lossRange(train, val)

	p := newPanel("", "epoch", "mean absolute error (scaled features)")
	withGlyphs := n <= 40
	trainLine := draw.LineStyle{Color: colBlue, Width: 1.8}
	valLine := draw.LineStyle{Color: colVermilion, Width: 1.8, Dashes: []vg.Length{6, 3}}
	trainPlot := &xyLine{X: epochAxis(len(train)), Y: train, Line: trainLine}
	valPlot := &xyLine{X: epochAxis(len(val)), Y: val, Line: valLine}
	if withGlyphs {
		trainPlot.Glyph = draw.GlyphStyle{Color: colBlue, Radius: 2.4, Shape: draw.CircleGlyph{}}
		valPlot.Glyph = draw.GlyphStyle{Color: colVermilion, Radius: 2.6, Shape: draw.BoxGlyph{}}
	}
	var legend []LegendEntry
	if len(train) > 0 {
		p.Add(trainPlot)
		legend = append(legend, LegendEntry{Label: "training", Thumbs: []plot.Thumbnailer{trainPlot}})
	}
	if len(val) > 0 {
		p.Add(valPlot)
		legend = append(legend, LegendEntry{Label: "validation", Thumbs: []plot.Thumbnailer{valPlot}})
	}
	if best >= 0 {
		bx, by := float64(best+1), ref[best]
		mark := &vLine{X: bx, Style: draw.LineStyle{Color: colSubtle, Width: 1, Dashes: []vg.Length{2, 2}}}
		ring := draw.GlyphStyle{Color: colText, Radius: 5.5, Shape: ringGlyph{Width: 1.5}}
		p.Add(mark)
		label := fmt.Sprintf("best %s: epoch %d", refName, best+1)
		if finite(by) {
			p.Add(&xyLine{X: []float64{bx}, Y: []float64{by}, Glyph: ring})
			label += ", MAE " + strconv.FormatFloat(by, 'f', 3, 64)
		}
		legend = append(legend, LegendEntry{Label: label, Thumbs: []plot.Thumbnailer{mark, glyphThumb(ring)}})
	}
	p.X.Min, p.X.Max = 0.5, float64(n)+0.5
	p.Y.Min, p.Y.Max = ylo, yhi
	p.X.Tick.Marker = posTicks{N: n, Max: 12}
	return &Figure{
		Title:  title,
		Legend: legend,
		Panels: [][]*plot.Plot{{p}},
		Width:  Pixels(800),
		Height: Pixels(500),
	}, nil
}

// epochAxis returns the epochs 1..k, the x values of a loss curve.
func epochAxis(k int) []float64 {
	xs := make([]float64, k)
	for i := range xs {
		xs[i] = float64(i + 1)
	}
	return xs
}

// lossRange returns the y range of loss curves: their finite values,
// widened by 8% (at least 0.01 wide).
func lossRange(series ...[]float64) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, v := range s {
			if finite(v) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	return span(lo, hi, 0.08, 0.01)
}
