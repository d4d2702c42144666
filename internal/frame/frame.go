// Package frame reads and writes the framing disco's model files share
// (the flow model, package model, and the taste model, package
// model/taste): an 8-byte magic, a format version, a payload and its
// checksum. All integers are little-endian.
//
//	offset  size  content
//	0       8     magic
//	8       4     format version, uint32
//	12      8     payload length n, uint64
//	20      n     payload
//	20+n    32    SHA-256 of bytes 0 .. 20+n
//
// What the payload holds and which versions a reader knows are the
// caller's; Read returns the errors below, which the caller wraps in its
// own.
package frame

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/discoflow/disco/internal/atomic"
)

// HeaderSize is the bytes before the payload.
const HeaderSize = 8 + 4 + 8

// Errors of Read; test with errors.Is or errors.As.
var (
	ErrTruncated = errors.New("truncated")
	ErrChecksum  = errors.New("checksum mismatch")
	ErrTooLarge  = errors.New("payload too large")
	ErrVersion   = errors.New("bad version")   // version 0
	ErrNewer     = errors.New("newer version") // beyond what the reader knows
)

// MagicError is a file that does not start with the magic asked for. Got
// holds the bytes it starts with (up to 8), so that a caller can name a
// sibling format.
type MagicError struct{ Got string }

func (e *MagicError) Error() string { return fmt.Sprintf("bad magic %q", e.Got) }

// Write writes payload framed with magic (8 bytes) and version.
func Write(w io.Writer, magic string, version uint32, payload []byte) error {
	if len(magic) != 8 {
		return fmt.Errorf("frame: magic %q is not 8 bytes", magic)
	}
	var buf bytes.Buffer
	buf.Grow(HeaderSize + len(payload) + sha256.Size)
	buf.WriteString(magic)
	binary.Write(&buf, binary.LittleEndian, version)
	binary.Write(&buf, binary.LittleEndian, uint64(len(payload)))
	buf.Write(payload)
	sum := sha256.Sum256(buf.Bytes())
	buf.Write(sum[:])
	_, err := w.Write(buf.Bytes())
	return err
}

// Read reads a framed file from r and returns its version (1 to
// maxVersion) and payload. It returns, checked in this order, a
// *MagicError for another magic (also for a file shorter than the magic
// whose bytes differ from it), an error wrapping ErrTruncated for a file
// that ends early, ErrNewer for a version beyond maxVersion, ErrVersion for
// version 0, ErrTooLarge for a payload longer than max, ErrChecksum for
// damaged content, and read errors as they are. It never allocates more
// than the bytes r holds.
func Read(r io.Reader, magic string, maxVersion uint32, max uint64) (version uint32, payload []byte, err error) {
	var hdr [HeaderSize]byte
	n, err := io.ReadFull(r, hdr[:])
	if n < len(magic) {
		if n > 0 && string(hdr[:n]) != magic[:n] {
			return 0, nil, &MagicError{Got: string(hdr[:n])}
		}
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			return 0, nil, err
		}
		return 0, nil, fmt.Errorf("%w: %d bytes", ErrTruncated, n)
	}
	if got := string(hdr[:len(magic)]); got != magic {
		return 0, nil, &MagicError{Got: got}
	}
	if err != nil {
		if err == io.ErrUnexpectedEOF {
			return 0, nil, fmt.Errorf("%w: header of %d bytes", ErrTruncated, n)
		}
		return 0, nil, err
	}
	version = binary.LittleEndian.Uint32(hdr[8:12])
	if version > maxVersion {
		return version, nil, fmt.Errorf("%w: version %d, this disco reads up to %d; update disco", ErrNewer, version, maxVersion)
	}
	if version == 0 {
		return 0, nil, fmt.Errorf("%w: format version 0", ErrVersion)
	}
	size := binary.LittleEndian.Uint64(hdr[12:20])
	if size > max {
		return version, nil, fmt.Errorf("%w: %d bytes", ErrTooLarge, size)
	}
	// Read what is there, never more than the header claims, before
	// allocating for it.
	var rest bytes.Buffer
	got, err := io.Copy(&rest, io.LimitReader(r, int64(size)+sha256.Size))
	if err != nil {
		return version, nil, err
	}
	if want := int64(size) + sha256.Size; got < want {
		return version, nil, fmt.Errorf("%w: %d of %d bytes", ErrTruncated, HeaderSize+got, HeaderSize+want)
	}
	body := rest.Bytes()
	h := sha256.New()
	h.Write(hdr[:])
	h.Write(body[:size])
	if !bytes.Equal(h.Sum(nil), body[size:]) {
		return version, nil, ErrChecksum
	}
	return version, body[:size], nil
}

// Errors are a format's own errors, in which Wrap reports Read's.
type Errors struct {
	Name                                               string // the format in read errors: "model: reading: ..."
	NotModel, Truncated, NewVersion, Checksum, Invalid error
}

// Wrap returns Read's error err as the format's: a *MagicError as
// NotModel, ErrTruncated as Truncated and ErrNewer as NewVersion (with
// their details), ErrChecksum as Checksum, ErrVersion and ErrTooLarge as
// Invalid, a read error under the name; nil for nil.
func (e Errors) Wrap(err error) error {
	var me *MagicError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &me):
		return e.NotModel
	case errors.Is(err, ErrTruncated):
		return fmt.Errorf("%w: %s", e.Truncated, detail(err, ErrTruncated))
	case errors.Is(err, ErrNewer):
		return fmt.Errorf("%w: %s", e.NewVersion, detail(err, ErrNewer))
	case errors.Is(err, ErrVersion):
		return fmt.Errorf("%w: %s", e.Invalid, detail(err, ErrVersion))
	case errors.Is(err, ErrChecksum):
		return e.Checksum
	case errors.Is(err, ErrTooLarge):
		return fmt.Errorf("%w: payload of %s", e.Invalid, detail(err, ErrTooLarge))
	}
	return fmt.Errorf("%s: reading: %w", e.Name, err)
}

// detail returns err's text after its sentinel's ("truncated: 5 bytes" ->
// "5 bytes").
func detail(err, sentinel error) string {
	s := err.Error()
	if p := sentinel.Error() + ": "; len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

// Save writes the file at path with write, atomically (a reader never sees
// a partial file; a failed write leaves any old file in place); name
// prefixes its error ("model: saving PATH: ...").
func Save(path, name string, write func(io.Writer) error) error {
	if err := atomic.WriteFile(path, 0o644, write); err != nil {
		return fmt.Errorf("%s: saving %s: %w", name, path, err)
	}
	return nil
}

// Load reads the file at path with read; an error opening it is prefixed
// with name, an error reading it with the path.
func Load[T any](path, name string, read func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", name, err)
	}
	defer f.Close()
	m, err := read(f)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
