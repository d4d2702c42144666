package cache_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
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
	ids, tracks := gen10k()
	benchEmptyDB(b, func(db *cache.DB) {
		store10k(b, db, ids, tracks)
	})
}

// BenchmarkCompact10k folds a log of 10,000 entries (250 batches of 40)
// into an empty features table: the indexing a fetch leaves for later.
func BenchmarkCompact10k(b *testing.B) {
	ids, tracks := gen10k()
	benchEmptyDB(b, func(db *cache.DB) {
		b.StopTimer()
		store10k(b, db, ids, tracks)
		b.StartTimer()
		if k, err := db.Compact(context.Background()); err != nil || k != 10_000 {
			b.Fatal(k, err)
		}
	})
}

// benchEmptyDB times f on a new, empty database per iteration; opening
// and closing it are not timed.
func benchEmptyDB(b *testing.B, f func(db *cache.DB)) {
	dir := b.TempDir()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		b.StopTimer()
		db, err := cache.Open(filepath.Join(dir, fmt.Sprintf("%d.db", i)))
		i++
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		f(db)
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

// gen10k returns 10,000 generated ids and what a source answers for them.
func gen10k() ([]string, []*features.Track) {
	ids := genIDs(10_000)
	tracks := make([]*features.Track, len(ids))
	for i, id := range ids {
		tracks[i] = genTrack(id, "")
	}
	return ids, tracks
}

// store10k stores gen10k's answers in 250 batches of 40, as a fetch from
// ReccoBeats does.
func store10k(b *testing.B, db *cache.DB, ids []string, tracks []*features.Track) {
	const batch = 40
	for lo := 0; lo < len(ids); lo += batch {
		if err := db.StoreFeatures(context.Background(), "mem", ids[lo:lo+batch], tracks[lo:lo+batch]); err != nil {
			b.Fatal(err)
		}
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
		benchEmptyDB(b, func(db *cache.DB) {
			f := &cache.Fetcher{DB: db, Source: client}
			r, err := f.Fetch(ctx, ids)
			if err != nil || r.Requests != n/reccobeats.MaxFeatureIDs {
				b.Fatal(r.Requests, err)
			}
		})
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

// serverEnv, when set to a duration, makes this test binary a fake
// ReccoBeats server with that latency: it prints its URL and serves until
// its standard input closes. See startFakeProcess.
const serverEnv = "DISCO_CACHE_FAKE_SERVER"

func serveFake() int {
	lat, err := time.ParseDuration(os.Getenv(serverEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	f := &fakeRecco{latency: lat}
	go http.Serve(ln, f.handler())
	fmt.Printf("http://%s\n", ln.Addr())
	io.Copy(io.Discard, os.Stdin)
	return 0
}

// startFakeProcess starts the fake ReccoBeats server in a process of its
// own, as a real server is, and returns its URL.
func startFakeProcess(t *testing.T, lat time.Duration) string {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), serverEnv+"="+lat.String())
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	url, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("fake server process: %v", err)
	}
	return strings.TrimSpace(url)
}

// TestFetchOverhead measures what BenchmarkFetch10k does, interleaved so
// that both sides see the same machine load: each round fetches 10,000 ids
// with the client alone and through the cache into an empty database, then
// indexes them (Compact) and fetches them again from the cache. It does
// so against the fake server in this process (which then shares the Go
// runtime, its two cores' worth of Ps and its GC with the client) and in a
// process of its own, as a real server is. It reports medians of wall time
// and, in-process, of this process's CPU time. It asserts nothing about
// time; run it with -overhead=N [-latency=D].
func TestFetchOverhead(t *testing.T) {
	if *overhead <= 0 {
		t.Skip("run with -overhead=N")
	}
	const n = 10_000
	fake := newFakeRecco(t)
	fake.latency = *latency
	servers := []struct {
		name, url string
	}{
		{"server in this process", fake.srv.URL},
		{"server in its own process", startFakeProcess(t, *latency)},
	}
	ids := genIDs(n)
	ctx := context.Background()
	type times struct{ direct, cached, fold, warm, directCPU, cachedCPU []time.Duration }
	res := make([]times, len(servers))
	for round := range *overhead {
		for s, srv := range servers {
			r := &res[s]
			client := &reccobeats.Client{BaseURL: srv.url + "/v1"}
			c0, t0 := cpuTime(), time.Now()
			if _, err := client.GetFeatures(ctx, ids); err != nil {
				t.Fatal(err)
			}
			r.direct = append(r.direct, time.Since(t0))
			r.directCPU = append(r.directCPU, cpuTime()-c0)
			db, err := cache.Open(filepath.Join(t.TempDir(), fmt.Sprintf("c%d-%d.db", round, s)))
			if err != nil {
				t.Fatal(err)
			}
			f := &cache.Fetcher{DB: db, Source: client}
			c0, t0 = cpuTime(), time.Now()
			if _, err := f.Fetch(ctx, ids); err != nil {
				t.Fatal(err)
			}
			r.cached = append(r.cached, time.Since(t0))
			r.cachedCPU = append(r.cachedCPU, cpuTime()-c0)
			t0 = time.Now()
			if k, err := db.Compact(ctx); err != nil || k != n {
				t.Fatalf("folded %d entries, %v", k, err)
			}
			r.fold = append(r.fold, time.Since(t0))
			t0 = time.Now()
			if got, err := f.Fetch(ctx, ids); err != nil || got.Requests != 0 {
				t.Fatal(got.Requests, err)
			}
			r.warm = append(r.warm, time.Since(t0))
			db.Close()
		}
	}
	med := func(d []time.Duration) time.Duration {
		d = slices.Clone(d)
		slices.Sort(d)
		return d[len(d)/2]
	}
	pct := func(a, b time.Duration) float64 { return 100 * (float64(a)/float64(b) - 1) }
	t.Logf("10,000 ids in %d requests of %d, server latency %v, %d rounds (medians):", n/reccobeats.MaxFeatureIDs, reccobeats.MaxFeatureIDs, *latency, *overhead)
	for s, srv := range servers {
		r := res[s]
		md, mc, mf := med(r.direct), med(r.cached), med(r.fold)
		t.Logf("  %s:", srv.name)
		t.Logf("    requests alone %v; through the cache into an empty db %v (%+.1f%%)", md, mc, pct(mc, md))
		t.Logf("    then indexing them (Compact) %v: fetch and index %+.1f%%; then all cached %v", mf, pct(mc+mf, md), med(r.warm))
		if s == 0 {
			cd, cc := med(r.directCPU), med(r.cachedCPU)
			t.Logf("    cpu: requests alone %v, through the cache %v (%+.1f%%)", cd, cc, pct(cc, cd))
		}
	}
}
