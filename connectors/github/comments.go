package github

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

	gogithub "github.com/google/go-github/v62/github"

	"github.com/ladderhq/ladder"
)

// FindComment returns our own earlier comment on issue key: one whose body
// contains marker AND whose author is the account Ladder writes as. A
// comment carrying the marker written by anybody else (a quote, a copy) is
// never ours to edit.
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
	found, ok, err := c.ownComment(ctx, repo, n, "", func(w *wireComment) bool {
		return strings.EqualFold(w.User.login(), login) && strings.Contains(w.Body, marker)
	})
	if err != nil {
		return ladder.Comment{}, false, c.wrap("list comments of "+key, err)
	}
	return found, ok, nil
}

// ownComment pages through an issue's comments, oldest first (those
// updated since since, when given), and returns the first one that match
// accepts. Comments that cannot be read are passed over: they cannot be
// told to be ours.
func (c *Client) ownComment(ctx context.Context, repo string, n int, since string, match func(*wireComment) bool) (ladder.Comment, bool, error) {
	q := url.Values{"per_page": {strconv.Itoa(perPage)}}
	if since != "" {
		q.Set("since", since)
	}
	for u := fmt.Sprintf("repos/%s/issues/%d/comments?%s", repo, n, q.Encode()); u != ""; {
		var page []json.RawMessage
		res, err := c.send(ctx, http.MethodGet, u, nil, "", &page)
		if err != nil {
			return ladder.Comment{}, false, err
		}
		for _, raw := range page {
			if w, _, err := decodeLenient[wireComment](raw); err == nil && match(&w) {
				return commentOf(&w), true, nil
			}
		}
		u = res.next
	}
	return ladder.Comment{}, false, nil
}

// CreateComment posts body as a new comment on issue key.
//
// A POST is not idempotent: when its answer is lost (a 5xx, a timeout, a
// connection dropped after the request went out) the comment may exist all
// the same, and posting again would make two. So before trying again it
// looks among the issue's recent comments for one by our account with
// exactly this body, and returns that one if it is there. When even that
// look fails, it gives up rather than risk a duplicate.
//
// The created comment's author must be the account Ladder looks for its
// comments as; a comment written as anyone else (a login: that names
// another account) would not be found again, and every run would add one.
func (c *Client) CreateComment(ctx context.Context, key, body string) (ladder.Comment, error) {
	repo, n, err := splitKey(key)
	if err != nil {
		return ladder.Comment{}, c.wrap("create comment", err)
	}
	login, err := c.Login(ctx)
	if err != nil {
		return ladder.Comment{}, err
	}
	// The server's clock, a minute back, bounds the look for a comment
	// that was created although its answer was lost.
	var since string
	if d := c.tr.lastServerDate(); !d.IsZero() {
		since = d.Add(-time.Minute).UTC().Format(time.RFC3339)
	}
	for attempt := 1; ; attempt++ {
		var w wireComment
		err := c.write(ctx, http.MethodPost, fmt.Sprintf("repos/%s/issues/%d/comments", repo, n), body, &w)
		if err == nil {
			if !strings.EqualFold(w.User.login(), login) {
				return commentOf(&w), c.wrap("create comment on "+key, fmt.Errorf(
					"comment %d was written as %q, but Ladder looks for its comments as %q and would not find it again: set login: %q", w.ID, w.User.login(), login, w.User.login()))
			}
			c.log.Info("github: comment created", "issue", key, "comment", w.ID, "chars", len(body))
			return commentOf(&w), nil
		}
		if !mayHaveApplied(ctx, err) {
			return ladder.Comment{}, c.wrap("create comment on "+key, err)
		}
		found, ok, lerr := c.ownComment(ctx, repo, n, since, func(x *wireComment) bool {
			return strings.EqualFold(x.User.login(), login) && strings.TrimSpace(x.Body) == strings.TrimSpace(body)
		})
		switch {
		case lerr != nil:
			return ladder.Comment{}, c.wrap("create comment on "+key, fmt.Errorf(
				"%w; whether it was created anyway could not be checked (%v), so it is not posted again", err, lerr))
		case ok:
			c.log.Warn("github: comment created although its answer was lost", "issue", key, "comment", found.ID, "err", err.Error())
			return found, nil
		case attempt > c.cfg.MaxRetries:
			return ladder.Comment{}, c.wrap("create comment on "+key, fmt.Errorf("%w (not created; gave up after %d attempts)", err, attempt))
		}
		c.log.Warn("github: comment not created; posting it again", "issue", key, "attempt", attempt, "err", err.Error())
		if err := c.cfg.Sleep(ctx, backoff(attempt)); err != nil {
			return ladder.Comment{}, c.wrap("create comment on "+key, err)
		}
	}
}

// mayHaveApplied reports whether a failed write may have taken effect: its
// answer was a server error or never arrived whole. A 4xx (validation, a
// refused token, a rate limit the transport gave up waiting for) means
// GitHub did nothing.
func mayHaveApplied(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var tr errTokenRejected
	if errors.As(err, &tr) {
		return false
	}
	var er *gogithub.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode >= 500
	}
	var rl *gogithub.RateLimitError
	var al *gogithub.AbuseRateLimitError
	return !errors.As(err, &rl) && !errors.As(err, &al)
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
	var raw json.RawMessage
	if _, err := c.send(ctx, http.MethodGet, fmt.Sprintf("repos/%s/issues/%d", repo, n), nil, "", &raw); err != nil {
		return nil, c.wrap("get labels of "+key, err)
	}
	// Only the labels matter here (the opt-out label): an odd field
	// elsewhere must not stop the publication, unreadable labels must.
	w, bad, err := decodeLenient[wireIssue](raw)
	if err == nil && slices.Contains(bad, "labels") {
		err = errors.New("labels could not be read")
	}
	if err != nil {
		return nil, c.wrap("get labels of "+key, err)
	}
	return append(make([]string, 0, len(w.Labels)), w.Labels...), nil
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
