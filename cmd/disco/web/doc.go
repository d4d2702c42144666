// Package web provides the handlers of disco serve: a JSON API under /api/
// and the pages (Build, Sort, Map, Eval) embedded in the binary.
//
// # Overview
//
// A Server answers requests from one opened selector/app.Library; every
// result is computed by the library (Build, Sort, Suggest) or by the
// functions the command hands in (Eval, Sweep), never re-implemented
// here, so that the page cannot drift from the CLI. Playlists come back as the CLI writes
// them: downloads through selector/export's writers, JSON as
// export.Entries.
//
// # Maps
//
// The Map page's spaces are computed once, on first use: the principal
// components of the flow model's scaled features (model/scale.FitPCA,
// as disco build's map plot), of the song2vec vectors (model/scale.FitAxes, the same fit, of
// the unit vectors), and a t-SNE map (model/tsne) of a sample of songs,
// which, like the eval report, runs in the background and answers 202
// until it is done.
//
// # Eval
//
// The Eval page's report and sweep are computed once, in the background,
// the sweep after the report (they would share the cores): /api/eval
// serves the report as disco eval writes it, /api/sweep the sweep's rows
// under the sweep CSV's column names with its recommendation, and
// /api/sweep/{name} each of its figures (plots.SweepFigures, as disco
// sweep --plot-dir draws them) as PNG, rendered in memory and looked up
// by name.
//
// # Safety
//
// Request values are validated before any work (knob ranges and NaN, a
// length cap, unknown JSON fields refused); uploads are read from the
// request body only, capped in size, decompressed within a cap and parsed
// with features/load, as disco sort reads files; no path from a request is
// ever opened. Every request runs under a deadline (past it, a 503 with
// a JSON message like every other error), and the heavy requests
// (build, sort) wait for one of a bounded number of slots, so that a flood
// of them queues instead of starving the rest.
package web
