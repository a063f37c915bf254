package report

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
)

var (
	update      = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")
	sample      = flag.String("sample", "", "TestWriteSample writes the fixture's HTML report to this file")
	sampleMany  = flag.String("sample-many", "", "TestWriteSample writes a report of many teams with long names to this file")
	sampleEmpty = flag.String("sample-empty", "", "TestWriteSample writes the report of an empty store to this file")
)

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (-want +got):\n%s", name, Diff(string(want), string(got)))
	}
}

func ref(tr, key string) ladder.Ref { return ladder.Ref{Tracker: tr, Key: key} }

func line(tr, key, title string, st ladder.StatusCategory) ladder.IssueLine {
	return ladder.IssueLine{Ref: ref(tr, key), Title: title, Status: st}
}

func ptr[T any](v T) *T { return &v }

// share builds a Share whose fractions agree with its counts.
func share(issues, of int, pts, ofPts float64) ladder.Share {
	s := ladder.Share{Issues: issues, Points: pts}
	if of > 0 {
		s.ShareCount = float64(issues) / float64(of)
	}
	if ofPts > 0 {
		s.ShareEstimate = pts / ofPts
	}
	return s
}

// fixtureOptions is a February fiscal year as of mid-March 2026: the
// current quarter is FY2027-Q1 and the trend runs back to FY2026-Q2.
func fixtureOptions() Options {
	return Options{
		Title:                "Acme product report",
		Now:                  time.Date(2026, 3, 15, 9, 30, 0, 0, time.UTC),
		FiscalYearStartMonth: time.February,
		Quarters:             4,
		Goals: []ladder.Goal{
			{ID: "self-serve", Title: "Grow self-serve revenue", Quarter: "FY2027-Q1"},
			{ID: "reliability", Title: "Checkout never goes down"},
			{ID: "pay-checkout", Title: "One-page checkout", Team: "payments", Parent: "self-serve"},
			{ID: "pay-wallets", Title: "Wallet payments", Team: "payments", Parent: "self-serve"},
			{ID: "plat-api", Title: "Stable public API", Team: "platform", Parent: "reliability"},
			{ID: "plat-obs", Title: "Observability for every service", Team: "platform", Parent: "reliability"},
			{ID: "search-relevance", Title: "Search finds the right product", Team: "search", Parent: "self-serve"},
			// Goals nobody works on: a company goal of this quarter, a team
			// goal under it with no quarter of its own, the only goal of a
			// team without issues, and one of an earlier quarter.
			{ID: "eu-launch", Title: "Launch in the EU", Quarter: "FY2027-Q1"},
			{ID: "pay-sepa", Title: "SEPA Direct Debit", Team: "payments", Parent: "eu-launch"},
			{ID: "growth-localise", Title: "Localise the web signup", Team: "growth", Parent: "eu-launch"},
			{ID: "plat-legacy", Title: "Retire the legacy runner", Team: "platform", Parent: "reliability", Quarter: "FY2026-Q4"},
		},
		Teams: []ladder.Team{
			{Name: "payments", TechDebtTarget: ladder.Band{Min: 0.15, Max: 0.25}},
			{Name: "platform", TechDebtTarget: ladder.Band{Min: 0.10, Max: 0.20}},
			{Name: "search", TechDebtTarget: ladder.Band{Min: 0.20, Max: 0.30}},
			{Name: "growth"}, // configured, but no issues yet
		},
	}
}

