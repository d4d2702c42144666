package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/export"
)

// buildJSON runs disco build with args and --format json, and returns its
// entries and standard error.
func buildJSON(t *testing.T, args ...string) ([]export.Entry, string) {
	t.Helper()
	out, errOut, err := buildRun(t, append([]string{"build", "--format", "json"}, args...)...)
	if err != nil {
		t.Fatalf("build %q: %v\n%s", args, err, errOut)
	}
	var es []export.Entry
	if err := json.Unmarshal([]byte(out), &es); err != nil {
		t.Fatalf("JSON output: %v\n%s", err, out)
	}
	return es, errOut
}

// entriesRMSE is selector.Arc.RMSE of a built playlist's entries.
func entriesRMSE(arc *selector.Arc, es []export.Entry) float64 {
	ts := make([]*features.Track, len(es))
	for i, e := range es {
		ts[i] = &features.Track{}
		ts[i].Features[arc.Feature] = e.Features[features.AbstractNames[arc.Feature]]
	}
	return arc.RMSE(ts)
}

var rmseLine = regexp.MustCompile(`arc followed with RMSE ([0-9.]+)`)

// The build follows --arc closer than without it, greedy and beam, and
// reports the RMSE it reached; a heavier --arc-weight follows it closer
// still.
func TestBuildArcFlag(t *testing.T) {
	seed := "Daft Punk - One More Time"
	for _, beam := range []string{"0", "8"} {
		t.Run("beam="+beam, func(t *testing.T) {
			pts, _ := selector.ParseArc("rise")
			arc := &selector.Arc{Feature: features.Energy, Points: pts}
			plain, errOut := buildJSON(t, "--seed", seed, "--beam", beam)
			if strings.Contains(errOut, "RMSE") {
				t.Errorf("a build without --arc reports an RMSE:\n%s", errOut)
			}
			without := entriesRMSE(arc, plain)
			prev := without
			for _, w := range []string{"10", "100"} {
				es, errOut := buildJSON(t, "--seed", seed, "--beam", beam, "--arc", "rise", "--arc-weight", w)
				got := entriesRMSE(arc, es)
				m := rmseLine.FindStringSubmatch(errOut)
				if m == nil {
					t.Fatalf("no RMSE reported:\n%s", errOut)
				}
				if r, _ := strconv.ParseFloat(m[1], 64); fmt.Sprintf("%.3f", r) != fmt.Sprintf("%.3f", got) {
					t.Errorf("reported RMSE %s, the playlist's %.3f", m[1], got)
				}
				t.Logf("weight %s: RMSE %.3f (without the arc %.3f)", w, got, without)
				if !(got < prev) {
					t.Errorf("weight %s: RMSE %.3f, not under %.3f", w, got, prev)
				}
				prev = got
				for _, e := range es[1:] {
					if e.Terms == nil {
						t.Fatalf("song %d has no terms", e.Position)
					}
				}
			}
		})
	}
}

// --pin and --last put the songs where asked, greedy and beam, around
// seeds and in a bridge.
func TestBuildPins(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want map[int]string // 1-based position -> title prefix
	}{
		{"pin", []string{"--seed", "Daft Punk - One More Time", "--pin", "Adele - Hello@7"}, map[int]string{1: "One More Time", 7: "Hello"}},
		{"pins and last", []string{"--seed", "Daft Punk - One More Time", "--seed", "beyonce - crazy in love", "--pin", "Adele - Hello@3", "--pin", "Katy Perry - E.T.@4", "--last", "Queen - Don't Stop Me Now", "--length", "9"},
			map[int]string{2: "Crazy In Love", 3: "Hello", 4: "E.T.", 9: "Don't Stop Me Now"}},
		{"pin in a bridge", []string{"--from", "Daft Punk - One More Time", "--to", "Adele - Hello", "--pin", "Katy Perry - E.T.@6", "--length", "10"}, map[int]string{1: "One More Time", 6: "E.T.", 10: "Hello"}},
		{"pin with an arc", []string{"--seed", "Daft Punk - One More Time", "--arc", "peak", "--pin", "Adele - Hello@2"}, map[int]string{2: "Hello"}},
	} {
		for _, beam := range []string{"0", "4"} {
			t.Run(tc.name+"/beam="+beam, func(t *testing.T) {
				es, _ := buildJSON(t, append(tc.args, "--beam", beam)...)
				for pos, title := range tc.want {
					if !strings.HasPrefix(es[pos-1].Title, title) {
						t.Errorf("position %d: %s - %s, want %q", pos, es[pos-1].Artist, es[pos-1].Title, title)
					}
				}
				seen := map[string]bool{}
				for _, e := range es {
					k := features.Normalize(e.Artist + " " + e.Title)
					if seen[k] {
						t.Errorf("%s - %s twice", e.Artist, e.Title)
					}
					seen[k] = true
				}
			})
		}
	}
}

