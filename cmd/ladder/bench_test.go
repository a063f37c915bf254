package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/config"
	"github.com/ladderhq/ladder/internal/sandbox"
	"github.com/ladderhq/ladder/internal/store"
)

// BenchmarkSyncIntoStore measures `ladder sync` end to end: both sandbox
// trackers serving synthetic issues over loopback HTTP, both connectors, and
// the SQLite store on disk. One op is a full first sync of every issue.
//
//	go test ./cmd/ladder -run '^$' -bench SyncIntoStore -benchtime 3x
func BenchmarkSyncIntoStore(b *testing.B) {
	const n = 10000
	now := testNow(b)
	ghIssues, jiraIssues := sandbox.Synthetic(n, 1, now)
	gh := sandbox.NewGitHub(ghIssues, sandbox.GitHubOptions{Token: demoGitHubToken, RateLimit: 1 << 30})
	defer gh.Close()
	jira := sandbox.NewJira(jiraIssues, sandbox.JiraOptions{Deployment: "cloud", Email: demoJiraEmail, Token: demoJiraToken})
	defer jira.Close()

	repos := map[string]bool{}
	for _, is := range ghIssues {
		repos[is.Project] = true
	}
	var repoList []string
	for r := range repos {
		repoList = append(repoList, r)
	}
	comments := 0
	for _, is := range append(ghIssues, jiraIssues...) {
		comments += len(is.Comments)
	}
	yaml := fmt.Sprintf(`trackers:
  - name: gh
    kind: github
    url: %s
    token_env: LADDER_DEMO_GITHUB_TOKEN
    repos: [%s]
  - name: jira
    kind: jira
    deployment: cloud
    url: %s
    user_env: LADDER_DEMO_JIRA_EMAIL
    token_env: LADDER_DEMO_JIRA_TOKEN
    jql: project in (PAY, PLAT, DATA, GROW, MOB)
`, gh.URL(), strings.Join(repoList, ", "), jira.URL())
	cfg, err := config.Parse("bench.yaml", []byte(yaml), config.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	g := &globals{Stdout: &out, Stderr: &out, Getenv: func(k string) string { return demoEnv[k] }}
	if g.Logger, err = newLogger(&out, "warn", "text"); err != nil {
		b.Fatal(err)
	}
	var requests int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		g.StorePath = filepath.Join(b.TempDir(), "ladder.db")
		stats, err := runSync(b.Context(), g, cfg, syncOptions{})
		if err != nil {
			b.Fatalf("%v\n%s", err, out.String())
		}
		var got ladder.PutStats
		for _, s := range stats {
			got.Add(s.Issues)
			requests += s.Requests
		}
		if got.New != n {
			b.Fatalf("synced %d new issues, want %d", got.New, n)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(requests)/float64(b.N*n), "requests/issue")
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "issues/s")
	b.ReportMetric(float64(comments), "comments")
}

