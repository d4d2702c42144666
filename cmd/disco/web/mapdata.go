package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/floats"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model/scale"
	"github.com/discoflow/disco/model/song2vec"
	"github.com/discoflow/disco/model/tsne"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/candidates"
)

// mapData is the catalog on its first three principal components in one
// space, computed once, on first use: the flow model's scaled features (as
// disco build's map plot has two), or the song2vec vectors of the songs
// that have one.
type mapData struct {
	tracks []*features.Track
	index  map[string]int                    // track id → position in tracks
	near   func(i, n int) ([]int, []float64) // the n nearest points to point i, nearest first, and their distances
	pca    *scale.PCA                        // the features' projection (nil for song2vec), for a build's path
	body   MapResponse
	json   []byte // body encoded, and gzip-compressed
	gz     []byte
}

// MapResponse is a map of the catalog, by columns: point i is
// (XYZ[3i], XYZ[3i+1], XYZ[3i+2]), song IDs[i], genre Genres[Genre[i]]
// (−1 none), artist Artists[Artist[i]], its raw abstract features
// Features[i·8 … i·8+7] in the order of FeatureNames.
type MapResponse struct {
	Space        string    `json:"space"`     // "features" or "song2vec"
	Explained    []float64 `json:"explained"` // of the variance, per component
	FeatureNames []string  `json:"feature_names"`
	IDs          []string  `json:"ids"`
	Labels       []string  `json:"labels"` // "artist - title"
	Genres       []string  `json:"genres"`
	Genre        []int     `json:"genre"`
	Artists      []string  `json:"artists"`
	Artist       []int     `json:"artist"`
	XYZ          []float64 `json:"xyz"`
	Features     []float64 `json:"features"`
}

// Spaces are the spaces a map is drawn in.
var Spaces = []string{"features", "song2vec", "tsne"}

// DefaultTSNESongs is how many songs the t-SNE map holds (Options.TSNESongs),
// evenly spaced through the catalog, so that it is computed in seconds (in
// the background, once: t-SNE of 5,000 points takes about 30 s on two
// cores).
const DefaultTSNESongs = 2000

// projection returns the map of the scaled features, computing it on
// first use.
func (s *Server) projection() (*mapData, error) {
	s.mapOnce.Do(func() { s.mapData, s.mapErr = featureMap(s.lib.Tracks, &s.lib.Model.Scaler) })
	return s.mapData, s.mapErr
}

// space returns the map of the named space ("" the features).
func (s *Server) space(name string) (*mapData, error) {
	switch name {
	case "", "features":
		return s.projection()
	case "song2vec":
		s.vecMapOnce.Do(func() {
			v, err := s.lib.Vectors()
			if err != nil {
				s.vecMapErr = err
				return
			}
			s.vecMap, s.vecMapErr = vectorMap(s.lib.Tracks, v)
		})
		return s.vecMap, s.vecMapErr
	case "tsne":
		m, running, ok, err := s.tsne.get()
		if !ok {
			return nil, &computingError{Computing{Status: "computing", Seconds: running.Seconds(),
				Message: fmt.Sprintf("t-SNE of %d songs runs once in the background when the page first asks; it is cached after", s.opt.TSNESongs)}}
		}
		return m, err
	}
	return nil, errorf(http.StatusBadRequest, "space %q: want %s", cut(name), strings.Join(Spaces, " or "))
}

// featureMap is the map of tracks' scaled features; its distances are
// Euclidean, in scaled units.
func featureMap(tracks []*features.Track, sc *scale.Scaler) (*mapData, error) {
	scaled := make([]features.Vector, len(tracks))
	for i, t := range tracks {
		scaled[i] = sc.Transform(t.Features)
	}
	pca, err := scale.FitPCA(scaled, 3)
	if err != nil {
		return nil, err
	}
	xyz := make([]float64, 0, 3*len(tracks))
	p := make([]float64, 3)
	for _, z := range scaled {
		pca.ProjectTo(p, z)
		xyz = append(xyz, p...)
	}
	near := func(i, n int) ([]int, []float64) {
		return nearestBy(tracks, i, n, func(j int) float64 { return dist(scaled[i], scaled[j]) })
	}
	m, err := newMapData("features", tracks, xyz, pca.Explained, near)
	if m != nil {
		m.pca = pca
	}
	return m, err
}

