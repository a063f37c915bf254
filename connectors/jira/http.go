package jira

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// apiError is a non-2xx answer, with Jira's errorMessages when it sent some.
type apiError struct {
	Status   int
	Messages []string
}

func (e *apiError) Error() string {
	msg := http.StatusText(e.Status)
	if len(e.Messages) > 0 {
		msg = strings.Join(e.Messages, "; ")
	}
	return fmt.Sprintf("%d %s", e.Status, msg)
}

// retryable marks a failure worth another try: 429, 5xx, a dropped
// connection, a timeout, a body cut short or not JSON at all.
type retryable struct {
	err   error
	after time.Duration // what the server asked for; 0 means use backoff
	// reason says where after came from ("Retry-After: 30"), for the log.
	reason string
	// refused is true when the server surely did not act on the request
	// (rate limited), so even a non-idempotent POST may be sent again.
	refused bool
}

func (e *retryable) Error() string { return e.err.Error() }
func (e *retryable) Unwrap() error { return e.err }

// maybeApplied is a failed request that was not idempotent and may have
// taken effect anyway: a 5xx or a timeout after the request went out. It is
// never retried blindly; the caller checks what happened first.
type maybeApplied struct{ err error }

func (e *maybeApplied) Error() string { return e.err.Error() }
func (e *maybeApplied) Unwrap() error { return e.err }

// windowError is Data Center's answer to a search that pages past the
// search engine's result window: 500 "Search limit exceeded …". Repeating
// the request cannot help; the listing has to start again from a key.
type windowError struct {
	limit int // the window the message names; 0 when it names none
	msg   string
}

func (e *windowError) Error() string { return "500 " + e.msg }

func (c *Client) get(ctx context.Context, path string, v any) error {
	return c.do(ctx, http.MethodGet, path, nil, v)
}

// do sends one API request, retrying what is worth retrying, and decodes a
// 2xx JSON answer into v (nil ignores the body). A POST is taken to create
// something, so it is retried only when the server surely refused it.
func (c *Client) do(ctx context.Context, method, path string, body, v any) error {
	return c.send(ctx, method, path, body, v, method != http.MethodPost)
}

