package main

import (
	"errors"
	"fmt"
	"github.com/ladderhq/ladder/internal/webhook"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/config"
)

// Run results, the values of ladder_runs_total's result label.
const (
	resultOK      = "ok"
	resultFailed  = "failed"
	resultPartial = "partial"
	resultSkipped = "skipped"
)

// webhookResults are the result label values ladder_webhook_deliveries_total
// is exposed with from the start (a counter nobody has touched is otherwise
// absent, and an alert on it cannot tell "none" from "not scraped").
// They are what the receivers and the refresh worker report (see
// webhooks.go and internal/webhook).
var webhookResults = []string{
	whRefreshed, whGone, whNotSynced, whCoalesced, whDropped, whFailed,
	webhook.ResultDuplicate, webhook.ResultIgnored, webhook.ResultOwnComment,
	webhook.ResultUnauthorized, webhook.ResultTooLarge, webhook.ResultBadRequest,
}

// runMetrics are the series `ladder serve` exposes on /metrics and `ladder
// run --metrics-file` writes for node_exporter's textfile collector. No
// series has a per-issue label: their number depends on the config only.
type runMetrics struct {
	reg *prometheus.Registry
	now func() time.Time

	lastSuccess  prometheus.Gauge
	duration     prometheus.Gauge
	runs         *prometheus.CounterVec
	issuesSynced *prometheus.CounterVec
	apiRequests  *prometheus.CounterVec
	rateLimit    *prometheus.GaugeVec
	comments     *prometheus.CounterVec
	webhooks     *prometheus.CounterVec

	// routes tells which tracker a request is for, by its URL.
	routes []trackerRoute

	mu sync.Mutex
	// refused holds, for the run in progress or the last one, the trackers
	// that refused their credentials and the status they answered;
	// synced the trackers whose sync worked all the same.
	refused map[string]int
	synced  map[string]bool
}

// newRunMetrics registers the series, each label set of the configured
// trackers present from the start at 0.
func newRunMetrics(cfg *config.Config, now func() time.Time) *runMetrics {
	m := &runMetrics{
		reg: prometheus.NewRegistry(),
		now: now,
		lastSuccess: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "ladder_run_last_success_timestamp_seconds",
			Help: "When the last run (sync, analyze, publish) that succeeded ended, in seconds since the epoch; 0 before the first.",
		}),
		duration: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "ladder_run_duration_seconds",
			Help: "How long the last run took, whatever its result.",
		}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ladder_runs_total",
			Help: "Runs by result: ok, failed, partial (some trackers failed), skipped (another run was going).",
		}, []string{"result"}),
		issuesSynced: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ladder_issues_synced_total",
			Help: "Issues received from each tracker and stored (new, updated or unchanged).",
		}, []string{"tracker"}),
		apiRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ladder_api_requests_total",
			Help: "HTTP requests to each tracker by status code (\"error\": no answer), retries included.",
		}, []string{"tracker", "code"}),
		rateLimit: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "ladder_rate_limit_remaining",
			Help: "The rate-limit budget the tracker said was left (X-RateLimit-Remaining) on its last answer that said.",
		}, []string{"tracker"}),
		comments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ladder_comments_written_total",
			Help: "Comments written to each tracker, by action (create, update); dry runs write none.",
		}, []string{"tracker", "action"}),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ladder_webhook_deliveries_total",
			Help: "Webhook deliveries received, by tracker and what came of them (refreshed, gone, not_synced, coalesced, duplicate, own_comment, ignored, unauthorized, too_large, …).",
		}, []string{"tracker", "result"}),
	}
	m.reg.MustRegister(m.lastSuccess, m.duration, m.runs, m.issuesSynced, m.apiRequests, m.rateLimit, m.comments, m.webhooks)
	for _, r := range []string{resultOK, resultFailed, resultPartial, resultSkipped} {
		m.runs.WithLabelValues(r)
	}
	for _, t := range cfg.Trackers {
		m.issuesSynced.WithLabelValues(t.Name)
		for _, a := range []action{actCreate, actUpdate} {
			m.comments.WithLabelValues(t.Name, string(a))
		}
		for _, r := range webhookResults {
			m.webhooks.WithLabelValues(t.Name, r)
		}
		m.routes = append(m.routes, newTrackerRoute(t))
	}
	return m
}