// tsneMap is the 2-D t-SNE map of Options.TSNESongs songs' scaled features
// (z is 0); its distances are Euclidean in scaled units, among those songs.
func (s *Server) tsneMap(ctx context.Context) (*mapData, error) {
	tracks := s.lib.Tracks
	step := max(1, len(tracks)/s.opt.TSNESongs)
	var in []*features.Track
	var zs []features.Vector
	var x [][]float64
	for i := 0; i < len(tracks) && len(in) < s.opt.TSNESongs; i += step {
		z := s.lib.Model.Scaler.Transform(tracks[i].Features)
		in, zs, x = append(in, tracks[i]), append(zs, z), append(x, z[:])
	}
	y, err := tsne.Embed(ctx, x, tsne.Options{Seed: 1})
	if err != nil {
		return nil, err
	}
	xyz := make([]float64, 3*len(in))
	for i, p := range y {
		xyz[3*i], xyz[3*i+1] = p[0], p[1]
	}
	near := func(i, n int) ([]int, []float64) {
		return nearestBy(in, i, n, func(j int) float64 { return dist(zs[i], zs[j]) })
	}
	return newMapData("tsne", in, xyz, nil, near)
}

// vectorMap is the map of the song2vec vectors of the tracks that have
// one, each scaled to unit length (song2vec's neighbours are by cosine);
// its distances are 1 − cosine similarity.
func vectorMap(tracks []*features.Track, v *song2vec.Vectors) (*mapData, error) {
	var in []*features.Track
	var rows []int
	for _, t := range tracks {
		if r := v.Index(t.ID); r >= 0 {
			in, rows = append(in, t), append(rows, r)
		}
	}
	if len(in) < 4 {
		return nil, fmt.Errorf("song2vec: %d of the catalog's songs have vectors: too few for a map", len(in))
	}
	unit := make([][]float64, len(in))
	for i, r := range rows {
		row := slices.Clone(v.Row(r))
		if norm := floats.Norm(row, 2); norm > 0 {
			floats.Scale(1/norm, row)
		}
		unit[i] = row
	}
	k := min(3, v.Dim)
	ax, err := scale.FitAxes(unit, v.Dim, k)
	if err != nil {
		return nil, fmt.Errorf("song2vec: %w", err)
	}
	explained := make([]float64, 3)
	copy(explained, ax.Explained)
	xyz := make([]float64, 3*len(in))
	for i, x := range unit {
		copy(xyz[3*i:3*i+k], ax.Project(x))
	}
	point := make(map[int]int, len(rows)) // vector row → point
	for i, r := range rows {
		point[r] = i
	}
	near := func(i, n int) ([]int, []float64) {
		key := selector.RecordingKey(in[i])
		var idx []int
		var ds []float64
		for _, nb := range v.Nearest(v.Row(rows[i]), n, func(r int) bool {
			p, ok := point[r]
			return !ok || p == i || selector.RecordingKey(in[p]) == key
		}) {
			idx, ds = append(idx, point[nb.Index]), append(ds, 1-nb.Score)
		}
		return idx, ds
	}
	return newMapData("song2vec", in, xyz, explained, near)
}

