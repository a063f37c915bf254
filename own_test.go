package ladder

import (
	"strings"
	"testing"
)

// A verdict comment as GitHub Markdown, as Jira wiki markup and as the plain
// text both are reduced to for analysis; the summary report likewise. The
// renderers' own output is checked against IsLadderText in internal/report.
const (
	githubVerdict = VerdictMarker + "\n### Ladder: not aligned to any goal · possible duplicate\n\n" +
		"**Team** platform · **Quarter** FY2027-Q1\n\n**Possible duplicate effort**\n" +
		"- `PLAT-80` (team payments) looks like the same work, similarity 0.71\n\n" +
		"_" + VerdictFooter + "_\n" + VerdictMarker + "\n"
	jiraVerdict = "h3. Ladder: not aligned to any goal · possible duplicate\n\n" +
		"*Team* platform · *Quarter* FY2027-Q1\n\n*Tech debt* no (score 0.12)\n\n" +
		"_" + VerdictFooter + "_"
	plainVerdict = "Ladder: not aligned to any goal · possible duplicate\n\nTeam platform · Quarter FY2027-Q1\n\n" +
		"Tech debt no (score 0.12)\n\n" + VerdictFooter
	githubSummary = SummaryMarker + "\n# Ladder report — FY2027-Q1\n\n_as of 2026-03-15_\n\n## At a glance\n\n" +
		"`acme/sandbox#1`, `OPS-7`\n\n_" + SummaryFooter + "_\n"
	jiraSummary  = "h1. Ladder report — FY2027-Q1\n\nh2. At a glance\n\n{{OPS-7}}\n\n_" + SummaryFooter + "_\n"
	plainSummary = "Ladder report — this quarter\n\nAt a glance\n\nOPS-7\n\n" + SummaryFooter
)

func TestIsLadderText(t *testing.T) {
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"github verdict", githubVerdict, true},
		{"jira verdict", jiraVerdict, true},
		{"plain verdict", plainVerdict, true},
		{"verdict with CRLF line ends", strings.ReplaceAll(jiraVerdict, "\n", "\r\n"), true},
		{"verdict with braced emphasis", "h3. Ladder: aligned\n\n{_}" + VerdictFooter + "{_}", true},
		{"github summary", githubSummary, true},
		{"jira summary", jiraSummary, true},
		{"plain summary", plainSummary, true},
		{"summary with a title of its own", "# Acme product report — FY2026-Q4\n\nAt a glance\n\n_" + SummaryFooter + "_", true},

		{"empty", "", false},
		{"a person's comment", "Waiting on PLAT-80 before we can ship; workaround for now.", false},
		{"a person mentioning ladder", "Ladder says this is not aligned, but it is part of the checkout goal.\nPlease fix the label.", false},
		{"a person quoting the heading", "> ### Ladder: not aligned to any goal\n\nIt is aligned, see PAY-1.", false},
		{"a person quoting the footer last", "Why does it say this?\n\n> " + VerdictFooter, false},
		{"a person quoting the footer, plain text", "Why does it say this?\n\n" + VerdictFooter, false},
		{"the footer alone", VerdictFooter, false},
		{"the heading alone", "### Ladder: aligned", false},
		{"the whole comment, then a reply", plainVerdict + "\n\nNot a duplicate: PLAT-80 is the mobile flow.", false},
		{"a reply, then the whole comment", "Not a duplicate: PLAT-80 is the mobile flow.\n\n" + plainVerdict, false},
		{"a quote reply in markdown", "> " + strings.ReplaceAll(strings.TrimSpace(githubVerdict), "\n", "\n> "), false},
		{"a verdict heading with the summary footer", "Ladder: aligned\n\n" + SummaryFooter, false},
		{"a summary footer under a title without a period", "Ladder report\n\n" + SummaryFooter, false},
		{"a summary footer under a title with a bad quarter", "Ladder report — FY27-Q5\n\n" + SummaryFooter, false},
		{"a marker alone", VerdictMarker + "\n" + VerdictMarker, false},
		{"the footer reworded", "Ladder: aligned\n\nLadder keeps this comment up to date.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsLadderText(tt.text); got != tt.want {
				t.Errorf("IsLadderText(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestCommentByLadder(t *testing.T) {
	tests := []struct {
		name string
		c    Comment
		want bool
	}{
		// The plain text decides when there is some, as in analysis, where
		// the raw markup is not loaded.
		{"plain text and markup", Comment{Author: "ladder-bot", Body: plainVerdict, Raw: githubVerdict}, true},
		{"plain text only", Comment{Author: "someone-else", Body: plainSummary}, true},
		{"markup only", Comment{Raw: jiraVerdict}, true},
		// Who posted it does not matter, either way.
		{"a person's words by the bot's account", Comment{Author: "ladder-bot", Body: "Closing: done in PAY-12."}, false},
		{"a person's words around a hidden marker", Comment{Author: "mallory", Body: "not Ladder's", Raw: VerdictMarker + "\nnot Ladder's"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.ByLadder(); got != tt.want {
				t.Errorf("ByLadder() = %v, want %v", got, tt.want)
			}
		})
	}
}

// BenchmarkIsLadderText: analysis asks of every comment it reads. Only the
// first and last lines are looked at, so a long comment costs no more than
// a short one: go test . -run '^$' -bench IsLadderText
func BenchmarkIsLadderText(b *testing.B) {
	long := strings.Repeat("A long discussion of the retry policy and the queue it feeds.\n", 200)
	for _, c := range []struct{ name, text string }{
		{"a person's line", "Merged as a workaround for now."},
		{"a person's 12 KB", long},
		{"a verdict comment", plainVerdict},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				IsLadderText(c.text)
			}
		})
	}
}
