package candidates

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model/scale"
	"github.com/discoflow/disco/model/song2vec"
)

// Mapper gives a song that was in no training playlist, and so has no
// song2vec vector, a vector from what else is known of it (the cold
// start): the mean of its artist's vectors when the artist has songs with
// vectors, else a ridge regression from its content (mode and the eight
// scaled features) and genre to the unit vectors, fitted on the songs that
// have both. It implements song2vec.ColdStart. It is fitted on first use
// (in milliseconds, so it is fitted with the vectors it serves rather
// than saved), and is safe for concurrent use.
type Mapper struct {
	v      *song2vec.Vectors
	cat    *features.Catalog
	scaler *scale.Scaler
	once   sync.Once
	fit    *fitted
	err    error
}

// fitted is a fitted Mapper.
type fitted struct {
	scaler  *scale.Scaler
	dim     int
	artists map[string][]float64 // ArtistKey -> mean unit vector of the artist's songs
	genres  []string             // the one-hot genre inputs, sorted
	w       *mat.Dense           // inputs × dim
}

// NewMapper returns a Mapper over the catalog's tracks that have both
// audio features and a vector; it is fitted when first used.
func NewMapper(v *song2vec.Vectors, cat *features.Catalog, sc *scale.Scaler) *Mapper {
	return &Mapper{v: v, cat: cat, scaler: sc}
}

// Err returns why the Mapper could not be fitted (too few songs with
// both features and a vector), after a first use; then it maps nothing.
func (m *Mapper) Err() error {
	m.fitOnce()
	return m.err
}

func (m *Mapper) fitOnce() {
	m.once.Do(func() { m.fit, m.err = fitMapper(m.v, m.cat.WithFeatures(), m.scaler, nil) })
}

// Ridge is the regression's L2 penalty, relative to the number of songs
// it is fitted on.
const Ridge = 1e-3

// numContent is the content inputs: a constant, mode, the 8 features.
const numContent = 2 + features.NumAbstract

// fitMapper fits on tracks, leaving out the vectors of held (by row).
func fitMapper(v *song2vec.Vectors, tracks []*features.Track, sc *scale.Scaler, held map[int]bool) (*fitted, error) {
	m := &fitted{scaler: sc, dim: v.Dim, artists: map[string][]float64{}}
	counts := map[string]int{}
	var rows []int
	var fit []*features.Track
	genres := map[string]bool{}
	for _, t := range tracks {
		i := v.Index(t.ID)
		if i < 0 || held[i] || !t.HasFeatures {
			continue
		}
		u := unit(v.Row(i))
		if u == nil {
			continue
		}
		rows, fit = append(rows, i), append(fit, t)
		if t.Genre != "" {
			genres[t.Genre] = true
		}
		for _, a := range artistKeys(t) {
			s := m.artists[a]
			if s == nil {
				s = make([]float64, v.Dim)
				m.artists[a] = s
			}
			for j, x := range u {
				s[j] += x
			}
			counts[a]++
		}
	}
	if len(fit) < 2*(numContent+len(genres)) {
		return nil, fmt.Errorf("candidates: %d songs have both features and a vector, too few to map content to vectors", len(fit))
	}
	for a, s := range m.artists {
		for j := range s {
			s[j] /= float64(counts[a])
		}
	}
	for g := range genres {
		m.genres = append(m.genres, g)
	}
	slices.Sort(m.genres)

	p := numContent + len(m.genres)
	x := mat.NewDense(len(fit), p, nil)
	y := mat.NewDense(len(fit), v.Dim, nil)
	in := make([]float64, p)
	for r, t := range fit {
		m.input(in, t)
		x.SetRow(r, in)
		y.SetRow(r, unit(v.Row(rows[r])))
	}
	var xtx, xty mat.Dense
	xtx.Mul(x.T(), x)
	xty.Mul(x.T(), y)
	for j := 1; j < p; j++ { // the constant is not penalised
		xtx.Set(j, j, xtx.At(j, j)+Ridge*float64(len(fit)))
	}
	m.w = new(mat.Dense)
	if err := m.w.Solve(&xtx, &xty); err != nil {
		return nil, fmt.Errorf("candidates: fitting the content-to-vector map: %w", err)
	}
	return m, nil
}

// input fills in with t's regression inputs.
func (m *fitted) input(in []float64, t *features.Track) {
	clear(in)
	in[0] = 1
	in[1] = features.ModeInput(t.Mode)
	z := m.scaler.Transform(t.Features)
	copy(in[2:], z[:])
	if i, ok := slices.BinarySearch(m.genres, t.Genre); ok && t.Genre != "" {
		in[numContent+i] = 1
	}
}

// How a Mapper found a vector.
const (
	ByArtist  = "artist"
	ByContent = "content"
)

// Map returns a vector for t and how it was found (ByArtist or ByContent);
// nil and "" when t has neither a known artist nor features, or the
// Mapper could not be fitted (see Err).
func (m *Mapper) Map(t *features.Track) ([]float64, string) {
	m.fitOnce()
	if m.fit == nil {
		return nil, ""
	}
	return m.fit.Map(t)
}

