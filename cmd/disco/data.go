package main

import (
	"fmt"
	"io"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/builtin"
	"github.com/discoflow/disco/features/load"
	"github.com/discoflow/disco/features/tidycsv"
	"github.com/discoflow/disco/model"
	modelbuiltin "github.com/discoflow/disco/model/builtin"
)

// openCatalog reads a data file, or the embedded catalog when path is "".
func openCatalog(path string, skipBad bool) (*features.Dataset, error) {
	if path == "" {
		r, err := builtin.Open()
		if err != nil {
			return nil, fmt.Errorf("embedded catalog: %w", err)
		}
		return tidycsv.Read(r, builtin.Name, tidycsv.Options{SkipBad: skipBad})
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
	return fmt.Errorf("the catalog %s is empty: none of its %d tracks has audio features", name, r.Tracks)
}