// WebhookDelivery counts one webhook delivery for the tracker (its name in
// the config) with its result: accepted, ignored, rejected or failed.
func (m *runMetrics) WebhookDelivery(tracker, result string) {
	if m == nil {
		return
	}
	m.webhooks.WithLabelValues(tracker, result).Inc()
}

// runResult is the result label of a run that ended with err.
func runResult(err error) string {
	var pe partialError
	switch {
	case err == nil:
		return resultOK
	case errors.Is(err, errRunLockHeld):
		return resultSkipped
	case errors.As(err, &pe):
		return resultPartial
	}
	return resultFailed
}

// beginRun forgets what the previous run was refused.
func (m *runMetrics) beginRun() {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.refused = map[string]int{}
	m.synced = map[string]bool{}
}

// skipped counts a start that found a run going.
func (m *runMetrics) skipped() {
	if m != nil {
		m.runs.WithLabelValues(resultSkipped).Inc()
	}
}

// runDone counts a run that ended with err after took. An interrupted run
// is not counted: it did not fail, and the next one carries on.
func (m *runMetrics) runDone(err error, took time.Duration, interrupted bool) {
	if m == nil || interrupted {
		return
	}
	result := runResult(err)
	m.runs.WithLabelValues(result).Inc()
	if result == resultSkipped {
		return
	}
	m.duration.Set(took.Seconds())
	if result == resultOK {
		m.lastSuccess.Set(float64(m.now().UnixNano()) / 1e9)
	}
}

// syncedTrackers counts the issues each tracker's sync stored.
func (m *runMetrics) syncedTrackers(stats []ladder.SyncStats) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range stats {
		m.issuesSynced.WithLabelValues(s.Tracker).Add(float64(s.Issues.New + s.Issues.Updated + s.Issues.Unchanged))
		m.synced[s.Tracker] = true
	}
}

// published counts the comments a publication wrote.
func (m *runMetrics) published(res publishResult) {
	if m == nil || res.DryRun {
		return
	}
	for _, it := range res.Items {
		if it.Action == actCreate || it.Action == actUpdate {
			m.comments.WithLabelValues(it.Ref.Tracker, string(it.Action)).Inc()
		}
	}
}

// authFailures names the trackers that refused their credentials (401, or
// a 403 that is not a rate limit) in the last run and whose sync failed,
// with the status they answered.
func (m *runMetrics) authFailures() map[string]int {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]int{}
	for t, code := range m.refused {
		if !m.synced[t] {
			out[t] = code
		}
	}
	return out
}

// instrument returns hc with its transport wrapped to count each request
// per tracker and status and to read the rate-limit budget left. It wraps
// the base transport the connectors build theirs on, so every attempt is
// counted, retries included, and the connectors know nothing of metrics.
func (m *runMetrics) instrument(hc *http.Client) *http.Client {
	if m == nil {
		return hc
	}
	var out http.Client
	if hc != nil {
		out = *hc
	} else {
		// What the connectors use when given no client.
		out.Timeout = 60 * time.Second
	}
	base := out.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	out.Transport = countingTransport{base: base, m: m}
	return &out
}

type countingTransport struct {
	base http.RoundTripper
	m    *runMetrics
}

func (t countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	tracker := t.m.trackerOf(req.URL)
	if err != nil {
		t.m.apiRequests.WithLabelValues(tracker, "error").Inc()
		return resp, err
	}
	t.m.apiRequests.WithLabelValues(tracker, strconv.Itoa(resp.StatusCode)).Inc()
	if v := resp.Header.Get("X-RateLimit-Remaining"); v != "" {
		if n, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
			t.m.rateLimit.WithLabelValues(tracker).Set(n)
		}
	}
	if refusesCredentials(resp) {
		t.m.mu.Lock()
		if t.m.refused != nil {
			t.m.refused[tracker] = resp.StatusCode
		}
		t.m.mu.Unlock()
	}
	return resp, nil
}

