package cache

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/discoflow/disco/features"
)

// A features record, the data column of the features table, is 80 bytes,
// little-endian:
//
//	offset  size  field
//	0       1     format, 1
//	1       64    the eight abstract features as float64, in features'
//	              order; NaN in all eight when not all are known
//	65      8     tempo, float64, 0 unknown
//	73      1     key, int8, -1 unknown
//	74      1     mode, int8, -1 unknown
//	75      1     time signature, uint8, 0 unknown
//	76      4     duration in ms, int32, -1 unknown
//
// One blob instead of thirteen columns makes a look-up scan three values a
// row instead of fifteen, which is most of its cost (see BenchmarkLookup).
const (
	recordFormat = 1
	recordLen    = 80
)

// appendRecord appends t's record to dst.
func appendRecord(dst []byte, t *features.Track) []byte {
	dst = append(dst, recordFormat)
	for i := range features.NumAbstract {
		x := math.NaN()
		if t.HasFeatures {
			x = t.Features[i]
		}
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(x))
	}
	dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(t.Tempo))
	key, mode := t.Key, t.Mode
	if key < -1 || key > 11 {
		key = -1
	}
	if mode < -1 || mode > 1 {
		mode = -1
	}
	dst = append(dst, byte(int8(key)), byte(int8(mode)), byte(min(max(t.TimeSignature, 0), 255)))
	dur := t.DurationMS
	if dur < -1 || dur > math.MaxInt32 {
		dur = -1
	}
	return binary.LittleEndian.AppendUint32(dst, uint32(int32(dur)))
}

// decodeRecord sets t's features from a record.
func decodeRecord(b []byte, t *features.Track) error {
	if len(b) != recordLen || b[0] != recordFormat {
		return fmt.Errorf("bad features record (%d bytes, format %d)", len(b), firstByte(b))
	}
	t.HasFeatures = true
	for i := range features.NumAbstract {
		x := math.Float64frombits(binary.LittleEndian.Uint64(b[1+8*i:]))
		if math.IsNaN(x) {
			t.HasFeatures = false
		}
		t.Features[i] = x
	}
	if !t.HasFeatures {
		t.Features = features.NoFeatures
	}
	t.Tempo = math.Float64frombits(binary.LittleEndian.Uint64(b[65:]))
	t.Key = int(int8(b[73]))
	t.Mode = int(int8(b[74]))
	t.TimeSignature = int(b[75])
	t.DurationMS = int(int32(binary.LittleEndian.Uint32(b[76:])))
	return nil
}

func firstByte(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	return int(b[0])
}
