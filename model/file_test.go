package model

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"github.com/discoflow/disco/internal/frame"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// testModel trains a small model quickly.
func testModel(t testing.TB) *Model {
	t.Helper()
	rng := rand.New(rand.NewPCG(21, 22))
	train := ar1(rng, 20, 8, 0.5)
	val := ar1(rng, 5, 8, 0.5)
	m, err := TrainSequences(context.Background(), Config{Epochs: 2, Workers: 1, BatchSize: 4, Seed: 5}, IdentityScaler(), train, val, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	m.Info.TargetMean, m.Info.TargetMAD = targetStats(val)
	ev := m.evaluateRuns(val)
	m.Info.Eval = &ev
	m.Info.Data = []string{"synthetic"}
	return m
}

func encode(t *testing.T, m *Model) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSaveLoadPredict(t *testing.T) {
	m := testModel(t)
	path := filepath.Join(t.TempDir(), "m.disco")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Weights.Data, m.Weights.Data) {
		t.Fatal("weights changed in the round trip")
	}
	if got.Scaler != m.Scaler || got.Info.Fingerprint != m.Info.Fingerprint || got.Info.BestEpoch != m.Info.BestEpoch ||
		*got.Info.Eval != *m.Info.Eval || len(got.Info.History) != len(m.Info.History) {
		t.Error("scaler or info changed in the round trip")
	}
	rng := rand.New(rand.NewPCG(1, 1))
	seq := randSeqs(rng, 1, 30, 30)[0]
	p, q := m.NewPredictor(), got.NewPredictor()
	for i := range seq {
		if a, b := p.Step(&seq[i]), q.Step(&seq[i]); a != b {
			t.Fatalf("step %d: prediction %v before saving, %v after", i, a, b)
		}
	}
	// Writing the loaded model gives the same bytes.
	if !bytes.Equal(encode(t, m), encode(t, got)) {
		t.Error("re-encoding a loaded model changes its bytes")
	}
}

func TestReadRefuses(t *testing.T) {
	good := encode(t, testModel(t))
	mutate := func(f func([]byte) []byte) []byte { return f(bytes.Clone(good)) }
	newer := mutate(func(b []byte) []byte {
		binary.LittleEndian.PutUint32(b[8:12], FormatVersion+1)
		return b
	})
	for _, tc := range []struct {
		name string
		data []byte
		want error
		text string
	}{
		{"empty", nil, ErrTruncated, "truncated"},
		{"magic-only", good[:8], ErrTruncated, "truncated"},
		{"half-header", good[:15], ErrTruncated, "truncated"},
		{"header-only", good[:frame.HeaderSize], ErrTruncated, "truncated"},
		{"cut-payload", good[:len(good)/2], ErrTruncated, "truncated"},
		{"no-checksum", good[:len(good)-32], ErrTruncated, "truncated"},
		{"cut-last-byte", good[:len(good)-1], ErrTruncated, "truncated"},
		{"flip-payload", mutate(func(b []byte) []byte { b[len(b)/2] ^= 0x20; return b }), ErrChecksum, "checksum"},
		{"flip-checksum", mutate(func(b []byte) []byte { b[len(b)-1] ^= 1; return b }), ErrChecksum, "checksum"},
		{"flip-length", mutate(func(b []byte) []byte { b[12]++; return b }), ErrTruncated, "truncated"},
		{"foreign", []byte("PK\x03\x04 this is a zip file, not a model"), ErrNotModel, "not a disco model"},
		{"foreign-short", []byte("{"), ErrNotModel, "not a disco model"},
		{"gzip", []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, ErrNotModel, "not a disco model"},
		{"newer", newer, ErrNewVersion, "newer format version: version 5, this disco reads up to 4"},
		{"version-0", mutate(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:12], 0); return b }), ErrInvalid, "version 0"},
		{"trailing-garbage-ok", append(bytes.Clone(good), "xyz"...), nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Read(bytes.NewReader(tc.data))
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Read: %v", err)
				}
				return
			}
			if m != nil || !errors.Is(err, tc.want) {
				t.Fatalf("Read = %v, %v; want error %v", m, err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.text) {
				t.Errorf("error %q does not say %q", err, tc.text)
			}
		})
	}
}

