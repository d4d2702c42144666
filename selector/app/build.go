package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model/song2vec"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/candidates"
)

// Sources are the candidate sources a build can draw from.
var Sources = []string{"hybrid", "catalog", "song2vec", "online"}

// DefaultPool is a source's pool size when the request names none.
func DefaultPool(source string) int {
	if source == "hybrid" {
		return candidates.DefaultPoolSize
	}
	return selector.DefaultPoolSize
}

// Bridge defaults: a bridge's pool, belong knob and beam when the request
// leaves them to the library (see BuildRequest.BridgeDefaults).
const (
	// BridgePool: a path needs songs between its ends. On 30 random pairs,
	// 12-song greedy bridges from pools of 100 and 400 rank their songs by
	// distance to the end with correlation −0.45 and −0.79.
	BridgePool = 400
	// BridgeBelong: a bridge leaves its first song's world on purpose, so
	// the pool's order should not hold it back. On 20 random pairs
	// (bench/sort/bridge.py), 12-song bridges rank their songs by distance
	// to the end with correlation −0.80 greedy and −0.89 with a beam of 8
	// at belong 0, against −0.67 and −0.77 at the default 4.
	BridgeBelong = 0
	// BridgeBeam: only a beam weighs the move into the fixed last song. On
	// 20 random pairs the greedy bridge's move into its end scores 4.65 on
	// average against 0.66 with a beam of 8, for the same whole-process
	// time (bench/sort/README.md).
	BridgeBeam = 8
)

// BuildRequest is one playlist to build.
type BuildRequest struct {
	Seeds  []string // 1 to 3 queries ("artist - title", title, id, URI, URL); none: three at random
	Genres []string // limit candidates to these genres; "seeds": the seeds' genres
	Length int      // songs in all, seeds included

	Source string            // "hybrid" (""), "catalog", "song2vec" or "online"
	Pool   int               // pool size; ≤ 0: every song
	Quotas candidates.Quotas // the hybrid source's shares; zero: candidates.DefaultQuotas

	Knobs selector.Knobs
	Rules *selector.Rules // nil: none
	Beam  int             // > 0: beam search of this width
	Arc   *selector.Arc   // a curve for a feature to follow; nil: none
	// Pins returns the songs to put at positions once the seeds (and a
	// bridge's end, or nil) are known, finding them with the library's
	// resolver; nil: none.
	Pins func(r *selector.Resolver, seeds []*features.Track, to *features.Track) ([]selector.Pin, error)

	From, To string  // a bridge's ends, instead of Seeds
	Blend    float64 // a bridge's share of the path in each target

	Rand  uint64                          // seed of the random choice of seeds
	Taste func(t *features.Track) float64 // the taste term's liking; nil: none

	// Online is the online source: its pool (Source "online") and its
	// lookup of seeds the catalog lacks.
	Online *Online

	Log   io.Writer
	Quiet bool // do not report the hybrid pool's make-up on Log
}

// Online is an online candidate source.
type Online struct {
	Pool selector.Pool
	// Seed finds a seed the catalog lacks (by id, URI, URL or search),
	// with its features; nil: such a seed is an error.
	Seed func(ctx context.Context, query string) (*features.Track, error)
}

// BridgeDefaults sets a bridge's own defaults (BridgePool for the hybrid
// source, BridgeBelong, BridgeBeam) of the settings that given does not
// name: given("pool") reports whether the user set the pool.
func (r *BuildRequest) BridgeDefaults(given func(name string) bool) {
	if !given("pool") && (r.Source == "" || r.Source == "hybrid") {
		r.Pool = BridgePool
	}
	if !given("belong") {
		r.Knobs.Belong = BridgeBelong
	}
	if !given("beam") {
		r.Beam = BridgeBeam
	}
}

// BuildResult is a built playlist.
type BuildResult struct {
	Picks   []selector.Pick
	Seeds   []*features.Track // the seeds as resolved (or chosen at random)
	Random  bool              // the seeds were chosen at random
	Far     []Far             // seeds far outside the flow model's training data
	Pool    *candidates.Report
	Short   bool    // the candidates ran out before Length
	ArcRMSE float64 // how closely the playlist follows the request's Arc (Arc.RMSE); NaN without one
}

