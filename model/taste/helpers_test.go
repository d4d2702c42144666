package taste

import (
	"crypto/sha256"
	"encoding/json"
)

func sha256Sum(b []byte) [sha256.Size]byte { return sha256.Sum256(b) }

// marshalUnchecked encodes m's payload without check, to make files
// that are intact but wrong.
func marshalUnchecked(m *Model) ([]byte, error) {
	f := fileV1{Format: formatName, Labels: m.Labels, Config: m.Config,
		Scaler: scalerJSON{m.Scaler.Lambdas[:], m.Scaler.Means[:], m.Scaler.Stds[:]},
		Net:    netJSON{m.Net.Sizes, m.Net.Activation, m.Net.Data}, Info: m.Info}
	return json.Marshal(&f)
}
