// Command serve is a load test of disco serve's /api/build on loopback:
// one client in turn, then many at once for a bounded time, against the
// embedded catalog, reporting builds, errors, latency quantiles and the
// process's memory before and after.
//
// Usage:
//
//	go run ./bench/serve [-clients 200] [-duration 20s] [-single 200]
//
// The server runs in this process (the handlers of disco serve, on a
// loopback listener, with its default limits), so that its memory is the
// process's; the clients are goroutines with their own HTTP transports.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/discoflow/disco/cmd/disco/web"
	"github.com/discoflow/disco/selector/app"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "serve bench:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	clients := fs.Int("clients", 200, "concurrent clients")
	duration := fs.Duration("duration", 20*time.Second, "how long the concurrent clients run")
	single := fs.Int("single", 200, "builds by one client, one after another, before the load")
	length := fs.Int("length", 13, "songs per build")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	lib, err := app.Open(ctx, app.Options{})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: web.New(ctx, lib, web.Options{}).Handler(), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String() + "/api/build?"

	// Seeds spread over the catalog, knobs varied, so that no two
	// consecutive requests are the same.
	var queries []string
	for i := 0; i < len(lib.Tracks); i += len(lib.Tracks) / 500 {
		q := url.Values{"seed": {lib.Tracks[i].ID}, "length": {strconv.Itoa(*length)},
			"sweetness": {strconv.FormatFloat(float64(i%7)*0.5, 'g', -1, 64)}}
		queries = append(queries, base+q.Encode())
	}
	client := func() *http.Client {
		return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	}
	get := func(c *http.Client, u string) (time.Duration, error) {
		start := time.Now()
		resp, err := c.Get(u)
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err == nil && resp.StatusCode != 200 {
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		return time.Since(start), err
	}

	// Warm up: the hybrid source's index, the map's PCA.
	c := client()
	for _, u := range queries[:5] {
		if _, err := get(c, u); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
	}
	rssBefore, heapBefore := memory()
	fmt.Fprintf(out, "catalog: %d songs; GOMAXPROCS %d; builds of %d songs, %d seeds in turn\n", len(lib.Tracks), runtime.GOMAXPROCS(0), *length, len(queries))
	fmt.Fprintf(out, "memory before: RSS %s, Go heap in use %s\n", mb(rssBefore), mb(heapBefore))

	var one []time.Duration
	for i := range *single {
		d, err := get(c, queries[i%len(queries)])
		if err != nil {
			return fmt.Errorf("single client: %w", err)
		}
		one = append(one, d)
	}
	fmt.Fprintf(out, "single client: %d builds, p50 %s, p90 %s, p99 %s\n", len(one), q(one, 0.5), q(one, 0.9), q(one, 0.99))

	var (
		mu     sync.Mutex
		lat    []time.Duration
		errs   = map[string]int{}
		wg     sync.WaitGroup
		stop   = time.Now().Add(*duration)
		nerror int
	)
	start := time.Now()
	for k := range *clients {
		wg.Go(func() {
			c := client()
			var mine []time.Duration
			for i := k; time.Now().Before(stop); i += *clients {
				d, err := get(c, queries[i%len(queries)])
				if err != nil {
					mu.Lock()
					nerror++
					errs[short(err)]++
					mu.Unlock()
					continue
				}
				mine = append(mine, d)
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	rssAfter, heapAfter := memory()
	fmt.Fprintf(out, "%d clients for %s: %d builds (%.0f/s), %d errors", *clients, duration.String(), len(lat), float64(len(lat))/elapsed.Seconds(), nerror)
	for e, n := range errs {
		fmt.Fprintf(out, "; %d× %s", n, e)
	}
	fmt.Fprintf(out, "\nlatency under load: p50 %s, p90 %s, p99 %s, max %s\n", q(lat, 0.5), q(lat, 0.9), q(lat, 0.99), q(lat, 1))
	fmt.Fprintf(out, "memory after: RSS %s (peak %s), Go heap in use %s\n", mb(rssAfter), mb(peakRSS()), mb(heapAfter))
	if nerror > 0 {
		return errors.New("the server answered errors under load")
	}
	return nil
}

// q is the p-quantile of ds (nearest rank), rounded for reading.
func q(ds []time.Duration, p float64) string {
	if len(ds) == 0 {
		return "-"
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := min(len(s)-1, int(p*float64(len(s))))
	return s[i].Round(100 * time.Microsecond).String()
}

func short(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}

// memory returns the process's resident set (from /proc, 0 elsewhere)
// and the Go heap in use, in bytes.
func memory() (rss, heap uint64) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return procStatus("VmRSS:"), m.HeapInuse
}

func peakRSS() uint64 { return procStatus("VmHWM:") }

// procStatus reads a kB field of /proc/self/status, in bytes.
func procStatus(field string) uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for l := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, field); ok {
			n, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n << 10
		}
	}
	return 0
}

func mb(n uint64) string { return fmt.Sprintf("%.0f MB", float64(n)/(1<<20)) }
