package github

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
	"github.com/ladderhq/ladder/internal/trackertest"
)

var base = time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)

// TestSyncListingPagesAndQuota: what the tracker contract cannot say about
// GitHub's listing. Pull requests come in the issue listing and are never
// stored as issues; the pages are the listing's own plus at most one
// request that learns the next run's ETag; the quota left is the server's.
// (Every issue stored once is the tracker contract's, in contract_test.go.)
func TestSyncListingPagesAndQuota(t *testing.T) {
	tests := []struct {
		name   string
		issues int
		prs    int
	}{
		{name: "empty repo", issues: 0},
		{name: "one short page", issues: 7, prs: 2},
		{name: "exactly one full page", issues: 100},
		{name: "250 issues and pull requests over pages", issues: 250, prs: 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, genIssues("acme/api", tt.issues, base), sandbox.GitHubOptions{PullRequests: tt.prs,
				Orgs: map[string][]string{"acme": {"acme/api"}}})
			c := f.client(t, []string{"acme/api"})
			stats, err := c.Sync(t.Context(), f.sink, false, func(scope string, n int) {
				if scope != "acme/api" {
					t.Errorf("progress scope = %q", scope)
				}
			})
			if err != nil {
				t.Fatalf("Sync: %v", err)
			}
			if got := len(f.sink.Issues()); got != tt.issues {
				t.Errorf("sink holds %d issues, want %d", got, tt.issues)
			}
			for _, is := range f.sink.Issues() {
				if strings.HasPrefix(is.Title, "Pull request") {
					t.Errorf("pull request %s stored as an issue", is.Key)
				}
			}
			// Pages of issues (pull requests included, as GitHub lists them),
			// plus at most one capture request per listing for the next ETag.
			pages := max(1, (tt.issues+tt.prs+perPage-1)/perPage)
			listings := countPath(f.srv, func(p string) bool { return strings.HasSuffix(p, "/issues") })
			if listings < pages || listings > pages+1 {
				t.Errorf("issue listing requests = %d, want %d pages (+1 capture)", listings, pages)
			}
			if stats.Scopes != 1 || stats.QuotaRemaining != f.srv.RateRemaining() {
				t.Errorf("Scopes = %d, QuotaRemaining = %d (server %d)", stats.Scopes, stats.QuotaRemaining, f.srv.RateRemaining())
			}
		})
	}
}

