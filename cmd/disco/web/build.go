package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/app"
	"github.com/discoflow/disco/selector/export"
	"github.com/discoflow/disco/theory"
)

// Limits of a build request's values besides the knobs' own ranges
// (selector.Knobs.Validate) and Options.MaxLength.
const (
	MaxQuery  = 200  // runes of a seed or a search
	MaxGenres = 10   // genres a build may limit its candidates to
	MaxPool   = 5000 // candidates a build may ask for
	MaxBeam   = 16   // beam width
	maxBody   = 64 << 10
)

// sources are the candidate sources the server offers: the online one
// needs credentials and the network, which a local page does not ask for.
var sources = []string{"hybrid", "catalog", "song2vec"}

// downloads maps a download format to its content type.
var downloads = map[string]string{
	"m3u8": "audio/x-mpegurl; charset=utf-8",
	"xspf": "application/xspf+xml; charset=utf-8",
	"csv":  "text/csv; charset=utf-8",
	"json": "application/json; charset=utf-8",
}

// BuildParams are a build request, as POST JSON or GET query values
// (seed and genre repeat; the knobs by their JSON names). Missing values
// take disco build's defaults.
type BuildParams struct {
	Seeds  []string `json:"seeds"`
	Genres []string `json:"genres,omitempty"`
	Length int      `json:"length"`
	Source string   `json:"source"`
	Pool   int      `json:"pool"` // 0: the source's default
	Beam   int      `json:"beam"`
	Rand   uint64   `json:"rand"` // seed of the random choice of seeds when there are none
	// From and To are a bridge's ends, instead of Seeds (disco build
	// --from --to); Blend is its share of the path in each target. A
	// bridge's own defaults (app.BuildRequest.BridgeDefaults) fill the
	// pool, belong and beam the request does not name.
	From  string  `json:"from,omitempty"`
	To    string  `json:"to,omitempty"`
	Blend float64 `json:"blend"`
	selector.Knobs
	// Format is a download's format (m3u8, xspf, csv, json: the bytes
	// disco build --format writes); "": the page's answer, BuildResponse.
	Format string `json:"format,omitempty"`

	given map[string]bool // the names the request gave
}

// DefaultBuildParams are disco build's defaults.
func DefaultBuildParams() BuildParams {
	return BuildParams{Length: 13, Source: "hybrid", Rand: 1, Blend: selector.DefaultBlend, Knobs: selector.DefaultKnobs()}
}

// BuildResponse is the page's answer to a build.
type BuildResponse struct {
	Playlist []export.Entry `json:"playlist"` // as disco build --format json writes it
	Path     [][3]float64   `json:"path"`     // each song on the map's three principal components
	Random   bool           `json:"random,omitempty"`
	Short    bool           `json:"short,omitempty"`
	Notes    []string       `json:"notes,omitempty"` // what disco build says on standard error
	Millis   float64        `json:"ms"`              // the build's time in the server
}

// Song is a catalog song in suggestions and messages.
type Song struct {
	ID     string `json:"id"`
	Artist string `json:"artist"`
	Title  string `json:"title"`
	Genre  string `json:"genre,omitempty"`
	Label  string `json:"label"` // "artist - title"
}

func songOf(t *features.Track) Song {
	return Song{ID: t.ID, Artist: t.Artist(), Title: t.Name, Genre: t.Genre, Label: t.String()}
}

func songsOf(ts []*features.Track) []Song {
	out := make([]Song, len(ts))
	for i, t := range ts {
		out[i] = songOf(t)
	}
	return out
}

// parseBuild reads a build request from r's JSON body (POST) or query
// (GET) and validates it.
func (s *Server) parseBuild(w http.ResponseWriter, r *http.Request) (BuildParams, error) {
	p := DefaultBuildParams()
	p.given = map[string]bool{}
	if r.Method == http.MethodPost {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return p, errorf(http.StatusRequestEntityTooLarge, "the request body is larger than %d bytes", maxBody)
		}
		if err != nil {
			return p, errorf(http.StatusBadRequest, "reading the request: %v", err)
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			return p, errorf(http.StatusBadRequest, "reading the request: %v", err)
		}
		if dec.More() {
			return p, errorf(http.StatusBadRequest, "reading the request: more than one JSON value")
		}
		var names map[string]json.RawMessage
		json.Unmarshal(body, &names) // decoded above, so an object
		for name := range names {
			p.given[name] = true
		}
	} else {
		if err := p.fromQuery(r.URL.Query()); err != nil {
			return p, err
		}
		for name := range r.URL.Query() {
			p.given[name] = true
		}
	}
	return p, s.validate(&p)
}

