package features

import (
	"fmt"
	"slices"
	"strings"
)

// ColumnCost says what a table without the named column (a
// Report.MissingColumns entry) loses; "" for a name it does not know.
func ColumnCost(name string) string {
	switch name {
	case "track_name":
		return "titles unknown (shown as ?)"
	case "artists":
		return "artists unknown (shown as ?)"
	case "tempo":
		return "tempo similarity off"
	case "key":
		return "key similarity off"
	case "mode":
		return "keys without mode: key similarity off"
	case "audio features":
		return "no track has audio features, none can be a candidate"
	}
	return ""
}

// Summary returns the report as one line, for a person: rows read,
// tracks, playlists, then only what happened: duplicates merged,
// conflicting duplicates (the first ids named), rows skipped, values
// treated as unknown, and each missing column with its cost. name is the
// data's file.
func (r *Report) Summary(name string) string {
	plural := func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d %s, %d %s, %d %s", name, r.Rows, plural(r.Rows, "row", "rows"),
		r.Tracks, plural(r.Tracks, "track", "tracks"), r.Playlists, plural(r.Playlists, "playlist", "playlists"))
	if r.Duplicates > 0 {
		fmt.Fprintf(&b, "; %d repeated %s merged", r.Duplicates, plural(r.Duplicates, "row", "rows"))
	}
	if r.Conflicts > 0 {
		fmt.Fprintf(&b, "; %d conflicting %s, first kept (%s", r.Conflicts, plural(r.Conflicts, "duplicate", "duplicates"), strings.Join(r.ConflictIDs, ", "))
		if r.Conflicts > len(r.ConflictIDs) {
			b.WriteString(", ...")
		}
		b.WriteString(")")
	}
	if r.DuplicatePlaylists > 0 {
		fmt.Fprintf(&b, "; %d repeated %s dropped", r.DuplicatePlaylists, plural(r.DuplicatePlaylists, "playlist", "playlists"))
	}
	if r.Skipped > 0 {
		fmt.Fprintf(&b, "; %d bad %s skipped", r.Skipped, plural(r.Skipped, "row", "rows"))
	}
	if r.NonFinite > 0 {
		fmt.Fprintf(&b, "; %d %s with NaN or infinite values, read as unknown", r.NonFinite, plural(r.NonFinite, "row", "rows"))
	}
	if r.MissingFeatures > 0 && r.MissingFeatures < r.Tracks {
		fmt.Fprintf(&b, "; %d %s without audio features", r.MissingFeatures, plural(r.MissingFeatures, "track", "tracks"))
	}
	for _, c := range r.MissingColumns {
		what := c + " column"
		if c == "audio features" {
			what = "audio feature columns"
		}
		fmt.Fprintf(&b, "; no %s: %s", what, ColumnCost(c))
	}
	return b.String()
}

// AddConflict counts a conflicting duplicate of track id, named in
// ConflictIDs while they are fewer than MaxConflictIDs.
func (r *Report) AddConflict(id string) {
	r.Conflicts++
	if len(r.ConflictIDs) < MaxConflictIDs {
		r.ConflictIDs = append(r.ConflictIDs, id)
	}
}

// Add adds the counts of o to r (as when datasets are merged): the sums,
// the conflicting ids up to MaxConflictIDs, the missing columns of
// either, and o's warnings up to MaxWarnings. Tracks, Playlists,
// MissingFeatures, UnknownKey and UnknownTempo are the caller's to count
// afresh.
func (r *Report) Add(o *Report) {
	r.Rows += o.Rows
	r.Skipped += o.Skipped
	r.DuplicatePlaylists += o.DuplicatePlaylists
	r.Conflicts += o.Conflicts
	r.Duplicates += o.Duplicates
	r.NonFinite += o.NonFinite
	for _, id := range o.ConflictIDs {
		if len(r.ConflictIDs) < MaxConflictIDs {
			r.ConflictIDs = append(r.ConflictIDs, id)
		}
	}
	for _, c := range o.MissingColumns {
		if !slices.Contains(r.MissingColumns, c) {
			r.MissingColumns = append(r.MissingColumns, c)
		}
	}
	for _, w := range o.Warnings {
		r.Warnf("%s", w)
	}
}
