package analyzer

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
)

func teamQuarter(t *testing.T, sum *ladder.Summary, team, q string) ladder.TeamQuarter {
	t.Helper()
	for _, tq := range sum.Teams {
		if tq.Team == team && tq.Quarter == q {
			return tq
		}
	}
	t.Fatalf("no %s %s in %+v", team, q, sum.Teams)
	return ladder.TeamQuarter{}
}

func TestSummaryShares(t *testing.T) {
	lastQ := time.Date(2026, time.January, 10, 0, 0, 0, 0, time.UTC) // FY2026-Q4
	issues := []ladder.Issue{
		jira("PAY-1", "Epic", points(0)),
		jira("PAY-2", "Cart", parent("PAY-1"), points(5)),
		jira("PAY-3", "Payment form", parent("PAY-1"), points(3), done(now.AddDate(0, 0, -3))),
		jira("PAY-4", "Refactor the tax module", labels("tech-debt"), points(2), done(now.AddDate(0, 0, -5))),
		jira("PAY-5", "Offsite", comment("alice", "workaround for now")),
		jira("PAY-6", "Old debt", labels("tech-debt"), points(8), done(lastQ)),
		jira("PLAT-1", "Retire the runner", labels("tech-debt")),
		jira("OPS-1", "Nobody's"),
	}
	_, sum := analyze(t, testConfig(), issues)

	q1 := teamQuarter(t, sum, "payments", "FY2027-Q1")
	if q1.Issues != 5 || q1.Estimated != 4 || q1.Points != 10 {
		t.Errorf("payments Q1 issues %d estimated %d points %v; want 5, 4, 10", q1.Issues, q1.Estimated, q1.Points)
	}
	goals := map[string]ladder.Share{}
	for _, g := range q1.Goals {
		goals[g.Goal] = g.Share
	}
	want := ladder.Share{Issues: 3, Points: 8, ShareCount: 0.6, ShareEstimate: 0.8}
	if goals["pay-checkout"] != want || goals["self-serve"] != want {
		t.Errorf("goal shares %+v; want pay-checkout and its company goal self-serve at %+v", q1.Goals, want)
	}
	if q1.Unaligned != (ladder.Share{Issues: 2, Points: 2, ShareCount: 0.4, ShareEstimate: 0.2}) {
		t.Errorf("unaligned %+v", q1.Unaligned)
	}
	if len(q1.UnalignedIssues) != 2 || q1.UnalignedIssues[0].Key != "PAY-5" || q1.UnalignedIssues[1].Key != "PAY-4" {
		t.Errorf("unaligned issues %+v; want open PAY-5 before done PAY-4", q1.UnalignedIssues)
	}
	if q1.Debt != (ladder.Share{Issues: 1, Points: 2, ShareCount: 0.2, ShareEstimate: 0.2}) || q1.DebtPaid != 1 || q1.DebtAdmitted != 1 {
		t.Errorf("debt %+v paid %d admitted %d", q1.Debt, q1.DebtPaid, q1.DebtAdmitted)
	}
	if q1.DebtStatus != "within" || q1.DebtTarget != (ladder.Band{Min: 0.15, Max: 0.25}) {
		t.Errorf("debt status %s target %+v", q1.DebtStatus, q1.DebtTarget)
	}
	q4 := teamQuarter(t, sum, "payments", "FY2026-Q4")
	if q4.Issues != 1 || q4.DebtStatus != "above" || q4.DebtPaid != 1 {
		t.Errorf("payments last quarter %+v", q4)
	}
	data := teamQuarter(t, sum, "data", "FY2027-Q1") // no issues, still listed
	if data.Issues != 0 || data.DebtStatus != "no target" {
		t.Errorf("data %+v", data)
	}
	var order []string
	for _, tq := range sum.Teams {
		order = append(order, tq.Team+" "+tq.Quarter)
	}
	if fmt.Sprint(order) != "[payments FY2026-Q4 payments FY2027-Q1 platform FY2027-Q1 data FY2027-Q1]" {
		t.Errorf("order %q", order)
	}
	if len(sum.UnknownTeam) != 1 || sum.UnknownTeam[0].Key != "OPS-1" {
		t.Errorf("unknown team %+v", sum.UnknownTeam)
	}
	if !sum.GeneratedAt.Equal(now) || len(sum.Goals) != len(testConfig().Goals) {
		t.Errorf("generated %v, goals %d", sum.GeneratedAt, len(sum.Goals))
	}
}

