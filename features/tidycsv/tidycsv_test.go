package tidycsv

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/builtin"
	"github.com/discoflow/disco/features/table"
)

func readFile(t *testing.T, path string, opt Options) *features.Dataset {
	t.Helper()
	ds, err := ReadFile(path, opt)
	if err != nil {
		t.Fatalf("ReadFile(%s): %v", path, err)
	}
	return ds
}

// plainRows reads a CSV file with encoding/csv alone: the header and the
// records, as an independent account of what a file holds.
func plainRows(t *testing.T, r io.Reader) ([]string, [][]string) {
	t.Helper()
	all, err := csv.NewReader(r).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return all[0], all[1:]
}

func TestReadExcerpt(t *testing.T) {
	const path = "testdata/excerpt.csv"
	ds := readFile(t, path, Options{})

	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	header, rows := plainRows(t, f)
	tid, pid := slices.Index(header, "track_id"), slices.Index(header, "playlist_id")
	ids := map[string]bool{}
	for _, r := range rows {
		ids[r[tid]] = true
	}

	r := ds.Report
	if r.Rows != len(rows) || r.Rows != 345 {
		t.Errorf("Rows = %d, want %d (345)", r.Rows, len(rows))
	}
	if r.Tracks != len(ids) || ds.Catalog.Len() != len(ids) || len(ids) != 232 {
		t.Errorf("Tracks = %d, catalog %d, want %d (232)", r.Tracks, ds.Catalog.Len(), len(ids))
	}
	if r.DuplicatePlaylists != 1 {
		t.Errorf("DuplicatePlaylists = %d, want 1", r.DuplicatePlaylists)
	}
	if r.Skipped != 0 || r.Conflicts != 0 {
		t.Errorf("Skipped %d, Conflicts %d, want 0, 0", r.Skipped, r.Conflicts)
	}

	// The playlists: first blocks only, in order, with their rows' tracks.
	want := []struct {
		id, name, genre, sub string
		n                    int
	}{
		{"37i9dQZF1DWTHM4kX49UKs", "Ultimate Indie Presents... Best Indie Tracks of the 2010s", "pop", "dance pop", 99},
		{"37i9dQZF1DX4OjfOteYnH8", "Trap Nation", "rap", "trap", 37},
		{"6HprqD6WZMx5peClrxaprN", "Post-Teen Pop", "pop", "post-teen pop", 1},
		{"5GA8GDo7RQC3JEanT81B3g", "GANGSTA Rap", "rap", "gangster rap", 93},
	}
	if len(ds.Playlists) != len(want) || r.Playlists != len(want) {
		t.Fatalf("%d playlists (Report %d), want %d", len(ds.Playlists), r.Playlists, len(want))
	}
	row := 0
	for i, w := range want {
		p := ds.Playlists[i]
		if p.ID != w.id || p.Genre != w.genre || p.Subgenre != w.sub || p.Len() != w.n {
			t.Errorf("playlist %d = %s %q %s/%s %d tracks, want %s %s/%s %d", i, p.ID, p.Name, p.Genre, p.Subgenre, p.Len(), w.id, w.genre, w.sub, w.n)
		}
		if i != 1 && p.Name != w.name {
			t.Errorf("playlist %d name %q, want %q", i, p.Name, w.name)
		}
		for j, tr := range p.Tracks {
			if rows[row][pid] != p.ID || rows[row][tid] != tr.ID {
				t.Fatalf("playlist %d track %d = %s, row %d has %s in %s", i, j, tr.ID, row+2, rows[row][tid], rows[row][pid])
			}
			row++
		}
	}
	var differ int
	for _, w := range r.Warnings {
		if strings.Contains(w, "appears again with other tracks") {
			differ++
		}
	}
	if differ != 1 {
		t.Errorf("%d warnings of a playlist with other tracks, want 1:\n%s", differ, strings.Join(r.Warnings, "\n"))
	}

	// Rows with R's NA for name, artist and album (lines 183 and 184).
	for _, id := range []string{"5cjecvX0CmC9gK0Laf5EMQ", "5TTzhRSWQS4Yu8xTgAuq6D"} {
		tr := ds.Catalog.Get(id)
		if tr == nil {
			t.Fatalf("track %s missing", id)
		}
		if tr.Name != "" || tr.Artists != nil || tr.Album != "" || !tr.HasFeatures {
			t.Errorf("NA track %s = %q %q %q features %v, want empty metadata, features", id, tr.Name, tr.Artists, tr.Album, tr.HasFeatures)
		}
	}
	var noName int
	for _, w := range r.Warnings {
		if strings.Contains(w, "has no name") {
			noName++
		}
	}
	if noName != 2 {
		t.Errorf("%d missing-name warnings, want 2", noName)
	}

	// Values and provenance of the first row.
	tr := ds.Playlists[0].Tracks[0]
	if tr.From.Meta != "csv:"+path+":2" || tr.From.Features != tr.From.Meta {
		t.Errorf("provenance %+v", tr.From)
	}
	if tr.Genre != "pop" || tr.Subgenre != "dance pop" || tr.Popularity < 0 || tr.DurationMS <= 0 || tr.Key < 0 || tr.Mode < 0 {
		t.Errorf("first track %+v", tr)
	}
}

