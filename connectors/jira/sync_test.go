package jira

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
	"github.com/ladderhq/ladder/internal/trackertest"
)

// TestSyncSearchAPIsAndPaging: each deployment pages its own search API
// (Cloud /search/jql by token, never the removed /search; Data Center
// /search by offset, in created order), Data Center's clamp of maxResults
// is followed, and the request count is the pages'. (Every issue stored
// once is the tracker contract's, in contract_test.go.)
func TestSyncSearchAPIsAndPaging(t *testing.T) {
	tests := []struct {
		name       string
		deployment string
		clamp      int
		pageSize   int
		n          int
	}{
		{name: "cloud", deployment: "cloud", pageSize: 100, n: 437},
		{name: "cloud small pages", deployment: "cloud", pageSize: 30, n: 95},
		{name: "datacenter", deployment: "datacenter", pageSize: 100, n: 437},
		{name: "datacenter clamps maxResults to 50", deployment: "datacenter", clamp: 50, pageSize: 100, n: 437},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			issues := sampleIssues(tt.n)
			s := newSite(t, tt.deployment, issues, sandbox.JiraOptions{MaxResultsClamp: tt.clamp},
				func(c *Config) { c.PageSize = tt.pageSize })
			sink := trackertest.NewSink()
			stats, err := s.client.Sync(t.Context(), sink, false, func(scope string, n int) {
				if scope != "project in (PAY, PLAT)" {
					t.Errorf("progress scope = %q", scope)
				}
			})
			if err != nil {
				t.Fatalf("Sync: %v", err)
			}
			if len(sink.Issues()) != tt.n {
				t.Fatalf("stored %d issues, want %d", len(sink.Issues()), tt.n)
			}
			if stats.QuotaRemaining != -1 || stats.Tracker != "jira" {
				t.Errorf("stats = %+v", stats)
			}
			settle(s.jira)
			per := tt.pageSize
			if tt.clamp > 0 {
				per = min(per, tt.clamp)
			}
			if got, want := searches(s.jira), (tt.n+per-1)/per; got != want {
				t.Errorf("%d search requests, want %d", got, want)
			}
			for _, r := range s.jira.Harness().Requests() {
				q, _ := url.ParseQuery(r.Query)
				switch {
				case tt.deployment == "cloud" && (r.Path == "/rest/api/2/search" || r.Path == "/rest/api/3/search"):
					t.Errorf("cloud called the removed search: %s", r.Path)
				case tt.deployment == "cloud" && r.Path == "/rest/api/2/search/jql":
					if q.Has("startAt") || !strings.Contains(q.Get("fields"), "summary") {
						t.Errorf("cloud search query %q: want fields and no startAt", r.Query)
					}
				case tt.deployment == "datacenter" && r.Path == "/rest/api/2/search":
					if !strings.HasSuffix(q.Get("jql"), "ORDER BY created ASC, key ASC") || !q.Has("startAt") {
						t.Errorf("datacenter search query %q: want startAt and ORDER BY created ASC, key ASC", r.Query)
					}
				case strings.Contains(r.Path, "/search/jql") && tt.deployment == "datacenter":
					t.Errorf("datacenter called %s", r.Path)
				}
				if r.Status != http.StatusOK {
					t.Errorf("%s %s answered %d", r.Method, r.Path, r.Status)
				}
			}
		})
	}
}

