package jira

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
	"github.com/ladderhq/ladder/internal/trackertest"
)

// TestTrackerContract runs the contract every tracker meets against the
// fake Jira, Cloud (token-paged /search/jql) and Data Center (offset-paged
// /search) alike.
func TestTrackerContract(t *testing.T) {
	for _, deployment := range []string{"cloud", "datacenter"} {
		t.Run(deployment, func(t *testing.T) {
			trackertest.Run(t, contractTarget{deployment: deployment})
		})
	}
}

type contractTarget struct{ deployment string }

func (contractTarget) Issue(n int) ladder.Issue {
	return ladder.Issue{Ref: ladder.Ref{Tracker: "jira", Key: fmt.Sprintf("PAY-%d", n)}, Type: "Story", Reporter: "pm"}
}

func (c contractTarget) Start(t *testing.T, issues []ladder.Issue, clock *trackertest.Clock) trackertest.Fake {
	j := sandbox.NewJira(issues, sandbox.JiraOptions{Deployment: c.deployment, Email: testEmail, Token: testToken, Now: clock.Now})
	t.Cleanup(j.Close)
	return &contractFake{jira: j, clock: clock, deployment: c.deployment}
}

type contractFake struct {
	jira       *sandbox.Jira
	clock      *trackertest.Clock
	deployment string
}

const contractPageSize = 100

func (f *contractFake) Client(t *testing.T, o trackertest.ClientOptions) trackertest.Client {
	t.Helper()
	cfg := Config{Name: "jira", URL: f.jira.URL(), Deployment: f.deployment, Token: testToken,
		JQL: "project = PAY", PageSize: contractPageSize, Sleep: f.clock.Sleep, Now: f.clock.Now, WriteSpacing: o.WriteSpacing}
	if f.deployment == "cloud" {
		cfg.User = testEmail
	}
	if o.Token != "" {
		cfg.Token = o.Token
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return contractClient{c}
}

func (f *contractFake) Harness() *sandbox.Harness { return f.jira.Harness() }
func (f *contractFake) PageSize() int             { return contractPageSize }
func (f *contractFake) Settle()                   { settle(f.jira) }

// Listing matches both search APIs.
func (f *contractFake) Listing(r *http.Request) bool { return strings.Contains(r.URL.Path, "/search") }

func (f *contractFake) Edit(key string, edit func(*ladder.Issue)) error {
	return f.jira.EditIssue(key, edit)
}

func (f *contractFake) Comment(key, author, body string) error {
	_, err := f.jira.AddComment(key, author, body)
	return err
}

func (f *contractFake) Add(is ladder.Issue) error {
	f.jira.AddIssue(is)
	return nil
}

type contractClient struct{ c *Client }

func (c contractClient) Sync(ctx context.Context, sink ladder.Sink, full bool, progress func(string, int)) (ladder.SyncStats, error) {
	return c.c.Sync(ctx, sink, full, progress)
}

func (c contractClient) Comment(ctx context.Context, key, body string) error {
	_, err := c.c.CreateComment(ctx, key, body, prop)
	return err
}
