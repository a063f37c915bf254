package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
	"github.com/ladderhq/ladder/internal/store"
	"github.com/ladderhq/ladder/internal/webhook"
)

var (
	ghSecret   = []byte("gh-webhook-secret")
	jiraSecret = []byte("jira-webhook-secret")
)

// hooked is the sample organisation synced and published, with Ladder's
// webhook receivers mounted on a server and their worker running.
type hooked struct {
	*env
	srv       *httptest.Server
	w         *webhooks
	refreshed chan refreshDone
	lock      *sync.Mutex // Serialize's: a test holds it to stand for a scheduled run

	mu        sync.Mutex
	delivered map[string]int // tracker/result → count
}

type refreshDone struct {
	kind, key, result string
	took              time.Duration
}

func newHooked(t testing.TB, e *env, g *globals) *hooked {
	t.Helper()
	cfg, err := g.loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	h := &hooked{env: e, refreshed: make(chan refreshDone, 1000), lock: &sync.Mutex{}, delivered: map[string]int{}}
	h.w, err = newWebhooks(g, cfg, webhookSecrets{GitHub: ghSecret, Jira: jiraSecret}, webhookOptions{
		Apply: true, AsOf: asOf{asOfDate},
		Serialize: func(ctx context.Context, fn func(context.Context) error) error {
			h.lock.Lock()
			defer h.lock.Unlock()
			return fn(ctx)
		},
		Delivered: func(tracker, result string) {
			h.mu.Lock()
			h.delivered[tracker+"/"+result]++
			h.mu.Unlock()
		},
		Refreshed: func(kind, key, result string, received time.Time) {
			h.refreshed <- refreshDone{kind, key, result, time.Since(received)}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	for pattern, handler := range h.w.Routes() {
		mux.Handle(pattern, handler)
	}
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.w.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return h
}

// setup syncs the sample organisation and publishes for real, so every
// selected issue carries Ladder's comment, then starts the receivers.
func setup(t *testing.T) (*hooked, publishResult) {
	t.Helper()
	e := newEnv(t)
	e.mustRun(t, "sync")
	res := e.publish(t, true)
	g, _ := e.globals(t)
	return newHooked(t, e, g), res
}

func (h *hooked) count(tracker, result string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.delivered[tracker+"/"+result]
}

// await waits for the next refresh to finish.
func (h *hooked) await(t testing.TB) refreshDone {
	t.Helper()
	select {
	case d := <-h.refreshed:
		return d
	case <-time.After(10 * time.Second):
		t.Fatal("no refresh within 10 s")
		return refreshDone{}
	}
}

// quiet asserts that no refresh finishes within d.
func (h *hooked) quiet(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case r := <-h.refreshed:
		t.Fatalf("unexpected refresh %+v", r)
	case <-time.After(d):
	}
}

func (h *hooked) storedIssue(t testing.TB, ref ladder.Ref) ladder.Issue {
	t.Helper()
	st, err := store.Open(t.Context(), filepath.Join(h.dir, "ladder.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	is, err := st.Issue(t.Context(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return is
}

func (h *hooked) resetLogs() {
	h.gh.ResetLog()
	h.jira.Harness().ResetLog()
}

func (h *hooked) requests() []sandbox.Request {
	return append(h.gh.Requests(), h.jira.Harness().Requests()...)
}

// listsOrSearches is a request a one-issue refresh must never make.
func listsOrSearches(r sandbox.Request) bool {
	p := strings.TrimSuffix(r.Path, "/")
	return strings.HasSuffix(p, "/issues") || strings.HasSuffix(p, "/issues/comments") || strings.Contains(p, "/search") || strings.Contains(p, "/orgs/")
}

func addLabel(label string) func(*ladder.Issue) {
	return func(is *ladder.Issue) { is.Labels = append(is.Labels, label) }
}

// commentEdits are the comments Ladder wrote to since the log was reset,
// by issue path (GitHub PATCH …/issues/comments/{id}, Jira PUT …/comment/{id}).
func commentWrites(rs []sandbox.Request) []string {
	var out []string
	for _, r := range rs {
		if r.Write() {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

// TestWebhookRefreshesExactlyTheTouchedIssue: a signed issues event for an
// edited issue refreshes that issue within seconds, without listing a
// repository, stores it as a full sync would, and publish rewrites only
// its comment (and the summary, whose counts it is part of).
func TestWebhookRefreshesExactlyTheTouchedIssue(t *testing.T) {
	h, res := setup(t)
	ref := firstSelected(t, res, "gh", actCreate)
	if err := h.gh.EditIssue(ref.Key, addLabel("tech-debt")); err != nil {
		t.Fatal(err)
	}
	own := ladderComments(h.env, ref)
	if len(own) != 1 {
		t.Fatalf("%s carries %d Ladder comments, want 1", ref, len(own))
	}
	h.resetLogs()
	status, err := h.gh.Deliver(t.Context(), h.srv.URL+"/webhooks/github", ghSecret, sandbox.GitHubDelivery{Event: "issues", Action: "labeled", Key: ref.Key})
	if err != nil || status != http.StatusAccepted {
		t.Fatalf("delivery: %d, %v", status, err)
	}
	if d := h.await(t); d.result != whRefreshed || d.key != ref.Key || d.took > 5*time.Second {
		t.Fatalf("refresh %+v: want %s refreshed within 5 s", d, ref.Key)
	}
	if is := h.storedIssue(t, ref); !is.HasLabel("tech-debt") {
		t.Errorf("stored %s has labels %v: the refresh did not store the edit", ref, is.Labels)
	}
	for _, r := range h.requests() {
		if listsOrSearches(r) {
			t.Errorf("a one-issue refresh listed or searched: %s %s", r.Method, r.Path)
		}
	}
	after := ladderComments(h.env, ref)
	if len(after) != 1 || after[0].ID != own[0].ID || after[0].Raw == own[0].Raw {
		t.Errorf("Ladder's comment on %s: %d comments, want the same one edited in place with the new verdict", ref, len(after))
	}
	summaryIssue := "/repos/acme/planning/issues"
	for _, w := range commentWrites(h.requests()) {
		if !strings.HasSuffix(w, "/issues/comments/"+own[0].ID) && !strings.Contains(w, summaryIssue) && !isSummaryComment(h.env, w) {
			t.Errorf("publish wrote beyond the touched issue: %s", w)
		}
	}
	if n := h.count("github", whRefreshed); n != 1 {
		t.Errorf("deliveries counted refreshed: %d, want 1", n)
	}

	// What the refresh stored is what a full sync stores for the issue.
	fresh := filepath.Join(h.dir, "full.db")
	h.mustRun(t, "--store", fresh, "sync", "--full")
	st, err := store.Open(t.Context(), fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	want, err := st.Issue(t.Context(), ref)
	if err != nil {
		t.Fatal(err)
	}
	got := h.storedIssue(t, ref)
	// Comments Ladder itself wrote since are in neither or both; compare
	// the issue and the people's comments. Publish edited Ladder's comment
	// after the refresh, which moves the issue's updated_at on GitHub: the
	// full sync may see a later one (the connector's tests compare it too).
	if got.Updated.After(want.Updated) {
		t.Errorf("refreshed issue updated %s, after the full sync's %s", got.Updated, want.Updated)
	}
	got.Updated, want.Updated = time.Time{}, time.Time{}
	if g, w := asJSON(t, withoutLadder(got)), asJSON(t, withoutLadder(want)); g != w {
		t.Errorf("refreshed issue\n%s\nwant what a full sync stores\n%s", g, w)
	}
}

// isSummaryComment reports whether a write went to the summary issue's comment.
func isSummaryComment(e *env, write string) bool {
	for _, c := range e.gh.Comments(sandbox.SummaryIssue) {
		if strings.HasSuffix(write, "/issues/comments/"+c.ID) {
			return true
		}
	}
	return false
}

func asJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func withoutLadder(is ladder.Issue) ladder.Issue {
	is.Comments = slices.DeleteFunc(slices.Clone(is.Comments), func(c ladder.Comment) bool { return c.ByLadder() })
	return is
}

// TestWebhookRefusesUnsignedForgedAndTampered: none of these is read, none
// fetches anything, none changes the store.
func TestWebhookRefusesUnsignedForgedAndTampered(t *testing.T) {
	h, res := setup(t)
	ref := firstSelected(t, res, "gh", actCreate)
	if err := h.gh.EditIssue(ref.Key, addLabel("tech-debt")); err != nil {
		t.Fatal(err)
	}
	body, hdr, err := h.gh.WebhookPayload(ghSecret, sandbox.GitHubDelivery{Event: "issues", Key: ref.Key})
	if err != nil {
		t.Fatal(err)
	}
	forged, forgedHdr, err := h.gh.WebhookPayload([]byte("guessed"), sandbox.GitHubDelivery{Event: "issues", Key: ref.Key})
	if err != nil {
		t.Fatal(err)
	}
	unsigned := hdr.Clone()
	unsigned.Del("X-Hub-Signature-256")
	tests := []struct {
		name string
		body []byte
		hdr  http.Header
	}{
		{"unsigned", body, unsigned},
		{"forged with another secret", forged, forgedHdr},
		{"tampered body", bytes.Replace(body, []byte(`"action":"edited"`), []byte(`"action":"opened"`), 1), hdr},
		{"signature of another body", body, forgedHdr},
	}
	h.resetLogs()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "tampered body" && bytes.Equal(tt.body, body) {
				t.Fatal("tampering changed nothing")
			}
			status, err := sandbox.PostDelivery(t.Context(), h.srv.URL+"/webhooks/github", tt.body, tt.hdr)
			if err != nil || status != http.StatusUnauthorized {
				t.Errorf("status %d, %v; want 401", status, err)
			}
		})
	}
	h.quiet(t, 300*time.Millisecond)
	if rs := h.requests(); len(rs) != 0 {
		t.Errorf("refused deliveries made %d tracker requests: %v", len(rs), rs)
	}
	if is := h.storedIssue(t, ref); is.HasLabel("tech-debt") {
		t.Errorf("a refused delivery changed the store: %s now labelled %v", ref, is.Labels)
	}
	if n := h.count("github", webhook.ResultUnauthorized); n != len(tests) {
		t.Errorf("counted %d unauthorized, want %d", n, len(tests))
	}
}

func TestWebhookRedeliveryIsDoneOnce(t *testing.T) {
	h, res := setup(t)
	ref := firstSelected(t, res, "gh", actCreate)
	h.resetLogs()
	d := sandbox.GitHubDelivery{Event: "issues", Key: ref.Key, ID: "72d3162e-cc78-11e3-81ab-4c9367dc0958"}
	for i, want := range []int{http.StatusAccepted, http.StatusOK} {
		if status, err := h.gh.Deliver(t.Context(), h.srv.URL+"/webhooks/github", ghSecret, d); err != nil || status != want {
			t.Fatalf("delivery %d: %d, %v; want %d", i+1, status, err, want)
		}
	}
	h.await(t)
	h.quiet(t, 300*time.Millisecond)
	gets := h.gh.Count(func(r sandbox.Request) bool {
		return r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/issues/"+ref.Key[strings.Index(ref.Key, "#")+1:])
	})
	if gets != 1 {
		t.Errorf("the issue was fetched %d times for one delivery sent twice", gets)
	}
	if n := h.count("github", webhook.ResultDuplicate); n != 1 {
		t.Errorf("counted %d duplicates, want 1", n)
	}
}

// TestWebhookOwnCommentCausesNoRefresh: publishing edits Ladder's comment,
// GitHub sends issue_comment for it, and that must not start a refresh
// (which would publish, and so on).
func TestWebhookOwnCommentCausesNoRefresh(t *testing.T) {
	h, res := setup(t)
	ref := firstSelected(t, res, "gh", actCreate)
	own := ladderComments(h.env, ref)
	if len(own) != 1 {
		t.Fatalf("%s carries %d Ladder comments, want 1", ref, len(own))
	}
	h.resetLogs()
	for _, action := range []string{"created", "edited"} {
		status, err := h.gh.Deliver(t.Context(), h.srv.URL+"/webhooks/github", ghSecret,
			sandbox.GitHubDelivery{Event: "issue_comment", Action: action, Key: ref.Key, CommentID: own[0].ID})
		if err != nil || status != http.StatusOK {
			t.Errorf("%s: status %d, %v; want 200", action, status, err)
		}
	}
	h.quiet(t, 300*time.Millisecond)
	if rs := h.requests(); len(rs) != 0 {
		t.Errorf("Ladder's own comment caused %d tracker requests: %v", len(rs), rs)
	}
	if n := h.count("github", webhook.ResultOwnComment); n != 2 {
		t.Errorf("counted %d own comments, want 2", n)
	}
}

func TestWebhookBodyOverTheCap(t *testing.T) {
	h, _ := setup(t)
	body := append([]byte(`{"action":"edited","pad":"`), bytes.Repeat([]byte("x"), webhook.DefaultMaxBody)...)
	body = append(body, `"}`...)
	hdr := http.Header{"X-Github-Event": {"issues"}, "X-Github-Delivery": {"big"}, "X-Hub-Signature-256": {webhook.SignatureHeader(ghSecret, body)}}
	status, err := sandbox.PostDelivery(t.Context(), h.srv.URL+"/webhooks/github", body, hdr)
	if err != nil || status != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, %v; want 413", status, err)
	}
	if n := h.count("github", webhook.ResultTooLarge); n != 1 {
		t.Errorf("counted %d too large, want 1", n)
	}
}

// TestWebhookJira: Jira's events refresh the issue (and both ends of a
// link, named by id); a project the JQL does not name is ignored and
// counted; a deleted issue is marked gone.
func TestWebhookJira(t *testing.T) {
	h, res := setup(t)
	ref := firstSelected(t, res, "jira", actCreate)
	if err := h.jira.EditIssue(ref.Key, addLabel("tech-debt")); err != nil {
		t.Fatal(err)
	}
	url := h.srv.URL + "/webhooks/jira"
	h.resetLogs()
	if status, err := h.jira.Deliver(t.Context(), url, jiraSecret, sandbox.JiraDelivery{Event: "jira:issue_updated", Key: ref.Key}); err != nil || status != http.StatusAccepted {
		t.Fatalf("delivery: %d, %v", status, err)
	}
	if d := h.await(t); d.result != whRefreshed || d.key != ref.Key {
		t.Fatalf("refresh %+v: want %s refreshed", d, ref.Key)
	}
	if is := h.storedIssue(t, ref); !is.HasLabel("tech-debt") {
		t.Errorf("stored %s has labels %v: the refresh did not store the edit", ref, is.Labels)
	}
	for _, r := range h.requests() {
		if listsOrSearches(r) {
			t.Errorf("a one-issue refresh searched: %s %s?%s", r.Method, r.Path, r.Query)
		}
	}

	var other ladder.Ref
	for _, it := range res.Items {
		if it.Ref.Tracker == "jira" && it.Action == actCreate && it.Ref != ref {
			other = it.Ref
			break
		}
	}
	if other.IsZero() {
		t.Fatal("no second Jira issue with Ladder's comment")
	}
	if status, err := h.jira.Deliver(t.Context(), url, jiraSecret, sandbox.JiraDelivery{Event: "issuelink_created", Key: ref.Key, LinkTo: other.Key}); err != nil || status != http.StatusAccepted {
		t.Fatalf("link delivery: %d, %v", status, err)
	}
	var keys []string
	for range 2 {
		d := h.await(t)
		if d.result != whRefreshed {
			t.Errorf("link end %s: %s, want refreshed", d.key, d.result)
		}
		keys = append(keys, d.key)
	}
	ids := []string{h.storedIssue(t, ref).ID, h.storedIssue(t, other).ID}
	sort.Strings(keys)
	sort.Strings(ids)
	if !slices.Equal(keys, ids) {
		t.Errorf("refreshed %v, want both ends by id %v", keys, ids)
	}

	if err := h.jira.DeleteIssue(other.Key); err != nil {
		t.Fatal(err)
	}
	body, hdr, err := h.jira.WebhookPayload(jiraSecret, sandbox.JiraDelivery{Event: "jira:issue_updated", Key: ref.Key})
	if err != nil {
		t.Fatal(err)
	}
	// The same shapes for a deleted issue and for a project no tracker syncs.
	for _, c := range []struct{ key, want string }{{other.Key, whGone}, {"HR-7", whNotSynced}} {
		b := bytes.ReplaceAll(body, []byte(`"key":"`+ref.Key+`"`), []byte(`"key":"`+c.key+`"`))
		h := hdr.Clone()
		h.Set("X-Atlassian-Webhook-Identifier", "id-"+c.key)
		h.Set("X-Hub-Signature", webhook.SignatureHeader(jiraSecret, b))
		if status, err := sandbox.PostDelivery(t.Context(), url, b, h); err != nil || status != http.StatusAccepted {
			t.Fatalf("%s: %d, %v", c.key, status, err)
		}
	}
	for _, want := range []string{whGone, whNotSynced} {
		if d := h.await(t); d.result != want {
			t.Errorf("refresh %+v: want %s", d, want)
		}
	}
	if n := h.count("jira", whNotSynced); n != 1 {
		t.Errorf("counted %d not synced, want 1", n)
	}
	st, err := store.Open(t.Context(), filepath.Join(h.dir, "ladder.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Issue(t.Context(), other); !errors.Is(err, store.ErrGone) {
		t.Errorf("deleted %s in the store: %v, want gone", other, err)
	}
}

// TestWebhookWaitsForTheScheduledRunAndCoalesces: while a scheduled run
// holds the lock nothing is refreshed; repeats of a queued issue are
// refreshed once when it is released.
func TestWebhookWaitsForTheScheduledRunAndCoalesces(t *testing.T) {
	h, res := setup(t)
	ref := firstSelected(t, res, "gh", actCreate)
	h.lock.Lock()
	h.resetLogs()
	for range 3 {
		if status, err := h.gh.Deliver(t.Context(), h.srv.URL+"/webhooks/github", ghSecret, sandbox.GitHubDelivery{Event: "issues", Key: ref.Key}); err != nil || status != http.StatusAccepted {
			h.lock.Unlock()
			t.Fatalf("delivery: %d, %v", status, err)
		}
	}
	time.Sleep(300 * time.Millisecond)
	during := len(h.requests())
	h.lock.Unlock()
	if during != 0 {
		t.Errorf("%d tracker requests while the scheduled run held the lock", during)
	}
	// The worker may have taken the first delivery before the lock
	// stopped it; the repeats that found the issue still queued coalesce.
	coalesced := h.count("github", whCoalesced)
	if coalesced == 0 {
		t.Errorf("no delivery coalesced: 3 deliveries for one issue, at most one taken before the lock")
	}
	for range 3 - coalesced {
		h.await(t)
	}
	h.quiet(t, 300*time.Millisecond)
	if got := h.count("github", whRefreshed); got+coalesced != 3 || got > 2 {
		t.Errorf("refreshed %d, coalesced %d; want one count per delivery and at most 2 refreshes", got, coalesced)
	}
}

// BenchmarkWebhookRefresh: 200 signed issues events, one at a time, each
// for an edited issue of the sample organisation, from the delivery to the
// refreshed, re-analyzed and republished issue: the latency's p50 and p99
// and the tracker requests per webhook (the issue, its comments, its
// relations, and publish's reads and writes).
func BenchmarkWebhookRefresh(b *testing.B) {
	const deliveries = 200
	now, err := time.Parse("2006-01-02", asOfDate)
	if err != nil {
		b.Fatal(err)
	}
	e := &env{org: sandbox.SampleOrg(now), dir: b.TempDir(), stdout: new(bytes.Buffer), stderr: new(bytes.Buffer)}
	e.gh = sandbox.NewGitHub(e.org.GitHub, sandbox.GitHubOptions{Token: demoGitHubToken, Login: "ladder-bot", RateLimit: 1 << 30})
	defer e.gh.Close()
	e.jira = sandbox.NewJira(e.org.Jira, sandbox.JiraOptions{Deployment: "cloud", Email: demoJiraEmail, Token: demoJiraToken})
	defer e.jira.Close()
	cfgText, err := e.org.RenderConfig(sandbox.ConfigVars{GitHubURL: e.gh.URL(), JiraURL: e.jira.URL(), Store: "ladder.db"})
	if err != nil {
		b.Fatal(err)
	}
	e.cfg = filepath.Join(e.dir, "ladder.yaml")
	if err := os.WriteFile(e.cfg, []byte(cfgText), 0o644); err != nil {
		b.Fatal(err)
	}
	g := &globals{ConfigPath: e.cfg, Stdout: e.stdout, Stderr: e.stderr, Getenv: func(k string) string { return demoEnv[k] }}
	if g.Logger, err = newLogger(e.stderr, "warn", "text"); err != nil {
		b.Fatal(err)
	}
	for _, args := range [][]string{{"sync"}, {"publish", "--apply", "--as-of", asOfDate}} {
		gg := &globals{Stdout: e.stdout, Stderr: e.stderr, Getenv: g.Getenv}
		if code := execute(b.Context(), gg, append([]string{"--config", e.cfg}, args...)); code != 0 {
			b.Fatalf("ladder %v: exit %d\n%s", args, code, e.stderr)
		}
	}
	cfg, err := g.loadConfig()
	if err != nil {
		b.Fatal(err)
	}
	gh, _ := cfg.Tracker("gh")
	var keys []string // issues of the synced repositories
	for _, is := range e.org.GitHub {
		if repo, _, _ := strings.Cut(is.Key, "#"); slices.Contains(gh.Repos, repo) {
			keys = append(keys, is.Key)
		}
	}
	h := newHooked(b, e, g)
	url := h.srv.URL + "/webhooks/github"
	var took []time.Duration
	var requests int
	for b.Loop() {
		took, requests = took[:0], 0
		for i := range deliveries {
			key := keys[i%len(keys)]
			if err := e.gh.EditIssue(key, func(is *ladder.Issue) { is.Title += "." }); err != nil {
				b.Fatal(err)
			}
			e.gh.ResetLog()
			e.jira.Harness().ResetLog()
			if status, err := e.gh.Deliver(b.Context(), url, ghSecret, sandbox.GitHubDelivery{Event: "issues", Key: key}); err != nil || status != http.StatusAccepted {
				b.Fatalf("delivery: %d, %v", status, err)
			}
			d := h.await(b)
			if d.result != whRefreshed {
				b.Fatalf("refresh %+v", d)
			}
			took = append(took, d.took)
			requests += len(e.gh.Requests()) + len(e.jira.Harness().Requests())
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(requests)/deliveries, "requests/webhook")
}

// BenchmarkWebhookReceiversMemory10k: the heap Ladder's webhook machinery
// (both receivers' dedupe memory, the queue, the worker) still holds after
// 10,000 signed deliveries for 2,000 different issues, the worker handing
// each batch to a Serialize that does no tracker work: what a long-lived
// `serve` keeps for its webhooks, as retained-B.
func BenchmarkWebhookReceiversMemory10k(b *testing.B) {
	now, err := time.Parse("2006-01-02", asOfDate)
	if err != nil {
		b.Fatal(err)
	}
	org := sandbox.SampleOrg(now)
	dir := b.TempDir()
	cfgText, err := org.RenderConfig(sandbox.ConfigVars{GitHubURL: "http://127.0.0.1:1/", JiraURL: "http://127.0.0.1:1", Store: "ladder.db"})
	if err != nil {
		b.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "ladder.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfgText), 0o644); err != nil {
		b.Fatal(err)
	}
	g := &globals{ConfigPath: cfgPath, Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return demoEnv[k] }}
	if g.Logger, err = newLogger(io.Discard, "error", "text"); err != nil {
		b.Fatal(err)
	}
	cfg, err := g.loadConfig()
	if err != nil {
		b.Fatal(err)
	}
	body := func(i int) []byte {
		return []byte(fmt.Sprintf(`{"action":"edited","issue":{"number":%d,"url":"https://api.github.com/repos/acme/web/issues/%d"},"repository":{"full_name":"acme/web"}}`, i%2000+1, i%2000+1))
	}
	var retained uint64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		w, err := newWebhooks(g, cfg, webhookSecrets{GitHub: ghSecret, Jira: jiraSecret}, webhookOptions{
			Serialize: func(context.Context, func(context.Context) error) error { return nil },
		})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(b.Context())
		done := make(chan struct{})
		go func() { w.Run(ctx); close(done) }()
		h := w.Routes()["POST /webhooks/github"]
		for i := range 10000 {
			p := body(i)
			req := httptest.NewRequest(http.MethodPost, "/webhooks/github", bytes.NewReader(p))
			req.Header.Set("X-GitHub-Event", "issues")
			req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("%08d-cc78-11e3-81ab-4c9367dc0958", i))
			req.Header.Set("X-Hub-Signature-256", webhook.SignatureHeader(ghSecret, p))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusAccepted {
				b.Fatalf("delivery %d: %d", i, rec.Code)
			}
		}
		cancel()
		<-done
		runtime.GC()
		runtime.ReadMemStats(&after)
		retained = after.HeapAlloc - min(before.HeapAlloc, after.HeapAlloc)
		runtime.KeepAlive(w)
	}
	b.ReportMetric(float64(retained), "retained-B")
}
