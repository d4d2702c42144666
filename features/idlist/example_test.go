package idlist_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/discoflow/disco/features/idlist"
)

func ExampleRead() {
	file := `# from a chat
https://open.spotify.com/track/6I9VzXrHxO9rA9A5euc8Ak?si=abc
spotify:track:49FYlytm3dAAraYgpoJZux
`
	ds, err := idlist.Read(strings.NewReader(file), "party.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	pl := ds.Playlists[0]
	fmt.Println(pl.Name, pl.Len())
	// Give the first track a name and write the list back: an M3U8 file.
	pl.Tracks[0].Name, pl.Tracks[0].Artists = "Toxic", []string{"Britney Spears"}
	if err := idlist.Write(os.Stdout, pl); err != nil {
		fmt.Println(err)
	}
	// Output:
	// party 2
	// #EXTM3U
	// #EXTINF:-1,Britney Spears - Toxic
	// spotify:track:6I9VzXrHxO9rA9A5euc8Ak
	// #EXTINF:-1,
	// spotify:track:49FYlytm3dAAraYgpoJZux
}
