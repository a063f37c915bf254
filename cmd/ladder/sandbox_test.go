package main

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ladderhq/ladder/config"
)

// syncBuffer is a bytes.Buffer a running command writes to while the test
// reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runningSandbox is `ladder sandbox` started in a goroutine.
type runningSandbox struct {
	stdout, stderr *syncBuffer
	cancel         context.CancelFunc
	done           chan int
}

// startSandbox runs `ladder sandbox args…` until the test stops it, and
// waits until it serves (it has printed that it does).
func startSandbox(t *testing.T, args ...string) *runningSandbox {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	s := &runningSandbox{stdout: &syncBuffer{}, stderr: &syncBuffer{}, cancel: cancel, done: make(chan int, 1)}
	g := &globals{Stdout: s.stdout, Stderr: s.stderr, Getenv: func(string) string { return "" }}
	go func() { s.done <- execute(ctx, g, append([]string{"sandbox", "--as-of", asOfDate}, args...)) }()
	t.Cleanup(func() {
		cancel()
		<-s.done
	})
	deadline := time.After(time.Minute)
	for !strings.Contains(s.stdout.String()+s.stderr.String(), "Serving until interrupted") {
		select {
		case code := <-s.done:
			s.done <- code
			t.Fatalf("sandbox exited %d before serving\nstdout:\n%s\nstderr:\n%s", code, s.stdout, s.stderr)
		case <-deadline:
			t.Fatalf("sandbox does not serve\nstdout:\n%s\nstderr:\n%s", s.stdout, s.stderr)
		case <-time.After(10 * time.Millisecond):
		}
	}
	return s
}

// stop interrupts the sandbox as SIGINT does (main cancels the context)
// and returns its exit code.
func (s *runningSandbox) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		s.done <- code // for Cleanup
		return code
	case <-time.After(time.Minute):
		t.Fatal("sandbox does not stop when interrupted")
		return -1
	}
}

var exportLine = regexp.MustCompile(`(?m)^\s*export (.+)$`)

// exports reads the env vars of the export line the sandbox printed.
func exports(t *testing.T, out string) map[string]string {
	t.Helper()
	m := exportLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no export line in:\n%s", out)
	}
	vars := map[string]string{}
	for _, kv := range strings.Fields(m[1]) {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			t.Fatalf("export %q: want NAME=value", kv)
		}
		vars[k] = v
	}
	return vars
}

// ladderIn runs a ladder command line in the current directory with vars
// as its environment, as a person in a second terminal would.
func ladderIn(t *testing.T, vars map[string]string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	g := &globals{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return vars[k] }}
	if code := execute(t.Context(), g, args); code != exitOK {
		t.Fatalf("ladder %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, &stdout, &stderr)
	}
	return stdout.String()
}

// ladderCode runs a ladder command line like ladderIn and returns its exit
// code with what it printed on stdout and stderr.
func ladderCode(t *testing.T, vars map[string]string, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	g := &globals{Stdout: &out, Stderr: &out, Getenv: func(k string) string { return vars[k] }}
	return execute(t.Context(), g, args), out.String()
}

func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	return s[strings.LastIndexByte(s, '\n')+1:]
}

