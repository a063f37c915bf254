package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/ladderhq/ladder/internal/sandbox"
)

// fakeClock is a clock the test moves by hand: After fires when Advance
// passes its deadline, never by itself.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
	waiting chan struct{}
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock(now time.Time) *fakeClock {
	return &fakeClock{now: now, waiting: make(chan struct{}, 100)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, fakeWaiter{at: c.now.Add(d), ch: ch})
	c.waiting <- struct{}{}
	return ch
}

// nextWait waits for the schedule to ask for its next start and returns when that is.
func (c *fakeClock) nextWait(t *testing.T) time.Time {
	t.Helper()
	select {
	case <-c.waiting:
	case <-time.After(10 * time.Second):
		t.Fatal("the schedule did not wait for its next start")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.waiters[len(c.waiters)-1].at
}

// advance moves the clock to to and fires every wait due by then.
func (c *fakeClock) advance(to time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = to
	keep := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at.After(to) {
			keep = append(keep, w)
			continue
		}
		w.ch <- to
	}
	c.waiters = keep
}

// served is a `ladder serve` running in the test.
type served struct {
	url  string
	done chan error
	stop context.CancelFunc
}

// serve starts runServe against the env on a free port; the test's end
// stops it.
func (e *env) serve(t *testing.T, vars map[string]string, opts serveOptions) *served {
	t.Helper()
	g := &globals{ConfigPath: e.cfg, Stdout: e.stdout, Stderr: e.stderr, Getenv: func(k string) string { return vars[k] }}
	var err error
	if g.Logger, err = newLogger(e.stderr, "warn", "text"); err != nil {
		t.Fatal(err)
	}
	opts.Listen = "127.0.0.1:0"
	addr := make(chan string, 1)
	opts.Listening = func(a string) { addr <- a }
	ctx, cancel := context.WithCancel(t.Context())
	s := &served{done: make(chan error, 1), stop: cancel}
	go func() { s.done <- runServe(ctx, g, opts) }()
	select {
	case a := <-addr:
		s.url = "http://" + a
	case err := <-s.done:
		t.Fatalf("serve: %v\n%s", err, e.stderr)
	}
	t.Cleanup(func() {
		cancel()
		<-s.done
	})
	return s
}

func (s *served) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(s.url + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// metrics scrapes /metrics.
func (s *served) metrics(t *testing.T) map[string]*dto.MetricFamily {
	t.Helper()
	code, body := s.get(t, "/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d\n%s", code, body)
	}
	return parseMetrics(t, body)
}

func parseMetrics(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("not the text format: %v\n%s", err, text)
	}
	return fams
}

// value is the value of the series name{labels} (label=value pairs), and
// whether it is there.
func value(fams map[string]*dto.MetricFamily, name string, labels ...string) (float64, bool) {
	fam, ok := fams[name]
	if !ok {
		return 0, false
	}
next:
	for _, m := range fam.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if have[labels[i]] != labels[i+1] {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue(), true
		case m.Gauge != nil:
			return m.GetGauge().GetValue(), true
		}
		return m.GetUntyped().GetValue(), true
	}
	return 0, false
}

// waitFor polls until cond holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *served) runsEnded(t *testing.T) float64 {
	t.Helper()
	fams := s.metrics(t)
	var n float64
	for _, r := range []string{resultOK, resultFailed, resultPartial} {
		v, _ := value(fams, "ladder_runs_total", "result", r)
		n += v
	}
	return n
}

// holdJiraSearch makes the first Jira search wait until release is closed,
// telling held when it arrives: a run in the middle of its sync.
func holdJiraSearch(e *env) (held <-chan struct{}, release func()) {
	h, r := make(chan struct{}), make(chan struct{})
	var once sync.Once
	e.jira.Harness().AddFault(sandbox.Fault{Match: func(req *http.Request) bool {
		if strings.Contains(req.URL.Path, "/search") {
			once.Do(func() {
				close(h)
				<-r
			})
		}
		return false
	}})
	var rOnce sync.Once
	return h, func() { rOnce.Do(func() { close(r) }) }
}

