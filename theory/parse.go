package theory

import (
	"errors"
	"fmt"
	"strings"
)

// ErrKeySyntax is the error ParseKey wraps when it cannot read a key; the
// message around it names the input, the reason and the accepted forms.
var ErrKeySyntax = errors.New("theory: invalid key")

// keyForms lists the notations ParseKey accepts, for its error messages.
const keyForms = `want Camelot 1A-12B (e.g. "8A", "08b"), Open Key 1m-12d (e.g. "1d", "12m"), ` +
	`or a note A-G with optional #, b, ♯ or ♭ and optional mode m, min, minor, maj or major ` +
	`(e.g. "C#m", "Db major", "A minor", "Bbm", "F#"; no mode means major)`

// ParseKey reads a key written in any of these notations, ignoring leading
// and trailing white space:
//
//   - Camelot: a number 1-12, optionally with one leading zero, then A
//     (minor) or B (major), in either case: "8A", "08b", "12B".
//   - Open Key: a number 1-12 then m (minor) or d (major), in either case:
//     "1m", "12d".
//   - A note name: a letter A-G in either case, an optional accidental (#
//     or ♯ sharp, a lowercase b or ♭ flat), then an optional mode, with or
//     without a space: "m", "min" or "minor" for minor, "maj" or "major"
//     (any case) or nothing for major. "C#m", "Db major", "A minor", "Bbm",
//     "c" (C major), "F#", "Gb min". Enharmonic spellings such as "Cb" (B)
//     and "E#" (F) are accepted.
//
// A bare uppercase "M" after a note ("CM") is rejected as ambiguous: some
// write it for major, and "m" means minor.
//
// ParseKey never returns an unknown key with a nil error: an empty string,
// "-1" or "unknown" are errors, and the caller decides what a missing key
// means. Every error wraps ErrKeySyntax. Any key k round-trips:
// ParseKey(k.Camelot()), ParseKey(k.OpenKey()) and ParseKey(k.String()) all
// return k.
func ParseKey(s string) (Key, error) {
	k, reason := parseKey(strings.TrimSpace(s))
	if reason != "" {
		if len(s) > 40 {
			s = s[:40] + "..."
		}
		return UnknownKey, fmt.Errorf("%w %q: %s; %s", ErrKeySyntax, s, reason, keyForms)
	}
	return k, nil
}

// parseKey parses a trimmed key; it returns a non-empty reason on failure.
func parseKey(t string) (Key, string) {
	if t == "" {
		return UnknownKey, "empty"
	}
	if isDigit(t[0]) {
		return parseWheel(t)
	}
	return parseNote(t)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// parseWheel parses a Camelot or Open Key code.
func parseWheel(t string) (Key, string) {
	i := 0
	for i < len(t) && isDigit(t[i]) {
		i++
	}
	if i > 2 {
		return UnknownKey, "wheel number must be 1-12"
	}
	n := int(t[0] - '0')
	if i == 2 {
		n = 10*n + int(t[1]-'0')
	}
	if n < 1 || n > 12 {
		return UnknownKey, "wheel number must be 1-12"
	}
	if len(t) != i+1 {
		return UnknownKey, "want exactly one letter A, B (Camelot), m or d (Open Key) after the number"
	}
	switch lowerASCII(t[i]) {
	case 'a':
		return fromFifths((n+4)%12, Minor), ""
	case 'b':
		return fromFifths((n+4)%12, Major), ""
	case 'm':
		return fromFifths(n-1, Minor), ""
	case 'd':
		return fromFifths(n-1, Major), ""
	}
	return UnknownKey, "want exactly one letter A, B (Camelot), m or d (Open Key) after the number"
}

// fromFifths returns the key of mode m at position p (0..11) on the circle
// of fifths. The inverse of 7 modulo 12 is 7, so the relative major is 7p
// mod 12.
func fromFifths(p int, m Mode) Key {
	major := 7 * p % 12
	if m == Minor {
		return Key{Pitch: (major + 9) % 12, Mode: Minor}
	}
	return Key{Pitch: major, Mode: Major}
}

// notePitch holds the pitch class of the natural notes, indexed by
// letter-'a'.
var notePitch = [7]int{9, 11, 0, 2, 4, 5, 7} // a b c d e f g

// parseNote parses a note name with optional accidental and mode.
func parseNote(t string) (Key, string) {
	c := lowerASCII(t[0])
	if c < 'a' || c > 'g' {
		return UnknownKey, "want a wheel number or a note letter A-G first"
	}
	pitch := notePitch[c-'a']
	rest := t[1:]
	switch {
	case strings.HasPrefix(rest, "#"):
		pitch, rest = pitch+1, rest[1:]
	case strings.HasPrefix(rest, "♯"):
		pitch, rest = pitch+1, rest[len("♯"):]
	case strings.HasPrefix(rest, "b"):
		pitch, rest = pitch+11, rest[1:]
	case strings.HasPrefix(rest, "♭"):
		pitch, rest = pitch+11, rest[len("♭"):]
	}
	pitch %= 12
	mode := strings.TrimLeft(rest, " \t")
	switch {
	case mode == "":
		return Key{Pitch: pitch, Mode: Major}, ""
	case mode == "m", strings.EqualFold(mode, "min"), strings.EqualFold(mode, "minor"):
		return Key{Pitch: pitch, Mode: Minor}, ""
	case strings.EqualFold(mode, "maj"), strings.EqualFold(mode, "major"):
		return Key{Pitch: pitch, Mode: Major}, ""
	case mode == "M":
		return UnknownKey, `ambiguous mode "M" (write m or min for minor, maj or major for major)`
	}
	return UnknownKey, fmt.Sprintf("unknown accidental or mode %q", mode)
}