// TestSandboxWalkthrough follows the README: terminal 1 runs `ladder sandbox
// --out mytry`; terminal 2 exports what it printed, goes into mytry and runs
// the whole pipeline against it over HTTP: validate, sync, analyze, report,
// a dry-run publish, publish --apply, then sync and publish again, which
// plans nothing; a bad flag value exits 2 and a wrong token 3; then the
// sandbox is interrupted and exits 0.
func TestSandboxWalkthrough(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mytry")
	sb := startSandbox(t, "--out", dir)
	out := sb.stdout.String()
	vars := exports(t, out)
	for _, k := range []string{"LADDER_DEMO_GITHUB_TOKEN", "LADDER_DEMO_JIRA_EMAIL", "LADDER_DEMO_JIRA_TOKEN"} {
		if vars[k] == "" {
			t.Errorf("the export line does not set %s:\n%s", k, out)
		}
	}
	cfg, err := config.Load(filepath.Join(dir, "ladder.yaml"), config.Options{})
	if err != nil {
		t.Fatalf("the config the sandbox wrote: %v", err)
	}
	for _, tr := range cfg.Trackers {
		if !strings.Contains(out, tr.URL) {
			t.Errorf("tracker %s at %s is not among the addresses printed:\n%s", tr.Name, tr.URL, out)
		}
	}

	t.Chdir(dir)
	ladderIn(t, vars, "validate")
	if got := ladderIn(t, vars, "sync"); !strings.Contains(got, "new") {
		t.Errorf("sync printed no new issues:\n%s", got)
	}
	if got := ladderIn(t, vars, "analyze", "--as-of", asOfDate); !strings.Contains(got, "DATA-35") {
		t.Errorf("analyze does not list DATA-35:\n%s", got)
	}
	if got := ladderIn(t, vars, "explain", "--as-of", asOfDate, "DATA-35"); !strings.Contains(got, "reasons") {
		t.Errorf("explain DATA-35 gives no reasons:\n%s", got)
	}
	ladderIn(t, vars, "report", "--as-of", asOfDate, "-o", "report.html")
	if page, err := os.ReadFile("report.html"); err != nil || !strings.Contains(string(page), "Launch in the EU") {
		t.Errorf("report.html (%v) does not show the goal nobody works on", err)
	}
	plan := ladderIn(t, vars, "publish", "--as-of", asOfDate)
	applied := ladderIn(t, vars, "publish", "--as-of", asOfDate, "--apply")
	if !strings.Contains(plan, "publish (dry-run, nothing written):") || !strings.Contains(applied, "publish (applied):") ||
		lastLine(plan) != strings.Replace(lastLine(applied), "(applied)", "(dry-run, nothing written)", 1) {
		t.Errorf("the dry run did not plan what --apply did:\n%s\n%s", lastLine(plan), lastLine(applied))
	}
	if strings.Contains(lastLine(applied), " 0 create") {
		t.Errorf("--apply created no comment: %s", lastLine(applied))
	}
	// Ladder's own comments come back with the next sync and change nothing.
	ladderIn(t, vars, "sync")
	if again := lastLine(ladderIn(t, vars, "publish", "--as-of", asOfDate)); !strings.Contains(again, ": 0 create, 0 update,") {
		t.Errorf("publish after sync plans writes: %s", again)
	}

	// The exit codes the README's table gives: 2 for bad usage, 3 when
	// one tracker fails and the other syncs.
	if code, out := ladderCode(t, vars, "sync", "--tracker", "nope"); code != exitUsage {
		t.Errorf("sync --tracker nope: exit %d, want %d\n%s", code, exitUsage, out)
	}
	wrong := maps.Clone(vars)
	wrong["LADDER_DEMO_JIRA_TOKEN"] = "not-the-token"
	if code, out := ladderCode(t, wrong, "sync"); code != exitPartial || !strings.Contains(out, "token rejected (401)") {
		t.Errorf("sync with a wrong Jira token: exit %d, want %d\n%s", code, exitPartial, out)
	}

	// The verdict comments reached the sandbox's Jira, written as Jira
	// shows text: "0.12 < 0.29", never an entity it would print as is.
	var jiraURL string
	for _, tr := range cfg.Trackers {
		if tr.Kind == "jira" {
			jiraURL = tr.URL
		}
	}
	body := jiraComments(t, jiraURL, vars, "DATA-35")
	if !strings.Contains(body, "debt model") || !strings.Contains(body, " < ") || strings.Contains(body, "&lt;") {
		t.Errorf("DATA-35's comment on Jira does not compare with a plain <:\n%s", body)
	}

	if code := sb.stop(t); code != exitOK {
		t.Errorf("interrupted sandbox exited %d, want 0\nstderr:\n%s", code, sb.stderr)
	}
	if _, err := net.DialTimeout("tcp", strings.TrimPrefix(jiraURL, "http://"), time.Second); err == nil {
		t.Error("the Jira sandbox still accepts connections after the interrupt")
	}
}

