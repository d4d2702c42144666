// Package candidates finds the songs a playlist may hold: the hybrid
// candidate source, disco's default.
//
// DISCO took its candidates from Spotify's recommendations, which are
// collaborative: songs people put in playlists with the seeds. Offline,
// nearest-in-features alone is a poor stand-in (it knows nothing of the
// seeds' world: a build from three rock songs picks rock a third of the
// time). Hybrid is a selector.Pool made of four sources, each ranking the
// catalog its own way:
//
//   - SourceSong2vec: the nearest songs to the seeds' mean song2vec
//     vector (songs that share playlists with the seeds);
//   - SourceArtist: the songs of the seeds' albums (AlbumKey), then the
//     seeds' artists' other songs, then the songs of the artists that
//     share playlists with them (an ArtistGraph), round-robin over the
//     artists by how often they share;
//   - SourceContent: the nearest songs in scaled feature space;
//   - SourceGenre: the songs of the seeds' subgenres, then of their
//     genres, nearest first (from the catalog's labels, when it has them).
//
// Quotas say what share of the pool each source fills. The sources are
// merged by largest remaining quota (a weighted round-robin); a song two
// sources propose is taken once and remembers both (Hybrid.Why). A source
// with nothing to give (no vectors, no labels) leaves its share to the
// others. Then the seeds' own songs (their albums' and artists') move to
// the front of the pool, whose order is the belonging term's ranking
// (selector.Prior): a prefix of the pool holds them first, not the quotas.
//
// Contracts: Candidates is deterministic (ties go to the smaller track
// id), never returns a seed's recording nor another version of a seed
// (SongKey: a radio edit, a remix), and returns at most N songs with
// audio features.
package candidates
