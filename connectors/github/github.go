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
	log   *slog.Logger
	repos []string

	mu    sync.Mutex
	login string

	writeMu   sync.Mutex
	lastWrite time.Time
}

const (
	defaultAttemptTimeout = 60 * time.Second
	perPage               = 100
)

// New checks cfg and builds a client; it makes no request.
func New(cfg Config) (*Client, error) {
	if cfg.Name == "" {
		cfg.Name = "github"
	}
	if cfg.Token == "" {
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
	tr := &transport{
		next:  &oauth2.Transport{Source: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: cfg.Token}), Base: baseRT},
		sleep: cfg.Sleep, now: cfg.Now, log: log,
		maxRetries: cfg.MaxRetries, timeout: timeout, remaining: -1,
	}
	hc := &http.Client{Transport: tr}
	gh := gogithub.NewClient(hc)
	gh.BaseURL = base
	return &Client{cfg: cfg, gh: gh, hc: hc, tr: tr, log: log, repos: repos}, nil
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

// errTokenRejected is a 401: nothing else will work, so it stops everything.
type errTokenRejected struct{ message string }

func (e errTokenRejected) Error() string {
	return fmt.Sprintf("token rejected (401 %s): check the env var named by token_env", e.message)
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
}

// send makes one API request and decodes a 2xx body into v. A non-empty
// etag makes it conditional; a 304 comes back as notModified with v untouched.
//
// It sends through c.hc and maps errors with go-github's CheckResponse
// instead of calling (*gogithub.Client).Do: Do keeps its own wall-clock view
// of the rate limit and refuses requests without sending them, which would
// bypass the transport that waits limits out (logged, counted in
// SyncStats.Waited, on the injectable Sleep).
func (c *Client) send(ctx context.Context, method, u string, body any, etag string, v any) (response, error) {
	req, err := c.gh.NewRequest(method, u, body)
	if err != nil {
		return response{}, err
	}
	// Link headers carry absolute URLs; the token goes only to our API host.
	if req.URL.Host != c.gh.BaseURL.Host || req.URL.Scheme != c.gh.BaseURL.Scheme {
		return response{}, fmt.Errorf("refusing to send the token to %s://%s (API is %s)", req.URL.Scheme, req.URL.Host, c.gh.BaseURL.Host)
	}
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := c.hc.Do(req.WithContext(ctx))
	if err != nil {
		if ctx.Err() != nil {
			return response{}, ctx.Err()
		}
		return response{}, err
	}
	defer resp.Body.Close()
	out := response{status: resp.StatusCode, etag: resp.Header.Get("ETag"), next: nextLink(resp.Header.Get("Link"))}
	out.date, _ = http.ParseTime(resp.Header.Get("Date"))
	if resp.StatusCode == http.StatusNotModified {
		out.notModified = true
		return out, nil
	}
	if err := gogithub.CheckResponse(resp); err != nil {
		var er *gogithub.ErrorResponse
		switch {
		case resp.StatusCode == http.StatusUnauthorized && errors.As(err, &er):
			return out, errTokenRejected{message: cmp.Or(er.Message, "Unauthorized")}
		case resp.StatusCode >= 500 && method != http.MethodPost:
			return out, fmt.Errorf("%w (gave up after %d retries)", err, c.cfg.MaxRetries)
		}
		return out, err
	}
	if v == nil {
		return out, nil
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return out, fmt.Errorf("%s %s: read body: %w", method, req.URL.Path, err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return out, fmt.Errorf("%s %s: decode response: %w", method, req.URL.Path, err)
	}
	return out, nil
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

// Login returns the login of the token's owner (GET /user), asked once.
func (c *Client) Login(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.login != "" {
		return c.login, nil
	}
	var u gogithub.User
	if _, err := c.send(ctx, http.MethodGet, "user", nil, "", &u); err != nil {
		return "", c.wrap("get the token's user", err)
	}
	if u.GetLogin() == "" {
		return "", c.wrap("get the token's user", errors.New("GET /user answered no login"))
	}
	c.login = u.GetLogin()
	return c.login, nil
}

// Validate checks that the token is accepted, that each repository and org
// is visible to it and that Ladder may comment on the repositories' issues.
// Every problem found is reported, not just the first.
func (c *Client) Validate(ctx context.Context) error {
	login, err := c.Login(ctx)
	if err != nil {
		return err
	}
	var problems []string
	for _, full := range c.repos {
		var repo gogithub.Repository
		_, err := c.send(ctx, http.MethodGet, "repos/"+full, nil, "", &repo)
		var er *gogithub.ErrorResponse
		switch {
		case errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound:
			problems = append(problems, fmt.Sprintf("repo %s: not found, or not visible to %s's token (a private repo needs the repo scope or a fine-grained token with Issues access)", full, login))
			continue
		case err != nil:
			return c.wrap("validate repo "+full, err)
		}
		problems = append(problems, repoProblems(full, login, &repo)...)
	}
	for _, org := range c.cfg.Orgs {
		_, err := c.send(ctx, http.MethodGet, "orgs/"+org+"/repos?per_page=1", nil, "", &[]gogithub.Repository{})
		var er *gogithub.ErrorResponse
		switch {
		case errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound:
			problems = append(problems, fmt.Sprintf("org %s: not found, or not visible to %s's token", org, login))
		case err != nil:
			return c.wrap("validate org "+org, err)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("github tracker %q: %s", c.cfg.Name, strings.Join(problems, "; "))
	}
	c.log.Info("github: token accepted", "login", login, "repos", len(c.repos), "orgs", len(c.cfg.Orgs))
	return nil
}

// repoProblems reads what GET /repos/{o}/{r} says about reading and
// commenting. Anyone who can read a repository's issues can comment on them,
// so pull is enough; issues switched off or an archived repository are not.
func repoProblems(full, login string, r *gogithub.Repository) []string {
	var out []string
	if r.Permissions != nil && !r.Permissions["pull"] {
		out = append(out, fmt.Sprintf("repo %s: %s's token has no read (pull) permission, so it can neither read nor comment on issues", full, login))
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
