package web

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/load"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/app"
	"github.com/discoflow/disco/selector/export"
	"github.com/discoflow/disco/selector/sequence"
	"github.com/discoflow/disco/theory"
)

// maxInflate is how many times its upload's size a gzip-compressed file
// may grow to: a larger one is refused, as a bomb or too large.
const maxInflate = 10

// SortResponse is the answer to a sort: the new order as disco sort
// --format json writes it, the order the songs came in, and the costs and
// mixing counts disco sort prints.
type SortResponse struct {
	Playlist   []export.Entry       `json:"playlist"`
	Given      []OrderSong          `json:"given"`
	Cost       float64              `json:"cost"`
	GivenCost  float64              `json:"given_cost"`
	Greedy     float64              `json:"greedy_cost"`
	Shuffled   float64              `json:"shuffled_cost"`
	GivenMix   app.Mix              `json:"given_mix"`
	SortedMix  app.Mix              `json:"sorted_mix"`
	Violations []selector.Violation `json:"violations"`
	Notes      []string             `json:"notes,omitempty"`
	Millis     float64              `json:"ms"`
}

// OrderSong is a song of the order an upload came in.
type OrderSong struct {
	Label   string    `json:"label"`
	Camelot string    `json:"camelot"`
	BPM     float64   `json:"bpm"`
	Scaled  []float64 `json:"scaled"`
}

// sortParams are the query values of a sort.
type sortParams struct {
	knobs       selector.Knobs
	effort      sequence.Effort
	seed        uint64
	dropUnknown bool
	name        string
}

