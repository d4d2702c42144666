package eval

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Knob names, as grids and CSV columns spell them.
const (
	KnobFlow       = "flow"
	KnobSpicyness  = "spicyness"
	KnobSweetness  = "sweetness"
	KnobSmoothness = "smoothness"
	KnobBelong     = "belong"
	KnobPool       = "pool"
)

// KnobNames lists the knobs of a Setting in CSV order.
var KnobNames = [...]string{KnobFlow, KnobSpicyness, KnobSweetness, KnobSmoothness, KnobBelong, KnobPool}

// knobAliases maps accepted spellings to knob names.
var knobAliases = map[string]string{
	"flow": KnobFlow, "spicyness": KnobSpicyness, "spiciness": KnobSpicyness,
	"sweetness": KnobSweetness, "smoothness": KnobSmoothness, "belong": KnobBelong, "pool": KnobPool,
}

// Get returns the value of the named knob (the pool size as a float); it
// panics on a name not in KnobNames.
func (s Setting) Get(name string) float64 {
	switch name {
	case KnobFlow:
		return s.Knobs.Flow
	case KnobSpicyness:
		return s.Knobs.Spicyness
	case KnobSweetness:
		return s.Knobs.Sweetness
	case KnobSmoothness:
		return s.Knobs.Smoothness
	case KnobBelong:
		return s.Knobs.Belong
	case KnobPool:
		return float64(s.Pool)
	}
	panic("eval: unknown knob " + name)
}

// Set sets the named knob; the pool value must be a whole number. It
// panics on a name not in KnobNames.
func (s *Setting) Set(name string, v float64) {
	switch name {
	case KnobFlow:
		s.Knobs.Flow = v
	case KnobSpicyness:
		s.Knobs.Spicyness = v
	case KnobSweetness:
		s.Knobs.Sweetness = v
	case KnobSmoothness:
		s.Knobs.Smoothness = v
	case KnobBelong:
		s.Knobs.Belong = v
	case KnobPool:
		s.Pool = int(v)
	default:
		panic("eval: unknown knob " + name)
	}
}

// Axis is one swept knob and its values, in the order given.
type Axis struct {
	Name   string
	Values []float64
}

// Grid is the knobs a sweep varies; the Settings are every combination.
type Grid []Axis

// Limits of a grid, so that a typo cannot ask for a year of computing.
const (
	MaxAxisValues = 10_000
	MaxSettings   = 1_000_000
)

// ErrGrid is wrapped by every error of ParseGrid.
var ErrGrid = errors.New("eval: bad grid")

// ParseGrid parses a grid: comma-separated "knob=values", each knob at
// most once, where knob is flow, spicyness (or spiciness), sweetness,
// smoothness, belong or pool, and values are "|"-separated items, each a number
// or an inclusive range lo:hi:step (lo ≤ hi, step > 0; values lo,
// lo+step, ... up to hi, rounded to 10 significant digits so that 0:1:0.1
// gives 0.3, not 0.30000000000000004). Pool values are whole numbers ≥ 0
// or "all" (0: the whole catalog). Spaces are ignored; the empty string is
// the empty grid (one Setting: the base). Examples:
//
//	flow=0:2:0.25,sweetness=0:3:0.5
//	pool=100|400|all,spicyness=1|1.2
//
// A value may not repeat within a knob, and a grid has at most
// MaxAxisValues values per knob and MaxSettings settings in all.
func ParseGrid(s string) (Grid, error) {
	s = strings.Join(strings.Fields(s), "")
	if s == "" {
		return nil, nil
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrGrid, fmt.Sprintf(format, args...))
	}
	var g Grid
	total := 1
	for _, part := range strings.Split(s, ",") {
		name, vals, ok := strings.Cut(part, "=")
		if !ok {
			return nil, bad("%q: want knob=values", part)
		}
		knob, ok := knobAliases[strings.ToLower(name)]
		if !ok {
			return nil, bad("unknown knob %q (want flow, spicyness, sweetness, smoothness, belong or pool)", name)
		}
		if slices.ContainsFunc(g, func(a Axis) bool { return a.Name == knob }) {
			return nil, bad("%s given twice", knob)
		}
		ax := Axis{Name: knob}
		for _, item := range strings.Split(vals, "|") {
			vs, err := parseItem(knob, item)
			if err != nil {
				return nil, bad("%s: %v", knob, err)
			}
			for _, v := range vs {
				if slices.Contains(ax.Values, v) {
					return nil, bad("%s: %v repeats", knob, v)
				}
				ax.Values = append(ax.Values, v)
				if len(ax.Values) > MaxAxisValues {
					return nil, bad("%s: more than %d values", knob, MaxAxisValues)
				}
			}
		}
		total *= len(ax.Values)
		if total > MaxSettings {
			return nil, bad("more than %d settings", MaxSettings)
		}
		g = append(g, ax)
	}
	return g, nil
}

