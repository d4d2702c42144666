// Package taste provides disco's taste model: a small neural network that
// tells whose (or which kind of) song a song is, from its audio features.
//
// # Overview
//
// A [Model] is a multilayer perceptron over 9 inputs per song ([Inputs]):
// the 8 abstract features scaled by a [scale.Scaler] fitted on the
// training songs, then the mode (1 major, 0 minor, 0.5 unknown), and with
// Config.KeyTempo 4 more: the key as a point on the circle of fifths and
// the tempo as a phase within its octave (60, 120 and 240 BPM coincide),
// each a cosine and a sine, zeros when unknown. Its
// hidden layers are dense with one activation ([ReLU] by default, [Tanh],
// [Sigmoid] or [Linear]); its output is a sigmoid for two labels (binary
// cross-entropy) and a softmax for more (cross-entropy). With no hidden
// layer (Config.Hidden a non-nil empty slice) it is logistic regression,
// which disco uses as the baseline the network must beat.
//
// # Training
//
// [Train] (and [TrainInputs] on ready-made inputs) draws Glorot-uniform
// weights from a PCG source seeded with Config.Seed, holds out
// Config.ValFrac of the songs per label ([StratifiedSplit], seeded) for
// early stopping, and takes Adam steps (Keras's parameters) on shuffled
// mini-batches. With Balanced class weights (the default) each song of
// label k weighs n/(K n_k), so a small label counts as much as a big one;
// a batch's loss is the weighted mean cross-entropy over its songs. After
// each epoch it computes the validation loss (same weights); training
// stops when that has not improved for Config.Patience epochs, and the
// model keeps the best epoch's weights. The same config, data and seed
// give the same model, bit for bit.
//
// Gradients come from Gorgonia (gorgonia.org/gorgonia v0.9.18): the
// network as an expression graph with symbolic differentiation, one graph
// per batch size, padding rows weighted 0. The graph avoids Gorgonia's
// known faults (no slicing; weights copied into tensors the graph owns;
// its LogSumExp, which is wrong, is not used). Inference and the
// validation loss are plain Go ([Net]), without Gorgonia; a test holds
// the two together (logits and loss to 1e-12, Gorgonia's gradient to a
// finite difference of the plain-Go loss).
//
// # Evaluation
//
// [Score] computes, from predicted probabilities, one-vs-rest ROC AUC
// ([AUC], ties counting one half), macro-averaged precision, recall and
// F1, accuracy and the confusion matrix; [ROC] returns the curve.
//
// # Files
//
// [Model.Save] and [Load] keep a model in one checksummed file with a
// format version, laid out like the flow model's (see [Read]); truncated,
// corrupted, foreign (including flow model) and newer files are refused
// with errors that errors.Is can test.
package taste
