package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ladderhq/ladder"
)

// JiraOptions shapes a fake Jira site.
type JiraOptions struct {
	// Deployment is "cloud" (default) or "datacenter". Cloud serves
	// /rest/api/2/search/jql and answers the old search with 410 Gone; Data
	// Center serves the offset-paged /rest/api/2/search.
	Deployment string
	// Email and Token are the accepted credentials: Basic email:token on
	// Cloud, Bearer token (a personal access token) on Data Center. An empty
	// Token accepts anything.
	Email, Token string
	// AccountID is the token owner: the accountId on Cloud, the user name on
	// Data Center. Default "ladder-bot-account".
	AccountID string
	// MaxResultsClamp is the largest page the server hands out whatever the
	// client asks. Default: 1000 on Data Center; on Cloud 100 when fields are
	// requested, 5000 for ids only.
	MaxResultsClamp int
	// LinkTypes are the site's issue link types; default a realistic set.
	LinkTypes []JiraLinkType
	// StoryPointsField is the custom field holding estimates. Default
	// customfield_10016 "Story point estimate" on Cloud, customfield_10002
	// "Story Points" on Data Center.
	StoryPointsField string
	// CommentCap is how many comments a search result or issue embeds in
	// fields.comment; the rest only come from the comment endpoint. Default 20.
	CommentCap int
	// DenyComments makes mypermissions say the token owner cannot comment.
	DenyComments bool
	// IgnoreCreateProperties drops the properties sent with a new comment,
	// as some older Data Center versions do.
	IgnoreCreateProperties bool
	// SearchWindow is Data Center's search window
	// (jira.search.platform.max.result.window, default 10,000): a search
	// whose startAt + maxResults passes it answers 500 "Search limit
	// exceeded", as the search engine refuses to page that deep.
	SearchWindow int
	// SearchWindowEmpty answers past the window with an empty page (total
	// unchanged) instead of the 500, as some versions do.
	SearchWindowEmpty bool
	// RefuseQuietEdits answers a comment edit with notifyUsers=false 403,
	// as a site may when disabling notifications needs admin rights.
	RefuseQuietEdits bool
	// Now stamps created/updated on writes. Default time.Now.
	Now func() time.Time
	// Listener, when set, is where the site listens instead of a fresh
	// loopback port (see Listen); Close closes it.
	Listener net.Listener
}

// JiraLinkType is one site-specific issue link type. InwardKind and
// OutwardKind say which ladder.LinkKind an input link becomes on each side:
// an issue holding a link whose kind is InwardKind gets an inwardIssue entry
// ("this issue <Inward> other").
type JiraLinkType struct {
	ID, Name, Inward, Outward string
	InwardKind, OutwardKind   ladder.LinkKind
}

// DefaultJiraLinkTypes is the link type set a fresh site starts with, plus the
// dependency and hierarchy types many sites add.
func DefaultJiraLinkTypes() []JiraLinkType {
	return []JiraLinkType{
		{ID: "10000", Name: "Blocks", Inward: "is blocked by", Outward: "blocks", InwardKind: ladder.BlockedBy, OutwardKind: ladder.Blocks},
		{ID: "10001", Name: "Cloners", Inward: "is cloned by", Outward: "clones", InwardKind: ladder.Relates, OutwardKind: ladder.Relates},
		{ID: "10002", Name: "Duplicate", Inward: "is duplicated by", Outward: "duplicates", InwardKind: ladder.Duplicates, OutwardKind: ladder.Duplicates},
		{ID: "10003", Name: "Relates", Inward: "relates to", Outward: "relates to", InwardKind: ladder.Relates, OutwardKind: ladder.Relates},
		{ID: "10100", Name: "Dependency", Inward: "is depended on by", Outward: "depends on", InwardKind: ladder.Blocks, OutwardKind: ladder.DependsOn},
		{ID: "10101", Name: "Parent/Child", Inward: "is a child of", Outward: "is a parent of", InwardKind: ladder.ParentOf, OutwardKind: ladder.ChildOf},
	}
}

// Jira is a fake Jira Cloud or Data Center site on a loopback listener.
type Jira struct {
	srv     *httptest.Server
	harness *Harness
	opts    JiraOptions
	cloud   bool

	mu       sync.Mutex
	edits    []CommentEdit
	breaks   []*applyThenFail
	issues   []*jiraIssue // in creation order
	byKey    map[string]*jiraIssue
	comments map[string]*jiraComment // by comment id
	nextID   int
	nextCID  int
	nextLink int
}

type jiraIssue struct {
	ladder.Issue
	comments []*jiraComment
	// raw replaces rendered fields with JSON of any shape (SetRawField).
	raw map[string]json.RawMessage
}

type jiraComment struct {
	id, issueKey    string
	author          string
	body            string
	created, update time.Time
	props           map[string]json.RawMessage
	raw             map[string]json.RawMessage
}