func TestSyncConvertsIssues(t *testing.T) {
	closed := base.Add(48 * time.Hour)
	issues := []ladder.Issue{
		{Ref: ladder.Ref{Tracker: "gh", Key: "acme/api#1"}, ID: "9001", Title: "Checkout fails",
			BodyRaw: "# Bug\n\nThe **payment form** breaks, see acme/web#4.\n\n<!-- hidden -->", Labels: []string{"bug", "estimate:3"},
			Reporter: "ann", Created: base, Updated: base, StatusCategory: ladder.StatusTodo, Milestone: "Q1", Type: "Bug"},
		{Ref: ladder.Ref{Tracker: "gh", Key: "acme/api#2"}, Title: "Assigned work", Assignee: "bob",
			Created: base, Updated: base, StatusCategory: ladder.StatusInProgress, Parent: "acme/api#1",
			Links: []ladder.Link{{Kind: ladder.BlockedBy, To: ladder.Ref{Tracker: "gh", Key: "acme/web#4"}}}},
		{Ref: ladder.Ref{Tracker: "gh", Key: "acme/api#3"}, Title: "Done", Labels: []string{"points: 2.5"},
			Created: base, Updated: closed, Resolved: &closed, StatusCategory: ladder.StatusDone},
	}
	f := newFixture(t, issues, sandbox.GitHubOptions{})
	if _, err := f.client(t, []string{"acme/api"}).Sync(t.Context(), f.sink, false, nil); err != nil {
		t.Fatalf("Sync: %v", err)
	}
	three, twoAndHalf := 3.0, 2.5
	tests := []struct {
		key  string
		want func(*ladder.Issue)
	}{
		{key: "acme/api#1", want: func(w *ladder.Issue) {
			w.ID, w.Type, w.Status, w.StatusCategory = "9001", "Bug", "open", ladder.StatusTodo
			w.Title, w.Reporter, w.Milestone = "Checkout fails", "ann", "Q1"
			w.Body = "Bug\n\nThe payment form breaks, see acme/web#4."
			w.BodyRaw = issues[0].BodyRaw
			w.Labels, w.Estimate = []string{"bug", "estimate:3"}, &three
			w.Links = []ladder.Link{{Kind: ladder.ChildOf, To: ladder.Ref{Tracker: "gh", Key: "acme/api#2"}, Via: "sub-issue"}}
		}},
		{key: "acme/api#2", want: func(w *ladder.Issue) {
			w.Type, w.Status, w.StatusCategory = "Issue", "open", ladder.StatusInProgress
			w.Title, w.Reporter, w.Assignee, w.Parent = "Assigned work", "ghost", "bob", "acme/api#1"
			w.Links = []ladder.Link{{Kind: ladder.BlockedBy, To: ladder.Ref{Tracker: "gh", Key: "acme/web#4"}, Via: "github dependency"}}
		}},
		{key: "acme/api#3", want: func(w *ladder.Issue) {
			w.Type, w.Status, w.StatusCategory = "Issue", "closed (completed)", ladder.StatusDone
			w.Title, w.Reporter, w.Resolved = "Done", "ghost", &closed
			w.Labels, w.Estimate = []string{"points: 2.5"}, &twoAndHalf
			w.Updated = closed
		}},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			got := f.sink.Issue(t, tt.key)
			want := ladder.Issue{Ref: ladder.Ref{Tracker: "gh", Key: tt.key}, ID: got.ID, Project: "acme/api",
				URL: f.srv.URL() + strings.Replace(tt.key, "#", "/issues/", 1), Created: base, Updated: base}
			tt.want(&want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("issue:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestSyncUnchangedCostsOnly304s(t *testing.T) {
	issues := append(genIssues("acme/api", 230, base), genIssues("acme/web", 12, base)...)
	tests := []struct {
		name  string
		repos []string
		orgs  []string
	}{
		{name: "repos", repos: []string{"acme/api", "acme/web"}},
		{name: "org", orgs: []string{"acme"}},
		{name: "empty repo", repos: []string{"acme/empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, issues, sandbox.GitHubOptions{PullRequests: 3,
				Orgs: map[string][]string{"acme": {"acme/api", "acme/web", "acme/empty"}}})
			c := f.client(t, tt.repos, func(cfg *Config) { cfg.Orgs = tt.orgs })
			if _, err := c.Sync(t.Context(), f.sink, false, nil); err != nil {
				t.Fatalf("first Sync: %v", err)
			}
			before := contentOf(f.sink)
			quota := f.srv.RateRemaining()
			f.srv.ResetLog()

			stats, err := c.Sync(t.Context(), f.sink, false, nil)
			if err != nil {
				t.Fatalf("second Sync: %v", err)
			}
			reqs := f.srv.Requests()
			if len(reqs) == 0 {
				t.Fatal("second sync made no request at all")
			}
			for _, r := range reqs {
				if !r.Conditional || r.Status != 304 {
					t.Errorf("%s %s?%s: conditional=%v status=%d, want a conditional request answered 304", r.Method, r.Path, r.Query, r.Conditional, r.Status)
				}
			}
			if stats.Requests != len(reqs) || stats.NotModified != len(reqs) {
				t.Errorf("Stats.Requests = %d, NotModified = %d, want both %d", stats.Requests, stats.NotModified, len(reqs))
			}
			if stats.Issues != (ladder.PutStats{}) || stats.Comments != 0 {
				t.Errorf("second sync put %+v issues and %d comments, want nothing", stats.Issues, stats.Comments)
			}
			if got := f.srv.RateRemaining(); got != quota {
				t.Errorf("quota went from %d to %d, want untouched", quota, got)
			}
			if !reflect.DeepEqual(contentOf(f.sink), before) {
				t.Error("sink content changed")
			}
		})
	}
}

// TestSyncPicksUpChanges: the GitHub side of an incremental sync — a
// closed issue gets its closed_at, a dependency comes from the dependencies
// API, and the run after is back to 304s only. (Edits, comments and new
// issues caught are the tracker contract's.)
func TestSyncPicksUpChanges(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(f *fixture) error
		check   func(t *testing.T, s *trackertest.Sink)
		wantNew int
	}{
		{
			name: "issue closed",
			edit: func(f *fixture) error {
				return f.srv.EditIssue("acme/api#3", func(is *ladder.Issue) { is.StatusCategory = ladder.StatusDone })
			},
			check: func(t *testing.T, s *trackertest.Sink) {
				if got := s.Issue(t, "acme/api#3"); got.StatusCategory != ladder.StatusDone || got.Resolved == nil {
					t.Errorf("status = %s, resolved = %v", got.StatusCategory, got.Resolved)
				}
			},
		},
		{
			name: "dependency added",
			edit: func(f *fixture) error {
				return f.srv.EditIssue("acme/api#7", func(is *ladder.Issue) {
					is.Links = append(is.Links, ladder.Link{Kind: ladder.BlockedBy, To: ladder.Ref{Tracker: "gh", Key: "acme/api#8"}})
				})
			},
			check: func(t *testing.T, s *trackertest.Sink) {
				want := []ladder.Link{{Kind: ladder.BlockedBy, To: ladder.Ref{Tracker: "gh", Key: "acme/api#8"}, Via: "github dependency"}}
				if got := s.Issue(t, "acme/api#7").Links; !reflect.DeepEqual(got, want) {
					t.Errorf("links = %+v", got)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, genIssues("acme/api", 150, base), sandbox.GitHubOptions{PullRequests: 2})
			c := f.client(t, []string{"acme/api"})
			if _, err := c.Sync(t.Context(), f.sink, false, nil); err != nil {
				t.Fatalf("first Sync: %v", err)
			}
			f.clock.Advance(time.Hour)
			if err := tt.edit(f); err != nil {
				t.Fatal(err)
			}
			stats, err := c.Sync(t.Context(), f.sink, false, nil)
			if err != nil {
				t.Fatalf("second Sync: %v", err)
			}
			tt.check(t, f.sink)
			if stats.Issues.New+stats.Issues.Updated+stats.Comments == 0 {
				t.Errorf("second sync saw no change: %+v", stats)
			}
			if stats.Issues.New != tt.wantNew {
				t.Errorf("second sync found %d new issues, want %d", stats.Issues.New, tt.wantNew)
			}
			// The next sync is back to 304s only.
			f.srv.ResetLog()
			stats, err = c.Sync(t.Context(), f.sink, false, nil)
			if err != nil {
				t.Fatalf("third Sync: %v", err)
			}
			if stats.NotModified != stats.Requests || stats.Requests != 2 {
				t.Errorf("third sync: %d requests, %d answered 304; want 2 and 2", stats.Requests, stats.NotModified)
			}
		})
	}
}

