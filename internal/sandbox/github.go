package sandbox

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
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

// GitHubOptions configures a fake GitHub.
type GitHubOptions struct {
	// Token is the credential the server accepts; empty accepts any. A wrong
	// one is answered 401 {"message":"Bad credentials",…}. A token starting
	// "ghs_" is served as GitHub serves a GitHub App installation token
	// (Actions' GITHUB_TOKEN is one too): GET /user refuses it with 403
	// "Resource not accessible by integration", and GET /repos/{o}/{r}
	// carries no permissions object.
	Token string
	// Login is the account the token acts as: GET /user and GraphQL's
	// viewer name it, and comments are written as it; default "ladder-bot".
	// For an installation token it is the App's bot, e.g. "acme-ladder[bot]".
	Login string
	// OAuthScopes are the scopes of a classic token (ghp_…, gho_…), sent in
	// X-OAuth-Scopes as GitHub does; nil means [repo], an empty list none.
	OAuthScopes []string
	// Flavor is the server imitated: "" is github.com; GitHubGHES317 is a
	// GitHub Enterprise Server without sub-issues and issue dependencies.
	Flavor string
	// Assignees gives issues (by key) several assignees, in GitHub's order,
	// in place of the issue's one Assignee.
	Assignees map[string][]string
	// PullRequests mixes this many pull requests into each repository's issue
	// list (with the pull_request key, as GitHub does), each with one comment.
	PullRequests int
	// RateLimit is the primary budget per hour; default 5000.
	RateLimit int
	// Orgs lists each organisation's repositories (owner/repo). An org not
	// listed owns the repositories of its issues.
	Orgs map[string][]string
	// Permissions overrides the token's permissions on a repository
	// (owner/repo); by default it may pull, triage and push.
	Permissions map[string]GitHubPermissions
	// App, when set, also serves a GitHub App and its installation tokens
	// (see GitHubApp); Token stays accepted beside them.
	App *GitHubApp
	// Now is the server's clock; default time.Now.
	Now func() time.Time
	// Listener, when set, is where the server listens instead of a fresh
	// loopback port (see Listen); Close closes it.
	Listener net.Listener
}

// GitHubGHES317 imitates GitHub Enterprise Server 3.17, which has neither
// sub-issues nor issue dependencies: its issues carry no sub_issues_summary,
// issue_dependencies_summary or parent_issue_url, …/sub_issues and
// …/dependencies/* answer 404, and it knows API version 2022-11-28 only.
const GitHubGHES317 = "ghes-3.17"

// API versions a request may name in X-GitHub-Api-Version; without the
// header GitHub answers as 2022-11-28. From 2026-03-10 on, issues no longer
// carry the singular assignee, only assignees.
const (
	ghVersion2022 = "2022-11-28"
	ghVersion2026 = "2026-03-10"
)

// GitHubWriteFault makes writes take effect and then fail on the way back,
// as when a proxy gives up or a connection drops after GitHub acted: the
// client cannot tell from the answer whether its write happened.
type GitHubWriteFault struct {
	// Match selects the writes the fault applies to; nil matches all.
	Match func(*http.Request) bool
	// Times is how many matching writes fail; 0 means every one.
	Times int
	// Status answers the applied write (503, 502 …) with GitHub's error body.
	Status int
	// Drop closes the connection without any answer instead.
	Drop bool

	fired int
}

// GitHubPermissions is the permissions object of GET /repos/{o}/{r}.
type GitHubPermissions struct {
	Admin    bool `json:"admin"`
	Maintain bool `json:"maintain"`
	Push     bool `json:"push"`
	Triage   bool `json:"triage"`
	Pull     bool `json:"pull"`
}

// GitHub is a fake GitHub REST API serving issues, sub-issues, issue
// dependencies and comments with GitHub's pagination, ETags, rate-limit
// headers and error shapes.
type GitHub struct {
	*Harness
	srv  *httptest.Server
	base string
	opts GitHubOptions

	mu       sync.Mutex
	repos    map[string]*ghRepo
	issues   map[string]*ghIssue
	comments map[int64]*ghComment
	nextID   int64
	// Relations derived from the issues' links and parents; rebuilt on edit.
	blockedBy map[string][]string
	blocking  map[string][]string
	children  map[string][]string
	parent    map[string]string

	// rest is the token's primary budget; appBudget the installation's.
	rest      *budget
	appBudget *budget
	appTokens map[string]appToken

	writeFaults []*GitHubWriteFault
}

type ghRepo struct {
	owner, name string
	id          int64
	issues      []*ghIssue // by number
	comments    []*ghComment
}

func (r *ghRepo) fullName() string { return r.owner + "/" + r.name }

type ghIssue struct {
	ladder.Issue // Comments live in ghComment
	repo         *ghRepo
	number       int
	id           int64
	pr           bool
	comments     []*ghComment
}

type ghComment struct {
	id               int64
	issue            *ghIssue
	login, body      string
	created, updated time.Time
}

// NewGitHub serves issues (keys owner/repo#N) on a loopback listener until
// Close. Links of kind blocked_by and blocks become issue dependencies, child
// links and Parent become sub-issues, StatusCategory done closes the issue.
// An issue without an ID gets a numeric one.
func NewGitHub(issues []ladder.Issue, opts GitHubOptions) *GitHub {
	if opts.Login == "" {
		opts.Login = "ladder-bot"
	}
	if opts.RateLimit <= 0 {
		opts.RateLimit = 5000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	g := &GitHub{
		// The token is checked in serve, which answers GitHub's own 401 body.
		Harness:  &Harness{Now: opts.Now},
		opts:     opts,
		repos:    map[string]*ghRepo{},
		issues:   map[string]*ghIssue{},
		comments: map[int64]*ghComment{},
		nextID:   1_000_000,
	}
	g.rest = &budget{limit: opts.RateLimit, remaining: opts.RateLimit, windowEnd: g.now().Add(time.Hour)}
	g.initApp()
	for _, repos := range opts.Orgs {
		for _, full := range repos {
			owner, name, ok := strings.Cut(full, "/")
			if !ok {
				panic(fmt.Sprintf("sandbox: org repo %q: want owner/repo", full))
			}
			g.repo(owner, name)
		}
	}
	for _, in := range issues {
		g.addIssue(in)
	}
	for _, r := range g.sortedRepos() {
		g.addPullRequests(r)
	}
	g.index()
	g.srv = newServer(opts.Listener, g.Wrap(http.HandlerFunc(g.serve), nil))
	g.base = g.srv.URL + "/"
	return g
}

// URL is the API base URL, ending in "/" (go-github's BaseURL).
func (g *GitHub) URL() string { return g.base }

// Close shuts the server down.
func (g *GitHub) Close() { g.srv.Close() }

// bearer returns the token a request presents ("Bearer T" or "token T").
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if t, ok := strings.CutPrefix(h, "Bearer "); ok {
		return t
	}
	t, _ := strings.CutPrefix(h, "token ")
	return t
}

