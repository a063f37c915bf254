package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	_ "time/tzdata" // serve.timezone works in a container without /usr/share/zoneinfo

	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/robfig/cron/v3"
	"github.com/spf13/cobra"

	"github.com/ladderhq/ladder/config"
	"github.com/ladderhq/ladder/internal/report"
	"github.com/ladderhq/ladder/internal/store"
)

type serveOptions struct {
	// Listen overrides serve.listen.
	Listen string
	// RunNow starts a run at startup, before the first scheduled one.
	RunNow bool
	Full   bool
	Apply  bool
	// HTTPClient replaces the trackers' default transport (tests, demo).
	HTTPClient *http.Client

	// Clock and Jitter are the time and the randomness the schedule uses;
	// tests inject them to fire the schedule without waiting. nil: the
	// real clock, and a uniform delay in [0, serve.jitter).
	Clock  clock
	Jitter func(max time.Duration) time.Duration
	// Listening, when set, is told the address the server listens on.
	Listening func(addr string)
}

// clock is the time the schedule runs on.
type clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

func uniformJitter(max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	return rand.N(max)
}

func newServeCmd(g *globals) *cobra.Command {
	var opts serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Long-running: the nightly run on serve.schedule, with /healthz, /readyz, /metrics and the latest report on /",
		Long: `Run the pipeline (sync → analyze → publish, as 'ladder run' does) on the cron
schedule serve.schedule, in serve.timezone, each start delayed by a random part of
serve.jitter, and serve over HTTP (serve.listen, or --listen):

  /          the latest HTML report (before the first run: when it is due)
  /healthz   200 while the process is up
  /readyz    503 when the last run failed because a tracker refused its
             credentials (401/403) or the store cannot be opened; 200 otherwise
  /metrics   Prometheus metrics (ladder_run_last_success_timestamp_seconds …)

A start that finds a run still going (here, or another process holding the
store's run lock) is skipped and counted, never queued. SIGTERM or SIGINT stops
accepting requests, lets the run in progress save its progress (the next run
carries on), and exits 0.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Listen, "listen", "", "host:port to listen on (overrides serve.listen)")
	cmd.Flags().BoolVar(&opts.RunNow, "run-now", false, "start a run at startup too, not only on the schedule")
	cmd.Flags().BoolVar(&opts.Full, "full", false, "every run a full sync (marks issues deleted upstream as gone)")
	cmd.Flags().BoolVar(&opts.Apply, "apply", false, "write comments even if writeback.dry_run is true")
	return cmd
}

// server is `ladder serve`: the schedule, the runs it starts and the HTTP
// endpoints that show them.
type server struct {
	g       *globals
	cfg     *config.Config
	opts    serveOptions
	sched   cron.Schedule
	loc     *time.Location
	metrics *runMetrics
	mux     *http.ServeMux
	log     *slog.Logger
	// pacer paces every publish of the process, scheduled or after a
	// webhook: GitHub's content limits and writeback.max_writes (per day)
	// hold for the process, not for one run.
	pacer *pacer
	// hooks receives webhooks (nil: no secret set); pipeline keeps a
	// webhook refresh and a scheduled run from overlapping.
	hooks    *webhooks
	pipeline sync.Mutex

	// running is set while a run is going; a start that finds it set is
	// skipped.
	running atomic.Bool
	runs    sync.WaitGroup

	mu       sync.Mutex
	next     time.Time // the next scheduled start, jitter included; zero: none
	last     *runRecord
	page     []byte // the latest HTML report
	pageTime time.Time
}

// runRecord is how the last run went.
type runRecord struct {
	Started, Ended time.Time
	Result         string
	Err            string
	// Refused names the trackers that refused their credentials, with the
	// status they answered.
	Refused map[string]int
}

func runServe(ctx context.Context, g *globals, opts serveOptions) error {
	cfg, err := g.loadTrackerConfig("")
	if err != nil {
		return err
	}
	s, err := newServer(g, cfg, opts)
	if err != nil {
		return err
	}
	listen := cmp.Or(opts.Listen, cfg.Serve.Listen)
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return usageError{fmt.Errorf("serve: listen on %s (chosen by %s): %w", listen, listenOrigin(cfg, opts), err)}
	}
	srv := &http.Server{Handler: s.mux, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	addr := ln.Addr().String()
	s.log.Info("serving", "addr", addr, "schedule", cfg.Serve.Schedule, "timezone", s.loc.String(), "jitter", cfg.Serve.Jitter)
	if opts.Listening != nil {
		opts.Listening(addr)
	}

	scheduled := make(chan struct{})
	go func() { defer close(scheduled); s.schedule(ctx) }()
	hooked := make(chan struct{})
	go func() {
		defer close(hooked)
		if s.hooks != nil {
			if err := s.hooks.Run(ctx); err != nil {
				s.log.Error("webhook worker stopped", "err", err)
			}
		}
	}()
	if opts.RunNow {
		s.start(ctx, "startup")
	}

	select {
	case <-ctx.Done():
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	}
	// Shutting down: no new requests; the run in progress sees ctx
	// canceled, saves what it synced (its cursors say where the next run
	// resumes) and returns; the store is closed by it.
	s.log.Info("shutting down: letting the run in progress save its progress")
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	shutErr := srv.Shutdown(shutdown)
	<-scheduled
	<-hooked
	s.runs.Wait()
	if shutErr != nil {
		return fmt.Errorf("serve: shut down: %w", shutErr)
	}
	s.log.Info("stopped")
	return nil
}

func listenOrigin(cfg *config.Config, opts serveOptions) string {
	if opts.Listen != "" {
		return "the --listen flag"
	}
	return cfg.Origin("serve.listen")
}

func newServer(g *globals, cfg *config.Config, opts serveOptions) (*server, error) {
	if opts.Clock == nil {
		opts.Clock = realClock{}
	}
	if opts.Jitter == nil {
		opts.Jitter = uniformJitter
	}
	sched, err := cfg.Serve.ParseSchedule()
	if err != nil {
		return nil, usageError{fmt.Errorf("%s: serve.schedule: %w", cfg.File, err)}
	}
	loc, err := cfg.Serve.Location()
	if err != nil {
		return nil, usageError{fmt.Errorf("%s: serve.timezone: %w", cfg.File, err)}
	}
	s := &server{
		g: g, cfg: cfg, opts: opts, sched: sched, loc: loc,
		metrics: newRunMetrics(cfg, opts.Clock.Now),
		mux:     http.NewServeMux(),
		log:     g.Logger.With("component", "serve"),
	}
	s.metrics.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.mount("GET /healthz", http.HandlerFunc(s.healthz))
	s.mount("GET /readyz", http.HandlerFunc(s.readyz))
	s.mount("GET /metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelError)}))
	s.mount("GET /{$}", http.HandlerFunc(s.index))

	s.pacer = newPacer(pacerConfig{MaxWrites: cfg.Writeback.MaxWrites, Window: maxWritesWindow})
	if err := s.mountWebhooks(); err != nil {
		return nil, err
	}
	return s, nil
}

// maxWritesWindow is the span writeback.max_writes counts over in a
// long-lived process: a day, the nightly run's interval.
const maxWritesWindow = 24 * time.Hour

// webhookLockWait is how long a webhook refresh waits for another
// process's run to release the store; past it the refresh fails (counted)
// and the next sync catches the change.
const webhookLockWait = 2 * time.Minute

// mountWebhooks mounts POST /webhooks/github and /webhooks/jira for the
// receivers whose secret variable (serve.webhooks.*_secret_env) is set.
func (s *server) mountWebhooks() error {
	secrets := webhookSecrets{}
	if env := s.cfg.Serve.Webhooks.GitHubSecretEnv; env != "" {
		secrets.GitHub = []byte(s.g.Getenv(env))
	}
	if env := s.cfg.Serve.Webhooks.JiraSecretEnv; env != "" {
		secrets.Jira = []byte(s.g.Getenv(env))
	}
	if len(secrets.GitHub) == 0 && len(secrets.Jira) == 0 {
		return nil
	}
	wh, err := newWebhooks(s.g, s.cfg, secrets, webhookOptions{
		// A refresh writes to the store and publishes: it waits for this
		// process's scheduled run, and takes the store's run lock, so it
		// never overlaps another process's run either.
		Serialize: func(ctx context.Context, fn func(context.Context) error) error {
			s.pipeline.Lock()
			defer s.pipeline.Unlock()
			ctx, release, err := s.g.takeRunLock(ctx, s.cfg, storeFills, webhookLockWait)
			if err != nil {
				return err
			}
			defer release()
			return fn(ctx)
		},
		Delivered:  func(kind, result string) { s.metrics.WebhookDelivery(s.trackerOfKind(kind), result) },
		Apply:      s.opts.Apply,
		HTTPClient: s.metrics.instrument(s.opts.HTTPClient),
		Pacer:      s.pacer,
	})
	if err != nil {
		return err
	}
	s.hooks = wh
	for pattern, h := range wh.Routes() {
		s.mount(pattern, h)
		s.log.Info("webhook receiver on", "route", pattern)
	}
	return nil
}

// trackerOfKind names the tracker a webhook of kind ("github", "jira")
// belongs to for the metric: the one tracker of that kind, or the kind
// when there are several (a delivery does not say which site sent it).
func (s *server) trackerOfKind(kind string) string {
	name := ""
	for _, tc := range s.cfg.Trackers {
		if tc.Kind == kind {
			if name != "" {
				return kind
			}
			name = tc.Name
		}
	}
	return cmp.Or(name, kind)
}

// mount serves h on pattern (a net/http ServeMux pattern, e.g.
// "POST /webhooks/github").
func (s *server) mount(pattern string, h http.Handler) {
	s.mux.Handle(pattern, h)
}

// schedule starts a run at each time the schedule gives, plus jitter, until
// ctx ends. The next time is reckoned from the moment the previous start
// fired, so a run that outlasts an interval makes the next start find it
// going (and skip) rather than pile starts up.
func (s *server) schedule(ctx context.Context) {
	if s.sched == nil {
		s.log.Info("no serve.schedule: runs start only with --run-now")
		return
	}
	for {
		now := s.opts.Clock.Now()
		at := s.sched.Next(now)
		if at.IsZero() {
			s.log.Warn("serve.schedule never fires again", "schedule", s.cfg.Serve.Schedule)
			return
		}
		at = at.Add(s.opts.Jitter(s.cfg.Serve.Jitter))
		s.mu.Lock()
		s.next = at
		s.mu.Unlock()
		s.log.Info("next run", "at", at.In(s.loc).Format(time.RFC3339))
		select {
		case <-ctx.Done():
			return
		case <-s.opts.Clock.After(at.Sub(now)):
		}
		s.start(ctx, "schedule")
	}
}

// start begins a run unless one is going, which it counts as skipped. It
// reports whether it started one.
func (s *server) start(ctx context.Context, reason string) bool {
	if ctx.Err() != nil {
		return false
	}
	if !s.running.CompareAndSwap(false, true) {
		s.metrics.skipped()
		s.log.Warn("run skipped: the previous one is still going", "reason", reason)
		return false
	}
	s.runs.Add(1)
	go func() {
		defer s.runs.Done()
		defer s.running.Store(false)
		s.run(ctx, reason)
	}()
	return true
}

// run is one run of the pipeline, as `ladder run` does it, then the report.
func (s *server) run(ctx context.Context, reason string) {
	rec := &runRecord{Started: s.opts.Clock.Now()}
	s.log.Info("run started", "reason", reason)
	s.pipeline.Lock()
	err := runRun(ctx, s.g, runOptions{Full: s.opts.Full, Apply: s.opts.Apply, HTTPClient: s.opts.HTTPClient, Metrics: s.metrics, Pacer: s.pacer})
	s.pipeline.Unlock()
	rec.Ended = s.opts.Clock.Now()
	if ctx.Err() != nil {
		s.log.Info("run interrupted: its progress is saved, the next run carries on")
		return
	}
	rec.Result = runResult(err)
	rec.Refused = s.metrics.authFailures()
	if err != nil {
		rec.Err = err.Error()
		s.log.Error("run ended", "result", rec.Result, "err", err)
	} else {
		s.log.Info("run ended", "result", rec.Result, "took", rec.Ended.Sub(rec.Started).Round(time.Millisecond))
	}
	if rec.Result == resultSkipped {
		return // another process's run: nothing here changed
	}
	s.mu.Lock()
	s.last = rec
	s.mu.Unlock()
	s.render(ctx)
}

// render keeps the HTML report of the store as it is now, for /.
func (s *server) render(ctx context.Context) {
	now := time.Now()
	summary, err := summarize(ctx, s.g, s.cfg, now)
	if err != nil {
		s.log.Error("report not rendered", "err", err)
		return
	}
	var buf bytes.Buffer
	if err := report.HTML(&buf, summary, reportOpts(s.cfg, now, 4)); err != nil {
		s.log.Error("report not rendered", "err", err)
		return
	}
	s.mu.Lock()
	s.page, s.pageTime = buf.Bytes(), now
	s.mu.Unlock()
}

func (s *server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readiness is /readyz's body.
type readiness struct {
	Ready  bool   `json:"ready"`
	Reason string `json:"reason"`
	// LastRun is the last run's result (ok, failed, partial), "" before one.
	LastRun string `json:"last_run,omitempty"`
	// Running is true while a run (and the report after it) is going.
	Running bool `json:"running"`
}

// readyz is 503 while Ladder cannot do its job without somebody acting: a
// tracker refused its credentials in the last run, or the store cannot be
// opened. A run that failed for another reason (an outage) is not: the next
// run may well succeed, and restarting the process would not help.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	last := s.last
	s.mu.Unlock()
	body := readiness{Ready: true, Reason: "no run yet", Running: s.running.Load()}
	if last != nil {
		body.LastRun = last.Result
		body.Reason = fmt.Sprintf("last run %s at %s", last.Result, last.Ended.UTC().Format(time.RFC3339))
	}
	if err := s.storeReachable(r.Context()); err != nil {
		body.Ready, body.Reason = false, "store unreachable: "+err.Error()
	} else if last != nil && last.Result != resultOK && len(last.Refused) > 0 {
		var names []string
		for t, code := range last.Refused {
			names = append(names, fmt.Sprintf("%s (%d)", t, code))
		}
		slices.Sort(names)
		body.Ready = false
		body.Reason = fmt.Sprintf("last run at %s: credentials refused by %s; check the tracker's token_env", last.Ended.UTC().Format(time.RFC3339), strings.Join(names, ", "))
	}
	code := http.StatusOK
	if !body.Ready {
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, body)
}

// storeReachable opens the store read-only and closes it. Before the first
// run there is no store yet: then its directory must exist.
func (s *server) storeReachable(ctx context.Context) error {
	c, err := s.g.chooseStore(s.cfg)
	if err != nil {
		return err
	}
	if c.kind != config.StorePostgres {
		if _, err := os.Stat(c.path); errors.Is(err, fs.ErrNotExist) {
			dir := filepath.Dir(c.path)
			if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
				return fmt.Errorf("no store at %s, and its directory %s does not exist", c.path, dir)
			}
			return nil
		}
	}
	st, err := s.g.openStore(ctx, s.cfg, storeReads)
	if errors.Is(err, store.ErrOlderSchema) {
		return nil // the next run upgrades it
	}
	if err != nil {
		return err
	}
	return st.Close()
}

var waitingPage = template.Must(template.New("waiting").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ladder</title></head>
<body><h1>Ladder</h1>
{{if .Running}}<p>The first run is going now; the report appears here when it ends.</p>
{{else if .Next}}<p>No report yet: the first run is due at {{.Next}} (schedule <code>{{.Schedule}}</code>).</p>
{{else}}<p>No report yet, and no run is scheduled (set <code>serve.schedule</code>, or start with <code>--run-now</code>).</p>{{end}}
</body></html>
`))

func (s *server) index(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	page, next := s.page, s.next
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if page != nil {
		w.Write(page)
		return
	}
	running := s.running.Load()
	data := struct {
		Running        bool
		Next, Schedule string
	}{Running: running, Schedule: s.cfg.Serve.Schedule}
	if !next.IsZero() {
		data.Next = next.In(s.loc).Format("Mon 2 Jan 2006 15:04 MST")
	}
	waitingPage.Execute(w, data)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
