package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model/scale"
	"github.com/discoflow/disco/selector"
)

var regen = flag.Bool("regen", false, "rewrite the golden files in testdata")

// playlist builds a real three-song playlist (rows of the TidyTuesday data)
// through the selector, so the golden files show real terms.
func playlist(t *testing.T) []selector.Pick {
	t.Helper()
	mk := func(id, artist, name string, key, mode int, tempo float64, dur int, f features.Vector) *features.Track {
		return &features.Track{ID: id, Name: name, Artists: []string{artist}, Album: name, Key: key, Mode: mode,
			Tempo: tempo, DurationMS: dur, Features: f, HasFeatures: true}
	}
	seed := mk("6f807x0ima9a1j3VPbc7VN", "Ed Sheeran", "I Don't Care (with Justin Bieber) - Loud Luxury Remix", 6, 1, 122.036, 194754,
		features.Vector{0.102, 0.748, 0.916, 0, 0.0653, -2.634, 0.0583, 0.518})
	cands := []*features.Track{
		mk("0r7CVbZTWZgbTCYdfa2P31", "Maroon 5", "Memories - Dillon Francis Remix", 11, 1, 99.972, 162600,
			features.Vector{0.0724, 0.726, 0.815, 0.00421, 0.357, -4.969, 0.0373, 0.693}),
		mk("1z1Hg7Vb0AhHDiEmnDE79l", "Zara Larsson", "All the Time - Don Diablo Remix", 1, 1, 124.008, 176616,
			features.Vector{0.0794, 0.675, 0.931, 2.33e-05, 0.11, -3.432, 0.0742, 0.613}),
	}
	scaler := &scale.Scaler{Lambdas: features.Vector{1, 1, 1, 1, 1, 1, 1, 1}, Stds: features.Vector{1, 1, 1, 1, 10, 1, 1, 1}}
	s, _ := selector.New(cands, scaler)
	picks, err := s.Build([]*features.Track{seed}, last{}, selector.OriginalKnobs, 3)
	if err != nil {
		t.Fatal(err)
	}
	return picks
}

// last predicts the song it was fed.
type last struct{}

func (last) Reset() {}
func (last) Step(in *[9]float64) features.Vector {
	var y features.Vector
	copy(y[:], in[1:])
	return y
}

func TestGolden(t *testing.T) {
	picks := playlist(t)
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, format, picks); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "playlist."+format)
			if *regen {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s differs from %s (run with -regen to accept):\n%s", format, path, b.String())
			}
		})
	}
}

func TestFormatsParse(t *testing.T) {
	picks := playlist(t)
	var b bytes.Buffer
	if err := XSPF(&b, picks); err != nil {
		t.Fatal(err)
	}
	var pl xspfPlaylist
	if err := xml.Unmarshal(b.Bytes(), &pl); err != nil {
		t.Fatalf("XSPF does not parse: %v", err)
	}
	if len(pl.Tracks) != 3 || pl.Tracks[0].Annotation != "seed" || !strings.Contains(pl.Tracks[1].Annotation, "->") {
		t.Errorf("XSPF tracks %+v", pl.Tracks)
	}
	b.Reset()
	if err := JSON(&b, picks); err != nil {
		t.Fatal(err)
	}
	var es []Entry
	if err := json.Unmarshal(b.Bytes(), &es); err != nil {
		t.Fatal(err)
	}
	if len(es) != 3 || !es[0].Seed || es[0].Terms != nil || es[1].Terms == nil || es[1].Terms.Score != picks[1].Terms.Score {
		t.Errorf("JSON entries %+v", es)
	}
	b.Reset()
	M3U8(&b, picks)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if lines[0] != "#EXTM3U" || lines[1] != "#EXTINF:195,Ed Sheeran - I Don't Care (with Justin Bieber) - Loud Luxury Remix" || lines[2] != "spotify:track:6f807x0ima9a1j3VPbc7VN" {
		t.Errorf("M3U8 starts %q", lines[:3])
	}
	if err := Write(&b, "mp3", picks); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestAligned(t *testing.T) {
	var b bytes.Buffer
	Aligned(&b, [][]string{{"#", "name", "bpm"}, {"1", "Beyoncé", "80.0"}, {"10", "X", "128.5"}}, map[int]bool{0: true, 2: true})
	want := " #  name       bpm\n──  ───────  ─────\n 1  Beyoncé   80.0\n10  X        128.5\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestAlignedWide(t *testing.T) {
	var b bytes.Buffer
	Aligned(&b, [][]string{{"playlist", "n"}, {"🔊BASS🔊", "1"}, {"東京", "2"}, {"Beyonce\u0301", "3"}}, nil)
	want := "playlist  n\n────────  ─\n🔊BASS🔊  1\n東京      2\nBeyonce\u0301   3\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// TestSources: a pick's sources show in the table's "why" column, in JSON
// and in the XSPF annotation; without sources the table has no such column.
func TestSources(t *testing.T) {
	picks := playlist(t)
	var b bytes.Buffer
	Table(&b, picks)
	if strings.Contains(b.String(), "why") {
		t.Errorf("a why column without sources:\n%s", b.String())
	}
	picks[1].Sources = []string{"artist", "song2vec"}
	for format, want := range map[string]string{"table": "artist+song2vec", "json": `"song2vec"`, "xspf": "proposed by artist+song2vec"} {
		b.Reset()
		if err := Write(&b, format, picks); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), want) {
			t.Errorf("%s lacks %q:\n%s", format, want, b.String())
		}
	}
}

