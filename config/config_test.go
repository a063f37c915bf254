package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStarterParses(t *testing.T) {
	cfg, err := Parse("ladder.yaml", Starter, Options{})
	if err != nil {
		t.Fatalf("starter config: %v", err)
	}
	if !cfg.Writeback.DryRun {
		t.Error("starter must be dry-run")
	}
	if len(cfg.Trackers) != 2 || cfg.Trackers[1].Deployment != "cloud" {
		t.Errorf("trackers = %+v", cfg.Trackers)
	}
	if got := cfg.Teams[0].TechDebtTarget; got == nil || got.Min != 0.15 || got.Max != 0.25 {
		t.Errorf("tech_debt_target = %+v", got)
	}
	if s := cfg.Serve; s.Listen != "127.0.0.1:8080" || s.Schedule != "30 2 * * *" {
		t.Errorf("serve = %+v", s)
	}
	for _, want := range []string{"# timezone: Europe/Berlin", "# jitter: 10m", "github_secret_env: LADDER_GITHUB_WEBHOOK_SECRET", "jira_secret_env: LADDER_JIRA_WEBHOOK_SECRET"} {
		if !strings.Contains(string(Starter), want) {
			t.Errorf("the starter does not show %q", want)
		}
	}
}

const minimal = `
trackers:
  - name: gh
    kind: github
    token_env: GH_TOKEN
    repos: [acme/web]
teams:
  - name: web
    github_repos: [acme/web]
`

func TestDefaults(t *testing.T) {
	cfg, err := Parse("x.yaml", []byte(minimal), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Store != "ladder.db" || cfg.FiscalYearStartMonth != 1 || !cfg.Writeback.DryRun ||
		cfg.Writeback.OptOutLabel != "ladder-ignore" || cfg.Writeback.MaxWrites != 200 ||
		strings.Join(cfg.Writeback.CommentOn, ",") != "cross_team,unaligned,tech_debt" {
		t.Errorf("defaults not applied: %+v", cfg)
	}
}

func TestEnvOverrides(t *testing.T) {
	t.Setenv("LADDER_STORE", "/tmp/other.db")
	t.Setenv("LADDER_FISCAL_YEAR_START_MONTH", "2")
	t.Setenv("LADDER_WRITEBACK_DRY_RUN", "false")
	cfg, err := Parse("x.yaml", []byte(minimal), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Store != "/tmp/other.db" || cfg.FiscalYearStartMonth != 2 || cfg.Writeback.DryRun {
		t.Errorf("env overrides not applied: store=%q fy=%d dry=%v", cfg.Store, cfg.FiscalYearStartMonth, cfg.Writeback.DryRun)
	}
}

func TestDurations(t *testing.T) {
	doc := strings.Replace(minimal, "teams:", `  - name: jira
    kind: jira
    deployment: datacenter
    url: https://jira.example.test
    token_env: JIRA_PAT
    jql: project = PAY
    overlap: 15m
    write_interval: 2s
teams:`, 1)
	cfg, err := Parse("x.yaml", []byte(doc), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tr, _ := cfg.Tracker("jira"); tr.Overlap != 15*time.Minute || tr.WriteInterval != 2*time.Second {
		t.Errorf("durations: %+v", tr)
	}
}

func TestRejects(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string // substrings of the error
	}{
		{"unknown top-level key", minimal + "stor: x.db\n", []string{"x.yaml:10: stor: unknown key", `did you mean "store"`}},
		{"unknown team key", strings.Replace(minimal, "github_repos:", "github_repo:", 1), []string{"teams[0].github_repo: unknown key", `"github_repos"`}},
		{"unknown tracker key", strings.Replace(minimal, "repos: [acme/web]", "repos: [acme/web]\n    tokn: x", 1), []string{"trackers[0].tokn: unknown key"}},
		{"bad yaml", "trackers: [\n", []string{"not valid YAML"}},
		{"bad kind", strings.Replace(minimal, "kind: github", "kind: gitlab", 1), []string{`trackers[0].kind: "gitlab"`}},
		{"missing token_env", strings.Replace(minimal, "token_env: GH_TOKEN", "", 1), []string{"trackers[0].token_env: is required"}},
		{"inline token", strings.Replace(minimal, "token_env: GH_TOKEN", "token_env: ghp_abc-123!", 1), []string{"environment variable NAME"}},
		{"login with @", strings.Replace(minimal, "repos: [acme/web]", "repos: [acme/web]\n    login: \"@acme-ladder\"", 1), []string{`trackers[0].login: "@acme-ladder": want the account's login`}},
		{"repo format", strings.Replace(minimal, "repos: [acme/web]", "repos: [acme]", 1), []string{`trackers[0].repos[0]: "acme" is not owner/repo`}},
		{"team owns nothing", minimal + "  - name: ghost\n", []string{`teams[1]: team "ghost" owns nothing`}},
		{"band", minimal + "    tech_debt_target: {min: 0.5, max: 0.2}\n", []string{"teams[0].tech_debt_target"}},
		{"fiscal month", minimal + "fiscal_year_start_month: 13\n", []string{"fiscal_year_start_month: must be a month"}},
		{"goal parent", minimal + "goals:\n  - id: a\n    title: A\n    parent: nope\n", []string{`goals[0].parent: goal "a" names parent "nope"`}},
		{"goal team", minimal + "goals:\n  - id: a\n    title: A\n    team: nope\n", []string{`goals[0].team: goal "a" names team "nope"`}},
		{"goal cycle", minimal + "goals:\n  - id: a\n    title: A\n    parent: b\n  - id: b\n    title: B\n    parent: a\n", []string{"goals form a cycle: a → b → a"}},
		{"goal quarter", minimal + "goals:\n  - id: a\n    title: A\n    quarter: 2027Q1\n", []string{`goals[0].quarter: "2027Q1"`}},
		{"duplicate goal", minimal + "goals:\n  - id: a\n    title: A\n  - id: a\n    title: B\n", []string{`goals[1].id: "a" is used`}},
		{"comment_on", minimal + "writeback:\n  comment_on: [everything]\n", []string{`writeback.comment_on[0]: "everything"`}},
		{"summary issue tracker", minimal + "writeback:\n  summary_issue: jira:PLAN-1\n", []string{`no tracker named "jira"`}},
		{"jira without jql", strings.Replace(minimal, "teams:", "  - name: j\n    kind: jira\n    deployment: cloud\n    url: https://x.atlassian.net\n    user_env: E\n    token_env: T\nteams:", 1), []string{"trackers[1].jql: is required"}},
		{"cloud without user", strings.Replace(minimal, "teams:", "  - name: j\n    kind: jira\n    deployment: cloud\n    url: https://x.atlassian.net\n    token_env: T\n    jql: project = A\nteams:", 1), []string{"trackers[1].user_env"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(tt.doc), Options{})
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\n does not contain %q", err, w)
				}
			}
		})
	}
}

