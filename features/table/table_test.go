package table

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
)

func TestFastFloat(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"0.748", true}, {"-2.634", true}, {"6.18e-5", true}, {"122.036", true}, {"0", true},
		{"-0", true}, {"1.", true}, {".5", true}, {"+.5", true}, {"00.0583", true}, {"1E3", true},
		{"123456789012345", true}, {"0.000000000000000000001", true}, {"1e22", true},
		{"1234567890123456", false}, {"1e23", false}, {"1e-23", false}, {"", false}, {".", false},
		{"1e", false}, {"1e+", false}, {"NaN", false}, {"Inf", false}, {"0x1p4", false}, {"1_0", false},
		{"1.2.3", false}, {" 1", false}, {"1 ", false}, {"--1", false}, {"0e99999999999", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := fastFloat(tt.in)
			if ok != tt.ok {
				t.Fatalf("fastFloat(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			}
			if want, _ := strconv.ParseFloat(tt.in, 64); ok && math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("fastFloat(%q) = %v, ParseFloat %v", tt.in, got, want)
			}
		})
	}
}

// FuzzFastFloat checks that the fast path agrees with strconv.ParseFloat to
// the bit whenever it answers.
func FuzzFastFloat(f *testing.F) {
	for _, s := range []string{"0.748", "-2.634", "6.18e-5", "122.036", "1e22", "0.1", "9007199254740993"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := fastFloat(s)
		if !ok {
			return
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("fastFloat(%q) = %v, ParseFloat = %v, %v", s, got, want, err)
		}
	})
}

// csvRecords runs encoding/csv over in the way TableReader's scanner
// works (defaults, ReuseRecord, FieldsPerRecord from the first record) and
// renders every call's outcome: fields with positions, or the error.
func csvRecords(in []byte) []string {
	cr := csv.NewReader(bytes.NewReader(in))
	cr.ReuseRecord = true
	var out []string
	for range 10000 {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		out = append(out, render(rec, err, func(i int) (int, int) { return cr.FieldPos(i) }))
	}
	return out
}

func scannerRecords(in []byte) []string {
	s := scanner{r: bufio.NewReaderSize(bytes.NewReader(in), 16)}
	var out []string
	for range 10000 {
		err := s.next()
		if err == io.EOF {
			break
		}
		strs := make([]string, s.n())
		for i := range strs {
			strs[i] = string(s.field(i))
		}
		out = append(out, render(strs, err, func(i int) (int, int) { return s.pos[i].line, s.pos[i].col }))
	}
	return out
}

// render describes a record, or its error: syntax errors in full; for a
// wrong field count (which comes with the record) both.
func render(rec []string, err error, pos func(int) (int, int)) string {
	var b strings.Builder
	if err != nil {
		var pe *csv.ParseError
		if !errors.As(err, &pe) {
			return "error " + err.Error()
		}
		fmt.Fprintf(&b, "error %d %d %d %v", pe.StartLine, pe.Line, pe.Column, pe.Err)
		if !errors.Is(err, csv.ErrFieldCount) {
			return b.String()
		}
		b.WriteString(" | ")
	}
	for i, f := range rec {
		l, c := pos(i)
		fmt.Fprintf(&b, "%q@%d:%d ", f, l, c)
	}
	return b.String()
}

func TestScanner(t *testing.T) {
	tests := []string{
		"a,b,c\n1,2,3\n",
		"a,b\r\n1,2\r\n",
		"a,b\n\n\n1,2\n",
		"a,b\n\"x,y\",z\n",
		"a,b\n\"multi\nline\",z\n\"x\"\"y\",w\n",
		"a,b\n\"multi\r\nline\r\n\",z\r\n",
		"a,b\n1,2,3\n4,5\n",
		"a,b\n1\n",
		"a,b\nx\"y,z\n",
		"a,b\n\"x\"y,z\n",
		"a,b\n\"unterminated,z\n",
		"a,b\n1,2",
		"a,b\n1,2\r",
		"a,b\n1,\"2\"\r",
		",\n,\n",
		"\"\"\n\"\"\"\"\n",
		"a,b\n" + strings.Repeat("x", 100) + ",\"" + strings.Repeat("y\n", 20) + "\"\n",
		"a\r\rb\n",
		"a\n\"\n\"\n",
		"é,ü\n\"ñ\",\"日本\"\n",
	}
	for _, in := range tests {
		t.Run(in, func(t *testing.T) {
			want, got := csvRecords([]byte(in)), scannerRecords([]byte(in))
			if !slices.Equal(got, want) {
				t.Errorf("scanner:\n%s\nencoding/csv:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// FuzzScanner checks that the scanner splits records, places fields and
// reports errors exactly as encoding/csv does.
func FuzzScanner(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n", "a,b\r\n\"x,\r\ny\",\"\"\"\"\r\n", "a\n\"b\n", "a,b\nx\"y,1\n1,2,3\n", "\"a\"b\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		want, got := csvRecords(in), scannerRecords(in)
		if !slices.Equal(got, want) {
			t.Fatalf("input %q\nscanner:\n%s\nencoding/csv:\n%s", in, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

func TestReadReportCounts(t *testing.T) {
	in := "track_id,track_name,artists,mode,acousticness,danceability,energy,instrumentalness,liveness,loudness,speechiness,valence\n" +
		"4uLU6hMCjMI75M1A2tKUQC,A,X,1,0.1,0.2,0.3,0.4,0.5,-5,0.1,0.2\n" +
		"4uLU6hMCjMI75M1A2tKUQC,A,X,1,0.1,0.2,0.3,0.4,0.5,-5,0.1,0.2\n" +
		"4uLU6hMCjMI75M1A2tKUQC,A,X,1,0.9,0.2,0.3,0.4,0.5,-5,0.1,0.2\n" +
		"6f807x0ima9a1j3VPbc7VN,B,Y,0,0.1,0.2,0.3,0.4,0.5,-5,0.1,0.2\n" +
		"6f807x0ima9a1j3VPbc7VN,B,Y,1,0.1,0.2,0.3,0.4,0.5,-5,0.1,0.2\n"
	tr, err := NewTableReader(strings.NewReader(in), "d.csv", "csv:d.csv", testAliases)
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, _, err := tr.Next(); err != nil {
			break
		}
	}
	r := tr.Dataset().Report
	if r.Duplicates != 1 || r.Conflicts != 2 || strings.Join(r.ConflictIDs, ",") != "4uLU6hMCjMI75M1A2tKUQC,6f807x0ima9a1j3VPbc7VN" {
		t.Errorf("duplicates %d, conflicts %d %v; want 1, 2 and both ids", r.Duplicates, r.Conflicts, r.ConflictIDs)
	}
	if got := strings.Join(r.MissingColumns, ","); got != "tempo,key" {
		t.Errorf("missing columns %q, want tempo,key", got)
	}
}

// testAliases names the columns of TestReadReportCounts.
var testAliases = func() map[string]Field {
	m := map[string]Field{"track_id": FieldID, "track_name": FieldName, "artists": FieldArtists, "mode": FieldMode, "key": FieldKey, "tempo": FieldTempo}
	for i, n := range features.AbstractNames {
		m[n] = FieldFeature + Field(i)
	}
	return m
}()
