// Package ladder holds Ladder's domain types: issues as every tracker's
// connector delivers them, the goals and teams a config declares, and the
// verdicts the analyzer produces. It depends on the standard library only, so
// every other package can speak these types without importing each other.
package ladder

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Ref names one issue: the tracker's name from config plus the tracker's own
// key (PAY-12, acme/payments#45).
type Ref struct {
	Tracker string `json:"tracker"`
	Key     string `json:"key"`
}

func (r Ref) String() string { return r.Tracker + ":" + r.Key }

// IsZero reports whether r names nothing.
func (r Ref) IsZero() bool { return r.Tracker == "" && r.Key == "" }

// ParseRef reads "tracker:KEY" (gh:acme/planning#1, jira:PLAN-1).
func ParseRef(s string) (Ref, error) {
	tracker, key, ok := strings.Cut(s, ":")
	if !ok || tracker == "" || key == "" {
		return Ref{}, fmt.Errorf("issue reference %q: want tracker:KEY, e.g. jira:PAY-12 or gh:acme/payments#45", s)
	}
	return Ref{Tracker: tracker, Key: key}, nil
}

// StatusCategory is the tracker-neutral state of an issue.
type StatusCategory string

const (
	StatusTodo       StatusCategory = "todo"
	StatusInProgress StatusCategory = "in_progress"
	StatusDone       StatusCategory = "done"
)

// LinkKind says how an issue relates to another, read from this issue's side:
// BlockedBy means "this issue waits on To".
type LinkKind string

const (
	Blocks     LinkKind = "blocks"
	BlockedBy  LinkKind = "blocked_by"
	DependsOn  LinkKind = "depends_on"
	ParentOf   LinkKind = "parent" // To is this issue's parent
	ChildOf    LinkKind = "child"  // To is a child of this issue
	Relates    LinkKind = "relates"
	Duplicates LinkKind = "duplicates"
	Mentions   LinkKind = "mentions"
)

// Waits reports whether a link of this kind means this issue cannot finish
// before the other one does.
func (k LinkKind) Waits() bool { return k == BlockedBy || k == DependsOn }

// Link is one edge from an issue to another, possibly in another tracker. Via
// says where it came from: a Jira link type name, "github dependency",
// "sub-issue", "text".
type Link struct {
	Kind LinkKind
	To   Ref
	Via  string
}

type linkJSON struct {
	Kind    LinkKind `json:"kind"`
	Tracker string   `json:"tracker,omitempty"`
	Key     string   `json:"key"`
	Via     string   `json:"via,omitempty"`
}

// MarshalJSON writes the canonical flat shape {"kind","tracker","key","via"}.
func (l Link) MarshalJSON() ([]byte, error) {
	return json.Marshal(linkJSON{Kind: l.Kind, Tracker: l.To.Tracker, Key: l.To.Key, Via: l.Via})
}

// UnmarshalJSON reads the canonical flat shape. A link without a tracker is
// left with an empty To.Tracker; importers fill in the issue's own tracker.
func (l *Link) UnmarshalJSON(b []byte) error {
	var w linkJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*l = Link{Kind: w.Kind, To: Ref{Tracker: w.Tracker, Key: w.Key}, Via: w.Via}
	return nil
}

// Comment is one comment on an issue. Body is plain text for analysis; Raw
// keeps the tracker's markup (Jira wiki markup, GitHub Markdown).
type Comment struct {
	ID      string    `json:"id,omitempty"`
	Author  string    `json:"author"`
	Created time.Time `json:"created,omitzero"`
	Updated time.Time `json:"updated,omitzero"`
	Body    string    `json:"body"`
	Raw     string    `json:"raw,omitempty"`
}

// Issue is one work item in the canonical shape shared by connectors, the
// store, import and the analyzer. Optional values are nil or empty, never a
// made-up zero: an Estimate of nil means "not estimated".
type Issue struct {
	Ref
	// ID is the tracker's stable identifier (Jira issue id, GitHub issue id).
	// It survives moves and renames, so the store keys issues by it; Key follows.
	ID             string         `json:"id,omitempty"`
	URL            string         `json:"url,omitempty"`
	Project        string         `json:"project,omitempty"`
	Type           string         `json:"type,omitempty"`
	Title          string         `json:"title"`
	Body           string         `json:"body,omitempty"`
	BodyRaw        string         `json:"body_raw,omitempty"`
	Labels         []string       `json:"labels,omitempty"`
	Components     []string       `json:"components,omitempty"`
	Status         string         `json:"status,omitempty"`
	StatusCategory StatusCategory `json:"status_category,omitempty"`
	Assignee       string         `json:"assignee,omitempty"`
	Reporter       string         `json:"reporter,omitempty"`
	Created        time.Time      `json:"created,omitzero"`
	Updated        time.Time      `json:"updated,omitzero"`
	Resolved       *time.Time     `json:"resolved,omitempty"`
	Due            *time.Time     `json:"due,omitempty"`
	Estimate       *float64       `json:"estimate,omitempty"`
	// Parent is the key of the epic / parent issue / GitHub parent issue, in
	// the same tracker.
	Parent    string    `json:"parent,omitempty"`
	Milestone string    `json:"milestone,omitempty"`
	Links     []Link    `json:"links,omitempty"`
	Comments  []Comment `json:"comments,omitempty"`
}

// Open reports whether the issue is not done.
func (i *Issue) Open() bool { return i.StatusCategory != StatusDone }

// HasLabel reports whether the issue carries label l (case-insensitive, as
// both trackers treat labels in search).
func (i *Issue) HasLabel(l string) bool {
	for _, x := range i.Labels {
		if strings.EqualFold(x, l) {
			return true
		}
	}
	return false
}
