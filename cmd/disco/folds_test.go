package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
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

// TestEvalFoldsPoolGrid: with the hybrid source a grid over pool sizes
// scores each size on a pool of that size, as disco build --pool makes
// it, not on a prefix of the largest (the seeds' own songs lead the whole
// pool, so a prefix differs): the grid's pool-20 row equals --pool 20's.
func TestEvalFoldsPoolGrid(t *testing.T) {
	dir := t.TempDir()
	means := func(name string, extra ...string) map[int][numFold]float64 {
		out := filepath.Join(dir, name)
		args := append([]string{"eval", "--folds", "2", "--max-playlists", "8", "--sort=false", "--format", "json", "-o", out}, extra...)
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), args, &stdout, &stderr); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr.String())
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Rows []foldRow `json:"settings"`
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		m := map[int][numFold]float64{}
		for _, r := range got.Rows {
			m[r.Setting.Pool] = r.Mean
		}
		return m
	}
	grid := means("grid.json", "--grid", "pool=20|30")
	// The smaller size is the one a prefix of the larger pool would get
	// wrong (the larger one is its own pool either way).
	one := means("pool20.json", "--pool", "20")
	if len(one) != 1 {
		t.Fatalf("--pool 20 alone: %d rows", len(one))
	}
	for size, m := range one {
		if g, ok := grid[size]; !ok || g != m {
			t.Errorf("pool %d: grid row %v, --pool alone %v", size, g, m)
		}
	}
}
