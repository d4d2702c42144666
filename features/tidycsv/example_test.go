package tidycsv_test

import (
	"fmt"
	"strings"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/tidycsv"
)

// A CSV in the TidyTuesday layout: one row per track and playlist. Column
// names are matched by their aliases, so spotifyr's or a hand-made
// header reads as well; a bad cell names its file, line and column.
func ExampleRead() {
	const table = `track_id,track_name,track_artist,playlist_name,playlist_genre,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo
0DiWol3AO6WpXZgp0goxAV,One More Time,Daft Punk,Club classics,edm,0.611,0.697,2,-8.618,1,0.133,0.0194,0,0.332,0.476,122.752
4sPmO7WMQUAf45kwMOtONw,Hello,Adele,Ballads,pop,0.481,0.451,5,-6.134,0,0.0347,0.336,0,0.0872,0.289,78.994
`
	ds, err := tidycsv.Read(strings.NewReader(table), "mine.csv", tidycsv.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range ds.Catalog.Tracks {
		fmt.Printf("%s: key %d mode %d, %.0f BPM, energy %.3f, genre %s\n", t, t.Key, t.Mode, t.Tempo, t.Features[features.AbstractIndex("energy")], t.Genre)
	}
	for _, p := range ds.Playlists {
		fmt.Printf("playlist %q: %d song\n", p.Name, len(p.Tracks))
	}

	_, err = tidycsv.Read(strings.NewReader(strings.Replace(table, "0.451", "loud", 1)), "mine.csv", tidycsv.Options{})
	fmt.Println(err)
	// Output:
	// Daft Punk - One More Time: key 2 mode 1, 123 BPM, energy 0.697, genre edm
	// Adele - Hello: key 5 mode 0, 79 BPM, energy 0.451, genre pop
	// playlist "Club classics": 1 song
	// playlist "Ballads": 1 song
	// mine.csv:3: byte 54: column "energy": not a number: "loud"
}
