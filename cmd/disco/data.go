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

// reportData prints a one-line summary of a data set's report, and its
// warnings when verbose.
func reportData(w io.Writer, name string, r features.Report, verbose bool) {
	fmt.Fprintf(w, "%s: %d rows, %d tracks, %d playlists", name, r.Rows, r.Tracks, r.Playlists)
	if r.DuplicatePlaylists > 0 {
		fmt.Fprintf(w, " (%d duplicate playlists dropped)", r.DuplicatePlaylists)
	}
	if r.Skipped > 0 {
		fmt.Fprintf(w, ", %d bad rows skipped", r.Skipped)
	}
	if r.MissingFeatures > 0 {
		fmt.Fprintf(w, ", %d tracks without features", r.MissingFeatures)
	}
	fmt.Fprintln(w)
	if verbose {
		for _, s := range r.Warnings {
			fmt.Fprintln(w, "  warning:", s)
		}
	}
}
