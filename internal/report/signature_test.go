package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
)

// signed is everything Ladder posts to a tracker, rendered from the test
// fixtures: the verdict comment in both dialects and the summary report in
// both, the GitHub one behind its marker as publish posts it.
func signed(t *testing.T) map[string]string {
	t.Helper()
	hostileVerdict := blockedVerdict()
	hostileVerdict.Title, hostileVerdict.Team = hostile, "@payments-team <b>"
	hostileVerdict.Reasons = append(hostileVerdict.Reasons, ladder.Reason{Text: hostile})
	verdicts := map[string]*ladder.Verdict{
		"rich": richVerdict(), "unaligned": unalignedVerdict(), "blocked": blockedVerdict(),
		"hostile": hostileVerdict, "empty": {},
	}
	out := map[string]string{}
	for name, v := range verdicts {
		out["github verdict "+name] = GitHubComment(v)
		out["jira verdict "+name] = JiraComment(v)
	}

	hostileOpts := fixtureOptions()
	hostileOpts.Title = hostile + " — FY2020-Q1"
	many, manyOpts := manyTeamsSummary()
	// Cut to fit: the title must stay first and the footer last.
	for i := range 400 {
		name := fmt.Sprintf("team-%03d", i)
		manyOpts.Teams = append(manyOpts.Teams, ladder.Team{Name: name})
		tq := ladder.TeamQuarter{Team: name, Quarter: "FY2027-Q1", Issues: 20, Unaligned: share(20, 20, 0, 0)}
		for k := range 20 {
			tq.UnalignedIssues = append(tq.UnalignedIssues, line("jira", fmt.Sprintf("T%d-%d", i, k), strings.Repeat("long title ", 8), ladder.StatusTodo))
		}
		many.Teams = append(many.Teams, tq)
	}
	summaries := []struct {
		name string
		s    *ladder.Summary
		o    Options
	}{
		{"fixture", fixtureSummary(), fixtureOptions()},
		{"hostile title", fixtureSummary(), hostileOpts},
		{"cut to fit", many, manyOpts},
		{"empty with a clock", nil, Options{Now: time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)}},
		{"empty without a clock", &ladder.Summary{}, Options{}},
	}
	for _, sm := range summaries {
		var md, wiki bytes.Buffer
		if err := Markdown(&md, sm.s, sm.o); err != nil {
			t.Fatal(err)
		}
		if err := JiraWiki(&wiki, sm.s, sm.o); err != nil {
			t.Fatal(err)
		}
		out["github summary "+sm.name] = ladder.SummaryMarker + "\n" + md.String()
		out["markdown report "+sm.name] = md.String()
		out["jira summary "+sm.name] = wiki.String()
	}
	return out
}

// TestLadderKnowsWhatItWrote ties the renderers to ladder.IsLadderText:
// whatever the verdict or report, what Ladder posts reads as Ladder's, so it
// is never taken for evidence when a sync brings it back.
func TestLadderKnowsWhatItWrote(t *testing.T) {
	for name, text := range signed(t) {
		t.Run(name, func(t *testing.T) {
			if !ladder.IsLadderText(text) {
				t.Errorf("not recognised as Ladder's; first and last lines:\n%.200s\n…\n%s", text, text[max(0, len(text)-200):])
			}
		})
	}
}

// TestPeopleQuotingLadderAreHeard: a person's comment that quotes any line
// of what Ladder wrote, or all of it, above or below words of their own, is
// theirs, and counts.
func TestPeopleQuotingLadderAreHeard(t *testing.T) {
	const own = "Not a duplicate: PLAT-80 is the mobile flow, workaround for now."
	for name, text := range signed(t) {
		t.Run(name, func(t *testing.T) {
			for _, l := range strings.Split(text, "\n") {
				if strings.TrimSpace(l) == "" {
					continue
				}
				for _, c := range []string{
					"> " + l + "\n\n" + own,
					own + "\n\n> " + l,
					l + "\n\n" + own,
					own + "\n\n" + l,
				} {
					if ladder.IsLadderText(c) {
						t.Fatalf("a comment quoting one line is taken for Ladder's:\n%s", c)
					}
				}
			}
			for _, c := range []string{text + "\n" + own, own + "\n" + text} {
				if ladder.IsLadderText(c) {
					t.Errorf("a reply around the whole text is taken for Ladder's:\n%.300s", c)
				}
			}
		})
	}
}
