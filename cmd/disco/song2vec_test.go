package main

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/discoflow/disco/model/song2vec"
	"github.com/discoflow/disco/selector/candidates"
	"github.com/discoflow/disco/selector/export"
)

func TestRadio(t *testing.T) {
	out, errOut, err := buildRun(t, "radio", "--seed", "Daft Punk - One More Time", "-n", "15", "--format", "json")
	if err != nil {
		t.Fatalf("radio: %v\n%s", err, errOut)
	}
	var rs []radioEntry
	if err := json.Unmarshal([]byte(out), &rs); err != nil {
		t.Fatal(err)
	}
	if len(rs) != 15 {
		t.Fatalf("%d songs, want 15", len(rs))
	}
	for i, r := range rs {
		if r.ID == "0DiWol3AO6WpXZgp0goxAV" {
			t.Error("the seed is its own radio")
		}
		if r.Title == "" || (i > 0 && r.Similarity > rs[i-1].Similarity) {
			t.Errorf("entry %d: %+v (not named, or out of order)", i, r)
		}
	}
	if _, _, err := buildRun(t, "radio", "--seed", "No Such Song At All - Nowhere"); err == nil {
		t.Error("unknown seed accepted")
	}
}

// TestColdStartSeeds: a song in no training playlist still has a radio
// and a song2vec build: its vector comes from its artist's songs, or,
// for an artist disco has never seen, from its audio features; stderr
// says which.
func TestColdStartSeeds(t *testing.T) {
	cat := writeFile(t, filepath.Join(t.TempDir(), "new.csv"),
		"track_id,track_name,artists,acousticness,danceability,energy,instrumentalness,liveness,loudness,speechiness,valence,tempo,key,mode\n"+
			"0NewSong0000000000000a,Brand New Tune,Daft Punk,0.02,0.61,0.7,0.01,0.3,-8,0.05,0.5,123,1,1\n"+
			"0NewSong0000000000000b,Stranger,Nobody Knows,0.02,0.61,0.7,0.01,0.3,-8,0.05,0.5,123,1,1\n")
	for _, c := range []struct{ seed, how string }{
		{"Daft Punk - Brand New Tune", "from its artist"},
		{"Nobody Knows - Stranger", "from its content"},
	} {
		out, errOut, err := buildRun(t, "radio", "--catalog", cat, "--seed", c.seed, "-n", "10", "--format", "json")
		if err != nil {
			t.Fatalf("radio %s: %v\n%s", c.seed, err, errOut)
		}
		if !strings.Contains(errOut, "has no vector; given one "+c.how) {
			t.Errorf("radio %s: stderr %q, want %q", c.seed, errOut, c.how)
		}
		var rs []radioEntry
		if err := json.Unmarshal([]byte(out), &rs); err != nil || len(rs) != 10 {
			t.Fatalf("radio %s: %d songs, %v", c.seed, len(rs), err)
		}
		daft := 0
		for _, r := range rs {
			if r.Artist == "Daft Punk" {
				daft++
			}
		}
		if c.how == "from its artist" && daft == 0 {
			t.Errorf("radio of a new Daft Punk song has no Daft Punk: %+v", rs)
		}
		if _, errOut, err := buildRun(t, "build", "--catalog", cat, "--seed", c.seed, "--candidates", "song2vec", "--length", "6", "--format", "csv"); err != nil {
			t.Errorf("build --candidates song2vec from %s: %v\n%s", c.seed, err, errOut)
		}
	}
}

func TestSimilarPlaylists(t *testing.T) {
	out, errOut, err := buildRun(t, "similar-playlists", "--playlist", "Pop Remix", "-n", "5", "--format", "json")
	if err != nil {
		t.Fatalf("similar-playlists: %v\n%s", err, errOut)
	}
	var rs []struct {
		ID         string
		Similarity float64
	}
	if err := json.Unmarshal([]byte(out), &rs); err != nil {
		t.Fatal(err)
	}
	if len(rs) != 5 || !sort.SliceIsSorted(rs, func(i, j int) bool { return rs[i].Similarity > rs[j].Similarity }) {
		t.Fatalf("got %+v", rs)
	}
	for _, r := range rs {
		if r.ID == "37i9dQZF1DXcZDD7cfEKhW" {
			t.Error("the playlist is listed as similar to itself")
		}
	}
	if _, _, err := buildRun(t, "similar-playlists", "--playlist", "pop"); err == nil || !strings.Contains(err.Error(), "say which") {
		t.Errorf("ambiguous playlist: err = %v", err)
	}
}

func TestSong2vecTrainAndBuild(t *testing.T) {
	dir := t.TempDir()
	vec := filepath.Join(dir, "v.txt")
	_, errOut, err := buildRun(t, "song2vec", "--data", filepath.Join("testdata", "train_tiny.csv"),
		"--dim", "8", "--epochs", "5", "--workers", "1", "--format", "text", "--out", vec)
	if err != nil {
		t.Fatalf("song2vec: %v\n%s", err, errOut)
	}
	v, f, err := song2vec.ReadFile(vec)
	if err != nil || f != song2vec.Text || v.Dim != 8 || v.Len() == 0 {
		t.Fatalf("vectors: %v, format %v, %d x %d", err, f, v.Len(), v.Dim)
	}
	// --candidates song2vec with the embedded vectors: every pick comes
	// from the catalog with features and carries its explanation.
	out, errOut, err := buildRun(t, "build", "--seed", "Daft Punk - One More Time", "--candidates", "song2vec", "--format", "json")
	if err != nil {
		t.Fatalf("build --candidates song2vec: %v\n%s", err, errOut)
	}
	var es []export.Entry
	if err := json.Unmarshal([]byte(out), &es); err != nil || len(es) != 13 {
		t.Fatalf("%d entries, %v", len(es), err)
	}
	for _, e := range es[1:] {
		if e.Terms == nil || len(e.Scaled) != 8 {
			t.Errorf("pick %d without terms or features", e.Position)
		}
	}
}

// TestVectorsMatchNoSong: a vectors file whose ids are none of the
// catalog's is an error that gives the counts, for the hybrid and the
// song2vec sources alike.
func TestVectorsMatchNoSong(t *testing.T) {
	vec := writeFile(t, filepath.Join(t.TempDir(), "other.vec"), "2 2\nabc 0.1 0.2\ndef 0.3 0.1\n")
	for _, src := range []string{"hybrid", "song2vec"} {
		_, _, err := buildRun(t, "build", "--seed", "Daft Punk - One More Time", "--vectors", vec, "--candidates", src)
		var me *candidates.VectorsMismatchError
		if !errors.As(err, &me) || me.Vectors != 2 || me.Catalog < 20000 {
			t.Errorf("--candidates %s: %v, want a VectorsMismatchError with the counts", src, err)
		}
	}
}
