package theory

// Move is the step between two keys on the Camelot wheel, as DJs name it.
// Hours count clockwise, that is in fifths up: 8A -> 9A is +1.
//
// The zero Move is Unknown.
type Move int

// Moves, from one key to the next.
const (
	// Unknown: either key is unknown.
	Unknown Move = iota
	// Same: the same Camelot code (the same key).
	Same
	// Up: +1 hour, same letter (a fifth up: 8A -> 9A, 12B -> 1B).
	Up
	// Down: -1 hour, same letter (a fifth down: 8A -> 7A).
	Down
	// Relative: same number, other letter (relative major or minor: 8A <-> 8B).
	Relative
	// Boost2: +2 hours, same letter (a whole tone up: 8B -> 10B, C to D).
	Boost2
	// Boost7: +7 hours, same letter (a semitone up: 8B -> 3B, C to C#).
	Boost7
	// Diagonal: from a major key to the minor key one hour up (8B -> 9A, C
	// to E minor), or from a minor key to the major key one hour down
	// (8A -> 7B, A minor to F), the reverse of the same step. The mirror
	// steps (8A -> 9B, 8B -> 7A) are Other, although KeySim scores all four
	// as 1 since they are one fifth apart.
	Diagonal
	// Other: any other step between known keys.
	Other
)

var moveNames = [...]string{
	Unknown:  "unknown",
	Same:     "same",
	Up:       "+1",
	Down:     "-1",
	Relative: "relative",
	Boost2:   "+2 boost",
	Boost7:   "+7 boost",
	Diagonal: "diagonal",
	Other:    "other",
}

// String returns the move's short name: "same", "+1", "-1", "relative",
// "+2 boost", "+7 boost", "diagonal", "other" or "unknown" (also for values
// outside the constants).
func (m Move) String() string {
	if m < 0 || int(m) >= len(moveNames) {
		return "unknown"
	}
	return moveNames[m]
}

// Compatible reports whether m is one of the four moves DJs call
// harmonically compatible: Same, Up, Down or Relative. Boosts and the
// diagonal are not included; see Boost.
func (m Move) Compatible() bool {
	return m == Same || m == Up || m == Down || m == Relative
}

// Boost reports whether m is one of the named moves beyond the compatible
// ones, used on purpose to lift energy or change mood: Boost2, Boost7 or
// Diagonal.
func (m Move) Boost() bool {
	return m == Boost2 || m == Boost7 || m == Diagonal
}

// Classify names the step from key from to key to. It returns Unknown if
// either key is unknown. Moves are directed: Classify(a, b) is Up exactly
// when Classify(b, a) is Down, Boost2 and Boost7 have no named reverse,
// and Same, Relative and Diagonal are their own reverse.
func Classify(from, to Key) Move {
	nf, nt := from.camelotNumber(), to.camelotNumber()
	if nf == 0 || nt == 0 {
		return Unknown
	}
	hours := (nt - nf + 12) % 12
	if from.Mode == to.Mode {
		switch hours {
		case 0:
			return Same
		case 1:
			return Up
		case 11:
			return Down
		case 2:
			return Boost2
		case 7:
			return Boost7
		}
		return Other
	}
	switch {
	case hours == 0:
		return Relative
	case from.Mode == Major && hours == 1, from.Mode == Minor && hours == 11:
		return Diagonal
	}
	return Other
}

// Transition describes the step from one key to the next for people, with
// Camelot codes and the move: "8A -> 9A (+1)", "8A -> 8B (relative)",
// "8B -> 3B (+7 boost)", "8A -> 2B (other)". An unknown key is written "?"
// and the move left out: "? -> 8A".
func Transition(from, to Key) string {
	m := Classify(from, to)
	if m == Unknown {
		return camelotOrQ(from) + " -> " + camelotOrQ(to)
	}
	return from.Camelot() + " -> " + to.Camelot() + " (" + m.String() + ")"
}

func camelotOrQ(k Key) string {
	if c := k.Camelot(); c != "" {
		return c
	}
	return "?"
}
