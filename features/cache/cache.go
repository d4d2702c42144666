package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/discoflow/disco/features"
	_ "modernc.org/sqlite" // the "sqlite" driver
)

// LookupChunk is the most ids one look-up query asks for.
const LookupChunk = 5000

// walCheckpointPages is the WAL size, in pages, past which a commit copies
// the WAL back into the database (SQLite's default is 1000, 4 MB). A
// checkpoint, with its fsyncs, in the middle of a fetch stalls it; at 20000
// (80 MB at most) checkpoints come rarely, and closing the database
// checkpoints what is left.
const walCheckpointPages = 20000

// schemaVersion is stored in PRAGMA user_version. Version 2 added
// feature_log; a version 1 database is upgraded by creating it.
const schemaVersion = 2

const schema = `
CREATE TABLE IF NOT EXISTS features (
	source     TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	fetched_at INTEGER NOT NULL, -- unix seconds
	known      INTEGER NOT NULL, -- 0: the source does not know the id
	data       BLOB,             -- the features, see record.go; NULL when known = 0
	PRIMARY KEY (source, id)
) WITHOUT ROWID;

-- Every stored batch of features, appended in one small transaction each,
-- until a look-up (or Compact) folds it into features. See StoreFeatures.
CREATE TABLE IF NOT EXISTS feature_log (
	seq        INTEGER PRIMARY KEY,
	source     TEXT    NOT NULL,
	fetched_at INTEGER NOT NULL,
	ids        TEXT    NOT NULL, -- JSON array of the batch's ids
	data       BLOB    NOT NULL  -- their records, 80 bytes each, all zero for an unknown id
);

CREATE TABLE IF NOT EXISTS tracks (
	source       TEXT    NOT NULL,
	id           TEXT    NOT NULL,
	fetched_at   INTEGER NOT NULL,
	name         TEXT    NOT NULL,
	artists      TEXT    NOT NULL, -- JSON array of names
	album        TEXT    NOT NULL,
	release_date TEXT    NOT NULL,
	duration_ms  INTEGER NOT NULL,
	popularity   INTEGER NOT NULL,
	PRIMARY KEY (source, id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS recommendations (
	source     TEXT    NOT NULL,
	id         TEXT    NOT NULL, -- the request, e.g. "seeds=<id>,<id>&size=100"
	fetched_at INTEGER NOT NULL,
	tracks     TEXT    NOT NULL, -- JSON array of track ids, in order
	PRIMARY KEY (source, id)
) WITHOUT ROWID;
`

// DB is the cache database. It is safe for concurrent use, also by several
// processes.
type DB struct {
	db   *sql.DB
	path string
	now  func() time.Time

	mu     sync.Mutex // guards insert
	insert *sql.Stmt  // appendLog, prepared on first use
}

// DefaultPath returns os.UserCacheDir()/disco/cache.db.
func DefaultPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("cache: %w", err)
	}
	return filepath.Join(dir, "disco", "cache.db"), nil
}

// Open opens the database at path, creating it and its directory if
// needed; "" means DefaultPath(). It sets WAL mode, synchronous=NORMAL and
// a 10 s busy timeout on every connection.
func Open(path string) (*DB, error) {
	if path == "" {
		var err error
		if path, err = DefaultPath(); err != nil {
			return nil, err
		}
	}
	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("cache: database path %q must not contain '?'", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	dsn := path + "?_busy_timeout=10000&_journal_mode=WAL&_synchronous=NORMAL&_txlock=immediate" +
		"&_pragma=wal_autocheckpoint(" + strconv.Itoa(walCheckpointPages) + ")"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("cache: opening %s: %w", path, err)
	}
	db.SetMaxIdleConns(4)
	d := &DB{db: db, path: path, now: time.Now}
	if err := d.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("cache: opening %s: %w", path, err)
	}
	return d, nil
}

func (d *DB) init() error {
	ctx := context.Background()
	var v int
	if err := d.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	if v > schemaVersion {
		return fmt.Errorf("schema version %d is newer than this disco's %d", v, schemaVersion)
	}
	if v == schemaVersion {
		return nil // nothing to write: a damaged or read-only file stays as it is
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, schema); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)); err != nil {
		return err
	}
	return tx.Commit()
}