// TestServeScheduleFiresWithJitterAndSkipsWhileRunning: the schedule is
// read in serve.timezone, each start is delayed by the jitter, the page
// says when the first run is due, and a start that finds the previous run
// going is skipped and counted, not queued.
func TestServeScheduleFiresWithJitterAndSkipsWhileRunning(t *testing.T) {
	e := newEnv(t)
	e.rewriteConfig(t, func(s string) string {
		return s + "serve:\n  schedule: \"30 2 * * *\"\n  timezone: Europe/Berlin\n  jitter: 10m\n"
	})
	clock := newFakeClock(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	var asked []time.Duration
	var mu sync.Mutex
	jitter := func(max time.Duration) time.Duration {
		mu.Lock()
		defer mu.Unlock()
		asked = append(asked, max)
		return 7 * time.Minute
	}
	held, release := holdJiraSearch(e)
	defer release()
	s := e.serve(t, demoEnv, serveOptions{Clock: clock, Jitter: jitter})

	// 02:30 in Berlin is 01:30 UTC in November; plus 7 minutes of jitter.
	first := clock.nextWait(t)
	if want := time.Date(2026, 11, 25, 1, 37, 0, 0, time.UTC); !first.Equal(want) {
		t.Fatalf("first start at %s, want %s", first.UTC(), want)
	}
	if code, page := s.get(t, "/"); code != http.StatusOK || !strings.Contains(page, "the first run is due at Wed 25 Nov 2026 02:37 CET") {
		t.Errorf("/ before the first run: %d\n%s", code, page)
	}
	clock.advance(first)
	select {
	case <-held:
	case <-time.After(30 * time.Second):
		t.Fatal("the scheduled start did not start a run")
	}

	// The next night comes while the first run is still syncing.
	second := clock.nextWait(t)
	if want := first.Add(24 * time.Hour); !second.Equal(want) {
		t.Errorf("second start at %s, want %s", second.UTC(), want)
	}
	clock.advance(second)
	clock.nextWait(t)
	if v, _ := value(s.metrics(t), "ladder_runs_total", "result", resultSkipped); v != 1 {
		t.Errorf("runs skipped = %v, want 1", v)
	}
	release()
	waitFor(t, "the first run to end", func() bool { return s.runsEnded(t) == 1 })
	if v, _ := value(s.metrics(t), "ladder_runs_total", "result", resultOK); v != 1 {
		t.Errorf("runs ok = %v, want 1\n%s", v, e.stderr)
	}
	waitFor(t, "/ to show the report", func() bool {
		_, page := s.get(t, "/")
		return strings.Contains(page, "Ladder report")
	})
	// The skipped start was not queued behind the run.
	time.Sleep(200 * time.Millisecond)
	if n := s.runsEnded(t); n != 1 {
		t.Errorf("%v runs ended, want 1: the skipped start ran after all", n)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, max := range asked {
		if max != 10*time.Minute {
			t.Errorf("jitter asked for up to %s, want serve.jitter (10m)", max)
		}
	}
}

// TestServeMetricsAfterARun: /metrics has every series, each value what the
// run did against the sandbox, and passes the exposition linter (and
// promtool check metrics, when installed).
func TestServeMetricsAfterARun(t *testing.T) {
	e := newEnv(t)
	s := e.serve(t, demoEnv, serveOptions{RunNow: true, Apply: true})
	waitFor(t, "the run to end", func() bool { return s.runsEnded(t) == 1 })
	_, text := s.get(t, "/metrics")
	fams := parseMetrics(t, text)

	status := func(code int) func(sandbox.Request) bool {
		return func(r sandbox.Request) bool { return r.Status == code }
	}
	creates := func(h *sandbox.Harness) float64 {
		return float64(h.Count(func(r sandbox.Request) bool { return r.Write() && r.Method == http.MethodPost }))
	}
	edits := func(h *sandbox.Harness) float64 {
		return float64(h.Count(func(r sandbox.Request) bool { return r.Write() && r.Method != http.MethodPost }))
	}
	jh := e.jira.Harness()
	// What the sandbox holds in the repositories the config syncs (the
	// summary issue's repository is not one of them).
	_, cfg := e.globals(t)
	ghTracker, _ := cfg.Tracker("gh")
	ghIssues := 0
	for _, is := range e.org.GitHub {
		repo, _, _ := strings.Cut(is.Ref.Key, "#")
		if slices.Contains(ghTracker.Repos, repo) {
			ghIssues++
		}
	}
	tests := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"ladder_runs_total", []string{"result", "ok"}, 1},
		{"ladder_runs_total", []string{"result", "failed"}, 0},
		{"ladder_runs_total", []string{"result", "partial"}, 0},
		{"ladder_runs_total", []string{"result", "skipped"}, 0},
		{"ladder_issues_synced_total", []string{"tracker", "gh"}, float64(ghIssues)},
		{"ladder_issues_synced_total", []string{"tracker", "jira"}, float64(len(e.org.Jira))},
		{"ladder_api_requests_total", []string{"tracker", "gh", "code", "200"}, float64(e.gh.Harness.Count(status(200)))},
		{"ladder_api_requests_total", []string{"tracker", "gh", "code", "201"}, float64(e.gh.Harness.Count(status(201)))},
		{"ladder_api_requests_total", []string{"tracker", "jira", "code", "200"}, float64(jh.Count(status(200)))},
		{"ladder_comments_written_total", []string{"tracker", "gh", "action", "create"}, creates(e.gh.Harness)},
		{"ladder_comments_written_total", []string{"tracker", "gh", "action", "update"}, edits(e.gh.Harness)},
		{"ladder_comments_written_total", []string{"tracker", "jira", "action", "create"}, creates(jh)},
		{"ladder_webhook_deliveries_total", []string{"tracker", "gh", "result", "refreshed"}, 0},
		{"ladder_webhook_deliveries_total", []string{"tracker", "jira", "result", "unauthorized"}, 0},
	}
	for _, tt := range tests {
		got, ok := value(fams, tt.name, tt.labels...)
		if !ok || got != tt.want {
			t.Errorf("%s%v = %v (present %v), want %v", tt.name, tt.labels, got, ok, tt.want)
		}
	}
	if v, _ := value(fams, "ladder_comments_written_total", "tracker", "gh", "action", "create"); v == 0 {
		t.Error("the applied run wrote no comment on gh: the test shows nothing")
	}
	// The sandbox's GitHub sends X-RateLimit-Remaining, decreasing; the gauge holds the last.
	if v, ok := value(fams, "ladder_rate_limit_remaining", "tracker", "gh"); !ok || v <= 0 || v >= 5000 {
		t.Errorf("ladder_rate_limit_remaining{gh} = %v (present %v)", v, ok)
	}
	if v, ok := value(fams, "ladder_run_last_success_timestamp_seconds"); !ok || time.Since(time.Unix(int64(v), 0)) > time.Minute {
		t.Errorf("ladder_run_last_success_timestamp_seconds = %v", v)
	}
	if v, ok := value(fams, "ladder_run_duration_seconds"); !ok || v <= 0 {
		t.Errorf("ladder_run_duration_seconds = %v (present %v)", v, ok)
	}
	if _, ok := fams["process_resident_memory_bytes"]; !ok {
		t.Error("no process metrics")
	}
	for name, fam := range fams {
		if !strings.HasPrefix(name, "ladder_") {
			continue
		}
		for _, m := range fam.GetMetric() {
			for _, l := range m.GetLabel() {
				if n := l.GetName(); n != "tracker" && n != "code" && n != "result" && n != "action" {
					t.Errorf("%s has label %q: only tracker, code, result, action", name, n)
				}
			}
		}
	}
	lintMetrics(t, text)
}

