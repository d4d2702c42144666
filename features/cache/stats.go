package cache

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"sort"
	"time"
)

// SourceStats is what the cache holds for one source.
type SourceStats struct {
	Source          string    `json:"source"`
	Features        int       `json:"features"`        // ids answered, known or not
	Unknown         int       `json:"unknown"`         // of them, ids the source does not know
	Tracks          int       `json:"tracks"`          // tracks with metadata
	Recommendations int       `json:"recommendations"` // recommendation lists
	Oldest          time.Time `json:"oldest"`          // the oldest entry's fetch time
	Newest          time.Time `json:"newest"`          // the newest entry's fetch time
}

// Stats returns what the cache holds, per source in name order. Like a
// look-up, it first folds the log (see Compact).
func (d *DB) Stats(ctx context.Context) ([]SourceStats, error) {
	if _, err := d.Compact(ctx); err != nil {
		return nil, err
	}
	by := map[string]*SourceStats{}
	for _, q := range []struct {
		sql string
		n   func(s *SourceStats) *int
	}{
		{"SELECT source, count(*), sum(known = 0), min(fetched_at), max(fetched_at) FROM features GROUP BY source", func(s *SourceStats) *int { return &s.Features }},
		{"SELECT source, count(*), 0, min(fetched_at), max(fetched_at) FROM tracks GROUP BY source", func(s *SourceStats) *int { return &s.Tracks }},
		{"SELECT source, count(*), 0, min(fetched_at), max(fetched_at) FROM recommendations GROUP BY source", func(s *SourceStats) *int { return &s.Recommendations }},
	} {
		rows, err := d.db.QueryContext(ctx, q.sql)
		if err != nil {
			return nil, fmt.Errorf("cache: %w", err)
		}
		for rows.Next() {
			var (
				source             string
				n, unknown, lo, hi int64
			)
			if err := rows.Scan(&source, &n, &unknown, &lo, &hi); err != nil {
				rows.Close()
				return nil, fmt.Errorf("cache: %w", err)
			}
			s := by[source]
			if s == nil {
				s = &SourceStats{Source: source, Oldest: time.Unix(lo, 0), Newest: time.Unix(hi, 0)}
				by[source] = s
			}
			*q.n(s) = int(n)
			s.Unknown += int(unknown)
			if t := time.Unix(lo, 0); t.Before(s.Oldest) {
				s.Oldest = t
			}
			if t := time.Unix(hi, 0); t.After(s.Newest) {
				s.Newest = t
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("cache: %w", err)
		}
	}
	out := make([]SourceStats, 0, len(by))
	for _, s := range by {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Source < out[j].Source })
	return out, nil
}

// Size returns the bytes the database takes on disk, its WAL included.
func (d *DB) Size() (int64, error) {
	var total int64
	for _, p := range []string{d.path, d.path + "-wal"} {
		fi, err := os.Stat(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("cache: %w", err)
		}
		total += fi.Size()
	}
	return total, nil
}

// Clear deletes the features, tracks and recommendation lists of source
// ("" for every source) fetched before before (the zero time: whenever),
// in one transaction, and returns the number of entries deleted. It
// folds the log first. The file shrinks only after Vacuum.
func (d *DB) Clear(ctx context.Context, source string, before time.Time) (int64, error) {
	if _, err := d.Compact(ctx); err != nil {
		return 0, err
	}
	cut := int64(0)
	if !before.IsZero() {
		cut = before.Unix()
	}
	var total int64
	err := d.tx(ctx, "clearing", func(tx *sql.Tx) error {
		for _, table := range []string{"features", "tracks", "recommendations"} {
			r, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE (?1 = '' OR source = ?1) AND (?2 = 0 OR fetched_at < ?2)", source, cut)
			if err != nil {
				return err
			}
			n, err := r.RowsAffected()
			if err != nil {
				return err
			}
			total += n
		}
		return nil
	})
	return total, err
}

// Vacuum rewrites the database without its free pages, so that the file
// shrinks to what it holds, and empties the WAL.
func (d *DB) Vacuum(ctx context.Context) error {
	for _, q := range []string{"VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"} {
		if _, err := d.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("cache: %s: %w", q, err)
		}
	}
	return nil
}
