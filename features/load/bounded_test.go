package load

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/internal/badinput"
)

// endlessCases are inputs of every format whose line or token never ends
// (issue 16, item 3), and the line the error must name (0: an MPD byte
// offset instead).
var endlessCases = []struct {
	name   string
	prefix string
	fill   byte
	line   int
}{
	{"zeros (id list)", "", 0, 1},
	{"tidy CSV row", "track_id,tempo\n", 'a', 2},
	{"tidy CSV quoted field over lines", "track_id,tempo\n\"", '\n', 2},
	{"Exportify row", "Track URI,Track Name\n", '7', 2},
	{"id list after a good line", "spotify:track:4uLU6hMCjMI75M1A2tKUQC\n", 'x', 2},
	{"MPD string", `{"playlists": [{"name": "`, 'a', 0},
	{"MPD number", `{"playlists": [{"pid": `, '1', 0},
}

func TestEndlessLine(t *testing.T) {
	for _, c := range endlessCases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			alloc := badinput.Allocated(func() {
				_, err = Read(badinput.Endless(c.prefix, c.fill, 64<<20), "bad.csv", Options{SkipBad: true})
			})
			if !errors.Is(err, features.ErrLineTooLong) {
				t.Fatalf("error %v, want ErrLineTooLong", err)
			}
			if !strings.Contains(err.Error(), "bad.csv") {
				t.Errorf("error %q does not name the file", err)
			}
			var pe *features.ParseError
			if c.line > 0 && (!errors.As(err, &pe) || pe.Line != c.line) {
				t.Errorf("error %v, want a *features.ParseError on line %d", err, c.line)
			}
			if alloc > 16<<20 {
				t.Errorf("reading allocated %d MiB, want at most 16 (the cap is 1 MiB a line)", alloc>>20)
			}
		})
	}
}

// BenchmarkEndlessLine reads a 200 MB line without a newline in each format
// and reports the memory allocated (an upper bound of the peak): the cap
// must keep it at most 100 MB (issue 16: the figure in the README).
func BenchmarkEndlessLine(b *testing.B) {
	for _, c := range endlessCases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var peak uint64
			for range b.N {
				peak = max(peak, badinput.Allocated(func() {
					if _, err := Read(badinput.Endless(c.prefix, c.fill, 200e6), "bad", Options{}); !errors.Is(err, features.ErrLineTooLong) {
						b.Fatal(err)
					}
				}))
			}
			b.ReportMetric(float64(peak)/1e6, "MB-alloc")
		})
	}
}

// FuzzRead feeds the format-sniffing reader anything: it never panics; it
// either reads a dataset whose report counts its catalog, or fails with
// an error naming the file (issue 16, item 10). The seeds are in
// testdata/fuzz/FuzzRead and in f.Add below; CI runs them with go test.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"", "\n", "track_id,tempo\n4uLU6hMCjMI75M1A2tKUQC,NaN\n", "Track URI,Track Name\nspotify:track:4uLU6hMCjMI75M1A2tKUQC,A\n",
		`{"playlists": [{"name": "x", "pid": 1, "tracks": []}]}`, "#EXTM3U\n#EXTINF:1,A - B\n4uLU6hMCjMI75M1A2tKUQC\n",
		"\x1f\x8b", "\xff\xfe\x00", `"unclosed` + "\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := Read(bytes.NewReader(data), "fuzz.in", Options{SkipBad: len(data)%2 == 0})
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.in") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if ds.Report.Tracks != ds.Catalog.Len() {
			t.Fatalf("report says %d tracks, catalog holds %d", ds.Report.Tracks, ds.Catalog.Len())
		}
	})
}

// TestTooManyRows: a table or id list past features.MaxRows (lowered
// here) stops at the row past the cap, naming its line, even with
// SkipBad; a file at the cap reads.
func TestTooManyRows(t *testing.T) {
	defer func(n int) { features.MaxRows = n }(features.MaxRows)
	features.MaxRows = 3
	const id = "spotify:track:4uLU6hMCjMI75M1A2tKUQC\n"
	for _, c := range []struct {
		name, header, row string
		line              int // of the row past the cap
	}{
		{"tidy CSV", "track_id,track_name,tempo\n", "4uLU6hMCjMI75M1A2tKUQC,A,120\n", 5},
		{"id list", "", id, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			at := c.header + strings.Repeat(c.row, 3)
			if _, err := Read(strings.NewReader(at), "ok.csv", Options{}); err != nil {
				t.Fatalf("%d rows: %v", 3, err)
			}
			_, err := Read(strings.NewReader(at+c.row+c.row), "big.csv", Options{SkipBad: true})
			var pe *features.ParseError
			if !errors.Is(err, features.ErrTooManyRows) || !errors.As(err, &pe) || pe.File != "big.csv" || pe.Line != c.line {
				t.Fatalf("error %v, want ErrTooManyRows at big.csv:%d", err, c.line)
			}
		})
	}
}
