package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var ghBase = time.Date(2026, 2, 2, 10, 0, 0, 0, time.UTC)

func ghIssues(n int) []ladder.Issue {
	var out []ladder.Issue
	for i := 1; i <= n; i++ {
		out = append(out, ladder.Issue{
			Ref:   ladder.Ref{Tracker: "gh", Key: fmt.Sprintf("acme/api#%d", i)},
			Title: fmt.Sprintf("issue %d", i), Created: ghBase.Add(time.Duration(i) * time.Hour),
			// Updated runs backwards, so updated order differs from number order.
			Updated:        ghBase.Add(time.Duration(1000-i) * time.Hour),
			StatusCategory: ladder.StatusTodo,
		})
	}
	return out
}

type ghCall struct {
	status int
	header http.Header
	body   []byte
}

func ghDo(t *testing.T, method, url, token, etag, body string) ghCall {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return ghCall{status: resp.StatusCode, header: resp.Header, body: b}
}

func numbers(t *testing.T, body []byte) []int {
	t.Helper()
	var items []struct {
		Number      int             `json:"number"`
		PullRequest json.RawMessage `json:"pull_request"`
	}
	if err := json.Unmarshal(body, &items); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	out := make([]int, len(items))
	for i, it := range items {
		out[i] = it.Number
	}
	return out
}

func TestGitHubIssueListing(t *testing.T) {
	clock := &testClock{t: ghBase.Add(2000 * time.Hour)}
	g := NewGitHub(ghIssues(5), GitHubOptions{Token: "tok", PullRequests: 2, Now: clock.Now})
	defer g.Close()
	list := g.URL() + "repos/acme/api/issues"
	tests := []struct {
		name  string
		query string
		want  []int
		next  bool
	}{
		{name: "default state is open, newest first", query: "", want: []int{7, 6, 5, 4, 3, 2, 1}},
		{name: "per_page and next link", query: "?state=all&per_page=3", want: []int{7, 6, 5}, next: true},
		{name: "last page has no next", query: "?state=all&per_page=3&page=3", want: []int{1}},
		{name: "created ascending", query: "?state=all&sort=created&direction=asc", want: []int{1, 2, 3, 4, 5, 6, 7}},
		{name: "sort updated asc", query: "?state=all&sort=updated&direction=asc", want: []int{5, 4, 3, 2, 1, 6, 7}},
		{name: "sort given defaults to desc", query: "?state=all&sort=created", want: []int{7, 6, 5, 4, 3, 2, 1}},
		{name: "since is inclusive", query: "?state=all&since=" + ghTime(ghBase.Add(997*time.Hour)), want: []int{7, 6, 3, 2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ghDo(t, http.MethodGet, list+tt.query, "tok", "", "")
			if c.status != 200 {
				t.Fatalf("status %d: %s", c.status, c.body)
			}
			if got := numbers(t, c.body); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("numbers = %v, want %v", got, tt.want)
			}
			if hasNext := strings.Contains(c.header.Get("Link"), `rel="next"`); hasNext != tt.next {
				t.Errorf("Link %q: next = %v, want %v", c.header.Get("Link"), hasNext, tt.next)
			}
		})
	}
}

func TestGitHubConditionalRequestsAreFree(t *testing.T) {
	g := NewGitHub(ghIssues(3), GitHubOptions{Token: "tok", RateLimit: 10})
	defer g.Close()
	u := g.URL() + "repos/acme/api/issues?state=all"
	first := ghDo(t, http.MethodGet, u, "tok", "", "")
	etag := first.header.Get("ETag")
	if first.status != 200 || etag == "" || first.header.Get("X-RateLimit-Remaining") != "9" {
		t.Fatalf("first: status %d etag %q remaining %s", first.status, etag, first.header.Get("X-RateLimit-Remaining"))
	}
	for range 3 {
		c := ghDo(t, http.MethodGet, u, "tok", etag, "")
		if c.status != 304 || len(c.body) != 0 || c.header.Get("X-RateLimit-Remaining") != "9" {
			t.Errorf("conditional: status %d, body %q, remaining %s; want 304, empty, 9", c.status, c.body, c.header.Get("X-RateLimit-Remaining"))
		}
	}
	if _, err := g.AddComment("acme/api#2", "ann", "changes the issue"); err != nil {
		t.Fatal(err)
	}
	if c := ghDo(t, http.MethodGet, u, "tok", etag, ""); c.status != 200 || c.header.Get("ETag") == etag {
		t.Errorf("after a comment: status %d, etag %q; want 200 and a new ETag", c.status, c.header.Get("ETag"))
	}
	if got := g.RateRemaining(); got != 8 {
		t.Errorf("remaining = %d, want 8", got)
	}
}

