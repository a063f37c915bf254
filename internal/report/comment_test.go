package report

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ladderhq/ladder"
)

func richVerdict() *ladder.Verdict {
	return &ladder.Verdict{
		Ref: ref("gh", "acme/payments#45"), Title: "Refactor the checkout form state", Team: "payments",
		Quarter: "FY2027-Q1", Status: ladder.StatusInProgress, Estimate: ptr(5.0),
		Category: ladder.TechDebt, TechDebt: true, TechDebtScore: 0.87,
		Aligned: true,
		Goals: []ladder.GoalMatch{
			{ID: "pay-checkout", Score: 1, Path: "label goal:checkout → pay-checkout → self-serve", Company: "self-serve"},
			{ID: "pay-wallets", Score: 0.41, Path: "text 0.41: wallet, payment form", Company: "self-serve"},
		},
		CrossTeam: true,
		Dependencies: []ladder.Dependency{
			{Ref: ref("gh", "acme/platform#12"), Title: "Rate limiter per tenant", Team: "platform", Kind: ladder.BlockedBy,
				Open: true, Via: "github dependency", CrossTeam: true, Known: true, OtherGoals: []string{"plat-api"}, OtherAligned: true},
			{Ref: ref("gh", "acme/payments#40"), Title: "Checkout form tests", Team: "payments", Kind: ladder.DependsOn,
				Open: false, Via: "text", Known: true, OtherAligned: true},
		},
		DebtAdmitted: true,
		Overlaps: []ladder.Overlap{
			{A: ref("gh", "acme/payments#45"), ATeam: "payments", B: ref("gh", "acme/search#9"), BTeam: "search", Score: 0.66, Words: []string{"checkout", "form", "state"}},
		},
		// The analyzer's own wording (see analyzer/), and one reason of no
		// kind the comment knows.
		Reasons: ladder.Reasons{
			{Kind: ladder.ReasonTeam, Text: "team payments: owns repo acme/payments"},
			{Kind: ladder.ReasonCategory, Text: "tech debt: label refactor"},
			{Kind: ladder.ReasonGoal, Text: "aligned to pay-checkout: label goal:checkout → pay-checkout → self-serve"},
			{Kind: ladder.ReasonGoal, Text: "aligned to pay-wallets: text 0.41: wallet, payment form"},
			{Kind: ladder.ReasonDependency, Text: "blocked by acme/platform#12 (platform, open); acme/platform#12 is on platform goal plat-api"},
			{Kind: ladder.ReasonDependency, Text: "depends on acme/payments#40 (payments, done)"},
			{Kind: ladder.ReasonOverlap, Text: "looks like the same work as acme/search#9 of search (similarity 0.66: checkout, form, state)"},
			{Kind: ladder.ReasonDebtAdmitted, Text: "debt admitted: a comment by dana on 2026-03-02 says \"workaround for now, we should clean this up later\""},
			{Text: "estimate 5 points"},
		},
	}
}

func unalignedVerdict() *ladder.Verdict {
	return &ladder.Verdict{
		Ref: ref("jira", "OPS-7"), Title: "Renew the TLS certificate", Team: "",
		Quarter: "FY2027-Q1", Status: ladder.StatusTodo,
		Category: ladder.Maintenance, TechDebtScore: 0.12,
		Reasons: ladder.Reasons{
			{Kind: ladder.ReasonTeam, Text: "no team: no team owns project OPS, its components or labels, and it has no assignee"},
			{Kind: ladder.ReasonCategory, Text: "maintenance: label chore (debt model 0.12 < 0.29)"},
			{Kind: ladder.ReasonUnaligned, Text: "unaligned: no goal label, goal epic or aligned parent, and text is only matched against the owning team's goals"},
		},
	}
}

