package jira

import (
	"context"
	"fmt"
	"net/url"

	"github.com/ladderhq/ladder"
)

// Ladder finds its own comment again by a comment property (invisible in the
// UI, kept across edits) together with the author: anyone who can comment can
// also set properties, so the property alone could be copied onto someone
// else's comment.

// propertyValue marks a comment as Ladder's.
var propertyValue = map[string]any{"managed_by": "ladder", "version": 1}

// FindComment returns the comment on key that carries propertyKey and was
// written by the token owner.
func (c *Client) FindComment(ctx context.Context, key, propertyKey string) (ladder.Comment, bool, error) {
	me, err := c.Me(ctx)
	if err != nil {
		return ladder.Comment{}, false, err
	}
	for startAt := 0; ; {
		page, err := c.commentPage(ctx, key, startAt, true)
		if err != nil {
			return ladder.Comment{}, false, fmt.Errorf("jira %q: comments of %s: %w", c.cfg.Name, key, err)
		}
		for _, wc := range page.Comments {
			if wc.Author.id() != me {
				continue
			}
			for _, p := range wc.Properties {
				if p.Key == propertyKey {
					return toComment(wc), true, nil
				}
			}
		}
		startAt += len(page.Comments)
		if len(page.Comments) == 0 || startAt >= page.Total {
			return ladder.Comment{}, false, nil
		}
	}
}

// CreateComment posts body (wiki markup) on key and marks it with
// propertyKey. The property travels with the create request, so a comment
// never exists unmarked; a site that ignores it gets it set separately.
func (c *Client) CreateComment(ctx context.Context, key, body, propertyKey string) (ladder.Comment, error) {
	in := map[string]any{
		"body":       body,
		"properties": []any{map[string]any{"key": propertyKey, "value": propertyValue}},
	}
	var wc wireComment
	path := "rest/api/2/issue/" + url.PathEscape(key) + "/comment?expand=properties"
	if err := c.write(ctx, "POST", path, in, &wc); err != nil {
		return ladder.Comment{}, fmt.Errorf("jira %q: comment on %s: %w", c.cfg.Name, key, err)
	}
	if wc.ID == "" {
		return ladder.Comment{}, fmt.Errorf("jira %q: comment on %s: the response carries no comment id", c.cfg.Name, key)
	}
	marked := false
	for _, p := range wc.Properties {
		marked = marked || p.Key == propertyKey
	}
	if !marked {
		path := "rest/api/2/comment/" + url.PathEscape(wc.ID) + "/properties/" + url.PathEscape(propertyKey)
		if err := c.write(ctx, "PUT", path, propertyValue, nil); err != nil {
			return ladder.Comment{}, fmt.Errorf("jira %q: mark comment %s on %s: %w", c.cfg.Name, wc.ID, key, err)
		}
	}
	c.log.Info("comment created", "issue", key, "comment", wc.ID, "chars", len(body))
	return toComment(wc), nil
}

// EditComment replaces the body of comment commentID on key.
func (c *Client) EditComment(ctx context.Context, key, commentID, body string) error {
	path := "rest/api/2/issue/" + url.PathEscape(key) + "/comment/" + url.PathEscape(commentID)
	if err := c.write(ctx, "PUT", path, map[string]any{"body": body}, nil); err != nil {
		return fmt.Errorf("jira %q: edit comment %s on %s: %w", c.cfg.Name, commentID, key, err)
	}
	c.log.Info("comment updated", "issue", key, "comment", commentID, "chars", len(body))
	return nil
}
