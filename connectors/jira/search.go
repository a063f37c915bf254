package jira

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ladderhq/ladder"
)

// cursor is what an incremental sync resumes from: the latest `updated`
// the previous complete sync saw, as the server stamped it (never after
// that sync's listing started).
type cursor struct {
	Updated time.Time `json:"updated"`
	// Resume is set while a listing is under way, saved after every page,
	// so a sync interrupted halfway carries on where it stopped instead of
	// listing a large site from the start again.
	Resume *resume `json:"resume,omitempty"`
}

// resume is a listing's progress. Pages come in creation order, so every
// issue created before Created is stored; the rest of the listing is the
// same JQL from Created on (inclusive: issues created in that same
// millisecond come again and are deduplicated by id).
type resume struct {
	Created time.Time `json:"created"`
	Started time.Time `json:"started,omitzero"` // the server's time at the listing's first page
	Newest  time.Time `json:"newest,omitzero"`  // the newest updated seen so far
}

// searchPage is one page of either search API. Issues stay raw so that each
// is read on its own (see convert.go).
type searchPage struct {
	Issues []json.RawMessage `json:"issues"`
	// Cloud /search/jql: the token is absent on the last page.
	NextPageToken string `json:"nextPageToken"`
	IsLast        bool   `json:"isLast"`
	// Data Center /search: maxResults echoes the server's clamp.
	StartAt    int `json:"startAt"`
	MaxResults int `json:"maxResults"`
	Total      int `json:"total"`
}

// order is the listing's order: by creation, so that edits during the sync
// do not move pages (new issues land on the end) and a listing can start
// again from a created date; then by key, so issues created in the same
// millisecond come in the same order on every page.
const order = " ORDER BY created ASC, key ASC"

// listing is one sync's state while it pages.
type listing struct {
	sink     ladder.Sink
	scope    string
	prev     cursor
	meta     *siteMeta
	fields   []string
	stats    *ladder.SyncStats
	progress func(string, int)

	seen    map[string]bool
	total   int       // about how many issues the listing holds; 0 when unknown
	newest  time.Time // the newest updated seen
	started time.Time // the server's time at the listing's first page
}

// hit is what the listing needs to know of each issue on a page, stored
// before or not: where it stands in the order.
type hit struct {
	key, project string
	created      time.Time // zero when unreadable
}

// Sync pulls every issue the configured JQL selects (full) or those updated
// since the saved cursor, less Overlap, into sink. The cursor is saved only
// after every page was put, so an interrupted sync re-reads from the old one;
// issues are deduplicated by id because pages shift while people edit.
func (c *Client) Sync(ctx context.Context, sink ladder.Sink, full bool, progress func(scope string, issues int)) (ladder.SyncStats, error) {
	c.mu.Lock()
	req0, wait0 := c.requests, c.waited
	c.mu.Unlock()
	stats := ladder.SyncStats{Tracker: c.cfg.Name, Scopes: 1, QuotaRemaining: -1}
	err := c.sync(ctx, sink, full, progress, &stats)
	c.mu.Lock()
	stats.Requests, stats.Waited = c.requests-req0, c.waited-wait0
	c.mu.Unlock()
	return stats, err
}

