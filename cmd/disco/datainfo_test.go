package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestDataInfo: disco data info reports what the loader did, as the same
// summary line build prints and as JSON with every count, the conflicting
// ids and what each missing column costs.
func TestDataInfo(t *testing.T) {
	dir := t.TempDir()
	const header = "track_id,track_name,artists,acousticness,danceability,energy,instrumentalness,liveness,loudness,speechiness,valence\n"
	const row = "4uLU6hMCjMI75M1A2tKUQC,Song A,X,0.1,0.2,0.3,0.4,0.5,-5,0.1,0.2\n"
	cat := writeFile(t, filepath.Join(dir, "cat.csv"), header+row+row+
		"4uLU6hMCjMI75M1A2tKUQC,Song A,X,0.9,0.2,0.3,0.4,0.5,-5,0.1,0.2\n"+
		"6f807x0ima9a1j3VPbc7VN,Song B,Y,0.1,0.3,0.3,0.4,0.5,-5,0.1,0.2\n"+
		"7f807x0ima9a1j3VPbc7VN,Song C,Y,0.1,oops,0.3,0.4,0.5,-5,0.1,0.2\n")

	// Without --skip-bad the bad row stops the command, naming its place.
	if _, _, err := runDisco(context.Background(), "data", "info", cat); err == nil || !strings.Contains(err.Error(), "cat.csv:6") {
		t.Fatalf("bad row: %v, want an error naming cat.csv:6", err)
	}
	stdout, _, err := runDisco(context.Background(), "data", "info", "--skip-bad", cat)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"cat.csv: 5 rows, 2 tracks", "1 repeated row merged", "1 conflicting duplicate, first kept (4uLU6hMCjMI75M1A2tKUQC)", "1 bad row skipped", "no tempo column: tempo similarity off"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("text lacks %q:\n%s", want, stdout)
		}
	}

	stdout, _, err = runDisco(context.Background(), "data", "info", "--skip-bad", "--format", "json", cat, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []struct {
		File                                         string
		Rows, Tracks, Skipped, Duplicates, Conflicts int
		ConflictIDs                                  []string `json:"conflict_ids"`
		MissingColumns                               []string `json:"missing_columns"`
		Costs                                        []string
		Warnings                                     []string
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if len(got) != 2 {
		t.Fatalf("%d objects, want 2 (the file and the embedded catalog)", len(got))
	}
	f := got[0]
	if f.File != cat || f.Rows != 5 || f.Tracks != 2 || f.Skipped != 1 || f.Duplicates != 1 || f.Conflicts != 1 ||
		len(f.ConflictIDs) != 1 || f.ConflictIDs[0] != "4uLU6hMCjMI75M1A2tKUQC" {
		t.Errorf("file report %+v", f)
	}
	if len(f.MissingColumns) != len(f.Costs) || !strings.Contains(strings.Join(f.MissingColumns, ","), "tempo") || !strings.Contains(strings.Join(f.Costs, ","), "tempo similarity off") {
		t.Errorf("missing columns %q, costs %q", f.MissingColumns, f.Costs)
	}
	if e := got[1]; !strings.HasPrefix(e.File, "builtin:") || e.Tracks < 20000 || e.MissingColumns == nil || len(e.MissingColumns) != 0 {
		t.Errorf("embedded report %+v", e)
	}
	if _, _, err := runDisco(context.Background(), "data", "info", "--format", "yaml"); err == nil {
		t.Error("--format yaml accepted")
	}
}
