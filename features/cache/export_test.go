package cache

import "time"

// SetNow replaces the clock of d, for tests of MaxAge.
func SetNow(d *DB, now func() time.Time) { d.now = now }
