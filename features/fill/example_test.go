package fill_test

import (
	"context"
	"fmt"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/fill"
)

func ExampleFill() {
	known := []*features.Track{{
		ID: "76Je5Wklky23mVoxiRszcN", Name: "Walk", Artists: []string{"Foo Fighters"}, Key: 9, Mode: 1, Tempo: 138.311,
		HasFeatures: true, Features: features.Vector{3.62e-05, 0.231, 0.866, 0.000552, 0.29, -5.131, 0.0517, 0.191},
	}}
	// An export: Walk under another id and with two credited artists, and
	// a song nobody knows.
	export := []*features.Track{
		{ID: "0Other0000000000000001", Name: "WALK", Artists: []string{"Foo Fighters", "Someone"}, Key: -1, Mode: -1, Features: features.NoFeatures},
		{ID: "0Other0000000000000002", Name: "Lonely As You", Artists: []string{"Foo Fighters"}, Key: -1, Mode: -1, Features: features.NoFeatures},
	}
	r, err := fill.Fill(context.Background(), export, fill.NewIndex("my catalog", known))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r)
	fmt.Println(export[0].Name, export[0].Tempo, r.Results[0].Match)
	// Output:
	// 2 songs: 1 features from my catalog (0 by id, 1 by artist and title), 1 unknown ("Lonely As You")
	// WALK 138.311 artist and title
}