// installationToken reports whether a token is a GitHub App installation
// token, which GitHub marks with the ghs_ prefix.
func installationToken(token string) bool { return strings.HasPrefix(token, "ghs_") }

// AddWriteFault installs f; write faults are checked in the order they were added.
func (g *GitHub) AddWriteFault(f GitHubWriteFault) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.writeFaults = append(g.writeFaults, &f)
}

func (g *GitHub) writeFault(r *http.Request) *GitHubWriteFault {
	for _, f := range g.writeFaults {
		if f.Match != nil && !f.Match(r) || f.Times > 0 && f.fired >= f.Times {
			continue
		}
		f.fired++
		return f
	}
	return nil
}

func (g *GitHub) now() time.Time { return g.opts.Now().UTC().Truncate(time.Second) }

func (g *GitHub) repo(owner, name string) *ghRepo {
	full := owner + "/" + name
	r := g.repos[full]
	if r == nil {
		r = &ghRepo{owner: owner, name: name, id: int64(hash32(full))}
		g.repos[full] = r
	}
	return r
}

func (g *GitHub) sortedRepos() []*ghRepo {
	var out []*ghRepo
	for _, r := range g.repos {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *ghRepo) int { return strings.Compare(a.fullName(), b.fullName()) })
	return out
}

func parseGitHubKey(key string) (owner, name string, number int, ok bool) {
	full, num, ok := strings.Cut(key, "#")
	if !ok {
		return "", "", 0, false
	}
	owner, name, ok = strings.Cut(full, "/")
	n, err := strconv.Atoi(num)
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") || err != nil || n <= 0 {
		return "", "", 0, false
	}
	return owner, name, n, true
}

func (g *GitHub) addIssue(in ladder.Issue) {
	owner, name, number, ok := parseGitHubKey(in.Key)
	if !ok {
		panic(fmt.Sprintf("sandbox: github issue key %q: want owner/repo#N", in.Key))
	}
	if g.issues[in.Key] != nil {
		panic(fmt.Sprintf("sandbox: github issue %s given twice", in.Key))
	}
	r := g.repo(owner, name)
	is := &ghIssue{Issue: in, repo: r, number: number}
	is.Comments = nil
	if id, err := strconv.ParseInt(in.ID, 10, 64); err == nil {
		is.id = id
	} else {
		is.id = g.newID()
	}
	if is.Created.IsZero() {
		is.Created = g.now()
	}
	is.Created = is.Created.UTC().Truncate(time.Second)
	if is.Updated.IsZero() {
		is.Updated = is.Created
	}
	is.Updated = is.Updated.UTC().Truncate(time.Second)
	g.issues[in.Key] = is
	i, _ := slices.BinarySearchFunc(r.issues, number, func(x *ghIssue, n int) int { return cmp.Compare(x.number, n) })
	r.issues = slices.Insert(r.issues, i, is)
	for _, c := range in.Comments {
		created := c.Created
		if created.IsZero() {
			created = is.Created
		}
		updated := c.Updated
		if updated.IsZero() {
			updated = created
		}
		body := c.Raw
		if body == "" {
			body = c.Body
		}
		id, err := strconv.ParseInt(c.ID, 10, 64)
		if err != nil {
			id = g.newID()
		}
		g.attach(is, &ghComment{id: id, login: c.Author, body: body,
			created: created.UTC().Truncate(time.Second), updated: updated.UTC().Truncate(time.Second)})
	}
}

func (g *GitHub) newID() int64 {
	g.nextID++
	return g.nextID
}

func (g *GitHub) attach(is *ghIssue, c *ghComment) {
	c.issue = is
	is.comments = append(is.comments, c)
	is.repo.comments = append(is.repo.comments, c)
	g.comments[c.id] = c
}

// addPullRequests numbers the pull requests after the repository's issues,
// as if opened last.
func (g *GitHub) addPullRequests(r *ghRepo) {
	top := 0
	if len(r.issues) > 0 {
		top = r.issues[len(r.issues)-1].number
	}
	now := g.now()
	for i := 1; i <= g.opts.PullRequests; i++ {
		n := top + i
		pr := &ghIssue{
			Issue: ladder.Issue{
				Ref:   ladder.Ref{Key: fmt.Sprintf("%s#%d", r.fullName(), n)},
				Title: fmt.Sprintf("Pull request %d", i), Reporter: "contributor",
				Created: now, Updated: now, StatusCategory: ladder.StatusTodo,
			},
			repo: r, number: n, id: g.newID(), pr: true,
		}
		g.issues[pr.Key] = pr
		r.issues = append(r.issues, pr)
		g.attach(pr, &ghComment{id: g.newID(), login: "reviewer", body: "Looks good to me.", created: now, updated: now})
	}
}