func parseSortQuery(r *http.Request) (sortParams, error) {
	p := sortParams{knobs: selector.DefaultKnobs(), seed: 1, name: "upload"}
	floats := knobFields(&p.knobs)
	effort := "normal"
	for name, vs := range r.URL.Query() {
		v := vs[len(vs)-1]
		switch {
		case floats[name] != nil:
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return p, errorf(http.StatusBadRequest, "%s: %q is not a number", name, cut(v))
			}
			*floats[name] = f
		case name == "effort":
			effort = v
		case name == "rand":
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return p, errorf(http.StatusBadRequest, "rand: %q is not a whole number", cut(v))
			}
			p.seed = n
		case name == "drop_unknown":
			p.dropUnknown = v == "1" || v == "true"
		case name == "name":
			// A name for messages only: its last element, never opened.
			p.name = cut(path.Base(strings.ReplaceAll(v, `\`, "/")))
		default:
			return p, errorf(http.StatusBadRequest, "unknown parameter %q", cut(name))
		}
	}
	if err := p.knobs.Validate(); err != nil {
		return p, errorf(http.StatusBadRequest, "%s", strings.TrimPrefix(err.Error(), "--"))
	}
	e, err := sequence.ParseEffort(effort)
	if err != nil {
		return p, errorf(http.StatusBadRequest, "effort %q: want fast, normal or max", cut(effort))
	}
	p.effort = e
	return p, nil
}

// readUpload reads an upload's body within the server's cap, inflates it
// when gzip-compressed (within maxInflate times the cap) and refuses what
// is empty, too large or binary.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	limit := s.opt.MaxUpload
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return nil, errorf(http.StatusRequestEntityTooLarge, "the file is larger than %s", size(limit))
	}
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "reading the upload: %v", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errorf(http.StatusBadRequest, "the file is empty")
	}
	if len(body) >= 2 && body[0] == 0x1f && body[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, errorf(http.StatusBadRequest, "the file is not valid gzip: %v", err)
		}
		inflated, err := io.ReadAll(io.LimitReader(zr, maxInflate*limit+1))
		if err != nil {
			return nil, errorf(http.StatusBadRequest, "the file is not valid gzip: %v", err)
		}
		if int64(len(inflated)) > maxInflate*limit {
			return nil, errorf(http.StatusRequestEntityTooLarge, "the file inflates to more than %s", size(maxInflate*limit))
		}
		if len(bytes.TrimSpace(inflated)) == 0 {
			return nil, errorf(http.StatusBadRequest, "the file is empty (once decompressed)")
		}
		body = inflated
	}
	if binary(body[:min(len(body), load.SniffLen)]) {
		return nil, errorf(http.StatusUnsupportedMediaType, "the file is binary, not a playlist: disco reads CSV (Exportify, tidy), MPD JSON, disco JSON, XSPF, M3U8 and id lists")
	}
	return body, nil
}

// binary reports whether head looks like no text file: it holds a NUL
// byte, or more than one in ten of its bytes are control characters other
// than white space. Text in a legacy encoding (Latin-1, say) is text: the
// readers take it, as disco sort does.
func binary(head []byte) bool {
	control := 0
	for _, c := range head {
		switch {
		case c == 0:
			return true
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f', c == 0x7f:
			control++
		}
	}
	return control*10 > len(head)
}

// size writes n bytes as people read it.
func size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	if n >= 1<<10 && n%(1<<10) == 0 {
		return strconv.FormatInt(n>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

func (s *Server) handleSort(w http.ResponseWriter, r *http.Request) {
	p, err := parseSortQuery(r)
	if err != nil {
		writeError(w, err)
		return
	}
	body, err := s.readUpload(w, r)
	if err != nil {
		writeError(w, err)
		return
	}
	in, err := load.Read(bytes.NewReader(body), p.name, load.Options{})
	if errors.Is(err, load.ErrUnknownFormat) {
		writeError(w, errorf(http.StatusUnsupportedMediaType, "%s", strings.TrimPrefix(err.Error(), "load: ")))
		return
	}
	if err != nil {
		writeError(w, errorf(http.StatusBadRequest, "the file cannot be read: %s", strings.TrimPrefix(err.Error(), "load: ")))
		return
	}
	if n := songCount(in); n > MaxSortSongs {
		writeError(w, errorf(http.StatusRequestEntityTooLarge, "the file holds %d songs: the server sorts at most %d (disco sort --in has no such limit)", n, MaxSortSongs))
		return
	}
	start := time.Now()
	release, err := s.slot(r.Context())
	if err != nil {
		writeError(w, err)
		return
	}
	defer release()
	rules := defaultRules()
	var log bytes.Buffer
	res, err := s.lib.Sort(r.Context(), app.SortRequest{In: in, DropUnknown: p.dropUnknown, Knobs: p.knobs, Rules: rules,
		Effort: p.effort, Seed: p.seed, Log: &log})
	if err != nil && (res == nil || !errors.Is(err, selector.ErrInfeasible)) {
		if isContext(err) {
			writeError(w, err)
			return
		}
		writeError(w, errorf(http.StatusUnprocessableEntity, "%s", strings.TrimPrefix(err.Error(), "sort: ")))
		return
	}
	given := make([]OrderSong, len(res.Songs))
	for i, t := range res.Songs {
		z := s.lib.Model.Scaler.Transform(t.Features)
		given[i] = OrderSong{Label: t.String(), Camelot: theory.NewKey(t.Key, t.Mode).Camelot(), BPM: t.Tempo, Scaled: z[:]}
	}
	writeJSON(w, http.StatusOK, SortResponse{
		Playlist: export.Entries(res.Picks), Given: given,
		Cost: res.Cost, GivenCost: res.Given, Greedy: res.Greedy, Shuffled: res.Shuffled,
		GivenMix: res.GivenMix, SortedMix: res.SortedMix, Violations: nonNil(res.Violations),
		Notes: lines(log.String()), Millis: float64(time.Since(start).Microseconds()) / 1000,
	})
}

// songCount is how many songs a sort of ds would order at most.
func songCount(ds *features.Dataset) int {
	if len(ds.Playlists) > 0 {
		return len(ds.Playlists[0].Tracks)
	}
	return len(ds.Catalog.Tracks)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