func TestGitHubRateLimitAndAuth(t *testing.T) {
	clock := &testClock{t: ghBase}
	g := NewGitHub(ghIssues(1), GitHubOptions{Token: "tok", RateLimit: 2, Now: clock.Now})
	defer g.Close()
	if c := ghDo(t, http.MethodGet, g.URL()+"user", "wrong", "", ""); c.status != 401 || !strings.Contains(string(c.body), "Bad credentials") {
		t.Errorf("bad token: %d %s", c.status, c.body)
	}
	for range 2 {
		if c := ghDo(t, http.MethodGet, g.URL()+"user", "tok", "", ""); c.status != 200 {
			t.Fatalf("status %d", c.status)
		}
	}
	c := ghDo(t, http.MethodGet, g.URL()+"user", "tok", "", "")
	reset, _ := strconv.ParseInt(c.header.Get("X-RateLimit-Reset"), 10, 64)
	if c.status != 403 || c.header.Get("X-RateLimit-Remaining") != "0" || reset != ghBase.Add(time.Hour).Unix() {
		t.Errorf("spent budget: status %d remaining %s reset %d", c.status, c.header.Get("X-RateLimit-Remaining"), reset)
	}
	if c := ghDo(t, http.MethodPost, g.URL()+"repos/acme/api/issues/1/comments", "tok", "", `{"body":"x"}`); c.status != 403 || len(g.Comments("acme/api#1")) != 0 {
		t.Errorf("write over budget: status %d, %d comments", c.status, len(g.Comments("acme/api#1")))
	}
	clock.Advance(time.Hour)
	if c := ghDo(t, http.MethodGet, g.URL()+"user", "tok", "", ""); c.status != 200 || c.header.Get("X-RateLimit-Remaining") != "1" {
		t.Errorf("after reset: status %d remaining %s", c.status, c.header.Get("X-RateLimit-Remaining"))
	}
}

