package taste

import (
	"errors"
	"fmt"
	"math"

	"github.com/discoflow/disco/features"
)

// The inputs per song: NumInputs basic ones, the 8 abstract features
// scaled by the model's scaler (model/scale) then the mode (1 major, 0
// minor, 0.5 unknown; see [features.ModeInput]); with Config.KeyTempo,
// NumKeyTempo more: the key on the circle of fifths (cos and sin of
// 2 pi f/12, f = 7 key mod 12; 0, 0 when the key is unknown) and the
// tempo's phase within its octave (cos and sin of 2 pi log2(tempo), so
// that 60, 120 and 240 BPM coincide; 0, 0 when unknown).
const (
	NumInputs   = features.NumAbstract + 1
	NumKeyTempo = 4
	MaxInputs   = NumInputs + NumKeyTempo
)

// Input holds one song's inputs; a network reads the first Net.Sizes[0]
// of them (NumInputs, or MaxInputs with key and tempo).
type Input [MaxInputs]float64

// inputsOf returns the number of inputs a network of config c reads.
func inputsOf(c Config) int {
	if c.KeyTempo {
		return MaxInputs
	}
	return NumInputs
}

// Activations of the hidden layers.
const (
	ReLU    = "relu"
	Tanh    = "tanh"
	Sigmoid = "sigmoid"
	Linear  = "linear"
)

// Class weighting schemes.
const (
	// Balanced weighs each song of label k by n/(K n_k), so that every
	// label weighs the same in the loss whatever its size (scikit-learn's
	// class_weight="balanced").
	Balanced = "balanced"
	// Uniform weighs every song 1.
	Uniform = "none"
)

// Config is the configuration of a taste model and of its training. The
// zero value means the defaults listed per field; Defaults fills them in.
// Only Hidden and Activation matter at inference; the rest is recorded in
// the model file.
type Config struct {
	// Hidden holds the units of each hidden layer, first first. nil means
	// the default [32, 16]; a non-nil empty slice means no hidden layer:
	// the model is then multinomial (binary: plain) logistic regression.
	Hidden []int `json:"hidden"`
	// Activation of the hidden layers: ReLU (default), Tanh, Sigmoid or
	// Linear. The output layer is a sigmoid for two labels and a softmax
	// for more.
	Activation string `json:"activation"`
	// BatchSize is the number of songs per Adam step. Default 64.
	BatchSize int `json:"batch_size"`
	// Epochs is the maximum number of passes over the training songs.
	// Default 200.
	Epochs int `json:"epochs"`
	// LearnRate is Adam's step size. Default 0.003.
	LearnRate float64 `json:"learn_rate"`
	// L2 is the weight decay added to the loss, L2/2 times the sum of the
	// squared weights (not biases). Default 0; a negative value means 0.
	L2 float64 `json:"l2"`
	// ValFrac is the fraction of the training songs held out, stratified by
	// label, for early stopping. Default 0.2; a negative value means none
	// (then every epoch runs and the last is kept).
	ValFrac float64 `json:"val_frac"`
	// Patience is the number of epochs without a lower validation loss
	// after which training stops. Default 10; a negative value means never.
	Patience int `json:"patience"`
	// ClassWeights is Balanced (default) or Uniform.
	ClassWeights string `json:"class_weights"`
	// Seed seeds the initial weights, the validation split and the batch
	// order (0 is a seed like any other).
	Seed uint64 `json:"seed"`
	// KeyTempo adds the key and tempo inputs (see NumKeyTempo).
	KeyTempo bool `json:"key_tempo,omitempty"`
}

// Defaults returns c with every zero field set to its default.
func (c Config) Defaults() Config {
	if c.Hidden == nil {
		c.Hidden = []int{32, 16}
	} else {
		c.Hidden = append([]int{}, c.Hidden...)
	}
	if c.Activation == "" {
		c.Activation = ReLU
	}
	if c.BatchSize == 0 {
		c.BatchSize = 64
	}
	if c.Epochs == 0 {
		c.Epochs = 200
	}
	if c.LearnRate == 0 {
		c.LearnRate = 0.003
	}
	if c.ValFrac == 0 {
		c.ValFrac = 0.2
	}
	if c.Patience == 0 {
		c.Patience = 10
	}
	if c.ClassWeights == "" {
		c.ClassWeights = Balanced
	}
	return c
}

// Limits of a Config, beyond which Validate refuses it.
const (
	MaxLayers = 8
	MaxUnits  = 4096
)

// ErrConfig is wrapped by the errors of Validate.
var ErrConfig = errors.New("taste: bad config")

// Validate reports the first field of c that is out of range (zero fields
// are fine: they mean the default).
func (c Config) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, a...))
	}
	if len(c.Hidden) > MaxLayers {
		return bad("%d hidden layers, at most %d", len(c.Hidden), MaxLayers)
	}
	for _, h := range c.Hidden {
		if h < 1 || h > MaxUnits {
			return bad("hidden layer of %d units, want 1 to %d", h, MaxUnits)
		}
	}
	switch c.Activation {
	case "", ReLU, Tanh, Sigmoid, Linear:
	default:
		return bad("activation %q, want %s, %s, %s or %s", c.Activation, ReLU, Tanh, Sigmoid, Linear)
	}
	switch c.ClassWeights {
	case "", Balanced, Uniform:
	default:
		return bad("class weights %q, want %s or %s", c.ClassWeights, Balanced, Uniform)
	}
	if c.BatchSize < 0 || c.BatchSize > 1<<20 {
		return bad("batch size %d", c.BatchSize)
	}
	if c.Epochs < 0 || c.Epochs > 1_000_000 {
		return bad("%d epochs", c.Epochs)
	}
	if !(c.LearnRate >= 0 && c.LearnRate < 10) {
		return bad("learning rate %v", c.LearnRate)
	}
	if math.IsNaN(c.L2) || c.L2 > 10 {
		return bad("l2 %v", c.L2)
	}
	if math.IsNaN(c.ValFrac) || c.ValFrac >= 0.9 {
		return bad("validation fraction %v, want less than 0.9", c.ValFrac)
	}
	return nil
}