func TestRealRows(t *testing.T) {
	ds := readFile(t, "testdata/rows.csv", Options{})
	r := ds.Report
	if r.Tracks != 4 || r.UnknownTempo != 1 || r.UnknownKey != 0 || r.MissingFeatures != 0 {
		t.Errorf("report %+v", r)
	}
	tests := []struct {
		id      string
		name    string
		artists []string
		tempo   float64
	}{
		{"51w6nRCU68klqNfYaaVP2j", "Hi, How're You Doin'?", []string{"DREAMS COME TRUE"}, 0},
		{"69gRFGOWY9OMpFJgFol1u0", "", nil, 95.999},
		{"5eBAi26nr0KPcO3ko2hvLN", "M.I.A", []string{"Khea", "Omar Varela"}, 134.984},
		{"7KA4W4McWYRpgf0fWsJZWB", "See You Again (feat. Kali Uchis)", []string{"Tyler, The Creator"}, 78.558},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			tr := ds.Catalog.Get(tt.id)
			if tr == nil {
				t.Fatal("missing")
			}
			if tr.Name != tt.name || !slices.Equal(tr.Artists, tt.artists) || tr.Tempo != tt.tempo {
				t.Errorf("got %q %q tempo %v, want %q %q %v", tr.Name, tr.Artists, tr.Tempo, tt.name, tt.artists, tt.tempo)
			}
		})
	}
	// Real features of the tempo-0 row: zeros are values, not missing.
	if tr := ds.Catalog.Get("51w6nRCU68klqNfYaaVP2j"); !tr.HasFeatures || tr.Features[features.Danceability] != 0 || tr.Features[features.Loudness] != -26.087 {
		t.Errorf("tempo-0 track features %v %v", tr.HasFeatures, tr.Features)
	}
}

func TestBOMCRLF(t *testing.T) {
	ds := readFile(t, "testdata/bom_crlf.csv", Options{})
	if ds.Report.Tracks != 4 || ds.Report.Rows != 4 || len(ds.Playlists) != 2 {
		t.Fatalf("report %+v, %d playlists", ds.Report, len(ds.Playlists))
	}
	tr := ds.Catalog.Tracks[0]
	if tr.ID != "6f807x0ima9a1j3VPbc7VN" || tr.DurationMS != 194754 {
		t.Errorf("first track %q duration %d", tr.ID, tr.DurationMS)
	}
	if got := ds.Catalog.Get("6B9cqNooxIyPfr3P5EB8LA").Album; got != "Hearts Ain't Gonna Lie (Remixes, Pt. 1)" {
		t.Errorf("quoted comma: album %q", got)
	}
	if got := ds.Catalog.Get("4w8niZpiMy6qz1mntFA5uM").Name; got != "Taki Taki (with Selena Gomez, Ozuna & Cardi B)" {
		t.Errorf("quoted comma: name %q", got)
	}
	for _, tr := range ds.Catalog.Tracks {
		for _, s := range []string{tr.ID, tr.Name, tr.Album, tr.Subgenre} {
			if strings.ContainsAny(s, "\r\uFEFF") {
				t.Errorf("track %s: %q holds CR or BOM", tr.ID, s)
			}
		}
	}
	if p := ds.Playlists[1]; p.ID != "37i9dQZF1DWZQaaqNMbbXa" || p.Subgenre != "dance pop" {
		t.Errorf("last playlist %+v", p)
	}
}

