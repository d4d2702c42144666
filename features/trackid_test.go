package features

import (
	"strings"
	"testing"
)

func TestParseTrackRef(t *testing.T) {
	const id = "4uLU6hMCjMI75M1A2tKUQC"
	tests := []struct {
		name string
		in   string
		want string // "" means not ok
	}{
		{"bare", id, id},
		{"bare spaces", "  \t" + id + " \r\n", id},
		{"uri", "spotify:track:" + id, id},
		{"uri upper scheme", "Spotify:Track:" + id, id},
		{"uri spaces", " spotify:track:" + id + "\n", id},
		{"https", "https://open.spotify.com/track/" + id, id},
		{"https si", "https://open.spotify.com/track/" + id + "?si=a1b2c3d4e5f6", id},
		{"http", "http://open.spotify.com/track/" + id, id},
		{"no scheme intl", "open.spotify.com/intl-de/track/" + id, id},
		{"intl pt-BR", "https://open.spotify.com/intl-pt-br/track/" + id + "?si=x&utm=y", id},
		{"trailing slash", "https://open.spotify.com/track/" + id + "/", id},
		{"fragment", "https://open.spotify.com/track/" + id + "#x", id},
		{"embed", "https://open.spotify.com/embed/track/" + id, id},
		{"play host", "https://play.spotify.com/track/" + id, id},
		{"upper host", "HTTPS://OPEN.SPOTIFY.COM/track/" + id, id},

		{"empty", "", ""},
		{"spaces", "   ", ""},
		{"short", id[:21], ""},
		{"long", id + "A", ""},
		{"bad char", id[:21] + "-", ""},
		{"inner space", id[:10] + " " + id[11:], ""},
		{"album uri", "spotify:album:" + id, ""},
		{"playlist url", "https://open.spotify.com/playlist/" + id, ""},
		{"uri short", "spotify:track:" + id[:20], ""},
		{"uri trailing", "spotify:track:" + id + "x", ""},
		{"local", "spotify:local:Artist:Album:Title:215", ""},
		{"other host", "https://example.com/track/" + id, ""},
		{"host only", "open.spotify.com", ""},
		{"extra segment", "https://open.spotify.com/track/" + id + "/more", ""},
		{"bare intl", "https://open.spotify.com/intl-/track/" + id, ""},
		{"two intl", "https://open.spotify.com/intl-de/intl-fr/track/" + id, ""},
		{"non-ascii", "ÿ" + id[1:], ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseTrackRef(tt.in)
			if ok != (tt.want != "") || got != tt.want {
				t.Errorf("ParseTrackRef(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.want != "")
			}
		})
	}
}

func FuzzParseTrackRef(f *testing.F) {
	for _, s := range []string{
		"4uLU6hMCjMI75M1A2tKUQC",
		"spotify:track:4uLU6hMCjMI75M1A2tKUQC",
		"https://open.spotify.com/intl-de/track/4uLU6hMCjMI75M1A2tKUQC?si=1",
		"open.spotify.com/track/",
		"spotify:track:",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := ParseTrackRef(s)
		if !ok {
			if id != "" {
				t.Fatalf("ParseTrackRef(%q) = %q with ok false", s, id)
			}
			return
		}
		if !IsTrackID(id) {
			t.Fatalf("ParseTrackRef(%q) = %q, not a track id", s, id)
		}
		if !strings.Contains(s, id) {
			t.Fatalf("ParseTrackRef(%q) = %q, not in the input", s, id)
		}
		for _, form := range []string{id, "spotify:track:" + id, "https://open.spotify.com/track/" + id + "?si=z"} {
			if got, ok := ParseTrackRef(form); !ok || got != id {
				t.Fatalf("ParseTrackRef(%q) = %q, %v; want %q", form, got, ok, id)
			}
		}
	})
}