// NewJira starts a fake Jira site serving issues. Keys are PROJ-N; issues
// without an ID get a numeric one. Links are shown on both ends, as Jira
// does: a link listed on one issue appears reversed on the other.
func NewJira(issues []ladder.Issue, opts JiraOptions) *Jira {
	if opts.Deployment == "" {
		opts.Deployment = "cloud"
	}
	if opts.AccountID == "" {
		opts.AccountID = "ladder-bot-account"
	}
	if opts.LinkTypes == nil {
		opts.LinkTypes = DefaultJiraLinkTypes()
	}
	if opts.CommentCap <= 0 {
		opts.CommentCap = 20
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.SearchWindow <= 0 {
		opts.SearchWindow = 10000
	}
	j := &Jira{
		opts:     opts,
		cloud:    opts.Deployment != "datacenter",
		byKey:    map[string]*jiraIssue{},
		comments: map[string]*jiraComment{},
		nextID:   10000,
		nextCID:  100000,
		nextLink: 20000,
		harness:  &Harness{Token: opts.Token, Now: opts.Now},
	}
	if j.opts.StoryPointsField == "" {
		j.opts.StoryPointsField = "customfield_10016"
		if !j.cloud {
			j.opts.StoryPointsField = "customfield_10002"
		}
	}
	for _, is := range issues {
		j.addIssueLocked(is)
	}
	j.mirrorLinksLocked()
	j.srv = newServer(opts.Listener, j.harness.Wrap(http.HandlerFunc(j.serve), j.tokenOK))
	return j
}

// URL is the site's base URL.
func (j *Jira) URL() string { return j.srv.URL }

// Close stops the server.
func (j *Jira) Close() { j.srv.Close() }

// Harness gives the request log and fault injection.
func (j *Jira) Harness() *Harness { return j.harness }

// jiraEpicLinkField is the Data Center "Epic Link" custom field id.
const jiraEpicLinkField = "customfield_10101"

func (j *Jira) tokenOK(r *http.Request, token string) bool {
	if j.cloud {
		u, p, ok := r.BasicAuth()
		return ok && p == token && (j.opts.Email == "" || u == j.opts.Email)
	}
	return r.Header.Get("Authorization") == "Bearer "+token
}

func (j *Jira) addIssueLocked(is ladder.Issue) *jiraIssue {
	if is.ID == "" {
		j.nextID++
		is.ID = strconv.Itoa(j.nextID)
	}
	now := j.opts.Now()
	if is.Created.IsZero() {
		is.Created = now
	}
	if is.Updated.IsZero() {
		is.Updated = is.Created
	}
	if is.Project == "" {
		is.Project, _, _ = strings.Cut(is.Key, "-")
	}
	is.Links = slices.Clone(is.Links)
	ji := &jiraIssue{Issue: is}
	for _, c := range is.Comments {
		body := c.Raw
		if body == "" {
			body = c.Body
		}
		created := c.Created
		if created.IsZero() {
			created = is.Created
		}
		ji.comments = append(ji.comments, j.newCommentLocked(is.Key, c.Author, body, created))
	}
	ji.Comments = nil
	j.issues = append(j.issues, ji)
	j.byKey[is.Key] = ji
	return ji
}

func (j *Jira) newCommentLocked(key, author, body string, at time.Time) *jiraComment {
	j.nextCID++
	c := &jiraComment{id: strconv.Itoa(j.nextCID), issueKey: key, author: author, body: body, created: at, update: at}
	j.comments[c.id] = c
	return c
}

// mirrorLinksLocked shows every link on its other end too, unless that end
// already lists it.
func (j *Jira) mirrorLinksLocked() {
	for _, from := range j.issues {
		for _, l := range from.Links {
			to, ok := j.byKey[l.To.Key]
			if !ok {
				continue
			}
			lt, inward := j.linkSide(l)
			rev := lt.InwardKind
			if inward {
				rev = lt.OutwardKind
			}
			if !slices.ContainsFunc(to.Links, func(x ladder.Link) bool { return x.To.Key == from.Key && x.Via == lt.Name }) {
				to.Links = append(to.Links, ladder.Link{Kind: rev, To: ladder.Ref{Tracker: l.To.Tracker, Key: from.Key}, Via: lt.Name})
			}
		}
	}
}

// linkSide finds the link type of l (by Via, else the first type whose sides
// carry l.Kind) and whether l is the inward side of it.
func (j *Jira) linkSide(l ladder.Link) (JiraLinkType, bool) {
	var lt JiraLinkType
	found := false
	for _, t := range j.opts.LinkTypes {
		if l.Via != "" && strings.EqualFold(t.Name, l.Via) {
			lt, found = t, true
			break
		}
	}
	if !found && l.Via == "" {
		for _, t := range j.opts.LinkTypes {
			if t.InwardKind == l.Kind || t.OutwardKind == l.Kind {
				lt, found = t, true
				break
			}
		}
	}
	if !found {
		name := l.Via
		if name == "" {
			name = string(l.Kind)
		}
		lt = JiraLinkType{ID: "19999", Name: name, Inward: name, Outward: name, InwardKind: l.Kind, OutwardKind: l.Kind}
	}
	return lt, lt.InwardKind == l.Kind && lt.OutwardKind != l.Kind
}

// AddIssue adds an issue as if someone created it now (unless it says when).
func (j *Jira) AddIssue(is ladder.Issue) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if is.Created.IsZero() {
		is.Created = j.opts.Now()
	}
	j.addIssueLocked(is)
	j.mirrorLinksLocked()
}

// EditIssue changes an issue in place and bumps its updated time to Now,
// unless edit set Updated itself.
func (j *Jira) EditIssue(key string, edit func(*ladder.Issue)) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	ji, ok := j.byKey[key]
	if !ok {
		return fmt.Errorf("sandbox jira: no issue %s", key)
	}
	before := ji.Updated
	edit(&ji.Issue)
	if ji.Updated.Equal(before) {
		ji.Updated = j.opts.Now()
	}
	j.mirrorLinksLocked()
	return nil
}

// DeleteIssue deletes an issue with its comments, as Jira does: it leaves
// every search, and the links other issues had to it go with it (without
// bumping their updated time).
func (j *Jira) DeleteIssue(key string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	ji, ok := j.byKey[key]
	if !ok {
		return fmt.Errorf("sandbox jira: no issue %s", key)
	}
	delete(j.byKey, key)
	j.issues = slices.DeleteFunc(j.issues, func(x *jiraIssue) bool { return x == ji })
	for _, c := range ji.comments {
		delete(j.comments, c.id)
	}
	for _, other := range j.issues {
		other.Links = slices.DeleteFunc(other.Links, func(l ladder.Link) bool { return l.To.Key == key })
	}
	return nil
}

// AddComment adds a comment by author (an accountId on Cloud, a user name on
// Data Center) and bumps the issue's updated time, as Jira does.
func (j *Jira) AddComment(key, author, body string) (string, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	ji, ok := j.byKey[key]
	if !ok {
		return "", fmt.Errorf("sandbox jira: no issue %s", key)
	}
	now := j.opts.Now()
	c := j.newCommentLocked(key, author, body, now)
	ji.comments = append(ji.comments, c)
	ji.Updated = now
	return c.id, nil
}

// Comments returns an issue's comments, oldest first, with their ids and
// wiki-markup bodies in Raw.
func (j *Jira) Comments(key string) []ladder.Comment {
	j.mu.Lock()
	defer j.mu.Unlock()
	ji, ok := j.byKey[key]
	if !ok {
		return nil
	}
	out := make([]ladder.Comment, 0, len(ji.comments))
	for _, c := range ji.comments {
		out = append(out, ladder.Comment{ID: c.id, Author: c.author, Created: c.created, Updated: c.update, Body: c.body, Raw: c.body})
	}
	return out
}

// SetRawField makes the site serve field of issue key as raw, whatever it
// would render (a custom field holding an object, a date in another format,
// labels that are not an array …). raw "absent" removes the field. The field
// is served wherever it is requested, in search results and issue GETs.
func (j *Jira) SetRawField(key, field string, raw json.RawMessage) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	ji, ok := j.byKey[key]
	if !ok {
		return fmt.Errorf("sandbox jira: no issue %s", key)
	}
	if ji.raw == nil {
		ji.raw = map[string]json.RawMessage{}
	}
	ji.raw[field] = raw
	return nil
}

// SetRawCommentField makes the site serve field of a comment as raw,
// wherever the comment is rendered; raw "absent" removes the field.
func (j *Jira) SetRawCommentField(commentID, field string, raw json.RawMessage) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	c, ok := j.comments[commentID]
	if !ok {
		return fmt.Errorf("sandbox jira: no comment %s", commentID)
	}
	if c.raw == nil {
		c.raw = map[string]json.RawMessage{}
	}
	c.raw[field] = raw
	return nil
}

