package github

import (
	"testing"
	"time"

	"github.com/ladderhq/ladder/internal/sandbox"
	"github.com/ladderhq/ladder/internal/trackertest"
)

// BenchmarkSync syncs 10,000 issues (5,000 comments, 400 blocked issues,
// 250 parents of sub-issues, 50 pull requests) from the fake GitHub over
// loopback HTTP into an in-memory sink: in full, and again when nothing
// changed. The API's floor for a full sync is one request per 100 issues,
// one per 100 comments and one per issue that really has blockers or
// sub-issues.
func BenchmarkSync(b *testing.B) {
	const n = 10_000
	issues := genIssues("acme/api", n, base)
	clk := newClock()
	srv := sandbox.NewGitHub(issues, sandbox.GitHubOptions{Token: testToken, PullRequests: 50, RateLimit: 1 << 30, Now: clk.Now})
	defer srv.Close()
	newClient := func(b *testing.B) *Client {
		c, err := New(Config{Name: "gh", URL: srv.URL(), Token: testToken, Repos: []string{"acme/api"}, Sleep: clk.Sleep, Now: clk.Now})
		if err != nil {
			b.Fatal(err)
		}
		return c
	}

	b.Run("full", func(b *testing.B) {
		c := newClient(b)
		var requests, put int
		start := time.Now()
		for b.Loop() {
			stats, err := c.Sync(b.Context(), trackertest.NewSink(), true, nil)
			if err != nil {
				b.Fatal(err)
			}
			requests += stats.Requests
			put += stats.Issues.New
		}
		if put != n*b.N {
			b.Fatalf("put %d issues over %d runs, want %d each", put, b.N, n)
		}
		b.ReportMetric(float64(requests)/float64(put), "requests/issue")
		b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
		b.ReportMetric(float64(put)/time.Since(start).Seconds(), "issues/s")
	})

	b.Run("unchanged", func(b *testing.B) {
		c := newClient(b)
		sink := trackertest.NewSink()
		if _, err := c.Sync(b.Context(), sink, false, nil); err != nil {
			b.Fatal(err)
		}
		quota := srv.RateRemaining()
		var requests, notModified int
		for b.Loop() {
			stats, err := c.Sync(b.Context(), sink, false, nil)
			if err != nil {
				b.Fatal(err)
			}
			requests += stats.Requests
			notModified += stats.NotModified
		}
		if notModified != requests || srv.RateRemaining() != quota {
			b.Fatalf("%d of %d requests answered 304; quota %d → %d", notModified, requests, quota, srv.RateRemaining())
		}
		b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
		b.ReportMetric(float64(quota-srv.RateRemaining())/float64(b.N), "quota/op")
	})
}
