package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/cache"
)

// TestBadKnobsAndCounts: every knob and count a command takes is checked
// before any work, with one message shape (issue 16, item 1).
func TestBadKnobsAndCounts(t *testing.T) {
	seed := []string{"--seed", "Daft Punk - One More Time"}
	for _, c := range []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"build spicyness NaN", append([]string{"build", "--spicyness", "NaN"}, seed...), "--spicyness: NaN is not a number in [0, 20]"},
		{"build spicyness Inf", append([]string{"build", "--spicyness", "Inf"}, seed...), "--spicyness: +Inf is not a number in [0, 20]"},
		{"build spicyness 1e308", append([]string{"build", "--spicyness", "1e308"}, seed...), "--spicyness: 1e+308 is not a number in [0, 20]"},
		{"build spicyness -5", append([]string{"build", "--spicyness", "-5"}, seed...), "--spicyness: -5 is not a number in [0, 20]"},
		{"build sweetness NaN", append([]string{"build", "--sweetness", "NaN"}, seed...), "--sweetness: NaN is not a number in [0, 100]"},
		{"build sweetness 1e308", append([]string{"build", "--sweetness", "1e308"}, seed...), "--sweetness: 1e+308 is not a number in [0, 100]"},
		{"build flow NaN", append([]string{"build", "--flow", "NaN"}, seed...), "--flow: NaN is not a number in [0, 100]"},
		{"build smoothness -Inf", append([]string{"build", "--smoothness", "-Inf", "--allow-negative"}, seed...), "--smoothness: -Inf is not a number in [-100, 100]"},
		{"build length 1000000", append([]string{"build", "--length", "1000000"}, seed...), "--length: 1000000 is not a whole number in [1, 10000]"},
		{"build pool 0", append([]string{"build", "--pool", "0"}, seed...), `--pool: 0 is not a whole number in [1, 10000000] (or "all")`},
		{"build pool text", append([]string{"build", "--pool", "many"}, seed...), `--pool: "many" is not a whole number`},
		{"eval spicyness NaN", []string{"eval", "--spicyness", "NaN"}, "--spicyness: NaN is not a number in [0, 20]"},
		{"eval shuffles 0", []string{"eval", "--shuffles", "0"}, "--shuffles: 0 is not a whole number in [1, 10000]"},
		{"sweep sweetness NaN", []string{"sweep", "--sweetness", "NaN", "--out", "x.csv"}, "--sweetness: NaN is not a number in [0, 100]"},
		{"sweep negative grid", []string{"sweep", "--grid", "spicyness=-1:1:1", "--out", "x.csv"}, "--spicyness: -1 is not a number in [0, 20] (grid setting"},
		{"train epochs 0", []string{"train", "--epochs", "0"}, "--epochs: 0 is not a whole number in [1, 1000000]"},
		{"radio n 0", []string{"radio", "--seed", "Avicii - Levels", "-n", "0"}, "--n: 0 is not a whole number in [1, 1000000]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			_, errOut, err := buildRun(t, c.args...)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("error %v, want %q\n%s", err, c.wantErr, errOut)
			}
		})
	}
}

// TestBuildNegativeKnobsAllowed: --allow-negative lets a negative weight
// through, and the playlist is still as long as asked.
func TestBuildNegativeKnobsAllowed(t *testing.T) {
	out, errOut, err := buildRun(t, "build", "--seed", "Daft Punk - One More Time", "--sweetness", "-1", "--allow-negative", "--format", "csv")
	if err != nil {
		t.Fatalf("build: %v\n%s", err, errOut)
	}
	if n := strings.Count(out, "\n"); n != 14 {
		t.Errorf("%d CSV lines, want 14 (header and 13 songs)", n)
	}
}