func (c *Client) sync(ctx context.Context, sink ladder.Sink, full bool, progress func(string, int), stats *ladder.SyncStats) error {
	scope := c.cfg.JQL
	meta, err := c.siteMeta(ctx)
	if err != nil {
		return err
	}
	var prev cursor
	if !full {
		raw, err := sink.Cursor(ctx, c.cfg.Name, scope)
		if err != nil {
			return fmt.Errorf("jira %q: read cursor: %w", c.cfg.Name, err)
		}
		if raw != "" {
			if err := json.Unmarshal([]byte(raw), &prev); err != nil {
				c.log.Warn("unreadable cursor; syncing everything", "err", err)
				prev = cursor{}
			}
		}
	}
	l := &listing{
		sink: sink, scope: scope, prev: prev, meta: meta, stats: stats, progress: progress,
		seen: map[string]bool{}, newest: prev.Updated,
	}
	l.fields = append(append([]string(nil), searchFields...), meta.storyPoints...)
	if meta.epicLink != "" {
		l.fields = append(l.fields, meta.epicLink)
	}
	var from time.Time
	if r := prev.Resume; r != nil {
		l.started, from = r.Started, r.Created
		if r.Newest.After(l.newest) {
			l.newest = r.Newest
		}
		c.log.Info("resuming an interrupted listing", "created_from", r.Created)
	}
	where := c.incrementalWhere(prev)
	if c.cloud {
		err = c.listCloud(ctx, l, where, from)
	} else {
		err = c.listDataCenter(ctx, l, where, from)
	}
	if err != nil {
		return err
	}
	// An issue edited after its page was read shows its edit to no page
	// of this listing; a later issue edited even later would carry the
	// cursor past it. So the next run never starts after this listing did.
	newest := l.newest
	if !l.started.IsZero() && newest.After(l.started) {
		newest = l.started
	}
	if newest.Before(prev.Updated) {
		newest = prev.Updated
	}
	// A finished listing replaces any progress with the plain cursor.
	b, _ := json.Marshal(cursor{Updated: newest})
	if err := sink.SaveCursor(ctx, c.cfg.Name, scope, string(b)); err != nil {
		return fmt.Errorf("jira %q: save cursor: %w", c.cfg.Name, err)
	}
	return nil
}

// incrementalWhere bounds the configured JQL by the cursor. The bound is in
// epoch milliseconds because JQL reads date strings in the API user's
// profile time zone (and only to the minute): "2024-05-01 10:00" means a
// different instant for a token owner in Berlin than in New York, while
// milliseconds since the epoch mean one instant everywhere.
func (c *Client) incrementalWhere(prev cursor) string {
	jql := "(" + c.cfg.JQL + ")"
	if !prev.Updated.IsZero() {
		jql += " AND updated >= " + millis(prev.Updated.Add(-c.cfg.Overlap))
	}
	return jql
}

