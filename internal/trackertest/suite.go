// Package trackertest is the contract every tracker connector meets,
// written once: a connector's test implements Target over its fake in
// internal/sandbox and calls Run. The suite checks what Ladder relies on of
// any tracker — every issue delivered once, an interrupted sync that
// converges, edits caught (an edit of an issue already read during the sync
// too), resumption from saved progress, rate limits waited out, writes
// spaced, a rejected token that stops at once, server errors retried — over
// real HTTP, into one in-memory Sink with the store's semantics.
package trackertest

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
)

// Target is one tracker's connector under the suite.
type Target interface {
	// Issue is the tracker's n-th issue (from 1) as its fake holds it: its
	// key ("acme/api#3", "PAY-3") and whatever the tracker needs; the suite
	// sets the title, body, status and times.
	Issue(n int) ladder.Issue
	// Start serves issues from the tracker's fake, which stamps every change
	// with clock.Now.
	Start(t *testing.T, issues []ladder.Issue, clock *Clock) Fake
}

// Fake is a started fake tracker.
type Fake interface {
	// Client builds the connector for the fake, waiting with clock.Sleep
	// and reading clock.Now.
	Client(t *testing.T, o ClientOptions) Client
	// Harness is the fake's request log and fault injection.
	Harness() *sandbox.Harness
	// Listing reports whether a request lists issues (one per page).
	Listing(r *http.Request) bool
	// PageSize is how many issues one listing page holds.
	PageSize() int
	// Edit changes an issue upstream as a person would (its updated time
	// moves to the clock's now).
	Edit(key string, edit func(*ladder.Issue)) error
	// Comment adds a comment upstream by author.
	Comment(key, author, body string) error
	// Add opens an issue upstream.
	Add(is ladder.Issue) error
	// Settle stops the fake once the test is done with it, so that its
	// request log is complete.
	Settle()
}

// ClientOptions adjust the connector the suite builds.
type ClientOptions struct {
	// Token replaces the right credential when set.
	Token string
	// WriteSpacing is the least time between two writes; 0 the default.
	WriteSpacing time.Duration
}

// Client is what the suite asks of a connector.
type Client interface {
	Sync(ctx context.Context, sink ladder.Sink, full bool, progress func(scope string, issues int)) (ladder.SyncStats, error)
	// Comment writes one new comment on the issue.
	Comment(ctx context.Context, key, body string) error
}

// Epoch is where the suite's clock starts; issues are created before it.
var Epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Issues builds n issues of the target: created a minute apart before
// Epoch, every 5th done.
func Issues(target Target, n int) []ladder.Issue {
	out := make([]ladder.Issue, 0, n)
	start := Epoch.Add(-30 * 24 * time.Hour)
	for i := 1; i <= n; i++ {
		is := target.Issue(i)
		at := start.Add(time.Duration(i) * time.Minute)
		is.Title = fmt.Sprintf("Checkout step %d", i)
		is.BodyRaw = fmt.Sprintf("Make step %d of checkout faster.", i)
		is.Created, is.Updated = at, at
		is.StatusCategory = ladder.StatusTodo
		if i%5 == 0 {
			is.StatusCategory = ladder.StatusDone
		}
		out = append(out, is)
	}
	return out
}

type env struct {
	target Target
	clock  *Clock
	fake   Fake
	issues []ladder.Issue
}

func start(t *testing.T, target Target, n int) *env {
	t.Helper()
	e := &env{target: target, clock: NewClock(Epoch), issues: Issues(target, n)}
	e.fake = target.Start(t, e.issues, e.clock)
	return e
}

func (e *env) client(t *testing.T) Client {
	t.Helper()
	return e.fake.Client(t, ClientOptions{})
}

func (e *env) key(n int) string { return e.issues[n-1].Key }

// reference is what one uninterrupted full sync of the fake stores.
func (e *env) reference(t *testing.T) map[string]string {
	t.Helper()
	ref := NewSink()
	if _, err := e.client(t).Sync(t.Context(), ref, true, nil); err != nil {
		t.Fatalf("reference Sync: %v", err)
	}
	return ref.Snapshot()
}

func sameAsReference(t *testing.T, what string, got *Sink, want map[string]string) {
	t.Helper()
	snap := got.Snapshot()
	if maps.Equal(snap, want) {
		return
	}
	var differ []string
	for k, v := range want {
		if snap[k] != v {
			differ = append(differ, k)
		}
	}
	for k := range snap {
		if _, ok := want[k]; !ok {
			differ = append(differ, k+" (extra)")
		}
	}
	slices.Sort(differ)
	t.Errorf("%s: the sink differs from an uninterrupted sync's in %d entries (of %d), e.g. %v",
		what, len(differ), len(want), differ[:min(len(differ), 5)])
}

