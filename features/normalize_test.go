package features

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Beyoncé – Halo!", "beyonce halo"},
		{"  DON'T   Stop Me Now ", "dont stop me now"},
		{"Don`t ´Stop", "dont stop"},
		{"Simon & Garfunkel", "simon and garfunkel"},
		{"Sigur Rós", "sigur ros"},
		{"Røyksopp – Ærø", "royksopp aero"},
		{"Mø", "mo"},
		{"Łódź Straße", "lodz strasse"},
		{"ＡＢＣ", "abc"},
		{"AC/DC - T.N.T.", "ac dc t n t"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzNormalize checks that the ASCII fast path agrees with the general
// Unicode path on ASCII input, and that Normalize is idempotent.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Beyoncé – Halo!", "Simon & Garfunkel", "  DON'T   Stop ", "a&&b", "AC/DC - T.N.T.", "\x00\x7f", "Røyksopp", "a`b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Normalize(s)
		if isASCII(s) {
			// Force the general path by appending a non-ASCII separator.
			slow := Normalize(s + "…")
			if got != slow {
				t.Errorf("ASCII path %q, general path %q for %q", got, slow, s)
			}
		}
		if again := Normalize(got); again != got {
			t.Errorf("not idempotent: %q -> %q -> %q", s, got, again)
		}
	})
}
