package candidates

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model/scale"
	"github.com/discoflow/disco/selector"
)

// track makes a track with features; f sets its first feature apart.
func track(id, artist, genre, sub string, f float64) *features.Track {
	t := &features.Track{ID: id, Name: "song " + id, Artists: []string{artist}, Genre: genre, Subgenre: sub,
		Key: 0, Mode: 1, Tempo: 120, HasFeatures: true}
	for i := range t.Features {
		t.Features[i] = 0.5
	}
	t.Features[features.Loudness] = -8
	t.Features[features.Energy] = f
	return t
}

func scaler(t *testing.T, c *features.Catalog) *scale.Scaler {
	var xs []features.Vector
	for _, tr := range c.WithFeatures() {
		xs = append(xs, tr.Features)
	}
	sc, err := scale.FitScaler(xs)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func testCatalog() (*features.Catalog, []*features.Playlist) {
	var c features.Catalog
	add := func(ts ...*features.Track) []*features.Track {
		for _, t := range ts {
			c.Add(t)
		}
		return ts
	}
	rock := add(track("r1", "A", "rock", "hard", 0.90), track("r2", "A", "rock", "hard", 0.10),
		track("r3", "B", "rock", "hard", 0.20), track("r4", "C", "rock", "soft", 0.30))
	pop := add(track("p1", "D", "pop", "dance", 0.91), track("p2", "E", "pop", "dance", 0.92),
		track("p3", "F", "pop", "dance", 0.89), track("p4", "G", "pop", "indie", 0.88))
	pls := []*features.Playlist{
		{ID: "x", Genre: "rock", Tracks: []*features.Track{rock[0], rock[2]}},
		{ID: "y", Genre: "rock", Tracks: []*features.Track{rock[1], rock[2], rock[3]}},
		{ID: "z", Genre: "pop", Tracks: pop},
	}
	return &c, pls
}

func TestArtistGraph(t *testing.T) {
	_, pls := testCatalog()
	g := NewArtistGraph(pls)
	if g.Artists() != 7 {
		t.Fatalf("%d artists, want 7", g.Artists())
	}
	rel := g.Related([]string{" a "}, 0)
	// A shares playlist x and y with B (2 of A's 2, of B's 2: cosine 1)
	// and y with C (1/√2).
	if len(rel) != 2 || rel[0].Artist != "b" || rel[1].Artist != "c" || rel[0].Weight != 1 {
		t.Fatalf("related to A: %+v", rel)
	}
	if r := g.Related([]string{"nobody"}, 0); len(r) != 0 {
		t.Errorf("related to an unknown artist: %+v", r)
	}
}

func TestQuotas(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Quotas
		err  string
	}{
		{"song2vec=0.2,artist=0.6,content=0.1,genre=0.1", Quotas{0.2, 0.6, 0.1, 0.1}, ""},
		{"content=1", Quotas{0, 0, 1, 0}, ""},
		{"artist=0.5,content=0.6", Quotas{}, "sum to 1.1"},
		{"artist=-0.5,content=1.5", Quotas{}, "want a share in [0, 1]"},
		{"bogus=1", Quotas{}, "want source=share"},
		{"artist=x", Quotas{}, "not a number"},
		{"artist=0.5,artist=0.5", Quotas{}, "given twice"},
	} {
		q, err := ParseQuotas(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || q != tc.want {
			t.Errorf("%q: %v, %v", tc.in, q, err)
		}
		if back, err := ParseQuotas(q.String()); err != nil || back != q {
			t.Errorf("%q: round trip %v, %v", tc.in, back, err)
		}
	}
}

func ids(ts []*features.Track) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

func TestHybridSources(t *testing.T) {
	cat, pls := testCatalog()
	sc := scaler(t, cat)
	seed := cat.Get("r1") // artist A, rock/hard, energy 0.9 (near the pop songs)
	for _, tc := range []struct {
		name  string
		q     Quotas
		graph bool
		want  []string
	}{
		// Content alone: the pop songs are nearest in energy.
		{"content", Quotas{0, 0, 1, 0}, true, []string{"p3", "p1", "p4", "p2"}},
		// Artist: A's other song, then the related artists B and C.
		{"artist", Quotas{0, 1, 0, 0}, true, []string{"r2", "r3", "r4"}},
		{"artist without graph", Quotas{0, 1, 0, 0}, false, []string{"r2"}},
		// Genre: the seed's subgenre first (hard, nearest first), then rock.
		{"genre", Quotas{0, 0, 0, 1}, true, []string{"r3", "r2", "r4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &Hybrid{Catalog: cat, Scaler: sc, N: 4, Quotas: tc.q}
			if tc.graph {
				h.Artists = NewArtistGraph(pls)
			}
			got, err := h.Candidates(context.Background(), []*features.Track{seed})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), tc.want) {
				t.Errorf("got %v, want %v", ids(got), tc.want)
			}
			src := Sources[slices.Index(tc.q[:], 1)]
			for _, c := range got {
				if !slices.Contains(h.Why(c.ID), src) {
					t.Errorf("%s: why %v lacks %s", c.ID, h.Why(c.ID), src)
				}
			}
		})
	}
}

