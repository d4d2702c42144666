package plots

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MixStep is one song of a playlist as a DJ mixes it.
type MixStep struct {
	Label   string  // "Artist - Title"; shortened to MaxLabel runes
	Seed    bool    // chosen by the user, not by the model
	Camelot string  // Camelot key, "1A" to "12B" (A minor, B major); "" unknown
	BPM     float64 // tempo; 0, negative or non-finite: unknown
	// KeyCompatible and TempoCompatible say whether the transition from
	// the previous step mixes well; they are ignored on the first step.
	KeyCompatible, TempoCompatible bool
}

// ParseCamelot parses a Camelot key such as "8A" or "12b" (case and
// surrounding space ignored) into its wheel number 1..12 and letter 'A'
// (minor) or 'B' (major).
func ParseCamelot(s string) (num int, letter byte, err error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	if len(t) < 2 {
		return 0, 0, fmt.Errorf("plots: bad Camelot key %q", s)
	}
	letter = t[len(t)-1]
	num, err = strconv.Atoi(t[:len(t)-1])
	if err != nil || num < 1 || num > 12 || (letter != 'A' && letter != 'B') || t[0] == '+' {
		return 0, 0, fmt.Errorf("plots: bad Camelot key %q", s)
	}
	return num, letter, nil
}

// Mix draws a playlist's keys and tempos in two aligned panels, position
// 1..n on x: the Camelot wheel number (1-12) with A keys as blue discs and
// B keys as orange squares, and the BPM. Each transition is a solid green
// line when it mixes well and a dashed vermilion one when it clashes, as
// the steps' KeyCompatible and TempoCompatible say. Key lines take the
// short way round the wheel, leaving the panel at 12 and coming back at 1.
// Unknown keys and tempos are gaps marked "?". Seeds sit on shaded bands;
// a tracklist runs down the right side.
//
// It returns ErrNoData for no steps and an error naming the step for a
// malformed Camelot key.
func Mix(steps []MixStep, title string) (*Figure, error) {
	if len(steps) == 0 {
		return nil, fmt.Errorf("%w: mix of an empty playlist", ErrNoData)
	}
	n := len(steps)
	xs := make([]float64, n)
	keyNum := make([]float64, n)
	bpm := make([]float64, n)
	letters := make([]byte, n)
	seeds := make([]bool, n)
	bpmLo, bpmHi := math.Inf(1), math.Inf(-1)
	for i, s := range steps {
		xs[i] = float64(i + 1)
		seeds[i] = s.Seed
		keyNum[i] = math.NaN()
		if s.Camelot != "" {
			num, letter, err := ParseCamelot(s.Camelot)
			if err != nil {
				return nil, fmt.Errorf("plots: mix step %d (%q): %w", i+1, s.Label, err)
			}
			keyNum[i], letters[i] = float64(num), letter
		}
		bpm[i] = math.NaN()
		if finite(s.BPM) && s.BPM > 0 {
			bpm[i] = s.BPM
			bpmLo, bpmHi = min(bpmLo, s.BPM), max(bpmHi, s.BPM)
		}
	}
	if bpmLo > bpmHi {
		bpmLo, bpmHi = 100, 140
	}
	bpmLo, bpmHi = span(bpmLo, bpmHi, 0.15, 10)

	good := draw.LineStyle{Color: colGreen, Width: 2.2}
	bad := draw.LineStyle{Color: colVermilion, Width: 1.6, Dashes: []vg.Length{4, 2.5}}
	aGlyph := draw.GlyphStyle{Color: colBlue, Radius: 4.2, Shape: discGlyph{Outline: colWhite, Width: 1}}
	bGlyph := draw.GlyphStyle{Color: colOrange, Radius: 4.6, Shape: squareGlyph{Outline: colWhite, Width: 1}}
	tempoGlyph := draw.GlyphStyle{Color: colBlack, Radius: 3.2, Shape: discGlyph{Outline: colWhite, Width: 1}}
	bands := &xBands{Ranges: bandsOf(seeds), Color: seedBand}
	noteAbove := noteStyle()
	noteAbove.XAlign = draw.XCenter
	unknownStyle := style(11, true, colGrey)
	unknownStyle.XAlign = draw.XCenter

	// Key panel.
	kp := newPanel("Key (Camelot wheel)", "", "wheel number")
	kp.Add(bands)
	var keySegs []segment
	for i := 1; i < n; i++ {
		a, b := keyNum[i-1], keyNum[i]
		if math.IsNaN(a) || math.IsNaN(b) {
			continue
		}
		sty := bad
		if steps[i].KeyCompatible {
			sty = good
		}
		d := wheelDelta(a, b)
		keySegs = append(keySegs, segment{X0: xs[i-1], Y0: a, X1: xs[i], Y1: a + d, Style: sty})
		if a+d < 1 || a+d > 12 { // crossing 12|1: draw the part that re-enters
			keySegs = append(keySegs, segment{X0: xs[i-1], Y0: b - d, X1: xs[i], Y1: b, Style: sty})
		}
	}
	kp.Add(&segments{Segs: keySegs})
	aKeys, bKeys := make([]float64, n), make([]float64, n)
	var keyNotes, unknownKeys []annotation
	for i := range n {
		aKeys[i], bKeys[i] = math.NaN(), math.NaN()
		switch letters[i] {
		case 'A':
			aKeys[i] = keyNum[i]
		case 'B':
			bKeys[i] = keyNum[i]
		}
		if math.IsNaN(keyNum[i]) {
			unknownKeys = append(unknownKeys, annotation{X: xs[i], Y: 6.5, Text: "?", Style: unknownStyle, Offset: vg.Point{Y: -5}})
		} else {
			keyNotes = append(keyNotes, noteAt(keyNum, i, true, fmt.Sprintf("%.0f%c", keyNum[i], letters[i]), noteAbove))
		}
	}
	kp.Add(&xyLine{X: xs, Y: aKeys, Glyph: aGlyph}, &xyLine{X: xs, Y: bKeys, Glyph: bGlyph}, &annotations{Items: keyNotes, IfRoom: true}, &annotations{Items: unknownKeys})
	kp.X.Min, kp.X.Max = 0.5, float64(n)+0.5
	kp.Y.Min, kp.Y.Max = 0.5, 12.5
	kp.X.Tick.Marker = posTicks{N: n}
	kp.Y.Tick.Marker = wheelTicks{}

	// Tempo panel.
	tp := newPanel("Tempo", "position in playlist", "BPM")
	tp.Add(bands)
	var tempoSegs []segment
	var tempoNotes, unknownTempos []annotation
	for i := range n {
		if i > 0 && !math.IsNaN(bpm[i-1]) && !math.IsNaN(bpm[i]) {
			sty := bad
			if steps[i].TempoCompatible {
				sty = good
			}
			tempoSegs = append(tempoSegs, segment{X0: xs[i-1], Y0: bpm[i-1], X1: xs[i], Y1: bpm[i], Style: sty})
		}
		if math.IsNaN(bpm[i]) {
			unknownTempos = append(unknownTempos, annotation{X: xs[i], Y: (bpmLo + bpmHi) / 2, Text: "?", Style: unknownStyle, Offset: vg.Point{Y: -5}})
		} else {
			tempoNotes = append(tempoNotes, noteAt(bpm, i, false, strconv.FormatFloat(math.Round(bpm[i]), 'f', 0, 64), noteAbove))
		}
	}
	tp.Add(&segments{Segs: tempoSegs}, &xyLine{X: xs, Y: bpm, Glyph: tempoGlyph}, &annotations{Items: tempoNotes, IfRoom: true}, &annotations{Items: unknownTempos})
	tp.X.Min, tp.X.Max = 0.5, float64(n)+0.5
	tp.Y.Min, tp.Y.Max = bpmLo, bpmHi
	tp.X.Tick.Marker = posTicks{N: n}

	legend := []LegendEntry{
		{Label: "A key (minor)", Thumbs: []plot.Thumbnailer{glyphThumb(aGlyph)}},
		{Label: "B key (major)", Thumbs: []plot.Thumbnailer{glyphThumb(bGlyph)}},
		{Label: "mixes well", Thumbs: []plot.Thumbnailer{lineThumb(good)}},
		{Label: "clashes", Thumbs: []plot.Thumbnailer{lineThumb(bad)}},
	}
	if len(unknownKeys)+len(unknownTempos) > 0 {
		legend = append(legend, LegendEntry{Label: "unknown", Thumbs: []plot.Thumbnailer{textThumb{Text: "?", Style: unknownStyle}}})
	}
	if len(bands.Ranges) > 0 {
		legend = append(legend, LegendEntry{Label: "seed", Thumbs: []plot.Thumbnailer{bands}})
	}
	return &Figure{
		Title:      title,
		Legend:     legend,
		Panels:     [][]*plot.Plot{{kp}, {tp}},
		RowWeights: []float64{1.4, 1},
		ListTitle:  "Tracklist",
		List:       tracklist(labels(steps, func(s MixStep) string { return s.Label }), seeds),
		Width:      Pixels(1100),
		Height:     listHeight(700, n),
	}, nil
}