func TestAllProblemsReportedTogether(t *testing.T) {
	doc := strings.Replace(minimal, "kind: github", "kind: gitlab", 1) + "  - name: ghost\n"
	_, err := Parse("x.yaml", []byte(doc), Options{})
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 2 {
		t.Fatalf("want 2 errors, got %v", err)
	}
}

func TestSecrets(t *testing.T) {
	tr := Tracker{Name: "jira", TokenEnv: "T", UserEnv: "U"}
	env := map[string]string{"T": "s3cret-token"}
	_, _, err := tr.Secrets(func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "U (user_env) is not set") {
		t.Fatalf("err = %v", err)
	}
	env["U"] = "me@example.test"
	user, tok, err := tr.Secrets(func(k string) string { return env[k] })
	if err != nil || user != "me@example.test" || tok != "s3cret-token" {
		t.Fatalf("got %q %q %v", user, tok, err)
	}
	delete(env, "T")
	_, _, err = tr.Secrets(func(k string) string { return env[k] })
	if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "T (token_env)") {
		t.Fatalf("err = %v", err)
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv(EnvConfig, "")
	if _, err := Find("", nil); err == nil || !strings.Contains(err.Error(), "ladder init") {
		t.Errorf("no config: err = %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, DefaultFile), Starter, 0o600); err != nil {
		t.Fatal(err)
	}
	if p, err := Find("", nil); err != nil || p != DefaultFile {
		t.Errorf("Find = %q, %v", p, err)
	}
	t.Setenv(EnvConfig, "/etc/ladder.yaml")
	if p, _ := Find("", nil); p != "/etc/ladder.yaml" {
		t.Errorf("LADDER_CONFIG not used: %q", p)
	}
	if p, _ := Find("mine.yaml", nil); p != "mine.yaml" {
		t.Errorf("--config not preferred: %q", p)
	}
}

func TestStorePathRelativeToConfig(t *testing.T) {
	cfg := &Config{File: "/etc/ladder/ladder.yaml", Store: "ladder.db"}
	if got := cfg.StorePath(); got != "/etc/ladder/ladder.db" {
		t.Errorf("StorePath = %q", got)
	}
}

// envOf serves vars as the environment.
func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// TestEveryProblemOnceInOneRun: an unknown key does not hide the rest, a
// value of the wrong type has its line and says what the key wants, and
// nothing is reported twice.
func TestEveryProblemOnceInOneRun(t *testing.T) {
	doc := strings.Replace(minimal, "kind: github", "kind: gitlab", 1) +
		"  - name: ghost\n    jira_project: [GH]\n" + // unknown key; "owns nothing" would repeat it
		"fiscal_year_start_month: February\n" +
		"writeback:\n  max_writes: lots\n  dry_run: maybe\n" +
		"stor: x.db\n"
	doc = strings.Replace(doc, "token_env: GH_TOKEN", "token_env: GH_TOKEN\n    overlap: ten minutes", 1)
	_, err := Parse("x.yaml", []byte(doc), Options{Getenv: envOf(nil)})
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %v", err)
	}
	want := []string{
		`x.yaml:4: trackers[0].kind: "gitlab": want github or jira`,
		`x.yaml:6: trackers[0].overlap: want a duration such as 90s, 10m or 1h30m, got "ten minutes"`,
		`x.yaml:12: teams[1].jira_project: unknown key (did you mean "jira_projects"?)`,
		`x.yaml:13: fiscal_year_start_month: want a whole number, got "February"`,
		`x.yaml:15: writeback.max_writes: want a whole number, got "lots"`,
		`x.yaml:16: writeback.dry_run: want true or false, got "maybe"`,
		`x.yaml:17: stor: unknown key (did you mean "store"?)`,
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s\n(document:\n%s)", strings.Join(got, "\n"), strings.Join(want, "\n"), doc)
	}
}

func TestEnvOverrideErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		env  map[string]string
		want string
	}{
		{"validation, key in the file", minimal + "fiscal_year_start_month: 2\n",
			map[string]string{"LADDER_FISCAL_YEAR_START_MONTH": "13"},
			"LADDER_FISCAL_YEAR_START_MONTH (overrides x.yaml:10): fiscal_year_start_month: must be a month number 1..12, got 13"},
		{"validation, key not in the file", minimal,
			map[string]string{"LADDER_FISCAL_YEAR_START_MONTH": "13"},
			"LADDER_FISCAL_YEAR_START_MONTH: fiscal_year_start_month: must be a month number 1..12, got 13"},
		{"wrong type", minimal,
			map[string]string{"LADDER_WRITEBACK_DRY_RUN": "nope"},
			`LADDER_WRITEBACK_DRY_RUN: writeback.dry_run: want true or false, got "nope"`},
		{"list item", minimal,
			map[string]string{"LADDER_WRITEBACK_COMMENT_ON": "all,everything"},
			`LADDER_WRITEBACK_COMMENT_ON: writeback.comment_on[1]: "everything": want one of`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(tt.doc), Options{Getenv: envOf(tt.env)})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v\nwant it to contain %q", err, tt.want)
			}
			if strings.Count(err.Error(), "\n") != 0 {
				t.Errorf("more than one problem reported:\n%v", err)
			}
		})
	}
}

func TestRepeatedKeyNamesBothLines(t *testing.T) {
	_, err := Parse("x.yaml", []byte("store: a.db\n"+minimal+"store: b.db\n"), Options{Getenv: envOf(nil)})
	if err == nil || !strings.Contains(err.Error(), "x.yaml:11: store: repeated (first at line 1)") {
		t.Fatalf("err = %v", err)
	}
}

func TestCheckSecretsReportsEveryMissingVariable(t *testing.T) {
	doc := strings.Replace(minimal, "teams:", "  - name: jira\n    kind: jira\n    deployment: cloud\n    url: https://x.atlassian.net\n    user_env: JIRA_EMAIL\n    token_env: JIRA_TOKEN\n    jql: project = A\nteams:", 1)
	cfg, err := Parse("x.yaml", []byte(doc), Options{Getenv: envOf(nil)})
	if err != nil {
		t.Fatal(err)
	}
	err = cfg.CheckSecrets(envOf(map[string]string{"JIRA_TOKEN": "s3cret"}), "")
	want := "x.yaml:5: tracker \"gh\": environment variable GH_TOKEN (token_env) is not set\n" +
		"x.yaml:11: tracker \"jira\": environment variable JIRA_EMAIL (user_env) is not set"
	if err == nil || err.Error() != want {
		t.Fatalf("err =\n%v\nwant\n%s", err, want)
	}
	if err := cfg.CheckSecrets(envOf(map[string]string{"JIRA_TOKEN": "s3cret", "JIRA_EMAIL": "me@x"}), "jira"); err != nil {
		t.Errorf("only jira: %v", err)
	}
}

func TestOriginSaysWhereAValueCameFrom(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		env  map[string]string
		want string
	}{
		{"file", "store: data/ladder.db\n" + minimal, nil, "the store: key at x.yaml:1"},
		{"env", "store: data/ladder.db\n" + minimal, map[string]string{"LADDER_STORE": "/tmp/l.db"}, "the LADDER_STORE environment variable"},
		{"default", minimal, nil, "the default (x.yaml sets no store:)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("x.yaml", []byte(tt.doc), Options{Getenv: envOf(tt.env)})
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Origin("store"); got != tt.want {
				t.Errorf("Origin(store) = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseReportsSecretsWithTheFilesProblems(t *testing.T) {
	doc := minimal + "fiscal_year_start_month: 13\n"
	_, err := Parse("x.yaml", []byte(doc), Options{Getenv: envOf(nil), Secrets: true})
	want := "x.yaml:5: tracker \"gh\": environment variable GH_TOKEN (token_env) is not set\n" +
		"x.yaml:10: fiscal_year_start_month: must be a month number 1..12, got 13"
	if err == nil || err.Error() != want {
		t.Fatalf("err =\n%v\nwant\n%s", err, want)
	}
}
