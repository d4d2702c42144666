package features

import (
	"math"
	"strconv"
	"testing"
)

func TestFastFloat(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"0.748", true}, {"-2.634", true}, {"6.18e-5", true}, {"122.036", true}, {"0", true},
		{"-0", true}, {"1.", true}, {".5", true}, {"+.5", true}, {"00.0583", true}, {"1E3", true},
		{"123456789012345", true}, {"0.000000000000000000001", true}, {"1e22", true},
		{"1234567890123456", false}, {"1e23", false}, {"1e-23", false}, {"", false}, {".", false},
		{"1e", false}, {"1e+", false}, {"NaN", false}, {"Inf", false}, {"0x1p4", false}, {"1_0", false},
		{"1.2.3", false}, {" 1", false}, {"1 ", false}, {"--1", false}, {"0e99999999999", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := fastFloat(tt.in)
			if ok != tt.ok {
				t.Fatalf("fastFloat(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			}
			if want, _ := strconv.ParseFloat(tt.in, 64); ok && math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("fastFloat(%q) = %v, ParseFloat %v", tt.in, got, want)
			}
		})
	}
}

// FuzzFastFloat checks that the fast path agrees with strconv.ParseFloat to
// the bit whenever it answers.
func FuzzFastFloat(f *testing.F) {
	for _, s := range []string{"0.748", "-2.634", "6.18e-5", "122.036", "1e22", "0.1", "9007199254740993"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := fastFloat(s)
		if !ok {
			return
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("fastFloat(%q) = %v, ParseFloat = %v, %v", s, got, want, err)
		}
	})
}