// applyRaw puts raw overrides into a rendered object.
func applyRaw(m map[string]any, raw map[string]json.RawMessage, want func(string) bool) {
	for k, v := range raw {
		switch {
		case !want(k):
		case string(v) == "absent":
			delete(m, k)
		default:
			m[k] = v
		}
	}
}

// CommentProperty returns a comment property's JSON value.
func (j *Jira) CommentProperty(commentID, key string) (json.RawMessage, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	c, ok := j.comments[commentID]
	if !ok {
		return nil, false
	}
	v, ok := c.props[key]
	return v, ok
}

// SetCommentProperty sets a property on any comment, whoever wrote it.
func (j *Jira) SetCommentProperty(commentID, key string, value any) error {
	b, err := json.Marshal(value)
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	c, ok := j.comments[commentID]
	if !ok {
		return fmt.Errorf("sandbox jira: no comment %s", commentID)
	}
	if c.props == nil {
		c.props = map[string]json.RawMessage{}
	}
	c.props[key] = b
	return nil
}

// CommentEdit is one comment edit the site served.
type CommentEdit struct {
	CommentID string
	// NotifyUsers is the notifyUsers query parameter as sent ("" when absent).
	NotifyUsers string
}

// CommentEdits returns the comment edits served so far, in order.
func (j *Jira) CommentEdits() []CommentEdit {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.edits)
}

type applyThenFail struct {
	match  func(*http.Request) bool
	times  int
	status int
}

// ApplyThenFail makes the next times requests that match do what they ask
// (a comment is created, an edit saved) and then answer status instead of
// the real response, as a gateway that times out after the site acted does.
func (j *Jira) ApplyThenFail(match func(*http.Request) bool, times, status int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.breaks = append(j.breaks, &applyThenFail{match: match, times: times, status: status})
}

func (j *Jira) breakFor(r *http.Request) *applyThenFail {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, b := range j.breaks {
		if b.times > 0 && (b.match == nil || b.match(r)) {
			b.times--
			return b
		}
	}
	return nil
}

// JiraRateLimit is the header set of a Jira Cloud 429. Atlassian documents
// that it "may be accompanied by" Retry-After (seconds) and X-RateLimit-Reset
// (an ISO 8601 instant, yyyy-MM-ddTHH:mmZ); either may come alone, so a zero
// retryAfter or reset leaves that header out.
func JiraRateLimit(retryAfter time.Duration, reset time.Time) http.Header {
	h := http.Header{"Ratelimit-Reason": {"jira-quota-based"}}
	if retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
	}
	if !reset.IsZero() {
		h.Set("X-RateLimit-Reset", reset.UTC().Format("2006-01-02T15:04Z"))
	}
	return h
}

// ---- HTTP ----

func (j *Jira) serve(w http.ResponseWriter, r *http.Request) {
	if b := j.breakFor(r); b != nil {
		j.route(httptest.NewRecorder(), r)
		jiraError(w, b.status, http.StatusText(b.status))
		return
	}
	j.route(w, r)
}

func (j *Jira) route(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/rest/api/2/search/jql" && j.cloud && (r.Method == http.MethodGet || r.Method == http.MethodPost):
		j.searchJQL(w, r)
	case (p == "/rest/api/2/search/approximate-count" || p == "/rest/api/3/search/approximate-count") && j.cloud && r.Method == http.MethodPost:
		j.approximateCount(w, r)
	case (p == "/rest/api/2/search" || p == "/rest/api/3/search") && j.cloud:
		// Atlassian removed the offset-paged search from Cloud.
		jiraError(w, http.StatusGone, "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046")
	case p == "/rest/api/2/search" && !j.cloud && r.Method == http.MethodGet:
		j.searchOffset(w, r)
	case p == "/rest/api/2/field" && r.Method == http.MethodGet:
		j.fields(w)
	case p == "/rest/api/2/myself" && r.Method == http.MethodGet:
		j.myself(w)
	case p == "/rest/api/2/issueLinkType" && r.Method == http.MethodGet:
		j.linkTypes(w)
	case p == "/rest/api/2/mypermissions" && r.Method == http.MethodGet:
		j.myPermissions(w, r)
	case strings.HasPrefix(p, "/rest/api/2/issue/"):
		j.issueRoutes(w, r, strings.Split(strings.TrimPrefix(p, "/rest/api/2/issue/"), "/"))
	case p == "/rest/api/2/comment/list" && r.Method == http.MethodPost && j.cloud:
		j.commentList(w, r)
	case strings.HasPrefix(p, "/rest/api/2/comment/"):
		j.commentPropertyRoutes(w, r, strings.Split(strings.TrimPrefix(p, "/rest/api/2/comment/"), "/"))
	default:
		jiraError(w, http.StatusNotFound, "null for uri: "+r.URL.String())
	}
}

func jiraError(w http.ResponseWriter, status int, msg string) {
	jiraJSON(w, status, map[string]any{"errorMessages": []string{msg}, "errors": map[string]string{}})
}

func jiraJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