// Close closes the database.
func (d *DB) Close() error {
	d.mu.Lock()
	if d.insert != nil {
		d.insert.Close()
		d.insert = nil
	}
	d.mu.Unlock()
	return d.db.Close()
}

// Path returns the database file's path.
func (d *DB) Path() string { return d.path }

// SQL returns the underlying database, for inspection and tests.
func (d *DB) SQL() *sql.DB { return d.db }

// Count returns the number of features (distinct ids), tracks and
// recommendation lists stored for source: its Stats.
func (d *DB) Count(ctx context.Context, source string) (feats, tracks, recs int, err error) {
	st, err := d.Stats(ctx)
	if err != nil {
		return 0, 0, 0, err
	}
	for _, s := range st {
		if s.Source == source {
			return s.Features, s.Tracks, s.Recommendations, nil
		}
	}
	return 0, 0, 0, nil
}

// since is the oldest fetched_at that counts for maxAge (0 means any).
func (d *DB) since(maxAge time.Duration) int64 {
	if maxAge <= 0 {
		return math.MinInt64
	}
	return d.now().Add(-maxAge).Unix()
}

// LookupFeatures returns, for each id, the cached features and whether the
// id is cached at all: tracks[i] is nil when ids[i] is not cached, or is
// cached as unknown to the source (then cached[i] is true). Entries
// fetched longer than maxAge ago (maxAge > 0) count as not cached. Found
// tracks hold the id, the features and From.Features "cache:<source>"
// (Popularity -1, no metadata). It first folds the log into the features
// table (see Compact), then runs one query per LookupChunk ids, none when
// nothing at all is cached for source.
func (d *DB) LookupFeatures(ctx context.Context, source string, ids []string, maxAge time.Duration) (tracks []*features.Track, cached []bool, err error) {
	tracks = make([]*features.Track, len(ids))
	cached = make([]bool, len(ids))
	if len(ids) == 0 {
		return tracks, cached, nil
	}
	if _, err := d.Compact(ctx); err != nil {
		return nil, nil, err
	}
	// One index seek saves the look-up queries when nothing is cached for
	// source, as on a first fetch into a new database.
	var some bool
	if err := d.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM features WHERE source = ?)", source).Scan(&some); err != nil {
		return nil, nil, fmt.Errorf("cache: looking up features: %w", err)
	}
	if !some {
		return tracks, cached, nil
	}
	from := "cache:" + source
	since := d.since(maxAge)
	pos := make(map[string]int, min(len(ids), LookupChunk))
	var slab []features.Track
	var arr []byte
	var sorted []string
	for lo := 0; lo < len(ids); lo += LookupChunk {
		hi := min(lo+LookupChunk, len(ids))
		clear(pos)
		for i := hi - 1; i >= lo; i-- {
			pos[ids[i]] = i
		}
		// Asking in key order makes the seeks walk the B-tree in order.
		sorted = append(sorted[:0], ids[lo:hi]...)
		slices.Sort(sorted)
		arr = appendJSONStrings(arr[:0], sorted)
		// The ids drive the join: one index seek each, no temporary table.
		rows, err := d.db.QueryContext(ctx, `SELECT f.id, f.known, f.data FROM json_each(?3) AS j
			CROSS JOIN features AS f ON f.source = ?1 AND f.id = j.value WHERE f.fetched_at >= ?2`,
			source, since, string(arr))
		if err != nil {
			return nil, nil, fmt.Errorf("cache: looking up features: %w", err)
		}
		var (
			id    sql.RawBytes
			known bool
			data  sql.RawBytes
		)
		for rows.Next() {
			if err := rows.Scan(&id, &known, &data); err != nil {
				rows.Close()
				return nil, nil, fmt.Errorf("cache: looking up features: %w", err)
			}
			i, ok := pos[string(id)]
			if !ok {
				continue
			}
			cached[i] = true
			if !known {
				continue
			}
			if len(slab) == 0 {
				slab = make([]features.Track, 256)
			}
			tr := &slab[0]
			slab = slab[1:]
			*tr = features.Track{ID: ids[i], Popularity: -1, From: features.Provenance{Features: from}}
			if err := decodeRecord(data, tr); err != nil {
				rows.Close()
				return nil, nil, fmt.Errorf("cache: features of %s/%s: %w", source, ids[i], err)
			}
			tracks[i] = tr
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("cache: looking up features: %w", err)
		}
		// Repeated ids share the first one's entry.
		for i := lo; i < hi; i++ {
			if j := pos[ids[i]]; j != i {
				cached[i] = cached[j]
				if tracks[j] != nil {
					cp := *tracks[j]
					tracks[i] = &cp
				}
			}
		}
	}
	return tracks, cached, nil
}

