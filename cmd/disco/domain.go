package main

import (
	"io"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model"
	"github.com/discoflow/disco/selector/app"
)

// warnFar says on w, one line per song and at most limit lines (then one
// line counting the rest), which of the seeds lie far outside m's training
// data (app.WarnFar). It returns the number of far seeds.
func warnFar(w io.Writer, prog string, m *model.Model, seeds []*features.Track, limit int) int {
	return app.WarnFar(w, prog, m, app.FarSeeds(m, seeds), limit)
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
