package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/config"
	"github.com/ladderhq/ladder/internal/webhook"
)

// webhookSecrets are the shared secrets the receivers check signatures
// with; an empty one leaves that tracker's receiver off. The server reads
// them from the environment variables its config names.
type webhookSecrets struct {
	GitHub, Jira []byte
}

// webhookOptions are what the server (and tests) give the receivers.
type webhookOptions struct {
	// Serialize runs each refresh so that it never overlaps a scheduled
	// run (the server's run lock); nil is a mutex of the receivers' own.
	Serialize func(ctx context.Context, fn func(context.Context) error) error
	// Delivered is told how each delivery ended, for the metric
	// ladder_webhook_deliveries_total{tracker,result}: a delivery refused
	// or dropped on receipt by why (unauthorized, too_large, duplicate,
	// own_comment, ignored, ping, …), an accepted one by what its refresh
	// did (refreshed, gone, not_synced, coalesced, dropped, failed),
	// once per issue it names.
	Delivered func(tracker, result string)
	// Refreshed, when set, is called after each refresh with the issue's
	// tracker kind and key, the result, and when its delivery arrived.
	Refreshed func(kind, key, result string, received time.Time)
	// Apply publishes for real even when writeback.dry_run is true, as
	// `publish --apply`.
	Apply bool
	// AsOf is the day publish judges as of; zero is now.
	AsOf       asOf
	HTTPClient *http.Client
	// Pacer, when not nil, paces the refreshes' writes together with the
	// scheduled runs' (serve's pacer); nil: a fresh one per refresh.
	Pacer *pacer
	// MaxQueue bounds the issues waiting for a refresh; beyond it a
	// delivery is dropped (and counted): the nightly sync catches up.
	MaxQueue int
}

// Results of a refresh, beside the receivers' own (webhook.Result*).
const (
	whRefreshed = "refreshed"  // fetched, stored, analysis and publish re-run
	whGone      = "gone"       // the tracker answered 404/410: marked gone
	whNotSynced = "not_synced" // a repository or project no configured tracker syncs
	whCoalesced = "coalesced"  // the same issue was still waiting: refreshed once
	whDropped   = "dropped"    // the queue was full
	whFailed    = "failed"     // the refresh or the publish failed (logged)
)

// refresher is a tracker that can refresh a single issue.
type refresher interface {
	SyncIssue(ctx context.Context, key string, sink ladder.Sink) error
}

// webhooks turns signed deliveries into refreshed, re-analyzed and
// republished issues: the receivers answer within a second and enqueue,
// and Run's worker does the work one batch at a time.
type webhooks struct {
	g        *globals
	cfg      *config.Config
	opts     webhookOptions
	trackers []tracker
	routes   map[string]http.Handler

	mu      sync.Mutex
	queue   []queuedEvent
	waiting map[queuedKey]bool
	wake    chan struct{}
}

type queuedKey struct{ kind, key string }

type queuedEvent struct {
	queuedKey
	received time.Time
}

func newWebhooks(g *globals, cfg *config.Config, secrets webhookSecrets, opts webhookOptions) (*webhooks, error) {
	if opts.Serialize == nil {
		var mu sync.Mutex
		opts.Serialize = func(ctx context.Context, fn func(context.Context) error) error {
			mu.Lock()
			defer mu.Unlock()
			return fn(ctx)
		}
	}
	if opts.Delivered == nil {
		opts.Delivered = func(string, string) {}
	}
	if opts.MaxQueue <= 0 {
		opts.MaxQueue = 10000
	}
	trackers, err := openTrackers(cfg, "", g.Getenv, g.Logger, opts.HTTPClient)
	if err != nil {
		return nil, err
	}
	w := &webhooks{g: g, cfg: cfg, opts: opts, trackers: trackers, routes: map[string]http.Handler{},
		waiting: map[queuedKey]bool{}, wake: make(chan struct{}, 1)}
	// Ladder's own comments are known by their text; where the config
	// names the account Ladder writes as, by their author too.
	own := map[string]bool{}
	for _, tc := range cfg.Trackers {
		if tc.Login != "" {
			own[strings.ToLower(tc.Login)] = true
		}
	}
	ownComment := func(author string) bool { return author != "" && own[strings.ToLower(author)] }
	add := func(pattern, kind string, secret []byte, mk func(webhook.Options) http.Handler) {
		if len(secret) == 0 {
			return
		}
		w.routes[pattern] = mk(webhook.Options{
			Secret:     secret,
			Handle:     w.enqueue,
			OwnComment: ownComment,
			Result: func(result string) {
				if result != webhook.ResultAccepted { // accepted ones are counted by their refresh
					opts.Delivered(kind, result)
				}
			},
		})
	}
	add("POST /webhooks/github", webhook.GitHubTracker, secrets.GitHub, webhook.GitHub)
	add("POST /webhooks/jira", webhook.JiraTracker, secrets.Jira, webhook.Jira)
	return w, nil
}

