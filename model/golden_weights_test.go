package model

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"testing"
)

// weightsHash returns the SHA-256 of w's bits, for golden comparisons.
func weightsHash(w *Weights) string {
	h := sha256.New()
	var b [8]byte
	for _, v := range w.Data {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestWeightsGolden pins the trained weights, bit for bit, of configs
// without input noise or dropout: the hashes were taken with the code
// before those options existed (commit 0a48b94), so that switching them
// off is the training as it was.
func TestWeightsGolden(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	train := ar1(rng, 40, 12, 0.5)
	val := ar1(rng, 10, 12, 0.5)
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"native-plain", Config{Workers: 2, Epochs: 3, BatchSize: 8, Seed: 5}, "5b7e5dd7790c7c793282d139cca374b037099150e1b92c14bc03d711b5fa0f59"},
		{"native-mean-tanh-decay", Config{Workers: 2, Epochs: 3, BatchSize: 8, Seed: 5, Activation: Tanh, Residual: ResidualMean, WeightDecay: 0.3, LearnRate: 0.003}, "829cf749873feab88c166ca4073d1ca090a1527383d93e0998b1a175e10d129c"},
		{"gorgonia-mean", Config{Workers: 2, Epochs: 1, BatchSize: 16, Seed: 5, Residual: ResidualMean, Engine: Gorgonia}, "af4b9dbe3bc70031c29ad17f093f6e77bbd719328eeb9451c1b2ada437a29986"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := TrainSequences(context.Background(), tc.cfg, IdentityScaler(), train, val, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			if got := weightsHash(m.Weights); got != tc.want {
				t.Errorf("weights hash %s, want %s", got, tc.want)
			}
		})
	}
}