func millis(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// createdFrom is the JQL bound of a listing that starts at from (inclusive).
func createdFrom(from time.Time) string {
	if from.IsZero() {
		return ""
	}
	return " AND created >= " + millis(from)
}

// listCloud pages Cloud's /search/jql by its nextPageToken.
func (c *Client) listCloud(ctx context.Context, l *listing, where string, from time.Time) error {
	jql := where + createdFrom(from) + order
	if l.progress != nil {
		// Cloud's search/jql pages by token and says no total; only a
		// progress line wants one, so only then is it asked for.
		if n, ok := c.approximateCount(ctx, where+createdFrom(from)); ok {
			l.setTotal(n)
		}
	}
	token := ""
	for {
		page, err := c.searchPage(ctx, jql, l.fields, c.cfg.PageSize, 0, token)
		if err != nil {
			return fmt.Errorf("jira %q: search %q: %w", c.cfg.Name, jql, err)
		}
		if _, err := c.putPage(ctx, l, page.Issues); err != nil {
			return err
		}
		// Cloud omits nextPageToken on the last page; isLast says the same.
		if page.NextPageToken == "" || page.IsLast {
			return nil
		}
		if page.NextPageToken == token {
			return fmt.Errorf("jira %q: search %q: the server repeated page token", c.cfg.Name, jql)
		}
		token = page.NextPageToken
	}
}

// listDataCenter pages Data Center's offset-paged /search. Its search
// engine serves at most the search window (10,000 by default) of one query:
// deeper, startAt answers 500 "Search limit exceeded" (or, on some
// versions, an empty page). So a large scope is listed in spans: each span
// is the same JQL from a created date on, paged by offset while the offset
// stays inside the window, and the next span starts at the last created
// date the previous one read. Issues of that millisecond come again and are
// deduplicated by id.
func (c *Client) listDataCenter(ctx context.Context, l *listing, where string, from time.Time) error {
	for {
		jql := where + createdFrom(from) + order
		s, err := c.pageWindow(ctx, l, jql)
		if err != nil {
			return err
		}
		if s.complete {
			return nil
		}
		first, last := s.first(), s.last()
		switch {
		case last.IsZero():
			return fmt.Errorf("jira %q: search %q: a whole search window without a readable created date; cannot page further", c.cfg.Name, jql)
		case first.Equal(last):
			// A whole window of issues created in one millisecond (an
			// import): a created bound cannot get past them.
			if err := c.listTie(ctx, l, where, last); err != nil {
				return err
			}
			from = last.Add(time.Millisecond)
		case !last.After(from):
			// Cannot happen with a server that orders as asked; never loop.
			return fmt.Errorf("jira %q: search %q: the listing made no progress past %v", c.cfg.Name, jql, from)
		default:
			from = last
		}
		c.log.Debug("search window reached; listing on from the last created date", "created_from", from)
	}
}

// listTie lists the issues created in the millisecond at, which are more
// than one search window holds. JQL cannot compare issue ids, and compares
// keys only within a project ("key > PAY-123" means PAY issues after 123),
// so they are listed by project and key: in key order issues come grouped
// by project, every project before the last one a window reached is
// complete, and the next query excludes those and starts the last one after
// its last key.
func (c *Client) listTie(ctx context.Context, l *listing, where string, at time.Time) error {
	c.log.Info("more issues were created in one millisecond than a search window holds; listing them by project and key", "created", at)
	tie := where + " AND created >= " + millis(at) + " AND created < " + millis(at.Add(time.Millisecond))
	var done []string     // projects listed completely
	var cur, after string // the project being listed and its last key read
	for {
		jql := tie
		switch {
		case after != "":
			jql += " AND ((project = " + quote(cur) + " AND key > " + quote(after) + ") OR project not in (" + quoteList(append(slices.Clone(done), cur)) + "))"
		case len(done) > 0:
			jql += " AND project not in (" + quoteList(done) + ")"
		}
		jql += " ORDER BY key ASC"
		s, err := c.pageWindow(ctx, l, jql)
		if err != nil {
			return err
		}
		if s.complete {
			return nil
		}
		lastKey := s.hits[len(s.hits)-1].key
		if lastKey == after {
			return fmt.Errorf("jira %q: search %q: no progress past %s", c.cfg.Name, jql, after)
		}
		p := s.hits[len(s.hits)-1].project
		for _, h := range s.hits {
			if h.project != p && !slices.Contains(done, h.project) {
				done = append(done, h.project)
			}
		}
		if cur != "" && cur != p && !slices.Contains(done, cur) {
			done = append(done, cur)
		}
		cur, after = p, lastKey
	}
}

func quote(s string) string { return strconv.Quote(s) }

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = quote(s)
	}
	return strings.Join(q, ", ")
}

// span is what one query paged inside the search window read.
type span struct {
	complete bool  // the query was listed to its end
	hits     []hit // every readable issue, in the order they came
}

func (s span) first() time.Time {
	for _, h := range s.hits {
		if !h.created.IsZero() {
			return h.created
		}
	}
	return time.Time{}
}

func (s span) last() time.Time {
	for i := len(s.hits) - 1; i >= 0; i-- {
		if !s.hits[i].created.IsZero() {
			return s.hits[i].created
		}
	}
	return time.Time{}
}

// pageWindow pages one Data Center query by offset while startAt +
// maxResults stays inside the search window, storing every page. A site
// whose window is smaller than assumed says so (500 "Search limit exceeded",
// or an empty page before the total); the window is learnt and the span
// ends there, for the caller to go on from a key.
func (c *Client) pageWindow(ctx context.Context, l *listing, jql string) (span, error) {
	var s span
	size := c.cfg.PageSize
	for startAt := 0; ; {
		if startAt > 0 && startAt+size > c.searchWindow() {
			return s, nil
		}
		page, err := c.searchPage(ctx, jql, l.fields, size, startAt, "")
		var we *windowError
		switch {
		case errors.As(err, &we) && startAt > 0 && len(s.hits) > 0:
			c.learnWindow(we.limit, startAt, we.msg)
			return s, nil
		case err != nil:
			return s, fmt.Errorf("jira %q: search %q: %w", c.cfg.Name, jql, err)
		}
		if len(page.Issues) == 0 {
			if startAt > 0 && startAt < page.Total && len(s.hits) > 0 {
				c.learnWindow(0, startAt, "an empty page before the total")
				return s, nil
			}
			s.complete = true
			return s, nil
		}
		if startAt == 0 && l.total == 0 {
			// The first span's total is everything left from where the
			// listing starts; later spans only re-count part of it.
			l.setTotal(page.Total)
		}
		hits, err := c.putPage(ctx, l, page.Issues)
		if err != nil {
			return s, err
		}
		s.hits = append(s.hits, hits...)
		// Data Center may clamp maxResults below what was asked: advance
		// by what actually came back, and ask for no more than it serves,
		// so the window is filled to its end.
		startAt = page.StartAt + len(page.Issues)
		if page.MaxResults > 0 && page.MaxResults < size {
			size = page.MaxResults
		}
		if startAt >= page.Total {
			s.complete = true
			return s, nil
		}
	}
}

