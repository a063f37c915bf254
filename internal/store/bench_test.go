package store

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
)

// benchIssue is a typical synced issue: a few hundred bytes of body, labels,
// two links and two comments.
func benchIssue(n int) ladder.Issue {
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Minute)
	body := strings.Repeat(fmt.Sprintf("Issue %d needs the checkout form to validate cards before submit. ", n), 6)
	key := fmt.Sprintf("PAY-%d", n)
	return ladder.Issue{
		Ref:            ladder.Ref{Tracker: "jira", Key: key},
		ID:             fmt.Sprint(10000 + n),
		URL:            "https://acme.atlassian.net/browse/" + key,
		Project:        "PAY",
		Type:           "Story",
		Title:          fmt.Sprintf("Checkout step %d validates the card", n),
		Body:           body,
		BodyRaw:        "h2. Context\n" + body,
		Labels:         []string{"goal:checkout", "team:payments"},
		Components:     []string{"Web"},
		Status:         "In Progress",
		StatusCategory: ladder.StatusInProgress,
		Assignee:       "ann",
		Reporter:       "bob",
		Created:        created,
		Updated:        created.Add(time.Hour),
		Estimate:       ptr(3.0),
		Parent:         "PAY-1",
		Milestone:      "Sprint 14",
		Links: []ladder.Link{
			{Kind: ladder.BlockedBy, To: ladder.Ref{Tracker: "jira", Key: fmt.Sprintf("PLAT-%d", n)}, Via: "Blocks"},
			{Kind: ladder.Relates, To: ladder.Ref{Tracker: "gh", Key: fmt.Sprintf("acme/api#%d", n)}, Via: "text"},
		},
		Comments: []ladder.Comment{
			{ID: fmt.Sprint(2*n + 1), Author: "ann", Created: created.Add(2 * time.Hour), Body: "Looks good, workaround for now."},
			{ID: fmt.Sprint(2*n + 2), Author: "bob", Created: created.Add(3 * time.Hour), Body: "Merged."},
		},
	}
}

func benchBatch(from, n int) []ladder.Issue {
	batch := make([]ladder.Issue, n)
	for i := range batch {
		batch[i] = benchIssue(from + i)
	}
	return batch
}

// BenchmarkPutIssues puts batches of 100 issues; one op is one batch.
func BenchmarkPutIssues(b *testing.B) {
	const size = 100
	b.Run("new", func(b *testing.B) {
		s := benchStore(b)
		batches := make([][]ladder.Issue, b.N)
		for i := range batches {
			batches[i] = benchBatch(i*size, size)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			if _, err := s.PutIssues(b.Context(), batches[i]); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b, b.N*size)
	})
	b.Run("unchanged", func(b *testing.B) {
		s := benchStore(b)
		const stored = 100
		for i := range stored {
			if _, err := s.PutIssues(b.Context(), benchBatch(i*size, size)); err != nil {
				b.Fatal(err)
			}
		}
		batches := make([][]ladder.Issue, stored)
		for i := range batches {
			batches[i] = benchBatch(i*size, size)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			st, err := s.PutIssues(b.Context(), batches[i%stored])
			if err != nil {
				b.Fatal(err)
			}
			if st.Unchanged != size {
				b.Fatalf("stats %+v, want all unchanged", st)
			}
		}
		reportRate(b, b.N*size)
	})
	b.Run("updated", func(b *testing.B) {
		s := benchStore(b)
		const stored = 100
		for i := range stored {
			if _, err := s.PutIssues(b.Context(), benchBatch(i*size, size)); err != nil {
				b.Fatal(err)
			}
		}
		batches := make([][]ladder.Issue, stored)
		for i := range batches {
			batches[i] = benchBatch(i*size, size)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			batch := batches[i%stored]
			for j := range batch {
				batch[j].Updated = batch[j].Updated.Add(time.Second)
			}
			if _, err := s.PutIssues(b.Context(), batch); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b, b.N*size)
	})
}

// BenchmarkEach walks whole stores of two sizes; one op is one full pass.
// B/issue and the peak heap staying level from the small store to the
// large one show that memory does not grow with the store.
func BenchmarkEach(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		s := benchStore(b)
		for i := 0; i < n; i += 1000 {
			if _, err := s.PutIssues(b.Context(), benchBatch(i, 1000)); err != nil {
				b.Fatal(err)
			}
		}
		for _, mode := range []struct {
			name string
			each func(context.Context, func(*ladder.Issue) error) error
		}{{"", s.Each}, {"/for-analysis", s.EachForAnalysis}} {
			benchEach(b, fmt.Sprintf("issues=%d%s", n, mode.name), n, mode.each)
		}
	}
}

// benchEach is one sub-benchmark of BenchmarkEach.
func benchEach(b *testing.B, name string, n int, each func(context.Context, func(*ladder.Issue) error) error) {
	b.Run(name, func(b *testing.B) {
		runtime.GC()
		var ms, start runtime.MemStats
		var peak uint64
		runtime.ReadMemStats(&start)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			seen := 0
			err := each(b.Context(), func(is *ladder.Issue) error {
				seen++
				if seen%10_000 == 0 {
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapInuse)
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			if seen != n {
				b.Fatalf("Each saw %d issues, want %d", seen, n)
			}
		}
		b.StopTimer()
		reportRate(b, b.N*n)
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.TotalAlloc-start.TotalAlloc)/float64(b.N*n), "B/issue")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	})
}

func benchStore(b *testing.B) *Store {
	b.Helper()
	s, err := Open(b.Context(), filepath.Join(b.TempDir(), "ladder.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func reportRate(b *testing.B, issues int) {
	b.Helper()
	b.ReportMetric(float64(issues)/b.Elapsed().Seconds(), "issues/s")
}