// jiraComments returns the bodies of key's comments, read over REST.
func jiraComments(t *testing.T, site string, vars map[string]string, key string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, site+"/rest/api/2/issue/"+key+"/comment", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(vars["LADDER_DEMO_JIRA_EMAIL"], vars["LADDER_DEMO_JIRA_TOKEN"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page struct {
		Comments []struct {
			Body string `json:"body"`
		} `json:"comments"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s comments: %d %v", key, resp.StatusCode, err)
	}
	var b strings.Builder
	for _, c := range page.Comments {
		b.WriteString(c.Body + "\n")
	}
	return b.String()
}

// TestSandboxDataCenterOnFixedPorts: --deployment datacenter serves Jira
// Data Center, whose config takes a personal access token alone, and --port
// puts GitHub on the port and Jira on the next.
func TestSandboxDataCenterOnFixedPorts(t *testing.T) {
	port := freePortPair(t)
	dir := t.TempDir()
	sb := startSandbox(t, "--out", dir, "--deployment", "datacenter", "--port", strconv.Itoa(port))
	vars := exports(t, sb.stdout.String())
	if _, ok := vars["LADDER_DEMO_JIRA_EMAIL"]; ok || vars["LADDER_DEMO_JIRA_TOKEN"] == "" {
		t.Errorf("Data Center exports %v, want a token and no email", vars)
	}
	cfg, err := config.Load(filepath.Join(dir, "ladder.yaml"), config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"github": "http://127.0.0.1:" + strconv.Itoa(port) + "/",
		"jira":   "http://127.0.0.1:" + strconv.Itoa(port+1),
	}
	for _, tr := range cfg.Trackers {
		if tr.URL != want[tr.Kind] {
			t.Errorf("%s at %s, want %s", tr.Kind, tr.URL, want[tr.Kind])
		}
		if tr.Kind == "jira" && (tr.Deployment != "datacenter" || tr.UserEnv != "") {
			t.Errorf("jira tracker %+v, want datacenter without user_env", tr)
		}
	}
	if got := ladderIn(t, vars, "--config", filepath.Join(dir, "ladder.yaml"), "sync"); !strings.Contains(got, "jira") {
		t.Errorf("sync against Data Center:\n%s", got)
	}
	if code := sb.stop(t); code != exitOK {
		t.Errorf("exit %d", code)
	}
}

// freePortPair finds a port whose next port is free too.
func freePortPair(t *testing.T) int {
	t.Helper()
	for range 20 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		next, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port+1))
		l.Close()
		if err == nil {
			next.Close()
			return port
		}
	}
	t.Fatal("no two free ports in a row")
	return 0
}

// TestSandboxRefuses: bad usage is an exit 2 before anything serves, and an
// existing config is kept unless --force.
func TestSandboxRefuses(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "ladder.yaml")
	if err := os.WriteFile(cfgPath, []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"existing config", []string{"--out", dir}, "already exists; pass --force"},
		{"not loopback", []string{"--github-addr", "0.0.0.0:8080"}, "loopback only"},
		{"no such deployment", []string{"--deployment", "server"}, "want cloud or datacenter"},
		{"negative size", []string{"--issues", "-5"}, "want a positive number"},
		{"force without out", []string{"--force"}, "give --out DIR"},
		{"negative rate limit", []string{"--github-rate-limit", "-1"}, "--github-rate-limit -1: want a number of requests per hour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			g := &globals{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
			// A sandbox that accepted the arguments would serve until stopped.
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			if code := execute(ctx, g, append([]string{"sandbox"}, tt.args...)); code != exitUsage {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitUsage, &stdout, &stderr)
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.want)
			}
		})
	}
	if b, _ := os.ReadFile(cfgPath); string(b) != "# mine\n" {
		t.Errorf("the existing config was overwritten: %q", b)
	}

	// With --force it is replaced by the sandbox's.
	sb := startSandbox(t, "--out", dir, "--force")
	if _, err := config.Load(cfgPath, config.Options{}); err != nil {
		t.Errorf("forced config: %v", err)
	}
	sb.stop(t)
}

// TestSandboxPrintsConfig: without --out the config is stdout's only
// content, so `ladder sandbox > ladder.yaml` works; the rest is on stderr.
func TestSandboxPrintsConfig(t *testing.T) {
	sb := startSandbox(t)
	path := filepath.Join(t.TempDir(), "ladder.yaml")
	if err := os.WriteFile(path, []byte(sb.stdout.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := config.Load(path, config.Options{}); err != nil {
		t.Errorf("stdout is not a config: %v\n%s", err, sb.stdout)
	}
	exports(t, sb.stderr.String())
	sb.stop(t)
}

// TestSandboxSynthetic serves a synthetic organisation: a sync gets every
// issue, and GitHub's budget is large enough not to wait an hour for it.
func TestSandboxSynthetic(t *testing.T) {
	const n = 2000
	dir := t.TempDir()
	sb := startSandbox(t, "--out", dir, "--issues", strconv.Itoa(n))
	vars := exports(t, sb.stdout.String())
	got := ladderIn(t, vars, "--config", filepath.Join(dir, "ladder.yaml"), "sync")
	news := 0
	for _, m := range regexp.MustCompile(`(\d+) new`).FindAllStringSubmatch(got, -1) {
		k, _ := strconv.Atoi(m[1])
		news += k
	}
	if news != n {
		t.Errorf("synced %d new issues, want %d:\n%s", news, n, got)
	}
	ladderIn(t, vars, "--config", filepath.Join(dir, "ladder.yaml"), "report", "--as-of", asOfDate, "-o", filepath.Join(dir, "r.json"))
	sb.stop(t)
}
