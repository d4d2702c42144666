package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/discoflow/disco/cmd/disco/web"
	"github.com/discoflow/disco/selector/app"
	"github.com/discoflow/disco/selector/export"
)

// TestServeDownloadsAreTheCLIs: a download from /api/build is the bytes
// disco build --format writes for the same request, and the page's JSON
// playlist is disco build --format json's.
func TestServeDownloadsAreTheCLIs(t *testing.T) {
	lib, err := app.Open(t.Context(), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A long deadline: under -race on a busy machine a build can outrun the default 10 s.
	ts := httptest.NewServer(web.New(t.Context(), lib, web.Options{Timeout: 3 * time.Minute}).Handler())
	defer ts.Close()
	for _, tc := range []struct {
		name  string
		flags []string
		query url.Values
	}{
		{"defaults", []string{"--seed", "Daft Punk - One More Time"}, url.Values{"seed": {"Daft Punk - One More Time"}}},
		{"knobs", []string{"--seed", "Adele - Hello", "--seed", "1pwE0jB6MTtTWx8fzqriAj", "--length", "20", "--sweetness", "2", "--belong", "0", "--spicyness", "3", "--candidates", "catalog", "--centre", "seeds"},
			url.Values{"seed": {"Adele - Hello", "1pwE0jB6MTtTWx8fzqriAj"}, "length": {"20"}, "sweetness": {"2"}, "belong": {"0"}, "spicyness": {"3"}, "source": {"catalog"}, "centre": {"seeds"}}},
		{"bridge", []string{"--from", "Daft Punk - One More Time", "--to", "Adele - Hello", "--length", "8"},
			url.Values{"from": {"Daft Punk - One More Time"}, "to": {"Adele - Hello"}, "length": {"8"}}},
		{"bridge with its defaults named", []string{"--from", "Daft Punk - One More Time", "--to", "Adele - Hello", "--length", "6", "--belong", "2", "--beam", "0", "--blend", "0.5"},
			url.Values{"from": {"Daft Punk - One More Time"}, "to": {"Adele - Hello"}, "length": {"6"}, "belong": {"2"}, "beam": {"0"}, "blend": {"0.5"}}},
		{"song2vec beam", []string{"--seed", "Daft Punk - One More Time", "--candidates", "song2vec", "--beam", "4", "--length", "8"},
			url.Values{"seed": {"Daft Punk - One More Time"}, "source": {"song2vec"}, "beam": {"4"}, "length": {"8"}}},
	} {
		for _, format := range []string{"m3u8", "xspf", "csv", "json"} {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				var cli bytes.Buffer
				if err := run(context.Background(), append([]string{"build", "--format", format}, tc.flags...), &cli, io.Discard); err != nil {
					t.Fatal(err)
				}
				q := url.Values{"format": {format}}
				for k, v := range tc.query {
					q[k] = v
				}
				resp, err := http.Get(ts.URL + "/api/build?" + q.Encode())
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || !bytes.Equal(got, cli.Bytes()) {
					t.Fatalf("%d: the download differs from disco build's output:\n%.300s\nwant\n%.300s", resp.StatusCode, got, cli.Bytes())
				}
				if format != "json" {
					return
				}
				delete(q, "format")
				resp, err = http.Get(ts.URL + "/api/build?" + q.Encode())
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				if resp.StatusCode != 200 {
					b, _ := io.ReadAll(resp.Body)
					t.Fatalf("the page's build: %d %s", resp.StatusCode, b)
				}
				var page web.BuildResponse
				if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
					t.Fatal(err)
				}
				var want []export.Entry
				if err := json.Unmarshal(cli.Bytes(), &want); err != nil {
					t.Fatal(err)
				}
				a, _ := json.Marshal(page.Playlist)
				b, _ := json.Marshal(want)
				if !bytes.Equal(a, b) {
					t.Errorf("the page's playlist is not disco build --format json's:\n%s\n%s", a, b)
				}
			})
		}
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeShutsDown starts disco serve on a free port, asks it for a
// page, and cancels it: it returns nil, having shut down. On an address
// that is not loopback it warns first.
func TestServeShutsDown(t *testing.T) {
	for _, tc := range []struct {
		addr string
		warn bool
	}{{"127.0.0.1:0", false}, {"0.0.0.0:0", true}} {
		t.Run(tc.addr, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var stderr syncBuffer
			done := make(chan error, 1)
			go func() { done <- run(ctx, []string{"serve", "--addr", tc.addr, "--no-eval"}, io.Discard, &stderr) }()
			re := regexp.MustCompile(`http://[^ ]+:(\d+)/`)
			var port string
			for port == "" {
				select {
				case err := <-done:
					t.Fatalf("serve returned early: %v\n%s", err, stderr.String())
				case <-time.After(20 * time.Millisecond):
					if m := re.FindStringSubmatch(stderr.String()); m != nil {
						port = m[1]
					}
				}
			}
			if warned := strings.Contains(stderr.String(), "is not a loopback address"); warned != tc.warn {
				t.Errorf("warned %v, want %v:\n%s", warned, tc.warn, stderr.String())
			}
			base := "http://127.0.0.1:" + port + "/"
			resp, err := http.Get(base + "api/info")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("info: %d", resp.StatusCode)
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("serve: %v", err)
			}
			if _, err := http.Get(base + "api/info"); err == nil {
				t.Error("the server still answers after shutting down")
			}
		})
	}
}

func TestServeUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string // on stderr
	}{
		{"bad addr", []string{"--addr", "nowhere"}, "--addr"},
		{"zero timeout", []string{"--timeout", "0s"}, "--timeout"},
		{"length too long", []string{"--max-length", "100000"}, "--max-length"},
		{"t-SNE of too few", []string{"--tsne-songs", "3"}, "--tsne-songs"},
		{"argument", []string{"extra"}, "unexpected arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			err := run(t.Context(), append([]string{"serve"}, tc.args...), io.Discard, &stderr)
			if !errors.Is(err, errUsage) {
				t.Fatalf("err %v, want a usage error", err)
			}
			if msg := err.Error() + stderr.String(); !strings.Contains(msg, tc.want) {
				t.Errorf("%q, want it to name %s", msg, tc.want)
			}
		})
	}
}

func TestLoopback(t *testing.T) {
	for host, want := range map[string]bool{"127.0.0.1": true, "localhost": true, "::1": true, "": false, "0.0.0.0": false, "192.168.1.2": false, "example.com": false} {
		if got := loopback(host); got != want {
			t.Errorf("loopback(%q) = %v, want %v", host, got, want)
		}
	}
}
