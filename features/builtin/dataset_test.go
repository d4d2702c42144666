package builtin

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/tidycsv"
	"github.com/discoflow/disco/internal/catbin"
)

// csvText returns the embedded catalog's CSV text.
func csvText(t testing.TB) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(catalogGz))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBinaryIsFresh fails when catalog.csv.gz changed and go generate was
// not rerun: catalog.bin records the SHA-256 of the CSV it was made from.
func TestBinaryIsFresh(t *testing.T) {
	h, err := catbin.ReadHeader(catalogBin)
	if err != nil {
		t.Fatal(err)
	}
	if want := sha256.Sum256(csvText(t)); h.Source != want {
		t.Fatalf("catalog.bin was made from a CSV with SHA-256 %x, catalog.csv.gz holds %x: run go generate ./features/builtin", h.Source, want)
	}
}

// TestDatasetIsTheCSV checks that the binary form decodes to exactly the
// data set the CSV reader gives, strict and skipping bad rows alike.
func TestDatasetIsTheCSV(t *testing.T) {
	got, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	text := csvText(t)
	for _, skip := range []bool{false, true} {
		t.Run(fmt.Sprintf("SkipBad=%v", skip), func(t *testing.T) {
			want, err := tidycsv.Read(bytes.NewReader(text), Name, tidycsv.Options{SkipBad: skip})
			if err != nil {
				t.Fatal(err)
			}
			if err := sameDataset(got, want); err != nil {
				t.Fatalf("%v: run go generate ./features/builtin", err)
			}
		})
	}
	if got.Catalog.Len() < 25_000 || len(got.Playlists) < 400 || got.Report.Rows != 29_500 {
		t.Errorf("not the TidyTuesday catalog: %d tracks, %d playlists, %d rows", got.Catalog.Len(), len(got.Playlists), got.Report.Rows)
	}
}

// TestDatasetIsFresh checks that each call gives a data set of its own.
func TestDatasetIsFresh(t *testing.T) {
	a, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	a.Catalog.Tracks[0].Popularity = -7
	a.Playlists[0].Tracks[0] = a.Catalog.Tracks[1]
	if b.Catalog.Tracks[0].Popularity == -7 || b.Playlists[0].Tracks[0] == b.Catalog.Tracks[1] {
		t.Fatal("two calls share their tracks or playlists")
	}
}

// TestFieldsCovered fails when a field is added to the types the binary
// form holds, so that internal/catbin is taught it (and Version raised).
func TestFieldsCovered(t *testing.T) {
	for _, c := range []struct {
		v any
		n int
	}{{features.Track{}, 16}, {features.Provenance{}, 2}, {features.Playlist{}, 5}, {features.Report{}, 14}, {features.Dataset{}, 3}} {
		if n := reflect.TypeOf(c.v).NumField(); n != c.n {
			t.Errorf("%T has %d fields, internal/catbin knows %d", c.v, n, c.n)
		}
	}
}

// sameDataset reports the first difference between a and b: every track
// field (floats bit for bit), the catalog's order and index, the
// playlists' order and tracks (as the same catalog positions), and the
// report.
func sameDataset(a, b *features.Dataset) error {
	if a.Catalog.Len() != b.Catalog.Len() {
		return fmt.Errorf("%d tracks, want %d", a.Catalog.Len(), b.Catalog.Len())
	}
	pos := map[*features.Track]int{}
	for i, t := range a.Catalog.Tracks {
		u := b.Catalog.Tracks[i]
		if err := sameTrack(t, u); err != nil {
			return fmt.Errorf("track %d (%s): %v", i, u.ID, err)
		}
		if a.Catalog.Get(u.ID) != t {
			return fmt.Errorf("Catalog.Get(%q) is not track %d", u.ID, i)
		}
		pos[t] = i
	}
	bpos := map[*features.Track]int{}
	for i, t := range b.Catalog.Tracks {
		bpos[t] = i
	}
	if len(a.Playlists) != len(b.Playlists) {
		return fmt.Errorf("%d playlists, want %d", len(a.Playlists), len(b.Playlists))
	}
	for i, p := range a.Playlists {
		q := b.Playlists[i]
		if p.ID != q.ID || p.Name != q.Name || p.Genre != q.Genre || p.Subgenre != q.Subgenre || len(p.Tracks) != len(q.Tracks) {
			return fmt.Errorf("playlist %d: %q %q %q %q with %d tracks, want %q %q %q %q with %d", i,
				p.ID, p.Name, p.Genre, p.Subgenre, len(p.Tracks), q.ID, q.Name, q.Genre, q.Subgenre, len(q.Tracks))
		}
		for j, t := range p.Tracks {
			at, ok := pos[t]
			if !ok || at != bpos[q.Tracks[j]] {
				return fmt.Errorf("playlist %q: song %d is catalog track %d (in it: %v), want %d", p.Name, j, at, ok, bpos[q.Tracks[j]])
			}
		}
	}
	if !reflect.DeepEqual(a.Report, b.Report) {
		return fmt.Errorf("report %+v, want %+v", a.Report, b.Report)
	}
	return nil
}

func sameTrack(t, u *features.Track) error {
	tt, uu := *t, *u
	for i := range tt.Features {
		if math.Float64bits(tt.Features[i]) != math.Float64bits(uu.Features[i]) {
			return fmt.Errorf("%s %v, want %v", features.AbstractNames[i], tt.Features[i], uu.Features[i])
		}
	}
	if math.Float64bits(tt.Tempo) != math.Float64bits(uu.Tempo) {
		return fmt.Errorf("tempo %v, want %v", tt.Tempo, uu.Tempo)
	}
	if !slices.Equal(tt.Artists, uu.Artists) || (tt.Artists == nil) != (uu.Artists == nil) {
		return fmt.Errorf("artists %q, want %q", tt.Artists, uu.Artists)
	}
	tt.Features, uu.Features, tt.Tempo, uu.Tempo, tt.Artists, uu.Artists = features.Vector{}, features.Vector{}, 0, 0, nil, nil
	if !reflect.DeepEqual(tt, uu) {
		return fmt.Errorf("%+v, want %+v", tt, uu)
	}
	return nil
}

// TestDamagedBinary checks that a damaged embedded form is an error that
// says so, never a panic or a wrong catalog.
func TestDamagedBinary(t *testing.T) {
	flip := slices.Clone(catalogBin)
	flip[len(flip)/2] ^= 0x40
	ver := slices.Clone(catalogBin)
	ver[8]++
	for _, c := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, catbin.ErrDamaged},
		{"truncated", catalogBin[:len(catalogBin)-1], catbin.ErrDamaged},
		{"bit flipped", flip, catbin.ErrDamaged},
		{"other version", ver, catbin.ErrVersion},
		{"gzip", catalogGz, catbin.ErrDamaged},
	} {
		t.Run(c.name, func(t *testing.T) {
			ds, _, err := catbin.Decode(c.data)
			if !errors.Is(err, c.want) || ds != nil {
				t.Fatalf("Decode gave %v, %v; want %v", ds != nil, err, c.want)
			}
		})
	}
}

// BenchmarkDataset times the embedded catalog's decode against parsing
// its CSV (gunzip included), which it replaces.
func BenchmarkDataset(b *testing.B) {
	b.Run("binary", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Dataset(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("csv", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r, err := Open()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tidycsv.Read(r, Name, tidycsv.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
