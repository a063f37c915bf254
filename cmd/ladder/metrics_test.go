package main

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ladderhq/ladder/config"
)

// TestMetricsLint: every series passes the exposition linter (the checks of
// promtool check metrics) with every label set the config gives them, and
// the webhook receivers' counter moves only by WebhookDelivery.
func TestMetricsLint(t *testing.T) {
	cfg := &config.Config{Trackers: []config.Tracker{{Name: "gh", Kind: "github"}, {Name: "jira", Kind: "jira", URL: "https://acme.atlassian.net"}}}
	m := newRunMetrics(cfg, time.Now)
	m.WebhookDelivery("gh", "accepted")
	m.WebhookDelivery("gh", "accepted")
	if got := testutil.ToFloat64(m.webhooks.WithLabelValues("gh", "accepted")); got != 2 {
		t.Errorf("webhook deliveries = %v, want 2", got)
	}
	if got := testutil.ToFloat64(m.webhooks.WithLabelValues("jira", "rejected")); got != 0 {
		t.Errorf("jira rejected = %v, want 0", got)
	}
	problems, err := testutil.GatherAndLint(m.reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
	if n, err := testutil.GatherAndCount(m.reg); err != nil || n == 0 {
		t.Errorf("gathered %d series (%v)", n, err)
	}
}

// TestTrackerOf: requests are counted for the tracker whose base URL they
// fall under, including GitHub Enterprise's GraphQL endpoint, which lies
// beside its REST base rather than under it.
func TestTrackerOf(t *testing.T) {
	cfg := &config.Config{Trackers: []config.Tracker{
		{Name: "gh", Kind: "github"},
		{Name: "ghe", Kind: "github", URL: "https://git.acme.example/api/v3"},
		{Name: "jira", Kind: "jira", URL: "https://jira.acme.example/jira"},
		{Name: "jira-root", Kind: "jira", URL: "https://jira.acme.example"},
	}}
	m := newRunMetrics(cfg, time.Now)
	tests := []struct {
		name, url, want string
	}{
		{"github.com REST", "https://api.github.com/repos/acme/web/issues?page=2", "gh"},
		{"github.com GraphQL", "https://api.github.com/graphql", "gh"},
		{"a Link header's repositories form", "https://api.github.com/repositories/1296269/issues?page=3", "gh"},
		{"Enterprise REST", "https://git.acme.example/api/v3/repos/acme/web/issues", "ghe"},
		{"Enterprise GraphQL", "https://git.acme.example/api/graphql", "ghe"},
		{"Jira under a context path", "https://jira.acme.example/jira/rest/api/2/search", "jira"},
		{"Jira at the root of the same host", "https://jira.acme.example/rest/api/2/search", "jira-root"},
		{"somewhere else", "https://example.test/x", "other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := url.Parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.trackerOf(u); got != tt.want {
				t.Errorf("trackerOf(%s) = %q, want %q", tt.url, got, tt.want)
			}
		})
	}
}

// TestRefusesCredentials: a 401, or a 403 of permissions, is a refusal;
// GitHub's rate limits, which also answer 403, are not (a spent primary
// budget says X-RateLimit-Remaining: 0, a secondary limit sends Retry-After).
func TestRefusesCredentials(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header http.Header
		want   bool
	}{
		{"401", http.StatusUnauthorized, nil, true},
		{"403 without a rate limit", http.StatusForbidden, http.Header{"X-Ratelimit-Remaining": {"4999"}}, true},
		{"403 of a spent primary rate limit", http.StatusForbidden, http.Header{"X-Ratelimit-Remaining": {"0"}}, false},
		{"403 of a secondary rate limit", http.StatusForbidden, http.Header{"Retry-After": {"60"}}, false},
		{"403 from Jira Data Center with tokens left", http.StatusForbidden, http.Header{"Retry-After": {"0"}, "X-Ratelimit-Remaining": {"19"}}, true},
		{"429", http.StatusTooManyRequests, http.Header{"Retry-After": {"5"}}, false},
		{"200", http.StatusOK, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: tt.status, Header: tt.header}
			if resp.Header == nil {
				resp.Header = http.Header{}
			}
			if got := refusesCredentials(resp); got != tt.want {
				t.Errorf("refusesCredentials(%d %v) = %v, want %v", tt.status, tt.header, got, tt.want)
			}
		})
	}
}
