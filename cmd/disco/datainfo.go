package main

import (
	"context"
	"fmt"
	"io"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/builtin"
)

func init() {
	register(command{name: "data", summary: "check what disco reads from a data file (disco data info)", run: runData})
}

const dataHelp = `
Subcommands:
  info [flags] [FILE...]   read each file as build, sort and eval would and
                           report what was read: rows, tracks, playlists,
                           duplicates, skipped rows, unknown values and
                           missing columns with what they cost (FILE
                           defaults to the embedded catalog)
`

const dataInfoHelp = `
Reads each file the way --catalog and sort --in read it (any format disco
knows: CSV exports, TidyTuesday-style CSV, Million Playlist Dataset slices,
M3U8, XSPF, disco's JSON, id lists) and reports what the loader did, one
line a file, or one JSON object a file with --format json. Without FILE,
the embedded catalog. A file that cannot be read stops the command with
its error (file, line and column).

Examples:
  disco data info my_library.csv
  disco data info --format json --skip-bad export.csv
`

// dataInfo is what --format json prints for one file.
type dataInfo struct {
	File string `json:"file"`
	features.Report
	// Costs say what each missing column costs, in MissingColumns' order.
	Costs []string `json:"costs"`
}

func runData(ctx context.Context, e *env, args []string) error {
	return runGroup(ctx, e, args, "data", dataHelp, map[string]func(context.Context, *env, []string) error{"info": runDataInfo})
}

func runDataInfo(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "data info", "[--format text|json] [--skip-bad] [--verbose] [FILE...]", dataInfoHelp)
	format := fs.String("format", "text", "output: text (one line a file) or json (one object a file, for scripts)")
	skipBad := fs.Bool("skip-bad", false, "skip malformed rows (counted) instead of failing")
	verbose := fs.Bool("verbose", false, "also print the loader's warnings")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return badFlag(fmt.Errorf("--format: %q is not text or json", *format))
	}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{""}
	}
	var infos []dataInfo
	for _, f := range files {
		ds, err := openCatalog(f, *skipBad)
		if err != nil {
			return err
		}
		name := f
		if name == "" {
			name = builtin.Name
		}
		info := dataInfo{File: name, Report: ds.Report, Costs: []string{}}
		// Lists print as [], never null, for scripts.
		info.ConflictIDs = orEmpty(info.ConflictIDs)
		info.MissingColumns = orEmpty(info.MissingColumns)
		info.Warnings = orEmpty(info.Warnings)
		for _, c := range ds.Report.MissingColumns {
			info.Costs = append(info.Costs, features.ColumnCost(c))
		}
		infos = append(infos, info)
	}
	return printDataInfo(e.stdout, *format, infos, *verbose)
}

// printDataInfo prints each file's report as its summary line (see
// reportData) or, for json, as a JSON array of dataInfo.
func printDataInfo(w io.Writer, format string, infos []dataInfo, verbose bool) error {
	if format == "json" {
		return writeJSON(w, infos)
	}
	for _, in := range infos {
		reportData(w, in.File, in.Report, verbose)
	}
	return nil
}

// orEmpty returns s, or an empty slice for nil.
func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
