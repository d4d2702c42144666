// Package model provides DISCO's flow model: a recurrent network that, from
// the playlist so far, predicts the scaled audio features of the next song.
//
// # Overview
//
// The network reads, per song, 9 inputs (the mode, 1 major, 0 minor, 0.5
// unknown, then the 8 abstract features scaled by a [scale.Scaler]) and
// predicts the 8 scaled abstract features of the next song. Its recurrent
// layers compute h_t = act(x_t W + h_{t-1} U + b) with h_{-1} = 0, and a
// linear output layer y_t = h_t W_out + b_out. DISCO's network is the zero
// [Config]: two linear layers of 16 units, trained with mean absolute error
// and Adam (lr 0.001, batch 32, 10 epochs).
//
// [Train] fits the scaler on the training playlists only, trains, keeps the
// best epoch's weights and scores the result against baselines on the
// validation playlists ([Evaluation]). A [Predictor] runs a trained [Model]
// one song at a time in plain Go, without allocating. [Model.Save] and
// [Load] keep a model in one self-describing, checksummed file.
//
// # Residual formulation
//
// Config.Residual makes the network predict a correction to a baseline
// instead of the next song itself: the prediction is the baseline of the
// songs so far plus the network's output, where the baseline is the
// running mean of their scaled features (ResidualMean) or their
// exponentially weighted mean (ResidualEWMA, e_0 = x_0, e_t = e_{t-1} +
// rate (x_t - e_{t-1}), the rate fitted on the training runs by FitRate
// unless Config.Rate sets it). The shape stays DISCO's (9 inputs, the
// recurrent layers, 8 outputs, MAE on the scaled features); only the
// output is shifted, so the loss's gradient with respect to the network's
// output is unchanged. A residual model's output layer starts at zero, so
// its initial weights predict the baseline exactly; their validation MAE
// is the score each epoch must beat, and if none does they stay the model
// (Info.BestEpoch 0): training can only earn its way above the baseline,
// on the validation data. The model file records the formulation and the
// rate (format version 2, or 3 with a domain).
//
// # Far from the training data
//
// [Train] also records the training data's [Domain]: the training genres
// with their playlist counts, the validation MAE of the network and of the
// running mean, and 128 k-means prototypes of the training songs' scaled
// features with the 99th percentile of the training songs' distance to the
// nearest one (the radius). [Model.Outside] tells whether a song lies
// beyond it, which disco build and disco eval say for their seeds. On the
// embedded catalog the radius is 2.26 scaled units; 1.3% of the validation
// split's new songs lie beyond it, and 0.9 to 4.3% of a genre's songs when
// the domain is fitted without that genre (the exact statistic, the 99th
// percentile of each training song's distance to its nearest other
// training song, flags 0.9% and 0.7 to 3.8%, but needs every training song
// in the file). Old files (versions 1 and 2) have no domain, and their
// seeds go unchecked.
//
// # Training data
//
// A playlist becomes runs of consecutive tracks with features ([Runs]): a
// track without features ends a run, because the tracks on either side of
// it were not neighbours and their transition is not a real one (bridging
// the gap would teach a transition no listener heard; dropping the
// playlist would waste the rest). Runs of fewer than Config.MinLen tracks
// (default 2, one transition) are dropped. Runs of more than Config.Window
// transitions (T, default 50, DISCO's padding length) are cut into windows
// every Config.Stride transitions (default T/2) plus one aligned to the
// run's end ([Windows]), so every transition is trained on, most of them
// twice. A window starts from a zero state, as DISCO's truncated
// sequences did.
//
// Inputs are X = steps 0..n-2 and targets Y = steps 1..n-1 of a sequence.
// Shorter sequences are right-padded and masked: the loss of a batch is the
// mean absolute error over its real steps and the 8 outputs, so padding
// never counts and a batch's loss does not depend on how much of it is
// padding. (Keras averages a masked loss differently across sequences of
// different lengths; here every real step counts the same.)
//
// Validation runs on whole runs, never windowed, each transition once, with
// the network fed from the start of the run: exactly how the selector uses
// it. The monitor for early stopping is the validation MAE (the training
// MAE without validation data); after Config.Patience epochs without a new
// best, training stops, and the best epoch's weights are kept.
//
// # Cross-validation
//
// [GenreFolds] (leave one genre out) and [KFolds] (by playlist) cut
// playlists into folds; [CrossValidate] trains a model per fold on the
// others and scores it, with the baselines, on the held-out fold. Each
// fold's scaler is fitted on its own training playlists, so fold scores
// are in slightly different units. [ValidateOnGenre] makes early stopping
// watch a whole genre unseen in training too.
//
// # Engines
//
// Two engines compute the same loss and gradients, plain or residual
// (tests hold them to 1e-9 of each other and to central finite
// differences, and the predictor's outputs to theirs):
//
//   - Native (the default): forward pass and back-propagation through time
//     written out in Go, as tall matrix products over all batch rows and
//     steps with register-blocked kernels, and the recurrence step by step.
//     On amd64 CPUs with AVX2 and FMA the products with 8 or 16 columns
//     (all of DISCO's) run in assembly; elsewhere, and with the purego
//     build tag, in plain Go. An FMA rounds once where plain Go rounds
//     twice, so the two give weights that differ in the last bits, but
//     each is deterministic.
//   - Gorgonia: the network as a Gorgonia expression graph, one input,
//     target and mask node per time step, built once per (T, batch) shape
//     and reused; gradients by Gorgonia's symbolic differentiation.
//
// The issue asked for training "built in Gorgonia". Gorgonia is kept as the
// reference engine, tested and selectable (Config.Engine, `disco train
// --engine gorgonia`), but Gorgonia interprets its graph node by node and
// spends most of its time outside arithmetic: on this network it trains
// at about 1% of what two cores can compute, about as fast as PyTorch. The
// native engine is the default because it is five to ten times faster per
// CPU-second in plain Go, and four to six times more with the AVX2 kernels
// (see bench/train), and it is checked against Gorgonia on every test run.
//
// Both engines work around Gorgonia v0.9.18's two silent faults: no axis of
// 256 or more is ever sliced or concatenated (per-step nodes, and
// Config.Window is at most 255); and every data-parallel replica owns its
// weight tensors (matrix multiply transposes shared operands in place).
//
// # Data parallelism and determinism
//
// A batch is cut into chunks of at least 16 sequences, at most 8 chunks,
// whatever the number of workers. Config.Workers goroutines, each with its
// own replica (buffers; for Gorgonia, graphs and weight tensors), take
// chunks in turn and compute the gradient of each chunk's share of the
// batch loss into that chunk's buffer; the buffers are summed in chunk
// order, and one Adam step (Keras's: beta1 0.9, beta2 0.999, epsilon 1e-7)
// updates the one copy of the weights, which every replica reads for the
// next batch. Taking chunks in turn keeps both cores busy when the machine
// delays one thread. Initial weights (Glorot-uniform W, orthogonal U, zero
// b, as Keras) and the batch order come from PCG sources seeded by
// Config.Seed. So the same seed and data give bit-identical weights, with
// any number of workers.
//
// # Model files
//
// A model file is the magic "DISCOFLW", a format version (1 for a plain
// model, 2 for a residual one, 3 with a training domain), a JSON payload
// (config, scaler, named weight tensors, training record, domain) and a SHA-256
// trailer; the comment on [Magic] gives the layout. Files are written atomically.
// [Read] refuses truncated, corrupted, foreign and newer-version files with
// errors that say which ([ErrTruncated], [ErrChecksum], [ErrNotModel],
// [ErrNewVersion], [ErrInvalid]).
//
// # Gorgonia confinement
//
// Only the Gorgonia engine (gorgonia.go) imports Gorgonia; inference,
// the native engine, files and evaluation are plain Go (and the native
// engine's assembly kernels, kernels_amd64.s).
package model
