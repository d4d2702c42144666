package features

import (
	"errors"
	"testing"
)

func TestReportSummary(t *testing.T) {
	for _, c := range []struct {
		name string
		r    Report
		want string
	}{
		{"plain", Report{Rows: 3, Tracks: 3, Playlists: 1}, "f.csv: 3 rows, 3 tracks, 1 playlist"},
		{"all of it", Report{Rows: 12, Tracks: 8, Playlists: 2, Duplicates: 1, Conflicts: 4, ConflictIDs: []string{"a", "b", "c"},
			Skipped: 2, NonFinite: 1, MissingFeatures: 1, MissingColumns: []string{"tempo", "audio features"}},
			"f.csv: 12 rows, 8 tracks, 2 playlists; 1 repeated row merged; 4 conflicting duplicates, first kept (a, b, c, ...); " +
				"2 bad rows skipped; 1 row with NaN or infinite values, read as unknown; 1 track without audio features; " +
				"no tempo column: tempo similarity off; no audio feature columns: no track has audio features, none can be a candidate"},
		{"one conflict", Report{Rows: 2, Tracks: 1, Conflicts: 1, ConflictIDs: []string{"x"}}, "f.csv: 2 rows, 1 track, 0 playlists; 1 conflicting duplicate, first kept (x)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.r.Summary("f.csv"); got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

// TestReadReportCounts: a table with a merged duplicate, conflicting
// duplicates and no tempo or key column says so in its report.
// TestParseErrorPosition: a byte offset is labelled "byte", never shown
// like a column of the table.
func TestParseErrorPosition(t *testing.T) {
	for _, c := range []struct {
		e    ParseError
		want string
	}{
		{ParseError{File: "f.csv", Line: 6, Column: 230, Field: "tempo", Err: errors.New("not a number")}, `f.csv:6: byte 230: column "tempo": not a number`},
		{ParseError{File: "f.csv", Line: 6, Err: errors.New("wrong number of fields")}, `f.csv:6: wrong number of fields`},
	} {
		if got := c.e.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

func TestPlaylistName(t *testing.T) {
	for in, want := range map[string]string{
		"Liked Songs.csv":        "Liked Songs",
		"/x/y/road trip.CSV":     "road trip",
		"dir/mix.csv.gz":         "mix",
		"mix.gz":                 "mix",
		"noext":                  "noext",
		".csv":                   ".csv",
		"my.playlist.v2.csv":     "my.playlist.v2",
		`C:\x\y.csv`:             "y",
		"spotify_playlists.json": "spotify_playlists",
		"built.xspf":             "built",
		"mix.m3u8":               "mix",
		"ids.txt":                "ids",
		"a.b":                    "a.b",
	} {
		if got := PlaylistName(in); got != want {
			t.Errorf("PlaylistName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAppendIDs(t *testing.T) {
	p := &Playlist{Tracks: []*Track{{ID: "a"}, {ID: "b"}}}
	if got := p.AppendIDs([]string{"x"}); len(got) != 3 || got[0] != "x" || got[1] != "a" || got[2] != "b" {
		t.Errorf("AppendIDs = %q", got)
	}
}

func TestVectorDist2(t *testing.T) {
	a, b := Vector{1, 2, 3}, Vector{1, 0, 6}
	if got := a.Dist2(&b); got != 13 || b.Dist2(&a) != 13 || a.Dist2(&a) != 0 {
		t.Errorf("Dist2 = %v, want 13", got)
	}
}
