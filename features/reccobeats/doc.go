// Package reccobeats provides disco's ReccoBeats source: Spotify-style
// audio features and track recommendations from the free ReccoBeats API
// (https://api.reccobeats.com/v1, no key needed), addressed by Spotify
// track id, and a candidate pool for the selector.
//
// # Overview
//
// [Client.GetFeatures] asks GET /audio-features?ids=... in batches of at
// most [MaxFeatureIDs]. The answer, {"content": [...]}, leaves unknown ids
// out and names each entry by its ReccoBeats UUID, so entries are matched
// to the asked ids by the Spotify id at the end of their href
// (https://open.spotify.com/track/<id>). ReccoBeats has no time signature:
// it is 0 (unknown) in every Track this package makes.
//
// [Client.Recommend] asks GET /track/recommendation?seeds=...&size=N with
// 1 to [MaxSeeds] seeds. [Pool] builds candidates as the Spotify pool
// does: N for each seed and N for all seeds together, de-duplicated, then
// their features.
//
// # Rate limits and errors
//
// ReccoBeats throttles with 429 and a Retry-After header; the client waits
// as told (up to [Client.MaxWait], beyond which it returns a
// [*RateLimitError]) and retries 5xx answers with exponential backoff.
// Every call takes a context and stops when it is cancelled.
package reccobeats