func TestGitHubRelationsAndComments(t *testing.T) {
	clock := &testClock{t: ghBase.Add(2000 * time.Hour)}
	issues := ghIssues(4)
	issues[0].Links = []ladder.Link{{Kind: ladder.BlockedBy, To: ladder.Ref{Tracker: "gh", Key: "acme/api#2"}}}
	issues[2].Links = []ladder.Link{{Kind: ladder.Blocks, To: ladder.Ref{Key: "acme/api#1"}}, {Kind: ladder.ChildOf, To: ladder.Ref{Key: "acme/api#4"}}}
	issues[1].Parent = "acme/api#3"
	issues[1].StatusCategory = ladder.StatusDone
	g := NewGitHub(issues, GitHubOptions{Now: clock.Now, Login: "bot"})
	defer g.Close()

	var one struct {
		SubIssuesSummary         ghSubIssuesSummaryJSON    `json:"sub_issues_summary"`
		IssueDependenciesSummary ghDependenciesSummaryJSON `json:"issue_dependencies_summary"`
		ParentIssueURL           string                    `json:"parent_issue_url"`
	}
	if err := json.Unmarshal(ghDo(t, http.MethodGet, g.URL()+"repos/acme/api/issues/1", "", "", "").body, &one); err != nil {
		t.Fatal(err)
	}
	if want := (ghDependenciesSummaryJSON{BlockedBy: 1, TotalBlockedBy: 2}); one.IssueDependenciesSummary != want {
		t.Errorf("#1 dependencies summary = %+v, want %+v", one.IssueDependenciesSummary, want)
	}
	if got := numbers(t, ghDo(t, http.MethodGet, g.URL()+"repos/acme/api/issues/1/dependencies/blocked_by", "", "", "").body); fmt.Sprint(got) != "[2 3]" {
		t.Errorf("#1 blocked by %v, want [2 3]", got)
	}
	if got := numbers(t, ghDo(t, http.MethodGet, g.URL()+"repos/acme/api/issues/3/sub_issues", "", "", "").body); fmt.Sprint(got) != "[2 4]" {
		t.Errorf("#3 sub-issues %v, want [2 4]", got)
	}
	if err := json.Unmarshal(ghDo(t, http.MethodGet, g.URL()+"repos/acme/api/issues/3", "", "", "").body, &one); err != nil {
		t.Fatal(err)
	}
	if want := (ghSubIssuesSummaryJSON{Total: 2, Completed: 1, PercentCompleted: 50}); one.SubIssuesSummary != want {
		t.Errorf("#3 sub-issues summary = %+v, want %+v", one.SubIssuesSummary, want)
	}
	one.ParentIssueURL = ""
	if err := json.Unmarshal(ghDo(t, http.MethodGet, g.URL()+"repos/acme/api/issues/4", "", "", "").body, &one); err != nil {
		t.Fatal(err)
	}
	if one.ParentIssueURL != g.URL()+"repos/acme/api/issues/3" {
		t.Errorf("#4 parent_issue_url = %q", one.ParentIssueURL)
	}

	clock.Advance(time.Hour)
	c := ghDo(t, http.MethodPost, g.URL()+"repos/acme/api/issues/2/comments", "", "", `{"body":"hello"}`)
	var posted ghCommentJSON
	if err := json.Unmarshal(c.body, &posted); c.status != 201 || err != nil || posted.User.Login != "bot" || !strings.HasSuffix(posted.IssueURL, "/issues/2") {
		t.Fatalf("POST comment: %d %s", c.status, c.body)
	}
	if is, _ := g.Issue("acme/api#2"); !is.Updated.Equal(clock.Now()) {
		t.Errorf("issue updated_at %s not bumped to %s", is.Updated, clock.Now())
	}
	clock.Advance(time.Hour)
	edit := ghDo(t, http.MethodPatch, fmt.Sprintf("%srepos/acme/api/issues/comments/%d", g.URL(), posted.ID), "", "", `{"body":"edited"}`)
	if cs := g.Comments("acme/api#2"); edit.status != 200 || len(cs) != 1 || cs[0].Body != "edited" || !cs[0].Updated.Equal(clock.Now()) {
		t.Errorf("PATCH comment: %d, comments %+v", edit.status, cs)
	}
	all := ghDo(t, http.MethodGet, g.URL()+"repos/acme/api/issues/comments?since="+ghTime(clock.Now()), "", "", "")
	var listed []ghCommentJSON
	if err := json.Unmarshal(all.body, &listed); err != nil || len(listed) != 1 || listed[0].Body != "edited" {
		t.Errorf("repo-wide comments since the edit = %s", all.body)
	}
}

