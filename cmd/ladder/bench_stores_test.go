package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/config"
	"github.com/ladderhq/ladder/internal/pgstore"
	"github.com/ladderhq/ladder/internal/sandbox"
	"github.com/ladderhq/ladder/internal/store"
	"github.com/ladderhq/ladder/internal/storetest"
)

// BenchmarkStores puts the SQLite and the PostgreSQL store side by side in
// one run (PostgreSQL when LADDER_TEST_POSTGRES_URL names a server):
//
//   - first-sync: `ladder sync` end to end, both sandbox trackers over
//     loopback HTTP, LADDER_BENCH_SYNC_ISSUES issues (default 100,000) into
//     an empty store; one op is the whole first sync.
//
//   - incremental-1pct: the next sync after 1 % of those issues changed
//     upstream (the edits are not timed).
//
//   - analyze: `ladder analyze --format jsonl` over LADDER_BENCH_ISSUES
//     stored issues (default 100,000; filling the store is not timed), with
//     the peak heap.
//
//     LADDER_BENCH_ISSUES=1000000 go test ./cmd/ladder -run '^$' -bench Stores -benchtime 1x -timeout 60m
func BenchmarkStores(b *testing.B) {
	type backend struct {
		name  string
		fresh func(b *testing.B) string // a new empty store's value
	}
	backends := []backend{{"sqlite", func(b *testing.B) string { return filepath.Join(b.TempDir(), "ladder.db") }}}
	if os.Getenv(storetest.PostgresEnv) != "" {
		backends = append(backends, backend{"postgres", func(b *testing.B) string { return storetest.PostgresURL(b) }})
	} else {
		b.Log(storetest.PostgresEnv + " is not set: SQLite only")
	}
	syncN := benchSize(b, "LADDER_BENCH_SYNC_ISSUES", 100_000)
	analyzeN := benchSize(b, "LADDER_BENCH_ISSUES", 100_000)
	now := testNow(b)
	ghIssues, jiraIssues := sandbox.Synthetic(syncN, 1, now)
	gh := sandbox.NewGitHub(ghIssues, sandbox.GitHubOptions{Token: demoGitHubToken, RateLimit: 1 << 30})
	defer gh.Close()
	jira := sandbox.NewJira(jiraIssues, sandbox.JiraOptions{Deployment: "cloud", Email: demoJiraEmail, Token: demoJiraToken})
	defer jira.Close()
	cfg := syntheticConfig(b, ghIssues, gh.URL(), jira.URL())
	var out bytes.Buffer
	g := &globals{Stdout: &out, Stderr: &out, Getenv: func(k string) string { return demoEnv[k] }}
	var err error
	if g.Logger, err = newLogger(&out, "warn", "text"); err != nil {
		b.Fatal(err)
	}
	sync := func(b *testing.B) ladder.PutStats {
		var got ladder.PutStats
		stats, err := runSync(b.Context(), g, cfg, syncOptions{})
		if err != nil {
			b.Fatalf("%v\n%s", err, out.String())
		}
		for _, s := range stats {
			got.Add(s.Issues)
		}
		return got
	}
	edits := 0

	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			b.Run("first-sync", func(b *testing.B) {
				for range b.N {
					b.StopTimer()
					g.StorePath = be.fresh(b)
					b.StartTimer()
					if got := sync(b); got.New != syncN {
						b.Fatalf("synced %d new issues, want %d", got.New, syncN)
					}
				}
				b.ReportMetric(float64(b.N*syncN)/b.Elapsed().Seconds(), "issues/s")
				b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
				b.ReportMetric(0, "ns/op")
			})
			b.Run("incremental-1pct", func(b *testing.B) {
				b.StopTimer()
				g.StorePath = be.fresh(b)
				sync(b)
				updated := 0
				for range b.N {
					b.StopTimer()
					// 1 % of the issues, half on each tracker, get a new title.
					for i := range syncN / 100 {
						edits++
						retitle := func(is *ladder.Issue) { is.Title = fmt.Sprintf("%s (edit %d)", is.Title, edits) }
						var err error
						if i%2 == 0 && i/2 < len(ghIssues) {
							err = gh.EditIssue(ghIssues[(i*37)%len(ghIssues)].Key, retitle)
						} else {
							err = jira.EditIssue(jiraIssues[(i*37)%len(jiraIssues)].Key, retitle)
						}
						if err != nil {
							b.Fatal(err)
						}
					}
					b.StartTimer()
					updated += sync(b).Updated
				}
				b.StopTimer()
				if updated == 0 {
					b.Fatal("the incremental syncs updated nothing")
				}
				b.ReportMetric(float64(updated)/float64(b.N), "updated/run")
				b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
				b.ReportMetric(0, "ns/op")
			})
			b.Run("analyze", func(b *testing.B) {
				b.StopTimer()
				value := be.fresh(b)
				fillStore(b, value, analyzeN)
				dir := b.TempDir()
				yaml, err := sandbox.SampleOrg(now).RenderConfig(sandbox.ConfigVars{
					GitHubURL: "http://127.0.0.1:1/", JiraURL: "http://127.0.0.1:1", Store: value,
				})
				if err != nil {
					b.Fatal(err)
				}
				cfgPath := filepath.Join(dir, "ladder.yaml")
				if err := os.WriteFile(cfgPath, []byte(yaml), 0o644); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				benchAnalyze(b, cfgPath, analyzeN)
			})
		})
	}
}

// fillStore puts n synthetic issues into the store value names.
func fillStore(b *testing.B, value string, n int) {
	b.Helper()
	kind, where, err := config.ParseStore(value)
	if err != nil {
		b.Fatal(err)
	}
	var st interface {
		PutIssues(ctx context.Context, issues []ladder.Issue) (ladder.PutStats, error)
		Close() error
	}
	if kind == config.StorePostgres {
		st, err = pgstore.Open(b.Context(), where)
	} else {
		st, err = store.Open(b.Context(), where)
	}
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	const batch = 1000
	now := testNow(b)
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
}

// syntheticConfig is a config for the synthetic organisation's trackers.
func syntheticConfig(b *testing.B, ghIssues []ladder.Issue, ghURL, jiraURL string) *config.Config {
	b.Helper()
	repos := map[string]bool{}
	for _, is := range ghIssues {
		repos[is.Project] = true
	}
	var repoList []string
	for r := range repos {
		repoList = append(repoList, r)
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
`, ghURL, strings.Join(repoList, ", "), jiraURL)
	cfg, err := config.Parse("bench.yaml", []byte(yaml), config.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return cfg
}