// appendJSONStrings appends ids as a JSON array of strings.
func appendJSONStrings(dst []byte, ids []string) []byte {
	dst = append(dst, '[')
	for i, id := range ids {
		if i > 0 {
			dst = append(dst, ',')
		}
		if plain(id) {
			dst = append(dst, '"')
			dst = append(dst, id...)
			dst = append(dst, '"')
			continue
		}
		b, _ := json.Marshal(id) // a string always marshals
		dst = append(dst, b...)
	}
	return append(dst, ']')
}

// plain reports whether s needs no escaping in JSON: printable ASCII
// without quotes or backslashes.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// appendLog stores a batch of features as one row of feature_log: the
// source, the time, the ids as a JSON array of strings and their records
// concatenated, recordLen bytes each, all zero for an id the source does
// not know (see record.go).
const appendLog = `INSERT INTO feature_log (source, fetched_at, ids, data) VALUES (?, ?, ?, ?)`

// foldLog copies the whole log into features in the order stored, so
// that with OR REPLACE the last entry of an id stays (a batch holds an id
// once, see StoreFeatures). The log is scanned in seq order, so the ORDER
// BY costs no sort. Sorting by key instead, for B-tree locality, measured
// no faster: the sort copies every record.
const foldLog = `INSERT OR REPLACE INTO features (source, id, fetched_at, known, data)
	SELECT source, id, fetched_at, data IS NOT NULL, data FROM (
		SELECT l.seq, l.source, j.value AS id, l.fetched_at,
			CASE substr(l.data, j.key*80 + 1, 1) WHEN x'01' THEN substr(l.data, j.key*80 + 1, 80) END AS data
		FROM feature_log AS l, json_each(l.ids) AS j
		WHERE l.seq <= ?1
		ORDER BY l.seq)`

// compactRows is the most log rows (batches) Compact folds in one
// transaction: about 40,000 entries from ReccoBeats, a quarter of a second
// of holding the write lock, which a fetch in another process waits out.
// Tests lower it.
var compactRows = 1000

// insertStmt returns appendLog, prepared once per DB.
func (d *DB) insertStmt(ctx context.Context) (*sql.Stmt, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.insert == nil {
		st, err := d.db.PrepareContext(ctx, appendLog)
		if err != nil {
			return nil, err
		}
		d.insert = st
	}
	return d.insert, nil
}

// StoreFeatures stores the features of ids, in one transaction: tracks[i]
// for ids[i], nil meaning the source does not know the id. A stored entry
// replaces an older one; of an id given twice, the last entry stays. It
// panics if the lengths differ.
//
// The batch is appended to a log, one row whatever its size: that keeps a
// commit to a few pages, so storing costs little next to the request that
// fetched the batch. Indexing the entries by id, about 5 µs each, is left
// to the next look-up, Count or Compact, which folds the whole log into the
// features table.
func (d *DB) StoreFeatures(ctx context.Context, source string, ids []string, tracks []*features.Track) error {
	if len(ids) != len(tracks) {
		panic(fmt.Sprintf("cache: StoreFeatures with %d ids and %d tracks", len(ids), len(tracks)))
	}
	if len(ids) == 0 {
		return nil
	}
	ids, tracks = lastEntries(ids, tracks)
	now := d.now().Unix()
	arr := appendJSONStrings(make([]byte, 0, len(ids)*25+2), ids)
	recs := make([]byte, 0, len(ids)*recordLen)
	for _, t := range tracks {
		if t == nil {
			recs = append(recs, make([]byte, recordLen)...)
		} else {
			recs = appendRecord(recs, t)
		}
	}
	st, err := d.insertStmt(ctx)
	if err == nil {
		_, err = st.ExecContext(ctx, source, now, string(arr), recs)
	}
	if err != nil {
		return fmt.Errorf("cache: storing features: %w", err)
	}
	return nil
}

