package tidycsv

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
)

// sameDataset reports how b differs from a: playlists (ids, names, genres,
// track ids in order) and catalog tracks by id with all their values but
// provenance. With order, the catalogs must also list tracks in the same
// order.
func sameDataset(a, b *features.Dataset, order bool) error {
	if len(a.Playlists) != len(b.Playlists) {
		return fmt.Errorf("%d playlists, then %d", len(a.Playlists), len(b.Playlists))
	}
	for i, p := range a.Playlists {
		q := b.Playlists[i]
		if p.ID != q.ID || p.Name != q.Name || p.Genre != q.Genre || p.Subgenre != q.Subgenre {
			return fmt.Errorf("playlist %d: %q %q %q %q, then %q %q %q %q", i, p.ID, p.Name, p.Genre, p.Subgenre, q.ID, q.Name, q.Genre, q.Subgenre)
		}
		if !slices.EqualFunc(p.Tracks, q.Tracks, func(s, t *features.Track) bool { return s.ID == t.ID }) {
			return fmt.Errorf("playlist %d: tracks differ", i)
		}
	}
	if a.Catalog.Len() != b.Catalog.Len() {
		return fmt.Errorf("%d tracks, then %d", a.Catalog.Len(), b.Catalog.Len())
	}
	for i, s := range a.Catalog.Tracks {
		t := b.Catalog.Get(s.ID)
		if order {
			t = b.Catalog.Tracks[i]
		}
		if t == nil {
			return fmt.Errorf("track %q lost", s.ID)
		}
		if err := sameTrack(s, t); err != nil {
			return fmt.Errorf("track %q: %v", s.ID, err)
		}
	}
	ra, rb := a.Report, b.Report
	if ra.Tracks != rb.Tracks || ra.Playlists != rb.Playlists || ra.MissingFeatures != rb.MissingFeatures || ra.UnknownKey != rb.UnknownKey || ra.UnknownTempo != rb.UnknownTempo {
		return fmt.Errorf("report %+v, then %+v", ra, rb)
	}
	return nil
}

func sameTrack(s, t *features.Track) error {
	sameF := slices.EqualFunc(s.Features[:], t.Features[:], func(x, y float64) bool {
		return x == y || math.IsNaN(x) && math.IsNaN(y)
	})
	if s.ID != t.ID || s.Name != t.Name || !slices.Equal(s.Artists, t.Artists) || s.Album != t.Album ||
		s.ReleaseDate != t.ReleaseDate || s.Genre != t.Genre || s.Subgenre != t.Subgenre ||
		s.DurationMS != t.DurationMS || s.Popularity != t.Popularity || s.Key != t.Key || s.Mode != t.Mode ||
		s.Tempo != t.Tempo || s.TimeSignature != t.TimeSignature || s.HasFeatures != t.HasFeatures || !sameF {
		return fmt.Errorf("%+v, then %+v", *s, *t)
	}
	return nil
}

func roundTrip(t testing.TB, ds *features.Dataset) *features.Dataset {
	var buf bytes.Buffer
	if err := Write(&buf, ds); err != nil {
		t.Fatalf("Write: %v", err)
	}
	back, err := Read(&buf, "back.csv", Options{})
	if err != nil {
		t.Fatalf("reading what Write wrote: %v\n%s", err, buf.String())
	}
	return back
}

func TestRoundTrip(t *testing.T) {
	for _, path := range []string{"testdata/excerpt.csv", "testdata/rows.csv", "testdata/policy.csv", "testdata/bom_crlf.csv"} {
		t.Run(path, func(t *testing.T) {
			ds := readFile(t, path, Options{})
			back := roundTrip(t, ds)
			if err := sameDataset(ds, back, false); err != nil {
				t.Fatal(err)
			}
			// A second trip changes nothing, order included.
			if err := sameDataset(back, roundTrip(t, back), true); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestWriteLayout(t *testing.T) {
	ds := readFile(t, "testdata/policy.csv", Options{})
	var buf bytes.Buffer
	if err := Write(&buf, ds); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	if lines[0] != strings.Join(Header, ",") {
		t.Errorf("header %q", lines[0])
	}
	// The track of the dropped block (8888...) is in no playlist: it comes
	// first, with empty playlist columns; then the two playlists' 10 rows.
	if !strings.HasPrefix(lines[1], "8888888888888888888888,") || !strings.Contains(lines[1], ",,,pop,dance pop,") {
		t.Errorf("first row %q", lines[1])
	}
	if n := len(lines); n != 1+1+10+1 || lines[n-1] != "" {
		t.Errorf("%d lines:\n%s", n, buf.String())
	}
	// Missing features, unknown key, mode and tempo.
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "2222222222222222222222,"):
			if !strings.Contains(l, ",dance pop,,,6,,1,,,,,,122.036,194754,") {
				t.Errorf("missing features row %q", l)
			}
		case strings.HasPrefix(l, "5555555555555555555555,"):
			if !strings.Contains(l, ",6,-2.634,,0.0583,") {
				t.Errorf("unknown mode row %q", l)
			}
		}
	}
}

func TestWriteErrors(t *testing.T) {
	tr := &features.Track{ID: "a", Key: -1, Mode: -1, Features: features.NoFeatures}
	bad := &features.Track{ID: "b", Key: -1, Mode: -1, HasFeatures: true, Features: features.Vector{2}}
	tests := []struct {
		name string
		ds   *features.Dataset
		want string
	}{
		{"no id no name", &features.Dataset{Catalog: features.NewCatalog(tr), Playlists: []*features.Playlist{{Tracks: []*features.Track{tr}}}}, "neither id nor name"},
		{"same id", &features.Dataset{Catalog: features.NewCatalog(tr), Playlists: []*features.Playlist{{ID: "p", Tracks: []*features.Track{tr}}, {ID: "p", Tracks: []*features.Track{tr}}}}, "share the key"},
		{"empty track id", &features.Dataset{Catalog: features.NewCatalog(&features.Track{ID: " "})}, "empty id"},
		{"bad features", &features.Dataset{Catalog: features.NewCatalog(bad)}, "acousticness = 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Write(new(bytes.Buffer), tt.ds)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "tidycsv: ") {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	for _, path := range []string{"testdata/rows.csv", "testdata/policy.csv", "testdata/bom_crlf.csv", "testdata/bad_number.csv", "testdata/out_of_range.csv"} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(smallHeader + goodRow))
	f.Add([]byte("track_id,playlist_id,playlist_name,genre\na,p,P,g\nb,,,h\na,q,,\n"))
	f.Add([]byte("id,artists,name\n\"x\",\" a ; b;\",\"multi\r\nline\"\r\n"))
	f.Add([]byte("id,name,album\nx,\"a\rb\",\" c\"\ny,\"d\r\",\"\r\"\nz, NA ,\"NA\"\n"))
	f.Add([]byte("id,energy,key,mode,tempo\nx,-0,-1,,-0\ny,1e-400,11.0,1.0,0x1p4\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, skip := range []bool{false, true} {
			ds, err := Read(bytes.NewReader(in), "fuzz.csv", Options{SkipBad: skip})
			if err != nil {
				continue
			}
			back := roundTrip(t, ds)
			if err := sameDataset(ds, back, false); err != nil {
				t.Fatalf("SkipBad %v: round trip: %v", skip, err)
			}
		}
	})
}
