package theory

import (
	"math"
	"testing"
)

var (
	sinkFloat  float64
	sinkMove   Move
	sinkBool   bool
	sinkString string
)

// TestZeroAllocs checks the contract that the functions the selector calls
// in its inner loop allocate nothing (the benchmarks report the same).
func TestZeroAllocs(t *testing.T) {
	a, b := Key{9, Minor}, Key{1, Major}
	checks := map[string]func(){
		"KeySim":          func() { sinkFloat = KeySim(a, b) },
		"KeySimUnknown":   func() { sinkFloat = KeySim(a, UnknownKey) },
		"TempoSim":        func() { sinkFloat = TempoSim(120, 127.3) },
		"TempoSimUnknown": func() { sinkFloat = TempoSim(120, math.NaN()) },
		"TempoRatio":      func() { sinkFloat = TempoRatio(120, 127.3) },
		"TempoCompatible": func() { sinkBool = TempoCompatible(120, 127.3, DefaultTempoTolerance) },
		"Classify":        func() { sinkMove = Classify(a, b) },
		"Camelot":         func() { sinkString = a.Camelot() },
		"OpenKey":         func() { sinkString = b.OpenKey() },
		"String":          func() { sinkString = a.String() },
		"Transition":      func() { sinkString = Transition(a, b) },
	}
	for name, f := range checks {
		t.Run(name, func(t *testing.T) {
			if n := testing.AllocsPerRun(100, f); n != 0 && name != "Transition" {
				t.Errorf("%s: %v allocations per call, want 0", name, n)
			}
		})
	}
}

func BenchmarkKeySim(b *testing.B) {
	keys := allKeys()
	keys = append(keys, UnknownKey)
	b.ReportAllocs()
	s := 0.0
	for i := 0; b.Loop(); i++ {
		s += KeySim(keys[i%len(keys)], keys[(i*7+3)%len(keys)])
	}
	sinkFloat = s
}

func BenchmarkTempoSim(b *testing.B) {
	tempos := []float64{60, 87.5, 99.9, 120, 123.6, 128, 140, 174, 0, 200.25}
	b.ReportAllocs()
	s := 0.0
	for i := 0; b.Loop(); i++ {
		s += TempoSim(tempos[i%len(tempos)], tempos[(i*3+1)%len(tempos)])
	}
	sinkFloat = s
}

func BenchmarkClassify(b *testing.B) {
	keys := allKeys()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sinkMove = Classify(keys[i%24], keys[(i*5+1)%24])
	}
}

func BenchmarkParseKey(b *testing.B) {
	inputs := []string{"8A", "Db major", "C#m", "12d", "Gb min"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k, _ := ParseKey(inputs[i%len(inputs)])
		sinkMove = Move(k.Pitch)
	}
}
