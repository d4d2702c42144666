package model

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/discoflow/disco/features"
)

// The shape of DISCO's network at its two ends: 9 inputs per step (the mode,
// then the 8 scaled abstract features) and 8 outputs (the scaled abstract
// features of the next song).
const (
	NumInputs  = 1 + features.NumAbstract
	NumOutputs = features.NumAbstract
)

// Activations of the recurrent layers.
const (
	Linear = "linear" // h = xW + hU + b, as in DISCO
	Tanh   = "tanh"   // h = tanh(xW + hU + b)
)

// Training engines. Both train the same network on the same batches and
// agree to rounding (tests hold them to 1e-9 on losses and gradients).
const (
	// Native is disco's own forward pass and back-propagation through time
	// in plain Go: the fast engine and the default.
	Native = "native"
	// Gorgonia runs the network as a Gorgonia expression graph with
	// symbolic gradients: the reference engine.
	Gorgonia = "gorgonia"
)

// Config is the configuration of a flow model and of its training. The zero
// value means DISCO's defaults (listed per field); Defaults returns the
// config with them filled in. Only the fields that shape the network
// (Hidden, Activation, Residual, Rate) matter at inference; the rest is
// recorded in the model file for the record.
type Config struct {
	// Hidden holds the units of each recurrent layer, first layer first; its
	// length is the number of layers. Default [16, 16].
	Hidden []int `json:"hidden"`
	// Activation of the recurrent layers: Linear (default) or Tanh. The
	// output layer is always linear.
	Activation string `json:"activation"`

	// BatchSize is the number of sequences per gradient step. Default 32.
	BatchSize int `json:"batch_size"`
	// Epochs is the maximum number of passes over the training sequences.
	// Default 10.
	Epochs int `json:"epochs"`
	// LearnRate is Adam's step size. Default 0.001. Adam's other
	// parameters are Keras's: beta1 0.9, beta2 0.999, epsilon 1e-7.
	LearnRate float64 `json:"learn_rate"`
	// Seed seeds the initial weights and the order of batches (0 is a seed
	// like any other).
	Seed uint64 `json:"seed"`

	// Window is the number of steps (transitions) per training sequence,
	// T. Default 50, DISCO's padding length.
	Window int `json:"window"`
	// Stride is the distance between the starts of consecutive windows
	// over a playlist with more than Window transitions. Default Window/2
	// (25): every transition is in one or two windows, and a last window
	// is aligned to the end so that none is left out.
	Stride int `json:"stride"`
	// MinLen is the fewest consecutive tracks with features that make a
	// sequence; shorter runs are dropped. Default 2 (one transition), and
	// it cannot be less.
	MinLen int `json:"min_len"`

	// Workers is the number of data-parallel replicas. Default
	// runtime.GOMAXPROCS(0). It changes only the speed: the same seed and
	// data give bit-identical weights with any number of workers (see the
	// package doc).
	Workers int `json:"workers"`
	// Patience is how many epochs without a better validation MAE training
	// goes on for before it stops early. Default 3; negative means never
	// stop early. The best epoch's weights are kept either way.
	Patience int `json:"patience"`
	// ValFrac is the fraction of playlists held out for validation by
	// callers that split (the CLI, Fit). Default 0.1; negative means none.
	ValFrac float64 `json:"val_frac"`
	// Engine is Native (default) or Gorgonia.
	Engine string `json:"engine"`

	// Residual is the formulation: ResidualNone (the default, DISCO's:
	// the network's output is the prediction), ResidualMean or
	// ResidualEWMA (the network's output is a correction added to the
	// running mean, or the exponentially weighted mean, of the scaled
	// features of the songs so far, so that a zero output predicts the
	// baseline). It shapes the predictions, so it matters at inference.
	// A residual model's output layer starts at zero, and its validation
	// score before the first epoch is the one to beat (see Train).
	Residual string `json:"residual,omitempty"`
	// Rate is the EWMA baseline's rate in (0, 1]: e_0 = x_0,
	// e_t = e_{t-1} + Rate (x_t - e_{t-1}). Zero, the default, means
	// fitted on the training runs (FitRate); a trained model's config
	// holds the rate it uses. Only for ResidualEWMA.
	Rate float64 `json:"ewma_rate,omitempty"`
	// WeightDecay is AdamW's decoupled weight decay: after each Adam step
	// every weight w becomes w - LearnRate*WeightDecay*w. It pulls the
	// network's output towards zero, which for a residual model is the
	// baseline. Default 0, none.
	WeightDecay float64 `json:"weight_decay,omitempty"`

	// InputNoise is the standard deviation of Gaussian noise added, in
	// training only, to the network's 8 scaled feature inputs of every
	// real step (not the mode, not the targets, not a residual model's
	// baseline). Default 0, none. The noise is drawn from PCG streams
	// keyed by Seed, the gradient step and the chunk of the batch, so it
	// depends neither on the engine nor on the number of workers.
	InputNoise float64 `json:"input_noise,omitempty"`
	// Dropout is the probability, in training only, that a unit of a
	// recurrent layer's output is zeroed on its way to the next recurrent
	// layer (inverted dropout: the kept ones are scaled by 1/(1-Dropout);
	// the recurrence within a layer and the output layer's input are not
	// touched; a mask per step). In [0, 1); it needs two layers or more.
	// Inference is unchanged. Default 0, none. Drawn like InputNoise.
	Dropout float64 `json:"dropout,omitempty"`
}

