package mpd_test

import (
	"fmt"
	"strings"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/mpd"
)

func ExampleJoin() {
	slice := `{"info": {"slice": "0-0", "version": "v1"}, "playlists": [{"name": "Throwbacks", "pid": 0, "tracks": [
	  {"pos": 0, "artist_name": "Missy Elliott", "track_uri": "spotify:track:0UaMYEvWZi0ZqiDOoHU3YI", "track_name": "Lose Control (feat. Ciara & Fat Man Scoop)", "duration_ms": 226863, "album_name": "The Cookbook"},
	  {"pos": 1, "artist_name": "Britney Spears", "track_uri": "spotify:track:6I9VzXrHxO9rA9A5euc8Ak", "track_name": "Toxic", "duration_ms": 198800, "album_name": "In The Zone"}]}]}`
	ds, err := mpd.Read(strings.NewReader(slice), "mpd.slice.0-0.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	// A catalog with audio features, as the CSV reader would make it.
	toxic := &features.Track{ID: "6I9VzXrHxO9rA9A5euc8Ak", Name: "Toxic", Artists: []string{"Britney Spears"},
		Key: 5, Mode: 0, Tempo: 143.04, HasFeatures: true,
		Features: features.Vector{0.0249, 0.774, 0.838, 0.025, 0.242, -3.914, 0.114, 0.924}}
	cov := mpd.Join(ds, features.NewCatalog(toxic))
	fmt.Println(cov)
	for _, t := range ds.Playlists[0].Tracks {
		fmt.Printf("%s: features %v, tempo %g\n", t, t.HasFeatures, t.Tempo)
	}
	// Output:
	// 1 of 2 tracks (50.0%) have audio features (1 of 2 playlist entries, 50.0%); 0 of 1 playlists fully covered
	// Missy Elliott - Lose Control (feat. Ciara & Fat Man Scoop): features false, tempo 0
	// Britney Spears - Toxic: features true, tempo 143.04
}
