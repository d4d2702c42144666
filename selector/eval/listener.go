package eval

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/discoflow/disco/features"
)

// Label is one genre and subgenre a track is known by (a playlist it is
// in, say).
type Label struct{ Genre, Subgenre string }

// Listener is what a listener notices of built playlists: whether the
// songs belong with the seeds, and whether the playlist drifts away from
// them. Each field is a mean over playlists; NaN when nothing was counted.
type Listener struct {
	// Precision is the share of the picks (the songs after the seeds:
	// with disco build's 13 songs, precision@10) that are in the rest of
	// the seeds' own playlist.
	Precision float64
	// RPrecision is the share of the candidate pool's first R songs that
	// are in the rest of the playlist, R being the number of its songs
	// after the seeds: how well the candidate source alone finds them.
	RPrecision float64
	// Genre and Subgenre are the shares of picks that carry the
	// playlist's genre (subgenre) among their labels (Options.Labels).
	Genre, Subgenre float64
	// Drift is the mean distance of the last 5 songs from the seeds'
	// centroid, in scaled units: lower stays closer to the seeds.
	Drift float64
	// Artists is the share of distinct artists among the picks.
	Artists float64
	// Taste is the share of picks the taste model assigns to the
	// listener (Options.Taste: label agreement); NaN without one.
	Taste float64
}

var listenFields = [...]struct {
	name   string
	higher bool
}{
	{"precision", true}, {"rprecision", true}, {"genre", true}, {"subgenre", true}, {"drift", false}, {"artists", true}, {"taste", true},
}

const numListen = len(listenFields)

// ListenerNames name Listener's fields in the order of Values.
var ListenerNames = func() (n [numListen]string) {
	for i, f := range listenFields {
		n[i] = f.name
	}
	return n
}()

// Values returns l's fields in ListenerNames' order.
func (l Listener) Values() [numListen]float64 { return l.vals() }

// DriftWindow is how many last songs Listener.Drift averages.
const DriftWindow = 5

func (l *Listener) vals() [numListen]float64 {
	return [numListen]float64{l.Precision, l.RPrecision, l.Genre, l.Subgenre, l.Drift, l.Artists, l.Taste}
}

func listenerOf(v [numListen]float64) Listener {
	return Listener{v[0], v[1], v[2], v[3], v[4], v[5], v[6]}
}

// MarshalJSON writes the fields in lower case, NaN as null.
func (l Listener) MarshalJSON() ([]byte, error) {
	v := l.vals()
	return marshalNullable(v[:], func(i int) string { return listenFields[i].name })
}

// listenMean averages per-playlist figures over the playlists where each
// is defined.
type listenMean struct {
	sum [numListen]float64
	n   [numListen]int
}

func (m *listenMean) add(v *[numListen]float64) { addDefined(m.sum[:], m.n[:], v[:]) }

func (m *listenMean) mean() Listener {
	var out [numListen]float64
	meanDefined(out[:], m.sum[:], m.n[:])
	return listenerOf(out)
}

// labels gives every table index its genre and subgenre bits (the first
// 64 distinct of each), and every run its playlist's.
type labels struct {
	genre, sub       []uint64 // per table index
	runGenre, runSub []uint64 // per run; 0 unknown
}

func bit(ids map[string]uint64, s string) uint64 {
	if s == "" {
		return 0
	}
	b, ok := ids[s]
	if !ok && len(ids) < 64 {
		b = 1 << len(ids)
		ids[s] = b
	}
	return b
}

// prepareLabels fills d.lab from Options.Labels and the playlists' own
// labels (for the runs).
func (d *Data) prepareLabels(pls []*features.Playlist) {
	if d.opt.Labels == nil {
		return
	}
	gid, sid := map[string]uint64{}, map[string]uint64{}
	lab := &d.lab
	lab.genre = make([]uint64, len(d.tab.tracks))
	lab.sub = make([]uint64, len(d.tab.tracks))
	for i, t := range d.tab.tracks {
		for _, l := range d.opt.Labels[t.ID] {
			lab.genre[i] |= bit(gid, l.Genre)
			lab.sub[i] |= bit(sid, l.Genre+"/"+l.Subgenre)
		}
	}
	for _, r := range d.runs {
		p := pls[r.playlist]
		var sub uint64
		if p.Subgenre != "" {
			sub = bit(sid, p.Genre+"/"+p.Subgenre)
		}
		lab.runGenre = append(lab.runGenre, bit(gid, p.Genre))
		lab.runSub = append(lab.runSub, sub)
	}
}

