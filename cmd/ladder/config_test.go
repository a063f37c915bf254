package main

import (
	"strconv"
	"strings"
	"testing"
)

// TestConfigProblemsAllInOneRun: a first run with a typo, a value of the
// wrong type, a bad override and no credentials learns all of it at once,
// each with its line or variable, before any request.
func TestConfigProblemsAllInOneRun(t *testing.T) {
	e := newEnv(t)
	e.rewriteConfig(t, func(s string) string {
		s = strings.Replace(s, "fiscal_year_start_month: 2", "fiscal_year_start_month: February", 1)
		return strings.Replace(s, "jira_projects:", "jira_project:", 1)
	})
	fyLine := lineOf(t, e.cfg, "fiscal_year_start_month:")
	vars := map[string]string{"LADDER_WRITEBACK_MAX_WRITES": "-5"} // and none of the three credentials
	for _, cmd := range []string{"sync", "run", "publish", "validate"} {
		t.Run(cmd, func(t *testing.T) {
			code := e.runEnv(t, vars, cmd)
			out := e.stderr.String()
			if code != exitUsage {
				t.Fatalf("exit %d, want %d\n%s", code, exitUsage, out)
			}
			for _, want := range []string{
				"ladder: LADDER_WRITEBACK_MAX_WRITES: writeback.max_writes: must not be negative", // the file has no max_writes:
				e.cfg + ":" + strconv.Itoa(fyLine) + `: fiscal_year_start_month: want a whole number, got "February"`,
				`jira_project: unknown key (did you mean "jira_projects"?)`,
				"environment variable LADDER_DEMO_GITHUB_TOKEN (token_env) is not set",
				"environment variable LADDER_DEMO_JIRA_EMAIL (user_env) is not set",
				"environment variable LADDER_DEMO_JIRA_TOKEN (token_env) is not set",
			} {
				if n := strings.Count(out, want); n != 1 {
					t.Errorf("%q appears %d times, want once:\n%s", want, n, out)
				}
			}
			if strings.Contains(out, "must be a month") || strings.Contains(out, "owns nothing") {
				t.Errorf("a problem already reported comes back as another:\n%s", out)
			}
			if n := e.gh.Count(nil) + e.jira.Harness().Count(nil); n != 0 {
				t.Errorf("%d requests before the config was right", n)
			}
		})
	}
}

// TestEnvOverrideIsBlamedOnTheVariable: a bad LADDER_* value is the
// variable's fault, not the line it overrides.
func TestEnvOverrideIsBlamedOnTheVariable(t *testing.T) {
	e := newEnv(t)
	fyLine := lineOf(t, e.cfg, "fiscal_year_start_month:")
	code := e.runEnv(t, map[string]string{"LADDER_FISCAL_YEAR_START_MONTH": "13"}, "validate", "--offline")
	want := "LADDER_FISCAL_YEAR_START_MONTH (overrides " + e.cfg + ":" + strconv.Itoa(fyLine) + "): fiscal_year_start_month: must be a month number 1..12, got 13"
	if code != exitUsage || !strings.Contains(e.stderr.String(), want) {
		t.Fatalf("exit %d, want %d and %q:\n%s", code, exitUsage, want, e.stderr)
	}
}
