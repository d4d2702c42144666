package xspf

import (
	"bytes"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/export"
)

func picks() []selector.Pick {
	ts := []*features.Track{
		{ID: "4uLU6hMCjMI75M1A2tKUQC", Name: "Never Gonna Give You Up", Artists: []string{"Rick Astley"}, DurationMS: 213573, Key: 8, Mode: 1, Tempo: 113, HasFeatures: true},
		{ID: "0DiWol3AO6WpXZgp0goxAV", Name: "One More Time", Artists: []string{"Daft Punk"}, DurationMS: 320357, Key: 2, Mode: 1, Tempo: 123, HasFeatures: true},
		{ID: "7ouMYWpwJ422jRcDASZB7P", Name: "Knights of Cydonia & <Friends>", Artists: []string{"Muse", "Guest"}, Key: -1, Mode: -1},
	}
	ps := make([]selector.Pick, len(ts))
	for i, t := range ts {
		ps[i] = selector.Pick{Track: t, Seed: i == 0}
	}
	return ps
}

// What disco writes, it reads back: the same ids, titles and artists, in order.
func TestRoundTrip(t *testing.T) {
	var b bytes.Buffer
	if err := export.XSPF(&b, picks()); err != nil {
		t.Fatal(err)
	}
	ds, err := Read(&b, "dir/built.xspf")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Playlists) != 1 || len(ds.Playlists[0].Tracks) != 3 {
		t.Fatalf("%d playlists; want one of 3 songs", len(ds.Playlists))
	}
	for i, p := range picks() {
		got := ds.Playlists[0].Tracks[i]
		if got.ID != p.Track.ID || got.Name != p.Track.Name || got.Artist() != p.Track.Artist() || got.HasFeatures {
			t.Errorf("song %d: %q %q %q (features %v), want %q %q %q", i, got.ID, got.Name, got.Artist(), got.HasFeatures, p.Track.ID, p.Track.Name, p.Track.Artist())
		}
	}
}

func TestBad(t *testing.T) {
	for _, in := range []string{"", "{", "<playlist><trackList><track>", "[{\"id\": 3}]", "[{\"id\": \"not an id\"}]", "nonsense"} {
		if _, err := Read(strings.NewReader(in), "bad"); err == nil && !strings.HasPrefix(in, "<playlist") {
			t.Errorf("%q: no error", in)
		}
	}
}

func FuzzRead(f *testing.F) {
	var b bytes.Buffer
	export.XSPF(&b, picks())
	f.Add(b.String())
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		ds, err := Read(strings.NewReader(s), "fuzz")
		if err != nil {
			return
		}
		for _, tr := range ds.Playlists[0].Tracks {
			if !features.IsTrackID(tr.ID) {
				t.Fatalf("track id %q is not a Spotify id", tr.ID)
			}
		}
	})
}
