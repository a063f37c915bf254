package sandbox

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"time"
)

// The fake trackers send webhooks too, signed as the real ones sign them,
// with the payload shapes they send, built from the issue the sandbox
// serves: tests then exercise the whole path from a delivery to the
// refreshed issue.

// GitHubDelivery says what GitHub.Deliver sends.
type GitHubDelivery struct {
	// Event is X-GitHub-Event: "issues", "issue_comment" or "ping".
	Event string
	// Action is the payload's action; default "edited" ("created" for
	// issue_comment).
	Action string
	// Key is the issue (owner/repo#N) the event is about.
	Key string
	// CommentID picks the comment of an issue_comment event; default the
	// issue's latest.
	CommentID string
	// ID is X-GitHub-Delivery; default a fresh GUID.
	ID string
}

// WebhookPayload is GitHub's delivery for d: the JSON body and the headers
// GitHub sends with it, signed with secret (X-Hub-Signature-256).
func (g *GitHub) WebhookPayload(secret []byte, d GitHubDelivery) ([]byte, http.Header, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	payload := map[string]any{}
	switch d.Event {
	case "ping":
		payload = map[string]any{"zen": "Keep it logically awesome.", "hook_id": 109948940,
			"hook": map[string]any{"type": "Repository", "id": 109948940, "name": "web", "active": true,
				"events": []string{"issues", "issue_comment"}, "config": map[string]any{"content_type": "json", "insecure_ssl": "0"}}}
	case "issues", "issue_comment":
		is := g.issues[d.Key]
		if is == nil {
			return nil, nil, fmt.Errorf("sandbox github: no issue %s", d.Key)
		}
		action := d.Action
		if action == "" {
			action = map[string]string{"issues": "edited", "issue_comment": "created"}[d.Event]
		}
		payload["action"] = action
		payload["issue"] = g.issueJSON(is, ghVersion2022) // webhooks carry the 2022-11-28 shape
		if action == "edited" {
			// What the edit changed, with the old values; the sandbox keeps no
			// history, so it names the title as it is.
			what := map[string]any{"title": map[string]any{"from": is.Title}}
			if d.Event == "issue_comment" {
				what = map[string]any{"body": map[string]any{"from": ""}}
			}
			payload["changes"] = what
		}
		if d.Event == "issue_comment" {
			c, err := pickComment(is, d.CommentID)
			if err != nil {
				return nil, nil, err
			}
			payload["comment"] = g.commentJSON(c)
		}
		payload["repository"] = g.repoJSON(is.repo, false)
		payload["sender"] = g.userJSON(is.Reporter)
	default:
		return nil, nil, fmt.Errorf("sandbox github: no webhook event %q", d.Event)
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return nil, nil, err
	}
	id := d.ID
	if id == "" {
		id = guid()
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "GitHub-Hookshot/044aadd")
	h.Set("X-GitHub-Event", d.Event)
	h.Set("X-GitHub-Delivery", id)
	h.Set("X-GitHub-Hook-ID", "109948940")
	h.Set("X-Hub-Signature-256", signature(secret, body))
	return body, h, nil
}

// Deliver POSTs d to url as GitHub does and returns the answer's status.
func (g *GitHub) Deliver(ctx context.Context, url string, secret []byte, d GitHubDelivery) (int, error) {
	body, h, err := g.WebhookPayload(secret, d)
	if err != nil {
		return 0, err
	}
	return PostDelivery(ctx, url, body, h)
}

func pickComment(is *ghIssue, id string) (*ghComment, error) {
	for i := len(is.comments) - 1; i >= 0; i-- {
		if c := is.comments[i]; id == "" || strconv.FormatInt(c.id, 10) == id {
			return c, nil
		}
	}
	return nil, fmt.Errorf("sandbox github: issue %s has no comment %q", is.Key, id)
}

// JiraDelivery says what Jira.Deliver sends.
type JiraDelivery struct {
	// Event is the webhookEvent: jira:issue_created, jira:issue_updated,
	// jira:issue_deleted, comment_created, comment_updated, comment_deleted,
	// issuelink_created, issuelink_deleted.
	Event string
	// Key is the issue; for issue links, the link's source.
	Key string
	// CommentID picks the comment of a comment event; default the latest.
	CommentID string
	// LinkTo is an issue link event's destination.
	LinkTo string
	// ID is X-Atlassian-Webhook-Identifier; default a fresh one.
	ID string
}

