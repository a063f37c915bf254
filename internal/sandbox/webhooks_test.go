package sandbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
)

func keysOf(t *testing.T, raw []byte, path ...string) []string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for _, p := range path {
		next, ok := m[p].(map[string]any)
		if !ok {
			t.Fatalf("no object %v in %s", path, raw[:min(len(raw), 200)])
		}
		m = next
	}
	return slices.Sorted(maps.Keys(m))
}

func vendorBody(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "webhooks", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// receive is a webhook endpoint that keeps the last delivery.
func receive(t *testing.T) (*httptest.Server, func() (*http.Request, []byte)) {
	t.Helper()
	var last *http.Request
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		last = r
		body, _ = io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(srv.Close)
	return srv, func() (*http.Request, []byte) { return last, body }
}

func checkSigned(t *testing.T, secret []byte, header string, body []byte) {
	t.Helper()
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	if want := "sha256=" + hex.EncodeToString(m.Sum(nil)); header != want {
		t.Errorf("signature %q, want %q", header, want)
	}
}

// TestGitHubDeliveries: the sandbox's deliveries have GitHub's payload
// shape (the top-level keys of octokit/webhooks' recorded examples, the
// issue as the REST API writes it), headers and signature.
func TestGitHubDeliveries(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	g := NewGitHub([]ladder.Issue{{Ref: ladder.Ref{Tracker: "gh", Key: "acme/web#7"}, Title: "Checkout", Reporter: "alice", Created: now, Updated: now}},
		GitHubOptions{Now: func() time.Time { return now }})
	defer g.Close()
	if _, err := g.AddComment("acme/web#7", "bob", "blocked by acme/platform#3"); err != nil {
		t.Fatal(err)
	}
	srv, last := receive(t)
	secret := []byte("s3cret")
	tests := []struct {
		name, event, example string
	}{
		{"issues", "issues", "github-issues-edited.json"},
		{"issue_comment", "issue_comment", "github-issue_comment-created.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, err := g.Deliver(t.Context(), srv.URL, secret, GitHubDelivery{Event: tt.event, Key: "acme/web#7"})
			if err != nil || status != http.StatusAccepted {
				t.Fatalf("Deliver: %d, %v", status, err)
			}
			r, body := last()
			example := vendorBody(t, tt.example)
			if got, want := keysOf(t, body), keysOf(t, example); !slices.Equal(got, want) {
				t.Errorf("top-level keys %v, want GitHub's %v", got, want)
			}
			issue := keysOf(t, body, "issue")
			for _, k := range []string{"url", "repository_url", "html_url", "id", "number", "title", "user", "labels", "state", "created_at", "updated_at", "body"} {
				if !slices.Contains(issue, k) {
					t.Errorf("issue lacks %q: %v", k, issue)
				}
			}
			var p struct {
				Issue struct {
					URL    string `json:"url"`
					Number int    `json:"number"`
				} `json:"issue"`
				Repository struct {
					FullName string `json:"full_name"`
				} `json:"repository"`
				Comment *struct {
					Body string `json:"body"`
				} `json:"comment"`
			}
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatal(err)
			}
			if p.Issue.Number != 7 || !strings.HasSuffix(p.Issue.URL, "/repos/acme/web/issues/7") || p.Repository.FullName != "acme/web" {
				t.Errorf("issue %+v in %s: want acme/web#7", p.Issue, p.Repository.FullName)
			}
			if tt.event == "issue_comment" && (p.Comment == nil || p.Comment.Body != "blocked by acme/platform#3") {
				t.Errorf("comment %+v: want the issue's latest", p.Comment)
			}
			if r.Header.Get("X-GitHub-Event") != tt.event || r.Header.Get("X-GitHub-Delivery") == "" || r.Header.Get("Content-Type") != "application/json" {
				t.Errorf("headers %v", r.Header)
			}
			checkSigned(t, secret, r.Header.Get("X-Hub-Signature-256"), body)
		})
	}
	if _, _, err := g.WebhookPayload(secret, GitHubDelivery{Event: "issues", Key: "acme/web#99"}); err == nil {
		t.Error("a delivery for an issue the sandbox does not serve: no error")
	}
}

// TestJiraDeliveries: the sandbox's deliveries have the documented Jira
// admin webhook shapes, headers and signature.
func TestJiraDeliveries(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	j := NewJira([]ladder.Issue{
		{Ref: ladder.Ref{Key: "PLAT-12"}, Title: "Rate limiter", Reporter: "alice", Created: now, Updated: now},
		{Ref: ladder.Ref{Key: "PAY-57"}, Title: "Ledger", Reporter: "bob", Created: now, Updated: now},
	}, JiraOptions{Deployment: "cloud", Now: func() time.Time { return now }})
	defer j.Close()
	if _, err := j.AddComment("PLAT-12", "bob", "waiting on PAY-57"); err != nil {
		t.Fatal(err)
	}
	srv, last := receive(t)
	secret := []byte("s3cret")
	tests := []struct {
		name    string
		d       JiraDelivery
		example string
	}{
		{"issue updated", JiraDelivery{Event: "jira:issue_updated", Key: "PLAT-12"}, "jira-issue-updated.json"},
		{"comment created", JiraDelivery{Event: "comment_created", Key: "PLAT-12"}, "jira-comment-created.json"},
		{"issue link created", JiraDelivery{Event: "issuelink_created", Key: "PLAT-12", LinkTo: "PAY-57"}, "jira-issuelink-created.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, err := j.Deliver(t.Context(), srv.URL, secret, tt.d)
			if err != nil || status != http.StatusAccepted {
				t.Fatalf("Deliver: %d, %v", status, err)
			}
			r, body := last()
			if got, want := keysOf(t, body), keysOf(t, vendorBody(t, tt.example)); !slices.Equal(got, want) {
				t.Errorf("top-level keys %v, want %v", got, want)
			}
			var p struct {
				Issue *struct {
					ID, Key string
				} `json:"issue"`
				IssueLink *struct {
					SourceIssueID, DestinationIssueID int64
				} `json:"issueLink"`
			}
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatal(err)
			}
			if p.IssueLink == nil && (p.Issue == nil || p.Issue.Key != "PLAT-12" || p.Issue.ID == "") {
				t.Errorf("issue %+v: want PLAT-12 with its id", p.Issue)
			}
			if p.IssueLink != nil && (p.IssueLink.SourceIssueID == 0 || p.IssueLink.DestinationIssueID == 0) {
				t.Errorf("issue link %+v: want both ends' ids", p.IssueLink)
			}
			if r.Header.Get("X-Atlassian-Webhook-Identifier") == "" {
				t.Errorf("headers %v", r.Header)
			}
			checkSigned(t, secret, r.Header.Get("X-Hub-Signature"), body)
		})
	}
}
