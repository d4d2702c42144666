package sequence

import (
	"errors"
	"fmt"
	"math"
)

// Problem is n songs to put in order. Its zero value, with N = 0, is the
// empty problem. See the package documentation for the cost of an order.
type Problem struct {
	// N is the number of songs, numbered 0..N-1.
	N int
	// Cost is the N×N row-major transition cost: Cost[i*N+j] is the cost
	// of playing song j right after song i. It may be asymmetric and
	// negative; +Inf forbids the move. The diagonal is ignored.
	Cost []float64
	// Artist[i] is song i's artist id; a negative id is unknown and never
	// matches. nil: no artist spacing.
	Artist []int32
	// ArtistGap g > 1 means "no artist twice within g songs": every pair of
	// songs of one artist at positions p < q with q−p < g costs
	// ArtistPenalty (gap 3 forbids p and p+1, p+2). g ≤ 1: no spacing.
	ArtistGap int
	// ArtistPenalty is the cost of each such pair: finite and ≥ 0.
	ArtistPenalty float64
	// Fixed[p] is the song that must stand at position p, or -1 (locked
	// first songs, --first, --last, pins). nil: nothing fixed; otherwise
	// its length is N.
	Fixed []int
	// Position, when not nil, is the N×N position cost: Position[p*N+i] is
	// the cost of song i at position p (an energy-arc target curve). +Inf
	// forbids song i at position p.
	Position []float64
	// StartCost, when not nil, has length N: StartCost[j] is the cost of
	// song j at position 0, e.g. the transition from the last seed that
	// plays before the songs being ordered.
	StartCost []float64
}

// Errors returned by Exact.
var (
	// ErrTooLarge is returned by Exact for a problem of more than MaxExact
	// songs.
	ErrTooLarge = errors.New("sequence: too many songs for the exact solver")
	// ErrInfeasible is returned by Exact when every order costs +Inf:
	// the forbidden moves and positions leave no way through.
	ErrInfeasible = errors.New("sequence: every order has a forbidden move")
)

// ValidationError is a fault in a Problem found by Validate.
type ValidationError struct {
	Field string // "N", "Cost", "Artist", "ArtistGap", "ArtistPenalty", "Fixed", "Position", "StartCost"
	Index int    // the offending index in Field, or -1
	Msg   string
}

func (e *ValidationError) Error() string {
	if e.Index >= 0 {
		return fmt.Sprintf("sequence: %s[%d]: %s", e.Field, e.Index, e.Msg)
	}
	return fmt.Sprintf("sequence: %s: %s", e.Field, e.Msg)
}

func invalid(field string, index int, format string, args ...any) error {
	return &ValidationError{Field: field, Index: index, Msg: fmt.Sprintf(format, args...)}
}

// Validate reports the first fault of p, as a *ValidationError naming the
// field and index: a negative N; Cost, Artist, Fixed, Position or
// StartCost of the wrong length; NaN or −Inf in a cost (the diagonal of
// Cost is not checked); a negative gap; a negative, NaN or infinite
// ArtistPenalty; a Fixed entry out of range, or a song fixed at two
// positions. It returns nil for a consistent problem.
func (p *Problem) Validate() error {
	n := p.N
	if n < 0 {
		return invalid("N", -1, "negative: %d", n)
	}
	if len(p.Cost) != n*n {
		return invalid("Cost", -1, "length %d, want N*N = %d", len(p.Cost), n*n)
	}
	for k, c := range p.Cost {
		if k/n == k%n {
			continue
		}
		if math.IsNaN(c) || math.IsInf(c, -1) {
			return invalid("Cost", k, "%v (move %d -> %d)", c, k/n, k%n)
		}
	}
	if p.Artist != nil && len(p.Artist) != n {
		return invalid("Artist", -1, "length %d, want N = %d", len(p.Artist), n)
	}
	if p.ArtistGap < 0 {
		return invalid("ArtistGap", -1, "negative: %d", p.ArtistGap)
	}
	if ap := p.ArtistPenalty; ap < 0 || math.IsNaN(ap) || math.IsInf(ap, 0) {
		return invalid("ArtistPenalty", -1, "%v, want finite and >= 0", ap)
	}
	if p.Fixed != nil {
		if len(p.Fixed) != n {
			return invalid("Fixed", -1, "length %d, want N = %d", len(p.Fixed), n)
		}
		at := make([]int, n)
		for i := range at {
			at[i] = -1
		}
		for pos, s := range p.Fixed {
			if s == -1 {
				continue
			}
			if s < -1 || s >= n {
				return invalid("Fixed", pos, "song %d out of range [-1, %d)", s, n)
			}
			if at[s] >= 0 {
				return invalid("Fixed", pos, "song %d already fixed at position %d", s, at[s])
			}
			at[s] = pos
		}
	}
	if p.Position != nil {
		if len(p.Position) != n*n {
			return invalid("Position", -1, "length %d, want N*N = %d", len(p.Position), n*n)
		}
		for k, c := range p.Position {
			if math.IsNaN(c) || math.IsInf(c, -1) {
				return invalid("Position", k, "%v (song %d at position %d)", c, k%n, k/n)
			}
		}
	}
	if p.StartCost != nil {
		if len(p.StartCost) != n {
			return invalid("StartCost", -1, "length %d, want N = %d", len(p.StartCost), n)
		}
		for k, c := range p.StartCost {
			if math.IsNaN(c) || math.IsInf(c, -1) {
				return invalid("StartCost", k, "%v", c)
			}
		}
	}
	return nil
}

// OrderCost returns the cost of playing the songs in order: the sum of
// StartCost[order[0]], of the transitions Cost[order[k-1]*N+order[k]], of
// the position costs Position[k*N+order[k]] and of ArtistPenalty for each
// pair of one artist closer than ArtistGap. It is +Inf if any term is. It
// does not check that order is a permutation or respects Fixed; it panics
// if an entry is out of range. The empty order costs 0.
func (p *Problem) OrderCost(order []int) float64 {
	n := p.N
	total := 0.0
	for k, s := range order {
		if k == 0 {
			if p.StartCost != nil {
				total += p.StartCost[s]
			}
		} else {
			total += p.Cost[order[k-1]*n+s]
		}
		if p.Position != nil {
			total += p.Position[k*n+s]
		}
	}
	return total + p.artistCost(order)
}

// artistCost is the artist-spacing part of OrderCost.
func (p *Problem) artistCost(order []int) float64 {
	g := p.ArtistGap
	if g < 2 || p.Artist == nil || p.ArtistPenalty == 0 {
		return 0
	}
	pairs := 0
	for x, s := range order {
		a := p.Artist[s]
		if a < 0 {
			continue
		}
		for y := x + 1; y < len(order) && y-x < g; y++ {
			if p.Artist[order[y]] == a {
				pairs++
			}
		}
	}
	return float64(float64(pairs) * p.ArtistPenalty) // rounded: never fused into a sum
}

// spacing reports whether artist penalties are in play.
func (p *Problem) spacing() bool {
	return p.ArtistGap >= 2 && p.Artist != nil && p.ArtistPenalty != 0
}

// fixedAt returns, for each song, the position it is fixed at, or -1.
func (p *Problem) fixedAt() []int {
	at := make([]int, p.N)
	for i := range at {
		at[i] = -1
	}
	for pos, s := range p.Fixed {
		if s >= 0 {
			at[s] = pos
		}
	}
	return at
}
