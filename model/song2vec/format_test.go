package song2vec

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func sampleVectors(t testing.TB) *Vectors {
	v, err := New([]string{"spotify:track:a", "b", "ünïcode"}, 3,
		[]float64{0.1, -2.5, 3e-8, 1.0 / 3, 0, -0, 123456.789, -1e10, math.SmallestNonzeroFloat64}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func equalVectors(a, b *Vectors) bool {
	return a.Dim == b.Dim && slices.Equal(a.Words, b.Words) && slices.Equal(a.Data, b.Data)
}

func TestTextRoundTrip(t *testing.T) {
	v := sampleVectors(t)
	var buf bytes.Buffer
	if err := WriteText(&buf, v); err != nil {
		t.Fatal(err)
	}
	got, err := ReadText(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !equalVectors(got, v) {
		t.Errorf("read back %v %v, want %v %v", got.Words, got.Data, v.Words, v.Data)
	}
	if got.Index("b") != 1 {
		t.Error("read vectors are not indexed")
	}
	if !strings.HasPrefix(buf.String(), "3 3\nspotify:track:a 0.1 -2.5 3e-08\n") {
		t.Errorf("text starts %q", buf.String()[:40])
	}
}

func TestBinaryRoundTrip(t *testing.T) {
	v := sampleVectors(t)
	var buf bytes.Buffer
	if err := WriteBinary(&buf, v); err != nil {
		t.Fatal(err)
	}
	// Layout: header, then word, space, float32s, newline.
	want := []byte("3 3\nspotify:track:a ")
	want = binary.LittleEndian.AppendUint32(want, math.Float32bits(0.1))
	if !bytes.HasPrefix(buf.Bytes(), want) || buf.Bytes()[len("3 3\nspotify:track:a ")+12] != '\n' {
		t.Errorf("binary layout: % x", buf.Bytes()[:40])
	}
	got, err := ReadBinary(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Words, v.Words) {
		t.Fatalf("words %v", got.Words)
	}
	for i, x := range v.Data {
		if got.Data[i] != float64(float32(x)) {
			t.Errorf("value %d = %v, want float32 %v", i, got.Data[i], float32(x))
		}
	}
	// float32 values round-trip exactly.
	var again bytes.Buffer
	if err := WriteBinary(&again, got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), buf.Bytes()) {
		t.Error("second binary write differs")
	}
}

func TestWriteErrors(t *testing.T) {
	big, _ := New([]string{"x"}, 1, []float64{1e300}, nil)
	tests := []struct {
		name string
		v    *Vectors
		f    Format
	}{
		{"space in word", &Vectors{Words: []string{"a b"}, Dim: 1, Data: []float64{1}}, Text},
		{"newline in word", &Vectors{Words: []string{"a\nb"}, Dim: 1, Data: []float64{1}}, Binary},
		{"tab in text word", &Vectors{Words: []string{"a\tb"}, Dim: 1, Data: []float64{1}}, Text},
		{"empty word", &Vectors{Words: []string{""}, Dim: 1, Data: []float64{1}}, Binary},
		{"short data", &Vectors{Words: []string{"a"}, Dim: 2, Data: []float64{1}}, Text},
		{"beyond float32", big, Binary},
		{"unknown format", sampleVectors(t), Format(9)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := Write(io.Discard, tc.v, tc.f); err == nil || !strings.HasPrefix(err.Error(), "song2vec: ") {
				t.Errorf("Write = %v, want a song2vec error", err)
			}
		})
	}
}

func TestReadVariants(t *testing.T) {
	f32 := func(xs ...float32) string {
		var b []byte
		for _, x := range xs {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
		}
		return string(b)
	}
	tests := []struct {
		name   string
		in     string
		f      Format
		words  []string
		values []float64
	}{
		{"C text with trailing spaces", "2 2\na 1.000000 2.000000 \nb -1 0.5 \n", Text, []string{"a", "b"}, []float64{1, 2, -1, 0.5}},
		{"CRLF", "1 2\r\nx 1 2\r\n", Text, []string{"x"}, []float64{1, 2}},
		{"blank lines at the end", "1 1\nx 3\n\n\n", Text, []string{"x"}, []float64{3}},
		{"tabs", "1 2\nx\t1\t2\n", Text, []string{"x"}, []float64{1, 2}},
		{"empty", "0 5\n", Text, nil, nil},
		{"binary, C tool's newlines", "2 2\na " + f32(1, 2) + "\nb " + f32(3, 4) + "\n", Binary, []string{"a", "b"}, []float64{1, 2, 3, 4}},
		{"binary, gensim without newlines", "2 2\na " + f32(1, 2) + "b " + f32(3, 4), Binary, []string{"a", "b"}, []float64{1, 2, 3, 4}},
		{"binary, zero vector", "1 2\nz " + f32(0, 0) + "\n", Binary, []string{"z"}, []float64{0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			read := ReadText
			if tc.f == Binary {
				read = ReadBinary
			}
			for _, r := range []func(io.Reader) (*Vectors, error){read, func(r io.Reader) (*Vectors, error) {
				v, f, err := Read(r)
				if err == nil && f != tc.f {
					t.Errorf("Read detected %v, want %v", f, tc.f)
				}
				return v, err
			}} {
				v, err := r(strings.NewReader(tc.in))
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(v.Words, tc.words) || !slices.Equal(v.Data, tc.values) {
					t.Errorf("read %v %v, want %v %v", v.Words, v.Data, tc.words, tc.values)
				}
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	f32 := func(xs ...float32) string {
		var b []byte
		for _, x := range xs {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
		}
		return string(b)
	}
	tests := []struct {
		name      string
		in        string
		f         Format
		line, rec int
		msg       string
		truncated bool
	}{
		{"empty file", "", Text, 1, 0, "", true},
		{"bad header", "hello\n", Text, 1, 0, "want \"count dimension\"", false},
		{"negative count", "-1 3\n", Text, 1, 0, "bad vector count", false},
		{"zero dimension", "1 0\n", Text, 1, 0, "bad dimension", false},
		{"huge dimension", "1 99999999\n", Text, 1, 0, "bad dimension", false},
		{"too few values", "2 3\na 1 2 3\nb 1 2\n", Text, 3, 2, "found 3 fields", false},
		{"too many values", "1 2\na 1 2 3\n", Text, 2, 1, "found 4 fields", false},
		{"not a number", "1 2\na 1 x\n", Text, 2, 1, `value 2 "x"`, false},
		{"NaN", "1 2\na 1 NaN\n", Text, 2, 1, "not a finite number", false},
		{"overflow", "1 1\na 1e999\n", Text, 2, 1, "not a finite number", false},
		{"duplicate word", "2 1\na 1\na 2\n", Text, 3, 2, `word "a" already at vector 1`, false},
		{"truncated", "3 1\na 1\nb 2\n", Text, 4, 3, "file ends after 2 of 3 vectors", true},
		{"blank line inside", "2 1\na 1\n\nb 2\n", Text, 3, 2, "blank line", false},
		{"extra vectors", "1 1\na 1\nb 2\n", Text, 3, 2, "data after the 1 vectors", false},
		{"no final newline", "1 2\na 1 2", Text, 2, 1, "last line has no newline", true},
		{"header without newline", "1 2", Text, 1, 0, "last line has no newline", true},
		{"binary empty", "", Binary, 0, 0, "", true},
		{"binary header", "2\n", Binary, 0, 0, "want \"count dimension\"", false},
		{"binary truncated vector", "1 2\na " + f32(1), Binary, 0, 1, "file ends after 4 of 8 bytes", true},
		{"binary truncated word", "2 1\na " + f32(1) + "\nbb", Binary, 0, 2, "file ends inside a word", true},
		{"binary missing record", "2 1\na " + f32(1) + "\n", Binary, 0, 2, "file ends after 1 of 2 vectors", true},
		{"binary NaN", "1 1\na " + f32(float32(math.NaN())), Binary, 0, 1, "not a finite number", false},
		{"binary newline in word", "1 1\nab\ncd " + f32(1), Binary, 0, 1, "newline inside word", false},
		{"binary extra data", "1 1\na " + f32(1) + "\nzzz", Binary, 0, 2, "data after the 1 vectors", false},
		{"binary duplicate", "2 1\na " + f32(1) + "\na " + f32(2), Binary, 0, 2, "already at vector 1", false},
		{"binary no header newline", strings.Repeat("x", 70000), Binary, 0, 0, "no newline", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.f == Text {
				_, err = ReadText(strings.NewReader(tc.in))
			} else {
				_, err = ReadBinary(strings.NewReader(tc.in))
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T), want a *FormatError", err, err)
			}
			if fe.Format != tc.f || fe.Line != tc.line || fe.Record != tc.rec {
				t.Errorf("error at %v line %d record %d, want %v line %d record %d: %v", fe.Format, fe.Line, fe.Record, tc.f, tc.line, tc.rec, err)
			}
			if !strings.Contains(err.Error(), tc.msg) || !strings.HasPrefix(err.Error(), "song2vec: ") {
				t.Errorf("error %q, want it to mention %q", err, tc.msg)
			}
			if got := errors.Is(err, io.ErrUnexpectedEOF); got != tc.truncated {
				t.Errorf("errors.Is(err, io.ErrUnexpectedEOF) = %v, want %v", got, tc.truncated)
			}
		})
	}
}

// TestTruncatedEverywhere cuts valid files at every byte: each prefix must
// fail with a *FormatError wrapping io.ErrUnexpectedEOF, except a binary
// file cut only by its final newline, which gensim does not write.
func TestTruncatedEverywhere(t *testing.T) {
	v := sampleVectors(t)
	for _, f := range []Format{Text, Binary} {
		var buf bytes.Buffer
		if err := Write(&buf, v, f); err != nil {
			t.Fatal(err)
		}
		full := buf.Bytes()
		for n := range len(full) {
			got, _, err := Read(bytes.NewReader(full[:n]))
			if err == nil {
				if f == Text || n < len(full)-1 || got.Len() != v.Len() {
					t.Errorf("%v cut at %d of %d bytes read without error", f, n, len(full))
				}
				continue
			}
			var fe *FormatError
			if !errors.As(err, &fe) || !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("%v cut at %d: error %v is not a *FormatError for a truncated file", f, n, err)
			}
		}
	}
}

// TestGensimFiles reads vectors written by gensim's save_word2vec_format
// (testdata/gensim_small.*, made by bench/song2vec/gensim_ref.py): its
// binary files have no newline after each vector, its text files float32
// reprs; both must give the same words and float32 values.
func TestGensimFiles(t *testing.T) {
	txt, ft, err := ReadFile("testdata/gensim_small.txt")
	if err != nil {
		t.Fatal(err)
	}
	bin, fb, err := ReadFile("testdata/gensim_small.bin")
	if err != nil {
		t.Fatal(err)
	}
	if ft != Text || fb != Binary {
		t.Errorf("formats detected %v, %v", ft, fb)
	}
	if txt.Len() != 12 || txt.Dim != 32 || !slices.Equal(txt.Words, bin.Words) {
		t.Fatalf("text %d×%d %v, binary %v", txt.Len(), txt.Dim, txt.Words, bin.Words)
	}
	for i := range txt.Data {
		if float32(txt.Data[i]) != float32(bin.Data[i]) {
			t.Fatalf("value %d: text %v, binary %v", i, txt.Data[i], bin.Data[i])
		}
	}
}

func TestFiles(t *testing.T) {
	v := sampleVectors(t)
	dir := t.TempDir()
	for _, f := range []Format{Text, Binary} {
		path := filepath.Join(dir, "v."+f.String())
		if err := WriteFile(path, v, f); err != nil {
			t.Fatal(err)
		}
		got, format, err := ReadFile(path)
		if err != nil || format != f || !slices.Equal(got.Words, v.Words) {
			t.Errorf("%v: read %v, %v, %v", f, got, format, err)
		}
	}
	if _, _, err := ReadFile(filepath.Join(dir, "missing")); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	// A truncated file's error names the file and the record.
	raw, _ := os.ReadFile(filepath.Join(dir, "v.text"))
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, raw[:len(raw)-20], 0o644)
	if _, _, err := ReadFile(bad); err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "line 4") {
		t.Errorf("truncated file: %v", err)
	}
}

