package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/discoflow/disco/features"
)

// FlowStep is one song of a playlist as the flow picture shows it.
type FlowStep struct {
	Label     string           // "Artist - Title"; shortened to MaxLabel runes
	Seed      bool             // chosen by the user, not by the model
	Actual    features.Vector  // the song's scaled abstract features
	Predicted *features.Vector // the model's prediction that chose the song; nil for seeds
}

// Flow draws the eight scaled abstract features along a playlist: one
// panel per feature in a 4x2 grid sharing one y scale, position 1..n on x.
// Each song's actual values are joined by a line; the model's prediction
// that chose it is a hollow ring at the same position, joined to the
// actual value by a dotted line (the error). Seeds sit on shaded bands. A
// numbered tracklist runs down the right side.
//
// It returns ErrNoData for no steps, and an error if a seed carries a
// prediction (seeds are not predicted). A non-seed may have a nil
// Predicted (a song added by hand). Non-finite values are drawn as gaps.
func Flow(steps []FlowStep, title string) (*Figure, error) {
	if len(steps) == 0 {
		return nil, fmt.Errorf("%w: flow of an empty playlist", ErrNoData)
	}
	n := len(steps)
	seeds := make([]bool, n)
	predicted := false
	lo, hi := math.Inf(1), math.Inf(-1)
	widen := func(x float64) {
		if finite(x) {
			lo, hi = min(lo, x), max(hi, x)
		}
	}
	for i, s := range steps {
		if s.Seed && s.Predicted != nil {
			return nil, fmt.Errorf("plots: flow step %d (%q) is a seed but has a prediction", i+1, s.Label)
		}
		seeds[i] = s.Seed
		predicted = predicted || s.Predicted != nil
		for f := range features.NumAbstract {
			widen(s.Actual[f])
			if s.Predicted != nil {
				widen(s.Predicted[f])
			}
		}
	}
	ylo, yhi := span(lo, hi, 0.08, 1)

	actualLine := draw.LineStyle{Color: colBlue, Width: 1.6}
	actualGlyph := draw.GlyphStyle{Color: colBlue, Radius: 2.6, Shape: draw.CircleGlyph{}}
	predGlyph := draw.GlyphStyle{Color: colVermilion, Radius: 3.4, Shape: ringGlyph{Width: 1.3}}
	errLine := draw.LineStyle{Color: colVermilion, Width: 0.9, Dashes: []vg.Length{1.5, 1.5}}
	zeroLine := draw.LineStyle{Color: colGrey, Width: 0.7, Dashes: []vg.Length{4, 3}}
	bands := &xBands{Ranges: bandsOf(seeds), Color: seedBand}

	const rows, cols = 4, 2
	panels := make([][]*plot.Plot, rows)
	for r := range rows {
		panels[r] = make([]*plot.Plot, cols)
		for c := range cols {
			f := r*cols + c
			xl, yl := "", ""
			if r == rows-1 {
				xl = "position in playlist"
			}
			if c == 0 {
				yl = "scaled value"
			}
			p := newPanel(features.AbstractNames[f], xl, yl)
			p.X.Tick.Marker = posTicks{N: n, Max: 13}
			p.Y.Tick.Marker = niceTicks{Target: 5}
			p.Add(bands, &hLine{Y: 0, Style: zeroLine})

			xs := make([]float64, n)
			ys := make([]float64, n)
			pys := make([]float64, n)
			var errs []segment
			for i, s := range steps {
				xs[i] = float64(i + 1)
				ys[i] = s.Actual[f]
				pys[i] = math.NaN()
				if s.Predicted != nil {
					pys[i] = s.Predicted[f]
					errs = append(errs, segment{X0: xs[i], Y0: pys[i], X1: xs[i], Y1: ys[i], Style: errLine})
				}
			}
			p.Add(&segments{Segs: errs},
				&xyLine{X: xs, Y: ys, Line: actualLine, Glyph: actualGlyph},
				&xyLine{X: xs, Y: pys, Glyph: predGlyph})
			p.X.Min, p.X.Max = 0.5, float64(n)+0.5
			p.Y.Min, p.Y.Max = ylo, yhi
			panels[r][c] = p
		}
	}

	legend := []LegendEntry{{Label: "actual", Thumbs: []plot.Thumbnailer{&xyLine{Line: actualLine, Glyph: actualGlyph}}}}
	if predicted {
		legend = append(legend,
			LegendEntry{Label: "predicted by the model", Thumbs: []plot.Thumbnailer{glyphThumb(predGlyph)}},
			LegendEntry{Label: "prediction error", Thumbs: []plot.Thumbnailer{vThumb(errLine)}})
	}
	if len(bands.Ranges) > 0 {
		legend = append(legend, LegendEntry{Label: "seed", Thumbs: []plot.Thumbnailer{bands}})
	}
	legend = append(legend, LegendEntry{Label: "catalog mean", Thumbs: []plot.Thumbnailer{lineThumb(zeroLine)}})
	return &Figure{
		Title:     title,
		Legend:    legend,
		Panels:    panels,
		ListTitle: "Tracklist",
		List:      tracklist(labels(steps, func(s FlowStep) string { return s.Label }), seeds),
		Width:     Pixels(1100),
		Height:    listHeight(800, n),
	}, nil
}

// listHeight is a figure height of base pixels, or more (up to 1600) when
// a tracklist of n songs needs it to stay legible.
func listHeight(base, n int) vg.Length {
	return Pixels(max(base, min(1600, 140+18*n)))
}

// vThumb is a legend thumbnail of a short vertical line.
type vThumb draw.LineStyle

func (v vThumb) Thumbnail(c *draw.Canvas) {
	x := c.Center().X
	c.StrokeLine2(draw.LineStyle(v), x, c.Min.Y, x, c.Max.Y)
}

func labels[T any](xs []T, label func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = label(x)
	}
	return out
}

// tracklist numbers the labels from 1, shortened, shading the marked ones.
func tracklist(labels []string, shaded []bool) []ListItem {
	items := make([]ListItem, len(labels))
	for i, l := range labels {
		num := fmt.Sprintf("%d", i+1)
		if len(labels) >= 10 && i < 9 {
			num = "\u2007" + num // figure space: keeps the titles aligned
		}
		items[i] = ListItem{Text: num + "  " + Shorten(l, MaxLabel), Shaded: shaded != nil && shaded[i]}
	}
	return items
}