func TestSyncConvertsFields(t *testing.T) {
	for _, deployment := range []string{"cloud", "datacenter"} {
		t.Run(deployment, func(t *testing.T) {
			issues := sampleIssues(120)
			s := newSite(t, deployment, issues, sandbox.JiraOptions{}, nil)
			sink := trackertest.NewSink()
			if _, err := s.client.Sync(t.Context(), sink, false, nil); err != nil {
				t.Fatal(err)
			}
			byKey := map[string]ladder.Issue{}
			for _, is := range sink.Issues() {
				byKey[is.Key] = is
			}
			for _, want := range issues {
				got, ok := byKey[want.Key]
				if !ok {
					t.Fatalf("%s missing", want.Key)
				}
				if got.Tracker != "jira" || got.Title != want.Title || got.Type != want.Type || got.StatusCategory != want.StatusCategory {
					t.Errorf("%s: got %q %q %q %q", want.Key, got.Tracker, got.Title, got.Type, got.StatusCategory)
				}
				if got.Parent != want.Parent {
					t.Errorf("%s: parent %q, want %q", want.Key, got.Parent, want.Parent)
				}
				if (got.Estimate == nil) != (want.Estimate == nil) || got.Estimate != nil && *got.Estimate != *want.Estimate {
					t.Errorf("%s: estimate %v, want %v", want.Key, got.Estimate, want.Estimate)
				}
				if !got.Created.Equal(want.Created) || !got.Updated.Equal(want.Updated) {
					t.Errorf("%s: times %v %v, want %v %v", want.Key, got.Created, got.Updated, want.Created, want.Updated)
				}
				if got.BodyRaw != want.BodyRaw || strings.ContainsAny(got.Body, "*[]|") || !strings.Contains(got.Body, "Faster checkout for the docs.") {
					t.Errorf("%s: body %q from %q", want.Key, got.Body, got.BodyRaw)
				}
				if !slices.Equal(got.Labels, want.Labels) {
					t.Errorf("%s: labels %v, want %v", want.Key, got.Labels, want.Labels)
				}
				if got.URL != s.jira.URL()+"/browse/"+want.Key || got.Project != strings.Split(want.Key, "-")[0] {
					t.Errorf("%s: url %q project %q", want.Key, got.URL, got.Project)
				}
				if len(got.Comments) != len(want.Comments) {
					t.Errorf("%s: %d comments, want %d", want.Key, len(got.Comments), len(want.Comments))
				}
				for _, l := range want.Links {
					wantLink := ladder.Link{Kind: l.Kind, To: ladder.Ref{Tracker: "jira", Key: l.To.Key}, Via: l.Via}
					if !slices.Contains(got.Links, wantLink) {
						t.Errorf("%s: links %v lack %v", want.Key, got.Links, wantLink)
					}
					// Jira shows a link on both ends; the other end reads it reversed.
					back := byKey[l.To.Key]
					rev := ladder.Link{Kind: inverse(l.Kind), To: ladder.Ref{Tracker: "jira", Key: want.Key}, Via: l.Via}
					if !slices.Contains(back.Links, rev) {
						t.Errorf("%s: links %v lack %v", l.To.Key, back.Links, rev)
					}
				}
			}
		})
	}
}