// BenchmarkAnalyzeStore measures `ladder analyze --format jsonl` end to end
// on a store already holding synthetic issues: both passes over the SQLite
// file, every verdict, JSON Lines written (to a discarding writer). Filling
// the store is not timed. LADDER_BENCH_ISSUES sets the size (default
// 100,000; 1,000,000 takes about two minutes to fill).
//
//	LADDER_BENCH_ISSUES=1000000 go test ./cmd/ladder -run '^$' -bench AnalyzeStore -benchtime 1x
func BenchmarkAnalyzeStore(b *testing.B) {
	n := benchSize(b, "LADDER_BENCH_ISSUES", 100_000)
	now := testNow(b)
	dir := b.TempDir()
	yaml, err := sandbox.SampleOrg(now).RenderConfig(sandbox.ConfigVars{
		GitHubURL: "http://127.0.0.1:1/", JiraURL: "http://127.0.0.1:1", Store: filepath.Join(dir, "ladder.db"),
	})
	if err != nil {
		b.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "ladder.yaml")
	if err := os.WriteFile(cfgPath, []byte(yaml), 0o644); err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(b.Context(), filepath.Join(dir, "ladder.db"))
	if err != nil {
		b.Fatal(err)
	}
	const batch = 1000
	issues := make([]ladder.Issue, 0, batch)
	for i := range n {
		issues = append(issues, sandbox.SyntheticIssue(i, 1, now))
		if len(issues) == batch || i == n-1 {
			if _, err := st.PutIssues(b.Context(), issues); err != nil {
				b.Fatal(err)
			}
			issues = issues[:0]
		}
	}
	st.Close()

	b.Run("analyze", func(b *testing.B) { benchAnalyze(b, cfgPath, n) })
	// explain reads every issue once and judges one.
	ref := sandbox.SyntheticIssue(n/2, 1, now).Ref.String()
	b.Run("explain", func(b *testing.B) {
		g := &globals{ConfigPath: cfgPath, Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
		if g.Logger, err = newLogger(io.Discard, "warn", "text"); err != nil {
			b.Fatal(err)
		}
		for range b.N {
			if err := runExplain(b.Context(), g, explainOptions{Ref: ref, Format: "json", AsOf: asOf{asOfDate}}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
		b.ReportMetric(0, "ns/op")
	})
}

// benchAnalyze runs `ladder analyze --format jsonl` over the store cfgPath
// names, which holds n issues, sampling the heap as it goes.
func benchAnalyze(b *testing.B, cfgPath string, n int) {
	var err error
	var lines countingWriter
	g := &globals{ConfigPath: cfgPath, Stdout: &lines, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	if g.Logger, err = newLogger(io.Discard, "warn", "text"); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	// The live heap (what the last collection kept) is what the run needs;
	// the heap in use between collections also holds garbage, up to as much
	// again with GOGC=100.
	peaks := sampleHeap(20 * time.Millisecond)
	b.ResetTimer()
	for range b.N {
		lines.n = 0
		if err := runAnalyze(b.Context(), g, analyzeOptions{Format: "jsonl", AsOf: asOf{asOfDate}}); err != nil {
			b.Fatal(err)
		}
		if lines.n != n {
			b.Fatalf("analyze wrote %d lines for %d issues", lines.n, n)
		}
	}
	b.StopTimer()
	peakLive, peakInUse := peaks()
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "issues/s")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
	b.ReportMetric(float64(peakLive)/(1<<20), "peak-live-heap-MB")
	b.ReportMetric(float64(peakInUse)/(1<<20), "peak-heap-MB")
	b.ReportMetric(0, "ns/op")
}

// countingWriter counts the lines written to it and keeps nothing.
type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += bytes.Count(p, []byte{'\n'})
	return len(p), nil
}

// BenchmarkPublishStore measures a nightly `ladder publish --apply` once
// every selected issue already has its comment: the sample organisation's
// config over synthetic issues served by both sandbox trackers. Syncing and
// the first publication (which creates the comments) are not timed; an op
// is one publication in which nothing changed. LADDER_BENCH_PUBLISH_ISSUES
// sets the size (default 5,000).
//
//	go test ./cmd/ladder -run '^$' -bench PublishStore -benchtime 3x
func BenchmarkPublishStore(b *testing.B) {
	n := benchSize(b, "LADDER_BENCH_PUBLISH_ISSUES", 5000)
	now := testNow(b)
	ghIssues, jiraIssues := sandbox.Synthetic(n, 1, now)
	org := sandbox.SampleOrg(now)
	for _, is := range org.GitHub {
		if is.Key == sandbox.SummaryIssue {
			ghIssues = append(ghIssues, is) // where the config publishes the report
		}
	}
	gh := sandbox.NewGitHub(ghIssues, sandbox.GitHubOptions{Token: demoGitHubToken, Login: "ladder-bot", RateLimit: 1 << 30})
	defer gh.Close()
	jira := sandbox.NewJira(jiraIssues, sandbox.JiraOptions{Deployment: "cloud", Email: demoJiraEmail, Token: demoJiraToken})
	defer jira.Close()
	dir := b.TempDir()
	yaml, err := org.RenderConfig(sandbox.ConfigVars{GitHubURL: gh.URL(), JiraURL: jira.URL(), Store: filepath.Join(dir, "ladder.db")})
	if err != nil {
		b.Fatal(err)
	}
	// Hardly any spacing between writes (the sandbox answers at once), and
	// no cap.
	yaml = strings.ReplaceAll(yaml, "write_interval: 10ms", "write_interval: 1ms") + "  max_writes: 1000000\n"
	cfgPath := filepath.Join(dir, "ladder.yaml")
	if err := os.WriteFile(cfgPath, []byte(yaml), 0o644); err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	g := &globals{ConfigPath: cfgPath, Stdout: &out, Stderr: &out, Getenv: func(k string) string { return demoEnv[k] }}
	if g.Logger, err = newLogger(&out, "warn", "text"); err != nil {
		b.Fatal(err)
	}
	cfg, err := g.loadConfig()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := runSync(b.Context(), g, cfg, syncOptions{}); err != nil {
		b.Fatalf("%v\n%s", err, out.String())
	}
	first, err := runPublish(b.Context(), g, cfg, publishOptions{Apply: true, Quiet: true, AsOf: asOf{asOfDate}})
	if err != nil {
		b.Fatalf("%v\n%s", err, out.String())
	}
	created := first.Counts[actCreate]
	if created < n/10 {
		b.Fatalf("the first publication created %d comments for %d issues", created, n)
	}
	requests := func() int { return gh.Count(nil) + jira.Harness().Count(nil) }
	// The sandbox trackers live in this process: what the heap holds before
	// the run (their issues and comments) is not the publication's.
	runtime.GC()
	base := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(base)
	peaks := sampleHeap(10 * time.Millisecond)
	before := requests()
	b.ResetTimer()
	for range b.N {
		res, err := runPublish(b.Context(), g, cfg, publishOptions{Apply: true, Quiet: true, AsOf: asOf{asOfDate}})
		if err != nil {
			b.Fatal(err)
		}
		if res.Counts[actUnchanged] != created {
			b.Fatalf("a publication with nothing changed: %v; want %d unchanged", res.Counts, created)
		}
	}
	b.StopTimer()
	peakLive, _ := peaks()
	b.ReportMetric(float64(created), "comments")
	b.ReportMetric(float64(requests()-before)/float64(b.N), "requests/run")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
	b.ReportMetric(float64(peakLive-min(peakLive, base[0].Value.Uint64()))/(1<<20), "publish-live-heap-MB")
	b.ReportMetric(0, "ns/op")
}

// benchSize reads a benchmark's size from the environment variable name.
func benchSize(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

// sampleHeap samples the heap every interval until the returned function is
// called, which returns the peaks of the live heap (what the last
// collection kept) and of the heap in use (garbage not yet collected too).
func sampleHeap(every time.Duration) func() (live, inUse uint64) {
	var peakLive, peakInUse uint64
	stop, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		var ms runtime.MemStats
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				metrics.Read(sample)
				peakLive = max(peakLive, sample[0].Value.Uint64())
				runtime.ReadMemStats(&ms)
				peakInUse = max(peakInUse, ms.HeapAlloc)
			}
		}
	}()
	return func() (uint64, uint64) {
		close(stop)
		<-sampled
		return peakLive, peakInUse
	}
}