// lintMetrics runs the exposition linter (promtool check metrics's checks)
// over text, and promtool itself when it is installed.
func lintMetrics(t *testing.T, text string) {
	t.Helper()
	problems, err := promlint.New(strings.NewReader(text)).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
	t.Run("promtool check metrics", func(t *testing.T) {
		promtool, err := exec.LookPath("promtool")
		if err != nil {
			t.Skip("promtool not on PATH (Debian package prometheus): only the linter above ran")
		}
		cmd := exec.Command(promtool, "check", "metrics")
		cmd.Stdin = strings.NewReader(text)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool check metrics: %v\n%s", err, out)
		}
	})
}

// TestServeReadyz: ready before a run and after one that worked; not ready
// when a tracker refused its token in the last run, or when the store
// cannot be opened.
func TestServeReadyz(t *testing.T) {
	revoked := map[string]string{}
	for k, v := range demoEnv {
		revoked[k] = v
	}
	revoked["LADDER_DEMO_JIRA_TOKEN"] = "revoked"
	tests := []struct {
		name   string
		vars   map[string]string
		store  string
		run    bool
		code   int
		reason string
	}{
		{"before the first run", demoEnv, "", false, http.StatusOK, "no run yet"},
		{"after a run that worked", demoEnv, "", true, http.StatusOK, "last run ok"},
		{"a tracker answered 401", revoked, "", true, http.StatusServiceUnavailable, "credentials refused by jira (401)"},
		{"store unreachable", demoEnv, "missing-dir/ladder.db", false, http.StatusServiceUnavailable, "store unreachable: no store at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if tt.store != "" {
				e.rewriteConfig(t, func(s string) string {
					return strings.Replace(s, "store: ladder.db", "store: "+tt.store, 1)
				})
			}
			s := e.serve(t, tt.vars, serveOptions{RunNow: tt.run})
			if tt.run {
				waitFor(t, "the run to end", func() bool { return s.runsEnded(t) == 1 })
			}
			code, body := s.get(t, "/readyz")
			var r readiness
			if err := json.Unmarshal([]byte(body), &r); err != nil {
				t.Fatalf("/readyz body is not JSON: %v\n%s", err, body)
			}
			if code != tt.code || r.Ready != (tt.code == http.StatusOK) || !strings.Contains(r.Reason, tt.reason) {
				t.Errorf("/readyz: %d %s, want %d and a reason containing %q", code, body, tt.code, tt.reason)
			}
			if code, body := s.get(t, "/healthz"); code != http.StatusOK {
				t.Errorf("/healthz: %d %s", code, body)
			}
		})
	}
}