// TestSyncIncremental: the cursor is the newest updated time seen, and the
// next run's JQL asks from it minus the overlap. (That the incremental
// store equals a full sync's is the tracker contract's.)
func TestSyncIncremental(t *testing.T) {
	for _, deployment := range []string{"cloud", "datacenter"} {
		t.Run(deployment, func(t *testing.T) {
			issues := sampleIssues(150)
			s := newSite(t, deployment, issues, sandbox.JiraOptions{}, nil)
			sink := trackertest.NewSink()
			if _, err := s.client.Sync(t.Context(), sink, false, nil); err != nil {
				t.Fatal(err)
			}
			raw, _ := sink.Cursor(t.Context(), "jira", "project in (PAY, PLAT)")
			var cur cursor
			if err := json.Unmarshal([]byte(raw), &cur); err != nil {
				t.Fatalf("cursor %q: %v", raw, err)
			}
			newest := issues[0].Updated
			for _, is := range issues {
				if is.Updated.After(newest) {
					newest = is.Updated
				}
			}
			if !cur.Updated.Equal(newest) {
				t.Errorf("cursor at %v, want newest updated %v", cur.Updated, newest)
			}

			s.clock.advance(time.Hour)
			if err := s.jira.EditIssue("PAY-3", func(is *ladder.Issue) { is.Title = "Renamed" }); err != nil {
				t.Fatal(err)
			}
			if _, err := s.jira.AddComment("PLAT-4", "user1", "we should clean this up later"); err != nil {
				t.Fatal(err)
			}
			s.jira.AddIssue(ladder.Issue{Ref: ladder.Ref{Key: "PAY-900"}, Title: "Brand new"})
			s.jira.Harness().ResetLog()
			before := len(sink.Puts())
			stats, err := s.client.Sync(t.Context(), sink, false, nil)
			if err != nil {
				t.Fatal(err)
			}
			var jql string
			for _, r := range s.jira.Harness().Requests() {
				if strings.Contains(r.Path, "/search") {
					q, _ := url.ParseQuery(r.Query)
					jql = q.Get("jql")
				}
			}
			wantBound := "updated >= " + strconv.FormatInt(newest.Add(-10*time.Minute).UnixMilli(), 10)
			if !strings.Contains(jql, wantBound) {
				t.Errorf("incremental jql %q lacks %q", jql, wantBound)
			}
			if stats.Issues.New != 1 || stats.Issues.Updated != 2 {
				t.Errorf("incremental stats %+v: want 1 new, 2 updated", stats.Issues)
			}
			if len(sink.Puts()) != before+1 {
				t.Errorf("%d issues stored, want %d", len(sink.Puts()), before+1)
			}
		})
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestSyncInterruptedThenRerun: Jira's saved progress — after the server
// fails mid-listing the cursor holds progress only, the re-run resumes with
// a created bound, and ends on the cursor an uninterrupted sync saves.
// (Cancellation and convergence in general are the tracker contract's.)
func TestSyncInterruptedThenRerun(t *testing.T) {
	isSearch := func(r *http.Request) bool { return strings.Contains(r.URL.Path, "/search") }
	tests := []struct {
		name       string
		deployment string
		// interrupt sets up the failure; it returns the context for the first run.
		interrupt func(t *testing.T, s *site, sink *trackertest.Sink) context.Context
	}{
		{name: "cloud server 500s after 2 pages", deployment: "cloud", interrupt: func(t *testing.T, s *site, sink *trackertest.Sink) context.Context {
			s.jira.Harness().AddFault(sandbox.Fault{Match: isSearch, After: 2, Status: 500})
			return t.Context()
		}},
		{name: "datacenter server 500s after 2 pages", deployment: "datacenter", interrupt: func(t *testing.T, s *site, sink *trackertest.Sink) context.Context {
			s.jira.Harness().AddFault(sandbox.Fault{Match: isSearch, After: 2, Status: 500})
			return t.Context()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			issues := sampleIssues(420)
			s := newSite(t, tt.deployment, issues, sandbox.JiraOptions{MaxResultsClamp: 50}, func(c *Config) { c.MaxRetries = 2 })
			want := trackertest.NewSink()
			if _, err := s.client.Sync(t.Context(), want, false, nil); err != nil {
				t.Fatal(err)
			}
			sink := trackertest.NewSink()
			ctx := tt.interrupt(t, s, sink)
			if _, err := s.client.Sync(ctx, sink, false, nil); err == nil {
				t.Fatal("interrupted sync reported no error")
			}
			if n := len(sink.Issues()); n == 0 || n >= len(issues) {
				t.Fatalf("interrupted sync stored %d issues; the test wants a partial store", n)
			}
			// What was stored is remembered as progress, not as a finished
			// listing: the re-run carries on from the last stored page.
			raw, _ := sink.Cursor(t.Context(), "jira", "project in (PAY, PLAT)")
			var cur cursor
			if err := json.Unmarshal([]byte(raw), &cur); err != nil || cur.Resume == nil || !cur.Updated.IsZero() {
				t.Fatalf("interrupted sync saved %q; want its progress only", raw)
			}
			stored := len(sink.Issues())
			s.jira.Harness().ClearFaults()
			s.jira.Harness().ResetLog()
			sink.AfterPut(nil)
			stats, err := s.client.Sync(t.Context(), sink, false, nil)
			if err != nil {
				t.Fatalf("re-run: %v", err)
			}
			var resumed bool
			for _, r := range s.jira.Harness().Requests() {
				if q, _ := url.ParseQuery(r.Query); strings.Contains(r.Path, "/search") && strings.Contains(q.Get("jql"), "created >= ") {
					resumed = true
				}
			}
			if !resumed {
				t.Error("the re-run listed from the start instead of resuming")
			}
			// The re-run reads again at most the page it stopped on.
			if got := stats.Issues.Unchanged; got > 50 {
				t.Errorf("the re-run fetched %d issues it already had (of %d stored)", got, stored)
			}
			if !mapsEqual(sink.Snapshot(), want.Snapshot()) {
				t.Error("re-run store differs from an uninterrupted sync")
			}
			wantCur, _ := want.Cursor(t.Context(), "jira", "project in (PAY, PLAT)")
			if gotCur, _ := sink.Cursor(t.Context(), "jira", "project in (PAY, PLAT)"); gotCur != wantCur {
				t.Errorf("cursor %s, want %s", gotCur, wantCur)
			}
		})
	}
}

// TestSyncServerErrors: Jira's retry budget and its errors. (5xx retried
// with growing backoff is the tracker contract's.)
func TestSyncServerErrors(t *testing.T) {
	tests := []struct {
		name       string
		fault      sandbox.Fault
		wantErr    string // "" wants success
		wantSleeps int
	}{
		{name: "500 forever is reported", fault: sandbox.Fault{Status: 500}, wantErr: "gave up after 4 attempts: 500", wantSleeps: 3},
		{name: "truncated body retried then reported", fault: sandbox.Fault{Status: 200, Body: `{"issues":[{"id":"1","key":"PAY-1","fields":{"summary":"x`}, wantErr: "cut short", wantSleeps: 3},
		{name: "truncated body once", fault: sandbox.Fault{Status: 200, Times: 1, Body: `{"issues":[{"id":"1"`}, wantSleeps: 1},
		{name: "400 is not retried", fault: sandbox.Fault{Status: 400, Body: `{"errorMessages":["The value 'X' does not exist for the field 'project'."],"errors":{}}`}, wantErr: "does not exist for the field 'project'", wantSleeps: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, "cloud", sampleIssues(40), sandbox.JiraOptions{}, func(c *Config) { c.MaxRetries = 3 })
			tt.fault.Match = sandbox.PathHas("/search")
			s.jira.Harness().AddFault(tt.fault)
			sink := trackertest.NewSink()
			_, err := s.client.Sync(t.Context(), sink, false, nil)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Sync: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("Sync error %v, want it to say %q", err, tt.wantErr)
			case tt.wantErr != "" && len(sink.Issues()) != 0:
				t.Errorf("failed sync stored %d issues", len(sink.Issues()))
			case tt.wantErr == "" && len(sink.Issues()) != 40:
				t.Errorf("stored %d issues, want 40", len(sink.Issues()))
			}
			if got := len(s.sleeps.list()); got != tt.wantSleeps {
				t.Errorf("%d backoff sleeps, want %d", got, tt.wantSleeps)
			}
			if got := s.sleeps.list(); len(got) > 1 && got[1] <= got[0] {
				t.Errorf("backoff did not grow: %v", got)
			}
		})
	}
}

