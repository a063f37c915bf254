package analyzer

import (
	"testing"

	"github.com/ladderhq/ladder"
)

func TestAlignmentEvidence(t *testing.T) {
	type want struct {
		id, path, company string
		score             float64 // 0: any
	}
	tests := []struct {
		name   string
		issues []ladder.Issue
		ref    string
		want   []want
	}{
		{"goal label", []ladder.Issue{jira("PAY-5", "Refund flow", labels("Goal:Checkout"))}, "jira:PAY-5",
			[]want{{"pay-checkout", "label goal:checkout → pay-checkout → self-serve", "self-serve", 1}}},
		{"the goal epic itself", []ladder.Issue{jira("PAY-1", "Epic", typ("Epic"))}, "jira:PAY-1",
			[]want{{"pay-checkout", "epic PAY-1 → pay-checkout → self-serve", "self-serve", 1}}},
		{"story in the goal epic", []ladder.Issue{jira("PAY-1", "Epic"), jira("PAY-7", "Refunds", parent("PAY-1"))}, "jira:PAY-7",
			[]want{{"pay-checkout", "epic PAY-1 → pay-checkout → self-serve", "self-serve", 1}}},
		{"epic not in the store still counts", []ladder.Issue{jira("PAY-7", "Refunds", parent("PAY-1"))}, "jira:PAY-7",
			[]want{{"pay-checkout", "epic PAY-1 → pay-checkout → self-serve", "self-serve", 1}}},
		{"grandchild through the parent chain", []ladder.Issue{
			jira("PAY-1", "Epic"), jira("PAY-7", "Refunds", parent("PAY-1")), jira("PAY-8", "Refund emails", parent("PAY-7"))}, "jira:PAY-8",
			[]want{{"pay-checkout", "parent PAY-7 → epic PAY-1 → pay-checkout → self-serve", "self-serve", 1}}},
		{"three levels to a labelled ancestor", []ladder.Issue{
			jira("PAY-20", "Initiative", labels("goal:checkout")), jira("PAY-21", "Epic", parent("PAY-20")),
			jira("PAY-22", "Story", parent("PAY-21")), jira("PAY-23", "Sub-task", parent("PAY-22"))}, "jira:PAY-23",
			[]want{{"pay-checkout", "parent PAY-22 → parent PAY-21 → parent PAY-20 → label goal:checkout → pay-checkout → self-serve", "self-serve", 1}}},
		{"own label and own epic both count", []ladder.Issue{jira("PAY-1", "Epic"), jira("PLAT-7", "SDK bits", parent("PAY-1"), labels("goal:sdk"))}, "jira:PLAT-7",
			[]want{{"plat-sdk", "label goal:sdk → plat-sdk → self-serve", "self-serve", 1}, {"pay-checkout", "epic PAY-1 → pay-checkout → self-serve", "self-serve", 1}}},
		{"own label beats a labelled grandparent", []ladder.Issue{jira("PAY-40", "Initiative", labels("goal:checkout")), jira("PAY-41", "Epic", parent("PAY-40")),
			jira("PAY-42", "SDK bits", parent("PAY-41"), labels("goal:sdk"))}, "jira:PAY-42",
			[]want{{"plat-sdk", "label goal:sdk → plat-sdk → self-serve", "self-serve", 1}}},
		{"explicit ancestor beats own text", []ladder.Issue{jira("PLAT-1", "Partner work", labels("goal:sdk")), jira("PLAT-2", "Queue failover", parent("PLAT-1"))}, "jira:PLAT-2",
			[]want{{"plat-sdk", "parent PLAT-1 → label goal:sdk → plat-sdk → self-serve", "self-serve", 1}}},
		{"ancestor's text beats own text", []ladder.Issue{jira("PLAT-1", "SDK client library v2"), jira("PLAT-2", "Queue failover", parent("PLAT-1"))}, "jira:PLAT-2",
			[]want{{id: "plat-sdk", path: "parent PLAT-1 → text 1.00: sdk, client library, v2 → plat-sdk → self-serve", company: "self-serve"}}},
		{"own text", []ladder.Issue{jira("PLAT-2", "Queue failover drill")}, "jira:PLAT-2",
			[]want{{id: "plat-uptime", path: "text 1.00: queue, failover → plat-uptime → reliability", company: "reliability"}}},
		{"another team's goal by label", []ladder.Issue{jira("PLAT-3", "Card vault API", labels("goal:checkout"))}, "jira:PLAT-3",
			[]want{{"pay-checkout", "label goal:checkout → pay-checkout → self-serve", "self-serve", 1}}},
		{"another team's goal never by text", []ladder.Issue{jira("PLAT-3", "Checkout cart payment form")}, "jira:PLAT-3", nil},
		{"no team, no text match", []ladder.Issue{jira("OPS-3", "Checkout cart payment form")}, "jira:OPS-3", nil},
		{"no evidence", []ladder.Issue{jira("PAY-3", "Quarterly offsite planning")}, "jira:PAY-3", nil},
		{"parent loop is survived", []ladder.Issue{jira("PAY-30", "a", parent("PAY-31")), jira("PAY-31", "b", parent("PAY-30"))}, "jira:PAY-30", nil},
		{"parent loop with an epic in it", []ladder.Issue{jira("PAY-30", "a", parent("PAY-31")), jira("PAY-31", "b", parent("PAY-1")), jira("PAY-1", "c", parent("PAY-30"))}, "jira:PAY-30",
			[]want{{"pay-checkout", "parent PAY-31 → epic PAY-1 → pay-checkout → self-serve", "self-serve", 1}}},
		{"github parent issue", []ladder.Issue{gh("acme/platform#1", "Partner SDK", labels("goal:sdk")), gh("acme/platform#2", "Docs", parent("acme/platform#1"))}, "gh:acme/platform#2",
			[]want{{"plat-sdk", "parent acme/platform#1 → label goal:sdk → plat-sdk → self-serve", "self-serve", 1}}},
		{"parent from a link", []ladder.Issue{gh("acme/platform#1", "Partner SDK", labels("goal:sdk")),
			gh("acme/platform#2", "Docs", links(ladder.Link{Kind: ladder.ParentOf, To: ladder.Ref{Key: "acme/platform#1"}}))}, "gh:acme/platform#2",
			[]want{{"plat-sdk", "parent acme/platform#1 → label goal:sdk → plat-sdk → self-serve", "self-serve", 1}}},
		{"child link from the parent's side", []ladder.Issue{
			gh("acme/platform#1", "Partner SDK", labels("goal:sdk"), links(ladder.Link{Kind: ladder.ChildOf, To: ladder.Ref{Tracker: "gh", Key: "acme/platform#2"}})),
			gh("acme/platform#2", "Docs")}, "gh:acme/platform#2",
			[]want{{"plat-sdk", "parent acme/platform#1 → label goal:sdk → plat-sdk → self-serve", "self-serve", 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, _ := analyze(t, testConfig(), tt.issues)
			v := vs[tt.ref]
			if v.Aligned != (len(tt.want) > 0) {
				t.Errorf("aligned = %v, want %v", v.Aligned, len(tt.want) > 0)
			}
			if len(v.Goals) != len(tt.want) {
				t.Fatalf("goals = %+v, want %d; reasons %q", v.Goals, len(tt.want), v.Reasons)
			}
			for i, w := range tt.want {
				g := v.Goals[i]
				if g.ID != w.id || g.Path != w.path || g.Company != w.company || (w.score != 0 && g.Score != w.score) {
					t.Errorf("goal %d = %+v, want %+v", i, g, w)
				}
				if !contains(v.Reasons, "aligned to "+g.ID+": "+g.Path) {
					t.Errorf("no reason for goal %s in %q", g.ID, v.Reasons)
				}
			}
		})
	}
}

func contains(rs ladder.Reasons, x string) bool {
	for _, r := range rs {
		if r.Text == x {
			return true
		}
	}
	return false
}

func TestUnalignedReasons(t *testing.T) {
	cfg := testConfig()
	tests := []struct {
		name  string
		issue ladder.Issue
		want  string
	}{
		{"team with goals", jira("PAY-3", "Offsite"), "unaligned: no goal label, goal epic or aligned parent, and no payments goal for FY2027-Q1 scores 0.50 or more by text"},
		{"team without goals", jira("DATA-3", "Offsite"), "unaligned: no goal label, goal epic or aligned parent, and data has no goals for FY2027-Q1"},
		{"no team", jira("OPS-3", "Offsite"), "unaligned: no goal label, goal epic or aligned parent, and text is only matched against the owning team's goals"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, _ := analyze(t, cfg, []ladder.Issue{tt.issue})
			if v := vs[tt.issue.Ref.String()]; !contains(v.Reasons, tt.want) {
				t.Errorf("reasons %q lack %q", v.Reasons, tt.want)
			}
		})
	}
}
