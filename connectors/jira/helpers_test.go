package jira

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
)

// canon is an issue as JSON; times compare by instant, not by *Location.
func canon(is ladder.Issue) string {
	b, err := json.Marshal(is)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// sleeps records the waits a client asked for instead of sleeping.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) list() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// clock is a settable Now for the fake site.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var base = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

const (
	testEmail = "bot@example.com"
	testToken = "s3cret-token-value"
)

type site struct {
	jira   *sandbox.Jira
	client *Client
	sleeps *sleeps
	clock  *clock
}

// newSite starts a fake site of deployment with issues and a client for it.
func newSite(t testing.TB, deployment string, issues []ladder.Issue, opts sandbox.JiraOptions, edit func(*Config)) *site {
	t.Helper()
	clk := &clock{t: base.Add(30 * 24 * time.Hour)}
	opts.Deployment = deployment
	opts.Email, opts.Token = testEmail, testToken
	if opts.Now == nil {
		opts.Now = clk.now
	}
	j := sandbox.NewJira(issues, opts)
	t.Cleanup(j.Close)
	sl := &sleeps{}
	cfg := Config{
		Name: "jira", URL: j.URL(), Deployment: deployment, Token: testToken,
		JQL: "project in (PAY, PLAT)", StoryPointsField: "auto",
		Sleep: sl.sleep, WriteSpacing: time.Millisecond,
	}
	if deployment == "cloud" {
		cfg.User = testEmail
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &site{jira: j, client: c, sleeps: sl, clock: clk}
}

func f64(v float64) *float64 { return &v }

// sampleIssues builds n issues across PAY and PLAT with epics, estimates
// (some missing), comments (some beyond the embedded cap) and links.
func sampleIssues(n int) []ladder.Issue {
	out := make([]ladder.Issue, 0, n)
	num := map[string]int{}
	lastEpic := map[string]string{}
	keys := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		proj := "PAY"
		if i%2 == 0 {
			proj = "PLAT"
		}
		num[proj]++
		key := fmt.Sprintf("%s-%d", proj, num[proj])
		keys = append(keys, key)
		created := base.Add(time.Duration(i) * time.Minute)
		is := ladder.Issue{
			Ref:            ladder.Ref{Key: key},
			Type:           "Story",
			Title:          fmt.Sprintf("Checkout step %d", i),
			BodyRaw:        fmt.Sprintf("h2. Why\n*Faster* checkout for [the docs|https://docs.example.com/%d].\n* one\n* two", i),
			StatusCategory: []ladder.StatusCategory{ladder.StatusTodo, ladder.StatusInProgress, ladder.StatusDone}[i%3],
			Assignee:       fmt.Sprintf("user%d", i%5),
			Reporter:       "pm",
			Created:        created,
			Updated:        created.Add(time.Duration(i%13) * time.Hour),
		}
		if i%3 == 0 {
			is.Labels = []string{"tech-debt"}
		}
		if i%10 == 1 {
			is.Type = "Epic"
			lastEpic[proj] = key
		} else if e := lastEpic[proj]; e != "" {
			is.Parent = e
		}
		if i%4 != 0 {
			is.Estimate = f64(float64(i % 5)) // includes real zeros
		}
		nc := i % 4
		if i%50 == 7 {
			nc = 27 // beyond the embedded cap
		}
		for k := 0; k < nc; k++ {
			is.Comments = append(is.Comments, ladder.Comment{
				Author: fmt.Sprintf("user%d", k%3), Created: created.Add(time.Duration(k+1) * time.Minute),
				Raw: fmt.Sprintf("comment %d on %s: {code}x := %d{code}", k, key, k),
			})
		}
		if i%6 == 0 && i > 1 {
			is.Links = append(is.Links, ladder.Link{Kind: ladder.BlockedBy, To: ladder.Ref{Key: keys[i-2]}, Via: "Blocks"})
		}
		if i%9 == 0 && i > 2 {
			is.Links = append(is.Links, ladder.Link{Kind: ladder.DependsOn, To: ladder.Ref{Key: keys[i-3]}, Via: "Dependency"})
		}
		out = append(out, is)
	}
	return out
}

// searches counts the search pages asked for (not the approximate count a
// progress line asks for once).
func searches(j *sandbox.Jira) int {
	return j.Harness().Count(func(r sandbox.Request) bool {
		return strings.Contains(r.Path, "/search") && !strings.HasSuffix(r.Path, "/approximate-count")
	})
}

// settle stops the site so that its request log is complete: the harness logs
// a request after the response went out, and Close waits for handlers.
func settle(j *sandbox.Jira) { j.Close() }