// TestGitHubLinksNameRepositoryIDs: GitHub's Link headers name a repository
// by id (/repositories/{id}/issues?…&page=N) and an organisation by id, and
// those URLs answer like the /repos/{owner}/{repo} ones.
func TestGitHubLinksNameRepositoryIDs(t *testing.T) {
	g := NewGitHub(ghIssues(5), GitHubOptions{Orgs: map[string][]string{"acme": {"acme/api", "acme/web", "acme/ops"}}})
	defer g.Close()
	nextOf := func(c ghCall) string {
		for _, part := range strings.Split(c.header.Get("Link"), ",") {
			if strings.Contains(part, `rel="next"`) {
				return strings.Trim(strings.TrimSpace(strings.Split(part, ";")[0]), "<>")
			}
		}
		return ""
	}
	first := ghDo(t, http.MethodGet, g.URL()+"repos/acme/api/issues?state=all&per_page=2&sort=created&direction=asc", "", "", "")
	next := nextOf(first)
	want := fmt.Sprintf("%srepositories/%d/issues?direction=asc&page=2&per_page=2&sort=created&state=all", g.URL(), g.repos["acme/api"].id)
	if next != want {
		t.Fatalf("next link = %q, want %q", next, want)
	}
	if got := numbers(t, ghDo(t, http.MethodGet, next, "", "", "").body); fmt.Sprint(got) != "[3 4]" {
		t.Errorf("page 2 by repository id = %v, want [3 4]", got)
	}
	org := ghDo(t, http.MethodGet, g.URL()+"orgs/acme/repos?per_page=2", "", "", "")
	orgNext := nextOf(org)
	if !strings.HasPrefix(orgNext, g.URL()+"organizations/") {
		t.Fatalf("org next link = %q, want /organizations/{id}/repos", orgNext)
	}
	var repos []ghRepoJSON
	if err := json.Unmarshal(ghDo(t, http.MethodGet, orgNext, "", "", "").body, &repos); err != nil || len(repos) != 1 || repos[0].FullName != "acme/ops" {
		t.Errorf("org page 2 = %+v, %v", repos, err)
	}
}

// TestGitHubInstallationToken: a ghs_ token is answered as GitHub answers a
// GitHub App installation: GET /user refused, no permissions object, and
// GraphQL's viewer naming the App's bot, which comments are written as.
func TestGitHubInstallationToken(t *testing.T) {
	const token = "ghs_app-installation"
	g := NewGitHub(ghIssues(1), GitHubOptions{Token: token, Login: "acme-ladder[bot]"})
	defer g.Close()
	user := ghDo(t, http.MethodGet, g.URL()+"user", token, "", "")
	var refusal map[string]string
	if err := json.Unmarshal(user.body, &refusal); err != nil || user.status != 403 ||
		refusal["message"] != "Resource not accessible by integration" || refusal["documentation_url"] == "" {
		t.Errorf("GET /user: %d %s", user.status, user.body)
	}
	if repo := ghDo(t, http.MethodGet, g.URL()+"repos/acme/api", token, "", ""); repo.status != 200 || strings.Contains(string(repo.body), `"permissions"`) {
		t.Errorf("GET /repos/acme/api: %d %s, want no permissions object", repo.status, repo.body)
	}
	viewer := ghDo(t, http.MethodPost, g.URL()+"graphql", token, "", `{"query":"query { viewer { login } }"}`)
	if viewer.status != 200 || string(viewer.body) != `{"data":{"viewer":{"login":"acme-ladder[bot]"}}}` {
		t.Errorf("GraphQL viewer: %d %s", viewer.status, viewer.body)
	}
	if c := ghDo(t, http.MethodPost, g.URL()+"repos/acme/api/issues/1/comments", token, "", `{"body":"x"}`); c.status != 201 || !strings.Contains(string(c.body), `"login":"acme-ladder[bot]"`) {
		t.Errorf("POST comment: %d %s", c.status, c.body)
	}
	bad := ghDo(t, http.MethodGet, g.URL()+"user", "ghs_wrong", "", "")
	if bad.status != 401 || !strings.Contains(string(bad.body), `"documentation_url"`) || !strings.Contains(string(bad.body), "Bad credentials") {
		t.Errorf("bad token: %d %s", bad.status, bad.body)
	}
}

