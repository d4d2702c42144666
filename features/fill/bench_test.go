package fill

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/discoflow/disco/features"
)

// export10k is a 10,000-song export without features, seeded: 6 in 10
// songs of the embedded catalog under their ids, 3 in 10 under other ids
// (found by artist and title), 1 in 10 unknown.
func export10k(b *testing.B) []features.Track {
	ds, err := embedded()
	if err != nil {
		b.Fatal(err)
	}
	cat := ds.Catalog.Tracks
	rng := rand.New(rand.NewPCG(20, 10000))
	out := make([]features.Track, 10000)
	for i := range out {
		k := cat[rng.IntN(len(cat))]
		t := features.Track{ID: k.ID, Name: k.Name, Artists: k.Artists, Album: k.Album, DurationMS: k.DurationMS,
			Key: -1, Mode: -1, Features: features.NoFeatures}
		switch p := rng.IntN(10); {
		case p >= 9:
			t.Name = fmt.Sprintf("Unreleased %d", i)
			fallthrough
		case p >= 6:
			t.ID = fmt.Sprintf("X%021d", i)
		}
		out[i] = t
	}
	return out
}

// BenchmarkFill10k looks a 10,000-song export up in the embedded catalog
// (already parsed): "index+fill" builds the index and fills, "fill" fills
// with the index built. Each iteration starts from a fresh copy of the
// export (10,000 struct copies, timed).
func BenchmarkFill10k(b *testing.B) {
	template := export10k(b)
	ds, _ := embedded()
	work := make([]features.Track, len(template))
	ptrs := make([]*features.Track, len(work))
	for i := range work {
		ptrs[i] = &work[i]
	}
	x := NewIndex("the embedded catalog", ds.Catalog.Tracks)
	for _, bb := range []struct {
		name  string
		index bool
	}{{"index+fill", true}, {"fill", false}} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			var r Report
			for b.Loop() {
				copy(work, template)
				src := x
				if bb.index {
					src = NewIndex("the embedded catalog", ds.Catalog.Tracks)
				}
				var err error
				if r, err = Fill(context.Background(), ptrs, src); err != nil {
					b.Fatal(err)
				}
			}
			if len(r.Unknown) == 0 || r.Filled[0].ByName == 0 {
				b.Fatalf("unrealistic export: %s", r)
			}
			b.ReportMetric(float64(len(r.Unknown)), "unknown")
		})
	}
}
