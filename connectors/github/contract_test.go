package github

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
	"github.com/ladderhq/ladder/internal/trackertest"
)

// TestTrackerContract runs the contract every tracker meets against the
// fake GitHub: one repository, with pull requests in its listing as GitHub
// has them.
func TestTrackerContract(t *testing.T) {
	trackertest.Run(t, contractTarget{})
}

type contractTarget struct{}

func (contractTarget) Issue(n int) ladder.Issue {
	return ladder.Issue{Ref: ladder.Ref{Tracker: "gh", Key: fmt.Sprintf("acme/api#%d", n)}, Reporter: "reporter"}
}

func (contractTarget) Start(t *testing.T, issues []ladder.Issue, clock *trackertest.Clock) trackertest.Fake {
	srv := sandbox.NewGitHub(issues, sandbox.GitHubOptions{Token: testToken, Now: clock.Now, PullRequests: 3,
		Orgs: map[string][]string{"acme": {"acme/api"}}})
	t.Cleanup(srv.Close)
	return &contractFake{srv: srv, clock: clock}
}

type contractFake struct {
	srv   *sandbox.GitHub
	clock *trackertest.Clock
}

func (f *contractFake) Client(t *testing.T, o trackertest.ClientOptions) trackertest.Client {
	t.Helper()
	cfg := Config{Name: "gh", URL: f.srv.URL(), Token: testToken, Repos: []string{"acme/api"},
		Sleep: f.clock.Sleep, Now: f.clock.Now, WriteSpacing: o.WriteSpacing}
	if o.Token != "" {
		cfg.Token = o.Token
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return contractClient{c}
}

func (f *contractFake) Harness() *sandbox.Harness    { return f.srv.Harness }
func (f *contractFake) Listing(r *http.Request) bool { return issueListing(r) }
func (f *contractFake) PageSize() int                { return perPage }
func (f *contractFake) Settle()                      { f.srv.Close() }

func (f *contractFake) Edit(key string, edit func(*ladder.Issue)) error {
	return f.srv.EditIssue(key, edit)
}

func (f *contractFake) Comment(key, author, body string) error {
	_, err := f.srv.AddComment(key, author, body)
	return err
}

func (f *contractFake) Add(is ladder.Issue) error { return f.srv.AddIssue(is) }

type contractClient struct{ c *Client }

func (c contractClient) Sync(ctx context.Context, sink ladder.Sink, full bool, progress func(string, int)) (ladder.SyncStats, error) {
	return c.c.Sync(ctx, sink, full, progress)
}

func (c contractClient) Comment(ctx context.Context, key, body string) error {
	_, err := c.c.CreateComment(ctx, key, body)
	return err
}
