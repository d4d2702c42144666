package app

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/selector"
	"github.com/discoflow/disco/selector/sequence"
)

// embedded is the library on the embedded data, opened once for the tests.
var embedded = sync.OnceValues(func() (*Library, error) {
	return Open(context.Background(), Options{})
})

func lib(t *testing.T) *Library {
	t.Helper()
	l, err := embedded()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func ids(ps []selector.Pick) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Track.ID)
		b.WriteByte(' ')
	}
	return b.String()
}

func TestBuild(t *testing.T) {
	l := lib(t)
	var log bytes.Buffer
	res, err := l.Build(context.Background(), BuildRequest{
		Seeds: []string{"Daft Punk - One More Time"}, Length: 10, Pool: DefaultPool("hybrid"),
		Knobs: selector.DefaultKnobs(), Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Picks) != 10 || !res.Picks[0].Seed || res.Picks[0].Track.Artist() != "Daft Punk" || res.Random {
		t.Fatalf("picks %s, random %v", ids(res.Picks), res.Random)
	}
	if res.Pool == nil || !strings.Contains(log.String(), "candidates: ") {
		t.Errorf("no pool report: %v, log %q", res.Pool, log.String())
	}
	for _, p := range res.Picks[1:] {
		if len(p.Sources) == 0 {
			t.Errorf("pick %s has no sources", p.Track)
		}
	}
}

// TestBuildConcurrent: requests at once on one library (as a server makes
// them) give each the answer it gets alone, with its own reasons.
func TestBuildConcurrent(t *testing.T) {
	l := lib(t)
	reqs := []BuildRequest{
		{Seeds: []string{"Daft Punk - One More Time"}, Length: 8, Pool: 100, Knobs: selector.DefaultKnobs()},
		{Seeds: []string{"Adele - Hello"}, Length: 8, Pool: 50, Knobs: selector.DefaultKnobs()},
		{Genres: []string{"rock"}, Rand: 7, Length: 8, Source: "catalog", Pool: 200, Knobs: selector.DefaultKnobs()},
	}
	want := make([]string, len(reqs))
	for i, r := range reqs {
		res, err := l.Build(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = ids(res.Picks) + strings.Join(res.Picks[3].Sources, ",")
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4*len(reqs))
	for range 4 {
		for i, r := range reqs {
			wg.Go(func() {
				res, err := l.Build(context.Background(), r)
				if err == nil && ids(res.Picks)+strings.Join(res.Picks[3].Sources, ",") != want[i] {
					err = errors.New("request " + string(rune('0'+i)) + " answered differently at once")
				}
				if err != nil {
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestBuildBadInput(t *testing.T) {
	l := lib(t)
	k := selector.DefaultKnobs()
	for _, c := range []struct {
		name string
		r    BuildRequest
		want string
	}{
		{"unknown seed", BuildRequest{Seeds: []string{"Daft Pank - One Mor Tme"}, Length: 5, Knobs: k}, "Daft Punk"},
		{"same seed twice", BuildRequest{Seeds: []string{"Daft Punk - One More Time", "daft punk - one more time"}, Length: 5, Knobs: k}, "same song"},
		{"four seeds", BuildRequest{Seeds: []string{"a", "b", "c", "d"}, Length: 5, Knobs: k}, "at most 3"},
		{"unknown genre", BuildRequest{Genres: []string{"polka"}, Length: 5, Knobs: k}, "no tracks of genre \"polka\""},
		{"unknown source", BuildRequest{Seeds: []string{"Adele - Hello"}, Source: "radio", Length: 5, Knobs: k}, "want hybrid"},
		{"online not open", BuildRequest{Seeds: []string{"Adele - Hello"}, Source: "online", Length: 5, Knobs: k}, "not open"},
		{"bridge to itself", BuildRequest{From: "Adele - Hello", To: "adele hello", Length: 5, Knobs: k}, "same song"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := l.Build(context.Background(), c.r)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want it to say %q", err, c.want)
			}
		})
	}
}

func TestBridge(t *testing.T) {
	l := lib(t)
	r := BuildRequest{From: "Daft Punk - One More Time", To: "Adele - Hello", Length: 8, Knobs: selector.DefaultKnobs(), Blend: selector.DefaultBlend}
	r.BridgeDefaults(func(string) bool { return false })
	if r.Pool != BridgePool || r.Beam != BridgeBeam || r.Knobs.Belong != BridgeBelong {
		t.Fatalf("bridge defaults not set: %+v", r)
	}
	res, err := l.Build(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.Picks); n != 8 || res.Picks[0].Track.Artist() != "Daft Punk" || res.Picks[n-1].Track.Artist() != "Adele" {
		t.Errorf("bridge %s", ids(res.Picks))
	}
}

func TestSuggest(t *testing.T) {
	l := lib(t)
	got := l.Suggest("daft pnk one more", 5)
	if len(got) == 0 || got[0].Artist() != "Daft Punk" || !strings.HasPrefix(got[0].Name, "One More Time") {
		t.Fatalf("suggestions %v", got)
	}
	if len(got) > 5 {
		t.Errorf("%d suggestions, asked for 5", len(got))
	}
	exact := l.Suggest("Adele - Hello", 3)
	if len(exact) == 0 || exact[0].Artist() != "Adele" || exact[0].Name != "Hello" {
		t.Errorf("an exact query should come first: %v", exact)
	}
}

func TestSort(t *testing.T) {
	l := lib(t)
	in := &features.Dataset{Catalog: &features.Catalog{}}
	pl := &features.Playlist{Name: "mine"}
	for _, q := range []string{"Daft Punk - One More Time", "Adele - Hello", "Beyonce - Crazy In Love", "Rihanna - Umbrella", "Coldplay - Yellow", "Adele - Hello"} {
		t0, err := l.Resolver().Resolve(q)
		if err != nil {
			t.Fatal(err)
		}
		pl.Tracks = append(pl.Tracks, t0)
	}
	in.Playlists = []*features.Playlist{pl}
	var log bytes.Buffer
	res, err := l.Sort(context.Background(), SortRequest{In: in, Knobs: selector.DefaultKnobs(), Rules: selector.DefaultRules(), Effort: sequence.Normal, Seed: 1, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Songs) != 5 || len(res.Picks) != 5 || !strings.Contains(log.String(), "1 repeated songs kept once") {
		t.Fatalf("%d songs, %d picks, log %q", len(res.Songs), len(res.Picks), log.String())
	}
	if res.GivenMix.Moves != 4 || res.SortedMix.Moves != 4 || res.Cost > res.Given {
		t.Errorf("mix %+v %+v, cost %v vs given %v", res.GivenMix, res.SortedMix, res.Cost, res.Given)
	}
	if _, err := l.Sort(context.Background(), SortRequest{In: &features.Dataset{Catalog: &features.Catalog{}}, Knobs: selector.DefaultKnobs()}); err == nil || !strings.Contains(err.Error(), "no songs") {
		t.Errorf("empty input: %v", err)
	}
}

func TestMixCounts(t *testing.T) {
	tr := func(artist string, key, mode int, bpm float64) *features.Track {
		return &features.Track{Artists: []string{artist}, Key: key, Mode: mode, Tempo: bpm}
	}
	// C major → G major (a fifth: mixes), G major → F# major (no), same
	// artist twice in a row, 120 → 240 (double time) → 150 (no).
	order := []*features.Track{tr("a", 0, 1, 120), tr("b", 7, 1, 240), tr("b", 6, 1, 150)}
	got := MixCounts(order, selector.Rules{ArtistGap: 3})
	want := Mix{Moves: 2, Key: 1, Tempo: 1, Artist: 1}
	if got != want {
		t.Errorf("MixCounts = %+v, want %+v", got, want)
	}
}

// TestBuildArc: a build with an arc reports how closely it follows it,
// and follows it more closely than the same build without the arc.
func TestBuildArc(t *testing.T) {
	l := lib(t)
	pts, err := selector.ParseArc("rise")
	if err != nil {
		t.Fatal(err)
	}
	arc := &selector.Arc{Feature: features.AbstractIndex("energy"), Points: pts, Weight: 30}
	r := BuildRequest{Seeds: []string{"Daft Punk - One More Time"}, Length: 13, Pool: DefaultPool("hybrid"), Knobs: selector.DefaultKnobs()}
	plain, err := l.Build(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(plain.ArcRMSE) {
		t.Errorf("ArcRMSE %v without an arc, want NaN", plain.ArcRMSE)
	}
	r.Arc = arc
	with, err := l.Build(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if free := arc.RMSE(selector.Tracks(plain.Picks)); !(with.ArcRMSE < free) {
		t.Errorf("arc RMSE %v with the arc, %v without: want lower with it", with.ArcRMSE, free)
	}
}
