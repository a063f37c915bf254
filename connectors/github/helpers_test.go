package github

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
	"github.com/ladderhq/ladder/internal/trackertest"
)

const testToken = "ghp_test-secret-token"

// clock is the fake time source shared by the sandbox and the client.
type clock = trackertest.Clock

func newClock() *clock { return trackertest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) }

// content is what a sink holds, for comparing two sinks.
type content struct {
	Issues   map[string]ladder.Issue
	Comments map[string]ladder.Comment
}

func contentOf(s *trackertest.Sink) content {
	return content{Issues: s.Issues(), Comments: s.Comments()}
}

// genIssues builds n issues in repo: every 5th closed, every 3rd assigned,
// every 4th with two comments, every 25th blocked by the one before it and
// every 40th the parent of the next two.
func genIssues(repo string, n int, base time.Time) []ladder.Issue {
	var out []ladder.Issue
	key := func(i int) string { return fmt.Sprintf("%s#%d", repo, i) }
	for i := 1; i <= n; i++ {
		t := base.Add(time.Duration(i) * time.Minute)
		is := ladder.Issue{
			Ref:     ladder.Ref{Tracker: "gh", Key: key(i)},
			Title:   fmt.Sprintf("Issue %d of %s", i, repo),
			BodyRaw: fmt.Sprintf("## Context\nSee **issue** %d and [the docs](https://example.com/%d).", i, i),
			Labels:  []string{"area:" + []string{"api", "ui", "db"}[i%3]},
			Created: t, Updated: t, Reporter: "reporter", StatusCategory: ladder.StatusTodo,
		}
		if i%5 == 0 {
			is.StatusCategory = ladder.StatusDone
		}
		if i%3 == 0 {
			is.Assignee = "dev"
		}
		if i%4 == 0 {
			for j := range 2 {
				is.Comments = append(is.Comments, ladder.Comment{Author: "dev", Created: t.Add(time.Duration(j+1) * time.Second),
					Body: fmt.Sprintf("Comment %d on %d", j, i)})
			}
		}
		if i%25 == 0 {
			is.Links = append(is.Links, ladder.Link{Kind: ladder.BlockedBy, To: ladder.Ref{Tracker: "gh", Key: key(i - 1)}})
		}
		if p := (i - 1) / 40 * 40; p > 0 && i-p <= 2 {
			is.Parent = key(p)
		}
		out = append(out, is)
	}
	return out
}

type fixture struct {
	clock *clock
	srv   *sandbox.GitHub
	sink  *trackertest.Sink
}

func newFixture(t *testing.T, issues []ladder.Issue, opts sandbox.GitHubOptions) *fixture {
	t.Helper()
	f := &fixture{clock: newClock(), sink: trackertest.NewSink()}
	if opts.Token == "" {
		opts.Token = testToken
	}
	opts.Now = f.clock.Now
	f.srv = sandbox.NewGitHub(issues, opts)
	t.Cleanup(f.srv.Close)
	return f
}

// client builds a connector for the fixture's server; edit adjusts the config.
func (f *fixture) client(t *testing.T, repos []string, edit ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{Name: "gh", URL: f.srv.URL(), Token: testToken, Repos: repos,
		Sleep: f.clock.Sleep, Now: f.clock.Now}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// countPath counts logged requests whose path satisfies match.
func countPath(srv *sandbox.GitHub, match func(path string) bool) int {
	return srv.Count(func(r sandbox.Request) bool { return match(r.Path) })
}

// roundTripFunc stubs the HTTP layer for tests that only look at requests.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
