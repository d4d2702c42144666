package tidycsv

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
)

var regen = flag.Bool("regen", false, "rewrite the golden files in testdata")

// dump describes a dataset as text: its report, then every playlist and
// its tracks with every field the reader fills.
func dump(ds *features.Dataset) string {
	var b strings.Builder
	r := ds.Report
	fmt.Fprintf(&b, "rows %d, skipped %d, tracks %d, playlists %d, missing features %d, unknown key %d, unknown tempo %d, non-finite %d\n",
		r.Rows, r.Skipped, r.Tracks, r.Playlists, r.MissingFeatures, r.UnknownKey, r.UnknownTempo, r.NonFinite)
	fmt.Fprintf(&b, "missing columns %q\n", r.MissingColumns)
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	for _, p := range ds.Playlists {
		fmt.Fprintf(&b, "\nplaylist %s %q genre %q\n", p.ID, p.Name, p.Genre)
		for _, t := range p.Tracks {
			fmt.Fprintf(&b, "  %s %q album %q released %q duration %d popularity %d key %d mode %d tempo %g time %d from %s\n",
				t.ID, t.Name, t.Album, t.ReleaseDate, t.DurationMS, t.Popularity, t.Key, t.Mode, t.Tempo, t.TimeSignature, t.From.Features)
			if t.HasFeatures {
				fmt.Fprintf(&b, "    features %v\n", t.Features)
			} else {
				fmt.Fprintf(&b, "    features unknown\n")
			}
		}
	}
	return b.String()
}

// TestSpotifyrGolden reads a small export of spotifyr's
// get_playlist_audio_features as R's write.csv writes it (dotted column
// names, a row-name column, NA, and also NaN, null and empty cells) and
// compares everything read with testdata/spotifyr.golden (go test -regen
// rewrites it).
func TestSpotifyrGolden(t *testing.T) {
	ds := readFile(t, filepath.Join("testdata", "spotifyr.csv"), Options{})
	got := dump(ds)
	golden := filepath.Join("testdata", "spotifyr.golden")
	if *regen {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("read differs from %s (go test -regen rewrites it):\n%s", golden, got)
	}
	// The facts the golden file holds, asserted on their own so that a
	// regenerated file cannot hide a regression.
	if len(ds.Playlists) != 2 || ds.Catalog.Len() != 7 || ds.Report.Skipped != 0 {
		t.Fatalf("%d playlists, %d tracks, %d skipped; want 2, 7, 0", len(ds.Playlists), ds.Catalog.Len(), ds.Report.Skipped)
	}
	so := ds.Catalog.Get("4vLYewWIvqHfKtJDk8c8tq")
	if so == nil || so.Name != "So What" || so.Album != "Kind Of Blue (Legacy Edition)" || so.DurationMS != 562640 ||
		so.Popularity != 69 || so.Key != 2 || so.Mode != 0 || !so.HasFeatures || so.ReleaseDate != "1959-08-17" {
		t.Errorf("track.* columns not read: %+v", so)
	}
	// NA energy, NA mode, NA tempo; NaN key and valence, NA popularity;
	// empty valence and null time signature; null popularity and mode.
	for _, tc := range []struct {
		id         string
		features   bool
		key, mode  int
		popularity int
	}{
		{"1YQWosTIljIvxAgHWTp7KP", false, 9, -1, 63},
		{"2Mn0iLfmvZG5sSyU3nOJqC", false, -1, 1, -1},
		{"6fNNfZ0K3l1pE1B0oWSMUH", false, 4, 1, 58},
		{"5Bq4D9CHjs7Nzxq1uQUg1T", true, 7, -1, -1},
	} {
		tr := ds.Catalog.Get(tc.id)
		if tr == nil || tr.HasFeatures != tc.features || tr.Key != tc.key || tr.Mode != tc.mode || tr.Popularity != tc.popularity {
			t.Errorf("%s: %+v, want features %v, key %d, mode %d, popularity %d", tc.id, tr, tc.features, tc.key, tc.mode, tc.popularity)
		}
	}
	if r := ds.Report; r.MissingFeatures != 3 || r.NonFinite != 1 || r.UnknownTempo != 1 || r.UnknownKey != 1 {
		t.Errorf("report %+v; want 3 tracks without features, 1 non-finite row, 1 unknown tempo, 1 unknown key", r)
	}
}

