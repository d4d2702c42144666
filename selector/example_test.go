package selector_test

import (
	"fmt"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model/scale"
	"github.com/discoflow/disco/selector"
)

// echo is the simplest flow model: the next song should sound like the
// last one (its scaled features, the inputs after the mode).
type echo struct{}

func (echo) Reset() {}

func (echo) Step(in *[9]float64) features.Vector {
	var v features.Vector
	copy(v[:], in[1:])
	return v
}

// A playlist of four songs grown greedily from one seed: each pick is the
// candidate nearest to the prediction that also mixes in key and tempo.
func ExampleSelector_Build() {
	song := func(id, name string, key, mode int, bpm, energy float64) *features.Track {
		return &features.Track{ID: id, Name: name, Artists: []string{"Artist " + id}, Key: key, Mode: mode, Tempo: bpm,
			Features: features.Vector{0.6, energy, -6, 0.05, 0.1, 0, 0.1, 0.5}, HasFeatures: true}
	}
	seed := song("a", "Opener", 9, 0, 124, 0.70)
	cands := []*features.Track{
		song("b", "Same key, close energy", 9, 0, 125, 0.72),
		song("c", "A fifth up", 4, 0, 123, 0.75),
		song("d", "Far key, far tempo", 3, 1, 90, 0.71),
		song("e", "Loud", 9, 0, 124, 0.99),
	}
	xs := []features.Vector{seed.Features}
	for _, c := range cands {
		xs = append(xs, c.Features)
	}
	sc, err := scale.FitScaler(xs)
	if err != nil {
		fmt.Println(err)
		return
	}
	sel, _ := selector.New(cands, sc)
	picks, err := sel.Build([]*features.Track{seed}, echo{}, selector.DefaultKnobs(), 4)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, p := range picks {
		move := "seed"
		if !p.Seed {
			move = p.Move.String()
		}
		fmt.Printf("%d %-22s %s\n", i+1, p.Track.Name, move)
	}
	// The far song in key and tempo is left out.

	// Output:
	// 1 Opener                 seed
	// 2 Same key, close energy same
	// 3 A fifth up             +1
	// 4 Loud                   -1
}