// lastEntries returns ids and tracks without the entries of an id that
// comes again later (ids and tracks themselves when all ids differ).
func lastEntries(ids []string, tracks []*features.Track) ([]string, []*features.Track) {
	last := make(map[string]int, len(ids))
	for i, id := range ids {
		last[id] = i
	}
	if len(last) == len(ids) {
		return ids, tracks
	}
	var keepIDs []string
	var keep []*features.Track
	for i, id := range ids {
		if last[id] == i {
			keepIDs = append(keepIDs, id)
			keep = append(keep, tracks[i])
		}
	}
	return keepIDs, keep
}

// Compact folds the log of stored batches into the features table and
// returns the number of entries it folded. It works in transactions of up
// to compactRows batches, oldest first, so that another process's fetch
// never waits long for the lock; stopping between them (ctx) loses
// nothing. Look-ups and Count call it first, so calling it is never
// needed; it lets a bulk fetch pay for the indexing itself rather than the
// next look-up.
func (d *DB) Compact(ctx context.Context) (int, error) {
	var some bool
	if err := d.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM feature_log)").Scan(&some); err != nil {
		return 0, fmt.Errorf("cache: indexing features: %w", err)
	}
	total := 0
	for some {
		var n int64
		err := d.tx(ctx, "indexing features", func(tx *sql.Tx) error {
			var hi sql.NullInt64
			if err := tx.QueryRowContext(ctx, "SELECT max(seq) FROM (SELECT seq FROM feature_log ORDER BY seq LIMIT ?)", compactRows).Scan(&hi); err != nil {
				return err
			}
			if some = hi.Valid; !some {
				return nil
			}
			r, err := tx.ExecContext(ctx, foldLog, hi.Int64)
			if err != nil {
				return err
			}
			if n, err = r.RowsAffected(); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, "DELETE FROM feature_log WHERE seq <= ?", hi.Int64)
			return err
		})
		if err != nil {
			return total, err
		}
		total += int(n)
	}
	return total, nil
}

// Pending returns the number of stored batches waiting in the log for the
// next Compact.
func (d *DB) Pending(ctx context.Context) (int, error) {
	var n int
	if err := d.db.QueryRowContext(ctx, "SELECT count(*) FROM feature_log").Scan(&n); err != nil {
		return 0, fmt.Errorf("cache: %w", err)
	}
	return n, nil
}

// tx runs f in one write transaction.
func (d *DB) tx(ctx context.Context, what string, f func(tx *sql.Tx) error) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("cache: %s: %w", what, err)
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return fmt.Errorf("cache: %s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("cache: %s: %w", what, err)
	}
	return nil
}

// storeTracks stores track metadata within tx.
func storeTracks(ctx context.Context, tx *sql.Tx, source string, now int64, tracks []*features.Track) error {
	st, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO tracks
		(source, id, fetched_at, name, artists, album, release_date, duration_ms, popularity)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, t := range tracks {
		if t == nil || t.ID == "" {
			continue
		}
		artists := t.Artists
		if artists == nil {
			artists = []string{}
		}
		a, err := json.Marshal(artists)
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(ctx, source, t.ID, now, t.Name, string(a), t.Album, t.ReleaseDate, t.DurationMS, t.Popularity); err != nil {
			return err
		}
	}
	return nil
}

// StoreTracks stores the metadata of tracks (id, name, artists, album,
// release date, duration, popularity) in one transaction. Tracks without
// an id are skipped.
func (d *DB) StoreTracks(ctx context.Context, source string, tracks []*features.Track) error {
	now := d.now().Unix()
	return d.tx(ctx, "storing tracks", func(tx *sql.Tx) error {
		return storeTracks(ctx, tx, source, now, tracks)
	})
}