// index derives dependencies and sub-issue relations from every issue's
// links and parent, in key order so listings are deterministic.
func (g *GitHub) index() {
	g.blockedBy = map[string][]string{}
	g.blocking = map[string][]string{}
	g.children = map[string][]string{}
	g.parent = map[string]string{}
	addEdge := func(m map[string][]string, from, to string) {
		if !slices.Contains(m[from], to) {
			m[from] = append(m[from], to)
		}
	}
	for _, r := range g.sortedRepos() {
		for _, is := range r.issues {
			if is.Parent != "" {
				if _, _, _, ok := parseGitHubKey(is.Parent); ok {
					g.parent[is.Key] = is.Parent
					addEdge(g.children, is.Parent, is.Key)
				}
			}
			for _, l := range is.Links {
				if l.To.Tracker != "" && is.Tracker != "" && l.To.Tracker != is.Tracker {
					continue
				}
				if _, _, _, ok := parseGitHubKey(l.To.Key); !ok {
					continue
				}
				switch l.Kind {
				case ladder.BlockedBy:
					addEdge(g.blockedBy, is.Key, l.To.Key)
					addEdge(g.blocking, l.To.Key, is.Key)
				case ladder.Blocks:
					addEdge(g.blocking, is.Key, l.To.Key)
					addEdge(g.blockedBy, l.To.Key, is.Key)
				case ladder.ChildOf:
					addEdge(g.children, is.Key, l.To.Key)
					if _, ok := g.parent[l.To.Key]; !ok {
						g.parent[l.To.Key] = is.Key
					}
				}
			}
		}
	}
}

// AddComment posts a comment as login, bumping the issue's updated_at as
// GitHub does, and returns the comment's ID.
func (g *GitHub) AddComment(key, login, body string) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	is := g.issues[key]
	if is == nil {
		return "", fmt.Errorf("sandbox github: no issue %s", key)
	}
	return strconv.FormatInt(g.postComment(is, login, body).id, 10), nil
}

// AddIssue adds an issue as if someone opened it now (unless it says when).
func (g *GitHub) AddIssue(is ladder.Issue) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, _, _, ok := parseGitHubKey(is.Key); !ok || g.issues[is.Key] != nil {
		return fmt.Errorf("sandbox github: cannot add issue %q: bad key or taken number", is.Key)
	}
	g.addIssue(is)
	g.index()
	return nil
}

func (g *GitHub) postComment(is *ghIssue, login, body string) *ghComment {
	now := g.now()
	c := &ghComment{id: g.newID(), login: login, body: body, created: now, updated: now}
	g.attach(is, c)
	is.Updated = now
	return c
}

// EditIssue changes an issue in place and bumps its updated_at to now,
// unless edit set Updated itself. Comments are not part of the edit: use
// AddComment.
func (g *GitHub) EditIssue(key string, edit func(*ladder.Issue)) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	is := g.issues[key]
	if is == nil || is.pr {
		return fmt.Errorf("sandbox github: no issue %s", key)
	}
	before := is.Updated
	edit(&is.Issue)
	is.Ref.Key = key
	is.Comments = nil
	if is.Updated.Equal(before) {
		is.Updated = g.now()
	}
	is.Updated = is.Updated.UTC().Truncate(time.Second)
	g.index()
	return nil
}

// DeleteIssue deletes an issue with its comments, as a repository admin
// can: it leaves every listing, and the dependencies and sub-issue links of
// other issues to it go with it.
func (g *GitHub) DeleteIssue(key string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	is := g.issues[key]
	if is == nil || is.pr {
		return fmt.Errorf("sandbox github: no issue %s", key)
	}
	delete(g.issues, key)
	r := is.repo
	r.issues = slices.DeleteFunc(r.issues, func(x *ghIssue) bool { return x == is })
	r.comments = slices.DeleteFunc(r.comments, func(c *ghComment) bool { return c.issue == is })
	for _, c := range is.comments {
		delete(g.comments, c.id)
	}
	for _, other := range g.issues {
		other.Links = slices.DeleteFunc(other.Links, func(l ladder.Link) bool { return l.To.Key == key })
		if other.Parent == key {
			other.Parent = ""
		}
	}
	g.index()
	return nil
}

// Comments returns an issue's comments in creation order, with IDs and authors.
func (g *GitHub) Comments(key string) []ladder.Comment {
	g.mu.Lock()
	defer g.mu.Unlock()
	is := g.issues[key]
	if is == nil {
		return nil
	}
	out := make([]ladder.Comment, 0, len(is.comments))
	for _, c := range is.comments {
		out = append(out, c.ladder())
	}
	return out
}

// Issue returns an issue as currently served (without comments).
func (g *GitHub) Issue(key string) (ladder.Issue, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	is := g.issues[key]
	if is == nil || is.pr {
		return ladder.Issue{}, false
	}
	out := is.Issue
	out.ID = strconv.FormatInt(is.id, 10)
	return out, true
}

// RateRemaining is what is left of the primary budget in the current window.
func (g *GitHub) RateRemaining() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.rest.refill(g.now())
	return g.rest.remaining
}

func (c *ghComment) ladder() ladder.Comment {
	return ladder.Comment{ID: strconv.FormatInt(c.id, 10), Author: c.login,
		Created: c.created, Updated: c.updated, Body: c.body, Raw: c.body}
}

// budget is a primary rate limit: so many requests an hour.
type budget struct {
	limit, remaining int
	windowEnd        time.Time
}

func (b *budget) refill(now time.Time) {
	if !now.Before(b.windowEnd) {
		b.remaining = b.limit
		b.windowEnd = now.Add(time.Hour)
	}
}

// ghResponse is a handler's answer before the rate limit and ETag are applied.
type ghResponse struct {
	status int
	body   any
	link   string
}

// ghError is GitHub's error body: message, documentation_url and, as
// GitHub has added since, the status as a string.
func ghError(status int, msg string) ghResponse {
	return ghErrorDoc(status, msg, "https://docs.github.com/rest")
}

func ghErrorDoc(status int, msg, doc string) ghResponse {
	return ghResponse{status: status, body: map[string]string{
		"message": msg, "documentation_url": doc, "status": strconv.Itoa(status)}}
}

