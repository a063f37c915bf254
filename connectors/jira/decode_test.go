package jira

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
	"github.com/ladderhq/ladder/internal/trackertest"
)

// TestSyncKeepsIssuesWithUnreadableFields serves one issue of a site with a
// field of an unexpected shape. The sync must store every issue, that one
// with what could be read, count it once as malformed and log its key and
// the field once.
func TestSyncKeepsIssuesWithUnreadableFields(t *testing.T) {
	const odd = "PAY-7" // i=13 in sampleIssues: a Story under epic PAY-6, estimated 3, with 1 comment
	tests := []struct {
		name  string
		field string // "" for the story points field of the deployment
		raw   string
		// comment sets the field on the issue's first comment instead.
		comment bool
		bad     string // the field the log must name; "" wants the issue read whole
		check   func(t *testing.T, got ladder.Issue)
	}{
		{name: "story points as a numeric string", raw: `"5"`,
			check: func(t *testing.T, got ladder.Issue) {
				if got.Estimate == nil || *got.Estimate != 5 {
					t.Errorf("estimate %v, want 5", got.Estimate)
				}
			}},
		{name: "story points as an object", raw: `{"value": 5}`, bad: "story points",
			check: func(t *testing.T, got ladder.Issue) {
				if got.Estimate != nil {
					t.Errorf("estimate %v, want none", *got.Estimate)
				}
			}},
		{name: "story points as a word", raw: `"lots"`, bad: "story points"},
		{name: "labels not an array", field: "labels", raw: `"tech-debt"`, bad: "labels",
			check: func(t *testing.T, got ladder.Issue) {
				if len(got.Labels) != 0 {
					t.Errorf("labels %v", got.Labels)
				}
			}},
		{name: "labels with a number among them", field: "labels", raw: `["tech-debt", 7, "ops"]`, bad: "labels",
			check: func(t *testing.T, got ladder.Issue) {
				if !slices.Equal(got.Labels, []string{"tech-debt", "ops"}) {
					t.Errorf("labels %v, want the two strings", got.Labels)
				}
			}},
		{name: "parent without a key", field: "parent", raw: `{"id": "10001", "fields": {}}`, bad: "parent",
			check: func(t *testing.T, got ladder.Issue) {
				if got.Parent != "" {
					t.Errorf("parent %q", got.Parent)
				}
			}},
		{name: "parent as a bare key", field: "parent", raw: `"PAY-1"`,
			check: func(t *testing.T, got ladder.Issue) {
				if got.Parent != "PAY-1" {
					t.Errorf("parent %q, want PAY-1", got.Parent)
				}
			}},
		{name: "created in a format Jira does not write", field: "created", raw: `"02/03/2026 09:13"`, bad: "created",
			check: func(t *testing.T, got ladder.Issue) {
				if !got.Created.IsZero() {
					t.Errorf("created %v", got.Created)
				}
			}},
		{name: "updated as epoch milliseconds", field: "updated", raw: `1772442030000`, bad: "updated"},
		{name: "resolved in RFC 3339", field: "resolutiondate", raw: `"2026-03-02T09:00:00Z"`,
			check: func(t *testing.T, got ladder.Issue) {
				if got.Resolved == nil || !got.Resolved.Equal(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) {
					t.Errorf("resolved %v", got.Resolved)
				}
			}},
		{name: "due date in another format", field: "duedate", raw: `"2 March 2026"`, bad: "duedate"},
		{name: "description as an API v3 document", field: "description", raw: `{"type":"doc","version":1,"content":[]}`, bad: "description",
			check: func(t *testing.T, got ladder.Issue) {
				if got.Body != "" || got.BodyRaw != "" {
					t.Errorf("body %q", got.Body)
				}
			}},
		{name: "status as a bare name", field: "status", raw: `"Done"`, bad: "status"},
		{name: "one link of another shape", field: "issuelinks", raw: `[42, {"type":{"name":"Blocks","inward":"is blocked by","outward":"blocks"},"inwardIssue":{"id":10004,"key":"PLAT-9"}}]`, bad: "issuelinks",
			check: func(t *testing.T, got ladder.Issue) {
				want := ladder.Link{Kind: ladder.BlockedBy, To: ladder.Ref{Tracker: "jira", Key: "PLAT-9"}, Via: "Blocks"}
				if !slices.Equal(got.Links, []ladder.Link{want}) {
					t.Errorf("links %v, want %v", got.Links, want)
				}
			}},
		{name: "issue id as a number", field: "id", raw: `77001`,
			check: func(t *testing.T, got ladder.Issue) {
				if got.ID != "77001" {
					t.Errorf("id %q", got.ID)
				}
			}},
		{name: "fields null", field: "fields", raw: `null`,
			check: func(t *testing.T, got ladder.Issue) {
				if got.Title != "" || got.Project != "PAY" {
					t.Errorf("title %q project %q", got.Title, got.Project)
				}
			}},
		{name: "a comment body as an object", comment: true, field: "body", raw: `{"type":"doc"}`, bad: "comment.body",
			check: func(t *testing.T, got ladder.Issue) {
				if len(got.Comments) != 1 || got.Comments[0].Raw != "" || got.Comments[0].Author == "" {
					t.Errorf("comments %+v: want the comment kept, without its body", got.Comments)
				}
			}},
	}
	for _, tt := range tests {
		for _, deployment := range []string{"cloud", "datacenter"} {
			t.Run(tt.name+" "+deployment, func(t *testing.T) {
				issues := sampleIssues(30)
				logs := &logBuffer{}
				s := newSite(t, deployment, issues, sandbox.JiraOptions{}, func(c *Config) { c.Logger = logs.logger() })
				field, bad := tt.field, tt.bad
				sp := "customfield_10016"
				if deployment == "datacenter" {
					sp = "customfield_10002"
					if field == "parent" {
						field = jiraEpicLinkFieldForTest
						if bad == "parent" {
							bad = jiraEpicLinkFieldForTest
						}
					}
				}
				if field == "" {
					field = sp
				}
				bad = strings.ReplaceAll(bad, "story points", sp)
				var err error
				if tt.comment {
					err = s.jira.SetRawCommentField(s.jira.Comments(odd)[0].ID, field, json.RawMessage(tt.raw))
				} else {
					err = s.jira.SetRawField(odd, field, json.RawMessage(tt.raw))
				}
				if err != nil {
					t.Fatal(err)
				}
				sink := trackertest.NewSink()
				stats, err := s.client.Sync(t.Context(), sink, false, nil)
				if err != nil {
					t.Fatalf("Sync: %v", err)
				}
				if len(sink.Issues()) != len(issues) {
					t.Fatalf("stored %d issues, want %d", len(sink.Issues()), len(issues))
				}
				wantMalformed := 0
				if bad != "" {
					wantMalformed = 1
				}
				if stats.Malformed != wantMalformed {
					t.Errorf("Malformed = %d, want %d", stats.Malformed, wantMalformed)
				}
				var got ladder.Issue
				for _, is := range sink.Issues() {
					if is.Key == odd {
						got = is
					}
				}
				if got.Key != odd {
					t.Fatalf("%s not stored", odd)
				}
				if field != "fields" && field != "summary" && got.Title != "Checkout step 13" {
					t.Errorf("title %q: the rest of the issue was not read", got.Title)
				}
				var lines []string
				for _, l := range strings.Split(logs.String(), "\n") {
					if strings.Contains(l, "could not be read") {
						lines = append(lines, l)
					}
				}
				switch {
				case bad == "" && len(lines) > 0:
					t.Errorf("logged %q for a readable issue", lines)
				case bad != "" && (len(lines) != 1 || !strings.Contains(lines[0], "issue="+odd) || !strings.Contains(lines[0], "fields="+bad)):
					t.Errorf("log lines %q, want one naming %s and %s", lines, odd, bad)
				}
				if tt.check != nil {
					tt.check(t, got)
				}
			})
		}
	}
}

