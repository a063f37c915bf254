// Package github is Ladder's connector to GitHub Issues (github.com and
// GitHub Enterprise Server): it pulls issues, sub-issues, issue dependencies
// and comments into a ladder.Sink, incrementally and at the API's minimum
// cost, and writes Ladder's one comment per issue back. GitHub's wire JSON
// stays inside this package; everything leaves as ladder types.
package github

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	gogithub "github.com/google/go-github/v62/github"
	"golang.org/x/oauth2"
)

// Config says which GitHub to talk to and how.
type Config struct {
	// Name is the tracker name from config, used in ladder.Ref.Tracker.
	Name string
	// URL is the API base: "" means https://api.github.com/; GitHub
	// Enterprise Server is https://HOST/api/v3. It is used as given.
	URL string
	// Token is the secret itself (the caller reads it from the environment).
	// It only ever goes into the Authorization header.
	Token string
	// App, instead of Token, authenticates as a GitHub App installation:
	// installation tokens are asked for with the App's JWT and replaced
	// before they expire, and the login is the App's bot, "<slug>[bot]".
	App *App
	// Login is the account Ladder writes as ("acme-ladder[bot]",
	// "github-actions[bot]"), used instead of asking GitHub. Without it (and
	// without LoginSource) the login is learnt from the token: GET /user, or
	// for a GitHub App installation token, which GET /user refuses, GraphQL's
	// viewer.
	Login string
	// LoginSource, when set and Login is not, supplies the login instead of
	// the token (GitHub App authentication knows it as "<slug>[bot]").
	LoginSource func(ctx context.Context) (string, error)
	// APIVersion is sent as X-GitHub-Api-Version; default 2022-11-28, the
	// version every supported GitHub Enterprise Server knows and what GitHub
	// answers when a request names none.
	APIVersion string
	// Repos are owner/repo names; Orgs add every repository of each org.
	Repos []string
	Orgs  []string
	// HTTPClient is the base transport (tests, proxies); the token and the
	// retry logic wrap it. Its Timeout, if set, bounds each attempt.
	HTTPClient *http.Client
	Logger     *slog.Logger
	// WriteSpacing is the least time between two writes; default 1s, as
	// GitHub asks of integrations to stay clear of secondary limits.
	WriteSpacing time.Duration
	// MaxRetries bounds retries of 5xx answers, timeouts and truncated
	// bodies (exponential backoff from 1s); default 4, negative means none.
	MaxRetries int
	// Sleep waits d or until ctx is done; default a real timer. Tests
	// inject one that does not wait.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock for write spacing and rate-limit pauses; default time.Now.
	Now func() time.Time
}

// Client talks to one GitHub (or GitHub Enterprise) API for one tracker.
type Client struct {
	cfg   Config
	gh    *gogithub.Client
	hc    *http.Client
	tr    *transport
	app   *appAuth // nil with a token
	log   *slog.Logger
	repos []string

	mu    sync.Mutex
	login string
	// rels is what this GitHub has shown of each relation endpoint.
	rels map[string]*relationState
	// totals is each repository listing's estimated size (ListingTotal).
	totals map[string]int

	writeMu   sync.Mutex
	lastWrite time.Time
}

const (
	defaultAttemptTimeout = 60 * time.Second
	perPage               = 100
	defaultAPIVersion     = "2022-11-28"
)