func TestSyncBadToken(t *testing.T) {
	for _, deployment := range []string{"cloud", "datacenter"} {
		t.Run(deployment, func(t *testing.T) {
			s := newSite(t, deployment, sampleIssues(5), sandbox.JiraOptions{}, func(c *Config) {
				c.Name = "acme-jira"
				c.Token = "wrong-token-value"
			})
			sink := trackertest.NewSink()
			_, err := s.client.Sync(t.Context(), sink, false, nil)
			if err == nil {
				t.Fatal("no error with a bad token")
			}
			msg := err.Error()
			if !strings.Contains(msg, "token rejected") || !strings.Contains(msg, `"acme-jira"`) {
				t.Errorf("error %q should name the tracker and say the token was rejected", msg)
			}
			if strings.Contains(msg, "wrong-token-value") || strings.Contains(msg, testToken) {
				t.Errorf("error leaks the token: %q", msg)
			}
			if err := s.client.Validate(t.Context()); err == nil || !strings.Contains(err.Error(), "token rejected") {
				t.Errorf("Validate: %v", err)
			}
			settle(s.jira)
			if n := s.jira.Harness().Count(nil); n != 2 {
				t.Errorf("%d requests for a sync and a validate; a rejected token should not be retried", n)
			}
		})
	}
}

