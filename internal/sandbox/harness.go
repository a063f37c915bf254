// Package sandbox serves fake GitHub and Jira (Cloud and Data Center) APIs
// over real HTTP from an in-memory dataset. The responses follow the real
// shapes — pagination, rate-limit headers, ETag/304, 401 on a bad token, 410
// on Jira Cloud's removed search — so connectors are tested against what the
// real trackers do. Tests and `ladder demo` use it; it never touches a network
// beyond loopback.
package sandbox

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Request is one request the sandbox served, for tests to assert on.
type Request struct {
	Method string
	Path   string
	Query  string
	Status int
	// Conditional is true when the request carried If-None-Match.
	Conditional bool
}

// Write reports whether the request would change data.
func (r Request) Write() bool {
	return r.Method != http.MethodGet && r.Method != http.MethodHead
}

// Fault makes the sandbox answer matching requests with an error instead of
// the real response, so tests can exercise rate limits, outages and broken
// bodies.
type Fault struct {
	// Match selects the requests the fault applies to; nil matches all.
	Match func(*http.Request) bool
	// After lets this many matching requests through before the fault fires.
	After int
	// Times is how many matching requests fail; 0 means every one after After.
	Times int
	// Status is the HTTP status to answer (429, 403, 500, 200 with a broken Body …).
	Status int
	// Header is added to the response (retry-after, x-ratelimit-remaining …).
	Header http.Header
	// Body is written as is; empty writes a short JSON error message.
	Body string

	seen, fired int
}

// Harness is the part every fake tracker shares: token check, request log
// and fault injection.
type Harness struct {
	mu     sync.Mutex
	log    []Request
	faults []*Fault
	// Token is the credential the server accepts; empty accepts any.
	Token string
	// Now, when set, stamps every response's Date header, so a fake clock
	// that stamps updated times also says what time the server thinks it is.
	Now func() time.Time
}

// AddFault installs f; faults are checked in the order they were added.
func (h *Harness) AddFault(f Fault) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.faults = append(h.faults, &f)
}

// ClearFaults removes every fault.
func (h *Harness) ClearFaults() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.faults = nil
}

// Requests returns a copy of the request log.
func (h *Harness) Requests() []Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Request(nil), h.log...)
}

// Count returns how many logged requests satisfy keep (nil counts all).
func (h *Harness) Count(keep func(Request) bool) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, r := range h.log {
		if keep == nil || keep(r) {
			n++
		}
	}
	return n
}

// ResetLog forgets the requests served so far.
func (h *Harness) ResetLog() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.log = nil
}

// RetryAfter returns a header carrying retry-after in whole seconds.
func RetryAfter(d time.Duration) http.Header {
	return http.Header{"Retry-After": []string{strconv.Itoa(int(d / time.Second))}}
}

// statusRecorder logs the request the moment its status is decided, before
// any byte reaches the client, so a test that has its response in hand always
// finds the request in the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	log    func(status int)
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
		s.log(code)
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.WriteHeader(http.StatusOK)
	}
	return s.ResponseWriter.Write(b)
}

// Wrap returns next behind the token check, the fault injector and the request log.
// tokenOK decides whether the request's credentials are acceptable; it is
// consulted only when h.Token is set.
func (h *Harness) Wrap(next http.Handler, tokenOK func(r *http.Request, token string) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, log: func(status int) {
			h.mu.Lock()
			h.log = append(h.log, Request{
				Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
				Status: status, Conditional: r.Header.Get("If-None-Match") != "",
			})
			h.mu.Unlock()
		}}
		if h.Now != nil {
			rec.Header().Set("Date", h.Now().UTC().Format(http.TimeFormat))
		}
		defer func() {
			if rec.status == 0 { // the handler wrote nothing: net/http answers 200
				rec.WriteHeader(http.StatusOK)
			}
		}()
		if h.Token != "" && tokenOK != nil && !tokenOK(r, h.Token) {
			rec.Header().Set("Content-Type", "application/json")
			rec.WriteHeader(http.StatusUnauthorized)
			rec.Write([]byte(`{"message":"Bad credentials"}`))
			return
		}
		if f := h.fire(r); f != nil {
			for k, vs := range f.Header {
				for _, v := range vs {
					rec.Header().Add(k, v)
				}
			}
			body := f.Body
			if body == "" {
				body = `{"message":"` + http.StatusText(f.Status) + `"}`
			}
			if rec.Header().Get("Content-Type") == "" {
				rec.Header().Set("Content-Type", "application/json")
			}
			rec.WriteHeader(f.Status)
			rec.Write([]byte(body))
			return
		}
		next.ServeHTTP(rec, r)
	})
}

func (h *Harness) fire(r *http.Request) *Fault {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, f := range h.faults {
		if f.Match != nil && !f.Match(r) {
			continue
		}
		f.seen++
		if f.seen <= f.After {
			continue
		}
		if f.Times > 0 && f.fired >= f.Times {
			continue
		}
		f.fired++
		return f
	}
	return nil
}

// PathHas matches requests whose path contains s.
func PathHas(s string) func(*http.Request) bool {
	return func(r *http.Request) bool { return strings.Contains(r.URL.Path, s) }
}
