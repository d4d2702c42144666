package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model"
	"github.com/discoflow/disco/selector/export"
)

// crossValidateTrain runs disco train --cv: leave-one-genre-out when k is
// 0, else k folds of playlists; a model per fold, scored on the held-out
// fold against the baselines, one row per fold and the mean and standard
// deviation over the folds.
func crossValidateTrain(ctx context.Context, e *env, cfg model.Config, pls []*features.Playlist, names []string, k int, valGenre bool) error {
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
	res, err := model.CrossValidate(ctx, cfg, folds, model.Hooks{}, func(r model.FoldResult) {
		done++
		bar.Note("fold %s: RNN %.4f, running mean %.4f (best epoch %d)", r.Fold, r.Eval.RNN.MAE, r.Eval.RunningMean.MAE, r.Model.Info.BestEpoch)
		bar.Set(done)
	})
	bar.Done()
	if err != nil {
		return err
	}
	return printCV(e, kind, cfg, res, len(pls), names)
}

// printCV prints the per-fold table of a cross-validation.
func printCV(e *env, kind string, cfg model.Config, res []model.FoldResult, playlists int, names []string) error {
	header := []string{"fold", "playlists", "steps", "RNN", "running mean", "last song", "global mean", "RNN vs mean", "best epoch"}
	if cfg.Residual == model.ResidualEWMA {
		header = append(header, "EWMA", "rate")
	}
	rows := [][]string{header}
	cols := 5 // RNN, running mean, last, global, gain
	vals := make([][]float64, cols+1)
	beats := 0
	for _, r := range res {
		ev := r.Eval
		gain := (ev.RNN.MAE - ev.RunningMean.MAE) / ev.RunningMean.MAE
		v := []float64{ev.RNN.MAE, ev.RunningMean.MAE, ev.Last.MAE, ev.GlobalMean.MAE, gain}
		row := []string{r.Fold, strconv.Itoa(r.TestPlaylists), strconv.Itoa(ev.Steps)}
		for i, x := range v {
			vals[i] = append(vals[i], x)
			if i == 4 {
				row = append(row, signedPct(x))
			} else {
				row = append(row, f4(x))
			}
		}
		row = append(row, strconv.Itoa(r.Model.Info.BestEpoch))
		if ev.EWMA != nil {
			vals[cols] = append(vals[cols], ev.EWMA.MAE)
			row = append(row, f4(ev.EWMA.MAE), f4(r.Model.Config.Rate))
		}
		if ev.BeatsRunningMean() {
			beats++
		}
		rows = append(rows, row)
	}
	mean, sd := []string{"mean", "", ""}, []string{"sd", "", ""}
	for i := range cols {
		mu, sigma := stat.MeanStdDev(vals[i], nil)
		if i == 4 {
			mean, sd = append(mean, signedPct(mu)), append(sd, pct(sigma))
		} else {
			mean, sd = append(mean, f4(mu)), append(sd, f4(sigma))
		}
	}
	mean, sd = append(mean, ""), append(sd, "")
	if cfg.Residual == model.ResidualEWMA {
		mu, sigma := stat.MeanStdDev(vals[cols], nil)
		mean, sd = append(mean, f4(mu), ""), append(sd, f4(sigma), "")
	}
	if len(res) > 1 {
		rows = append(rows, mean, sd)
	}
	fmt.Fprintf(e.stdout, "Flow model, %s cross-validation over the %d playlists of %s; residual %s\n", kind, playlists, strings.Join(names, ", "), cfg.Residual)
	fmt.Fprintf(e.stdout, "Mean absolute error on each held-out fold (scaled features; lower is better); RNN vs mean is the RNN's MAE relative to the running mean's\n\n")
	right := map[int]bool{}
	for i := 1; i < len(rows[0]); i++ {
		right[i] = true
	}
	if err := export.Aligned(e.stdout, rows, right); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nThe RNN beats the running mean on %d of %d folds.\n", beats, len(res))
	return nil
}

func f4(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
