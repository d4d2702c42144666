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
// # Durability
//
// The database runs in WAL mode with synchronous=NORMAL and a busy
// timeout. A commit in WAL mode is durable against the process dying
// (kill -9): only a power loss or an OS crash can lose the last commits,
// never corrupt the file. Since every fetched batch is one transaction, an
// interrupted fetch loses at most the batch in flight, and running it again
// fetches only what is missing. Readers never block the writer, and
// several processes may share the file. The WAL is copied back into the
// database when it passes 20,000 pages (80 MB) and when the last
// connection closes, so checkpoints stay out of a fetch's way.
//
// Ids a source does not know are stored too (as known = 0), so a re-run
// does not ask for them again; [Fetcher.Refresh] asks for everything
// again and [Fetcher.MaxAge] treats old entries as missing.
package cache
