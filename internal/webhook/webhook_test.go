package webhook

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/ladderhq/ladder"
)

var secret = []byte("It's a Secret to Everybody")

// recorder collects what a receiver hands on and how it answered.
type recorder struct {
	mu      sync.Mutex
	events  []Event
	results []string
}

func (r *recorder) options() Options {
	return Options{
		Secret:     secret,
		Handle:     func(e Event) { r.mu.Lock(); r.events = append(r.events, e); r.mu.Unlock() },
		Result:     func(s string) { r.mu.Lock(); r.results = append(r.results, s); r.mu.Unlock() },
		OwnComment: func(a string) bool { return a == "ladder-bot" || a == "557058:ladder" },
	}
}

func testdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// edit rewrites a JSON body: fn changes the decoded document.
func edit(t *testing.T, body []byte, fn func(map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	fn(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type delivery struct {
	method  string
	headers map[string]string
	body    []byte
	// sign: "" signs with secret, "none" sends no signature, "wrong" signs
	// with another secret, "tamper" signs the body and then changes a byte.
	sign string
}

func send(t *testing.T, url, sigHeader string, d delivery) *http.Response {
	t.Helper()
	body := d.body
	req, err := http.NewRequestWithContext(t.Context(), cmp.Or(d.method, http.MethodPost), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	switch d.sign {
	case "":
		req.Header.Set(sigHeader, SignatureHeader(secret, body))
	case "wrong":
		req.Header.Set(sigHeader, SignatureHeader([]byte("guessed"), body))
	case "tamper":
		req.Header.Set(sigHeader, SignatureHeader(secret, body))
		body = bytes.Replace(body, []byte(`"number": 1,`), []byte(`"number": 2,`), 1)
		body = bytes.Replace(body, []byte(`PLAT-12`), []byte(`PLAT-13`), 1)
		if bytes.Equal(body, d.body) {
			t.Fatal("tamper changed nothing")
		}
	case "sha1":
		req.Header.Set(sigHeader, "sha1="+strings.TrimPrefix(SignatureHeader(secret, body), "sha256="))
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range d.headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestGitHub(t *testing.T) {
	edited := testdata(t, "github-issues-edited.json")
	comment := testdata(t, "github-issue_comment-created.json")
	ping := testdata(t, "github-ping.json")
	own := edit(t, comment, func(m map[string]any) {
		m["comment"].(map[string]any)["body"] = ladder.VerdictMarker + "\n### " + ladder.VerdictOpener + "aligned\n\nsomething\n\n_" + ladder.VerdictFooter + "_\n" + ladder.VerdictMarker
	})
	ownAuthor := edit(t, comment, func(m map[string]any) {
		m["comment"].(map[string]any)["user"].(map[string]any)["login"] = "ladder-bot"
	})
	onPR := edit(t, comment, func(m map[string]any) {
		m["issue"].(map[string]any)["pull_request"] = map[string]any{"url": "https://api.github.com/repos/Codertocat/Hello-World/pulls/1"}
	})
	noURL := edit(t, edited, func(m map[string]any) { delete(m["issue"].(map[string]any), "url") })
	subIssue := []byte(`{"action":"sub_issue_added","sub_issue_id":2,"sub_issue":{"number":7,"url":"https://api.github.com/repos/acme/web/issues/7"},` +
		`"parent_issue_id":1,"parent_issue":{"number":3,"url":"https://api.github.com/repos/acme/planning/issues/3"},"repository":{"full_name":"acme/planning"}}`)
	blockedBy := []byte(`{"action":"blocked_by_added","blocked_issue":{"number":7,"url":"https://api.github.com/repos/acme/web/issues/7"},` +
		`"blocking_issue":{"number":12,"url":"https://api.github.com/repos/acme/platform/issues/12"},"repository":{"full_name":"acme/web"}}`)
	hdr := func(event, id string) map[string]string {
		return map[string]string{"X-GitHub-Event": event, "X-GitHub-Delivery": id}
	}
	tests := []struct {
		name   string
		d      delivery
		status int
		result string
		keys   []string
	}{
		{"issues edited", delivery{headers: hdr("issues", "d1"), body: edited}, 202, ResultAccepted, []string{"Codertocat/Hello-World#1"}},
		{"issues edited without url", delivery{headers: hdr("issues", "d1b"), body: noURL}, 202, ResultAccepted, []string{"Codertocat/Hello-World#1"}},
		{"issue comment", delivery{headers: hdr("issue_comment", "d2"), body: comment}, 202, ResultAccepted, []string{"Codertocat/Hello-World#1"}},
		{"sub-issue added names both ends", delivery{headers: hdr("sub_issues", "d3"), body: subIssue}, 202, ResultAccepted, []string{"acme/planning#3", "acme/web#7"}},
		{"dependency added names both ends", delivery{headers: hdr("issue_dependencies", "d3b"), body: blockedBy}, 202, ResultAccepted, []string{"acme/web#7", "acme/platform#12"}},
		{"ping", delivery{headers: hdr("ping", "d4"), body: ping}, 200, ResultPing, nil},
		{"other event", delivery{headers: hdr("push", "d5"), body: []byte(`{}`)}, 200, ResultIgnored, nil},
		{"comment on a pull request", delivery{headers: hdr("issue_comment", "d6"), body: onPR}, 200, ResultIgnored, nil},
		{"Ladder's own comment by its text", delivery{headers: hdr("issue_comment", "d7"), body: own}, 200, ResultOwnComment, nil},
		{"Ladder's own comment by its author", delivery{headers: hdr("issue_comment", "d8"), body: ownAuthor}, 200, ResultOwnComment, nil},
		{"unsigned", delivery{headers: hdr("issues", "d9"), body: edited, sign: "none"}, 401, ResultUnauthorized, nil},
		{"forged with another secret", delivery{headers: hdr("issues", "d10"), body: edited, sign: "wrong"}, 401, ResultUnauthorized, nil},
		{"tampered body", delivery{headers: hdr("issues", "d11"), body: edited, sign: "tamper"}, 401, ResultUnauthorized, nil},
		{"sha1 signature only", delivery{headers: hdr("issues", "d12"), body: edited, sign: "sha1"}, 401, ResultUnauthorized, nil},
		{"signed garbage", delivery{headers: hdr("issues", "d13"), body: []byte(`{"action":`)}, 400, ResultBadRequest, nil},
		{"GET", delivery{method: http.MethodGet, headers: hdr("issues", "d14")}, 405, ResultMethod, nil},
		{"over the cap", delivery{headers: hdr("issues", "d15"), body: bytes.Repeat([]byte(" "), DefaultMaxBody+1)}, 413, ResultTooLarge, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec recorder
			srv := httptest.NewServer(GitHub(rec.options()))
			defer srv.Close()
			resp := send(t, srv.URL, "X-Hub-Signature-256", tt.d)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if len(rec.results) != 1 || rec.results[0] != tt.result {
				t.Errorf("results %v, want [%s]", rec.results, tt.result)
			}
			var keys []string
			for _, e := range rec.events {
				keys = append(keys, e.Key)
				if e.Tracker != GitHubTracker || e.Delivery != tt.d.headers["X-GitHub-Delivery"] {
					t.Errorf("event %+v: want tracker github and delivery %s", e, tt.d.headers["X-GitHub-Delivery"])
				}
			}
			if fmt.Sprint(keys) != fmt.Sprint(tt.keys) {
				t.Errorf("keys %v, want %v", keys, tt.keys)
			}
		})
	}
}

func TestJira(t *testing.T) {
	updated := testdata(t, "jira-issue-updated.json")
	comment := testdata(t, "jira-comment-created.json")
	server := testdata(t, "jira-comment-created-server.json")
	link := testdata(t, "jira-issuelink-created.json")
	deleted := edit(t, updated, func(m map[string]any) { m["webhookEvent"] = "jira:issue_deleted"; delete(m, "changelog") })
	own := edit(t, comment, func(m map[string]any) {
		m["comment"].(map[string]any)["body"] = "h3. " + ladder.VerdictOpener + "cross-team\n\nwaits on PAY-57\n\n_" + ladder.VerdictFooter + "_"
	})
	ownAuthor := edit(t, comment, func(m map[string]any) {
		m["comment"].(map[string]any)["author"].(map[string]any)["accountId"] = "557058:ladder"
	})
	ownIssueCommented := edit(t, own, func(m map[string]any) {
		m["webhookEvent"], m["issue_event_type_name"] = "jira:issue_updated", "issue_commented"
	})
	badKey := edit(t, updated, func(m map[string]any) { m["issue"].(map[string]any)["key"] = "../../x" })
	hdr := func(id string) map[string]string { return map[string]string{"X-Atlassian-Webhook-Identifier": id} }
	tests := []struct {
		name   string
		d      delivery
		status int
		result string
		keys   []string
	}{
		{"issue updated", delivery{headers: hdr("j1"), body: updated}, 202, ResultAccepted, []string{"PLAT-12"}},
		{"issue deleted", delivery{headers: hdr("j2"), body: deleted}, 202, ResultAccepted, []string{"PLAT-12"}},
		{"comment created", delivery{headers: hdr("j3"), body: comment}, 202, ResultAccepted, []string{"PLAT-12"}},
		{"comment created, older server shape", delivery{headers: hdr("j4"), body: server}, 202, ResultAccepted, []string{"26313"}},
		{"issue link names both ends by id", delivery{headers: hdr("j5"), body: link}, 202, ResultAccepted, []string{"11442", "11961"}},
		{"Ladder's own comment by its text", delivery{headers: hdr("j6"), body: own}, 200, ResultOwnComment, nil},
		{"Ladder's own comment by its account", delivery{headers: hdr("j7"), body: ownAuthor}, 200, ResultOwnComment, nil},
		{"Ladder's own comment as issue_commented", delivery{headers: hdr("j8"), body: ownIssueCommented}, 200, ResultOwnComment, nil},
		{"other event", delivery{headers: hdr("j9"), body: []byte(`{"webhookEvent":"worklog_created"}`)}, 200, ResultIgnored, nil},
		{"not a key", delivery{headers: hdr("j10"), body: badKey}, 400, ResultBadRequest, nil},
		{"unsigned", delivery{headers: hdr("j11"), body: updated, sign: "none"}, 401, ResultUnauthorized, nil},
		{"forged with another secret", delivery{headers: hdr("j12"), body: updated, sign: "wrong"}, 401, ResultUnauthorized, nil},
		{"tampered body", delivery{headers: hdr("j13"), body: updated, sign: "tamper"}, 401, ResultUnauthorized, nil},
		{"over the cap", delivery{headers: hdr("j14"), body: bytes.Repeat([]byte(" "), DefaultMaxBody+1)}, 413, ResultTooLarge, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec recorder
			srv := httptest.NewServer(Jira(rec.options()))
			defer srv.Close()
			resp := send(t, srv.URL, "X-Hub-Signature", tt.d)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if len(rec.results) != 1 || rec.results[0] != tt.result {
				t.Errorf("results %v, want [%s]", rec.results, tt.result)
			}
			var keys []string
			for _, e := range rec.events {
				keys = append(keys, e.Key)
				if e.Tracker != JiraTracker || e.Name == "" {
					t.Errorf("event %+v: want tracker jira and a name", e)
				}
			}
			if fmt.Sprint(keys) != fmt.Sprint(tt.keys) {
				t.Errorf("keys %v, want %v", keys, tt.keys)
			}
		})
	}
}

// TestJiraSignatureHeader: Jira signs in X-Hub-Signature; GitHub's
// X-Hub-Signature-256 is not accepted in its place.
func TestJiraSignatureHeader(t *testing.T) {
	var rec recorder
	srv := httptest.NewServer(Jira(rec.options()))
	defer srv.Close()
	resp := send(t, srv.URL, "X-Hub-Signature-256", delivery{body: testdata(t, "jira-issue-updated.json")})
	if resp.StatusCode != http.StatusUnauthorized || len(rec.events) != 0 {
		t.Errorf("status %d, %d events; want 401 and none", resp.StatusCode, len(rec.events))
	}
}

func TestRedeliveryHandledOnce(t *testing.T) {
	var rec recorder
	srv := httptest.NewServer(GitHub(rec.options()))
	defer srv.Close()
	d := delivery{headers: map[string]string{"X-GitHub-Event": "issues", "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958"},
		body: testdata(t, "github-issues-edited.json")}
	first, again := send(t, srv.URL, "X-Hub-Signature-256", d), send(t, srv.URL, "X-Hub-Signature-256", d)
	if first.StatusCode != 202 || again.StatusCode != 200 {
		t.Errorf("statuses %d, %d; want 202 then 200", first.StatusCode, again.StatusCode)
	}
	if len(rec.events) != 1 || fmt.Sprint(rec.results) != "[accepted duplicate]" {
		t.Errorf("events %v, results %v; want one event, [accepted duplicate]", rec.events, rec.results)
	}
}

// TestRingForgetsOldest: dedupe memory is bounded; the oldest id goes first.
func TestRingForgetsOldest(t *testing.T) {
	r := newRing(3)
	for _, id := range []string{"a", "b", "c", "d"} {
		if !r.add(id) {
			t.Fatalf("add(%s) = false on a fresh id", id)
		}
	}
	if r.has("a") || !r.has("b") || !r.has("d") || len(r.set) != 3 {
		t.Errorf("after a..d in a ring of 3: has(a)=%v has(b)=%v has(d)=%v size %d; want false true true 3", r.has("a"), r.has("b"), r.has("d"), len(r.set))
	}
	if r.add("d") {
		t.Error("add(d) twice = true")
	}
}

func signedRequest(body []byte, id string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/github", bytes.NewReader(body))
	req.Header.Set("X-GitHub-Event", "issues")
	req.Header.Set("X-GitHub-Delivery", id)
	req.Header.Set("X-Hub-Signature-256", SignatureHeader(secret, body))
	return req
}

// BenchmarkGitHubDelivery: the cost of receiving one signed issues event
// (read, verify, dedupe, parse, hand on).
func BenchmarkGitHubDelivery(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("testdata", "github-issues-edited.json"))
	if err != nil {
		b.Fatal(err)
	}
	h := GitHub(Options{Secret: secret})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, signedRequest(body, fmt.Sprint("delivery-", i)))
		if w.Code != http.StatusAccepted {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// BenchmarkReceiverMemory10k: the heap a receiver still holds after 10,000
// distinct deliveries (the dedupe ring is all it keeps), as retained-B.
func BenchmarkReceiverMemory10k(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("testdata", "github-issues-edited.json"))
	if err != nil {
		b.Fatal(err)
	}
	var retained uint64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		h := GitHub(Options{Secret: secret})
		for i := range 10000 {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, signedRequest(body, fmt.Sprintf("%08d-cc78-11e3-81ab-4c9367dc0958", i)))
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		retained = after.HeapAlloc - min(before.HeapAlloc, after.HeapAlloc)
		runtime.KeepAlive(h)
	}
	b.ReportMetric(float64(retained), "retained-B")
}
