package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/discoflow/disco/selector/eval"
)

// TestFoldValuesArtists: --folds reports the build's artist repeats
// within eval.ArtistWindow songs (Flow.Artist) and its distinct artists
// (Listener.Artists) as their own columns, in the table's header and in
// each row, next to the figures that were there before.
func TestFoldValuesArtists(t *testing.T) {
	for _, tc := range []struct {
		name         string
		rep, artists float64
	}{
		{"no repeats, every artist new", 0, 1},
		{"a quarter repeats", 0.25, 0.6},
		{"one artist", 0.9, 0.1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := eval.Generation{Order: eval.Flow{Key: 0.97, Tempo: 0.93, Artist: tc.rep},
				Listener: eval.Listener{Precision: 0.1, Genre: 0.8, Subgenre: 0.6, Drift: 2, Artists: tc.artists}}
			v := foldValues(g)
			want := map[string]float64{"precision": 0.1, "genre": 0.8, "subgenre": 0.6, "drift": 2, "key=1": 0.97, "6% BPM": 0.93,
				"artist rep": tc.rep, "artists": tc.artists}
			if len(want) != numFold {
				t.Fatalf("%d figures, want %d", numFold, len(want))
			}
			for j, f := range foldFigures {
				if w, ok := want[f.name]; !ok || v[j] != w {
					t.Errorf("figure %q = %v, want %v (known %v)", f.name, v[j], w, ok)
				}
			}
			var b bytes.Buffer
			rows := []foldRow{{Folds: [][numFold]float64{v, v}, Mean: v}}
			if err := writeFoldsTable(&b, "head", rows, 3, -1); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(b.String(), "\n")
			if len(lines) < 5 || !strings.Contains(lines[2], "artist rep") || !strings.Contains(lines[2], "artists") {
				t.Fatalf("header lacks the artist columns:\n%s", b.String())
			}
			if !strings.Contains(lines[4], pct(tc.rep)) || !strings.Contains(lines[4], pct(tc.artists)) {
				t.Errorf("fold row lacks %s and %s:\n%s", pct(tc.rep), pct(tc.artists), lines[4])
			}
		})
	}
}
