package tidycsv

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/discoflow/disco/features/builtin"
)

func builtinBytes(b *testing.B) []byte {
	r, err := builtin.Open()
	if err != nil {
		b.Fatal(err)
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

// generate writes n rows in the layout of the template table tmpl (a whole
// spotify_songs.csv-like file): copies of its rows in order, where copy c
// gets its own track and playlist ids (the last four characters replaced by
// c in base 62), so each copy adds new tracks and playlists. It is the
// generator of bench/csvread, which cannot be imported from here.
func generate(w io.Writer, tmpl []byte, n int) error {
	all, err := csv.NewReader(bytes.NewReader(tmpl)).ReadAll()
	if err != nil {
		return err
	}
	header, rows := all[0], all[1:]
	ids := []int{}
	for i, h := range header {
		if h == "track_id" || h == "playlist_id" {
			ids = append(ids, i)
		}
	}
	cw := csv.NewWriter(w)
	cw.Write(header)
	rec := make([]string, len(header))
	for i := range n {
		c := i / len(rows)
		copy(rec, rows[i%len(rows)])
		if c > 0 {
			suffix := base62(c)
			for _, j := range ids {
				rec[j] = rec[j][:len(rec[j])-4] + suffix
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

func base62(c int) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := []byte("0000")
	for i := 3; i >= 0; i-- {
		b[i] = digits[c%62]
		c /= 62
	}
	return string(b)
}

func BenchmarkRead(b *testing.B) {
	raw := builtinBytes(b)
	b.Run("spotify_songs", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			ds, err := Read(bytes.NewReader(raw), "spotify_songs.csv", Options{})
			if err != nil || ds.Report.Rows != 29500 {
				b.Fatal(err)
			}
		}
	})
	b.Run("1M", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "1M.csv")
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := generate(f, raw, 1_000_000); err != nil {
			b.Fatal(err)
		}
		f.Close()
		st, _ := os.Stat(path)
		b.SetBytes(st.Size())
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			ds, err := ReadFile(path, Options{})
			if err != nil || ds.Report.Rows != 1_000_000 {
				b.Fatal(err)
			}
			b.ReportMetric(float64(ds.Report.Tracks), "tracks")
		}
	})
}