// noteAt labels ys[i] at position i+1, above the point unless it lies
// below the mean of its known neighbours (then the lines to them rise
// from it, and the label goes underneath, out of their way). With wheel,
// neighbours are taken the short way round the Camelot wheel, as the
// lines are drawn.
func noteAt(ys []float64, i int, wheel bool, text string, sty textStyle) annotation {
	var sum float64
	var n int
	for _, j := range []int{i - 1, i + 1} {
		if j >= 0 && j < len(ys) && !math.IsNaN(ys[j]) {
			y := ys[j]
			if wheel {
				y = ys[i] + wheelDelta(ys[i], ys[j])
			}
			sum += y
			n++
		}
	}
	a := annotation{X: float64(i + 1), Y: ys[i], Text: text, Style: sty, Offset: vg.Point{Y: 6}}
	if n > 0 && ys[i] < sum/float64(n) {
		a.Style.YAlign = draw.YTop
		a.Offset.Y = -6
	}
	return a
}

// wheelDelta is the step from wheel number a to b the short way round,
// in [-6, 6].
func wheelDelta(a, b float64) float64 {
	d := b - a
	switch {
	case d > 6:
		d -= 12
	case d < -6:
		d += 12
	}
	return d
}

// wheelTicks labels the Camelot wheel numbers 1..12.
type wheelTicks struct{}

func (wheelTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for i := 1; i <= 12; i++ {
		ticks = append(ticks, plot.Tick{Value: float64(i), Label: strconv.Itoa(i)})
	}
	return ticks
}
