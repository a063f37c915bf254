package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/store"
)

func TestSyncReportsPerTrackerAndIsIncremental(t *testing.T) {
	e := newEnv(t)
	out := e.mustRun(t, "sync")
	for _, want := range []string{"gh: ", "jira: ", " new, ", " requests"} {
		if !strings.Contains(out, want) {
			t.Errorf("sync output lacks %q:\n%s", want, out)
		}
	}
	e.gh.ResetLog()
	out = e.mustRun(t, "sync", "--tracker", "gh")
	if !strings.Contains(out, "gh: 0 new, 0 updated") {
		t.Errorf("second sync changed something:\n%s", out)
	}
	for _, r := range e.gh.Requests() {
		if !r.Conditional || r.Status != 304 {
			t.Errorf("second sync made %s %s?%s answered %d; want only conditional requests answered 304", r.Method, r.Path, r.Query, r.Status)
		}
	}
}

func TestSyncBadTokenIsPartialFailure(t *testing.T) {
	e := newEnv(t)
	vars := map[string]string{}
	for k, v := range demoEnv {
		vars[k] = v
	}
	vars["LADDER_DEMO_JIRA_TOKEN"] = "wrong-secret-value"
	code := e.runEnv(t, vars, "sync")
	if code != exitPartial {
		t.Fatalf("exit %d, want %d (one tracker failed, the other synced)\n%s%s", code, exitPartial, e.stdout, e.stderr)
	}
	all := e.stdout.String() + e.stderr.String()
	if !strings.Contains(all, "jira") || !strings.Contains(all, "rejected") {
		t.Errorf("error does not name the tracker and say the token was rejected:\n%s", all)
	}
	if strings.Contains(all, "wrong-secret-value") {
		t.Errorf("the token leaked into the output:\n%s", all)
	}
	if !strings.Contains(e.stdout.String(), "gh: ") {
		t.Errorf("gh did not sync:\n%s", e.stdout)
	}
}

func TestMissingSecretIsConfigError(t *testing.T) {
	e := newEnv(t)
	code := e.runEnv(t, map[string]string{}, "sync")
	if code != exitUsage || !strings.Contains(e.stderr.String(), "LADDER_DEMO_GITHUB_TOKEN (token_env) is not set") {
		t.Fatalf("exit %d:\n%s", code, e.stderr)
	}
}