// fixtureSummary is a realistic organisation: three configured teams with
// quarters of history, one team the config does not know (mobile), blockers
// between teams including a cycle and a long chain, overlaps, issues with no
// team, and hostile titles.
func fixtureSummary() *ladder.Summary {
	payQ1 := ladder.TeamQuarter{
		Team: "payments", Quarter: "FY2027-Q1", Issues: 24, Estimated: 18, Points: 55,
		Goals: []ladder.GoalShare{
			{Goal: "pay-wallets", Title: "Wallet payments", Share: share(6, 24, 14, 55)},
			{Goal: "pay-checkout", Title: "One-page checkout", Share: share(11, 24, 27, 55)},
			{Goal: "self-serve", Title: "Grow self-serve revenue", Share: share(17, 24, 41, 55)},
		},
		Unaligned: share(7, 24, 14, 55),
		UnalignedIssues: []ladder.IssueLine{
			line("gh", "acme/payments#88", "Refund emails say @everyone see #1 <b>now</b>", ladder.StatusInProgress),
			{Ref: ref("jira", "PAY-41"), Title: "Investigate intermittent 502s from the card vault when the EU region fails over during peak traffic windows on Fridays",
				Status: ladder.StatusTodo, URL: "https://acme.atlassian.net/browse/PAY-41"},
			line("jira", "PAY-44", "Update PCI questionnaire", ladder.StatusTodo),
			line("jira", "PAY-45", "Rotate `vault` credentials | yearly", ladder.StatusTodo),
			line("jira", "PAY-46", "Spike: *new* invoice provider", ladder.StatusTodo),
			line("jira", "PAY-30", "Old reconciliation report", ladder.StatusDone),
			line("jira", "PAY-31", "Clean up feature flags", ladder.StatusDone),
		},
		Debt: share(5, 24, 13, 55), DebtTarget: ladder.Band{Min: 0.15, Max: 0.25}, DebtStatus: "within",
		DebtPaid: 3, DebtAdmitted: 2,
	}
	platQ1 := ladder.TeamQuarter{
		Team: "platform", Quarter: "FY2027-Q1", Issues: 31, Estimated: 12, Points: 40,
		Goals: []ladder.GoalShare{
			{Goal: "plat-api", Title: "Stable public API", Share: share(9, 31, 15, 40)},
			{Goal: "plat-obs", Title: "Observability for every service", Share: share(8, 31, 12, 40)},
			{Goal: "reliability", Title: "Checkout never goes down", Share: share(17, 31, 27, 40)},
		},
		Unaligned: share(14, 31, 13, 40),
		UnalignedIssues: []ladder.IssueLine{
			line("gh", "acme/platform#12", "Rate limiter per tenant", ladder.StatusTodo),
			line("gh", "acme/platform#40", "Token exchange for payments", ladder.StatusInProgress),
		},
		Debt: share(12, 31, 18, 40), DebtTarget: ladder.Band{Min: 0.10, Max: 0.20}, DebtStatus: "above",
		DebtPaid: 7, DebtAdmitted: 4,
	}
	searchQ1 := ladder.TeamQuarter{
		Team: "search", Quarter: "FY2027-Q1", Issues: 9, Estimated: 0,
		Goals: []ladder.GoalShare{
			{Goal: "search-relevance", Title: "Search finds the right product", Share: share(7, 9, 0, 0)},
			{Goal: "self-serve", Title: "Grow self-serve revenue", Share: share(7, 9, 0, 0)},
		},
		Unaligned:       share(2, 9, 0, 0),
		UnalignedIssues: []ladder.IssueLine{line("gh", "acme/search#5", "Upgrade Elasticsearch", ladder.StatusTodo)},
		Debt:            share(1, 9, 0, 0), DebtTarget: ladder.Band{Min: 0.20, Max: 0.30}, DebtStatus: "below",
		DebtPaid: 0, DebtAdmitted: 1,
	}
	mobileQ1 := ladder.TeamQuarter{
		Team: "mobile", Quarter: "FY2027-Q1", Issues: 4, Estimated: 4, Points: 10,
		Unaligned: share(4, 4, 10, 10), Debt: share(1, 4, 2, 10), DebtStatus: "no target",
	}
	hist := func(team string, q string, issues, debt int, band ladder.Band, status string) ladder.TeamQuarter {
		return ladder.TeamQuarter{Team: team, Quarter: q, Issues: issues, Estimated: issues / 2, Points: float64(issues),
			Unaligned: share(issues/4, issues, 0, 0), Debt: share(debt, issues, float64(debt), float64(issues)), DebtTarget: band, DebtStatus: status}
	}
	payBand, platBand, searchBand := payQ1.DebtTarget, platQ1.DebtTarget, searchQ1.DebtTarget

	blocker := func(wKey, wTitle, wTeam, bKey, bTitle, bTeam string, goals ...string) ladder.Blocker {
		return ladder.Blocker{
			Waiting: line("gh", wKey, wTitle, ladder.StatusInProgress), WaitingTeam: wTeam,
			Blocker: line("gh", bKey, bTitle, ladder.StatusTodo), BlockerTeam: bTeam, BlockerGoals: goals,
		}
	}
	b1 := blocker("acme/payments#3", "Wallet checkout button", "payments", "acme/platform#12", "Rate limiter per tenant", "platform")
	b1.Blocker.URL = "https://github.com/acme/platform/issues/12"
	b2 := blocker("acme/payments#7", "Apple Pay", "payments", "acme/platform#40", "Token exchange for payments", "platform")
	b3 := blocker("acme/payments#9", "Saved cards", "payments", "acme/platform#2", "Public API v2 auth", "platform", "plat-api")
	b4 := blocker("acme/search#11", "Search checkout suggestions", "search", "acme/platform#2", "Public API v2 auth", "platform", "plat-api")
	b5 := blocker("acme/platform#40", "Token exchange for payments", "platform", "acme/payments#12", "Expose token API", "payments", "pay-wallets")
	b6 := blocker("acme/mobile#2", "In-app search", "mobile", "acme/search#14", "Search API for mobile clients", "search", "search-relevance")
	b7 := blocker("acme/mobile#3", "Search filters", "mobile", "acme/search#15", "Facets endpoint", "search", "search-relevance")

	return &ladder.Summary{
		GeneratedAt: time.Date(2026, 3, 15, 9, 31, 0, 0, time.UTC),
		Teams: []ladder.TeamQuarter{
			hist("payments", "FY2026-Q2", 20, 2, payBand, "below"),
			hist("payments", "FY2026-Q3", 22, 4, payBand, "within"),
			hist("payments", "FY2026-Q4", 18, 6, payBand, "above"),
			payQ1,
			hist("payments", "FY2025-Q4", 10, 1, payBand, "below"), // before the trend: left out
			hist("platform", "FY2026-Q3", 25, 4, platBand, "within"),
			hist("platform", "FY2026-Q4", 28, 8, platBand, "above"),
			platQ1,
			hist("search", "FY2026-Q4", 8, 2, searchBand, "within"),
			searchQ1,
			mobileQ1,
		},
		UnknownTeam:      []ladder.Ref{ref("gh", "acme/sandbox#1"), ref("jira", "OPS-7"), ref("jira", "OPS-9")},
		UnknownTeamTotal: 3,
		Dependencies: ladder.DepSummary{
			Pairs: []ladder.TeamPair{
				{Waiting: "payments", Blocking: "platform", Open: 3, Uncovered: 2, Blockers: []ladder.Blocker{b1, b2, b3}},
				{Waiting: "search", Blocking: "platform", Open: 1, Blockers: []ladder.Blocker{b4}},
				{Waiting: "platform", Blocking: "payments", Open: 1, Blockers: []ladder.Blocker{b5}},
				{Waiting: "mobile", Blocking: "search", Open: 2, Blockers: []ladder.Blocker{b6, b7}},
			},
			Cycles: [][]ladder.Ref{{ref("gh", "acme/payments#12"), ref("gh", "acme/platform#40")}},
			LongestChain: []ladder.Ref{ref("gh", "acme/mobile#2"), ref("gh", "acme/search#14"),
				ref("gh", "acme/platform#2"), ref("jira", "DATA-4")},
			Uncovered:      []ladder.Blocker{b1, b2},
			UncoveredTotal: 2,
		},
		Overlaps: []ladder.Overlap{
			{A: ref("gh", "acme/payments#21"), ATeam: "payments", B: ref("gh", "acme/search#9"), BTeam: "search", Score: 0.71, Words: []string{"checkout", "suggest", "cart"}},
			{A: ref("jira", "PAY-50"), ATeam: "payments", B: ref("gh", "acme/platform#33"), BTeam: "platform", Score: 0.64, Words: []string{"idempot", "retri"}},
		},
	}
}

