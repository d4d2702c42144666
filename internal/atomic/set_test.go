package atomic

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSetAllOrNone: until Commit no destination changes; Abort leaves every
// old file and no temporary one; Commit replaces all.
func TestSetAllOrNone(t *testing.T) {
	boom := errors.New("boom")
	for _, c := range []struct {
		name   string
		second func(io.Writer) error
		commit bool
		want   [2]string
	}{
		{"committed", writeString("new b"), true, [2]string{"new a", "new b"}},
		{"second write fails", func(w io.Writer) error { io.WriteString(w, "half"); return boom }, false, [2]string{"old a", "old b"}},
		{"aborted", writeString("new b"), false, [2]string{"old a", "old b"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			a, b := filepath.Join(dir, "a.m3u8"), filepath.Join(dir, "b.png")
			os.WriteFile(a, []byte("old a"), 0o644)
			os.WriteFile(b, []byte("old b"), 0o644)
			var s Set
			defer s.Abort()
			if err := s.Add(a, 0o644, writeString("new a")); err != nil {
				t.Fatal(err)
			}
			if got := readString(t, a); got != "old a" {
				t.Fatalf("a changed before Commit: %q", got)
			}
			err := s.Add(b, 0o644, c.second)
			if c.commit {
				if err != nil {
					t.Fatal(err)
				}
				if err := s.Commit(); err != nil {
					t.Fatal(err)
				}
			} else {
				s.Abort()
			}
			if got := [2]string{readString(t, a), readString(t, b)}; got != c.want {
				t.Errorf("files hold %q, want %q", got, c.want)
			}
			if es, _ := os.ReadDir(dir); len(es) != 2 {
				t.Errorf("temporary files left: %v", es)
			}
			if err := s.Add(a, 0o644, writeString("late")); !errors.Is(err, ErrCommitted) {
				t.Errorf("Add after the end: %v, want ErrCommitted", err)
			}
		})
	}
}

// TestSetModeAndLinks: an existing file keeps its mode, a new one gets
// perm; a link is written through, a dangling link refused.
func TestSetModeAndLinks(t *testing.T) {
	dir := t.TempDir()
	old, fresh := filepath.Join(dir, "old.csv"), filepath.Join(dir, "new.csv")
	os.WriteFile(old, []byte("x"), 0o600)
	target, link := filepath.Join(dir, "target.m3u8"), filepath.Join(dir, "link.m3u8")
	os.WriteFile(target, []byte("x"), 0o640)
	if err := os.Symlink("target.m3u8", link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	var s Set
	for _, p := range []string{old, fresh, link} {
		if err := s.Add(p, 0o644, writeString("new")); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		mode os.FileMode
	}{{old, 0o600}, {fresh, 0o644}, {target, 0o640}} {
		fi, err := os.Stat(c.path)
		if err != nil || fi.Mode().Perm() != c.mode || readString(t, c.path) != "new" {
			t.Errorf("%s: mode %v, err %v; want %v and the new content", c.path, fi.Mode().Perm(), err, c.mode)
		}
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link.m3u8 is no longer a link: %v %v", fi.Mode(), err)
	}
	dangling := filepath.Join(dir, "dangling.m3u8")
	os.Symlink("nowhere/x.m3u8", dangling)
	var s2 Set
	defer s2.Abort()
	if err := s2.Add(dangling, 0o644, writeString("new")); err == nil {
		t.Error("dangling link: no error")
	}
	if err := Check(dangling); err == nil {
		t.Error("Check of a dangling link: no error")
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o500)
	for _, c := range []struct {
		name string
		path string
		ok   bool
	}{
		{"new file", filepath.Join(dir, "a.png"), true},
		{"no such directory", filepath.Join(dir, "no", "a.png"), false},
		{"a directory", dir, false},
		{"read-only directory", filepath.Join(ro, "a.png"), os.Geteuid() == 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := Check(c.path)
			if (err == nil) != c.ok {
				t.Fatalf("Check: %v, want ok %v", err, c.ok)
			}
			if es, _ := os.ReadDir(dir); len(es) != 1 {
				t.Errorf("Check left files: %v", es)
			}
		})
	}
}
