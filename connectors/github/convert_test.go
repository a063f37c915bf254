package github

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/ladderhq/ladder"
)

func TestPlainText(t *testing.T) {
	tests := []struct {
		name, md, want string
	}{
		{"plain", "Checkout fails on Safari", "Checkout fails on Safari"},
		{"heading and emphasis", "## The **cart** is _slow_ ##", "The cart is slow"},
		{"snake_case kept", "rename `user_id` in __init__", "rename user_id in init"},
		{"links and images", "See [the RFC](https://x/rfc) and ![diagram](d.png) <https://example.com/a>", "See the RFC and diagram https://example.com/a"},
		{"references kept", "Blocked by #12 and acme/platform#7, see PLAT-88", "Blocked by #12 and acme/platform#7, see PLAT-88"},
		{"marker and html dropped", "<!-- ladder:verdict -->\n<details><summary>Why</summary>text</details>", "Whytext"},
		{"lists, tasks and quotes", "- [x] done\n- [ ] todo\n1. first\n> quoted **bold**\n> - nested item", "done\ntodo\nfirst\nquoted bold\nnested item"},
		{"fenced code keeps its text", "Before\n```go\nx := 1\n```\nAfter", "Before\nx := 1\nAfter"},
		{"table", "| a | b |\n|---|:-:|\n| 1 | 2 |", "a b\n1 2"},
		{"rule and blank lines", "one\n\n\n---\n\ntwo\r\n", "one\n\ntwo"},
		{"entities", "a &amp; b &lt;c&gt;", "a & b <c>"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := plainText(tt.md); got != tt.want {
				t.Errorf("plainText(%q)\n got %q\nwant %q", tt.md, got, tt.want)
			}
		})
	}
}

func TestLabelEstimate(t *testing.T) {
	tests := []struct {
		label string
		want  *float64
	}{
		{"estimate:3", ptr(3)},
		{"points: 5", ptr(5)},
		{"Story Points=2.5", ptr(2.5)},
		{"story-points:8", ptr(8)},
		{"sp:1", ptr(1)},
		{"estimate", nil},
		{"points:many", nil},
		{"bug", nil},
		{"priority:3", nil},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			got := labelEstimate(tt.label)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("labelEstimate(%q) = %v, want %v", tt.label, deref(got), deref(tt.want))
			}
		})
	}
}

func ptr(f float64) *float64 { return &f }

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func TestConvertIssueStatus(t *testing.T) {
	tests := []struct {
		name       string
		json       string
		wantCat    ladder.StatusCategory
		wantStatus string
		resolved   bool
	}{
		{"open unassigned", `{"state":"open"}`, ladder.StatusTodo, "open", false},
		{"open assigned", `{"state":"open","assignee":{"login":"bob"}}`, ladder.StatusInProgress, "open", false},
		{"closed completed", `{"state":"closed","state_reason":"completed","closed_at":"2026-01-02T03:04:05Z"}`, ladder.StatusDone, "closed (completed)", true},
		{"closed not planned, assigned", `{"state":"closed","state_reason":"not_planned","assignee":{"login":"bob"},"closed_at":"2026-01-02T03:04:05Z"}`, ladder.StatusDone, "closed (not_planned)", true},
		{"reopened keeps no closed_at", `{"state":"open","state_reason":"reopened"}`, ladder.StatusTodo, "open", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w wireIssue
			if err := json.Unmarshal([]byte(tt.json), &w); err != nil {
				t.Fatal(err)
			}
			w.Number = 1
			is := convertIssue("gh", "acme/api", &w, nil)
			if is.StatusCategory != tt.wantCat || is.Status != tt.wantStatus || (is.Resolved != nil) != tt.resolved {
				t.Errorf("got %s / %q / resolved %v; want %s / %q / %v", is.StatusCategory, is.Status, is.Resolved, tt.wantCat, tt.wantStatus, tt.resolved)
			}
			if is.Key != "acme/api#1" || is.Project != "acme/api" || is.Type != "Issue" || is.Estimate != nil {
				t.Errorf("key %q project %q type %q estimate %v", is.Key, is.Project, is.Type, is.Estimate)
			}
		})
	}
}

func TestKeyFromAPIURL(t *testing.T) {
	tests := []struct {
		url, want string
		ok        bool
	}{
		{"https://api.github.com/repos/acme/api/issues/12", "acme/api#12", true},
		{"https://ghe.example.com/api/v3/repos/acme/web/issues/3", "acme/web#3", true},
		{"https://api.github.com/repos/acme/api/pulls/12", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			got, ok := keyFromAPIURL(tt.url)
			if got != tt.want || ok != tt.ok {
				t.Errorf("keyFromAPIURL = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
