package plots

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/vg"
)

var regen = flag.Bool("regen", false, "rewrite the golden PNGs in testdata/ from the current code")

// checkGolden draws d and compares its pixels with testdata/name.png
// (pixels, not PNG bytes, so a change of PNG encoder does not matter; and
// skipping the encoding keeps the test fast). With -regen it rewrites the
// golden file instead. On a mismatch it writes the new picture and a
// difference mask next to the system's temporary files and names them in
// the failure.
func checkGolden(t *testing.T, name string, d Drawer, w, h vg.Length) {
	t.Helper()
	gi, err := Image(d, w, h)
	if err != nil {
		t.Fatalf("Image: %v", err)
	}
	path := filepath.Join("testdata", name+".png")
	if *regen {
		var buf bytes.Buffer
		if err := png.Encode(&buf, gi); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run go test -regen to create it): %v", err)
	}
	wi, err := png.Decode(bytes.NewReader(want))
	if err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	if samePixels(gi, wi) {
		return
	}
	n, mask := pixelDiff(gi, wi)
	if n == 0 {
		return
	}
	base := filepath.Join(os.TempDir(), "plots-"+name)
	var buf bytes.Buffer
	if png.Encode(&buf, gi) == nil {
		_ = os.WriteFile(base+"-got.png", buf.Bytes(), 0o644)
	}
	buf.Reset()
	if mask != nil && png.Encode(&buf, mask) == nil {
		_ = os.WriteFile(base+"-diff.png", buf.Bytes(), 0o644)
	}
	t.Errorf("%s: %d pixels differ (got %s-got.png, differences in red in %s-diff.png); run go test -regen if the change is intended", path, n, base, base)
}

// samePixels is a fast exact comparison of two RGBA images (what Image
// returns and what decoding an opaque PNG gives); false for other types.
func samePixels(a, b image.Image) bool {
	ra, ok1 := a.(*image.RGBA)
	rb, ok2 := b.(*image.RGBA)
	if !ok1 || !ok2 || ra.Rect != rb.Rect || ra.Stride != rb.Stride {
		return false
	}
	return bytes.Equal(ra.Pix, rb.Pix)
}

// pixelDiff counts the pixels that differ between a and b and returns a
// mask with them in red over a faded copy of b; nil if the sizes differ.
func pixelDiff(a, b image.Image) (int, image.Image) {
	if a.Bounds() != b.Bounds() {
		return a.Bounds().Dx()*a.Bounds().Dy() + 1, nil
	}
	r := a.Bounds()
	mask := image.NewNRGBA(r)
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ra, ga, ba, aa := a.At(x, y).RGBA()
			rb, gb, bb, ab := b.At(x, y).RGBA()
			cb := color.NRGBAModel.Convert(b.At(x, y)).(color.NRGBA)
			if ra != rb || ga != gb || ba != bb || aa != ab {
				n++
				mask.SetNRGBA(x, y, color.NRGBA{0xFF, 0, 0, 0xFF})
				continue
			}
			g := uint8((int(cb.R) + int(cb.G) + int(cb.B)) / 3)
			g = 0xFF - (0xFF-g)/4
			mask.SetNRGBA(x, y, color.NRGBA{g, g, g, 0xFF})
		}
	}
	return n, mask
}

func TestGolden(t *testing.T) {
	path, bg := exampleMap()
	train, val, best := exampleLoss()
	nan := math.NaN()
	cases := []struct {
		name string
		fig  func() (*Figure, error)
	}{
		{"flow", func() (*Figure, error) { return Flow(exampleFlow(), "Flow of “French touch, 1999”") }},
		{"map", func() (*Figure, error) {
			return Map(path, bg, "PC 1 (37% of variance)", "PC 2 (18%)", "The playlist's path through the catalog")
		}},
		{"mix", func() (*Figure, error) { return Mix(exampleMix(), "Keys and tempos of “French touch, 1999”") }},
		{"loss", func() (*Figure, error) { return Loss(train, val, best, "Training the flow model") }},
		{"sweep", func() (*Figure, error) {
			xs := []float64{0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2}
			return SweepLine("spicyness", "mean flow error (scaled)", xs, []Series{
				{"DISCO (RNN)", []float64{0.92, 0.81, 0.72, 0.66, 0.63, 0.62, 0.64, 0.71}},
				{"order-blind mean", []float64{0.95, 0.86, 0.79, 0.74, 0.72, 0.72, 0.75, nan}},
				{"random order", []float64{1.12, 1.08, 1.05, 1.03, 1.02, 1.03, 1.06, 1.14}},
			}, "Spicyness sweep, 200 held-out playlists")
		}},
		{"heatmap", func() (*Figure, error) {
			xs := []float64{0, 0.5, 1, 2}
			ys := []float64{0, 0.5, 1, 2, 4}
			z := [][]float64{
				{0.712, 0.688, 0.671, 0.702},
				{0.695, 0.664, 0.650, 0.681},
				{0.690, 0.655, 0.641, 0.677},
				{0.701, 0.662, nan, 0.686},
				{0.748, 0.709, 0.690, 0.724},
			}
			return Heatmap("sweetness (key weight)", "smoothness (tempo weight)", xs, ys, z, "flow error", "Flow error over key and tempo weights")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fig, err := c.fig()
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, c.name, fig, 0, 0)
		})
	}
}
