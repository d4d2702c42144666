package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/load"
	"github.com/discoflow/disco/features/mpd"
	"github.com/discoflow/disco/model/song2vec"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/candidates"
	"github.com/discoflow/disco/selector/export"
)

func init() {
	register(command{name: "song2vec", summary: "learn song vectors from playlists (word2vec over playlists)", run: runSong2vec})
	register(command{name: "radio", summary: "songs that belong with the seeds, by song2vec", run: runRadio})
	register(command{name: "similar-playlists", summary: "playlists that resemble a playlist, by song2vec", run: runSimilarPlaylists})
}

const song2vecHelp = `
Learns a vector for every song from the playlists it appears in: word2vec's
skip-gram with negative sampling, with track ids for words and playlists for
sentences. Songs that share playlists end up close. The vectors feed
"disco radio", "disco similar-playlists" and "disco build --candidates
song2vec", and are written in word2vec's binary or text format, the formats
gensim and Spark read and write.

--mpd DIR streams Million Playlist Dataset slices (mpd.slice.*.json) from a
directory without holding them in memory, so a million playlists train on a
laptop.

Examples:
  disco song2vec --out vectors.bin
  disco song2vec --mpd data/mpd --dim 64 --epochs 5 --min-count 5 --out mpd.bin
`

func runSong2vec(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "song2vec", "[--data FILE ... | --mpd DIR] --out FILE [flags]", song2vecHelp)
	var data multiFlag
	fs.Var(&data, "data", "playlist data `file` (repeatable; default: the embedded catalog)")
	mpdDir := fs.String("mpd", "", "stream Million Playlist Dataset slices from `dir`")
	out := fs.String("out", "", "write the vectors to `file` (required)")
	format := fs.String("format", "binary", "file format: binary or text (word2vec's)")
	var cfg song2vec.Config
	fs.IntVar(&cfg.Dim, "dim", 16, "vector length")
	fs.IntVar(&cfg.Window, "window", 10, "context window (songs either side)")
	fs.IntVar(&cfg.Negative, "negative", 5, "negative samples per pair")
	fs.IntVar(&cfg.MinCount, "min-count", 1, "drop songs seen fewer times")
	fs.Float64Var(&cfg.Sample, "sample", -1, "sub-sampling threshold of frequent songs (negative: off)")
	fs.IntVar(&cfg.Epochs, "epochs", 50, "passes over the playlists")
	fs.Float64Var(&cfg.Alpha, "alpha", 0.025, "starting learning rate")
	fs.IntVar(&cfg.Workers, "workers", 0, "training goroutines (0: all cores; 1 is deterministic)")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "random seed")
	skipBad := fs.Bool("skip-bad", false, "skip malformed rows instead of failing")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "disco song2vec: --out FILE is required, and no arguments")
		return errUsage
	}
	f, err := parseVectorFormat(*format)
	if err != nil {
		return err
	}
	var corpus song2vec.Corpus
	if *mpdDir != "" {
		corpus = mpdCorpus(*mpdDir)
	} else {
		pls, _, err := loadPlaylists(e, data, *skipBad)
		if err != nil {
			return err
		}
		corpus = playlistCorpus(pls)
	}
	bar := newProgress(e.stderr, "song2vec", cfg.Epochs, "epochs")
	cfg.OnEpoch = func(s song2vec.EpochStats) {
		bar.suffix = fmt.Sprintf("loss %.4f", s.Loss)
		bar.Set(s.Epoch)
	}
	v, st, err := song2vec.Train(ctx, corpus, cfg)
	bar.Done()
	if err != nil {
		return err
	}
	if err := song2vec.WriteFile(*out, v, f); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "wrote %s: %d songs x %d dimensions from %d playlists; %.0f words/s\n",
		*out, v.Len(), v.Dim, st.Playlists, st.WordsPerSec)
	return nil
}

func parseVectorFormat(s string) (song2vec.Format, error) {
	switch s {
	case "binary", "bin":
		return song2vec.Binary, nil
	case "text", "txt":
		return song2vec.Text, nil
	}
	return 0, fmt.Errorf("--format %q: want binary or text", s)
}

// playlistCorpus is a song2vec corpus of playlists in memory.
func playlistCorpus(pls []*features.Playlist) song2vec.Playlists {
	out := make(song2vec.Playlists, 0, len(pls))
	for _, pl := range pls {
		out = append(out, pl.AppendIDs(nil))
	}
	return out
}

// mpdCorpus streams the playlists of a directory of MPD slices, once per
// pass, one playlist in memory at a time.
type mpdCorpus string

func (dir mpdCorpus) Each(fn func([]string) error) error {
	var ids []string
	return mpd.StreamDir(string(dir), func(pl *features.Playlist) error {
		ids = pl.AppendIDs(ids[:0])
		return fn(ids)
	})
}