// New checks cfg and builds a client; it makes no request.
func New(cfg Config) (*Client, error) {
	if cfg.Name == "" {
		cfg.Name = "github"
	}
	switch {
	case cfg.Token != "" && cfg.App != nil:
		return nil, fmt.Errorf("github tracker %q: a token and a GitHub App: give one", cfg.Name)
	case cfg.Token == "" && cfg.App == nil:
		return nil, fmt.Errorf("github tracker %q: no token: set the env var named by token_env", cfg.Name)
	}
	if len(cfg.Repos) == 0 && len(cfg.Orgs) == 0 {
		return nil, fmt.Errorf("github tracker %q: no repos and no orgs to sync", cfg.Name)
	}
	var repos []string
	for _, r := range cfg.Repos {
		owner, name, ok := strings.Cut(r, "/")
		if !ok || owner == "" || name == "" || strings.ContainsAny(name, "/# ") {
			return nil, fmt.Errorf("github tracker %q: repo %q: want owner/repo", cfg.Name, r)
		}
		if !containsFold(repos, r) {
			repos = append(repos, r)
		}
	}
	for _, o := range cfg.Orgs {
		if o == "" || strings.ContainsAny(o, "/# ") {
			return nil, fmt.Errorf("github tracker %q: org %q: want an organisation login", cfg.Name, o)
		}
	}
	base, err := apiBase(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("github tracker %q: url %q: %w", cfg.Name, cfg.URL, err)
	}
	if cfg.WriteSpacing <= 0 {
		cfg.WriteSpacing = time.Second
	}
	cfg.Login = strings.TrimSpace(cfg.Login)
	if strings.ContainsAny(cfg.Login, "/# @") {
		return nil, fmt.Errorf("github tracker %q: login %q: want an account login such as acme-ladder[bot], without @", cfg.Name, cfg.Login)
	}
	if cfg.APIVersion == "" {
		cfg.APIVersion = defaultAPIVersion
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = 4
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}

	var baseRT http.RoundTripper = http.DefaultTransport
	timeout := defaultAttemptTimeout
	if cfg.HTTPClient != nil {
		if cfg.HTTPClient.Transport != nil {
			baseRT = cfg.HTTPClient.Transport
		}
		if cfg.HTTPClient.Timeout > 0 {
			timeout = cfg.HTTPClient.Timeout
		}
	}
	var auth http.RoundTripper = &oauth2.Transport{Source: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: cfg.Token}), Base: baseRT}
	var app *appAuth
	if cfg.App != nil {
		if app, err = newAppAuth(*cfg.App, baseRT, base, cfg.Now, log); err != nil {
			return nil, fmt.Errorf("github tracker %q: %w", cfg.Name, err)
		}
		auth = app
	}
	// Retries and rate-limit waits sit above the authentication, so every
	// attempt carries a token good at the time it is sent.
	tr := &transport{
		next:  auth,
		sleep: cfg.Sleep, now: cfg.Now, log: log,
		maxRetries: cfg.MaxRetries, timeout: timeout, remaining: -1,
	}
	hc := &http.Client{Transport: tr}
	gh := gogithub.NewClient(hc)
	gh.BaseURL = base
	return &Client{cfg: cfg, gh: gh, hc: hc, tr: tr, app: app, log: log, repos: repos, rels: map[string]*relationState{}}, nil
}

