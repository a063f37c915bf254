package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ladderhq/ladder"
)

// FindComment returns our own earlier comment on issue key: one whose body
// contains marker AND whose author is the token's login. A comment carrying
// the marker written by anybody else (a quote, a copy) is never ours to edit.
func (c *Client) FindComment(ctx context.Context, key, marker string) (ladder.Comment, bool, error) {
	if marker == "" {
		return ladder.Comment{}, false, c.wrap("find comment on "+key, errors.New("empty marker"))
	}
	repo, n, err := splitKey(key)
	if err != nil {
		return ladder.Comment{}, false, c.wrap("find comment", err)
	}
	login, err := c.Login(ctx)
	if err != nil {
		return ladder.Comment{}, false, err
	}
	for u := fmt.Sprintf("repos/%s/issues/%d/comments?per_page=%d", repo, n, perPage); u != ""; {
		var page []wireComment
		res, err := c.send(ctx, http.MethodGet, u, nil, "", &page)
		if err != nil {
			return ladder.Comment{}, false, c.wrap("list comments of "+key, err)
		}
		for i := range page {
			w := &page[i]
			if strings.EqualFold(w.User.login(), login) && strings.Contains(w.Body, marker) {
				return commentOf(w), true, nil
			}
		}
		u = res.next
	}
	return ladder.Comment{}, false, nil
}

// CreateComment posts body as a new comment on issue key.
func (c *Client) CreateComment(ctx context.Context, key, body string) (ladder.Comment, error) {
	repo, n, err := splitKey(key)
	if err != nil {
		return ladder.Comment{}, c.wrap("create comment", err)
	}
	var w wireComment
	if err := c.write(ctx, http.MethodPost, fmt.Sprintf("repos/%s/issues/%d/comments", repo, n), body, &w); err != nil {
		return ladder.Comment{}, c.wrap("create comment on "+key, err)
	}
	c.log.Info("github: comment created", "issue", key, "comment", w.ID, "chars", len(body))
	return commentOf(&w), nil
}

// EditComment replaces the body of comment commentID on issue key.
func (c *Client) EditComment(ctx context.Context, key, commentID, body string) error {
	repo, _, err := splitKey(key)
	if err != nil {
		return c.wrap("edit comment", err)
	}
	id, err := strconv.ParseInt(commentID, 10, 64)
	if err != nil || id <= 0 {
		return c.wrap("edit comment on "+key, fmt.Errorf("comment id %q: want a GitHub comment id", commentID))
	}
	var w wireComment
	if err := c.write(ctx, http.MethodPatch, fmt.Sprintf("repos/%s/issues/comments/%d", repo, id), body, &w); err != nil {
		return c.wrap(fmt.Sprintf("edit comment %d on %s", id, key), err)
	}
	c.log.Info("github: comment edited", "issue", key, "comment", id, "chars", len(body))
	return nil
}

// Labels returns the labels set on issue key now.
func (c *Client) Labels(ctx context.Context, key string) ([]string, error) {
	repo, n, err := splitKey(key)
	if err != nil {
		return nil, c.wrap("get labels", err)
	}
	var w wireIssue
	if _, err := c.send(ctx, http.MethodGet, fmt.Sprintf("repos/%s/issues/%d", repo, n), nil, "", &w); err != nil {
		return nil, c.wrap("get labels of "+key, err)
	}
	out := make([]string, 0, len(w.Labels))
	for _, l := range w.Labels {
		out = append(out, l.Name)
	}
	return out, nil
}

// write sends one write, serially and at least WriteSpacing after the
// previous one ended, as GitHub asks of integrations; rate limits are
// waited out by the transport.
func (c *Client) write(ctx context.Context, method, u, body string, v any) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if !c.lastWrite.IsZero() {
		if d := c.cfg.WriteSpacing - c.cfg.Now().Sub(c.lastWrite); d > 0 {
			if err := c.cfg.Sleep(ctx, d); err != nil {
				return err
			}
		}
	}
	defer func() { c.lastWrite = c.cfg.Now() }()
	_, err := c.send(ctx, method, u, map[string]string{"body": body}, "", v)
	return err
}
