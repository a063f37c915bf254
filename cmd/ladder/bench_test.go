package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/config"
	"github.com/ladderhq/ladder/internal/sandbox"
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
	cfg, err := config.Parse("bench.yaml", []byte(yaml))
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
