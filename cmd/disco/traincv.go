package main

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/eval"
	"github.com/discoflow/disco/selector/export"
)

// crossValidateTrain runs disco train --cv: leave-one-genre-out when k is
// 0, else k folds of playlists; a model per fold, scored on the held-out
// fold against the baselines and by catalog MRR (foldRanking), one row per
// fold and the mean and standard deviation over the folds.
func crossValidateTrain(ctx context.Context, e *env, cfg model.Config, ds *features.Dataset, names []string, k int, valGenre bool, format string) error {
	pls := ds.Playlists
	var folds []model.Fold
	var err error
	kind := "leave-one-genre-out"
	if k == 0 {
		folds, err = model.GenreFolds(pls)
	} else {
		folds, err = model.KFolds(pls, k, cfg.Seed)
		kind = fmt.Sprintf("%d-fold", k)
	}
	if err != nil {
		return err
	}
	if valGenre {
		folds = model.ValidateOnGenre(folds)
		kind += ", early stopping on the next genre"
	}
	fmt.Fprintf(e.stderr, "%s cross-validation over %d playlists, %d folds; residual %s; %s engine, %d workers\n",
		kind, len(pls), len(folds), cfg.Residual, cfg.Engine, cfg.Workers)
	bar := newProgress(e.stderr, "folds", len(folds), "folds")
	done := 0
	catalog := ds.Catalog.WithFeatures()
	var rows []cvFold
	var rankErr error
	_, err = model.CrossValidate(ctx, cfg, folds, model.Hooks{}, func(r model.FoldResult) {
		row := cvRow(r)
		if rankErr == nil {
			row.MRR, row.CentroidMRR, rankErr = foldRanking(ctx, r.Model, folds[done].Test, catalog, cfg.Seed)
		}
		rows = append(rows, row)
		done++
		bar.Note("fold %s: RNN %.4f, running mean %.4f (best epoch %d); catalog MRR %.3f, centroid %.3f",
			r.Fold, r.Eval.RNN.MAE, r.Eval.RunningMean.MAE, r.Model.Info.BestEpoch, row.MRR, row.CentroidMRR)
		bar.Set(done)
	})
	bar.Done()
	if err != nil {
		return err
	}
	if rankErr != nil {
		return fmt.Errorf("catalog MRR: %w", rankErr)
	}
	rep := newCVReport(kind, cfg, rows, len(pls), names)
	if format == "json" {
		return writeJSON(e.stdout, rep)
	}
	return printCV(e, rep)
}

// foldRanking returns the catalog MRR of the true next song on a fold's
// test playlists, DISCO's and the centroid's, exactly as disco eval
// computes and reports them with its defaults (eval.Prepare against the
// data's catalog with 3 seeds, 99 distractors and the seed given, and
// the default knobs): the Catalog MRR of Report's "DISCO" and
// "centroid" rankers.
func foldRanking(ctx context.Context, m *model.Model, test []*features.Playlist, catalog []*features.Track, seed uint64) (disco, centroid float64, err error) {
	d, err := eval.Prepare(ctx, test, catalog, eval.Options{Model: m, Seed: seed})
	if err != nil {
		return 0, 0, err
	}
	rs, err := d.Rankings(cvSetting())
	if err != nil {
		return 0, 0, err
	}
	dr, ok1 := eval.Ranker(rs, "DISCO")
	cr, ok2 := eval.Ranker(rs, "centroid")
	if !ok1 || !ok2 {
		return 0, 0, fmt.Errorf("eval has no DISCO or centroid ranker")
	}
	return dr.Catalog.MRR, cr.Catalog.MRR, nil
}

// cvSetting is disco eval's default setting: the default knobs (the
// ranking does not use the pool).
func cvSetting() eval.Setting {
	return eval.Setting{Knobs: selector.DefaultKnobs(), Pool: selector.DefaultPoolSize}
}