// TestKeyModeText: without the numeric key and mode columns, spotifyr's
// key_mode ("C# minor"), key_name and mode_name give them.
func TestKeyModeText(t *testing.T) {
	for _, tc := range []struct {
		name, header, cells string
		key, mode           int
		err                 bool
	}{
		{"key_mode", "key_mode", "C# minor", 1, 0, false},
		{"key_mode-flat-major", "key_mode", "Eb major", 3, 1, false},
		{"key_name+mode_name", "key_name,mode_name", "A#,major", 10, 1, false},
		{"mode_name-wins-over-key_mode", "mode_name,key_mode", "major,D minor", 2, 1, false},
		{"numeric-first", "key,mode,key_mode", "5,1,C minor", 5, 1, false},
		{"NA", "key_mode,mode_name", "NA,NA", -1, -1, false},
		{"bad-note", "key_mode", "H minor", 0, 0, true},
		{"bad-mode", "key_mode", "C dorian", 0, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := "track.id," + tc.header + "\n6f807x0ima9a1j3VPbc7VN," + tc.cells + "\n"
			ds, err := Read(strings.NewReader(in), "k.csv", Options{})
			if tc.err {
				if err == nil {
					t.Fatalf("%q read without error", tc.cells)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tr := ds.Catalog.Tracks[0]; tr.Key != tc.key || tr.Mode != tc.mode {
				t.Errorf("key %d mode %d, want %d %d", tr.Key, tr.Mode, tc.key, tc.mode)
			}
		})
	}
}

// TestMissingCells: NA, NaN, null and empty read alike, as missing, in a
// feature and in an integer column: the row is kept and the value
// unknown.
func TestMissingCells(t *testing.T) {
	for _, col := range []string{"energy", "key", "mode", "time_signature", "track_popularity", "duration_ms"} {
		for _, v := range []string{"NA", "NaN", "null", "NULL", "", " NA "} {
			t.Run(col+"="+v, func(t *testing.T) {
				ds, err := Read(strings.NewReader(smallHeader+withCell(col, v)), "n.csv", Options{})
				if err != nil {
					t.Fatal(err)
				}
				tr := ds.Catalog.Tracks[0]
				var unknown bool
				switch col {
				case "energy":
					unknown = !tr.HasFeatures && ds.Report.MissingFeatures == 1
				case "key":
					unknown = tr.Key == -1 && ds.Report.UnknownKey == 1
				case "mode":
					unknown = tr.Mode == -1
				case "time_signature":
					unknown = tr.TimeSignature == 0
				case "track_popularity":
					unknown = tr.Popularity == -1
				case "duration_ms":
					unknown = tr.DurationMS == -1
				}
				if !unknown {
					t.Errorf("%s %q not read as unknown: %+v, report %+v", col, v, tr, ds.Report)
				}
				if col != "energy" && !tr.HasFeatures {
					t.Errorf("a missing %s lost the track's features", col)
				}
				if wantNF := v == "NaN"; (ds.Report.NonFinite == 1) != wantNF {
					t.Errorf("NonFinite %d for %q", ds.Report.NonFinite, v)
				}
			})
		}
	}
	// The rule holds in every column, as documented: a track named
	// "null" cannot be told from one without a name.
	ds, err := Read(strings.NewReader(smallHeader+withCell("track_name", "null")), "n.csv", Options{})
	if err != nil || ds.Catalog.Tracks[0].Name != "" {
		t.Errorf("name null: %v, %q", err, ds.Catalog.Tracks[0].Name)
	}
}
