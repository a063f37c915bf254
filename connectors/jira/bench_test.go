package jira

import (
	"testing"
	"time"

	"github.com/ladderhq/ladder/internal/sandbox"
	"github.com/ladderhq/ladder/internal/trackertest"
)

// BenchmarkSync runs a full Cloud sync of 10,000 issues with comments (some
// past the embedded cap) and links against the fake site over loopback HTTP.
// The figures include the fake server's own work on the same cores.
func BenchmarkSync(b *testing.B) {
	const n = 10000
	s := newSite(b, "cloud", sampleIssues(n), sandbox.JiraOptions{}, nil)
	var requests int
	start := time.Now()
	for b.Loop() {
		stats, err := s.client.Sync(b.Context(), trackertest.NewSink(), true, nil)
		if err != nil {
			b.Fatal(err)
		}
		if stats.Issues.New != n {
			b.Fatalf("synced %d issues, want %d", stats.Issues.New, n)
		}
		requests = stats.Requests
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(requests)/n, "requests/issue")
	b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "issues/s")
}