func blockedVerdict() *ladder.Verdict {
	return &ladder.Verdict{
		Ref: ref("jira", "PAY-3"), Title: "Wallet checkout button", Team: "payments",
		Quarter: "FY2027-Q1", Status: ladder.StatusInProgress,
		Category: ladder.Feature, TechDebtScore: 0.05,
		Aligned:   true,
		Goals:     []ladder.GoalMatch{{ID: "pay-wallets", Score: 1, Path: "epic PAY-1 → pay-wallets → self-serve", Company: "self-serve"}},
		CrossTeam: true,
		Dependencies: []ladder.Dependency{
			{Ref: ref("jira", "PLAT-88"), Title: "Token exchange for payments", Team: "platform", Kind: ladder.BlockedBy,
				Open: true, Via: "Blocks", CrossTeam: true, Known: true},
			{Ref: ref("gh", "acme/platform#2"), Title: "Public API v2 auth", Team: "platform", Kind: ladder.DependsOn,
				Open: true, Via: "text", CrossTeam: true, Known: true, OtherGoals: []string{"plat-api", "plat-obs"}, OtherAligned: true},
			{Ref: ref("jira", "DATA-4"), Kind: ladder.BlockedBy, Open: true, Via: "Dependency", CrossTeam: true},
			{Ref: ref("gh", "acme/mobile#3"), Title: "Pay button in the app", Team: "mobile", Kind: ladder.Blocks,
				Open: true, Via: "Blocks", CrossTeam: true, Known: true},
		},
		Reasons: ladder.Reasons{
			{Kind: ladder.ReasonTeam, Text: "team payments: owns project PAY"},
			{Kind: ladder.ReasonCategory, Text: "feature: no debt, bug or maintenance signal (debt model 0.05 < 0.29)"},
			{Kind: ladder.ReasonGoal, Text: "aligned to pay-wallets: epic PAY-1 → pay-wallets → self-serve"},
			{Kind: ladder.ReasonDependency, Text: "blocked by PLAT-88 (platform, open); PLAT-88 (platform) is not on any platform goal — at risk of never being scheduled"},
			{Kind: ladder.ReasonDependency, Text: "depends on acme/platform#2 (platform, open); acme/platform#2 is on platform goal plat-api, plat-obs"},
			{Kind: ladder.ReasonDependency, Text: "blocked by DATA-4, which is not in the store: its team and state are unknown"},
			{Kind: ladder.ReasonDependency, Text: "blocks acme/mobile#3 (mobile, open)"},
		},
	}
}

func TestCommentGolden(t *testing.T) {
	tests := []struct {
		name string
		v    *ladder.Verdict
	}{
		{"rich", richVerdict()},
		{"unaligned", unalignedVerdict()},
		{"blocked", blockedVerdict()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gh := GitHubComment(tt.v)
			golden(t, "comment_"+tt.name+".github.md.golden", []byte(gh))
			golden(t, "comment_"+tt.name+".jira.golden", []byte(JiraComment(tt.v)))

			if !strings.HasPrefix(gh, Marker+"\n") || !strings.HasSuffix(gh, "\n"+Marker+"\n") {
				t.Errorf("GitHub comment does not start and end with the marker:\n%s", gh)
			}
			if again := GitHubComment(tt.v); again != gh {
				t.Errorf("rendering the same verdict twice differs:\n%s", Diff(gh, again))
			}
			// Every reason is in the comment once: in its own words, or,
			// where the comment has a line for the same fact (a goal's
			// path, a dependency, an overlap), only as that line.
			for _, r := range tt.v.Reasons {
				said := r.Kind == ladder.ReasonGoal && tt.v.Aligned ||
					r.Kind == ladder.ReasonDependency && len(tt.v.Dependencies) > 0 ||
					r.Kind == ladder.ReasonOverlap && len(tt.v.Overlaps) > 0
				if got := strings.Contains(gh, Inert(r.Text)); got == said {
					t.Errorf("reason %q: in the GitHub comment %v, want %v", r, got, !said)
				}
				if got := strings.Contains(JiraComment(tt.v), InertWiki(r.Text)); got == said {
					t.Errorf("reason %q: in the Jira comment %v, want %v", r, got, !said)
				}
			}
		})
	}
}

// TestCommentFacts checks the claims a comment must make for a verdict,
// independent of wording elsewhere.
func TestCommentFacts(t *testing.T) {
	tests := []struct {
		name   string
		v      *ladder.Verdict
		want   []string
		absent []string
	}{
		{
			name:   "unaligned says so and how to fix it",
			v:      unalignedVerdict(),
			want:   []string{"does not ladder up to any goal", "goal's label", "epic", "No team owns this issue"},
			absent: []string{"at risk", "Dependencies"},
		},
		{
			name: "blocker outside the other team's goals is at risk",
			v:    blockedVerdict(),
			want: []string{"waits on `PLAT-88`", "team platform, open", "**at risk**: no goal of platform covers it",
				"their goal `plat-api`, `plat-obs`", "`DATA-4`", "not synced", "blocks `acme/mobile#3`", "waits on 2 open issues of other teams (1 at risk)"},
		},
		{
			name:   "done blocker is not at risk",
			v:      richVerdict(),
			want:   []string{"their goal `plat-api`", "same team, done", "`acme/search#9` (team search)", "Debt admitted", "tech debt"},
			absent: []string{"at risk", "`acme/payments#45` (team"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := GitHubComment(tt.v)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("comment lacks %q:\n%s", w, got)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(got, a) {
					t.Errorf("comment has %q:\n%s", a, got)
				}
			}
		})
	}
}

