package jira

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ladderhq/ladder"
)

// Wire shapes of Jira REST v2. They stay in this package; toIssue is the one
// place they become ladder types.
//
// Issues and comments are read one field at a time: sites carry plugins that
// store odd values (story points as an object, a date in another format, a
// parent of another shape), and one field Ladder cannot read must cost that
// field only, never the issue, the page or the sync. What could not be read
// is named, so the sync can say so once per issue.

// wireIssue is one search hit with its fields still raw.
type wireIssue struct {
	ID     string
	Key    string
	Fields json.RawMessage
}

// decodeIssue reads a search hit's id and key. An element that is not an
// object or carries no usable key cannot be stored under any name.
func decodeIssue(raw json.RawMessage) (wireIssue, error) {
	var w struct {
		ID     json.RawMessage `json:"id"`
		Key    json.RawMessage `json:"key"`
		Fields json.RawMessage `json:"fields"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return wireIssue{}, errors.New("not an issue object")
	}
	var key string
	if json.Unmarshal(w.Key, &key) != nil || key == "" {
		return wireIssue{}, errors.New("no issue key")
	}
	id, ok := idString(w.ID)
	if !ok {
		return wireIssue{}, errors.New("no issue id")
	}
	return wireIssue{ID: id, Key: key, Fields: w.Fields}, nil
}

// idString reads an id Jira sends as a string, or as a number on some
// endpoints and versions.
func idString(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, s != ""
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		if _, err := n.Int64(); err == nil {
			return n.String(), true
		}
	}
	return "", false
}

// fields reads the members of one JSON object one at a time and remembers
// the names of those it could not read.
type fields struct {
	raw    map[string]json.RawMessage
	prefix string // "comment." for a comment's own fields
	bad    []string
}

func newFields(raw json.RawMessage, prefix string) *fields {
	f := &fields{prefix: prefix}
	if len(raw) == 0 || isNull(raw) {
		return f
	}
	if err := json.Unmarshal(raw, &f.raw); err != nil {
		f.note(strings.TrimSuffix(prefix, ".") + "fields")
	}
	return f
}

func (f *fields) note(name string) {
	name = f.prefix + name
	if !slices.Contains(f.bad, name) {
		f.bad = append(f.bad, name)
	}
}

func isNull(raw json.RawMessage) bool {
	return len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null"
}

// get reads field name into a fresh T. Absent and null give false quietly;
// a value of another type gives false and is noted.
func get[T any](f *fields, name string) (T, bool) {
	var v T
	raw, ok := f.raw[name]
	if !ok || isNull(raw) {
		return v, false
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		f.note(name)
		var zero T
		return zero, false
	}
	return v, true
}

// list reads an array field element by element, so one odd element costs
// only itself (and is noted).
func list[T any](f *fields, name string) []T {
	raw, ok := f.raw[name]
	if !ok || isNull(raw) {
		return nil
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		f.note(name)
		return nil
	}
	out := make([]T, 0, len(elems))
	for _, e := range elems {
		var v T
		if isNull(e) || json.Unmarshal(e, &v) != nil {
			f.note(name)
			continue
		}
		out = append(out, v)
	}
	return out
}

// instant reads a datetime field; a string in no format Jira uses is noted.
func (f *fields) instant(name string) (time.Time, bool) {
	s, ok := get[string](f, name)
	if !ok || s == "" {
		return time.Time{}, false
	}
	t, ok := parseTime(s)
	if !ok {
		f.note(name)
	}
	return t, ok
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

type wireProperty struct {
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}

type wireComment struct {
	ID         string
	Author     *wireUser
	Body       string
	Created    time.Time
	Updated    time.Time
	Properties []wireProperty
}

// hasProperty reports whether the comment came with property key.
func (wc wireComment) hasProperty(key string) bool {
	return slices.ContainsFunc(wc.Properties, func(p wireProperty) bool { return p.Key == key })
}

// decodeComment reads one comment field by field. It reports false when the
// comment has no id (it cannot be told apart from others); the names of the
// fields it could not read come back as bad.
func decodeComment(raw json.RawMessage) (wc wireComment, bad []string, ok bool) {
	f := newFields(raw, "comment.")
	id, ok := idString(f.raw["id"])
	if !ok {
		f.note("id")
		return wireComment{}, f.bad, false
	}
	wc.ID = id
	if u, ok := get[wireUser](f, "author"); ok {
		wc.Author = &u
	}
	// REST v2 sends the body as wiki markup; an object here is API v3's
	// document format, which this connector does not read.
	wc.Body, _ = get[string](f, "body")
	wc.Created, _ = f.instant("created")
	wc.Updated, _ = f.instant("updated")
	wc.Properties = list[wireProperty](f, "properties")
	return wc, f.bad, true
}

// decodeComments reads a list of raw comments, skipping those without an id.
func decodeComments(raws []json.RawMessage) (out []wireComment, bad []string) {
	for _, raw := range raws {
		wc, b, ok := decodeComment(raw)
		for _, name := range b {
			if !slices.Contains(bad, name) {
				bad = append(bad, name)
			}
		}
		if ok {
			out = append(out, wc)
		}
	}
	return out, bad
}

// wireCommentPage is GET /issue/{key}/comment and fields.comment: a page of
// comments with its paging.
type wireCommentPage struct {
	StartAt    int               `json:"startAt"`
	MaxResults int               `json:"maxResults"`
	Total      int               `json:"total"`
	Comments   []json.RawMessage `json:"comments"`
}

// wireLinked is the other end of a link; only its key is read (its id comes
// as a string of any shape, "10004L" in the OpenAPI example).
type wireLinked struct {
	Key string `json:"key"`
}

type wireLink struct {
	Type struct {
		Name    string `json:"name"`
		Inward  string `json:"inward"`
		Outward string `json:"outward"`
	} `json:"type"`
	InwardIssue  *wireLinked `json:"inwardIssue"`
	OutwardIssue *wireLinked `json:"outwardIssue"`
}

type wireNamed struct {
	Name string `json:"name"`
}

type wireStatus struct {
	Name           string `json:"name"`
	StatusCategory struct {
		Key string `json:"key"`
	} `json:"statusCategory"`
}

// searchFields is what a search asks for. Cloud's search/jql returns only ids
// unless fields are listed, and listing them keeps pages small on both.
var searchFields = []string{
	"summary", "description", "issuetype", "labels", "components", "status",
	"assignee", "reporter", "created", "updated", "resolutiondate", "duedate",
	"project", "fixVersions", "issuelinks", "parent", "comment",
}

// timeLayouts are the instants Jira writes: REST v2's
// 2026-03-02T09:00:00.000+0000 (fractions optional when parsing), RFC 3339
// as some proxies and plugins rewrite it, and the same to the minute.
var timeLayouts = []string{
	"2006-01-02T15:04:05Z0700", time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04Z0700",
}

func parseTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range timeLayouts {
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
	// bad names the fields that could not be read; the issue is kept
	// without them.
	bad []string
}

// toIssue converts one search hit. Custom fields arrive under site-specific
// ids, so they are looked up by the ids the site told.
func (c *Client) toIssue(w wireIssue, meta *siteMeta) converted {
	f := newFields(w.Fields, "")
	is := ladder.Issue{
		Ref: ladder.Ref{Tracker: c.cfg.Name, Key: w.Key},
		ID:  w.ID,
		URL: strings.TrimRight(c.cfg.URL, "/") + "/browse/" + w.Key,
	}
	is.Title, _ = get[string](f, "summary")
	for _, l := range list[string](f, "labels") {
		if l != "" {
			is.Labels = append(is.Labels, l)
		}
	}
	if u, ok := get[wireUser](f, "assignee"); ok {
		is.Assignee = u.label()
	}
	if u, ok := get[wireUser](f, "reporter"); ok {
		is.Reporter = u.label()
	}
	if p, ok := get[struct {
		Key string `json:"key"`
	}](f, "project"); ok && p.Key != "" {
		is.Project = p.Key
	} else {
		is.Project, _, _ = strings.Cut(w.Key, "-")
	}
	if t, ok := get[wireNamed](f, "issuetype"); ok {
		is.Type = t.Name
	}
	if d, ok := get[string](f, "description"); ok {
		is.BodyRaw = d
		is.Body = WikiToText(d)
	}
	for _, comp := range list[wireNamed](f, "components") {
		is.Components = append(is.Components, comp.Name)
	}
	if s, ok := get[wireStatus](f, "status"); ok {
		is.Status = s.Name
		is.StatusCategory = statusCategory(s.StatusCategory.Key)
	}
	is.Created, _ = f.instant("created")
	is.Updated, _ = f.instant("updated")
	if t, ok := f.instant("resolutiondate"); ok {
		is.Resolved = &t
	}
	if d, ok := get[string](f, "duedate"); ok && d != "" {
		t, err := time.Parse("2006-01-02", d)
		if err != nil {
			var ok bool
			if t, ok = parseTime(d); !ok {
				f.note("duedate")
			}
		}
		if !t.IsZero() {
			is.Due = &t
		}
	}
	if vs := list[wireNamed](f, "fixVersions"); len(vs) > 0 {
		is.Milestone = vs[0].Name
	}
	for _, id := range meta.storyPoints {
		v, ok, bad := number(f.raw[id])
		if bad {
			f.note(id)
		}
		if ok {
			is.Estimate = &v
			break
		}
	}
	is.Parent = parentKey(f, meta)
	for _, l := range list[wireLink](f, "issuelinks") {
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
	comments, total, ok := embeddedComments(f)
	if ok {
		list, bad := decodeComments(comments)
		for _, name := range bad {
			f.note(name)
		}
		for _, wc := range list {
			out.issue.Comments = append(out.issue.Comments, toComment(wc))
		}
		out.moreComments = total > len(comments)
	}
	out.bad = f.bad
	return out
}

// embeddedComments reads fields.comment: a page {comments, total, …} as the
// API sends it, or a bare array of comments (the shape the OpenAPI
// description's search example shows), taken as complete.
func embeddedComments(f *fields) (comments []json.RawMessage, total int, ok bool) {
	raw, has := f.raw["comment"]
	if !has || isNull(raw) {
		return nil, 0, false
	}
	if trimmed := bytes.TrimSpace(raw); len(trimmed) > 0 && trimmed[0] == '[' {
		list := list[json.RawMessage](f, "comment")
		return list, len(list), true
	}
	page, ok := get[wireCommentPage](f, "comment")
	if !ok {
		return nil, 0, false
	}
	return page.Comments, page.Total, true
}

// parentKey reads the epic or parent: fields.parent (Cloud, and Data Center
// sub-tasks) as an object with a key, or a bare key some plugins write; else
// Data Center's "Epic Link" custom field, which holds the epic's key.
func parentKey(f *fields, meta *siteMeta) string {
	if raw, ok := f.raw["parent"]; ok && !isNull(raw) {
		var p struct {
			Key string `json:"key"`
		}
		var s string
		switch {
		case json.Unmarshal(raw, &p) == nil && p.Key != "":
			return p.Key
		case json.Unmarshal(raw, &s) == nil && looksLikeKey(s):
			return s
		}
		f.note("parent")
	}
	if meta.epicLink == "" {
		return ""
	}
	if epic, ok := get[string](f, meta.epicLink); ok && looksLikeKey(epic) {
		return epic
	} else if ok {
		f.note(meta.epicLink)
	}
	return ""
}

// looksLikeKey accepts PROJ-123.
func looksLikeKey(s string) bool {
	p, n, ok := strings.Cut(s, "-")
	if !ok || p == "" || n == "" {
		return false
	}
	_, err := strconv.ParseUint(n, 10, 64)
	return err == nil
}

func toComment(wc wireComment) ladder.Comment {
	return ladder.Comment{
		ID: wc.ID, Author: wc.Author.label(), Created: wc.Created, Updated: wc.Updated,
		Body: WikiToText(wc.Body), Raw: wc.Body,
	}
}

// number reads a story points value. Sites store it as a JSON number, a few
// plugins as a string; null, absent and "" mean "not estimated". Anything
// else (an object, a word) is not estimated either and reported as bad.
func number(raw json.RawMessage) (v float64, ok, bad bool) {
	if isNull(raw) {
		return 0, false, false
	}
	if err := json.Unmarshal(raw, &v); err == nil {
		return v, true, false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		s = strings.TrimSpace(s)
		if s == "" {
			return 0, false, false
		}
		if v, err := strconv.ParseFloat(s, 64); err == nil {
			return v, true, false
		}
	}
	return 0, false, true
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