// cvFold is one fold's row of disco train --cv.
type cvFold struct {
	Fold          string  `json:"fold"`
	TestPlaylists int     `json:"test_playlists"`
	Steps         int     `json:"steps"`
	RNN           float64 `json:"rnn_mae"`
	RunningMean   float64 `json:"running_mean_mae"`
	Last          float64 `json:"last_song_mae"`
	GlobalMean    float64 `json:"global_mean_mae"`
	// Gain is the RNN's MAE relative to the running mean's, (RNN -
	// RunningMean) / RunningMean: negative is better.
	Gain      float64 `json:"rnn_vs_mean"`
	BestEpoch int     `json:"best_epoch"`
	// MRR and CentroidMRR are the catalog MRRs of DISCO and of the
	// centroid (foldRanking).
	MRR         float64  `json:"catalog_mrr"`
	CentroidMRR float64  `json:"centroid_catalog_mrr"`
	EWMA        *float64 `json:"ewma_mae,omitempty"`
	Rate        *float64 `json:"ewma_rate,omitempty"`
}

func cvRow(r model.FoldResult) cvFold {
	ev := r.Eval
	row := cvFold{
		Fold: r.Fold, TestPlaylists: r.TestPlaylists, Steps: ev.Steps,
		RNN: ev.RNN.MAE, RunningMean: ev.RunningMean.MAE, Last: ev.Last.MAE, GlobalMean: ev.GlobalMean.MAE,
		Gain:      (ev.RNN.MAE - ev.RunningMean.MAE) / ev.RunningMean.MAE,
		BestEpoch: r.Model.Info.BestEpoch,
	}
	if ev.EWMA != nil {
		v, rate := ev.EWMA.MAE, r.Model.Config.Rate
		row.EWMA, row.Rate = &v, &rate
	}
	return row
}

// cvStats are the mean or the standard deviation of the folds' figures.
type cvStats struct {
	RNN         float64  `json:"rnn_mae"`
	RunningMean float64  `json:"running_mean_mae"`
	Last        float64  `json:"last_song_mae"`
	GlobalMean  float64  `json:"global_mean_mae"`
	Gain        float64  `json:"rnn_vs_mean"`
	MRR         float64  `json:"catalog_mrr"`
	CentroidMRR float64  `json:"centroid_catalog_mrr"`
	MRRGain     float64  `json:"mrr_vs_centroid"` // DISCO's MRR minus the centroid's
	EWMA        *float64 `json:"ewma_mae,omitempty"`
}

// cvReport is disco train --cv's result, as printed and as JSON.
type cvReport struct {
	Kind      string       `json:"kind"`
	Data      []string     `json:"data"`
	Playlists int          `json:"playlists"`
	Config    model.Config `json:"config"`
	Folds     []cvFold     `json:"folds"`
	Mean      cvStats      `json:"mean"`
	SD        cvStats      `json:"sd"`
	// BeatsMean and BeatsCentroid count the folds where the RNN's MAE is
	// below the running mean's and DISCO's catalog MRR above the
	// centroid's.
	BeatsMean     int `json:"folds_rnn_below_running_mean"`
	BeatsCentroid int `json:"folds_mrr_above_centroid"`
}

