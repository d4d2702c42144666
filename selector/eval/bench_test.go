package eval

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/features/builtin"
	"github.com/discoflow/disco/features/tidycsv"
	"github.com/discoflow/disco/model"
	modelbuiltin "github.com/discoflow/disco/model/builtin"
	"github.com/discoflow/disco/selector"
)

// benchInputs are the embedded catalog and model.
var benchInputs = sync.OnceValues(func() (*features.Dataset, *model.Model) {
	m, err := modelbuiltin.Load()
	if err != nil {
		panic(err)
	}
	r, err := builtin.Open()
	if err != nil {
		panic(err)
	}
	ds, err := tidycsv.Read(r, builtin.Name, tidycsv.Options{})
	if err != nil {
		panic(err)
	}
	return ds, m
})

// benchData is the embedded catalog's first 50 playlists against the
// whole catalog, with the embedded model: the size disco eval's target
// (2 s) and a sweep's (1,000 settings in 60 s) are set for.
var benchData = sync.OnceValues(func() (*Data, error) {
	ds, m := benchInputs()
	return Prepare(context.Background(), ds.Playlists[:50], ds.Catalog.WithFeatures(), Options{Model: m})
})

func benchSetup(b *testing.B) *Data {
	b.Helper()
	d, err := benchData()
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkPrepare prepares 50 playlists against the catalog (25,816
// tracks): scaling, predictions, distractors, pools, the human order.
func BenchmarkPrepare(b *testing.B) {
	ds, m := benchInputs()
	tracks := ds.Catalog.WithFeatures()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Prepare(context.Background(), ds.Playlists[:50], tracks, Options{Model: m}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRun scores one setting on 50 playlists: the unit of a sweep.
func BenchmarkRun(b *testing.B) {
	d := benchSetup(b)
	e := d.NewEvaluator()
	s := Setting{Knobs: selector.DefaultKnobs(), Pool: selector.DefaultPoolSize}
	if _, err := e.Run(s); err != nil { // warm the scratch space
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Run(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReport is disco eval's scoring: one setting, every ranker.
func BenchmarkReport(b *testing.B) {
	d := benchSetup(b)
	s := Setting{Knobs: selector.DefaultKnobs(), Pool: selector.DefaultPoolSize}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Report(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSweep runs a 100-setting grid on all cores; ns/op is for the
// whole grid.
func BenchmarkSweep(b *testing.B) {
	d := benchSetup(b)
	g, err := ParseGrid("flow=0.5:1.5:0.25,sweetness=0:3:1,smoothness=0:3:1|0.5")
	if err != nil {
		b.Fatal(err)
	}
	settings := g.Settings(Setting{Knobs: selector.DefaultKnobs(), Pool: selector.DefaultPoolSize})
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("settings=%d/workers=%d", len(settings), w), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				err := Sweep(context.Background(), d, settings, w, nil, func(int, Summary) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
