package song2vec

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
)

// Format is a word2vec file format.
type Format int

const (
	// Text is word2vec's text format: a header line "N D", then one line per
	// word: the word and D decimal numbers, separated by single spaces.
	Text Format = iota + 1
	// Binary is word2vec's binary format: a header line "N D", then per word
	// the word's bytes, a space, D little-endian IEEE 754 float32s and
	// (optionally, when reading) a newline, as written by the original C
	// tool and by gensim's save_word2vec_format(binary=True).
	Binary
)

func (f Format) String() string {
	switch f {
	case Text:
		return "text"
	case Binary:
		return "binary"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// Limits the readers enforce, so that a corrupt header cannot make them
// allocate without bound.
const (
	MaxDim     = 1 << 16 // largest dimension accepted
	MaxWordLen = 1 << 16 // longest word, in bytes, accepted in binary files
)

// FormatError describes a malformed or truncated vectors file.
type FormatError struct {
	Format Format
	Line   int   // 1-based line of a text file (the header is line 1); 0 in binary records
	Record int   // 1-based vector record; 0 for the header
	Offset int64 // byte offset of the record's start in a binary file
	Err    error // what went wrong; io.ErrUnexpectedEOF when the file ends early
}

func (e *FormatError) Error() string {
	switch {
	case e.Record == 0:
		return fmt.Sprintf("song2vec: %s vectors header: %v", e.Format, e.Err)
	case e.Format == Text:
		return fmt.Sprintf("song2vec: text vectors line %d (vector %d): %v", e.Line, e.Record, e.Err)
	default:
		return fmt.Sprintf("song2vec: binary vectors record %d (byte %d): %v", e.Record, e.Offset, e.Err)
	}
}

func (e *FormatError) Unwrap() error { return e.Err }

// truncated is the error of a file that ends before its header's count.
func truncated(got, want int) error {
	return fmt.Errorf("file ends after %d of %d vectors: %w", got, want, io.ErrUnexpectedEOF)
}

// parseHeader parses "N D".
func parseHeader(line []byte) (n, dim int, err error) {
	f := bytes.Fields(line)
	if len(f) != 2 {
		return 0, 0, fmt.Errorf("want \"count dimension\", found %q", clip(line))
	}
	n64, err1 := strconv.ParseInt(string(f[0]), 10, 64)
	d64, err2 := strconv.ParseInt(string(f[1]), 10, 64)
	switch {
	case err1 != nil || n64 < 0:
		return 0, 0, fmt.Errorf("bad vector count %q", clip(f[0]))
	case err2 != nil || d64 < 1 || d64 > MaxDim:
		return 0, 0, fmt.Errorf("bad dimension %q (want 1 to %d)", clip(f[1]), MaxDim)
	case n64 > math.MaxInt64/8/d64:
		return 0, 0, fmt.Errorf("vector count %d too large", n64)
	}
	return int(n64), int(d64), nil
}

// clip shortens b for an error message.
func clip(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "..."
	}
	return string(b)
}

// builder accumulates rows, checking words and values as they come.
type builder struct {
	dim   int
	want  int
	words []string
	data  []float64
	index map[string]int
}

func newBuilder(n, dim int) *builder {
	// Trust the header only so far: a lying header must not allocate gigabytes.
	capRows := min(n, 1<<16)
	return &builder{
		dim: dim, want: n,
		words: make([]string, 0, capRows),
		data:  make([]float64, 0, capRows*dim),
		index: make(map[string]int, capRows),
	}
}

func (b *builder) addWord(w string) error {
	if j, dup := b.index[w]; dup {
		return fmt.Errorf("word %q already at vector %d", clip([]byte(w)), j+1)
	}
	b.index[w] = len(b.words)
	b.words = append(b.words, w)
	return nil
}

func (b *builder) vectors() *Vectors {
	v := &Vectors{Words: b.words, Dim: b.dim, Data: b.data, index: b.index, search: &searchIndex{}}
	v.invNorm = invNorms(b.data, b.dim, len(b.words))
	return v
}

// ReadText reads vectors in Text format. Lines may end in "\r\n" and may
// carry trailing spaces (the C tool writes one); every line, the last too,
// must end in a newline, as the C tool and gensim write them, so that a
// file cut inside a number is an error rather than a wrong value. Blank
// lines after the last vector are ignored; anything else after it is an
// error. Errors are *FormatError with the line number, wrapping
// io.ErrUnexpectedEOF when the file ends early.
func ReadText(r io.Reader) (*Vectors, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	line, err := readLine(br)
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, &FormatError{Format: Text, Line: 1, Err: err}
	}
	n, dim, err := parseHeader(line)
	if err != nil {
		return nil, &FormatError{Format: Text, Line: 1, Err: err}
	}
	b := newBuilder(n, dim)
	fields := make([][]byte, 0, dim+1)
	for rec := 1; rec <= n; rec++ {
		fail := func(err error) error { return &FormatError{Format: Text, Line: rec + 1, Record: rec, Err: err} }
		line, err := readLine(br)
		if err == io.EOF {
			return nil, fail(truncated(rec-1, n))
		}
		if err != nil {
			return nil, fail(err)
		}
		fields = splitSpaces(fields[:0], line)
		if len(fields) != dim+1 {
			if len(fields) == 0 {
				return nil, fail(errors.New("blank line"))
			}
			return nil, fail(fmt.Errorf("want a word and %d values, found %d fields", dim, len(fields)))
		}
		if err := b.addWord(string(fields[0])); err != nil {
			return nil, fail(err)
		}
		for j, f := range fields[1:] {
			x, err := strconv.ParseFloat(string(f), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fail(fmt.Errorf("value %d %q is not a finite number", j+1, clip(f)))
			}
			b.data = append(b.data, x)
		}
	}
	for extra := n + 2; ; extra++ {
		line, err := readLine(br)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &FormatError{Format: Text, Line: extra, Record: n + 1, Err: err}
		}
		if len(bytes.TrimSpace(line)) != 0 {
			return nil, &FormatError{Format: Text, Line: extra, Record: n + 1, Err: fmt.Errorf("data after the %d vectors the header announces", n)}
		}
	}
	return b.vectors(), nil
}

