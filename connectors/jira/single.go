package jira

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/ladderhq/ladder"
)

// goneMarker is a sink that can mark one issue gone (the store can).
type goneMarker interface {
	MarkGone(ctx context.Context, ref ladder.Ref) (bool, error)
}

// SyncIssue refreshes one issue, named by key (PLAT-12) or by its numeric
// id (issue link webhooks carry only ids), as a webhook asks: GET
// /rest/api/2/issue/{key} with the fields a sync's search asks for, the
// rest of its comments when the embedded page is capped, converted and put
// exactly as a sync puts search hits. Nothing is searched. A 404 (deleted,
// or no longer visible to the account) marks the issue gone.
func (c *Client) SyncIssue(ctx context.Context, key string, sink ladder.Sink) error {
	meta, err := c.siteMeta(ctx)
	if err != nil {
		return err
	}
	fields := append(append([]string(nil), searchFields...), meta.storyPoints...)
	if meta.epicLink != "" {
		fields = append(fields, meta.epicLink)
	}
	q := url.Values{"fields": {strings.Join(fields, ",")}}
	var raw json.RawMessage
	err = c.get(ctx, "rest/api/2/issue/"+url.PathEscape(key)+"?"+q.Encode(), &raw)
	var api *apiError
	if errors.As(err, &api) && (api.Status == http.StatusNotFound || api.Status == http.StatusGone) {
		g, ok := sink.(goneMarker)
		if !ok {
			return fmt.Errorf("jira %q: issue %s: gone upstream, and the sink cannot mark it so", c.cfg.Name, key)
		}
		if _, err := g.MarkGone(ctx, ladder.Ref{Tracker: c.cfg.Name, Key: key}); err != nil {
			return fmt.Errorf("jira %q: issue %s: %w", c.cfg.Name, key, err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("jira %q: get issue %s: %w", c.cfg.Name, key, err)
	}
	w, err := decodeIssue(raw)
	if err != nil {
		return fmt.Errorf("jira %q: get issue %s: %w", c.cfg.Name, key, err)
	}
	conv := c.toIssue(w, meta)
	is := &conv.issue
	if conv.moreComments {
		rest, bad, err := c.listComments(ctx, w.Key, len(is.Comments))
		if err != nil {
			return fmt.Errorf("jira %q: comments of %s: %w", c.cfg.Name, w.Key, err)
		}
		is.Comments = mergeComments(is.Comments, rest)
		conv.bad = append(conv.bad, bad...)
	}
	if len(conv.bad) > 0 {
		c.log.Warn("issue kept without fields that could not be read", "issue", w.Key, "fields", strings.Join(conv.bad, ","))
	}
	if _, err := sink.PutIssues(ctx, []ladder.Issue{*is}); err != nil {
		return fmt.Errorf("jira %q: store issue %s: %w", c.cfg.Name, w.Key, err)
	}
	return nil
}
