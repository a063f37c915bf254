package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/report"
	"github.com/ladderhq/ladder/internal/sandbox"
)

// asOfDate is the fixed "now" of these tests.
const asOfDate = "2026-11-25"

func testNow(t testing.TB) time.Time {
	t.Helper()
	now, err := time.Parse("2006-01-02", asOfDate)
	if err != nil {
		t.Fatal(err)
	}
	return now
}

// env is the sample organisation served by sandbox trackers, with a config
// pointing at them and a store in a temp dir.
type env struct {
	org    sandbox.Org
	gh     *sandbox.GitHub
	jira   *sandbox.Jira
	dir    string
	cfg    string
	stdout *bytes.Buffer
	stderr *bytes.Buffer
}

func newEnv(t *testing.T) *env {
	t.Helper()
	now := testNow(t)
	e := &env{org: sandbox.SampleOrg(now), dir: t.TempDir(), stdout: new(bytes.Buffer), stderr: new(bytes.Buffer)}
	e.gh = sandbox.NewGitHub(e.org.GitHub, sandbox.GitHubOptions{Token: demoGitHubToken, Login: "ladder-bot", PullRequests: 2})
	t.Cleanup(e.gh.Close)
	e.jira = sandbox.NewJira(e.org.Jira, sandbox.JiraOptions{Deployment: "cloud", Email: demoJiraEmail, Token: demoJiraToken})
	t.Cleanup(e.jira.Close)
	cfg, err := e.org.RenderConfig(sandbox.ConfigVars{GitHubURL: e.gh.URL(), JiraURL: e.jira.URL(), Store: "ladder.db"})
	if err != nil {
		t.Fatal(err)
	}
	e.cfg = filepath.Join(e.dir, "ladder.yaml")
	if err := os.WriteFile(e.cfg, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return e
}

var demoEnv = map[string]string{
	"LADDER_DEMO_GITHUB_TOKEN": demoGitHubToken,
	"LADDER_DEMO_JIRA_EMAIL":   demoJiraEmail,
	"LADDER_DEMO_JIRA_TOKEN":   demoJiraToken,
}

// run executes the ladder command line against the env and returns its exit code.
func (e *env) run(t *testing.T, args ...string) int {
	t.Helper()
	return e.runEnv(t, demoEnv, args...)
}

func (e *env) runEnv(t *testing.T, vars map[string]string, args ...string) int {
	t.Helper()
	e.stdout.Reset()
	e.stderr.Reset()
	g := &globals{Stdout: e.stdout, Stderr: e.stderr, Getenv: func(k string) string { return vars[k] }}
	return execute(t.Context(), g, append([]string{"--config", e.cfg}, args...))
}

func (e *env) mustRun(t *testing.T, args ...string) string {
	t.Helper()
	if code := e.run(t, args...); code != 0 {
		t.Fatalf("ladder %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, e.stdout, e.stderr)
	}
	return e.stdout.String()
}

func writes(s *sandbox.Harness) int {
	return s.Count(func(r sandbox.Request) bool { return r.Write() })
}

// ladderComments returns the comments on an issue that carry our marker or were written by us.
func ladderComments(e *env, ref ladder.Ref) []ladder.Comment {
	var cs []ladder.Comment
	if ref.Tracker == "gh" {
		cs = e.gh.Comments(ref.Key)
	} else {
		cs = e.jira.Comments(ref.Key)
	}
	var out []ladder.Comment
	for _, c := range cs {
		if strings.Contains(c.Raw+c.Body, report.Marker) || c.Author == "ladder-bot" || c.Author == "ladder-bot-account" {
			out = append(out, c)
		}
	}
	return out
}
