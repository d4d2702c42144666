package retry

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	dial := errors.New("dial tcp: lookup api.reccobeats.com: no such host")
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"query", &url.Error{Op: "Get", URL: "https://api.reccobeats.com/v1/audio-features?ids=" + strings.Repeat("4uLU6hMCjMI75M1A2tKUQC,", 40), Err: dial},
			`Get "https://api.reccobeats.com/v1/audio-features": ` + dial.Error()},
		{"wrapped", fmt.Errorf("reccobeats: x: %w", &url.Error{Op: "Get", URL: "https://u:p@h/p?token=secret#f", Err: dial}),
			`Get "https://h/p": ` + dial.Error()},
		{"no query", &url.Error{Op: "Get", URL: "https://h/p", Err: dial}, `Get "https://h/p": ` + dial.Error()},
		{"not a URL error", dial, dial.Error()},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Redact(c.err)
			if got.Error() != c.want || !errors.Is(got, dial) {
				t.Errorf("got %q, want %q (wrapping the cause)", got, c.want)
			}
		})
	}
}
