package theory

import (
	"fmt"
	"math"
	"testing"
)

// allKeys returns the 24 known keys, C minor, C major, C# minor, ...
func allKeys() []Key {
	keys := make([]Key, 0, 24)
	for p := 0; p < 12; p++ {
		keys = append(keys, Key{p, Minor}, Key{p, Major})
	}
	return keys
}

// The circle of fifths written out by hand, as a musician would read it
// off a chart: majors clockwise from C, and under each its relative minor.
var (
	circleMajors = [12]string{"C", "G", "D", "A", "E", "B", "F#", "C#", "G#", "D#", "A#", "F"}
	circleMinors = [12]string{"A", "E", "B", "F#", "C#", "G#", "D#", "A#", "F", "C", "G", "D"}
)

// circlePos finds k on the hand-written circle by its sharp name.
func circlePos(t *testing.T, k Key) int {
	t.Helper()
	name := sharpNames[k.Pitch]
	table := circleMajors
	if k.Mode == Minor {
		table = circleMinors
	}
	for i, n := range table {
		if n == name {
			return i
		}
	}
	t.Fatalf("%v not on the hand-written circle", k)
	return -1
}

// wantKeySim is DISCO's table of keySim by circle distance.
var wantKeySim = [7]float64{1, 1, 0.6, 0.2, -0.2, -0.6, -1}

func TestKeySimAllPairs(t *testing.T) {
	for _, a := range allKeys() {
		for _, b := range allKeys() {
			i, j := circlePos(t, a), circlePos(t, b)
			d := min((i-j+12)%12, (j-i+12)%12)
			if got := FifthsDistance(a, b); got != d {
				t.Errorf("FifthsDistance(%v, %v) = %d, want %d", a, b, got, d)
			}
			got := KeySim(a, b)
			if math.Abs(got-wantKeySim[d]) > 1e-12 {
				t.Errorf("KeySim(%v, %v) = %v, want %v (distance %d)", a, b, got, wantKeySim[d], d)
			}
			if back := KeySim(b, a); back != got {
				t.Errorf("KeySim not symmetric: (%v, %v) = %v, reversed %v", a, b, got, back)
			}
		}
	}
}

