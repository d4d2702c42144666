// Package badinput provides inputs that tests of disco's readers feed them:
// a prefix followed by one byte repeated, like /dev/zero, with no newline.
package badinput

import (
	"io"
	"runtime"
	"strings"
)

// repeat is an endless stream of one byte.
type repeat byte

func (b repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

// Endless returns prefix followed by n copies of fill (n < 0: without
// end). A test of a reader's cap gives a finite n larger than the cap, so
// that a reader without one fails the test instead of exhausting memory.
func Endless(prefix string, fill byte, n int64) io.Reader {
	var tail io.Reader = repeat(fill)
	if n >= 0 {
		tail = io.LimitReader(tail, n)
	}
	return io.MultiReader(strings.NewReader(prefix), tail)
}

// Allocated returns the bytes f allocates on the heap (runtime.MemStats
// TotalAlloc), an upper bound of the memory it holds at its peak. Other
// goroutines' allocations count too: call it from tests that run alone.
func Allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