// TestServeSIGTERMMidSyncExitsZero: SIGTERM while a run is syncing stops
// the server, the sync saves what it stored, serve exits 0, and the next
// sync carries on from there instead of starting over.
func TestServeSIGTERMMidSyncExitsZero(t *testing.T) {
	e := newEnv(t)
	ctx, stop := interruptContext(t.Context())
	defer stop()
	signalOnJiraSearch(t, e, ctx, syscall.SIGTERM)
	g := &globals{Stdout: e.stdout, Stderr: e.stderr, Getenv: func(k string) string { return demoEnv[k] }}
	code := execute(ctx, g, []string{"--config", e.cfg, "serve", "--listen", "127.0.0.1:0", "--run-now"})
	if code != exitOK {
		t.Fatalf("serve after SIGTERM: exit %d, want 0\n%s%s", code, e.stdout, e.stderr)
	}
	if !strings.Contains(e.stdout.String(), "gh: ") || strings.Contains(e.stdout.String(), "jira: ") {
		t.Fatalf("the run should have synced gh and been stopped in jira:\n%s", e.stdout)
	}
	if !strings.Contains(e.stderr.String(), "run interrupted: its progress is saved") {
		t.Errorf("serve did not say the run was interrupted:\n%s", e.stderr)
	}
	e.jira.Harness().ClearFaults()
	out := e.mustRun(t, "sync")
	if !strings.Contains(out, "gh: 0 new, 0 updated") || !strings.Contains(out, "jira: ") {
		t.Errorf("the next sync did not carry on from the interrupted one:\n%s", out)
	}
}

// TestRunMetricsFile: `ladder run --metrics-file` writes the series in the
// textfile format; the next run adds to the counters, and a failed run
// keeps the time of the last success.
func TestRunMetricsFile(t *testing.T) {
	e := newEnv(t)
	path := filepath.Join(e.dir, "textfile", "ladder.prom")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	read := func() (map[string]*dto.MetricFamily, string) {
		t.Helper()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return parseMetrics(t, string(data)), string(data)
	}
	e.mustRun(t, "run", "--metrics-file", path)
	fams, text := read()
	lintMetrics(t, text)
	if v, _ := value(fams, "ladder_runs_total", "result", "ok"); v != 1 {
		t.Errorf("runs ok = %v, want 1", v)
	}
	if v, _ := value(fams, "ladder_issues_synced_total", "tracker", "jira"); v != float64(len(e.org.Jira)) {
		t.Errorf("jira issues synced = %v, want %d", v, len(e.org.Jira))
	}
	success, _ := value(fams, "ladder_run_last_success_timestamp_seconds")
	if success == 0 {
		t.Error("no last success after a run that worked")
	}

	vars := map[string]string{}
	for k, v := range demoEnv {
		vars[k] = v
	}
	vars["LADDER_DEMO_GITHUB_TOKEN"] = "revoked"
	vars["LADDER_DEMO_JIRA_TOKEN"] = "revoked"
	if code := e.runEnv(t, vars, "run", "--metrics-file", path); code != exitFailure {
		t.Fatalf("run with every token revoked: exit %d\n%s", code, e.stderr)
	}
	fams, _ = read()
	for _, tt := range []struct {
		result string
		want   float64
	}{{"ok", 1}, {"failed", 1}, {"partial", 0}} {
		if v, _ := value(fams, "ladder_runs_total", "result", tt.result); v != tt.want {
			t.Errorf("after a failed run, runs %s = %v, want %v", tt.result, v, tt.want)
		}
	}
	if v, _ := value(fams, "ladder_run_last_success_timestamp_seconds"); v != success {
		t.Errorf("a failed run moved the last success from %v to %v", success, v)
	}
	if v, _ := value(fams, "ladder_api_requests_total", "tracker", "gh", "code", "401"); v == 0 {
		t.Error("the 401s were not counted")
	}
	if v, _ := value(fams, "ladder_issues_synced_total", "tracker", "jira"); v != float64(len(e.org.Jira)) {
		t.Errorf("jira issues synced = %v after a failed run, want the first run's %d", v, len(e.org.Jira))
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the textfile directory holds %d files, want only ladder.prom (a temp file left over?)", len(entries))
	}
}

