package theory

import "strconv"

// Mode is the mode of a key, numbered as Spotify does.
type Mode int

// Modes. Any other value is treated as unknown.
const (
	UnknownMode Mode = -1
	Minor       Mode = 0
	Major       Mode = 1
)

// String returns "minor", "major" or "unknown".
func (m Mode) String() string {
	switch m {
	case Minor:
		return "minor"
	case Major:
		return "major"
	}
	return "unknown"
}

// Key is a musical key: a pitch class (C = 0, C# = 1, ... B = 11) and a mode.
//
// A Key is known when Pitch is in 0..11 and Mode is Minor or Major; every
// method treats any other Key as unknown. Note that the zero Key is C minor,
// because Spotify numbers minor 0: use UnknownKey, or NewKey with Spotify's
// -1, for a missing key.
type Key struct {
	Pitch int  // pitch class 0-11 (C = 0), -1 unknown
	Mode  Mode // Minor, Major or UnknownMode
}

// UnknownKey is the canonical unknown key, as NewKey returns it.
var UnknownKey = Key{Pitch: -1, Mode: UnknownMode}

// NewKey returns the key with Spotify's pitch class (0-11) and mode (0 minor,
// 1 major). If either is out of range (Spotify uses -1 for unknown) it
// returns UnknownKey: a key is never half known.
func NewKey(pitch, mode int) Key {
	k := Key{Pitch: pitch, Mode: Mode(mode)}
	if !k.Known() {
		return UnknownKey
	}
	return k
}

// Known reports whether k is a real key: pitch 0..11 and mode Minor or Major.
func (k Key) Known() bool {
	return k.Pitch >= 0 && k.Pitch < 12 && (k.Mode == Minor || k.Mode == Major)
}

// RelativeMajor returns the pitch class of the major key sharing k's notes:
// k's own pitch for a major key, three semitones up for a minor key (A minor
// gives 0, C). It returns -1 if k is unknown.
func (k Key) RelativeMajor() int {
	if !k.Known() {
		return -1
	}
	if k.Mode == Minor {
		return (k.Pitch + 3) % 12
	}
	return k.Pitch
}

// Relative returns the relative minor of a major key (C major gives A minor)
// and the relative major of a minor key. It returns UnknownKey if k is
// unknown.
func (k Key) Relative() Key {
	if !k.Known() {
		return UnknownKey
	}
	if k.Mode == Minor {
		return Key{Pitch: (k.Pitch + 3) % 12, Mode: Major}
	}
	return Key{Pitch: (k.Pitch + 9) % 12, Mode: Minor}
}

// Fifths returns k's position on the circle of fifths, 0..11, counted in
// fifths up from C major / A minor: 7 * RelativeMajor mod 12. G major and E
// minor are 1, F major and D minor 11. It returns -1 if k is unknown.
func (k Key) Fifths() int {
	r := k.RelativeMajor()
	if r < 0 {
		return -1
	}
	return 7 * r % 12
}

// camelotNumber returns k's Camelot number 1..12, or 0 if k is unknown.
func (k Key) camelotNumber() int {
	p := k.Fifths()
	if p < 0 {
		return 0
	}
	return (p+7)%12 + 1
}

// camelotNames and openKeyNames are indexed by [number-1][mode]; they let the
// naming methods return constant strings without allocating.
var camelotNames, openKeyNames [12][2]string

func init() {
	for n := 1; n <= 12; n++ {
		num := strconv.Itoa(n)
		camelotNames[n-1][Minor] = num + "A"
		camelotNames[n-1][Major] = num + "B"
		openKeyNames[n-1][Minor] = num + "m"
		openKeyNames[n-1][Major] = num + "d"
	}
}

// Camelot returns k's Camelot code: the number ((7k mod 12) + 7) mod 12 + 1
// for the relative-major pitch class k, and A for minor or B for major. C
// major is "8B", A minor "8A", F minor "4A". It returns "" if k is unknown.
func (k Key) Camelot() string {
	n := k.camelotNumber()
	if n == 0 {
		return ""
	}
	return camelotNames[n-1][k.Mode]
}

// OpenKey returns k's Open Key code: the number (7k mod 12) + 1 for the
// relative-major pitch class k, and d for major or m for minor. C major is
// "1d", A minor "1m". It returns "" if k is unknown.
func (k Key) OpenKey() string {
	p := k.Fifths()
	if p < 0 {
		return ""
	}
	return openKeyNames[p][k.Mode]
}

// sharpNames are the pitch class names String uses.
var sharpNames = [12]string{"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"}

// keyNames holds String's results, indexed by [pitch][mode].
var keyNames [12][2]string

func init() {
	for p, name := range sharpNames {
		keyNames[p][Minor] = name + " minor"
		keyNames[p][Major] = name + " major"
	}
}

// String returns k's name with sharps, such as "C major" or "C# minor", or
// "unknown".
func (k Key) String() string {
	if !k.Known() {
		return "unknown"
	}
	return keyNames[k.Pitch][k.Mode]
}

// FifthsDistance returns the number of steps between a and b on the circle
// of fifths, the short way round, after mapping minor keys to their relative
// majors: 0 for the same key or its relative, 1 for a fifth up or down, up
// to 6 for a tritone. It is symmetric. It returns -1 if either key is
// unknown.
func FifthsDistance(a, b Key) int {
	pa, pb := a.Fifths(), b.Fifths()
	if pa < 0 || pb < 0 {
		return -1
	}
	d := pa - pb
	if d < 0 {
		d = -d
	}
	if d > 6 {
		d = 12 - d
	}
	return d
}

// Neutral is the similarity KeySim and TempoSim give when a key or tempo is
// unknown: the middle of their range [-1, 1], neither reward nor penalty.
const Neutral = 0.0

// KeySim returns DISCO's key similarity of a and b, in [-1, 1]:
// 1 - ([d == 0] + d - 1) / 2.5 with d = FifthsDistance(a, b), so d = 0..6
// gives 1, 1, 0.6, 0.2, -0.2, -0.6, -1. It is symmetric. If either key is
// unknown it returns Neutral; it never returns NaN.
func KeySim(a, b Key) float64 {
	d := FifthsDistance(a, b)
	if d < 0 {
		return Neutral
	}
	same := 0.0
	if d == 0 {
		same = 1
	}
	return 1 - (same+float64(d)-1)/2.5
}
