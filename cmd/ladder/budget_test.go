package main

import (
	"errors"
	"slices"
	"testing"

	"github.com/ladderhq/ladder"
)

func TestSpendBudget(t *testing.T) {
	gh := func(key string) planItem { return planItem{Ref: ladder.Ref{Tracker: "gh", Key: key}, Body: "text"} }
	jira := func(key string) planItem { return planItem{Ref: ladder.Ref{Tracker: "jira", Key: key}, Body: "text"} }
	tests := []struct {
		name       string
		left       int
		ghLeft     int // -1: no hour limit on gh
		summary    bool
		items      []planItem
		outcome    map[string]action // what look plans for a key; default create
		want       []string          // key:action after spending, in key order; the summary first
		wantLooked []string
	}{
		{
			name: "the summary has the first claim, the rest in key order", left: 2, ghLeft: -1, summary: true,
			items:      []planItem{gh("o/r#3"), gh("o/r#1"), gh("o/r#2")},
			want:       []string{"summary:create", "o/r#1:create", "o/r#2:deferred", "o/r#3:deferred"},
			wantLooked: []string{"summary", "o/r#1"},
		},
		{
			name: "no budget defers the summary too, unread", left: 0, ghLeft: -1, summary: true,
			items: []planItem{gh("o/r#1")},
			want:  []string{"summary:deferred", "o/r#1:deferred"},
		},
		{
			name: "unchanged and failed look-ups spend nothing", left: 1, ghLeft: -1,
			items:      []planItem{gh("o/r#1"), gh("o/r#2"), gh("o/r#3"), gh("o/r#4")},
			outcome:    map[string]action{"o/r#1": actUnchanged, "o/r#2": actFailed},
			want:       []string{"o/r#1:unchanged", "o/r#2:failed", "o/r#3:create", "o/r#4:deferred"},
			wantLooked: []string{"o/r#1", "o/r#2", "o/r#3"},
		},
		{
			name: "updates spend like creates", left: 1, ghLeft: -1,
			items:   []planItem{gh("o/r#1"), gh("o/r#2")},
			outcome: map[string]action{"o/r#1": actUpdate},
			want:    []string{"o/r#1:update", "o/r#2:deferred"}, wantLooked: []string{"o/r#1"},
		},
		{
			name: "items already decided are left alone", left: 5, ghLeft: -1,
			items: []planItem{{Ref: ladder.Ref{Tracker: "gh", Key: "o/r#1"}, Action: actOptedOut}, {Ref: ladder.Ref{Tracker: "gh", Key: "o/r#2"}, Action: actUnchanged}},
			want:  []string{"o/r#1:opted-out", "o/r#2:unchanged"},
		},
		{
			name: "a tracker's hour limit defers its own issues only", left: 10, ghLeft: 1,
			items:      []planItem{gh("o/r#1"), gh("o/r#2"), jira("PAY-1"), jira("PAY-2")},
			want:       []string{"o/r#1:create", "o/r#2:deferred", "PAY-1:create", "PAY-2:create"},
			wantLooked: []string{"o/r#1", "PAY-1", "PAY-2"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newWriteBudget(tc.left, "writeback.max_writes is N")
			if tc.ghLeft >= 0 {
				b.limit("gh", tc.ghLeft, "GitHub allows 500 an hour")
			}
			var summary *planItem
			if tc.summary {
				summary = &planItem{Ref: ladder.Ref{Tracker: "gh", Key: "summary"}}
			}
			items := slices.Clone(tc.items)
			var looked []string
			err := spendBudget(b, summary, items, func(it *planItem, isSummary bool) error {
				if isSummary != (it == summary) {
					t.Errorf("look(%s) told summary=%v", it.Ref, isSummary)
				}
				looked = append(looked, it.Ref.Key)
				it.Action = actCreate
				if a, ok := tc.outcome[it.Ref.Key]; ok {
					it.Action = a
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			if summary != nil {
				got = append(got, summary.Ref.Key+":"+string(summary.Action))
			}
			for _, it := range items {
				got = append(got, it.Ref.Key+":"+string(it.Action))
				if it.Action == actDeferred && (it.Body != "" || it.Why == "") {
					t.Errorf("deferred %s: body %q, why %q", it.Ref, it.Body, it.Why)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got  %v\nwant %v", got, tc.want)
			}
			if !slices.Equal(looked, tc.wantLooked) {
				t.Errorf("looked up %v, want %v", looked, tc.wantLooked)
			}
		})
	}
}

func TestSpendBudgetSaysWhyItDefers(t *testing.T) {
	b := newWriteBudget(1, "writeback.max_writes is 1")
	b.limit("gh", 0, "GitHub allows 500 an hour")
	items := []planItem{{Ref: ladder.Ref{Tracker: "gh", Key: "o/r#1"}}, {Ref: ladder.Ref{Tracker: "jira", Key: "A-1"}}, {Ref: ladder.Ref{Tracker: "jira", Key: "A-2"}}}
	if err := spendBudget(b, nil, items, func(it *planItem, _ bool) error { it.Action = actCreate; return nil }); err != nil {
		t.Fatal(err)
	}
	want := []string{"GitHub allows 500 an hour", "", "writeback.max_writes is 1"} // gh:… sorts first
	for i, it := range items {
		if it.Why != want[i] {
			t.Errorf("%s: why %q, want %q", it.Ref, it.Why, want[i])
		}
	}
	stop := errors.New("render failed")
	if err := spendBudget(newWriteBudget(5, ""), &planItem{}, nil, func(*planItem, bool) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("a failing look of the summary: %v", err)
	}
}
