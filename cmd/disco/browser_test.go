package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/discoflow/disco/selector/app"
)

// patience is how long the test waits for the page: long, for -race on a
// busy machine; the test asserts no time.
var patience = chromedp.WithPollingTimeout(3 * time.Minute)

var screenshots = flag.Bool("screenshots", false, "write screenshots of disco serve's pages to testdata/readme (TestServeBrowser)")

// chromium returns the path of a Chromium or Chrome; without one the test
// fails under CI=true (CI installs Debian's chromium) and is skipped
// elsewhere.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium on PATH: CI must run the browser test (.ci/run installs Debian's chromium)")
	}
	t.Skip("no chromium on PATH (apt-get install chromium): the browser test needs one")
	return ""
}

// TestServeBrowser drives the Build page of disco serve in headless
// Chromium: type a seed, pick a suggestion, move a knob, see the table
// change, download the M3U8 and check it; then the Sort, Map and Eval
// pages. With -screenshots it writes a picture of each page to
// testdata/readme. It logs the page's own measure of knob→redraw time
// (performance.now, from the slider's input event to the redrawn table
// and figures); it asserts nothing about time.
func TestServeBrowser(t *testing.T) {
	exe := chromium(t)
	if testing.Short() {
		t.Skip("starts a browser")
	}
	lib, err := app.Open(t.Context(), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tsneSongs := 300 // a quick t-SNE map, under -race too
	if *screenshots {
		tsneSongs = 2000
	}
	srv := newServer(t.Context(), lib, serveOptions{timeout: 3 * time.Minute, maxUpload: 5 << 20, maxLength: 200, tsneSongs: tsneSongs})
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	// Warm the server up (the hybrid source's index, the song2vec vectors,
	// the map's projection), which takes long under -race, before the page
	// waits for it.
	for _, path := range []string{"/api/build?length=3", "/api/map", "/api/map?space=song2vec"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("warming up: %s: %d", path, resp.StatusCode)
		}
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.WindowSize(1440, 1000), chromedp.Flag("disable-gpu", true))
	actx, cancel := chromedp.NewExecAllocator(t.Context(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()

	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(expr string) any {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[any](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return v
	}
	builds := func() int { return int(eval(`Number(document.body.dataset.builds || 0)`).(float64)) }
	waitBuilds := func(n int) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](fmt.Sprintf(`Number(document.body.dataset.builds || 0) >= %d`, n), chromedp.WithPollingInterval(10*time.Millisecond), patience)
	}
	// page opens another page of the app, keeping its state (the built
	// playlist, which the Map page draws).
	page := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Run(ctx, chromedp.Evaluate[any](fmt.Sprintf(`location.hash = %q, 0`, name)))
			return err
		})
	}
	rows := func() []string {
		var out []string
		for _, r := range eval(`[...document.querySelectorAll("#result tbody tr")].map(r => r.innerText)`).([]any) {
			out = append(out, r.(string))
		}
		return out
	}

	dir := t.TempDir()
	enabled := true
	do("opening the Build page", chromedp.Navigate(ts.URL+"/#build"), waitBuilds(1),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &enabled})
			return err
		}))

	// Type a seed and pick the suggestion.
	do("typing a seed", chromedp.Click(chromedp.ID("seed-input")), chromedp.SendKeys(chromedp.ID("seed-input"), "daft punk one more"),
		chromedp.WaitVisible(chromedp.CSS("#suggestions li")))
	if s := text("#suggestions li"); !strings.Contains(s, "Daft Punk - One More Time") {
		t.Fatalf("first suggestion %q, want Daft Punk - One More Time", s)
	}
	n := builds()
	do("picking the suggestion", chromedp.Click(chromedp.CSS("#suggestions li")), waitBuilds(n+1))
	before := rows()
	if len(before) != 13 || !strings.Contains(before[0], "Daft Punk - One More Time") {
		t.Fatalf("after picking the seed the table has %d rows, first %q", len(before), first(before))
	}

	// Move a knob, several times, as a hand on a slider does.
	for i, v := range []string{"3", "2.5", "0", "1.5", "0.75", "4", "2", "0.5", "3.5", "1"} {
		n := builds()
		// SetValue fires input and change, as a hand on the slider does.
		do("moving the sweetness knob", chromedp.SetValue(chromedp.ID("knob-sweetness"), v), waitBuilds(n+1))
		if i == 0 {
			after := rows()
			if slices.Equal(after, before) {
				t.Fatal("the table did not change when sweetness went from 0.75 to 3")
			}
			if !strings.Contains(after[0], "Daft Punk - One More Time") {
				t.Errorf("the seed left the table: %q", first(after))
			}
		}
	}
	parts := map[string][]float64{}
	for _, v := range eval(`window.discoTimings.slice(-10)`).([]any) {
		for k, x := range v.(map[string]any) {
			parts[k] = append(parts[k], x.(float64))
		}
	}
	median := func(k string) float64 {
		xs := slices.Sorted(slices.Values(parts[k]))
		return xs[len(xs)/2]
	}
	t.Logf("knob→redraw (the page's performance.now, 10 moves of a 13-song build): median %.0f ms (answer %.0f ms: waiting %.0f, request %.0f, the build %.0f in the server; drawing %.0f ms), max %.0f ms",
		median("total"), median("fetch"), median("wait"), median("network"), median("server"), median("draw"), slices.Max(parts["total"]))
	if *screenshots {
		shot(t, ctx, "serve-build.png")
	}

	// Download the M3U8: the file the link gives is the server's download.
	href := eval(`document.getElementById("dl-m3u8").href`).(string)
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	do("downloading the M3U8", chromedp.Click(chromedp.ID("dl-m3u8")))
	var guid string
	for ev, err := range progress {
		if err != nil {
			t.Fatal(err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			guid = ev.GUID
			break
		}
	}
	got, err := os.ReadFile(filepath.Join(dir, guid))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	want.ReadFrom(resp.Body)
	resp.Body.Close()
	if !bytes.HasPrefix(got, []byte("#EXTM3U\n")) || !bytes.Equal(got, want.Bytes()) || bytes.Count(got, []byte("#EXTINF")) != 13 || !bytes.Contains(got, []byte("Daft Punk - One More Time")) {
		t.Errorf("downloaded M3U8 (%d bytes) is not the 13-song playlist the link serves:\n%.300s", len(got), got)
	}

	// An unknown seed shows the closest songs; picking one builds.
	eval(`state.seeds = [{id: "qqqq One More Time zzzz", label: "?"}], scheduleBuild(performance.now()), 0`)
	do("an unknown seed", chromedp.WaitVisible(chromedp.CSS("#build-error button")))
	if msg := text("#build-error"); !strings.Contains(msg, "no song matches") || !strings.Contains(msg, "One More Time") {
		t.Errorf("error box %q: want the closest songs", msg)
	}
	do("picking a closest song", chromedp.Click(chromedp.CSS("#build-error button")), chromedp.WaitNotVisible(chromedp.ID("build-error")))

	// Sort: upload a playlist file.
	file, err := filepath.Abs("testdata/post_teen_pop.csv")
	if err != nil {
		t.Fatal(err)
	}
	do("sorting a file", page("#sort"), chromedp.WaitVisible(chromedp.ID("drop")),
		chromedp.SetUploadFiles(chromedp.ID("sort-file"), []string{file}),
		chromedp.WaitVisible(chromedp.CSS("#sort-result tbody tr")))
	if n := eval(`document.querySelectorAll("#sort-result tbody tr").length`).(float64); n < 10 {
		t.Errorf("sorted %v songs, want the file's", n)
	}
	if *screenshots {
		shot(t, ctx, "serve-sort.png")
	}

	// Map: points drawn, a search shows a song's neighbours.
	do("opening the map", page("#map"),
		chromedp.Poll[chromedp.Void](`document.getElementById("map-status").textContent.includes("songs")`, patience))
	do("finding a song on the map", chromedp.SendKeys(chromedp.ID("map-search"), "daft punk one more"),
		chromedp.WaitVisible(chromedp.CSS("#map-suggestions li")), chromedp.Click(chromedp.CSS("#map-suggestions li")),
		chromedp.WaitVisible(chromedp.CSS("#neighbours li")))
	if n := eval(`document.querySelectorAll("#neighbours li").length`).(float64); n != 10 {
		t.Errorf("%v neighbours shown, want 10", n)
	}
	if *screenshots {
		shot(t, ctx, "serve-map.png")
	}
	do("the song2vec map", chromedp.SetValue(chromedp.ID("map-space"), "song2vec"),
		chromedp.Poll[chromedp.Void](`document.getElementById("map-status").textContent.includes("song2vec vectors")`, patience))
	if *screenshots {
		shot(t, ctx, "serve-map-song2vec.png")
	}
	do("the t-SNE map", chromedp.SetValue(chromedp.ID("map-space"), "tsne"),
		chromedp.Poll[chromedp.Void](`document.getElementById("map-status").textContent.includes("t-SNE map")`, patience))
	if *screenshots {
		shot(t, ctx, "serve-map-tsne.png")
	}

	// Eval: the report, then the sweep's recommendation and plots, when
	// computed (under -race on a shared machine that takes minutes: the
	// patience is long, and nothing is asserted about time).
	slow := chromedp.WithPollingTimeout(10 * time.Minute)
	do("opening eval", page("#eval"), chromedp.Poll[chromedp.Void](`document.getElementById("eval-status").textContent != ""`, patience))
	do("waiting for eval", chromedp.Poll[chromedp.Void](`document.getElementById("eval-table").textContent.length > 0`, slow))
	if s := text("#eval-table"); !strings.Contains(s, "Next-track ranking") {
		t.Errorf("eval table: %.200q", s)
	}
	do("waiting for the sweep's plots", chromedp.Poll[chromedp.Void](`[...document.querySelectorAll("#sweep-plots img")].some(i => i.complete && i.naturalWidth > 0)`, slow))
	if s := text("#sweep-recommended"); !strings.Contains(s, "Recommended (") && !strings.Contains(s, "No setting meets the goals") {
		t.Errorf("sweep recommendation: %q", s)
	}
	if s := text("#sweep-grid"); !strings.Contains(s, serveSweepGrid) {
		t.Errorf("the page names the grid %q, want %s", s, serveSweepGrid)
	}
	shown := eval(`document.querySelectorAll("#sweep-plots img").length`).(float64)
	broken := eval(`[...document.querySelectorAll("#sweep-plots img")].filter(i => i.complete && i.naturalWidth === 0).length`).(float64)
	if shown < 2 || broken > 0 {
		t.Errorf("%v sweep plots, %v of them broken", shown, broken)
	}
	if *screenshots {
		do("waiting for every plot", chromedp.Poll[chromedp.Void](`[...document.querySelectorAll("#sweep-plots img")].every(i => i.complete && i.naturalWidth > 0)`, slow))
		shot(t, ctx, "serve-eval.png")
	}
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// shot writes a screenshot of the page to testdata/readme/name.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "testdata", "readme", name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
}
