package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/selector/export"
)

func buildRun(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

// TestBuildEmbedded is the README's first command: the embedded catalog
// and model, no network, no credentials.
func TestBuildEmbedded(t *testing.T) {
	dir := t.TempDir()
	out, errOut, err := buildRun(t, "build",
		"--seed", "Daft Punk - One More Time", "--seed", "beyonce - crazy in love",
		"--format", "json", "--plot-dir", dir)
	if err != nil {
		t.Fatalf("build: %v\n%s", err, errOut)
	}
	var es []export.Entry
	if err := json.Unmarshal([]byte(out), &es); err != nil {
		t.Fatalf("JSON output: %v\n%s", err, out)
	}
	if len(es) != 13 {
		t.Fatalf("%d songs, want 13", len(es))
	}
	if !es[0].Seed || !es[1].Seed || es[2].Seed || es[0].Artist != "Daft Punk" || !strings.HasPrefix(es[1].Title, "Crazy In Love") {
		t.Errorf("seeds wrong: %+v %+v", es[0], es[1])
	}
	seen := map[string]bool{}
	for _, e := range es {
		key := features.Normalize(e.Artist + " " + e.Title)
		if seen[e.ID] || seen[key] {
			t.Errorf("song %s (%s - %s) twice", e.ID, e.Artist, e.Title)
		}
		seen[e.ID], seen[key] = true, true
		if !e.Seed && (e.Terms == nil || e.Predicted == nil || e.Transition == "") {
			t.Errorf("pick %d lacks its explanation: %+v", e.Position, e)
		}
	}
	for _, name := range []string{"flow.png", "map.png", "mix.png"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("%s: not a PNG (%v)", name, err)
		}
	}
}