// fromQuery sets p from query values, refusing unknown names.
func (p *BuildParams) fromQuery(q url.Values) error {
	floats := knobFields(&p.Knobs)
	floats["blend"] = &p.Blend
	ints := map[string]*int{"length": &p.Length, "pool": &p.Pool, "beam": &p.Beam}
	for name, vs := range q {
		v := vs[len(vs)-1]
		switch {
		case name == "seed":
			p.Seeds = vs
		case name == "genre":
			p.Genres = vs
		case name == "source":
			p.Source = v
		case name == "from":
			p.From = v
		case name == "to":
			p.To = v
		case name == "format":
			p.Format = v
		case name == "centre":
			if err := p.Centre.UnmarshalText([]byte(v)); err != nil {
				return errorf(http.StatusBadRequest, "centre %q: want global or seeds", cut(v))
			}
		case name == "rand":
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return errorf(http.StatusBadRequest, "rand: %q is not a whole number", cut(v))
			}
			p.Rand = n
		case floats[name] != nil:
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return errorf(http.StatusBadRequest, "%s: %q is not a number", name, cut(v))
			}
			*floats[name] = f
		case ints[name] != nil:
			n, err := strconv.Atoi(v)
			if err != nil {
				return errorf(http.StatusBadRequest, "%s: %q is not a whole number", name, cut(v))
			}
			*ints[name] = n
		default:
			return errorf(http.StatusBadRequest, "unknown parameter %q", cut(name))
		}
	}
	return nil
}

// validate checks p's values against their ranges, before any work.
func (s *Server) validate(p *BuildParams) error {
	bad := func(err error) error {
		return errorf(http.StatusBadRequest, "%s", strings.TrimPrefix(err.Error(), "--"))
	}
	if len(p.Seeds) > 3 {
		return errorf(http.StatusBadRequest, "%d seeds: at most 3", len(p.Seeds))
	}
	least := max(1, len(p.Seeds))
	if p.From != "" || p.To != "" {
		if p.From == "" || p.To == "" || len(p.Seeds) > 0 {
			return errorf(http.StatusBadRequest, "a bridge needs from and to, and no seed")
		}
		if !(p.Blend > 0 && p.Blend <= 1) {
			return errorf(http.StatusBadRequest, "blend: %v is not a number in (0, 1]", p.Blend)
		}
		least = 2
	}
	for _, q := range append([]string{p.From, p.To}, p.Seeds...) {
		if len([]rune(q)) > MaxQuery {
			return errorf(http.StatusBadRequest, "a seed of %d characters: at most %d", len([]rune(q)), MaxQuery)
		}
	}
	for _, q := range p.Seeds {
		if strings.TrimSpace(q) == "" {
			return errorf(http.StatusBadRequest, "an empty seed")
		}
	}
	if len(p.Genres) > MaxGenres {
		return errorf(http.StatusBadRequest, "%d genres: at most %d", len(p.Genres), MaxGenres)
	}
	if err := p.Knobs.Validate(); err != nil {
		return bad(err)
	}
	if p.Taste != 0 {
		return errorf(http.StatusBadRequest, "taste: the server has no taste model (disco build --taste has one)")
	}
	if err := selector.CheckCount("length", p.Length, least, s.opt.MaxLength); err != nil {
		return bad(err)
	}
	if err := selector.CheckCount("pool", p.Pool, 0, MaxPool); err != nil {
		return bad(err)
	}
	if err := selector.CheckCount("beam", p.Beam, 0, MaxBeam); err != nil {
		return bad(err)
	}
	if !slices.Contains(sources, p.Source) {
		return errorf(http.StatusBadRequest, "source %q: want %s", p.Source, strings.Join(sources, ", "))
	}
	if _, ok := downloads[p.Format]; p.Format != "" && !ok {
		return errorf(http.StatusBadRequest, "format %q: want m3u8, xspf, csv or json", p.Format)
	}
	return nil
}