// Run runs the contract suite against the target.
func Run(t *testing.T, target Target) {
	t.Run("EveryIssueOnce", func(t *testing.T) { testEveryIssueOnce(t, target) })
	t.Run("InterruptedSyncConverges", func(t *testing.T) { testInterrupted(t, target) })
	t.Run("EditsCaught", func(t *testing.T) { testEditsCaught(t, target) })
	t.Run("EditOfAnIssueAlreadyRead", func(t *testing.T) { testEditAlreadyRead(t, target) })
	t.Run("ResumesFromSavedProgress", func(t *testing.T) { testResume(t, target) })
	t.Run("RateLimitsWaitedOut", func(t *testing.T) { testRateLimits(t, target) })
	t.Run("WritesSpaced", func(t *testing.T) { testWritesSpaced(t, target) })
	t.Run("RejectedTokenStops", func(t *testing.T) { testRejectedToken(t, target) })
	t.Run("ServerErrorsRetried", func(t *testing.T) { testServerErrors(t, target) })
}

func testEveryIssueOnce(t *testing.T, target Target) {
	probe := start(t, target, 0)
	page := probe.fake.PageSize()
	probe.fake.Settle()
	for _, n := range []int{0, 7, page, page + 1, 2*page + page/2} {
		t.Run(fmt.Sprintf("%d issues", n), func(t *testing.T) {
			e := start(t, target, n)
			sink := NewSink()
			progressed := 0
			stats, err := e.client(t).Sync(t.Context(), sink, false, func(_ string, issues int) { progressed = issues })
			if err != nil {
				t.Fatalf("Sync: %v", err)
			}
			if stats.Issues.New != n || stats.Issues.Updated != 0 || stats.Issues.Unchanged != 0 {
				t.Errorf("PutStats %+v, want %d new", stats.Issues, n)
			}
			if got := len(sink.Issues()); got != n {
				t.Errorf("sink holds %d issues, want %d", got, n)
			}
			for id, puts := range sink.Puts() {
				if puts != 1 {
					t.Errorf("issue %s put %d times, want once", id, puts)
				}
			}
			for i := 1; i <= n; i++ {
				if is, ok := sink.Find(e.key(i)); !ok || is.Title != e.issues[i-1].Title {
					t.Errorf("%s: stored %v with title %q", e.key(i), ok, is.Title)
				}
			}
			if n > 0 && progressed != n {
				t.Errorf("last progress %d, want %d", progressed, n)
			}
			if listings := e.fake.Harness().Count(func(r sandbox.Request) bool { return listingPath(e, r) }); listings < (n+page-1)/page {
				t.Errorf("%d listing requests for %d issues of %d a page", listings, n, page)
			}
			e.fake.Settle()
			if got := e.fake.Harness().Count(nil); stats.Requests != got {
				t.Errorf("Stats.Requests %d, the tracker saw %d", stats.Requests, got)
			}
		})
	}
}

// listingPath tells a logged request that lists issues, asking the fake
// with a request rebuilt from the log.
func listingPath(e *env, r sandbox.Request) bool {
	req, err := http.NewRequest(r.Method, "http://fake"+r.Path+"?"+r.Query, nil)
	return err == nil && e.fake.Listing(req)
}

