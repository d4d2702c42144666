package catbin

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
)

func small() *features.Dataset {
	a := &features.Track{ID: "a", Name: "One", Artists: []string{"X", "Y"}, Album: "Al", ReleaseDate: "2019",
		Genre: "pop", Subgenre: "dance pop", DurationMS: 200_000, Popularity: 50, Key: 5, Mode: 1, Tempo: 120.5,
		TimeSignature: 4, Features: features.Vector{0.1, 0.2, 0.3, 0, 0.5, -5.5, 0.07, 0.8}, HasFeatures: true,
		From: features.Provenance{Meta: "csv:f:2", Features: "spotify"}}
	b := &features.Track{ID: "b", Key: -1, Mode: -1, Popularity: -1, DurationMS: -1, Features: features.NoFeatures,
		From: features.Provenance{Meta: "csv:f:3", Features: "csv:f:3"}}
	c := &features.Track{ID: "c", Name: "Three", Artists: []string{"Y"}, Tempo: math.Copysign(0, -1), Features: features.Vector{math.Inf(1)}}
	return &features.Dataset{
		Catalog: features.NewCatalog(a, b, c),
		Playlists: []*features.Playlist{
			{ID: "p1", Name: "P", Genre: "pop", Tracks: []*features.Track{b, a, c}},
			{Name: "Q", Tracks: []*features.Track{a}},
			{Name: "empty"},
		},
		Report: features.Report{Rows: 5, Tracks: 3, Playlists: 3, Duplicates: 1, NonFinite: 1,
			MissingColumns: []string{"time_signature"}, Warnings: []string{"w1", "w2"}},
	}
}

func TestRoundTrip(t *testing.T) {
	ds := small()
	src := [32]byte{1, 2, 3}
	b, err := Encode(ds, src)
	if err != nil {
		t.Fatal(err)
	}
	got, h, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if h.Version != Version || h.Source != src {
		t.Errorf("header %+v", h)
	}
	for i, tr := range got.Catalog.Tracks {
		want := ds.Catalog.Tracks[i]
		for j := range tr.Features {
			if math.Float64bits(tr.Features[j]) != math.Float64bits(want.Features[j]) {
				t.Errorf("track %s feature %d: %v, want %v", want.ID, j, tr.Features[j], want.Features[j])
			}
		}
		if math.Float64bits(tr.Tempo) != math.Float64bits(want.Tempo) {
			t.Errorf("track %s tempo %v, want %v", want.ID, tr.Tempo, want.Tempo)
		}
		x, y := *tr, *want
		x.Features, y.Features = features.Vector{}, features.Vector{}
		if !reflect.DeepEqual(x, y) {
			t.Errorf("track %d: %+v, want %+v", i, x, y)
		}
		if got.Catalog.Get(want.ID) != tr {
			t.Errorf("Get(%q) is not track %d", want.ID, i)
		}
	}
	tr := got.Catalog.Tracks
	if p := got.Playlists[0]; p.ID != "p1" || p.Genre != "pop" || len(p.Tracks) != 3 || p.Tracks[0] != tr[1] || p.Tracks[1] != tr[0] || p.Tracks[2] != tr[2] {
		t.Errorf("playlist 0: %+v", p)
	}
	if p := got.Playlists[1]; p.Name != "Q" || len(p.Tracks) != 1 || p.Tracks[0] != tr[0] {
		t.Errorf("playlist 1: %+v", p)
	}
	if p := got.Playlists[2]; p.Name != "empty" || p.Tracks != nil {
		t.Errorf("playlist 2: %+v", p)
	}
	if !reflect.DeepEqual(got.Report, ds.Report) {
		t.Errorf("report %+v, want %+v", got.Report, ds.Report)
	}
	// Appending to a decoded track's artists must not overwrite the next
	// track's.
	tr[0].Artists = append(tr[0].Artists, "Z")
	if tr[2].Artists[0] != "Y" {
		t.Errorf("artists share capacity: %q", tr[2].Artists)
	}
}

func TestEncodeRefuses(t *testing.T) {
	ds := small()
	ds.Playlists[0].Tracks = append(ds.Playlists[0].Tracks, &features.Track{ID: "stray"})
	if _, err := Encode(ds, [32]byte{}); err == nil || !strings.Contains(err.Error(), "stray") {
		t.Errorf("a playlist's track outside the catalog: %v", err)
	}
	ds = small()
	ds.Catalog.Tracks[0].DurationMS = math.MaxInt32 + 1
	if _, err := Encode(ds, [32]byte{}); err == nil {
		t.Error("a duration beyond int32 was encoded")
	}
}

// TestDamage checks every truncation and a flipped bit in every byte of a
// small file: each is an error wrapping ErrDamaged or ErrVersion, never a
// panic.
func TestDamage(t *testing.T) {
	b, err := Encode(small(), [32]byte{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, d []byte) {
		ds, _, err := Decode(d)
		if ds != nil || !(errors.Is(err, ErrDamaged) || errors.Is(err, ErrVersion)) {
			t.Fatalf("%s: %v, %v", what, ds != nil, err)
		}
	}
	for n := range len(b) {
		check("truncated", b[:n])
	}
	for i := range b {
		if i >= 24 && i < HeaderSize {
			continue // the source hash is not checked
		}
		d := append([]byte(nil), b...)
		d[i] ^= 1
		check("flipped", d)
	}
}

// FuzzDecode checks that Decode never panics on a body with a right
// checksum: it fails with ErrDamaged or gives a data set with a catalog.
func FuzzDecode(f *testing.F) {
	b, err := Encode(small(), [32]byte{})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b[HeaderSize:])
	f.Fuzz(func(t *testing.T, body []byte) {
		// Give the body a valid header so that the fuzzer reaches the
		// reference checks.
		h := append([]byte(nil), b[:HeaderSize]...)
		putU32(h[16:], uint32(len(body)))
		putU32(h[20:], crcOf(body))
		ds, _, err := Decode(append(h, body...))
		if err != nil {
			if !errors.Is(err, ErrDamaged) {
				t.Fatalf("error not ErrDamaged: %v", err)
			}
			return
		}
		if ds.Catalog == nil {
			t.Fatal("no catalog")
		}
	})
}

func putU32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}

func crcOf(b []byte) uint32 { return crc32Checksum(b) }
