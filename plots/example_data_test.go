package plots

import (
	"math"
	"math/rand/v2"

	"github.com/discoflow/disco/features"
)

// A 13-song French-touch playlist: three seeds, then ten picks. Keys and
// tempos are plausible, not looked up; features are a seeded random walk.
var exampleSongs = []struct {
	label   string
	seed    bool
	camelot string
	bpm     float64
}{
	{"Daft Punk - One More Time", true, "4B", 123},
	{"Stardust - Music Sounds Better With You", true, "8A", 124},
	{"Modjo - Lady (Hear Me Tonight)", true, "8A", 126},
	{"Cassius - 1999", false, "9A", 125},
	{"Spiller - Groovejet (If This Ain't Love)", false, "9A", 124},
	{"Roger Sanchez - Another Chance", false, "10A", 128},
	{"Bob Sinclar - I Feel for You", false, "3B", 127},
	{"Armand Van Helden - You Don't Know Me", false, "", 125},
	{"Basement Jaxx - Where's Your Head At", false, "12A", 0},
	{"Fatboy Slim - Praise You", false, "1A", 110},
	{"Junior Jack - E Samba", false, "1B", 128},
	{"The Chemical Brothers - Hey Boy Hey Girl", false, "2A", 128},
	{"Phoenix - If I Ever Feel Better (Buffalo Bunny Remix)", false, "2A", 122},
}

func exampleFlow() []FlowStep {
	rng := rand.New(rand.NewPCG(7, 13))
	var cur features.Vector
	base := features.Vector{-0.8, 0.9, 0.7, 0.6, -0.3, 0.5, -0.2, 0.6}
	copy(cur[:], base[:])
	steps := make([]FlowStep, len(exampleSongs))
	for i, s := range exampleSongs {
		var next features.Vector
		for f := range cur {
			next[f] = 0.6*cur[f] + 0.4*base[f] + 0.55*rng.NormFloat64()
		}
		steps[i] = FlowStep{Label: s.label, Seed: s.seed, Actual: next}
		if !s.seed {
			var pred features.Vector
			for f := range pred {
				// A linear RNN under-shoots: the prediction sits between
				// the running mean and the truth.
				pred[f] = 0.5*cur[f] + 0.3*next[f] + 0.25*rng.NormFloat64()
			}
			steps[i].Predicted = &pred
		}
		cur = next
	}
	return steps
}

func exampleMix() []MixStep {
	steps := make([]MixStep, len(exampleSongs))
	for i, s := range exampleSongs {
		steps[i] = MixStep{Label: s.label, Seed: s.seed, Camelot: s.camelot, BPM: s.bpm}
	}
	// Compatibility as the selector would report it.
	compat := []struct{ key, tempo bool }{
		{}, {false, true}, {true, true}, {true, true}, {true, true}, {true, false},
		{false, true}, {false, true}, {false, false}, {true, false}, {true, false},
		{true, true}, {true, true},
	}
	for i := range steps {
		steps[i].KeyCompatible, steps[i].TempoCompatible = compat[i].key, compat[i].tempo
	}
	return steps
}

// exampleMap returns the playlist's path and a 3000-point catalog cloud in
// PCA space: two overlapping Gaussian blobs and a sparse halo.
func exampleMap() ([]MapPoint, [][2]float64) {
	rng := rand.New(rand.NewPCG(42, 1))
	bg := make([][2]float64, 3000)
	for i := range bg {
		switch {
		case i%10 == 0:
			bg[i] = [2]float64{3 * rng.NormFloat64(), 2.2 * rng.NormFloat64()}
		case i%3 == 0:
			bg[i] = [2]float64{-1.2 + 0.9*rng.NormFloat64(), 0.8 + 0.7*rng.NormFloat64()}
		default:
			bg[i] = [2]float64{0.9 + 1.3*rng.NormFloat64(), -0.3 + 1.0*rng.NormFloat64()}
		}
	}
	path := make([]MapPoint, len(exampleSongs))
	x, y := 1.6, -0.9
	for i, s := range exampleSongs {
		a := 0.55 * float64(i)
		x += 0.55*math.Cos(a) + 0.25*rng.NormFloat64()
		y += 0.45*math.Sin(a) + 0.25*rng.NormFloat64()
		path[i] = MapPoint{Label: s.label, Seed: s.seed, X: x, Y: y}
	}
	return path, bg
}

func exampleLoss() (train, val []float64, best int) {
	rng := rand.New(rand.NewPCG(3, 3))
	for e := range 30 {
		t := 0.56 + 0.32*math.Exp(-float64(e)/5) + 0.004*rng.NormFloat64()
		v := 0.585 + 0.28*math.Exp(-float64(e)/4.5) + 0.0009*float64(max(0, e-14)) + 0.005*rng.NormFloat64()
		train = append(train, t)
		val = append(val, v)
	}
	best = 0
	for i, v := range val {
		if v < val[best] {
			best = i
		}
	}
	return train, val, best
}