// ghRequest is what a handler needs to know about the request beyond its URL.
type ghRequest struct {
	*http.Request
	// installation is true for a GitHub App installation token.
	installation bool
	// version is the API version answered (X-GitHub-Api-Version).
	version string
	// appToken is true for an installation token the sandbox's App issued.
	appToken bool
}

func (g *GitHub) serve(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	h := w.Header()
	h.Set("Date", now.Format(http.TimeFormat))
	h.Set("Content-Type", "application/json; charset=utf-8")
	reply := func(res ghResponse) {
		body, err := json.Marshal(res.body)
		if err != nil {
			panic(err)
		}
		w.WriteHeader(res.status)
		w.Write(body)
	}

	token := bearer(r)
	appToken, jwtOK := false, false
	if g.opts.App != nil {
		var ok bool
		var res ghResponse
		if appToken, jwtOK, ok, res = g.appAuth(r, token, now); !ok {
			reply(res)
			return
		}
	}
	if g.opts.Token != "" && token != g.opts.Token && !appToken && !jwtOK {
		reply(ghError(http.StatusUnauthorized, "Bad credentials"))
		return
	}
	req := &ghRequest{Request: r, installation: installationToken(token), version: ghVersion2022, appToken: appToken}
	if v := r.Header.Get("X-GitHub-Api-Version"); v != "" {
		if v != ghVersion2022 && (v != ghVersion2026 || g.opts.Flavor == GitHubGHES317) {
			reply(ghErrorDoc(http.StatusBadRequest, fmt.Sprintf("X-GitHub-Api-Version header value '%s' is not supported", v),
				"https://docs.github.com/rest/about-the-rest-api/api-versions"))
			return
		}
		req.version = v
	}
	h.Set("X-GitHub-Api-Version-Selected", req.version)
	if jwtOK {
		// The App's own endpoints have a budget of their own.
		res, _ := g.routeApp(req, strings.Split(strings.Trim(r.URL.Path, "/"), "/"))
		reply(res)
		return
	}
	b := g.rest
	if appToken {
		b = g.appBudget
	}
	b.refill(now)
	if strings.HasPrefix(token, "ghp_") || strings.HasPrefix(token, "gho_") {
		scopes := g.opts.OAuthScopes
		if scopes == nil {
			scopes = []string{"repo"}
		}
		h.Set("X-OAuth-Scopes", strings.Join(scopes, ", "))
	}
	if strings.Trim(r.URL.Path, "/") == "graphql" {
		// GraphQL has a budget of its own, not the REST one counted here.
		reply(g.graphQL(req))
		return
	}

	write := r.Method != http.MethodGet && r.Method != http.MethodHead
	var res ghResponse
	if write {
		// A refused write must not change anything, so the budget is checked first.
		if b.remaining == 0 {
			b.limited(w)
			return
		}
		b.remaining--
	}
	res = g.route(req)
	if write && res.status < 300 {
		if f := g.writeFault(r); f != nil {
			if f.Drop {
				// The write stands; the client gets no answer at all.
				panic(http.ErrAbortHandler)
			}
			b.headers(h)
			reply(ghError(f.Status, http.StatusText(f.Status)))
			return
		}
	}
	var body []byte
	if res.body != nil {
		var err error
		if body, err = json.Marshal(res.body); err != nil {
			panic(err)
		}
	}
	if !write && res.status == http.StatusOK {
		sum := sha256.Sum256(body)
		etag := `W/"` + hex.EncodeToString(sum[:16]) + `"`
		h.Set("ETag", etag)
		if etagMatch(r.Header.Get("If-None-Match"), etag) {
			// Conditional requests answered 304 cost nothing against the limit.
			b.headers(h)
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if !write {
		if b.remaining == 0 {
			h.Del("ETag")
			b.limited(w)
			return
		}
		b.remaining--
	}
	b.headers(h)
	if res.link != "" {
		h.Set("Link", res.link)
	}
	w.WriteHeader(res.status)
	w.Write(body)
}

// graphQL answers the one query Ladder asks, { viewer { login } }, which
// GitHub answers for every kind of token, installation tokens included
// (their viewer is the App's bot account). Anything else is a GraphQL error,
// which GitHub sends with status 200.
func (g *GitHub) graphQL(r *ghRequest) ghResponse {
	var in struct {
		Query string `json:"query"`
	}
	if r.Method != http.MethodPost {
		return ghError(http.StatusNotFound, "Not Found")
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || strings.TrimSpace(in.Query) == "" {
		return ghResponse{status: http.StatusOK, body: map[string]any{"errors": []map[string]string{{"message": "A query attribute must be specified and must be a string."}}}}
	}
	if q := strings.Join(strings.Fields(in.Query), " "); strings.Contains(q, "viewer") && strings.Contains(q, "login") {
		return ghResponse{status: http.StatusOK, body: map[string]any{"data": map[string]any{"viewer": map[string]string{"login": g.login(r)}}}}
	}
	return ghResponse{status: http.StatusOK, body: map[string]any{"errors": []map[string]string{{"message": "the sandbox answers { viewer { login } } only"}}}}
}

// login is the account a request acts as: the App's bot for its
// installation tokens, else the configured login.
func (g *GitHub) login(r *ghRequest) string {
	if r.appToken {
		return g.opts.App.Bot()
	}
	return g.opts.Login
}

func (b *budget) headers(h http.Header) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(b.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(b.remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(b.windowEnd.Unix(), 10))
	h.Set("X-RateLimit-Used", strconv.Itoa(b.limit-b.remaining))
	h.Set("X-RateLimit-Resource", "core")
}

func (b *budget) limited(w http.ResponseWriter) {
	b.headers(w.Header())
	w.WriteHeader(http.StatusForbidden)
	w.Write([]byte(`{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}`))
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || t == etag || "W/"+t == etag {
			return true
		}
	}
	return false
}

// route answers one request. Repository resources are served under
// /repos/{owner}/{repo}/… and, as GitHub's own Link headers name them, under
// /repositories/{id}/…; an organisation's repositories under /orgs/{org}/repos
// and /organizations/{id}/repos. Every Link header uses the id form, as
// GitHub's do.
func (g *GitHub) route(r *ghRequest) ghResponse {
	p := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	get, post, patch := r.Method == http.MethodGet, r.Method == http.MethodPost, r.Method == http.MethodPatch
	if res, ok := g.routeApp(r, p); ok {
		return res
	}
	switch {
	case get && len(p) == 1 && p[0] == "user":
		if r.installation {
			return ghErrorDoc(http.StatusForbidden, "Resource not accessible by integration",
				"https://docs.github.com/rest/users/users#get-the-authenticated-user")
		}
		return ghResponse{status: http.StatusOK, body: g.userJSON(g.opts.Login)}
	case get && len(p) == 3 && p[0] == "orgs" && p[2] == "repos":
		return g.orgRepos(r, p[1])
	case get && len(p) == 3 && p[0] == "organizations" && p[2] == "repos":
		for _, org := range g.orgNames() {
			if strconv.FormatInt(orgID(org), 10) == p[1] {
				return g.orgRepos(r, org)
			}
		}
		return ghError(http.StatusNotFound, "Not Found")
	case len(p) >= 2 && p[0] == "repositories":
		var repo *ghRepo
		for _, x := range g.repos {
			if strconv.FormatInt(x.id, 10) == p[1] {
				repo = x
			}
		}
		if repo == nil {
			return ghError(http.StatusNotFound, "Not Found")
		}
		p = append([]string{"repos", repo.owner, repo.name}, p[2:]...)
	case len(p) < 3 || p[0] != "repos":
		return ghError(http.StatusNotFound, "Not Found")
	}
	repo := g.repos[p[1]+"/"+p[2]]
	if repo == nil || r.appToken && !g.appSees(repo.fullName()) {
		return ghError(http.StatusNotFound, "Not Found")
	}
	rest := p[3:]
	links := fmt.Sprintf("%srepositories/%d/%s", g.base, repo.id, strings.Join(rest, "/"))
	switch {
	case get && len(rest) == 0:
		return ghResponse{status: http.StatusOK, body: g.repoJSON(repo, !r.installation)}
	case len(rest) == 0 || rest[0] != "issues":
		return ghError(http.StatusNotFound, "Not Found")
	case get && len(rest) == 1:
		return g.listIssues(r, repo, links)
	case get && len(rest) == 2 && rest[1] == "comments":
		return g.listComments(r, repo.comments, links)
	case len(rest) == 3 && rest[1] == "comments":
		id, _ := strconv.ParseInt(rest[2], 10, 64)
		c := g.comments[id]
		if c == nil || c.issue.repo != repo {
			return ghError(http.StatusNotFound, "Not Found")
		}
		switch {
		case get:
			return ghResponse{status: http.StatusOK, body: g.commentJSON(c)}
		case patch:
			return g.editComment(r.Request, c)
		}
		return ghError(http.StatusNotFound, "Not Found")
	}
	n, err := strconv.Atoi(rest[1])
	is := g.issues[fmt.Sprintf("%s#%d", repo.fullName(), n)]
	if err != nil || is == nil {
		return ghError(http.StatusNotFound, "Not Found")
	}
	sub := strings.Join(rest[2:], "/")
	relations := g.opts.Flavor != GitHubGHES317
	switch {
	case get && sub == "":
		return ghResponse{status: http.StatusOK, body: g.issueJSON(is, r.version)}
	case get && sub == "comments":
		return g.listComments(r, is.comments, links)
	case post && sub == "comments":
		var in struct {
			Body *string `json:"body"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			return ghError(http.StatusBadRequest, "Problems parsing JSON")
		}
		if in.Body == nil {
			return ghError(http.StatusUnprocessableEntity, "Invalid request.\n\n\"body\" wasn't supplied.")
		}
		return ghResponse{status: http.StatusCreated, body: g.commentJSON(g.postComment(is, g.login(r), *in.Body))}
	case get && relations && sub == "dependencies/blocked_by":
		return g.listRelated(r, g.blockedBy[is.Key], links)
	case get && relations && sub == "dependencies/blocking":
		return g.listRelated(r, g.blocking[is.Key], links)
	case get && relations && sub == "sub_issues":
		return g.listRelated(r, g.children[is.Key], links)
	}
	return ghError(http.StatusNotFound, "Not Found")
}

func (g *GitHub) editComment(r *http.Request, c *ghComment) ghResponse {
	var in struct {
		Body *string `json:"body"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return ghError(http.StatusBadRequest, "Problems parsing JSON")
	}
	if in.Body == nil {
		return ghError(http.StatusUnprocessableEntity, "Invalid request.\n\n\"body\" wasn't supplied.")
	}
	now := g.now()
	c.body, c.updated = *in.Body, now
	c.issue.Updated = now
	return ghResponse{status: http.StatusOK, body: g.commentJSON(c)}
}

// listOptions reads GitHub's list parameters: since (inclusive: updated_at
// >= since), sort and direction. The issue listing sorts by created, newest
// first, unless told otherwise (as GitHub's does); comment listings come in
// ascending id without sort, and direction defaults to desc once sort is given.
type listOptions struct {
	since     time.Time
	sort      string
	desc      bool
	invalidAt string
}

func readListOptions(r *http.Request, defaultSort string) listOptions {
	q := r.URL.Query()
	var o listOptions
	if s := q.Get("since"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			o.invalidAt = "since"
		}
		o.since = t
	}
	o.sort = cmp.Or(q.Get("sort"), defaultSort)
	switch q.Get("direction") {
	case "asc":
	case "desc":
		o.desc = true
	case "":
		o.desc = o.sort != ""
	default:
		o.invalidAt = "direction"
	}
	return o
}

func (g *GitHub) listIssues(r *ghRequest, repo *ghRepo, links string) ghResponse {
	o := readListOptions(r.Request, "created")
	if o.invalidAt != "" {
		return ghError(http.StatusUnprocessableEntity, "Validation Failed: "+o.invalidAt)
	}
	state := r.URL.Query().Get("state")
	if state == "" {
		state = "open"
	}
	var items []*ghIssue
	for _, is := range repo.issues {
		closed := is.StatusCategory == ladder.StatusDone
		if (state == "open" && closed) || (state == "closed" && !closed) || is.Updated.Before(o.since) {
			continue
		}
		items = append(items, is)
	}
	key := func(is *ghIssue) time.Time {
		if o.sort == "updated" {
			return is.Updated
		}
		return is.Created
	}
	if o.sort != "" {
		slices.SortStableFunc(items, func(a, b *ghIssue) int {
			if o.sort == "comments" {
				return cmp.Or(cmp.Compare(len(a.comments), len(b.comments)), cmp.Compare(a.number, b.number))
			}
			return cmp.Or(key(a).Compare(key(b)), cmp.Compare(a.number, b.number))
		})
	}
	if o.desc {
		slices.Reverse(items)
	}
	page, link, ok := paginate(items, r.Request, links)
	if !ok {
		return ghError(http.StatusUnprocessableEntity, "Validation Failed: page")
	}
	out := make([]ghIssueJSON, len(page))
	for i, is := range page {
		out[i] = g.issueJSON(is, r.version)
	}
	return ghResponse{status: http.StatusOK, body: out, link: link}
}

func (g *GitHub) listComments(r *ghRequest, all []*ghComment, links string) ghResponse {
	o := readListOptions(r.Request, "")
	if o.invalidAt != "" {
		return ghError(http.StatusUnprocessableEntity, "Validation Failed: "+o.invalidAt)
	}
	var items []*ghComment
	for _, c := range all {
		if !c.updated.Before(o.since) {
			items = append(items, c)
		}
	}
	slices.SortStableFunc(items, func(a, b *ghComment) int {
		switch o.sort {
		case "updated":
			return cmp.Or(a.updated.Compare(b.updated), cmp.Compare(a.id, b.id))
		case "created":
			return cmp.Or(a.created.Compare(b.created), cmp.Compare(a.id, b.id))
		}
		return cmp.Compare(a.id, b.id)
	})
	if o.desc {
		slices.Reverse(items)
	}
	page, link, ok := paginate(items, r.Request, links)
	if !ok {
		return ghError(http.StatusUnprocessableEntity, "Validation Failed: page")
	}
	out := make([]ghCommentJSON, len(page))
	for i, c := range page {
		out[i] = g.commentJSON(c)
	}
	return ghResponse{status: http.StatusOK, body: out, link: link}
}

func (g *GitHub) listRelated(r *ghRequest, keys []string, links string) ghResponse {
	page, link, ok := paginate(keys, r.Request, links)
	if !ok {
		return ghError(http.StatusUnprocessableEntity, "Validation Failed: page")
	}
	out := make([]ghIssueJSON, len(page))
	for i, k := range page {
		if is := g.issues[k]; is != nil {
			out[i] = g.issueJSON(is, r.version)
			continue
		}
		out[i] = g.stubJSON(k)
	}
	return ghResponse{status: http.StatusOK, body: out, link: link}
}

// orgNames lists the organisations the sandbox knows: those given in
// GitHubOptions.Orgs and the owners of every repository.
func (g *GitHub) orgNames() []string {
	var out []string
	for org := range g.opts.Orgs {
		out = append(out, org)
	}
	for _, r := range g.sortedRepos() {
		if !slices.Contains(out, r.owner) {
			out = append(out, r.owner)
		}
	}
	return out
}

func orgID(org string) int64 { return int64(hash32("org:" + org)) }

func (g *GitHub) orgRepos(r *ghRequest, org string) ghResponse {
	names, listed := g.opts.Orgs[org]
	if !listed {
		for _, repo := range g.sortedRepos() {
			if repo.owner == org {
				names = append(names, repo.fullName())
			}
		}
	}
	if r.appToken {
		names = slices.DeleteFunc(slices.Clone(names), func(full string) bool { return !g.appSees(full) })
	}
	if len(names) == 0 && !listed {
		return ghError(http.StatusNotFound, "Not Found")
	}
	page, link, ok := paginate(names, r.Request, fmt.Sprintf("%sorganizations/%d/repos", g.base, orgID(org)))
	if !ok {
		return ghError(http.StatusUnprocessableEntity, "Validation Failed: page")
	}
	out := make([]ghRepoJSON, len(page))
	for i, full := range page {
		out[i] = g.repoJSON(g.repos[full], !r.installation)
	}
	return ghResponse{status: http.StatusOK, body: out, link: link}
}

// paginate cuts one page out of items by page and per_page (default 30, at
// most 100) and builds the Link header on links (the listing's URL without
// query): next and last while there are more pages, first and prev after
// the first page; no next on the last page. Each link repeats the request's
// own parameters with its page, as GitHub's do.
func paginate[T any](items []T, r *http.Request, listing string) ([]T, string, bool) {
	q := r.URL.Query()
	perPage, page := 30, 1
	if s := q.Get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return nil, "", false
		}
		perPage = min(n, 100)
	}
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return nil, "", false
		}
		page = n
	}
	last := max(1, (len(items)+perPage-1)/perPage)
	pageURL := func(n int) string {
		q.Set("page", strconv.Itoa(n))
		return listing + "?" + q.Encode()
	}
	var links []string
	if page < last {
		links = append(links, `<`+pageURL(page+1)+`>; rel="next"`, `<`+pageURL(last)+`>; rel="last"`)
	}
	if page > 1 {
		links = append(links, `<`+pageURL(1)+`>; rel="first"`, `<`+pageURL(min(page-1, last))+`>; rel="prev"`)
	}
	lo := min((page-1)*perPage, len(items))
	hi := min(lo+perPage, len(items))
	return items[lo:hi], strings.Join(links, ", "), true
}

