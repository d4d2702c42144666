package taste

import (
	"fmt"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model/scale"
)

// Model is a trained taste model: the labels it tells apart, the scaler of
// its inputs, the network and how it was trained.
type Model struct {
	Labels []string     // in output order; at least two, distinct
	Config Config       // with defaults filled in
	Scaler scale.Scaler // fitted on the training songs
	Net    *Net         // the best epoch's weights
	Info   Info         // the training record
}

// Label returns the index of the label called name, or -1.
func (m *Model) Label(name string) int {
	for i, l := range m.Labels {
		if l == name {
			return i
		}
	}
	return -1
}

// Predictor computes a model's probabilities for one song at a time
// without allocating. It is not safe for concurrent use; make one per
// goroutine.
type Predictor struct {
	m   *Model
	buf Buffer
	x   Input
	p   []float64
}

// NewPredictor returns a Predictor of m.
func (m *Model) NewPredictor() *Predictor {
	return &Predictor{m: m, p: make([]float64, len(m.Labels))}
}

// Probs returns the probability of each of the model's labels for t, in a
// slice that the next call overwrites, or an error if t has no features.
func (p *Predictor) Probs(t *features.Track) ([]float64, error) {
	x, err := Inputs(&p.m.Scaler, t)
	if err != nil {
		return nil, err
	}
	p.x = x
	return p.m.Net.Probs(p.p, &p.buf, p.x[:p.m.Net.Sizes[0]]), nil
}

// Hidden returns the activations of the last hidden layer for t (the
// scaled inputs for a model without hidden layers), in a slice that the
// next call overwrites, or an error if t has no features.
func (p *Predictor) Hidden(t *features.Track) ([]float64, error) {
	x, err := Inputs(&p.m.Scaler, t)
	if err != nil {
		return nil, err
	}
	p.x = x
	return p.m.Net.Hidden(&p.buf, p.x[:p.m.Net.Sizes[0]]), nil
}

// check reports whether m's parts fit together.
func (m *Model) check() error {
	if len(m.Labels) < 2 {
		return fmt.Errorf("%w, got %d", ErrLabels, len(m.Labels))
	}
	seen := map[string]bool{}
	for _, l := range m.Labels {
		if l == "" || seen[l] {
			return fmt.Errorf("taste: label %q empty or repeated", l)
		}
		seen[l] = true
	}
	if err := m.Config.Validate(); err != nil {
		return err
	}
	if m.Net == nil {
		return fmt.Errorf("taste: no network")
	}
	if err := m.Net.check(); err != nil {
		return err
	}
	if got, want := m.Net.Sizes[len(m.Net.Sizes)-1], numOutputs(len(m.Labels)); got != want {
		return fmt.Errorf("taste: %d outputs for %d labels, want %d", got, len(m.Labels), want)
	}
	if got, want := m.Net.Sizes[0], inputsOf(m.Config); got != want {
		return fmt.Errorf("taste: network of %d inputs, config says %d", got, want)
	}
	if err := m.Scaler.Validate(); err != nil {
		return err
	}
	return nil
}
