package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/app"
)

// The library's readers, under the names the commands use.
var (
	openCatalog = app.OpenCatalog
	openModel   = app.OpenModel
	openVectors = app.OpenVectors
)

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
var errEmptyCatalog = app.ErrEmptyCatalog

// embeddedName names the embedded catalog in fill reports.
const embeddedName = app.EmbeddedName

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
