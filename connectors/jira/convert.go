package jira

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/ladderhq/ladder"
)

// Wire shapes of Jira REST v2. They stay in this package; toIssue is the one
// place they become ladder types.

type wireIssue struct {
	ID     string          `json:"id"`
	Key    string          `json:"key"`
	Fields json.RawMessage `json:"fields"`
}

type wireUser struct {
	AccountID   string `json:"accountId"` // Cloud
	Name        string `json:"name"`      // Data Center
	DisplayName string `json:"displayName"`
}

// id is the account identifier the site uses: accountId on Cloud (names and
// emails are hidden there), the user name on Data Center.
func (u *wireUser) id() string {
	if u == nil {
		return ""
	}
	if u.AccountID != "" {
		return u.AccountID
	}
	return u.Name
}

// label is how people recognise the user: the display name, else the id.
func (u *wireUser) label() string {
	if u == nil {
		return ""
	}
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.id()
}

type wireComment struct {
	ID         string    `json:"id"`
	Author     *wireUser `json:"author"`
	Body       string    `json:"body"`
	Created    string    `json:"created"`
	Updated    string    `json:"updated"`
	Properties []struct {
		Key   string          `json:"key"`
		Value json.RawMessage `json:"value"`
	} `json:"properties"`
}

type wireCommentPage struct {
	StartAt    int           `json:"startAt"`
	MaxResults int           `json:"maxResults"`
	Total      int           `json:"total"`
	Comments   []wireComment `json:"comments"`
}

type wireLinked struct {
	ID  string `json:"id"`
	Key string `json:"key"`
}

type wireFields struct {
	Summary     string  `json:"summary"`
	Description *string `json:"description"`
	IssueType   *struct {
		Name string `json:"name"`
	} `json:"issuetype"`
	Labels     []string `json:"labels"`
	Components []struct {
		Name string `json:"name"`
	} `json:"components"`
	Status *struct {
		Name           string `json:"name"`
		StatusCategory struct {
			Key string `json:"key"`
		} `json:"statusCategory"`
	} `json:"status"`
	Assignee       *wireUser `json:"assignee"`
	Reporter       *wireUser `json:"reporter"`
	Created        string    `json:"created"`
	Updated        string    `json:"updated"`
	ResolutionDate *string   `json:"resolutiondate"`
	DueDate        *string   `json:"duedate"`
	Project        *struct {
		Key string `json:"key"`
	} `json:"project"`
	FixVersions []struct {
		Name string `json:"name"`
	} `json:"fixVersions"`
	IssueLinks []struct {
		Type struct {
			Name    string `json:"name"`
			Inward  string `json:"inward"`
			Outward string `json:"outward"`
		} `json:"type"`
		InwardIssue  *wireLinked `json:"inwardIssue"`
		OutwardIssue *wireLinked `json:"outwardIssue"`
	} `json:"issuelinks"`
	Parent  *wireLinked      `json:"parent"`
	Comment *wireCommentPage `json:"comment"`
}

// searchFields is what a search asks for. Cloud's search/jql returns only ids
// unless fields are listed, and listing them keeps pages small on both.
var searchFields = []string{
	"summary", "description", "issuetype", "labels", "components", "status",
	"assignee", "reporter", "created", "updated", "resolutiondate", "duedate",
	"project", "fixVersions", "issuelinks", "parent", "comment",
}

// jiraTime is how REST v2 writes instants: milliseconds and a numeric offset.
const jiraTime = "2006-01-02T15:04:05.000-0700"

func parseTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{jiraTime, time.RFC3339Nano, "2006-01-02T15:04:05-0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// converted is one search hit as a ladder issue plus what sync still needs to
// know about it.
type converted struct {
	issue ladder.Issue
	// moreComments is true when the embedded comments are a capped page.
	moreComments bool
}

// toIssue converts one search hit. Custom fields arrive under site-specific
// ids, so the raw fields are read a second time for those.
func (c *Client) toIssue(w wireIssue, meta *siteMeta) (converted, error) {
	var f wireFields
	if err := json.Unmarshal(w.Fields, &f); err != nil {
		return converted{}, err
	}
	var custom map[string]json.RawMessage
	if len(meta.storyPoints) > 0 || meta.epicLink != "" {
		if err := json.Unmarshal(w.Fields, &custom); err != nil {
			return converted{}, err
		}
	}
	is := ladder.Issue{
		Ref:      ladder.Ref{Tracker: c.cfg.Name, Key: w.Key},
		ID:       w.ID,
		URL:      strings.TrimRight(c.cfg.URL, "/") + "/browse/" + w.Key,
		Title:    f.Summary,
		Labels:   f.Labels,
		Assignee: f.Assignee.label(),
		Reporter: f.Reporter.label(),
	}
	if f.Project != nil {
		is.Project = f.Project.Key
	} else {
		is.Project, _, _ = strings.Cut(w.Key, "-")
	}
	if f.IssueType != nil {
		is.Type = f.IssueType.Name
	}
	if f.Description != nil {
		is.BodyRaw = *f.Description
		is.Body = WikiToText(is.BodyRaw)
	}
	for _, comp := range f.Components {
		is.Components = append(is.Components, comp.Name)
	}
	if f.Status != nil {
		is.Status = f.Status.Name
		is.StatusCategory = statusCategory(f.Status.StatusCategory.Key)
	}
	is.Created, _ = parseTime(f.Created)
	is.Updated, _ = parseTime(f.Updated)
	if f.ResolutionDate != nil {
		if t, ok := parseTime(*f.ResolutionDate); ok {
			is.Resolved = &t
		}
	}
	if f.DueDate != nil {
		if t, err := time.Parse("2006-01-02", *f.DueDate); err == nil {
			is.Due = &t
		}
	}
	if len(f.FixVersions) > 0 {
		is.Milestone = f.FixVersions[0].Name
	}
	for _, id := range meta.storyPoints {
		if v, ok := number(custom[id]); ok {
			is.Estimate = &v
			break
		}
	}
	switch {
	case f.Parent != nil && f.Parent.Key != "":
		is.Parent = f.Parent.Key
	case meta.epicLink != "":
		var epic string
		if json.Unmarshal(custom[meta.epicLink], &epic) == nil {
			is.Parent = epic
		}
	}
	for _, l := range f.IssueLinks {
		other, inward := l.OutwardIssue, false
		if l.InwardIssue != nil {
			other, inward = l.InwardIssue, true
		}
		if other == nil || other.Key == "" {
			continue
		}
		is.Links = append(is.Links, ladder.Link{
			Kind: c.kinds.kind(l.Type.Name, l.Type.Inward, l.Type.Outward, inward),
			To:   ladder.Ref{Tracker: c.cfg.Name, Key: other.Key},
			Via:  l.Type.Name,
		})
	}
	out := converted{issue: is}
	if f.Comment != nil {
		for _, wc := range f.Comment.Comments {
			out.issue.Comments = append(out.issue.Comments, toComment(wc))
		}
		out.moreComments = f.Comment.Total > len(f.Comment.Comments)
	}
	return out, nil
}

func toComment(wc wireComment) ladder.Comment {
	created, _ := parseTime(wc.Created)
	updated, _ := parseTime(wc.Updated)
	return ladder.Comment{
		ID: wc.ID, Author: wc.Author.label(), Created: created, Updated: updated,
		Body: WikiToText(wc.Body), Raw: wc.Body,
	}
}

// number reads a story points value. Sites store it as a JSON number, a few
// plugins as a string; null and absent mean "not estimated".
func number(raw json.RawMessage) (float64, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, false
	}
	var v float64
	if err := json.Unmarshal(raw, &v); err == nil {
		return v, true
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if v, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return v, true
		}
	}
	return 0, false
}

func statusCategory(key string) ladder.StatusCategory {
	switch key {
	case "done":
		return ladder.StatusDone
	case "indeterminate":
		return ladder.StatusInProgress
	default: // "new", and "undefined" on old sites
		return ladder.StatusTodo
	}
}
