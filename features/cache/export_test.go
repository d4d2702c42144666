package cache

import "time"

// SetNow replaces the clock of d, for tests of MaxAge.
func SetNow(d *DB, now func() time.Time) { d.now = now }

// SetCompactRows sets how many log rows Compact folds per transaction
// until the test ends.
func SetCompactRows(t interface{ Cleanup(func()) }, n int) {
	old := compactRows
	compactRows = n
	t.Cleanup(func() { compactRows = old })
}
