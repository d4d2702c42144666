// Package fill provides the filling of missing audio features from what
// disco already knows, before any network source is asked: the embedded
// catalog, a feature file the user gives (--catalog), and the cache of
// what online sources answered.
//
// # Overview
//
// A [Source] is a place where features may be known. [NewIndex] makes one
// of any tracks with features (the embedded catalog, a feature file);
// [Cache] makes one of the features cache. [Fill] gives each track without
// features the features of the first source that knows it, and returns a
// [Report] whose String is the one line a command prints:
//
//	4 songs: 3 features from the embedded catalog, 1 unknown ("Lonely As You")
//
// Fill is a library call: `disco build`, `disco fetch features` and the
// sequencer's `disco sort` share it.
//
// # Contract
//
//   - Tracks are changed in place; a track listed twice (a playlist's
//     repeat) is one track, filled and counted once. Nil tracks are
//     skipped.
//   - A track with HasFeatures is never changed: the user's file wins.
//     Only the audio values are filled (Features, HasFeatures, Key, Mode,
//     Tempo, TimeSignature, From.Features) and DurationMS when unknown
//     (<= 0); name, artists, album and the rest of the metadata stay the
//     file's.
//   - Local files (ids starting "spotify:local:") are skipped and counted
//     in Report.Local: they have no Spotify id and no features anywhere.
//   - Sources are asked in the order given, each only about the tracks
//     the earlier ones did not know. Within a source a track is matched by
//     its Spotify id first, then by artist and title normalised as
//     selector.Normalize does (case, accents, punctuation), all artists
//     first, then the first artist alone (the embedded catalog credits
//     one). When several known tracks share a normalised artist and title
//     (a single and its album release), the first in the source's order
//     wins. Report.Results says which source and which match filled each
//     track.
//   - ISRC is not matched: neither features.Track nor the embedded
//     catalog carries it.
//   - An error is a source's (the cache's database), wrapped; the tracks
//     filled before it stay filled. Fill never exits and never panics on
//     data.
package fill