// TestBuildCandidatesRanOut: the message counts the candidates that could
// follow the seeds, which is exactly the songs added.
func TestBuildCandidatesRanOut(t *testing.T) {
	_, errOut, err := buildRun(t, "build", "--seed", "Daft Punk - One More Time", "--candidates", "catalog", "--pool", "1", "--length", "5", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if want := "the candidates ran out: 1 of 2 could follow the seeds"; !strings.Contains(errOut, want) || !strings.Contains(errOut, "the playlist has 2 songs, not 5") {
		t.Errorf("stderr %q, want %q and the counts", errOut, want)
	}
}

// TestBadKnobKeepsOutput: a refused knob writes nothing over an existing
// playlist (issue 16: "--spicyness NaN -o existing.m3u8").
func TestBadKnobKeepsOutput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "keep.m3u8")
	if err := os.WriteFile(out, []byte("#EXTM3U\nkeep\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"build", "--seed", "Daft Punk - One More Time", "--spicyness", "NaN", "-o", out}, discard{}, discard{})
	if err == nil {
		t.Fatal("no error")
	}
	if b, _ := os.ReadFile(out); string(b) != "#EXTM3U\nkeep\n" {
		t.Errorf("keep.m3u8 changed: %q", b)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// TestFailedRunKeepsOutputs: a command that fails after its work (a plot
// that cannot be written) replaces no output, and an unwritable
// destination stops it before the work (issue 16, items 2 and 8).
func TestFailedRunKeepsOutputs(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "keep.m3u8")
	if err := os.WriteFile(keep, []byte("#EXTM3U\nkeep\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	seed := []string{"--seed", "Daft Punk - One More Time"}
	for _, c := range []struct {
		name string
		args []string
	}{
		{"build plot into a missing directory", append([]string{"build", "-o", keep, "--plot", filepath.Join(dir, "no", "f.png")}, seed...)},
		{"build plot into a file's place", append([]string{"build", "-o", keep, "--plot-dir", keep}, seed...)},
		{"build plot without an extension", append([]string{"build", "-o", keep, "--plot", filepath.Join(dir, "flow")}, seed...)},
		{"train out into a missing directory", []string{"train", "--epochs", "1", "--out", filepath.Join(dir, "no", "m.disco"), "--plot", keep}},
		{"eval -o into a missing directory", []string{"eval", "-o", filepath.Join(dir, "no", "e.csv")}},
		{"sweep --out into a missing directory", []string{"sweep", "--grid", "spicyness=1", "--out", filepath.Join(dir, "no", "s.csv")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, err := buildRun(t, c.args...)
			if err == nil {
				t.Fatalf("no error\n%s", errOut)
			}
			fi, serr := os.Stat(keep)
			if b, _ := os.ReadFile(keep); string(b) != "#EXTM3U\nkeep\n" || serr != nil || fi.Mode().Perm() != 0o640 {
				t.Errorf("keep.m3u8 changed: %q (%v)", b, serr)
			}
			if es, _ := os.ReadDir(dir); len(es) != 1 {
				t.Errorf("files left in the directory: %v", es)
			}
			if strings.Contains(errOut, "training on") || strings.Contains(errOut, "playlists:") {
				t.Errorf("the work started before the destination was checked:\n%s", errOut)
			}
		})
	}
}

// TestBuildOutputKeepsMode: -o over an existing file keeps its mode, and
// every output is there after success.
func TestBuildOutputKeepsMode(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "mix.m3u8")
	if err := os.WriteFile(out, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, err := buildRun(t, "build", "--seed", "Daft Punk - One More Time", "-o", out, "--plot", filepath.Join(dir, "flow.png"))
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	if b, _ := os.ReadFile(out); !strings.HasPrefix(string(b), "#EXTM3U") || strings.Count(string(b), "#EXTINF") != 13 {
		t.Errorf("mix.m3u8 is not the 13-song playlist:\n%s", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "flow.png")); err != nil {
		t.Error(err)
	}
}

// TestBuildCatalogSummary: reading --catalog prints one summary line
// (duplicates, conflicts named, missing columns and their cost); --quiet
// silences it; an empty or header-only catalog is "the catalog is empty".
func TestBuildCatalogSummary(t *testing.T) {
	dir := t.TempDir()
	const header = "track_id,track_name,artists,acousticness,danceability,energy,instrumentalness,liveness,loudness,speechiness,valence\n"
	const row = "4uLU6hMCjMI75M1A2tKUQC,Song A,X,0.1,0.2,0.3,0.4,0.5,-5,0.1,0.2\n"
	cat := writeFile(t, filepath.Join(dir, "cat.csv"), header+row+row+
		"4uLU6hMCjMI75M1A2tKUQC,Song A,X,0.9,0.2,0.3,0.4,0.5,-5,0.1,0.2\n"+
		"6f807x0ima9a1j3VPbc7VN,Song B,Y,0.1,0.3,0.3,0.4,0.5,-5,0.1,0.2\n")
	args := []string{"build", "--catalog", cat, "--seed", "Song A", "--length", "2", "--format", "csv"}
	_, errOut, err := buildRun(t, args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	for _, want := range []string{
		"cat.csv: 4 rows, 2 tracks, 0 playlists",
		"1 repeated row merged",
		"1 conflicting duplicate, first kept (4uLU6hMCjMI75M1A2tKUQC)",
		"no tempo column: tempo similarity off",
		"no key column: key similarity off",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if _, errOut, _ := buildRun(t, append(args, "--quiet")...); strings.Contains(errOut, "cat.csv:") {
		t.Errorf("--quiet printed the summary:\n%s", errOut)
	}
	// --catalog-only with an export that has no features: the catalog is
	// empty, and the error says how to get features.
	if _, _, err := buildRun(t, "build", "--catalog", filepath.Join("..", "..", "features", "fill", "testdata", "Foo Fighters.csv"), "--catalog-only", "--seed", "Foo Fighters - Walk"); err == nil || !strings.Contains(err.Error(), "none of its 4 tracks has audio features") || !strings.Contains(err.Error(), "disco fetch features") {
		t.Errorf("catalog only, no features: %v", err)
	}
	for _, c := range []struct{ name, text, want string }{
		{"empty", "", "the catalog"},
		{"header only", header, "the catalog"},
		{"no features", "track_id,track_name\n4uLU6hMCjMI75M1A2tKUQC,Song A\n", "none of its 1 tracks has audio features"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, filepath.Join(dir, c.name+".csv"), c.text)
			_, _, err := buildRun(t, "build", "--catalog", p, "--catalog-only", "--seed", "Song A")
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "is empty") {
				t.Errorf("error %v, want %q ... is empty", err, c.want)
			}
		})
	}
}

// TestBuildSameSeedTwice: the same song given twice (by name and by id)
// is an error, not a playlist that repeats it.
func TestBuildSameSeedTwice(t *testing.T) {
	_, _, err := buildRun(t, "build", "--seed", "Daft Punk - One More Time", "--seed", "0DiWol3AO6WpXZgp0goxAV")
	if err == nil || !strings.Contains(err.Error(), "are the same song") {
		t.Fatalf("error %v, want \"are the same song\"", err)
	}
}

// TestCacheClearCorrupt: cache info on a damaged database names the way
// out; cache clear moves it aside to cache.db.corrupt-<time>, says so and
// starts a new one (issue 16, item 7).
func TestCacheClearCorrupt(t *testing.T) {
	for _, c := range []struct {
		name string
		make func(t *testing.T, db string)
	}{
		{"not a database", func(t *testing.T, db string) {
			junk := strings.Repeat("this is not an SQLite database. ", 512)
			if err := os.WriteFile(db, []byte(junk), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"damaged inside", damagedCache},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "cache.db")
			c.make(t, db)
			damaged, err := os.ReadFile(db)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = buildRun(t, "cache", "info", "--cache", db)
			if err == nil || !strings.Contains(err.Error(), "disco cache clear") || !strings.Contains(err.Error(), db) {
				t.Fatalf("cache info: %v, want the file and \"disco cache clear\"", err)
			}
			out, errOut, err := buildRun(t, "cache", "clear", "--cache", db)
			if err != nil {
				t.Fatalf("cache clear: %v\n%s", err, errOut)
			}
			aside, _ := filepath.Glob(db + ".corrupt-*")
			if len(aside) != 1 || !strings.Contains(errOut, "moved it to "+aside[0]) {
				t.Fatalf("moved aside: %v; stderr %q", aside, errOut)
			}
			if b, _ := os.ReadFile(aside[0]); !bytes.Equal(b, damaged) {
				t.Error("the damaged file was not kept as it was")
			}
			if _, _, err := buildRun(t, "cache", "info", "--cache", db); err != nil {
				t.Errorf("cache info on the new database: %v (clear printed %q)", err, out)
			}
		})
	}
}

// damagedCache writes a real cache database at db, 2,000 features in it,
// and then overwrites the pages after the first with garbage: the header
// is intact, so the file opens as SQLite, and only reading its tables
// finds the damage.
func damagedCache(t *testing.T, db string) {
	c, err := cache.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 2000)
	tracks := make([]*features.Track, len(ids))
	for i := range ids {
		ids[i] = fmt.Sprintf("0Dmg%018d", i)
		tracks[i] = &features.Track{ID: ids[i], Name: "Song", Key: 5, Tempo: 120, HasFeatures: true}
	}
	if err := c.StoreFeatures(context.Background(), "reccobeats", ids, tracks); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	if len(b) < 8*page {
		t.Fatalf("the cache is only %d bytes", len(b))
	}
	for i := page; i < len(b); i++ {
		b[i] = byte(i*7 + 3)
	}
	if err := os.WriteFile(db, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