// Routes are the receivers to mount, by ServeMux pattern: only those whose
// secret is set.
func (w *webhooks) Routes() map[string]http.Handler { return w.routes }

// enqueue queues an event's issue unless it is already waiting: a burst of
// edits to one issue costs one refresh.
func (w *webhooks) enqueue(e webhook.Event) {
	k := queuedKey{kind: e.Tracker, key: e.Key}
	w.mu.Lock()
	result := ""
	switch {
	case w.waiting[k]:
		result = whCoalesced
	case len(w.queue) >= w.opts.MaxQueue:
		result = whDropped
	default:
		w.waiting[k] = true
		w.queue = append(w.queue, queuedEvent{queuedKey: k, received: time.Now()})
	}
	w.mu.Unlock()
	if result != "" {
		w.opts.Delivered(e.Tracker, result)
		return
	}
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// take removes up to max queued issues, oldest first.
func (w *webhooks) take(max int) []queuedEvent {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := min(max, len(w.queue))
	batch := append([]queuedEvent(nil), w.queue[:n]...)
	w.queue = append(w.queue[:0], w.queue[n:]...)
	for _, e := range batch {
		delete(w.waiting, e.queuedKey)
	}
	return batch
}

// batchSize bounds how many queued issues one refresh takes: they are
// fetched one by one, then analysis and publish run once for all of them.
const batchSize = 50

// Run is the worker: until ctx ends it refreshes queued issues, each batch
// inside Serialize so that it never runs beside a scheduled run.
func (w *webhooks) Run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-w.wake:
		}
		for {
			batch := w.take(batchSize)
			if len(batch) == 0 {
				break
			}
			results := make([]string, len(batch))
			err := w.opts.Serialize(ctx, func(ctx context.Context) error {
				return w.refresh(ctx, batch, results)
			})
			if err != nil && ctx.Err() == nil {
				w.g.Logger.Error("webhook refresh failed", "issues", len(batch), "err", err)
			}
			for i, e := range batch {
				r := results[i]
				if r == "" || (err != nil && r == whRefreshed) {
					r = whFailed
				}
				w.opts.Delivered(e.kind, r)
				if w.opts.Refreshed != nil {
					w.opts.Refreshed(e.kind, e.key, r, e.received)
				}
			}
			if ctx.Err() != nil {
				return nil
			}
		}
	}
}

// refresh fetches each issue of batch through the tracker that syncs it,
// then, when anything was stored, re-runs analysis and publish over the
// store: verdicts depend on other issues (a blocker's state, a parent's
// alignment), and publish writes only the comments whose text changed.
func (w *webhooks) refresh(ctx context.Context, batch []queuedEvent, results []string) error {
	st, err := w.g.openStore(ctx, w.cfg, storeFills)
	if err != nil {
		return err
	}
	stored := false
	for i, e := range batch {
		t, ok := w.route(e.queuedKey)
		if !ok {
			results[i] = whNotSynced
			w.g.Logger.Info("webhook for an issue no tracker syncs; ignored", "kind", e.kind, "issue", e.key)
			continue
		}
		r, ok := t.source.(refresher)
		if !ok {
			results[i] = whFailed
			continue
		}
		sink := &scopedSink{store: st, keep: w.keeps(t)}
		if err := r.SyncIssue(ctx, e.key, sink); err != nil {
			results[i] = whFailed
			w.g.Logger.Warn("webhook refresh failed", "tracker", t.cfg.Name, "issue", e.key, "err", err)
			continue
		}
		switch {
		case sink.gone:
			results[i] = whGone
		case sink.dropped > 0:
			results[i] = whNotSynced
		default:
			results[i] = whRefreshed
		}
		stored = stored || sink.gone || sink.put > 0
	}
	if err := st.Close(); err != nil {
		return err
	}
	if !stored {
		return nil
	}
	quiet := *w.g
	quiet.Stdout = io.Discard // the plan's summary line is for people at a terminal
	res, err := runPublish(ctx, &quiet, w.cfg, publishOptions{Apply: w.opts.Apply, Quiet: true, HTTPClient: w.opts.HTTPClient, AsOf: w.opts.AsOf, Pacer: w.opts.Pacer})
	if err != nil {
		return fmt.Errorf("publish after webhook: %w", err)
	}
	w.g.Logger.Info("webhook refresh published", "issues", len(batch), "create", res.Counts[actCreate], "update", res.Counts[actUpdate],
		"unchanged", res.Counts[actUnchanged], "dry_run", res.DryRun)
	return nil
}

