package song2vec

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// A Corpus is a collection of playlists that can be read more than once:
// Train reads it once to count tracks and once per epoch to learn.
//
// Each calls fn with every playlist in order and returns the first error fn
// returns, or an error of its own (reading a file, say). fn must not keep or
// modify the slice it is given: implementations may reuse it for the next
// playlist. Each must yield the same playlists in the same order every time
// it is called; otherwise training is still valid but no longer repeatable.
//
// A Corpus streams: nothing requires it to hold its playlists in memory, so
// readers of large files (the Million Playlist Dataset, say) implement it by
// decoding one playlist at a time.
type Corpus interface {
	Each(fn func(playlist []string) error) error
}

// Playlists is an in-memory Corpus: one slice of track ids per playlist.
type Playlists [][]string

// Each calls fn with each playlist in order and stops at the first error.
func (p Playlists) Each(fn func(playlist []string) error) error {
	for _, pl := range p {
		if err := fn(pl); err != nil {
			return err
		}
	}
	return nil
}

// TextFile is a Corpus read from a text file with one playlist per line,
// its track ids separated by spaces or tabs (the format of word2vec's and
// gensim's LineSentence input). Blank lines are skipped. The file is gzip
// decompressed when it starts with gzip's magic bytes, whatever its name.
// The file is opened anew on every call to Each.
type TextFile string

// maxLine bounds the length of one playlist line in a TextFile.
const maxLine = 64 << 20

// Each streams the playlists of the file to fn.
func (f TextFile) Each(fn func(playlist []string) error) error {
	file, err := os.Open(string(f))
	if err != nil {
		return fmt.Errorf("song2vec: %w", err)
	}
	defer file.Close()
	if err := readLines(file, fn); err != nil {
		return fmt.Errorf("song2vec: reading %s: %w", string(f), err)
	}
	return nil
}

// ReadPlaylists reads playlists in TextFile's format (gzip or plain) from r.
func ReadPlaylists(r io.Reader) (Playlists, error) {
	var out Playlists
	err := readLines(r, func(pl []string) error {
		out = append(out, append([]string(nil), pl...))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("song2vec: %w", err)
	}
	return out, nil
}

// WritePlaylists writes c to w in TextFile's format (uncompressed). A
// playlist that is empty, or whose ids contain a space, tab, carriage
// return or newline, cannot be represented and is an error.
func WritePlaylists(w io.Writer, c Corpus) error {
	bw := bufio.NewWriter(w)
	n := 0
	err := c.Each(func(pl []string) error {
		n++
		if len(pl) == 0 {
			return fmt.Errorf("song2vec: playlist %d is empty", n)
		}
		for i, id := range pl {
			if id == "" || strings.ContainsAny(id, " \t\r\n") {
				return fmt.Errorf("song2vec: playlist %d: track id %q is empty or holds white space", n, id)
			}
			if i > 0 {
				bw.WriteByte(' ')
			}
			bw.WriteString(id)
		}
		return bw.WriteByte('\n')
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

// readLines decodes the playlist-per-line format, gunzipping if needed. The
// slice passed to fn is reused between lines.
func readLines(r io.Reader, fn func([]string) error) error {
	br := bufio.NewReaderSize(r, 1<<16)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return err
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 1<<16)
	}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 1<<16), maxLine)
	var pl []string
	line := 0
	for sc.Scan() {
		line++
		pl = pl[:0]
		for _, tok := range bytes.FieldsFunc(sc.Bytes(), isSep) {
			pl = append(pl, string(tok))
		}
		if len(pl) == 0 {
			continue
		}
		if err := fn(pl); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("line %d: longer than %d bytes", line+1, maxLine)
		}
		return fmt.Errorf("line %d: %w", line+1, err)
	}
	return nil
}

func isSep(r rune) bool { return r == ' ' || r == '\t' || r == '\r' }
