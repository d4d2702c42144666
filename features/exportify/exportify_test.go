package exportify

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/table"
)

func TestReadReal(t *testing.T) {
	tests := []struct {
		path     string
		playlist string
		n        int
		features bool
		first    string // first track id
		artists  []string
	}{
		{"testdata/Permanent Wave.csv", "Permanent Wave", 7, true, "305WCRhhS10XUcH6AEwZk6", []string{"Jet"}},
		{"testdata/Indie 2010s.csv", "Indie 2010s", 13, false, "", nil},
		{"testdata/old export.csv", "old export", 3, true, "6f807x0ima9a1j3VPbc7VN", []string{"Ed Sheeran"}},
	}
	for _, tt := range tests {
		t.Run(tt.playlist, func(t *testing.T) {
			ds, err := ReadFile(tt.path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			// An independent count of the rows with encoding/csv.
			f, err := os.Open(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			all, err := csv.NewReader(f).ReadAll()
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			if len(all)-1 != tt.n {
				t.Fatalf("test file has %d rows, want %d", len(all)-1, tt.n)
			}
			if len(ds.Playlists) != 1 || ds.Report.Playlists != 1 {
				t.Fatalf("%d playlists", len(ds.Playlists))
			}
			p := ds.Playlists[0]
			if p.Name != tt.playlist || p.ID != "" || p.Len() != tt.n || ds.Report.Rows != tt.n || ds.Catalog.Len() != tt.n {
				t.Errorf("playlist %q id %q: %d tracks, %d rows, catalog %d; want %q, %d", p.Name, p.ID, p.Len(), ds.Report.Rows, ds.Catalog.Len(), tt.playlist, tt.n)
			}
			for i, tr := range p.Tracks {
				if !features.IsTrackID(tr.ID) || !strings.Contains(all[i+1][0], tr.ID) {
					t.Errorf("track %d: id %q from %q", i, tr.ID, all[i+1][0])
				}
				if tr.HasFeatures != tt.features || tr.Name == "" || len(tr.Artists) == 0 || tr.DurationMS <= 0 || tr.Popularity < 0 {
					t.Errorf("track %d: %+v", i, tr)
				}
				if !tt.features && (!math.IsNaN(tr.Features[features.Energy]) || tr.Key != -1 || tr.Mode != -1 || tr.Tempo != 0) {
					t.Errorf("track %d: refused features read as %v key %d mode %d tempo %v", i, tr.Features, tr.Key, tr.Mode, tr.Tempo)
				}
				if !strings.HasPrefix(tr.From.Meta, "exportify:"+tt.path+":") {
					t.Errorf("provenance %q", tr.From.Meta)
				}
			}
			if want := map[bool]int{true: 0, false: tt.n}[tt.features]; ds.Report.MissingFeatures != want || ds.Report.UnknownKey != want || ds.Report.UnknownTempo != want {
				t.Errorf("report %+v, want %d missing", ds.Report, want)
			}
			if tt.first != "" {
				tr := p.Tracks[0]
				if tr.ID != tt.first || !slices.Equal(tr.Artists, tt.artists) {
					t.Errorf("first track %s %q", tr.ID, tr.Artists)
				}
			}
		})
	}
}

func TestValues(t *testing.T) {
	ds, err := ReadFile("testdata/Permanent Wave.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	tr := ds.Playlists[0].Tracks[0]
	// spotify_songs.csv: 305WCRhhS10XUcH6AEwZk6,Are You Gonna Be My Girl,Jet,74,...,0.613,0.953,2,-3.435,1,0.0855,...
	if tr.Name != "Are You Gonna Be My Girl" || tr.Album != "Get Born" || tr.ReleaseDate != "2003-09-15" ||
		tr.DurationMS != 213800 || tr.Popularity != 74 || tr.Genre != "permanent wave,rock" || tr.TimeSignature != 4 {
		t.Errorf("metadata %+v", tr)
	}
	if tr.Features[features.Danceability] != 0.613 || tr.Features[features.Energy] != 0.953 || tr.Key != 2 ||
		tr.Features[features.Loudness] != -3.435 || tr.Mode != 1 || tr.Features[features.Speechiness] != 0.0855 {
		t.Errorf("features %v key %d mode %d", tr.Features, tr.Key, tr.Mode)
	}

	indie, err := ReadFile("testdata/Indie 2010s.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	last := indie.Playlists[0].Tracks[12]
	if last.ID != "7KA4W4McWYRpgf0fWsJZWB" || !slices.Equal(last.Artists, []string{"Tyler, The Creator"}) {
		t.Errorf("escaped comma: %s %q", last.ID, last.Artists)
	}
}

func TestSplitArtists(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Jet", []string{"Jet"}},
		{"Daft Punk,Pharrell Williams", []string{"Daft Punk", "Pharrell Williams"}},
		{"Daft Punk, Pharrell Williams", []string{"Daft Punk", "Pharrell Williams"}},
		{`Tyler\, The Creator, Kali Uchis`, []string{"Tyler, The Creator", "Kali Uchis"}},
		{"Tyler, The Creator", []string{"Tyler", "The Creator"}},
		{`a\\, b`, []string{`a\`, "b"}},
		{`a\b`, []string{`a\b`}},
		{" , ,a,", []string{"a"}},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := SplitArtists(nil, tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("SplitArtists(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if len(got) > 0 {
				if back := SplitArtists(nil, JoinArtists(got)); !slices.Equal(back, got) {
					t.Errorf("JoinArtists(%q) = %q splits to %q", got, JoinArtists(got), back)
				}
			}
		})
	}
}

const header = "Track URI,Track Name,Artist Name(s),Danceability,Energy,Key,Loudness,Mode,Speechiness,Acousticness,Instrumentalness,Liveness,Valence,Tempo,Time Signature\n"

func TestPolicy(t *testing.T) {
	in := "\uFEFF" + strings.ReplaceAll(header+
		"spotify:track:1111111111111111111111,A,X,0.5,0.5,5,-5,1,0.1,0.1,0.1,0.1,0.1,120,4\n"+ // line 2
		"spotify:track:2222222222222222222222,B,\"X, Y\",nan,0.5,-1,-5,,0.1,0.1,0.1,0.1,0.1,0,4\n"+ // 3: NaN, key -1, no mode, tempo 0
		"spotify:track:1111111111111111111111,A,X,0.5,0.5,5,-5,1,0.1,0.1,0.1,0.1,0.1,120,4\n"+ // 4: repeat, same
		"spotify:track:1111111111111111111111,A,X,0.5,0.6,5,-5,1,0.1,0.1,0.1,0.1,0.1,120,4\n"+ // 5: conflict
		"spotify:local:Artist:Album:Title:215,,,,,,,,,,,,,,\n"+ // 6: local file, no name
		"\"https://open.spotify.com/track/3333333333333333333333?si=x\",C,Z,,,,,,,,,,,,\n", // 7: URL, nothing known
		"\n", "\r\n")
	ds, err := Read(strings.NewReader(in), "p.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := ds.Report
	if r.Rows != 6 || r.Tracks != 4 || r.MissingFeatures != 3 || r.UnknownKey != 3 || r.UnknownTempo != 3 || r.Conflicts != 1 || r.Playlists != 1 {
		t.Errorf("report %+v", r)
	}
	p := ds.Playlists[0]
	ids := []string{}
	for _, tr := range p.Tracks {
		ids = append(ids, tr.ID)
	}
	want := []string{"1111111111111111111111", "2222222222222222222222", "1111111111111111111111", "1111111111111111111111", "spotify:local:Artist:Album:Title:215", "3333333333333333333333"}
	if !slices.Equal(ids, want) {
		t.Errorf("playlist %q, want %q", ids, want)
	}
	b := p.Tracks[1]
	if b.HasFeatures || b.Key != -1 || b.Mode != -1 || b.Tempo != 0 || !slices.Equal(b.Artists, []string{"X", "Y"}) {
		t.Errorf("track B %+v", b)
	}
	if p.Tracks[3].Features[features.Energy] != 0.5 {
		t.Errorf("conflict: first not kept")
	}
	for _, w := range []string{`p.csv:3: column "Danceability" is "nan"`, "p.csv:5: track 1111111111111111111111: features differ", "p.csv:6: track spotify:local:Artist:Album:Title:215 has no name"} {
		if !slices.ContainsFunc(r.Warnings, func(s string) bool { return strings.Contains(s, w) }) {
			t.Errorf("no warning %q in %q", w, r.Warnings)
		}
	}
}

func TestMalformed(t *testing.T) {
	good := "spotify:track:1111111111111111111111,A,X,0.5,0.5,5,-5,1,0.1,0.1,0.1,0.1,0.1,120,4\n"
	tests := []struct {
		name, row, field string
		err              error
	}{
		{"energy text", "spotify:track:2222222222222222222222,A,X,0.5,high,5,-5,1,0.1,0.1,0.1,0.1,0.1,120,4\n", "Energy", table.ErrNotNumber},
		{"loudness 10", "spotify:track:2222222222222222222222,A,X,0.5,0.5,5,10,1,0.1,0.1,0.1,0.1,0.1,120,4\n", "Loudness", table.ErrOutOfRange},
		{"key 12", "spotify:track:2222222222222222222222,A,X,0.5,0.5,12,-5,1,0.1,0.1,0.1,0.1,0.1,120,4\n", "Key", table.ErrOutOfRange},
		{"mode 3", "spotify:track:2222222222222222222222,A,X,0.5,0.5,5,-5,3,0.1,0.1,0.1,0.1,0.1,120,4\n", "Mode", table.ErrOutOfRange},
		{"tempo -3", "spotify:track:2222222222222222222222,A,X,0.5,0.5,5,-5,1,0.1,0.1,0.1,0.1,0.1,-3,4\n", "Tempo", table.ErrOutOfRange},
		{"empty uri", ",A,X,0.5,0.5,5,-5,1,0.1,0.1,0.1,0.1,0.1,120,4\n", "Track URI", table.ErrEmptyID},
		{"short row", "spotify:track:2222222222222222222222,A\n", "", table.ErrFieldCount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := header + good + "\"multi\nline\"" + good[len("spotify:track:1111111111111111111111"):] + tt.row
			_, err := Read(strings.NewReader(in), "m.csv", Options{})
			var pe *features.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, tt.err) || pe.Line != 5 || pe.Field != tt.field || pe.File != "m.csv" {
				t.Fatalf("err = %v (%+v), want m.csv:5 %q %v", err, pe, tt.field, tt.err)
			}
			ds, err := Read(strings.NewReader(in), "m.csv", Options{SkipBad: true})
			if err != nil || ds.Report.Skipped != 1 || ds.Playlists[0].Len() != 2 {
				t.Fatalf("SkipBad: %v %+v", err, ds.Report)
			}
		})
	}
	if _, err := Read(strings.NewReader("Track Name,Artist Name(s)\nA,B\n"), "n.csv", Options{}); !errors.Is(err, table.ErrNoIDColumn) {
		t.Errorf("no id column: err = %v", err)
	}
}

func sameTracks(a, b []*features.Track) error {
	if len(a) != len(b) {
		return fmt.Errorf("%d tracks, then %d", len(a), len(b))
	}
	for i, s := range a {
		t := b[i]
		sameF := slices.EqualFunc(s.Features[:], t.Features[:], func(x, y float64) bool {
			return x == y || math.IsNaN(x) && math.IsNaN(y)
		})
		if s.ID != t.ID || s.Name != t.Name || !slices.Equal(s.Artists, t.Artists) || s.Album != t.Album ||
			s.ReleaseDate != t.ReleaseDate || s.Genre != t.Genre || s.Subgenre != t.Subgenre ||
			s.DurationMS != t.DurationMS || s.Popularity != t.Popularity || s.Key != t.Key || s.Mode != t.Mode ||
			s.Tempo != t.Tempo || s.TimeSignature != t.TimeSignature || s.HasFeatures != t.HasFeatures || !sameF {
			return fmt.Errorf("track %d: %+v, then %+v", i, *s, *t)
		}
	}
	return nil
}

func sameDataset(a, b *features.Dataset) error {
	if len(a.Playlists) != 1 || len(b.Playlists) != 1 || a.Playlists[0].Name != b.Playlists[0].Name {
		return fmt.Errorf("playlists %d, %d", len(a.Playlists), len(b.Playlists))
	}
	if err := sameTracks(a.Playlists[0].Tracks, b.Playlists[0].Tracks); err != nil {
		return err
	}
	return sameTracks(a.Catalog.Tracks, b.Catalog.Tracks)
}

func roundTrip(t testing.TB, ds *features.Dataset, name string) *features.Dataset {
	var buf bytes.Buffer
	if err := Write(&buf, ds); err != nil {
		t.Fatalf("Write: %v", err)
	}
	back, err := Read(&buf, name, Options{})
	if err != nil {
		t.Fatalf("reading what Write wrote: %v\n%s", err, buf.String())
	}
	return back
}

func TestRoundTrip(t *testing.T) {
	for _, path := range []string{"testdata/Permanent Wave.csv", "testdata/Indie 2010s.csv", "testdata/old export.csv"} {
		t.Run(path, func(t *testing.T) {
			ds, err := ReadFile(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := sameDataset(ds, roundTrip(t, ds, path)); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestWriteErrors(t *testing.T) {
	p := &features.Playlist{Name: "p"}
	if err := Write(new(bytes.Buffer), &features.Dataset{Playlists: []*features.Playlist{p, p}}); err == nil || !strings.HasPrefix(err.Error(), "exportify: 2 playlists") {
		t.Errorf("two playlists: err = %v", err)
	}
	bad := &features.Track{ID: "x", HasFeatures: true, Features: features.Vector{math.NaN()}}
	if err := Write(new(bytes.Buffer), &features.Dataset{Catalog: features.NewCatalog(bad)}); err == nil || !strings.Contains(err.Error(), "acousticness is NaN") {
		t.Errorf("NaN feature: err = %v", err)
	}
	// A catalog without playlists is written in catalog order.
	var buf bytes.Buffer
	cat := features.NewCatalog(&features.Track{ID: "4uLU6hMCjMI75M1A2tKUQC", Key: -1, Mode: -1, Popularity: -1, DurationMS: -1}, &features.Track{ID: "local:1", Key: -1, Mode: -1})
	if err := Write(&buf, &features.Dataset{Catalog: cat}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	if len(lines) != 4 || lines[1] != "spotify:track:4uLU6hMCjMI75M1A2tKUQC,,,,,,,,,,-1,,,,,,,,0," || !strings.HasPrefix(lines[2], "local:1,") {
		t.Errorf("catalog written as\n%s", buf.String())
	}
}

func FuzzRead(f *testing.F) {
	for _, path := range []string{"testdata/Permanent Wave.csv", "testdata/Indie 2010s.csv", "testdata/old export.csv"} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(header + "spotify:track:1111111111111111111111,A,\"a\\\\, b\\,c\",0.5,0.5,5,-5,1,0.1,0.1,0.1,0.1,0.1,120,4\n"))
	f.Add([]byte("Track URI,Artist Name(s)\nx, \\\nx,y\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, skip := range []bool{false, true} {
			ds, err := Read(bytes.NewReader(in), "fuzz.csv", Options{SkipBad: skip})
			if err != nil {
				continue
			}
			if err := sameDataset(ds, roundTrip(t, ds, "fuzz.csv")); err != nil {
				t.Fatalf("round trip: %v", err)
			}
		}
	})
}