// errNoNewline reports a last line without its newline: most likely a
// file cut short, perhaps in the middle of a number.
var errNoNewline = fmt.Errorf("last line has no newline (file cut short?): %w", io.ErrUnexpectedEOF)

// readLine returns the next line without its "\n" or "\r\n". It returns
// io.EOF only when no bytes are left, and errNoNewline for a last line
// without a newline.
func readLine(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		long := append([]byte(nil), line...)
		for err == bufio.ErrBufferFull {
			if len(long) > 64<<20 {
				return nil, errors.New("line longer than 64 MiB")
			}
			line, err = br.ReadSlice('\n')
			long = append(long, line...)
		}
		line = long
	}
	if err == io.EOF && len(line) > 0 {
		err = errNoNewline
	}
	if err != nil {
		return nil, err
	}
	line = bytes.TrimSuffix(line, []byte{'\n'})
	line = bytes.TrimSuffix(line, []byte{'\r'})
	return line, nil
}

// splitSpaces appends the space- or tab-separated fields of line to dst.
func splitSpaces(dst [][]byte, line []byte) [][]byte {
	for i := 0; i < len(line); {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		j := i
		for j < len(line) && line[j] != ' ' && line[j] != '\t' {
			j++
		}
		if j > i {
			dst = append(dst, line[i:j])
		}
		i = j
	}
	return dst
}

// ReadBinary reads vectors in Binary format. Newlines before a word are
// skipped, so files with (the C tool's) or without (gensim 4's) a newline
// after each vector both read; bytes other than newlines after the last
// vector are an error. Errors are *FormatError with the record number and
// its byte offset.
func ReadBinary(r io.Reader) (*Vectors, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	header, err := br.ReadSlice('\n')
	if err != nil {
		switch err {
		case io.EOF:
			err = io.ErrUnexpectedEOF
		case bufio.ErrBufferFull:
			err = errors.New("no newline in the first 64 KiB")
		}
		return nil, &FormatError{Format: Binary, Err: err}
	}
	n, dim, err := parseHeader(header)
	if err != nil {
		return nil, &FormatError{Format: Binary, Err: err}
	}
	b := newBuilder(n, dim)
	off := int64(len(header))
	raw := make([]byte, 4*dim)
	var word []byte
	for rec := 1; rec <= n; rec++ {
		start := off
		fail := func(err error) error { return &FormatError{Format: Binary, Record: rec, Offset: start, Err: err} }
		// Skip newlines before the word.
		for {
			c, err := br.ReadByte()
			if err == io.EOF {
				return nil, fail(truncated(rec-1, n))
			}
			if err != nil {
				return nil, fail(err)
			}
			off++
			if c != '\n' {
				br.UnreadByte()
				off--
				start = off
				break
			}
		}
		word = word[:0]
		for {
			c, err := br.ReadByte()
			if err == io.EOF {
				return nil, fail(fmt.Errorf("file ends inside a word: %w", io.ErrUnexpectedEOF))
			}
			if err != nil {
				return nil, fail(err)
			}
			off++
			if c == ' ' {
				break
			}
			if c == '\n' {
				return nil, fail(fmt.Errorf("newline inside word %q (not a binary vectors file?)", clip(word)))
			}
			if len(word) == MaxWordLen {
				return nil, fail(fmt.Errorf("word longer than %d bytes (not a binary vectors file?)", MaxWordLen))
			}
			word = append(word, c)
		}
		if len(word) == 0 {
			return nil, fail(errors.New("empty word"))
		}
		if err := b.addWord(string(word)); err != nil {
			return nil, fail(err)
		}
		if k, err := io.ReadFull(br, raw); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				err = fmt.Errorf("file ends after %d of %d bytes of word %q's vector: %w", k, len(raw), clip(word), io.ErrUnexpectedEOF)
			}
			return nil, fail(err)
		}
		off += int64(len(raw))
		for j := range dim {
			x := float64(math.Float32frombits(binary.LittleEndian.Uint32(raw[4*j:])))
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fail(fmt.Errorf("value %d of word %q is not a finite number", j+1, clip(word)))
			}
			b.data = append(b.data, x)
		}
	}
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &FormatError{Format: Binary, Record: n + 1, Offset: off, Err: err}
		}
		if c != '\n' {
			return nil, &FormatError{Format: Binary, Record: n + 1, Offset: off, Err: fmt.Errorf("data after the %d vectors the header announces", n)}
		}
		off++
	}
	return b.vectors(), nil
}