// send is do with the idempotency said outright, for POSTs that only read
// (comment/list). v is reset before every attempt so a body cut short never
// leaves half an answer behind.
func (c *Client) send(ctx context.Context, method, path string, body, v any, idempotent bool) error {
	backoff := time.Second
	for attempt := 0; ; attempt++ {
		err := c.once(ctx, method, path, body, v)
		var r *retryable
		if err == nil || !errors.As(err, &r) {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !idempotent && !r.refused {
			return &maybeApplied{err: r.err}
		}
		if attempt >= c.cfg.MaxRetries {
			return fmt.Errorf("gave up after %d attempts: %w", attempt+1, r.err)
		}
		wait := r.after
		if wait <= 0 {
			wait = backoff
			backoff = min(backoff*2, 30*time.Second)
		}
		if r.reason != "" {
			capped := wait > c.cfg.MaxWait
			wait = min(wait, c.cfg.MaxWait)
			msg := "rate limited; waiting"
			if !r.refused {
				msg = "the server asked to wait; waiting"
			}
			c.log.Info(msg, "method", method, "path", redactPath(path), "wait", wait, "told", r.reason, "capped", capped, "attempt", attempt+1)
		} else {
			c.log.Debug("retrying", "method", method, "path", redactPath(path), "attempt", attempt+1, "wait", wait, "err", r.err)
		}
		if err := c.pause(ctx, wait); err != nil {
			return err
		}
	}
}

// pause sleeps d and counts it as waited.
func (c *Client) pause(ctx context.Context, d time.Duration) error {
	if err := c.cfg.Sleep(ctx, d); err != nil {
		return err
	}
	c.mu.Lock()
	c.waited += d
	c.mu.Unlock()
	return nil
}

func (c *Client) once(ctx context.Context, method, path string, body, v any) error {
	req, err := c.api.NewRequestWithContext(ctx, method, path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	c.mu.Lock()
	c.requests++
	c.mu.Unlock()
	// Do with a nil target leaves the body to us: reading it to the end lets
	// the connection be reused and tells a cut-short body from bad JSON.
	resp, err := c.api.Do(req, nil)
	if resp == nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err == nil {
			err = errors.New("no response")
		}
		// url.Error from the transport: refused, reset, timed out.
		return &retryable{err: scrub(err, c.cfg.Token)}
	}
	defer resp.Body.Close()
	if s := resp.StatusCode; s < 200 || s > 299 {
		return c.statusError(resp.Response)
	}
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		c.mu.Lock()
		c.date = d
		c.mu.Unlock()
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &retryable{err: fmt.Errorf("read response: %w", scrub(err, c.cfg.Token))}
	}
	if v == nil {
		return nil
	}
	reflect.ValueOf(v).Elem().SetZero()
	if len(bytes.TrimSpace(b)) == 0 {
		return &retryable{err: errors.New("empty response body")}
	}
	if err := json.Unmarshal(b, v); err != nil {
		reflect.ValueOf(v).Elem().SetZero()
		var syntax *json.SyntaxError
		switch {
		case errors.As(err, &syntax) && syntax.Offset >= int64(len(bytes.TrimRight(b, " \t\r\n"))):
			// The JSON stopped mid-value: the body was cut short in transit.
			return &retryable{err: fmt.Errorf("response body cut short after %d bytes: %w", len(b), err)}
		case errors.As(err, &syntax):
			// Not JSON at all: a proxy's error page, a body mangled on the
			// way. Worth another try, like a body cut short.
			return &retryable{err: fmt.Errorf("response is not JSON (%d bytes, %s): %w", len(b), resp.Header.Get("Content-Type"), err)}
		}
		// JSON of another shape than the API documents for the envelope;
		// fields inside issues and comments are read one by one elsewhere.
		return fmt.Errorf("unexpected response shape: %w", err)
	}
	return nil
}

// statusError turns a non-2xx answer into an error. 429 and 5xx are
// retried after what their headers say, else with backoff; only a 429 is
// surely a request the server did not act on.
func (c *Client) statusError(resp *http.Response) error {
	var jerr struct {
		ErrorMessages []string          `json:"errorMessages"`
		Errors        map[string]string `json:"errors"`
		Message       string            `json:"message"`
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	e := &apiError{Status: resp.StatusCode}
	if json.Unmarshal(b, &jerr) == nil {
		e.Messages = append(e.Messages, jerr.ErrorMessages...)
		for k, m := range jerr.Errors {
			e.Messages = append(e.Messages, k+": "+m)
		}
	}
	switch s := resp.StatusCode; {
	case s == http.StatusUnauthorized:
		return fmt.Errorf("token rejected (401): check %s and that it has not expired", c.credentialHint())
	case s == http.StatusTooManyRequests:
		after, reason := c.rateLimitWait(resp.Header)
		return &retryable{err: e, after: after, reason: reason, refused: true}
	case s == http.StatusInternalServerError && bytes.Contains(bytes.ToLower(b), []byte("search limit exceeded")):
		msg := strings.Join(e.Messages, "; ")
		if msg == "" {
			msg = string(b)
		}
		return &windowError{limit: windowLimit(msg), msg: msg}
	case s >= 500:
		// Atlassian: "some transient 5XX errors are accompanied by a
		// Retry-After header" (a 503 when a resource limit was reached).
		after, reason := c.rateLimitWait(resp.Header)
		return &retryable{err: e, after: after, reason: reason}
	}
	return e
}

// windowLimit reads the window out of "… exceeded the search platform
// limit of 10,000. …"; 0 when the message says no number.
func windowLimit(msg string) int {
	_, rest, ok := strings.Cut(strings.ToLower(msg), "limit of ")
	if !ok {
		return 0
	}
	n := 0
	for _, r := range rest {
		switch {
		case r >= '0' && r <= '9':
			n = n*10 + int(r-'0')
		case r == ',' || r == '.' || r == '\u00a0' || r == ' ' && n == 0:
		default:
			return n
		}
	}
	return n
}

func (c *Client) credentialHint() string {
	if c.cloud {
		return "the account email and API token (Basic auth)"
	}
	return "the personal access token (Bearer)"
}

// rateLimitWait reads how long a 429 (or 503) asks to wait. Jira Cloud
// sends Retry-After (seconds), X-RateLimit-Reset (an ISO 8601 instant, e.g.
// 2026-03-02T09:15Z), both, or neither; when both, the longer wins. Instants
// are measured against the response's own Date, so a client clock that is
// off does not shorten or stretch the wait. 0 means nothing usable was said.
func (c *Client) rateLimitWait(h http.Header) (time.Duration, string) {
	now, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		now = c.cfg.Now()
	}
	var wait time.Duration
	var reason []string
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if d, ok := retryAfter(v, now); ok {
			wait = d
			reason = append(reason, "Retry-After: "+v)
		}
	}
	if v := strings.TrimSpace(h.Get("X-RateLimit-Reset")); v != "" {
		if at, ok := resetTime(v); ok {
			wait = max(wait, at.Sub(now))
			reason = append(reason, "X-RateLimit-Reset: "+v)
		}
	}
	if wait <= 0 || len(reason) == 0 {
		return 0, ""
	}
	if why := h.Get("RateLimit-Reason"); why != "" {
		reason = append(reason, "RateLimit-Reason: "+why)
	}
	return wait, strings.Join(reason, ", ")
}

