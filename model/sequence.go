package model

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"math"

	"github.com/discoflow/disco/features"
	"github.com/discoflow/disco/model/scale"
)

// Sequence is a run of consecutive steps of one playlist: step t holds the
// network input of the t-th track (Input). The network reads steps
// 0..n-2 and is trained to predict, at each, the scaled features of the next
// step (steps 1..n-1, without the mode). A Sequence has at least 2 steps.
type Sequence [][NumInputs]float64

// Len returns the number of transitions, n-1.
func (s Sequence) Len() int { return len(s) - 1 }

// Target returns the target at transition t: the scaled features of step
// t+1.
func (s Sequence) Target(t int) *[NumOutputs]float64 {
	return (*[NumOutputs]float64)(s[t+1][1:])
}

// Input returns the network input for track t: its mode
// (features.ModeInput: 1 major, 0 minor, 0.5 unknown) followed by its eight
// abstract features scaled by s. A track without features gives NaN in the
// eight positions.
func Input(t *features.Track, s *scale.Scaler) [NumInputs]float64 {
	var in [NumInputs]float64
	in[0] = features.ModeInput(t.Mode)
	z := s.Transform(t.Features)
	copy(in[1:], z[:])
	return in
}

// Runs returns the runs of consecutive tracks with features of the given
// playlists, as inputs scaled by s, in playlist order. A track without
// features ends a run: the tracks on either side of it were not neighbours
// in the playlist, so their transition is not a real one and a run is never
// bridged across it. Runs shorter than minLen (at least 2) are dropped.
func Runs(pls []*features.Playlist, s *scale.Scaler, minLen int) []Sequence {
	minLen = max(minLen, 2)
	var out []Sequence
	for _, p := range pls {
		var run Sequence
		flush := func() {
			if len(run) >= minLen {
				out = append(out, run)
			}
			run = nil
		}
		for _, t := range p.Tracks {
			if t == nil || !t.HasFeatures {
				flush()
				continue
			}
			run = append(run, Input(t, s))
		}
		flush()
	}
	return out
}

// Windows cuts runs into training sequences of at most window transitions.
// A run of up to window transitions is one sequence. A longer one gives
// windows starting at 0, stride, 2*stride, ... while they fit, and one more
// aligned to the run's end if the last start left transitions out, so that
// every transition is in at least one window. The windows share memory with
// the runs.
func Windows(runs []Sequence, window, stride int) []Sequence {
	window, stride = max(window, 1), max(stride, 1)
	var out []Sequence
	for _, r := range runs {
		n := r.Len()
		if n <= window {
			out = append(out, r)
			continue
		}
		s := 0
		for ; s+window <= n; s += stride {
			out = append(out, r[s:s+window+1])
		}
		if last := s - stride; last+window < n {
			out = append(out, r[n-window:])
		}
	}
	return out
}

// trainingTracks returns the distinct tracks with features of the given
// playlists, in order of first appearance (by pointer and then by id).
func trainingTracks(pls []*features.Playlist) []features.Vector {
	seen := make(map[string]bool)
	var xs []features.Vector
	for _, p := range pls {
		for _, t := range p.Tracks {
			if t == nil || !t.HasFeatures || seen[t.ID] {
				continue
			}
			seen[t.ID] = true
			xs = append(xs, t.Features)
		}
	}
	return xs
}

// Fingerprint returns the hex SHA-256 of the training and validation
// playlists as the model sees them: for each playlist in order its id and,
// per track, its id, mode and the bits of its eight raw features (NaN for a
// track without them). The same data in the same order gives the same
// fingerprint.
func Fingerprint(train, val []*features.Playlist) string {
	h := sha256.New()
	write := func(name string, pls []*features.Playlist) {
		writeString(h, name)
		writeUint(h, uint64(len(pls)))
		for _, p := range pls {
			writeString(h, p.ID)
			writeUint(h, uint64(len(p.Tracks)))
			for _, t := range p.Tracks {
				if t == nil {
					writeString(h, "")
					continue
				}
				writeString(h, t.ID)
				writeUint(h, uint64(int64(t.Mode)))
				f := t.Features
				if !t.HasFeatures {
					f = features.NoFeatures
				}
				for _, v := range f {
					writeUint(h, math.Float64bits(v))
				}
			}
		}
	}
	write("train", train)
	write("val", val)
	return hex.EncodeToString(h.Sum(nil))
}

func writeUint(h hash.Hash, v uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	h.Write(b[:])
}

func writeString(h hash.Hash, s string) {
	writeUint(h, uint64(len(s)))
	h.Write([]byte(s))
}

// ErrNoData is returned when there is nothing to train on.
var ErrNoData = errors.New("model: no training sequences")

// steps returns the total number of transitions of seqs.
func steps(seqs []Sequence) int {
	n := 0
	for _, s := range seqs {
		n += s.Len()
	}
	return n
}

func checkSequences(seqs []Sequence, window int) error {
	for i, s := range seqs {
		if len(s) < 2 {
			return fmt.Errorf("model: sequence %d has %d steps, want at least 2", i, len(s))
		}
		if window > 0 && s.Len() > window {
			return fmt.Errorf("model: sequence %d has %d transitions, more than the window %d", i, s.Len(), window)
		}
		for t := range s {
			for _, v := range s[t] {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("model: sequence %d step %d holds %v", i, t, v)
				}
			}
		}
	}
	return nil
}
