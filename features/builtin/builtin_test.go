package builtin

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"
)

func TestOpenIsTheCatalog(t *testing.T) {
	r, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(catalogGz))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := io.ReadAll(zr)
	if !bytes.Equal(got, want) {
		t.Fatalf("Open gave %d bytes, the gzip stream holds %d", len(got), len(want))
	}
	if !bytes.HasPrefix(got, []byte("track_id,track_name,track_artist,")) || bytes.Count(got, []byte("\n")) < 29_501 {
		t.Errorf("not the TidyTuesday catalog: starts %q, %d lines", got[:40], bytes.Count(got, []byte("\n")))
	}
}
