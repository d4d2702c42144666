package load

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		head string
		want Format
	}{
		{"tidy", "track_id,track_name,track_artist,danceability\n6f807x0ima9a1j3VPbc7VN,x,y,0.5\n", TidyCSV},
		{"tidy BOM CRLF", "\uFEFFtrack_id,track_name\r\nabc,x\r\n", TidyCSV},
		{"kaggle", ",track_id,artists,album_name,track_name\n0,5SuOikwiRyPMVoIQDJUgSV,Gen Hoshino,Comedy,Comedy\n", TidyCSV},
		{"spotifyr write.csv", "\"\",\"danceability\",\"track.id\",\"track.name\"\n\"1\",0.5,\"6f807x0ima9a1j3VPbc7VN\",\"x\"\n", TidyCSV},
		{"tidy upper", "Name,ID,Energy\n", TidyCSV},
		{"tidy id only", "track_id\n", TidyCSV},
		{"tidy quoted header", "\"track_id\",\"track_name\"\n", TidyCSV},
		{"exportify", "Track URI,Track Name,Album Name,Artist Name(s)\nspotify:track:6f807x0ima9a1j3VPbc7VN,a,b,c\n", Exportify},
		{"exportify BOM", "\uFEFFTrack URI,Track Name\n", Exportify},
		{"exportify 2019", "Spotify ID,Artist IDs,Track Name,Album Name\n", Exportify},
		{"exportify old Track ID", "Track ID,Track Name,Artist Name\n", Exportify},
		{"exportify quoted", "\"Track URI\",\"Track Name\"\n", Exportify},
		{"mpd", "{\"info\": {\"slice\": \"0-999\"}, \"playlists\": []}", MPD},
		{"mpd spaces", "  \n{\n  \"playlists\": [", MPD},
		{"mpd BOM", "\uFEFF{\"info\":{}}", MPD},
		{"ids", "spotify:track:4uLU6hMCjMI75M1A2tKUQC\n4uLU6hMCjMI75M1A2tKUQC\n", IDList},
		{"ids url", "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC?si=1,2\n", IDList},
		{"ids comment", "# my list\nspotify:track:4uLU6hMCjMI75M1A2tKUQC\n", IDList},
		{"m3u", "#EXTM3U\n#EXTINF:194,Ed Sheeran - I Don't Care\nspotify:track:6f807x0ima9a1j3VPbc7VN\n", IDList},
		{"ids leading blank lines", "\n\n  4uLU6hMCjMI75M1A2tKUQC\n", IDList},
		{"single junk field", "hello\n", IDList},
		{"empty", "", IDList},
		{"blank", " \n\t\r\n", IDList},
		{"unknown csv", "name,artist\nx,y\n", Unknown},
		{"other json", "{\"tracks\": []}", Unknown},
		{"json array", "[1, 2]", Unknown},
		{"gzip", "\x1f\x8b\x08\x00", Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, why := Sniff([]byte(tt.head))
			if got != tt.want {
				t.Errorf("Sniff(%q) = %v (%s), want %v", tt.head, got, why, tt.want)
			}
			if (got == Unknown) != (why != "") {
				t.Errorf("Sniff(%q): format %v with reason %q", tt.head, got, why)
			}
		})
	}
}

func TestFile(t *testing.T) {
	tests := []struct {
		path      string
		source    string // provenance prefix of the reader used
		tracks    int
		playlists int
	}{
		{"testdata/songs.csv.gz", "csv:", 2, 1},
		{"testdata/liked.csv", "exportify:", 2, 1},
		{"testdata/mpd.json", "mpd:", 2, 1},
		{"testdata/ids.txt", "idlist:", 3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			ds, err := File(tt.path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if ds.Catalog.Len() != tt.tracks || len(ds.Playlists) != tt.playlists {
				t.Fatalf("%d tracks, %d playlists; want %d, %d", ds.Catalog.Len(), len(ds.Playlists), tt.tracks, tt.playlists)
			}
			for _, tr := range ds.Catalog.Tracks {
				if !strings.HasPrefix(tr.From.Meta, tt.source) {
					t.Errorf("track %s from %q, want %s...", tr.ID, tr.From.Meta, tt.source)
				}
				if !features.IsTrackID(tr.ID) {
					t.Errorf("track id %q", tr.ID)
				}
			}
		})
	}
}