func TestHybridMerge(t *testing.T) {
	cat, pls := testCatalog()
	sc := scaler(t, cat)
	seed := cat.Get("r1")
	h := &Hybrid{Catalog: cat, Scaler: sc, Artists: NewArtistGraph(pls), N: 6, Quotas: Quotas{0, 0.5, 0.5, 0}}
	got, err := h.Candidates(context.Background(), []*features.Track{seed})
	if err != nil {
		t.Fatal(err)
	}
	// Alternating artist and content, each source's next new song.
	want := []string{"r2", "p3", "r3", "p1", "r4", "p4"}
	if !slices.Equal(ids(got), want) {
		t.Fatalf("got %v, want %v", ids(got), want)
	}
	rep := h.Report()
	if rep.Taken[1] != 3 || rep.Taken[2] != 3 {
		t.Errorf("report %+v", rep)
	}
	if !strings.Contains(rep.String(), "song2vec 0") {
		t.Errorf("report string %q", rep.String())
	}
	// No seed recording, no duplicate, at most N.
	for i, c := range got {
		if selector.RecordingKey(c) == selector.RecordingKey(seed) || slices.Index(got, c) != i {
			t.Errorf("%s is the seed or repeated", c.ID)
		}
	}
	// A source that runs out leaves its share: 3 artist songs exist.
	h.N, h.Quotas = 7, Quotas{0, 0.9, 0.1, 0}
	got, _ = h.Candidates(context.Background(), []*features.Track{seed})
	if len(got) != 7 {
		t.Errorf("%d candidates, want 7 (the content source fills in)", len(got))
	}
	// Notes for missing sources.
	if r := h.Report().String(); !strings.Contains(r, "song2vec: no vectors") && h.Quotas[0] > 0 {
		t.Errorf("report %q", r)
	}
	h.Quotas = Quotas{0.5, 0, 0, 0.5}
	h.Candidates(context.Background(), []*features.Track{{ID: "x", Name: "x", HasFeatures: true, Features: seed.Features}})
	if r := h.Report().String(); !strings.Contains(r, "no vectors") || !strings.Contains(r, "no genre label") {
		t.Errorf("report %q", r)
	}
	if _, err := (&Hybrid{Catalog: cat, Scaler: sc, Quotas: Quotas{0.5, 0.6}}).Candidates(context.Background(), nil); err == nil {
		t.Error("quotas summing to 1.1 accepted")
	}
}

