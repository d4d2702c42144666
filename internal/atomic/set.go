package atomic

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Set is the output files of one command, written all or none: Add writes
// each to a temporary file beside its destination, and Commit renames them
// all into place once the whole command has succeeded. A command that
// fails calls Abort (best deferred), which removes the temporary files, so
// that no destination is replaced by a failed run.
//
// Check lets a command find an unwritable destination before its work
// starts.
//
// # Modes and links
//
// A destination that exists keeps its permission bits; a new one gets the
// perm given to Add. A destination that is a symbolic link is written
// through: its target is replaced and the link kept; a dangling link is
// refused.
//
// The zero Set is empty and ready to use. A Set is not safe for concurrent
// use.
type Set struct {
	files []pending
	done  bool
}

// pending is one written temporary file and where it goes.
type pending struct{ tmp, dest string }

// ErrCommitted is returned by Add after Commit or Abort.
var ErrCommitted = errors.New("atomic: set already committed or aborted")

// destination resolves path to the file to replace: path itself, or the
// target of the symbolic link path is.
func destination(path string) (string, error) {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return path, nil
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", fmt.Errorf("atomic: %s is a symbolic link to nowhere: %w", path, err)
	}
	return target, nil
}

// Check returns an error unless path can be written: its directory exists
// and takes new files, and path is not a directory. It writes nothing that
// stays.
func Check(path string) error {
	dest, err := destination(path)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(dest); err == nil && fi.IsDir() {
		return fmt.Errorf("atomic: cannot write %s: it is a directory", path)
	}
	dir, base := filepath.Split(dest)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".check-*")
	if err != nil {
		return fmt.Errorf("atomic: cannot write %s: %w", path, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// Add writes path's new content, the bytes write produces, to a temporary
// file that Commit renames over path. If write fails, nothing of path is
// kept and the error is returned (the Set's other files stay pending: the
// caller normally aborts). perm is the mode of a new file; an existing
// file keeps its own.
func (s *Set) Add(path string, perm os.FileMode, write func(w io.Writer) error) error {
	if s.done {
		return ErrCommitted
	}
	dest, err := destination(path)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(dest); err == nil && fi.Mode().IsRegular() {
		perm = fi.Mode().Perm()
	}
	tmp, err := writeTemp(dest, perm, write)
	if err != nil {
		return err
	}
	s.files = append(s.files, pending{tmp, dest})
	return nil
}

// Len returns the number of files added and not yet committed.
func (s *Set) Len() int { return len(s.files) }

// Commit renames every added file into place, in the order added. A
// rename can fail only for reasons that Check would not catch (the
// directory removed meanwhile, say); then the files not yet renamed are
// removed and the error names the first destination that failed.
func (s *Set) Commit() error {
	if s.done {
		return ErrCommitted
	}
	s.done = true
	for i, p := range s.files {
		if err := os.Rename(p.tmp, p.dest); err != nil {
			for _, q := range s.files[i:] {
				os.Remove(q.tmp)
			}
			s.files = nil
			return fmt.Errorf("atomic: %w", err)
		}
	}
	s.files = nil
	return nil
}

// Abort removes the temporary files of a Set not committed; after Commit
// it does nothing, so it can be deferred.
func (s *Set) Abort() {
	for _, p := range s.files {
		os.Remove(p.tmp)
	}
	s.files = nil
	s.done = true
}
