package github

// Conformance tests: the real connector code against the bodies GitHub
// publishes (testdata/README.md says where each comes from), served through
// httptest with the headers GitHub sends.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/trackertest"
)

func testdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// object decodes a JSON object for a test to reshape.
func object(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// vendorIssue is the published issue example without its pull_request key:
// both of GitHub's issue examples are pull requests, and an issue is what
// Ladder keeps.
func vendorIssue(t *testing.T) map[string]any {
	t.Helper()
	m := object(t, testdata(t, "issue.json"))
	if _, ok := m["pull_request"]; !ok {
		t.Fatal("issue.json has no pull_request key any more: use it as it is")
	}
	delete(m, "pull_request")
	return m
}

// vendorServer answers as api.github.com: fixed bodies by method and path,
// GitHub's headers, and a check that every request names the API version.
type vendorServer struct {
	t   *testing.T
	srv *httptest.Server

	mu     sync.Mutex
	bodies map[string]vendorAnswer // "GET /path"
	seen   []string
}

type vendorAnswer struct {
	status int
	body   []byte
}

func newVendorServer(t *testing.T) *vendorServer {
	t.Helper()
	v := &vendorServer{t: t, bodies: map[string]vendorAnswer{}}
	v.srv = httptest.NewServer(http.HandlerFunc(v.serve))
	t.Cleanup(v.srv.Close)
	return v
}

// answerRelations answers issue n's dependencies and sub-issues with
// empty lists, as github.com does for an issue without them; the published
// examples predate the summaries that would say so.
func (v *vendorServer) answerRelations(repo string, numbers ...int) {
	for _, n := range numbers {
		v.answer("GET", fmt.Sprintf("/repos/%s/issues/%d/dependencies/blocked_by", repo, n), 200, []byte(`[]`))
		v.answer("GET", fmt.Sprintf("/repos/%s/issues/%d/sub_issues", repo, n), 200, []byte(`[]`))
	}
}

func (v *vendorServer) answer(method, path string, status int, body []byte) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.bodies[method+" "+path] = vendorAnswer{status, body}
}