// manyTeamsSummary adds twelve teams to the fixture, one with a very long
// name, with long unbroken titles and goal IDs and eight quarters of trend:
// the page must stay readable when an organisation is large.
func manyTeamsSummary() (*ladder.Summary, Options) {
	s, o := fixtureSummary(), fixtureOptions()
	o.Quarters = 8
	for i := range 12 {
		name := fmt.Sprintf("team-%02d", i)
		if i == 3 {
			name = "developer-experience-and-internal-platform-tooling-guild"
		}
		o.Teams = append(o.Teams, ladder.Team{Name: name, TechDebtTarget: ladder.Band{Min: 0.1, Max: 0.3}})
		n := 10 + 2*i
		tq := ladder.TeamQuarter{Team: name, Quarter: "FY2027-Q1", Issues: n, Estimated: i, Points: float64(3 * i),
			Debt: share(i%5, n, 0, 0)}
		goals := i % 9
		for g := range goals {
			tq.Goals = append(tq.Goals, ladder.GoalShare{Goal: fmt.Sprintf("goal-%d-with-a-rather-long-identifier", g),
				Title: "A goal whose title goes on and on to see how the table wraps it", Share: share(1, n, 0, 0)})
		}
		tq.Unaligned = share(n-goals, n, 0, 0)
		for k := range i {
			tq.UnalignedIssues = append(tq.UnalignedIssues, line("gh", fmt.Sprintf("acme/very-long-repository-name-%d#%d", i, 1000+k),
				"Supercalifragilistic_identifier_without_any_spaces_at_all_that_must_wrap_somewhere_in_the_layout", ladder.StatusTodo))
		}
		s.Teams = append(s.Teams, tq)
		s.Dependencies.Pairs = append(s.Dependencies.Pairs, ladder.TeamPair{Waiting: name, Blocking: "platform", Open: i + 1})
	}
	return s, o
}

// TestWriteSample writes sample HTML reports for a person to open or
// screenshot: go test ./internal/report -run TestWriteSample -sample /tmp/report.html
// (also -sample-many, -sample-empty).
func TestWriteSample(t *testing.T) {
	if *sample == "" && *sampleMany == "" && *sampleEmpty == "" {
		t.Skip("no -sample, -sample-many or -sample-empty path given")
	}
	many, manyOpts := manyTeamsSummary()
	for _, c := range []struct {
		path string
		s    *ladder.Summary
		o    Options
	}{
		{*sample, fixtureSummary(), fixtureOptions()},
		{*sampleMany, many, manyOpts},
		{*sampleEmpty, &ladder.Summary{}, Options{Now: fixtureOptions().Now}},
	} {
		if c.path == "" {
			continue
		}
		var buf bytes.Buffer
		if err := HTML(&buf, c.s, c.o); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(c.path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
