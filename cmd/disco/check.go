package main

import (
	"io"
	"os"

	"github.com/discoflow/disco/internal/atomic"
	"github.com/discoflow/disco/selector"
)

// This file holds the checks every command makes of its knobs and counts
// before any work (issue 16): one range per flag, one message style
// ("--spicyness: NaN is not a number in [0, 20]", see selector.RangeError).

// usageError is a bad flag value: main prints it ("disco: --n: 0 is not a
// whole number in [1, 1000000]") and exits with status 2, as for errUsage,
// which it matches.
type usageError struct{ err error }

func (e *usageError) Error() string   { return e.err.Error() }
func (e *usageError) Unwrap() []error { return []error{e.err, errUsage} }

// badFlag marks err, about a flag's value, as a usage error; nil stays nil.
func badFlag(err error) error {
	if err == nil {
		return nil
	}
	return &usageError{err}
}

// validKnobs is Knobs.Validate, or ValidateSigned when --allow-negative
// was given, as a usage error.
func validKnobs(k selector.Knobs, allowNegative bool) error {
	if allowNegative {
		return badFlag(k.ValidateSigned())
	}
	return badFlag(k.Validate())
}

// count is an integer flag and its allowed range [lo, hi].
type count struct {
	name      string
	n, lo, hi int
}

// checkCounts returns the first count's *selector.RangeError, if any.
func checkCounts(cs ...count) error {
	for _, c := range cs {
		if err := selector.CheckCount(c.name, c.n, c.lo, c.hi); err != nil {
			return badFlag(err)
		}
	}
	return nil
}

// checkOutputs checks, before the work starts, that each output file can
// be written (see atomic.Check); "" is skipped. dir, when not "", is a
// directory of outputs (--plot-dir) and is made first if missing.
func checkOutputs(dir string, paths ...string) error {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	for _, p := range paths {
		if p == "" {
			continue
		}
		if err := atomic.Check(p); err != nil {
			return err
		}
	}
	return nil
}

// writeOutput writes one output file through an atomic.Set: in full or
// not at all, and keeping an existing file's mode.
func writeOutput(path string, write func(io.Writer) error) error {
	var outs atomic.Set
	defer outs.Abort()
	if err := outs.Add(path, 0o644, write); err != nil {
		return err
	}
	return outs.Commit()
}
