package jira

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ladderhq/ladder"
)

// Ladder finds its own comment again by a comment property (invisible in the
// UI, kept across edits) together with the author: anyone who can comment can
// also set properties, so the property alone could be copied onto someone
// else's comment.
//
// Only documented endpoints are used for it. GET /issue/{key}/comment
// documents expand=renderedBody alone; a site that ignores
// expand=properties there would make every comment look unmarked, and a
// store that was lost (a fresh CronJob pod, a new machine) would then post
// a second comment on every issue. So the listing gives our account's
// comments, and their properties come from POST /comment/list with
// expand=properties (Cloud) or GET /comment/{id}/properties/{key} (Data
// Center, which has no comment/list; Cloud too, as a fallback).

// propertyValue marks a comment as Ladder's.
var propertyValue = map[string]any{"managed_by": "ladder", "version": 1}

// commentListMax is how many ids one POST /comment/list takes (the API
// allows 1000).
const commentListMax = 1000

// FindComment returns the comment on key that carries propertyKey and was
// written by the token owner; the oldest, should there be several.
func (c *Client) FindComment(ctx context.Context, key, propertyKey string) (ladder.Comment, bool, error) {
	me, err := c.Me(ctx)
	if err != nil {
		return ladder.Comment{}, false, err
	}
	ours, err := c.ownComments(ctx, key, me)
	if err != nil {
		return ladder.Comment{}, false, fmt.Errorf("jira %q: comments of %s: %w", c.cfg.Name, key, err)
	}
	wc, found, err := c.firstMarked(ctx, ours, propertyKey)
	if err != nil {
		return ladder.Comment{}, false, fmt.Errorf("jira %q: comment properties on %s: %w", c.cfg.Name, key, err)
	}
	if !found {
		return ladder.Comment{}, false, nil
	}
	return toComment(wc), true, nil
}

// ownComments lists the comments on key written by me, oldest first.
func (c *Client) ownComments(ctx context.Context, key, me string) ([]wireComment, error) {
	var ours []wireComment
	for startAt := 0; ; {
		page, err := c.commentPage(ctx, key, startAt, "created")
		if err != nil {
			return nil, err
		}
		list, bad := decodeComments(page.Comments)
		if len(bad) > 0 {
			c.log.Debug("comment fields not read", "issue", key, "fields", strings.Join(bad, ","))
		}
		for _, wc := range list {
			if wc.Author.id() == me {
				ours = append(ours, wc)
			}
		}
		startAt += len(page.Comments)
		if len(page.Comments) == 0 || startAt >= page.Total {
			return ours, nil
		}
	}
}

// firstMarked returns the first of list that carries propertyKey.
func (c *Client) firstMarked(ctx context.Context, list []wireComment, propertyKey string) (wireComment, bool, error) {
	if len(list) == 0 {
		return wireComment{}, false, nil
	}
	marked := map[string]bool{}
	var unknown []wireComment // not answered by comment/list
	if c.useCommentList() {
		var err error
		marked, unknown, err = c.listedProperties(ctx, list, propertyKey)
		if err != nil {
			return wireComment{}, false, err
		}
	} else {
		unknown = list
	}
	for _, wc := range list {
		if marked[wc.ID] {
			return wc, true, nil
		}
		if !containsComment(unknown, wc.ID) {
			continue
		}
		has, err := c.hasProperty(ctx, wc.ID, propertyKey)
		if err != nil {
			return wireComment{}, false, err
		}
		if has {
			return wc, true, nil
		}
	}
	return wireComment{}, false, nil
}

func containsComment(list []wireComment, id string) bool {
	for _, wc := range list {
		if wc.ID == id {
			return true
		}
	}
	return false
}

