package github

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ladderhq/ladder"
)

// wireIssue is an issue as GitHub's REST API writes it. It is our own struct
// because go-github v62's Issue lacks sub_issues_summary, parent_issue_url,
// issue_dependencies_summary and the organisation issue type.
type wireIssue struct {
	ID            int64      `json:"id"`
	Number        int        `json:"number"`
	URL           string     `json:"url"`
	RepositoryURL string     `json:"repository_url"`
	HTMLURL       string     `json:"html_url"`
	Title         string     `json:"title"`
	Body          *string    `json:"body"`
	State         string     `json:"state"`
	StateReason   *string    `json:"state_reason"`
	Labels        wireLabels `json:"labels"`
	User          *wireUser  `json:"user"`
	// Assignees is every assignee in GitHub's order; the singular
	// assignee is deprecated (it is the first of them) and gone from API
	// version 2026-03-10 on, so it is read only when assignees is absent
	// (an old Enterprise Server).
	Assignees []*wireUser             `json:"assignees"`
	Assignee  *wireUser               `json:"assignee"`
	Milestone *struct{ Title string } `json:"milestone"`
	Type      *struct{ Name string }  `json:"type"`
	CreatedAt time.Time               `json:"created_at"`
	UpdatedAt time.Time               `json:"updated_at"`
	ClosedAt  *time.Time              `json:"closed_at"`
	// PullRequest is present only on pull requests, which the issues
	// listing mixes in.
	PullRequest              *json.RawMessage     `json:"pull_request"`
	ParentIssueURL           *string              `json:"parent_issue_url"`
	SubIssuesSummary         *struct{ Total int } `json:"sub_issues_summary"`
	IssueDependenciesSummary *struct {
		TotalBlockedBy int `json:"total_blocked_by"`
	} `json:"issue_dependencies_summary"`
}

type wireUser struct {
	Login string `json:"login"`
}

// wireComment is an issue comment from the repo-wide listing.
type wireComment struct {
	ID        int64     `json:"id"`
	HTMLURL   string    `json:"html_url"`
	IssueURL  string    `json:"issue_url"`
	User      *wireUser `json:"user"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func (u *wireUser) login() string {
	if u == nil {
		return ""
	}
	return u.Login
}

// assignee is the one assignee a ladder.Issue holds: the first of
// assignees in the order GitHub lists them (the same on every read), which
// is also what the deprecated singular assignee holds.
func (w *wireIssue) assignee() string {
	for _, u := range w.Assignees {
		if l := u.login(); l != "" {
			return l
		}
	}
	return w.Assignee.login()
}

// convertIssue is the one place GitHub's issue becomes a ladder.Issue.
func convertIssue(tracker, repo string, w *wireIssue, links []ladder.Link) ladder.Issue {
	is := ladder.Issue{
		Ref:      ladder.Ref{Tracker: tracker, Key: fmt.Sprintf("%s#%d", repo, w.Number)},
		ID:       strconv.FormatInt(w.ID, 10),
		URL:      w.HTMLURL,
		Project:  repo,
		Type:     "Issue",
		Title:    w.Title,
		Status:   w.State,
		Assignee: w.assignee(),
		Reporter: w.User.login(),
		Created:  w.CreatedAt.UTC(),
		Updated:  w.UpdatedAt.UTC(),
		Links:    links,
	}
	if w.Type != nil && w.Type.Name != "" {
		is.Type = w.Type.Name
	}
	if w.Body != nil {
		is.BodyRaw = *w.Body
		is.Body = plainText(*w.Body)
	}
	for _, l := range w.Labels {
		is.Labels = append(is.Labels, l)
		if is.Estimate == nil {
			is.Estimate = labelEstimate(l)
		}
	}
	switch {
	case w.State == "closed":
		is.StatusCategory = ladder.StatusDone
		if w.StateReason != nil && *w.StateReason != "" {
			is.Status = "closed (" + *w.StateReason + ")"
		}
	case is.Assignee != "":
		is.StatusCategory = ladder.StatusInProgress
	default:
		is.StatusCategory = ladder.StatusTodo
	}
	if w.ClosedAt != nil && w.State == "closed" {
		t := w.ClosedAt.UTC()
		is.Resolved = &t
	}
	if w.Milestone != nil {
		is.Milestone = w.Milestone.Title
	}
	if w.ParentIssueURL != nil {
		if key, ok := keyFromAPIURL(*w.ParentIssueURL); ok {
			is.Parent = key
		}
	}
	return is
}

// relatedLinks turns the issues of a dependencies or sub-issues listing into
// links of one kind.
func relatedLinks(tracker string, kind ladder.LinkKind, via string, related []wireIssue) []ladder.Link {
	var out []ladder.Link
	for i := range related {
		key, ok := relatedKey(&related[i])
		if !ok {
			continue
		}
		out = append(out, ladder.Link{Kind: kind, To: ladder.Ref{Tracker: tracker, Key: key}, Via: via})
	}
	return out
}

// relatedKey names a related issue, which may live in another repository.
func relatedKey(w *wireIssue) (string, bool) {
	if key, ok := keyFromAPIURL(w.URL); ok {
		return key, true
	}
	if repo, ok := repoFromAPIURL(w.RepositoryURL); ok && w.Number > 0 {
		return fmt.Sprintf("%s#%d", repo, w.Number), true
	}
	return "", false
}

// apiIssueURL matches …/repos/{owner}/{repo}/issues/{n}, on github.com and
// on Enterprise's /api/v3 alike.
var apiIssueURL = regexp.MustCompile(`/repos/([^/]+)/([^/]+)/issues/(\d+)$`)

func keyFromAPIURL(u string) (string, bool) {
	m := apiIssueURL.FindStringSubmatch(u)
	if m == nil {
		return "", false
	}
	return fmt.Sprintf("%s/%s#%s", m[1], m[2], m[3]), true
}

var apiRepoURL = regexp.MustCompile(`/repos/([^/]+)/([^/]+)$`)

func repoFromAPIURL(u string) (string, bool) {
	m := apiRepoURL.FindStringSubmatch(u)
	if m == nil {
		return "", false
	}
	return m[1] + "/" + m[2], true
}

// convertComment turns a comment of the repo-wide listing into one addressed
// to its issue. Comments on pull requests (their html_url points at /pull/)
// are dropped: Ladder does not store pull requests.
func convertComment(tracker string, w *wireComment) (ladder.IssueComment, bool) {
	key, ok := keyFromAPIURL(w.IssueURL)
	if !ok || strings.Contains(w.HTMLURL, "/pull/") {
		return ladder.IssueComment{}, false
	}
	return ladder.IssueComment{
		Issue:   ladder.Ref{Tracker: tracker, Key: key},
		Comment: commentOf(w),
	}, true
}

func commentOf(w *wireComment) ladder.Comment {
	return ladder.Comment{
		ID:      strconv.FormatInt(w.ID, 10),
		Author:  w.User.login(),
		Created: w.CreatedAt.UTC(),
		Updated: w.UpdatedAt.UTC(),
		Body:    plainText(w.Body),
		Raw:     w.Body,
	}
}

// estimateLabel matches the labels teams use for story points on GitHub,
// which has no estimate field: estimate:3, points: 5, story-points:2.5, sp:8.
var estimateLabel = regexp.MustCompile(`(?i)^\s*(?:estimate|points|story[ _-]?points|sp)\s*[:=]\s*(\d+(?:\.\d+)?)\s*$`)

func labelEstimate(label string) *float64 {
	m := estimateLabel.FindStringSubmatch(label)
	if m == nil {
		return nil
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return nil
	}
	return &v
}
