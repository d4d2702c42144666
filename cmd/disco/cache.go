package main

import (
	"context"
	"fmt"
	"time"

	"github.com/discoflow/disco/features/cache"
	"github.com/discoflow/disco/selector/export"
)

func init() {
	register(command{name: "cache", summary: "show or clear the local cache of fetched features (disco cache info|clear)", run: runCache})
}

const cacheHelp = `
Subcommands:
  info    what the cache holds, per source: features, unknown ids, tracks,
          recommendation lists, the oldest and newest fetch, the file size
  clear   delete what the cache holds (--source, --older-than) and shrink
          the file
`

const cacheInfoHelp = `
Prints what disco's local cache (the SQLite database that disco fetch
features and the online sources fill) holds, per source: ids answered and
how many of them the source does not know, tracks with metadata,
recommendation lists, and the oldest and newest fetch; and the file's size.
`

const cacheClearHelp = `
Deletes what the cache holds: everything, or one source's (--source), or
what was fetched longer ago than --older-than; then rewrites the file so
that it shrinks. The next fetch asks the source again for what is gone.

Examples:
  disco cache clear --older-than 720h
  disco cache clear --source spotify
`

func runCache(ctx context.Context, e *env, args []string) error {
	return runGroup(ctx, e, args, "cache", cacheHelp, map[string]func(context.Context, *env, []string) error{"info": runCacheInfo, "clear": runCacheClear})
}

// cacheInfo is what disco cache info --format json prints.
type cacheInfo struct {
	Path    string              `json:"path"`
	Bytes   int64               `json:"bytes"`
	Sources []cache.SourceStats `json:"sources"`
}

func runCacheInfo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "cache info", "[flags]", cacheInfoHelp)
	path := fs.String("cache", "", "cache database `file` (default: disco/cache.db in the user cache directory)")
	format := fs.String("format", "text", "output `format`: text or json")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 || (*format != "text" && *format != "json") {
		fmt.Fprintln(e.stderr, "disco cache info: takes --cache FILE and --format text|json only")
		return errUsage
	}
	db, err := cache.Open(*path)
	if err != nil {
		return cacheError(err)
	}
	defer db.Close()
	st, err := db.Stats(ctx)
	if err != nil {
		return cacheError(fmt.Errorf("%s: %w", db.Path(), err))
	}
	size, err := db.Size()
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(e.stdout, cacheInfo{Path: db.Path(), Bytes: size, Sources: st})
	}
	fmt.Fprintf(e.stdout, "cache: %s (%s)\n", db.Path(), humanBytes(size))
	if len(st) == 0 {
		fmt.Fprintln(e.stdout, "empty")
		return nil
	}
	rows := [][]string{{"source", "features", "unknown", "tracks", "lists", "oldest", "newest"}}
	for _, s := range st {
		rows = append(rows, []string{s.Source, fmt.Sprint(s.Features), fmt.Sprint(s.Unknown), fmt.Sprint(s.Tracks),
			fmt.Sprint(s.Recommendations), s.Oldest.Local().Format(time.DateTime), s.Newest.Local().Format(time.DateTime)})
	}
	return export.Aligned(e.stdout, rows, map[int]bool{1: true, 2: true, 3: true, 4: true})
}

func runCacheClear(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "cache clear", "[flags]", cacheClearHelp)
	path := fs.String("cache", "", "cache database `file` (default: disco/cache.db in the user cache directory)")
	source := fs.String("source", "", "clear only this `source`'s entries (spotify, reccobeats)")
	olderThan := fs.Duration("older-than", 0, "clear only entries fetched longer ago than this `duration` (0: all)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *olderThan < 0 {
		fmt.Fprintln(e.stderr, "disco cache clear: takes --cache, --source and a positive --older-than only")
		return errUsage
	}
	db, err := openCacheOrMoveAside(e, *path)
	if err != nil {
		return err
	}
	defer func() { db.Close() }()
	before := time.Time{}
	if *olderThan > 0 {
		before = time.Now().Add(-*olderThan)
	}
	was, err := db.Size()
	if err != nil {
		return err
	}
	n, err := db.Clear(ctx, *source, before)
	if cache.IsCorrupt(err) {
		// Damage that opening did not touch: move it aside all the same.
		db.Close()
		if db, err = moveAside(e, db.Path(), err); err != nil {
			return err
		}
		was, n = 0, 0
	}
	if err != nil {
		return cacheError(fmt.Errorf("%s: %w", db.Path(), err))
	}
	if err := db.Vacuum(ctx); err != nil {
		return err
	}
	now, err := db.Size()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "deleted %d entries; %s: %s -> %s\n", n, db.Path(), humanBytes(was), humanBytes(now))
	return nil
}

// cacheError adds the way out to a cache error: for a damaged database,
// disco cache clear.
func cacheError(err error) error {
	if cache.IsCorrupt(err) {
		return fmt.Errorf("%w\nthe cache database is damaged: \"disco cache clear\" moves it aside and starts a new one", err)
	}
	return err
}

// openCacheOrMoveAside opens the cache at path; a damaged one is moved
// aside (cache.MoveAside) and a new one opened, with a message saying so.
func openCacheOrMoveAside(e *env, path string) (*cache.DB, error) {
	db, err := cache.Open(path)
	if !cache.IsCorrupt(err) {
		return db, err
	}
	return moveAside(e, path, err)
}

// moveAside moves the damaged database at path aside, says so, and opens
// a new one.
func moveAside(e *env, path string, cause error) (*cache.DB, error) {
	aside, err := cache.MoveAside(path, time.Now())
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(e.stderr, "disco: the cache database was damaged (%v): moved it to %s and started a new one\n", cause, aside)
	return cache.Open(path)
}

// humanBytes writes n bytes as B, kB, MB or GB (powers of 1000).
func humanBytes(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000_000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	case n < 1000_000_000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.1f GB", float64(n)/1e9)
}