func (m *fitted) Map(t *features.Track) ([]float64, string) {
	var sum []float64
	n := 0
	for _, a := range artistKeys(t) {
		if s, ok := m.artists[a]; ok {
			if sum == nil {
				sum = make([]float64, m.dim)
			}
			for j, x := range s {
				sum[j] += x
			}
			n++
		}
	}
	if n > 0 {
		return sum, ByArtist
	}
	if !t.HasFeatures {
		return nil, ""
	}
	in := make([]float64, numContent+len(m.genres))
	m.input(in, t)
	out := make([]float64, m.dim)
	mat.NewVecDense(m.dim, out).MulVec(m.w.T(), mat.NewVecDense(len(in), in))
	return out, ByContent
}

// ColdVector implements song2vec.ColdStart.
func (m *Mapper) ColdVector(t *features.Track) []float64 {
	v, _ := m.Map(t)
	return v
}

// artistKeys returns t's distinct artists as ArtistKey spells them.
func artistKeys(t *features.Track) []string {
	var out []string
	for _, a := range t.Artists {
		if k := ArtistKey(a); k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// unit returns x scaled to length 1, or nil for a zero vector.
func unit(x []float64) []float64 {
	var n float64
	for _, v := range x {
		n += v * v
	}
	if n == 0 {
		return nil
	}
	n = 1 / math.Sqrt(n)
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = v * n
	}
	return out
}

// VectorsMismatchError is a vectors file none of whose ids is in the
// catalog: trained on another data set, or keyed by something else.
type VectorsMismatchError struct {
	Vectors, Catalog int // ids in each
}

func (e *VectorsMismatchError) Error() string {
	return fmt.Sprintf("none of the %d song2vec vectors' ids is in the catalog (%d tracks): were they trained on another data set, or keyed by something other than Spotify track ids?", e.Vectors, e.Catalog)
}

// CheckVectors returns a *VectorsMismatchError when no id of v is in cat.
func CheckVectors(v *song2vec.Vectors, cat *features.Catalog) error {
	for _, w := range v.Words {
		if cat.Get(w) != nil {
			return nil
		}
	}
	return &VectorsMismatchError{Vectors: v.Len(), Catalog: cat.Len()}
}

// MapperCheck is how well mapped vectors stand in for real ones: for
// songs whose vectors were hidden from the fit, the share of the K
// nearest neighbours of the real vector that are among the K nearest of
// the mapped one, by how the vector was mapped, beside the share a
// vector drawn at random keeps.
type MapperCheck struct {
	K                             int
	Songs                         int     // songs checked
	ByArtist, ByContent           int     // of them, mapped each way
	ArtistOverlap, ContentOverlap float64 // mean share kept
	RandomOverlap                 float64 // the same for a random unit vector
}

// CheckMapper hides the vectors of n songs drawn with the seed (songs
// with features and a vector), fits a Mapper without them, and measures
// MapperCheck at k. Songs of an artist with no other vectored song are
// mapped by content, as a new artist's would be.
func CheckMapper(v *song2vec.Vectors, cat *features.Catalog, sc *scale.Scaler, n, k int, seed uint64) (MapperCheck, error) {
	tracks := cat.WithFeatures()
	var have []*features.Track
	for _, t := range tracks {
		if v.Index(t.ID) >= 0 {
			have = append(have, t)
		}
	}
	if len(have) < 2*n {
		return MapperCheck{}, errors.New("candidates: too few songs with vectors to check the map")
	}
	rng := rand.New(rand.NewPCG(seed, 0x636f6c64))
	perm := rng.Perm(len(have))[:n]
	held := map[int]bool{}
	for _, p := range perm {
		held[v.Index(have[p].ID)] = true
	}
	m, err := fitMapper(v, tracks, sc, held)
	if err != nil {
		return MapperCheck{}, err
	}
	c := MapperCheck{K: k, Songs: n}
	exclude := func(i int) bool { return held[i] }
	overlap := func(q []float64, truth map[int]bool) float64 {
		hit := 0
		for _, nb := range v.Nearest(q, k, exclude) {
			if truth[v.Index(nb.Word)] {
				hit++
			}
		}
		return float64(hit) / float64(k)
	}
	for _, p := range perm {
		t := have[p]
		truth := map[int]bool{}
		for _, nb := range v.Nearest(v.Row(v.Index(t.ID)), k, exclude) {
			truth[v.Index(nb.Word)] = true
		}
		q, how := m.Map(t)
		o := overlap(q, truth)
		if how == ByArtist {
			c.ByArtist++
			c.ArtistOverlap += o
		} else {
			c.ByContent++
			c.ContentOverlap += o
		}
		r := make([]float64, v.Dim)
		for j := range r {
			r[j] = rng.NormFloat64()
		}
		c.RandomOverlap += overlap(r, truth)
	}
	if c.ByArtist > 0 {
		c.ArtistOverlap /= float64(c.ByArtist)
	}
	if c.ByContent > 0 {
		c.ContentOverlap /= float64(c.ByContent)
	}
	c.RandomOverlap /= float64(n)
	return c, nil
}
