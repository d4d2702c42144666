package frame

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestRoundTripAndRefusals(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "TESTMAGC", 2, []byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	v, p, err := Read(bytes.NewReader(good), "TESTMAGC", 2, 100)
	if err != nil || v != 2 || string(p) != `{"a":1}` {
		t.Fatalf("read back %d %q %v", v, p, err)
	}
	flip := func(i int) []byte { b := bytes.Clone(good); b[i] ^= 1; return b }
	withVersion := func(v byte) []byte { b := bytes.Clone(good); b[8] = v; return b }
	for _, c := range []struct {
		name string
		in   []byte
		max  uint64
		want error
	}{
		{"empty", nil, 100, ErrTruncated},
		{"part of the magic", good[:3], 100, ErrTruncated},
		{"header cut", good[:HeaderSize-1], 100, ErrTruncated},
		{"payload cut", good[:len(good)-1], 100, ErrTruncated},
		{"newer", withVersion(3), 100, ErrNewer},
		{"version 0", withVersion(0), 100, ErrVersion},
		{"too large", good, 3, ErrTooLarge},
		{"payload damaged", flip(HeaderSize + 1), 100, ErrChecksum},
		{"checksum damaged", flip(len(good) - 1), 100, ErrChecksum},
	} {
		if _, _, err := Read(bytes.NewReader(c.in), "TESTMAGC", 2, c.max); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	var me *MagicError
	if _, _, err := Read(bytes.NewReader(good), "OTHERMAG", 2, 100); !errors.As(err, &me) || me.Got != "TESTMAGC" {
		t.Errorf("other magic: %v", err)
	}
	if _, _, err := Read(bytes.NewReader([]byte("TEX")), "TESTMAGC", 2, 100); !errors.As(err, &me) || me.Got != "TEX" {
		t.Errorf("short other magic: %v", err)
	}
	sentinel := errors.New("x: truncated")
	e := Errors{Name: "x", NotModel: errors.New("x: not"), Truncated: sentinel, NewVersion: errors.New("x: new"), Checksum: errors.New("x: sum"), Invalid: errors.New("x: invalid")}
	if _, _, err := Read(bytes.NewReader(good[:5]), "TESTMAGC", 2, 100); !errors.Is(e.Wrap(err), sentinel) || e.Wrap(nil) != nil {
		t.Errorf("Wrap: %v", e.Wrap(err))
	}
}

func TestSaveLoad(t *testing.T) {
	path := t.TempDir() + "/f.bin"
	write := func(w io.Writer) error { return Write(w, "TESTMAGC", 1, []byte("hi")) }
	if err := Save(path, "x", write); err != nil {
		t.Fatal(err)
	}
	read := func(r io.Reader) (string, error) {
		_, p, err := Read(r, "TESTMAGC", 1, 10)
		return string(p), err
	}
	if got, err := Load(path, "x", read); err != nil || got != "hi" {
		t.Fatalf("Load = %q, %v", got, err)
	}
	if _, err := Load(path+".none", "x", read); err == nil || !strings.HasPrefix(err.Error(), "x: ") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Load(path, "x", func(io.Reader) (string, error) { return "", errors.New("bad") }); err == nil || err.Error() != path+": bad" {
		t.Errorf("read error: %v", err)
	}
	if err := Save(t.TempDir()+"/no/such/dir/f", "x", write); err == nil || !strings.HasPrefix(err.Error(), "x: saving ") {
		t.Errorf("unwritable: %v", err)
	}
}
