package eval

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/discoflow/disco/selector"
)

func TestCheckSequencer(t *testing.T) {
	cat, pls := synth(21, 300, 12, 14)
	d := prepare(t, pls, cat, Options{})
	k := selector.DefaultKnobs()
	c, err := d.CheckSequencer(context.Background(), k, 40, 8)
	if err != nil {
		t.Fatal(err)
	}
	if c.Sets != 40 || c.Size != 8 || c.Playlists != d.Runs() {
		t.Fatalf("sets %d of %d songs, %d playlists; want 40 of 8, %d", c.Sets, c.Size, c.Playlists, d.Runs())
	}
	// The sequencer never beats the exact solver, and never loses to the
	// greedy order it starts from.
	for _, v := range []struct {
		name string
		v    float64
	}{{"gap median", c.GapMedian}, {"gap worst", c.GapWorst}, {"regret median", c.RegretMedian}, {"regret mean", c.RegretMean}, {"regret worst", c.RegretWorst}} {
		if !(v.v >= -1e-12) {
			t.Errorf("%s %v, want >= 0", v.name, v.v)
		}
	}
	if c.GapWorst < c.GapMedian || c.RegretWorst < c.RegretMean || c.RegretWorst < c.RegretMedian {
		t.Errorf("worst below the median or mean: %+v", c)
	}
	if c.GapWorst > 0.05 || c.Optimal < 0.8 {
		t.Errorf("sets of 8 songs: worst gap %.3f, optimal %.2f; want within 5%% and 80%% optimal", c.GapWorst, c.Optimal)
	}
	// Random playlists leave greedy something to regret.
	if c.RegretMean <= 0 {
		t.Errorf("regret mean %v, want > 0", c.RegretMean)
	}
	again, err := d.CheckSequencer(context.Background(), k, 40, 8)
	if err != nil || *again != *c {
		t.Errorf("not deterministic: %+v, then %+v (%v)", c, again, err)
	}
}

func TestCheckSequencerEdges(t *testing.T) {
	cat, pls := synth(22, 200, 6, 8)
	d := prepare(t, pls, cat, Options{})
	for _, tc := range []struct {
		name string
		k    selector.Knobs
		size int
		want string
	}{
		{"one song", selector.DefaultKnobs(), 1, "sets of 1 songs"},
		{"beyond the exact solver", selector.DefaultKnobs(), 13, "sets of 13 songs"},
		{"negative flow", selector.Knobs{Flow: -1}, 8, "flow"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := d.CheckSequencer(context.Background(), tc.k, 5, tc.size)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	// Playlists of 8 songs give no set of 12: NaN, written as null.
	c, err := d.CheckSequencer(context.Background(), selector.DefaultKnobs(), 5, 12)
	if err != nil {
		t.Fatal(err)
	}
	if c.Sets != 0 || !math.IsNaN(c.GapMedian) || !math.IsNaN(c.Optimal) || c.Playlists == 0 {
		t.Errorf("no set to draw: %+v", c)
	}
	b, err := json.Marshal(c)
	if err != nil || !strings.Contains(string(b), `"gap_median":null`) || !strings.Contains(string(b), `"playlists":6`) {
		t.Errorf("JSON %s, %v", b, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := d.CheckSequencer(ctx, selector.DefaultKnobs(), 5, 6); err == nil {
		t.Error("cancelled: no error")
	}
}

func TestDrawSets(t *testing.T) {
	cat, pls := synth(23, 200, 8, 12)
	d := prepare(t, pls, cat, Options{Seed: 5})
	sets := d.drawSets(30, 9)
	if len(sets) != 30 {
		t.Fatalf("%d sets, want 30", len(sets))
	}
	for i, s := range sets {
		recs := map[string]bool{}
		for _, tr := range s {
			recs[selector.RecordingKey(tr)] = true
		}
		if len(s) != 9 || len(recs) != 9 {
			t.Errorf("set %d: %d songs, %d recordings; want 9 distinct", i, len(s), len(recs))
		}
		// All from one playlist.
		from := false
		for _, r := range d.runs {
			in := map[string]bool{}
			for _, c := range r.idx {
				in[d.tab.tracks[c].ID] = true
			}
			all := true
			for _, tr := range s {
				all = all && in[tr.ID]
			}
			from = from || all
		}
		if !from {
			t.Errorf("set %d is not from one playlist", i)
		}
	}
	other := prepare(t, pls, cat, Options{Seed: 5}).drawSets(30, 9)
	for i := range sets {
		for j := range sets[i] {
			if sets[i][j] != other[i][j] {
				t.Fatalf("same seed, set %d differs", i)
			}
		}
	}
}
