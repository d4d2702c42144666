package selector

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// The documented ranges of the knobs and counts every command checks with
// [Knobs.Validate] and [CheckCount]. The bounds keep every score a number a
// person can read: with the scaled features within about ±10, a weight of
// 100 already lets one term outweigh the others a hundredfold.
const (
	MaxWeight    = 100    // flow, sweetness, smoothness, belong and taste are in [0, MaxWeight]
	MaxSpicyness = 20     // spicyness is in [0, MaxSpicyness]
	MaxLength    = 10_000 // a built playlist has 1 to MaxLength songs
	MaxPool      = 10_000_000
)

// RangeError is a knob or count outside its documented range. Its message
// names the command-line flag: "--spicyness: NaN is not a number in [0, 20]".
type RangeError struct {
	Name    string  // the knob or count, as its flag is spelled without "--"
	Value   float64 // the value given
	Lo, Hi  float64 // the closed range allowed
	Integer bool    // whether the value must also be a whole number
}

func (e *RangeError) Error() string {
	kind := "a number"
	if e.Integer {
		kind = "a whole number"
	}
	return fmt.Sprintf("--%s: %s is not %s in [%s, %s]", e.Name, fmtNum(e.Value), kind, fmtNum(e.Lo), fmtNum(e.Hi))
}

// ErrRange is what every *RangeError matches with errors.Is.
var ErrRange = errors.New("selector: value out of range")

// Is reports whether target is ErrRange.
func (e *RangeError) Is(target error) bool { return target == ErrRange }

// fmtNum writes v shortest, whole numbers below 1e15 in full.
func fmtNum(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// checkRange returns a *RangeError unless v is a number in [lo, hi] (NaN
// never is).
func checkRange(name string, v, lo, hi float64) error {
	if !(v >= lo && v <= hi) {
		return &RangeError{Name: name, Value: v, Lo: lo, Hi: hi}
	}
	return nil
}

// Validate returns a *RangeError for the first knob that is not a finite
// number in its documented range: flow, sweetness, smoothness, belong and
// taste (its flag: --taste-weight) in [0, MaxWeight], spicyness in [0, MaxSpicyness]. Build, eval, sweep and
// every future command that takes knobs call it before any work.
func (k Knobs) Validate() error { return k.check(false) }

// ValidateSigned is Validate with negative weights allowed: each knob in
// [−max, max]. A negative weight rewards what the objective normally
// penalises (a key clash, a tempo jump); commands allow it only with
// --allow-negative.
func (k Knobs) ValidateSigned() error { return k.check(true) }

func (k Knobs) check(signed bool) error {
	for _, c := range []struct {
		name string
		v    float64
		max  float64
	}{
		{"flow", k.Flow, MaxWeight},
		{"spicyness", k.Spicyness, MaxSpicyness},
		{"sweetness", k.Sweetness, MaxWeight},
		{"smoothness", k.Smoothness, MaxWeight},
		{"belong", k.Belong, MaxWeight},
		{"taste-weight", k.Taste, MaxWeight},
	} {
		lo := 0.0
		if signed {
			lo = -c.max
		}
		if err := checkRange(c.name, c.v, lo, c.max); err != nil {
			return err
		}
	}
	return nil
}

// CheckCount returns a *RangeError (with Integer set) unless n is in
// [lo, hi]; name is the flag without "--".
func CheckCount(name string, n, lo, hi int) error {
	if n < lo || n > hi {
		return &RangeError{Name: name, Value: float64(n), Lo: float64(lo), Hi: float64(hi), Integer: true}
	}
	return nil
}

// ParseCount parses a whole number given to flag name and checks it is in
// [lo, hi]; text that is not a whole number is a *RangeError too, with
// Value NaN.
func ParseCount(name, s string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, &rangeTextError{RangeError{Name: name, Value: math.NaN(), Lo: float64(lo), Hi: float64(hi), Integer: true}, s}
	}
	return n, CheckCount(name, n, lo, hi)
}

// rangeTextError is a RangeError for text that is not a number at all; it
// quotes the text.
type rangeTextError struct {
	RangeError
	text string
}

func (e *rangeTextError) Error() string {
	return fmt.Sprintf("--%s: %q is not a whole number in [%s, %s]", e.Name, e.text, fmtNum(e.Lo), fmtNum(e.Hi))
}
