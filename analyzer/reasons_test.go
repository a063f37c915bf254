package analyzer

import (
	"slices"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
)

// reasonKinds are the kinds the analyzer gives its reasons.
var reasonKinds = []ladder.ReasonKind{
	ladder.ReasonTeam, ladder.ReasonCategory, ladder.ReasonGoal, ladder.ReasonUnaligned,
	ladder.ReasonDependency, ladder.ReasonOverlap, ladder.ReasonDebtAdmitted,
}

// TestReasonKinds checks, over the sample organisation, that every reason
// the analyzer writes carries a kind, that each kind is written, and that the
// reasons of each kind match the part of the verdict they explain (one team
// reason, one category reason, a goal reason per goal, an unaligned reason
// when there is no goal, an overlap reason per overlap, one debt-admitted
// reason when debt was admitted), whatever their words.
func TestReasonKinds(t *testing.T) {
	now := time.Date(2026, time.May, 20, 9, 0, 0, 0, time.UTC)
	org := sandbox.SampleOrg(now)
	cfg := Config{
		Teams:                org.Teams,
		Goals:                org.Goals,
		FiscalYearStartMonth: sandbox.FiscalYearStart,
		TechDebtLabels:       []string{"tech-debt", "refactor"},
		TechDebtTypes:        []string{"Technical Debt"},
		Now:                  now,
	}
	vs, _ := analyze(t, cfg, slices.Concat(org.Jira, org.GitHub))
	seen := map[ladder.ReasonKind]int{}
	for ref, v := range vs {
		n := map[ladder.ReasonKind]int{}
		for _, r := range v.Reasons {
			if !slices.Contains(reasonKinds, r.Kind) {
				t.Errorf("%s: reason %q has kind %q", ref, r.Text, r.Kind)
			}
			n[r.Kind]++
			seen[r.Kind]++
		}
		for _, c := range []struct {
			kind ladder.ReasonKind
			want int
		}{
			{ladder.ReasonTeam, 1},
			{ladder.ReasonCategory, 1},
			{ladder.ReasonGoal, len(v.Goals)},
			{ladder.ReasonUnaligned, boolInt(!v.Aligned)},
			{ladder.ReasonOverlap, len(v.Overlaps)},
			{ladder.ReasonDebtAdmitted, boolInt(v.DebtAdmitted)},
		} {
			if n[c.kind] != c.want {
				t.Errorf("%s: %d reasons of kind %s, want %d: %q", ref, n[c.kind], c.kind, c.want, v.Reasons)
			}
		}
		if n[ladder.ReasonDependency] > len(v.Dependencies) {
			t.Errorf("%s: %d dependency reasons for %d dependencies", ref, n[ladder.ReasonDependency], len(v.Dependencies))
		}
	}
	for _, k := range reasonKinds {
		if seen[k] == 0 {
			t.Errorf("no reason of kind %s over the sample organisation", k)
		}
	}
}
