package github

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ladderhq/ladder/internal/sandbox"
)

const secondaryBody = `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`

// TestSyncWaitsOutRateLimits: GitHub's kinds of rate limit, each waited
// out as GitHub documents. (A plain 429 with Retry-After is the tracker
// contract's.)
func TestSyncWaitsOutRateLimits(t *testing.T) {
	tests := []struct {
		name      string
		rateLimit int
		setup     func(t *testing.T, f *fixture)
		want      []time.Duration
	}{
		{
			name: "403 secondary limit with retry-after",
			setup: func(t *testing.T, f *fixture) {
				f.srv.AddFault(sandbox.Fault{After: 2, Status: 403, Header: sandbox.RetryAfter(30 * time.Second), Body: secondaryBody, Times: 1})
			},
			want: []time.Duration{30 * time.Second},
		},
		{
			name: "403 secondary limit without retry-after waits a minute",
			setup: func(t *testing.T, f *fixture) {
				f.srv.AddFault(sandbox.Fault{Status: 403, Body: secondaryBody, Times: 1})
			},
			want: []time.Duration{time.Minute},
		},
		{
			name: "429 without retry-after waits a minute",
			setup: func(t *testing.T, f *fixture) {
				f.srv.AddFault(sandbox.Fault{Match: sandbox.PathHas("/comments"), Status: 429, Times: 1})
			},
			want: []time.Duration{time.Minute},
		},
		{
			name:      "primary budget spent by someone else: 403 then wait until reset",
			rateLimit: 20,
			setup: func(t *testing.T, f *fixture) {
				for f.srv.RateRemaining() > 0 {
					req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, f.srv.URL()+"user", nil)
					req.Header.Set("Authorization", "Bearer "+testToken)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					resp.Body.Close()
				}
				f.clock.Advance(20 * time.Minute)
			},
			want: []time.Duration{40 * time.Minute},
		},
		{
			name:      "primary budget runs out mid-sync: pause until reset without a 403",
			rateLimit: 3,
			want:      []time.Duration{time.Hour, time.Hour},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, genIssues("acme/api", 60, base), sandbox.GitHubOptions{RateLimit: tt.rateLimit})
			if tt.setup != nil {
				tt.setup(t, f)
			}
			var logs bytes.Buffer
			c := f.client(t, []string{"acme/api"}, func(cfg *Config) {
				cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
			})
			f.srv.ResetLog()
			stats, err := c.Sync(t.Context(), f.sink, false, nil)
			if err != nil {
				t.Fatalf("Sync: %v", err)
			}
			if got := f.clock.Sleeps(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("slept %v, want %v", got, tt.want)
			}
			var total time.Duration
			for _, d := range tt.want {
				total += d
				if !strings.Contains(logs.String(), "wait="+d.String()) {
					t.Errorf("no logged wait of %s in:\n%s", d, logs.String())
				}
			}
			if stats.Waited != total {
				t.Errorf("Stats.Waited = %s, want %s", stats.Waited, total)
			}
			if len(f.sink.Issues()) != 60 {
				t.Errorf("sink holds %d issues, want 60", len(f.sink.Issues()))
			}
			if strings.Contains(logs.String(), testToken) {
				t.Error("the log contains the token")
			}
			if tt.rateLimit == 3 {
				if n := f.srv.Count(func(r sandbox.Request) bool { return r.Status == 403 }); n != 0 {
					t.Errorf("%d requests refused with 403; the spent budget should have paused the client first", n)
				}
			}
		})
	}
}

// flaky fails the first n attempts in one way, then passes requests on.
type flaky struct {
	mu   sync.Mutex
	n    int
	mode string // "timeout" (hang until the attempt times out) or "truncated"
}

func (f *flaky) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	fail := f.n > 0
	if fail {
		f.n--
	}
	f.mu.Unlock()
	if fail && f.mode == "timeout" {
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && fail {
		resp.Body = &truncated{ReadCloser: resp.Body, left: 10}
	}
	return resp, err
}

// truncated yields a few bytes of the body, then the error a connection
// closed mid-body gives.
type truncated struct {
	io.ReadCloser
	left int
}