// Build builds the playlist r asks for.
func (l *Library) Build(ctx context.Context, r BuildRequest) (*BuildResult, error) {
	log := logTo(r.Log)
	if r.Source == "online" && r.Online == nil {
		return nil, errors.New("the online source is not open")
	}
	l.warm(r.Source)
	res := &BuildResult{}
	var to *features.Track
	var err error
	if r.From != "" {
		res.Seeds, to, err = l.bridgeEnds(r.From, r.To)
	} else {
		res.Seeds, err = l.chooseSeeds(log, &r, res)
		var nf *selector.NotFoundError
		if r.Online != nil && r.Online.Seed != nil && errors.As(err, &nf) && !nf.Ambiguous {
			res.Seeds, err = l.onlineSeeds(ctx, r.Online, r.Seeds)
		}
	}
	if err != nil {
		return nil, err
	}
	var pins []selector.Pin
	if r.Pins != nil {
		if pins, err = r.Pins(l.Resolver(), res.Seeds, to); err != nil {
			return nil, err
		}
	}
	around := res.Seeds // the songs the candidates are drawn around
	if to != nil {
		around = []*features.Track{res.Seeds[0], to}
	}
	res.Far = FarSeeds(l.Model, around)
	src, hybrid, err := l.source(&r)
	if err != nil {
		return nil, err
	}
	var cands []*features.Track
	var why map[string][]string
	if hybrid != nil {
		p, err := hybrid.Pool(ctx, around)
		if err != nil {
			return nil, err
		}
		cands, why, res.Pool = p.Tracks, p.Why, &p.Report
		if !r.Quiet {
			fmt.Fprintf(log, "candidates: %s\n", p.Report)
		}
	} else if cands, err = src.Candidates(ctx, around); err != nil {
		return nil, err
	}
	if sp, ok := src.(*song2vec.Pool); ok && sp.NotInCatalog+sp.NoFeatures > 0 {
		fmt.Fprintf(log, "song2vec: left out %d neighbours not in the catalog and %d without audio features\n", sp.NotInCatalog, sp.NoFeatures)
	}
	sel, dropped := selector.New(cands, &l.Model.Scaler)
	if dropped > 0 {
		fmt.Fprintf(log, "%d candidates without audio features left out\n", dropped)
	}
	if r.Taste != nil {
		if err := sel.SetTaste(r.Taste); err != nil {
			return nil, err
		}
	}
	picks, err := sel.BuildWith(res.Seeds, l.Model.NewPredictor(), r.Knobs, r.Length, selector.Options{Rules: r.Rules, Beam: r.Beam, To: to, Blend: r.Blend, Arc: r.Arc, Pins: pins})
	if to != nil && errors.Is(err, selector.ErrNoCandidates) {
		return nil, fmt.Errorf("the candidates ran out: %d of %d could stand between the bridge's ends, not %d (try a larger pool)", len(picks)-1, sel.Len(), r.Length-2)
	}
	if errors.Is(err, selector.ErrNoCandidates) {
		res.Short = true
		fmt.Fprintf(log, "disco: the candidates ran out: %d of %d could follow the seeds (the others are the seeds or another version of a song already in the playlist); the playlist has %d songs, not %d (try a larger --pool)\n",
			len(picks)-len(res.Seeds), sel.Len(), len(picks), r.Length)
	} else if err != nil {
		return nil, err
	}
	for i := range picks {
		if !picks[i].Seed && why != nil {
			picks[i].Sources = why[picks[i].Track.ID]
		}
	}
	res.Picks = picks
	res.ArcRMSE = math.NaN()
	if r.Arc != nil {
		res.ArcRMSE = r.Arc.RMSE(selector.Tracks(picks))
	}
	return res, nil
}

// source returns the candidate source r asks for (and the hybrid one
// again when it is that, for its reasons).
func (l *Library) source(r *BuildRequest) (selector.Pool, *candidates.Hybrid, error) {
	pool := &selector.CatalogPool{Tracks: l.Tracks, Scaler: &l.Model.Scaler, N: r.Pool}
	for _, g := range r.Genres {
		if g == "seeds" {
			pool.SeedGenres = true
		} else {
			pool.Genres = append(pool.Genres, g)
		}
	}
	if len(pool.Genres) > 0 {
		if err := CheckGenres(l.Tracks, pool.Genres); err != nil {
			return nil, nil, err
		}
	}
	switch r.Source {
	case "catalog":
		return pool, nil, nil
	case "", "hybrid":
		h, err := l.Hybrid(r.Quotas, r.Pool)
		return h, h, err
	case "song2vec":
		v, err := l.Vectors()
		if err != nil {
			return nil, nil, err
		}
		n := r.Pool
		if n <= 0 {
			n = v.Len()
		}
		return &song2vec.Pool{Vectors: v, Catalog: l.Data.Catalog, N: n, Cold: candidates.NewMapper(v, l.Data.Catalog, &l.Model.Scaler)}, nil, nil
	case "online":
		return r.Online.Pool, nil, nil
	}
	return nil, nil, fmt.Errorf("candidate source %q: want %s", r.Source, strings.Join(Sources, ", "))
}

