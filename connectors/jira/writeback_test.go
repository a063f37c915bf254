package jira

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
)

func isListing(r sandbox.Request) bool {
	return r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/comment")
}

func isCommentList(r sandbox.Request) bool {
	return r.Method == http.MethodPost && r.Path == "/rest/api/2/comment/list"
}

func isPropertyGet(r sandbox.Request) bool {
	return r.Method == http.MethodGet && strings.HasPrefix(r.Path, "/rest/api/2/comment/") && strings.Contains(r.Path, "/properties/")
}

// TestFindCommentAfterTheStoreWasLost publishes on one client, then looks
// the comment up from a fresh one, as a new CronJob pod with an empty store
// does. The comment listing documents no expand=properties (the sandbox's
// Cloud ignores it), so the properties must come from the documented
// endpoints, or every issue would get a second comment.
func TestFindCommentAfterTheStoreWasLost(t *testing.T) {
	tests := []struct {
		name       string
		deployment string
		opts       sandbox.JiraOptions
		// uses is the documented endpoint the lookup must use.
		uses func(sandbox.Request) bool
	}{
		{name: "cloud", deployment: "cloud", uses: isCommentList},
		{name: "datacenter", deployment: "datacenter", uses: isPropertyGet},
		{name: "datacenter that drops properties on create", deployment: "datacenter", opts: sandbox.JiraOptions{IgnoreCreateProperties: true}, uses: isPropertyGet},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var chatter []ladder.Comment
			for i := 0; i < 130; i++ {
				chatter = append(chatter, ladder.Comment{Author: "someone", Raw: "chatter"})
			}
			issues := []ladder.Issue{{Ref: ladder.Ref{Key: "PAY-1"}, Title: "busy", Comments: chatter}, {Ref: ladder.Ref{Key: "PAY-2"}, Title: "quiet"}}
			s := newSite(t, tt.deployment, issues, tt.opts, nil)
			ctx := t.Context()
			me, err := s.client.Me(ctx)
			if err != nil {
				t.Fatal(err)
			}
			// Our own comment without the property, and someone else's with it.
			if _, err := s.jira.AddComment("PAY-1", me, "a note the bot left by hand"); err != nil {
				t.Fatal(err)
			}
			theirs, _ := s.jira.AddComment("PAY-1", "mallory", "looks like Ladder's")
			if err := s.jira.SetCommentProperty(theirs, prop, map[string]any{"managed_by": "ladder"}); err != nil {
				t.Fatal(err)
			}
			created, err := s.client.CreateComment(ctx, "PAY-1", "h3. Ladder\n*aligned*", prop)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := s.jira.CommentProperty(created.ID, prop); !ok {
				t.Fatal("the created comment carries no property")
			}

			lost, err := New(s.client.cfg) // knows nothing of what s.client did
			if err != nil {
				t.Fatal(err)
			}
			s.jira.Harness().ResetLog()
			got, found, err := lost.FindComment(ctx, "PAY-1", prop)
			if err != nil || !found || got.ID != created.ID || got.Raw != "h3. Ladder\n*aligned*" {
				t.Fatalf("FindComment from a fresh client = %+v, %v, %v; want comment %s", got, found, err, created.ID)
			}
			if c, found, err := lost.FindComment(ctx, "PAY-2", prop); err != nil || found {
				t.Errorf("FindComment on an issue without ours = %+v, %v, %v", c, found, err)
			}
			settle(s.jira)
			used := false
			for _, r := range s.jira.Harness().Requests() {
				q, _ := url.ParseQuery(r.Query)
				if isListing(r) && q.Has("expand") {
					t.Errorf("the listing was asked for an undocumented expand: %s?%s", r.Path, r.Query)
				}
				if r.Status != http.StatusOK && !(r.Status == http.StatusNotFound && strings.Contains(r.Path, "/properties/")) {
					t.Errorf("%s %s answered %d", r.Method, r.Path, r.Status)
				}
				used = used || tt.uses(r)
			}
			if !used {
				t.Error("the lookup never used the documented endpoint")
			}
			// The property is asked only for our own comments: two on PAY-1.
			asked := s.jira.Harness().Count(func(r sandbox.Request) bool {
				return strings.Contains(r.Path, "/properties/") || r.Path == "/rest/api/2/comment/list"
			})
			if want := map[string]int{"cloud": 1, "datacenter": 2}[tt.deployment]; asked != want {
				t.Errorf("%d property requests, want %d", asked, want)
			}
		})
	}
}

