package jira

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
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

// searchPage is one page of either search API.
type searchPage struct {
	Issues []wireIssue `json:"issues"`
	// Cloud /search/jql: the token is absent on the last page.
	NextPageToken string `json:"nextPageToken"`
	IsLast        bool   `json:"isLast"`
	// Data Center /search: maxResults echoes the server's clamp.
	StartAt    int `json:"startAt"`
	MaxResults int `json:"maxResults"`
	Total      int `json:"total"`
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
	jql := c.incrementalJQL(prev)
	fields := append([]string(nil), searchFields...)
	fields = append(fields, meta.storyPoints...)
	if meta.epicLink != "" {
		fields = append(fields, meta.epicLink)
	}

	seen := map[string]bool{}
	newest := prev.Updated
	var started time.Time // the server's time at the listing's first page
	if r := prev.Resume; r != nil {
		started = r.Started
		if r.Newest.After(newest) {
			newest = r.Newest
		}
		c.log.Info("resuming an interrupted listing", "tracker", c.cfg.Name, "created_from", r.Created)
	}
	token, startAt := "", 0
	for {
		page, err := c.searchPage(ctx, jql, fields, c.cfg.PageSize, startAt, token)
		if err != nil {
			return fmt.Errorf("jira %q: search %q: %w", c.cfg.Name, jql, err)
		}
		if started.IsZero() {
			c.mu.Lock()
			started = c.date
			c.mu.Unlock()
		}
		batch := make([]ladder.Issue, 0, len(page.Issues))
		comments := 0
		var lastCreated time.Time
		for _, w := range page.Issues {
			if w.ID == "" || seen[w.ID] {
				continue
			}
			seen[w.ID] = true
			conv, err := c.toIssue(w, meta)
			if err != nil {
				return fmt.Errorf("jira %q: issue %s: malformed fields: %w", c.cfg.Name, w.Key, err)
			}
			if conv.moreComments {
				rest, err := c.listComments(ctx, w.Key, len(conv.issue.Comments))
				if err != nil {
					return fmt.Errorf("jira %q: comments of %s: %w", c.cfg.Name, w.Key, err)
				}
				conv.issue.Comments = mergeComments(conv.issue.Comments, rest)
			}
			if conv.issue.Updated.After(newest) {
				newest = conv.issue.Updated
			}
			if conv.issue.Created.After(lastCreated) {
				lastCreated = conv.issue.Created
			}
			comments += len(conv.issue.Comments)
			batch = append(batch, conv.issue)
		}
		if len(batch) > 0 {
			ps, err := sink.PutIssues(ctx, batch)
			if err != nil {
				return fmt.Errorf("jira %q: store issues: %w", c.cfg.Name, err)
			}
			stats.Issues.Add(ps)
			stats.Comments += comments
			if !lastCreated.IsZero() {
				b, _ := json.Marshal(cursor{Updated: prev.Updated, Resume: &resume{Created: lastCreated, Started: started, Newest: newest}})
				if err := sink.SaveCursor(ctx, c.cfg.Name, scope, string(b)); err != nil {
					return fmt.Errorf("jira %q: save progress: %w", c.cfg.Name, err)
				}
			}
		}
		if progress != nil {
			progress(scope, len(seen))
		}
		if c.cloud {
			// Cloud omits nextPageToken on the last page; isLast says the same.
			if page.NextPageToken == "" || page.IsLast {
				break
			}
			if page.NextPageToken == token {
				return fmt.Errorf("jira %q: search %q: the server repeated page token", c.cfg.Name, jql)
			}
			token = page.NextPageToken
			continue
		}
		// Data Center may clamp maxResults below what was asked: advance by
		// what actually came back.
		if len(page.Issues) == 0 {
			break
		}
		startAt = page.StartAt + len(page.Issues)
		if startAt >= page.Total {
			break
		}
	}
	// An issue edited after its page was read shows its edit to no page
	// of this listing; a later issue edited even later would carry the
	// cursor past it. So the next run never starts after this listing did.
	if !started.IsZero() && newest.After(started) {
		newest = started
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

// incrementalJQL bounds the configured JQL by the cursor. The bound is in
// epoch milliseconds because JQL reads date strings in the API user's
// profile time zone (and only to the minute): "2024-05-01 10:00" means a
// different instant for a token owner in Berlin than in New York, while
// milliseconds since the epoch mean one instant everywhere. Issues are
// ordered by creation so that edits during the sync do not move pages under
// Data Center's offsets (new issues land on the end).
func (c *Client) incrementalJQL(prev cursor) string {
	jql := "(" + c.cfg.JQL + ")"
	if !prev.Updated.IsZero() {
		since := prev.Updated.Add(-c.cfg.Overlap)
		jql += " AND updated >= " + strconv.FormatInt(since.UnixMilli(), 10)
	}
	if prev.Resume != nil {
		jql += " AND created >= " + strconv.FormatInt(prev.Resume.Created.UnixMilli(), 10)
	}
	return jql + " ORDER BY created ASC"
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

// listComments reads an issue's comments from startAt on, page by page.
func (c *Client) listComments(ctx context.Context, key string, startAt int) ([]ladder.Comment, error) {
	var out []ladder.Comment
	for {
		page, err := c.commentPage(ctx, key, startAt, false)
		if err != nil {
			return nil, err
		}
		for _, wc := range page.Comments {
			out = append(out, toComment(wc))
		}
		startAt += len(page.Comments)
		if len(page.Comments) == 0 || startAt >= page.Total {
			return out, nil
		}
	}
}

func (c *Client) commentPage(ctx context.Context, key string, startAt int, props bool) (wireCommentPage, error) {
	q := url.Values{}
	q.Set("startAt", strconv.Itoa(startAt))
	q.Set("maxResults", "100")
	q.Set("orderBy", "created")
	if props {
		q.Set("expand", "properties")
	}
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
