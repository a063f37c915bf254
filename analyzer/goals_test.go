package analyzer

import (
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
)

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		want   string // in the error
	}{
		{"duplicate goal id", func(c *Config) { c.Goals = append(c.Goals, ladder.Goal{ID: "pay-checkout"}) }, `goal "pay-checkout" is declared twice`},
		{"unknown parent", func(c *Config) { c.Goals[2].Parent = "grow-eu" }, `goal "pay-checkout": parent "grow-eu" is not a configured goal`},
		{"unknown team", func(c *Config) { c.Goals[2].Team = "billing" }, `goal "pay-checkout": team "billing" is not a configured team`},
		{"bad quarter", func(c *Config) { c.Goals[1].Quarter = "2027Q1" }, `goal "reliability": quarter "2027Q1"`},
		{"quarter out of range", func(c *Config) { c.Goals[1].Quarter = "FY2027-Q5" }, `goal "reliability": quarter "FY2027-Q5"`},
		{"goal without id", func(c *Config) { c.Goals[0].ID = "" }, `goal #1 ("Grow self-serve revenue") has no id`},
		{"loop in goal tree", func(c *Config) {
			c.Goals = append(c.Goals,
				ladder.Goal{ID: "a", Team: "data", Parent: "b"},
				ladder.Goal{ID: "b", Team: "data", Parent: "c"},
				ladder.Goal{ID: "c", Team: "data", Parent: "a"})
		}, `goal "a": parents loop: a → b → c → a`},
		{"goal is its own parent", func(c *Config) { c.Goals[0].Parent = "self-serve" }, `goal "self-serve": parents loop: self-serve → self-serve`},
		{"company goal under a team goal", func(c *Config) { c.Goals[0].Parent = "pay-checkout" }, `company goal "self-serve": parent "pay-checkout" is a team goal`},
		{"duplicate team", func(c *Config) { c.Teams = append(c.Teams, ladder.Team{Name: "data"}) }, `team "data" is declared twice`},
		{"team without name", func(c *Config) { c.Teams[2].Name = "" }, `team #3 has no name`},
		{"inverted debt band", func(c *Config) { c.Teams[0].TechDebtTarget = ladder.Band{Min: 0.3, Max: 0.1} }, `team "payments": tech debt target 0.3..0.1`},
		{"fiscal month", func(c *Config) { c.FiscalYearStartMonth = 13 }, "fiscal year start month 13"},
		{"no now", func(c *Config) { c.Now = time.Time{} }, "Now is not set"},
		{"align threshold", func(c *Config) { c.AlignThreshold = 1.5 }, "align threshold 1.5"},
		{"overlap threshold", func(c *Config) { c.OverlapThreshold = -0.1 }, "overlap threshold -0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			tt.change(&cfg)
			_, err := New(cfg)
			if err == nil {
				t.Fatalf("New accepted the config; want an error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
	if _, err := New(testConfig()); err != nil {
		t.Fatalf("the valid config was rejected: %v", err)
	}
}

func TestIssueQuarter(t *testing.T) {
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, time.UTC) }
	tests := []struct {
		name  string
		start time.Month
		issue ladder.Issue
		want  string
	}{
		{"new work counts now (Feb start)", time.February, jira("PAY-2", "x"), "FY2027-Q1"},
		{"new work counts now (Jan start)", time.January, jira("PAY-2", "x"), "FY2026-Q1"},
		{"backlog counts when it was filed", time.February, jira("PAY-2", "x", func(is *ladder.Issue) {
			is.Created = at(2025, time.June, 2)
		}), "FY2026-Q2"},
		{"created in the future: now", time.February, jira("PAY-2", "x", func(is *ladder.Issue) {
			is.Created = at(2027, time.June, 2)
		}), "FY2027-Q1"},
		{"done in January, Feb start: last quarter of FY2026", time.February, jira("PAY-2", "x", done(at(2026, time.January, 20))), "FY2026-Q4"},
		{"done in January, Jan start", time.January, jira("PAY-2", "x", done(at(2026, time.January, 20))), "FY2026-Q1"},
		{"done on the fiscal new year", time.February, jira("PAY-2", "x", done(at(2026, time.February, 1))), "FY2027-Q1"},
		{"done in November, Feb start", time.February, jira("PAY-2", "x", done(at(2025, time.November, 3))), "FY2026-Q4"},
		{"done in November, Jan start", time.January, jira("PAY-2", "x", done(at(2025, time.November, 3))), "FY2025-Q4"},
		{"done without resolution time: last update", time.February, jira("PAY-2", "x", func(is *ladder.Issue) {
			is.StatusCategory = ladder.StatusDone
			is.Updated = at(2025, time.August, 9)
		}), "FY2026-Q3"},
		{"work in progress counts now", time.February, jira("PAY-2", "x", func(is *ladder.Issue) {
			is.StatusCategory = ladder.StatusInProgress
			is.Created = at(2025, time.August, 9)
			is.Updated = at(2025, time.August, 9)
		}), "FY2027-Q1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.FiscalYearStartMonth = tt.start
			vs, _ := analyze(t, cfg, []ladder.Issue{tt.issue})
			if got := vs[tt.issue.Ref.String()].Quarter; got != tt.want {
				t.Errorf("quarter = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestGoalQuarters(t *testing.T) {
	inQ1 := time.Date(2026, time.April, 2, 0, 0, 0, 0, time.UTC)   // FY2027-Q1
	inQ4 := time.Date(2026, time.January, 9, 0, 0, 0, 0, time.UTC) // FY2026-Q4
	tests := []struct {
		name  string
		issue ladder.Issue
		want  string // goal id, "" for unaligned
	}{
		// plat-uptime has no quarter but its parent "reliability" is FY2027-Q1.
		{"text match in the goal's quarter", jira("PLAT-1", "Queue failover test", done(inQ1)), "plat-uptime"},
		{"no text match outside the goal's quarter", jira("PLAT-1", "Queue failover test", done(inQ4)), ""},
		{"new work is in the current quarter", jira("PLAT-1", "Queue failover test"), "plat-uptime"},
		{"old backlog is in its quarter", jira("PLAT-1", "Queue failover test", func(is *ladder.Issue) { is.Created = inQ4 }), ""},
		{"goal without quarter applies always", jira("PLAT-1", "Ship the SDK client library", done(inQ4)), "plat-sdk"},
		{"explicit evidence ignores the quarter", jira("PLAT-1", "Queue failover test", done(inQ4), labels("goal:sdk")), "plat-sdk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, _ := analyze(t, testConfig(), []ladder.Issue{tt.issue})
			v := vs[tt.issue.Ref.String()]
			got := ""
			if len(v.Goals) > 0 {
				got = v.Goals[0].ID
			}
			if got != tt.want || v.Aligned != (tt.want != "") {
				t.Errorf("goal = %q (aligned %v), want %q; reasons %q", got, v.Aligned, tt.want, v.Reasons)
			}
		})
	}
}
