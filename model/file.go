package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/internal/frame"
)

// The model file format, versions 1 to 3, in the framing of package
// internal/frame. All integers are little-endian.
//
//	offset  size  content
//	0       8     magic "DISCOFLW"
//	8       4     format version, uint32 (1 to 4)
//	12      8     payload length n, uint64
//	20      n     payload: UTF-8 JSON (see fileV1)
//	20+n    32    SHA-256 of bytes 0 .. 20+n
//
// The payload is JSON so that a file is self-describing and diffable with
// `disco model info --json`; Go writes float64 values in the shortest form
// that reads back to the same bits, so weights survive exactly. The
// payload's "weights" are named tensors (see Weights.Params); a reader
// matches them by name and shape.
//
// Version 2 added the residual formulation and weight decay: its config
// holds "residual" and may hold "ewma_rate" and "weight_decay"
// (Config.Residual, Config.Rate, Config.WeightDecay). A plain model
// trained without weight decay is still written as version 1, without
// those fields, so that an older disco reads it; a version 1 file reads as
// a plain model, and one that names any of them is invalid.
//
// Version 3 added "domain" (Model.Domain: the training genres, the
// validation gain over the running mean, and the prototypes and radius
// that tell songs far from the training data). A model with a domain is
// written as version 3, one without (read from an older file) in the
// lowest version that holds it; a version 1 or 2 file with a domain is
// invalid.
//
// Version 4 added the training-only "input_noise" and "dropout"
// (Config.InputNoise, Config.Dropout), recorded when not zero: a model
// trained with either is written as version 4 (so that an older disco
// says the file is newer rather than invalid), any other as before; a
// file of an earlier version naming them is invalid.
const (
	Magic         = "DISCOFLW"
	FormatVersion = 4
	maxPayload    = 1 << 28
)

// Errors of Read and Load; test with errors.Is.
var (
	ErrNotModel   = errors.New("model: not a disco model file (bad magic)")
	ErrTruncated  = errors.New("model: model file is truncated")
	ErrChecksum   = errors.New("model: model file is corrupted (checksum mismatch)")
	ErrNewVersion = errors.New("model: model file has a newer format version")
	ErrInvalid    = errors.New("model: invalid model file")
)

// fileErrors reports the framing's errors as the model file's.
var fileErrors = frame.Errors{Name: "model", NotModel: ErrNotModel, Truncated: ErrTruncated, NewVersion: ErrNewVersion, Checksum: ErrChecksum, Invalid: ErrInvalid}

// fileV1 is the payload of a version 1 or 2 file.
type fileV1 struct {
	Format  string          `json:"format"`
	Config  Config          `json:"config"`
	Scaler  scalerJSON      `json:"scaler"`
	Weights []namedTensor   `json:"weights"`
	Info    Info            `json:"info"`
	Domain  *Domain         `json:"domain,omitempty"`
	Extra   json.RawMessage `json:"extra,omitempty"`
}

// scalerJSON holds slices, not features.Vector, so that a file with fewer
// than 8 values of one is refused rather than read with zeros.
type scalerJSON struct {
	Lambdas []float64 `json:"lambdas"`
	Means   []float64 `json:"means"`
	Stds    []float64 `json:"stds"`
}

type namedTensor struct {
	Name string    `json:"name"`
	Rows int       `json:"rows"`
	Cols int       `json:"cols"`
	Data []float64 `json:"data"`
}

const formatName = "disco flow model: 9 inputs, recurrent layers, 8 outputs"

// FileVersion returns the format version m's file is written in: the
// lowest that holds it (4 when trained with input noise or dropout; else 3
// with a domain; else 1 for a plain model trained without weight decay, 2
// otherwise).
func (m *Model) FileVersion() uint32 { return m.version() }

func (m *Model) version() uint32 {
	if m.Config.regularised() {
		return 4
	}
	if m.Domain != nil {
		return 3
	}
	if r := m.Config.Residual; (r == "" || r == ResidualNone) && m.Config.WeightDecay == 0 {
		return 1
	}
	return 2
}

// payload returns the JSON payload of m's file.
func (m *Model) payload() ([]byte, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	cfg := m.Config
	if m.version() == 1 {
		cfg.Residual = "" // a version 1 file has no such field
	}
	f := fileV1{
		Format: formatName,
		Config: cfg,
		Scaler: scalerJSON{m.Scaler.Lambdas[:], m.Scaler.Means[:], m.Scaler.Stds[:]},
		Info:   m.Info,
		Domain: m.Domain,
	}
	for _, p := range m.Weights.Params() {
		f.Weights = append(f.Weights, namedTensor(p))
	}
	payload, err := json.MarshalIndent(&f, "", " ")
	if err != nil {
		return nil, fmt.Errorf("model: encoding: %w", err)
	}
	return payload, nil
}

// WriteJSON writes m's content as the JSON document a model file holds
// (see the file format above), followed by a newline.
func (m *Model) WriteJSON(w io.Writer) error {
	payload, err := m.payload()
	if err != nil {
		return err
	}
	if _, err := w.Write(append(payload, '\n')); err != nil {
		return fmt.Errorf("model: writing: %w", err)
	}
	return nil
}

// Write writes m to w in the model file format.
func (m *Model) Write(w io.Writer) error {
	payload, err := m.payload()
	if err != nil {
		return err
	}
	if err := frame.Write(w, Magic, m.version(), payload); err != nil {
		return fmt.Errorf("model: writing: %w", err)
	}
	return nil
}

