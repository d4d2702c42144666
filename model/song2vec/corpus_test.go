package song2vec

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func collect(t *testing.T, c Corpus) Playlists {
	t.Helper()
	var out Playlists
	if err := c.Each(func(pl []string) error {
		out = append(out, slices.Clone(pl))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestTextFile(t *testing.T) {
	want := Playlists{{"a", "b", "c"}, {"spotify:track:x"}, {"d", "e"}}
	text := "a b c\n\nspotify:track:x\r\n  d\te  \n"
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.txt")
	os.WriteFile(plain, []byte(text), 0o644)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(text))
	zw.Close()
	zipped := filepath.Join(dir, "no-suffix") // detected by content, not name
	os.WriteFile(zipped, gz.Bytes(), 0o644)
	for _, path := range []string{plain, zipped} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			c := TextFile(path)
			for pass := range 2 { // a Corpus reads more than once
				if got := collect(t, c); !slices.EqualFunc(got, want, slices.Equal) {
					t.Errorf("pass %d: %q, want %q", pass, got, want)
				}
			}
		})
	}
	if err := TextFile(filepath.Join(dir, "missing")).Each(func([]string) error { return nil }); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "bad.gz"), []byte{0x1f, 0x8b, 1, 2, 3}, 0o644)
	if err := TextFile(filepath.Join(dir, "bad.gz")).Each(func([]string) error { return nil }); err == nil || !strings.HasPrefix(err.Error(), "song2vec: ") {
		t.Errorf("corrupt gzip: %v", err)
	}
}

func TestEachStops(t *testing.T) {
	stop := errors.New("stop")
	dir := t.TempDir()
	path := filepath.Join(dir, "c.txt")
	os.WriteFile(path, []byte("a\nb\nc\n"), 0o644)
	for _, c := range []Corpus{Playlists{{"a"}, {"b"}, {"c"}}, TextFile(path)} {
		n := 0
		err := c.Each(func([]string) error {
			n++
			if n == 2 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || n != 2 {
			t.Errorf("%T: error %v after %d playlists, want stop after 2", c, err, n)
		}
	}
}

func TestPlaylistsRoundTrip(t *testing.T) {
	pls := Playlists{{"a", "b"}, {"c"}}
	var buf bytes.Buffer
	if err := WritePlaylists(&buf, pls); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "a b\nc\n" {
		t.Errorf("wrote %q", buf.String())
	}
	got, err := ReadPlaylists(&buf)
	if err != nil || !slices.EqualFunc(got, pls, slices.Equal) {
		t.Errorf("read back %q, %v", got, err)
	}
	for _, bad := range []Playlists{{{}}, {{"a b"}}, {{""}}, {{"a\n"}}} {
		if err := WritePlaylists(&buf, bad); err == nil {
			t.Errorf("WritePlaylists(%q) succeeded", bad)
		}
	}
}

// TestCommittedCorpus checks the playlists the quality test uses.
func TestCommittedCorpus(t *testing.T) {
	train := readPlaylists(t, "testdata/train.txt.gz", "")
	heldout := readPlaylists(t, "testdata/heldout.txt.gz", "")
	if len(train) != 338 || len(heldout) != 85 {
		t.Errorf("%d train and %d held-out playlists, want 338 and 85", len(train), len(heldout))
	}
	n := 0
	for _, pl := range append(train, heldout...) {
		n += len(pl)
	}
	if n != 23280+5606 {
		t.Errorf("%d track occurrences, want %d", n, 23280+5606)
	}
}