func TestSyncFullIgnoresCursor(t *testing.T) {
	f := newFixture(t, genIssues("acme/api", 120, base), sandbox.GitHubOptions{})
	c := f.client(t, []string{"acme/api"})
	if _, err := c.Sync(t.Context(), f.sink, false, nil); err != nil {
		t.Fatal(err)
	}
	f.srv.ResetLog()
	stats, err := c.Sync(t.Context(), f.sink, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if stats.NotModified != 0 || f.srv.Count(func(r sandbox.Request) bool { return r.Conditional }) != 0 {
		t.Errorf("full sync made conditional requests (%d answered 304)", stats.NotModified)
	}
	if stats.Issues.Unchanged != 120 || stats.Issues.New+stats.Issues.Updated != 0 {
		t.Errorf("full sync PutStats = %+v, want 120 unchanged", stats.Issues)
	}
}

// TestSyncInterruptedConverges stops a sync of two repositories in the
// second one, then syncs again; the sink must end up exactly as after one
// uninterrupted sync. (A single scope interrupted by cancellation or by the
// server is the tracker contract's.)
func TestSyncInterruptedConverges(t *testing.T) {
	issues := append(genIssues("acme/api", 260, base), genIssues("acme/web", 90, base)...)
	repos := []string{"acme/api", "acme/web"}
	tests := []struct {
		name string
		// interrupt returns the progress callback and a context for the
		// interrupted sync.
		interrupt func(t *testing.T, f *fixture) (context.Context, func(string, int))
		// afterFirst edits the data between an initial complete sync and
		// the interrupted one; nil means the interrupted sync is the first.
		afterFirst func(f *fixture) error
	}{
		{
			name: "server fails in the second repo",
			interrupt: func(t *testing.T, f *fixture) (context.Context, func(string, int)) {
				f.srv.AddFault(sandbox.Fault{Match: sandbox.PathHas("acme/web"), After: 1, Status: 502})
				return t.Context(), nil
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, issues, sandbox.GitHubOptions{PullRequests: 5})
			c := f.client(t, repos)
			if tt.afterFirst != nil {
				if _, err := c.Sync(t.Context(), f.sink, false, nil); err != nil {
					t.Fatalf("initial Sync: %v", err)
				}
				if err := tt.afterFirst(f); err != nil {
					t.Fatal(err)
				}
			}
			ctx, progress := tt.interrupt(t, f)
			if _, err := c.Sync(ctx, f.sink, false, progress); err == nil {
				t.Fatal("interrupted Sync returned no error")
			}
			f.srv.ClearFaults()
			if _, err := c.Sync(t.Context(), f.sink, false, nil); err != nil {
				t.Fatalf("Sync after the interruption: %v", err)
			}

			ref := trackertest.NewSink()
			if _, err := f.client(t, repos).Sync(t.Context(), ref, true, nil); err != nil {
				t.Fatalf("reference Sync: %v", err)
			}
			got, want := contentOf(f.sink), contentOf(ref)
			if len(want.Issues) != 350 {
				t.Fatalf("reference holds %d issues, want 350", len(want.Issues))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("after interruption and re-run the sink holds %d issues, %d comments; an uninterrupted sync %d, %d (or the content differs)",
					len(got.Issues), len(got.Comments), len(want.Issues), len(want.Comments))
			}
		})
	}
}

