package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/ladderhq/ladder"
)

// GitHub receives a repository's or organisation's webhook (content type
// application/json, with a secret): X-Hub-Signature-256 is checked, then
// issues, issue_comment, sub_issues and issue_dependencies events become
// Events; ping is answered 200 and every other event ignored with 200.
func GitHub(o Options) http.Handler {
	return newReceiver(o, GitHubTracker, "X-Hub-Signature-256", "X-GitHub-Delivery", parseGitHub)
}

// ghIssue is what an event says of an issue: enough to name it.
type ghIssue struct {
	Number      int             `json:"number"`
	URL         string          `json:"url"`
	PullRequest json.RawMessage `json:"pull_request"`
}

type ghPayload struct {
	Action     string `json:"action"`
	Repository *struct {
		FullName string `json:"full_name"`
	} `json:"repository"`
	Issue   *ghIssue `json:"issue"`
	Comment *struct {
		Body string `json:"body"`
		User *struct {
			Login string `json:"login"`
		} `json:"user"`
	} `json:"comment"`
	// sub_issues and issue_dependencies name both ends.
	ParentIssue   *ghIssue `json:"parent_issue"`
	SubIssue      *ghIssue `json:"sub_issue"`
	BlockedIssue  *ghIssue `json:"blocked_issue"`
	BlockingIssue *ghIssue `json:"blocking_issue"`
}

// ghQuiet are issues actions that change nothing Ladder reads.
var ghQuiet = map[string]bool{"pinned": true, "unpinned": true, "locked": true, "unlocked": true}

func parseGitHub(r *http.Request, body []byte, own func(string) bool) ([]Event, string, error) {
	kind := r.Header.Get("X-GitHub-Event")
	switch kind {
	case "ping":
		return nil, ResultPing, nil
	case "issues", "issue_comment", "sub_issues", "issue_dependencies":
	default:
		return nil, ResultIgnored, nil
	}
	var p ghPayload
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, "", fmt.Errorf("%s event: not a JSON payload", kind)
	}
	name := kind + "." + p.Action
	repo := ""
	if p.Repository != nil {
		repo = p.Repository.FullName
	}
	switch kind {
	case "issues", "issue_comment":
		if p.Issue == nil {
			return nil, "", fmt.Errorf("%s event names no issue", kind)
		}
		if p.Issue.PullRequest != nil && string(p.Issue.PullRequest) != "null" {
			return nil, ResultIgnored, nil // a comment on a pull request
		}
		if kind == "issues" && ghQuiet[p.Action] {
			return nil, ResultIgnored, nil
		}
		if kind == "issue_comment" && p.Comment != nil {
			// Ladder's own write-back triggers issue_comment; refreshing on
			// it would publish, trigger it again, and so on.
			if ladder.IsLadderText(p.Comment.Body) || (p.Comment.User != nil && own(p.Comment.User.Login)) {
				return nil, ResultOwnComment, nil
			}
		}
		key, err := ghKey(p.Issue, repo)
		if err != nil {
			return nil, "", fmt.Errorf("%s event: %w", kind, err)
		}
		return []Event{{Name: name, Key: key}}, "", nil
	}
	var events []Event
	for _, is := range []*ghIssue{p.ParentIssue, p.SubIssue, p.BlockedIssue, p.BlockingIssue} {
		if is == nil {
			continue
		}
		// The repository in these payloads is the hook's; either end may
		// live elsewhere, so the end's own API URL names it.
		key, err := ghKey(is, "")
		if err != nil {
			return nil, "", fmt.Errorf("%s event: %w", kind, err)
		}
		events = append(events, Event{Name: name, Key: key})
	}
	if len(events) == 0 {
		return nil, "", fmt.Errorf("%s event names no issue", kind)
	}
	return events, "", nil
}

// apiIssue matches an issue's API URL, …/repos/{owner}/{repo}/issues/{n},
// on github.com and on Enterprise's /api/v3.
var apiIssue = regexp.MustCompile(`/repos/([^/]+)/([^/]+)/issues/(\d+)$`)

// ghKey names an issue owner/repo#N: from its API URL, else from the
// repository the event is about and its number.
func ghKey(is *ghIssue, repo string) (string, error) {
	if m := apiIssue.FindStringSubmatch(is.URL); m != nil {
		return m[1] + "/" + m[2] + "#" + m[3], nil
	}
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") || is.Number <= 0 {
		return "", errors.New("no readable issue number and repository")
	}
	return repo + "#" + strconv.Itoa(is.Number), nil
}
