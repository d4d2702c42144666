// Package cache provides disco's local store of what online sources
// answered: audio features, track metadata and recommendation lists, in a
// SQLite database (modernc.org/sqlite, pure Go), keyed by source and id
// with the time fetched.
//
// # Overview
//
// [Open] opens (or creates) the database, by default [DefaultPath] in the
// user's cache directory. [Fetcher] wraps a [Source] (the Spotify or
// ReccoBeats client) and implements the same GetFeatures method: it looks
// all ids up in one query per chunk of [LookupChunk] ids, fetches only the
// missing ones in the source's batches, and stores each batch in one
// transaction as it arrives. [Recommender] does the same for
// recommendation lists.
//
// # Storing now, indexing later
//
// A stored batch of features is appended to a log, one row per batch, so
// that a commit writes a few pages whatever the batch holds. Indexing the
// entries by id costs about 5 µs each in pure-Go SQLite, a quarter of what
// a request to a local server costs per id, and writes pages all over the
// B-tree because Spotify ids are random: done per batch, it slowed a fetch
// of 10,000 ids from a local server by half (see TestFetchOverhead). So
// the next look-up (or [DB.Count], or [DB.Compact], which disco fetch
// features calls when it is done) folds the whole log into the features
// table, up to 1,000 batches a transaction. Nothing is lost in between:
// the log is as durable as the table.
//
// # Durability
//
// The database runs in WAL mode with synchronous=NORMAL and a busy
// timeout. A commit in WAL mode is durable against the process dying
// (kill -9): only a power loss or an OS crash can lose the last commits,
// never corrupt the file. Since every fetched batch is one transaction, an
// interrupted fetch loses at most the batch in flight, and running it again
// folds the log and fetches only what is missing. Readers never block the writer, and
// several processes may share the file. The WAL is copied back into the
// database when it passes 20,000 pages (80 MB) and when the last
// connection closes, so checkpoints stay out of a fetch's way.
//
// Ids a source does not know are stored too (as known = 0), so a re-run
// does not ask for them again; [Fetcher.Refresh] asks for everything
// again and [Fetcher.MaxAge] treats old entries as missing.
package cache