// knobFields maps the knobs' query names to k's fields.
func knobFields(k *selector.Knobs) map[string]*float64 {
	return map[string]*float64{"flow": &k.Flow, "spicyness": &k.Spicyness, "sweetness": &k.Sweetness,
		"smoothness": &k.Smoothness, "belong": &k.Belong}
}

// defaultRules are the rules disco build and disco sort use without
// their rule flags.
func defaultRules() selector.Rules {
	r := selector.DefaultRules()
	r.TempoTolerance = theory.DefaultTempoTolerance
	return r
}

// request is the library's request for p, with disco build's default
// rules.
func (p *BuildParams) request(log io.Writer) app.BuildRequest {
	rules := defaultRules()
	pool := p.Pool
	if pool == 0 {
		pool = app.DefaultPool(p.Source)
	}
	r := app.BuildRequest{Seeds: p.Seeds, Genres: p.Genres, Length: p.Length, Source: p.Source, Pool: pool,
		Knobs: p.Knobs, Rules: &rules, Beam: p.Beam, Rand: p.Rand, From: p.From, To: p.To, Blend: p.Blend, Log: log}
	if p.From != "" {
		r.BridgeDefaults(func(name string) bool { return p.given[name] })
	}
	return r
}

// build builds the playlist p asks for (p already validated), under
// one of the server's slots; it returns the result and the lines disco
// build would print on standard error.
func (s *Server) build(r *http.Request, p BuildParams) (*app.BuildResult, []string, error) {
	release, err := s.slot(r.Context())
	if err != nil {
		return nil, nil, err
	}
	defer release()
	var log bytes.Buffer
	res, err := s.lib.Build(r.Context(), p.request(&log))
	if err != nil {
		return nil, nil, buildError(err)
	}
	app.WarnFar(&log, "disco serve", s.lib.Model, res.Far, len(res.Far))
	return res, lines(log.String()), nil
}

// buildError turns a library error into an answer: a seed not found
// with the closest songs, a value out of range, or a request the catalog
// cannot build (genres it lacks, the same song twice).
func buildError(err error) error {
	var nf *selector.NotFoundError
	switch {
	case errors.As(err, &nf):
		return &apiError{Status: http.StatusNotFound, Message: strings.TrimPrefix(err.Error(), "selector: "),
			Query: nf.Query, Ambiguous: nf.Ambiguous, Closest: songsOf(nf.Matches)}
	case errors.Is(err, selector.ErrRange):
		return errorf(http.StatusBadRequest, "%s", strings.TrimPrefix(err.Error(), "--"))
	case isContext(err):
		return err
	}
	return errorf(http.StatusUnprocessableEntity, "%v", err)
}

func (s *Server) handleBuild(w http.ResponseWriter, r *http.Request) {
	p, err := s.parseBuild(w, r)
	if err != nil {
		writeError(w, err)
		return
	}
	start := time.Now()
	res, notes, err := s.build(r, p)
	if err != nil {
		writeError(w, err)
		return
	}
	if p.Format != "" {
		var b bytes.Buffer
		if err := export.Write(&b, p.Format, res.Picks); err != nil {
			writeError(w, err)
			return
		}
		w.Header().Set("Content-Type", downloads[p.Format])
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="disco.%s"`, p.Format))
		w.Write(b.Bytes())
		return
	}
	m, err := s.projection()
	if err != nil {
		writeError(w, err)
		return
	}
	out := BuildResponse{Playlist: export.Entries(res.Picks), Path: m.path(res.Picks), Random: res.Random, Short: res.Short,
		Notes: notes, Millis: float64(time.Since(start).Microseconds()) / 1000}
	writeJSON(w, http.StatusOK, out)
}

// lines splits a log into its non-empty lines.
func lines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
