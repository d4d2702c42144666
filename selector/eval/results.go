package eval

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/discoflow/disco/internal/atomic"
)

// Results is a sweep's CSV file (CSVHeader, FormatRow): the rows read
// from it and those appended since. New rows are appended and flushed as
// they come, so an interrupted sweep keeps them; the file is synced at
// most once a second and when closed. A Results is for one goroutine.
type Results struct {
	path   string
	setup  string
	rows   []Row
	index  map[Setting]int
	f      *os.File
	w      *csv.Writer
	synced time.Time
}

// OpenResults starts the sweep file at path for the rows of setup (the
// Data's Fingerprint): with resume, the rows already there, made with the
// same setup, are kept and the file rewritten without any torn last line;
// otherwise the file is started afresh. A file of other columns or of
// another setup is an error that names it and the line.
func OpenResults(path string, resume bool, setup string) (*Results, error) {
	s := &Results{path: path, setup: setup, index: map[Setting]int{}}
	if resume {
		if err := s.read(); err != nil {
			return nil, err
		}
	}
	err := atomic.WriteFile(path, 0o644, func(w io.Writer) error {
		return s.writeRows(w, s.rows)
	})
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	if s.f, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0); err != nil {
		return nil, err
	}
	s.w = csv.NewWriter(s.f)
	s.synced = time.Now()
	return s, nil
}

// read reads the rows of an existing file; a missing file has none.
func (s *Results) read() error {
	f, err := os.Open(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReader(f))
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		// A torn last line (the process was killed mid-write) is not
		// a reason to lose the rest: keep what parsed.
		var pe *csv.ParseError
		if !errors.As(err, &pe) {
			return fmt.Errorf("reading %s: %w", s.path, err)
		}
	}
	if len(recs) == 0 {
		return nil
	}
	if !slices.Equal(recs[0], CSVHeader()) {
		return fmt.Errorf("%s: not a sweep CSV of this disco version (columns differ); use another --out", s.path)
	}
	for i, rec := range recs[1:] {
		r, setup, err := ParseRow(rec)
		if err != nil {
			if i == len(recs)-2 {
				break // torn last line
			}
			return fmt.Errorf("%s: line %d: %w", s.path, i+2, err)
		}
		if setup != s.setup {
			return fmt.Errorf("%s: line %d was made with other data, model or options (setup %s, now %s); use another --out, or run without --resume to start afresh", s.path, i+2, setup, s.setup)
		}
		s.add(r)
	}
	return nil
}

func (s *Results) add(r Row) {
	if i, ok := s.index[r.Setting]; ok {
		s.rows[i] = r
		return
	}
	s.index[r.Setting] = len(s.rows)
	s.rows = append(s.rows, r)
}

// Has reports whether the file holds the setting's row.
func (s *Results) Has(st Setting) bool {
	_, ok := s.index[st]
	return ok
}

// Len returns the number of rows in the file.
func (s *Results) Len() int { return len(s.rows) }

// Append writes a finished row (replacing the setting's row, if any, when
// the file is next rewritten).
func (s *Results) Append(r Row) error {
	s.add(r)
	s.w.Write(FormatRow(r, s.setup))
	s.w.Flush()
	if err := s.w.Error(); err != nil {
		return fmt.Errorf("writing %s: %w", s.path, err)
	}
	if time.Since(s.synced) >= time.Second {
		s.synced = time.Now()
		return s.f.Sync()
	}
	return nil
}

// Close syncs and closes the file for appending; Rewrite and Rows still
// work after it.
func (s *Results) Close() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Sync()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	s.f = nil
	return err
}

// Rows returns the rows of the settings that the file holds, in the
// settings' order.
func (s *Results) Rows(settings []Setting) []Row {
	out := make([]Row, 0, len(settings))
	for _, st := range settings {
		if i, ok := s.index[st]; ok {
			out = append(out, s.rows[i])
		}
	}
	return out
}

// Rewrite rewrites the file atomically: the settings' rows in order, then
// any other rows (of other grids) in the order they came.
func (s *Results) Rewrite(settings []Setting) error {
	inGrid := make(map[Setting]bool, len(settings))
	rows := make([]Row, 0, len(s.rows))
	for _, st := range settings {
		if i, ok := s.index[st]; ok && !inGrid[st] {
			inGrid[st] = true
			rows = append(rows, s.rows[i])
		}
	}
	for _, r := range s.rows {
		if !inGrid[r.Setting] {
			rows = append(rows, r)
		}
	}
	return atomic.WriteFile(s.path, 0o644, func(w io.Writer) error { return s.writeRows(w, rows) })
}

func (s *Results) writeRows(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	cw.Write(CSVHeader())
	for _, r := range rows {
		cw.Write(FormatRow(r, s.setup))
	}
	cw.Flush()
	return cw.Error()
}
