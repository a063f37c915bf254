package trackertest

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ladderhq/ladder"
)

// Sink is an in-memory ladder.Sink with the store's semantics: issues
// upserted by their tracker ID (a renamed key follows), comments by (issue,
// comment ID) and skipped when their issue is not stored, cursors by
// (tracker, scope), each call all or nothing and refused once ctx is done.
// It records how often each issue was put, for "every issue once".
type Sink struct {
	mu       sync.Mutex
	issues   map[string]ladder.Issue // by ID
	byRef    map[ladder.Ref]string   // ref → ID
	comments map[string]ladder.Comment
	cursors  map[string]string
	puts     map[string]int
	calls    int
	afterPut func(calls int)
}

// NewSink returns an empty Sink.
func NewSink() *Sink {
	return &Sink{issues: map[string]ladder.Issue{}, byRef: map[ladder.Ref]string{},
		comments: map[string]ladder.Comment{}, cursors: map[string]string{}, puts: map[string]int{}}
}

// AfterPut sets a function called after every PutIssues that stored its
// page, with the number of such calls so far: a test's way to stop a sync
// between a page being stored and its progress being saved.
func (s *Sink) AfterPut(fn func(calls int)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.afterPut = fn
}

// PutIssues upserts issues by ID.
func (s *Sink) PutIssues(ctx context.Context, issues []ladder.Issue) (ladder.PutStats, error) {
	if err := ctx.Err(); err != nil {
		return ladder.PutStats{}, err
	}
	for _, is := range issues {
		if is.ID == "" {
			return ladder.PutStats{}, fmt.Errorf("issue %s without ID", is.Ref)
		}
	}
	s.mu.Lock()
	var st ladder.PutStats
	for _, is := range issues {
		old, ok := s.issues[is.ID]
		switch {
		case !ok:
			st.New++
		case canon(old) == canon(is):
			st.Unchanged++
		default:
			st.Updated++
			delete(s.byRef, old.Ref)
		}
		s.issues[is.ID] = is
		s.byRef[is.Ref] = is.ID
		s.puts[is.ID]++
	}
	s.calls++
	calls, hook := s.calls, s.afterPut
	s.mu.Unlock()
	if hook != nil {
		hook(calls)
	}
	return st, nil
}

// PutComments upserts comments by (issue, comment ID), skipping those of
// issues not stored (GitHub's pull requests).
func (s *Sink) PutComments(ctx context.Context, comments []ladder.IssueComment) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range comments {
		if _, ok := s.byRef[c.Issue]; !ok {
			continue
		}
		s.comments[c.Issue.String()+"/"+c.ID] = c.Comment
	}
	return nil
}

// Cursor returns the saved cursor of a tracker scope, "" if none.
func (s *Sink) Cursor(ctx context.Context, tracker, scope string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return s.SavedCursor(tracker, scope), nil
}

// SaveCursor saves a tracker scope's cursor.
func (s *Sink) SaveCursor(ctx context.Context, tracker, scope, cursor string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cursors[tracker+"\x00"+scope] = cursor
	return nil
}

// SavedCursor is the cursor of a tracker scope, "" if none.
func (s *Sink) SavedCursor(tracker, scope string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cursors[tracker+"\x00"+scope]
}

// Cursors returns every saved cursor by scope.
func (s *Sink) Cursors() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	for k, v := range s.cursors {
		_, scope, _ := strings.Cut(k, "\x00")
		out[scope] = v
	}
	return out
}

// Issues returns a copy of the stored issues by ID.
func (s *Sink) Issues() map[string]ladder.Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.issues)
}

// Puts returns how often each issue ID was put.
func (s *Sink) Puts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.puts)
}

// Find returns the stored issue with the key.
func (s *Sink) Find(key string) (ladder.Issue, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, is := range s.issues {
		if is.Key == key {
			return is, true
		}
	}
	return ladder.Issue{}, false
}

// Issue returns the stored issue with the key, failing the test without it.
func (s *Sink) Issue(t testing.TB, key string) ladder.Issue {
	t.Helper()
	is, ok := s.Find(key)
	if !ok {
		t.Fatalf("issue %s not in the sink", key)
	}
	return is
}

// Comments returns a copy of the comments put on their own, by "ref/id".
func (s *Sink) Comments() map[string]ladder.Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.comments)
}

// CommentsOf returns an issue's comments, whether a connector delivered
// them inside the issue (Jira) or on their own (GitHub), by ID.
func (s *Sink) CommentsOf(key string) []ladder.Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ladder.Comment
	for _, is := range s.issues {
		if is.Key == key {
			out = append(out, is.Comments...)
		}
	}
	for k, c := range s.comments {
		if _, rest, _ := strings.Cut(k, ":"); strings.HasPrefix(rest, key+"/") {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b ladder.Comment) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Snapshot renders what the sink holds canonically (times compare by
// instant), for comparing two sinks.
func (s *Sink) Snapshot() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]string, len(s.issues)+len(s.comments))
	for id, is := range s.issues {
		out["issue "+id] = canon(is)
	}
	for k, c := range s.comments {
		out["comment "+k] = canon(c)
	}
	return out
}

func canon(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