func newCVReport(kind string, cfg model.Config, rows []cvFold, playlists int, names []string) *cvReport {
	rep := &cvReport{Kind: kind, Data: names, Playlists: playlists, Config: cfg, Folds: rows}
	col := func(f func(cvFold) float64) (float64, float64) {
		v := make([]float64, len(rows))
		for i, r := range rows {
			v[i] = f(r)
		}
		return stat.MeanStdDev(v, nil)
	}
	rep.Mean.RNN, rep.SD.RNN = col(func(r cvFold) float64 { return r.RNN })
	rep.Mean.RunningMean, rep.SD.RunningMean = col(func(r cvFold) float64 { return r.RunningMean })
	rep.Mean.Last, rep.SD.Last = col(func(r cvFold) float64 { return r.Last })
	rep.Mean.GlobalMean, rep.SD.GlobalMean = col(func(r cvFold) float64 { return r.GlobalMean })
	rep.Mean.Gain, rep.SD.Gain = col(func(r cvFold) float64 { return r.Gain })
	rep.Mean.MRR, rep.SD.MRR = col(func(r cvFold) float64 { return r.MRR })
	rep.Mean.CentroidMRR, rep.SD.CentroidMRR = col(func(r cvFold) float64 { return r.CentroidMRR })
	rep.Mean.MRRGain, rep.SD.MRRGain = col(func(r cvFold) float64 { return r.MRR - r.CentroidMRR })
	if cfg.Residual == model.ResidualEWMA {
		mu, sigma := col(func(r cvFold) float64 { return *r.EWMA })
		rep.Mean.EWMA, rep.SD.EWMA = &mu, &sigma
	}
	for _, r := range rows {
		if r.RNN < r.RunningMean {
			rep.BeatsMean++
		}
		if r.MRR > r.CentroidMRR {
			rep.BeatsCentroid++
		}
	}
	return rep
}

// printCV prints the per-fold table of a cross-validation.
func printCV(e *env, rep *cvReport) error {
	ewma := rep.Config.Residual == model.ResidualEWMA
	header := []string{"fold", "playlists", "steps", "RNN", "running mean", "last song", "global mean", "RNN vs mean", "best epoch", "MRR", "centroid MRR", "MRR vs centroid"}
	if ewma {
		header = append(header, "EWMA", "rate")
	}
	rows := [][]string{header}
	for _, r := range rep.Folds {
		row := []string{r.Fold, strconv.Itoa(r.TestPlaylists), strconv.Itoa(r.Steps),
			f4(r.RNN), f4(r.RunningMean), f4(r.Last), f4(r.GlobalMean), signedPct(r.Gain), strconv.Itoa(r.BestEpoch),
			f3(r.MRR), f3(r.CentroidMRR), signed3(r.MRR - r.CentroidMRR)}
		if ewma {
			row = append(row, f4(*r.EWMA), f4(*r.Rate))
		}
		rows = append(rows, row)
	}
	stats := func(name string, s cvStats, gain func(float64) string, mrrGain func(float64) string) []string {
		row := []string{name, "", "", f4(s.RNN), f4(s.RunningMean), f4(s.Last), f4(s.GlobalMean), gain(s.Gain), "",
			f3(s.MRR), f3(s.CentroidMRR), mrrGain(s.MRRGain)}
		if ewma {
			row = append(row, f4(*s.EWMA), "")
		}
		return row
	}
	if len(rep.Folds) > 1 {
		rows = append(rows, stats("mean", rep.Mean, signedPct, signed3), stats("sd", rep.SD, pct, f3))
	}
	fmt.Fprintf(e.stdout, "Flow model, %s cross-validation over the %d playlists of %s; residual %s\n", rep.Kind, rep.Playlists, strings.Join(rep.Data, ", "), rep.Config.Residual)
	fmt.Fprintf(e.stdout, "Mean absolute error on each held-out fold (scaled features; lower is better); RNN vs mean is the RNN's MAE relative to the running mean's;\n")
	fmt.Fprintf(e.stdout, "MRR is the catalog MRR of the true next song, DISCO's score against the order-blind centroid's, as disco eval reports them (99 distractors; higher is better)\n\n")
	right := map[int]bool{}
	for i := 1; i < len(rows[0]); i++ {
		right[i] = true
	}
	if err := export.Aligned(e.stdout, rows, right); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nThe RNN beats the running mean on %d of %d folds; DISCO's catalog MRR is above the centroid's on %d of %d.\n",
		rep.BeatsMean, len(rep.Folds), rep.BeatsCentroid, len(rep.Folds))
	return nil
}

// signed3 formats a difference with three decimals and its sign.
func signed3(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return fmt.Sprintf("%+.3f", v)
}

func f4(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