// route finds the configured tracker that syncs the issue an event names:
// a GitHub tracker listing its repository (or the repository's org), a
// Jira tracker whose JQL names its project. Jira's link events name issues
// by id, which tells no project: they go to the one Jira tracker when
// there is only one (and its sink keeps only issues of its projects), as
// do keys when that tracker's JQL names no project at all.
func (w *webhooks) route(k queuedKey) (tracker, bool) {
	var jiras []tracker
	for _, t := range w.trackers {
		if t.cfg.Kind != k.kind {
			continue
		}
		switch k.kind {
		case webhook.GitHubTracker:
			repo, _, _ := strings.Cut(k.key, "#")
			owner, _, _ := strings.Cut(repo, "/")
			if containsFold(t.cfg.Repos, repo) || containsFold(t.cfg.Orgs, owner) {
				return t, true
			}
		case webhook.JiraTracker:
			jiras = append(jiras, t)
			if project, _, ok := strings.Cut(k.key, "-"); ok && jqlNames(t.cfg.JQL, project) {
				return t, true
			}
		}
	}
	if k.kind == webhook.JiraTracker && len(jiras) == 1 && (!strings.Contains(k.key, "-") || !jqlNamesAnyProject(jiras[0].cfg.JQL)) {
		return jiras[0], true
	}
	return tracker{}, false
}

// keeps says which fetched issues t's refresh may store: GitHub's are
// those of its repositories and orgs (an issue transferred elsewhere is
// not); Jira's those whose project its JQL names, or, for a JQL that
// names no project (a filter, a label), any.
func (w *webhooks) keeps(t tracker) func(*ladder.Issue) bool {
	if t.cfg.Kind == "github" {
		return func(is *ladder.Issue) bool {
			owner, _, _ := strings.Cut(is.Project, "/")
			return containsFold(t.cfg.Repos, is.Project) || containsFold(t.cfg.Orgs, owner)
		}
	}
	return func(is *ladder.Issue) bool {
		return jqlNames(t.cfg.JQL, is.Project) || !jqlNamesAnyProject(t.cfg.JQL)
	}
}

var (
	jqlWord    = regexp.MustCompile(`[A-Za-z][A-Za-z0-9_]*`)
	jqlProject = regexp.MustCompile(`(?i)\bproject\s*(=|in\b)`)
)

// jqlNames reports whether jql names project as a word (project = PAY,
// project in (PAY, PLAT)). JQL keywords are no project keys: Jira keys
// are upper case, and so is the word compared.
func jqlNames(jql, project string) bool {
	if project == "" {
		return false
	}
	for _, w := range jqlWord.FindAllString(jql, -1) {
		if w == project || strings.EqualFold(w, project) && strings.ToUpper(w) == w {
			return true
		}
	}
	return false
}

func jqlNamesAnyProject(jql string) bool { return jqlProject.MatchString(jql) }

func containsFold(xs []string, s string) bool {
	for _, x := range xs {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// goneMarker is the store's one-issue gone mark.
type goneMarker interface {
	MarkGone(ctx context.Context, ref ladder.Ref) (bool, error)
}

// scopedSink is the store, keeping only issues its tracker syncs: a
// webhook may name an issue of a repository or project outside the config
// (a link's far end, an issue transferred away), and storing it would put
// work no team asked about into the analysis.
type scopedSink struct {
	store interface {
		ladder.Sink
		goneMarker
	}
	keep    func(*ladder.Issue) bool
	put     int
	dropped int
	gone    bool
}

func (s *scopedSink) PutIssues(ctx context.Context, issues []ladder.Issue) (ladder.PutStats, error) {
	kept := issues[:0:0]
	for i := range issues {
		if s.keep(&issues[i]) {
			kept = append(kept, issues[i])
		} else {
			s.dropped++
		}
	}
	s.put += len(kept)
	return s.store.PutIssues(ctx, kept)
}

func (s *scopedSink) PutComments(ctx context.Context, comments []ladder.IssueComment) error {
	return s.store.PutComments(ctx, comments)
}

func (s *scopedSink) Cursor(ctx context.Context, tracker, scope string) (string, error) {
	return s.store.Cursor(ctx, tracker, scope)
}

// SaveCursor refuses: a one-issue refresh never moves a sync's cursor
// (polling stays the source of truth).
func (s *scopedSink) SaveCursor(context.Context, string, string, string) error {
	return errors.New("a webhook refresh saves no cursor")
}

func (s *scopedSink) MarkGone(ctx context.Context, ref ladder.Ref) (bool, error) {
	s.gone = true
	return s.store.MarkGone(ctx, ref)
}
