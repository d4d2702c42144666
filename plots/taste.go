package plots

import (
	"fmt"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ROCCurve is one curve of ROC: false positive rates against true
// positive rates, from (0, 0) to (1, 1).
type ROCCurve struct {
	Label    string
	FPR, TPR []float64
	AUC      float64
}

// ROC draws ROC curves in one panel per group (for example one per
// predictor), with the chance diagonal. groups and titles have the same
// length. It returns ErrNoData when there is no curve.
func ROC(groups [][]ROCCurve, titles []string, title string) (*Figure, error) {
	if len(groups) == 0 || len(groups) != len(titles) {
		return nil, fmt.Errorf("%w: %d groups of ROC curves, %d titles", ErrNoData, len(groups), len(titles))
	}
	var row []*plot.Plot
	var legend []LegendEntry
	for g, curves := range groups {
		p := newPanel(titles[g], "false positive rate", "true positive rate")
		p.Add(&xyLine{X: []float64{0, 1}, Y: []float64{0, 1}, Line: draw.LineStyle{Color: colGrey, Width: 1, Dashes: []vg.Length{3, 3}}})
		for k, c := range curves {
			col, _, dash := seriesStyle(k)
			l := &xyLine{X: c.FPR, Y: c.TPR, Line: draw.LineStyle{Color: col, Width: 1.6, Dashes: dash}}
			p.Add(l)
			if g == 0 {
				legend = append(legend, LegendEntry{Label: c.Label, Thumbs: []plot.Thumbnailer{l}})
			}
		}
		// AUCs written in the panel's lower right, one line per curve.
		var notes []annotation
		for k, c := range curves {
			col, _, _ := seriesStyle(k)
			st := style(9, false, col)
			st.XAlign = draw.XRight
			notes = append(notes, annotation{X: 0.98, Y: 0.03 + 0.055*float64(len(curves)-1-k), Text: c.Label + ": AUC " + strconv.FormatFloat(c.AUC, 'f', 3, 64), Style: st})
		}
		p.Add(&annotations{Items: notes})
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
		row = append(row, p)
	}
	return &Figure{Title: title, Legend: legend, Panels: [][]*plot.Plot{row},
		Width: Pixels(460*len(groups) + 40), Height: Pixels(500)}, nil
}

// TrainingLoss draws training and validation loss per epoch (epochs from
// 1), with the kept epoch (best, 0-based; negative for none) marked.
// yLabel names the loss. Non-finite values are gaps.
func TrainingLoss(train, val []float64, best int, yLabel, title string) (*Figure, error) {
	if len(train) == 0 && len(val) == 0 {
		return nil, fmt.Errorf("%w: no epochs", ErrNoData)
	}
	if best >= len(val) && best >= len(train) {
		return nil, fmt.Errorf("plots: best epoch index %d past the epochs", best)
	}
	n := max(len(train), len(val))
	ylo, yhi := lossRange(train, val)
	p := newPanel("", "epoch", yLabel)
	tr := &xyLine{X: epochAxis(len(train)), Y: train, Line: draw.LineStyle{Color: colBlue, Width: 1.8}}
	va := &xyLine{X: epochAxis(len(val)), Y: val, Line: draw.LineStyle{Color: colVermilion, Width: 1.8, Dashes: []vg.Length{6, 3}}}
	p.Add(tr, va)
	legend := []LegendEntry{{Label: "training", Thumbs: []plot.Thumbnailer{tr}}, {Label: "validation", Thumbs: []plot.Thumbnailer{va}}}
	if best >= 0 {
		ref := val
		if best >= len(val) {
			ref = train
		}
		bx, by := float64(best+1), ref[best]
		mark := &vLine{X: bx, Style: draw.LineStyle{Color: colSubtle, Width: 1, Dashes: []vg.Length{2, 2}}}
		ring := draw.GlyphStyle{Color: colText, Radius: 5.5, Shape: ringGlyph{Width: 1.5}}
		p.Add(mark, &xyLine{X: []float64{bx}, Y: []float64{by}, Glyph: ring})
		label := fmt.Sprintf("kept: epoch %d, validation %s", best+1, strconv.FormatFloat(by, 'f', 4, 64))
		if n > best+1 {
			label += fmt.Sprintf("; stopped after %d", n)
		}
		legend = append(legend, LegendEntry{Label: label, Thumbs: []plot.Thumbnailer{mark, glyphThumb(ring)}})
	}
	p.X.Min, p.X.Max = 0.5, float64(n)+0.5
	p.Y.Min, p.Y.Max = ylo, yhi
	p.X.Tick.Marker = posTicks{N: n, Max: 12}
	return &Figure{Title: title, Legend: legend, Panels: [][]*plot.Plot{{p}}, Width: Pixels(800), Height: Pixels(500)}, nil
}

// LabelledPoint is one point of Embedding.
type LabelledPoint struct {
	X, Y  float64
	Label int    // index into the labels
	Name  string // drawn beside the point when not ""
}

// Embedding draws a 2-D map of points coloured and shaped by label, with
// the named points ringed and labelled, and the names listed at the right.
// It returns ErrNoData for no points.
func Embedding(points []LabelledPoint, labels []string, title string) (*Figure, error) {
	if len(points) == 0 {
		return nil, fmt.Errorf("%w: no points", ErrNoData)
	}
	p := newBarePanel("", "t-SNE 1", "t-SNE 2")
	var legend []LegendEntry
	for k, name := range labels {
		col, shape, _ := seriesStyle(k)
		l := &xyLine{Glyph: draw.GlyphStyle{Color: col, Radius: 2.2, Shape: shape}}
		for _, pt := range points {
			if pt.Label == k {
				l.X = append(l.X, pt.X)
				l.Y = append(l.Y, pt.Y)
			}
		}
		p.Add(l)
		legend = append(legend, LegendEntry{Label: name, Thumbs: []plot.Thumbnailer{l}})
	}
	var notes []annotation
	var list []ListItem
	ring := &xyLine{Glyph: draw.GlyphStyle{Color: colText, Radius: 5, Shape: ringGlyph{Width: 1.3}}}
	n := 0
	for _, pt := range points {
		if pt.Name == "" {
			continue
		}
		n++
		ring.X = append(ring.X, pt.X)
		ring.Y = append(ring.Y, pt.Y)
		st := style(8.5, true, colText)
		notes = append(notes, annotation{X: pt.X, Y: pt.Y, Text: strconv.Itoa(n), Offset: vg.Point{X: 6, Y: 2}, Style: st})
		list = append(list, ListItem{Text: strconv.Itoa(n) + "  " + Shorten(pt.Name, MaxLabel) + " (" + labels[pt.Label] + ")"})
	}
	if n > 0 {
		p.Add(ring, &annotations{Items: notes})
		legend = append(legend, LegendEntry{Label: "out of place (numbered)", Thumbs: []plot.Thumbnailer{glyphThumb(ring.Glyph)}})
	}
	p.X.Tick.Marker = plot.TickerFunc(func(min, max float64) []plot.Tick { return nil })
	p.Y.Tick.Marker = plot.TickerFunc(func(min, max float64) []plot.Tick { return nil })
	f := &Figure{Title: title, Legend: legend, Panels: [][]*plot.Plot{{p}}, Width: Pixels(1150), Height: Pixels(760)}
	if n > 0 {
		f.ListTitle = "Out of place: its neighbours carry another label"
		f.List = list
	}
	return f, nil
}