// LookupTracks returns the cached metadata of ids: nil where not cached
// (or older than maxAge > 0). Tracks have no features (key and mode -1,
// HasFeatures false) and From.Meta "cache:<source>". One query per
// LookupChunk ids.
func (d *DB) LookupTracks(ctx context.Context, source string, ids []string, maxAge time.Duration) ([]*features.Track, error) {
	out := make([]*features.Track, len(ids))
	from := "cache:" + source
	since := d.since(maxAge)
	for lo := 0; lo < len(ids); lo += LookupChunk {
		hi := min(lo+LookupChunk, len(ids))
		pos := make(map[string][]int, hi-lo)
		for i := lo; i < hi; i++ {
			pos[ids[i]] = append(pos[ids[i]], i)
		}
		arr, err := json.Marshal(ids[lo:hi])
		if err != nil {
			return nil, fmt.Errorf("cache: %w", err)
		}
		rows, err := d.db.QueryContext(ctx, `SELECT id, name, artists, album, release_date, duration_ms, popularity
			FROM tracks WHERE source = ? AND fetched_at >= ? AND id IN (SELECT value FROM json_each(?))`, source, since, string(arr))
		if err != nil {
			return nil, fmt.Errorf("cache: looking up tracks: %w", err)
		}
		for rows.Next() {
			t := &features.Track{Key: -1, Mode: -1, Features: features.NoFeatures, From: features.Provenance{Meta: from}}
			var artists string
			if err := rows.Scan(&t.ID, &t.Name, &artists, &t.Album, &t.ReleaseDate, &t.DurationMS, &t.Popularity); err != nil {
				rows.Close()
				return nil, fmt.Errorf("cache: looking up tracks: %w", err)
			}
			if err := json.Unmarshal([]byte(artists), &t.Artists); err != nil {
				rows.Close()
				return nil, fmt.Errorf("cache: track %s: artists: %w", t.ID, err)
			}
			for k, i := range pos[t.ID] {
				if k == 0 {
					out[i] = t
				} else {
					cp := *t
					out[i] = &cp
				}
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("cache: looking up tracks: %w", err)
		}
	}
	return out, nil
}

// StoreRecommendation stores the answer to the request key (the ids of
// tracks, in order) together with the tracks' metadata, in one
// transaction.
func (d *DB) StoreRecommendation(ctx context.Context, source, key string, tracks []*features.Track) error {
	ids := make([]string, 0, len(tracks))
	for _, t := range tracks {
		if t != nil && t.ID != "" {
			ids = append(ids, t.ID)
		}
	}
	b, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	now := d.now().Unix()
	return d.tx(ctx, "storing a recommendation", func(tx *sql.Tx) error {
		if err := storeTracks(ctx, tx, source, now, tracks); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO recommendations (source, id, fetched_at, tracks) VALUES (?, ?, ?, ?)`,
			source, key, now, string(b))
		return err
	})
}

// LookupRecommendation returns the cached answer to the request key, with
// each track's cached metadata (a track whose metadata is missing has only
// its id), and whether it was cached (and not older than maxAge > 0).
func (d *DB) LookupRecommendation(ctx context.Context, source, key string, maxAge time.Duration) ([]*features.Track, bool, error) {
	var s string
	err := d.db.QueryRowContext(ctx, `SELECT tracks FROM recommendations WHERE source = ? AND id = ? AND fetched_at >= ?`,
		source, key, d.since(maxAge)).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("cache: looking up a recommendation: %w", err)
	}
	var ids []string
	if err := json.Unmarshal([]byte(s), &ids); err != nil {
		return nil, false, fmt.Errorf("cache: recommendation %s: %w", key, err)
	}
	tracks, err := d.LookupTracks(ctx, source, ids, 0)
	if err != nil {
		return nil, false, err
	}
	for i, t := range tracks {
		if t == nil {
			tracks[i] = &features.Track{ID: ids[i], Key: -1, Mode: -1, DurationMS: -1, Popularity: -1,
				Features: features.NoFeatures, From: features.Provenance{Meta: "cache:" + source}}
		}
	}
	return tracks, true, nil
}
