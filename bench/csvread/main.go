// Command csvread measures disco's reader of audio-feature CSV tables
// (features/tidycsv) for bench.sh, and generates large tables in the same
// layout.
//
// Usage:
//
//	csvread [-n runs] file.csv               read file.csv runs times; print best and median wall time and CPU per run
//	csvread -gen rows -o out.csv template.csv write rows rows made from template.csv's (see generate)
package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/discoflow/disco/features/tidycsv"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "csvread:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("csvread", flag.ContinueOnError)
	runs := fs.Int("n", 10, "number of reads")
	gen := fs.Int("gen", 0, "generate this many rows from the template instead of reading")
	out := fs.String("o", "", "output file of -gen")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("want one file")
	}
	path := fs.Arg(0)
	if *gen > 0 {
		return generate(path, *out, *gen)
	}

	var walls, cpus []time.Duration
	var tracks, playlists, rows int
	for range *runs {
		c0, t0 := cpuTime(), time.Now()
		ds, err := tidycsv.ReadFile(path, tidycsv.Options{})
		if err != nil {
			return err
		}
		walls = append(walls, time.Since(t0))
		cpus = append(cpus, cpuTime()-c0)
		rows, tracks, playlists = ds.Report.Rows, ds.Report.Tracks, len(ds.Playlists)
	}
	slices.Sort(walls)
	slices.Sort(cpus)
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	fmt.Fprintf(stdout, "disco tidycsv: %d rows, %d tracks, %d playlists: best %.1f ms, median %.1f ms wall; median %.1f ms CPU; over %d runs\n",
		rows, tracks, playlists, ms(walls[0]), ms(walls[len(walls)/2]), ms(cpus[len(cpus)/2]), *runs)
	return nil
}

// generate writes n rows made from the template table's: its rows over and
// over, in order, where the c-th copy gets its own track and playlist ids
// (their last four characters replaced by c in base 62), so that every copy
// adds new tracks and playlists as a larger real table would.
func generate(template, out string, n int) error {
	raw, err := os.ReadFile(template)
	if err != nil {
		return err
	}
	all, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		return err
	}
	header, rows := all[0], all[1:]
	var ids []int
	for i, h := range header {
		if h == "track_id" || h == "playlist_id" {
			ids = append(ids, i)
		}
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(f)
	cw.Write(header)
	rec := make([]string, len(header))
	for i := range n {
		c := i / len(rows)
		copy(rec, rows[i%len(rows)])
		if c > 0 {
			for _, j := range ids {
				rec[j] = rec[j][:len(rec[j])-4] + base62(c)
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
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
