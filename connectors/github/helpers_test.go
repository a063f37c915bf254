package github

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
)

const testToken = "ghp_test-secret-token"

// clock is a fake time source shared by the sandbox and the client: Sleep
// records what it was asked to wait and moves the clock on by that much, so
// rate-limit windows reset as they would in real time.
type clock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func newClock() *clock {
	return &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.t = c.t.Add(d)
	return ctx.Err()
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *clock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sleeps)
}

// memSink is an in-memory ladder.Sink with the store's semantics: issues
// upserted by ID, comments by (issue, comment ID) and skipped when their
// issue is not stored, each call all or nothing.
type memSink struct {
	mu       sync.Mutex
	issues   map[string]ladder.Issue // by ID
	byRef    map[ladder.Ref]string   // ref → ID
	comments map[string]ladder.Comment
	cursors  map[string]string
	puts     map[string]int // how often each issue ID was put
}

func newMemSink() *memSink {
	return &memSink{issues: map[string]ladder.Issue{}, byRef: map[ladder.Ref]string{},
		comments: map[string]ladder.Comment{}, cursors: map[string]string{}, puts: map[string]int{}}
}

func (s *memSink) PutIssues(_ context.Context, issues []ladder.Issue) (ladder.PutStats, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var st ladder.PutStats
	for _, is := range issues {
		if is.ID == "" {
			return ladder.PutStats{}, fmt.Errorf("issue %s without ID", is.Ref)
		}
	}
	for _, is := range issues {
		old, ok := s.issues[is.ID]
		switch {
		case !ok:
			st.New++
		case reflect.DeepEqual(old, is):
			st.Unchanged++
		default:
			st.Updated++
			delete(s.byRef, old.Ref)
		}
		s.issues[is.ID] = is
		s.byRef[is.Ref] = is.ID
		s.puts[is.ID]++
	}
	return st, nil
}

func (s *memSink) PutComments(_ context.Context, comments []ladder.IssueComment) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range comments {
		if _, ok := s.byRef[c.Issue]; !ok {
			continue
		}
		s.comments[c.Issue.String()+"/"+c.ID] = c.Comment
	}
	return nil
}

func (s *memSink) Cursor(_ context.Context, tracker, scope string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cursors[tracker+"\x00"+scope], nil
}

func (s *memSink) SaveCursor(_ context.Context, tracker, scope, cursor string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cursors[tracker+"\x00"+scope] = cursor
	return nil
}

// content is what the sink holds, for comparing two sinks.
type content struct {
	Issues   map[string]ladder.Issue
	Comments map[string]ladder.Comment
}

func (s *memSink) content() content {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := content{Issues: map[string]ladder.Issue{}, Comments: map[string]ladder.Comment{}}
	for k, v := range s.issues {
		c.Issues[k] = v
	}
	for k, v := range s.comments {
		c.Comments[k] = v
	}
	return c
}

func (s *memSink) issue(t *testing.T, key string) ladder.Issue {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.byRef[ladder.Ref{Tracker: "gh", Key: key}]
	if !ok {
		t.Fatalf("issue %s not in the sink", key)
	}
	return s.issues[id]
}

func (s *memSink) issueComments(key string) []ladder.Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ladder.Comment
	for k, c := range s.comments {
		if strings.HasPrefix(k, "gh:"+key+"/") {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b ladder.Comment) int { return strings.Compare(a.ID, b.ID) })
	return out
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
	sink  *memSink
}

func newFixture(t *testing.T, issues []ladder.Issue, opts sandbox.GitHubOptions) *fixture {
	t.Helper()
	f := &fixture{clock: newClock(), sink: newMemSink()}
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