// TestArtistSourceAlbumFirst: the artist source lists the songs of the
// seeds' albums first (nearest first, whoever the artist: a compilation
// counts), then the seeds' artists' other songs (nearest first), then the
// related artists'; every song keeps "artist" as its reason. Albums are
// told apart by name and release date, and a track with no album joins
// none.
func TestArtistSourceAlbumFirst(t *testing.T) {
	mk := func(id, artist, album, date string, f float64) *features.Track {
		tr := track(id, artist, "rock", "hard", f)
		tr.Album, tr.ReleaseDate = album, date
		return tr
	}
	var c features.Catalog
	for _, tr := range []*features.Track{
		mk("seed", "A", "First", "2001", 0.50),
		mk("a-near", "A", "Second", "2003", 0.51),     // the seed's artist, nearest of all
		mk("a-far", "A", "Second", "2003", 0.90),      // the seed's artist, far
		mk("alb-far", "A", "First", "2001", 0.95),     // the seed's album, far
		mk("alb-other", "X", " first ", "2001", 0.80), // the same album (name trimmed, case folded), another artist
		mk("same-name", "Y", "First", "1999", 0.52),   // another album of that name
		mk("no-album", "A", "", "", 0.55),             // the seed's artist, no album
		mk("b1", "B", "Bee", "2001", 0.53),            // a related artist
	} {
		c.Add(tr)
	}
	pls := []*features.Playlist{{ID: "p", Tracks: []*features.Track{c.Get("seed"), c.Get("b1")}}}
	for _, tc := range []struct {
		name  string
		seeds []string
		graph bool
		want  []string
	}{
		{"album, artist, related", []string{"seed"}, true, []string{"alb-other", "alb-far", "a-near", "no-album", "a-far", "b1"}},
		{"no graph", []string{"seed"}, false, []string{"alb-other", "alb-far", "a-near", "no-album", "a-far"}},
		// A seed with no album: its artist's songs lead, nearest first.
		{"seed without album", []string{"no-album"}, false, []string{"a-near", "seed", "a-far", "alb-far"}},
		// Two seeds: both albums first, nearest to either seed first.
		{"two seeds", []string{"seed", "b1"}, false, []string{"alb-other", "alb-far", "a-near", "no-album", "a-far"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &Hybrid{Catalog: &c, Scaler: scaler(t, &c), N: 10, Quotas: Quotas{0, 1, 0, 0}}
			if tc.graph {
				h.Artists = NewArtistGraph(pls)
			}
			var seeds []*features.Track
			for _, id := range tc.seeds {
				seeds = append(seeds, c.Get(id))
			}
			p, err := h.Pool(context.Background(), seeds)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(p.Tracks); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			for _, tr := range p.Tracks {
				if !slices.Equal(p.Why[tr.ID], []string{SourceArtist}) {
					t.Errorf("%s: why %v, want [artist]", tr.ID, p.Why[tr.ID])
				}
			}
		})
	}
}

// TestPoolSeedsOwnLead: after the quotas chose the pool's songs, the
// seeds' own (their albums' and artists' songs) lead it in the artist
// source's order, the rest following in merge order; each keeps its
// reasons. Related artists' songs do not lead.
func TestPoolSeedsOwnLead(t *testing.T) {
	cat, pls := testCatalog()
	sc := scaler(t, cat)
	for _, tc := range []struct {
		name  string
		q     Quotas
		graph bool
		want  []string
	}{
		// Merge order r2 p3 r3 p1 r4 p4: A's r2 leads (it led already).
		{"artist and content", Quotas{0, 0.5, 0.5, 0}, true, []string{"r2", "p3", "r3", "p1", "r4", "p4"}},
		// Merge order p3 p1 r2 p4 p2 r4 (content 0.8): r2, A's, moves to
		// the front; r4, content's, stays.
		{"mostly content", Quotas{0, 0.2, 0.8, 0}, true, []string{"r2", "p3", "p1", "p4", "p2", "r4"}},
		// No artist source: nothing leads, content's order, nearest first.
		{"no artist source", Quotas{0, 0, 1, 0}, true, []string{"p3", "p1", "p4", "p2", "r4", "r3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &Hybrid{Catalog: cat, Scaler: sc, N: 6, Quotas: tc.q}
			if tc.graph {
				h.Artists = NewArtistGraph(pls)
			}
			p, err := h.Pool(context.Background(), []*features.Track{cat.Get("r1")})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(p.Tracks); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			if tc.q[1] > 0 && !slices.Contains(p.Why["r2"], SourceArtist) {
				t.Errorf("r2: why %v lacks artist", p.Why["r2"])
			}
		})
	}
}

