package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"

	"github.com/ladderhq/ladder"
)

// Jira receives a Jira admin webhook registered with a secret (Cloud, and
// Data Center 10 and later): X-Hub-Signature ("sha256=<hex>", the WebSub
// form) is checked, then jira:issue_created|updated|deleted,
// comment_created|updated|deleted and issuelink_created|deleted become
// Events; every other event is ignored with 200.
func Jira(o Options) http.Handler {
	return newReceiver(o, JiraTracker, "X-Hub-Signature", "X-Atlassian-Webhook-Identifier", parseJira)
}

type jiraPayload struct {
	WebhookEvent   string `json:"webhookEvent"`
	IssueEventType string `json:"issue_event_type_name"`
	Issue          *struct {
		ID  json.RawMessage `json:"id"`
		Key string          `json:"key"`
	} `json:"issue"`
	Comment *struct {
		Self   string `json:"self"`
		Body   string `json:"body"`
		Author *struct {
			AccountID string `json:"accountId"`
			Name      string `json:"name"`
		} `json:"author"`
	} `json:"comment"`
	IssueLink *struct {
		SourceIssueID      json.RawMessage `json:"sourceIssueId"`
		DestinationIssueID json.RawMessage `json:"destinationIssueId"`
	} `json:"issueLink"`
}

var (
	jiraKey = regexp.MustCompile(`^[A-Z][A-Z0-9_]*-[1-9][0-9]*$`)
	// commentIssue reads the issue id from a comment's self URL
	// (…/rest/api/2/issue/26313/comment/31039): older Data Center comment
	// events carry the comment alone, without the issue.
	commentIssue = regexp.MustCompile(`/issue/(\d+)/comment/\d+$`)
)

func parseJira(_ *http.Request, body []byte, own func(string) bool) ([]Event, string, error) {
	var p jiraPayload
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, "", errors.New("not a JSON payload")
	}
	name := p.WebhookEvent
	switch name {
	case "jira:issue_created", "jira:issue_updated", "jira:issue_deleted",
		"comment_created", "comment_updated", "comment_deleted":
	case "issuelink_created", "issuelink_deleted":
		if p.IssueLink == nil {
			return nil, "", fmt.Errorf("%s event names no link", name)
		}
		var events []Event
		for _, raw := range []json.RawMessage{p.IssueLink.SourceIssueID, p.IssueLink.DestinationIssueID} {
			id, ok := jiraID(raw)
			if !ok {
				return nil, "", fmt.Errorf("%s event: no readable issue id", name)
			}
			events = append(events, Event{Name: name, Key: id})
		}
		return events, "", nil
	default:
		return nil, ResultIgnored, nil
	}
	// A comment on an issue comes as comment_* and, on Cloud, also as
	// jira:issue_updated (issue_commented, issue_comment_edited) with the
	// comment: Ladder's own write-back must not trigger a refresh either way.
	if c := p.Comment; c != nil {
		if ladder.IsLadderText(c.Body) || (c.Author != nil && (own(c.Author.AccountID) || own(c.Author.Name))) {
			return nil, ResultOwnComment, nil
		}
	}
	if p.Issue != nil && p.Issue.Key != "" {
		if !jiraKey.MatchString(p.Issue.Key) {
			return nil, "", fmt.Errorf("%s event: %q is not an issue key", name, p.Issue.Key)
		}
		return []Event{{Name: name, Key: p.Issue.Key}}, "", nil
	}
	if p.Issue != nil {
		if id, ok := jiraID(p.Issue.ID); ok {
			return []Event{{Name: name, Key: id}}, "", nil
		}
	}
	if p.Comment != nil {
		if m := commentIssue.FindStringSubmatch(p.Comment.Self); m != nil {
			return []Event{{Name: name, Key: m[1]}}, "", nil
		}
	}
	return nil, "", fmt.Errorf("%s event names no issue", name)
}

// jiraID reads an issue id, which Jira writes as a string in issues and as
// a number in issue links.
func jiraID(raw json.RawMessage) (string, bool) {
	var n int64
	if json.Unmarshal(raw, &n) == nil && n > 0 {
		return strconv.FormatInt(n, 10), true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			return s, true
		}
	}
	return "", false
}