// Read reads vectors in either format, telling them apart by the first
// vector: in a text file the bytes after the first word are digits, signs,
// points, exponents and spaces, which a float32 of an embedding (whose
// exponent byte is not printable) never is.
func Read(r io.Reader) (*Vectors, Format, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	f := sniff(br)
	var v *Vectors
	var err error
	if f == Binary {
		v, err = ReadBinary(br)
	} else {
		v, err = ReadText(br)
	}
	return v, f, err
}

// sniff guesses the format from the buffered start of the file.
func sniff(br *bufio.Reader) Format {
	head, _ := br.Peek(br.Size())
	nl := bytes.IndexByte(head, '\n')
	if nl < 0 {
		return Text
	}
	_, dim, err := parseHeader(head[:nl])
	if err != nil {
		return Text
	}
	rest := bytes.TrimLeft(head[nl+1:], "\n")
	sp := bytes.IndexByte(rest, ' ')
	if sp < 0 {
		return Text
	}
	vals := rest[sp+1:]
	vals = vals[:min(len(vals), 4*dim)]
	for _, c := range vals {
		if !bytes.ContainsRune([]byte("0123456789+-.eE \t\r\nnaNIifty"), rune(c)) {
			return Binary
		}
	}
	return Text
}

// ReadFile reads a vectors file in either format, gzip-compressed or not.
func ReadFile(path string) (*Vectors, Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("song2vec: %w", err)
	}
	defer f.Close()
	var r io.Reader = bufio.NewReaderSize(f, 1<<16)
	if magic, _ := r.(*bufio.Reader).Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, 0, fmt.Errorf("song2vec: %s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	v, format, err := Read(r)
	if err != nil {
		return nil, format, fmt.Errorf("%s: %w", path, err)
	}
	return v, format, nil
}

// checkWords reports a word that cannot be written: empty, or holding a
// space or newline (or, for text, a tab or carriage return).
func checkWords(v *Vectors, f Format) error {
	if v.Dim < 1 || len(v.Data) != len(v.Words)*v.Dim {
		return fmt.Errorf("song2vec: %d values for %d words of dimension %d", len(v.Data), len(v.Words), v.Dim)
	}
	bad := " \n"
	if f == Text {
		bad = " \t\r\n"
	}
	for i, w := range v.Words {
		if w == "" || bytes.ContainsAny([]byte(w), bad) {
			return fmt.Errorf("song2vec: word %d %q cannot be written in %s format", i+1, w, f)
		}
	}
	return nil
}

// WriteText writes v in Text format, each value in the shortest decimal
// form that reads back to the same float64, so that ReadText(WriteText(v))
// reproduces v exactly.
func WriteText(w io.Writer, v *Vectors) error {
	if err := checkWords(v, Text); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "%d %d\n", len(v.Words), v.Dim)
	buf := make([]byte, 0, 32*v.Dim)
	for i, word := range v.Words {
		buf = append(buf[:0], word...)
		for _, x := range v.Data[i*v.Dim : (i+1)*v.Dim] {
			buf = append(buf, ' ')
			buf = strconv.AppendFloat(buf, x, 'g', -1, 64)
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return fmt.Errorf("song2vec: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("song2vec: %w", err)
	}
	return nil
}

// WriteBinary writes v in Binary format with a newline after each vector,
// as the C tool does. Values are rounded to float32; a value beyond
// float32's range is an error.
func WriteBinary(w io.Writer, v *Vectors) error {
	if err := checkWords(v, Binary); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "%d %d\n", len(v.Words), v.Dim)
	buf := make([]byte, 0, 4*v.Dim+1)
	for i, word := range v.Words {
		bw.WriteString(word)
		bw.WriteByte(' ')
		buf = buf[:0]
		for _, x := range v.Data[i*v.Dim : (i+1)*v.Dim] {
			f := float32(x)
			if math.IsInf(float64(f), 0) || math.IsNaN(x) {
				return fmt.Errorf("song2vec: word %q: value %v does not fit a float32", word, x)
			}
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(f))
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return fmt.Errorf("song2vec: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("song2vec: %w", err)
	}
	return nil
}

// Write writes v in format f.
func Write(w io.Writer, v *Vectors, f Format) error {
	switch f {
	case Text:
		return WriteText(w, v)
	case Binary:
		return WriteBinary(w, v)
	}
	return fmt.Errorf("song2vec: unknown format %v", f)
}

// WriteFile writes v to path in format f (uncompressed).
func WriteFile(path string, v *Vectors, f Format) error {
	file, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("song2vec: %w", err)
	}
	if err := Write(file, v, f); err != nil {
		file.Close()
		return err
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("song2vec: %w", err)
	}
	return nil
}