// fuzzRoundTrip checks that whatever parses writes back and parses to the
// same vectors (in the same format; binary values are float32 already).
func fuzzRoundTrip(t *testing.T, v *Vectors, f Format) {
	var buf bytes.Buffer
	if err := Write(&buf, v, f); err != nil {
		t.Fatalf("parsed vectors do not write: %v", err)
	}
	read := ReadText
	if f == Binary {
		read = ReadBinary
	}
	again, err := read(&buf)
	if err != nil {
		t.Fatalf("written vectors do not parse: %v", err)
	}
	if !equalVectors(v, again) {
		t.Fatalf("round trip changed the vectors")
	}
}

func fuzzSeeds(f *testing.F) {
	v, _ := New([]string{"a", "b"}, 2, []float64{1, 2, 3, 4}, nil)
	for _, format := range []Format{Text, Binary} {
		var buf bytes.Buffer
		Write(&buf, v, format)
		f.Add(buf.Bytes())
	}
	for _, name := range []string{"testdata/gensim_small.txt", "testdata/gensim_small.bin"} {
		if raw, err := os.ReadFile(name); err == nil {
			f.Add(raw)
		}
	}
	f.Add([]byte("1 1\na 1e999\n"))
	f.Add([]byte("2 1\na \x00\x00\x80\x3f\nb"))
}

