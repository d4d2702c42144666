package fill

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/builtin"
	"github.com/discoflow/disco/features/cache"
	"github.com/discoflow/disco/features/exportify"
	"github.com/discoflow/disco/features/tidycsv"
)

var regen = flag.Bool("regen", false, "rewrite the golden files in testdata")

var embedded = sync.OnceValues(func() (*features.Dataset, error) {
	r, err := builtin.Open()
	if err != nil {
		return nil, err
	}
	return tidycsv.Read(r, builtin.Name, tidycsv.Options{})
})

func embeddedIndex(t testing.TB) *Index {
	ds, err := embedded()
	if err != nil {
		t.Fatal(err)
	}
	return NewIndex("the embedded catalog", ds.Catalog.Tracks)
}

// describe is the golden text of a fill: the report's line, then one line
// per track of the playlist.
func describe(r Report, tracks []*features.Track) string {
	var b strings.Builder
	fmt.Fprintln(&b, r.String())
	how := map[*features.Track]Result{}
	for _, res := range r.Results {
		how[res.Track] = res
	}
	for _, t := range tracks {
		res, lacked := how[t]
		switch {
		case IsLocal(t.ID):
			fmt.Fprintf(&b, "%s: local file, skipped\n", t)
		case !lacked:
			fmt.Fprintf(&b, "%s: own features, energy %.3f tempo %.3f\n", t, t.Features[features.Energy], t.Tempo)
		case res.Match == NoMatch:
			fmt.Fprintf(&b, "%s: unknown\n", t)
		default:
			fmt.Fprintf(&b, "%s: from %s by %s (%s), energy %.3f tempo %.3f key %d\n", t, res.Source, res.Match, t.From.Features, t.Features[features.Energy], t.Tempo, t.Key)
		}
	}
	return b.String()
}

func TestFillExports(t *testing.T) {
	x := embeddedIndex(t)
	tests := []struct {
		file string
		line string // the report's line, also in the golden file
	}{
		{"Foo Fighters.csv", `4 songs: 3 features from the embedded catalog, 1 unknown ("Lonely As You")`},
		{"old export.csv", `4 songs: 3 features from the embedded catalog (2 by id, 1 by artist and title), 1 local file skipped`},
		{"with features.csv", `4 songs: 1 with features, 2 features from the embedded catalog (1 by id, 1 by artist and title), 1 local file skipped`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			ds, err := exportify.ReadFile(filepath.Join("testdata", tt.file), exportify.Options{})
			if err != nil {
				t.Fatal(err)
			}
			tracks := ds.Playlists[0].Tracks
			r, err := Fill(context.Background(), tracks, x)
			if err != nil {
				t.Fatal(err)
			}
			if r.String() != tt.line {
				t.Errorf("report\n  %s\nwant\n  %s", r, tt.line)
			}
			got := describe(r, tracks)
			golden := filepath.Join("testdata", strings.TrimSuffix(tt.file, ".csv")+".golden")
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
				t.Errorf("got\n%s\nwant (%s)\n%s", got, golden, want)
			}
		})
	}
}

// TestFillKeepsMetadata checks the contract on one real song: the file's
// metadata stays, the catalog's audio values come in, a track listed twice
// is filled once, and a track with features is untouched.
func TestFillKeepsMetadata(t *testing.T) {
	x := embeddedIndex(t)
	walk := &features.Track{ID: "76Je5Wklky23mVoxiRszcN", Name: "Walk (my tag)", Artists: []string{"FF"}, Album: "mine",
		Key: -1, Mode: -1, DurationMS: -1, Features: features.NoFeatures}
	own := &features.Track{ID: "0bORa4VpL8NzyMXEI6UFGK", Name: "Long Road To Ruin", Artists: []string{"Foo Fighters"},
		Key: 3, Mode: 0, Tempo: 99, HasFeatures: true, Features: features.Vector{0.5, 0.5, 0.5, 0.5, 0.5, -5, 0.5, 0.5}}
	r, err := Fill(context.Background(), []*features.Track{walk, own, walk, nil}, x)
	if err != nil {
		t.Fatal(err)
	}
	if r.Songs != 2 || r.Had != 1 || len(r.Results) != 1 || r.Filled[0].ByID != 1 {
		t.Fatalf("report %+v", r)
	}
	known := x.byID["76Je5Wklky23mVoxiRszcN"]
	if walk.Name != "Walk (my tag)" || walk.Album != "mine" || walk.Artist() != "FF" {
		t.Errorf("metadata changed: %+v", walk)
	}
	if !walk.HasFeatures || walk.Features != known.Features || walk.Key != known.Key || walk.Tempo != known.Tempo ||
		walk.DurationMS != known.DurationMS || !strings.HasPrefix(walk.From.Features, "csv:"+builtin.Name+":") {
		t.Errorf("filled %+v from %+v", walk, known)
	}
	if own.Key != 3 || own.Tempo != 99 || own.Features[features.Energy] != 0.5 {
		t.Errorf("own features changed: %+v", own)
	}
}