func testInterrupted(t *testing.T, target Target) {
	tests := []struct {
		name string
		// afterFirst edits upstream between a first complete sync and the
		// interrupted one; nil makes the interrupted sync the first.
		afterFirst func(t *testing.T, e *env)
		// interrupt sets up the failure and returns the interrupted run's
		// context and progress callback.
		interrupt func(t *testing.T, e *env, sink *Sink) (context.Context, func(string, int))
	}{
		{
			name: "cancelled after two pages are stored",
			interrupt: func(t *testing.T, e *env, sink *Sink) (context.Context, func(string, int)) {
				ctx, cancel := context.WithCancel(t.Context())
				sink.AfterPut(func(calls int) {
					if calls == 2 {
						cancel()
					}
				})
				return ctx, nil
			},
		},
		{
			name: "the server fails after two pages",
			interrupt: func(t *testing.T, e *env, sink *Sink) (context.Context, func(string, int)) {
				e.fake.Harness().AddFault(sandbox.Fault{Match: e.fake.Listing, After: 2, Status: http.StatusInternalServerError})
				return t.Context(), nil
			},
		},
		{
			name: "an incremental sync cancelled after edits",
			afterFirst: func(t *testing.T, e *env) {
				e.clock.Advance(time.Hour)
				for _, n := range []int{3, 150, 255, 340} {
					if err := e.fake.Edit(e.key(n), func(is *ladder.Issue) { is.Title += " (edited)" }); err != nil {
						t.Fatal(err)
					}
					if err := e.fake.Comment(e.key(n), "dev", fmt.Sprintf("edited %d", n)); err != nil {
						t.Fatal(err)
					}
				}
			},
			interrupt: func(t *testing.T, e *env, sink *Sink) (context.Context, func(string, int)) {
				ctx, cancel := context.WithCancel(t.Context())
				return ctx, func(string, int) { cancel() }
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, target, 350)
			c := e.client(t)
			sink := NewSink()
			if tc.afterFirst != nil {
				if _, err := c.Sync(t.Context(), sink, false, nil); err != nil {
					t.Fatalf("first Sync: %v", err)
				}
				tc.afterFirst(t, e)
			}
			ctx, progress := tc.interrupt(t, e, sink)
			if _, err := c.Sync(ctx, sink, false, progress); err == nil {
				t.Fatal("the interrupted Sync reported no error")
			}
			if tc.afterFirst == nil {
				if n := len(sink.Issues()); n == 0 || n >= len(e.issues) {
					t.Fatalf("the interrupted sync stored %d of %d issues; the test wants a partial store", n, len(e.issues))
				}
			}
			sink.AfterPut(nil)
			e.fake.Harness().ClearFaults()
			if _, err := c.Sync(t.Context(), sink, false, nil); err != nil {
				t.Fatalf("Sync after the interruption: %v", err)
			}
			sameAsReference(t, "after an interruption and a re-run", sink, e.reference(t))
		})
	}
}

func testEditsCaught(t *testing.T, target Target) {
	tests := []struct {
		name    string
		edit    func(e *env) error
		check   func(t *testing.T, e *env, s *Sink)
		wantNew int
	}{
		{
			name: "title edited",
			edit: func(e *env) error { return e.fake.Edit(e.key(17), func(is *ladder.Issue) { is.Title = "Renamed" }) },
			check: func(t *testing.T, e *env, s *Sink) {
				if got := s.Issue(t, e.key(17)).Title; got != "Renamed" {
					t.Errorf("title %q", got)
				}
			},
		},
		{
			name: "issue done",
			edit: func(e *env) error {
				return e.fake.Edit(e.key(3), func(is *ladder.Issue) { is.StatusCategory = ladder.StatusDone })
			},
			check: func(t *testing.T, e *env, s *Sink) {
				if got := s.Issue(t, e.key(3)).StatusCategory; got != ladder.StatusDone {
					t.Errorf("status %s", got)
				}
			},
		},
		{
			name: "issue reopened",
			edit: func(e *env) error {
				return e.fake.Edit(e.key(5), func(is *ladder.Issue) { is.StatusCategory = ladder.StatusTodo })
			},
			check: func(t *testing.T, e *env, s *Sink) {
				if got := s.Issue(t, e.key(5)).StatusCategory; got != ladder.StatusTodo {
					t.Errorf("status %s", got)
				}
			},
		},
		{
			name: "comment added",
			edit: func(e *env) error { return e.fake.Comment(e.key(2), "carol", "This is a workaround for now") },
			check: func(t *testing.T, e *env, s *Sink) {
				cs := s.CommentsOf(e.key(2))
				if len(cs) != 1 || !strings.Contains(cs[0].Body, "This is a workaround for now") {
					t.Errorf("comments %+v", cs)
				}
			},
		},
		{
			name: "issue opened",
			edit: func(e *env) error {
				is := e.target.Issue(500)
				is.Title = "Brand new"
				return e.fake.Add(is)
			},
			check: func(t *testing.T, e *env, s *Sink) {
				if got := s.Issue(t, e.target.Issue(500).Key).Title; got != "Brand new" {
					t.Errorf("title %q", got)
				}
			},
			wantNew: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, target, 150)
			c := e.client(t)
			sink := NewSink()
			if _, err := c.Sync(t.Context(), sink, false, nil); err != nil {
				t.Fatalf("first Sync: %v", err)
			}
			e.clock.Advance(time.Hour)
			if err := tc.edit(e); err != nil {
				t.Fatal(err)
			}
			stats, err := c.Sync(t.Context(), sink, false, nil)
			if err != nil {
				t.Fatalf("second Sync: %v", err)
			}
			tc.check(t, e, sink)
			if stats.Issues.New+stats.Issues.Updated+stats.Comments == 0 {
				t.Errorf("the second sync saw no change: %+v", stats)
			}
			if stats.Issues.New != tc.wantNew {
				t.Errorf("the second sync found %d new issues, want %d", stats.Issues.New, tc.wantNew)
			}
			sameAsReference(t, "after an incremental sync", sink, e.reference(t))
		})
	}
}

