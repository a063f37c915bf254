// Package storetest is the behavioural contract of a Ladder store, run
// against every implementation (the SQLite store, the PostgreSQL store) so
// that they cannot drift apart: what one keeps, orders, counts, marks gone or
// locks, the other does the same way.
//
// An implementation's test calls Run with a Factory of fresh, empty stores:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) storetest.Opener {
//			path := filepath.Join(t.TempDir(), "ladder.db")
//			return func(t *testing.T) storetest.Store { … Open(t.Context(), path) … }
//		})
//	}
package storetest

import (
	"context"
	"encoding/json"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/store"
)

// Store is what the contract covers: everything the CLI asks of a store.
type Store interface {
	ladder.Sink
	Issue(ctx context.Context, ref ladder.Ref) (ladder.Issue, error)
	Title(ctx context.Context, ref ladder.Ref) (string, bool, error)
	Each(ctx context.Context, fn func(*ladder.Issue) error) error
	EachForAnalysis(ctx context.Context, fn func(*ladder.Issue) error) error
	Count(ctx context.Context) (int, error)
	Trackers(ctx context.Context) ([]string, error)
	Published(ctx context.Context, ref ladder.Ref) (store.Publication, bool, error)
	SavePublished(ctx context.Context, p store.Publication) error
	StartSweep(tracker string)
	AbandonSweep(tracker string)
	FinishSweep(ctx context.Context, tracker string) (int, error)
	MarkGone(ctx context.Context, ref ladder.Ref) (bool, error)
	Lock(ctx context.Context, me store.Holder, ttl time.Duration) (func() error, error)
	Cursors(ctx context.Context) ([]store.Cursor, error)
	Publications(ctx context.Context) ([]store.Publication, error)
	Close() error
}

// Opener opens one store: the first call creates it (empty, migrated), later
// calls open the same store again, as another process would. The suite
// closes what it opens.
type Opener func(t *testing.T) Store

// Factory makes a fresh, empty store for one test and returns its Opener.
type Factory func(t *testing.T) Opener

// Run runs the whole contract, each part in a subtest of its own.
func Run(t *testing.T, f Factory) {
	for _, c := range []struct {
		name string
		fn   func(*testing.T, Factory)
	}{
		{"RoundTrip", testRoundTrip},
		{"PutStats", testPutStats},
		{"Identity", testIdentity},
		{"LinksAndComments", testLinksAndComments},
		{"PutIsAllOrNothing", testPutIsAllOrNothing},
		{"Each", testEach},
		{"EachForAnalysis", testEachForAnalysis},
		{"ReaderDuringWrite", testReaderDuringWrite},
		{"Cursors", testCursors},
		{"Publications", testPublications},
		{"Sweep", testSweep},
		{"MarkGone", testMarkGone},
		{"Reopen", testReopen},
		{"Lock", testLock},
	} {
		t.Run(c.name, func(t *testing.T) { c.fn(t, f) })
	}
}

// open opens a store through o and closes it when the test ends.
func open(t *testing.T, o Opener) Store {
	t.Helper()
	s := o(t)
	t.Cleanup(func() { s.Close() })
	return s
}

// fresh is a fresh empty store.
func fresh(t *testing.T, f Factory) Store {
	t.Helper()
	return open(t, f(t))
}

func ptr[T any](v T) *T { return &v }

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// FullIssue sets every field of ladder.Issue, with text that tends to break
// naive storage: unicode, quotes, NULs, markup, SQL.
func FullIssue() ladder.Issue {
	return ladder.Issue{
		Ref:     ladder.Ref{Tracker: "jira", Key: "PAY-12"},
		ID:      "10012",
		URL:     "https://acme.atlassian.net/browse/PAY-12",
		Project: "PAY",
		Type:    "Technical Debt",
		Title:   "Zahlungsformular: «Ümlaute» & emoji 🚀 — 'quotes' \"double\"",
		Body:    "Plain text.\nLine two\twith tab; DROP TABLE issues; --\x00after NUL",
		BodyRaw: "h1. Heading\n{code:go}fmt.Println(\"<b>\"){code}\n* [link|https://x.y/?a=1&b=2]\n<!-- ladder -->",
		Labels:  []string{"tech-debt", "goal:checkout", "日本語", "tech-debt"},
		Components: []string{
			"API", "Web, UI",
		},
		Status:         "In Review",
		StatusCategory: ladder.StatusInProgress,
		Assignee:       "Zoë O'Brien",
		Reporter:       "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077",
		Created:        at("2026-01-05T09:15:00.123456789Z"),
		Updated:        at("2026-02-01T00:00:00Z"),
		Resolved:       ptr(at("2026-02-03T17:00:00Z")),
		Due:            ptr(at("2026-03-31T00:00:00Z")),
		Estimate:       ptr(2.5),
		Parent:         "PAY-1",
		Milestone:      "Sprint 14",
		Links: []ladder.Link{
			{Kind: ladder.BlockedBy, To: ladder.Ref{Tracker: "jira", Key: "PLAT-88"}, Via: "Blocks"},
			{Kind: ladder.Relates, To: ladder.Ref{Tracker: "gh", Key: "acme/api#7"}, Via: "text"},
			{Kind: ladder.ParentOf, To: ladder.Ref{Tracker: "jira", Key: "PAY-1"}, Via: "parent"},
		},
		Comments: []ladder.Comment{
			{ID: "501", Author: "ann", Created: at("2026-01-06T10:00:00Z"), Updated: at("2026-01-07T10:00:00Z"),
				Body: "workaround for now", Raw: "_workaround_ for now"},
			{ID: "502", Author: "bob", Created: at("2026-01-08T10:00:00Z"), Body: "ok 👍", Raw: "ok :+1:"},
		},
	}
}

// Dump reads the whole store through Each, for before/after comparisons.
func Dump(t *testing.T, s Store) []ladder.Issue {
	t.Helper()
	var all []ladder.Issue
	if err := s.Each(t.Context(), func(is *ladder.Issue) error {
		all = append(all, *is)
		return nil
	}); err != nil {
		t.Fatalf("Each: %v", err)
	}
	return all
}

func mustPut(t *testing.T, s Store, issues ...ladder.Issue) ladder.PutStats {
	t.Helper()
	st, err := s.PutIssues(t.Context(), issues)
	if err != nil {
		t.Fatalf("PutIssues: %v", err)
	}
	return st
}

func mustIssue(t *testing.T, s Store, ref ladder.Ref) ladder.Issue {
	t.Helper()
	is, err := s.Issue(t.Context(), ref)
	if err != nil {
		t.Fatalf("Issue(%s): %v", ref, err)
	}
	return is
}

func diff(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		w, _ := json.MarshalIndent(want, "", "  ")
		t.Errorf("%s:\ngot  %s\nwant %s", what, g, w)
	}
}

func refsOf(issues []ladder.Issue) []string {
	var out []string
	for _, is := range issues {
		out = append(out, is.Ref.String())
	}
	return out
}

// cancelAfter is a context cancelled by the n-th call of its Err: a store
// asks Err before each item of a batch, so a cancel lands mid-batch in any
// implementation without a hook inside it.
type cancelAfter struct {
	context.Context
	mu   sync.Mutex
	left int
	done chan struct{}
	err  error
}

func newCancelAfter(parent context.Context, n int) *cancelAfter {
	return &cancelAfter{Context: parent, left: n, done: make(chan struct{})}
}

func (c *cancelAfter) Done() <-chan struct{} { return c.done }

func (c *cancelAfter) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		c.left--
		if c.left <= 0 {
			c.err = context.Canceled
			close(c.done)
		}
	}
	return c.err
}
