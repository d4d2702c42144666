package theory

import (
	"errors"
	"strings"
	"testing"
)

// flatNames spell the black keys with flats, as many charts do.
var flatNames = [12]string{"C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"}

// spellings returns the ways ParseKey must accept for k.
func spellings(k Key) []string {
	cam, open := k.Camelot(), k.OpenKey()
	out := []string{
		cam, strings.ToLower(cam), open, strings.ToUpper(open), k.String(), strings.ToUpper(k.String()),
		"  " + cam + "\t",
	}
	if len(cam) == 2 {
		out = append(out, "0"+cam, "0"+strings.ToLower(cam))
	}
	if len(open) == 2 {
		out = append(out, "0"+open)
	}
	for _, note := range []string{sharpNames[k.Pitch], flatNames[k.Pitch],
		strings.ReplaceAll(strings.ReplaceAll(flatNames[k.Pitch], "b", "♭"), "#", "♯"),
		strings.ReplaceAll(sharpNames[k.Pitch], "#", "♯")} {
		lower := strings.ToLower(note[:1]) + note[1:]
		if k.Mode == Minor {
			out = append(out, note+"m", lower+"m", note+" min", note+"min", note+" minor", note+" Minor", lower+" MINOR")
		} else {
			out = append(out, note, lower, note+" maj", note+"maj", note+" major", note+"Major", lower+" MAJOR")
		}
	}
	return out
}

func TestParseKeyRoundTrip(t *testing.T) {
	for _, k := range allKeys() {
		for _, s := range spellings(k) {
			got, err := ParseKey(s)
			if err != nil {
				t.Errorf("ParseKey(%q): %v", s, err)
				continue
			}
			if got != k {
				t.Errorf("ParseKey(%q) = %v, want %v", s, got, k)
			}
		}
	}
}

func TestParseKeyExamples(t *testing.T) {
	tests := []struct {
		in   string
		want Key
	}{
		{"8A", Key{9, Minor}},
		{"08b", Key{0, Major}},
		{"1m", Key{9, Minor}},
		{"12d", Key{5, Major}},
		{"12B", Key{4, Major}},
		{"C#m", Key{1, Minor}},
		{"Db major", Key{1, Major}},
		{"A minor", Key{9, Minor}},
		{"Bbm", Key{10, Minor}},
		{"bbm", Key{10, Minor}},
		{"c", Key{0, Major}},
		{"F#", Key{6, Major}},
		{"Gb min", Key{6, Minor}},
		{"4A", Key{5, Minor}},
		{"Cb", Key{11, Major}},
		{"E#m", Key{5, Minor}},
		{"B#", Key{0, Major}},
		{"Fb", Key{4, Major}},
		{"E♭ minor", Key{3, Minor}},
		{"b", Key{11, Major}},
		{"b#", Key{0, Major}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseKey(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("ParseKey(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseKeyRejects(t *testing.T) {
	junk := []string{
		"", "   ", "0A", "00A", "13B", "20d", "008B", "8", "12", "8C", "8AB", "8 A", "1x", "-1", "unknown", "?",
		"H", "Hm", "X major", "m", "#", "#C", "C##", "Cbb", "C# minorr", "C mi", "CM", "C#M", "C# M", "Am7",
		"C-minor", "C major major", "8A\x00", "\xff", "♯C", "C♯♯",
	}
	for _, s := range junk {
		t.Run(s, func(t *testing.T) {
			k, err := ParseKey(s)
			if err == nil {
				t.Fatalf("ParseKey(%q) = %v, want error", s, k)
			}
			if !errors.Is(err, ErrKeySyntax) {
				t.Errorf("error %v does not wrap ErrKeySyntax", err)
			}
			if k != UnknownKey {
				t.Errorf("ParseKey(%q) returned %+v with its error, want UnknownKey", s, k)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "theory: invalid key ") || !strings.Contains(msg, "Camelot") ||
				!strings.Contains(msg, "Open Key") || !strings.Contains(msg, `"C#m"`) {
				t.Errorf("error message does not list the accepted forms: %s", msg)
			}
		})
	}
}

func TestParseKeyLongInputTruncated(t *testing.T) {
	_, err := ParseKey(strings.Repeat("x", 10000))
	if err == nil || len(err.Error()) > 1000 {
		t.Errorf("long junk: error %d bytes, want a short error", len(err.Error()))
	}
}

func FuzzParseKey(f *testing.F) {
	for _, s := range []string{"8A", "08b", "1m", "12d", "C#m", "Db major", "A minor", "Bbm", "c", "F#",
		"Gb min", "E♭ minor", "", "13A", "CM", "Cbb", "  9b "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKey(s)
		if err != nil {
			if !errors.Is(err, ErrKeySyntax) || k != UnknownKey {
				t.Fatalf("ParseKey(%q) = %+v, %v", s, k, err)
			}
			return
		}
		if !k.Known() {
			t.Fatalf("ParseKey(%q) = %+v with nil error, but not known", s, k)
		}
		for _, name := range []string{k.Camelot(), k.OpenKey(), k.String()} {
			back, err := ParseKey(name)
			if err != nil || back != k {
				t.Fatalf("ParseKey(%q) = %v, but ParseKey(%q) = %v, %v", s, k, name, back, err)
			}
		}
	})
}
