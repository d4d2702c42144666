package theory

import "testing"

// mustKey parses s or fails the test.
func mustKey(t testing.TB, s string) Key {
	t.Helper()
	k, err := ParseKey(s)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestClassify(t *testing.T) {
	tests := []struct {
		from, to string
		want     Move
	}{
		{"8A", "8A", Same},
		{"Am", "A minor", Same},
		{"8A", "9A", Up},
		{"C", "G", Up},
		{"12B", "1B", Up},
		{"8A", "7A", Down},
		{"1A", "12A", Down},
		{"C", "F", Down},
		{"8A", "8B", Relative},
		{"C", "Am", Relative},
		{"8B", "10B", Boost2},
		{"C", "D", Boost2},
		{"11A", "1A", Boost2},
		{"8B", "3B", Boost7},
		{"C", "C#", Boost7},
		{"Am", "Bbm", Boost7},
		{"8B", "9A", Diagonal},
		{"C", "Em", Diagonal},
		{"8A", "7B", Diagonal},
		{"Am", "F", Diagonal},
		{"12B", "1A", Diagonal},
		{"1A", "12B", Diagonal},
		{"8A", "9B", Other},
		{"8B", "7A", Other},
		{"8B", "6B", Other},
		{"10B", "8B", Other},
		{"3B", "8B", Other},
		{"C", "Cm", Other},
		{"C", "F#", Other},
	}
	for _, tt := range tests {
		t.Run(tt.from+"->"+tt.to, func(t *testing.T) {
			if got := Classify(mustKey(t, tt.from), mustKey(t, tt.to)); got != tt.want {
				t.Errorf("Classify(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
	c := Key{0, Major}
	for _, pair := range [][2]Key{{UnknownKey, c}, {c, UnknownKey}, {UnknownKey, UnknownKey}, {{3, UnknownMode}, c}} {
		if got := Classify(pair[0], pair[1]); got != Unknown {
			t.Errorf("Classify(%+v, %+v) = %v, want Unknown", pair[0], pair[1], got)
		}
	}
}

// TestClassifyAllPairs checks, from every key, that each named move leads to
// exactly one key, that the moves agree with the circle of fifths, and that
// reverses pair up.
func TestClassifyAllPairs(t *testing.T) {
	wantDist := map[Move]int{Same: 0, Relative: 0, Up: 1, Down: 1, Diagonal: 1, Boost2: 2, Boost7: 5}
	reverse := map[Move]Move{Same: Same, Relative: Relative, Up: Down, Down: Up, Diagonal: Diagonal}
	for _, from := range allKeys() {
		count := map[Move]int{}
		for _, to := range allKeys() {
			m := Classify(from, to)
			count[m]++
			if d, ok := wantDist[m]; ok && FifthsDistance(from, to) != d {
				t.Errorf("%s -> %s is %v but %d fifths apart, want %d", from.Camelot(), to.Camelot(), m, FifthsDistance(from, to), d)
			}
			if m.Compatible() && KeySim(from, to) != 1 {
				t.Errorf("%s -> %s is compatible (%v) but KeySim %v", from.Camelot(), to.Camelot(), m, KeySim(from, to))
			}
			if r, ok := reverse[m]; ok && Classify(to, from) != r {
				t.Errorf("%s -> %s is %v but the reverse is %v, want %v", from.Camelot(), to.Camelot(), m, Classify(to, from), r)
			}
		}
		for _, m := range []Move{Same, Up, Down, Relative, Boost2, Boost7, Diagonal} {
			if count[m] != 1 {
				t.Errorf("from %s: %d keys are %v, want 1", from.Camelot(), count[m], m)
			}
		}
		if count[Other] != 17 || count[Unknown] != 0 {
			t.Errorf("from %s: %d Other, %d Unknown; want 17, 0", from.Camelot(), count[Other], count[Unknown])
		}
	}
}

func TestMoveKinds(t *testing.T) {
	tests := []struct {
		m                 Move
		name              string
		compatible, boost bool
	}{
		{Unknown, "unknown", false, false},
		{Same, "same", true, false},
		{Up, "+1", true, false},
		{Down, "-1", true, false},
		{Relative, "relative", true, false},
		{Boost2, "+2 boost", false, true},
		{Boost7, "+7 boost", false, true},
		{Diagonal, "diagonal", false, true},
		{Other, "other", false, false},
		{Move(-3), "unknown", false, false},
		{Move(99), "unknown", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.m.String() != tt.name || tt.m.Compatible() != tt.compatible || tt.m.Boost() != tt.boost {
				t.Errorf("Move(%d): %q compatible %v boost %v; want %q %v %v",
					int(tt.m), tt.m.String(), tt.m.Compatible(), tt.m.Boost(), tt.name, tt.compatible, tt.boost)
			}
		})
	}
	var zero Move
	if zero != Unknown {
		t.Errorf("zero Move is %v, want Unknown", zero)
	}
}

func TestTransition(t *testing.T) {
	tests := []struct {
		from, to Key
		want     string
	}{
		{Key{9, Minor}, Key{4, Minor}, "8A -> 9A (+1)"},
		{Key{9, Minor}, Key{0, Major}, "8A -> 8B (relative)"},
		{Key{0, Major}, Key{1, Major}, "8B -> 3B (+7 boost)"},
		{Key{0, Major}, Key{4, Minor}, "8B -> 9A (diagonal)"},
		{Key{9, Minor}, Key{9, Minor}, "8A -> 8A (same)"},
		{Key{9, Minor}, Key{11, Major}, "8A -> 1B (other)"},
		{UnknownKey, Key{9, Minor}, "? -> 8A"},
		{Key{9, Minor}, UnknownKey, "8A -> ?"},
		{UnknownKey, UnknownKey, "? -> ?"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := Transition(tt.from, tt.to); got != tt.want {
				t.Errorf("Transition(%v, %v) = %q, want %q", tt.from, tt.to, got, tt.want)
			}
		})
	}
}
