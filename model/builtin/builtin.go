package builtin

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/discoflow/disco/model"
)

//go:embed default.disco
var defaultModel []byte

// Name is the name the embedded model goes by in messages.
const Name = "builtin:default.disco"

// Load returns a fresh copy of the embedded model; callers may change it.
func Load() (*model.Model, error) {
	m, err := model.Read(bytes.NewReader(defaultModel))
	if err != nil {
		return nil, fmt.Errorf("embedded model: %w", err)
	}
	return m, nil
}

// Bytes returns the embedded model file.
func Bytes() []byte { return bytes.Clone(defaultModel) }