func TestSyncFetchesDetailOnlyWhereSummarySays(t *testing.T) {
	issues := genIssues("acme/api", 320, base)
	blocked, parents := map[string]bool{}, map[string]bool{}
	wantLinks := map[string][]ladder.Link{}
	wantParent := map[string]string{}
	// Issues come in number order and children after their parent, so each
	// issue's blockers are listed before its sub-issues, as Sync puts them.
	for _, is := range issues {
		for _, l := range is.Links {
			blocked[is.Key] = true
			wantLinks[is.Key] = append(wantLinks[is.Key], ladder.Link{Kind: ladder.BlockedBy, To: l.To, Via: "github dependency"})
		}
		if is.Parent != "" {
			parents[is.Parent] = true
			wantParent[is.Key] = is.Parent
			wantLinks[is.Parent] = append(wantLinks[is.Parent], ladder.Link{Kind: ladder.ChildOf, To: is.Ref, Via: "sub-issue"})
		}
	}
	if len(blocked) == 0 || len(parents) == 0 {
		t.Fatal("test data has no dependencies or no sub-issues")
	}
	f := newFixture(t, issues, sandbox.GitHubOptions{})
	if _, err := f.client(t, []string{"acme/api"}).Sync(t.Context(), f.sink, false, nil); err != nil {
		t.Fatal(err)
	}
	if got := countPath(f.srv, func(p string) bool { return strings.HasSuffix(p, "/dependencies/blocked_by") }); got != len(blocked) {
		t.Errorf("blocked_by requests = %d, want %d (one per blocked issue)", got, len(blocked))
	}
	if got := countPath(f.srv, func(p string) bool { return strings.HasSuffix(p, "/sub_issues") }); got != len(parents) {
		t.Errorf("sub_issues requests = %d, want %d (one per parent)", got, len(parents))
	}
	for _, is := range issues {
		got := f.sink.Issue(t, is.Key)
		want := wantLinks[is.Key]
		if !reflect.DeepEqual(got.Links, want) {
			t.Errorf("%s links = %+v, want %+v", is.Key, got.Links, want)
		}
		if got.Parent != wantParent[is.Key] {
			t.Errorf("%s parent = %q, want %q", is.Key, got.Parent, wantParent[is.Key])
		}
	}
}

