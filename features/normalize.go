package features

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// This file holds the one name normaliser every matcher uses: the seed
// resolver and recording keys (selector), the search-hit check of the
// Spotify client, the fill of songs without features.

// Normalize folds s for matching: lower case, accents removed, punctuation
// dropped, runs of spaces collapsed. "Beyoncé – Halo!" becomes
// "beyonce halo".
func Normalize(s string) string {
	return string(AppendNormalized(make([]byte, 0, len(s)+8), s))
}

// AppendNormalized appends Normalize(s) to dst, for keys built without
// allocating.
func AppendNormalized(dst []byte, s string) []byte {
	if isASCII(s) {
		return appendNormalizedASCII(dst, s)
	}
	start := len(dst)
	space := true
	// Invalid UTF-8 is a separator like any other non-letter; made valid
	// first, it cannot hide the letters after it from NFKD.
	for _, r := range norm.NFKD.String(strings.ToValidUTF8(s, "\uFFFD")) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// combining accent: drop
		case special[r] != "":
			// a letter Unicode does not decompose: ø, ł, æ, ß, ...
			dst = append(dst, special[r]...)
			space = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
			space = false
		case r == '&':
			if !space {
				dst = append(dst, ' ')
			}
			dst = append(dst, "and "...)
			space = true
		case r == '\'' || r == '’' || r == '`' || r == '´':
			// "don't" and "dont" match
		default:
			if !space {
				dst = append(dst, ' ')
				space = true
			}
		}
	}
	return trimSpaces(dst, start)
}

// appendNormalizedASCII is appendNormalized for ASCII text, byte by byte:
// most titles are ASCII, and a catalog normalises tens of thousands of
// them at start.
func appendNormalizedASCII(dst []byte, s string) []byte {
	start := len(dst)
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			dst = append(dst, c)
			space = false
		case 'A' <= c && c <= 'Z':
			dst = append(dst, c+'a'-'A')
			space = false
		case c == '&':
			if !space {
				dst = append(dst, ' ')
			}
			dst = append(dst, "and "...)
			space = true
		case c == '\'' || c == '`':
		default:
			if !space {
				dst = append(dst, ' ')
				space = true
			}
		}
	}
	return trimSpaces(dst, start)
}

// trimSpaces drops the spaces at the end of dst[start:]: the only spaces
// that can be there, as a normalised text never starts with one.
func trimSpaces(dst []byte, start int) []byte {
	for len(dst) > start && dst[len(dst)-1] == ' ' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// special maps letters that Unicode does not decompose into a base letter
// and an accent.
var special = map[rune]string{
	'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d",
	'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ß': "ss", 'ı': "i",
}