// Wire shapes, as GitHub's REST API (2022-11-28) writes them.

type ghUserJSON struct {
	Login     string `json:"login"`
	ID        int64  `json:"id"`
	NodeID    string `json:"node_id"`
	Type      string `json:"type"`
	SiteAdmin bool   `json:"site_admin"`
}

type ghLabelJSON struct {
	ID      int64  `json:"id"`
	NodeID  string `json:"node_id"`
	Name    string `json:"name"`
	Color   string `json:"color"`
	Default bool   `json:"default"`
}

type ghMilestoneJSON struct {
	Number int    `json:"number"`
	Title  string `json:"title"`
	State  string `json:"state"`
}

type ghPullRequestRefJSON struct {
	URL      string  `json:"url"`
	HTMLURL  string  `json:"html_url"`
	DiffURL  string  `json:"diff_url"`
	PatchURL string  `json:"patch_url"`
	MergedAt *string `json:"merged_at"`
}

// ghIssueTypeJSON is an organisation's issue type (Bug, Feature, Task …).
type ghIssueTypeJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type ghSubIssuesSummaryJSON struct {
	Total            int `json:"total"`
	Completed        int `json:"completed"`
	PercentCompleted int `json:"percent_completed"`
}

type ghDependenciesSummaryJSON struct {
	BlockedBy      int `json:"blocked_by"`
	Blocking       int `json:"blocking"`
	TotalBlockedBy int `json:"total_blocked_by"`
	TotalBlocking  int `json:"total_blocking"`
}