// lineCol finds the 1-based line and byte column of the first occurrence of
// sub in a file, without any CSV parsing.
func lineCol(t *testing.T, path, sub string) (int, int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if j := strings.Index(l, sub); j >= 0 {
			return i + 1, j + 1
		}
	}
	t.Fatalf("%q not in %s", sub, path)
	return 0, 0
}

func TestBadNumber(t *testing.T) {
	const path = "testdata/bad_number.csv"
	line, col := lineCol(t, path, "0.8x3")
	if line != 5 {
		t.Fatalf("test file changed: bad number on line %d", line)
	}
	_, err := ReadFile(path, Options{})
	var pe *features.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want *features.ParseError", err)
	}
	if pe.File != path || pe.Line != line || pe.Column != col || pe.Field != "energy" || !errors.Is(err, table.ErrNotNumber) {
		t.Errorf("err = %+v, want %s line %d column %d field energy, ErrNotNumber", pe, path, line, col)
	}
	if want := path + ":5:"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("message %q does not start with %q", err, want)
	}

	ds, err := ReadFile(path, Options{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	r := ds.Report
	if r.Skipped != 1 || r.Rows != 4 || r.Tracks != 3 || ds.Catalog.Get("6B9cqNooxIyPfr3P5EB8LA") != nil {
		t.Errorf("SkipBad: report %+v", r)
	}
	if len(r.Warnings) == 0 || !strings.Contains(r.Warnings[0], path+":5:") {
		t.Errorf("SkipBad warnings %q", r.Warnings)
	}
	// The skipped row does not split the playlist around it.
	if len(ds.Playlists) != 2 || ds.Playlists[0].Len() != 2 {
		t.Errorf("playlists after skip: %d, first %d tracks", len(ds.Playlists), ds.Playlists[0].Len())
	}
	if got := ds.Catalog.Get("0r7CVbZTWZgbTCYdfa2P31").Name; got != "Memories -\nDillon Francis Remix" {
		t.Errorf("quoted line break: name %q", got)
	}
}

func TestPolicy(t *testing.T) {
	ds := readFile(t, "testdata/policy.csv", Options{})
	r := ds.Report
	want := features.Report{Rows: 11, Tracks: 9, Playlists: 2, MissingFeatures: 3, UnknownKey: 1, UnknownTempo: 2, Conflicts: 1}
	got := r
	got.Warnings = nil
	if !equalReport(got, want) {
		t.Errorf("report %+v, want %+v", got, want)
	}
	get := func(id string) *features.Track {
		tr := ds.Catalog.Get(id)
		if tr == nil {
			t.Fatalf("track %s missing", id)
		}
		return tr
	}
	for _, id := range []string{"1111111111111111111111", "2222222222222222222222", "7777777777777777777777"} {
		tr := get(id)
		if tr.HasFeatures || !math.IsNaN(tr.Features[features.Energy]) {
			t.Errorf("%s: HasFeatures %v features %v, want missing", id, tr.HasFeatures, tr.Features)
		}
		if tr.Key != 6 || tr.Tempo != 122.036 {
			t.Errorf("%s: key %d tempo %v lost with the features", id, tr.Key, tr.Tempo)
		}
	}
	if tr := get("3333333333333333333333"); tr.Key != -1 || !tr.HasFeatures {
		t.Errorf("key -1: %d %v", tr.Key, tr.HasFeatures)
	}
	if tr := get("4444444444444444444444"); tr.Tempo != 0 || !tr.HasFeatures {
		t.Errorf("tempo 0: %v", tr.Tempo)
	}
	if tr := get("5555555555555555555555"); tr.Mode != -1 {
		t.Errorf("empty mode: %d", tr.Mode)
	}
	if tr := get("6666666666666666666666"); tr.Name != "" || tr.Artist() != "Ed Sheeran" {
		t.Errorf("missing name: %q by %q", tr.Name, tr.Artist())
	}
	if tr := get("8888888888888888888888"); tr.Tempo != 0 || !tr.HasFeatures {
		t.Errorf("NaN tempo: %v", tr.Tempo)
	}
	if tr := get("6f807x0ima9a1j3VPbc7VN"); tr.Features[features.Energy] != 0.916 || tr.From.Meta != "csv:testdata/policy.csv:9" {
		t.Errorf("conflict: first row not kept: energy %v from %s", tr.Features[features.Energy], tr.From.Meta)
	}
	for _, w := range []string{
		`policy.csv:2: column "danceability" is "NaN"`,
		`policy.csv:8: column "loudness" is "-Inf"`,
		`policy.csv:12: column "tempo" is "NaN"`,
		`policy.csv:7: track 6666666666666666666666 has no name`,
		`policy.csv:11: track 6f807x0ima9a1j3VPbc7VN: features differ from its first row (csv:testdata/policy.csv:9)`,
		`playlist "Pop Remix" (37i9dQZF1DXcZDD7cfEKhW) appears again with other tracks`,
	} {
		if !slices.ContainsFunc(r.Warnings, func(s string) bool { return strings.Contains(s, w) }) {
			t.Errorf("no warning %q in\n%s", w, strings.Join(r.Warnings, "\n"))
		}
	}
	if len(r.Warnings) != 6 {
		t.Errorf("%d warnings, want 6:\n%s", len(r.Warnings), strings.Join(r.Warnings, "\n"))
	}
}

func equalReport(a, b features.Report) bool {
	return a.Rows == b.Rows && a.Skipped == b.Skipped && a.Tracks == b.Tracks && a.Playlists == b.Playlists &&
		a.DuplicatePlaylists == b.DuplicatePlaylists && a.MissingFeatures == b.MissingFeatures &&
		a.UnknownKey == b.UnknownKey && a.UnknownTempo == b.UnknownTempo && a.Conflicts == b.Conflicts
}

const (
	smallHeader = "track_id,track_name,track_artist,track_popularity,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms,time_signature\n"
	goodRow     = "6f807x0ima9a1j3VPbc7VN,I Don't Care,Ed Sheeran,66,0.748,0.916,6,-2.634,1,0.0583,0.102,0,0.0653,0.518,122.036,194754,4\n"
)

// withCell returns goodRow with the cell of the named column replaced.
func withCell(col, v string) string {
	h := strings.Split(strings.TrimSpace(smallHeader), ",")
	c := strings.Split(strings.TrimSpace(goodRow), ",")
	c[slices.Index(h, col)] = v
	return strings.Join(c, ",") + "\n"
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		name  string
		row   string
		field string // "" for a whole-line error
		col   int    // 0: check only that it is > 0 when field is set
		err   error
	}{
		{"key 12", withCell("key", "12"), "key", 0, table.ErrOutOfRange},
		{"key -2", withCell("key", "-2"), "key", 0, table.ErrOutOfRange},
		{"key 1.5", withCell("key", "1.5"), "key", 0, table.ErrNotInteger},
		{"key text", withCell("key", "X#"), "key", 0, table.ErrNotInteger},
		{"mode 2", withCell("mode", "2"), "mode", 0, table.ErrOutOfRange},
		{"mode -1", withCell("mode", "-1"), "mode", 0, table.ErrOutOfRange},
		{"tempo negative", withCell("tempo", "-1"), "tempo", 0, table.ErrOutOfRange},
		{"tempo text", withCell("tempo", "fast"), "tempo", 0, table.ErrNotNumber},
		{"popularity 101", withCell("track_popularity", "101"), "track_popularity", 0, table.ErrOutOfRange},
		{"duration negative", withCell("duration_ms", "-5"), "duration_ms", 0, table.ErrOutOfRange},
		{"time signature 17", withCell("time_signature", "17"), "time_signature", 0, table.ErrOutOfRange},
		{"energy 1.5", withCell("energy", "1.5"), "energy", 0, table.ErrOutOfRange},
		{"loudness -61", withCell("loudness", "-61"), "loudness", 0, table.ErrOutOfRange},
		{"valence negative", withCell("valence", "-0.1"), "valence", 0, table.ErrOutOfRange},
		{"danceability text", withCell("danceability", "high"), "danceability", 51, table.ErrNotNumber},
		{"empty id", withCell("track_id", ""), "track_id", 1, table.ErrEmptyID},
		{"blank id", withCell("track_id", "  "), "track_id", 1, table.ErrEmptyID},
		{"NA id", withCell("track_id", "NA"), "track_id", 1, table.ErrEmptyID},
		{"extra cell", strings.TrimSpace(goodRow) + ",x\n", "", 0, table.ErrFieldCount},
		{"missing cell", strings.TrimSuffix(strings.TrimSpace(goodRow), ",4") + "\n", "", 0, table.ErrFieldCount},
		{"bare quote", withCell("track_name", `I "Don't" Care`), "", 0, csv.ErrBareQuote},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := smallHeader + goodRow + tt.row + goodRow
			_, err := Read(strings.NewReader(in), "m.csv", Options{})
			var pe *features.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want a ParseError wrapping %v", err, tt.err)
			}
			if pe.File != "m.csv" || pe.Line != 3 || pe.Field != tt.field {
				t.Errorf("err = %+v, want m.csv line 3 field %q", pe, tt.field)
			}
			if tt.field != "" && (pe.Column <= 0 || tt.col > 0 && pe.Column != tt.col) {
				t.Errorf("column %d, want %d", pe.Column, tt.col)
			}
			ds, err := Read(strings.NewReader(in), "m.csv", Options{SkipBad: true})
			if err != nil {
				t.Fatalf("SkipBad: %v", err)
			}
			if r := ds.Report; r.Skipped != 1 || r.Rows != 3 || r.Tracks != 1 || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "m.csv:3") {
				t.Errorf("SkipBad: report %+v", r)
			}
		})
	}
}