func TestBuildPinErrors(t *testing.T) {
	seed := []string{"--seed", "Daft Punk - One More Time"}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"beyond the length", []string{"--pin", "Adele - Hello@14"}, `--pin "Adele - Hello@14": position 14 is beyond the playlist's 13 songs`},
		{"position 0", []string{"--pin", "Adele - Hello@0"}, "position 0 is beyond"},
		{"on the seed", []string{"--pin", "Adele - Hello@1"}, `--pin "Adele - Hello@1": position 1 is a seed's`},
		{"on a random seed", []string{"--rand", "3", "--pin", "Adele - Hello@2"}, "position 2 is a seed's (the seeds stand at 1 to 3)"},
		{"two on one position", []string{"--pin", "Adele - Hello@5", "--pin", "Katy Perry - E.T.@5"}, `--pin "Adele - Hello@5" and --pin "Katy Perry - E.T.@5" both want position 5`},
		{"last and a pin on it", []string{"--pin", "Adele - Hello@13", "--last", "Katy Perry - E.T."}, "both want position 13"},
		{"pin is a seed", []string{"--pin", "Daft Punk - One More Time@5"}, `--seed and --pin "Daft Punk - One More Time@5" put "Daft Punk - One More Time" at positions 1 and 5`},
		{"last is a seed", []string{"--last", "daft punk one more time"}, "--seed and --last put"},
		{"one song twice", []string{"--pin", "Adele - Hello@4", "--pin", "adele hello@6"}, "at positions 4 and 6"},
		{"unknown song", []string{"--pin", "Adle - Helo@5"}, `--pin "Adle - Helo@5": selector: no song matches`},
		{"no position", []string{"--pin", "Adele - Hello"}, "want SONG@POSITION"},
		{"bad position", []string{"--pin", "Adele - Hello@x"}, "want SONG@POSITION"},
		{"no song", []string{"--pin", "@3"}, "want SONG@POSITION"},
		{"bad arc", []string{"--arc", "zigzag"}, "--arc: arc \"zigzag\": want one of"},
		{"bad arc points", []string{"--arc", "0:0.3,0.5"}, "not at:value"},
		{"bad arc feature", []string{"--arc", "rise", "--arc-feature", "tempo"}, "--arc-feature \"tempo\": want one of"},
		{"bad arc weight", []string{"--arc", "rise", "--arc-weight", "-1"}, "--arc-weight: -1 is not"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"build"}, tc.args...)
			if !strings.Contains(strings.Join(tc.args, " "), "--rand") {
				args = append(args, seed...)
			}
			out, errOut, err := buildRun(t, args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want one saying %q\n%s", err, tc.want, errOut)
			}
			if out != "" {
				t.Errorf("output on error: %q", out)
			}
		})
	}
	// A bridge: --last is --to's place, a pin may not take it.
	bridge := []string{"build", "--from", "Daft Punk - One More Time", "--to", "Adele - Hello"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--last", "Katy Perry - E.T."}, "both end the playlist"},
		{[]string{"--pin", "Katy Perry - E.T.@13"}, "the bridge's end's, --to"},
		{[]string{"--pin", "Adele - Hello@5"}, "--to and --pin \"Adele - Hello@5\" put"},
	} {
		_, _, err := buildRun(t, append(bridge, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err %v, want one saying %q", tc.args, err, tc.want)
		}
	}
}