// refusesCredentials tells a 401, or a 403 of permissions, from a rate
// limit: GitHub answers its primary limit with 403 and
// X-RateLimit-Remaining: 0, its secondary one with 403 and Retry-After.
// Jira Data Center with rate limiting on sends "Retry-After: 0" on every
// answer while tokens are left, which says nothing.
func refusesCredentials(resp *http.Response) bool {
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		return true
	case http.StatusForbidden:
		retry := strings.TrimSpace(resp.Header.Get("Retry-After"))
		return strings.TrimSpace(resp.Header.Get("X-RateLimit-Remaining")) != "0" && (retry == "" || retry == "0")
	}
	return false
}

// trackerRoute is a tracker's API base URL.
type trackerRoute struct {
	name, host, path string
}

func newTrackerRoute(t config.Tracker) trackerRoute {
	raw := t.URL
	if raw == "" && t.Kind == "github" {
		raw = "https://api.github.com/"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return trackerRoute{name: t.Name}
	}
	return trackerRoute{name: t.Name, host: strings.ToLower(u.Host), path: strings.TrimSuffix(u.Path, "/")}
}

// trackerOf names the tracker a request goes to: the one whose base URL is
// the longest prefix of the request's, else the first on the same host
// (GitHub Enterprise answers GraphQL at /api/graphql, beside /api/v3).
// Two trackers with the same base URL share the first one's name.
func (m *runMetrics) trackerOf(u *url.URL) string {
	host, path := strings.ToLower(u.Host), u.Path
	best, bestLen, sameHost := "", -1, ""
	for _, r := range m.routes {
		if r.host != host {
			continue
		}
		if sameHost == "" {
			sameHost = r.name
		}
		if (path == r.path || strings.HasPrefix(path, r.path+"/")) && len(r.path) > bestLen {
			best, bestLen = r.name, len(r.path)
		}
	}
	switch {
	case best != "":
		return best
	case sameHost != "":
		return sameHost
	}
	return "other"
}

// writeTextfile writes every series to path in the text format
// node_exporter's textfile collector reads, through a temporary file and a
// rename so the collector never reads half of it.
func (m *runMetrics) writeTextfile(path string) error {
	if err := prometheus.WriteToTextfile(path, m.reg); err != nil {
		return fmt.Errorf("--metrics-file: %w", err)
	}
	return nil
}

// carryOver starts the counters and the last success where the previous
// run's file left them, so that a textfile written after every cron run
// holds totals (as /metrics does) and a failed run does not forget when the
// last good one was. A file that is missing or not ours starts from zero.
func (m *runMetrics) carryOver(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("--metrics-file: %w", err)
	}
	defer f.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(f)
	if err != nil {
		return fmt.Errorf("--metrics-file %s: not in the text format (%v); remove it or pick another path", path, err)
	}
	counters := map[string]*prometheus.CounterVec{
		"ladder_runs_total":               m.runs,
		"ladder_issues_synced_total":      m.issuesSynced,
		"ladder_api_requests_total":       m.apiRequests,
		"ladder_comments_written_total":   m.comments,
		"ladder_webhook_deliveries_total": m.webhooks,
	}
	for name, fam := range families {
		for _, metric := range fam.GetMetric() {
			if name == "ladder_run_last_success_timestamp_seconds" {
				m.lastSuccess.Set(metric.GetGauge().GetValue())
				continue
			}
			vec, ok := counters[name]
			if !ok {
				continue
			}
			labels := prometheus.Labels{}
			for _, l := range metric.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if c, err := vec.GetMetricWith(labels); err == nil {
				if v := metric.GetCounter().GetValue(); v > 0 {
					c.Add(v)
				}
			}
		}
	}
	return nil
}
