package song2vec

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/discoflow/disco/features"
)

func TestPool(t *testing.T) {
	// Two groups of songs that never share a playlist.
	var pls Playlists
	for i := range 200 {
		g := "a"
		if i%2 == 1 {
			g = "b"
		}
		var pl []string
		for j := range 8 {
			pl = append(pl, fmt.Sprintf("%s%d", g, (i*3+j)%12))
		}
		pls = append(pls, pl)
	}
	v, _, err := Train(context.Background(), pls, Config{Dim: 16, Window: 4, MinCount: 1, Sample: -1, Epochs: 20, Workers: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	cat := features.NewCatalog()
	for _, w := range v.Words {
		tr := &features.Track{ID: w, HasFeatures: w != "a5", Features: features.Vector{}}
		if w == "a7" {
			continue // not in the catalog
		}
		cat.Add(tr)
	}
	p := &Pool{Vectors: v, Catalog: cat, N: 9}
	got, err := p.Candidates(context.Background(), []*features.Track{cat.Get("a0"), cat.Get("a1")})
	if err != nil {
		t.Fatal(err)
	}
	// Group a has 12 songs: minus 2 seeds, a5 (no features), a7 (not in
	// the catalog) leaves 8, so the 9th must come from group b, last.
	if len(got) != 9 {
		t.Fatalf("%d candidates, want 9", len(got))
	}
	for i, tr := range got[:8] {
		if tr.ID[0] != 'a' || tr.ID == "a0" || tr.ID == "a1" || tr.ID == "a5" || tr.ID == "a7" {
			t.Errorf("candidate %d = %s", i, tr.ID)
		}
	}
	if got[8].ID[0] != 'b' || p.NoFeatures != 1 || p.NotInCatalog != 1 {
		t.Errorf("last %s, no features %d, not in catalog %d", got[8].ID, p.NoFeatures, p.NotInCatalog)
	}
	_, err = p.Candidates(context.Background(), []*features.Track{{ID: "zzz"}})
	if !errors.Is(err, ErrNoSeedVectors) {
		t.Errorf("unknown seed: err = %v", err)
	}
}
