package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/discoflow/disco/selector"
)

// BenchmarkBuildCommand times the whole of "disco build" in process: read
// the embedded catalog and model, resolve the seed, score every embedded
// track as a candidate for a 50-song playlist, and write the table.
func BenchmarkBuildCommand(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		err := run(context.Background(), []string{"build", "--seed", "Daft Punk - One More Time", "--pool", "all", "--length", "50"}, io.Discard, io.Discard)
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildDefaultCommand times the README's first command in
// process: a 13-song build from one seed with every default (the hybrid
// pool), the start-up issue 18 asks to bring near zero.
func BenchmarkBuildDefaultCommand(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if err := run(context.Background(), []string{"build", "--seed", "Daft Punk - One More Time"}, io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildBeamCommand is BenchmarkBuildCommand's build of 50 songs
// from the default (hybrid) pool, greedily and with a beam of 8.
func BenchmarkBuildBeamCommand(b *testing.B) {
	for _, beam := range []string{"0", "8"} {
		b.Run("beam="+beam, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				err := run(context.Background(), []string{"build", "--seed", "Daft Punk - One More Time", "--length", "50", "--beam", beam}, io.Discard, io.Discard)
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSortCommand times the whole of "disco sort" in process, at the
// default effort, of an id list of n embedded songs (every k-th song of
// the catalog with features, so spread over its genres).
func BenchmarkSortCommand(b *testing.B) {
	ds, err := openCatalog("", false)
	if err != nil {
		b.Fatal(err)
	}
	tracks := ds.Catalog.WithFeatures()
	for _, n := range []int{100, 500} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			var ids strings.Builder
			seen := map[string]bool{}
			for i := 0; len(seen) < n; i += len(tracks) / (2 * n) {
				t := tracks[i%len(tracks)]
				if k := selector.RecordingKey(t); !seen[k] {
					seen[k] = true
					fmt.Fprintln(&ids, t.ID)
				}
			}
			in := filepath.Join(b.TempDir(), "ids.txt")
			if err := os.WriteFile(in, []byte(ids.String()), 0o644); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := run(context.Background(), []string{"sort", "--in", in}, io.Discard, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStartup is what every command above pays first: the embedded
// catalog and model read.
func BenchmarkStartup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := openCatalog("", false); err != nil {
			b.Fatal(err)
		}
		if _, err := openModel(""); err != nil {
			b.Fatal(err)
		}
	}
}
