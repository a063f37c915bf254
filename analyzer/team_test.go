package analyzer

import (
	"testing"

	"github.com/ladderhq/ladder"
)

func TestTeamPrecedence(t *testing.T) {
	tests := []struct {
		name       string
		issue      ladder.Issue
		team       string
		reason     string
		teamsOrder []string // optional: reorder teams
	}{
		{"jira project", jira("PAY-2", "x"), "payments", "team payments: owns project PAY", nil},
		{"github repo", gh("acme/platform#4", "x"), "platform", "team platform: owns repo acme/platform", nil},
		{"repo is case-insensitive", gh("Acme/Platform#4", "x"), "platform", "team platform: owns repo Acme/Platform", nil},
		{"label beats project", jira("PLAT-2", "x", labels("other", "team:payments")), "payments", "team payments: owns label team:payments", nil},
		{"component beats label", jira("PAY-2", "x", labels("team:payments"), func(is *ladder.Issue) { is.Components = []string{"infra"} }),
			"platform", "team platform: owns component infra", nil},
		{"project beats assignee", jira("PAY-2", "x", func(is *ladder.Issue) { is.Assignee = "bob" }), "payments", "team payments: owns project PAY", nil},
		{"assignee when nothing else", jira("OPS-2", "x", func(is *ladder.Issue) { is.Assignee = "Bob" }), "platform", "team platform: assignee Bob is a member", nil},
		{"project read off the key", jira("PLAT-3", "x", func(is *ladder.Issue) { is.Project = "" }), "platform", "team platform: owns project PLAT", nil},
		{"nobody", jira("OPS-2", "x", func(is *ladder.Issue) { is.Assignee = "carol" }), "",
			"no team: no team owns project OPS, its components or labels, and assignee carol is no team's member", nil},
		{"nobody, no assignee", gh("acme/ops#2", "x"), "",
			"no team: no team owns repo acme/ops, its components or labels, and it has no assignee", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, sum := analyze(t, testConfig(), []ladder.Issue{tt.issue})
			v := vs[tt.issue.Ref.String()]
			if v.Team != tt.team {
				t.Errorf("team = %q, want %q", v.Team, tt.team)
			}
			if v.Reasons[0].Text != tt.reason {
				t.Errorf("reason = %q, want %q", v.Reasons[0].Text, tt.reason)
			}
			unknown := len(sum.UnknownTeam) == 1 && sum.UnknownTeam[0] == tt.issue.Ref
			if unknown != (tt.team == "") {
				t.Errorf("summary unknown team = %v, want the issue listed only when it has no team", sum.UnknownTeam)
			}
		})
	}
}

func TestTeamClaimedTwiceGoesToFirstInConfig(t *testing.T) {
	cfg := testConfig()
	cfg.Teams[2].Labels = []string{"team:payments"} // data claims it too, later in config
	cfg.Teams[2].Components = []string{"Infra"}
	is := jira("OPS-1", "x", labels("TEAM:PAYMENTS"))
	vs, _ := analyze(t, cfg, []ladder.Issue{is})
	if got := vs["jira:OPS-1"].Team; got != "payments" {
		t.Errorf("team = %q, want payments (first in config order)", got)
	}
	is = jira("OPS-2", "x", func(is *ladder.Issue) { is.Components = []string{"Billing", "INFRA"} })
	vs, _ = analyze(t, cfg, []ladder.Issue{is})
	if got := vs["jira:OPS-2"].Team; got != "platform" {
		t.Errorf("team = %q, want platform", got)
	}
}