// jiraEpicLinkFieldForTest is the sandbox's Data Center "Epic Link" field,
// where Data Center keeps an issue's epic.
const jiraEpicLinkFieldForTest = "customfield_10101"

func TestSyncSkipsSearchHitsWithoutAKey(t *testing.T) {
	s := newSite(t, "cloud", sampleIssues(40), sandbox.JiraOptions{}, nil)
	body := `{"isLast":true,"issues":[` +
		`{"id":"1","key":"PAY-1","fields":{"summary":"kept"}},` +
		`"not an issue",` +
		`{"id":"2","fields":{"summary":"no key"}},` +
		`{"id":"3","key":"PAY-3","fields":{"summary":"kept too","labels":{"x":1}}}]}`
	s.jira.Harness().AddFault(sandbox.Fault{Match: sandbox.PathHas("/search"), Times: 1, Status: 200, Body: body})
	sink := trackertest.NewSink()
	stats, err := s.client.Sync(t.Context(), sink, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sink.Issues()) != 2 || stats.Malformed != 3 {
		t.Errorf("stored %d, malformed %d; want 2 stored, 3 malformed (two skipped, one kept without labels)", len(sink.Issues()), stats.Malformed)
	}
}

func TestSyncCommentsBeyondCapWithAnOddComment(t *testing.T) {
	issues := sampleIssues(60) // PAY-4 carries 27 comments, 20 embedded
	s := newSite(t, "cloud", issues, sandbox.JiraOptions{CommentCap: 20}, nil)
	late := s.jira.Comments("PAY-4")[25].ID
	if err := s.jira.SetRawCommentField(late, "author", json.RawMessage(`"user1"`)); err != nil {
		t.Fatal(err)
	}
	sink := trackertest.NewSink()
	stats, err := s.client.Sync(t.Context(), sink, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, is := range sink.Issues() {
		if is.Key == "PAY-4" && len(is.Comments) != 27 {
			t.Errorf("PAY-4 has %d comments, want all 27 (one without its author)", len(is.Comments))
		}
	}
	if stats.Malformed != 1 {
		t.Errorf("Malformed = %d, want 1", stats.Malformed)
	}
}
