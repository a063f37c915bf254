// Package sandbox serves fake GitHub and Jira (Cloud and Data Center) APIs
// over real HTTP from an in-memory dataset. The responses follow the real
// shapes — pagination, rate-limit headers, ETag/304, 401 on a bad token, 410
// on Jira Cloud's removed search — so connectors are tested against what the
// real trackers do. Tests, `ladder demo` and `ladder sandbox` use it; it
// never touches a network beyond loopback.
package sandbox

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
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

// Write reports whether the request would change data. Some reads are
// POSTs: Jira's POST /comment/list and POST /search/jql, GraphQL queries
// (the sandbox serves no mutations), and a GitHub App's request for an
// installation token.
func (r Request) Write() bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return false
	}
	if r.Method == http.MethodPost {
		for _, read := range []string{"/comment/list", "/search/jql", "/search", "/search/approximate-count", "/graphql", "/access_tokens"} {
			if strings.HasSuffix(r.Path, read) {
				return false
			}
		}
	}
	return true
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

// newServer serves h on l, or on a fresh loopback port when l is nil.
func newServer(l net.Listener, h http.Handler) *httptest.Server {
	if l == nil {
		return httptest.NewServer(h)
	}
	s := httptest.NewUnstartedServer(h)
	s.Listener.Close()
	s.Listener = l
	s.Start()
	return s
}

// Listen opens a listener on addr (host:port) for a fake tracker. The
// sandbox serves loopback only: an empty host is 127.0.0.1, and any other
// host than localhost or a loopback address is an error, as is port 0 (an
// empty addr picks a free port instead).
func Listen(addr string) (net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: address %q: want host:port, e.g. 127.0.0.1:8080", addr)
	}
	switch ip := net.ParseIP(host); {
	case host == "":
		host = "127.0.0.1"
	case host == "localhost", ip != nil && ip.IsLoopback():
	default:
		return nil, fmt.Errorf("sandbox: address %q: the sandbox serves loopback only (127.0.0.1, ::1 or localhost)", addr)
	}
	if host == "localhost" {
		host = "127.0.0.1" // one address, the one the config will name
	}
	l, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen on %s: %w", net.JoinHostPort(host, port), err)
	}
	return l, nil
}

// Credentials the sandbox trackers accept. They exist only in this package's
// fake servers, which is why they may be printed.
const (
	GitHubToken = "demo-github-token"
	JiraEmail   = "ladder@acme.example"
	JiraToken   = "demo-jira-token"
)

// TrackersOptions say what StartTrackers serves and where.
type TrackersOptions struct {
	// Now places the organisation's issues in time; the servers' own clock
	// is the real one.
	Now time.Time
	// Issues, when positive, serves SyntheticOrg of that many issues
	// instead of SampleOrg.
	Issues int
	// Deployment is the Jira site's, "cloud" (the default) or "datacenter".
	Deployment string
	// GitHubAddr and JiraAddr are loopback host:port addresses to serve on
	// (see Listen); empty picks a free port.
	GitHubAddr, JiraAddr string
	// GitHubRateLimit is GitHub's primary budget per hour; 0 is GitHub's
	// own 5,000 for the sample organisation, and for a synthetic one as
	// much as a first sync of it takes, so that it never waits an hour.
	GitHubRateLimit int
}

// Trackers are an organisation served by a fake GitHub and a fake Jira:
// what `ladder demo` runs its pipeline against and `ladder sandbox` serves
// for people to try Ladder on.
type Trackers struct {
	Org        Org
	GitHub     *GitHub
	Jira       *Jira
	Deployment string
}

// EnvVar is one environment variable the organisation's config names.
type EnvVar struct{ Name, Value string }

// StartTrackers starts both fake trackers serving o's organisation; Close
// stops them.
func StartTrackers(o TrackersOptions) (*Trackers, error) {
	switch o.Deployment {
	case "":
		o.Deployment = "cloud"
	case "cloud", "datacenter":
	default:
		return nil, fmt.Errorf("sandbox: Jira deployment %q: want cloud or datacenter", o.Deployment)
	}
	if o.Issues < 0 {
		return nil, fmt.Errorf("sandbox: %d issues: want a positive number, or 0 for the sample organisation", o.Issues)
	}
	org := SampleOrg(o.Now)
	rate := o.GitHubRateLimit
	if o.Issues > 0 {
		org = SyntheticOrg(o.Issues, 1, o.Now)
		if rate == 0 {
			rate = max(5000, 2*o.Issues) // listings, comments and every dependency lookup
		}
	}
	ghl, err := Listen(o.GitHubAddr)
	if err != nil {
		return nil, err
	}
	jl, err := Listen(o.JiraAddr)
	if err != nil {
		ghl.Close()
		return nil, err
	}
	t := &Trackers{Org: org, Deployment: o.Deployment}
	t.GitHub = NewGitHub(org.GitHub, GitHubOptions{Token: GitHubToken, Login: "ladder-bot", PullRequests: 3, RateLimit: rate, Listener: ghl})
	t.Jira = NewJira(org.Jira, JiraOptions{Deployment: o.Deployment, Email: JiraEmail, Token: JiraToken, Listener: jl})
	return t, nil
}

// Close stops both trackers.
func (t *Trackers) Close() {
	t.GitHub.Close()
	t.Jira.Close()
}

// Config is the organisation's ladder.yaml for these trackers, with its
// store at store (relative to the config file, or absolute).
func (t *Trackers) Config(store string) (string, error) {
	return t.Org.RenderConfig(ConfigVars{GitHubURL: t.GitHub.URL(), JiraURL: t.Jira.URL(), Store: store, JiraDeployment: t.Deployment})
}

// Env lists the environment variables the config names, with the values
// the trackers accept: Data Center takes its personal access token alone.
func (t *Trackers) Env() []EnvVar {
	env := []EnvVar{{GitHubTokenEnv, GitHubToken}}
	if t.Deployment != "datacenter" {
		env = append(env, EnvVar{JiraEmailEnv, JiraEmail})
	}
	return append(env, EnvVar{JiraTokenEnv, JiraToken})
}