func TestUnknownConfigKeyIsRejectedByName(t *testing.T) {
	e := newEnv(t)
	data, err := os.ReadFile(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(data), "jira_projects:", "jira_project:", 1)
	if err := os.WriteFile(e.cfg, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code := e.run(t, "sync")
	if code != exitUsage || !strings.Contains(e.stderr.String(), "jira_project: unknown key") {
		t.Fatalf("exit %d:\n%s", code, e.stderr)
	}
	if n := e.gh.Count(nil) + e.jira.Harness().Count(nil); n != 0 {
		t.Errorf("a bad config made %d network requests", n)
	}
}

func TestImportRejectsMalformedLineAndWritesNothing(t *testing.T) {
	e := newEnv(t)
	file := filepath.Join(e.dir, "issues.jsonl")
	lines := `{"tracker":"apache","key":"CAMEL-1","title":"Refactor the route builder"}
{"tracker":"apache","key":"CAMEL-2","title":"Add Kafka headers"}
{"tracker":"apache","key":"CAMEL-3","title": oops}
`
	if err := os.WriteFile(file, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	code := e.run(t, "import", file)
	if code != exitUsage || !strings.Contains(e.stderr.String(), "issues.jsonl:3: not valid JSON") {
		t.Fatalf("exit %d:\n%s", code, e.stderr)
	}
	st, err := store.Open(t.Context(), filepath.Join(e.dir, "ladder.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, err := st.Count(t.Context()); err != nil || n != 0 {
		t.Fatalf("store holds %d issues after a failed import (err %v)", n, err)
	}

	good := strings.Replace(lines, `"title": oops`, `"title":"Remove dead code","links":[{"kind":"blocked_by","key":"CAMEL-1"}]`, 1)
	if err := os.WriteFile(file, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := e.mustRun(t, "import", file); !strings.Contains(out, "imported 3 issues: 3 new") {
		t.Fatalf("import: %s", out)
	}
	if out := e.mustRun(t, "import", file); !strings.Contains(out, "3 unchanged") {
		t.Fatalf("re-import: %s", out)
	}
	is, err := st.Issue(t.Context(), ladder.Ref{Tracker: "apache", Key: "CAMEL-3"})
	if err != nil || len(is.Links) != 1 || is.Links[0].To != (ladder.Ref{Tracker: "apache", Key: "CAMEL-1"}) {
		t.Fatalf("link not imported with the issue's tracker: %+v %v", is.Links, err)
	}
}

func TestAnalyzeJSONLFollowsTheDocumentedShape(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	out := e.mustRun(t, "analyze", "--format", "jsonl", "--as-of", asOfDate)
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	n := 0
	keys := []string{"tracker", "key", "team", "category", "tech_debt", "tech_debt_score", "aligned", "goals", "cross_team", "dependencies", "debt_admitted", "reasons"}
	for sc.Scan() {
		n++
		var m map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				t.Fatalf("line %d lacks %q: %s", n, k, sc.Text())
			}
		}
	}
	if want := len(e.org.GitHub) + len(e.org.Jira); n < want-5 {
		t.Errorf("analyze printed %d verdicts for %d sandbox issues", n, want)
	}

	out = e.mustRun(t, "analyze", "--team", "platform", "--as-of", asOfDate)
	body := strings.Split(strings.TrimSpace(out), "\n")[1:]
	if len(body) == 0 {
		t.Fatal("no platform issues in the table")
	}
	for _, l := range body {
		if f := strings.Fields(l); len(f) < 2 || f[1] != "platform" {
			t.Errorf("--team platform printed %q", l)
		}
	}
	if code := e.run(t, "analyze", "--quarter", "2027Q1"); code != exitUsage {
		t.Errorf("bad --quarter: exit %d", code)
	}
	if code := e.run(t, "analyze", "--team", "paymnets"); code != exitUsage || !strings.Contains(e.stderr.String(), "teams: payments, platform") {
		t.Errorf("misspelt --team: exit %d %s", code, e.stderr)
	}
	if code := e.run(t, "analyze", "--team", "payments", "--quarter", "FY2031-Q1"); code != 0 || !strings.Contains(e.stderr.String(), "no stored issue is in team payments and quarter FY2031-Q1") {
		t.Errorf("filters that match nothing: exit %d %s", code, e.stderr)
	}
}

func TestExplainShowsReasons(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	out := e.mustRun(t, "explain", "jira:PAY-57", "--as-of", asOfDate)
	for _, want := range []string{"jira:PAY-57", "team       payments", "reasons", "category"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
	if code := e.run(t, "explain", "jira:NOPE-1"); code != exitFailure || !strings.Contains(e.stderr.String(), "no such issue") {
		t.Errorf("unknown ref: exit %d %s", code, e.stderr)
	}
	// The other team's issue is named by its title, which the analyzer
	// does not keep.
	if out := e.mustRun(t, "explain", "jira:DATA-35", "--as-of", asOfDate); !strings.Contains(out, `PAY-57 "Publish ledger events to the warehouse topic" (payments, open cross-team)`) {
		t.Errorf("explain does not name the blocker by its title:\n%s", out)
	}
	// A key alone finds the issue in the one tracker that has it, and asks
	// which when two have it.
	if out := e.mustRun(t, "explain", "PAY-57", "--as-of", asOfDate); !strings.Contains(out, "jira:PAY-57") {
		t.Errorf("explain by key alone:\n%s", out)
	}
	other := filepath.Join(e.dir, "other.jsonl")
	if err := os.WriteFile(other, []byte(`{"tracker":"legacy","key":"PAY-57","title":"Old ledger","status_category":"todo","created":"2025-01-01T00:00:00Z","updated":"2025-01-01T00:00:00Z"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e.mustRun(t, "import", other)
	if code := e.run(t, "explain", "PAY-57"); code != exitUsage || !strings.Contains(e.stderr.String(), "jira:PAY-57, legacy:PAY-57") {
		t.Errorf("key in two trackers: exit %d %s", code, e.stderr)
	}
	// The address a browser shows will do.
	if out := e.mustRun(t, "explain", "https://github.com/acme/web/issues/56", "--as-of", asOfDate); !strings.Contains(out, "gh:acme/web#56") {
		t.Errorf("explain by URL:\n%s", out)
	}
	if code := e.run(t, "explain", "https://github.com/acme/web"); code != exitUsage || !strings.Contains(e.stderr.String(), "not the address of an issue") {
		t.Errorf("explain of a repository's URL: exit %d %s", code, e.stderr)
	}
}

func TestReportFormats(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	html := filepath.Join(e.dir, "r.html")
	e.mustRun(t, "report", "-o", html, "--as-of", asOfDate)
	data, err := os.ReadFile(html)
	if err != nil || !strings.Contains(string(data), "<svg") {
		t.Fatalf("html report: %v %.200s", err, data)
	}
	js := filepath.Join(e.dir, "r.json")
	e.mustRun(t, "report", "-o", js, "--as-of", asOfDate)
	var v map[string]any
	if data, err := os.ReadFile(js); err != nil || json.Unmarshal(data, &v) != nil {
		t.Fatalf("json report unreadable: %v", err)
	}
	if out := e.mustRun(t, "report", "--as-of", asOfDate); !strings.Contains(out, "platform") {
		t.Errorf("markdown report lacks teams:\n%.500s", out)
	}
}

func TestInitWritesAValidStarter(t *testing.T) {
	dir := t.TempDir()
	e := &env{dir: dir, cfg: filepath.Join(dir, "ladder.yaml"), stdout: new(bytes.Buffer), stderr: new(bytes.Buffer)}
	e.mustRun(t, "init")
	if out := e.mustRun(t, "validate", "--offline"); !strings.Contains(out, "config ok") {
		t.Errorf("validate: %s", out)
	}
	if code := e.run(t, "init"); code != exitUsage || !strings.Contains(e.stderr.String(), "already exists") {
		t.Errorf("init over an existing file: exit %d %s", code, e.stderr)
	}
}

func TestDemoRunsTheWholePipeline(t *testing.T) {
	dir := t.TempDir()
	e := &env{dir: dir, cfg: filepath.Join(dir, "unused.yaml"), stdout: new(bytes.Buffer), stderr: new(bytes.Buffer)}
	out := filepath.Join(dir, "demo")
	for run := 1; run <= 2; run++ { // a second demo starts from a fresh store
		text := e.mustRun(t, "demo", "--out", out, "--as-of", asOfDate)
		for _, want := range []string{
			"1. sync into a fresh store", "(6 answered 304, free)", "publish (applied): 0 create, 0 update",
			"report.html", "What to notice",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("run %d: demo output lacks %q:\n%s", run, want, text)
			}
		}
	}
	for _, f := range []string{"report.html", "report.md", "report.json", "ladder.yaml", "ladder.db"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if strings.Contains(e.stderr.String(), "level=INFO") {
		t.Errorf("demo logs at info by default:\n%.500s", e.stderr)
	}
}

func TestValidateChecksEachTracker(t *testing.T) {
	e := newEnv(t)
	out := e.mustRun(t, "validate")
	for _, want := range []string{"config ok", "gh: ok", "jira: ok"} {
		if !strings.Contains(out, want) {
			t.Errorf("validate lacks %q:\n%s", want, out)
		}
	}
	vars := map[string]string{}
	for k, v := range demoEnv {
		vars[k] = v
	}
	vars["LADDER_DEMO_GITHUB_TOKEN"] = "expired"
	if code := e.runEnv(t, vars, "validate"); code != exitFailure || !strings.Contains(e.stdout.String(), "gh: FAILED") {
		t.Errorf("bad token: exit %d\n%s", code, e.stdout)
	}
}

func TestRunIsSyncAnalyzePublish(t *testing.T) {
	e := newEnv(t)
	out := e.mustRun(t, "run")
	if !strings.Contains(out, "gh: ") || !strings.Contains(out, "publish (dry-run, nothing written)") {
		t.Errorf("run output:\n%s", out)
	}
	if n := writes(e.gh.Harness) + writes(e.jira.Harness()); n != 0 {
		t.Errorf("run with dry_run: true wrote %d times", n)
	}
	vars := map[string]string{}
	for k, v := range demoEnv {
		vars[k] = v
	}
	vars["LADDER_DEMO_JIRA_TOKEN"] = "revoked"
	code := e.runEnv(t, vars, "run", "--apply")
	if code != exitPartial {
		t.Fatalf("run with one tracker failing: exit %d, want %d\n%s%s", code, exitPartial, e.stdout, e.stderr)
	}
	if !strings.Contains(e.stdout.String(), "publish (applied)") {
		t.Errorf("run did not publish after a partial sync:\n%s", e.stdout)
	}
}

func TestSecretsStayOutOfLogsAndStore(t *testing.T) {
	e := newEnv(t)
	var all strings.Builder
	for _, args := range [][]string{
		{"--log-level", "debug", "sync"},
		{"--log-level", "debug", "--log-format", "json", "publish", "--apply", "--quiet"},
		{"--log-level", "debug", "report", "--format", "json"},
	} {
		e.mustRun(t, args...)
		all.WriteString(e.stdout.String() + e.stderr.String())
	}
	db, err := os.ReadFile(filepath.Join(e.dir, "ladder.db"))
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(filepath.Join(e.dir, "ladder.db-wal"))
	for _, secret := range []string{demoGitHubToken, demoJiraToken} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("%q appears in the output", secret)
		}
		if bytes.Contains(db, []byte(secret)) || bytes.Contains(wal, []byte(secret)) {
			t.Errorf("%q is stored", secret)
		}
	}
}

// TestJSONLogsAreJSON: with --log-format json everything on stderr is a
// JSON record a collector can take, the summaries and the final error
// included, so cron can send it straight to one.
func TestJSONLogsAreJSON(t *testing.T) {
	e := newEnv(t)
	vars := maps.Clone(demoEnv)
	vars["LADDER_DEMO_JIRA_TOKEN"] = "revoked"
	if code := e.runEnv(t, vars, "--log-format", "json", "run"); code != exitPartial {
		t.Fatalf("exit %d, want %d\n%s", code, exitPartial, e.stderr)
	}
	var msgs []string
	for _, line := range strings.Split(strings.TrimSpace(e.stderr.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("stderr line is not JSON: %q", line)
		}
		msg, _ := rec["msg"].(string)
		switch msg {
		case "synced":
			if rec["tracker"] != "gh" || rec["new"] == nil || rec["requests"] == nil {
				t.Errorf("synced record: %v", rec)
			}
		case "ladder failed":
			if rec["exit"] != float64(exitPartial) || !strings.Contains(fmt.Sprint(rec["err"]), "1 of 2 trackers failed") {
				t.Errorf("final record: %v", rec)
			}
		}
		msgs = append(msgs, msg)
	}
	for _, want := range []string{"synced", "sync failed", "published", "ladder failed"} {
		if !slices.Contains(msgs, want) {
			t.Errorf("no %q record among %q", want, msgs)
		}
	}
	if msgs[len(msgs)-1] != "ladder failed" {
		t.Errorf("last record %q, want the final error", msgs[len(msgs)-1])
	}
}

func TestKeyOfURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://acme.atlassian.net/browse/PAY-12", "PAY-12"},
		{"https://jira.acme.example/jira/browse/PAY-12/", "PAY-12"},
		{"https://acme.atlassian.net/jira/software/projects/PAY/boards/1?selectedIssue=PAY-7", "PAY-7"},
		{"https://github.com/acme/web/issues/56", "acme/web#56"},
		{"https://github.com/acme/web/issues/56#issuecomment-1", "acme/web#56"},
		{"https://ghe.acme.example/acme/web/issues/3", "acme/web#3"},
		{"https://github.com/acme/web/issues", ""},
		{"https://github.com/acme/web", ""},
		{"https://", ""},
	}
	for _, tt := range tests {
		got, ok := keyOfURL(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("keyOfURL(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}