// rPrecision returns the share of r's pool's first R songs that are in
// the rest of the playlist (R its distinct recordings after the seeds),
// NaN without a pool or without such songs.
func (d *Data) rPrecision(r *run, pool []int32) float64 {
	tb := &d.tab
	ns := d.opt.Seeds
	seedRecs := make([]int32, 0, ns)
	for _, i := range r.idx[:ns] {
		seedRecs = append(seedRecs, tb.s.Rec[i])
	}
	R := 0
	for _, rec := range r.recs {
		if !slices.Contains(seedRecs, rec) {
			R++
		}
	}
	if R == 0 || len(pool) == 0 {
		return math.NaN()
	}
	hits, n := 0, 0
	for _, c := range pool {
		rec := tb.s.Rec[c]
		if slices.Contains(seedRecs, rec) {
			continue // the seeds' recordings are never picked
		}
		if n == R {
			break
		}
		n++
		if _, ok := slices.BinarySearch(r.recs, rec); ok {
			hits++
		}
	}
	return float64(hits) / float64(R)
}

// listen measures seq, the seeds of run ri followed by picks; arts is
// scratch.
func (d *Data) listen(ri int, seq []int32, arts *[]int32) [numListen]float64 {
	tb := &d.tab
	r := &d.runs[ri]
	ns := d.opt.Seeds
	nan := math.NaN()
	out := [numListen]float64{nan, r.rprec, nan, nan, nan, nan, nan}
	picks := seq[min(ns, len(seq)):]
	if len(picks) == 0 {
		return out
	}
	n := float64(len(picks))
	hits := 0
	*arts = (*arts)[:0]
	for _, c := range picks {
		if _, ok := slices.BinarySearch(r.recs, tb.s.Rec[c]); ok {
			hits++
		}
		if a := tb.s.Artist[c]; a >= 0 && !slices.Contains(*arts, a) {
			*arts = append(*arts, a)
		}
	}
	out[0] = float64(hits) / n
	out[5] = float64(len(*arts)) / n
	if d.agrees != nil {
		k := 0
		for _, c := range picks {
			if d.agrees[c] {
				k++
			}
		}
		out[6] = float64(k) / n
	}
	if lab := &d.lab; lab.genre != nil {
		count := func(want uint64, have []uint64) float64 {
			if want == 0 {
				return nan
			}
			k := 0
			for _, c := range picks {
				if have[c]&want != 0 {
					k++
				}
			}
			return float64(k) / n
		}
		out[2] = count(lab.runGenre[ri], lab.genre)
		out[3] = count(lab.runSub[ri], lab.sub)
	}
	var centre features.Vector
	for _, s := range seq[:min(ns, len(seq))] {
		for j, v := range tb.s.X[s*8 : s*8+8] {
			centre[j] += v / float64(min(ns, len(seq)))
		}
	}
	last := seq[max(len(seq)-DriftWindow, ns):]
	drift := 0.0
	for _, c := range last {
		drift += tb.s.Distance(&centre, int(c))
	}
	out[4] = drift / float64(len(last))
	return out
}

// humanListener measures the human order as a build: each playlist's
// seeds and its next songs, as many as a build holds.
func (d *Data) humanListener() Listener {
	var m listenMean
	var arts []int32
	for ri := range d.runs {
		r := &d.runs[ri]
		if len(r.idx) <= d.opt.Seeds {
			continue
		}
		n := len(r.idx)
		if d.opt.BuildLength > 0 {
			n = min(n, d.opt.BuildLength)
		}
		v := d.listen(ri, r.idx[:n], &arts)
		v[1] = math.NaN() // no pool
		m.add(&v)
	}
	return m.mean()
}

// randomListener measures random picks from the catalog (seeded by
// Options.Seed), as many as a build holds, no recording twice nor a
// seed's.
func (d *Data) randomListener() Listener {
	var m listenMean
	tb := &d.tab
	ns := d.opt.Seeds
	var seq, arts []int32
	for ri := range d.runs {
		r := &d.runs[ri]
		if len(r.idx) <= ns || len(d.cat) == 0 {
			continue
		}
		rng := rand.New(rand.NewPCG(d.opt.Seed, 0x7a0d_0000_0000+uint64(ri)))
		n := len(r.idx)
		if d.opt.BuildLength > 0 {
			n = d.opt.BuildLength
		}
		seq = append(seq[:0], r.idx[:ns]...)
		taken := map[int32]bool{}
		for _, s := range seq {
			taken[tb.s.Rec[s]] = true
		}
		for tries := 0; len(seq) < n && tries < 100*n; tries++ {
			c := d.cat[rng.IntN(len(d.cat))]
			if !taken[tb.s.Rec[c]] {
				taken[tb.s.Rec[c]] = true
				seq = append(seq, c)
			}
		}
		v := d.listen(ri, seq, &arts)
		v[1] = math.NaN() // no pool
		m.add(&v)
	}
	return m.mean()
}
