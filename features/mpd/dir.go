package mpd

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/discoflow/disco/features"
)

// Files returns the paths of the MPD slices in dir, the files named
// mpd.slice.<a>-<b>.json, in numeric order of a (so mpd.slice.2000-2999.json
// comes before mpd.slice.10000-10999.json, unlike in name order). Files matching the glob
// mpd.slice.*.json without a number come last, by name. No match is not an
// error: the result is empty.
func Files(dir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "mpd.slice.*.json"))
	if err != nil {
		return nil, fmt.Errorf("mpd: %w", err)
	}
	slices.SortFunc(paths, func(a, b string) int {
		na, oka := sliceStart(a)
		nb, okb := sliceStart(b)
		switch {
		case oka && okb && na != nb:
			return na - nb
		case oka != okb:
			if oka {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	return paths, nil
}

// sliceStart returns a of a path ending in mpd.slice.<a>-<b>.json.
func sliceStart(path string) (int, bool) {
	s := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(path), "mpd.slice."), ".json")
	s, _, _ = strings.Cut(s, "-")
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// StreamFiles streams each file in paths, in the given order, with
// [Stream]; the name in errors and provenance is the file's base name. It
// stops at the first error. Playlists are not de-duplicated across files.
func StreamFiles(paths []string, fn func(*features.Playlist) error) error {
	for _, p := range paths {
		if err := streamFile(p, fn); err != nil {
			return err
		}
	}
	return nil
}

func streamFile(path string, fn func(*features.Playlist) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("mpd: %w", err)
	}
	defer f.Close()
	return Stream(f, filepath.Base(path), fn)
}

// StreamDir streams every slice in dir, in the order of [Files]. A
// directory without slices is an error.
func StreamDir(dir string, fn func(*features.Playlist) error) error {
	paths, err := Files(dir)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("mpd: no mpd.slice.*.json files in %s", dir)
	}
	return StreamFiles(paths, fn)
}