func TestSyncCommentsFromRepoWideListing(t *testing.T) {
	issues := genIssues("acme/api", 260, base) // 65 issues with 2 comments
	f := newFixture(t, issues, sandbox.GitHubOptions{PullRequests: 4})
	stats, err := f.client(t, []string{"acme/api"}).Sync(t.Context(), f.sink, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	perIssue := regexp.MustCompile(`/issues/\d+/comments$`)
	if got := countPath(f.srv, perIssue.MatchString); got != 0 {
		t.Errorf("%d per-issue comment requests, want none", got)
	}
	// 130 issue comments and 4 pull-request comments: two pages, plus the capture.
	if got := countPath(f.srv, func(p string) bool { return strings.HasSuffix(p, "/issues/comments") }); got < 2 || got > 3 {
		t.Errorf("repo-wide comment requests = %d, want 2 pages (+1 capture)", got)
	}
	if stats.Comments != 130 {
		t.Errorf("Stats.Comments = %d, want 130 (pull-request comments dropped)", stats.Comments)
	}
	for _, is := range issues {
		want := f.srv.Comments(is.Key)
		got := f.sink.CommentsOf(is.Key)
		if len(got) != len(want) {
			t.Errorf("%s: %d comments, want %d", is.Key, len(got), len(want))
			continue
		}
		for i := range want {
			if got[i].ID != want[i].ID || got[i].Author != want[i].Author || got[i].Raw != want[i].Raw || !got[i].Created.Equal(want[i].Created) {
				t.Errorf("%s comment %d = %+v, want %+v", is.Key, i, got[i], want[i])
			}
		}
	}
}

// issueListing matches GET /repos/{o}/{r}/issues (and the
// /repositories/{id}/issues its Link headers name) only.
func issueListing(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/issues") }

// issueListingPath matches an issue listing's path in either form.
var issueListingPath = regexp.MustCompile(`^/(repos/[^/]+/[^/]+|repositories/\d+)/issues$`)

func TestSyncErrors(t *testing.T) {
	tests := []struct {
		name    string
		token   string
		fault   *sandbox.Fault
		wantErr []string
		// keep is how many issues may have been put before the failure.
		keep int
	}{
		{
			name: "bad token", token: "ghp_wrong",
			wantErr: []string{`github tracker "gh": token rejected (401 Bad credentials): check the env var named by token_env`},
		},
		{
			name:    "malformed first page",
			fault:   &sandbox.Fault{Match: issueListing, Status: 200, Body: `[{"number": 1, "title": "cut`},
			wantErr: []string{`github tracker "gh": sync acme/api: list issues:`, "decode"},
		},
		{
			name:    "malformed second page",
			fault:   &sandbox.Fault{Match: issueListing, After: 1, Status: 200, Body: `{"not": "a list"}`},
			wantErr: []string{"decode"}, keep: 100,
		},
		{
			name: "link to another host",
			fault: &sandbox.Fault{Match: issueListing, Status: 200, Body: `[]`,
				Header: http.Header{"Link": {`<http://evil.example/repos/acme/api/issues?page=2>; rel="next"`}}},
			wantErr: []string{"refusing to send the token to http://evil.example"},
		},
		{
			name:    "repository gone",
			fault:   &sandbox.Fault{Status: 404, Body: `{"message":"Not Found"}`},
			wantErr: []string{"sync acme/api", "404 Not Found"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, genIssues("acme/api", 150, base), sandbox.GitHubOptions{})
			if tt.fault != nil {
				f.srv.AddFault(*tt.fault)
			}
			c := f.client(t, []string{"acme/api"}, func(cfg *Config) {
				if tt.token != "" {
					cfg.Token = tt.token
				}
			})
			_, err := c.Sync(t.Context(), f.sink, false, nil)
			if err == nil {
				t.Fatal("Sync succeeded")
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), testToken) || strings.Contains(err.Error(), "ghp_wrong") {
				t.Errorf("error leaks the token: %v", err)
			}
			if len(f.sink.Issues()) != tt.keep || len(f.sink.Comments()) != 0 {
				t.Errorf("sink holds %d issues, %d comments; want %d, 0",
					len(f.sink.Issues()), len(f.sink.Comments()), tt.keep)
			}
			// At most the listing's progress is saved, never a cursor
			// that says the repository was synced.
			for scope, raw := range f.sink.Cursors() {
				var cur cursor
				if err := json.Unmarshal([]byte(raw), &cur); err != nil || cur.Resume == nil || cur.IssuesSince != "" || cur.CommentsSince != "" {
					t.Errorf("cursor saved for %s despite the error: %s", scope, raw)
				}
			}
		})
	}
}