const radioHelp = `
Song radio: the songs nearest, by cosine similarity of their song2vec
vectors, to the mean of the seeds' vectors. Songs that share playlists with
the seeds come first. Songs the catalog lacks are shown by id.

Examples:
  disco radio --seed "Daft Punk - One More Time"
  disco radio --seed "Beyonce - Halo" --seed "Rihanna - Umbrella" -n 30 --format json
`

type radioEntry struct {
	Rank       int     `json:"rank"`
	ID         string  `json:"id"`
	Artist     string  `json:"artist,omitempty"`
	Title      string  `json:"title,omitempty"`
	Genre      string  `json:"genre,omitempty"`
	Similarity float64 `json:"similarity"`
}

func runRadio(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "radio", "--seed SONG [--seed SONG ...] [flags]", radioHelp)
	var seeds multiFlag
	fs.Var(&seeds, "seed", "seed `song`: \"artist - title\", title, id, URI or URL (repeatable)")
	n := fs.Int("n", 20, "songs to list")
	vecPath := fs.String("vectors", "", "song2vec vectors `file`; default: the embedded ones")
	catPath := fs.String("catalog", "", "catalog `file` for names; default: the embedded one")
	format := fs.String("format", "table", "output: table or json")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if len(seeds) == 0 || fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "disco radio: give at least one --seed")
		return errUsage
	}
	if err := checkCounts(count{"n", *n, 1, 1_000_000}); err != nil {
		return err
	}
	ds, err := openCatalog(*catPath, false)
	if err != nil {
		return err
	}
	v, err := openVectors(*vecPath)
	if err != nil {
		return err
	}
	ids, err := resolveSeeds(ds.Catalog, seeds)
	if err != nil {
		return err
	}
	known := ds // the songs names and the cold start come from: the embedded ones too
	if *catPath != "" {
		emb, err := openCatalog("", false)
		if err != nil {
			return err
		}
		known = load.Merge(ds, emb)
	}
	var seedTracks []*features.Track
	var cold *candidates.Mapper // made only for a seed without a vector
	for _, id := range ids {
		t := ds.Catalog.Get(id)
		if t == nil {
			t = &features.Track{ID: id}
		}
		seedTracks = append(seedTracks, t)
		if v.Index(id) >= 0 {
			continue
		}
		if cold == nil {
			m, err := openModel("")
			if err != nil {
				return err
			}
			cold = candidates.NewMapper(v, known.Catalog, &m.Scaler)
		}
		if _, how := cold.Map(t); how != "" {
			fmt.Fprintf(e.stderr, "disco radio: seed %s has no vector; given one from its %s\n", t, how)
		} else {
			why := "no known artist and no audio features"
			if err := cold.Err(); err != nil {
				why = err.Error()
			}
			fmt.Fprintf(e.stderr, "disco radio: seed %s has no vector and none can be mapped (%s); left out\n", t, why)
		}
	}
	pool := &song2vec.Pool{Vectors: v}
	if cold != nil {
		pool.Cold = cold // a nil *Mapper in the interface would not be nil
	}
	mean := pool.SeedMean(seedTracks)
	if mean == nil {
		return song2vec.ErrNoSeedVectors
	}
	exclude := map[int]bool{}
	for _, id := range ids {
		if i := v.Index(id); i >= 0 {
			exclude[i] = true
		}
	}
	var out []radioEntry
	for i, nb := range v.Nearest(mean, *n, func(i int) bool { return exclude[i] }) {
		r := radioEntry{Rank: i + 1, ID: nb.Word, Similarity: nb.Score}
		if t := known.Catalog.Get(nb.Word); t != nil {
			r.Artist, r.Title, r.Genre = t.Artist(), t.Name, t.Genre
		}
		out = append(out, r)
	}
	switch *format {
	case "json":
		return writeJSON(e.stdout, out)
	case "table":
		rows := [][]string{{"#", "artist - title", "genre", "similarity"}}
		for _, r := range out {
			name := r.ID
			if r.Title != "" || r.Artist != "" {
				name = r.Artist + " - " + r.Title
			}
			rows = append(rows, []string{strconv.Itoa(r.Rank), name, r.Genre, fmt.Sprintf("%.3f", r.Similarity)})
		}
		return export.Aligned(e.stdout, rows, map[int]bool{0: true, 3: true})
	}
	return fmt.Errorf("--format %q: want table or json", *format)
}

