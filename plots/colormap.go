package plots

import (
	"image/color"
	"math"
)

// viridisStops samples matplotlib's viridis colour map at 0, 0.1, ..., 1:
// perceptually uniform, readable in greyscale and by colour-blind readers.
var viridisStops = [...]color.NRGBA{
	{0x44, 0x01, 0x54, 0xFF}, {0x48, 0x24, 0x75, 0xFF}, {0x41, 0x44, 0x87, 0xFF},
	{0x35, 0x5F, 0x8D, 0xFF}, {0x2A, 0x78, 0x8E, 0xFF}, {0x21, 0x91, 0x8C, 0xFF},
	{0x22, 0xA8, 0x84, 0xFF}, {0x44, 0xBF, 0x70, 0xFF}, {0x7A, 0xD1, 0x51, 0xFF},
	{0xBD, 0xDF, 0x26, 0xFF}, {0xFD, 0xE7, 0x25, 0xFF},
}

// viridis returns the colour at t in [0, 1] (clamped; NaN gives the
// lowest colour).
func viridis(t float64) color.NRGBA {
	if !(t > 0) {
		return viridisStops[0]
	}
	if t >= 1 {
		return viridisStops[len(viridisStops)-1]
	}
	f := t * float64(len(viridisStops)-1)
	i := int(f)
	u := f - float64(i)
	a, b := viridisStops[i], viridisStops[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + u*(float64(y)-float64(x)))) }
	return color.NRGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xFF}
}

// luminance is the relative luminance of c in [0, 1] (sRGB weights on
// the gamma-encoded values, close enough to pick black or white text).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xFFFF
}

// textOn returns black or white, whichever reads better on bg.
func textOn(bg color.Color) color.Color {
	if luminance(bg) > 0.45 {
		return colText
	}
	return colWhite
}