func (c *Client) searchWindow() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.window
}

// learnWindow lowers the search window after the site refused to page from
// startAt: to the limit its message names, else to startAt.
func (c *Client) learnWindow(limit, startAt int, why string) {
	w := limit
	if w <= 0 || w > startAt+c.cfg.PageSize {
		w = startAt
	}
	c.mu.Lock()
	changed := w < c.window
	if changed {
		c.window = w
	}
	c.mu.Unlock()
	if changed {
		c.log.Info("the site's search window is smaller than assumed; listing on from the last created date", "window", w, "said", why)
	}
}

// putPage converts one page, fetches comments past the embedded cap, and
// stores the issues not seen before in this listing. Its progress is saved
// right after, so an interrupted sync resumes from here. It returns every
// readable issue's place in the order, stored now or before.
func (c *Client) putPage(ctx context.Context, l *listing, raws []json.RawMessage) ([]hit, error) {
	if l.started.IsZero() {
		c.mu.Lock()
		l.started = c.date
		c.mu.Unlock()
	}
	batch := make([]ladder.Issue, 0, len(raws))
	hits := make([]hit, 0, len(raws))
	comments := 0
	var lastCreated time.Time
	for _, raw := range raws {
		w, err := decodeIssue(raw)
		if err != nil {
			// Without an id and key the issue cannot be stored at all.
			l.stats.Malformed++
			c.log.Warn("search result skipped: it names no issue", "err", err, "json", abbreviate(raw))
			continue
		}
		conv := c.toIssue(w, l.meta)
		is := &conv.issue
		hits = append(hits, hit{key: w.Key, project: is.Project, created: is.Created})
		if is.Created.After(lastCreated) {
			lastCreated = is.Created
		}
		if l.seen[w.ID] {
			continue
		}
		l.seen[w.ID] = true
		if conv.moreComments {
			rest, bad, err := c.listComments(ctx, w.Key, len(is.Comments))
			if err != nil {
				return nil, fmt.Errorf("jira %q: comments of %s: %w", c.cfg.Name, w.Key, err)
			}
			is.Comments = mergeComments(is.Comments, rest)
			for _, name := range bad {
				if !slices.Contains(conv.bad, name) {
					conv.bad = append(conv.bad, name)
				}
			}
		}
		if len(conv.bad) > 0 {
			l.stats.Malformed++
			c.log.Warn("issue kept without fields that could not be read", "issue", w.Key, "fields", strings.Join(conv.bad, ","))
		}
		if is.Updated.After(l.newest) {
			l.newest = is.Updated
		}
		comments += len(is.Comments)
		batch = append(batch, *is)
	}
	if len(batch) > 0 {
		ps, err := l.sink.PutIssues(ctx, batch)
		if err != nil {
			return nil, fmt.Errorf("jira %q: store issues: %w", c.cfg.Name, err)
		}
		l.stats.Issues.Add(ps)
		l.stats.Comments += comments
		if !lastCreated.IsZero() {
			b, _ := json.Marshal(cursor{Updated: l.prev.Updated, Resume: &resume{Created: lastCreated, Started: l.started, Newest: l.newest}})
			if err := l.sink.SaveCursor(ctx, c.cfg.Name, l.scope, string(b)); err != nil {
				return nil, fmt.Errorf("jira %q: save progress: %w", c.cfg.Name, err)
			}
		}
	}
	if l.progress != nil {
		c.mu.Lock()
		c.total = l.total
		c.mu.Unlock()
		l.progress(l.scope, len(l.seen))
	}
	return hits, nil
}

