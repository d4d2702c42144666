// Command song2vec-bench times disco's song2vec training for the speed
// comparison with gensim (see run.sh), and writes the repeated corpus both
// read.
//
//	go run ./bench/song2vec -make-corpus /tmp/corpus.txt -repeat 100 -versions 10
//	go run ./bench/song2vec -corpus /tmp/corpus.txt -dim 64 -workers 2
//
// With -make-corpus it writes the committed playlists (train and held-out
// splits of model/song2vec/testdata) -repeat times, copy c with "_v" and
// c mod -versions appended to every track id, so that the vocabulary is
// -versions times the real one. Otherwise it trains on -corpus and prints
// one JSON line with the words (kept-track occurrences over all epochs, as
// gensim's "raw words") per second of training, the vocabulary pass
// excluded, as gensim's train() is timed without build_vocab().
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/discoflow/disco/model/song2vec"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "song2vec-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("song2vec-bench", flag.ContinueOnError)
	var (
		makeCorpus = fs.String("make-corpus", "", "write the repeated corpus to this file and exit")
		testdata   = fs.String("testdata", "model/song2vec/testdata", "directory of train.txt.gz and heldout.txt.gz")
		repeat     = fs.Int("repeat", 100, "copies of the playlists in the corpus")
		versions   = fs.Int("versions", 10, "distinct renamings of the tracks among the copies")
		corpus     = fs.String("corpus", "", "train on this playlist-per-line file")
		cfg        song2vec.Config
	)
	fs.IntVar(&cfg.Dim, "dim", 64, "vector size")
	fs.IntVar(&cfg.Window, "window", 5, "window")
	fs.IntVar(&cfg.Negative, "negative", 5, "negative samples")
	fs.IntVar(&cfg.MinCount, "min-count", 1, "minimum count")
	fs.Float64Var(&cfg.Sample, "sample", 1e-3, "sub-sampling threshold")
	fs.IntVar(&cfg.Epochs, "epochs", 1, "epochs")
	fs.Float64Var(&cfg.Alpha, "alpha", 0.025, "learning rate")
	fs.IntVar(&cfg.Workers, "workers", 2, "workers")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *makeCorpus != "" {
		return writeCorpus(*makeCorpus, *testdata, *repeat, *versions)
	}
	if *corpus == "" {
		return fmt.Errorf("need -corpus or -make-corpus")
	}
	v, st, err := song2vec.Train(ctx, song2vec.TextFile(*corpus), cfg)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(map[string]any{
		"impl": "disco", "kernel": st.Kernel, "workers": st.Workers, "gomaxprocs": runtime.GOMAXPROCS(0),
		"vocab": v.Len(), "words": st.Words, "effective_words": st.Effective,
		"seconds": st.TrainTime.Seconds(), "vocab_seconds": st.VocabTime.Seconds(),
		"words_per_sec": st.WordsPerSec, "loss": st.Loss,
	})
}

func writeCorpus(path, testdata string, repeat, versions int) error {
	var pls song2vec.Playlists
	for _, name := range []string{"train.txt.gz", "heldout.txt.gz"} {
		f, err := os.Open(testdata + "/" + name)
		if err != nil {
			return err
		}
		p, err := song2vec.ReadPlaylists(f)
		f.Close()
		if err != nil {
			return err
		}
		pls = append(pls, p...)
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(out)
	for c := range repeat {
		for _, pl := range pls {
			for i, id := range pl {
				if i > 0 {
					w.WriteByte(' ')
				}
				fmt.Fprintf(w, "%s_v%d", id, c%versions)
			}
			w.WriteByte('\n')
		}
	}
	if err := w.Flush(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
