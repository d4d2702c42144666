package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress draws a one-line progress bar with a rate and an ETA on w,
// redrawn in place with a carriage return, at most ten times a second. When
// w is not a terminal (a log file, a pipe, a test buffer) it writes a plain
// line at most every ten seconds and at the end, so logs stay readable.
type progress struct {
	w       io.Writer
	tty     bool
	label   string
	total   int
	done    int
	unit    string
	start   time.Time
	last    time.Time
	suffix  string
	written bool
	drawn   string // the last line drawn
}

func newProgress(w io.Writer, label string, total int, unit string) *progress {
	now := time.Now()
	return &progress{w: w, tty: isTerminal(w), label: label, total: total, unit: unit, start: now, last: now}
}

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Add advances the bar by n units.
func (p *progress) Add(n int) { p.Set(p.done + n) }

// Set sets the number of units done.
func (p *progress) Set(done int) {
	p.done = done
	every := 100 * time.Millisecond
	if !p.tty {
		every = 10 * time.Second
	}
	if now := time.Now(); now.Sub(p.last) >= every || (p.tty && done >= p.total) {
		p.last = now
		p.draw()
	}
}

// Note sets text shown after the bar (for example the current loss).
func (p *progress) Note(format string, args ...any) {
	p.suffix = fmt.Sprintf(format, args...)
	p.draw()
}

func (p *progress) draw() {
	const width = 24
	frac := 1.0
	if p.total > 0 {
		frac = min(1, float64(p.done)/float64(p.total))
	}
	n := int(frac * width)
	bar := strings.Repeat("█", n) + strings.Repeat("░", width-n)
	el := time.Since(p.start)
	rate := float64(p.done) / el.Seconds()
	eta := "--"
	if p.done > 0 && p.done < p.total {
		eta = time.Duration(float64(p.total-p.done) / rate * float64(time.Second)).Round(time.Second).String()
	} else if p.done >= p.total {
		eta = el.Round(time.Millisecond).String()
	}
	line := fmt.Sprintf("%s %s %3.0f%% %d/%d %.0f %s/s %s", p.label, bar, 100*frac, p.done, p.total, rate, p.unit, eta)
	if p.suffix != "" {
		line += " " + p.suffix
	}
	if p.tty {
		fmt.Fprintf(p.w, "\r%s\033[K", line)
	} else if state := fmt.Sprint(p.done, p.suffix); state != p.drawn {
		p.drawn = state
		fmt.Fprintln(p.w, line)
	}
	p.written = true
}

// Done finishes the line.
func (p *progress) Done() {
	switch {
	case p.tty && p.written:
		p.draw()
		fmt.Fprintln(p.w)
	case !p.tty:
		p.draw()
	}
}
