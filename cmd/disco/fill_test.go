package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/discoflow/disco/features/load"
	"github.com/discoflow/disco/selector"
)

// ownExport is a real four-song Exportify export without feature columns:
// three of its songs are in the embedded catalog, "Lonely As You" is not.
const ownExport = "testdata/foo-fighters.csv"

const ownLine = `4 songs: 3 features from the embedded catalog, 1 unknown ("Lonely As You")`

func TestBuildOwnExport(t *testing.T) {
	isolate(t)
	tests := []struct {
		name    string
		args    []string
		first   string // the playlist's first song as "artist,title", "" for an error
		errHas  string
		errNot  string
		stderrs string
	}{
		{name: "adds to the embedded catalog", args: []string{"--seed", "Foo Fighters - Walk"}, first: "Foo Fighters,Walk", stderrs: ownLine},
		{name: "by id", args: []string{"--seed", "spotify:track:7v0mtl6oInUtHOmTk2b0gC"}, first: "Foo Fighters,Rope", stderrs: ownLine},
		{name: "unknown seed", args: []string{"--seed", "Foo Fighters - Lonely As You"},
			errHas: "is Foo Fighters - Lonely As You (LonelyAsYouPlaceholder), which has no audio features; disco knows none for it: get them with\n  disco fetch features --ids " + ownExport, errNot: "no song matches"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"build", "--catalog", ownExport, "--length", "5", "--format", "csv"}, tt.args...)
			out, errOut, err := runDisco(context.Background(), args...)
			if tt.first == "" {
				var nf *selector.NoFeaturesError
				if !errors.As(err, &nf) || !strings.Contains(err.Error(), tt.errHas) || strings.Contains(err.Error(), tt.errNot) {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v\n%s", err, errOut)
			}
			if !strings.Contains(errOut, tt.stderrs) {
				t.Errorf("stderr %q, want %q", errOut, tt.stderrs)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != 6 || !strings.Contains(lines[1], tt.first) {
				t.Fatalf("playlist:\n%s", out)
			}
			// The picks come from the embedded catalog too.
			if strings.Count(out, "Foo Fighters") == 5 {
				t.Errorf("only Foo Fighters picked:\n%s", out)
			}
		})
	}
}

func TestFetchFeaturesOffline(t *testing.T) {
	dir := isolate(t)
	srv := httptest.NewServer(http.NotFoundHandler())
	host := strings.TrimPrefix(srv.URL, "http://")
	srv.Close() // nothing listens: connection refused
	old := reccoBeatsURL
	reccoBeatsURL = srv.URL + "/v1"
	t.Cleanup(func() { reccoBeatsURL = old })
	out := filepath.Join(dir, "enriched.csv")
	stdout, stderr, err := runDisco(context.Background(), "fetch", "features", "--ids", ownExport, "--cache", filepath.Join(dir, "c.db"), "--out", out)
	if err == nil || err.Error() != "reccobeats: "+host+": connect: connection refused" {
		t.Fatalf("err = %v, want one short line with host and reason", err)
	}
	if !strings.Contains(stderr, "known locally: "+ownLine) {
		t.Errorf("stderr %q", stderr)
	}
	for _, want := range []string{"3 tracks known locally, not asked", "wrote " + out + ": 4 tracks, 3 with features", `now: 4 songs: 3 with features, 1 unknown ("Lonely As You")`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout %q lacks %q", stdout, want)
		}
	}
	ds, err := load.File(out, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Catalog.Len() != 4 || len(ds.Catalog.WithFeatures()) != 3 || ds.Catalog.Get("LonelyAsYouPlaceholder").HasFeatures {
		t.Errorf("enriched file: %d tracks, %d with features", ds.Catalog.Len(), len(ds.Catalog.WithFeatures()))
	}
}

// TestFetchFeaturesHalfAnswered: the first batch is answered, the second
// refused; the file holds the embedded catalog's songs and the first batch.
func TestFetchFeaturesHalfAnswered(t *testing.T) {
	dir := isolate(t)
	fake := newFakeReccoBeats(t)
	fake.set(nil, func(n int64) bool {
		if n == 1 {
			fake.set([]int{http.StatusBadRequest}, nil)
		}
		return false
	})
	var b strings.Builder
	b.WriteString("Track URI,Track Name,Artist Name(s)\nspotify:track:76Je5Wklky23mVoxiRszcN,Walk,Foo Fighters\n")
	for i := range 45 {
		fmt.Fprintf(&b, "spotify:track:0Half%017d,Song %d,Band\n", i, i)
	}
	list := writeFile(t, filepath.Join(dir, "half.csv"), b.String())
	out := filepath.Join(dir, "enriched.csv")
	stdout, _, err := runDisco(context.Background(), "fetch", "features", "--ids", list, "--cache", filepath.Join(dir, "c.db"), "--out", out)
	if err == nil || !strings.Contains(err.Error(), "HTTP 400") {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(stdout, "wrote "+out+": 46 tracks, 41 with features") || !strings.Contains(stdout, `now: 46 songs: 41 with features, 5 unknown ("Song 40"`) {
		t.Errorf("stdout %q", stdout)
	}
	if fake.asked.Load() != 40 {
		t.Errorf("asked for %d ids, want the first batch of 40 (Walk is known locally)", fake.asked.Load())
	}
}

// TestFetchFeaturesCatalogSource: a --catalog with features is asked
// first; the server is never asked for what it knows.
func TestFetchFeaturesCatalogSource(t *testing.T) {
	dir := isolate(t)
	fake := newFakeReccoBeats(t)
	mine := writeFile(t, filepath.Join(dir, "mine.csv"), "track_id,track_name,track_artist,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo\n"+
		"0Mine00000000000000001,Lonely As You,Foo Fighters,0.3,0.6,4,-6,1,0.04,0.01,0.0001,0.1,0.2,92\n")
	list := writeFile(t, filepath.Join(dir, "export.csv"), "Track URI,Track Name,Artist Name(s)\n"+
		"spotify:track:LonelyAsYouPlaceholder,Lonely As You,Foo Fighters\nspotify:track:76Je5Wklky23mVoxiRszcN,Walk,Foo Fighters\n")
	_, stderr, err := runDisco(context.Background(), "fetch", "features", "--ids", list, "--catalog", mine, "--cache", filepath.Join(dir, "c.db"))
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	want := "known locally: 2 songs: 1 features from " + mine + " (0 by id, 1 by artist and title), 1 features from the embedded catalog"
	if !strings.Contains(stderr, want) || fake.requests.Load() != 0 {
		t.Errorf("stderr %q (want %q), %d requests", stderr, want, fake.requests.Load())
	}
}