// searchJQL serves Cloud's token-paged search: no startAt, no total, and
// nextPageToken absent on the last page.
func (j *Jira) searchJQL(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		var body struct {
			JQL           string   `json:"jql"`
			Fields        []string `json:"fields"`
			MaxResults    int      `json:"maxResults"`
			NextPageToken string   `json:"nextPageToken"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			jiraError(w, http.StatusBadRequest, "Invalid request payload. Refer to the REST API documentation and try again.")
			return
		}
		q = map[string][]string{"jql": {body.JQL}, "fields": {strings.Join(body.Fields, ",")}, "maxResults": {strconv.Itoa(body.MaxResults)}, "nextPageToken": {body.NextPageToken}}
	}
	fields := jiraFieldSet(q.Get("fields"), true)
	clamp := j.opts.MaxResultsClamp
	if clamp <= 0 {
		clamp = 5000
		if fields.any() {
			clamp = 100
		}
	}
	max := jiraAtoi(q.Get("maxResults"), 50)
	if max <= 0 || max > clamp {
		max = clamp
	}
	start := 0
	if tok := q.Get("nextPageToken"); tok != "" {
		b, err := base64.RawURLEncoding.DecodeString(tok)
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(b), "offset:"))
		if err != nil || err2 != nil || n < 0 {
			jiraError(w, http.StatusBadRequest, "Invalid nextPageToken.")
			return
		}
		start = n
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	hits, ok := j.query(w, q.Get("jql"))
	if !ok {
		return
	}
	end := min(start+max, len(hits))
	start = min(start, end)
	out := map[string]any{"issues": j.renderIssues(hits[start:end], fields)}
	if end < len(hits) {
		out["nextPageToken"] = base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(end)))
		out["isLast"] = false
	} else {
		out["isLast"] = true
	}
	jiraJSON(w, http.StatusOK, out)
}

// approximateCount serves Cloud's POST search/approximate-count: {"jql"}
// in, {"count"} out, the JQL bounded as search's must be.
func (j *Jira) approximateCount(w http.ResponseWriter, r *http.Request) {
	var body struct {
		JQL string `json:"jql"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		jiraError(w, http.StatusBadRequest, "Invalid request payload. Refer to the REST API documentation and try again.")
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	hits, ok := j.query(w, body.JQL)
	if !ok {
		return
	}
	jiraJSON(w, http.StatusOK, map[string]any{"count": len(hits)})
}

// searchOffset serves Data Center's offset-paged search; maxResults is
// clamped server-side and echoed back.
func (j *Jira) searchOffset(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	clamp := j.opts.MaxResultsClamp
	if clamp <= 0 {
		clamp = 1000
	}
	max := jiraAtoi(q.Get("maxResults"), 50)
	if max < 0 || max > clamp {
		max = clamp
	}
	start := max0(jiraAtoi(q.Get("startAt"), 0))
	fields := jiraFieldSet(q.Get("fields"), false)
	j.mu.Lock()
	defer j.mu.Unlock()
	hits, ok := j.query(w, q.Get("jql"))
	if !ok {
		return
	}
	// The search engine serves at most SearchWindow hits of one query,
	// counted from the first: startAt + maxResults past it fails however
	// many issues match (Atlassian KB "Handling JQL REST API searching
	// exceeding max_result_window").
	if want := start + max; want > j.opts.SearchWindow {
		if !j.opts.SearchWindowEmpty {
			jiraError(w, http.StatusInternalServerError, fmt.Sprintf("Search limit exceeded. We couldn't complete your search because it requests %s results which exceeded the search platform limit of %s. Try refining your query or contact your Jira administrator. Repeating the same search may not work.", thousands(want), thousands(j.opts.SearchWindow)))
			return
		}
		jiraJSON(w, http.StatusOK, map[string]any{
			"expand": "schema,names", "startAt": start, "maxResults": max, "total": len(hits), "issues": []any{},
		})
		return
	}
	end := min(start+max, len(hits))
	from := min(start, end)
	jiraJSON(w, http.StatusOK, map[string]any{
		"expand": "schema,names", "startAt": start, "maxResults": max, "total": len(hits),
		"issues": j.renderIssues(hits[from:end], fields),
	})
}

// thousands writes n with comma separators, as Jira's messages do.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func max0(n int) int {
	if n < 0 {
		return 0
	}
	return n
}

func jiraAtoi(s string, def int) int {
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}

