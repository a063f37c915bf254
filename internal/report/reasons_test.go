package report

import (
	"strings"
	"testing"

	"github.com/ladderhq/ladder"
)

// reasonSection is the heading of the comment section each kind of reason
// stands in.
var reasonSection = map[ladder.ReasonKind]string{
	ladder.ReasonTeam:         "**Team**",
	ladder.ReasonCategory:     "**Tech debt**",
	ladder.ReasonGoal:         "**Goal**",
	ladder.ReasonUnaligned:    "**Goal**",
	ladder.ReasonDependency:   "**Dependencies**",
	ladder.ReasonOverlap:      "**Possible duplicate effort**",
	ladder.ReasonDebtAdmitted: "**Debt admitted**",
	"":                        "**Also**",
	"a kind from the future":  "**Also**",
}

// sectionIn returns the heading of the section the bullet text stands
// under in a GitHub comment, "" when it is not there.
func sectionIn(comment, text string) string {
	heading := ""
	for _, l := range strings.Split(comment, "\n") {
		if end := strings.Index(l[min(2, len(l)):], "**"); strings.HasPrefix(l, "**") && end >= 0 {
			heading = l[:end+4]
		}
		if l == "- "+Inert(text) {
			return heading
		}
	}
	return ""
}

// TestReasonPlacedByKind checks that a reason's section is decided by its
// kind alone: every kind has one section, and a reason worded as any other
// kind's (or as nothing the analyzer writes) stays in its own kind's section.
func TestReasonPlacedByKind(t *testing.T) {
	wordings := []string{
		"team platform: owns project PLAT",
		"no team: nobody",
		"tech debt: label refactor",
		"bug: type Bug",
		"feature: no debt, bug or maintenance signal",
		"aligned to pay-checkout: label goal:checkout",
		"unaligned: no goal label",
		"blocked by PLAT-88 (platform, open)",
		"blocks PAY-7 (payments, open)",
		"parent PAY-1 belongs to payments",
		"looks like the same work as PAY-2 of payments",
		"debt admitted: a comment says \"hack\"",
		"reworded: something the analyzer may say one day",
	}
	for kind, want := range reasonSection {
		for _, text := range wordings {
			t.Run(string(kind)+"/"+text, func(t *testing.T) {
				// Unaligned, no dependencies, no overlaps: every section
				// shows its reasons in their own words.
				v := &ladder.Verdict{
					Ref: ref("jira", "PAY-9"), Team: "payments", Quarter: "FY2027-Q1", Category: ladder.Feature,
					Reasons: ladder.Reasons{{Kind: kind, Text: text}},
				}
				if got := sectionIn(GitHubComment(v), text); got != want {
					t.Errorf("reason of kind %q worded %q is under %q, want %q", kind, text, got, want)
				}
			})
		}
	}
}

// TestEveryKindHasOneSection checks that each kind the analyzer writes is
// placed in a section of its own kind rather than falling under "Also".
func TestEveryKindHasOneSection(t *testing.T) {
	for kind, want := range reasonSection {
		if kind == "" || kind == "a kind from the future" {
			continue
		}
		s, ok := sectionOf[kind]
		if !ok || s == sectionOther {
			t.Errorf("kind %q has no section of its own (want %s)", kind, want)
		}
	}
}
