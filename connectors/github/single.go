package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ladderhq/ladder"
)

// goneMarker is a sink that can mark one issue gone (the store can).
type goneMarker interface {
	MarkGone(ctx context.Context, ref ladder.Ref) (bool, error)
}

// errNoGone says the sink cannot record that an issue is gone.
var errNoGone = errors.New("the issue is gone upstream, and the sink cannot mark it so")

// SyncIssue refreshes one issue, key owner/repo#N, as a webhook asks: the
// issue (GET /repos/{o}/{r}/issues/{n}), its comments, and its blockers and
// sub-issues where its summaries say there are some, converted and put
// exactly as a full sync puts them, without listing the repository.
//
// A 404 or 410 (deleted, or no longer visible to the token) marks the issue
// gone, as does an answer for another repository: GitHub redirects a
// transferred issue's old address to its new one. A number that is a pull
// request stores nothing.
func (c *Client) SyncIssue(ctx context.Context, key string, sink ladder.Sink) error {
	repo, n, err := splitKey(key)
	if err != nil {
		return c.wrap("sync issue", err)
	}
	ref := ladder.Ref{Tracker: c.cfg.Name, Key: fmt.Sprintf("%s#%d", repo, n)}
	var raw json.RawMessage
	_, err = c.send(ctx, http.MethodGet, fmt.Sprintf("repos/%s/issues/%d", repo, n), nil, "", &raw)
	if status := statusOf(err); status == http.StatusNotFound || status == http.StatusGone {
		return c.markGone(ctx, sink, ref)
	}
	if err != nil {
		return c.wrap("get issue "+key, err)
	}
	w, bad, err := decodeLenient[wireIssue](raw)
	if err == nil && (w.ID == 0 || w.Number <= 0) {
		err = errors.New("no readable id and number")
	}
	if err != nil {
		return c.wrap("get issue "+key, fmt.Errorf("not a readable issue: %w", err))
	}
	if w.PullRequest != nil {
		return nil
	}
	if other, ok := repoFromAPIURL(w.RepositoryURL); ok && !strings.EqualFold(other, repo) {
		return c.markGone(ctx, sink, ref)
	}
	if len(bad) > 0 {
		c.log.Warn("github: issue has fields that could not be read; stored without them", "issue", ref.Key, "fields", bad)
	}
	run := &repoRun{c: c, sink: sink, repo: repo, progress: func(string, int) {}, seen: map[int64]uint64{}, notes: newSyncNotes()}
	links, err := run.links(ctx, &w)
	if err != nil {
		return c.wrap("sync issue "+key, err)
	}
	is := convertIssue(c.cfg.Name, repo, &w, links)
	if is.Comments, err = c.issueComments(ctx, repo, n); err != nil {
		return c.wrap("list comments of "+key, err)
	}
	if _, err := sink.PutIssues(ctx, []ladder.Issue{is}); err != nil {
		return c.wrap("sync issue "+key, fmt.Errorf("put issue: %w", err))
	}
	return nil
}

func (c *Client) markGone(ctx context.Context, sink ladder.Sink, ref ladder.Ref) error {
	g, ok := sink.(goneMarker)
	if !ok {
		return c.wrap("sync issue "+ref.Key, errNoGone)
	}
	if _, err := g.MarkGone(ctx, ref); err != nil {
		return c.wrap("sync issue "+ref.Key, err)
	}
	return nil
}

// issueComments pages through one issue's comments, oldest first, read as
// the repository-wide listing reads them (one that cannot be read is
// skipped, an unreadable field left out).
func (c *Client) issueComments(ctx context.Context, repo string, n int) ([]ladder.Comment, error) {
	var out []ladder.Comment
	for u := fmt.Sprintf("repos/%s/issues/%d/comments?per_page=%s", repo, n, strconv.Itoa(perPage)); u != ""; {
		var page []json.RawMessage
		res, err := c.send(ctx, http.MethodGet, u, nil, "", &page)
		if err != nil {
			return nil, err
		}
		for _, raw := range page {
			if w, _, err := decodeLenient[wireComment](raw); err == nil && w.ID != 0 {
				out = append(out, commentOf(&w))
			}
		}
		u = res.next
	}
	return out, nil
}
