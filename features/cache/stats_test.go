package cache_test

import (
	"context"
	"testing"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/cache"
)

// TestStatsAndClear fills two sources at two times, reads the counts
// back, clears the older entries of one source and then everything.
func TestStatsAndClear(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	day1 := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	day2 := day1.Add(24 * time.Hour)
	ids := genIDs(10) // ids[3] is unknown to the sources
	tracks := make([]*features.Track, len(ids))
	for i, id := range ids {
		tracks[i] = genTrack(id, "")
	}
	cache.SetNow(db, func() time.Time { return day1 })
	if err := db.StoreFeatures(ctx, "a", ids[:6], tracks[:6]); err != nil {
		t.Fatal(err)
	}
	if err := db.StoreRecommendation(ctx, "a", "seeds=x&size=2", []*features.Track{tracks[0], tracks[1]}); err != nil {
		t.Fatal(err)
	}
	cache.SetNow(db, func() time.Time { return day2 })
	if err := db.StoreFeatures(ctx, "a", ids[6:], tracks[6:]); err != nil {
		t.Fatal(err)
	}
	if err := db.StoreFeatures(ctx, "b", ids[:2], tracks[:2]); err != nil {
		t.Fatal(err)
	}

	st, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []cache.SourceStats{
		{Source: "a", Features: 10, Unknown: 1, Tracks: 2, Recommendations: 1, Oldest: day1, Newest: day2},
		{Source: "b", Features: 2, Oldest: day2, Newest: day2},
	}
	if len(st) != len(want) {
		t.Fatalf("Stats = %+v, want %+v", st, want)
	}
	for i := range want {
		g, w := st[i], want[i]
		if g.Source != w.Source || g.Features != w.Features || g.Unknown != w.Unknown || g.Tracks != w.Tracks ||
			g.Recommendations != w.Recommendations || !g.Oldest.Equal(w.Oldest) || !g.Newest.Equal(w.Newest) {
			t.Errorf("Stats[%d] = %+v, want %+v", i, g, w)
		}
	}
	if size, err := db.Size(); err != nil || size <= 0 {
		t.Errorf("Size = %d, %v", size, err)
	}

	// Source a's entries of day 1: 6 features, 2 tracks, 1 list.
	n, err := db.Clear(ctx, "a", day2)
	if err != nil || n != 9 {
		t.Fatalf("Clear(a, before day 2) deleted %d, %v; want 9", n, err)
	}
	if got, cached, err := db.LookupFeatures(ctx, "a", ids, 0); err != nil || cached[0] || !cached[6] || got[6] == nil {
		t.Errorf("after clearing day 1: cached %v, %v", cached, err)
	}
	if n, err := db.Clear(ctx, "", time.Time{}); err != nil || n != 6 {
		t.Fatalf("Clear(all) deleted %d, %v; want 6", n, err)
	}
	if st, err := db.Stats(ctx); err != nil || len(st) != 0 {
		t.Errorf("after clearing all: %+v, %v", st, err)
	}
	if err := db.Vacuum(ctx); err != nil {
		t.Fatal(err)
	}
}