// TestSyncCatchesEditDuringSync edits the newest issue after its page was
// read and within the same second of its updated_at: the request that learns
// the next run's ETag must put the edit, or the next run's 304 would hide it.
func TestSyncCatchesEditDuringSync(t *testing.T) {
	f := newFixture(t, nil, sandbox.GitHubOptions{})
	issues := genIssues("acme/api", 120, base)
	issues[len(issues)-1].Updated = f.clock.Now()
	for _, is := range issues {
		if err := f.srv.AddIssue(is); err != nil {
			t.Fatal(err)
		}
	}
	c := f.client(t, []string{"acme/api"})
	edited := false
	_, err := c.Sync(t.Context(), f.sink, false, func(_ string, n int) {
		if n == len(issues) && !edited {
			edited = true
			if err := f.srv.EditIssue("acme/api#120", func(is *ladder.Issue) { is.Title = "Edited mid-sync" }); err != nil {
				t.Error(err)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !edited {
		t.Fatal("the edit never happened")
	}
	if got := f.sink.Issue(t, "acme/api#120").Title; got != "Edited mid-sync" {
		t.Errorf("title = %q: the edit made during the sync was lost", got)
	}
	syncIsQuiet(t, c, f.sink)
}

// syncIsQuiet syncs once more and wants only 304s: nothing changed, so the
// saved ETags answer for everything and no quota is spent.
func syncIsQuiet(t *testing.T, c *Client, sink *trackertest.Sink) {
	t.Helper()
	stats, err := c.Sync(t.Context(), sink, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Requests != stats.NotModified {
		t.Errorf("quiet sync: %d requests, %d answered 304", stats.Requests, stats.NotModified)
	}
}

func TestSyncUnreadableCursorSyncsInFull(t *testing.T) {
	tests := []struct{ name, cursor string }{
		{"not json", "{oops"},
		{"unknown version", `{"v":99,"issues_since":"2030-01-01T00:00:00Z"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, genIssues("acme/api", 40, base), sandbox.GitHubOptions{})
			if err := f.sink.SaveCursor(t.Context(), "gh", "acme/api", tt.cursor); err != nil {
				t.Fatal(err)
			}
			stats, err := f.client(t, []string{"acme/api"}).Sync(t.Context(), f.sink, false, nil)
			if err != nil {
				t.Fatal(err)
			}
			if stats.Issues.New != 40 {
				t.Errorf("PutStats = %+v, want 40 new", stats.Issues)
			}
		})
	}
}

// TestSyncResumesAnInterruptedListing stops a large repository's first sync
// after two pages, deletes an issue the run already stored (pulling the next
// page's first issue back onto page two), and re-runs: the listing carries on
// from page two, not from the start, and the result is an uninterrupted sync's.
func TestSyncResumesAnInterruptedListing(t *testing.T) {
	f := newFixture(t, genIssues("acme/api", 350, base), sandbox.GitHubOptions{})
	c := f.client(t, []string{"acme/api"})
	ctx, cancel := context.WithCancel(t.Context())
	pages := 0
	if _, err := c.Sync(ctx, f.sink, false, func(string, int) {
		// Cancelled in the third page's progress: that page's own
		// progress is then not saved (a store refuses writes once ctx is
		// done), so what is saved points at page two.
		if pages++; pages == 3 {
			cancel()
		}
	}); err == nil {
		t.Fatal("interrupted Sync returned no error")
	}
	var cur cursor
	if err := json.Unmarshal([]byte(f.sink.SavedCursor("gh", "acme/api")), &cur); err != nil || cur.Resume == nil {
		t.Fatalf("progress after two pages: %q (%v)", f.sink.SavedCursor("gh", "acme/api"), err)
	}
	if !strings.Contains(cur.Resume.Page, "page=2") {
		t.Errorf("progress points at %s, want the second page", cur.Resume.Page)
	}
	if err := f.srv.DeleteIssue("acme/api#1"); err != nil {
		t.Fatal(err)
	}

	f.srv.ResetLog()
	if _, err := c.Sync(t.Context(), f.sink, false, nil); err != nil {
		t.Fatal(err)
	}
	// Pages after the first are asked for where GitHub's Link headers point:
	// /repositories/{id}/issues, not /repos/{owner}/{repo}/issues.
	var listings []string
	for _, r := range f.srv.Requests() {
		if issueListingPath.MatchString(r.Path) {
			listings = append(listings, r.Path+"?"+r.Query)
		}
	}
	if len(listings) == 0 || !strings.Contains(listings[0], "page=2") || !strings.HasPrefix(listings[0], "/repositories/") {
		t.Errorf("the re-run's listings %q do not start from page two of /repositories/{id}/issues", listings)
	}
	if len(listings) > 4 { // pages 2, 3 and 4, and the one that learns the next ETag
		t.Errorf("the re-run listed %d pages: %q", len(listings), listings)
	}

	ref := trackertest.NewSink()
	if _, err := f.client(t, []string{"acme/api"}).Sync(t.Context(), ref, true, nil); err != nil {
		t.Fatal(err)
	}
	got, want := contentOf(f.sink), contentOf(ref)
	for id, is := range got.Issues {
		if is.Key == "acme/api#1" {
			delete(got.Issues, id) // deleted upstream: only a full sync's census notices
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after resuming the sink holds %d issues, %d comments; an uninterrupted sync %d, %d (or the content differs)",
			len(got.Issues), len(got.Comments), len(want.Issues), len(want.Comments))
	}
	var done cursor
	if err := json.Unmarshal([]byte(f.sink.SavedCursor("gh", "acme/api")), &done); err != nil || done.Resume != nil || done.IssuesSince == "" {
		t.Errorf("after the listing finished the cursor is %s", f.sink.SavedCursor("gh", "acme/api"))
	}
}

// TestSyncWithoutRelationEndpoints syncs from a GitHub Enterprise Server
// that has neither sub-issues nor issue dependencies (3.17): its issues
// carry no summaries and the endpoints answer 404. Every issue is kept, the
// sync says once per kind what it went without, and the endpoints are not
// asked again once the server has shown it lacks them.
func TestSyncWithoutRelationEndpoints(t *testing.T) {
	issues := genIssues("acme/api", 150, base)
	f := newFixture(t, issues, sandbox.GitHubOptions{Flavor: sandbox.GitHubGHES317})
	c := f.client(t, []string{"acme/api"})
	stats, err := c.Sync(t.Context(), f.sink, false, nil)
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	if stats.Issues.New != 150 {
		t.Errorf("PutStats = %+v, want 150 new", stats.Issues)
	}
	for _, is := range issues {
		if got := f.sink.Issue(t, is.Key); len(got.Links) != 0 || got.Parent != "" {
			t.Errorf("%s: links %+v, parent %q from a server without relations", is.Key, got.Links, got.Parent)
		}
	}
	want := []string{
		"issue dependencies not served by this GitHub (404): synced without them",
		"sub-issues not served by this GitHub (404): synced without them",
	}
	if !reflect.DeepEqual(stats.Degraded, want) {
		t.Errorf("Degraded = %q, want %q", stats.Degraded, want)
	}
	relationRequests := func() int {
		return countPath(f.srv, func(p string) bool {
			return strings.HasSuffix(p, "/sub_issues") || strings.HasSuffix(p, "/dependencies/blocked_by")
		})
	}
	if n := relationRequests(); n != 2*missingAfter {
		t.Errorf("%d relation requests, want %d (each endpoint tried until it has shown it is missing)", n, 2*missingAfter)
	}

	f.clock.Advance(time.Hour)
	if err := f.srv.EditIssue("acme/api#7", func(is *ladder.Issue) { is.Title = "Edited" }); err != nil {
		t.Fatal(err)
	}
	f.srv.ResetLog()
	stats, err = c.Sync(t.Context(), f.sink, false, nil)
	if err != nil {
		t.Fatalf("second Sync: %v", err)
	}
	if n := relationRequests(); n != 0 {
		t.Errorf("second sync asked missing endpoints %d times", n)
	}
	if stats.Issues.Updated != 1 || !reflect.DeepEqual(stats.Degraded, want) {
		t.Errorf("second sync: %+v issues, Degraded %q", stats.Issues, stats.Degraded)
	}
}

// TestSyncRelationGoneMeanwhile has one issue's dependencies or sub-issues
// answer 404 or 410 (transferred or deleted between the listing and the
// request) on a GitHub that serves them: that issue is kept without those
// links, every other issue keeps its own, and the sync says so.
func TestSyncRelationGoneMeanwhile(t *testing.T) {
	tests := []struct {
		name   string
		path   string // the request that fails
		status int
		want   string
	}{
		{name: "blockers 404", path: "/repos/acme/api/issues/25/dependencies/blocked_by", status: 404,
			want: "issue dependencies of 1 issues not served (404: moved or deleted meanwhile): kept without them"},
		{name: "sub-issues 410", path: "/repos/acme/api/issues/40/sub_issues", status: 410,
			want: "sub-issues of 1 issues not served (410: moved or deleted meanwhile): kept without them"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			issues := genIssues("acme/api", 130, base)
			f := newFixture(t, issues, sandbox.GitHubOptions{})
			f.srv.AddFault(sandbox.Fault{Match: func(r *http.Request) bool { return r.URL.Path == tt.path }, Status: tt.status,
				Body: `{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"` + fmt.Sprint(tt.status) + `"}`})
			stats, err := f.client(t, []string{"acme/api"}).Sync(t.Context(), f.sink, false, nil)
			if err != nil {
				t.Fatalf("Sync: %v", err)
			}
			if len(f.sink.Issues()) != 130 {
				t.Errorf("sink holds %d issues, want 130", len(f.sink.Issues()))
			}
			if !reflect.DeepEqual(stats.Degraded, []string{tt.want}) {
				t.Errorf("Degraded = %q, want %q", stats.Degraded, tt.want)
			}
			brokenKey := "acme/api#" + strings.Split(strings.Split(tt.path, "/issues/")[1], "/")[0]
			for _, key := range []string{"acme/api#25", "acme/api#50", "acme/api#75", "acme/api#40", "acme/api#80", "acme/api#120"} {
				got := f.sink.Issue(t, key).Links
				if key == brokenKey {
					if len(got) != 0 {
						t.Errorf("%s: links %+v despite the %d", key, got, tt.status)
					}
					continue
				}
				if len(got) == 0 {
					t.Errorf("%s lost its links because another issue's relation failed", key)
				}
			}
		})
	}
}

// TestSyncReadsAssignees syncs issues with several assignees, one, and
// none, under API version 2022-11-28 (which still sends the deprecated
// singular assignee) and 2026-03-10 (which sends assignees only): the
// issue's Assignee is the first of assignees either way.
func TestSyncReadsAssignees(t *testing.T) {
	issues := genIssues("acme/api", 3, base)
	for i := range issues {
		issues[i].Assignee, issues[i].StatusCategory = "", ladder.StatusTodo
	}
	issues[1].Assignee = "carol"
	for _, version := range []string{"", "2026-03-10"} {
		t.Run(cmp.Or(version, "default"), func(t *testing.T) {
			f := newFixture(t, issues, sandbox.GitHubOptions{Assignees: map[string][]string{"acme/api#1": {"bob", "ann"}}})
			c := f.client(t, []string{"acme/api"}, func(cfg *Config) { cfg.APIVersion = version })
			if _, err := c.Sync(t.Context(), f.sink, false, nil); err != nil {
				t.Fatalf("Sync: %v", err)
			}
			for key, want := range map[string]string{"acme/api#1": "bob", "acme/api#2": "carol", "acme/api#3": ""} {
				got := f.sink.Issue(t, key)
				wantCat := ladder.StatusInProgress
				if want == "" {
					wantCat = ladder.StatusTodo
				}
				if got.Assignee != want || got.StatusCategory != wantCat {
					t.Errorf("%s: assignee %q (%s), want %q (%s)", key, got.Assignee, got.StatusCategory, want, wantCat)
				}
			}
		})
	}
}

// TestSyncNamesItsAPIVersion: every request says which API version it was
// written for, and a version the server does not know is a clear error
// (a GitHub Enterprise Server 3.17 knows 2022-11-28 only).
func TestSyncNamesItsAPIVersion(t *testing.T) {
	tests := []struct {
		name    string
		flavor  string
		version string
		wantErr string
	}{
		{name: "default on github.com"},
		{name: "default on GHES 3.17", flavor: sandbox.GitHubGHES317},
		{name: "2026-03-10 on GHES 3.17", flavor: sandbox.GitHubGHES317, version: "2026-03-10",
			wantErr: "X-GitHub-Api-Version header value '2026-03-10' is not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, genIssues("acme/api", 3, base), sandbox.GitHubOptions{Flavor: tt.flavor})
			c := f.client(t, []string{"acme/api"}, func(cfg *Config) { cfg.APIVersion = tt.version })
			_, err := c.Sync(t.Context(), f.sink, false, nil)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Sync: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("Sync error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestSyncRetriesABodyThatIsNotJSON: a listing page that is not JSON at all
// (a proxy's error page with status 200) is asked for again, like a body cut
// short; a page that is JSON of the wrong shape is not.
func TestSyncRetriesABodyThatIsNotJSON(t *testing.T) {
	f := newFixture(t, genIssues("acme/api", 150, base), sandbox.GitHubOptions{})
	f.srv.AddFault(sandbox.Fault{Match: issueListing, After: 1, Times: 2, Status: 200, Header: http.Header{"Content-Type": {"text/html"}},
		Body: "<html><body>upstream hiccup</body></html>"})
	stats, err := f.client(t, []string{"acme/api"}).Sync(t.Context(), f.sink, false, nil)
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	if stats.Issues.New != 150 {
		t.Errorf("PutStats = %+v, want 150 new", stats.Issues)
	}
	if got := f.clock.Sleeps(); !reflect.DeepEqual(got, []time.Duration{time.Second, 2 * time.Second}) {
		t.Errorf("slept %v before asking again, want [1s 2s]", got)
	}
}

// TestSyncResumeNotIntoAnotherRepository: saved progress names a page by
// repository id; if the repository's name has since come to mean another
// repository (renamed, and a new one made with the old name), the page lists
// the old one's issues, which must not be stored under the new name: the
// listing starts over instead.
func TestSyncResumeNotIntoAnotherRepository(t *testing.T) {
	issues := append(genIssues("acme/api", 250, base), genIssues("acme/old", 250, base)...)
	f := newFixture(t, issues, sandbox.GitHubOptions{})
	c := f.client(t, []string{"acme/api"})
	ctx, cancel := context.WithCancel(t.Context())
	pages := 0
	if _, err := c.Sync(ctx, f.sink, false, func(string, int) {
		// Cancelled in the third page's progress: that page's own
		// progress is then not saved (a store refuses writes once ctx is
		// done), so what is saved points at page two.
		if pages++; pages == 3 {
			cancel()
		}
	}); err == nil {
		t.Fatal("interrupted Sync returned no error")
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, f.srv.URL()+"repos/acme/old", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var old struct{ ID int64 }
	err = json.NewDecoder(resp.Body).Decode(&old)
	resp.Body.Close()
	if err != nil || old.ID == 0 {
		t.Fatalf("GET /repos/acme/old: %v", err)
	}
	raw := f.sink.SavedCursor("gh", "acme/api")
	moved := regexp.MustCompile(`/repositories/\d+/`).ReplaceAllString(raw, fmt.Sprintf("/repositories/%d/", old.ID))
	if moved == raw {
		t.Fatalf("saved progress names no /repositories/{id} page: %s", raw)
	}
	if err := f.sink.SaveCursor(t.Context(), "gh", "acme/api", moved); err != nil {
		t.Fatal(err)
	}

	if _, err := c.Sync(t.Context(), f.sink, false, nil); err != nil {
		t.Fatalf("Sync: %v", err)
	}
	for _, is := range f.sink.Issues() {
		if strings.Contains(is.Title, "acme/old") {
			t.Fatalf("%s stored with %q: another repository's issue under this one's name", is.Key, is.Title)
		}
	}
	if len(f.sink.Issues()) != 250 {
		t.Errorf("sink holds %d issues, want acme/api's 250", len(f.sink.Issues()))
	}
}
