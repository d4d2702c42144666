package eval

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func resultRow(sweetness, v float64) Row {
	r := Row{Values: make([]float64, len(Metrics))}
	r.Setting.Set(KnobSweetness, sweetness)
	r.Setting.Set(KnobPool, 400)
	for j := range r.Values {
		r.Values[j] = v + float64(j)/8
	}
	return r
}

// A sweep file keeps its finished rows across an interruption (a torn last
// line included), refuses rows of another setup or version, and rewrites
// itself in grid order.
func TestResults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sweep.csv")
	rs, err := OpenResults(path, false, "setup1")
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range []float64{2, 0, 1} {
		if err := rs.Append(resultRow(v, float64(i))); err != nil {
			t.Fatal(err)
		}
	}
	// Killed mid-write: no Close, and half a line at the end.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("1,1.2,3,1,0,400,0.0")
	f.Close()
	rs.Close()

	again, err := OpenResults(path, true, "setup1")
	if err != nil {
		t.Fatal(err)
	}
	if again.Len() != 3 || !again.Has(resultRow(0, 0).Setting) || again.Has(resultRow(3, 0).Setting) {
		t.Fatalf("resumed %d rows", again.Len())
	}
	if err := again.Append(resultRow(3, 9)); err != nil {
		t.Fatal(err)
	}
	if err := again.Close(); err != nil {
		t.Fatal(err)
	}
	grid := []Setting{resultRow(0, 0).Setting, resultRow(1, 0).Setting, resultRow(3, 0).Setting}
	if err := again.Rewrite(grid); err != nil {
		t.Fatal(err)
	}
	got := again.Rows(grid)
	if len(got) != 3 || got[2].Values[0] != 9 || got[0].Values[0] != 1 {
		t.Fatalf("rows in grid order: %+v", got)
	}
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[1], "0,0,0,") || !strings.HasPrefix(lines[3], "0,0,3,") || !strings.HasPrefix(lines[4], "0,0,2,") {
		t.Fatalf("rewritten file:\n%s", b)
	}
	for _, l := range lines[1:] {
		if !strings.HasSuffix(l, ",setup1") {
			t.Fatalf("line %q lost its setup", l)
		}
	}

	// Rows of other data are refused, naming the file and the line.
	if _, err := OpenResults(path, true, "setup2"); err == nil || !strings.Contains(err.Error(), "line 2 was made with other data") {
		t.Errorf("other setup: %v", err)
	}
	// So is a file of other columns, and it is left as it was.
	other := filepath.Join(t.TempDir(), "other.csv")
	os.WriteFile(other, []byte("a,b\n1,2\n"), 0o644)
	if _, err := OpenResults(other, true, "setup1"); err == nil || !strings.Contains(err.Error(), "not a sweep CSV") {
		t.Errorf("other columns: %v", err)
	}
	if b, _ := os.ReadFile(other); string(b) != "a,b\n1,2\n" {
		t.Errorf("the foreign file was changed: %q", b)
	}
	// Without resume, a file starts afresh.
	fresh, err := OpenResults(path, false, "setup2")
	if err != nil {
		t.Fatal(err)
	}
	fresh.Close()
	if b, _ := os.ReadFile(path); strings.Count(string(b), "\n") != 1 {
		t.Errorf("fresh file:\n%s", b)
	}
}