func (v *vendorServer) serve(w http.ResponseWriter, r *http.Request) {
	v.mu.Lock()
	a, ok := v.bodies[r.Method+" "+r.URL.Path]
	v.seen = append(v.seen, r.Method+" "+r.URL.Path)
	v.mu.Unlock()
	if got := r.Header.Get("X-GitHub-Api-Version"); got != "2022-11-28" {
		v.t.Errorf("%s %s: X-GitHub-Api-Version %q, want 2022-11-28", r.Method, r.URL.Path, got)
	}
	h := w.Header()
	h.Set("Server", "GitHub.com")
	h.Set("Date", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Format(http.TimeFormat))
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	h.Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	h.Set("X-RateLimit-Limit", "5000")
	h.Set("X-RateLimit-Remaining", "4922")
	h.Set("X-RateLimit-Reset", "1772445600")
	h.Set("X-RateLimit-Used", "78")
	h.Set("X-RateLimit-Resource", "core")
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}`))
		return
	}
	w.WriteHeader(a.status)
	w.Write(a.body)
}

func (v *vendorServer) client(t *testing.T, repos ...string) *Client {
	t.Helper()
	c, err := New(Config{Name: "gh", URL: v.srv.URL, Token: testToken, Repos: repos,
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestVendorIssueAndCommentFields syncs GitHub's own examples and checks
// every field Ladder maps from an issue and a comment.
func TestVendorIssueAndCommentFields(t *testing.T) {
	created := time.Date(2011, 4, 22, 13, 33, 48, 0, time.UTC)
	issue := func(edit func(*ladder.Issue)) *ladder.Issue {
		is := &ladder.Issue{
			Ref: ladder.Ref{Tracker: "gh", Key: "octocat/Hello-World#1347"}, ID: "1",
			URL: "https://github.com/octocat/Hello-World/issues/1347", Project: "octocat/Hello-World", Type: "Issue",
			Title: "Found a bug", Body: "I'm having a problem with this.", BodyRaw: "I'm having a problem with this.",
			Labels: []string{"bug"}, Status: "open", StatusCategory: ladder.StatusInProgress,
			Assignee: "octocat", Reporter: "octocat", Created: created, Updated: created, Milestone: "v1.0",
		}
		if edit != nil {
			edit(is)
		}
		return is
	}
	tests := []struct {
		name  string
		items func(t *testing.T) []any
		want  *ladder.Issue // nil: nothing kept
	}{
		{name: "the listing example is a pull request: dropped", items: func(t *testing.T) []any {
			var items []any
			if err := json.Unmarshal(testdata(t, "issue-items.json"), &items); err != nil {
				t.Fatal(err)
			}
			return items
		}},
		{name: "the example as an issue", items: func(t *testing.T) []any { return []any{vendorIssue(t)} }, want: issue(nil)},
		{name: "labels as strings, as the schema allows", items: func(t *testing.T) []any {
			m := vendorIssue(t)
			m["labels"] = []any{"bug", "estimate:3"}
			return []any{m}
		}, want: issue(func(is *ladder.Issue) {
			three := 3.0
			is.Labels, is.Estimate = []string{"bug", "estimate:3"}, &three
		})},
		{name: "assignees only, as from API version 2026-03-10", items: func(t *testing.T) []any {
			m := vendorIssue(t)
			delete(m, "assignee")
			m["assignees"] = append(m["assignees"].([]any), object(t, bytes.Replace(testdata(t, "simple-user-octocat.json"), []byte(`"octocat"`), []byte(`"hubot"`), 1)))
			return []any{m}
		}, want: issue(nil)},
		{name: "closed as not planned", items: func(t *testing.T) []any {
			m := vendorIssue(t)
			m["state"], m["state_reason"], m["closed_at"] = "closed", "not_planned", "2011-04-23T08:00:00Z"
			return []any{m}
		}, want: issue(func(is *ladder.Issue) {
			closed := time.Date(2011, 4, 23, 8, 0, 0, 0, time.UTC)
			is.Status, is.StatusCategory, is.Resolved = "closed (not_planned)", ladder.StatusDone, &closed
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newVendorServer(t)
			v.answer("GET", "/repos/octocat/Hello-World/issues", 200, mustJSON(t, tt.items(t)))
			v.answer("GET", "/repos/octocat/Hello-World/issues/comments", 200, testdata(t, "issue-comment-items.json"))
			v.answerRelations("octocat/Hello-World", 1347)
			sink := trackertest.NewSink()
			stats, err := v.client(t, "octocat/Hello-World").Sync(t.Context(), sink, false, nil)
			if err != nil {
				t.Fatalf("Sync: %v", err)
			}
			if stats.Malformed != 0 || len(stats.Degraded) != 0 {
				t.Errorf("Malformed %d, Degraded %q: the vendor's own body read as odd", stats.Malformed, stats.Degraded)
			}
			if tt.want == nil {
				if len(sink.Issues()) != 0 || len(sink.Comments()) != 0 {
					t.Errorf("kept %d issues and %d comments of a pull request", len(sink.Issues()), len(sink.Comments()))
				}
				return
			}
			if got := sink.Issue(t, tt.want.Key); !reflect.DeepEqual(got, *tt.want) {
				t.Errorf("issue:\n got %+v\nwant %+v", got, *tt.want)
			}
			want := []ladder.Comment{{ID: "1", Author: "octocat", Body: "Me too", Raw: "Me too",
				Created: time.Date(2011, 4, 14, 16, 0, 49, 0, time.UTC), Updated: time.Date(2011, 4, 14, 16, 0, 49, 0, time.UTC)}}
			if got := sink.CommentsOf("octocat/Hello-World#1347"); !reflect.DeepEqual(got, want) {
				t.Errorf("comments:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// TestVendorWriteBack runs publishing's calls on GitHub's examples: the
// login from GET /user, labels from GET …/issues/{n}, our comment found in
// the issue's comments, and a created comment read back.
func TestVendorWriteBack(t *testing.T) {
	v := newVendorServer(t)
	v.answer("GET", "/user", 200, testdata(t, "private-user.json"))
	v.answer("GET", "/repos/octocat/Hello-World/issues/1347", 200, testdata(t, "issue.json"))
	v.answer("GET", "/repos/octocat/Hello-World/issues/1347/comments", 200, testdata(t, "issue-comment-items.json"))
	v.answer("POST", "/repos/octocat/Hello-World/issues/1347/comments", 201, testdata(t, "issue-comment.json"))
	c := v.client(t, "octocat/Hello-World")
	ctx := t.Context()

	if login, err := c.Login(ctx); err != nil || login != "octocat" {
		t.Errorf("Login = %q, %v; want octocat", login, err)
	}
	if labels, err := c.Labels(ctx, "octocat/Hello-World#1347"); err != nil || !reflect.DeepEqual(labels, []string{"bug"}) {
		t.Errorf("Labels = %q, %v; want [bug]", labels, err)
	}
	found, ok, err := c.FindComment(ctx, "octocat/Hello-World#1347", "Me too")
	if err != nil || !ok || found.ID != "1" || found.Author != "octocat" || found.Raw != "Me too" {
		t.Errorf("FindComment = %+v, %v, %v; want comment 1 by octocat", found, ok, err)
	}
	created, err := c.CreateComment(ctx, "octocat/Hello-World#1347", "Me too")
	if err != nil || created.ID != "1" || created.Author != "octocat" {
		t.Errorf("CreateComment = %+v, %v; want comment 1 by octocat", created, err)
	}
}

// recording is octokit's recording of a paginated issue listing.
type recording struct {
	Entries []struct {
		Path       string            `json:"path"`
		Status     int               `json:"status"`
		RawHeaders []string          `json:"rawHeaders"`
		Response   []json.RawMessage `json:"response"`
	} `json:"entries"`
}

// replay serves octokit's recording of five pages of a real repository's
// issue listing. The first page answers the repository's own listing; the
// others are where GitHub's Link headers point: /repositories/515435940/
// issues?…&page=N. The recorded headers are sent as recorded, with two
// changes: the links name this server instead of api.github.com, and they
// repeat the parameters of the request being answered (the recorded request
// asked per_page=3 and its links repeat per_page=3; GitHub's links repeat
// whatever was asked), keeping the recorded paths and page numbers.
func replay(t *testing.T) (*httptest.Server, *[]string) {
	t.Helper()
	var rec recording
	if err := json.Unmarshal(testdata(t, "octokit-paginate-issues.json"), &rec); err != nil {
		t.Fatal(err)
	}
	if len(rec.Entries) != 5 {
		t.Fatalf("the recording has %d entries, want 5", len(rec.Entries))
	}
	var mu sync.Mutex
	var asked []string
	pageParam := regexp.MustCompile(`[?&]page=(\d+)`)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.RequestURI())
		mu.Unlock()
		entry := -1
		switch {
		case r.URL.Path == strings.SplitN(rec.Entries[0].Path, "?", 2)[0]:
			entry = 0
		case r.URL.Path == "/repositories/515435940/issues":
			n, _ := strconv.Atoi(r.URL.Query().Get("page"))
			entry = n - 1
		}
		if entry < 0 || entry >= len(rec.Entries) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Write([]byte(`[]`)) // no comments were recorded
			return
		}
		e := rec.Entries[entry]
		for i := 0; i+1 < len(e.RawHeaders); i += 2 {
			name, value := e.RawHeaders[i], e.RawHeaders[i+1]
			switch strings.ToLower(name) {
			case "content-length", "connection":
				continue
			case "link":
				value = regexp.MustCompile(`<https://api\.github\.com([^>?]*)\?[^>]*>`).ReplaceAllStringFunc(value, func(link string) string {
					target := strings.TrimSuffix(strings.TrimPrefix(link, "<https://api.github.com"), ">")
					q := r.URL.Query()
					q.Set("page", pageParam.FindStringSubmatch(target)[1])
					return "<" + srv.URL + strings.SplitN(target, "?", 2)[0] + "?" + q.Encode() + ">"
				})
			}
			w.Header().Add(name, value)
		}
		w.WriteHeader(e.Status)
		json.NewEncoder(w).Encode(e.Response)
	}))
	t.Cleanup(srv.Close)
	return srv, &asked
}

