// Package atomic provides atomic file writes: the content goes to a temporary
// file in the destination's directory, is synced, and is renamed over the
// destination only when complete, so a reader never sees a half-written file
// and a failed or interrupted write leaves the old file in place.
package atomic

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes path atomically with the bytes that write produces. If
// write returns an error, nothing is renamed and the temporary file is
// removed. The file gets permission perm, whether it existed or not (a
// [Set] keeps an existing file's mode).
func WriteFile(path string, perm os.FileMode, write func(w io.Writer) error) error {
	tmp, err := writeTemp(path, perm, write)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("atomic: %w", err)
	}
	return nil
}

// writeTemp writes a temporary file beside path, synced and closed, with
// permission perm, and returns its name; on error nothing is left.
func writeTemp(path string, perm os.FileMode, write func(w io.Writer) error) (tmp string, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("atomic: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return "", err
	}
	if err = f.Chmod(perm); err != nil {
		return "", fmt.Errorf("atomic: %w", err)
	}
	if err = f.Sync(); err != nil {
		return "", fmt.Errorf("atomic: %w", err)
	}
	if err = f.Close(); err != nil {
		return "", fmt.Errorf("atomic: %w", err)
	}
	return f.Name(), nil
}

// WriteBytes writes data to path atomically.
func WriteBytes(path string, perm os.FileMode, data []byte) error {
	return WriteFile(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
