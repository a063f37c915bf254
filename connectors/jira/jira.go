// Package jira pulls issues from Jira Cloud and Jira Data Center into a
// ladder.Sink and keeps Ladder's one comment per issue up to date. It owns
// everything Jira-specific: the two search APIs and their paging, the
// site-specific custom fields (story points, Epic Link) and link type names,
// wiki markup, and the comment property that marks Ladder's own comment.
//
// go-jira supplies the auth transports, request building and a few types; the
// search and comment calls are made with go-jira's NewRequestWithContext + Do
// into this package's own structs, because go-jira v1.17.0's SearchV2JQL drops
// nextPageToken and its Issue type cannot carry site-specific custom fields.
package jira

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	gojira "github.com/andygrunwald/go-jira"
)

// Config says which Jira site to read and how.
type Config struct {
	Name       string // tracker name from config; used in Refs
	URL        string
	Deployment string // "cloud" | "datacenter"
	// User is the Cloud account email (Basic auth with Token); empty on Data
	// Center, where Token is a personal access token sent as a bearer.
	User string
	// Token is the API token (Cloud) or PAT (Data Center). It is never logged
	// and never appears in errors.
	Token string
	// JQL bounds what is synced, e.g. "project in (PAY, PLAT)". Any ORDER BY
	// in it is replaced by the connector's own order.
	JQL string
	// StoryPointsField is "auto" (discover by field name) or a field id such
	// as customfield_10016.
	StoryPointsField string
	// LinkKinds overrides the link type mapping: a link type name (the kind
	// of its outward side; the inward side gets the inverse) or an
	// inward/outward phrase (the kind as read) → ladder.LinkKind.
	LinkKinds map[string]string
	// Overlap re-reads this much before the cursor on incremental syncs,
	// because Jira search is eventually consistent. Default 10m.
	Overlap time.Duration
	// PageSize is the maxResults asked for. Default 100.
	PageSize   int
	HTTPClient *http.Client
	Logger     *slog.Logger
	// MaxRetries bounds retries of one request on 429, 5xx, timeouts and
	// truncated bodies. Default 4.
	MaxRetries int
	// Sleep waits out rate limits and backoff; tests inject it. Default a
	// context-aware timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the client's clock, for spacing writes and for rate-limit
	// instants when a response carries no Date. Default time.Now.
	Now func() time.Time
	// MaxWait caps one wait for a rate limit, whatever the server asks:
	// a nightly run should not sleep for hours on a single request.
	// Default 15m.
	MaxWait time.Duration
	// SearchWindow is how deep Data Center's offset-paged search can go in
	// one query (jira.search.platform.max.result.window, default 10,000).
	// Past it the listing starts again from the last created date it read.
	// A site with a smaller window is recognised by its "Search limit
	// exceeded" answer, so this rarely needs setting.
	SearchWindow int
	// WriteSpacing is the least time between two writes. Default 500ms.
	WriteSpacing time.Duration
}

// Client talks to one Jira site.
type Client struct {
	cfg   Config
	api   *gojira.Client
	cloud bool
	log   *slog.Logger
	kinds linkKinds

	mu       sync.Mutex
	meta     *siteMeta
	me       string
	requests int
	waited   time.Duration
	// total is the running listing's size, for ListingTotal.
	total int
	// window is the Data Center search window in force: SearchWindow, or
	// less once the site said so.
	window int
	// noCommentList is set once the site answered 404 to POST comment/list.
	noCommentList bool
	// loudEdits is set once the site refused notifyUsers=false on a comment
	// edit; later edits go without it.
	loudEdits bool
	// propertiesOnCreate records what the first create showed of the site:
	// propertiesKept when it stored the property sent with the comment,
	// propertiesDropped when it had to be set afterwards. Later creates
	// then skip the check (one request per comment on a big first publish).
	propertiesOnCreate propertiesSeen
	// date is the server's Date header on the last 2xx answer.
	date time.Time

	writeMu   sync.Mutex
	lastWrite time.Time
}

