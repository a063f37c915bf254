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
// connection, a timeout, a body cut short.
type retryable struct {
	err   error
	after time.Duration // server's Retry-After; 0 means use backoff
	// refused is true when the server surely did not act on the request
	// (rate limited), so even a non-idempotent POST may be sent again.
	refused bool
}

func (e *retryable) Error() string { return e.err.Error() }
func (e *retryable) Unwrap() error { return e.err }

func (c *Client) get(ctx context.Context, path string, v any) error {
	return c.do(ctx, http.MethodGet, path, nil, v)
}

// do sends one API request, retrying what is worth retrying, and decodes a
// 2xx JSON answer into v (nil ignores the body). v is reset before every
// attempt so a body cut short never leaves half an answer behind.
func (c *Client) do(ctx context.Context, method, path string, body, v any) error {
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
		if method == http.MethodPost && !r.refused {
			// A POST that failed on the way back may have created a comment;
			// sending it again could post it twice.
			return r.err
		}
		if attempt >= c.cfg.MaxRetries {
			return fmt.Errorf("gave up after %d attempts: %w", attempt+1, r.err)
		}
		wait := r.after
		if wait <= 0 {
			wait = backoff
			backoff = min(backoff*2, 30*time.Second)
		}
		c.log.Debug("retrying", "method", method, "path", redactPath(path), "attempt", attempt+1, "wait", wait, "err", r.err)
		if err := c.cfg.Sleep(ctx, wait); err != nil {
			return err
		}
		c.mu.Lock()
		c.waited += wait
		c.mu.Unlock()
	}
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
		if errors.As(err, &syntax) && syntax.Offset >= int64(len(bytes.TrimRight(b, " \t\r\n"))) {
			// The JSON stopped mid-value: the body was cut short in transit.
			return &retryable{err: fmt.Errorf("response body cut short after %d bytes: %w", len(b), err)}
		}
		return fmt.Errorf("malformed JSON in response: %w", err)
	}
	return nil
}

// statusError turns a non-2xx answer into an error; 429 and 5xx are retried,
// honouring Retry-After.
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
	case s == http.StatusTooManyRequests || s == http.StatusServiceUnavailable:
		return &retryable{err: e, after: retryAfter(resp.Header.Get("Retry-After")), refused: true}
	case s >= 500:
		return &retryable{err: e}
	}
	return e
}

func (c *Client) credentialHint() string {
	if c.cloud {
		return "the account email and API token (Basic auth)"
	}
	return "the personal access token (Bearer)"
}

// retryAfter reads Retry-After as seconds or an HTTP date.
func retryAfter(h string) time.Duration {
	if h == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
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
		if wait := c.cfg.WriteSpacing - time.Since(c.lastWrite); wait > 0 {
			if err := c.cfg.Sleep(ctx, wait); err != nil {
				return err
			}
		}
	}
	defer func() { c.lastWrite = time.Now() }()
	return c.do(ctx, method, path, body, v)
}