func (j *Jira) query(w http.ResponseWriter, jql string) ([]*jiraIssue, bool) {
	if strings.TrimSpace(jql) == "" {
		jiraError(w, http.StatusBadRequest, "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.")
		return nil, false
	}
	q, err := parseJQL(jql)
	if err != nil {
		jiraError(w, http.StatusBadRequest, err.Error())
		return nil, false
	}
	if q.where == nil {
		jiraError(w, http.StatusBadRequest, "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.")
		return nil, false
	}
	if key, ok := j.missingKeyLocked(q.where); !ok {
		jiraError(w, http.StatusBadRequest, "An issue with key '"+key+"' does not exist for field 'key'.")
		return nil, false
	}
	var hits []*jiraIssue
	for _, ji := range j.issues {
		if q.where.match(ji) {
			hits = append(hits, ji)
		}
	}
	order := q.order
	if len(order) == 0 {
		order = []jqlOrder{{field: "key", desc: true}}
	}
	slices.SortStableFunc(hits, func(a, b *jiraIssue) int {
		for _, o := range order {
			c := jqlCompare(a, b, o.field)
			if o.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
	return hits, true
}

// missingKeyLocked finds a key compared with < <= > >= that no issue has:
// Jira refuses such a query rather than comparing with a key it cannot find.
func (j *Jira) missingKeyLocked(n jqlNode) (string, bool) {
	switch n := n.(type) {
	case jqlAnd:
		for _, x := range n {
			if k, ok := j.missingKeyLocked(x); !ok {
				return k, false
			}
		}
	case jqlOr:
		for _, x := range n {
			if k, ok := j.missingKeyLocked(x); !ok {
				return k, false
			}
		}
	case jqlNot:
		return j.missingKeyLocked(n.n)
	case jqlCmp:
		if (n.field == "key" || n.field == "issuekey") && strings.ContainsAny(n.op, "<>") {
			if _, ok := j.byKey[strings.ToUpper(n.values[0])]; !ok {
				return n.values[0], false
			}
		}
	}
	return "", true
}

func jqlCompare(a, b *jiraIssue, field string) int {
	switch field {
	case "created":
		return a.Created.Compare(b.Created)
	case "updated":
		return a.Updated.Compare(b.Updated)
	default: // key, id
		pa, na := jiraKeyParts(a.Key)
		pb, nb := jiraKeyParts(b.Key)
		if c := strings.Compare(pa, pb); c != 0 {
			return c
		}
		return na - nb
	}
}

func jiraKeyParts(key string) (string, int) {
	p, n, _ := strings.Cut(key, "-")
	i, _ := strconv.Atoi(n)
	return p, i
}

// jiraFields is the set of fields a search asked for.
type jiraFields struct {
	all   bool
	names map[string]bool
}

func (f jiraFields) any() bool { return f.all || len(f.names) > 0 }

func (f jiraFields) has(name string) bool {
	if f.names["-"+name] {
		return false
	}
	return f.all || f.names[name]
}

// jiraFieldSet reads the fields parameter. Cloud's search/jql returns only
// ids when it is empty; Data Center defaults to the navigable fields, which
// leave out comments.
func jiraFieldSet(s string, cloud bool) jiraFields {
	f := jiraFields{names: map[string]bool{}}
	if s == "" {
		if cloud {
			return f
		}
		s = "*navigable"
	}
	for _, n := range strings.Split(s, ",") {
		n = strings.TrimSpace(n)
		switch n {
		case "":
		case "*all":
			f.all = true
		case "*navigable":
			f.all = true
			f.names["-comment"] = true
		case "id", "key":
		default:
			f.names[n] = true
		}
	}
	if f.names["comment"] {
		delete(f.names, "-comment")
	}
	return f
}

const jiraTime = "2006-01-02T15:04:05.000-0700"

func (j *Jira) user(name string) any {
	if name == "" {
		return nil
	}
	if j.cloud {
		return map[string]any{"accountId": name, "displayName": name, "active": true, "accountType": "atlassian"}
	}
	return map[string]any{"name": name, "key": strings.ToLower(name), "displayName": name, "active": true}
}

func (j *Jira) renderIssues(list []*jiraIssue, f jiraFields) []any {
	out := make([]any, 0, len(list))
	for _, ji := range list {
		out = append(out, j.renderIssue(ji, f))
	}
	return out
}

func (j *Jira) self(path string) string { return j.srv.URL + "/rest/api/2/" + path }

func statusCategoryKey(c ladder.StatusCategory) (string, string) {
	switch c {
	case ladder.StatusInProgress:
		return "indeterminate", "In Progress"
	case ladder.StatusDone:
		return "done", "Done"
	default:
		return "new", "To Do"
	}
}

func (j *Jira) linkedIssue(key string) map[string]any {
	m := map[string]any{"key": key, "self": j.self("issue/" + key)}
	if o, ok := j.byKey[key]; ok {
		catKey, catName := statusCategoryKey(o.StatusCategory)
		status := o.Status
		if status == "" {
			status = catName
		}
		m["id"] = o.ID
		m["fields"] = map[string]any{
			"summary":   o.Title,
			"status":    map[string]any{"name": status, "statusCategory": map[string]any{"key": catKey, "name": catName}},
			"issuetype": map[string]any{"name": o.Type},
		}
	} else {
		m["id"] = strconv.Itoa(90000 + len(key))
	}
	return m
}

func (j *Jira) renderIssue(ji *jiraIssue, f jiraFields) map[string]any {
	out := map[string]any{"expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations", "id": ji.ID, "key": ji.Key, "self": j.self("issue/" + ji.ID)}
	if !f.any() {
		return out
	}
	fields := map[string]any{}
	put := func(name string, v func() any) {
		if f.has(name) {
			fields[name] = v()
		}
	}
	put("summary", func() any { return ji.Title })
	put("description", func() any {
		d := ji.BodyRaw
		if d == "" {
			d = ji.Body
		}
		if d == "" {
			return nil
		}
		return d
	})
	put("issuetype", func() any {
		t := ji.Type
		if t == "" {
			t = "Task"
		}
		return map[string]any{"name": t, "subtask": false}
	})
	put("labels", func() any {
		if ji.Labels == nil {
			return []string{}
		}
		return ji.Labels
	})
	put("components", func() any {
		cs := []any{}
		for _, c := range ji.Components {
			cs = append(cs, map[string]any{"name": c})
		}
		return cs
	})
	put("status", func() any {
		key, name := statusCategoryKey(ji.StatusCategory)
		s := ji.Status
		if s == "" {
			s = name
		}
		return map[string]any{"name": s, "statusCategory": map[string]any{"key": key, "name": name}}
	})
	put("assignee", func() any { return j.user(ji.Assignee) })
	put("reporter", func() any { return j.user(ji.Reporter) })
	put("created", func() any { return ji.Created.Format(jiraTime) })
	put("updated", func() any { return ji.Updated.Format(jiraTime) })
	put("resolutiondate", func() any {
		if ji.Resolved == nil {
			return nil
		}
		return ji.Resolved.Format(jiraTime)
	})
	put("duedate", func() any {
		if ji.Due == nil {
			return nil
		}
		return ji.Due.Format("2006-01-02")
	})
	put("project", func() any { return map[string]any{"key": ji.Project, "name": ji.Project} })
	put("fixVersions", func() any {
		if ji.Milestone == "" {
			return []any{}
		}
		return []any{map[string]any{"name": ji.Milestone, "released": false}}
	})
	put("issuelinks", func() any {
		links := []any{}
		for _, l := range ji.Links {
			lt, inward := j.linkSide(l)
			j.nextLink++
			e := map[string]any{
				"id":   strconv.Itoa(j.nextLink),
				"type": map[string]any{"id": lt.ID, "name": lt.Name, "inward": lt.Inward, "outward": lt.Outward},
			}
			if inward {
				e["inwardIssue"] = j.linkedIssue(l.To.Key)
			} else {
				e["outwardIssue"] = j.linkedIssue(l.To.Key)
			}
			links = append(links, e)
		}
		return links
	})
	if ji.Parent != "" {
		if j.cloud {
			put("parent", func() any { return j.linkedIssue(ji.Parent) })
		} else if f.has(jiraEpicLinkField) {
			fields[jiraEpicLinkField] = ji.Parent
		}
	}
	if f.has(j.opts.StoryPointsField) {
		if ji.Estimate != nil {
			fields[j.opts.StoryPointsField] = *ji.Estimate
		} else {
			fields[j.opts.StoryPointsField] = nil
		}
	}
	put("comment", func() any {
		n := min(len(ji.comments), j.opts.CommentCap)
		cs := make([]any, 0, n)
		for _, c := range ji.comments[:n] {
			cs = append(cs, j.renderComment(c, false))
		}
		return map[string]any{"comments": cs, "maxResults": n, "total": len(ji.comments), "startAt": 0}
	})
	// "id" and "fields" replace the issue's own id and its whole fields object.
	applyRaw(fields, ji.raw, func(k string) bool { return k != "id" && k != "fields" && f.has(k) })
	out["fields"] = fields
	for _, k := range []string{"id", "fields"} {
		if v, ok := ji.raw[k]; ok {
			out[k] = v
		}
	}
	return out
}

func (j *Jira) renderComment(c *jiraComment, props bool) map[string]any {
	m := map[string]any{
		"self":         j.self("issue/" + c.issueKey + "/comment/" + c.id),
		"id":           c.id,
		"author":       j.user(c.author),
		"updateAuthor": j.user(c.author),
		"body":         c.body,
		"created":      c.created.Format(jiraTime),
		"updated":      c.update.Format(jiraTime),
	}
	if props {
		ps := []any{}
		keys := make([]string, 0, len(c.props))
		for k := range c.props {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			ps = append(ps, map[string]any{"key": k, "value": c.props[k]})
		}
		m["properties"] = ps
	}
	applyRaw(m, c.raw, func(string) bool { return true })
	return m
}

func (j *Jira) fields(w http.ResponseWriter) {
	type schema struct {
		Type     string `json:"type"`
		Custom   string `json:"custom,omitempty"`
		CustomID int    `json:"customId,omitempty"`
		System   string `json:"system,omitempty"`
	}
	type field struct {
		ID          string   `json:"id"`
		Key         string   `json:"key"`
		Name        string   `json:"name"`
		Custom      bool     `json:"custom"`
		Orderable   bool     `json:"orderable"`
		Navigable   bool     `json:"navigable"`
		Searchable  bool     `json:"searchable"`
		ClauseNames []string `json:"clauseNames"`
		Schema      *schema  `json:"schema,omitempty"`
	}
	sys := func(id, name, typ string) field {
		return field{ID: id, Key: id, Name: name, Orderable: true, Navigable: true, Searchable: true, ClauseNames: []string{id}, Schema: &schema{Type: typ, System: id}}
	}
	custom := func(id, name, typ, plugin string) field {
		n, _ := strconv.Atoi(strings.TrimPrefix(id, "customfield_"))
		return field{ID: id, Key: id, Name: name, Custom: true, Orderable: true, Navigable: true, Searchable: true,
			ClauseNames: []string{"cf[" + strconv.Itoa(n) + "]", name}, Schema: &schema{Type: typ, Custom: plugin, CustomID: n}}
	}
	list := []field{
		sys("summary", "Summary", "string"), sys("description", "Description", "string"),
		sys("issuetype", "Issue Type", "issuetype"), sys("labels", "Labels", "array"),
		sys("components", "Components", "array"), sys("status", "Status", "status"),
		sys("assignee", "Assignee", "user"), sys("reporter", "Reporter", "user"),
		sys("created", "Created", "datetime"), sys("updated", "Updated", "datetime"),
		sys("resolutiondate", "Resolved", "datetime"), sys("duedate", "Due date", "date"),
		sys("project", "Project", "project"), sys("fixVersions", "Fix Version/s", "array"),
		sys("issuelinks", "Linked Issues", "array"), sys("comment", "Comment", "comments-page"),
		custom("customfield_10020", "Sprint", "array", "com.pyxis.greenhopper.jira:gh-sprint"),
	}
	if j.cloud {
		list = append(list, sys("parent", "Parent", "issuelink"))
		name := "Story point estimate"
		if j.opts.StoryPointsField != "customfield_10016" {
			name = "Story Points"
		}
		list = append(list, custom(j.opts.StoryPointsField, name, "number", "com.atlassian.jira.plugin.system.customfieldtypes:float"))
		// Many Cloud sites keep the classic "Story Points" field next to the
		// team-managed "Story point estimate"; only one of them holds values.
		if j.opts.StoryPointsField == "customfield_10016" {
			list = append(list, custom("customfield_10028", "Story Points", "number", "com.atlassian.jira.plugin.system.customfieldtypes:float"))
		}
	} else {
		list = append(list,
			custom(j.opts.StoryPointsField, "Story Points", "number", "com.atlassian.jira.plugin.system.customfieldtypes:float"),
			custom(jiraEpicLinkField, "Epic Link", "any", "com.pyxis.greenhopper.jira:gh-epic-link"),
			custom("customfield_10102", "Epic Name", "string", "com.pyxis.greenhopper.jira:gh-epic-label"))
	}
	jiraJSON(w, http.StatusOK, list)
}

func (j *Jira) myself(w http.ResponseWriter) {
	if j.cloud {
		jiraJSON(w, http.StatusOK, map[string]any{
			"self": j.self("user?accountId=" + j.opts.AccountID), "accountId": j.opts.AccountID,
			"accountType": "atlassian", "emailAddress": j.opts.Email, "displayName": "Ladder", "active": true, "timeZone": "Europe/Berlin",
		})
		return
	}
	jiraJSON(w, http.StatusOK, map[string]any{
		"self": j.self("user?username=" + j.opts.AccountID), "name": j.opts.AccountID, "key": strings.ToLower(j.opts.AccountID),
		"emailAddress": j.opts.Email, "displayName": "Ladder", "active": true, "timeZone": "Europe/Berlin",
	})
}

func (j *Jira) linkTypes(w http.ResponseWriter) {
	list := []any{}
	for _, t := range j.opts.LinkTypes {
		list = append(list, map[string]any{"id": t.ID, "name": t.Name, "inward": t.Inward, "outward": t.Outward, "self": j.self("issueLinkType/" + t.ID)})
	}
	jiraJSON(w, http.StatusOK, map[string]any{"issueLinkTypes": list})
}

func (j *Jira) myPermissions(w http.ResponseWriter, r *http.Request) {
	perms := r.URL.Query().Get("permissions")
	if perms == "" {
		jiraError(w, http.StatusBadRequest, "The permissions query parameter is required.")
		return
	}
	out := map[string]any{}
	for _, p := range strings.Split(perms, ",") {
		have := true
		if p == "ADD_COMMENTS" && j.opts.DenyComments {
			have = false
		}
		out[p] = map[string]any{"id": "15", "key": p, "name": p, "type": "PROJECT", "havePermission": have}
	}
	jiraJSON(w, http.StatusOK, map[string]any{"permissions": out})
}

func (j *Jira) issueRoutes(w http.ResponseWriter, r *http.Request, parts []string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	ji := j.byKey[parts[0]]
	if ji == nil {
		for _, x := range j.issues {
			if x.ID == parts[0] {
				ji = x
				break
			}
		}
	}
	if ji == nil {
		jiraError(w, http.StatusNotFound, "Issue does not exist or you do not have permission to see it.")
		return
	}
	switch {
	case len(parts) == 1 && r.Method == http.MethodGet:
		fields := r.URL.Query().Get("fields")
		if fields == "" {
			fields = "*all"
		}
		jiraJSON(w, http.StatusOK, j.renderIssue(ji, jiraFieldSet(fields, false)))
	case len(parts) == 2 && parts[1] == "comment" && r.Method == http.MethodGet:
		q := r.URL.Query()
		start := max0(jiraAtoi(q.Get("startAt"), 0))
		max := jiraAtoi(q.Get("maxResults"), 50)
		if max <= 0 || max > 100 {
			max = 100
		}
		// The listing documents expand=renderedBody only: properties are not
		// served here, whatever expand asks (comment/list and the property
		// endpoint serve them).
		list := ji.comments
		switch q.Get("orderBy") {
		case "", "created", "+created":
		case "-created":
			list = slices.Clone(list)
			slices.Reverse(list)
		default:
			jiraError(w, http.StatusBadRequest, "orderBy must be created, -created or +created.")
			return
		}
		end := min(start+max, len(list))
		from := min(start, end)
		cs := []any{}
		for _, c := range list[from:end] {
			cs = append(cs, j.renderComment(c, false))
		}
		jiraJSON(w, http.StatusOK, map[string]any{"startAt": start, "maxResults": max, "total": len(ji.comments), "comments": cs})
	case len(parts) == 2 && parts[1] == "comment" && r.Method == http.MethodPost:
		var in struct {
			Body       string `json:"body"`
			Properties []struct {
				Key   string          `json:"key"`
				Value json.RawMessage `json:"value"`
			} `json:"properties"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || strings.TrimSpace(in.Body) == "" {
			jiraJSON(w, http.StatusBadRequest, map[string]any{"errorMessages": []string{}, "errors": map[string]string{"comment": "Comment body can not be empty!"}})
			return
		}
		now := j.opts.Now()
		c := j.newCommentLocked(ji.Key, j.opts.AccountID, in.Body, now)
		for _, p := range in.Properties {
			if j.opts.IgnoreCreateProperties {
				break
			}
			if c.props == nil {
				c.props = map[string]json.RawMessage{}
			}
			c.props[p.Key] = p.Value
		}
		ji.comments = append(ji.comments, c)
		ji.Updated = now
		// Cloud documents expand=renderedBody alone on create; Data Center
		// shows the properties when asked.
		jiraJSON(w, http.StatusCreated, j.renderComment(c, !j.cloud && strings.Contains(r.URL.Query().Get("expand"), "properties")))
	case len(parts) == 3 && parts[1] == "comment" && r.Method == http.MethodPut:
		c := j.comments[parts[2]]
		if c == nil || c.issueKey != ji.Key {
			jiraError(w, http.StatusNotFound, "Can not find a comment for the id: "+parts[2]+".")
			return
		}
		if c.author != j.opts.AccountID {
			jiraError(w, http.StatusForbidden, "You do not have the permission to edit this comment.")
			return
		}
		notify := r.URL.Query().Get("notifyUsers")
		if j.opts.RefuseQuietEdits && strings.EqualFold(notify, "false") {
			jiraError(w, http.StatusForbidden, "You need the Administer Jira or Administer Projects permission to edit without notifying users.")
			return
		}
		var in struct {
			Body string `json:"body"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || strings.TrimSpace(in.Body) == "" {
			jiraJSON(w, http.StatusBadRequest, map[string]any{"errorMessages": []string{}, "errors": map[string]string{"comment": "Comment body can not be empty!"}})
			return
		}
		now := j.opts.Now()
		c.body, c.update = in.Body, now
		ji.Updated = now
		j.edits = append(j.edits, CommentEdit{CommentID: c.id, NotifyUsers: notify})
		jiraJSON(w, http.StatusOK, j.renderComment(c, false))
	default:
		jiraError(w, http.StatusMethodNotAllowed, "method not allowed")
	}
}

// commentList serves Cloud's POST /rest/api/2/comment/list: the comments
// whose ids the body lists (as numbers, at most 1000), as a page of values,
// with their properties when expand asks.
func (j *Jira) commentList(w http.ResponseWriter, r *http.Request) {
	var in struct {
		IDs []int64 `json:"ids"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		jiraError(w, http.StatusBadRequest, "Invalid request payload. Refer to the REST API documentation and try again.")
		return
	}
	if len(in.IDs) == 0 || len(in.IDs) > 1000 {
		jiraError(w, http.StatusBadRequest, "The number of comment IDs must be between 1 and 1000.")
		return
	}
	props := strings.Contains(r.URL.Query().Get("expand"), "properties")
	j.mu.Lock()
	defer j.mu.Unlock()
	values := []any{}
	for _, id := range in.IDs {
		if c, ok := j.comments[strconv.FormatInt(id, 10)]; ok {
			values = append(values, j.renderComment(c, props))
		}
	}
	jiraJSON(w, http.StatusOK, map[string]any{"isLast": true, "maxResults": 1048576, "startAt": 0, "total": len(values), "values": values})
}

func (j *Jira) commentPropertyRoutes(w http.ResponseWriter, r *http.Request, parts []string) {
	if len(parts) != 3 || parts[1] != "properties" || parts[2] == "" {
		jiraError(w, http.StatusNotFound, "null for uri: "+r.URL.String())
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	c := j.comments[parts[0]]
	if c == nil {
		jiraError(w, http.StatusNotFound, "Can not find a comment for the id: "+parts[0]+".")
		return
	}
	key := parts[2]
	switch r.Method {
	case http.MethodGet:
		v, ok := c.props[key]
		if !ok {
			jiraError(w, http.StatusNotFound, "The property with key '"+key+"' does not exist.")
			return
		}
		jiraJSON(w, http.StatusOK, map[string]any{"key": key, "value": v})
	case http.MethodPut:
		b, err := io.ReadAll(r.Body)
		if err != nil || !json.Valid(b) {
			jiraError(w, http.StatusBadRequest, "The property value must be valid JSON.")
			return
		}
		if c.author != j.opts.AccountID {
			jiraError(w, http.StatusForbidden, "You do not have the permission to edit this comment.")
			return
		}
		status := http.StatusOK
		if c.props == nil {
			c.props = map[string]json.RawMessage{}
		}
		if _, ok := c.props[key]; !ok {
			status = http.StatusCreated
		}
		c.props[key] = b
		w.WriteHeader(status)
	default:
		jiraError(w, http.StatusMethodNotAllowed, "method not allowed")
	}
}

// ---- JQL ----
//
// The fake understands the JQL the connector and tests write: AND/OR/NOT,
// parentheses, project/key/type/status/labels/assignee with = != IN NOT IN,
// created/updated compared with epoch milliseconds or "yyyy-MM-dd[ HH:mm]"
// (read in the API user's time zone, as Jira does), and ORDER BY. Anything
// else is a 400 with errorMessages, as on a real site.

type jqlQuery struct {
	where jqlNode
	order []jqlOrder
}

type jqlOrder struct {
	field string
	desc  bool
}

type jqlNode interface{ match(*jiraIssue) bool }

type jqlAnd []jqlNode
type jqlOr []jqlNode
type jqlNot struct{ n jqlNode }

func (a jqlAnd) match(i *jiraIssue) bool {
	for _, n := range a {
		if !n.match(i) {
			return false
		}
	}
	return true
}

func (o jqlOr) match(i *jiraIssue) bool {
	for _, n := range o {
		if n.match(i) {
			return true
		}
	}
	return false
}

func (n jqlNot) match(i *jiraIssue) bool { return !n.n.match(i) }

type jqlCmp struct {
	field, op string
	values    []string
	at        time.Time
}

// jiraUserZone is the API user's profile time zone; JQL date strings are read in it.
var jiraUserZone = time.FixedZone("CET", 3600)

func (c jqlCmp) match(i *jiraIssue) bool {
	switch c.field {
	case "created", "updated":
		t := i.Created
		if c.field == "updated" {
			t = i.Updated
		}
		switch c.op {
		case ">=":
			return !t.Before(c.at)
		case ">":
			return t.After(c.at)
		case "<=":
			return !t.After(c.at)
		case "<":
			return t.Before(c.at)
		case "=":
			return t.Equal(c.at)
		case "!=":
			return !t.Equal(c.at)
		}
		return false
	}
	if (c.field == "key" || c.field == "issuekey") && c.op != "=" && c.op != "!=" && c.op != "in" && c.op != "not in" {
		// Jira compares issue keys by number, and only within the key's project.
		proj, n := jiraKeyParts(c.values[0])
		ip, in := jiraKeyParts(i.Key)
		if !strings.EqualFold(ip, proj) {
			return false
		}
		switch c.op {
		case ">":
			return in > n
		case ">=":
			return in >= n
		case "<":
			return in < n
		default:
			return in <= n
		}
	}
	var have []string
	switch c.field {
	case "project":
		have = []string{i.Project}
	case "key", "issuekey":
		have = []string{i.Key}
	case "id":
		have = []string{i.ID}
	case "type", "issuetype":
		have = []string{i.Type}
	case "status":
		have = []string{i.Status}
	case "labels":
		have = i.Labels
	case "assignee":
		have = []string{i.Assignee}
	}
	hit := false
	for _, h := range have {
		for _, v := range c.values {
			if strings.EqualFold(h, v) {
				hit = true
			}
		}
	}
	if c.op == "!=" || c.op == "not in" {
		return !hit
	}
	return hit
}

type jqlParser struct {
	toks []string
	pos  int
}

func parseJQL(s string) (jqlQuery, error) {
	toks, err := lexJQL(s)
	if err != nil {
		return jqlQuery{}, err
	}
	p := &jqlParser{toks: toks}
	var q jqlQuery
	if !p.peekKeyword("order") && p.peek() != "" {
		q.where, err = p.or()
		if err != nil {
			return jqlQuery{}, err
		}
	}
	if p.peekKeyword("order") {
		p.pos++
		if !p.peekKeyword("by") {
			return jqlQuery{}, fmt.Errorf("Error in the JQL Query: Expecting 'by' but got '%s'.", p.peek())
		}
		p.pos++
		for {
			f := strings.ToLower(p.next())
			switch f {
			case "created", "updated", "key", "id":
			default:
				return jqlQuery{}, fmt.Errorf("Not able to sort using field '%s'.", f)
			}
			o := jqlOrder{field: f}
			if p.peekKeyword("asc") {
				p.pos++
			} else if p.peekKeyword("desc") {
				p.pos++
				o.desc = true
			}
			q.order = append(q.order, o)
			if p.peek() != "," {
				break
			}
			p.pos++
		}
	}
	if p.peek() != "" {
		return jqlQuery{}, fmt.Errorf("Error in the JQL Query: Expecting either 'OR' or 'AND' but got '%s'.", p.peek())
	}
	return q, nil
}

func lexJQL(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')' || c == ',':
			toks = append(toks, string(c))
			i++
		case c == '"' || c == '\'':
			end := strings.IndexByte(s[i+1:], c)
			if end < 0 {
				return nil, fmt.Errorf("Error in the JQL Query: The quoted string '%s' has not been completed.", s[i:])
			}
			toks = append(toks, "\x00"+s[i+1:i+1+end]) // \x00 marks a quoted literal
			i += end + 2
		case strings.ContainsRune("=!<>~", rune(c)):
			j := i + 1
			if j < len(s) && s[j] == '=' || (c == '!' && j < len(s) && s[j] == '~') {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r(),=!<>~\"'", rune(s[j])) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks, nil
}

func (p *jqlParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *jqlParser) next() string {
	t := p.peek()
	if p.pos < len(p.toks) {
		p.pos++
	}
	return t
}

func (p *jqlParser) peekKeyword(k string) bool { return strings.EqualFold(p.peek(), k) }

func (p *jqlParser) or() (jqlNode, error) {
	var list jqlOr
	for {
		n, err := p.and()
		if err != nil {
			return nil, err
		}
		list = append(list, n)
		if !p.peekKeyword("or") {
			break
		}
		p.pos++
	}
	if len(list) == 1 {
		return list[0], nil
	}
	return list, nil
}

func (p *jqlParser) and() (jqlNode, error) {
	var list jqlAnd
	for {
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		list = append(list, n)
		if !p.peekKeyword("and") {
			break
		}
		p.pos++
	}
	if len(list) == 1 {
		return list[0], nil
	}
	return list, nil
}

func (p *jqlParser) unary() (jqlNode, error) {
	switch {
	case p.peekKeyword("not"):
		p.pos++
		n, err := p.unary()
		return jqlNot{n}, err
	case p.peek() == "(":
		p.pos++
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.next() != ")" {
			return nil, fmt.Errorf("Error in the JQL Query: Expecting ')' before the end of the query.")
		}
		return n, nil
	}
	return p.comparison()
}

func (p *jqlParser) comparison() (jqlNode, error) {
	raw := p.next()
	field := strings.ToLower(raw)
	switch field {
	case "project", "key", "issuekey", "id", "type", "issuetype", "status", "labels", "assignee", "created", "updated":
	case "":
		return nil, fmt.Errorf("Error in the JQL Query: The query ended unexpectedly.")
	default:
		return nil, fmt.Errorf("Field '%s' does not exist or you do not have permission to view it.", strings.TrimPrefix(raw, "\x00"))
	}
	op := strings.ToLower(p.next())
	if op == "not" && p.peekKeyword("in") {
		p.pos++
		op = "not in"
	}
	c := jqlCmp{field: field, op: op}
	switch op {
	case "in", "not in":
		if p.next() != "(" {
			return nil, fmt.Errorf("Error in the JQL Query: Expecting '(' after '%s'.", op)
		}
		for {
			v := p.next()
			if v == "" || v == ")" || v == "," {
				return nil, fmt.Errorf("Error in the JQL Query: Expecting a value in the list of '%s'.", raw)
			}
			c.values = append(c.values, strings.TrimPrefix(v, "\x00"))
			sep := p.next()
			if sep == ")" {
				break
			}
			if sep != "," {
				return nil, fmt.Errorf("Error in the JQL Query: Expecting ',' or ')' but got '%s'.", sep)
			}
		}
	case "=", "!=", ">=", ">", "<=", "<":
		v := p.next()
		if v == "" || v == "(" || v == ")" {
			return nil, fmt.Errorf("Error in the JQL Query: Expecting a value after '%s'.", op)
		}
		c.values = []string{strings.TrimPrefix(v, "\x00")}
	default:
		return nil, fmt.Errorf("Error in the JQL Query: The operator '%s' is not supported by the '%s' field.", op, raw)
	}
	if field == "created" || field == "updated" {
		if len(c.values) != 1 {
			return nil, fmt.Errorf("The operator '%s' is not supported by the '%s' field.", op, raw)
		}
		at, err := jqlDate(c.values[0])
		if err != nil {
			return nil, err
		}
		c.at = at
	} else if (field == "key" || field == "issuekey") && (op == ">" || op == ">=" || op == "<" || op == "<=") {
		if _, n := jiraKeyParts(c.values[0]); n <= 0 {
			return nil, fmt.Errorf("The issue key '%s' for field '%s' is invalid.", c.values[0], raw)
		}
	} else if op != "=" && op != "!=" && op != "in" && op != "not in" {
		return nil, fmt.Errorf("The operator '%s' is not supported by the '%s' field.", op, raw)
	}
	return c, nil
}

// jqlDate reads an epoch-millisecond number, or a date string in the API
// user's time zone (which is why clients should send epoch milliseconds).
func jqlDate(v string) (time.Time, error) {
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.UnixMilli(ms), nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006/01/02 15:04", "2006-01-02", "2006/01/02"} {
		if t, err := time.ParseInLocation(layout, v, jiraUserZone); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("Date value '%s' for field is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.", v)
}