// retryAfter reads Retry-After as seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// resetTime reads X-RateLimit-Reset. Atlassian documents an ISO 8601
// instant to the minute (yyyy-MM-ddTHH:mmZ); the limit then lifts somewhere
// in that minute, so the wait runs to its end rather than retrying early
// into another 429. Seconds are taken when given; a bare number is read as
// epoch seconds, as some proxies send it.
func resetTime(v string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02T15:04Z07:00", "2006-01-02T15:04Z0700"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.Add(time.Minute), true
		}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 1e9 && n < 1e11 {
		return time.Unix(n, 0), true
	}
	return time.Time{}, false
}

// scrub removes the token from error text; transport errors can quote URLs
// and some proxies echo headers. A token shorter than 8 characters (a
// placeholder while trying things out) is replaced only where it stands
// alone, so "y" does not turn ".../myself" into ".../m[token]self".
func scrub(err error, token string) error {
	msg := err.Error()
	if token == "" || !strings.Contains(msg, token) {
		return err
	}
	if len(token) >= 8 {
		return errors.New(strings.ReplaceAll(msg, token, "[token]"))
	}
	var b strings.Builder
	done := 0 // msg[:done] is written
	for from := 0; ; {
		i := strings.Index(msg[from:], token)
		if i < 0 {
			break
		}
		i += from
		end := i + len(token)
		if (i == 0 || !wordByte(msg[i-1])) && (end == len(msg) || !wordByte(msg[end])) {
			b.WriteString(msg[done:i])
			b.WriteString("[token]")
			done = end
		}
		from = i + 1
	}
	b.WriteString(msg[done:])
	if b.String() == msg {
		return err
	}
	return errors.New(b.String())
}

func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c >= 0x80
}

// redactPath drops the query, which can hold JQL users consider private.
func redactPath(p string) string {
	path, _, _ := strings.Cut(p, "?")
	return path
}

// write runs one write: serial and at least WriteSpacing after the previous.
func (c *Client) write(ctx context.Context, method, path string, body, v any) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if !c.lastWrite.IsZero() {
		if wait := c.cfg.WriteSpacing - c.cfg.Now().Sub(c.lastWrite); wait > 0 {
			if err := c.cfg.Sleep(ctx, wait); err != nil {
				return err
			}
		}
	}
	defer func() { c.lastWrite = c.cfg.Now() }()
	return c.do(ctx, method, path, body, v)
}