func TestSyncNotJSONIsRetriedThenReported(t *testing.T) {
	tests := []struct {
		name  string
		after int // good search pages before the bad one
		body  string
	}{
		{name: "not JSON on the first page", body: `<html>Service Unavailable</html>`},
		{name: "garbage on the second page", after: 1, body: `{"issues": [nope]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, "cloud", sampleIssues(150), sandbox.JiraOptions{}, nil)
			s.jira.Harness().AddFault(sandbox.Fault{Match: sandbox.PathHas("/search"), After: tt.after, Status: 200, Body: tt.body, Header: http.Header{"Content-Type": {"text/html"}}})
			sink := trackertest.NewSink()
			_, err := s.client.Sync(t.Context(), sink, false, nil)
			if err == nil || !strings.Contains(err.Error(), "not JSON") || !strings.Contains(err.Error(), "gave up after 5 attempts") {
				t.Fatalf("Sync: %v; want it to give up on a body that is not JSON", err)
			}
			if want := 100 * tt.after; len(sink.Issues()) != want {
				t.Errorf("stored %d issues, want %d (only the good pages)", len(sink.Issues()), want)
			}
			// Only the progress of the good pages may be saved, never a
			// cursor that says the listing finished.
			if c, _ := sink.Cursor(t.Context(), "jira", "project in (PAY, PLAT)"); c != "" {
				var cur cursor
				if err := json.Unmarshal([]byte(c), &cur); err != nil || cur.Resume == nil || !cur.Updated.IsZero() {
					t.Errorf("cursor saved despite the error: %s", c)
				}
			}
			if got := len(s.sleeps.list()); got != 4 {
				t.Errorf("%d retries of a body that is not JSON, want 4 (like a body cut short)", got)
			}
		})
	}
}

func TestSyncNotJSONOnceIsRetried(t *testing.T) {
	s := newSite(t, "datacenter", sampleIssues(150), sandbox.JiraOptions{}, nil)
	s.jira.Harness().AddFault(sandbox.Fault{Match: sandbox.PathHas("/search"), After: 1, Times: 1, Status: 200, Body: `<html><body>502 Bad Gateway</body></html>`, Header: http.Header{"Content-Type": {"text/html"}}})
	sink := trackertest.NewSink()
	if _, err := s.client.Sync(t.Context(), sink, false, nil); err != nil {
		t.Fatal(err)
	}
	if len(sink.Issues()) != 150 || len(s.sleeps.list()) != 1 {
		t.Errorf("stored %d issues after %d retries, want 150 after 1", len(sink.Issues()), len(s.sleeps.list()))
	}
}

func TestSyncCommentsBeyondCap(t *testing.T) {
	for _, deployment := range []string{"cloud", "datacenter"} {
		t.Run(deployment, func(t *testing.T) {
			issues := sampleIssues(60) // PAY-4 (i=7) and PAY-29 (i=57) carry 27 comments
			s := newSite(t, deployment, issues, sandbox.JiraOptions{CommentCap: 20}, nil)
			sink := trackertest.NewSink()
			stats, err := s.client.Sync(t.Context(), sink, false, nil)
			if err != nil {
				t.Fatal(err)
			}
			total, beyond := 0, map[string]bool{}
			for _, is := range issues {
				total += len(is.Comments)
				if len(is.Comments) > 20 {
					beyond["/rest/api/2/issue/"+is.Key+"/comment"] = true
				}
			}
			if stats.Comments != total {
				t.Errorf("stats.Comments = %d, want %d", stats.Comments, total)
			}
			settle(s.jira)
			var fetched []string
			for _, r := range s.jira.Harness().Requests() {
				if strings.HasSuffix(r.Path, "/comment") {
					fetched = append(fetched, r.Path)
					if !beyond[r.Path] {
						t.Errorf("fetched comments of an issue whose embedded page was complete: %s", r.Path)
					}
				}
			}
			if len(fetched) != len(beyond) {
				t.Errorf("comment fetches %v, want one per issue in %v", fetched, beyond)
			}
			for _, is := range sink.Issues() {
				if is.Key != "PAY-4" {
					continue
				}
				want := s.jira.Comments("PAY-4")
				if len(is.Comments) != len(want) {
					t.Fatalf("PAY-4 has %d comments, want %d", len(is.Comments), len(want))
				}
				for i, c := range is.Comments {
					if c.ID != want[i].ID || c.Raw != want[i].Raw || c.Body != strings.Replace(want[i].Raw, "{code}", "\n", 1)[:0]+WikiToText(want[i].Raw) {
						t.Errorf("comment %d = %+v, want %+v", i, c, want[i])
					}
				}
			}
		})
	}
}

func TestSyncStoryPoints(t *testing.T) {
	tests := []struct {
		name       string
		deployment string
		serverFld  string // where the site keeps story points
		configured string
	}{
		{name: "cloud auto finds Story point estimate past a classic decoy", deployment: "cloud", configured: "auto"},
		{name: "cloud auto finds classic Story Points", deployment: "cloud", serverFld: "customfield_10026", configured: "auto"},
		{name: "datacenter auto finds Story Points", deployment: "datacenter", configured: "auto"},
		{name: "configured field id", deployment: "datacenter", serverFld: "customfield_12310", configured: "customfield_12310"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			issues := sampleIssues(24)
			s := newSite(t, tt.deployment, issues, sandbox.JiraOptions{StoryPointsField: tt.serverFld},
				func(c *Config) { c.StoryPointsField = tt.configured })
			sink := trackertest.NewSink()
			if _, err := s.client.Sync(t.Context(), sink, false, nil); err != nil {
				t.Fatal(err)
			}
			want := map[string]*float64{}
			for _, is := range issues {
				want[is.Key] = is.Estimate
			}
			zeros, nils := 0, 0
			for _, got := range sink.Issues() {
				w := want[got.Key]
				switch {
				case w == nil && got.Estimate != nil:
					t.Errorf("%s: estimate %v, want none", got.Key, *got.Estimate)
				case w != nil && (got.Estimate == nil || *got.Estimate != *w):
					t.Errorf("%s: estimate %v, want %v", got.Key, got.Estimate, *w)
				}
				if got.Estimate == nil {
					nils++
				} else if *got.Estimate == 0 {
					zeros++
				}
			}
			if zeros == 0 || nils == 0 {
				t.Errorf("want both real zeros (%d) and missing estimates (%d) in the sample", zeros, nils)
			}
		})
	}
}

func TestSyncLinkTypesOfARealSite(t *testing.T) {
	// Sakai swaps the usual sides: its inward phrase is the active one.
	types := []sandbox.JiraLinkType{
		{ID: "1", Name: "5 - Depend", Inward: "depends on", Outward: "is depended on by", InwardKind: ladder.DependsOn, OutwardKind: ladder.Blocks},
		{ID: "2", Name: "6 - Blocks", Inward: "is blocked by", Outward: "blocks", InwardKind: ladder.BlockedBy, OutwardKind: ladder.Blocks},
		{ID: "3", Name: "Gantt End to Start", Inward: "has to be done after", Outward: "has to be done before", InwardKind: ladder.DependsOn, OutwardKind: ladder.Blocks},
		{ID: "4", Name: "Cloners", Inward: "is cloned by", Outward: "clones", InwardKind: ladder.Relates, OutwardKind: ladder.Relates},
		{ID: "5", Name: "Polaris work item link", Inward: "is delivered by", Outward: "delivers", InwardKind: ladder.Relates, OutwardKind: ladder.Relates},
	}
	issues := []ladder.Issue{
		{Ref: ladder.Ref{Key: "PAY-1"}, Title: "a", Links: []ladder.Link{
			{Kind: ladder.DependsOn, To: ladder.Ref{Key: "PLAT-1"}, Via: "5 - Depend"},
			{Kind: ladder.BlockedBy, To: ladder.Ref{Key: "PLAT-2"}, Via: "6 - Blocks"},
			{Kind: ladder.DependsOn, To: ladder.Ref{Key: "PLAT-3"}, Via: "Gantt End to Start"},
			{Kind: ladder.Relates, To: ladder.Ref{Key: "PLAT-4"}, Via: "Cloners"},
			{Kind: ladder.Relates, To: ladder.Ref{Key: "PLAT-5"}, Via: "Polaris work item link"},
		}},
		{Ref: ladder.Ref{Key: "PLAT-1"}, Title: "b"}, {Ref: ladder.Ref{Key: "PLAT-2"}, Title: "c"},
		{Ref: ladder.Ref{Key: "PLAT-3"}, Title: "d"}, {Ref: ladder.Ref{Key: "PLAT-4"}, Title: "e"},
		{Ref: ladder.Ref{Key: "PLAT-5"}, Title: "f"},
	}
	s := newSite(t, "datacenter", issues, sandbox.JiraOptions{LinkTypes: types}, nil)
	sink := trackertest.NewSink()
	if _, err := s.client.Sync(t.Context(), sink, false, nil); err != nil {
		t.Fatal(err)
	}
	links := map[string][]ladder.Link{}
	for _, is := range sink.Issues() {
		links[is.Key] = is.Links
	}
	want := map[string][]ladder.Link{
		"PAY-1": {
			{Kind: ladder.DependsOn, To: ladder.Ref{Tracker: "jira", Key: "PLAT-1"}, Via: "5 - Depend"},
			{Kind: ladder.BlockedBy, To: ladder.Ref{Tracker: "jira", Key: "PLAT-2"}, Via: "6 - Blocks"},
			{Kind: ladder.DependsOn, To: ladder.Ref{Tracker: "jira", Key: "PLAT-3"}, Via: "Gantt End to Start"},
			{Kind: ladder.Relates, To: ladder.Ref{Tracker: "jira", Key: "PLAT-4"}, Via: "Cloners"},
			{Kind: ladder.Relates, To: ladder.Ref{Tracker: "jira", Key: "PLAT-5"}, Via: "Polaris work item link"},
		},
		"PLAT-1": {{Kind: ladder.Blocks, To: ladder.Ref{Tracker: "jira", Key: "PAY-1"}, Via: "5 - Depend"}},
		"PLAT-2": {{Kind: ladder.Blocks, To: ladder.Ref{Tracker: "jira", Key: "PAY-1"}, Via: "6 - Blocks"}},
		"PLAT-3": {{Kind: ladder.Blocks, To: ladder.Ref{Tracker: "jira", Key: "PAY-1"}, Via: "Gantt End to Start"}},
	}
	for key, w := range want {
		if !slices.Equal(links[key], w) {
			t.Errorf("%s links = %v, want %v", key, links[key], w)
		}
	}
}

func TestSyncLinkOverrides(t *testing.T) {
	types := []sandbox.JiraLinkType{
		{ID: "1", Name: "Needs", Inward: "is needed by", Outward: "needs", InwardKind: ladder.Blocks, OutwardKind: ladder.DependsOn},
	}
	issues := []ladder.Issue{
		{Ref: ladder.Ref{Key: "PAY-1"}, Title: "a", Links: []ladder.Link{{Kind: ladder.DependsOn, To: ladder.Ref{Key: "PLAT-1"}, Via: "Needs"}}},
		{Ref: ladder.Ref{Key: "PLAT-1"}, Title: "b"},
	}
	tests := []struct {
		name      string
		overrides map[string]string
		pay, plat ladder.LinkKind
	}{
		{name: "unknown type relates", pay: ladder.Relates, plat: ladder.Relates},
		{name: "override by name", overrides: map[string]string{"Needs": "depends_on"}, pay: ladder.DependsOn, plat: ladder.Blocks},
		{name: "override by phrase", overrides: map[string]string{"is needed by": "blocks"}, pay: ladder.Relates, plat: ladder.Blocks},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, "cloud", issues, sandbox.JiraOptions{LinkTypes: types}, func(c *Config) { c.LinkKinds = tt.overrides })
			sink := trackertest.NewSink()
			if _, err := s.client.Sync(t.Context(), sink, false, nil); err != nil {
				t.Fatal(err)
			}
			for _, is := range sink.Issues() {
				want := tt.pay
				if is.Key == "PLAT-1" {
					want = tt.plat
				}
				if len(is.Links) != 1 || is.Links[0].Kind != want || is.Links[0].Via != "Needs" {
					t.Errorf("%s links %v, want one %s via Needs", is.Key, is.Links, want)
				}
			}
		})
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	good := Config{Name: "j", URL: "https://example.atlassian.net", Deployment: "cloud", User: "a@b.c", Token: "t", JQL: "project = PAY"}
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{name: "empty jql", edit: func(c *Config) { c.JQL = " " }, want: "must restrict"},
		{name: "only ORDER BY", edit: func(c *Config) { c.JQL = "ORDER BY created DESC" }, want: "must restrict"},
		{name: "cloud without email", edit: func(c *Config) { c.User = "" }, want: "email"},
		{name: "no token", edit: func(c *Config) { c.Token = "" }, want: "token"},
		{name: "bad deployment", edit: func(c *Config) { c.Deployment = "server" }, want: "cloud or datacenter"},
		{name: "bad link kind", edit: func(c *Config) { c.LinkKinds = map[string]string{"Blocks": "waits"} }, want: "not one of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.edit(&cfg)
			_, err := New(cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), `"j"`) {
				t.Errorf("New: %v, want an error naming the tracker and saying %q", err, tt.want)
			}
		})
	}
	c, err := New(Config{URL: "https://x", Deployment: "datacenter", Token: "t", JQL: `project = PAY AND summary ~ "order by" ORDER BY key`})
	if err != nil {
		t.Fatal(err)
	}
	if c.cfg.JQL != `project = PAY AND summary ~ "order by"` {
		t.Errorf("JQL kept as %q", c.cfg.JQL)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		opts sandbox.JiraOptions
		jql  string
		want string // "" wants success
	}{
		{name: "all good", jql: "project = PAY"},
		{name: "no comment permission", opts: sandbox.JiraOptions{DenyComments: true}, jql: "project = PAY", want: "ADD_COMMENTS"},
		{name: "jql rejected", jql: "projekt = PAY", want: "Field 'projekt' does not exist"},
	}
	for _, tt := range tests {
		for _, deployment := range []string{"cloud", "datacenter"} {
			t.Run(tt.name+" "+deployment, func(t *testing.T) {
				s := newSite(t, deployment, sampleIssues(3), tt.opts, func(c *Config) { c.JQL = tt.jql })
				err := s.client.Validate(t.Context())
				if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
					t.Errorf("Validate: %v, want %q", err, tt.want)
				}
			})
		}
	}
}

func TestContextCancelStopsBackoff(t *testing.T) {
	s := newSite(t, "cloud", sampleIssues(3), sandbox.JiraOptions{}, func(c *Config) { c.Sleep = nil })
	s.jira.Harness().AddFault(sandbox.Fault{Status: 503, Header: sandbox.RetryAfter(time.Hour)})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := s.client.Sync(ctx, trackertest.NewSink(), false, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Sync: %v, want the context's deadline", err)
	}
}

func TestSyncDedupesShiftedPages(t *testing.T) {
	// An issue moved into scope with an old created date lands before the
	// next offset: Data Center's next page repeats the last issue of this one.
	issues := sampleIssues(120)
	s := newSite(t, "datacenter", issues, sandbox.JiraOptions{MaxResultsClamp: 50}, nil)
	sink := trackertest.NewSink()
	sink.AfterPut(func(n int) {
		if n == 1 {
			s.jira.AddIssue(ladder.Issue{Ref: ladder.Ref{Key: "PAY-500"}, Title: "moved in", Created: base, Updated: s.clock.now()})
		}
	})
	if _, err := s.client.Sync(t.Context(), sink, false, nil); err != nil {
		t.Fatal(err)
	}
	for id, n := range sink.Puts() {
		if n != 1 {
			t.Errorf("issue %s put %d times in one sync", id, n)
		}
	}
	if len(sink.Issues()) != 120 {
		t.Errorf("stored %d issues, want the 120 present when paging began", len(sink.Issues()))
	}
	// The moved issue was updated now, so the next incremental sync has it.
	sink.AfterPut(nil)
	if _, err := s.client.Sync(t.Context(), sink, false, nil); err != nil {
		t.Fatal(err)
	}
	if len(sink.Issues()) != 121 {
		t.Errorf("after the next sync %d issues, want 121", len(sink.Issues()))
	}
}

// flaky fails the first n round trips with a timeout, as a stalled proxy would.
type flaky struct {
	n    int
	next http.RoundTripper
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func (f *flaky) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.n > 0 {
		f.n--
		return nil, timeoutErr{}
	}
	return f.next.RoundTrip(r)
}

func TestSyncRetriesTimeouts(t *testing.T) {
	tests := []struct {
		name    string
		fails   int
		wantErr bool
	}{
		{name: "two timeouts then fine", fails: 2},
		{name: "timeouts past the retry budget", fails: 10, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, "cloud", sampleIssues(30), sandbox.JiraOptions{}, func(c *Config) {
				c.HTTPClient = &http.Client{Transport: &flaky{n: tt.fails, next: http.DefaultTransport}}
				c.MaxRetries = 3
			})
			sink := trackertest.NewSink()
			_, err := s.client.Sync(t.Context(), sink, false, nil)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Sync: %v", err)
			}
			if tt.wantErr && !strings.Contains(err.Error(), "timeout") {
				t.Errorf("error %q should say it timed out", err)
			}
			if !tt.wantErr && len(sink.Issues()) != 30 {
				t.Errorf("stored %d, want 30", len(sink.Issues()))
			}
			if want := min(tt.fails, 3); len(s.sleeps.list()) != want {
				t.Errorf("%d backoff waits, want %d", len(s.sleeps.list()), want)
			}
		})
	}
}
