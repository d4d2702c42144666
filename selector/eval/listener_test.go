package eval

import (
	"context"
	"math"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/selector"
)

// poolFunc is a candidate source from a function.
type poolFunc func(seeds []*features.Track) []*features.Track

func (f poolFunc) Candidates(_ context.Context, seeds []*features.Track) ([]*features.Track, error) {
	return f(seeds), nil
}

// TestListener: a source that offers exactly the rest of the seeds'
// playlist gives precision and genre 100%; one that offers only songs of
// other playlists of another genre gives 0%. Drift is the mean distance of
// the last 5 songs from the seeds' centroid.
func TestListener(t *testing.T) {
	cat, pls := synth(3, 400, 6, 20)
	// Playlists 0-2 are "rock" (subgenre "hard"), 3-5 "pop".
	labels := map[string][]Label{}
	for i, p := range pls {
		p.Genre, p.Subgenre = "rock", "hard"
		if i >= 3 {
			p.Genre, p.Subgenre = "pop", "dance"
		}
	}
	inAny := map[string]bool{}
	for _, p := range pls {
		for _, tr := range p.Tracks {
			labels[tr.ID] = append(labels[tr.ID], Label{p.Genre, p.Subgenre})
			inAny[tr.ID] = true
		}
	}
	own := func(seeds []*features.Track) []*features.Track {
		for _, p := range pls {
			if p.Tracks[0] == seeds[0] {
				return p.Tracks[3:]
			}
		}
		t.Fatal("seeds of no playlist")
		return nil
	}
	var outside []*features.Track
	for _, tr := range cat {
		if !inAny[tr.ID] {
			outside = append(outside, tr)
		}
	}
	for _, tc := range []struct {
		name      string
		src       poolFunc
		precision float64
		genre     float64
	}{
		{"own playlist", own, 1, 1},
		{"outside every playlist", func([]*features.Track) []*features.Track { return outside }, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := prepare(t, pls, cat, Options{Candidates: tc.src, Labels: labels, Pools: []int{100}})
			rep, err := d.Report(Setting{Knobs: selector.Knobs{Flow: 1, Spicyness: 1}, Pool: 100})
			if err != nil {
				t.Fatal(err)
			}
			var build, human Listener
			for _, g := range rep.Generation {
				switch g.Name {
				case "build":
					build = g.Listener
				case "human":
					human = g.Listener
				}
			}
			if !near(build.Precision, tc.precision, 1e-12) || !near(build.RPrecision, tc.precision, 1e-12) {
				t.Errorf("precision %v, R-precision %v, want %v", build.Precision, build.RPrecision, tc.precision)
			}
			if tc.genre == 0 && !math.IsNaN(build.Genre) && build.Genre != 0 {
				t.Errorf("genre %v, want 0 (no labels)", build.Genre)
			}
			if tc.genre == 1 && (build.Genre != 1 || build.Subgenre != 1) {
				t.Errorf("genre %v, subgenre %v, want 1", build.Genre, build.Subgenre)
			}
			if human.Precision != 1 || human.Genre != 1 || !math.IsNaN(human.RPrecision) {
				t.Errorf("human %+v", human)
			}
			// Drift of the human order, by hand.
			var want float64
			for _, p := range pls {
				var c features.Vector
				for _, s := range p.Tracks[:3] {
					for j, v := range s.Features {
						c[j] += v / 3
					}
				}
				var sum float64
				for _, tr := range p.Tracks[13-DriftWindow : 13] {
					var d2 float64
					for j, v := range tr.Features {
						d2 += (v - c[j]) * (v - c[j])
					}
					sum += math.Sqrt(d2)
				}
				want += sum / DriftWindow / float64(len(pls))
			}
			if !near(human.Drift, want, 1e-9) {
				t.Errorf("human drift %v, want %v", human.Drift, want)
			}
		})
	}
}
