package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/builtin"
	"github.com/discoflow/disco/features/cache"
	"github.com/discoflow/disco/features/fill"
	"github.com/discoflow/disco/features/load"
	"github.com/discoflow/disco/model"
	modelbuiltin "github.com/discoflow/disco/model/builtin"
	"github.com/discoflow/disco/model/song2vec"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/candidates"
)

// EmbeddedName names the embedded catalog in messages.
const EmbeddedName = "the embedded catalog"

// Options say what a Library is opened on; the zero value is the
// embedded catalog, model and vectors.
type Options struct {
	// Catalog is a data file (CSV, Exportify, MPD JSON); "": the embedded
	// catalog. Its songs join the embedded catalog's, those without
	// features filled from it and from the cache, unless CatalogOnly.
	Catalog     string
	CatalogOnly bool
	SkipBad     bool   // skip malformed rows of Catalog instead of failing
	Model       string // flow model file; "": the embedded one
	Vectors     string // song2vec vectors file; "": the embedded ones
	Cache       string // feature cache filling Catalog's songs; "": the default path, if it exists
	Log         io.Writer
	Quiet       bool // do not write the summaries of reading and filling Catalog to Log
}

// Library is a catalog with the models that work on it. Open one, then
// call its methods from any number of goroutines.
type Library struct {
	Data   *features.Dataset
	Tracks []*features.Track // the catalog's tracks with features, in catalog order
	Model  *model.Model
	Name   string // the catalog's name in messages: its file, or EmbeddedName

	vectorsPath string

	resolverOnce sync.Once
	resolver     *selector.Resolver

	vecOnce sync.Once
	vectors *song2vec.Vectors
	vecErr  error

	warmOnce   sync.Once
	hybridOnce sync.Once
	hybrid     *candidates.Hybrid // the default quotas and pool size: a template
	hybridErr  error
}

// Open reads the catalog and the flow model that o names.
func Open(ctx context.Context, o Options) (*Library, error) {
	log := logTo(o.Log)
	ds, err := OpenCatalog(o.Catalog, o.SkipBad)
	if err != nil {
		return nil, err
	}
	if o.Catalog != "" {
		if ds.Report.Tracks == 0 {
			return nil, ErrEmptyCatalog(o.Catalog, ds.Report)
		}
		if o.Quiet {
			log = io.Discard
		}
		fmt.Fprintln(log, ds.Report.Summary(o.Catalog))
		if !o.CatalogOnly {
			if ds, err = withEmbedded(ctx, log, ds, o.Cache); err != nil {
				return nil, err
			}
		}
	}
	m, err := OpenModel(o.Model)
	if err != nil {
		return nil, err
	}
	return New(ds, m, cmp.Or(o.Catalog, EmbeddedName), o.Vectors)
}

// New makes a Library of a data set and a flow model already in memory;
// vectors is the song2vec file ("": the embedded vectors), read when a
// request first needs it.
func New(ds *features.Dataset, m *model.Model, name, vectors string) (*Library, error) {
	l := &Library{Data: ds, Model: m, Name: name, vectorsPath: vectors, Tracks: ds.Catalog.WithFeatures()}
	if len(l.Tracks) == 0 {
		return nil, ErrEmptyCatalog(name, ds.Report)
	}
	return l, nil
}

// Resolver returns the catalog's resolver, built on first use.
func (l *Library) Resolver() *selector.Resolver {
	l.resolverOnce.Do(func() { l.resolver = selector.NewResolver(l.Data.Catalog) })
	return l.resolver
}

// Suggest returns up to n songs whose "artist title" is closest to q,
// best first, one per recording: the resolver's forgiving match, for
// suggestions as a user types.
func (l *Library) Suggest(q string, n int) []*features.Track {
	r := l.Resolver()
	if t, err := r.Resolve(q); err == nil {
		out := []*features.Track{t}
		for _, c := range r.Closest(features.Normalize(q), n) {
			if len(out) < n && selector.RecordingKey(c) != selector.RecordingKey(t) {
				out = append(out, c)
			}
		}
		return out
	}
	return r.Closest(features.Normalize(q), n)
}

// Vectors returns the song2vec vectors, read on first use and checked
// against the catalog.
func (l *Library) Vectors() (*song2vec.Vectors, error) {
	l.vecOnce.Do(func() {
		l.vectors, l.vecErr = OpenVectors(l.vectorsPath)
		if l.vecErr == nil {
			l.vecErr = candidates.CheckVectors(l.vectors, l.Data.Catalog)
		}
	})
	return l.vectors, l.vecErr
}

// warm starts making, in the background, what a build from the source
// (the request's Source) will need, while the caller resolves the seeds.
func (l *Library) warm(source string) {
	if source == "" || source == "hybrid" {
		l.warmOnce.Do(func() { go l.Hybrid(candidates.Quotas{}, 1) })
	}
}