// testEditAlreadyRead edits an issue whose page was already stored, then
// one on a page not read yet. The listing sees the second edit only, so the
// next run must not start after it (the cursor never passes the time the
// listing began), or the first edit is lost until the issue changes again.
func testEditAlreadyRead(t *testing.T, target Target) {
	e := start(t, target, 250)
	page := e.fake.PageSize()
	if len(e.issues) <= 2*page {
		t.Fatalf("%d issues of %d a page: the test wants three pages", len(e.issues), page)
	}
	c := e.client(t)
	sink := NewSink()
	first, last := e.key(1), e.key(len(e.issues))
	edited := false
	_, err := c.Sync(t.Context(), sink, false, func(_ string, n int) {
		if n == page && !edited { // page one is stored
			edited = true
			e.clock.Advance(time.Hour)
			if err := e.fake.Edit(first, func(is *ladder.Issue) { is.Title = "Edited after its page was read" }); err != nil {
				t.Error(err)
			}
			e.clock.Advance(time.Hour)
			if err := e.fake.Edit(last, func(is *ladder.Issue) { is.Title = "Edited before its page was read" }); err != nil {
				t.Error(err)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !edited {
		t.Fatal("the edits never happened: no progress after the first page")
	}
	if got := sink.Issue(t, last).Title; got != "Edited before its page was read" {
		t.Fatalf("%s = %q: the listing missed an edit made before its page", last, got)
	}
	e.clock.Advance(time.Hour)
	if _, err := c.Sync(t.Context(), sink, false, nil); err != nil {
		t.Fatal(err)
	}
	if got := sink.Issue(t, first).Title; got != "Edited after its page was read" {
		t.Errorf("%s = %q: the edit made after its page was read is lost", first, got)
	}
}

// testResume stops a first sync after three pages: the re-run carries on
// from the saved progress (it reads again at most the pages whose progress
// the interruption kept from being saved, the one it stopped on and the
// one before), not from the start,
// ends as an uninterrupted sync, and an edit made meanwhile to an issue the
// first run had stored, behind the resumed listing, comes with the next run.
func testResume(t *testing.T, target Target) {
	e := start(t, target, 350)
	page := e.fake.PageSize()
	c := e.client(t)
	sink := NewSink()
	ctx, cancel := context.WithCancel(t.Context())
	sink.AfterPut(func(calls int) {
		if calls == 3 {
			cancel()
		}
	})
	if _, err := c.Sync(ctx, sink, false, nil); err == nil {
		t.Fatal("the interrupted Sync reported no error")
	}
	sink.AfterPut(nil)
	stored := len(sink.Issues())
	if stored == 0 || stored >= len(e.issues) {
		t.Fatalf("the interrupted sync stored %d of %d issues", stored, len(e.issues))
	}
	stats, err := c.Sync(t.Context(), sink, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Issues.Unchanged > 2*page {
		t.Errorf("the re-run read again %d issues it had (of %d stored): it did not resume", stats.Issues.Unchanged, stored)
	}
	if stats.Issues.New != len(e.issues)-stored {
		t.Errorf("the re-run stored %d new issues, want the %d missing", stats.Issues.New, len(e.issues)-stored)
	}
	sameAsReference(t, "after resuming", sink, e.reference(t))

	// An edit behind where the resumed listing started.
	e.clock.Advance(time.Hour)
	if err := e.fake.Edit(e.key(1), func(is *ladder.Issue) { is.Title = "Edited while the sync was down" }); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Sync(t.Context(), sink, false, nil); err != nil {
		t.Fatal(err)
	}
	if got := sink.Issue(t, e.key(1)).Title; got != "Edited while the sync was down" {
		t.Errorf("%s = %q: an edit behind the resumed listing was lost", e.key(1), got)
	}
}

func testRateLimits(t *testing.T, target Target) {
	e := start(t, target, 150)
	e.fake.Harness().AddFault(sandbox.Fault{Match: e.fake.Listing, After: 1, Times: 2,
		Status: http.StatusTooManyRequests, Header: sandbox.RetryAfter(7 * time.Second)})
	sink := NewSink()
	stats, err := e.client(t).Sync(t.Context(), sink, false, nil)
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	if got, want := e.clock.Sleeps(), []time.Duration{7 * time.Second, 7 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("slept %v, want %v as Retry-After said", got, want)
	}
	if stats.Waited != 14*time.Second {
		t.Errorf("Stats.Waited %v, want 14s", stats.Waited)
	}
	if got := len(sink.Issues()); got != 150 {
		t.Errorf("sink holds %d issues, want 150", got)
	}
}

func testWritesSpaced(t *testing.T, target Target) {
	const spacing = 3 * time.Second
	e := start(t, target, 3)
	c := e.fake.Client(t, ClientOptions{WriteSpacing: spacing})
	var at []time.Time
	for i := range 3 {
		if err := c.Comment(t.Context(), e.key(i+1), fmt.Sprintf("note %d", i)); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
		at = append(at, e.clock.Now())
	}
	for i := 1; i < len(at); i++ {
		if gap := at[i].Sub(at[i-1]); gap < spacing {
			t.Errorf("write %d came %v after the one before, want at least %v", i, gap, spacing)
		}
	}
	var waited time.Duration
	for _, d := range e.clock.Sleeps() {
		waited += d
	}
	if waited < 2*spacing || waited > 2*spacing+time.Second {
		t.Errorf("waited %v in all (%v) for three writes %v apart", waited, e.clock.Sleeps(), spacing)
	}
}

func testRejectedToken(t *testing.T, target Target) {
	e := start(t, target, 5)
	const wrong = "wrong-token-0123456789"
	sink := NewSink()
	_, err := e.fake.Client(t, ClientOptions{Token: wrong}).Sync(t.Context(), sink, false, nil)
	if err == nil {
		t.Fatal("Sync with a rejected token succeeded")
	}
	if !strings.Contains(err.Error(), "token rejected") {
		t.Errorf("error %q does not say the token was rejected", err)
	}
	if strings.Contains(err.Error(), wrong) {
		t.Errorf("error leaks the token: %q", err)
	}
	if n := len(sink.Issues()); n != 0 || len(sink.Cursors()) != 0 {
		t.Errorf("a rejected sync stored %d issues and cursors %v", n, sink.Cursors())
	}
	if len(e.clock.Sleeps()) != 0 {
		t.Errorf("waited %v: a rejected token is not retried", e.clock.Sleeps())
	}
	e.fake.Settle()
	if n := e.fake.Harness().Count(func(r sandbox.Request) bool { return r.Status == http.StatusUnauthorized }); n != 1 {
		t.Errorf("%d requests answered 401: the first one should stop the sync", n)
	}
}

func testServerErrors(t *testing.T, target Target) {
	tests := []struct {
		name    string
		fault   sandbox.Fault
		wantErr bool
	}{
		{name: "502 twice then fine", fault: sandbox.Fault{Status: http.StatusBadGateway, Times: 2}},
		{name: "503 once", fault: sandbox.Fault{Status: http.StatusServiceUnavailable, Times: 1}},
		{name: "500 on every attempt is reported", fault: sandbox.Fault{Status: http.StatusInternalServerError}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, target, 40)
			tc.fault.Match = e.fake.Listing
			e.fake.Harness().AddFault(tc.fault)
			sink := NewSink()
			_, err := e.client(t).Sync(t.Context(), sink, false, nil)
			sleeps := e.clock.Sleeps()
			switch {
			case !tc.wantErr && err != nil:
				t.Fatalf("Sync: %v", err)
			case tc.wantErr && err == nil:
				t.Fatal("Sync succeeded against a server that always fails")
			case tc.wantErr && (len(sink.Issues()) != 0 || len(sink.Cursors()) != 0):
				t.Errorf("a failed sync stored %d issues, cursors %v", len(sink.Issues()), sink.Cursors())
			case !tc.wantErr && len(sink.Issues()) != 40:
				t.Errorf("sink holds %d issues, want 40", len(sink.Issues()))
			}
			if tc.fault.Times > 0 && len(sleeps) != tc.fault.Times {
				t.Errorf("%d backoff waits (%v) for %d failures", len(sleeps), sleeps, tc.fault.Times)
			}
			if tc.wantErr && len(sleeps) == 0 {
				t.Error("the failing request was not retried")
			}
			for i := 1; i < len(sleeps); i++ {
				if sleeps[i] <= sleeps[i-1] {
					t.Errorf("backoff did not grow: %v", sleeps)
					break
				}
			}
		})
	}
}