func (t *truncated) Read(p []byte) (int, error) {
	if t.left == 0 {
		return 0, io.ErrUnexpectedEOF
	}
	n, err := t.ReadCloser.Read(p[:min(len(p), t.left)])
	t.left -= n
	return n, err
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name       string
		fault      *sandbox.Fault
		flaky      *flaky
		maxRetries int
		want       []time.Duration
		wantErr    []string
		attempts   int // requests to the issue listing, the ETag capture included
	}{
		{
			name:  "5xx retried then succeeds",
			fault: &sandbox.Fault{Match: issueListing, Status: 503, Times: 2},
			want:  []time.Duration{time.Second, 2 * time.Second}, attempts: 3 + 1,
		},
		{
			name:    "5xx beyond retries is reported",
			fault:   &sandbox.Fault{Match: issueListing, Status: 502},
			want:    []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second},
			wantErr: []string{`github tracker "gh": sync acme/api: list issues:`, "502", "gave up after 4 retries"}, attempts: 5,
		},
		{
			name:       "fewer retries configured",
			fault:      &sandbox.Fault{Match: issueListing, Status: 500},
			maxRetries: 1,
			want:       []time.Duration{time.Second},
			wantErr:    []string{"500", "gave up after 1 retries"}, attempts: 2,
		},
		{
			name:  "timeout retried",
			flaky: &flaky{n: 1, mode: "timeout"},
			want:  []time.Duration{time.Second}, attempts: 2 + 1,
		},
		{
			name:  "truncated body retried",
			flaky: &flaky{n: 2, mode: "truncated"},
			want:  []time.Duration{time.Second, 2 * time.Second}, attempts: 3 + 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, genIssues("acme/api", 30, base), sandbox.GitHubOptions{})
			if tt.fault != nil {
				f.srv.AddFault(*tt.fault)
			}
			c := f.client(t, []string{"acme/api"}, func(cfg *Config) {
				cfg.MaxRetries = tt.maxRetries
				if tt.flaky != nil {
					cfg.HTTPClient = &http.Client{Transport: tt.flaky, Timeout: 50 * time.Millisecond}
				}
			})
			stats, err := c.Sync(t.Context(), f.sink, false, nil)
			if len(tt.wantErr) == 0 && err != nil {
				t.Fatalf("Sync: %v", err)
			}
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatal("Sync succeeded")
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not contain %q", err, w)
					}
				}
			}
			if got := f.clock.Sleeps(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("slept %v, want %v", got, tt.want)
			}
			// A timed-out or truncated attempt may or may not have reached the
			// server's log, so count at the client for those.
			got := f.srv.Count(func(r sandbox.Request) bool { return strings.HasSuffix(r.Path, "/issues") })
			if tt.flaky != nil {
				got = stats.Requests - (len(f.srv.Requests()) - got)
			}
			if got != tt.attempts {
				t.Errorf("issue listing attempts = %d, want %d", got, tt.attempts)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		n    int
		want time.Duration
	}{{1, time.Second}, {2, 2 * time.Second}, {4, 8 * time.Second}, {6, 32 * time.Second}, {20, 32 * time.Second}}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.n), func(t *testing.T) {
			if got := backoff(tt.n); got != tt.want {
				t.Errorf("backoff(%d) = %s, want %s", tt.n, got, tt.want)
			}
		})
	}
}

func TestNextLink(t *testing.T) {
	tests := []struct {
		name, header, want string
	}{
		{"none", "", ""},
		{"next and last", `<https://api.github.com/repos/a/b/issues?page=2>; rel="next", <https://api.github.com/repos/a/b/issues?page=5>; rel="last"`, "https://api.github.com/repos/a/b/issues?page=2"},
		{"last page", `<https://api.github.com/repos/a/b/issues?page=1>; rel="first", <https://api.github.com/repos/a/b/issues?page=4>; rel="prev"`, ""},
		{"next not first", `<https://x/p?page=1>; rel="prev", <https://x/p?page=3>; rel="next"`, "https://x/p?page=3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nextLink(tt.header); got != tt.want {
				t.Errorf("nextLink = %q, want %q", got, tt.want)
			}
		})
	}
}
