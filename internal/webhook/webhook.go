// Package webhook receives GitHub and Jira webhook deliveries and turns the
// ones about an issue into Events naming that issue. It owns the receiving
// side only: the HMAC signature check (in constant time, over the raw body,
// before a byte of it is parsed), the body cap, deduplication of redelivered
// ids, and reading the name out of the payload. What to do about an
// event is the caller's: the payload is a hint that an issue changed, and
// the caller fetches the issue itself; nothing else in the body is trusted.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
)

// Tracker kinds an Event comes from.
const (
	GitHubTracker = "github"
	JiraTracker   = "jira"
)

// Event says that one issue changed. Key is GitHub's owner/repo#N, or Jira's
// issue key (PLAT-12); Jira's issue link events name both ends by the
// issue's numeric id instead (10042), as that is all their payload carries.
type Event struct {
	Tracker  string // GitHubTracker or JiraTracker
	Delivery string // X-GitHub-Delivery / X-Atlassian-Webhook-Identifier
	Name     string // "issues.edited", "issue_comment.created", "jira:issue_updated", "comment_created" …
	Key      string
}

// Results a delivery is answered with, for Options.Result (and a metric).
const (
	ResultAccepted     = "accepted"     // 202: one or more events handed to Handle
	ResultDuplicate    = "duplicate"    // 200: this delivery id was handled already
	ResultIgnored      = "ignored"      // 200: an event or action that changes no issue Ladder reads
	ResultOwnComment   = "own_comment"  // 200: Ladder's own comment; refreshing would loop
	ResultPing         = "ping"         // 200: GitHub's hello when a hook is created
	ResultUnauthorized = "unauthorized" // 401: signature missing or wrong
	ResultTooLarge     = "too_large"    // 413: body over the cap
	ResultBadRequest   = "bad_request"  // 400: signed, but not a payload naming an issue
	ResultMethod       = "not_allowed"  // 405: not a POST
)

// DefaultMaxBody caps a delivery's body. GitHub caps payloads at 25 MB, but
// issue and comment events are a few tens of kilobytes (the issue, the
// repository and the sender, each with its URLs); a body comment can be
// 64 KiB. Anything larger is not an event Ladder reads.
const DefaultMaxBody = 1 << 20

// DefaultRemember is how many recent delivery ids are kept to recognise
// redeliveries: GitHub and Jira retry within minutes to hours, far fewer
// deliveries than this.
const DefaultRemember = 4096

// Options configure a receiver.
type Options struct {
	// Secret is the webhook's shared secret; an empty secret refuses every
	// delivery (there is nothing to check a signature against).
	Secret []byte
	// Handle receives each event; it must return quickly (enqueue the work):
	// the delivery is answered only after it returns.
	Handle func(Event)
	// Result, when set, is told how each delivery was answered (Result*).
	Result func(result string)
	// OwnComment, when set, tells Ladder's own account by a comment's author
	// (GitHub login, Jira account id or name), beside ladder.IsLadderText.
	OwnComment func(author string) bool
	// MaxBody is the body cap in bytes; 0 is DefaultMaxBody.
	MaxBody int64
	// Remember is how many delivery ids are kept for deduplication; 0 is
	// DefaultRemember.
	Remember int
}

// receiver is what both trackers' handlers share.
type receiver struct {
	opts      Options
	tracker   string
	sigHeader string
	idHeader  string
	parse     func(r *http.Request, body []byte, own func(string) bool) ([]Event, string, error)
	seen      *ring
}

func newReceiver(o Options, tracker, sigHeader, idHeader string, parse func(*http.Request, []byte, func(string) bool) ([]Event, string, error)) *receiver {
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.Remember <= 0 {
		o.Remember = DefaultRemember
	}
	if o.Handle == nil {
		o.Handle = func(Event) {}
	}
	if o.Result == nil {
		o.Result = func(string) {}
	}
	if o.OwnComment == nil {
		o.OwnComment = func(string) bool { return false }
	}
	return &receiver{opts: o, tracker: tracker, sigHeader: sigHeader, idHeader: idHeader, parse: parse, seen: newRing(o.Remember)}
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	answer := func(status int, result, msg string) {
		rc.opts.Result(result)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		io.WriteString(w, msg+"\n")
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		answer(http.StatusMethodNotAllowed, ResultMethod, "POST only")
		return
	}
	if r.ContentLength > rc.opts.MaxBody {
		answer(http.StatusRequestEntityTooLarge, ResultTooLarge, "body too large")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, rc.opts.MaxBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		answer(http.StatusRequestEntityTooLarge, ResultTooLarge, "body too large")
		return
	case err != nil:
		answer(http.StatusBadRequest, ResultBadRequest, "could not read the body")
		return
	}
	// The signature is checked over the raw bytes before anything reads
	// them: a forged body is never parsed.
	if !validSignature(rc.opts.Secret, r.Header.Get(rc.sigHeader), body) {
		answer(http.StatusUnauthorized, ResultUnauthorized, "signature missing or wrong")
		return
	}
	id := r.Header.Get(rc.idHeader)
	if id != "" && rc.seen.has(id) {
		answer(http.StatusOK, ResultDuplicate, "already handled")
		return
	}
	events, result, err := rc.parse(r, body, rc.opts.OwnComment)
	if err != nil {
		answer(http.StatusBadRequest, ResultBadRequest, err.Error())
		return
	}
	// Only a delivery that was understood is remembered: one refused as
	// unreadable may come back fixed under the same id.
	if id != "" && !rc.seen.add(id) {
		answer(http.StatusOK, ResultDuplicate, "already handled")
		return
	}
	if len(events) == 0 {
		answer(http.StatusOK, result, result)
		return
	}
	for _, e := range events {
		e.Tracker, e.Delivery = rc.tracker, id
		rc.opts.Handle(e)
	}
	answer(http.StatusAccepted, ResultAccepted, "accepted")
}

// validSignature checks header, "sha256=<hex>", against the HMAC-SHA256 of
// body under secret, in constant time.
func validSignature(secret []byte, header string, body []byte) bool {
	if len(secret) == 0 {
		return false
	}
	hexSum, ok := strings.CutPrefix(strings.TrimSpace(header), "sha256=")
	if !ok {
		return false
	}
	got, err := hex.DecodeString(hexSum)
	if err != nil {
		return false
	}
	return hmac.Equal(got, Sign(secret, body))
}

// Sign is the HMAC-SHA256 of body under secret, as both trackers send it
// hex-encoded after "sha256=".
func Sign(secret, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return m.Sum(nil)
}

// SignatureHeader is the header value a tracker sends for body: "sha256=<hex>".
func SignatureHeader(secret, body []byte) string {
	return "sha256=" + hex.EncodeToString(Sign(secret, body))
}

// ring remembers the last n delivery ids: a set for lookup, a circular
// buffer for age, so memory stays bounded however many deliveries come.
type ring struct {
	mu   sync.Mutex
	ids  []string
	next int
	set  map[string]struct{}
}

func newRing(n int) *ring {
	return &ring{ids: make([]string, n), set: make(map[string]struct{}, n)}
}

func (r *ring) has(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.set[id]
	return ok
}

// add remembers id; false when it was already there (a redelivery racing
// the first delivery).
func (r *ring) add(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.set[id]; ok {
		return false
	}
	if old := r.ids[r.next]; old != "" {
		delete(r.set, old)
	}
	r.ids[r.next] = id
	r.set[id] = struct{}{}
	r.next = (r.next + 1) % len(r.ids)
	return true
}