type ghIssueJSON struct {
	URL                      string                     `json:"url"`
	RepositoryURL            string                     `json:"repository_url"`
	CommentsURL              string                     `json:"comments_url"`
	HTMLURL                  string                     `json:"html_url"`
	ID                       int64                      `json:"id"`
	NodeID                   string                     `json:"node_id"`
	Number                   int                        `json:"number"`
	Title                    string                     `json:"title"`
	User                     *ghUserJSON                `json:"user"`
	Labels                   []ghLabelJSON              `json:"labels"`
	State                    string                     `json:"state"`
	StateReason              *string                    `json:"state_reason"`
	Locked                   bool                       `json:"locked"`
	Assignee                 ghAssigneeJSON             `json:"assignee,omitzero"`
	Assignees                []ghUserJSON               `json:"assignees"`
	Milestone                *ghMilestoneJSON           `json:"milestone"`
	Comments                 int                        `json:"comments"`
	CreatedAt                string                     `json:"created_at"`
	UpdatedAt                string                     `json:"updated_at"`
	ClosedAt                 *string                    `json:"closed_at"`
	AuthorAssociation        string                     `json:"author_association"`
	Body                     *string                    `json:"body"`
	Type                     *ghIssueTypeJSON           `json:"type"`
	PullRequest              *ghPullRequestRefJSON      `json:"pull_request,omitempty"`
	ParentIssueURL           *string                    `json:"parent_issue_url,omitempty"`
	SubIssuesSummary         *ghSubIssuesSummaryJSON    `json:"sub_issues_summary,omitempty"`
	IssueDependenciesSummary *ghDependenciesSummaryJSON `json:"issue_dependencies_summary,omitempty"`
}

