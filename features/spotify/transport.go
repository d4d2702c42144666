package spotify

import (
	"context"
	"net/http"
	"time"

	"github.com/discoflow/disco/internal/retry"
)

// transport honours 429 Retry-After and retries GET requests that fail
// with a 5xx status. It sits under the oauth2 transport, so every request
// (the library's and ours) goes through it. It also records the final
// status of a request in the request's context (see withStatus), because
// the library drops the status when an error body is empty or not JSON.
type transport struct {
	next       http.RoundTripper
	maxRetries int           // 5xx retries per request
	backoff    time.Duration // first 5xx wait, doubled each time
	maxWait    time.Duration // longest Retry-After honoured
	sleep      func(ctx context.Context, d time.Duration) error
	onWait     func(reason string, d time.Duration)
}

type statusKey struct{}

// withStatus returns a context under which the transport stores the status
// of the last response in *p.
func withStatus(ctx context.Context, p *int) context.Context {
	return context.WithValue(ctx, statusKey{}, p)
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		r := req
		if attempt > 0 {
			r = req.Clone(ctx)
			if req.Body != nil && req.GetBody != nil {
				b, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				r.Body = b
			}
		}
		resp, err := t.next.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		if p, ok := ctx.Value(statusKey{}).(*int); ok {
			*p = resp.StatusCode
		}
		var wait time.Duration
		var reason string
		switch {
		case resp.StatusCode == http.StatusTooManyRequests:
			wait = retry.After(resp.Header.Get("Retry-After"), 5*time.Second)
			if wait > t.maxWait {
				retry.Discard(resp)
				return nil, &RateLimitError{RetryAfter: wait}
			}
			reason = "rate limited"
		case resp.StatusCode >= 500 && idempotent(req.Method) && attempt < t.maxRetries && (req.Body == nil || req.GetBody != nil):
			wait = t.backoff << attempt
			reason = resp.Status
		default:
			return resp, nil
		}
		if req.Body != nil && req.GetBody == nil {
			// A body we cannot send again: hand the 429 to the caller.
			return resp, nil
		}
		retry.Discard(resp)
		if t.onWait != nil {
			t.onWait(reason, wait)
		}
		if err := t.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

func idempotent(method string) bool {
	return method == http.MethodGet || method == http.MethodHead
}
