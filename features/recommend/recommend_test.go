package recommend

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
)

// table recommends fixed lists per seed set and knows features for ids
// that do not end in "x".
type table struct {
	recs  map[string][]string
	asked []string
}

func (tb *table) Recommend(_ context.Context, seeds []string, n int) ([]*features.Track, error) {
	key := strings.Join(seeds, "+")
	tb.asked = append(tb.asked, fmt.Sprintf("%s/%d", key, n))
	var out []*features.Track
	for _, id := range tb.recs[key] {
		out = append(out, &features.Track{ID: id, Key: -1, Mode: -1})
	}
	return out, nil
}

func (tb *table) GetFeatures(_ context.Context, ids []string) ([]*features.Track, error) {
	out := make([]*features.Track, len(ids))
	for i, id := range ids {
		if !strings.HasSuffix(id, "x") {
			out[i] = &features.Track{ID: id, Key: 5, Mode: 1, Tempo: 120, HasFeatures: true, DurationMS: 1000, From: features.Provenance{Features: "table"}}
		}
	}
	return out, nil
}

func TestCandidates(t *testing.T) {
	tb := &table{recs: map[string][]string{
		"s1":    {"a", "b", "s2", "cx"},
		"s2":    {"b", "d"},
		"s1+s2": {"e", "a", "s1"},
	}}
	seeds := []*features.Track{{ID: "s1"}, {ID: "s2"}, {ID: "s1"}, {}}
	got, err := Candidates(context.Background(), "test", tb, tb, seeds, 500, 100, 5)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range got {
		ids = append(ids, c.ID)
		if c.HasFeatures == strings.HasSuffix(c.ID, "x") {
			t.Errorf("%s: HasFeatures %v", c.ID, c.HasFeatures)
		}
		if c.HasFeatures && (c.Key != 5 || c.Tempo != 120 || c.DurationMS != 1000 || c.From.Features != "table") {
			t.Errorf("%s: features not merged: %+v", c.ID, c)
		}
	}
	if fmt.Sprint(ids) != "[a b cx d e]" {
		t.Errorf("candidates %v, want [a b cx d e]: per seed, then joint, first appearance, seeds left out", ids)
	}
	if fmt.Sprint(tb.asked) != "[s1/100 s2/100 s1+s2/100]" {
		t.Errorf("asked %v", tb.asked)
	}
	if _, err := Candidates(context.Background(), "test", tb, tb, []*features.Track{{}}, 0, 100, 5); err == nil {
		t.Error("no seed with an id: no error")
	}
	if _, err := Candidates(context.Background(), "test", nil, tb, seeds, 0, 100, 5); err == nil {
		t.Error("nil recommender: no error")
	}
	boom := errors.New("boom")
	if _, err := Candidates(context.Background(), "test", failing{boom}, tb, seeds, 0, 100, 5); !errors.Is(err, boom) {
		t.Errorf("err = %v, want the recommender's", err)
	}
}

type failing struct{ err error }

func (f failing) Recommend(context.Context, []string, int) ([]*features.Track, error) {
	return nil, f.err
}