// ghAssigneeJSON is the deprecated singular assignee: a user or null, and
// no key at all from API version 2026-03-10 on.
type ghAssigneeJSON struct {
	user   *ghUserJSON
	absent bool
}

func (a ghAssigneeJSON) IsZero() bool { return a.absent }

func (a ghAssigneeJSON) MarshalJSON() ([]byte, error) { return json.Marshal(a.user) }

type ghCommentJSON struct {
	URL               string      `json:"url"`
	HTMLURL           string      `json:"html_url"`
	IssueURL          string      `json:"issue_url"`
	ID                int64       `json:"id"`
	NodeID            string      `json:"node_id"`
	User              *ghUserJSON `json:"user"`
	CreatedAt         string      `json:"created_at"`
	UpdatedAt         string      `json:"updated_at"`
	AuthorAssociation string      `json:"author_association"`
	Body              string      `json:"body"`
}

type ghRepoJSON struct {
	ID            int64              `json:"id"`
	NodeID        string             `json:"node_id"`
	Name          string             `json:"name"`
	FullName      string             `json:"full_name"`
	Owner         ghUserJSON         `json:"owner"`
	Private       bool               `json:"private"`
	HTMLURL       string             `json:"html_url"`
	URL           string             `json:"url"`
	Archived      bool               `json:"archived"`
	HasIssues     bool               `json:"has_issues"`
	OpenIssues    int                `json:"open_issues_count"`
	DefaultBranch string             `json:"default_branch"`
	Permissions   *GitHubPermissions `json:"permissions,omitempty"`
}

func ghTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func hash32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

func (g *GitHub) userJSON(login string) *ghUserJSON {
	if login == "" {
		return nil
	}
	id := int64(hash32("user:" + login))
	kind := "User"
	if strings.HasSuffix(login, "[bot]") {
		kind = "Bot" // an App's bot account, as GitHub types it
	}
	return &ghUserJSON{Login: login, ID: id, NodeID: "U_" + strconv.FormatInt(id, 36), Type: kind}
}

func (g *GitHub) repoJSON(r *ghRepo, withPermissions bool) ghRepoJSON {
	open := 0
	for _, is := range r.issues {
		if is.StatusCategory != ladder.StatusDone {
			open++
		}
	}
	out := ghRepoJSON{
		ID: r.id, NodeID: "R_" + strconv.FormatInt(r.id, 36), Name: r.name, FullName: r.fullName(),
		Owner: *g.userJSON(r.owner), HTMLURL: g.base + r.fullName(), URL: g.base + "repos/" + r.fullName(),
		HasIssues: true, OpenIssues: open, DefaultBranch: "main",
	}
	if !withPermissions {
		return out // installation tokens see no permissions object
	}
	perm, ok := g.opts.Permissions[r.fullName()]
	if !ok {
		perm = GitHubPermissions{Push: true, Triage: true, Pull: true}
	}
	out.Permissions = &perm
	return out
}

func (g *GitHub) issueAPIURL(key string) string {
	owner, name, n, _ := parseGitHubKey(key)
	return fmt.Sprintf("%srepos/%s/%s/issues/%d", g.base, owner, name, n)
}

