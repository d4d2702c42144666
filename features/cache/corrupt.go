package cache

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// IsCorrupt reports whether err says the database file is damaged or is
// not an SQLite database at all (SQLite's "database disk image is
// malformed" and "file is not a database").
func IsCorrupt(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "database disk image is malformed") || strings.Contains(s, "file is not a database")
}

// MoveAside renames a damaged database at path (and its -wal and -shm
// files) to path+".corrupt-"+the UTC time, so that Open starts a new one;
// it returns the new name. "" means DefaultPath(). The old file is kept
// for whoever wants to recover from it.
func MoveAside(path string, now time.Time) (string, error) {
	if path == "" {
		var err error
		if path, err = DefaultPath(); err != nil {
			return "", err
		}
	}
	aside := path + ".corrupt-" + now.UTC().Format("20060102T150405Z")
	if err := os.Rename(path, aside); err != nil {
		return "", fmt.Errorf("cache: moving %s aside: %w", path, err)
	}
	for _, ext := range []string{"-wal", "-shm"} {
		if err := os.Rename(path+ext, aside+ext); err != nil && !errors.Is(err, os.ErrNotExist) {
			return aside, fmt.Errorf("cache: moving %s aside: %w", path+ext, err)
		}
	}
	return aside, nil
}
