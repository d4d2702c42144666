// Command gencatalog writes the binary form (see internal/catbin) of a
// gzip-compressed tidy CSV catalog; go generate runs it in features/builtin:
//
//	go run ./internal/gencatalog -in catalog.csv.gz -out catalog.bin -name builtin:spotify_songs.csv
//
// The file records the SHA-256 of the CSV text, so that a test can tell
// when the CSV changed and the binary form was not rebuilt.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/discoflow/disco/features/tidycsv"
	"github.com/discoflow/disco/internal/catbin"
)

func main() {
	in := flag.String("in", "catalog.csv.gz", "the gzip-compressed CSV `file`")
	out := flag.String("out", "catalog.bin", "the binary `file` to write")
	name := flag.String("name", "", "the catalog's `name` in provenance (builtin.Name)")
	flag.Parse()
	if *name == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*in, *out, *name); err != nil {
		fmt.Fprintln(os.Stderr, "gencatalog:", err)
		os.Exit(1)
	}
}

func run(in, out, name string) error {
	gz, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	// Strict, as disco reads the embedded catalog: a malformed row is an
	// error here rather than a skipped row in every run.
	ds, err := tidycsv.Read(bytes.NewReader(text), name, tidycsv.Options{})
	if err != nil {
		return err
	}
	b, err := catbin.Encode(ds, sha256.Sum256(text))
	if err != nil {
		return err
	}
	return os.WriteFile(out, b, 0o644)
}