// TestReadRefusesInconsistent re-signs payloads whose content does not fit
// together: the checksum passes, the content check must not.
func TestReadRefusesInconsistent(t *testing.T) {
	good := encode(t, testModel(t))
	payload := string(good[frame.HeaderSize : len(good)-32])
	for _, tc := range []struct{ name, old, new string }{
		{"layers", `"hidden": [`, `"hidden": [3,`},
		{"activation", `"activation": "linear"`, `"activation": "relu"`},
		{"weight-name", `"name": "rnn1/U"`, `"name": "rnn1/V"`},
		{"unknown-field", `"format":`, `"surprise": 1, "format":`},
		{"not-json", `{`, `[`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := strings.Replace(payload, tc.old, tc.new, 1)
			if p == payload {
				t.Fatalf("payload has no %q", tc.old)
			}
			_, err := Read(bytes.NewReader(sign([]byte(p))))
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Read: %v, want ErrInvalid", err)
			}
		})
	}
}

// sign frames a payload as a version 1 file with a valid checksum.
func sign(payload []byte) []byte { return signVersion(payload, 1) }

// signVersion frames a payload as a file of the given version with a
// valid checksum.
func signVersion(payload []byte, version uint32) []byte {
	var buf bytes.Buffer
	buf.WriteString(Magic)
	binary.Write(&buf, binary.LittleEndian, version)
	binary.Write(&buf, binary.LittleEndian, uint64(len(payload)))
	buf.Write(payload)
	h := sha256Sum(buf.Bytes())
	buf.Write(h[:])
	return buf.Bytes()
}

func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	if err := testModel(f).Write(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(Magic))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Read(bytes.NewReader(data))
		if err != nil {
			if m != nil {
				t.Fatal("model and error")
			}
			return
		}
		// Anything accepted is usable and re-encodes to a file that reads
		// back to the same weights.
		p := m.NewPredictor()
		var in [NumInputs]float64
		p.Step(&in)
		var out bytes.Buffer
		if err := m.Write(&out); err != nil {
			t.Fatalf("accepted model does not write: %v", err)
		}
		m2, err := Read(&out)
		if err != nil || !slices.Equal(m.Weights.Data, m2.Weights.Data) {
			t.Fatalf("round trip of an accepted model: %v", err)
		}
	})
}

// TestReadRefusesSemantic: a re-signed file whose scaler has 3 of 8
// lambdas, or whose numbers are beyond what fitting and training make, is
// refused like a truncated one (issue 16, item 6).
func TestReadRefusesSemantic(t *testing.T) {
	good := encode(t, testModel(t))
	payload := string(good[frame.HeaderSize : len(good)-32])
	for _, tc := range []struct{ name, re, new, want string }{
		{"3 of 8 lambdas", `"lambdas":\s*\[[^\]]*\]`, `"lambdas": [1, 1, 1]`, "3 lambdas, want 8"},
		{"9 stds", `"stds":\s*\[`, `"stds": [1, `, "9 stds, want 8"},
		{"lambda 1e6", `"lambdas":\s*\[\s*[-0-9.e+]+`, `"lambdas": [1e6`, "lambda 1e+06"},
		{"weight 1e308", `"data":\s*\[\s*[-0-9.e+]+`, `"data": [1e308`, "beyond"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := regexp.MustCompile(tc.re).ReplaceAllString(payload, tc.new)
			if p == payload {
				t.Fatalf("payload has no %s", tc.re)
			}
			_, err := Read(bytes.NewReader(sign([]byte(p))))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Read: %v, want ErrInvalid saying %q", err, tc.want)
			}
		})
	}
}

