// Command penalties checks the sort's default rule penalties
// (selector.DefaultRules: key and tempo penalty 3) by k-fold
// cross-validation over the embedded catalog's validation playlists (the
// split disco eval uses): for each penalty it runs disco eval's sort task
// (selector/eval, Options.Sort) on each fold and prints key-compatible
// and within-6%-BPM shares and the mean step, mean ± sd over the folds;
// then, fold by fold, it chooses the smallest penalty whose figures on the
// other folds meet the goals (key ≥ 90%, BPM ≥ 85%, step no larger
// than the human order's) and prints that choice's figures on the fold
// held out.
//
// Usage, from the repository root:
//
//	go run ./bench/sort/penalties [-folds 5] [-penalties 1,2,3,4,6] [-seed 1]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/builtin"
	"github.com/discoflow/disco/features/tidycsv"
	modelbuiltin "github.com/discoflow/disco/model/builtin"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/eval"
)

// figures are one fold's sort figures and its human order's step.
type figures struct{ key, tempo, step, human float64 }

func main() {
	folds := flag.Int("folds", 5, "folds of the validation playlists")
	list := flag.String("penalties", "1,2,3,4,6", "key and tempo penalties to try")
	seed := flag.Uint64("seed", 1, "seed of the folds and of eval")
	flag.Parse()
	if err := run(*folds, *list, *seed); err != nil {
		log.Fatal(err)
	}
}

func run(k int, list string, seed uint64) error {
	var pens []float64
	for _, f := range strings.Split(list, ",") {
		p, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return fmt.Errorf("-penalties: %w", err)
		}
		pens = append(pens, p)
	}
	r, err := builtin.Open()
	if err != nil {
		return err
	}
	ds, err := tidycsv.Read(r, builtin.Name, tidycsv.Options{})
	if err != nil {
		return err
	}
	m, err := modelbuiltin.Load()
	if err != nil {
		return err
	}
	_, val := features.SplitPlaylists(ds.Playlists, m.Config.ValFrac, m.Config.Seed)
	rng := rand.New(rand.NewPCG(seed, 0xf01d))
	rng.Shuffle(len(val), func(i, j int) { val[i], val[j] = val[j], val[i] })
	cat := ds.Catalog.WithFeatures()
	fmt.Fprintf(os.Stderr, "%d validation playlists in %d folds; penalties %v\n", len(val), k, pens)

	// got[p][f]: penalty p's figures on fold f.
	got := make([][]figures, len(pens))
	for pi, p := range pens {
		rules := selector.DefaultRules()
		rules.KeyPenalty, rules.TempoPenalty = p, p
		for f := range k {
			var fold []*features.Playlist
			for i, pl := range val {
				if i%k == f {
					fold = append(fold, pl)
				}
			}
			d, err := eval.Prepare(context.Background(), fold, cat, eval.Options{Model: m, Rules: &rules, Sort: true, Seed: seed})
			if err != nil {
				return err
			}
			rep, err := d.Report(eval.Setting{Knobs: selector.DefaultKnobs(), Pool: selector.DefaultPoolSize})
			if err != nil {
				return err
			}
			var fg figures
			for _, g := range rep.Generation {
				switch g.Name {
				case "human":
					fg.human = g.Order.Step
				case "sort":
					fg.key, fg.tempo, fg.step = g.Order.Key, g.Order.Tempo, g.Order.Step
				}
			}
			got[pi] = append(got[pi], fg)
		}
		fmt.Fprintf(os.Stderr, "penalty %g done\n", p)
	}

	fmt.Printf("sort task, %d folds of %d validation playlists: mean ± sd over the folds\n\n", k, len(val))
	fmt.Printf("%-8s  %-15s  %-15s  %-13s  %s\n", "penalty", "key=1", "6% BPM", "step", "human step")
	for pi, p := range pens {
		col := func(f func(figures) float64) (float64, float64) {
			v := make([]float64, k)
			for i, fg := range got[pi] {
				v[i] = f(fg)
			}
			return stat.MeanStdDev(v, nil)
		}
		km, ks := col(func(f figures) float64 { return f.key })
		tm, ts := col(func(f figures) float64 { return f.tempo })
		sm, ss := col(func(f figures) float64 { return f.step })
		hm, _ := col(func(f figures) float64 { return f.human })
		fmt.Printf("%-8g  %5.1f%% ± %4.1f  %5.1f%% ± %4.1f  %5.3f ± %5.3f  %5.3f\n", p, 100*km, 100*ks, 100*tm, 100*ts, sm, ss, hm)
	}

	fmt.Printf("\nfold by fold: the smallest penalty meeting key >= 90%%, BPM >= 85%%, step <= human on the other folds, and its figures on the fold\n\n")
	fmt.Printf("%-5s  %-7s  %-6s  %-6s  %s\n", "fold", "chosen", "key=1", "BPM", "step")
	for f := range k {
		chosen := -1
		for pi := range pens {
			var key, tempo, step, human float64
			for g, fg := range got[pi] {
				if g != f {
					key += fg.key / float64(k-1)
					tempo += fg.tempo / float64(k-1)
					step += fg.step / float64(k-1)
					human += fg.human / float64(k-1)
				}
			}
			if key >= 0.9 && tempo >= 0.85 && step <= human {
				chosen = pi
				break
			}
		}
		if chosen < 0 {
			fmt.Printf("%-5d  none\n", f+1)
			continue
		}
		fg := got[chosen][f]
		fmt.Printf("%-5d  %-7g  %5.1f%%  %5.1f%%  %.3f\n", f+1, pens[chosen], 100*fg.key, 100*fg.tempo, fg.step)
	}
	return nil
}