// WebhookPayload is a Jira admin webhook's delivery for d, in the shapes
// Atlassian documents (timestamp, webhookEvent, issue_event_type_name, user,
// issue, comment, changelog, issueLink), signed with secret in
// X-Hub-Signature as Cloud and Data Center 10+ sign it.
func (j *Jira) WebhookPayload(secret []byte, d JiraDelivery) ([]byte, http.Header, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	ji := j.byKey[d.Key]
	if ji == nil {
		return nil, nil, fmt.Errorf("sandbox jira: no issue %s", d.Key)
	}
	payload := map[string]any{"timestamp": j.opts.Now().UnixMilli(), "webhookEvent": d.Event}
	all := jiraFieldSet("*navigable", j.cloud)
	switch d.Event {
	case "jira:issue_created", "jira:issue_updated", "jira:issue_deleted":
		payload["issue_event_type_name"] = map[string]string{
			"jira:issue_created": "issue_created", "jira:issue_updated": "issue_generic", "jira:issue_deleted": "issue_deleted"}[d.Event]
		payload["user"] = j.user(ji.Reporter)
		payload["issue"] = j.renderIssue(ji, all)
		if d.Event == "jira:issue_updated" {
			payload["changelog"] = map[string]any{"id": strconv.Itoa(int(hash32("changelog:" + ji.Key))),
				"items": []any{map[string]any{"field": "summary", "fieldtype": "jira", "from": nil, "fromString": "", "to": nil, "toString": ji.Title}}}
		}
	case "comment_created", "comment_updated", "comment_deleted":
		var c *jiraComment
		for i := len(ji.comments) - 1; i >= 0 && c == nil; i-- {
			if d.CommentID == "" || ji.comments[i].id == d.CommentID {
				c = ji.comments[i]
			}
		}
		if c == nil {
			return nil, nil, fmt.Errorf("sandbox jira: issue %s has no comment %q", d.Key, d.CommentID)
		}
		payload["comment"] = j.renderComment(c, false)
		// Comment events carry the issue with a few fields only.
		payload["issue"] = j.renderIssue(ji, jiraFieldSet("summary,issuetype,project,status,priority", j.cloud))
	case "issuelink_created", "issuelink_deleted":
		to := j.byKey[d.LinkTo]
		if to == nil {
			return nil, nil, fmt.Errorf("sandbox jira: no issue %s", d.LinkTo)
		}
		src, _ := strconv.ParseInt(ji.ID, 10, 64)
		dst, _ := strconv.ParseInt(to.ID, 10, 64)
		payload["issueLink"] = map[string]any{"id": hash32("link:" + ji.Key + ">" + to.Key), "sourceIssueId": src, "destinationIssueId": dst,
			"issueLinkType": map[string]any{"id": 10000, "name": "Blocks", "outwardName": "blocks", "inwardName": "is blocked by",
				"isSubTaskLinkType": false, "isSystemLinkType": false}, "systemLink": false}
	default:
		return nil, nil, fmt.Errorf("sandbox jira: no webhook event %q", d.Event)
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return nil, nil, err
	}
	id := d.ID
	if id == "" {
		id = guid()
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=UTF-8")
	h.Set("User-Agent", "Atlassian Webhook HTTP Client")
	h.Set("X-Atlassian-Webhook-Identifier", id)
	h.Set("X-Atlassian-Webhook-Flow", "Primary")
	h.Set("X-Hub-Signature", signature(secret, body))
	return body, h, nil
}

// Deliver POSTs d to url as Jira does and returns the answer's status.
func (j *Jira) Deliver(ctx context.Context, url string, secret []byte, d JiraDelivery) (int, error) {
	body, h, err := j.WebhookPayload(secret, d)
	if err != nil {
		return 0, err
	}
	return PostDelivery(ctx, url, body, h)
}

// PostDelivery POSTs a webhook body with its headers, as a tracker's
// delivery service does (it waits at most 10 s for an answer, GitHub's
// limit), and returns the answer's status.
func PostDelivery(ctx context.Context, url string, body []byte, h http.Header) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	for k, vs := range h {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// signature is "sha256=" and the hex HMAC-SHA256 of body under secret.
func signature(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// guid is a delivery id shaped like GitHub's (72d3162e-cc78-11e3-81ab-4c9367dc0958).
func guid() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		h := fnv.New128a()
		h.Write([]byte(time.Now().String()))
		copy(b[:], h.Sum(nil))
	}
	x := hex.EncodeToString(b[:])
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}
