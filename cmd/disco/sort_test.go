package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/discoflow/disco/selector/export"
)

const sortInput = "testdata/post_teen_pop.csv" // an Exportify export without features, 26 songs

func TestSortCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "sorted.json")
	_, errOut, err := buildRun(t, "sort", "--in", sortInput, "--first", "Bruno Mars - Just the Way You Are", "--plot", filepath.Join(dir, "flow.png"), "-o", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var es []export.Entry
	if err := json.Unmarshal(b, &es); err != nil {
		t.Fatal(err)
	}
	if len(es) != 26 || es[0].Title != "Just the Way You Are" {
		t.Fatalf("%d songs, first %q; want 26 from Just the Way You Are", len(es), es[0].Title)
	}
	for _, want := range []string{"26 songs: 26 features from the embedded catalog", "sorted 26 songs: cost", "(greedy", "your order", "key-compatible"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	// The sorted file sorts to itself: its own order costs what the sort finds.
	_, errOut, err = buildRun(t, "sort", "--in", out, "--lock", "1", "--format", "m3u8")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "26 songs: 26 features") {
		t.Errorf("re-reading disco's JSON: %s", errOut)
	}
}

func TestSortBadInput(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.txt")
	os.WriteFile(empty, nil, 0o644)
	unknown := filepath.Join(dir, "unknown.txt")
	os.WriteFile(unknown, []byte("spotify:track:4uLU6hMCjMI75M1A2tKUQC\nspotify:track:7BqBn9nzAq8spo5e7cZ0dJ\n"), 0o644)
	keep := filepath.Join(dir, "keep.m3u8")
	os.WriteFile(keep, []byte("keep me"), 0o644)
	for _, tc := range []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"no --in", nil, true, ""},
		{"empty file", []string{"--in", empty}, false, "no songs"},
		{"unknown song", []string{"--in", unknown}, false, "have no audio features"},
		{"first is last", []string{"--in", sortInput, "--first", "Rude", "--last", "Rude"}, false, "same song"},
		{"lock too long", []string{"--in", sortInput, "--lock", "30"}, false, "has 26 songs"},
		{"pin beyond", []string{"--in", sortInput, "--pin", "Rude@40"}, false, "beyond"},
		{"two on one place", []string{"--in", sortInput, "--first", "Rude", "--pin", "Diamonds@1"}, false, "both want position 1"},
		{"bad arc", []string{"--in", sortInput, "--arc", "zigzag"}, false, "want one of"},
		{"bad arc points", []string{"--in", sortInput, "--arc", "0:0.3,0.5"}, false, "not at:value"},
		{"bad effort", []string{"--in", sortInput, "--effort", "huge"}, false, "effort"},
		{"NaN knob", []string{"--in", sortInput, "--sweetness", "NaN", "-o", keep}, false, "--sweetness"},
		{"strict", []string{"--in", sortInput, "--strict-key", "--strict", "-o", keep}, false, "rules broken"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, err := buildRun(t, append([]string{"sort"}, tc.args...)...)
			if tc.usage {
				if !errors.Is(err, errUsage) {
					t.Errorf("err %v, want a usage error", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q\n%s", err, tc.want, errOut)
			}
		})
	}
	if b, _ := os.ReadFile(keep); string(b) != "keep me" {
		t.Errorf("a failed sort replaced -o: %q", b)
	}
	// --drop-unknown sorts the known song and names the other.
	out, errOut, err := buildRun(t, "sort", "--in", unknown, "--drop-unknown", "--format", "csv")
	if err != nil || !strings.Contains(errOut, "left out 1 songs without audio features") {
		t.Errorf("--drop-unknown: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "Just the Way You Are") {
		t.Errorf("a bare id is not named after the catalog's song:\n%s", out)
	}
}
