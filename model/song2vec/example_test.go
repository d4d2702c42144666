package song2vec_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/discoflow/disco/model/song2vec"
)

// Song radio: train on playlists, then find the songs nearest the mean of
// some seed songs, leaving the seeds out.
func Example() {
	// 200 playlists, each drawn from one of two groups of songs that never
	// share a playlist.
	r := rand.New(rand.NewPCG(1, 2))
	var playlists song2vec.Playlists
	for i := range 200 {
		group := []string{"rock", "salsa"}[i%2]
		var pl []string
		for range 10 {
			pl = append(pl, fmt.Sprint(group, r.IntN(20)))
		}
		playlists = append(playlists, pl)
	}
	v, stats, err := song2vec.Train(context.Background(), playlists, song2vec.Config{
		Dim: 16, MinCount: 1, Epochs: 10, Workers: 1, Seed: 1,
		Sample: -1, // with 40 songs every song is "frequent": keep them all
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.Len(), "songs; loss fell:", stats.Loss[len(stats.Loss)-1] < stats.Loss[0])

	seeds := []string{"rock1", "rock2", "unknown"}
	mean, missing := v.Mean(seeds)
	fmt.Println("no vector for", missing)
	isSeed := func(i int) bool { return v.Words[i] == "rock1" || v.Words[i] == "rock2" }
	var groups []string
	for _, n := range v.Nearest(mean, 5, isSeed) {
		groups = append(groups, strings.TrimRight(n.Word, "0123456789"))
	}
	fmt.Println(groups)
	// Output:
	// 40 songs; loss fell: true
	// no vector for [unknown]
	// [rock rock rock rock rock]
}

// Vectors move between tools in word2vec's formats.
func ExampleWriteText() {
	v, err := song2vec.New([]string{"a", "b"}, 2, []float64{0.5, -1, 0.25, 2}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	var buf bytes.Buffer
	song2vec.WriteText(&buf, v)
	fmt.Print(buf.String())

	buf.Reset()
	song2vec.WriteBinary(&buf, v)
	back, format, err := song2vec.Read(&buf)
	fmt.Println(format, back.Words, back.Data, err)
	// Output:
	// 2 2
	// a 0.5 -1
	// b 0.25 2
	// binary [a b] [0.5 -1 0.25 2] <nil>
}