func TestDebtStatus(t *testing.T) {
	band := ladder.Band{Min: 0.15, Max: 0.25}
	tests := []struct {
		name string
		tq   ladder.TeamQuarter
		want string
	}{
		{"no target", ladder.TeamQuarter{Issues: 10, Debt: ladder.Share{ShareCount: 0.5}}, "no target"},
		{"below by count", ladder.TeamQuarter{Issues: 10, Debt: ladder.Share{ShareCount: 0.1}, DebtTarget: band}, "below"},
		{"at the lower edge", ladder.TeamQuarter{Issues: 10, Debt: ladder.Share{ShareCount: 0.15}, DebtTarget: band}, "within"},
		{"at the upper edge", ladder.TeamQuarter{Issues: 10, Debt: ladder.Share{ShareCount: 0.25}, DebtTarget: band}, "within"},
		{"above by count", ladder.TeamQuarter{Issues: 10, Debt: ladder.Share{ShareCount: 0.3}, DebtTarget: band}, "above"},
		{"by count, whatever the estimates say", ladder.TeamQuarter{Issues: 10, Estimated: 10, Points: 20,
			Debt: ladder.Share{ShareCount: 0.1, ShareEstimate: 0.5}, DebtTarget: band}, "below"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := debtStatus(&tt.tq); got != tt.want {
				t.Errorf("debtStatus = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestUnalignedListLimit(t *testing.T) {
	var issues []ladder.Issue
	for i := 1; i <= 25; i++ {
		opt := func(*ladder.Issue) {}
		if i%2 == 0 {
			opt = done(now.AddDate(0, 0, -1))
		}
		issues = append(issues, jira(fmt.Sprintf("PAY-%d", 100-i), "Offsite", opt))
	}
	cfg := testConfig()
	cfg.ListLimit = 4
	_, sum := analyze(t, cfg, issues)
	q1 := teamQuarter(t, sum, "payments", "FY2027-Q1")
	var got []string
	for _, l := range q1.UnalignedIssues {
		got = append(got, fmt.Sprintf("%s:%s", l.Key, l.Status))
	}
	if fmt.Sprint(got) != "[PAY-75:todo PAY-77:todo PAY-79:todo PAY-81:todo]" || q1.Unaligned.Issues != 25 {
		t.Errorf("listed %q of %d; want the four smallest open keys of 25", got, q1.Unaligned.Issues)
	}
}

// TestSummaryListsStayBounded checks that the summary's lists of issues no
// team owns, of blockers per team pair and of blockers nobody plans are the
// first ListLimit of what an unlimited run lists, with every one counted.
func TestSummaryListsStayBounded(t *testing.T) {
	org := newSynthOrg(20_000)
	// Without team9 its projects' issues belong to no team.
	org.cfg.Teams = org.cfg.Teams[:9]
	org.cfg.Goals = slices.DeleteFunc(org.cfg.Goals, func(g ladder.Goal) bool { return g.Team == "team9" })
	run := func(limit int, reverse bool) *ladder.Summary {
		org.reverse = reverse
		cfg := org.cfg
		cfg.ListLimit = limit
		a, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := a.Run(org.each, nil)
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	all, some := run(-1, false), run(3, false)
	// The lists are trimmed as the run goes; what is kept must not depend
	// on the order the store streams issues in.
	if back := run(3, true); !reflect.DeepEqual(back.UnknownTeam, some.UnknownTeam) || !reflect.DeepEqual(back.Dependencies, some.Dependencies) {
		t.Error("streaming the issues last first lists other issues")
	}

	if len(all.UnknownTeam) < 10 || all.UnknownTeamTotal != len(all.UnknownTeam) {
		t.Fatalf("unlimited run: %d issues without a team, total %d", len(all.UnknownTeam), all.UnknownTeamTotal)
	}
	if !slices.Equal(some.UnknownTeam, all.UnknownTeam[:3]) || some.UnknownTeamTotal != all.UnknownTeamTotal {
		t.Errorf("unknown team: %v of %d, want %v of %d", some.UnknownTeam, some.UnknownTeamTotal, all.UnknownTeam[:3], all.UnknownTeamTotal)
	}

	da, ds := all.Dependencies, some.Dependencies
	if len(da.Uncovered) < 10 || da.UncoveredTotal != len(da.Uncovered) {
		t.Fatalf("unlimited run: %d uncovered blockers, total %d", len(da.Uncovered), da.UncoveredTotal)
	}
	if !reflect.DeepEqual(ds.Uncovered, da.Uncovered[:3]) || ds.UncoveredTotal != da.UncoveredTotal {
		t.Errorf("uncovered: %d listed of %d, want the first 3 of %d", len(ds.Uncovered), ds.UncoveredTotal, da.UncoveredTotal)
	}
	if len(ds.Pairs) != len(da.Pairs) {
		t.Fatalf("%d team pairs, want %d", len(ds.Pairs), len(da.Pairs))
	}
	capped, uncovered := 0, 0
	for i, p := range da.Pairs {
		q := ds.Pairs[i]
		if p.Open != len(p.Blockers) {
			t.Errorf("unlimited %s→%s: open %d, %d listed", p.Waiting, p.Blocking, p.Open, len(p.Blockers))
		}
		want := p.Blockers[:min(3, len(p.Blockers))]
		if q.Waiting != p.Waiting || q.Blocking != p.Blocking || q.Open != p.Open || q.Uncovered != p.Uncovered || !reflect.DeepEqual(q.Blockers, want) {
			t.Errorf("pair %s→%s: open %d/%d uncovered %d/%d, %d listed; want the first %d", q.Waiting, q.Blocking, q.Open, p.Open, q.Uncovered, p.Uncovered, len(q.Blockers), len(want))
		}
		if len(p.Blockers) > 3 {
			capped++
		}
		n := 0
		for _, b := range p.Blockers {
			if len(b.BlockerGoals) == 0 {
				n++
			}
		}
		if p.Uncovered != n {
			t.Errorf("pair %s→%s: uncovered %d, %d blockers without a goal", p.Waiting, p.Blocking, p.Uncovered, n)
		}
		uncovered += p.Uncovered
	}
	if capped == 0 {
		t.Error("no team pair has more than 3 blockers: the limit was not exercised")
	}
	if uncovered != da.UncoveredTotal {
		t.Errorf("pairs count %d uncovered blockers, the summary %d", uncovered, da.UncoveredTotal)
	}
}