const recordedRepo = "octokit-fixture-org/tmp-scenario-paginate-issues-20220719043836917-izyoe"

// TestVendorPaginationResumes follows the recorded listing to its last page,
// then interrupts a sync after two pages and re-runs it: the re-run carries
// on from the saved /repositories/{id} page instead of starting over, and
// ends with what an uninterrupted sync stores.
func TestVendorPaginationResumes(t *testing.T) {
	srv, asked := replay(t)
	client := func() *Client {
		c, err := New(Config{Name: "gh", URL: srv.URL, Token: testToken, Repos: []string{recordedRepo},
			Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	ref := trackertest.NewSink()
	if _, err := client().Sync(t.Context(), ref, false, nil); err != nil {
		t.Fatalf("uninterrupted Sync: %v", err)
	}
	if len(ref.Issues()) != 13 {
		t.Fatalf("the recording lists 13 issues; the sync kept %d", len(ref.Issues()))
	}
	for n := 1; n <= 13; n++ {
		if got := ref.Issue(t, fmt.Sprintf("%s#%d", recordedRepo, n)); got.Title != fmt.Sprintf("Test issue %d", n) {
			t.Errorf("#%d: title %q", n, got.Title)
		}
	}
	for page := 2; page <= 5; page++ {
		if !askedFor(*asked, "/repositories/515435940/issues", page) {
			t.Errorf("page %d of the recorded listing never asked for (asked %q)", page, *asked)
		}
	}

	sink := trackertest.NewSink()
	ctx, cancel := context.WithCancel(t.Context())
	pages := 0
	if _, err := client().Sync(ctx, sink, false, func(string, int) {
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
	if err := json.Unmarshal([]byte(sink.SavedCursor("gh", recordedRepo)), &cur); err != nil || cur.Resume == nil {
		t.Fatalf("no progress saved: %q", sink.SavedCursor("gh", recordedRepo))
	}
	if u, _ := url.Parse(cur.Resume.Page); u == nil || u.Path != "/repositories/515435940/issues" || u.Query().Get("page") != "2" {
		t.Errorf("progress saved at %s, want page 2 of /repositories/515435940/issues", cur.Resume.Page)
	}
	*asked = nil
	if _, err := client().Sync(t.Context(), sink, false, nil); err != nil {
		t.Fatalf("Sync after the interruption: %v", err)
	}
	if len(*asked) == 0 || !askedFor((*asked)[:1], "/repositories/515435940/issues", 2) {
		t.Errorf("the re-run began with %q, want page 2 of /repositories/515435940/issues", *asked)
	}
	if !reflect.DeepEqual(contentOf(sink), contentOf(ref)) {
		t.Errorf("after resuming the sink holds %d issues; an uninterrupted sync %d (or the content differs)", len(sink.Issues()), len(ref.Issues()))
	}
}

func askedFor(asked []string, path string, page int) bool {
	for _, a := range asked {
		u, err := url.Parse(a)
		if err == nil && u.Path == path && u.Query().Get("page") == strconv.Itoa(page) {
			return true
		}
	}
	return false
}

// TestSyncKeepsIssuesWithOddFields lists a page where some issues carry a
// field of the wrong type and some items are not issues at all: every issue
// that can be named is kept with what could be read, the rest of the page is
// unharmed, and each oddity is logged once and counted.
func TestSyncKeepsIssuesWithOddFields(t *testing.T) {
	numbered := func(n int, edit func(m map[string]any)) map[string]any {
		m := vendorIssue(t)
		m["id"], m["number"], m["title"] = float64(100+n), float64(n), fmt.Sprintf("Issue %d", n)
		m["url"] = fmt.Sprintf("https://api.github.com/repos/octocat/Hello-World/issues/%d", n)
		m["html_url"] = fmt.Sprintf("https://github.com/octocat/Hello-World/issues/%d", n)
		if edit != nil {
			edit(m)
		}
		return m
	}
	items := []any{
		numbered(1, nil),
		numbered(2, func(m map[string]any) { m["milestone"], m["created_at"] = "v1.0", "last tuesday" }),
		"not an issue",
		numbered(3, func(m map[string]any) { m["user"] = 42 }),
		numbered(4, func(m map[string]any) { m["id"] = "abc" }),
		numbered(5, func(m map[string]any) { m["labels"] = []any{"bug", map[string]any{"name": "ui"}} }),
	}
	comment := func(id int, edit func(m map[string]any)) map[string]any {
		m := object(t, testdata(t, "issue-comment.json"))
		m["id"], m["issue_url"] = float64(id), "https://api.github.com/repos/octocat/Hello-World/issues/1"
		m["html_url"] = fmt.Sprintf("https://github.com/octocat/Hello-World/issues/1#issuecomment-%d", id)
		if edit != nil {
			edit(m)
		}
		return m
	}
	comments := []any{
		comment(7, nil),
		comment(8, func(m map[string]any) { m["created_at"] = 5 }),
		comment(9, func(m map[string]any) { m["id"] = nil }),
	}
	v := newVendorServer(t)
	v.answer("GET", "/repos/octocat/Hello-World/issues", 200, mustJSON(t, items))
	v.answer("GET", "/repos/octocat/Hello-World/issues/comments", 200, mustJSON(t, comments))
	v.answerRelations("octocat/Hello-World", 1, 2, 3, 4, 5)
	var logged bytes.Buffer
	c, err := New(Config{Name: "gh", URL: v.srv.URL, Token: testToken, Repos: []string{"octocat/Hello-World"},
		Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	sink := trackertest.NewSink()
	stats, err := c.Sync(t.Context(), sink, false, nil)
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	if len(sink.Issues()) != 4 {
		t.Errorf("kept %d issues, want 4 (#1, #2, #3, #5)", len(sink.Issues()))
	}
	two := sink.Issue(t, "octocat/Hello-World#2")
	if two.Title != "Issue 2" || two.Milestone != "" || !two.Created.IsZero() || two.Assignee != "octocat" {
		t.Errorf("#2 = %+v: want its title and assignee, no milestone, no created time", two)
	}
	if three := sink.Issue(t, "octocat/Hello-World#3"); three.Reporter != "" || three.Title != "Issue 3" || three.Milestone != "v1.0" {
		t.Errorf("#3 = %+v: want everything but the reporter", three)
	}
	if five := sink.Issue(t, "octocat/Hello-World#5"); !reflect.DeepEqual(five.Labels, []string{"bug", "ui"}) {
		t.Errorf("#5 labels = %q, want [bug ui]", five.Labels)
	}
	if stats.Malformed != 2 {
		t.Errorf("Malformed = %d, want 2 (#2 and #3)", stats.Malformed)
	}
	wantDegraded := []string{
		"1 comments with a field that could not be read (kept without it)",
		"3 listed items that could not be read at all (skipped, see the log)",
	}
	if !reflect.DeepEqual(stats.Degraded, wantDegraded) {
		t.Errorf("Degraded = %q, want %q", stats.Degraded, wantDegraded)
	}
	if got := sink.CommentsOf("octocat/Hello-World#1"); len(got) != 2 || got[1].ID != "8" || !got[1].Created.IsZero() || got[1].Body != "Me too" {
		t.Errorf("comments of #1 = %+v, want 7 and 8 (8 without its created time)", got)
	}
	log := logged.String()
	for _, want := range []string{`issue=octocat/Hello-World#2 fields="[created_at milestone]"`, `issue=octocat/Hello-World#3 fields=[user]`} {
		if strings.Count(log, want) != 1 {
			t.Errorf("log has %q %d times, want once:\n%s", want, strings.Count(log, want), log)
		}
	}
	if strings.Contains(log, testToken) {
		t.Error("the log names the token")
	}
}

// TestLabelsOfAnOddIssue: publishing reads an issue's labels for the
// opt-out label. An odd field elsewhere does not stop it; labels that cannot
// be read do, rather than pass for "no opt-out label".
func TestLabelsOfAnOddIssue(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(m map[string]any)
		want    []string
		wantErr string
	}{
		{name: "labels as strings", edit: func(m map[string]any) { m["labels"] = []any{"ladder-ignore", "bug"} }, want: []string{"ladder-ignore", "bug"}},
		{name: "odd created_at", edit: func(m map[string]any) { m["created_at"] = "soon" }, want: []string{"bug"}},
		{name: "unreadable labels", edit: func(m map[string]any) { m["labels"] = 42 }, wantErr: "labels could not be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := object(t, testdata(t, "issue.json"))
			tt.edit(m)
			v := newVendorServer(t)
			v.answer("GET", "/repos/octocat/Hello-World/issues/1347", 200, mustJSON(t, m))
			got, err := v.client(t, "octocat/Hello-World").Labels(t.Context(), "octocat/Hello-World#1347")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Labels = %q, %v; want an error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Labels = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
