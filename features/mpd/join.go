package mpd

import (
	"fmt"
	"strconv"

	"github.com/discoflow/disco/features"
)

// Coverage counts how much of a dataset has audio features after a [Join].
type Coverage struct {
	Tracks         int // distinct tracks
	Covered        int // distinct tracks with all abstract features
	Entries        int // playlist entries (a track twice in a playlist counts twice)
	CoveredEntries int // entries whose track has all abstract features
	Playlists      int // playlists
	FullyCovered   int // non-empty playlists whose every entry has features
}

// String returns a one-line summary, for example
//
//	12,345 of 67,890 tracks (18.2%) have audio features (40,000 of 100,000
//	playlist entries, 40.0%); 3 of 1,000 playlists fully covered
//
// (on one line). Percentages of nothing are 0.0%.
func (c Coverage) String() string {
	return fmt.Sprintf("%s of %s tracks (%s) have audio features (%s of %s playlist entries, %s); %s of %s playlists fully covered",
		thousands(c.Covered), thousands(c.Tracks), percent(c.Covered, c.Tracks),
		thousands(c.CoveredEntries), thousands(c.Entries), percent(c.CoveredEntries, c.Entries),
		thousands(c.FullyCovered), thousands(c.Playlists))
}

func percent(n, of int) string {
	if of == 0 {
		return "0.0%"
	}
	return strconv.FormatFloat(100*float64(n)/float64(of), 'f', 1, 64) + "%"
}

// thousands formats n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	var b []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	if neg {
		return "-" + string(b)
	}
	return string(b)
}

// JoinPlaylist replaces, in place, each track of pl by cat's track with the
// same id when cat has one, and keeps pl's track otherwise. It returns the
// number of entries that have all abstract features afterwards. It suits
// [Stream], where no dataset is held; a nil cat replaces nothing.
func JoinPlaylist(pl *features.Playlist, cat *features.Catalog) (covered int) {
	for i, t := range pl.Tracks {
		if cat != nil {
			if c := cat.Get(t.ID); c != nil {
				pl.Tracks[i] = c
				t = c
			}
		}
		if t.HasFeatures {
			covered++
		}
	}
	return covered
}

// Join replaces each playlist track of ds by cat's track with the same id
// when cat has one (keeping ds's track otherwise), rebuilds ds.Catalog from
// the joined tracks (ds's catalog order first, then any track only found
// in playlists), and returns the coverage after the join. A track that cat
// holds without features replaces the MPD one but is not covered. ds.Report
// is left as the reader wrote it.
func Join(ds *features.Dataset, cat *features.Catalog) Coverage {
	var c Coverage
	joined := &features.Catalog{}
	pick := func(t *features.Track) *features.Track {
		if cat != nil {
			if ct := cat.Get(t.ID); ct != nil {
				t = ct
			}
		}
		held, _ := joined.Add(t)
		return held
	}
	if ds.Catalog != nil {
		for _, t := range ds.Catalog.Tracks {
			pick(t)
		}
	}
	for _, pl := range ds.Playlists {
		n := 0
		for i, t := range pl.Tracks {
			t = pick(t)
			pl.Tracks[i] = t
			if t.HasFeatures {
				n++
			}
		}
		c.Entries += len(pl.Tracks)
		c.CoveredEntries += n
		if n == len(pl.Tracks) && n > 0 {
			c.FullyCovered++
		}
	}
	c.Playlists = len(ds.Playlists)
	c.Tracks = joined.Len()
	for _, t := range joined.Tracks {
		if t.HasFeatures {
			c.Covered++
		}
	}
	ds.Catalog = joined
	return c
}