func TestFindCommentCloudFallsBackToThePropertyEndpoint(t *testing.T) {
	tests := []struct {
		name  string
		fault sandbox.Fault
		// wantList is how many comment/list requests two lookups make.
		wantList int
	}{
		{name: "comment/list answers 404", fault: sandbox.Fault{Status: 404, Body: `{"errorMessages":["null for uri"],"errors":{}}`}, wantList: 1},
		{name: "comment/list leaves some out", fault: sandbox.Fault{Status: 200, Body: `{"isLast":false,"maxResults":0,"startAt":0,"total":0,"values":[]}`}, wantList: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, "cloud", sampleIssues(3), sandbox.JiraOptions{}, nil)
			created, err := s.client.CreateComment(t.Context(), "PAY-1", "verdict", prop)
			if err != nil {
				t.Fatal(err)
			}
			tt.fault.Match = func(r *http.Request) bool { return r.URL.Path == "/rest/api/2/comment/list" }
			s.jira.Harness().AddFault(tt.fault)
			s.jira.Harness().ResetLog()
			for range 2 {
				got, found, err := s.client.FindComment(t.Context(), "PAY-1", prop)
				if err != nil || !found || got.ID != created.ID {
					t.Fatalf("FindComment = %+v, %v, %v", got, found, err)
				}
			}
			settle(s.jira)
			if n := s.jira.Harness().Count(func(r sandbox.Request) bool { return r.Path == "/rest/api/2/comment/list" }); n != tt.wantList {
				t.Errorf("%d comment/list requests, want %d", n, tt.wantList)
			}
		})
	}
}

func TestCreateCommentIsMarkedThroughTheDocumentedEndpoint(t *testing.T) {
	tests := []struct {
		name       string
		deployment string
		opts       sandbox.JiraOptions
		wantPuts   int // PUT /comment/{id}/properties/{key}
	}{
		{name: "cloud keeps the properties sent on create", deployment: "cloud", wantPuts: 0},
		{name: "datacenter keeps them", deployment: "datacenter", wantPuts: 0},
		{name: "a site that drops them gets the property set", deployment: "datacenter", opts: sandbox.JiraOptions{IgnoreCreateProperties: true}, wantPuts: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, tt.deployment, sampleIssues(3), tt.opts, nil)
			c, err := s.client.CreateComment(t.Context(), "PAY-2", "verdict", prop)
			if err != nil {
				t.Fatal(err)
			}
			if v, ok := s.jira.CommentProperty(c.ID, prop); !ok || !strings.Contains(string(v), `"managed_by":"ladder"`) {
				t.Errorf("property %s, %v", v, ok)
			}
			settle(s.jira)
			puts := s.jira.Harness().Count(func(r sandbox.Request) bool {
				return r.Method == http.MethodPut && strings.Contains(r.Path, "/properties/")
			})
			if puts != tt.wantPuts {
				t.Errorf("%d property PUTs, want %d", puts, tt.wantPuts)
			}
		})
	}
}

// dropAfterSend lets a matching request reach the server, then loses the
// answer as a timeout, the way a stalled proxy does after the site acted.
type dropAfterSend struct {
	mu    sync.Mutex
	match func(*http.Request) bool
	n     int
	next  http.RoundTripper
}

func (d *dropAfterSend) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := d.next.RoundTrip(r)
	d.mu.Lock()
	drop := err == nil && d.n > 0 && d.match(r)
	if drop {
		d.n--
	}
	d.mu.Unlock()
	if drop {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, timeoutErr{}
	}
	return resp, err
}

func TestCreateCommentThatMayHaveHappened(t *testing.T) {
	tests := []struct {
		name string
		// setup breaks the create; it returns a transport to use, or nil.
		setup      func(s *site) http.RoundTripper
		deployment string
		wantPosts  int
		wantChecks int // newest-first listings read before sending again
	}{
		{name: "503 after the comment was made", deployment: "cloud", setup: func(s *site) http.RoundTripper {
			s.jira.ApplyThenFail(isCommentPost, 1, http.StatusServiceUnavailable)
			return nil
		}, wantPosts: 1, wantChecks: 1},
		{name: "504 after the comment was made, datacenter", deployment: "datacenter", setup: func(s *site) http.RoundTripper {
			s.jira.ApplyThenFail(isCommentPost, 1, http.StatusGatewayTimeout)
			return nil
		}, wantPosts: 1, wantChecks: 1},
		{name: "timeout after the request was sent", deployment: "cloud", setup: func(s *site) http.RoundTripper {
			return &dropAfterSend{match: isCommentPost, n: 1, next: http.DefaultTransport}
		}, wantPosts: 1, wantChecks: 1},
		{name: "502 before anything was made: checked, then sent again", deployment: "cloud", setup: func(s *site) http.RoundTripper {
			s.jira.Harness().AddFault(sandbox.Fault{Match: isCommentPost, Times: 1, Status: http.StatusBadGateway})
			return nil
		}, wantPosts: 2, wantChecks: 1},
		{name: "429: refused, sent again without a check", deployment: "cloud", setup: func(s *site) http.RoundTripper {
			s.jira.Harness().AddFault(sandbox.Fault{Match: isCommentPost, Times: 1, Status: http.StatusTooManyRequests, Header: sandbox.JiraRateLimit(3*time.Second, time.Time{})})
			return nil
		}, wantPosts: 2, wantChecks: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rt http.RoundTripper
			s := newSite(t, tt.deployment, sampleIssues(3), sandbox.JiraOptions{}, nil)
			// An earlier comment of ours with another body must not be taken
			// for the new one.
			me, _ := s.client.Me(t.Context())
			if _, err := s.jira.AddComment("PAY-2", me, "an older verdict"); err != nil {
				t.Fatal(err)
			}
			rt = tt.setup(s)
			client := s.client
			if rt != nil {
				cfg := s.client.cfg
				cfg.HTTPClient = &http.Client{Transport: rt}
				var err error
				if client, err = New(cfg); err != nil {
					t.Fatal(err)
				}
			}
			body := "h3. Ladder\nblocked by PLAT-1"
			created, err := client.CreateComment(t.Context(), "PAY-2", body, prop)
			if err != nil {
				t.Fatalf("CreateComment: %v", err)
			}
			var made []ladder.Comment
			for _, c := range s.jira.Comments("PAY-2") {
				if c.Raw == body {
					made = append(made, c)
				}
			}
			if len(made) != 1 || made[0].ID != created.ID {
				t.Fatalf("comments with the body: %+v; want exactly the one returned (%s)", made, created.ID)
			}
			if _, ok := s.jira.CommentProperty(created.ID, prop); !ok {
				t.Error("the comment carries no property")
			}
			settle(s.jira)
			posts := s.jira.Harness().Count(func(r sandbox.Request) bool {
				return r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/comment")
			})
			checks := s.jira.Harness().Count(func(r sandbox.Request) bool {
				q, _ := url.ParseQuery(r.Query)
				return isListing(r) && q.Get("orderBy") == "-created"
			})
			if posts != tt.wantPosts || checks != tt.wantChecks {
				t.Errorf("%d POSTs and %d checks, want %d and %d", posts, checks, tt.wantPosts, tt.wantChecks)
			}
		})
	}
}