// parseItem parses a number or a range lo:hi:step.
func parseItem(knob, item string) ([]float64, error) {
	pool := knob == KnobPool
	if pool && strings.EqualFold(item, "all") {
		return []float64{0}, nil
	}
	parts := strings.Split(item, ":")
	if len(parts) != 1 && len(parts) != 3 {
		return nil, fmt.Errorf("%q: want a number or lo:hi:step", item)
	}
	var vs [3]float64
	for i, p := range parts {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%q is not a finite number", p)
		}
		if pool && (v < 0 || v != math.Trunc(v) || v > 1e9) {
			return nil, fmt.Errorf("pool %q: want whole numbers from 0 (or \"all\")", item)
		}
		vs[i] = v
	}
	if len(parts) == 1 {
		return vs[:1], nil
	}
	lo, hi, step := vs[0], vs[1], vs[2]
	switch {
	case !(step > 0):
		return nil, fmt.Errorf("%q: step must be positive", item)
	case hi < lo:
		return nil, fmt.Errorf("%q: lo is above hi", item)
	}
	n := math.Floor((hi-lo)/step+1e-9) + 1
	if n > MaxAxisValues {
		return nil, fmt.Errorf("%q: more than %d values", item, MaxAxisValues)
	}
	out := make([]float64, 0, int(n))
	for i := range int(n) {
		v := round10(lo + float64(i)*step)
		if len(out) > 0 && v == out[len(out)-1] {
			continue // a step below the rounding
		}
		out = append(out, v)
	}
	return out, nil
}

// round10 rounds v to 10 significant digits.
func round10(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 10, 64), 64)
	return r
}

// Len returns the number of Settings.
func (g Grid) Len() int {
	n := 1
	for _, a := range g {
		n *= len(a.Values)
	}
	return n
}

// Settings returns every combination of the axes' values, the other knobs
// as in base. The first axis varies slowest, as in nested loops written in
// the grid's order.
func (g Grid) Settings(base Setting) []Setting {
	out := make([]Setting, 0, g.Len())
	var rec func(i int, s Setting)
	rec = func(i int, s Setting) {
		if i == len(g) {
			out = append(out, s)
			return
		}
		for _, v := range g[i].Values {
			s.Set(g[i].Name, v)
			rec(i+1, s)
		}
	}
	rec(0, base)
	return out
}

// String returns the grid in ParseGrid's syntax, every value listed.
func (g Grid) String() string {
	parts := make([]string, len(g))
	for i, a := range g {
		vs := make([]string, len(a.Values))
		for j, v := range a.Values {
			vs[j] = strconv.FormatFloat(v, 'g', -1, 64)
			if a.Name == KnobPool && v == 0 {
				vs[j] = "all"
			}
		}
		parts[i] = a.Name + "=" + strings.Join(vs, "|")
	}
	return strings.Join(parts, ",")
}

// Pools returns the pool sizes of the Settings of g with base, for
// Options.Pools.
func (g Grid) Pools(base Setting) []int {
	for _, a := range g {
		if a.Name == KnobPool {
			out := make([]int, len(a.Values))
			for i, v := range a.Values {
				out[i] = int(v)
			}
			return out
		}
	}
	return []int{base.Pool}
}