// TestSeedVersionsLeft: another version of a seed (a radio edit, a
// remix, a "(feat. ...)" credit; same first artist, same title before
// " - ", " (" or " [") is no candidate from any source, while another
// artist's song of that title and the artist's other songs are.
func TestSeedVersionsLeft(t *testing.T) {
	var c features.Catalog
	for _, tr := range []*features.Track{
		track("seed", "Avicii", "edm", "house", 0.50),
		track("edit", "Avicii", "edm", "house", 0.51),
		track("remix", "Avicii", "edm", "house", 0.52),
		track("feat", "Avicii", "edm", "house", 0.53),
		track("other", "Avicii", "edm", "house", 0.54),
		track("cover", "Someone", "edm", "house", 0.55),
	} {
		c.Add(tr)
	}
	for id, name := range map[string]string{"seed": "Levels", "edit": "Levels - Radio Edit", "remix": "Levels (Skrillex Remix)",
		"feat": "levels [feat. X]", "other": "Wake Me Up", "cover": "Levels"} {
		c.Get(id).Name = name
	}
	for _, q := range []Quotas{{0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}} {
		h := &Hybrid{Catalog: &c, Scaler: scaler(t, &c), N: 10, Quotas: q}
		got, err := h.Candidates(context.Background(), []*features.Track{c.Get("seed")})
		if err != nil {
			t.Fatal(err)
		}
		want := map[Quotas][]string{{0, 1, 0, 0}: {"other"}, {0, 0, 1, 0}: {"other", "cover"}, {0, 0, 0, 1}: {"other", "cover"}}[q]
		if !slices.Equal(ids(got), want) {
			t.Errorf("quota %v: got %v, want %v", q, ids(got), want)
		}
	}
}

// A pool holds one version of each song, whichever source brings them, so
// that a playlist built from it never plays a song and its radio edit
// (before, 6 of 60 default builds from random seeds did).
func TestPoolOneVersionPerSong(t *testing.T) {
	var c features.Catalog
	for _, tr := range []*features.Track{
		track("seed", "Avicii", "edm", "house", 0.50),
		track("song", "Daft Punk", "edm", "house", 0.51),
		track("edit", "Daft Punk", "edm", "house", 0.52),
		track("remix", "Daft Punk", "edm", "house", 0.53),
		track("other", "Daft Punk", "edm", "house", 0.54),
		track("cover", "Someone", "edm", "house", 0.55),
	} {
		c.Add(tr)
	}
	for id, name := range map[string]string{"seed": "Levels", "song": "One More Time", "edit": "One More Time - Radio Edit",
		"remix": "One More Time (Romanthony Remix)", "other": "Aerodynamic", "cover": "One More Time"} {
		c.Get(id).Name = name
	}
	for _, q := range []Quotas{{0, 0, 1, 0}, {0, 0, 0, 1}, {0, 0, 0.5, 0.5}} {
		h := &Hybrid{Catalog: &c, Scaler: scaler(t, &c), N: 10, Quotas: q}
		got, err := h.Candidates(context.Background(), []*features.Track{c.Get("seed")})
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"song", "other", "cover"}; !slices.Equal(ids(got), want) {
			t.Errorf("quota %v: got %v, want %v (the nearest version of the song, and another artist's)", q, ids(got), want)
		}
	}
}

// The seeds' own songs that lead the pool are counted after their other
// versions leave: a seed's radio edit on its album once shifted the count,
// so that another source's song led in its place (with no artist graph,
// the count reached past the list).
func TestPoolLeadAfterSeedVersions(t *testing.T) {
	var c features.Catalog
	for _, tr := range []*features.Track{
		track("near", "Someone", "edm", "house", 0.50), // index 0; the content source's first
		track("seed", "Avicii", "edm", "house", 0.90),
		track("edit", "Avicii", "edm", "house", 0.89),
		track("mate", "Avicii", "edm", "house", 0.30),
		track("far", "Else", "edm", "house", 0.10),
	} {
		c.Add(tr)
	}
	for id, name := range map[string]string{"seed": "Levels", "edit": "Levels - Radio Edit", "mate": "Fade Into Darkness"} {
		c.Get(id).Name = name
		c.Get(id).Album = "Levels EP"
	}
	for _, graph := range []bool{false, true} {
		h := &Hybrid{Catalog: &c, Scaler: scaler(t, &c), N: 3, Quotas: Quotas{0, 0.5, 0.5, 0}}
		if graph {
			h.Artists = NewArtistGraph([]*features.Playlist{{Tracks: c.Tracks}})
		}
		p, err := h.Pool(context.Background(), []*features.Track{c.Get("seed")})
		if err != nil {
			t.Fatal(err)
		}
		// The album-mate leads; then the merge's order, content's nearest first.
		if got, want := ids(p.Tracks), []string{"mate", "near", "far"}; !slices.Equal(got, want) {
			t.Errorf("graph %v: got %v, want %v", graph, got, want)
		}
	}
}
