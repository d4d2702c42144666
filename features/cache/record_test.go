package cache

import (
	"math"
	"testing"

	"github.com/discoflow/disco/features"
)

// FuzzRecord checks that a track's features survive a record unchanged
// (key, mode, time signature and duration clamped to what the record
// holds), and that decoding never panics.
func FuzzRecord(f *testing.F) {
	f.Add(0.5, -7.5, 0.0, 120.5, 5, 1, 4, 200000, true)
	f.Add(math.NaN(), 0.0, 1.0, 0.0, -1, -1, 0, -1, false)
	f.Add(1.0, -60.0, 0.001, 250.0, 11, 0, 7, math.MaxInt32, true)
	f.Fuzz(func(t *testing.T, a, loud, v, tempo float64, key, mode, ts, dur int, has bool) {
		in := &features.Track{Key: key, Mode: mode, Tempo: tempo, TimeSignature: ts, DurationMS: dur, HasFeatures: has}
		in.Features = features.Vector{a, v, a, v, a, loud, v, a}
		rec := appendRecord(nil, in)
		if len(rec) != recordLen {
			t.Fatalf("record of %d bytes", len(rec))
		}
		var out features.Track
		if err := decodeRecord(rec, &out); err != nil {
			t.Fatal(err)
		}
		wantHas := has
		for _, x := range in.Features {
			if math.IsNaN(x) {
				wantHas = false
			}
		}
		if out.HasFeatures != wantHas {
			t.Fatalf("HasFeatures %v, want %v", out.HasFeatures, wantHas)
		}
		if wantHas && out.Features != in.Features {
			t.Errorf("features %v, want %v", out.Features, in.Features)
		}
		if !wantHas && !math.IsNaN(out.Features[0]) {
			t.Errorf("no features, but %v", out.Features)
		}
		if !(out.Tempo == tempo || math.IsNaN(tempo) && math.IsNaN(out.Tempo)) {
			t.Errorf("tempo %v, want %v", out.Tempo, tempo)
		}
		wantKey, wantMode := key, mode
		if key < -1 || key > 11 {
			wantKey = -1
		}
		if mode < -1 || mode > 1 {
			wantMode = -1
		}
		wantDur := dur
		if dur < -1 || dur > math.MaxInt32 {
			wantDur = -1
		}
		if out.Key != wantKey || out.Mode != wantMode || out.TimeSignature != min(max(ts, 0), 255) || out.DurationMS != wantDur {
			t.Errorf("key %d mode %d ts %d dur %d; want %d %d %d %d", out.Key, out.Mode, out.TimeSignature, out.DurationMS,
				wantKey, wantMode, min(max(ts, 0), 255), wantDur)
		}
		// Any bytes: an error or a track, never a panic.
		decodeRecord(rec[:len(rec)-1], &out)
		rec[0] = 2
		if decodeRecord(rec, &out) == nil {
			t.Error("a record of another format was accepted")
		}
	})
}
