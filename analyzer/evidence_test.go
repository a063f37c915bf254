package analyzer

import (
	"testing"

	"github.com/ladderhq/ladder"
)

// TestLadderCommentsAreNotEvidence: Ladder's own comment restates a verdict,
// so read back by a sync it must not make a new one — whoever posted it —
// while a person writing the same words is heard.
func TestLadderCommentsAreNotEvidence(t *testing.T) {
	// What a verdict comment reads like once reduced to plain text, as the
	// store hands comments to analysis.
	words := "Possible duplicate effort\nblocked by PLAT-80 (team platform), similarity 0.71\n" +
		"Debt admitted\ndebt admitted: a comment by dana says \"workaround for now\""
	ladders := ladder.VerdictOpener + "not aligned to any goal · possible duplicate\n\n" + words + "\n\n" + ladder.VerdictFooter
	summary := "Ladder report — FY2027-Q1\n\nAt a glance\n\n" + words + "\n\n" + ladder.SummaryFooter
	tests := []struct {
		name     string
		author   string
		text     string
		evidence bool // the words count: debt admitted, and a wait on PLAT-80
	}{
		{"Ladder's verdict comment", "ladder-bot", ladders, false},
		{"Ladder's verdict comment by a renamed bot", "ladder-app[bot]", ladders, false},
		{"Ladder's summary", "ladder-bot", summary, false},
		{"a person's comment", "dana", words, true},
		{"a person quoting Ladder", "dana", "> " + ladder.VerdictFooter + "\n\n" + words, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			issues := []ladder.Issue{
				jira("PAY-3", "Wallet checkout button", comment(tt.author, tt.text), comment("erin", "Looks good to me.")),
				jira("PLAT-80", "Token exchange for wallets"),
			}
			got, _ := analyze(t, testConfig(), issues)
			v := got["jira:PAY-3"]
			waits := false
			for _, d := range v.Dependencies {
				waits = waits || d.Key == "PLAT-80" && d.Kind == ladder.BlockedBy
			}
			if v.DebtAdmitted != tt.evidence || waits != tt.evidence {
				t.Errorf("debt admitted %v, waits on PLAT-80 %v; want both %v\nreasons: %q", v.DebtAdmitted, waits, tt.evidence, v.Reasons)
			}
			if len(issues[0].Comments) != 2 {
				t.Errorf("the caller's issue lost comments: %d left", len(issues[0].Comments))
			}

			a, err := New(testConfig())
			if err != nil {
				t.Fatal(err)
			}
			ex, err := a.Explain(stream(issues), func(r ladder.Ref) bool { return r.Key == "PAY-3" })
			if err != nil || len(ex) != 1 {
				t.Fatalf("Explain: %v, %d verdicts", err, len(ex))
			}
			if ex[0].DebtAdmitted != tt.evidence {
				t.Errorf("Explain: debt admitted %v, want %v", ex[0].DebtAdmitted, tt.evidence)
			}
		})
	}
}
