package features

import (
	"bufio"
	"fmt"
	"io"
)

// MaxLine is the longest line, CSV record or JSON token any reader of
// disco accepts: 1 MiB. Real lines are under 2 KB; a longer one means a
// file that is not text (a disk image, /dev/zero), and reading it whole
// could exhaust memory.
const MaxLine = 1 << 20

// ErrLineTooLong is the Err of the *ParseError for a line, record or token
// longer than MaxLine. It is never skipped (--skip-bad), since the reader
// cannot know where the line would end.
var ErrLineTooLong = fmt.Errorf("line longer than %d MiB: not a text file?", MaxLine>>20)

// MaxRows is the most data rows one table or id list may hold: ten
// million, about four times the largest public catalog with audio
// features (the 2.3M-song and 1.2M-song Kaggle exports). Formats without
// a natural end (CSV, id lists, standard input) stop there with
// ErrTooManyRows instead of filling the memory. A variable so that tests
// can lower it.
var MaxRows = 10_000_000

// ErrTooManyRows is the Err of the *ParseError for the row past MaxRows.
var ErrTooManyRows = fmt.Errorf("more than %d rows: split the file, or it is not a table", MaxRows)

// ReadLine returns the next line of br, its '\n' included (none at the end
// of the input), as a slice of br's buffer or, for a line longer than the
// buffer, of *long, which it reuses. A line longer than MaxLine is
// ErrLineTooLong, after at most MaxLine bytes were held. At the end of the
// input it returns the last bytes with a nil error, then io.EOF.
func ReadLine(br *bufio.Reader, long *[]byte) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		*long = append((*long)[:0], line...)
		for err == bufio.ErrBufferFull {
			if len(*long) > MaxLine {
				return nil, ErrLineTooLong
			}
			line, err = br.ReadSlice('\n')
			*long = append(*long, line...)
		}
		line = *long
		if len(line) > MaxLine+1 || (len(line) == MaxLine+1 && line[MaxLine] != '\n') {
			return nil, ErrLineTooLong
		}
	}
	if len(line) > 0 && err == io.EOF {
		err = nil
	}
	return line, err
}
