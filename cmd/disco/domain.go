package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model"
)

// warnFar says on w, one line per song and at most limit lines (then one
// line counting the rest), which of the seeds lie far outside m's training
// data (see model.Domain), naming the song and its distance. It says
// nothing when every seed lies within, or when m records no domain. It
// returns the number of far seeds.
func warnFar(w io.Writer, prog string, m *model.Model, seeds []*features.Track, limit int) int {
	far := 0
	for _, t := range seeds {
		dist, radius, out, ok := m.Outside(t)
		if !ok || !out {
			continue
		}
		far++
		if far > limit {
			continue
		}
		fmt.Fprintf(w, "%s: warning: seed %q (%s) lies far outside the model's training data: %.2f scaled units from the nearest training prototype, beyond %.2f (%g%% of training songs lie within; trained on %s)%s\n",
			prog, t.String(), t.ID, dist, radius, 100*m.Domain.Quantile, trainedOn(m.Domain), fallback(m))
	}
	if far > limit {
		fmt.Fprintf(w, "%s: warning: %d more seeds lie far outside the model's training data\n", prog, far-limit)
	}
	return far
}

// trainedOn names the training genres of d, or says there were none.
func trainedOn(d *model.Domain) string {
	if len(d.Genres) == 0 {
		return "playlists without genres"
	}
	gs := make([]string, len(d.Genres))
	for i, g := range d.Genres {
		gs[i] = g.Genre
	}
	return strings.Join(gs, ", ")
}

// fallback says what a plain model's predictions are worth far from its
// data; a residual model's fall back on its baseline, which needs no
// warning beyond the line.
func fallback(m *model.Model) string {
	if m.Config.Residual == model.ResidualNone {
		return "; this plain model's predictions may be unreliable there"
	}
	return ""
}

// evalSeeds returns the distinct seeds of the generation tasks: the first n
// tracks with features of each playlist.
func evalSeeds(pls []*features.Playlist, n int) []*features.Track {
	seen := map[string]bool{}
	var out []*features.Track
	for _, p := range pls {
		k := 0
		for _, t := range p.Tracks {
			if k == n {
				break
			}
			if t == nil || !t.HasFeatures {
				continue
			}
			k++
			if !seen[t.ID] {
				seen[t.ID] = true
				out = append(out, t)
			}
		}
	}
	return out
}