func TestKeySimSpotValues(t *testing.T) {
	tests := []struct {
		name string
		a, b Key
		want float64
	}{
		{"C vs Am", Key{0, Major}, Key{9, Minor}, 1},
		{"C vs G", Key{0, Major}, Key{7, Major}, 1},
		{"C vs F", Key{0, Major}, Key{5, Major}, 1},
		{"C vs D", Key{0, Major}, Key{2, Major}, 0.6},
		{"C major vs C minor", Key{0, Major}, Key{0, Minor}, 0.2},
		{"C vs C#", Key{0, Major}, Key{1, Major}, -0.6},
		{"C vs F#", Key{0, Major}, Key{6, Major}, -1},
		{"Am vs Ebm", Key{9, Minor}, Key{3, Minor}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := KeySim(tt.a, tt.b); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("KeySim(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestUnknownKey(t *testing.T) {
	unknowns := []Key{
		UnknownKey, NewKey(-1, -1), NewKey(3, -1), NewKey(-1, 1), NewKey(12, 0), NewKey(0, 2),
		{Pitch: 3, Mode: UnknownMode}, {Pitch: 12, Mode: Major}, {Pitch: -5, Mode: Minor}, {Pitch: 0, Mode: 7},
	}
	c := Key{0, Major}
	for _, k := range unknowns {
		t.Run(fmt.Sprintf("%d/%d", k.Pitch, k.Mode), func(t *testing.T) {
			if k.Known() {
				t.Fatalf("Known() = true")
			}
			if r := k.RelativeMajor(); r != -1 {
				t.Errorf("RelativeMajor() = %d, want -1", r)
			}
			if r := k.Relative(); r != UnknownKey {
				t.Errorf("Relative() = %+v, want UnknownKey", r)
			}
			if f := k.Fifths(); f != -1 {
				t.Errorf("Fifths() = %d, want -1", f)
			}
			if s := k.Camelot(); s != "" {
				t.Errorf("Camelot() = %q, want empty", s)
			}
			if s := k.OpenKey(); s != "" {
				t.Errorf("OpenKey() = %q, want empty", s)
			}
			if s := k.String(); s != "unknown" {
				t.Errorf("String() = %q, want unknown", s)
			}
			for _, pair := range [][2]Key{{k, c}, {c, k}, {k, k}} {
				if d := FifthsDistance(pair[0], pair[1]); d != -1 {
					t.Errorf("FifthsDistance = %d, want -1", d)
				}
				if s := KeySim(pair[0], pair[1]); s != Neutral || math.IsNaN(s) {
					t.Errorf("KeySim = %v, want Neutral", s)
				}
			}
		})
	}
	if got := NewKey(-1, 1); got != UnknownKey {
		t.Errorf("NewKey(-1, 1) = %+v, want UnknownKey (never half known)", got)
	}
}

func TestNewKeyKnown(t *testing.T) {
	for p := 0; p < 12; p++ {
		for m := 0; m < 2; m++ {
			k := NewKey(p, m)
			if !k.Known() || k.Pitch != p || int(k.Mode) != m {
				t.Errorf("NewKey(%d, %d) = %+v", p, m, k)
			}
		}
	}
}

// camelotWheel is the Camelot wheel as printed on Mixed In Key's chart, by
// sharp names: number n has camelotWheel[n-1] = {minor, major}.
var camelotWheel = [12][2]string{
	{"G# minor", "B major"},  // 1A Abm, 1B B
	{"D# minor", "F# major"}, // 2A Ebm, 2B F#
	{"A# minor", "C# major"}, // 3A Bbm, 3B Db
	{"F minor", "G# major"},  // 4A, 4B Ab
	{"C minor", "D# major"},  // 5A, 5B Eb
	{"G minor", "A# major"},  // 6A, 6B Bb
	{"D minor", "F major"},   // 7A, 7B
	{"A minor", "C major"},   // 8A, 8B
	{"E minor", "G major"},   // 9A, 9B
	{"B minor", "D major"},   // 10A, 10B
	{"F# minor", "A major"},  // 11A, 11B
	{"C# minor", "E major"},  // 12A Dbm, 12B
}

func TestCamelotOpenKey(t *testing.T) {
	byName := map[string]Key{}
	for _, k := range allKeys() {
		byName[k.String()] = k
	}
	for n := 1; n <= 12; n++ {
		for m, name := range camelotWheel[n-1] {
			k, ok := byName[name]
			if !ok {
				t.Fatalf("no key named %q", name)
			}
			letter := [2]string{"A", "B"}[m]
			if got, want := k.Camelot(), fmt.Sprint(n, letter); got != want {
				t.Errorf("%v.Camelot() = %q, want %q", k, got, want)
			}
			// Open Key is the Camelot wheel turned by seven hours.
			open := (n+4)%12 + 1
			if got, want := k.OpenKey(), fmt.Sprint(open, [2]string{"m", "d"}[m]); got != want {
				t.Errorf("%v.OpenKey() = %q, want %q", k, got, want)
			}
		}
	}
	// FIELD.md's formulas, with k the relative major worked out by name.
	relMajor := map[string]int{}
	for i, n := range sharpNames {
		relMajor[n] = i
	}
	for _, k := range allKeys() {
		r := k.Pitch
		if k.Mode == Minor {
			r = relMajor[circleMajors[circlePos(t, k)]]
		}
		camelot := fmt.Sprint(((7*r%12)+7)%12+1, map[Mode]string{Minor: "A", Major: "B"}[k.Mode])
		open := fmt.Sprint((7*r%12)+1, map[Mode]string{Minor: "m", Major: "d"}[k.Mode])
		if k.Camelot() != camelot || k.OpenKey() != open {
			t.Errorf("%v: Camelot %q OpenKey %q, FIELD.md formulas give %q %q",
				k, k.Camelot(), k.OpenKey(), camelot, open)
		}
	}
	anchors := []struct {
		k             Key
		camelot, open string
	}{
		{Key{0, Major}, "8B", "1d"},
		{Key{9, Minor}, "8A", "1m"},
		{Key{5, Minor}, "4A", "9m"},
		{Key{5, Major}, "7B", "12d"},
		{Key{4, Major}, "12B", "5d"},
		{Key{11, Major}, "1B", "6d"},
	}
	for _, a := range anchors {
		if a.k.Camelot() != a.camelot || a.k.OpenKey() != a.open {
			t.Errorf("%v: got %q %q, want %q %q", a.k, a.k.Camelot(), a.k.OpenKey(), a.camelot, a.open)
		}
	}
}

func TestRelative(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range allKeys() {
		r := k.Relative()
		if !r.Known() || r.Mode == k.Mode {
			t.Fatalf("%v.Relative() = %+v", k, r)
		}
		if r.Relative() != k {
			t.Errorf("%v.Relative().Relative() = %v", k, r.Relative())
		}
		if k.RelativeMajor() != r.RelativeMajor() || k.Fifths() != r.Fifths() {
			t.Errorf("%v and its relative %v differ in RelativeMajor/Fifths", k, r)
		}
		if k.Camelot()[:len(k.Camelot())-1] != r.Camelot()[:len(r.Camelot())-1] {
			t.Errorf("%v (%s) and relative %v (%s) differ in number", k, k.Camelot(), r, r.Camelot())
		}
		if seen[k.Camelot()] || seen[k.String()] {
			t.Errorf("%v: duplicate name", k)
		}
		seen[k.Camelot()], seen[k.String()] = true, true
	}
	if got := (Key{0, Major}).Relative(); got != (Key{9, Minor}) {
		t.Errorf("C major relative = %v, want A minor", got)
	}
	if got := (Key{9, Minor}).RelativeMajor(); got != 0 {
		t.Errorf("A minor RelativeMajor = %d, want 0", got)
	}
	if got := (Key{4, Minor}).Fifths(); got != 1 {
		t.Errorf("E minor Fifths = %d, want 1", got)
	}
}

func TestStrings(t *testing.T) {
	tests := []struct {
		k    Key
		want string
	}{
		{Key{0, Major}, "C major"},
		{Key{1, Minor}, "C# minor"},
		{Key{10, Major}, "A# major"},
		{Key{11, Minor}, "B minor"},
		{UnknownKey, "unknown"},
	}
	for _, tt := range tests {
		if got := tt.k.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.k, got, tt.want)
		}
	}
	for m, want := range map[Mode]string{Minor: "minor", Major: "major", UnknownMode: "unknown", 5: "unknown"} {
		if got := m.String(); got != want {
			t.Errorf("Mode(%d).String() = %q, want %q", m, got, want)
		}
	}
}