func TestOutOfRangeFile(t *testing.T) {
	const path = "testdata/out_of_range.csv"
	line, col := lineCol(t, path, ",1.5,")
	_, err := ReadFile(path, Options{})
	var pe *features.ParseError
	if !errors.As(err, &pe) || pe.Line != line || pe.Column != col+1 || pe.Field != "energy" || !errors.Is(err, table.ErrOutOfRange) {
		t.Fatalf("err = %v (%+v), want energy out of range at %d:%d", err, pe, line, col+1)
	}
}

func TestHeaders(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		check  func(t *testing.T, ds *features.Dataset)
		errIs  error
		errSub string
	}{
		{
			name: "kaggle tracks dataset",
			in: ",track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre\n" +
				"0,5SuOikwiRyPMVoIQDJUgSV,Gen Hoshino,Comedy,Comedy,73,230666,False,0.676,0.461,1,-6.746,0,0.143,0.0322,1.01e-06,0.358,0.715,87.917,4,acoustic\n" +
				"1,4qPNDBW1i3p13qLCt0Ki3A,Ben Woodward;Kina Grannis,Ghost (Acoustic),Ghost - Acoustic,55,149610,False,0.42,0.166,1,-17.235,1,0.0763,0.924,5.56e-06,0.101,0.267,77.489,4,acoustic\n" +
				"2,5SuOikwiRyPMVoIQDJUgSV,Gen Hoshino,Comedy,Comedy,73,230666,False,0.676,0.461,1,-6.746,0,0.143,0.0322,1.01e-06,0.358,0.715,87.917,4,j-pop\n",
			check: func(t *testing.T, ds *features.Dataset) {
				if len(ds.Playlists) != 0 || ds.Catalog.Len() != 2 || ds.Report.Conflicts != 0 {
					t.Fatalf("%d playlists, %d tracks, %d conflicts; want 0, 2, 0", len(ds.Playlists), ds.Catalog.Len(), ds.Report.Conflicts)
				}
				tr := ds.Catalog.Tracks[1]
				if !slices.Equal(tr.Artists, []string{"Ben Woodward", "Kina Grannis"}) || tr.TimeSignature != 4 || tr.Genre != "acoustic" || tr.Album != "Ghost (Acoustic)" || tr.Popularity != 55 {
					t.Errorf("track %+v", tr)
				}
				if g := ds.Catalog.Tracks[0].Genre; g != "acoustic" {
					t.Errorf("genre of a repeated track %q, want the first row's", g)
				}
			},
		},
		{
			name: "aliases, case, spaces, reordered, extra columns",
			in: " Title ,Artist Name(s),SPOTIFY_ID,Playlist,pid,Genre,Energy,Danceability,Loudness,Speechiness,Acousticness,Instrumentalness,Liveness,Valence,Key,Mode,Tempo,Duration,Comment\n" +
				"Song,A;B,spotify:track:4uLU6hMCjMI75M1A2tKUQC,Mine,p1,pop,0.5,0.6,-5,0.1,0.2,0.3,0.4,0.7,5,0,120,200000,hi\n",
			check: func(t *testing.T, ds *features.Dataset) {
				tr := ds.Catalog.Get("4uLU6hMCjMI75M1A2tKUQC")
				if tr == nil || tr.Name != "Song" || tr.Artist() != "A, B" || tr.Features[features.Energy] != 0.5 || tr.Features[features.Danceability] != 0.6 || tr.DurationMS != 200000 || tr.Key != 5 || tr.Mode != 0 {
					t.Fatalf("track %+v", tr)
				}
				if len(ds.Playlists) != 1 || ds.Playlists[0].ID != "p1" || ds.Playlists[0].Name != "Mine" || ds.Playlists[0].Genre != "pop" {
					t.Errorf("playlists %+v", ds.Playlists)
				}
			},
		},
		{
			name: "id only",
			in:   "track_id\n4uLU6hMCjMI75M1A2tKUQC\nhttps://open.spotify.com/track/6f807x0ima9a1j3VPbc7VN?si=1\n\n",
			check: func(t *testing.T, ds *features.Dataset) {
				if ds.Catalog.Len() != 2 || ds.Report.MissingFeatures != 2 || ds.Report.UnknownKey != 2 || ds.Report.UnknownTempo != 2 {
					t.Fatalf("report %+v", ds.Report)
				}
				tr := ds.Catalog.Tracks[1]
				if tr.ID != "6f807x0ima9a1j3VPbc7VN" || tr.Mode != -1 || tr.Popularity != -1 || tr.DurationMS != -1 || tr.HasFeatures {
					t.Errorf("track %+v", tr)
				}
			},
		},
		{
			name: "playlist by name only, blank rows ignored",
			in:   "track_id,playlist_name\na,P\n,\nb,P\n \t, \nc,\nd,Q\n",
			check: func(t *testing.T, ds *features.Dataset) {
				if ds.Report.Rows != 4 || len(ds.Playlists) != 2 || ds.Playlists[0].Len() != 2 || ds.Playlists[1].Name != "Q" || ds.Playlists[1].ID != "" {
					t.Fatalf("report %+v playlists %d", ds.Report, len(ds.Playlists))
				}
			},
		},
		{name: "no id column", in: "name,artist\nx,y\n", errIs: table.ErrNoIDColumn},
		{name: "empty", in: "", errIs: table.ErrEmptyHeader},
		{name: "only BOM", in: "\uFEFF", errIs: table.ErrEmptyHeader},
		{name: "header quote error", in: "track_id,\"name\n", errIs: csv.ErrQuote},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := Read(strings.NewReader(tt.in), "h.csv", Options{})
			if tt.errIs != nil {
				if !errors.Is(err, tt.errIs) {
					t.Fatalf("err = %v, want %v", err, tt.errIs)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, ds)
		})
	}
}

