package eval

import (
	"math"
	"math/rand/v2"

	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/theory"
)

// ArtistWindow is how many songs back an artist counts as repeated.
const ArtistWindow = 3

// Flow is how an order flows, measured on its transitions from the last
// seed on (see the package documentation). A field is NaN when there was
// nothing to count (no transition with both keys known, say); JSON writes
// it as null.
type Flow struct {
	// Step is the mean Euclidean distance between consecutive songs'
	// scaled features: lower is smoother.
	Step float64
	// Key is the share of transitions with keySim = 1 (the same key, the
	// relative major or minor, or a fifth away).
	Key float64
	// Camelot is the share of Camelot-compatible transitions: the same
	// code, one hour either way, or the relative key.
	Camelot float64
	// Tempo is the share of transitions within 6% BPM, half and double
	// time allowed.
	Tempo float64
	// Artist is the share of songs after the seeds that share an artist
	// with one of the ArtistWindow songs before them: lower is better.
	Artist float64
	// Tau is Kendall's tau between the order of the songs after the seeds
	// and their human order: 1 for the human order, about 0 for a shuffle;
	// NaN for songs not from one playlist (the build task).
	Tau float64
}

// flowFields lists Flow's fields in a fixed order, with their names and
// whether higher is better.
var flowFields = [...]struct {
	name   string
	higher bool
	get    func(*Flow) *float64
}{
	{"step", false, func(f *Flow) *float64 { return &f.Step }},
	{"key", true, func(f *Flow) *float64 { return &f.Key }},
	{"camelot", true, func(f *Flow) *float64 { return &f.Camelot }},
	{"tempo", true, func(f *Flow) *float64 { return &f.Tempo }},
	{"artist", false, func(f *Flow) *float64 { return &f.Artist }},
	{"tau", true, func(f *Flow) *float64 { return &f.Tau }},
}

const numFlow = len(flowFields)

func (f *Flow) vals() [numFlow]float64 {
	return [numFlow]float64{f.Step, f.Key, f.Camelot, f.Tempo, f.Artist, f.Tau}
}

func flowOf(v [numFlow]float64) Flow {
	return Flow{Step: v[0], Key: v[1], Camelot: v[2], Tempo: v[3], Artist: v[4], Tau: v[5]}
}

// Lift returns f/shuffled − 1 field by field: the relative change from
// the shuffle of the same songs (NaN where either is NaN or shuffled is 0).
func (f Flow) Lift(shuffled Flow) Flow {
	a, b := f.vals(), shuffled.vals()
	var out [numFlow]float64
	for i := range a {
		out[i] = math.NaN()
		if b[i] != 0 {
			out[i] = a[i]/b[i] - 1
		}
	}
	return flowOf(out)
}

// MarshalJSON writes the fields in lower case, NaN as null.
func (f Flow) MarshalJSON() ([]byte, error) {
	v := f.vals()
	return marshalNullable(v[:], func(i int) string { return flowFields[i].name })
}

// flowMean accumulates per-playlist flows and averages each field over the
// playlists where it is defined.
type flowMean struct {
	sum [numFlow]float64
	n   [numFlow]int
}

func (m *flowMean) add(f *[numFlow]float64) { addDefined(m.sum[:], m.n[:], f[:]) }

func (m *flowMean) mean() Flow {
	var out [numFlow]float64
	meanDefined(out[:], m.sum[:], m.n[:])
	return flowOf(out)
}

// addDefined adds each value of v that is not NaN to its sum and count:
// the accumulation of flowMean and listenMean.
func addDefined(sum []float64, n []int, v []float64) {
	for i, x := range v {
		if !math.IsNaN(x) {
			sum[i] += x
			n[i]++
		}
	}
}

// meanDefined sets out[i] to sum[i]/n[i], NaN where nothing was counted.
func meanDefined(out, sum []float64, n []int) {
	for i := range out {
		out[i] = math.NaN()
		if n[i] > 0 {
			out[i] = sum[i] / float64(n[i])
		}
	}
}

// flowScratch is what measuring needs, reused.
type flowScratch struct {
	buf, tmp []int32 // tau: the positions to sort, merge scratch
	shuf     []int32 // a shuffled order
	spos     []int32 // its positions in the human order
	cseq     []int32 // a reorder in canonical order
	cpos     []int32 // its positions
	sorted   []int32
	pcg      *rand.PCG
	rng      *rand.Rand
}

func newFlowScratch() *flowScratch {
	pcg := rand.NewPCG(0, 0)
	return &flowScratch{pcg: pcg, rng: rand.New(pcg)}
}

