package theory_test

import (
	"fmt"

	"github.com/discoflow/disco/theory"
)

func ExampleParseKey() {
	for _, s := range []string{"8A", "08b", "1m", "12d", "C#m", "Db major", "Bbm", "Gb min", "H"} {
		k, err := theory.ParseKey(s)
		if err != nil {
			fmt.Printf("%-9s error\n", s)
			continue
		}
		fmt.Printf("%-9s %-9s %-4s %s\n", s, k, k.Camelot(), k.OpenKey())
	}
	// Output:
	// 8A        A minor   8A   1m
	// 08b       C major   8B   1d
	// 1m        A minor   8A   1m
	// 12d       F major   7B   12d
	// C#m       C# minor  12A  5m
	// Db major  C# major  3B   8d
	// Bbm       A# minor  3A   8m
	// Gb min    F# minor  11A  4m
	// H         error
}

func ExampleKeySim() {
	c := theory.NewKey(0, 1) // Spotify: key 0 (C), mode 1 (major)
	for _, other := range []theory.Key{
		theory.NewKey(9, 0),  // A minor
		theory.NewKey(7, 1),  // G major
		theory.NewKey(0, 0),  // C minor
		theory.NewKey(1, 1),  // C# major
		theory.NewKey(-1, 1), // unknown
	} {
		fmt.Printf("C major vs %-8s distance %2d  keySim %.1f\n", other, theory.FifthsDistance(c, other), theory.KeySim(c, other))
	}
	// Output:
	// C major vs A minor  distance  0  keySim 1.0
	// C major vs G major  distance  1  keySim 1.0
	// C major vs C minor  distance  3  keySim 0.2
	// C major vs C# major distance  5  keySim -0.6
	// C major vs unknown  distance -1  keySim 0.0
}

func ExampleTransition() {
	am := theory.NewKey(9, 0)
	for _, next := range []string{"Em", "C", "Bbm", "F", "G", "unknown"} {
		k, err := theory.ParseKey(next)
		if err != nil {
			k = theory.UnknownKey
		}
		m := theory.Classify(am, k)
		fmt.Printf("%-20s compatible %-5v boost %v\n", theory.Transition(am, k), m.Compatible(), m.Boost())
	}
	// Output:
	// 8A -> 9A (+1)        compatible true  boost false
	// 8A -> 8B (relative)  compatible true  boost false
	// 8A -> 3A (+7 boost)  compatible false boost true
	// 8A -> 7B (diagonal)  compatible false boost true
	// 8A -> 9B (other)     compatible false boost false
	// 8A -> ?              compatible false boost false
}

func ExampleTempoSim() {
	for _, t2 := range []float64{120, 123.6, 132, 144, 240, 60, 0} {
		fmt.Printf("120 -> %5.1f BPM  tempoSim %5.2f  ratio %5.3f  6%% rule %v\n", t2,
			theory.TempoSim(120, t2), theory.TempoRatio(120, t2),
			theory.TempoCompatible(120, t2, theory.DefaultTempoTolerance))
	}
	// Output:
	// 120 -> 120.0 BPM  tempoSim  1.00  ratio 1.000  6% rule true
	// 120 -> 123.6 BPM  tempoSim  0.96  ratio 1.030  6% rule true
	// 120 -> 132.0 BPM  tempoSim  0.65  ratio 1.100  6% rule false
	// 120 -> 144.0 BPM  tempoSim -0.08  ratio 1.200  6% rule false
	// 120 -> 240.0 BPM  tempoSim  1.00  ratio 1.000  6% rule true
	// 120 ->  60.0 BPM  tempoSim  1.00  ratio 1.000  6% rule true
	// 120 ->   0.0 BPM  tempoSim  0.00  ratio   NaN  6% rule false
}
