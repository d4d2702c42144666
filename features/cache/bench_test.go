package cache_test

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/cache"
	"github.com/discoflow/disco/features/reccobeats"
)

// BenchmarkLookup looks up n cached ids (every one present) per op.
func BenchmarkLookup(b *testing.B) {
	for _, n := range []int{1000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			db := openDB(b)
			ctx := context.Background()
			ids := genIDs(n)
			for lo := 0; lo < n; lo += 10_000 {
				hi := min(lo+10_000, n)
				tracks := make([]*features.Track, hi-lo)
				for i, id := range ids[lo:hi] {
					tracks[i] = genTrack(id, "")
				}
				if err := db.StoreFeatures(ctx, "mem", ids[lo:hi], tracks); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := db.Compact(ctx); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			c0 := cpuTime()
			for b.Loop() {
				_, cached, err := db.LookupFeatures(ctx, "mem", ids, 0)
				if err != nil || !cached[n-1] {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/id")
			b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/id")
		})
	}
}

// BenchmarkStore10k stores the features of 10,000 ids into an empty
// database in 250 batches of 40, one transaction each: the cache's share
// of BenchmarkFetch10k/cached.
func BenchmarkStore10k(b *testing.B) {
	const n, batch = 10_000, 40
	ids := genIDs(n)
	tracks := make([]*features.Track, n)
	for i, id := range ids {
		tracks[i] = genTrack(id, "")
	}
	ctx := context.Background()
	dir := b.TempDir()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		b.StopTimer()
		db, err := cache.Open(filepath.Join(dir, fmt.Sprintf("s%d.db", i)))
		i++
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for lo := 0; lo < n; lo += batch {
			if err := db.StoreFeatures(ctx, "mem", ids[lo:lo+batch], tracks[lo:lo+batch]); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

// BenchmarkCompact10k folds a log of 10,000 entries (250 batches of 40)
// into an empty features table: the indexing a fetch leaves for later.
func BenchmarkCompact10k(b *testing.B) {
	const n, batch = 10_000, 40
	ids := genIDs(n)
	tracks := make([]*features.Track, n)
	for i, id := range ids {
		tracks[i] = genTrack(id, "")
	}
	ctx := context.Background()
	dir := b.TempDir()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		b.StopTimer()
		db, err := cache.Open(filepath.Join(dir, fmt.Sprintf("f%d.db", i)))
		i++
		if err != nil {
			b.Fatal(err)
		}
		for lo := 0; lo < n; lo += batch {
			if err := db.StoreFeatures(ctx, "mem", ids[lo:lo+batch], tracks[lo:lo+batch]); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		if k, err := db.Compact(ctx); err != nil || k != n {
			b.Fatal(k, err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

// BenchmarkFetch10k fetches the features of 10,000 ids from a local
// ReccoBeats server (250 batched requests of 40): "requests" is the
// client alone, "cached" goes through the cache into an empty database
// (look-up, requests, one transaction per batch), "warm" finds them all
// cached. The cache's overhead is cached/requests - 1.
func BenchmarkFetch10k(b *testing.B) {
	const n = 10_000
	fake := newFakeRecco(b)
	ids := genIDs(n)
	client := &reccobeats.Client{BaseURL: fake.srv.URL + "/v1"}
	ctx := context.Background()
	b.Run("requests", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := client.GetFeatures(ctx, ids); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		dir := b.TempDir()
		i := 0
		for b.Loop() {
			b.StopTimer()
			db, err := cache.Open(filepath.Join(dir, fmt.Sprintf("c%d.db", i)))
			i++
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			f := &cache.Fetcher{DB: db, Source: client}
			r, err := f.Fetch(ctx, ids)
			if err != nil || r.Requests != n/reccobeats.MaxFeatureIDs {
				b.Fatal(r.Requests, err)
			}
			b.StopTimer()
			db.Close()
			b.StartTimer()
		}
	})
	b.Run("warm", func(b *testing.B) {
		db := openDB(b)
		f := &cache.Fetcher{DB: db, Source: client}
		if _, err := f.Fetch(ctx, ids); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			r, err := f.Fetch(ctx, ids)
			if err != nil || r.Requests != 0 {
				b.Fatal(err)
			}
		}
	})
}

var (
	overhead = flag.Int("overhead", 0, "TestFetchOverhead: rounds of the interleaved 10k-id measurement (0 skips it)")
	latency  = flag.Duration("latency", 0, "TestFetchOverhead: time the fake server takes per request")
)

// TestFetchOverhead measures what BenchmarkFetch10k does, interleaved so
// that both sides see the same machine load: each round fetches 10,000 ids
// with the client alone and through the cache into an empty database, and
// the medians of wall time and the CPU time of the whole process (fake
// server included) are reported. It asserts nothing about time; run it
// with -overhead=N [-latency=D].
func TestFetchOverhead(t *testing.T) {
	if *overhead <= 0 {
		t.Skip("run with -overhead=N")
	}
	const n = 10_000
	fake := newFakeRecco(t)
	fake.latency = *latency
	ids := genIDs(n)
	client := &reccobeats.Client{BaseURL: fake.srv.URL + "/v1"}
	ctx := context.Background()
	var direct, cached, fold, warm, directCPU, cachedCPU []time.Duration
	for round := range *overhead {
		c0, t0 := cpuTime(), time.Now()
		if _, err := client.GetFeatures(ctx, ids); err != nil {
			t.Fatal(err)
		}
		direct = append(direct, time.Since(t0))
		directCPU = append(directCPU, cpuTime()-c0)
		db, err := cache.Open(filepath.Join(t.TempDir(), fmt.Sprintf("c%d.db", round)))
		if err != nil {
			t.Fatal(err)
		}
		f := &cache.Fetcher{DB: db, Source: client}
		c0, t0 = cpuTime(), time.Now()
		if _, err := f.Fetch(ctx, ids); err != nil {
			t.Fatal(err)
		}
		cached = append(cached, time.Since(t0))
		cachedCPU = append(cachedCPU, cpuTime()-c0)
		t0 = time.Now()
		if n, err := db.Compact(ctx); err != nil || n != len(ids) {
			t.Fatalf("folded %d entries, %v", n, err)
		}
		fold = append(fold, time.Since(t0))
		t0 = time.Now()
		if _, err := f.Fetch(ctx, ids); err != nil {
			t.Fatal(err)
		}
		warm = append(warm, time.Since(t0))
		db.Close()
	}
	med := func(d []time.Duration) time.Duration {
		d = slices.Clone(d)
		slices.Sort(d)
		return d[len(d)/2]
	}
	pct := func(a, b time.Duration) float64 { return 100 * (float64(a)/float64(b) - 1) }
	md, mc := med(direct), med(cached)
	cd, cc := med(directCPU), med(cachedCPU)
	t.Logf("10,000 ids in %d requests of %d, server latency %v, %d rounds (medians):", n/reccobeats.MaxFeatureIDs, reccobeats.MaxFeatureIDs, *latency, *overhead)
	mf := med(fold)
	t.Logf("  wall: requests alone %v, through the cache into an empty db %v (%+.1f%%), all cached %v", md, mc, pct(mc, md), med(warm))
	t.Logf("  indexing the fetched entries afterwards (Compact): %v; fetch and index together %+.1f%%", mf, pct(mc+mf, md))
	t.Logf("  cpu:  requests alone %v, through the cache %v (%+.1f%%)", cd, cc, pct(cc, cd))
}