// newMapData makes the map of tracks at the coordinates xyz (three a
// track), encoding its answer once.
func newMapData(space string, tracks []*features.Track, xyz, explained []float64, near func(i, n int) ([]int, []float64)) (*mapData, error) {
	m := &mapData{tracks: tracks, index: make(map[string]int, len(tracks)), near: near}
	b := &m.body
	b.Space, b.Explained, b.FeatureNames = space, explained, features.AbstractNames[:]
	genres, artists := map[string]int{}, map[string]int{}
	id := func(ids map[string]int, names *[]string, s string) int {
		if s == "" {
			return -1
		}
		i, ok := ids[s]
		if !ok {
			i = len(*names)
			ids[s] = i
			*names = append(*names, s)
		}
		return i
	}
	for i, t := range tracks {
		m.index[t.ID] = i
		b.IDs = append(b.IDs, t.ID)
		b.Labels = append(b.Labels, t.String())
		b.Genre = append(b.Genre, id(genres, &b.Genres, t.Genre))
		first := ""
		if len(t.Artists) > 0 {
			first = t.Artists[0]
		}
		b.Artist = append(b.Artist, id(artists, &b.Artists, first))
		for _, v := range xyz[3*i : 3*i+3] {
			b.XYZ = append(b.XYZ, round(v, 3))
		}
		for _, v := range t.Features {
			b.Features = append(b.Features, round(v, 4))
		}
	}
	var err error
	if m.json, err = json.Marshal(b); err != nil {
		return nil, err
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(m.json)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	m.gz = z.Bytes()
	return m, nil
}

// round rounds v to d decimals, for smaller answers.
func round(v float64, d int) float64 {
	f := math.Pow(10, float64(d))
	return math.Round(v*f) / f
}

// path places picks on the map.
func (m *mapData) path(picks []selector.Pick) [][3]float64 {
	out := make([][3]float64, len(picks))
	p := make([]float64, 3)
	for i, pk := range picks {
		m.pca.ProjectTo(p, pk.Scaled)
		out[i] = [3]float64{round(p[0], 3), round(p[1], 3), round(p[2], 3)}
	}
	return out
}

// Neighbour is a song near another in a map's space.
type Neighbour struct {
	Song
	Index    int     `json:"index"`    // in the map's columns
	Distance float64 `json:"distance"` // Euclidean in scaled units (features), 1 − cosine (song2vec)
}

// nearestBy returns the n tracks nearest to track i by d, nearest first,
// ties by catalog order, and their distances; track i itself and its other
// recordings are left out.
func nearestBy(tracks []*features.Track, i, n int, d func(j int) float64) ([]int, []float64) {
	type cand struct {
		j int
		d float64
	}
	key := selector.RecordingKey(tracks[i])
	cs := make([]cand, 0, len(tracks))
	for j := range tracks {
		if j != i && selector.RecordingKey(tracks[j]) != key {
			cs = append(cs, cand{j, d(j)})
		}
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].d < cs[b].d })
	idx, ds := make([]int, 0, n), make([]float64, 0, n)
	for _, c := range cs[:min(n, len(cs))] {
		idx, ds = append(idx, c.j), append(ds, c.d)
	}
	return idx, ds
}

// neighbours returns the n songs nearest to point i.
func (m *mapData) neighbours(i, n int) []Neighbour {
	idx, ds := m.near(i, n)
	out := make([]Neighbour, len(idx))
	for k, j := range idx {
		out[k] = Neighbour{Song: songOf(m.tracks[j]), Index: j, Distance: round(ds[k], 4)}
	}
	return out
}

// dist is the Euclidean distance of a and b.
func dist(a, b features.Vector) float64 {
	var sum float64
	for k := range a {
		d := a[k] - b[k]
		sum += d * d
	}
	return math.Sqrt(sum)
}

func (s *Server) handleMap(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for name := range q {
		if name != "space" {
			writeError(w, errorf(http.StatusBadRequest, "unknown parameter %q (/api/map takes space)", cut(name)))
			return
		}
	}
	m, err := s.space(q.Get("space"))
	if err != nil {
		writeError(w, err)
		return
	}
	// The map is large (every song) and the same for every request: it is
	// encoded once, and sent compressed to the clients that take gzip.
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Vary", "Accept-Encoding")
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(m.gz)
		return
	}
	w.Write(m.json)
}