func (c *Client) useCommentList() bool {
	if !c.cloud {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.noCommentList
}

// listedProperties asks POST /rest/api/2/comment/list?expand=properties for
// the comments of list ({"ids": [...]}, ids as numbers, as the API's
// IssueCommentListRequestBean has them) and says which carry propertyKey.
// Comments it did not return (a page cut short, an id that is not a number)
// come back as unknown, to be asked one by one.
func (c *Client) listedProperties(ctx context.Context, list []wireComment, propertyKey string) (marked map[string]bool, unknown []wireComment, err error) {
	marked = map[string]bool{}
	answered := map[string]bool{}
	for from := 0; from < len(list); from += commentListMax {
		chunk := list[from:min(from+commentListMax, len(list))]
		ids := make([]int64, 0, len(chunk))
		for _, wc := range chunk {
			if n, err := strconv.ParseInt(wc.ID, 10, 64); err == nil {
				ids = append(ids, n)
			}
		}
		if len(ids) == 0 {
			continue
		}
		var page struct {
			Values []json.RawMessage `json:"values"`
		}
		err := c.send(ctx, http.MethodPost, "rest/api/2/comment/list?expand=properties", map[string]any{"ids": ids}, &page, true)
		var ae *apiError
		if errors.As(err, &ae) && ae.Status == http.StatusNotFound {
			c.mu.Lock()
			c.noCommentList = true
			c.mu.Unlock()
			c.log.Info("the site has no POST /rest/api/2/comment/list; reading comment properties one by one")
			return map[string]bool{}, list, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("comment/list: %w", err)
		}
		got, _ := decodeComments(page.Values)
		for _, wc := range got {
			answered[wc.ID] = true
			if wc.hasProperty(propertyKey) {
				marked[wc.ID] = true
			}
		}
	}
	for _, wc := range list {
		if !answered[wc.ID] {
			unknown = append(unknown, wc)
		}
	}
	return marked, unknown, nil
}

// hasProperty asks GET /rest/api/2/comment/{id}/properties/{key}: 200 when
// the comment carries it, 404 when it (or the comment) does not.
func (c *Client) hasProperty(ctx context.Context, commentID, propertyKey string) (bool, error) {
	var p wireProperty
	err := c.get(ctx, propertyPath(commentID, propertyKey), &p)
	var ae *apiError
	switch {
	case errors.As(err, &ae) && ae.Status == http.StatusNotFound:
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}

func propertyPath(commentID, propertyKey string) string {
	return "rest/api/2/comment/" + url.PathEscape(commentID) + "/properties/" + url.PathEscape(propertyKey)
}

// CreateComment posts body (wiki markup) on key and marks it with
// propertyKey. The property travels with the create request (the Comment
// schema takes properties "on create and update"), so a comment is normally
// never unmarked; it is then checked through the documented property
// endpoint and set there if the site dropped it (older Data Center
// versions do).
//
// A create that fails after the request went out (a 5xx, a timeout, a body
// cut short) may have created the comment anyway. It is not sent again
// blindly: our account's newest comments are read first, and a comment with
// this body is taken as the one created.
func (c *Client) CreateComment(ctx context.Context, key, body, propertyKey string) (ladder.Comment, error) {
	in := map[string]any{
		"body":       body,
		"properties": []any{map[string]any{"key": propertyKey, "value": propertyValue}},
	}
	path := "rest/api/2/issue/" + url.PathEscape(key) + "/comment"
	backoff := time.Second
	var wc wireComment
	for attempt := 0; ; attempt++ {
		var raw json.RawMessage
		err := c.write(ctx, http.MethodPost, path, in, &raw)
		var ma *maybeApplied
		if errors.As(err, &ma) {
			if attempt >= c.cfg.MaxRetries {
				return ladder.Comment{}, fmt.Errorf("jira %q: comment on %s: gave up after %d attempts (the last may have gone through; the next publish finds it): %w", c.cfg.Name, key, attempt+1, ma.err)
			}
			c.log.Warn("creating a comment failed after the request went out; checking whether it was made before sending it again", "issue", key, "err", ma.err)
			if err := c.pause(ctx, backoff); err != nil {
				return ladder.Comment{}, err
			}
			backoff = min(backoff*2, 30*time.Second)
			made, found, err := c.findCreated(ctx, key, body)
			if err != nil {
				return ladder.Comment{}, fmt.Errorf("jira %q: comment on %s: %w; checking whether it was made: %w", c.cfg.Name, key, ma.err, err)
			}
			if !found {
				continue
			}
			c.log.Info("the comment had been made; not sending it again", "issue", key, "comment", made.ID)
			wc = made
			break
		}
		if err != nil {
			return ladder.Comment{}, fmt.Errorf("jira %q: comment on %s: %w", c.cfg.Name, key, err)
		}
		var ok bool
		if wc, _, ok = decodeComment(raw); !ok {
			return ladder.Comment{}, fmt.Errorf("jira %q: comment on %s: the response carries no comment id", c.cfg.Name, key)
		}
		break
	}
	if err := c.mark(ctx, wc, propertyKey); err != nil {
		return ladder.Comment{}, fmt.Errorf("jira %q: mark comment %s on %s: %w", c.cfg.Name, wc.ID, key, err)
	}
	c.log.Info("comment created", "issue", key, "comment", wc.ID, "chars", len(body))
	return toComment(wc), nil
}

// findCreated looks among the newest comments on key for one of ours whose
// body is body.
func (c *Client) findCreated(ctx context.Context, key, body string) (wireComment, bool, error) {
	me, err := c.Me(ctx)
	if err != nil {
		return wireComment{}, false, err
	}
	page, err := c.commentPage(ctx, key, 0, "-created")
	if err != nil {
		return wireComment{}, false, err
	}
	list, _ := decodeComments(page.Comments)
	for _, wc := range list {
		if wc.Author.id() == me && sameBody(wc.Body, body) {
			return wc, true, nil
		}
	}
	return wireComment{}, false, nil
}

// sameBody compares comment bodies as Jira may have stored them: line
// endings normalised, trailing space dropped.
func sameBody(a, b string) bool {
	norm := func(s string) string {
		return strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), " \t\n")
	}
	return norm(a) == norm(b)
}

