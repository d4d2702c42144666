// Package retry provides what disco's clients of online services share when
// they wait and try again: parsing a Retry-After header, sleeping until a
// deadline or cancellation, and draining a response they give up on.
package retry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// After parses a Retry-After header: delay seconds or an HTTP date. A
// missing or malformed header gives def; a date in the past gives 0.
func After(h string, def time.Duration) time.Duration {
	if h == "" {
		return def
	}
	if s, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(0, time.Until(t))
	}
	return def
}

// Sleep waits d or until ctx is done, and returns ctx's error in the
// latter case (also when d <= 0 and ctx is already done).
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}

// Discard reads what is left of a response body, up to 64 KiB, so that
// the connection can be reused, and closes it.
func Discard(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
}

// Redact returns, for an error holding a *url.Error (as http.Client.Do
// returns), that *url.Error with the query string, fragment and user
// removed from its URL (the request's ids, a token), so that an error
// message names the host and path only; text wrapped around it is dropped,
// so call it on Do's error. Other errors are returned unchanged.
func Redact(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	u, perr := url.Parse(ue.URL)
	if perr != nil {
		return &url.Error{Op: ue.Op, URL: "(unparsable URL)", Err: ue.Err}
	}
	if u.RawQuery == "" && u.Fragment == "" {
		return err
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
}