// With a taste model the table, CSV, JSON and Explain show the taste
// term; without one (TestGolden) none of them does.
func TestTaste(t *testing.T) {
	picks := playlist(t)
	for _, p := range picks {
		if p.Terms.Tasted() {
			t.Fatal("a build without a taste model has tasted terms")
		}
	}
	var b bytes.Buffer
	if err := Table(&b, picks); err != nil || strings.Contains(b.String(), "taste") {
		t.Fatalf("table without a taste model: %v\n%s", err, b.String())
	}
	cands := []*features.Track{picks[1].Track, picks[2].Track}
	scaler := &scale.Scaler{Lambdas: features.Vector{1, 1, 1, 1, 1, 1, 1, 1}, Stds: features.Vector{1, 1, 1, 1, 10, 1, 1, 1}}
	s, _ := selector.New(cands, scaler)
	if err := s.SetTaste(func(t *features.Track) float64 {
		return map[string]float64{cands[0].ID: 0.25, cands[1].ID: 0.875}[t.ID]
	}); err != nil {
		t.Fatal(err)
	}
	k := selector.OriginalKnobs
	k.Taste = 1
	picks, err := s.Build([]*features.Track{picks[0].Track}, last{}, k, 3)
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if err := Table(&b, picks); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	head := strings.Fields(lines[0])
	if head[12] != "taste" || head[13] != "score" { // "artist - title" is three fields
		t.Fatalf("table header %q", lines[0])
	}
	for i, line := range lines[len(lines)-3 : len(lines)-1] { // the last two rows, then ""
		want := fmt.Sprintf("%.2f", picks[i+1].Terms.Taste)
		if !strings.Contains(line, " "+want+" ") {
			t.Errorf("row %q lacks taste %s", line, want)
		}
	}
	b.Reset()
	if err := CSV(&b, picks); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	last := len(rows[0]) - 1
	if rows[0][last] != "taste" || rows[1][last] != "" || rows[2][last] != num(picks[1].Terms.Taste) || rows[3][last] != num(picks[2].Terms.Taste) {
		t.Fatalf("CSV taste column: %q %q %q %q", rows[0][last], rows[1][last], rows[2][last], rows[3][last])
	}
	b.Reset()
	if err := JSON(&b, picks); err != nil {
		t.Fatal(err)
	}
	var es []struct {
		Terms *struct {
			Taste *float64 `json:"taste"`
		} `json:"terms"`
	}
	if err := json.Unmarshal(b.Bytes(), &es); err != nil {
		t.Fatal(err)
	}
	if es[0].Terms != nil || es[1].Terms.Taste == nil || *es[1].Terms.Taste != picks[1].Terms.Taste {
		t.Fatalf("JSON: %s", b.String())
	}
	if e := Explain(picks[1]); !strings.Contains(e, fmt.Sprintf("taste %.2f", picks[1].Terms.Taste)) {
		t.Fatalf("Explain: %s", e)
	}
}
