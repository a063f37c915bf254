package main

import (
	"maps"
	"slices"
	"testing"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/config"
	"github.com/ladderhq/ladder/internal/store"
)

// TestSelectorsAreTheConfigsNames: config validates writeback.comment_on
// against its list and publish gives each name its meaning here; a name in
// one and not the other is a selector that is accepted and does nothing,
// or one nobody can turn on.
func TestSelectorsAreTheConfigsNames(t *testing.T) {
	got := slices.Sorted(maps.Keys(selectors))
	want := slices.Sorted(slices.Values(config.CommentOnValues))
	if !slices.Equal(got, want) {
		t.Errorf("publish implements selectors %v; config accepts %v", got, want)
	}
}

func TestSelects(t *testing.T) {
	v := func(edit func(*ladder.Verdict)) *ladder.Verdict {
		out := &ladder.Verdict{Aligned: true}
		edit(out)
		return out
	}
	tests := []struct {
		name string
		on   []string
		v    *ladder.Verdict
		want bool
	}{
		{"all", []string{"all"}, v(func(*ladder.Verdict) {}), true},
		{"nothing", nil, v(func(*ladder.Verdict) {}), false},
		{"cross team", []string{"cross_team"}, v(func(v *ladder.Verdict) { v.CrossTeam = true }), true},
		{"not cross team", []string{"cross_team"}, v(func(*ladder.Verdict) {}), false},
		{"unaligned", []string{"unaligned"}, v(func(v *ladder.Verdict) { v.Aligned = false }), true},
		{"aligned", []string{"aligned"}, v(func(*ladder.Verdict) {}), true},
		{"tech debt", []string{"tech_debt"}, v(func(v *ladder.Verdict) { v.TechDebt = true }), true},
		{"debt admitted", []string{"debt_admitted"}, v(func(v *ladder.Verdict) { v.DebtAdmitted = true }), true},
		{"overlap", []string{"overlap"}, v(func(v *ladder.Verdict) { v.Overlaps = make([]ladder.Overlap, 1) }), true},
		{"any of several", []string{"tech_debt", "aligned"}, v(func(*ladder.Verdict) {}), true},
		{"none of several", []string{"tech_debt", "unaligned"}, v(func(*ladder.Verdict) {}), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := selects(tc.on, tc.v); got != tc.want {
				t.Errorf("selects(%v) = %v, want %v", tc.on, got, tc.want)
			}
		})
	}
}

func TestPlanRulesDecide(t *testing.T) {
	ref := ladder.Ref{Tracker: "gh", Key: "o/r#1"}
	rules := planRules{Trackers: map[string]bool{"gh": true}, CommentOn: []string{"unaligned"}, OptedOut: map[ladder.Ref]bool{}}
	tests := []struct {
		name   string
		edit   func(*planRules, *ladder.Verdict)
		want   bool
		action action
	}{
		{"selected open issue", func(*planRules, *ladder.Verdict) {}, true, ""},
		{"not selected", func(_ *planRules, v *ladder.Verdict) { v.Aligned = true }, false, ""},
		{"tracker not published", func(r *planRules, _ *ladder.Verdict) { r.Trackers = map[string]bool{"jira": true} }, false, ""},
		{"done issue", func(_ *planRules, v *ladder.Verdict) { v.Status = ladder.StatusDone }, false, ""},
		{"done issue with --include-done", func(r *planRules, v *ladder.Verdict) { v.Status = ladder.StatusDone; r.IncludeDone = true }, true, ""},
		{"opted out", func(r *planRules, _ *ladder.Verdict) { r.OptedOut = map[ladder.Ref]bool{ref: true} }, true, actOptedOut},
		{"opted out but not selected", func(r *planRules, v *ladder.Verdict) { r.OptedOut = map[ladder.Ref]bool{ref: true}; v.Aligned = true }, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, v := rules, &ladder.Verdict{Ref: ref, Status: ladder.StatusTodo}
			tc.edit(&r, v)
			item, ok := r.decide(v)
			if ok != tc.want || item.Action != tc.action {
				t.Errorf("decide = %q, %v; want %q, %v", item.Action, ok, tc.action, tc.want)
			}
		})
	}
}

func TestKnownUnchanged(t *testing.T) {
	body := "<!-- ladder -->\nAligned with goal G1."
	tests := []struct {
		name   string
		pub    store.Publication
		ok     bool
		verify bool
		want   action
	}{
		{"same text as last written", store.Publication{CommentID: "7", Hash: bodyHash(body)}, true, false, actUnchanged},
		{"same text but trailing spaces", store.Publication{CommentID: "7", Hash: bodyHash(body + "  \r\n")}, true, false, actUnchanged},
		{"other text", store.Publication{CommentID: "7", Hash: bodyHash("old")}, true, false, ""},
		{"never written", store.Publication{}, false, false, ""},
		{"--verify asks the tracker", store.Publication{CommentID: "7", Hash: bodyHash(body)}, true, true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			item := planItem{Body: body}
			knownUnchanged(&item, tc.pub, tc.ok, tc.verify)
			if item.Action != tc.want {
				t.Errorf("action %q, want %q", item.Action, tc.want)
			}
			if tc.want == actUnchanged && (item.Body != "" || item.CommentID != "7") {
				t.Errorf("unchanged item keeps body %q, comment %q", item.Body, item.CommentID)
			}
		})
	}
}
