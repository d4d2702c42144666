package features

import (
	"bufio"
	"io"
	"strings"
	"testing"
)

// TestReadLineCap: lines up to MaxLine bytes (newline not counted) are
// read whole, one byte more is ErrLineTooLong, with or without a newline.
func TestReadLineCap(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		want int // length of the first line returned; -1 for ErrLineTooLong
	}{
		{"short", "abc\nd", 4},
		{"MaxLine and newline", strings.Repeat("a", MaxLine) + "\nx", MaxLine + 1},
		{"MaxLine at the end", strings.Repeat("a", MaxLine), MaxLine},
		{"one byte more", strings.Repeat("a", MaxLine+1) + "\n", -1},
		{"one byte more at the end", strings.Repeat("a", MaxLine+1), -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			br := bufio.NewReaderSize(strings.NewReader(c.in), 64<<10)
			var long []byte
			line, err := ReadLine(br, &long)
			if c.want < 0 {
				if err != ErrLineTooLong {
					t.Fatalf("got %d bytes, %v; want ErrLineTooLong", len(line), err)
				}
				return
			}
			if err != nil || len(line) != c.want {
				t.Fatalf("got %d bytes, %v; want %d", len(line), err, c.want)
			}
			for err == nil {
				_, err = ReadLine(br, &long)
			}
			if err != io.EOF {
				t.Errorf("then %v, want io.EOF", err)
			}
		})
	}
}