// Save writes m to path atomically (a reader never sees a partial file; a
// failed write leaves any old file in place).
func (m *Model) Save(path string) error { return frame.Save(path, "model", m.Write) }

// Load reads a model file.
func Load(path string) (*Model, error) { return frame.Load(path, "model", Read) }

// Read reads a model in the model file format from r. It refuses, with an
// error wrapping one of ErrNotModel, ErrNewVersion, ErrTruncated,
// ErrChecksum and ErrInvalid, anything that is not a complete, intact
// model of a version it knows, or whose content does not fit together
// (weights of the wrong shape, a bad config, non-finite numbers).
func Read(r io.Reader) (*Model, error) {
	version, payload, err := frame.Read(r, Magic, FormatVersion, maxPayload)
	if err != nil {
		return nil, fileErrors.Wrap(err)
	}
	var f fileV1
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	m := &Model{Config: f.Config, Info: f.Info, Domain: f.Domain}
	switch {
	case version < 3 && f.Domain != nil:
		return nil, fmt.Errorf("%w: a version %d file with a domain", ErrInvalid, version)
	case version < 4 && m.Config.regularised():
		return nil, fmt.Errorf("%w: a version %d file with input noise %v or dropout %v", ErrInvalid, version, m.Config.InputNoise, m.Config.Dropout)
	case version == 1 && (m.Config.Residual != "" || m.Config.Rate != 0 || m.Config.WeightDecay != 0):
		return nil, fmt.Errorf("%w: a version 1 file with residual %q or weight decay %v", ErrInvalid, m.Config.Residual, m.Config.WeightDecay)
	case version == 1:
		m.Config.Residual = ResidualNone
	case m.Config.Residual == "":
		return nil, fmt.Errorf("%w: a version %d file without a residual formulation", ErrInvalid, version)
	}
	for _, v := range []struct {
		name string
		dst  *features.Vector
		src  []float64
	}{{"lambdas", &m.Scaler.Lambdas, f.Scaler.Lambdas}, {"means", &m.Scaler.Means, f.Scaler.Means}, {"stds", &m.Scaler.Stds, f.Scaler.Stds}} {
		if len(v.src) != NumOutputs {
			return nil, fmt.Errorf("%w: scaler has %d %s, want %d", ErrInvalid, len(v.src), v.name, NumOutputs)
		}
		copy(v.dst[:], v.src)
	}
	// Check the shapes against the decoded data before allocating, so that
	// a file cannot ask for more memory than it holds.
	if err := m.Config.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	hidden := m.Config.Defaults().Hidden
	total := 0
	for _, t := range f.Weights {
		total += len(t.Data)
	}
	if n := numParams(hidden); n != total {
		return nil, fmt.Errorf("%w: %d weights for layers %v, want %d", ErrInvalid, total, hidden, n)
	}
	m.Weights = NewWeights(hidden)
	ps := m.Weights.Params()
	if len(f.Weights) != len(ps) {
		return nil, fmt.Errorf("%w: %d weight tensors, want %d for layers %v", ErrInvalid, len(f.Weights), len(ps), m.Weights.Hidden)
	}
	for i, p := range ps {
		t := f.Weights[i]
		if t.Name != p.Name || t.Rows != p.Rows || t.Cols != p.Cols || len(t.Data) != len(p.Data) {
			return nil, fmt.Errorf("%w: weight tensor %d is %s %dx%d (%d values), want %s %dx%d",
				ErrInvalid, i, t.Name, t.Rows, t.Cols, len(t.Data), p.Name, p.Rows, p.Cols)
		}
		copy(p.Data, t.Data)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return m, nil
}

// Magnitudes beyond what fitting and training make: a model file with a
// larger value is refused as invalid, checksum or not.
const (
	MaxLambda = 100  // |Yeo-Johnson lambda|; fits are bracketed near (-2, 2)
	MaxScale  = 1e12 // |mean| and deviation of a transformed feature
	MaxWeight = 1e4  // |network weight|
)

// check reports whether m's parts fit together.
func (m *Model) check() error {
	if err := m.Config.Validate(); err != nil {
		return err
	}
	if m.Weights == nil {
		return fmt.Errorf("model: no weights")
	}
	if err := m.Weights.check(); err != nil {
		return err
	}
	if h := m.Config.Defaults().Hidden; fmt.Sprint(h) != fmt.Sprint(m.Weights.Hidden) {
		return fmt.Errorf("model: weights for layers %v, config says %v", m.Weights.Hidden, h)
	}
	if m.Config.Residual == ResidualEWMA && !(m.Config.Rate > 0) {
		return fmt.Errorf("model: an EWMA baseline without a rate")
	}
	if m.Domain != nil {
		if err := m.Domain.check(); err != nil {
			return err
		}
	}
	for i := range NumOutputs {
		l, mu, sd := m.Scaler.Lambdas[i], m.Scaler.Means[i], m.Scaler.Stds[i]
		if math.IsNaN(l+mu+sd) || math.IsInf(l+mu+sd, 0) || !(sd > 0) || math.Abs(l) > MaxLambda || math.Abs(mu) > MaxScale || sd > MaxScale {
			return fmt.Errorf("model: scaler for %s has lambda %v, mean %v, deviation %v",
				features.AbstractNames[i], l, mu, sd)
		}
	}
	return nil
}

func sha256Sum(b []byte) [sha256.Size]byte { return sha256.Sum256(b) }