// TestGitHubFlavorsAndVersions: the issue shape follows the server flavour
// and the API version the request names.
func TestGitHubFlavorsAndVersions(t *testing.T) {
	issues := ghIssues(2)
	issues[0].Assignee = "bob"
	issues[1].Parent = "acme/api#1"
	versioned := func(u, version string) ghCall {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
		if err != nil {
			t.Fatal(err)
		}
		if version != "" {
			req.Header.Set("X-GitHub-Api-Version", version)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return ghCall{status: resp.StatusCode, header: resp.Header, body: b}
	}
	tests := []struct {
		name, flavor, version string
		status                int
		has, hasNot           []string // keys of issue 1
		subIssues             int      // status of …/issues/1/sub_issues
	}{
		{name: "github.com, default version", status: 200, subIssues: 200,
			has: []string{`"assignee":{`, `"assignees":[{`, `"sub_issues_summary"`, `"issue_dependencies_summary"`}},
		{name: "github.com, 2026-03-10", version: "2026-03-10", status: 200, subIssues: 200,
			has: []string{`"assignees":[{"login":"bob"`}, hasNot: []string{`"assignee"`}},
		{name: "GHES 3.17", flavor: GitHubGHES317, status: 200, subIssues: 404,
			has: []string{`"assignee":{`}, hasNot: []string{`"sub_issues_summary"`, `"issue_dependencies_summary"`, `"parent_issue_url"`}},
		{name: "GHES 3.17 does not know 2026-03-10", flavor: GitHubGHES317, version: "2026-03-10", status: 400, subIssues: 400},
		{name: "unknown version", version: "2021-01-01", status: 400, subIssues: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewGitHub(issues, GitHubOptions{Flavor: tt.flavor})
			defer g.Close()
			c := versioned(g.URL()+"repos/acme/api/issues/1", tt.version)
			if c.status != tt.status {
				t.Fatalf("status %d, want %d: %s", c.status, tt.status, c.body)
			}
			for _, s := range tt.has {
				if !strings.Contains(string(c.body), s) {
					t.Errorf("issue lacks %s: %s", s, c.body)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(string(c.body), s) {
					t.Errorf("issue has %s: %s", s, c.body)
				}
			}
			if sub := versioned(g.URL()+"repos/acme/api/issues/1/sub_issues", tt.version); sub.status != tt.subIssues {
				t.Errorf("sub_issues: status %d, want %d", sub.status, tt.subIssues)
			}
			if child := versioned(g.URL()+"repos/acme/api/issues/2", tt.version); tt.status == 200 && strings.Contains(string(child.body), "parent_issue_url") != (tt.flavor == "") {
				t.Errorf("child's parent_issue_url present = %v on flavour %q", !(tt.flavor == ""), tt.flavor)
			}
		})
	}
}

// TestGitHubWriteFault: a write fault applies the write, then answers an
// error or closes the connection without an answer.
func TestGitHubWriteFault(t *testing.T) {
	for _, drop := range []bool{false, true} {
		t.Run(fmt.Sprint("drop=", drop), func(t *testing.T) {
			g := NewGitHub(ghIssues(1), GitHubOptions{})
			defer g.Close()
			g.AddWriteFault(GitHubWriteFault{Times: 1, Status: 503, Drop: drop})
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, g.URL()+"repos/acme/api/issues/1/comments", strings.NewReader(`{"body":"x"}`))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.DefaultClient.Do(req)
			switch {
			case drop && err == nil:
				resp.Body.Close()
				t.Errorf("dropped write answered %d", resp.StatusCode)
			case !drop && (err != nil || resp.StatusCode != 503):
				t.Errorf("write answered %v, %v; want 503", resp, err)
			}
			if resp != nil && err == nil {
				resp.Body.Close()
			}
			if n := len(g.Comments("acme/api#1")); n != 1 {
				t.Errorf("%d comments after the faulted write, want 1: it takes effect", n)
			}
			if c := ghDo(t, http.MethodPost, g.URL()+"repos/acme/api/issues/1/comments", "", "", `{"body":"y"}`); c.status != 201 {
				t.Errorf("next write: %d, want 201 (the fault fired once)", c.status)
			}
		})
	}
}
