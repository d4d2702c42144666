package taste

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/discoflow/disco/internal/frame"
)

// The taste model file format, version 1, in the framing of the flow
// model's (package internal/frame) under its own magic. All integers are little-endian.
//
//	offset  size  content
//	0       8     magic "DISCOTST"
//	8       4     format version, uint32 (FormatVersion)
//	12      8     payload length n, uint64
//	20      n     payload: UTF-8 JSON (see fileV1)
//	20+n    32    SHA-256 of bytes 0 .. 20+n
//
// Go writes float64 values in the shortest form that reads back to the
// same bits, so weights survive exactly.
const (
	Magic         = "DISCOTST"
	FormatVersion = 1
	maxPayload    = 1 << 28
	flowMagic     = "DISCOFLW"
)

// Errors of Read and Load; test with errors.Is.
var (
	ErrNotModel   = errors.New("taste: not a disco taste model file (bad magic)")
	ErrFlowModel  = errors.New("taste: this is a disco flow model file, not a taste model (make one with disco taste train)")
	ErrTruncated  = errors.New("taste: taste model file is truncated")
	ErrChecksum   = errors.New("taste: taste model file is corrupted (checksum mismatch)")
	ErrNewVersion = errors.New("taste: taste model file has a newer format version")
	ErrInvalid    = errors.New("taste: invalid taste model file")
)

// fileErrors reports the framing's errors as the taste model file's.
var fileErrors = frame.Errors{Name: "taste", NotModel: ErrNotModel, Truncated: ErrTruncated, NewVersion: ErrNewVersion, Checksum: ErrChecksum, Invalid: ErrInvalid}

type fileV1 struct {
	Format string     `json:"format"`
	Labels []string   `json:"labels"`
	Config Config     `json:"config"`
	Scaler scalerJSON `json:"scaler"`
	Net    netJSON    `json:"net"`
	Info   Info       `json:"info"`
}

// scalerJSON holds slices so that a file with fewer than 8 values is
// refused rather than read with zeros.
type scalerJSON struct {
	Lambdas []float64 `json:"lambdas"`
	Means   []float64 `json:"means"`
	Stds    []float64 `json:"stds"`
}

type netJSON struct {
	Sizes      []int     `json:"sizes"`
	Activation string    `json:"activation"`
	Data       []float64 `json:"data"`
}

const formatName = "disco taste model: 9 inputs, dense layers, label probabilities"

func (m *Model) payload() ([]byte, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	f := fileV1{
		Format: formatName,
		Labels: m.Labels,
		Config: m.Config,
		Scaler: scalerJSON{m.Scaler.Lambdas[:], m.Scaler.Means[:], m.Scaler.Stds[:]},
		Net:    netJSON{m.Net.Sizes, m.Net.Activation, m.Net.Data},
		Info:   m.Info,
	}
	b, err := json.MarshalIndent(&f, "", " ")
	if err != nil {
		return nil, fmt.Errorf("taste: encoding: %w", err)
	}
	return b, nil
}

// Write writes m to w in the taste model file format.
func (m *Model) Write(w io.Writer) error {
	payload, err := m.payload()
	if err != nil {
		return err
	}
	if err := frame.Write(w, Magic, FormatVersion, payload); err != nil {
		return fmt.Errorf("taste: writing: %w", err)
	}
	return nil
}

// Save writes m to path atomically (a reader never sees a partial file; a
// failed write leaves any old file in place).
func (m *Model) Save(path string) error { return frame.Save(path, "taste", m.Write) }

// Load reads a taste model file.
func Load(path string) (*Model, error) { return frame.Load(path, "taste", Read) }

// Read reads a taste model from r. It refuses, with an error wrapping one
// of ErrNotModel (ErrFlowModel for a flow model file), ErrNewVersion,
// ErrTruncated, ErrChecksum and ErrInvalid, anything that is not a
// complete, intact taste model of a version it knows, or whose parts do
// not fit together.
func Read(r io.Reader) (*Model, error) {
	_, payload, err := frame.Read(r, Magic, FormatVersion, maxPayload)
	var me *frame.MagicError
	if errors.As(err, &me) && me.Got == flowMagic {
		return nil, fmt.Errorf("%w (%w)", ErrFlowModel, ErrNotModel)
	}
	if err != nil {
		return nil, fileErrors.Wrap(err)
	}
	var f fileV1
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	m := &Model{Labels: f.Labels, Config: f.Config, Info: f.Info,
		Net: &Net{Sizes: f.Net.Sizes, Activation: f.Net.Activation, Data: f.Net.Data}}
	for _, v := range []struct {
		name string
		dst  []float64
		src  []float64
	}{{"lambdas", m.Scaler.Lambdas[:], f.Scaler.Lambdas}, {"means", m.Scaler.Means[:], f.Scaler.Means}, {"stds", m.Scaler.Stds[:], f.Scaler.Stds}} {
		if len(v.src) != len(v.dst) {
			return nil, fmt.Errorf("%w: scaler has %d %s, want %d", ErrInvalid, len(v.src), v.name, len(v.dst))
		}
		copy(v.dst, v.src)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if fmt.Sprint(m.Net.Sizes[1:len(m.Net.Sizes)-1]) != fmt.Sprint(m.Config.Hidden) || m.Net.Activation != m.Config.Activation {
		return nil, fmt.Errorf("%w: network %v %s, config says %v %s", ErrInvalid, m.Net.Sizes, m.Net.Activation, m.Config.Hidden, m.Config.Activation)
	}
	return m, nil
}
