package model

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
)

// withGenres gives the playlists genres: counts[g] playlists of genre g,
// in turn.
func withGenres(pls []*features.Playlist, counts map[string]int) []*features.Playlist {
	var genres []string
	for g, n := range counts {
		for range n {
			genres = append(genres, g)
		}
	}
	slices.Sort(genres)
	for i, p := range pls {
		p.Genre = genres[i%len(genres)]
	}
	return pls[:min(len(pls), len(genres))]
}

func TestGenreFolds(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	for _, tc := range []struct {
		name   string
		counts map[string]int
		untag  bool
		want   error
		text   string
		folds  []string
	}{
		{"three-genres", map[string]int{"rock": 6, "jazz": 5, "pop": 7}, false, nil, "", []string{"jazz", "pop", "rock"}},
		{"one-genre", map[string]int{"rock": 12}, false, ErrOneGenre, `"rock"`, nil},
		{"small-genre", map[string]int{"rock": 8, "jazz": 4, "folk": 2}, false, ErrSmallGenre, "[folk (2) jazz (4)]", nil},
		{"untagged", map[string]int{"rock": 8, "jazz": 8}, true, ErrNoGenre, "1 of 16", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pls := withGenres(synthPlaylists(rng, 20, 3, 5), tc.counts)
			if tc.untag {
				pls[3].Genre = ""
			}
			folds, err := GenreFolds(pls)
			if tc.want != nil {
				if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
					t.Fatalf("error %v, want %v saying %q", err, tc.want, tc.text)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range folds {
				names = append(names, f.Name)
				if len(f.Test) != tc.counts[f.Name] || len(f.Train)+len(f.Test) != len(pls) {
					t.Errorf("fold %s: %d test, %d train of %d", f.Name, len(f.Test), len(f.Train), len(pls))
				}
				for _, p := range f.Test {
					if p.Genre != f.Name {
						t.Errorf("fold %s tests on a %s playlist", f.Name, p.Genre)
					}
				}
				for _, p := range f.Train {
					if p.Genre == f.Name {
						t.Errorf("fold %s trains on its own genre", f.Name)
					}
				}
			}
			if !slices.Equal(names, tc.folds) {
				t.Errorf("folds %v, want %v", names, tc.folds)
			}
		})
	}
}

func TestKFolds(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	pls := synthPlaylists(rng, 23, 3, 5)
	for _, k := range []int{2, 5, 23} {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			folds, err := KFolds(pls, k, 7)
			if err != nil {
				t.Fatal(err)
			}
			seen := make(map[*features.Playlist]int)
			for _, f := range folds {
				if n := len(f.Test); n < len(pls)/k || n > len(pls)/k+1 || len(f.Train)+n != len(pls) {
					t.Errorf("fold %s: %d test, %d train", f.Name, n, len(f.Train))
				}
				for _, p := range f.Test {
					seen[p]++
					if slices.Contains(f.Train, p) {
						t.Errorf("fold %s trains on a test playlist", f.Name)
					}
				}
			}
			for _, p := range pls {
				if seen[p] != 1 {
					t.Errorf("playlist %s in %d test sets", p.ID, seen[p])
				}
			}
			// The order of the playlists does not matter; the seed does.
			rev := slices.Clone(pls)
			slices.Reverse(rev)
			again, _ := KFolds(rev, k, 7)
			other, _ := KFolds(pls, k, 8)
			same, differ := true, false
			for i := range folds {
				same = same && slices.Equal(folds[i].Test, again[i].Test)
				differ = differ || !slices.Equal(folds[i].Test, other[i].Test)
			}
			if !same || (!differ && k < len(pls)) {
				t.Errorf("folds follow the order (%v) or ignore the seed (%v)", !same, !differ)
			}
		})
	}
	for _, k := range []int{0, 1, 24} {
		if _, err := KFolds(pls, k, 1); !errors.Is(err, ErrFolds) {
			t.Errorf("k %d: error %v, want ErrFolds", k, err)
		}
	}
}

func TestCrossValidate(t *testing.T) {
	rng := rand.New(rand.NewPCG(45, 46))
	pls := withGenres(synthPlaylists(rng, 30, 6, 12), map[string]int{"a": 10, "b": 10, "c": 10})
	folds, err := GenreFolds(pls)
	if err != nil {
		t.Fatal(err)
	}
	var called []string
	res, err := CrossValidate(context.Background(), Config{Epochs: 2, Workers: 1, Seed: 2, Residual: ResidualMean}, folds, Hooks{},
		func(r FoldResult) { called = append(called, r.Fold) })
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(called, []string{"a", "b", "c"}) || len(res) != 3 {
		t.Fatalf("folds reported %v, results %d", called, len(res))
	}
	for i, r := range res {
		// The test score is the model's on the held-out genre, which it
		// never trained or validated on.
		if want := r.Model.Evaluate(folds[i].Test); r.Eval != want || r.TestPlaylists != 10 {
			t.Errorf("fold %s: eval %+v, want %+v", r.Fold, r.Eval, want)
		}
		if r.Model.Info.TrainPlaylists+r.Model.Info.ValPlaylists != 20 {
			t.Errorf("fold %s trained on %d+%d playlists, want 20", r.Fold, r.Model.Info.TrainPlaylists, r.Model.Info.ValPlaylists)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := CrossValidate(ctx, Config{Epochs: 2, Workers: 1}, folds, Hooks{}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestValidateOnGenre(t *testing.T) {
	rng := rand.New(rand.NewPCG(47, 48))
	pls := withGenres(synthPlaylists(rng, 18, 3, 5), map[string]int{"a": 5, "b": 6, "c": 7})
	folds, err := GenreFolds(pls)
	if err != nil {
		t.Fatal(err)
	}
	v := ValidateOnGenre(folds)
	for i, f := range v {
		next := []string{"b", "c", "a"}[i]
		if f.Name != folds[i].Name || !slices.Equal(f.Test, folds[i].Test) || len(f.Val) != map[string]int{"a": 5, "b": 6, "c": 7}[next] ||
			len(f.Train)+len(f.Val)+len(f.Test) != len(pls) {
			t.Fatalf("fold %s: %d train, %d val, %d test", f.Name, len(f.Train), len(f.Val), len(f.Test))
		}
		for _, p := range f.Val {
			if p.Genre != next {
				t.Errorf("fold %s validates on %s, want %s", f.Name, p.Genre, next)
			}
		}
		for _, p := range f.Train {
			if p.Genre == next || p.Genre == f.Name {
				t.Errorf("fold %s trains on %s", f.Name, p.Genre)
			}
		}
	}
	res, err := CrossValidate(context.Background(), Config{Epochs: 1, Workers: 1}, v[:1], Hooks{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if in := res[0].Model.Info; in.ValPlaylists != 6 || in.TrainPlaylists != 7 {
		t.Errorf("trained on %d, validated on %d playlists; want 7 and 6", in.TrainPlaylists, in.ValPlaylists)
	}
}
