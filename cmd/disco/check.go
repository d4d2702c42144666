package main

import "github.com/discoflow/disco/selector"

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
