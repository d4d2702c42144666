package main

import (
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
	modelbuiltin "github.com/discoflow/disco/model/builtin"
)

// TestWarnFar: one line per far seed up to the limit, then one line
// counting the rest; nothing for ordinary seeds, songs without features,
// or a model without a domain.
func TestWarnFar(t *testing.T) {
	m, err := modelbuiltin.Load()
	if err != nil {
		t.Fatal(err)
	}
	far := func(id string) *features.Track {
		// All eight features at an extreme at once.
		return &features.Track{ID: id, Name: "Far " + id, Mode: 1, Features: features.Vector{1, 0, 0, 1, 1, -60, 1, 0}, HasFeatures: true}
	}
	near := m.Scaler.Inverse(features.Vector(m.Domain.Prototypes[0]))
	ordinary := &features.Track{ID: "o", Name: "Ordinary", Mode: 1, Features: near, HasFeatures: true}
	none := &features.Track{ID: "n", Name: "No features", Features: features.NoFeatures}
	var b strings.Builder
	if n := warnFar(&b, "disco eval", m, []*features.Track{ordinary, none}, 5); n != 0 || b.Len() != 0 {
		t.Errorf("%d far among ordinary seeds:\n%s", n, b.String())
	}
	b.Reset()
	seeds := []*features.Track{far("a"), ordinary, far("b"), far("c")}
	if n := warnFar(&b, "disco eval", m, seeds, 2); n != 3 {
		t.Errorf("%d far seeds, want 3", n)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `seed "Far a" (a)`) || !strings.Contains(lines[1], `seed "Far b" (b)`) ||
		lines[2] != "disco eval: warning: 1 more seeds lie far outside the model's training data" {
		t.Errorf("warnings:\n%s", b.String())
	}
	old := *m
	old.Domain = nil
	b.Reset()
	if n := warnFar(&b, "disco build", &old, seeds, 5); n != 0 || b.Len() != 0 {
		t.Errorf("a model without a domain warned:\n%s", b.String())
	}
}