// bridgeEnds resolves a bridge's ends in the catalog: the seeds (the
// first song alone) and the last song.
func (l *Library) bridgeEnds(from, to string) ([]*features.Track, *features.Track, error) {
	r := l.Resolver()
	a, err := r.ResolveAs(from, "song")
	if err != nil {
		return nil, nil, fmt.Errorf("--from: %w", err)
	}
	b, err := r.ResolveAs(to, "song")
	if err != nil {
		return nil, nil, fmt.Errorf("--to: %w", err)
	}
	if a.ID == b.ID || selector.RecordingKey(a) == selector.RecordingKey(b) {
		return nil, nil, fmt.Errorf("--from %q and --to %q are the same song (%s): a bridge goes from one song to another", from, to, a.String())
	}
	return []*features.Track{a}, b, nil
}

// onlineSeeds resolves the seeds the catalog lacks through the online
// source.
func (l *Library) onlineSeeds(ctx context.Context, on *Online, queries []string) ([]*features.Track, error) {
	r := l.Resolver()
	seeds := make([]*features.Track, 0, len(queries))
	for _, q := range queries {
		t, err := r.Resolve(q)
		if err != nil {
			if t, err = on.Seed(ctx, q); err != nil {
				return nil, err
			}
		}
		seeds = append(seeds, t)
	}
	return seeds, nil
}

// chooseSeeds resolves r's seeds, or picks three at random from the
// (genre-limited) catalog with the r.Rand source, and says which on log.
func (l *Library) chooseSeeds(log io.Writer, r *BuildRequest, res *BuildResult) ([]*features.Track, error) {
	if len(r.Seeds) > 3 {
		return nil, fmt.Errorf("%d seeds: at most 3", len(r.Seeds))
	}
	if len(r.Seeds) > 0 {
		rs := l.Resolver()
		seeds := make([]*features.Track, 0, len(r.Seeds))
		for i, q := range r.Seeds {
			t, err := rs.Resolve(q)
			if err != nil {
				return nil, err
			}
			for j, s := range seeds {
				if selector.RecordingKey(s) == selector.RecordingKey(t) {
					return nil, fmt.Errorf("--seed %q and --seed %q are the same song (%s): give each seed once", r.Seeds[j], r.Seeds[i], t.String())
				}
			}
			seeds = append(seeds, t)
		}
		return seeds, nil
	}
	var from []*features.Track
	for _, t := range l.Tracks {
		if len(r.Genres) == 0 || slices.Contains(r.Genres, t.Genre) {
			from = append(from, t)
		}
	}
	if len(from) == 0 {
		if err := CheckGenres(l.Tracks, r.Genres); err != nil {
			return nil, err
		}
		return nil, errNoSeeds
	}
	rng := rand.New(rand.NewPCG(r.Rand, 0x5eed))
	n := min(3, len(from))
	seeds := make([]*features.Track, 0, n)
	seen := map[string]bool{}
	for len(seeds) < n && len(seen) < len(from) {
		t := from[rng.IntN(len(from))]
		if k := selector.RecordingKey(t); !seen[k] {
			seen[k] = true
			seeds = append(seeds, t)
		}
	}
	res.Random = true
	fmt.Fprintf(log, "no --seed given: picked at random (--rand %d):\n", r.Rand)
	for _, t := range seeds {
		fmt.Fprintf(log, "  --seed %q\n", t.ID)
		fmt.Fprintf(log, "      %s\n", t.String())
	}
	return seeds, nil
}

// CheckGenres returns an error naming the catalog's genres if one of want
// (other than "seeds") is not among them.
func CheckGenres(tracks []*features.Track, want []string) error {
	have := map[string]bool{}
	for _, t := range tracks {
		if t.Genre != "" {
			have[t.Genre] = true
		}
	}
	for _, g := range want {
		if g != "seeds" && !have[g] {
			names := make([]string, 0, len(have))
			for h := range have {
				names = append(names, h)
			}
			sort.Strings(names)
			return fmt.Errorf("no tracks of genre %q; the catalog has: %s", g, strings.Join(names, ", "))
		}
	}
	return nil
}
