// Package song2vec provides song embeddings learnt from playlists: word2vec's
// skip-gram with negative sampling, with track ids for words and playlists
// for sentences, so that songs that share playlists get nearby vectors.
// They find songs that belong together ("song radio": the nearest songs to
// the mean of some seeds) and playlists that resemble each other (the mean
// of their songs); DISCO then orders what they find.
//
// # Training
//
// Train reads a Corpus twice or more: once to count tracks, then once per
// epoch. A Corpus streams playlists through a callback, so a million
// playlists need not sit in memory; Playlists holds them in memory and
// TextFile reads the one-playlist-per-line format of word2vec and gensim
// (optionally gzipped). Config holds word2vec's settings with word2vec's
// defaults: dimension, window (randomly reduced per track, as word2vec
// does), negative samples drawn from the unigram distribution raised to
// 0.75, minimum count, sub-sampling of frequent tracks, epochs and a
// learning rate that falls linearly to a floor of Alpha·1e-4.
//
// Workers update the shared vectors without locks (Hogwild), as word2vec's
// threads do; with one worker a seed makes training repeatable. Stats
// reports words per second and the mean loss of each epoch.
//
// Vectors and arithmetic are float64 throughout, two matrices of
// vocabulary×Dim values (16·Dim bytes per track while training). The inner
// loops run in AVX2/FMA assembly where the CPU has it, with the rows of
// negative samples prefetched, and in plain Go elsewhere (or with the
// purego build tag). The sigmoid comes from word2vec's table of 1000
// values over [-6, 6], so the inner loop calls no exp.
//
// # Vectors
//
// Vectors holds one row per track, with Index, Mean (of unit rows) and
// Nearest (exact top k by cosine similarity, with an exclusion callback).
// Over many rows Nearest reads an int8 copy of the unit rows and rescores
// the few candidates its error bound admits in float64, so that it stays
// exact while reading an eighth of the bytes: 1M tracks of 64 dimensions
// take tens of milliseconds per query.
//
// # Files
//
// Vectors are read and written in word2vec's text and binary formats, the
// formats the C tool, gensim (save_word2vec_format) and others export, so
// that vectors trained elsewhere plug in. Read and ReadFile tell the two
// apart by content and undo gzip. Malformed or truncated files give a
// *FormatError with the line (text) or record and byte offset (binary).
//
// # Evaluation
//
// Evaluate hides each track of held-out playlists in turn and ranks it
// among all tracks by cosine similarity to the mean of the rest of its
// playlist, giving HR@K and MRR@K next to most-popular and random
// baselines. bench/song2vec/gensim_ref.py computes the same figures with
// gensim's Word2Vec on the same playlists; the tests hold song2vec to
// within 5% of gensim's HR@10.
package song2vec
