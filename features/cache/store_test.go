package cache_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/discoflow/disco/features"
)

// TestStoreFeaturesBatches stores batches of several sizes in one
// statement each and reads them back: ids that need JSON escaping, an id
// given twice (the last entry stays) and an entry replaced by "unknown".
func TestStoreFeaturesBatches(t *testing.T) {
	ctx := context.Background()
	for _, n := range []int{0, 1, 40, 250} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			db := openDB(t)
			ids := genIDs(n)
			tracks := make([]*features.Track, n)
			for i, id := range ids {
				tracks[i] = genTrack(id, "")
			}
			if n > 0 {
				ids[0] = `odd "id" \ é` + "\t"
				if tracks[0] != nil {
					tracks[0].ID = ids[0]
				}
			}
			if err := db.StoreFeatures(ctx, "mem", ids, tracks); err != nil {
				t.Fatal(err)
			}
			feats, _, _, err := db.Count(ctx, "mem")
			if err != nil || feats != n {
				t.Fatalf("%d rows, %v; want %d", feats, err, n)
			}
			got, cached, err := db.LookupFeatures(ctx, "mem", ids, 0)
			if err != nil {
				t.Fatal(err)
			}
			for i, id := range ids {
				want := tracks[i]
				if !cached[i] || (got[i] == nil) != (want == nil) {
					t.Fatalf("%q: cached %v, got %+v, want %+v", id, cached[i], got[i], want)
				}
				if want != nil && (got[i].ID != id || !features.SameFeatures(got[i], want, 0)) {
					t.Fatalf("%q: got %+v, want %+v", id, got[i], want)
				}
			}
			if n < 2 {
				return
			}
			// ids[1] twice in one batch: first known, then unknown.
			again := []string{ids[1], ids[2], ids[1]}
			if err := db.StoreFeatures(ctx, "mem", again, []*features.Track{genTrack(genID(2), ""), nil, nil}); err != nil {
				t.Fatal(err)
			}
			got, cached, err = db.LookupFeatures(ctx, "mem", ids[1:3], 0)
			if err != nil {
				t.Fatal(err)
			}
			if !cached[0] || got[0] != nil || !cached[1] || got[1] != nil {
				t.Errorf("after storing unknown: cached %v, got %v", cached, got)
			}
			if feats, _, _, _ := db.Count(ctx, "mem"); feats != n {
				t.Errorf("%d rows after replacing, want %d", feats, n)
			}
		})
	}
}