func (g *GitHub) issueHTMLURL(is *ghIssue) string {
	kind := "issues"
	if is.pr {
		kind = "pull"
	}
	if is.URL != "" && !is.pr {
		return is.URL
	}
	return fmt.Sprintf("%s%s/%s/%d", g.base, is.repo.fullName(), kind, is.number)
}

// issueJSON writes an issue as API version version does.
func (g *GitHub) issueJSON(is *ghIssue, version string) ghIssueJSON {
	api := g.issueAPIURL(is.Key)
	out := ghIssueJSON{
		URL: api, RepositoryURL: g.base + "repos/" + is.repo.fullName(), CommentsURL: api + "/comments",
		HTMLURL: g.issueHTMLURL(is), ID: is.id, NodeID: "I_" + strconv.FormatInt(is.id, 36),
		Number: is.number, Title: is.Title, User: g.userJSON(cmp.Or(is.Reporter, "ghost")),
		Labels: []ghLabelJSON{}, State: "open", Assignees: []ghUserJSON{},
		Comments: len(is.comments), CreatedAt: ghTime(is.Created), UpdatedAt: ghTime(is.Updated),
		AuthorAssociation: "MEMBER",
	}
	if body := cmp.Or(is.BodyRaw, is.Body); body != "" {
		out.Body = &body
	}
	for _, l := range is.Labels {
		id := int64(hash32("label:" + is.repo.fullName() + ":" + l))
		out.Labels = append(out.Labels, ghLabelJSON{ID: id, NodeID: "LA_" + strconv.FormatInt(id, 36), Name: l, Color: "ededed"})
	}
	if is.Type != "" && is.Type != "Issue" {
		out.Type = &ghIssueTypeJSON{ID: int64(hash32("type:" + is.Type)), Name: is.Type}
	}
	assignees := g.opts.Assignees[is.Key]
	if _, ok := g.opts.Assignees[is.Key]; !ok && is.Assignee != "" {
		assignees = []string{is.Assignee}
	}
	for _, login := range assignees {
		out.Assignees = append(out.Assignees, *g.userJSON(login))
	}
	// The singular assignee is the first of assignees; API version
	// 2026-03-10 removed it.
	if len(out.Assignees) > 0 {
		out.Assignee.user = &out.Assignees[0]
	}
	out.Assignee.absent = version == ghVersion2026
	if is.Milestone != "" {
		out.Milestone = &ghMilestoneJSON{Number: int(hash32(is.Milestone)%1000) + 1, Title: is.Milestone, State: "open"}
	}
	if is.StatusCategory == ladder.StatusDone {
		out.State = "closed"
		reason := "completed"
		out.StateReason = &reason
		closed := is.Updated
		if is.Resolved != nil {
			closed = *is.Resolved
		}
		c := ghTime(closed)
		out.ClosedAt = &c
	}
	if is.pr {
		html := g.issueHTMLURL(is)
		out.PullRequest = &ghPullRequestRefJSON{
			URL:     fmt.Sprintf("%srepos/%s/pulls/%d", g.base, is.repo.fullName(), is.number),
			HTMLURL: html, DiffURL: html + ".diff", PatchURL: html + ".patch",
		}
		return out
	}
	if g.opts.Flavor == GitHubGHES317 {
		return out // no sub-issues, no dependencies: none of their fields
	}
	if p, ok := g.parent[is.Key]; ok {
		u := g.issueAPIURL(p)
		out.ParentIssueURL = &u
	}
	subs := &ghSubIssuesSummaryJSON{Total: len(g.children[is.Key])}
	for _, k := range g.children[is.Key] {
		if c := g.issues[k]; c != nil && c.StatusCategory == ladder.StatusDone {
			subs.Completed++
		}
	}
	if subs.Total > 0 {
		subs.PercentCompleted = subs.Completed * 100 / subs.Total
	}
	out.SubIssuesSummary = subs
	deps := &ghDependenciesSummaryJSON{
		TotalBlockedBy: len(g.blockedBy[is.Key]), TotalBlocking: len(g.blocking[is.Key]),
		BlockedBy: g.countOpen(g.blockedBy[is.Key]), Blocking: g.countOpen(g.blocking[is.Key]),
	}
	out.IssueDependenciesSummary = deps
	return out
}

func (g *GitHub) countOpen(keys []string) int {
	n := 0
	for _, k := range keys {
		if is := g.issues[k]; is == nil || is.StatusCategory != ladder.StatusDone {
			n++
		}
	}
	return n
}

// stubJSON stands for an issue the sandbox does not hold (another
// repository): enough to name it.
func (g *GitHub) stubJSON(key string) ghIssueJSON {
	owner, name, n, _ := parseGitHubKey(key)
	api := g.issueAPIURL(key)
	return ghIssueJSON{
		URL: api, RepositoryURL: fmt.Sprintf("%srepos/%s/%s", g.base, owner, name), CommentsURL: api + "/comments",
		HTMLURL: fmt.Sprintf("%s%s/%s/issues/%d", g.base, owner, name, n), ID: int64(hash32(key)),
		Number: n, State: "open", Labels: []ghLabelJSON{}, Assignees: []ghUserJSON{},
		CreatedAt: ghTime(time.Unix(0, 0)), UpdatedAt: ghTime(time.Unix(0, 0)),
	}
}

func (g *GitHub) commentJSON(c *ghComment) ghCommentJSON {
	api := g.issueAPIURL(c.issue.Key)
	return ghCommentJSON{
		URL:      fmt.Sprintf("%srepos/%s/issues/comments/%d", g.base, c.issue.repo.fullName(), c.id),
		HTMLURL:  fmt.Sprintf("%s#issuecomment-%d", g.issueHTMLURL(c.issue), c.id),
		IssueURL: api, ID: c.id, NodeID: "IC_" + strconv.FormatInt(c.id, 36),
		User: g.userJSON(c.login), CreatedAt: ghTime(c.created), UpdatedAt: ghTime(c.updated),
		AuthorAssociation: "MEMBER", Body: c.body,
	}
}