// apiBase reads the configured API URL; go-github needs the trailing slash.
func apiBase(raw string) (*url.URL, error) {
	if raw == "" {
		raw = "https://api.github.com/"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, errors.New("want an http(s) URL such as https://api.github.com or https://HOST/api/v3")
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// errTokenRejected is a 401 (or a GitHub App's refused token request):
// nothing else will work, so it stops everything, without retries.
type errTokenRejected struct {
	message string
	// status defaults to 401; hint says what to check, by default token_env.
	status int
	hint   string
}

func (e errTokenRejected) Error() string {
	return fmt.Sprintf("token rejected (%d %s): %s", cmp.Or(e.status, http.StatusUnauthorized), e.message,
		cmp.Or(e.hint, "check the env var named by token_env"))
}

// wrap names the tracker and the operation once; a rejected token needs no
// operation to be understood.
func (c *Client) wrap(op string, err error) error {
	var tr errTokenRejected
	if errors.As(err, &tr) {
		return fmt.Errorf("github tracker %q: %w", c.cfg.Name, tr)
	}
	return fmt.Errorf("github tracker %q: %s: %w", c.cfg.Name, op, err)
}

// response is what the callers of send need from an answer.
type response struct {
	status      int
	etag        string
	next        string // rel="next" of the Link header; "" on the last page
	notModified bool
	date        time.Time // the server's Date header; zero when absent
	header      http.Header
}

// send makes one API request and decodes a 2xx body into v. A non-empty
// etag makes it conditional; a 304 comes back as notModified with v untouched.
// Every request names the API version it was written against
// (X-GitHub-Api-Version), so a change of GitHub's default cannot change the
// shapes read here.
//
// A GET whose 2xx body is not JSON at all (a proxy's page, a body cut short
// without an error) is retried like a truncated body; a body that is JSON of
// the wrong shape is not, as asking again would get the same.
//
// It sends through c.hc and maps errors with go-github's CheckResponse
// instead of calling (*gogithub.Client).Do: Do keeps its own wall-clock view
// of the rate limit and refuses requests without sending them, which would
// bypass the transport that waits limits out (logged, counted in
// SyncStats.Waited, on the injectable Sleep).
func (c *Client) send(ctx context.Context, method, u string, body any, etag string, v any) (response, error) {
	for retries := 0; ; retries++ {
		out, data, req, err := c.sendOnce(ctx, method, u, body, etag, v != nil)
		if err != nil || v == nil || out.notModified {
			return out, err
		}
		err = json.Unmarshal(data, v)
		if err == nil {
			return out, nil
		}
		var syntax *json.SyntaxError
		if method == http.MethodGet && (errors.As(err, &syntax) || errors.Is(err, io.ErrUnexpectedEOF)) && retries < c.cfg.MaxRetries {
			if err := c.tr.wait(ctx, req, backoff(retries+1), "retry after a body that is not JSON", "err", err.Error()); err != nil {
				return out, err
			}
			continue
		}
		return out, fmt.Errorf("%s %s: decode response: %w", method, req.URL.Path, err)
	}
}

func (c *Client) sendOnce(ctx context.Context, method, u string, body any, etag string, read bool) (response, []byte, *http.Request, error) {
	req, err := c.gh.NewRequest(method, u, body)
	if err != nil {
		return response{}, nil, nil, err
	}
	// Link headers carry absolute URLs; the token goes only to our API host.
	if req.URL.Host != c.gh.BaseURL.Host || req.URL.Scheme != c.gh.BaseURL.Scheme {
		return response{}, nil, req, fmt.Errorf("refusing to send the token to %s://%s (API is %s)", req.URL.Scheme, req.URL.Host, c.gh.BaseURL.Host)
	}
	req.Header.Set("X-GitHub-Api-Version", c.cfg.APIVersion)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := c.hc.Do(req.WithContext(ctx))
	if err != nil {
		if ctx.Err() != nil {
			return response{}, nil, req, ctx.Err()
		}
		return response{}, nil, req, err
	}
	defer resp.Body.Close()
	out := response{status: resp.StatusCode, etag: resp.Header.Get("ETag"), next: nextLink(resp.Header.Get("Link")), header: resp.Header}
	out.date, _ = http.ParseTime(resp.Header.Get("Date"))
	if resp.StatusCode == http.StatusNotModified {
		out.notModified = true
		return out, nil, req, nil
	}
	if err := gogithub.CheckResponse(resp); err != nil {
		var er *gogithub.ErrorResponse
		switch {
		case resp.StatusCode == http.StatusUnauthorized && errors.As(err, &er):
			rejected := errTokenRejected{message: cmp.Or(er.Message, "Unauthorized")}
			if c.app != nil {
				rejected.hint = c.app.describe() + ": check the app: block's id, installation_id and private key"
			}
			return out, nil, req, rejected
		case resp.StatusCode >= 500 && method != http.MethodPost:
			return out, nil, req, fmt.Errorf("%w (gave up after %d retries)", err, c.cfg.MaxRetries)
		}
		return out, nil, req, err
	}
	if !read {
		return out, nil, req, nil
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return out, nil, req, fmt.Errorf("%s %s: read body: %w", method, req.URL.Path, err)
	}
	return out, data, req, nil
}

// statusOf is the HTTP status of an API error, 0 when err is not one.
func statusOf(err error) int {
	var er *gogithub.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}

// nextLink returns the rel="next" URL of a Link header. GitHub omits it on
// the last page.
func nextLink(header string) string {
	for _, part := range strings.Split(header, ",") {
		target, params, ok := strings.Cut(strings.TrimSpace(part), ";")
		if !ok {
			continue
		}
		for _, p := range strings.Split(params, ";") {
			if strings.TrimSpace(p) == `rel="next"` {
				return strings.Trim(strings.TrimSpace(target), "<>")
			}
		}
	}
	return ""
}

// Login returns the account Ladder writes as, learnt once: the configured
// login, else the LoginSource, else the token's own account. Ladder edits
// only comments written by this account, so it must be right: FindComment
// and CreateComment refuse to work without it.
func (c *Client) Login(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.login != "" {
		return c.login, nil
	}
	var login string
	var err error
	switch {
	case c.cfg.Login != "":
		login = c.cfg.Login
	case c.cfg.LoginSource != nil:
		if login, err = c.cfg.LoginSource(ctx); err != nil {
			return "", c.wrap("learn the account Ladder writes as", err)
		}
	case c.app != nil:
		if login, err = c.appLogin(ctx); err != nil {
			return "", c.wrap("learn the GitHub App's bot account", err)
		}
	default:
		if login, err = c.tokenLogin(ctx); err != nil {
			return "", err
		}
	}
	if login == "" {
		return "", c.wrap("learn the account Ladder writes as", errors.New("no login"))
	}
	c.login = login
	return login, nil
}

// installation reports whether the client writes with installation tokens:
// as a GitHub App, or with an installation token given as the token.
func (c *Client) installation() bool { return c.app != nil || installationToken(c.cfg.Token) }

// installationToken reports whether token is a GitHub App installation
// token (Actions' GITHUB_TOKEN is one): GitHub gives them the ghs_ prefix.
func installationToken(token string) bool { return strings.HasPrefix(token, "ghs_") }

// errNoLogin says the token's account could not be learnt and what to set.
type errNoLogin struct{ why string }

func (e errNoLogin) Error() string {
	return "cannot tell which account this token writes as (" + e.why + `): set login: on the tracker to the account Ladder comments as, e.g. login: "acme-ladder[bot]" for a GitHub App, or login: "github-actions[bot]" for GitHub Actions' GITHUB_TOKEN`
}

// tokenLogin asks GitHub whose token this is. GET /user answers for personal
// and OAuth tokens; GitHub App installation tokens are refused there (403
// "Resource not accessible by integration": the endpoint is not open to
// server-to-server tokens), so for them, recognised by their prefix or by
// that refusal, it asks GraphQL's viewer, which every kind of token may
// read and which names an installation's bot account ("<slug>[bot]").
func (c *Client) tokenLogin(ctx context.Context) (string, error) {
	if !installationToken(c.cfg.Token) {
		var u gogithub.User
		_, err := c.send(ctx, http.MethodGet, "user", nil, "", &u)
		switch {
		case err == nil && u.GetLogin() != "":
			return u.GetLogin(), nil
		case err == nil:
			return "", c.wrap("get the token's user", errors.New("GET /user answered no login"))
		case !refusedToIntegration(err):
			return "", c.wrap("get the token's user", err)
		}
	}
	login, err := c.viewerLogin(ctx)
	if err != nil {
		var tr errTokenRejected
		if errors.As(err, &tr) {
			return "", c.wrap("", err)
		}
		return "", c.wrap("learn the account Ladder writes as", errNoLogin{why: "a GitHub App installation token, which GET /user refuses, and GraphQL's viewer failed: " + err.Error()})
	}
	return login, nil
}

// refusedToIntegration recognises GitHub's answer to an installation token
// on an endpoint not open to it.
func refusedToIntegration(err error) bool {
	var er *gogithub.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusForbidden &&
		strings.Contains(er.Message, "Resource not accessible by integration")
}

// viewerLogin asks GraphQL for the token's account: { viewer { login } }.
// GraphQL lives at /graphql on github.com and at /api/graphql on
// Enterprise Server, beside /api/v3; it reports errors with status 200.
func (c *Client) viewerLogin(ctx context.Context) (string, error) {
	u := *c.gh.BaseURL
	if strings.HasSuffix(u.Path, "/api/v3/") {
		u.Path = strings.TrimSuffix(u.Path, "v3/") + "graphql"
	} else {
		u.Path += "graphql"
	}
	var out struct {
		Data struct {
			Viewer struct {
				Login string `json:"login"`
			} `json:"viewer"`
		} `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if _, err := c.send(ctx, http.MethodPost, u.String(), map[string]string{"query": "query { viewer { login } }"}, "", &out); err != nil {
		return "", err
	}
	if len(out.Errors) > 0 {
		return "", fmt.Errorf("GraphQL: %s", out.Errors[0].Message)
	}
	if out.Data.Viewer.Login == "" {
		return "", errors.New("GraphQL viewer has no login")
	}
	return out.Data.Viewer.Login, nil
}

// Validate checks that the token is accepted, that Ladder knows which
// account it writes as, that each repository and org is visible to it and
// that Ladder may comment on the repositories' issues. Every problem found
// is reported, not just the first.
func (c *Client) Validate(ctx context.Context) error {
	var problems []string
	who := "the token"
	login, err := c.Login(ctx)
	var tr errTokenRejected
	switch {
	case errors.As(err, &tr):
		return err
	case err != nil:
		problems = append(problems, strings.TrimPrefix(err.Error(), fmt.Sprintf("github tracker %q: ", c.cfg.Name)))
	default:
		who = login + "'s token"
		if p := c.checkLogin(ctx, login); p != "" {
			problems = append(problems, p)
		}
	}
	var notInstalled []string
	if c.app != nil {
		who = c.app.describe()
		// The installation's own list says which repositories it was
		// given; GET /repos/{o}/{r} answers 404 alike for a repository that
		// does not exist and one the App is not installed on.
		installed, err := c.installationRepos(ctx)
		if err != nil {
			return c.wrap("list the installation's repositories", err)
		}
		for _, full := range c.repos {
			if !containsFold(installed, full) {
				notInstalled = append(notInstalled, full)
				problems = append(problems, fmt.Sprintf("repo %s: not in %s (%d repositories): add it to the installation's repository access, with Issues: read and write", full, who, len(installed)))
			}
		}
	}
	scopesChecked := false
	for _, full := range c.repos {
		if containsFold(notInstalled, full) {
			continue // said already, and GitHub would only answer 404
		}
		var repo gogithub.Repository
		res, err := c.send(ctx, http.MethodGet, "repos/"+full, nil, "", &repo)
		if err == nil && !scopesChecked {
			scopesChecked = true
			if p := scopeProblem(c.cfg.Token, res.header); p != "" {
				problems = append(problems, p)
			}
		}
		switch {
		case statusOf(err) == http.StatusNotFound && c.installation():
			problems = append(problems, fmt.Sprintf("repo %s: not found, or the GitHub App is not installed on it (it needs Issues: read and write)", full))
			continue
		case statusOf(err) == http.StatusNotFound:
			problems = append(problems, fmt.Sprintf("repo %s: not found, or not visible to %s (a private repo needs the repo scope or a fine-grained token with Issues access)", full, who))
			continue
		case err != nil:
			return c.wrap("validate repo "+full, err)
		}
		problems = append(problems, repoProblems(full, who, &repo)...)
	}
	for _, org := range c.cfg.Orgs {
		_, err := c.send(ctx, http.MethodGet, "orgs/"+org+"/repos?per_page=1", nil, "", &[]gogithub.Repository{})
		switch {
		case statusOf(err) == http.StatusNotFound:
			problems = append(problems, fmt.Sprintf("org %s: not found, or not visible to %s", org, who))
		case err != nil:
			return c.wrap("validate org "+org, err)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("github tracker %q: %s", c.cfg.Name, strings.Join(problems, "; "))
	}
	if c.app != nil {
		c.log.Info("github: authenticated as a GitHub App", "app", c.cfg.App.ID, "installation", c.cfg.App.InstallationID, "login", login, "repos", len(c.repos), "orgs", len(c.cfg.Orgs))
		return nil
	}
	c.log.Info("github: token accepted", "login", login, "repos", len(c.repos), "orgs", len(c.cfg.Orgs))
	return nil
}

// Identity says for people how the client authenticates, once Login has
// been learnt: "GitHub App 123 installation 456 as acme-ladder[bot]", or
// "token of alice".
func (c *Client) Identity() string {
	c.mu.Lock()
	login := c.login
	c.mu.Unlock()
	if c.app != nil {
		if login == "" {
			return c.app.describe()
		}
		return c.app.describe() + " as " + login
	}
	if login == "" {
		return "token"
	}
	return "token of " + login
}

// checkLogin compares a configured login with the token's own account,
// when GitHub can say: a wrong login: would make Ladder blind to its own
// comments and post a new one on every run.
func (c *Client) checkLogin(ctx context.Context, login string) string {
	if c.cfg.Login == "" {
		return ""
	}
	var actual string
	var err error
	if c.app != nil {
		actual, err = c.appLogin(ctx)
	} else {
		actual, err = c.tokenLogin(ctx)
	}
	if err != nil {
		c.log.Info("github: could not check login: against the token's account", "login", login, "err", err)
		return ""
	}
	if !strings.EqualFold(actual, login) {
		return fmt.Sprintf("login: is %q but the token writes as %q, so Ladder would not recognise its own comments: set login: %q", login, actual, actual)
	}
	return ""
}

// scopeProblem reads the X-OAuth-Scopes GitHub sends with a classic
// personal access token (ghp_) or OAuth token (gho_): without repo or
// public_repo such a token still reads public repositories, so the sync
// works, but it cannot comment on anything.
func scopeProblem(token string, h http.Header) string {
	if !strings.HasPrefix(token, "ghp_") && !strings.HasPrefix(token, "gho_") || h == nil {
		return ""
	}
	values, ok := h[http.CanonicalHeaderKey("X-OAuth-Scopes")]
	if !ok {
		return ""
	}
	var scopes []string
	for _, v := range values {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				scopes = append(scopes, s)
			}
		}
	}
	for _, s := range scopes {
		if s == "repo" || s == "public_repo" {
			return ""
		}
	}
	have := "none"
	if len(scopes) > 0 {
		have = strings.Join(scopes, ", ")
	}
	return fmt.Sprintf("the classic token has neither the repo nor the public_repo scope (it has: %s), so it can read public issues but not comment: give it public_repo (public repositories) or repo", have)
}

// repoProblems reads what GET /repos/{o}/{r} says about reading and
// commenting. Anyone who can read a repository's issues can comment on them,
// so pull is enough; issues switched off or an archived repository are not.
//
// Installation tokens get no permissions object (what an App may do is set
// on its installation, not per repository), so nothing is concluded from its
// absence.
func repoProblems(full, who string, r *gogithub.Repository) []string {
	var out []string
	if r.Permissions != nil && !r.Permissions["pull"] {
		out = append(out, fmt.Sprintf("repo %s: %s has no read (pull) permission, so it can neither read nor comment on issues", full, who))
	}
	if r.HasIssues != nil && !*r.HasIssues {
		out = append(out, fmt.Sprintf("repo %s: issues are switched off for this repository", full))
	}
	if r.GetArchived() {
		out = append(out, fmt.Sprintf("repo %s: archived, so comments cannot be written (sync still works)", full))
	}
	return out
}

// splitKey reads owner/repo#N.
func splitKey(key string) (repo string, number int, err error) {
	repo, num, ok := strings.Cut(key, "#")
	owner, name, ok2 := strings.Cut(repo, "/")
	n, err := strconv.Atoi(num)
	if !ok || !ok2 || owner == "" || name == "" || err != nil || n <= 0 {
		return "", 0, fmt.Errorf("issue key %q: want owner/repo#N", key)
	}
	return repo, n, nil
}

func containsFold(xs []string, s string) bool {
	for _, x := range xs {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
