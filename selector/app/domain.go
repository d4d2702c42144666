package app

import (
	"fmt"
	"io"
	"strings"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model"
)

// Far is a seed that lies far outside the flow model's training data (see
// model.Domain).
type Far struct {
	Track  *features.Track
	Dist   float64 // scaled units from the nearest training prototype
	Radius float64 // the domain's radius
}

// FarSeeds returns the seeds that lie far outside m's training data; none
// when m records no domain.
func FarSeeds(m *model.Model, seeds []*features.Track) []Far {
	var out []Far
	for _, t := range seeds {
		if dist, radius, far, ok := m.Outside(t); ok && far {
			out = append(out, Far{Track: t, Dist: dist, Radius: radius})
		}
	}
	return out
}

// WarnFar says on w, one line per seed and at most limit lines (then one
// line counting the rest), which of the seeds lie far outside m's training
// data, naming the song and its distance. It returns the number of far
// seeds.
func WarnFar(w io.Writer, prog string, m *model.Model, far []Far, limit int) int {
	for i, f := range far {
		if i == limit {
			fmt.Fprintf(w, "%s: warning: %d more seeds lie far outside the model's training data\n", prog, len(far)-limit)
			break
		}
		fmt.Fprintf(w, "%s: warning: seed %q (%s) lies far outside the model's training data: %.2f scaled units from the nearest training prototype, beyond %.2f (%g%% of training songs lie within; trained on %s)%s\n",
			prog, f.Track.String(), f.Track.ID, f.Dist, f.Radius, 100*m.Domain.Quantile, trainedOn(m.Domain), fallback(m))
	}
	return len(far)
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