// propertiesSeen is what a site was seen to do with the property sent on
// create.
type propertiesSeen int

const (
	propertiesUnknown propertiesSeen = iota
	propertiesKept
	propertiesDropped
)

// mark makes sure comment wc carries propertyKey: as the create response
// shows it, else as the property endpoint says, else by setting it there.
// The endpoint is asked on the first create only: a site keeps (or drops)
// properties sent on create for every comment alike.
func (c *Client) mark(ctx context.Context, wc wireComment, propertyKey string) error {
	if wc.hasProperty(propertyKey) {
		return nil
	}
	c.mu.Lock()
	seen := c.propertiesOnCreate
	c.mu.Unlock()
	if seen == propertiesKept {
		return nil
	}
	if seen == propertiesUnknown {
		has, err := c.hasProperty(ctx, wc.ID, propertyKey)
		if err != nil {
			return err
		}
		seen = propertiesDropped
		if has {
			seen = propertiesKept
		}
		c.mu.Lock()
		c.propertiesOnCreate = seen
		c.mu.Unlock()
		if has {
			return nil
		}
		c.log.Debug("the site dropped the property sent with the comment; setting it on every comment created", "comment", wc.ID)
	}
	return c.write(ctx, http.MethodPut, propertyPath(wc.ID, propertyKey), propertyValue, nil)
}

// EditComment replaces the body of comment commentID on key. It asks Jira
// not to notify the watchers (notifyUsers=false): Ladder's verdict
// changing is not news worth an email to every watcher. A site that refuses
// the parameter (it can need admin rights) gets the edit without it, and
// the log says so once.
func (c *Client) EditComment(ctx context.Context, key, commentID, body string) error {
	path := "rest/api/2/issue/" + url.PathEscape(key) + "/comment/" + url.PathEscape(commentID)
	in := map[string]any{"body": body}
	c.mu.Lock()
	quiet := !c.loudEdits
	c.mu.Unlock()
	var err error
	if quiet {
		err = c.write(ctx, http.MethodPut, path+"?notifyUsers=false", in, nil)
		var ae *apiError
		if errors.As(err, &ae) && (ae.Status == http.StatusBadRequest || ae.Status == http.StatusForbidden) {
			if err2 := c.write(ctx, http.MethodPut, path, in, nil); err2 == nil {
				c.mu.Lock()
				first := !c.loudEdits
				c.loudEdits = true
				c.mu.Unlock()
				if first {
					c.log.Warn("the site refused notifyUsers=false on comment edits; Ladder's edits will notify the issues' watchers", "answer", err.Error())
				}
				err = nil
			} else {
				err = err2
			}
		}
	} else {
		err = c.write(ctx, http.MethodPut, path, in, nil)
	}
	if err != nil {
		return fmt.Errorf("jira %q: edit comment %s on %s: %w", c.cfg.Name, commentID, key, err)
	}
	c.log.Info("comment updated", "issue", key, "comment", commentID, "chars", len(body))
	return nil
}