// BenchmarkServeScheduledRuns measures `ladder serve`'s memory across
// scheduled runs against the sample organisation (sandbox trackers in this
// same process, dry-run): one op is one scheduled start, fired on a fake
// clock, and the run it starts (the first a full sync, the rest incremental,
// as on consecutive nights). Reported after the last run and a GC: the
// process's resident set (sandbox servers included) and the live heap.
//
//	go test ./cmd/ladder -run '^$' -bench ServeScheduledRuns -benchtime 20x
func BenchmarkServeScheduledRuns(b *testing.B) {
	now := testNow(b)
	e := &env{org: sandbox.SampleOrg(now), dir: b.TempDir(), stdout: new(bytes.Buffer), stderr: new(bytes.Buffer)}
	e.gh = sandbox.NewGitHub(e.org.GitHub, sandbox.GitHubOptions{Token: demoGitHubToken, Login: "ladder-bot", RateLimit: 1 << 30})
	defer e.gh.Close()
	e.jira = sandbox.NewJira(e.org.Jira, sandbox.JiraOptions{Deployment: "cloud", Email: demoJiraEmail, Token: demoJiraToken})
	defer e.jira.Close()
	cfg, err := e.org.RenderConfig(sandbox.ConfigVars{GitHubURL: e.gh.URL(), JiraURL: e.jira.URL(), Store: "ladder.db"})
	if err != nil {
		b.Fatal(err)
	}
	e.cfg = filepath.Join(e.dir, "ladder.yaml")
	if err := os.WriteFile(e.cfg, []byte(cfg+"serve:\n  schedule: \"@every 24h\"\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	g := &globals{ConfigPath: e.cfg, Stdout: io.Discard, Stderr: e.stderr, Getenv: func(k string) string { return demoEnv[k] }}
	if g.Logger, err = newLogger(e.stderr, "warn", "text"); err != nil {
		b.Fatal(err)
	}
	clock := newFakeClock(now)
	addr := make(chan string, 1)
	ctx, cancel := context.WithCancel(b.Context())
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, g, serveOptions{Listen: "127.0.0.1:0", Clock: clock, Listening: func(a string) { addr <- a }})
	}()
	s := &served{url: "http://" + <-addr}
	defer func() {
		cancel()
		if err := <-done; err != nil {
			b.Error(err)
		}
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		at := clock.nextWaitB(b)
		clock.advance(at)
		for ended := false; !ended; {
			fams := scrape(b, s.url)
			var n float64
			for _, r := range []string{resultOK, resultFailed, resultPartial} {
				v, _ := value(fams, "ladder_runs_total", "result", r)
				n += v
			}
			if v, _ := value(fams, "ladder_runs_total", "result", resultOK); n == float64(i+1) && v != n {
				b.Fatalf("run %d did not succeed:\n%s", i+1, e.stderr)
			}
			// The run has ended and rendered its report: the next start will not find it going.
			ended = n == float64(i+1) && !runningNow(b, s.url)
			if !ended {
				time.Sleep(5 * time.Millisecond)
			}
		}
	}
	b.StopTimer()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(rssBytes(b))/(1<<20), "RSS-MiB")
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-live-MiB")
	b.ReportMetric(float64(len(e.org.GitHub)+len(e.org.Jira)), "issues")
}

func (c *fakeClock) nextWaitB(b *testing.B) time.Time {
	b.Helper()
	select {
	case <-c.waiting:
	case <-time.After(60 * time.Second):
		b.Fatal("the schedule did not wait for its next start")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.waiters[len(c.waiters)-1].at
}

// runningNow reads /readyz's running.
func runningNow(b *testing.B, url string) bool {
	b.Helper()
	resp, err := http.Get(url + "/readyz")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var r readiness
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		b.Fatal(err)
	}
	return r.Running
}

func scrape(b *testing.B, url string) map[string]*dto.MetricFamily {
	b.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	return fams
}

// rssBytes is this process's resident set size (VmRSS), 0 where /proc does not say.
func rssBytes(b *testing.B) int64 {
	b.Helper()
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
