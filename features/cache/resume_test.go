package cache_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/discoflow/disco/features/cache"
	"github.com/discoflow/disco/features/reccobeats"
)

// The child process of TestResumeAfterKill: this test binary, started
// with these variables, fetches childIDs ids through the cache from the
// server at DISCO_CACHE_URL into the database at DISCO_CACHE_DB.
const (
	childEnv = "DISCO_CACHE_CHILD"
	childIDs = 400
	killAt   = 4 // the parent kills the child during this request
)

func child() int {
	db, err := cache.Open(os.Getenv("DISCO_CACHE_DB"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	f := &cache.Fetcher{DB: db, Source: &reccobeats.Client{BaseURL: os.Getenv("DISCO_CACHE_URL")}}
	if _, err := f.Fetch(context.Background(), genIDs(childIDs)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 4
	}
	return 0
}

// TestResumeAfterKill kills a fetching process with SIGKILL in the middle
// of a batch, then checks that the database is intact, holds exactly the
// batches answered before, and that a second run asks only for the rest.
func TestResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	fake := newFakeRecco(t)
	inFlight := make(chan struct{})
	fake.setOnReq(func(n int64, r *http.Request) {
		if n == killAt {
			close(inFlight)
			<-r.Context().Done() // held until the child dies
		}
	})
	path := filepath.Join(t.TempDir(), "cache.db")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1", "DISCO_CACHE_DB="+path, "DISCO_CACHE_URL="+fake.srv.URL+"/v1")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-inFlight:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the child never reached the batch to kill")
	}
	// The child stores batch 3 while it asks for batch 4: wait until it is
	// stored, so that the kill hits with exactly one batch in flight.
	want := (killAt - 1) * reccobeats.MaxFeatureIDs
	watch, err := cache.Open(path)
	if err != nil {
		cmd.Process.Kill()
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		n, _, _, err := watch.Count(context.Background(), reccobeats.Source)
		if err == nil && n >= want {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the child stored %d rows before batch %d, want %d (%v)", n, killAt, want, err)
		}
	}
	watch.Close()
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(interface{ Signaled() bool }); !ok || !ws.Signaled() {
		t.Fatalf("child ended with %v, want killed", err)
	}

	db, err := cache.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.SQL().QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	stored, _, _, err := db.Count(context.Background(), reccobeats.Source)
	if err != nil {
		t.Fatal(err)
	}
	// Batches 1 to 3 were answered and stored; batch 4 was in flight.
	if stored != want {
		t.Fatalf("%d rows survived the kill, want %d", stored, want)
	}

	// The re-run asks only for the missing ids, and ends with one row each.
	fake.setOnReq(nil)
	before := fake.ids.Load()
	f := &cache.Fetcher{DB: db, Source: &reccobeats.Client{BaseURL: fake.srv.URL + "/v1"}}
	ids := genIDs(childIDs)
	r, err := f.Fetch(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if asked := fake.ids.Load() - before; asked != int64(childIDs-stored) || r.Cached != stored {
		t.Errorf("re-run asked for %d ids (cached %d), want %d", asked, r.Cached, childIDs-stored)
	}
	for i, id := range ids {
		if err := checkTrack(r.Tracks[i], id); err != nil {
			t.Fatal(err)
		}
	}
	if n, _, _, _ := db.Count(context.Background(), reccobeats.Source); n != childIDs {
		t.Errorf("%d rows, want %d", n, childIDs)
	}
}