func FuzzReadText(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ReadText(bytes.NewReader(data))
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FormatError", err)
			}
			return
		}
		fuzzRoundTrip(t, v, Text)
	})
}

func FuzzReadBinary(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ReadBinary(bytes.NewReader(data))
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FormatError", err)
			}
			return
		}
		fuzzRoundTrip(t, v, Binary)
	})
}

func FuzzRead(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, format, err := Read(bytes.NewReader(data))
		if err == nil {
			fuzzRoundTrip(t, v, format)
		}
	})
}

// TestReadLargeSearch reads a file large enough for Nearest's int8 index
// and checks the search agrees with the vectors it was written from: a
// file read back must be as usable as the vectors New builds.
func TestReadLargeSearch(t *testing.T) {
	n, dim := searchMin+10, 4
	words := make([]string, n)
	data := make([]float64, n*dim)
	for i := range words {
		words[i] = fmt.Sprintf("t%d", i)
		for j := range dim {
			data[i*dim+j] = math.Sin(float64(i*dim + j))
		}
	}
	v, err := New(words, dim, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Format{Binary, Text} {
		var b bytes.Buffer
		if err := Write(&b, v, f); err != nil {
			t.Fatal(err)
		}
		r, _, err := Read(&b)
		if err != nil {
			t.Fatal(err)
		}
		q := r.Row(7)
		got, want := r.Nearest(q, 5, nil), v.Nearest(v.Row(7), 5, nil)
		if len(got) != 5 || got[0].Word != "t7" {
			t.Fatalf("%v: nearest to t7 = %v", f, got)
		}
		for i := range got {
			if got[i].Word != want[i].Word {
				t.Errorf("%v: neighbour %d = %s, want %s", f, i, got[i].Word, want[i].Word)
			}
		}
	}
}
