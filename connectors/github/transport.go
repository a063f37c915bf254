package github

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// transport sits under every request the client makes. It counts requests
// and 304s, remembers the rate-limit budget, waits out primary and secondary
// rate limits, and retries 5xx answers, timeouts and truncated bodies with
// exponential backoff. Bodies are read whole here, so a body cut short is a
// retryable transport error rather than a JSON error further up.
type transport struct {
	next       http.RoundTripper
	sleep      func(context.Context, time.Duration) error
	now        func() time.Time
	log        *slog.Logger
	maxRetries int
	timeout    time.Duration // per attempt

	mu          sync.Mutex
	requests    int
	notModified int
	waited      time.Duration
	remaining   int       // last x-ratelimit-remaining; -1 until one is seen
	pausedUntil time.Time // on the now clock: the budget is spent until then
	serverDate  time.Time // the latest Date header seen: the server's clock
}

// maxLimitWaits bounds how often one request waits out a rate limit before
// the limit's answer is handed up as an error.
const maxLimitWaits = 10

// counters is a snapshot of what the transport has counted so far.
type counters struct {
	requests, notModified, remaining int
	waited                           time.Duration
}

func (t *transport) counters() counters {
	t.mu.Lock()
	defer t.mu.Unlock()
	return counters{requests: t.requests, notModified: t.notModified, remaining: t.remaining, waited: t.waited}
}

// lastServerDate is the server's time at the latest answer; zero before any.
func (t *transport) lastServerDate() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.serverDate
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		defer req.Body.Close()
	}
	ctx := req.Context()
	// A POST (a new comment) may have taken effect even when the answer was
	// lost or a 5xx: retrying could post it twice. Rate-limit refusals are
	// safe to retry for every method; nothing happened.
	retryFailures := req.Method != http.MethodPost && (req.Body == nil || req.GetBody != nil)
	failures, limited := 0, 0
	for {
		if err := t.awaitBudget(ctx, req); err != nil {
			return nil, err
		}
		resp, err := t.attempt(req, failures+limited == 0)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			var rejected errTokenRejected
			if !retryFailures || failures >= t.maxRetries || errors.As(err, &rejected) {
				return nil, err
			}
			failures++
			if err := t.wait(ctx, req, backoff(failures), "retry after a failed request", "err", err.Error()); err != nil {
				return nil, err
			}
			continue
		}
		if d, why, ok := t.limitWait(resp); ok && limited < maxLimitWaits && (req.Body == nil || req.GetBody != nil) {
			limited++
			if err := t.wait(ctx, req, d, why); err != nil {
				return nil, err
			}
			continue
		}
		if resp.StatusCode >= 500 && retryFailures && failures < t.maxRetries {
			failures++
			if err := t.wait(ctx, req, backoff(failures), "retry after a server error", "status", resp.StatusCode); err != nil {
				return nil, err
			}
			continue
		}
		return resp, nil
	}
}

// backoff is 1s, 2s, 4s … for the nth retry, at most 32s.
func backoff(n int) time.Duration {
	return time.Second << min(n-1, 5)
}

// attempt sends req once and reads the whole body, bounded by t.timeout.
func (t *transport) attempt(req *http.Request, first bool) (*http.Response, error) {
	actx, cancel := context.WithTimeout(req.Context(), t.timeout)
	defer cancel()
	r := req.Clone(actx)
	if req.Body != nil {
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r.Body = body
		} else if first {
			r.Body = io.NopCloser(req.Body)
		}
	}
	t.mu.Lock()
	t.requests++
	t.mu.Unlock()
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("%s %s: response body cut short: %w", req.Method, req.URL.Path, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	t.observe(resp)
	return resp, nil
}

// observe records the budget a response reports. A success that spends the
// last unit pauses further requests until the window resets, instead of
// spending one more request on a certain 403.
func (t *transport) observe(resp *http.Response) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if resp.StatusCode == http.StatusNotModified {
		t.notModified++
	}
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil && d.After(t.serverDate) {
		t.serverDate = d
	}
	n, err := strconv.Atoi(resp.Header.Get("X-RateLimit-Remaining"))
	if err != nil {
		return
	}
	t.remaining = n
	if n == 0 && resp.StatusCode < 400 {
		if d, ok := untilReset(resp); ok {
			t.pausedUntil = t.now().Add(d)
		}
	}
}

// untilReset is how long until x-ratelimit-reset, measured against the
// server's Date header so that a skewed local clock does not shorten or
// stretch the wait.
func untilReset(resp *http.Response) (time.Duration, bool) {
	reset, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64)
	if err != nil {
		return 0, false
	}
	serverNow := time.Now()
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		serverNow = d
	}
	return max(time.Unix(reset, 0).Sub(serverNow), time.Second), true
}

// limitWait says whether resp is a rate-limit refusal and how long to wait.
// GitHub's secondary limits answer 403 or 429 with retry-after (go-github
// v62 recognises only the 403), sometimes without it, when GitHub asks for
// at least a minute; the primary limit answers 403 or 429 with
// x-ratelimit-remaining 0 and the window's reset time.
func (t *transport) limitWait(resp *http.Response) (time.Duration, string, bool) {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return 0, "", false
	}
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		if secs, err := strconv.Atoi(strings.TrimSpace(ra)); err == nil && secs >= 0 {
			return max(time.Duration(secs)*time.Second, time.Second), "secondary rate limit (retry-after)", true
		}
		if at, err := http.ParseTime(ra); err == nil {
			return max(time.Until(at), time.Second), "secondary rate limit (retry-after)", true
		}
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		if d, ok := untilReset(resp); ok {
			return d, "primary rate limit spent until reset", true
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests || bodyMentions(resp, "secondary rate limit") {
		return time.Minute, "secondary rate limit", true
	}
	return 0, "", false
}

func bodyMentions(resp *http.Response, s string) bool {
	data, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(data))
	return bytes.Contains(bytes.ToLower(data), []byte(s))
}

// awaitBudget waits until a spent primary budget resets.
func (t *transport) awaitBudget(ctx context.Context, req *http.Request) error {
	t.mu.Lock()
	d := t.pausedUntil.Sub(t.now())
	t.mu.Unlock()
	if d <= 0 {
		return nil
	}
	return t.wait(ctx, req, d, "primary rate limit spent until reset")
}

// wait sleeps d, logging why and counting it. Whatever pause was pending has
// been waited out afterwards.
func (t *transport) wait(ctx context.Context, req *http.Request, d time.Duration, why string, attrs ...any) error {
	t.log.InfoContext(ctx, "github: waiting", append([]any{"reason", why, "wait", d, "method", req.Method, "path", req.URL.Path}, attrs...)...)
	err := t.sleep(ctx, d)
	t.mu.Lock()
	t.waited += d
	t.pausedUntil = time.Time{}
	t.mu.Unlock()
	return err
}
