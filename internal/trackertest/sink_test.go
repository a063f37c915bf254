package trackertest

import (
	"context"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
)

// The suite's verdicts are only as good as its Sink: these pin the store
// semantics it promises.
func TestSink(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	issue := func(id, key, title string) ladder.Issue {
		return ladder.Issue{ID: id, Ref: ladder.Ref{Tracker: "gh", Key: key}, Title: title, Updated: at}
	}
	tests := []struct {
		name string
		run  func(t *testing.T, s *Sink)
	}{
		{"upserts by ID and counts what changed", func(t *testing.T, s *Sink) {
			put(t, s, ladder.PutStats{New: 2}, issue("1", "o/r#1", "a"), issue("2", "o/r#2", "b"))
			put(t, s, ladder.PutStats{Updated: 1, Unchanged: 1}, issue("1", "o/r#1", "a2"), issue("2", "o/r#2", "b"))
			if got := s.Issue(t, "o/r#1").Title; got != "a2" || len(s.Issues()) != 2 || s.Puts()["1"] != 2 {
				t.Errorf("title %q, %d issues, %d puts", got, len(s.Issues()), s.Puts()["1"])
			}
		}},
		{"a renamed key follows its ID", func(t *testing.T, s *Sink) {
			put(t, s, ladder.PutStats{New: 1}, issue("1", "o/old#1", "a"))
			put(t, s, ladder.PutStats{Updated: 1}, issue("1", "o/new#1", "a"))
			if _, ok := s.Find("o/old#1"); ok || len(s.Issues()) != 1 {
				t.Errorf("the old key is still stored beside the new (%d issues)", len(s.Issues()))
			}
		}},
		{"a page with an issue without ID lands not at all", func(t *testing.T, s *Sink) {
			if _, err := s.PutIssues(t.Context(), []ladder.Issue{issue("1", "o/r#1", "a"), issue("", "o/r#2", "b")}); err == nil {
				t.Error("no error")
			}
			if len(s.Issues()) != 0 {
				t.Errorf("%d issues stored of a refused page", len(s.Issues()))
			}
		}},
		{"comments of issues not stored are skipped", func(t *testing.T, s *Sink) {
			put(t, s, ladder.PutStats{New: 1}, issue("1", "o/r#1", "a"))
			err := s.PutComments(t.Context(), []ladder.IssueComment{
				{Issue: ladder.Ref{Tracker: "gh", Key: "o/r#1"}, Comment: ladder.Comment{ID: "10", Body: "kept"}},
				{Issue: ladder.Ref{Tracker: "gh", Key: "o/r#9"}, Comment: ladder.Comment{ID: "11", Body: "a pull request's"}},
			})
			if err != nil {
				t.Fatal(err)
			}
			if cs := s.CommentsOf("o/r#1"); len(cs) != 1 || cs[0].Body != "kept" || len(s.Comments()) != 1 {
				t.Errorf("comments %+v (%d in all)", cs, len(s.Comments()))
			}
		}},
		{"nothing is written once ctx is done", func(t *testing.T, s *Sink) {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			if _, err := s.PutIssues(ctx, []ladder.Issue{issue("1", "o/r#1", "a")}); err == nil {
				t.Error("PutIssues after cancel succeeded")
			}
			if err := s.SaveCursor(ctx, "gh", "o/r", "x"); err == nil {
				t.Error("SaveCursor after cancel succeeded")
			}
			if len(s.Issues()) != 0 || s.SavedCursor("gh", "o/r") != "" {
				t.Error("written after cancel")
			}
		}},
		{"cursors by tracker and scope", func(t *testing.T, s *Sink) {
			if err := s.SaveCursor(t.Context(), "gh", "o/r", "x"); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.Cursor(t.Context(), "other", "o/r"); got != "" {
				t.Errorf("another tracker's cursor %q", got)
			}
			if got, _ := s.Cursor(t.Context(), "gh", "o/r"); got != "x" {
				t.Errorf("cursor %q", got)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, NewSink()) })
	}
}

func put(t *testing.T, s *Sink, want ladder.PutStats, issues ...ladder.Issue) {
	t.Helper()
	got, err := s.PutIssues(t.Context(), issues)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("PutStats %+v, want %+v", got, want)
	}
}