func TestReadGzipped(t *testing.T) {
	// Every format works gzip-compressed.
	for _, path := range []string{"testdata/liked.csv", "testdata/mpd.json", "testdata/ids.txt"} {
		t.Run(path, func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write(raw)
			zw.Close()
			plain, err := Read(bytes.NewReader(raw), path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			zipped, err := Read(&buf, path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if plain.Catalog.Len() != zipped.Catalog.Len() || plain.Catalog.Tracks[0].ID != zipped.Catalog.Tracks[0].ID {
				t.Errorf("gzipped read differs")
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	_, err := Read(strings.NewReader("name,artist\nx,y\n"), "u.csv", Options{})
	if !errors.Is(err, ErrUnknownFormat) || !strings.HasPrefix(err.Error(), "load: u.csv: unrecognised format: CSV header") {
		t.Errorf("unknown CSV: %v", err)
	}
	_, err = Read(strings.NewReader("track_id,energy\nabc,2\n"), "t.csv", Options{})
	var pe *features.ParseError
	if !errors.As(err, &pe) || pe.Line != 2 || pe.Field != "energy" {
		t.Errorf("malformed tidy row: %v", err)
	}
	ds, err := Read(strings.NewReader("track_id,energy\nabc,2\ndef,0.5\n"), "t.csv", Options{SkipBad: true})
	if err != nil || ds.Report.Skipped != 1 || ds.Catalog.Len() != 1 {
		t.Errorf("SkipBad: %v %+v", err, ds)
	}
	if _, err := Read(bytes.NewReader([]byte{0x1f, 0x8b, 1, 2, 3}), "bad.gz", Options{}); err == nil || !strings.HasPrefix(err.Error(), "load: bad.gz") {
		t.Errorf("corrupt gzip: %v", err)
	}
	if _, err := File("testdata/nonexistent.csv", Options{}); err == nil || !strings.HasPrefix(err.Error(), "load: ") {
		t.Errorf("missing file: %v", err)
	}
}

func track(id string, energy float64, from string) *features.Track {
	t := &features.Track{ID: id, Key: 5, Mode: 1, Tempo: 120, HasFeatures: true, From: features.Provenance{Meta: from, Features: from}}
	t.Features[features.Energy] = energy
	return t
}

func TestMerge(t *testing.T) {
	a1, b1 := track("a", 0.5, "one"), track("b", 0.5, "one")
	a2, c2 := track("a", 0.9, "two"), track("c", 0.5, "two")
	b2 := track("b", 0.5, "two") // same features as b1: no conflict
	d2 := &features.Track{ID: "d", Key: -1, Mode: -1, Features: features.NoFeatures}
	one := &features.Dataset{
		Catalog:   features.NewCatalog(a1, b1),
		Playlists: []*features.Playlist{{ID: "p", Tracks: []*features.Track{a1, b1}}},
		Report:    features.Report{Rows: 2, Tracks: 2, Playlists: 1, Warnings: []string{"w1"}},
	}
	p2 := &features.Playlist{ID: "q", Tracks: []*features.Track{c2, a2, b2, d2, a2}}
	two := &features.Dataset{
		Catalog:   features.NewCatalog(a2, c2, b2, d2),
		Playlists: []*features.Playlist{p2},
		Report:    features.Report{Rows: 5, Skipped: 1, Conflicts: 2, DuplicatePlaylists: 1, Warnings: []string{"w2"}},
	}
	m := Merge(one, nil, two)

	ids := func(ts []*features.Track) string {
		var b strings.Builder
		for _, t := range ts {
			b.WriteString(t.ID)
		}
		return b.String()
	}
	if got := ids(m.Catalog.Tracks); got != "abcd" {
		t.Errorf("catalog %q, want abcd", got)
	}
	if m.Catalog.Get("a") != a1 || m.Catalog.Get("b") != b1 || m.Catalog.Get("c") != c2 {
		t.Errorf("first track of an id not kept")
	}
	if len(m.Playlists) != 2 || m.Playlists[0] != one.Playlists[0] {
		t.Fatalf("playlists %v", m.Playlists)
	}
	q := m.Playlists[1]
	if q == p2 || ids(q.Tracks) != "cabda" || q.Tracks[1] != a1 || q.Tracks[4] != a1 || q.Tracks[2] != b1 || q.ID != "q" {
		t.Errorf("second playlist not remapped to the merged catalog: %q", ids(q.Tracks))
	}
	if p2.Tracks[1] != a2 {
		t.Errorf("input playlist changed")
	}
	want := features.Report{Rows: 7, Skipped: 1, Tracks: 4, Playlists: 2, DuplicatePlaylists: 1, MissingFeatures: 1, UnknownKey: 1, UnknownTempo: 1, Conflicts: 3}
	got := m.Report
	if got.Rows != want.Rows || got.Skipped != want.Skipped || got.Tracks != want.Tracks || got.Playlists != want.Playlists ||
		got.DuplicatePlaylists != want.DuplicatePlaylists || got.MissingFeatures != want.MissingFeatures ||
		got.UnknownKey != want.UnknownKey || got.UnknownTempo != want.UnknownTempo || got.Conflicts != want.Conflicts {
		t.Errorf("report %+v, want %+v", got, want)
	}
	if len(got.Warnings) != 3 || got.Warnings[0] != "w1" || got.Warnings[1] != "w2" || !strings.Contains(got.Warnings[2], "merge: track a: features from two differ from one") {
		t.Errorf("warnings %q", got.Warnings)
	}

	if e := Merge(); e.Catalog == nil || e.Catalog.Len() != 0 || len(e.Playlists) != 0 {
		t.Errorf("Merge() = %+v", e)
	}
}

func TestMergeFiles(t *testing.T) {
	var dss []*features.Dataset
	for _, p := range []string{"testdata/songs.csv.gz", "testdata/liked.csv", "testdata/mpd.json", "testdata/ids.txt"} {
		ds, err := File(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		dss = append(dss, ds)
	}
	m := Merge(dss...)
	// songs: 6f80, 0r7C; liked: 0r7C (same features), 4uLU; mpd: 6f80, 4uLU; ids: 4uLU, 6f80, 0r7C.
	if m.Catalog.Len() != 3 || len(m.Playlists) != 4 || m.Report.Conflicts != 0 {
		t.Fatalf("%d tracks, %d playlists, %d conflicts; want 3, 4, 0", m.Catalog.Len(), len(m.Playlists), m.Report.Conflicts)
	}
	// The MPD playlist now points at the tidy file's track, which has features.
	if tr := m.Playlists[2].Tracks[0]; tr.ID != "6f807x0ima9a1j3VPbc7VN" || !tr.HasFeatures || !strings.HasPrefix(tr.From.Meta, "csv:") {
		t.Errorf("MPD track %+v", tr)
	}
	if m.Report.MissingFeatures != 1 { // 4uLU: from Exportify without features
		t.Errorf("MissingFeatures %d", m.Report.MissingFeatures)
	}
}
