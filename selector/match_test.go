package selector

import (
	"errors"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
)

func testCatalog() *features.Catalog {
	f := features.Vector{0.5, 0.5, 0.5, 0.5, 0.5, -5, 0.1, 0.5}
	return features.NewCatalog(
		track("6f807x0ima9a1j3VPbc7VN", "Ed Sheeran", "I Don't Care (with Justin Bieber) - Loud Luxury Remix", 6, 1, 122, f),
		track("0r7CVbZTWZgbTCYdfa2P31", "Maroon 5", "Memories - Dillon Francis Remix", 11, 1, 100, f),
		track("2oCs0DGTsRO98Gh5ZSl2Cx", "Beyoncé", "Halo", 11, 1, 80, f),
		track("3oCs0DGTsRO98Gh5ZSl2Cx", "Beyonce", "Halo", 11, 1, 80, f), // same recording, other id
		track("4oCs0DGTsRO98Gh5ZSl2Cx", "Beyoncé", "Crazy in Love", 2, 0, 99, f),
		track("5oCs0DGTsRO98Gh5ZSl2Cx", "Daft Punk", "One More Time", 2, 1, 123, f),
		track("7oCs0DGTsRO98Gh5ZSl2Cx", "Cher", "Believe", 6, 1, 133, f),
		track("8oCs0DGTsRO98Gh5ZSl2Cx", "Imagine Dragons", "Believer", 10, 0, 125, f),
	)
}

func TestResolve(t *testing.T) {
	r := NewResolver(testCatalog())
	tests := []struct {
		query     string
		want      string // id, or "" for an error
		ambiguous bool
		closest   string // an id the error must suggest
	}{
		{query: "beyonce - halo", want: "2oCs0DGTsRO98Gh5ZSl2Cx"},
		{query: "BEYONCÉ – HALO!!", want: "2oCs0DGTsRO98Gh5ZSl2Cx"},
		{query: "Halo", want: "2oCs0DGTsRO98Gh5ZSl2Cx"},
		{query: "daft punk one more time", want: "5oCs0DGTsRO98Gh5ZSl2Cx"},
		{query: "spotify:track:0r7CVbZTWZgbTCYdfa2P31", want: "0r7CVbZTWZgbTCYdfa2P31"},
		{query: "https://open.spotify.com/track/0r7CVbZTWZgbTCYdfa2P31?si=abc", want: "0r7CVbZTWZgbTCYdfa2P31"},
		{query: "6f807x0ima9a1j3VPbc7VN", want: "6f807x0ima9a1j3VPbc7VN"},
		{query: "Ed Sheeran - I Dont Care", want: "6f807x0ima9a1j3VPbc7VN"},
		{query: "Beyoncé", ambiguous: true},
		{query: "Beleive", closest: "7oCs0DGTsRO98Gh5ZSl2Cx"},
		{query: "Dafft Punk - One Mor Time", closest: "5oCs0DGTsRO98Gh5ZSl2Cx"},
		{query: "spotify:track:0000000000000000000000"},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			got, err := r.Resolve(tc.query)
			if tc.want != "" {
				if err != nil || got.ID != tc.want {
					t.Fatalf("got %v, %v; want %s", got, err, tc.want)
				}
				return
			}
			var nf *NotFoundError
			if !errors.As(err, &nf) {
				t.Fatalf("err = %v, want *NotFoundError", err)
			}
			if nf.Ambiguous != tc.ambiguous {
				t.Errorf("ambiguous = %v, want %v", nf.Ambiguous, tc.ambiguous)
			}
			if tc.closest != "" {
				if len(nf.Matches) == 0 || nf.Matches[0].ID != tc.closest {
					t.Errorf("closest %v, want %s first", nf.Matches, tc.closest)
				}
				if !strings.Contains(err.Error(), nf.Matches[0].Name) {
					t.Errorf("error %q does not name the closest match", err)
				}
			}
		})
	}
}

func TestResolveNoFeatures(t *testing.T) {
	walk := &features.Track{ID: "76Je5Wklky23mVoxiRszcN", Name: "Walk", Artists: []string{"Foo Fighters"}, Key: -1, Mode: -1, Features: features.NoFeatures}
	cat := testCatalog()
	cat.Add(walk)
	cat.Add(track("9oCs0DGTsRO98Gh5ZSl2Cx", "Foo Fighters", "Walking After You - Live", 4, 1, 90, features.Vector{0.1, 0.2, 0.3, 0.4, 0.5, -6, 0.1, 0.2}))
	r := NewResolver(cat)
	tests := []struct {
		query string
		want  string // the error's type: "nofeatures" or "notfound"
	}{
		{"Foo Fighters - Walk", "nofeatures"},
		{"walk", "nofeatures"},
		{"spotify:track:76Je5Wklky23mVoxiRszcN", "nofeatures"},
		{"Foo Fighters - Rope", "notfound"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			_, err := r.Resolve(tt.query)
			var nf *NoFeaturesError
			var nm *NotFoundError
			switch {
			case tt.want == "nofeatures" && errors.As(err, &nf):
				if nf.Track != walk || !strings.Contains(err.Error(), `seed "`+tt.query+`" is Foo Fighters - Walk (76Je5Wklky23mVoxiRszcN), which has no audio features`) {
					t.Errorf("err = %v", err)
				}
			case tt.want == "notfound" && errors.As(err, &nm):
			default:
				t.Errorf("err = %v (%T), want %s", err, err, tt.want)
			}
		})
	}
}

// FuzzNormalizeJoin checks what NewResolver relies on: normalising
// "artist title" is joining the normalised artist and title with a space
// (or taking the one that is not empty).
func FuzzNormalizeJoin(f *testing.F) {
	for _, p := range [][2]string{{"Simon &", "Garfunkel"}, {"Beyoncé", "Halo!"}, {"", "Title"}, {"Artist", "!!!"}, {"a\u0301", "\u0301b"}, {"don'", "'t"}, {"x&", "&y"}} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, artist, title string) {
		a, b := features.Normalize(artist), features.Normalize(title)
		want := a + " " + b
		if a == "" || b == "" {
			want = a + b
		}
		if got := features.Normalize(artist + " " + title); got != want {
			t.Errorf("Normalize(%q + \" \" + %q) = %q, joined %q", artist, title, got, want)
		}
		if got := RecordingKey(&features.Track{Artists: []string{artist}, Name: title}); got != a+"\x00"+b {
			t.Errorf("RecordingKey(%q, %q) = %q, want %q", artist, title, got, a+"\x00"+b)
		}
	})
}

// A query that is not a seed's (a pinned song, a bridge's end) is not
// called a seed in its errors; the errors keep their types.
func TestResolveAs(t *testing.T) {
	r := NewResolver(testCatalog())
	tests := []struct {
		query, role, want string
	}{
		{"Dafft Punk - One Mor", "", `no song matches seed "Dafft Punk - One Mor"`},
		{"Dafft Punk - One Mor", "song", `no song matches "Dafft Punk - One Mor"`},
		{"Beyonce", "song", `"Beyonce" matches several songs`},
		{"Beyonce", "bridge end", `bridge end "Beyonce" matches several songs`},
	}
	for _, tt := range tests {
		_, err := r.ResolveAs(tt.query, tt.role)
		var nf *NotFoundError
		if !errors.As(err, &nf) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ResolveAs(%q, %q): %v; want a *NotFoundError saying %s", tt.query, tt.role, err, tt.want)
		}
	}
	if _, err := r.ResolveAs("Daft Punk - One More Time", "song"); err != nil {
		t.Errorf("a known song: %v", err)
	}
}