func TestGzip(t *testing.T) {
	raw, err := os.ReadFile("testdata/excerpt.csv")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(raw)
	zw.Close()
	plain, err := Read(bytes.NewReader(raw), "x.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	zipped, err := Read(&buf, "x.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := sameDataset(plain, zipped, true); err != nil {
		t.Error(err)
	}
	if _, err := Read(bytes.NewReader([]byte{0x1f, 0x8b, 0, 1, 2}), "bad.gz", Options{}); err == nil || !strings.HasPrefix(err.Error(), "tidycsv: bad.gz") {
		t.Errorf("corrupt gzip: err = %v", err)
	}
}

// TestBuiltin reads the embedded catalog (all of spotify_songs.csv) and
// checks its figures against a count made with encoding/csv alone.
func TestBuiltin(t *testing.T) {
	open := func() io.Reader {
		r, err := builtin.Open()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	ds, err := Read(open(), builtin.Name, Options{})
	if err != nil {
		t.Fatal(err)
	}

	header, rows := plainRows(t, open())
	tid, pid := slices.Index(header, "track_id"), slices.Index(header, "playlist_id")
	ids := map[string]bool{}
	first := map[string][]string{} // playlist id -> track ids of its first block
	var blocks, dups, differ int
	for i := 0; i < len(rows); {
		j := i
		var tracks []string
		for ; j < len(rows) && rows[j][pid] == rows[i][pid]; j++ {
			tracks = append(tracks, rows[j][tid])
			ids[rows[j][tid]] = true
		}
		blocks++
		switch f, ok := first[rows[i][pid]]; {
		case !ok:
			first[rows[i][pid]] = tracks
		case slices.Equal(f, tracks):
			dups++
		default:
			differ++
		}
		i = j
	}
	t.Logf("%d rows, %d blocks, %d playlists, %d duplicates, %d with other tracks, %d tracks", len(rows), blocks, len(first), dups, differ, len(ids))
	if len(rows) != 29500 || len(first) != 423 || blocks != 431 {
		t.Fatalf("embedded data changed: %d rows, %d playlists, %d blocks", len(rows), len(first), blocks)
	}

	r := ds.Report
	if r.Rows != 29500 || r.Playlists != 423 || len(ds.Playlists) != 423 || r.DuplicatePlaylists != dups || dups != 1 {
		t.Errorf("Rows %d Playlists %d/%d Duplicates %d; want 29500, 423, %d", r.Rows, r.Playlists, len(ds.Playlists), r.DuplicatePlaylists, dups)
	}
	if r.Tracks != len(ids) || r.Skipped != 0 || r.Conflicts != 0 || r.MissingFeatures != 0 || r.UnknownKey != 0 || r.UnknownTempo != 1 {
		t.Errorf("report %+v, want %d tracks, one unknown tempo", r, len(ids))
	}
	var otherTracks int
	for _, w := range r.Warnings {
		if strings.Contains(w, "appears again with other tracks") {
			otherTracks++
		}
	}
	if otherTracks != differ {
		t.Errorf("%d warnings of playlists with other tracks, want %d", otherTracks, differ)
	}
	var n int
	for _, p := range ds.Playlists {
		if !slices.EqualFunc(p.Tracks, first[p.ID], func(tr *features.Track, id string) bool { return tr.ID == id }) {
			t.Fatalf("playlist %s differs from its first block", p.ID)
		}
		n += p.Len()
	}
	t.Logf("%d entries in kept playlists", n)
}

// TestNonFinite: NaN, infinite and overflowing numbers are read one way in
// every float column: unknown, counted in Report.NonFinite, warned about.
func TestNonFinite(t *testing.T) {
	for _, col := range []string{"tempo", "energy", "loudness"} {
		for _, v := range []string{"NaN", "nan", "Inf", "-Infinity", "1e400", "-1e400"} {
			t.Run(col+"="+v, func(t *testing.T) {
				ds, err := Read(strings.NewReader(smallHeader+withCell(col, v)), "n.csv", Options{})
				if err != nil {
					t.Fatal(err)
				}
				tr, r := ds.Catalog.Tracks[0], ds.Report
				if r.NonFinite != 1 || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "n.csv:2") {
					t.Errorf("NonFinite %d, warnings %q; want 1 and one for line 2", r.NonFinite, r.Warnings)
				}
				if col == "tempo" && (tr.Tempo != 0 || !tr.HasFeatures || r.UnknownTempo != 1) {
					t.Errorf("tempo %v, HasFeatures %v, UnknownTempo %d; want 0 (unknown), true, 1", tr.Tempo, tr.HasFeatures, r.UnknownTempo)
				}
				if col != "tempo" && (tr.HasFeatures || r.MissingFeatures != 1) {
					t.Errorf("HasFeatures %v, MissingFeatures %d; want false, 1", tr.HasFeatures, r.MissingFeatures)
				}
			})
		}
	}
}
