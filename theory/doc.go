// Package theory provides the music theory disco needs to judge a transition
// between two songs the way a DJ would: musical keys, the circle of fifths,
// the Camelot and Open Key notations, and tempo similarity.
//
// It imports nothing of disco and allocates nothing in its similarity
// functions, so the selector can call them in its inner loop.
//
// # Keys
//
// A [Key] is a pitch class (C = 0 ... B = 11) and a [Mode], with Spotify's
// numbering: [Minor] = 0, [Major] = 1, and -1 for unknown. Because Minor is
// 0, the zero Key is C minor, a real key; a missing key is [UnknownKey]
// (pitch -1, mode -1), and [NewKey] turns any out-of-range pitch or mode into
// it. Every method treats a Key that is not [Key.Known] as unknown.
//
// # Circle of fifths
//
// A minor key shares its notes with its relative major, three semitones up
// (A minor and C major). Both map to the same place on the circle of fifths,
// the sequence C G D A E B F# C# G# D# A# F in which neighbours differ by one
// sharp or flat: position = 7 * relativeMajor mod 12 ([Key.Fifths]).
// [FifthsDistance] is the number of steps between two positions the short
// way round, 0 to 6.
//
// [KeySim] is DISCO's key similarity, 1 - ([d == 0] + d - 1) / 2.5 for the
// distance d:
//
//	d       0    1    2     3     4     5    6
//	KeySim  1    1    0.6   0.2  -0.2  -0.6  -1
//
// so the same key, the relative major or minor and a fifth either way all
// score 1, C major against C minor (three fifths apart) scores 0.2 and C
// against C# scores -0.6.
//
// # Camelot and Open Key
//
// DJs name keys by their place on the circle of fifths, drawn as a wheel of
// 12 hours with an inner ring of minor keys and an outer ring of major keys,
// so that compatible keys are neighbours. With k the relative-major pitch
// class:
//
//   - Camelot (Mixed In Key): number ((7k mod 12) + 7) mod 12 + 1, letter A
//     for minor and B for major. C major is 8B, A minor 8A, F minor 4A.
//   - Open Key (Traktor): number (7k mod 12) + 1, letter d for major ("dur")
//     and m for minor. C major is 1d, A minor 1m.
//
// The two wheels are the same wheel turned by seven hours.
// [Key.Camelot], [Key.OpenKey] and [Key.String] name a key; [ParseKey] reads
// any of these names back, and note names with flats such as "Bbm".
//
// # Moves
//
// [Classify] names the step from one key to the next on the Camelot wheel:
//
//   - compatible ([Move.Compatible]): [Same] code, [Up] or [Down] one hour
//     with the same letter (a fifth up or down), [Relative] (same number,
//     other letter);
//   - named "boost" moves ([Move.Boost]): [Boost2] (+2 hours, a whole tone
//     up), [Boost7] (+7 hours, a semitone up, what a 6% speed-up without
//     key-lock does) and [Diagonal] (major to the minor one hour up, 8B to
//     9A, or its reverse, minor to the major one hour down, 8A to 7B);
//   - [Other] for anything else and [Unknown] when either key is unknown.
//
// [Transition] writes a step for people to read, such as "8A -> 9A (+1)".
//
// # Tempo
//
// [TempoSim] is DISCO's tempo similarity cos(2 pi log2(t1/t2)): tempo lives
// on a circle where doubling comes back to the same point, so half and
// double time score 1 and a ratio of sqrt 2 scores -1. [TempoRatio] folds a
// tempo ratio by octaves into [sqrt2/2, sqrt2), and [TempoCompatible] applies
// the DJ "6% rule" ([DefaultTempoTolerance]) to the folded ratio.
//
// # Unknown values and the neutral score
//
// Spotify marks an unknown key with -1 and an unknown tempo with 0; the
// original DISCO code treated -1 as a key and divided by a zero tempo,
// producing NaN that then won the argmin. Here an unknown key or tempo (a
// tempo that is zero, negative, NaN or infinite) gives the similarity
// [Neutral] = 0: the middle of the [-1, 1] range, neither a reward nor a
// penalty. A candidate with an unknown key thus ranks below keys up to three
// fifths away (0.2) and above keys four or more away (-0.2); the weights of
// the selector's objective decide how much that matters. The similarity
// functions never return NaN. Predicates such as [TempoCompatible] answer
// false for unknown values, and [Classify] answers [Unknown].
package theory
