package model

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/discoflow/disco/features"
)

// Fold is one fold of a cross-validation: the playlists a model is
// trained on (and validated on, for early stopping, after a split by
// Config.ValFrac) and those it is tested on, never seen in training.
type Fold struct {
	Name        string // the held-out genre, or "1", "2", ... for k-fold
	Train, Test []*features.Playlist
	// Val, when not nil, is the validation set for early stopping, kept
	// apart from Train; nil means a split of Train by Config.ValFrac.
	Val []*features.Playlist
}

// ValidateOnGenre returns the folds of leave-one-genre-out (from
// GenreFolds) with early stopping on a genre unseen in training too: each
// fold's validation set is every training playlist of the genre after
// its own (in the order of the folds, the last followed by the first),
// taken out of its training set. Early stopping then rewards what carries
// over to a new genre, at the cost of one genre less to learn from.
func ValidateOnGenre(folds []Fold) []Fold {
	out := make([]Fold, len(folds))
	for i, f := range folds {
		g := folds[(i+1)%len(folds)].Name
		out[i] = Fold{Name: f.Name, Test: f.Test, Val: []*features.Playlist{}}
		for _, p := range f.Train {
			if p.Genre == g {
				out[i].Val = append(out[i].Val, p)
			} else {
				out[i].Train = append(out[i].Train, p)
			}
		}
	}
	return out
}

// MinGenrePlaylists is the fewest playlists a genre needs to be held out
// as a fold of GenreFolds: fewer give a test score too noisy to read.
const MinGenrePlaylists = 5

// Errors of GenreFolds and KFolds; test with errors.Is.
var (
	ErrOneGenre   = errors.New("model: leave-one-genre-out needs playlists of at least two genres")
	ErrSmallGenre = errors.New("model: a genre has too few playlists to hold out")
	ErrNoGenre    = errors.New("model: playlists without a genre")
	ErrFolds      = errors.New("model: bad number of folds")
)

// GenreFolds returns the folds of leave-one-genre-out cross-validation:
// one per genre (Playlist.Genre), in the order of genre names, testing on
// that genre's playlists and training on all the others. It fails with
// ErrNoGenre if a playlist has no genre, ErrOneGenre with fewer than two
// genres, and ErrSmallGenre if a genre has fewer than MinGenrePlaylists
// playlists (the errors name the playlists or genres).
func GenreFolds(pls []*features.Playlist) ([]Fold, error) {
	byGenre := make(map[string][]*features.Playlist)
	var untagged []string
	for _, p := range pls {
		if p.Genre == "" {
			untagged = append(untagged, fmt.Sprintf("%q", p.Name))
			continue
		}
		byGenre[p.Genre] = append(byGenre[p.Genre], p)
	}
	if len(untagged) > 0 {
		return nil, fmt.Errorf("%w: %d of %d (first %s)", ErrNoGenre, len(untagged), len(pls), untagged[0])
	}
	genres := make([]string, 0, len(byGenre))
	for g := range byGenre {
		genres = append(genres, g)
	}
	slices.Sort(genres)
	if len(genres) < 2 {
		return nil, fmt.Errorf("%w: all %d playlists are %q", ErrOneGenre, len(pls), genres)
	}
	var small []string
	for _, g := range genres {
		if n := len(byGenre[g]); n < MinGenrePlaylists {
			small = append(small, fmt.Sprintf("%s (%d)", g, n))
		}
	}
	if len(small) > 0 {
		return nil, fmt.Errorf("%w: %v, want at least %d playlists each; merge or drop them", ErrSmallGenre, small, MinGenrePlaylists)
	}
	folds := make([]Fold, len(genres))
	for i, g := range genres {
		folds[i].Name = g
		for _, p := range pls {
			if p.Genre == g {
				folds[i].Test = append(folds[i].Test, p)
			} else {
				folds[i].Train = append(folds[i].Train, p)
			}
		}
	}
	return folds, nil
}

// cvStream is the PCG stream of KFolds' shuffle, keyed by the seed.
const cvStream = 0x646973636f2d6376 // "disco-cv"

// KFolds returns the k folds of k-fold cross-validation by playlist:
// whole playlists, each in exactly one test set, fold sizes differing by
// at most one. The folds depend on the set of playlists and the seed, not
// on their order: playlists are sorted by ID (then name, then length) and
// shuffled by PCG(seed, cvStream). It fails with ErrFolds unless
// 2 <= k <= len(pls).
func KFolds(pls []*features.Playlist, k int, seed uint64) ([]Fold, error) {
	if k < 2 || k > len(pls) {
		return nil, fmt.Errorf("%w: %d folds of %d playlists (want 2..%d)", ErrFolds, k, len(pls), len(pls))
	}
	order := slices.Clone(pls)
	slices.SortStableFunc(order, func(a, b *features.Playlist) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Name, b.Name), cmp.Compare(len(a.Tracks), len(b.Tracks)))
	})
	rng := rand.New(rand.NewPCG(seed, cvStream))
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	folds := make([]Fold, k)
	for f := range folds {
		folds[f].Name = fmt.Sprint(f + 1)
		for i, p := range order {
			if i%k == f {
				folds[f].Test = append(folds[f].Test, p)
			} else {
				folds[f].Train = append(folds[f].Train, p)
			}
		}
	}
	return folds, nil
}

// FoldResult is the outcome of one fold of CrossValidate.
type FoldResult struct {
	Fold          string
	TestPlaylists int
	// Eval scores the fold's model and the baselines on the test
	// playlists (the baselines' global mean is the fold's training mean).
	Eval Evaluation
	// Model is the fold's model (its Info.Eval scores its inner
	// validation split).
	Model *Model
}

// CrossValidate trains a model per fold, as Fit does (split by
// cfg.ValFrac and cfg.Seed for early stopping, then Train) on the fold's
// training playlists, or with Train validating on the fold's Val when it
// has one, and scores it on its test playlists. fold, when not
// nil, is called after each fold. On cancellation it returns the folds
// done and an error wrapping ctx.Err().
func CrossValidate(ctx context.Context, cfg Config, folds []Fold, hooks Hooks, fold func(FoldResult)) ([]FoldResult, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var out []FoldResult
	for _, f := range folds {
		var m *Model
		var err error
		if f.Val != nil {
			m, err = Train(ctx, cfg, f.Train, f.Val, hooks)
		} else {
			m, err = Fit(ctx, cfg, f.Train, hooks)
		}
		if err != nil {
			return out, fmt.Errorf("model: fold %s: %w", f.Name, err)
		}
		r := FoldResult{Fold: f.Name, TestPlaylists: len(f.Test), Eval: m.Evaluate(f.Test), Model: m}
		out = append(out, r)
		if fold != nil {
			fold(r)
		}
	}
	return out, nil
}
