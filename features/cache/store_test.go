package cache_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/cache"
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

// TestCompact stores three batches into the log and folds them, in one
// transaction or in several: across batches the last entry of an id
// stays, the log empties, and a second fold has nothing to do.
func TestCompact(t *testing.T) {
	for _, rows := range []int{1, 2, 1000} {
		t.Run(fmt.Sprint(rows), func(t *testing.T) {
			cache.SetCompactRows(t, rows)
			testCompact(t)
		})
	}
}

func testCompact(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	ids := genIDs(3)
	a, b := ids[0], ids[1]
	other := genTrack(ids[2], "") // b's second entry: ids[2]'s features
	other.ID = b
	batches := []struct {
		ids    []string
		tracks []*features.Track
	}{
		{[]string{a, b}, []*features.Track{genTrack(a, ""), genTrack(b, "")}},
		{[]string{a}, []*features.Track{nil}},
		{[]string{b}, []*features.Track{other}},
	}
	for _, bt := range batches {
		if err := db.StoreFeatures(ctx, "mem", bt.ids, bt.tracks); err != nil {
			t.Fatal(err)
		}
	}
	count := func(table string) int {
		var n int
		if err := db.SQL().QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if l, f := count("feature_log"), count("features"); l != 3 || f != 0 {
		t.Fatalf("before folding: %d log rows and %d features, want 3 and 0", l, f)
	}
	if n, err := db.Pending(ctx); err != nil || n != 3 {
		t.Fatalf("Pending = %d, %v; want 3", n, err)
	}
	// A cancelled fold folds nothing and loses nothing.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.Compact(cctx); err == nil {
		t.Error("Compact with a cancelled context succeeded")
	}
	if l, f := count("feature_log"), count("features"); l != 3 || f != 0 {
		t.Fatalf("after a cancelled fold: %d log rows and %d features, want 3 and 0", l, f)
	}
	if n, err := db.Compact(ctx); err != nil || n != 4 {
		t.Fatalf("Compact folded %d entries, %v; want 4", n, err)
	}
	if l, f := count("feature_log"), count("features"); l != 0 || f != 2 {
		t.Fatalf("after folding: %d log rows and %d features, want 0 and 2", l, f)
	}
	if n, err := db.Pending(ctx); err != nil || n != 0 {
		t.Fatalf("Pending after folding = %d, %v; want 0", n, err)
	}
	if n, err := db.Compact(ctx); err != nil || n != 0 {
		t.Fatalf("second Compact folded %d entries, %v; want 0", n, err)
	}
	got, cached, err := db.LookupFeatures(ctx, "mem", []string{a, b}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !cached[0] || got[0] != nil {
		t.Errorf("%s: cached %v, %+v; want cached as unknown", a, cached[0], got[0])
	}
	if !cached[1] || got[1] == nil || !features.SameFeatures(got[1], other, 0) {
		t.Errorf("%s: cached %v, %+v; want the last entry %+v", b, cached[1], got[1], other)
	}
}

// TestUpgradeSchema opens a version 1 database (no log): disco adds the
// log and keeps what was stored.
func TestUpgradeSchema(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	ids := genIDs(2)
	if err := db.StoreFeatures(ctx, "mem", ids, []*features.Track{genTrack(ids[0], ""), genTrack(ids[1], "")}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec("DROP TABLE feature_log; PRAGMA user_version = 1"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db2, err := cache.Open(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	var v int
	if err := db2.SQL().QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != 2 {
		t.Errorf("user_version %d, %v; want 2", v, err)
	}
	if err := db2.StoreFeatures(ctx, "mem", genIDs(3)[2:], []*features.Track{nil}); err != nil {
		t.Fatal(err)
	}
	if n, _, _, err := db2.Count(ctx, "mem"); err != nil || n != 3 {
		t.Errorf("%d features, %v; want 3", n, err)
	}
	// A newer disco's database is refused, not rewritten.
	if _, err := db2.SQL().Exec("PRAGMA user_version = 3"); err != nil {
		t.Fatal(err)
	}
	if db3, err := cache.Open(db.Path()); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("opening a version 3 database: %v", err)
		if err == nil {
			db3.Close()
		}
	}
}