func TestCreateCommentGivesUpSayingItMayExist(t *testing.T) {
	s := newSite(t, "cloud", sampleIssues(3), sandbox.JiraOptions{}, func(c *Config) { c.MaxRetries = 2 })
	s.jira.Harness().AddFault(sandbox.Fault{Match: isCommentPost, Status: http.StatusServiceUnavailable})
	_, err := s.client.CreateComment(t.Context(), "PAY-2", "verdict", prop)
	if err == nil || !strings.Contains(err.Error(), "gave up after 3 attempts") || !strings.Contains(err.Error(), "may have gone through") {
		t.Fatalf("CreateComment: %v", err)
	}
	for _, c := range s.jira.Comments("PAY-2") {
		if c.Raw == "verdict" {
			t.Errorf("comment %s made", c.ID)
		}
	}
}

func TestEditCommentDoesNotNotifyWatchers(t *testing.T) {
	tests := []struct {
		name       string
		deployment string
		opts       sandbox.JiraOptions
		want       []string // notifyUsers of each edit the site applied
		wantWarn   int
	}{
		{name: "cloud", deployment: "cloud", want: []string{"false", "false"}},
		{name: "datacenter", deployment: "datacenter", want: []string{"false", "false"}},
		{name: "a site that refuses it", deployment: "cloud", opts: sandbox.JiraOptions{RefuseQuietEdits: true}, want: []string{"", ""}, wantWarn: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := &logBuffer{}
			s := newSite(t, tt.deployment, sampleIssues(3), tt.opts, func(c *Config) { c.Logger = logs.logger() })
			c, err := s.client.CreateComment(t.Context(), "PAY-2", "v1", prop)
			if err != nil {
				t.Fatal(err)
			}
			for _, body := range []string{"v2", "v3"} {
				if err := s.client.EditComment(t.Context(), "PAY-2", c.ID, body); err != nil {
					t.Fatal(err)
				}
			}
			var got []string
			for _, e := range s.jira.CommentEdits() {
				got = append(got, e.NotifyUsers)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("notifyUsers of the edits %q, want %q", got, tt.want)
			}
			if cs := s.jira.Comments("PAY-2"); cs[len(cs)-1].Raw != "v3" {
				t.Errorf("comment reads %q", cs[len(cs)-1].Raw)
			}
			if n := strings.Count(logs.String(), "refused notifyUsers=false"); n != tt.wantWarn {
				t.Errorf("%d warnings about notifications, want %d", n, tt.wantWarn)
			}
		})
	}
}

func TestEditCommentOfSomeoneElseStaysAnError(t *testing.T) {
	s := newSite(t, "cloud", sampleIssues(3), sandbox.JiraOptions{}, nil)
	theirs, _ := s.jira.AddComment("PAY-2", "mallory", "mine")
	err := s.client.EditComment(t.Context(), "PAY-2", theirs, "taken over")
	if err == nil || !strings.Contains(err.Error(), "403") {
		t.Fatalf("EditComment: %v, want the 403", err)
	}
	if s.client.loudEdits {
		t.Error("a refused edit of someone else's comment was taken for a refusal of notifyUsers")
	}
}
