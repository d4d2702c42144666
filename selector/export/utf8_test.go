package export

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestInvalidUTF8: a title, artist and album with invalid bytes come out
// as valid UTF-8 in every format, with U+FFFD where the bytes were (issue
// 16, item 5); the tracks themselves are not changed.
func TestInvalidUTF8(t *testing.T) {
	picks := playlist(t)
	tr := *picks[1].Track
	tr.Name, tr.Artists, tr.Album = "Caf\xe9 \xff\xfeNoir", []string{"Bj\xf6rk"}, "\xc3"
	picks[1].Track = &tr
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, format, picks); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if !utf8.ValidString(out) {
				t.Fatalf("output is not valid UTF-8:\n%q", out)
			}
			if !strings.Contains(out, "Bj\uFFFDrk") || (format != "table" && !strings.Contains(out, "Caf\uFFFD \uFFFDNoir")) {
				t.Errorf("no U+FFFD where the bytes were:\n%s", out)
			}
		})
	}
	if tr.Name != "Caf\xe9 \xff\xfeNoir" {
		t.Errorf("the track was changed: %q", tr.Name)
	}
}