// resolveSeeds resolves seed queries to track ids: a Spotify id, URI or URL
// is taken as it is (the vectors may know songs the catalog lacks), other
// queries are matched in the catalog.
func resolveSeeds(cat *features.Catalog, queries []string) ([]string, error) {
	var r *selector.Resolver
	ids := make([]string, 0, len(queries))
	for _, q := range queries {
		if id, ok := features.ParseTrackRef(q); ok {
			ids = append(ids, id)
			continue
		}
		if r == nil {
			r = selector.NewResolver(cat)
		}
		t, err := r.Resolve(q)
		if err != nil {
			return nil, err
		}
		ids = append(ids, t.ID)
	}
	return ids, nil
}

const similarHelp = `
Playlists that resemble a playlist: each playlist's vector is the mean of
its songs' song2vec vectors, and playlists are ranked by cosine similarity
to the chosen one. The playlist is named by its id or (part of) its name.

Examples:
  disco similar-playlists --playlist "Pop Remix"
  disco similar-playlists --playlist 37i9dQZF1DXcZDD7cfEKhW -n 5 --format json
`

func runSimilarPlaylists(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "similar-playlists", "--playlist NAME|ID [flags]", similarHelp)
	query := fs.String("playlist", "", "the playlist: its id or (part of) its name")
	n := fs.Int("n", 10, "playlists to list")
	vecPath := fs.String("vectors", "", "song2vec vectors `file`; default: the embedded ones")
	var data multiFlag
	fs.Var(&data, "data", "playlist data `file` (repeatable; default: the embedded catalog)")
	format := fs.String("format", "table", "output: table or json")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if *query == "" || fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "disco similar-playlists: give --playlist")
		return errUsage
	}
	pls, _, err := loadPlaylists(&env{stdout: e.stdout, stderr: io.Discard}, data, false)
	if err != nil {
		return err
	}
	v, err := openVectors(*vecPath)
	if err != nil {
		return err
	}
	target, err := findPlaylist(pls, *query)
	if err != nil {
		return err
	}
	var names []string
	var vecs [][]float64
	var kept []*features.Playlist
	for _, pl := range pls {
		ids := pl.AppendIDs(nil)
		m, missing := v.Mean(ids)
		if len(missing) == len(ids) {
			continue
		}
		kept = append(kept, pl)
		names = append(names, pl.ID)
		vecs = append(vecs, m)
	}
	data64 := make([]float64, 0, len(vecs)*v.Dim)
	for _, m := range vecs {
		data64 = append(data64, m...)
	}
	pv, err := song2vec.New(names, v.Dim, data64, nil)
	if err != nil {
		return err
	}
	ti := pv.Index(target.ID)
	if ti < 0 {
		return fmt.Errorf("playlist %q: none of its songs has a vector", target.Name)
	}
	type entry struct {
		Rank       int     `json:"rank"`
		ID         string  `json:"id"`
		Name       string  `json:"name"`
		Genre      string  `json:"genre,omitempty"`
		Songs      int     `json:"songs"`
		Similarity float64 `json:"similarity"`
	}
	var out []entry
	for i, nb := range pv.Nearest(pv.Row(ti), *n, func(i int) bool { return i == ti }) {
		pl := kept[nb.Index]
		out = append(out, entry{i + 1, pl.ID, pl.Name, pl.Genre, pl.Len(), nb.Score})
	}
	fmt.Fprintf(e.stderr, "playlists like %q (%s, %d songs):\n", target.Name, target.ID, target.Len())
	if *format == "json" {
		return writeJSON(e.stdout, out)
	}
	rows := [][]string{{"#", "playlist", "genre", "songs", "similarity"}}
	for _, r := range out {
		rows = append(rows, []string{strconv.Itoa(r.Rank), r.Name, r.Genre, strconv.Itoa(r.Songs), fmt.Sprintf("%.3f", r.Similarity)})
	}
	return export.Aligned(e.stdout, rows, map[int]bool{0: true, 3: true, 4: true})
}

// findPlaylist finds a playlist by id, exact name or a unique part of the
// name (case and accents forgiven).
func findPlaylist(pls []*features.Playlist, q string) (*features.Playlist, error) {
	nq := features.Normalize(q)
	var part []*features.Playlist
	for _, pl := range pls {
		if pl.ID == q || features.Normalize(pl.Name) == nq {
			return pl, nil
		}
		if nq != "" && strings.Contains(features.Normalize(pl.Name), nq) {
			part = append(part, pl)
		}
	}
	switch len(part) {
	case 1:
		return part[0], nil
	case 0:
		return nil, fmt.Errorf("no playlist matches %q", q)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%q matches %d playlists; say which:", q, len(part))
	for _, pl := range part[:min(len(part), 10)] {
		fmt.Fprintf(&b, "\n  %s  (%s)", pl.Name, pl.ID)
	}
	return nil, errors.New(b.String())
}