// setTotal records that about n issues are left to list from here; with
// what this listing already read (a resumed one), that is its size.
func (l *listing) setTotal(n int) {
	if n > 0 {
		l.total = len(l.seen) + n
	}
}

// approximateCount asks Jira Cloud how many issues jql selects (POST
// search/approximate-count, which Atlassian added beside search/jql when it
// dropped search's total). The count is approximate, as search itself is
// eventually consistent; a site that does not serve it (404) or refuses
// it is simply not asked for a total: it is for a progress line only.
func (c *Client) approximateCount(ctx context.Context, jql string) (int, bool) {
	var out struct {
		Count *int `json:"count"`
	}
	if err := c.send(ctx, http.MethodPost, "rest/api/3/search/approximate-count", map[string]string{"jql": jql}, &out, true); err != nil {
		c.log.Debug("no approximate count for the progress line", "err", err)
		return 0, false
	}
	if out.Count == nil {
		return 0, false
	}
	return *out.Count, true
}

// ListingTotal returns about how many issues the running sync's listing of
// scope (the JQL) holds, once known: Data Center's search total, Cloud's
// approximate count (asked only when Sync was given a progress func).
func (c *Client) ListingTotal(scope string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if scope != c.cfg.JQL || c.total == 0 {
		return 0, false
	}
	return c.total, true
}

// abbreviate shortens raw JSON for a log line.
func abbreviate(raw json.RawMessage) string {
	if len(raw) > 200 {
		return string(raw[:200]) + "…"
	}
	return string(raw)
}

// searchPage asks for one page: Cloud's token-paged /search/jql (the
// offset-paged /search answers 410 Gone there) or Data Center's /search.
func (c *Client) searchPage(ctx context.Context, jql string, fields []string, max, startAt int, token string) (searchPage, error) {
	q := url.Values{}
	q.Set("jql", jql)
	q.Set("fields", strings.Join(fields, ","))
	q.Set("maxResults", strconv.Itoa(max))
	path := "rest/api/2/search"
	if c.cloud {
		path = "rest/api/2/search/jql"
		if token != "" {
			q.Set("nextPageToken", token)
		}
	} else {
		q.Set("startAt", strconv.Itoa(startAt))
	}
	var page searchPage
	if err := c.get(ctx, path+"?"+q.Encode(), &page); err != nil {
		return searchPage{}, err
	}
	return page, nil
}

// listComments reads an issue's comments from startAt on, page by page,
// with the names of comment fields it could not read.
func (c *Client) listComments(ctx context.Context, key string, startAt int) ([]ladder.Comment, []string, error) {
	var out []ladder.Comment
	var bad []string
	for {
		page, err := c.commentPage(ctx, key, startAt, "created")
		if err != nil {
			return nil, nil, err
		}
		list, b := decodeComments(page.Comments)
		for _, wc := range list {
			out = append(out, toComment(wc))
		}
		for _, name := range b {
			if !slices.Contains(bad, name) {
				bad = append(bad, name)
			}
		}
		startAt += len(page.Comments)
		if len(page.Comments) == 0 || startAt >= page.Total {
			return out, bad, nil
		}
	}
}

// commentPage is one page of GET /issue/{key}/comment, ordered by orderBy
// ("created" or "-created", the values the API documents).
func (c *Client) commentPage(ctx context.Context, key string, startAt int, orderBy string) (wireCommentPage, error) {
	q := url.Values{}
	q.Set("startAt", strconv.Itoa(startAt))
	q.Set("maxResults", "100")
	q.Set("orderBy", orderBy)
	var page wireCommentPage
	err := c.get(ctx, "rest/api/2/issue/"+url.PathEscape(key)+"/comment?"+q.Encode(), &page)
	return page, err
}

// mergeComments appends rest to first, skipping comments already there
// (a comment added between the search and the listing shifts the pages).
func mergeComments(first, rest []ladder.Comment) []ladder.Comment {
	have := make(map[string]bool, len(first))
	for _, c := range first {
		have[c.ID] = true
	}
	for _, c := range rest {
		if !have[c.ID] {
			have[c.ID] = true
			first = append(first, c)
		}
	}
	return first
}
