package cache_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/cache"
	"github.com/discoflow/disco/features/reccobeats"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(child())
	}
	if os.Getenv(serverEnv) != "" {
		os.Exit(serveFake())
	}
	os.Exit(m.Run())
}

func TestOpen(t *testing.T) {
	db := openDB(t)
	var mode string
	if err := db.SQL().QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	var timeout int
	if err := db.SQL().QueryRow("PRAGMA busy_timeout").Scan(&timeout); err != nil || timeout < 1000 {
		t.Errorf("busy_timeout = %d, %v", timeout, err)
	}
	// Opening again keeps the data and the schema.
	ids := genIDs(3)
	if err := db.StoreFeatures(context.Background(), "mem", ids, []*features.Track{genTrack(ids[0], ""), nil, genTrack(ids[2], "")}); err != nil {
		t.Fatal(err)
	}
	db2, err := cache.Open(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if n, _, _, err := db2.Count(context.Background(), "mem"); err != nil || n != 3 {
		t.Errorf("after reopening: %d rows, %v", n, err)
	}
	if _, err := cache.Open(filepath.Join(t.TempDir(), "a?b.db")); err == nil {
		t.Error("a path with '?' was accepted")
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "/tmp/xdg-cache-test")
	p, err := cache.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if p != "/tmp/xdg-cache-test/disco/cache.db" {
		t.Errorf("DefaultPath = %s", p)
	}
}

func TestFeaturesRoundTrip(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	ids := []string{genID(0), genID(3), genID(5), genID(16)} // known, unknown, known without features, known
	in := make([]*features.Track, len(ids))
	for i, id := range ids {
		in[i] = genTrack(id, "mem")
	}
	in[0].Features[features.Loudness] = -60 // the ends of the ranges survive
	in[0].Features[features.Energy] = 1
	if err := db.StoreFeatures(ctx, "mem", ids, in); err != nil {
		t.Fatal(err)
	}
	ask := append([]string{genID(99)}, ids...) // 99: not cached
	ask = append(ask, ids[0])                  // repeated
	got, cached, err := db.LookupFeatures(ctx, "mem", ask, 0)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(cached) != "[false true true true true true]" {
		t.Errorf("cached = %v", cached)
	}
	if got[0] != nil || got[2] != nil {
		t.Errorf("not cached and unknown must be nil: %v %v", got[0], got[2])
	}
	for k, i := range []int{1, 3, 4, 5} {
		want := in[[]int{0, 2, 3, 0}[k]]
		g := got[i]
		if g == nil || g.ID != want.ID || !features.SameFeatures(g, want, 0) || g.TimeSignature != want.TimeSignature ||
			g.From.Features != "cache:mem" {
			t.Errorf("entry %d = %+v, want %+v", i, g, want)
		}
	}
	if got[3].HasFeatures || !math.IsNaN(got[3].Features[0]) || got[3].Key != in[2].Key {
		t.Errorf("known without features: %+v", got[3])
	}
	if got[1] == got[5] {
		t.Error("a repeated id shares one *Track")
	}
	// Another source's rows are separate.
	if _, c, _ := db.LookupFeatures(ctx, "other", ids, 0); c[0] {
		t.Error("source is not part of the key")
	}
}

func TestMaxAge(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cache.SetNow(db, func() time.Time { return now })
	ids := genIDs(2)
	if err := db.StoreFeatures(ctx, "mem", ids[:1], []*features.Track{genTrack(ids[0], "")}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(48 * time.Hour)
	if err := db.StoreFeatures(ctx, "mem", ids[1:], []*features.Track{genTrack(ids[1], "")}); err != nil {
		t.Fatal(err)
	}
	_, cached, err := db.LookupFeatures(ctx, "mem", ids, 24*time.Hour)
	if err != nil || fmt.Sprint(cached) != "[false true]" {
		t.Errorf("with MaxAge 24h: %v, %v; want only the fresh one", cached, err)
	}
	if _, cached, _ = db.LookupFeatures(ctx, "mem", ids, 0); fmt.Sprint(cached) != "[true true]" {
		t.Errorf("without MaxAge: %v", cached)
	}
}

func TestFetcher(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	src := &memSource{batch: 100}
	var progress []string
	f := &cache.Fetcher{DB: db, Source: src, Progress: func(fetched, toFetch int) { progress = append(progress, fmt.Sprintf("%d/%d", fetched, toFetch)) }}
	ids := genIDs(250)
	r, err := f.Fetch(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 3 || r.Fetched != 250 || r.Cached != 0 {
		t.Errorf("first run %+v", r)
	}
	if fmt.Sprint(progress) != "[0/250 100/250 200/250 250/250]" {
		t.Errorf("progress %v", progress)
	}
	for i, id := range ids {
		if err := checkTrack(r.Tracks[i], id); err != nil {
			t.Fatal(err)
		}
	}
	if r.Tracks[0].From.Features != "mem" {
		t.Errorf("fresh provenance %q", r.Tracks[0].From.Features)
	}

	// A re-run fetches nothing; a larger one only the new ids.
	progress = nil
	r, err = f.Fetch(ctx, ids)
	if err != nil || r.Requests != 0 || r.Cached != 250 || r.Unknown != 36 {
		t.Fatalf("second run %+v, %v", r, err)
	}
	if fmt.Sprint(progress) != "[0/0]" {
		t.Errorf("second run progress %v", progress)
	}
	for i, id := range ids {
		if err := checkTrack(r.Tracks[i], id); err != nil {
			t.Fatal(err)
		}
	}
	if r.Tracks[0].From.Features != "cache:mem" {
		t.Errorf("cached provenance %q", r.Tracks[0].From.Features)
	}
	src.calls = nil
	more := append(genIDs(300), ids[11], ids[11]) // repeats are asked once
	r, err = f.Fetch(ctx, more)
	if err != nil || r.Requests != 1 || r.Fetched != 50 || r.Cached != 250 {
		t.Fatalf("third run %+v, %v", r, err)
	}
	if calls, n := src.asked(); calls != 1 || n != 50 || src.calls[0][0] != genID(250) {
		t.Errorf("third run asked %d calls, %d ids", calls, n)
	}
	if len(r.Tracks) != 302 || r.Tracks[300] == r.Tracks[301] || checkTrack(r.Tracks[301], ids[11]) != nil {
		t.Errorf("repeated ids not answered separately")
	}

	// Refresh asks everything again and leaves one row per id.
	f.Refresh = true
	src.calls = nil
	if r, err = f.Fetch(ctx, ids); err != nil || r.Fetched != 250 || r.Cached != 0 {
		t.Fatalf("refresh %+v, %v", r, err)
	}
	if n, _, _, _ := db.Count(ctx, "mem"); n != 300 {
		t.Errorf("%d feature rows, want 300 (no duplicates)", n)
	}
	var dups int
	db.SQL().QueryRow(`SELECT count(*) FROM (SELECT id FROM features GROUP BY source, id HAVING count(*) > 1)`).Scan(&dups)
	if dups != 0 {
		t.Errorf("%d duplicated ids", dups)
	}
}

func TestFetcherError(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	src := &memSource{batch: 40, failAt: 3, err: errSource}
	f := &cache.Fetcher{DB: db, Source: src}
	ids := genIDs(200)
	r, err := f.Fetch(ctx, ids)
	if !errors.Is(err, errSource) {
		t.Fatalf("err = %v, want the source's error unchanged", err)
	}
	if r.Fetched != 80 {
		t.Errorf("Fetched = %d, want 80 (two batches before the failure)", r.Fetched)
	}
	if n, _, _, _ := db.Count(ctx, "mem"); n != 80 {
		t.Errorf("%d rows stored, want 80", n)
	}
	src.failAt, src.calls = 0, nil
	r, err = f.Fetch(ctx, ids)
	if err != nil || r.Cached != 80 || r.Fetched != 120 {
		t.Fatalf("resume %+v, %v", r, err)
	}
	if _, n := src.asked(); n != 120 {
		t.Errorf("resume asked %d ids, want 120", n)
	}
}

// TestFetcherReccoBeats runs the cache over the real ReccoBeats client and
// a local server.
func TestFetcherReccoBeats(t *testing.T) {
	fake := newFakeRecco(t)
	db := openDB(t)
	f := &cache.Fetcher{DB: db, Source: &reccobeats.Client{BaseURL: fake.srv.URL + "/v1"}}
	ids := genIDs(100)
	for run := range 2 {
		r, err := f.Fetch(context.Background(), ids)
		if err != nil {
			t.Fatal(err)
		}
		for i, id := range ids {
			if err := checkTrack(r.Tracks[i], id); err != nil {
				t.Fatalf("run %d: %v", run, err)
			}
		}
	}
	if n := fake.requests.Load(); n != 3 {
		t.Errorf("requests = %d, want 3 (batches of 40, once)", n)
	}
}

func TestRecommender(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	src := &memSource{}
	r := &cache.Recommender{DB: db, Source: src}
	first, err := r.Recommend(ctx, []string{genID(1), genID(2)}, 5)
	if err != nil {
		t.Fatal(err)
	}
	again, err := r.Recommend(ctx, []string{genID(1), genID(2)}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if calls, _ := src.asked(); calls != 1 {
		t.Errorf("source asked %d times, want 1", calls)
	}
	if len(again) != 5 {
		t.Fatalf("cached list of %d", len(again))
	}
	for i, g := range again {
		w := first[i]
		if g.ID != w.ID || g.Name != w.Name || g.Artist() != "A, B" || g.Album != w.Album || g.ReleaseDate != w.ReleaseDate ||
			g.DurationMS != w.DurationMS || g.Popularity != w.Popularity || g.From.Meta != "cache:mem" || g.HasFeatures {
			t.Errorf("cached %d = %+v, want %+v", i, g, w)
		}
	}
	// Another size or seed order is another request.
	if _, err := r.Recommend(ctx, []string{genID(2), genID(1)}, 5); err != nil {
		t.Fatal(err)
	}
	if calls, _ := src.asked(); calls != 2 {
		t.Errorf("source asked %d times, want 2", calls)
	}
	_, tracks, recs, _ := db.Count(ctx, "mem")
	if tracks != 5 || recs != 2 {
		t.Errorf("%d tracks and %d lists stored, want 5 and 2", tracks, recs)
	}
}

// TestConcurrentReaders reads the whole id set over and over, from this
// handle and a second one, while a fetch writes it batch by batch. Every
// read must succeed and see whole batches only.
func TestConcurrentReaders(t *testing.T) {
	db := openDB(t)
	other, err := cache.Open(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx := context.Background()
	ids := genIDs(600)
	done := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var seen []int
	for r := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := db
			if r%2 == 1 {
				h = other
			}
			// done is checked after each read, so that every reader reads
			// at least once however the goroutines are scheduled.
			for {
				tracks, cached, err := h.LookupFeatures(ctx, "mem", ids, 0)
				if err != nil {
					t.Error(err)
					return
				}
				n := 0
				for i, c := range cached {
					if !c {
						continue
					}
					n++
					if want := genTrack(ids[i], ""); (want == nil) != (tracks[i] == nil) || (want != nil && !features.SameFeatures(want, tracks[i], 0)) {
						t.Errorf("reader %d: %s = %+v", r, ids[i], tracks[i])
						return
					}
				}
				if n%40 != 0 {
					t.Errorf("reader %d saw %d ids: a part of a batch", r, n)
					return
				}
				mu.Lock()
				seen = append(seen, n)
				mu.Unlock()
				select {
				case <-done:
					return
				default:
				}
			}
		}()
	}
	f := &cache.Fetcher{DB: db, Source: &memSource{batch: 40}}
	if _, err := f.Fetch(ctx, ids); err != nil {
		t.Fatal(err)
	}
	close(done)
	wg.Wait()
	t.Logf("seen %v", seen)
	if len(seen) < 4 {
		t.Fatalf("%d reads finished, want at least one per reader", len(seen))
	}
}
