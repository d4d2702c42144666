package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/discoflow/disco/selector"
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
		key := selector.Normalize(e.Artist + " " + e.Title)
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
