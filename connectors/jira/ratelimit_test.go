package jira

import (
	"bytes"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ladderhq/ladder/internal/sandbox"
	"github.com/ladderhq/ladder/internal/trackertest"
)

// logBuffer collects a client's log lines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func TestSyncHonoursRateLimitHeaders(t *testing.T) {
	// The fake site's clock, and so every response's Date, stands at now.
	now := base.Add(30 * 24 * time.Hour)
	tests := []struct {
		name       string
		header     http.Header
		times      int
		maxWait    time.Duration
		wantSleeps []time.Duration
		wantLog    string // "" wants no rate-limit line
	}{
		{name: "X-RateLimit-Reset alone, to the minute: waits to the end of that minute",
			header: sandbox.JiraRateLimit(0, now.Add(5*time.Minute)), times: 2,
			wantSleeps: []time.Duration{6 * time.Minute, 6 * time.Minute}, wantLog: "X-RateLimit-Reset: 2026-04-01T09:05Z"},
		{name: "X-RateLimit-Reset alone, four times (was given up after 15s)",
			header: sandbox.JiraRateLimit(0, now.Add(2*time.Minute)), times: 4,
			wantSleeps: []time.Duration{3 * time.Minute, 3 * time.Minute, 3 * time.Minute, 3 * time.Minute}, wantLog: "jira-quota-based"},
		{name: "X-RateLimit-Reset with seconds",
			header: http.Header{"X-Ratelimit-Reset": {now.Add(90 * time.Second).Format(time.RFC3339)}}, times: 1,
			wantSleeps: []time.Duration{90 * time.Second}, wantLog: "X-RateLimit-Reset"},
		{name: "Retry-After alone",
			header: sandbox.JiraRateLimit(7*time.Second, time.Time{}), times: 1,
			wantSleeps: []time.Duration{7 * time.Second}, wantLog: "Retry-After: 7"},
		{name: "both: the longer wins",
			header: sandbox.JiraRateLimit(30*time.Second, now.Add(2*time.Minute)), times: 1,
			wantSleeps: []time.Duration{3 * time.Minute}, wantLog: "Retry-After: 30, X-RateLimit-Reset"},
		{name: "a reset hours away waits the cap",
			header: sandbox.JiraRateLimit(0, now.Add(3*time.Hour)), times: 1,
			wantSleeps: []time.Duration{15 * time.Minute}, wantLog: "capped=true"},
		{name: "the cap is configurable",
			header: sandbox.JiraRateLimit(600*time.Second, time.Time{}), times: 1, maxWait: time.Minute,
			wantSleeps: []time.Duration{time.Minute}, wantLog: "capped=true"},
		{name: "a reset already past backs off",
			header: sandbox.JiraRateLimit(0, now.Add(-5*time.Minute)), times: 2,
			wantSleeps: []time.Duration{time.Second, 2 * time.Second}},
		{name: "neither header backs off",
			header: http.Header{}, times: 1,
			wantSleeps: []time.Duration{time.Second}},
	}
	for _, tt := range tests {
		for _, deployment := range []string{"cloud", "datacenter"} {
			t.Run(tt.name+" "+deployment, func(t *testing.T) {
				logs := &logBuffer{}
				s := newSite(t, deployment, sampleIssues(250), sandbox.JiraOptions{}, func(c *Config) {
					c.Logger = logs.logger()
					c.MaxWait = tt.maxWait
				})
				s.jira.Harness().AddFault(sandbox.Fault{
					Match: sandbox.PathHas("/search"), After: 1, Times: tt.times,
					Status: http.StatusTooManyRequests, Header: tt.header,
				})
				sink := trackertest.NewSink()
				stats, err := s.client.Sync(t.Context(), sink, false, nil)
				if err != nil {
					t.Fatal(err)
				}
				got := s.sleeps.list()
				if !slices.Equal(got, tt.wantSleeps) {
					t.Errorf("slept %v, want %v", got, tt.wantSleeps)
				}
				var sum time.Duration
				for _, d := range tt.wantSleeps {
					sum += d
				}
				if stats.Waited != sum {
					t.Errorf("Waited = %v, want %v", stats.Waited, sum)
				}
				if len(sink.Issues()) != 250 {
					t.Errorf("stored %d, want 250", len(sink.Issues()))
				}
				line := ""
				for _, l := range strings.Split(logs.String(), "\n") {
					if strings.Contains(l, "rate limited") {
						line = l
						break
					}
				}
				switch {
				case tt.wantLog == "" && line != "":
					t.Errorf("logged %q for a plain backoff", line)
				case tt.wantLog != "" && !strings.Contains(line, tt.wantLog):
					t.Errorf("rate-limit log line %q, want it to say %q", line, tt.wantLog)
				}
			})
		}
	}
}

func TestRateLimitWaitReadsTheResponseClock(t *testing.T) {
	c, err := New(Config{URL: "https://x", Deployment: "datacenter", Token: "t", JQL: "project = PAY",
		Now: func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	serverNow := time.Date(2026, 3, 2, 9, 0, 30, 0, time.UTC)
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
	}{
		{name: "reset against the response's Date, not the client's clock",
			header: http.Header{"Date": {serverNow.Format(http.TimeFormat)}, "X-Ratelimit-Reset": {"2026-03-02T09:02Z"}}, want: 150 * time.Second},
		{name: "Retry-After as an HTTP date",
			header: http.Header{"Date": {serverNow.Format(http.TimeFormat)}, "Retry-After": {serverNow.Add(40 * time.Second).Format(http.TimeFormat)}}, want: 40 * time.Second},
		{name: "reset as epoch seconds",
			header: http.Header{"Date": {serverNow.Format(http.TimeFormat)}, "X-Ratelimit-Reset": {"1772442090"}}, want: 60 * time.Second},
		{name: "no Date: the client's clock", header: http.Header{"X-Ratelimit-Reset": {"2030-01-01T00:10:00Z"}}, want: 10 * time.Minute},
		{name: "garbage", header: http.Header{"X-Ratelimit-Reset": {"soon"}, "Retry-After": {"later"}}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := c.rateLimitWait(tt.header); got != tt.want {
				t.Errorf("wait %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSyncWaitsAsA5xxRetryAfterSays(t *testing.T) {
	for _, status := range []int{http.StatusBadGateway, http.StatusServiceUnavailable} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			logs := &logBuffer{}
			s := newSite(t, "cloud", sampleIssues(150), sandbox.JiraOptions{}, func(c *Config) { c.Logger = logs.logger() })
			s.jira.Harness().AddFault(sandbox.Fault{Match: sandbox.PathHas("/search"), After: 1, Times: 1, Status: status, Header: sandbox.RetryAfter(9 * time.Second)})
			sink := trackertest.NewSink()
			if _, err := s.client.Sync(t.Context(), sink, false, nil); err != nil {
				t.Fatal(err)
			}
			if got := s.sleeps.list(); !slices.Equal(got, []time.Duration{9 * time.Second}) {
				t.Errorf("slept %v, want the 9s Retry-After said", got)
			}
			if !strings.Contains(logs.String(), "the server asked to wait") || strings.Contains(logs.String(), "rate limited") {
				t.Errorf("log %q: want the wait said, not called a rate limit", logs.String())
			}
		})
	}
}