// New checks cfg and builds a client; it makes no request.
func New(cfg Config) (*Client, error) {
	if cfg.Name == "" {
		cfg.Name = "jira"
	}
	if cfg.URL == "" {
		return nil, fmt.Errorf("jira %q: url is required", cfg.Name)
	}
	switch cfg.Deployment {
	case "":
		cfg.Deployment = "cloud"
	case "cloud", "datacenter":
	default:
		return nil, fmt.Errorf("jira %q: deployment %q: want cloud or datacenter", cfg.Name, cfg.Deployment)
	}
	cloud := cfg.Deployment == "cloud"
	if cfg.Token == "" {
		return nil, fmt.Errorf("jira %q: no API token", cfg.Name)
	}
	if cloud && cfg.User == "" {
		return nil, fmt.Errorf("jira %q: Jira Cloud needs the account email (user_env) with the API token", cfg.Name)
	}
	jql, err := boundJQL(cfg.JQL)
	if err != nil {
		return nil, fmt.Errorf("jira %q: %w", cfg.Name, err)
	}
	cfg.JQL = jql
	if cfg.StoryPointsField == "" {
		cfg.StoryPointsField = "auto"
	}
	if cfg.Overlap <= 0 {
		cfg.Overlap = 10 * time.Minute
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 100
	}
	if cfg.MaxRetries <= 0 {
		cfg.MaxRetries = 4
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepCtx
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = 15 * time.Minute
	}
	if cfg.SearchWindow <= 0 {
		cfg.SearchWindow = 10000
	}
	if cfg.WriteSpacing == 0 {
		cfg.WriteSpacing = 500 * time.Millisecond
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	kinds, err := newLinkKinds(cfg.LinkKinds)
	if err != nil {
		return nil, fmt.Errorf("jira %q: %w", cfg.Name, err)
	}
	base := http.DefaultTransport
	if cfg.HTTPClient != nil && cfg.HTTPClient.Transport != nil {
		base = cfg.HTTPClient.Transport
	}
	var rt http.RoundTripper
	if cloud {
		rt = &gojira.BasicAuthTransport{Username: cfg.User, Password: cfg.Token, Transport: base}
	} else {
		rt = &gojira.PATAuthTransport{Token: cfg.Token, Transport: base}
	}
	hc := &http.Client{Transport: rt, Timeout: 60 * time.Second}
	if cfg.HTTPClient != nil {
		hc.Timeout = cfg.HTTPClient.Timeout
		hc.CheckRedirect = cfg.HTTPClient.CheckRedirect
	}
	api, err := gojira.NewClient(hc, strings.TrimRight(cfg.URL, "/")+"/")
	if err != nil {
		return nil, fmt.Errorf("jira %q: url %q: %w", cfg.Name, cfg.URL, err)
	}
	return &Client{cfg: cfg, api: api, cloud: cloud, log: log.With("tracker", cfg.Name), kinds: kinds, window: cfg.SearchWindow}, nil
}

// boundJQL checks that jql restricts the search and strips its ORDER BY:
// Cloud rejects unbounded queries, and paging needs the connector's own order.
func boundJQL(jql string) (string, error) {
	where := strings.TrimSpace(jql)
	if i := orderByIndex(where); i >= 0 {
		where = strings.TrimSpace(where[:i])
	}
	if where == "" {
		return "", fmt.Errorf("jql %q: must restrict the search, e.g. project in (PAY, PLAT)", jql)
	}
	return where, nil
}

// orderByIndex finds ORDER BY outside quotes, case-insensitively.
func orderByIndex(s string) int {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case (c == 'o' || c == 'O') && (i == 0 || s[i-1] == ' ' || s[i-1] == ')'):
			rest := strings.ToLower(s[i:])
			if strings.HasPrefix(rest, "order") {
				after := strings.TrimLeft(rest[5:], " \t\n")
				if len(after) < len(rest[5:]) && strings.HasPrefix(after, "by") {
					return i
				}
			}
		}
	}
	return -1
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Me returns the token owner: the accountId on Cloud, the user name on Data
// Center. Ladder's own comments are recognised by it.
func (c *Client) Me(ctx context.Context) (string, error) {
	c.mu.Lock()
	me := c.me
	c.mu.Unlock()
	if me != "" {
		return me, nil
	}
	var u gojira.User
	if err := c.get(ctx, "rest/api/2/myself", &u); err != nil {
		return "", fmt.Errorf("jira %q: who am I: %w", c.cfg.Name, err)
	}
	me = u.AccountID
	if !c.cloud || me == "" {
		me = u.Name
	}
	if me == "" {
		return "", fmt.Errorf("jira %q: who am I: the response names no account", c.cfg.Name)
	}
	c.mu.Lock()
	c.me = me
	c.mu.Unlock()
	return me, nil
}

// Validate checks that the token is accepted, the JQL is, and the token owner
// may comment.
func (c *Client) Validate(ctx context.Context) error {
	if _, err := c.Me(ctx); err != nil {
		return err
	}
	if _, err := c.searchPage(ctx, c.cfg.JQL, []string{"id"}, 1, 0, ""); err != nil {
		return fmt.Errorf("jira %q: search %q: %w", c.cfg.Name, c.cfg.JQL, err)
	}
	var perms struct {
		Permissions map[string]struct {
			HavePermission bool `json:"havePermission"`
		} `json:"permissions"`
	}
	if err := c.get(ctx, "rest/api/2/mypermissions?permissions=ADD_COMMENTS", &perms); err != nil {
		return fmt.Errorf("jira %q: permissions: %w", c.cfg.Name, err)
	}
	if !perms.Permissions["ADD_COMMENTS"].HavePermission {
		return fmt.Errorf("jira %q: the token's account may not add comments (ADD_COMMENTS); grant it in the projects' permission scheme or keep writeback dry_run", c.cfg.Name)
	}
	return nil
}

// siteMeta is what the connector learns about a site once per client.
type siteMeta struct {
	// storyPoints are candidate field ids in preference order: sites often
	// carry both "Story point estimate" and a classic "Story Points", and only
	// one of them holds values.
	storyPoints []string
	epicLink    string
}

func (c *Client) siteMeta(ctx context.Context) (*siteMeta, error) {
	c.mu.Lock()
	m := c.meta
	c.mu.Unlock()
	if m != nil {
		return m, nil
	}
	var fields []gojira.Field
	if err := c.get(ctx, "rest/api/2/field", &fields); err != nil {
		return nil, fmt.Errorf("jira %q: list fields: %w", c.cfg.Name, err)
	}
	m = &siteMeta{}
	if c.cfg.StoryPointsField != "auto" {
		m.storyPoints = []string{c.cfg.StoryPointsField}
	} else {
		for _, want := range []string{"story points", "story point estimate"} {
			for _, f := range fields {
				if f.Custom && strings.EqualFold(strings.TrimSpace(f.Name), want) {
					m.storyPoints = append(m.storyPoints, f.ID)
				}
			}
		}
		if len(m.storyPoints) == 0 {
			c.log.Warn(`no "Story Points" or "Story point estimate" field; estimates stay empty (set story_points_field)`)
		}
	}
	for _, f := range fields {
		if f.Schema.Custom == "com.pyxis.greenhopper.jira:gh-epic-link" || (f.Custom && strings.EqualFold(f.Name, "Epic Link")) {
			m.epicLink = f.ID
			break
		}
	}
	c.mu.Lock()
	c.meta = m
	c.mu.Unlock()
	return m, nil
}
