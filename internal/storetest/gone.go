package storetest

import (
	"errors"
	"testing"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/store"
)

// testMarkGone: one issue marked gone (by key, or by the tracker's id)
// leaves reads, keeps its row, and comes back when it is put again.
func testMarkGone(t *testing.T, f Factory) {
	st := fresh(t, f)
	issues := sweepIssues()
	if _, err := st.PutIssues(t.Context(), issues); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ref  ladder.Ref // what MarkGone is given
		gone ladder.Ref // the issue it marks
		want bool
	}{
		{"by key", ladder.Ref{Tracker: "gh", Key: "A-2"}, ladder.Ref{Tracker: "gh", Key: "A-2"}, true},
		{"again", ladder.Ref{Tracker: "gh", Key: "A-2"}, ladder.Ref{Tracker: "gh", Key: "A-2"}, false},
		{"by id", ladder.Ref{Tracker: "jira", Key: "jiraA-3"}, ladder.Ref{Tracker: "jira", Key: "A-3"}, true},
		{"another tracker's key", ladder.Ref{Tracker: "jira", Key: "ghA-1"}, ladder.Ref{}, false},
		{"not stored", ladder.Ref{Tracker: "gh", Key: "B-1"}, ladder.Ref{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := st.MarkGone(t.Context(), tt.ref)
			if err != nil || got != tt.want {
				t.Fatalf("MarkGone(%s) = %v, %v; want %v", tt.ref, got, err, tt.want)
			}
			if tt.gone.IsZero() {
				return
			}
			if _, err := st.Issue(t.Context(), tt.gone); !errors.Is(err, store.ErrGone) {
				t.Errorf("Issue(%s) after MarkGone: %v, want ErrGone", tt.gone, err)
			}
		})
	}
	if n, err := st.Count(t.Context()); err != nil || n != len(issues)-2 {
		t.Errorf("Count = %d, %v; want %d", n, err, len(issues)-2)
	}
	if _, err := st.PutIssues(t.Context(), issues[1:2]); err != nil {
		t.Fatal(err)
	}
	if is, err := st.Issue(t.Context(), issues[1].Ref); err != nil || len(is.Comments) != 1 {
		t.Errorf("put again: %v with %d comments; want it back with its comment", err, len(is.Comments))
	}
}
