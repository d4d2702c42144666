package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/builtin"
	"github.com/discoflow/disco/features/cache"
	"github.com/discoflow/disco/features/fill"
	"github.com/discoflow/disco/features/load"
	"github.com/discoflow/disco/model"
	modelbuiltin "github.com/discoflow/disco/model/builtin"
	"github.com/discoflow/disco/selector"
)

// openCatalog reads a data file, or the embedded catalog when path is ""
// (decoded from its binary form; skipBad does not matter there, as the
// embedded CSV has no malformed row: features/builtin's tests check both).
func openCatalog(path string, skipBad bool) (*features.Dataset, error) {
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

// openModel reads a model file, or the embedded default when path is "".
func openModel(path string) (*model.Model, error) {
	if path == "" {
		return modelbuiltin.Load()
	}
	m, err := model.Load(path)
	if err != nil {
		return nil, fmt.Errorf("loading model %s: %w", path, err)
	}
	return m, nil
}

// reportData prints the one-line summary of a data set's report (see
// features.Report.Summary), and its warnings when verbose.
func reportData(w io.Writer, name string, r features.Report, verbose bool) {
	fmt.Fprintln(w, r.Summary(name))
	if verbose {
		for _, s := range r.Warnings {
			fmt.Fprintln(w, "  warning:", s)
		}
	}
}

// errEmptyCatalog is the error for a catalog without a track that has
// audio features.
func errEmptyCatalog(name string, r features.Report) error {
	if r.Tracks == 0 {
		return fmt.Errorf("the catalog %s is empty (%d rows)", name, r.Rows)
	}
	return fmt.Errorf("the catalog %s is empty: none of its %d tracks has audio features (disco fetch features --ids %s --out enriched.csv gets them; without --catalog-only the embedded catalog fills what it knows)", name, r.Tracks, name)
}

// embeddedName names the embedded catalog in fill reports.
const embeddedName = "the embedded catalog"

// withEmbedded fills the songs of the user's data set that lack features
// from what disco knows (the embedded catalog, then the cache at
// cachePath, "" for the default, if it exists), says so in one line, and
// returns the user's data set followed by the embedded catalog: the user's
// file wins for its songs (load.Merge keeps the first), the embedded songs
// are candidates too.
func withEmbedded(ctx context.Context, log io.Writer, ds *features.Dataset, cachePath string, skipBad bool) (*features.Dataset, error) {
	emb, err := openCatalog("", skipBad)
	if err != nil {
		return nil, err
	}
	sources := []fill.Source{fill.NewIndex(embeddedName, emb.Catalog.Tracks)}
	if cachePath == "" {
		cachePath, _ = cache.DefaultPath()
	}
	if _, err := os.Stat(cachePath); err == nil {
		db, err := cache.Open(cachePath)
		if err != nil {
			return nil, err
		}
		defer db.Close()
		sources = append(sources, &fill.Cache{DB: db, Sources: []string{"reccobeats", "spotify"}})
	}
	r, err := fill.Fill(ctx, ds.Catalog.Tracks, sources...)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(log, r)
	return load.Merge(ds, emb), nil
}

// noFeaturesHint adds to a *selector.NoFeaturesError the ways out.
func noFeaturesHint(err error, catalog string) error {
	var nf *selector.NoFeaturesError
	if !errors.As(err, &nf) {
		return err
	}
	switch {
	case catalog == "":
		catalog = "FILE"
	case strings.ContainsAny(catalog, " \t'\"$"):
		catalog = strconv.Quote(catalog)
	}
	return fmt.Errorf("%w; disco knows none for it: get them with\n  disco fetch features --ids %s --source reccobeats --out enriched.csv\nand build with --catalog enriched.csv, or give a file with its features as --catalog", err, catalog)
}
