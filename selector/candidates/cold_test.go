package candidates

import (
	"context"
	"errors"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/builtin"
	"github.com/discoflow/disco/features/tidycsv"
	modelbuiltin "github.com/discoflow/disco/model/builtin"
	"github.com/discoflow/disco/model/scale"
	"github.com/discoflow/disco/model/song2vec"
)

// embedded returns the embedded catalog, its song2vec vectors and the
// embedded model's scaler.
func embedded(t *testing.T) (*features.Catalog, *song2vec.Vectors, *scale.Scaler) {
	t.Helper()
	r, err := builtin.Open()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := tidycsv.Read(r, builtin.Name, tidycsv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := modelbuiltin.Vectors()
	if err != nil {
		t.Fatal(err)
	}
	m, err := modelbuiltin.Load()
	if err != nil {
		t.Fatal(err)
	}
	return ds.Catalog, v, &m.Scaler
}

// TestCheckMapper: on the embedded data, a hidden song's mapped vector
// finds its real vector's neighbours far more often than a random vector
// does, by artist more than by content.
func TestCheckMapper(t *testing.T) {
	cat, v, sc := embedded(t)
	c, err := CheckMapper(v, cat, sc, 300, 50, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", c)
	if c.ByArtist == 0 || c.ByContent == 0 || c.ByArtist+c.ByContent != c.Songs {
		t.Fatalf("songs mapped by artist %d, by content %d, of %d", c.ByArtist, c.ByContent, c.Songs)
	}
	if c.ContentOverlap < 3*c.RandomOverlap || c.ArtistOverlap < c.ContentOverlap {
		t.Errorf("neighbours kept: by artist %.3f, by content %.3f, random %.3f", c.ArtistOverlap, c.ContentOverlap, c.RandomOverlap)
	}
}

// TestColdStartPool: a seed without a vector has no song2vec pool, unless
// the pool has a Mapper, which maps it by its artist or, for a new
// artist, by its content.
func TestColdStartPool(t *testing.T) {
	cat, v, sc := embedded(t)
	m := NewMapper(v, cat, sc)
	if err := m.Err(); err != nil {
		t.Fatal(err)
	}
	known := cat.Get("0DiWol3AO6WpXZgp0goxAV") // Daft Punk - One More Time
	if known == nil {
		t.Fatal("One More Time not in the embedded catalog")
	}
	newSong := *known
	newSong.ID, newSong.Name = "0NewSong0000000000000a", "A New Song"
	stranger := newSong
	stranger.ID, stranger.Artists = "0NewSong0000000000000b", []string{"Nobody Knows Me"}
	for _, c := range []struct {
		name string
		seed *features.Track
		how  string
	}{
		{"known artist", &newSong, ByArtist},
		{"new artist", &stranger, ByContent},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := &song2vec.Pool{Vectors: v, Catalog: cat, N: 20}
			if _, err := p.Candidates(context.Background(), []*features.Track{c.seed}); !errors.Is(err, song2vec.ErrNoSeedVectors) {
				t.Fatalf("without a mapper: %v, want ErrNoSeedVectors", err)
			}
			if _, how := m.Map(c.seed); how != c.how {
				t.Errorf("mapped by %q, want %q", how, c.how)
			}
			p.Cold = m
			got, err := p.Candidates(context.Background(), []*features.Track{c.seed})
			if err != nil || len(got) != 20 {
				t.Fatalf("with a mapper: %d candidates, %v", len(got), err)
			}
			if c.how == ByArtist {
				same := 0
				for _, g := range got {
					if g.Artist() == "Daft Punk" {
						same++
					}
				}
				if same == 0 {
					t.Errorf("no Daft Punk among the neighbours of a Daft Punk song mapped by its artist")
				}
			}
		})
	}
}