// residualModel trains a small residual model quickly.
func residualModel(t testing.TB, kind string) *Model {
	t.Helper()
	rng := rand.New(rand.NewPCG(21, 22))
	train := ar1(rng, 20, 8, 0.5)
	val := ar1(rng, 5, 8, 0.5)
	m, err := TrainSequences(context.Background(), Config{Epochs: 2, Workers: 1, BatchSize: 4, Seed: 5, Residual: kind}, IdentityScaler(), train, val, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	m.Info.TargetMean, m.Info.TargetMAD = targetStats(val)
	ev := m.evaluateRuns(val)
	m.Info.Eval = &ev
	return m
}

// TestFileVersions: a plain model is written as version 1, a residual one
// as version 2; both read back to the same predictions; the version 1 file
// of an older disco (the embedded model before residual models) still
// loads, as a plain model.
func TestFileVersions(t *testing.T) {
	for _, tc := range []struct {
		name    string
		m       *Model
		version uint32
	}{
		{"plain", testModel(t), 1},
		{"mean", residualModel(t, ResidualMean), 2},
		{"ewma", residualModel(t, ResidualEWMA), 2},
		{"plain-weight-decay", func() *Model { m := testModel(t); m.Config.WeightDecay = 0.5; return m }(), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := encode(t, tc.m)
			if v := binary.LittleEndian.Uint32(b[8:12]); v != tc.version || tc.m.FileVersion() != tc.version {
				t.Errorf("written as version %d (FileVersion %d), want %d", v, tc.m.FileVersion(), tc.version)
			}
			if tc.version == 1 && bytes.Contains(b, []byte(`"residual"`)) {
				t.Error("a version 1 file names a residual")
			}
			got, err := Read(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if got.Config.Residual != tc.m.Config.Residual || got.Config.Rate != tc.m.Config.Rate || got.Config.WeightDecay != tc.m.Config.WeightDecay {
				t.Errorf("residual %q rate %v read back as %q %v", tc.m.Config.Residual, tc.m.Config.Rate, got.Config.Residual, got.Config.Rate)
			}
			rng := rand.New(rand.NewPCG(1, 1))
			seq := randSeqs(rng, 1, 20, 20)[0]
			p, q := tc.m.NewPredictor(), got.NewPredictor()
			for i := range seq {
				if a, b := p.Step(&seq[i]), q.Step(&seq[i]); a != b {
					t.Fatalf("step %d: prediction %v before saving, %v after", i, a, b)
				}
			}
			if !bytes.Equal(b, encode(t, got)) {
				t.Error("re-encoding a loaded model changes its bytes")
			}
		})
	}
	t.Run("old-v1-file", func(t *testing.T) {
		m, err := Load(filepath.Join("testdata", "v1.disco"))
		if err != nil {
			t.Fatal(err)
		}
		if m.Config.Residual != ResidualNone || m.FileVersion() != 1 || m.Info.BestEpoch != 24 {
			t.Errorf("old file read as residual %q, version %d, best epoch %d", m.Config.Residual, m.FileVersion(), m.Info.BestEpoch)
		}
	})
}

// TestReadRefusesResidualMismatch: a version 1 file that names a residual,
// and a version 2 file that names none, are invalid.
func TestReadRefusesResidualMismatch(t *testing.T) {
	res := encode(t, residualModel(t, ResidualMean))
	plain := encode(t, testModel(t))
	for _, tc := range []struct {
		name    string
		file    []byte
		version uint32
		old     string
		new     string
		want    string
	}{
		{"v1-with-residual", res, 1, "", "", "version 1 file with residual"},
		{"v2-without-residual", plain, 2, "", "", "without a residual"},
		{"ewma-without-rate", res, 2, `"residual": "mean"`, `"residual": "ewma"`, "EWMA baseline without a rate"},
		{"rate-for-mean", res, 2, `"residual": "mean"`, `"residual": "mean", "ewma_rate": 0.5`, "EWMA rate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			readEdited(t, tc.file, tc.version, tc.old, tc.new, tc.want)
		})
	}
}

// readEdited re-signs file's payload, with its first old replaced by new
// (unless old is empty), as the given version, and checks that Read
// refuses it as ErrInvalid saying want.
func readEdited(t *testing.T, file []byte, version uint32, old, new, want string) {
	t.Helper()
	p := string(file[frame.HeaderSize : len(file)-32])
	if old != "" {
		q := strings.Replace(p, old, new, 1)
		if q == p {
			t.Fatalf("payload has no %q", old)
		}
		p = q
	}
	_, err := Read(bytes.NewReader(signVersion([]byte(p), version)))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want) {
		t.Errorf("Read: %v, want ErrInvalid saying %q", err, want)
	}
}