func TestBuildFormatsAndFiles(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"playlist.m3u8", "playlist.xspf", "playlist.csv"} {
		path := filepath.Join(dir, f)
		_, errOut, err := buildRun(t, "build", "--genre", "rock", "--rand", "7", "--length", "8", "-o", path)
		if err != nil {
			t.Fatalf("%s: %v\n%s", f, err, errOut)
		}
		if !strings.Contains(errOut, "picked at random (--rand 7)") {
			t.Errorf("random seeds not announced:\n%s", errOut)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(f) {
		case ".m3u8":
			if !bytes.HasPrefix(b, []byte("#EXTM3U\n#EXTINF:")) || bytes.Count(b, []byte("spotify:track:")) != 8 {
				t.Errorf("m3u8:\n%s", b)
			}
		case ".xspf":
			var v struct {
				Tracks []struct {
					Annotation string `xml:"annotation"`
				} `xml:"trackList>track"`
			}
			if err := xml.Unmarshal(b, &v); err != nil || len(v.Tracks) != 8 {
				t.Errorf("xspf: %v, %d tracks", err, len(v.Tracks))
			}
		case ".csv":
			if n := bytes.Count(b, []byte("\n")); n != 9 {
				t.Errorf("csv has %d lines, want header + 8", n)
			}
		}
	}
	// The same --rand gives the same playlist.
	a, _, _ := buildRun(t, "build", "--genre", "rock", "--rand", "7", "--length", "8", "--format", "csv")
	b, _, _ := buildRun(t, "build", "--genre", "rock", "--rand", "7", "--length", "8", "--format", "csv")
	if a != b || a == "" {
		t.Error("same --rand gave different playlists")
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown seed suggests", []string{"--seed", "Daft Pank - One Mor Time"}, "One More Time"},
		{"ambiguous seed lists", []string{"--seed", "Daft Punk"}, "matches several songs"},
		{"unknown genre lists genres", []string{"--genre", "polka"}, "edm, latin, pop, r&b, rap, rock"},
		{"bad pool", []string{"--seed", "Daft Punk - One More Time", "--pool", "lots"}, "--pool"},
		{"missing catalog", []string{"--catalog", "/nonexistent.csv"}, "/nonexistent.csv"},
		{"foreign model", []string{"--model", "build_test.go"}, "build_test.go"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := buildRun(t, append([]string{"build"}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	if _, _, err := buildRun(t, "build", "--seed", "a", "--seed", "b", "--seed", "c", "--seed", "d"); !errors.Is(err, errUsage) {
		t.Errorf("4 seeds: err = %v, want a usage error", err)
	}
}

func TestHelp(t *testing.T) {
	// Command groups list their subcommands; each subcommand has flags.
	groups := map[string][]string{"model": {"info"}, "cache": {"info", "clear"}, "data": {"info"}, "taste": {"train", "predict"}}
	for name := range commands {
		out, _, err := buildRun(t, name, "-h")
		subs, group := groups[name]
		if group {
			if err != nil || !strings.Contains(out, "Usage: disco "+name+" SUBCOMMAND") {
				t.Errorf("disco %s -h: err %v, output:\n%s", name, err, out)
			}
			for _, sub := range subs {
				out, _, err := buildRun(t, name, sub, "-h")
				if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out, "Usage: disco "+name+" "+sub) || !strings.Contains(out, "Flags:") {
					t.Errorf("disco %s %s -h: err %v, output:\n%s", name, sub, err, out)
				}
			}
			continue
		}
		if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out, "Usage: disco "+name) {
			t.Errorf("disco %s -h: err %v, output:\n%s", name, err, out)
		}
	}
	out, _, err := buildRun(t, "help")
	if err != nil || !strings.Contains(out, "build") {
		t.Errorf("disco help: %v\n%s", err, out)
	}
}

// TestBuildBridge: a bridge starts at --from, ends at --to, and its songs
// move towards --to on the way.
func TestBuildBridge(t *testing.T) {
	for _, beam := range []string{"0", "8"} {
		t.Run("beam "+beam, func(t *testing.T) {
			out, errOut, err := buildRun(t, "build", "--from", "Daft Punk - One More Time", "--to", "Adele - Hello",
				"--length", "12", "--beam", beam, "--format", "json")
			if err != nil {
				t.Fatalf("build: %v\n%s", err, errOut)
			}
			var es []export.Entry
			if err := json.Unmarshal([]byte(out), &es); err != nil {
				t.Fatalf("JSON output: %v\n%s", err, out)
			}
			if len(es) != 12 || es[0].Artist != "Daft Punk" || es[11].Artist != "Adele" || es[11].Title != "Hello" {
				t.Fatalf("%d songs from %s to %s - %s, want 12 from Daft Punk to Adele - Hello", len(es), es[0].Artist, es[len(es)-1].Artist, es[len(es)-1].Title)
			}
			if !es[0].Seed || es[11].Seed || es[11].Terms == nil || es[11].Predicted == nil {
				t.Errorf("the ends: first seed %v, last seed %v, terms %v", es[0].Seed, es[11].Seed, es[11].Terms)
			}
			// Distance to the end along the path: falling, by rank, and
			// smaller in the second half than in the first.
			d := make([]float64, len(es))
			for i, e := range es {
				var ss float64
				for j, v := range e.Scaled {
					ss += (v - es[11].Scaled[j]) * (v - es[11].Scaled[j])
				}
				d[i] = math.Sqrt(ss)
			}
			if r := rankCorrelation(d); r > -0.6 {
				t.Errorf("rank correlation of position and distance to the end %.2f, want below -0.6: %.2f", r, d)
			}
			var first, second float64
			for i, v := range d[:11] {
				if i < 6 {
					first += v / 6
				} else {
					second += v / 5
				}
			}
			if second >= first {
				t.Errorf("mean distance to the end %.2f in the second half, %.2f in the first", second, first)
			}
		})
	}
}

// rankCorrelation returns Spearman's correlation of the values with their
// positions (no ties expected).
func rankCorrelation(v []float64) float64 {
	n := len(v)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return v[idx[a]] < v[idx[b]] })
	rank := make([]float64, n)
	for r, i := range idx {
		rank[i] = float64(r)
	}
	mid := float64(n-1) / 2
	var num, den float64
	for i, r := range rank {
		num += (float64(i) - mid) * (r - mid)
		den += (float64(i) - mid) * (float64(i) - mid)
	}
	return num / den
}

