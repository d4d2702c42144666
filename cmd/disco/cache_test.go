package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestCacheInfoAndClear fills a cache with disco fetch features, shows it
// as a table and as JSON, and clears it.
func TestCacheInfoAndClear(t *testing.T) {
	dir := isolate(t)
	newFakeReccoBeats(t)
	list := writeFile(t, filepath.Join(dir, "ids.txt"), strings.Join(fetchIDs, "\n")+"\n")
	db := filepath.Join(dir, "c.db")
	if _, stderr, err := runDisco(context.Background(), "fetch", "features", "--ids", list, "--cache", db); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}

	stdout, _, err := runDisco(context.Background(), "cache", "info", "--cache", db)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "cache: "+db+" (") ||
		!strings.Contains(lines[1], "source") || !strings.HasPrefix(lines[3], "reccobeats") {
		t.Fatalf("cache info:\n%s", stdout)
	}
	if f := strings.Fields(lines[3]); len(f) < 5 || f[1] != "5" || f[2] != "1" {
		t.Errorf("reccobeats row %q: want 5 features, 1 unknown", lines[3])
	}

	info := func() cacheInfo {
		t.Helper()
		stdout, _, err := runDisco(context.Background(), "cache", "info", "--cache", db, "--format", "json")
		if err != nil {
			t.Fatal(err)
		}
		var ci cacheInfo
		if err := json.Unmarshal([]byte(stdout), &ci); err != nil {
			t.Fatalf("%v\n%s", err, stdout)
		}
		return ci
	}
	ci := info()
	if ci.Path != db || ci.Bytes <= 0 || len(ci.Sources) != 1 || ci.Sources[0].Features != 5 || ci.Sources[0].Unknown != 1 {
		t.Errorf("cache info --format json: %+v", ci)
	}

	// Another source's clear leaves reccobeats alone; a plain clear empties.
	if _, _, err := runDisco(context.Background(), "cache", "clear", "--cache", db, "--source", "spotify"); err != nil {
		t.Fatal(err)
	}
	if ci := info(); len(ci.Sources) != 1 || ci.Sources[0].Features != 5 {
		t.Errorf("after clearing spotify: %+v", ci)
	}
	stdout, _, err = runDisco(context.Background(), "cache", "clear", "--cache", db)
	if err != nil || !strings.HasPrefix(stdout, "deleted 5 entries; ") {
		t.Fatalf("cache clear: %q, %v", stdout, err)
	}
	if ci := info(); len(ci.Sources) != 0 {
		t.Errorf("after clearing: %+v", ci)
	}
	if _, stderr, err := runDisco(context.Background(), "cache", "clear", "--cache", db, "--older-than", "-1h"); err == nil {
		t.Errorf("a negative --older-than was accepted: %s", stderr)
	}
}
