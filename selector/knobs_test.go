package selector

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestKnobsValidate(t *testing.T) {
	def := DefaultKnobs()
	with := func(f func(*Knobs)) Knobs { k := def; f(&k); return k }
	for _, c := range []struct {
		name    string
		k       Knobs
		signed  bool
		wantErr string // "" for valid
	}{
		{"defaults", def, false, ""},
		{"original", OriginalKnobs, false, ""},
		{"zero", Knobs{}, false, ""},
		{"upper bounds", Knobs{Flow: MaxWeight, Spicyness: MaxSpicyness, Sweetness: MaxWeight, Smoothness: MaxWeight}, false, ""},
		{"spicyness NaN", with(func(k *Knobs) { k.Spicyness = math.NaN() }), false, "--spicyness: NaN is not a number in [0, 20]"},
		{"spicyness Inf", with(func(k *Knobs) { k.Spicyness = math.Inf(1) }), false, "--spicyness: +Inf is not a number in [0, 20]"},
		{"spicyness 1e308", with(func(k *Knobs) { k.Spicyness = 1e308 }), false, "--spicyness: 1e+308 is not a number in [0, 20]"},
		{"spicyness -5", with(func(k *Knobs) { k.Spicyness = -5 }), false, "--spicyness: -5 is not a number in [0, 20]"},
		{"spicyness -5 signed", with(func(k *Knobs) { k.Spicyness = -5 }), true, ""},
		{"sweetness NaN", with(func(k *Knobs) { k.Sweetness = math.NaN() }), false, "--sweetness: NaN is not a number in [0, 100]"},
		{"sweetness 1e308", with(func(k *Knobs) { k.Sweetness = 1e308 }), true, "--sweetness: 1e+308 is not a number in [-100, 100]"},
		{"flow NaN", with(func(k *Knobs) { k.Flow = math.NaN() }), false, "--flow: NaN is not a number in [0, 100]"},
		{"smoothness -Inf", with(func(k *Knobs) { k.Smoothness = math.Inf(-1) }), true, "--smoothness: -Inf is not a number in [-100, 100]"},
		{"smoothness -1", with(func(k *Knobs) { k.Smoothness = -1 }), false, "--smoothness: -1 is not a number in [0, 100]"},
		{"taste 100", with(func(k *Knobs) { k.Taste = MaxWeight }), false, ""},
		{"taste NaN", with(func(k *Knobs) { k.Taste = math.NaN() }), false, "--taste-weight: NaN is not a number in [0, 100]"},
		{"taste -1", with(func(k *Knobs) { k.Taste = -1 }), false, "--taste-weight: -1 is not a number in [0, 100]"},
		{"taste 101 signed", with(func(k *Knobs) { k.Taste = 101 }), true, "--taste-weight: 101 is not a number in [-100, 100]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.k.Validate()
			if c.signed {
				err = c.k.ValidateSigned()
			}
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			if err == nil || err.Error() != c.wantErr {
				t.Fatalf("got %v, want %q", err, c.wantErr)
			}
			var re *RangeError
			if !errors.As(err, &re) || !errors.Is(err, ErrRange) {
				t.Errorf("%v is not a *RangeError matching ErrRange", err)
			}
		})
	}
}

func TestCheckAndParseCount(t *testing.T) {
	for _, c := range []struct {
		name    string
		text    string
		lo, hi  int
		want    int
		wantErr string
	}{
		{"in range", "13", 1, MaxLength, 13, ""},
		{"low bound", "1", 1, 10, 1, ""},
		{"zero", "0", 1, 10, 0, "--n: 0 is not a whole number in [1, 10]"},
		{"too many", "1000000", 1, MaxLength, 1000000, "--n: 1000000 is not a whole number in [1, 10000]"},
		{"not a number", "many", 1, 10, 0, `--n: "many" is not a whole number in [1, 10]`},
		{"fraction", "2.5", 1, 10, 0, `--n: "2.5" is not a whole number in [1, 10]`},
	} {
		t.Run(c.name, func(t *testing.T) {
			n, err := ParseCount("n", c.text, c.lo, c.hi)
			if c.wantErr == "" {
				if err != nil || n != c.want {
					t.Fatalf("got %d, %v; want %d", n, err, c.want)
				}
				return
			}
			if err == nil || err.Error() != c.wantErr || !errors.Is(err, ErrRange) {
				t.Fatalf("got %v, want %q (matching ErrRange)", err, c.wantErr)
			}
		})
	}
}

// TestNotFoundCutsLongSeed: an error quotes at most MaxQueryShown runes of
// a seed.
func TestNotFoundCutsLongSeed(t *testing.T) {
	long := strings.Repeat("é", 5000)
	msg := (&NotFoundError{Query: long}).Error()
	if len(msg) > 300 || !strings.Contains(msg, "…") {
		t.Errorf("message of %d bytes, want the seed cut: %.100q", len(msg), msg)
	}
}