func TestBuildBridgeErrors(t *testing.T) {
	from, to := "Daft Punk - One More Time", "Adele - Hello"
	tests := []struct {
		name  string
		args  []string
		want  string
		usage bool
	}{
		{"from is to", []string{"--from", from, "--to", "daft punk - one more time"}, "are the same song", false},
		{"unknown to suggests", []string{"--from", from, "--to", "Adel - Helo"}, "Hello", false},
		{"unknown from names its flag", []string{"--from", "Daft Pank - One Mor Time", "--to", to}, "--from", false},
		{"length 1", []string{"--from", from, "--to", to, "--length", "1"}, "--length", true},
		{"from without to", []string{"--from", from}, "--from and --to", true},
		{"bridge and seed", []string{"--from", from, "--to", to, "--seed", "Adele - Hello"}, "no --seed", true},
		{"blend 0", []string{"--from", from, "--to", to, "--blend", "0"}, "--blend", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := buildRun(t, append([]string{"build"}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
			if ue := new(usageError); errors.As(err, &ue) != tc.usage {
				t.Errorf("usage error %v, want %v", errors.As(err, &ue), tc.usage)
			}
			if out != "" {
				t.Errorf("output on error:\n%s", out)
			}
		})
	}
	// Two songs: the ends alone.
	out, errOut, err := buildRun(t, "build", "--from", from, "--to", to, "--length", "2", "--format", "csv")
	if err != nil || strings.Count(out, "\n") != 3 || !strings.Contains(out, "Hello") {
		t.Errorf("length 2: %v\n%s%s", err, out, errOut)
	}
}

// farCatalog writes a catalog of one playlist: a made-up solo piano piece
// (acoustic, instrumental, very quiet and calm), far from the embedded
// model's six genres of popular music, and two ordinary songs of the
// embedded catalog's kind.
func farCatalog(t *testing.T) string {
	t.Helper()
	const header = "track_id,track_name,track_artist,track_popularity,track_album_name,track_album_release_date,playlist_name,playlist_id,playlist_genre,playlist_subgenre,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms\n"
	rows := "farpiano000000000000001,Nocturne For Nobody,Test Pianist,10,Quiet,2020-01-01,Night,plnight,classical,solo piano,0.25,0.02,1,-38.5,0,0.04,0.995,0.95,0.08,0.04,70.0,300000\n" +
		"ordinary00000000000001,Ordinary Pop Song,Test Band,50,Pop,2020-01-01,Night,plnight,classical,solo piano,0.70,0.75,5,-5.5,1,0.06,0.10,0.0,0.12,0.60,118.0,200000\n" +
		"ordinary00000000000002,Another Pop Song,Test Band,50,Pop,2020-01-01,Night,plnight,classical,solo piano,0.65,0.80,7,-4.9,1,0.05,0.08,0.0,0.15,0.55,124.0,210000\n"
	path := filepath.Join(t.TempDir(), "far.csv")
	if err := os.WriteFile(path, []byte(header+rows), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestBuildWarnsFarSeed: a seed far from the embedded model's training
// songs gets one warning line naming it and its distance; ordinary seeds
// (the embedded catalog's, or an ordinary song of a user's catalog) get
// none.
func TestBuildWarnsFarSeed(t *testing.T) {
	cat := farCatalog(t)
	for _, tc := range []struct {
		name  string
		seeds []string
		warn  string
	}{
		{"far", []string{"Test Pianist - Nocturne For Nobody", "Daft Punk - One More Time"}, `seed "Test Pianist - Nocturne For Nobody" (farpiano000000000000001) lies far outside the model's training data`},
		{"ordinary-user-song", []string{"Test Band - Ordinary Pop Song"}, ""},
		{"embedded", []string{"Daft Punk - One More Time", "beyonce - crazy in love"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"build", "--catalog", cat, "--quiet", "--length", "5"}
			for _, s := range tc.seeds {
				args = append(args, "--seed", s)
			}
			_, errOut, err := buildRun(t, args...)
			if err != nil {
				t.Fatalf("build: %v\n%s", err, errOut)
			}
			if n := strings.Count(errOut, "far outside"); tc.warn == "" && n != 0 || tc.warn != "" && n != 1 {
				t.Fatalf("%d warnings, want %d:\n%s", n, min(1, len(tc.warn)), errOut)
			}
			if tc.warn == "" {
				return
			}
			if !strings.Contains(errOut, tc.warn) {
				t.Errorf("warning lacks %q:\n%s", tc.warn, errOut)
			}
			var dist, radius float64
			line := errOut[strings.Index(errOut, "disco build: warning: seed"):]
			line = line[:strings.IndexByte(line, '\n')]
			if _, err := fmt.Sscanf(line[strings.Index(line, "data: ")+6:], "%g scaled units from the nearest training prototype, beyond %g", &dist, &radius); err != nil || !(dist > radius) || !(radius > 1) {
				t.Errorf("warning's figures %v > %v (%v): %s", dist, radius, err, line)
			}
			if !strings.Contains(line, "trained on edm, latin, pop, r&b, rap, rock") {
				t.Errorf("warning does not name the training genres: %s", line)
			}
		})
	}
}