// TestCommentInert renders a verdict whose every issue-derived string is
// hostile and checks that nothing in it is active in either markup.
func TestCommentInert(t *testing.T) {
	v := blockedVerdict()
	v.Title = hostile
	v.Team = "@payments-team <b>"
	v.Goals[0].Path = "label " + hostile
	v.Dependencies[0].Title = hostile
	v.Dependencies[0].Team = "[~accountid:abc]"
	v.Dependencies[1].Via = hostile
	v.Overlaps = []ladder.Overlap{{A: v.Ref, ATeam: v.Team, B: ref("gh", "acme/x#1"), BTeam: "@everyone", Score: 0.5, Words: []string{"@everyone", "#1", "<script>"}}}
	v.DebtAdmitted = true
	v.Reasons = append(v.Reasons, ladder.Reason{Kind: ladder.ReasonDebtAdmitted, Text: "debt admitted: " + hostile}, ladder.Reason{Text: hostile})

	// The hostile text must be shown, only disarmed: its words survive.
	visible := func(t *testing.T, got string) {
		t.Helper()
		plain := strings.NewReplacer(zwj, "", `\`, "").Replace(got)
		for _, w := range []string{"everyone see", "accountid:abc", "acme/platform", "github.com/a/b/issues/3", "script"} {
			if !strings.Contains(plain, w) {
				t.Errorf("comment lost the words %q of the hostile text", w)
			}
		}
	}
	t.Run("github", func(t *testing.T) {
		got := GitHubComment(v)
		visible(t, got)
		// Code spans are literal on GitHub: references inside them do not
		// act, so check the text outside them.
		prose := codeSpan.ReplaceAllString(strings.ReplaceAll(got, Marker, ""), "")
		for _, a := range activeGitHub {
			if a.re.MatchString(prose) {
				t.Errorf("GitHub comment keeps an active %s: %q", a.name, a.re.FindString(prose))
			}
		}
		if u := unescaped(prose, "[]|", false); u != "" {
			t.Errorf("GitHub comment leaves %q active outside code spans", u)
		}
		for _, bad := range []string{"@everyone", "<script", "acme/platform#12", "#1 ", "https://github.com"} {
			if strings.Contains(prose, bad) {
				t.Errorf("GitHub comment contains %q outside code spans", bad)
			}
		}
	})
	t.Run("jira", func(t *testing.T) {
		got := JiraComment(v)
		visible(t, got)
		for _, a := range activeWiki {
			if a.re.MatchString(got) {
				t.Errorf("Jira comment keeps an active %s: %q", a.name, a.re.FindString(got))
			}
		}
		// The comment's own markup is bold labels, bullets and {{monospace}};
		// the rest of the wiki's structure must stay escaped.
		if u := unescaped(got, "[]{}|!", true); u != "" {
			t.Errorf("Jira comment leaves %q active:\n%s", u, got)
		}
		for _, bad := range []string{"[~accountid:abc]", "{html", "@everyone", "https://github.com"} {
			if strings.Contains(got, bad) {
				t.Errorf("Jira comment contains %q", bad)
			}
		}
		// Wiki markup has no raw HTML: the tag is shown as typed, not as
		// an entity Jira Cloud would print literally.
		if !strings.Contains(got, "<script>x</script>") {
			t.Errorf("Jira comment does not show the title's <script>x</script> as typed:\n%s", got)
		}
	})
}

// codeSpan matches GitHub code spans of any fence length.
var codeSpan = regexp.MustCompile("(`+)[^`](?:.*?[^`])?(`+)")

func BenchmarkGitHubComment(b *testing.B) {
	v := blockedVerdict()
	for b.Loop() {
		GitHubComment(v)
	}
}

func BenchmarkJiraComment(b *testing.B) {
	v := blockedVerdict()
	for b.Loop() {
		JiraComment(v)
	}
}