// Hybrid returns the hybrid candidate source with quotas q and pool size
// n (≤ 0: every song), sharing the catalog's prepared index and the
// artist graph between calls.
func (l *Library) Hybrid(q candidates.Quotas, n int) (*candidates.Hybrid, error) {
	l.hybridOnce.Do(func() {
		// The vectors are read and the artist graph made while the
		// catalog's index is: most of a default build's start-up, spread
		// over the cores (issue 18).
		vec := make(chan error, 1)
		go func() { _, err := l.Vectors(); vec <- err }()
		graph := make(chan *candidates.ArtistGraph, 1)
		go func() { graph <- candidates.NewArtistGraph(l.Data.Playlists) }()
		h := &candidates.Hybrid{Catalog: l.Data.Catalog, Scaler: &l.Model.Scaler}
		h.Prepare()
		h.Artists = <-graph
		if l.hybridErr = <-vec; l.hybridErr == nil {
			h.Vectors = l.vectors
			l.hybrid = h
		}
	})
	if l.hybridErr != nil {
		return nil, l.hybridErr
	}
	if n <= 0 {
		n = len(l.Tracks)
	}
	return l.hybrid.With(q, n), nil
}

// OpenCatalog reads a data file, or the embedded catalog when path is ""
// (decoded from its binary form; skipBad does not matter there, as the
// embedded CSV has no malformed row: features/builtin's tests check both).
func OpenCatalog(path string, skipBad bool) (*features.Dataset, error) {
	if path == "" {
		ds, err := builtin.Dataset()
		if err != nil {
			return nil, fmt.Errorf("embedded catalog: %w", err)
		}
		return ds, nil
	}
	ds, err := load.File(path, load.Options{SkipBad: skipBad})
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", path, err)
	}
	return ds, nil
}

// OpenModel reads a model file, or the embedded default when path is "".
func OpenModel(path string) (*model.Model, error) {
	if path == "" {
		return modelbuiltin.Load()
	}
	m, err := model.Load(path)
	if err != nil {
		return nil, fmt.Errorf("loading model %s: %w", path, err)
	}
	return m, nil
}

// OpenVectors reads a vectors file, or the embedded vectors when path is "".
func OpenVectors(path string) (*song2vec.Vectors, error) {
	if path == "" {
		return modelbuiltin.Vectors()
	}
	v, _, err := song2vec.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("loading vectors %s: %w", path, err)
	}
	return v, nil
}

// ErrEmptyCatalog is the error for a catalog without a track that has
// audio features.
func ErrEmptyCatalog(name string, r features.Report) error {
	if r.Tracks == 0 {
		return fmt.Errorf("the catalog %s is empty (%d rows)", name, r.Rows)
	}
	return fmt.Errorf("the catalog %s is empty: none of its %d tracks has audio features (disco fetch features --ids %s --out enriched.csv gets them; without --catalog-only the embedded catalog fills what it knows)", name, r.Tracks, name)
}

// withEmbedded fills the songs of the user's data set that lack features
// from what disco knows (the embedded catalog, then the cache at
// cachePath, "" for the default, if it exists), says so in one line, and
// returns the user's data set followed by the embedded catalog: the user's
// file wins for its songs (load.Merge keeps the first), the embedded songs
// are candidates too.
func withEmbedded(ctx context.Context, log io.Writer, ds *features.Dataset, cachePath string) (*features.Dataset, error) {
	emb, err := OpenCatalog("", false)
	if err != nil {
		return nil, err
	}
	r, err := FillFrom(ctx, ds.Catalog.Tracks, emb.Catalog, cachePath)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(log, r)
	return load.Merge(ds, emb), nil
}

// FillMissing fills the tracks that lack features, when any does, from
// what disco knows (FillFrom with the embedded catalog and the cache at
// cachePath); ok is false when every track had its features already.
func FillMissing(ctx context.Context, tracks []*features.Track, cachePath string) (r fill.Report, ok bool, err error) {
	if !slices.ContainsFunc(tracks, func(t *features.Track) bool { return !t.HasFeatures }) {
		return fill.Report{}, false, nil
	}
	emb, err := OpenCatalog("", false)
	if err != nil {
		return fill.Report{}, false, err
	}
	r, err = FillFrom(ctx, tracks, emb.Catalog, cachePath)
	return r, err == nil, err
}

// FillFrom fills the tracks that lack features from the catalog cat (the
// embedded one, named so), then the feature cache at cachePath ("": the
// default path) when it exists, and reports what it filled.
func FillFrom(ctx context.Context, tracks []*features.Track, cat *features.Catalog, cachePath string) (fill.Report, error) {
	sources := []fill.Source{fill.NewIndex(EmbeddedName, cat.Tracks)}
	if cachePath == "" {
		cachePath, _ = cache.DefaultPath()
	}
	if _, err := os.Stat(cachePath); err == nil {
		db, err := cache.Open(cachePath)
		if err != nil {
			return fill.Report{}, err
		}
		defer db.Close()
		sources = append(sources, &fill.Cache{DB: db, Sources: []string{"reccobeats", "spotify"}})
	}
	return fill.Fill(ctx, tracks, sources...)
}

// logTo is w, or io.Discard for nil.
func logTo(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

var errNoSeeds = errors.New("no seeds")