// measure returns the flow of seq (table indices), counting transitions
// from position from-1 on and artist repeats from position from on. pos,
// when not nil, gives each song's position in the human order, for tau.
func (tb *table) measure(seq []int32, from int, pos []int32, sc *flowScratch) [numFlow]float64 {
	nan := math.NaN()
	out := [numFlow]float64{nan, nan, nan, nan, nan, nan}
	if len(seq) <= from || from < 1 {
		return out
	}
	var step float64
	var nStep, nKey, key, camelot, nTempo, tempo, art, nArt int
	for i := from; i < len(seq); i++ {
		a, b := seq[i-1], seq[i]
		var d float64
		xa, xb := tb.s.X[a*8:a*8+8:a*8+8], tb.s.X[b*8:b*8+8:b*8+8]
		for j := range 8 {
			e := xa[j] - xb[j]
			d += e * e
		}
		step += math.Sqrt(d)
		nStep++
		if fa, fb := tb.s.Fifths[a], tb.s.Fifths[b]; fa < 12 && fb < 12 {
			nKey++
			if selector.KeySimFifths(fa, fb) == 1 {
				key++
			}
			if tb.camelot[tb.kcode[a]][tb.kcode[b]] {
				camelot++
			}
		}
		if ta, tt := tb.tempo[a], tb.tempo[b]; ta > 0 && tt > 0 && !math.IsInf(ta, 0) && !math.IsInf(tt, 0) {
			nTempo++
			if theory.TempoCompatible(ta, tt, theory.DefaultTempoTolerance) {
				tempo++
			}
		}
		nArt++
		if tb.artistRepeat(seq, i) {
			art++
		}
	}
	out[0] = step / float64(nStep)
	if nKey > 0 {
		out[1] = float64(key) / float64(nKey)
		out[2] = float64(camelot) / float64(nKey)
	}
	if nTempo > 0 {
		out[3] = float64(tempo) / float64(nTempo)
	}
	out[4] = float64(art) / float64(nArt)
	if pos != nil && len(seq)-from >= 2 {
		sc.buf = append(sc.buf[:0], pos[from:len(seq)]...)
		out[5] = kendallTau(sc.buf, &sc.tmp)
	}
	return out
}

// artistRepeat reports whether seq[i] shares an artist with one of the
// ArtistWindow songs before it.
func (tb *table) artistRepeat(seq []int32, i int) bool {
	b := seq[i]
	ab := tb.arts[tb.artOff[b]:tb.artOff[b+1]]
	for k := max(0, i-ArtistWindow); k < i; k++ {
		a := seq[k]
		for _, x := range tb.arts[tb.artOff[a]:tb.artOff[a+1]] {
			for _, y := range ab {
				if x == y {
					return true
				}
			}
		}
	}
	return false
}

// kendallTau returns Kendall's tau between the order of v and the sorted
// order, for distinct values: (concordant − discordant) / (n(n−1)/2)
// = 1 − 4·inversions/(n(n−1)). It may sort v in place, using *buf as
// scratch; NaN for fewer than 2 values.
func kendallTau(v []int32, buf *[]int32) float64 {
	n := len(v)
	if n < 2 {
		return math.NaN()
	}
	if n <= 128 {
		// Counting pairs directly beats merge sort on short orders.
		inv := 0
		for i, a := range v {
			for _, b := range v[i+1:] {
				if a > b {
					inv++
				}
			}
		}
		return 1 - 4*float64(inv)/(float64(n)*float64(n-1))
	}
	if cap(*buf) < n {
		*buf = make([]int32, n)
	}
	inv := inversions(v, (*buf)[:n])
	return 1 - 4*float64(inv)/(float64(n)*float64(n-1))
}

// inversions counts the pairs i < j with v[i] > v[j] by merge sort,
// sorting v; tmp has len(v).
func inversions(v, tmp []int32) int {
	n := len(v)
	if n < 2 {
		return 0
	}
	m := n / 2
	inv := inversions(v[:m], tmp[:m]) + inversions(v[m:], tmp[m:])
	i, j, k := 0, m, 0
	for i < m && j < n {
		if v[i] <= v[j] {
			tmp[k] = v[i]
			i++
		} else {
			tmp[k] = v[j]
			inv += m - i
			j++
		}
		k++
	}
	k += copy(tmp[k:], v[i:m])
	copy(tmp[k:], v[j:n])
	copy(v, tmp)
	return inv
}

// shuffled returns the mean flow of shuffles of seq's songs after from.
// The shuffles come from a source seeded by (seed, stream), so they
// depend on nothing else.
func (tb *table) shuffled(seq []int32, from int, pos []int32, shuffles int, seed, stream uint64, sc *flowScratch) [numFlow]float64 {
	if len(seq) <= from {
		var nan [numFlow]float64
		for i := range nan {
			nan[i] = math.NaN()
		}
		return nan
	}
	sc.pcg.Seed(seed, stream)
	s := append(sc.shuf[:0], seq...)
	sc.shuf = s
	var sp []int32
	if pos != nil {
		// Shuffle the human positions along with the songs.
		sp = append(sc.spos[:0], pos[:len(seq)]...)
		sc.spos = sp
	}
	var acc flowMean
	for range shuffles {
		for i := len(s) - 1; i > from; i-- {
			j := from + sc.rng.IntN(i-from+1)
			s[i], s[j] = s[j], s[i]
			if sp != nil {
				sp[i], sp[j] = sp[j], sp[i]
			}
		}
		f := tb.measure(s, from, sp, sc)
		acc.add(&f)
	}
	mf := acc.mean()
	return mf.vals()
}
