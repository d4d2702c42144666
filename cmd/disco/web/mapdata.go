package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/scale"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/candidates"
	"github.com/discoflow/disco/theory"
)

// mapData is the catalog on its first three principal components (of the
// flow model's scaled features, as disco build's map plot has two),
// computed once, on first use.
type mapData struct {
	pca    *scale.PCA
	tracks []*features.Track
	scaled []features.Vector
	index  map[string]int // track id → position in tracks
	body   MapResponse
	json   []byte // body encoded, and gzip-compressed
	gz     []byte
}

// MapResponse is the catalog's map, by columns: point i is
// (XYZ[3i], XYZ[3i+1], XYZ[3i+2]), song IDs[i], genre Genres[Genre[i]]
// (−1 none), artist Artists[Artist[i]], its raw abstract features
// Features[i·8 … i·8+7] in the order of FeatureNames.
type MapResponse struct {
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

// projection returns the map, computing it on first use.
func (s *Server) projection() (*mapData, error) {
	s.mapOnce.Do(func() { s.mapData, s.mapErr = newMapData(s.lib.Tracks, &s.lib.Model.Scaler) })
	return s.mapData, s.mapErr
}

func newMapData(tracks []*features.Track, sc *scale.Scaler) (*mapData, error) {
	m := &mapData{tracks: tracks, scaled: make([]features.Vector, len(tracks)), index: make(map[string]int, len(tracks))}
	for i, t := range tracks {
		m.scaled[i] = sc.Transform(t.Features)
		m.index[t.ID] = i
	}
	pca, err := scale.FitPCA(m.scaled, 3)
	if err != nil {
		return nil, err
	}
	m.pca = pca
	b := &m.body
	b.Explained = pca.Explained
	b.FeatureNames = features.AbstractNames[:]
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
	p := make([]float64, 3)
	for i, t := range tracks {
		b.IDs = append(b.IDs, t.ID)
		b.Labels = append(b.Labels, t.String())
		b.Genre = append(b.Genre, id(genres, &b.Genres, t.Genre))
		first := ""
		if len(t.Artists) > 0 {
			first = t.Artists[0]
		}
		b.Artist = append(b.Artist, id(artists, &b.Artists, first))
		pca.ProjectTo(p, m.scaled[i])
		for _, v := range p {
			b.XYZ = append(b.XYZ, round(v, 3))
		}
		for _, v := range t.Features {
			b.Features = append(b.Features, round(v, 4))
		}
	}
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

// Neighbour is a song near another in the scaled feature space.
type Neighbour struct {
	Song
	Index    int     `json:"index"`    // in the map's columns
	Distance float64 `json:"distance"` // scaled units
}

// nearest returns the n songs nearest to song i in the scaled feature
// space, nearest first, ties by catalog order; song i itself and its other
// recordings are left out.
func (m *mapData) nearest(i, n int) []Neighbour {
	type cand struct {
		j int
		d float64
	}
	key := selector.RecordingKey(m.tracks[i])
	cs := make([]cand, 0, len(m.tracks))
	for j, z := range m.scaled {
		if j != i && selector.RecordingKey(m.tracks[j]) != key {
			cs = append(cs, cand{j, dist(m.scaled[i], z)})
		}
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].d < cs[b].d })
	out := make([]Neighbour, 0, n)
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, Neighbour{Song: songOf(m.tracks[c.j]), Index: c.j, Distance: round(c.d, 4)})
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
	if len(r.URL.Query()) > 0 {
		writeError(w, errorf(http.StatusBadRequest, "/api/map takes no parameters"))
		return
	}
	m, err := s.projection()
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
	m, err := s.projection()
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
	}{songOf(m.tracks[i]), m.nearest(i, n)})
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
	Catalog   string         `json:"catalog"`
	Tracks    int            `json:"tracks"`
	Playlists int            `json:"playlists"`
	Genres    []string       `json:"genres"`
	Sources   []string       `json:"sources"`
	Defaults  BuildParams    `json:"defaults"`
	Knobs     []KnobRange    `json:"knobs"`
	MaxLength int            `json:"max_length"`
	MaxPool   int            `json:"max_pool"`
	MaxUpload int64          `json:"max_upload"`
	Model     map[string]any `json:"model"`
	Quotas    string         `json:"quotas"` // the hybrid source's shares
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
	m := s.lib.Model
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
		Model:  map[string]any{"hidden": m.Config.Hidden, "tempo_tolerance": theory.DefaultTempoTolerance},
		Quotas: candidates.DefaultQuotas.String(),
	})
}

// isContext reports whether err is the request's deadline or
// cancellation.
func isContext(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}
