package main

import (
	"context"
	"io"
	"testing"
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