func (s *Server) handleNeighbours(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	n, err := count(q.Get("n"), "n", 10, 1, 50)
	if err != nil {
		writeError(w, err)
		return
	}
	m, err := s.space(q.Get("space"))
	if err != nil {
		writeError(w, err)
		return
	}
	i, ok := m.index[q.Get("id")]
	if !ok {
		writeError(w, errorf(http.StatusNotFound, "no song with id %q in the catalog", cut(q.Get("id"))))
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Song       Song        `json:"song"`
		Neighbours []Neighbour `json:"neighbours"`
	}{songOf(m.tracks[i]), m.neighbours(i, n)})
}

// count parses a whole number query value in [lo, hi]; "" is def.
func count(v, name string, def, lo, hi int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, errorf(http.StatusBadRequest, "%s: %q is not a whole number in [%d, %d]", name, cut(v), lo, hi)
	}
	return n, nil
}

// cut shortens a value quoted in a message to MaxQuery runes.
func cut(v string) string {
	if r := []rune(v); len(r) > MaxQuery {
		return string(r[:MaxQuery-1]) + "…"
	}
	return v
}

func (s *Server) handleSuggest(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	n, err := count(q.Get("n"), "n", 8, 1, 20)
	if err != nil {
		writeError(w, err)
		return
	}
	text := q.Get("q")
	if len([]rune(text)) > MaxQuery {
		writeError(w, errorf(http.StatusBadRequest, "q: %d characters, at most %d", len([]rune(text)), MaxQuery))
		return
	}
	out := []Song{}
	if features.Normalize(text) != "" {
		out = songsOf(s.lib.Suggest(text, n))
	}
	writeJSON(w, http.StatusOK, out)
}

// Info describes the server's library and the ranges of a build's
// values, for the page's controls.
type Info struct {
	Catalog   string      `json:"catalog"`
	Tracks    int         `json:"tracks"`
	Playlists int         `json:"playlists"`
	Genres    []string    `json:"genres"`
	Sources   []string    `json:"sources"`
	Defaults  BuildParams `json:"defaults"`
	Knobs     []KnobRange `json:"knobs"`
	MaxLength int         `json:"max_length"`
	MaxPool   int         `json:"max_pool"`
	MaxUpload int64       `json:"max_upload"`
	Quotas    string      `json:"quotas"` // the hybrid source's shares
}

// KnobRange is a knob's name and range.
type KnobRange struct {
	Name string  `json:"name"`
	Max  float64 `json:"max"`
	Help string  `json:"help"`
}

func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request) {
	var genres []string
	for _, t := range s.lib.Tracks {
		if t.Genre != "" && !slices.Contains(genres, t.Genre) {
			genres = append(genres, t.Genre)
		}
	}
	sort.Strings(genres)
	writeJSON(w, http.StatusOK, Info{
		Catalog: s.lib.Name, Tracks: len(s.lib.Tracks), Playlists: len(s.lib.Data.Playlists), Genres: genres,
		Sources: sources, Defaults: DefaultBuildParams(), MaxLength: s.opt.MaxLength, MaxPool: MaxPool, MaxUpload: s.opt.MaxUpload,
		Knobs: []KnobRange{
			{"flow", selector.MaxWeight, "weight of the distance to the predicted next song"},
			{"spicyness", selector.MaxSpicyness, "stretch of the prediction away from the mean"},
			{"sweetness", selector.MaxWeight, "weight of key compatibility"},
			{"smoothness", selector.MaxWeight, "weight of tempo compatibility"},
			{"belong", selector.MaxWeight, "weight of how strongly the candidate source proposed the song"},
		},
		Quotas: candidates.DefaultQuotas.String(),
	})
}

// isContext reports whether err is the request's deadline or
// cancellation.
func isContext(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}