// regularised reports whether training perturbs the network (InputNoise
// or Dropout): only then does it draw random numbers per batch.
func (c Config) regularised() bool { return c.InputNoise != 0 || c.Dropout != 0 }

// Defaults returns c with every zero field set to its default. It does not
// validate; see Validate.
func (c Config) Defaults() Config {
	if len(c.Hidden) == 0 {
		c.Hidden = []int{16, 16}
	} else {
		c.Hidden = append([]int(nil), c.Hidden...)
	}
	if c.Activation == "" {
		c.Activation = Linear
	}
	if c.BatchSize == 0 {
		c.BatchSize = 32
	}
	if c.Epochs == 0 {
		c.Epochs = 10
	}
	if c.LearnRate == 0 {
		c.LearnRate = 0.001
	}
	if c.Window == 0 {
		c.Window = 50
	}
	if c.Stride == 0 {
		c.Stride = max(1, c.Window/2)
	}
	if c.MinLen == 0 {
		c.MinLen = 2
	}
	if c.Workers == 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.Patience == 0 {
		c.Patience = 3
	}
	if c.ValFrac == 0 {
		c.ValFrac = 0.1
	}
	if c.Engine == "" {
		c.Engine = Native
	}
	if c.Residual == "" {
		c.Residual = ResidualNone
	}
	return c
}

// ErrConfig is wrapped by every error of Config.Validate.
var ErrConfig = errors.New("model: bad config")

// Validate reports the first field of c (with defaults filled in) that is
// out of range.
func (c Config) Validate() error {
	c = c.Defaults()
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, args...))
	}
	for i, h := range c.Hidden {
		if h < 1 || h > 4096 {
			return bad("hidden layer %d has %d units (want 1..4096)", i+1, h)
		}
	}
	if len(c.Hidden) > 16 {
		return bad("%d layers (want at most 16)", len(c.Hidden))
	}
	switch {
	case c.Activation != Linear && c.Activation != Tanh:
		return bad("activation %q (want %q or %q)", c.Activation, Linear, Tanh)
	case c.BatchSize < 1:
		return bad("batch size %d", c.BatchSize)
	case c.Epochs < 1:
		return bad("epochs %d", c.Epochs)
	case !(c.LearnRate > 0 && c.LearnRate < 10):
		return bad("learning rate %v", c.LearnRate)
	case c.Window < 1 || c.Window > 255:
		// The Gorgonia engine slices the time axis; keeping it below 256
		// steers clear of its slice-hash fault (see the package doc).
		return bad("window %d (want 1..255)", c.Window)
	case c.Stride < 1:
		return bad("stride %d", c.Stride)
	case c.MinLen < 2:
		return bad("min length %d (want at least 2)", c.MinLen)
	case c.Workers < 1 || c.Workers > 1024:
		return bad("workers %d", c.Workers)
	case c.ValFrac >= 1:
		return bad("validation fraction %v (want below 1)", c.ValFrac)
	case c.Engine != Native && c.Engine != Gorgonia:
		return bad("engine %q (want %q or %q)", c.Engine, Native, Gorgonia)
	case c.Residual != ResidualNone && c.Residual != ResidualMean && c.Residual != ResidualEWMA:
		return bad("residual %q (want %q, %q or %q)", c.Residual, ResidualNone, ResidualMean, ResidualEWMA)
	case !(c.Rate >= 0 && c.Rate <= 1):
		return bad("EWMA rate %v (want 0..1, 0 to fit it)", c.Rate)
	case !(c.WeightDecay >= 0 && c.WeightDecay*c.LearnRate < 1):
		return bad("weight decay %v (want 0 or more, below 1/learning rate)", c.WeightDecay)
	case !(c.InputNoise >= 0 && c.InputNoise <= 10):
		return bad("input noise %v (want a standard deviation in 0..10 scaled units)", c.InputNoise)
	case !(c.Dropout >= 0 && c.Dropout < 1):
		return bad("dropout %v (want a probability in [0, 1))", c.Dropout)
	case c.Dropout != 0 && len(c.Hidden) < 2:
		return bad("dropout %v with %d recurrent layer (dropout is between recurrent layers: want two or more)", c.Dropout, len(c.Hidden))
	case c.Rate != 0 && c.Residual != ResidualEWMA:
		return bad("EWMA rate %v for residual %q", c.Rate, c.Residual)
	}
	return nil
}