func TestFillSourceOrder(t *testing.T) {
	mk := func(id, name string, energy float64) *features.Track {
		tr := &features.Track{ID: id, Name: name, Artists: []string{"Band"}, Key: -1, Mode: -1, Features: features.NoFeatures}
		if energy >= 0 {
			tr.HasFeatures = true
			tr.Features = features.Vector{energy, energy, energy, energy, energy, -5, energy, energy}
		}
		return tr
	}
	user := NewIndex("--catalog mine.csv", []*features.Track{mk("aaaaaaaaaaaaaaaaaaaaaa", "One", 0.1), mk("cccccccccccccccccccccc", "Three", -1)})
	other := NewIndex("the embedded catalog", []*features.Track{mk("aaaaaaaaaaaaaaaaaaaaaa", "One", 0.9), mk("bbbbbbbbbbbbbbbbbbbbbb", "Two", 0.2), mk("zzzzzzzzzzzzzzzzzzzzzz", "THREE!", 0.3)})
	tests := []struct {
		name    string
		sources []Source
		want    []float64 // energy per track, -1 unknown
		line    string
	}{
		{"user first", []Source{user, other}, []float64{0.1, 0.2, 0.3},
			"3 songs: 1 features from --catalog mine.csv, 2 features from the embedded catalog (1 by id, 1 by artist and title)"},
		{"embedded first", []Source{other, user}, []float64{0.9, 0.2, 0.3},
			"3 songs: 3 features from the embedded catalog (2 by id, 1 by artist and title)"},
		{"user only", []Source{user}, []float64{0.1, -1, -1}, `3 songs: 1 features from --catalog mine.csv, 2 unknown ("Two", "three")`},
		{"none", nil, []float64{-1, -1, -1}, `3 songs: 3 unknown ("One", "Two", "three")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []*features.Track{mk("aaaaaaaaaaaaaaaaaaaaaa", "One", -1), mk("bbbbbbbbbbbbbbbbbbbbbb", "Two", -1), mk("yyyyyyyyyyyyyyyyyyyyyy", "three", -1)}
			r, err := Fill(context.Background(), in, tt.sources...)
			if err != nil {
				t.Fatal(err)
			}
			for i, tr := range in {
				got := -1.0
				if tr.HasFeatures {
					got = tr.Features[features.Energy]
				}
				if got != tt.want[i] {
					t.Errorf("track %d: energy %v, want %v", i, got, tt.want[i])
				}
			}
			if r.String() != tt.line {
				t.Errorf("report %q, want %q", r.String(), tt.line)
			}
		})
	}
}

func TestReportManyUnknown(t *testing.T) {
	var in []*features.Track
	for i := range 7 {
		in = append(in, &features.Track{ID: fmt.Sprintf("%022d", i), Name: fmt.Sprintf("S%d", i), Key: -1, Mode: -1})
	}
	r, err := Fill(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `7 songs: 7 unknown ("S0", "S1", "S2", "S3", "S4" and 2 more)`; r.String() != want {
		t.Errorf("%q, want %q", r.String(), want)
	}
}

func TestCacheSource(t *testing.T) {
	db, err := cache.Open(filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	known := &features.Track{ID: "4uLU6hMCjMI75M1A2tKUQC", Key: 7, Mode: 1, Tempo: 113, HasFeatures: true,
		Features: features.Vector{0.1, 0.2, 0.3, 0.4, 0.5, -6, 0.07, 0.8}}
	if err := db.StoreFeatures(ctx, "reccobeats", []string{known.ID, "0000000000000000000001"}, []*features.Track{known, nil}); err != nil {
		t.Fatal(err)
	}
	in := []*features.Track{
		{ID: known.ID, Name: "Never Gonna Give You Up", Key: -1, Mode: -1},
		{ID: "0000000000000000000001", Name: "Unknown to the source", Key: -1, Mode: -1},
		{ID: "0000000000000000000002", Name: "Never asked", Key: -1, Mode: -1},
	}
	r, err := Fill(ctx, in, &Cache{DB: db, Sources: []string{"spotify", "reccobeats"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `3 songs: 1 features from the cache, 2 unknown ("Unknown to the source", "Never asked")`; r.String() != want {
		t.Errorf("%q, want %q", r.String(), want)
	}
	if got := in[0]; got.Tempo != 113 || got.Key != 7 || got.Features != known.Features || got.From.Features != "cache:reccobeats" {
		t.Errorf("from the cache: %+v", got)
	}
	db.Close()
	if _, err := Fill(ctx, []*features.Track{{ID: "0000000000000000000003"}}, &Cache{DB: db, Sources: []string{"reccobeats"}}); err == nil || !strings.HasPrefix(err.Error(), "fill: the cache: ") {
		t.Errorf("closed database: err = %v", err)
	}
}
