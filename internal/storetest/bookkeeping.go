package storetest

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/store"
)

func testCursors(t *testing.T, f Factory) {
	o := f(t)
	s := open(t, o)
	steps := []struct {
		name                 string
		save                 [3]string // tracker, scope, cursor; empty tracker: no save
		tracker, scope, want string
	}{
		{name: "none saved", tracker: "gh", scope: "acme/payments", want: ""},
		{name: "saved", save: [3]string{"gh", "acme/payments", `{"since":"2026-03-01T00:00:00Z","etag":"W/\"abc\""}`},
			tracker: "gh", scope: "acme/payments", want: `{"since":"2026-03-01T00:00:00Z","etag":"W/\"abc\""}`},
		{name: "other scope unaffected", save: [3]string{"gh", "acme/platform", "p1"},
			tracker: "gh", scope: "acme/payments", want: `{"since":"2026-03-01T00:00:00Z","etag":"W/\"abc\""}`},
		{name: "other tracker unaffected", tracker: "jira", scope: "acme/payments", want: ""},
		{name: "overwritten", save: [3]string{"gh", "acme/payments", "c2"}, tracker: "gh", scope: "acme/payments", want: "c2"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.save[0] != "" {
				if err := s.SaveCursor(t.Context(), st.save[0], st.save[1], st.save[2]); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.Cursor(t.Context(), st.tracker, st.scope)
			if err != nil || got != st.want {
				t.Errorf("Cursor(%s, %s) = %q, %v; want %q", st.tracker, st.scope, got, err, st.want)
			}
		})
	}
	s.Close()
	s2 := open(t, o)
	if got, err := s2.Cursor(t.Context(), "gh", "acme/platform"); err != nil || got != "p1" {
		t.Errorf("after reopen Cursor = %q, %v; want p1", got, err)
	}
	all, err := s2.Cursors(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "Cursors", all, []store.Cursor{{Tracker: "gh", Scope: "acme/payments", Value: "c2"}, {Tracker: "gh", Scope: "acme/platform", Value: "p1"}})
}

func testPublications(t *testing.T, f Factory) {
	s := fresh(t, f)
	ref := ladder.Ref{Tracker: "jira", Key: "PAY-12"}
	p1 := store.Publication{Ref: ref, CommentID: "10100", Hash: "h1", At: at("2026-03-01T12:00:00Z")}
	p2 := store.Publication{Ref: ref, CommentID: "10100", Hash: "h2", At: at("2026-03-02T12:00:00.123456789Z")}
	summary := store.Publication{Ref: ladder.Ref{Tracker: "gh", Key: "acme/planning#1"}, CommentID: "body", Hash: "s", At: at("2026-03-02T00:00:00Z")}
	moved := ladder.Ref{Tracker: "jira", Key: "PLAT-5"}
	save := func(t *testing.T, p store.Publication) {
		t.Helper()
		if err := s.SavePublished(t.Context(), p); err != nil {
			t.Fatal(err)
		}
	}

	steps := []struct {
		name   string
		do     func(t *testing.T)
		ref    ladder.Ref
		want   store.Publication
		wantOK bool
	}{
		{name: "nothing published", ref: ref},
		{name: "saved", do: func(t *testing.T) { save(t, p1) }, ref: ref, want: p1, wantOK: true},
		{name: "replaced", do: func(t *testing.T) { save(t, p2) }, ref: ref, want: p2, wantOK: true},
		{name: "on an issue the store does not hold", do: func(t *testing.T) { save(t, summary) },
			ref: summary.Ref, want: summary, wantOK: true},
		{name: "follows its issue when it moves", do: func(t *testing.T) {
			mustPut(t, s, ladder.Issue{Ref: ref, ID: "1", Title: "a"})
			mustPut(t, s, ladder.Issue{Ref: moved, ID: "1", Title: "a"})
		}, ref: moved, want: store.Publication{Ref: moved, CommentID: "10100", Hash: "h2", At: p2.At}, wantOK: true},
		{name: "old key no longer has it", ref: ref},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.do != nil {
				st.do(t)
			}
			got, ok, err := s.Published(t.Context(), st.ref)
			if err != nil || ok != st.wantOK {
				t.Fatalf("Published(%s) ok = %v, %v; want %v", st.ref, ok, err, st.wantOK)
			}
			diff(t, "publication", got, st.want)
		})
	}
	if err := s.SavePublished(t.Context(), store.Publication{CommentID: "x"}); err == nil {
		t.Error("SavePublished without a ref: no error")
	}
	all, err := s.Publications(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "Publications", all, []store.Publication{summary, {Ref: moved, CommentID: "10100", Hash: "h2", At: p2.At}})
}

func testSweep(t *testing.T, f Factory) {
	o := f(t)
	s := open(t, o)
	all := sweepIssues()
	mustPut(t, s, all...)

	// A full sync of jira lists everything but A-2 (deleted) and A-4 (moved
	// to a project outside the JQL); it puts A-1 unchanged and A-3 changed.
	s.StartSweep("jira")
	a3 := all[6]
	a3.Title = "jira A-3 retitled"
	if st := mustPut(t, s, all[4], a3); st.Unchanged != 1 || st.Updated != 1 {
		t.Fatalf("put during sweep: %+v", st)
	}
	n, err := s.FinishSweep(t.Context(), "jira")
	if err != nil || n != 2 {
		t.Fatalf("FinishSweep = %d, %v; want 2 gone", n, err)
	}

	want := []string{"gh:A-1", "gh:A-2", "gh:A-3", "gh:A-4", "jira:A-1", "jira:A-3"}
	got := Dump(t, s)
	diff(t, "Each after the sweep", refsOf(got), want)
	for _, is := range got {
		if len(is.Comments) != 1 || !strings.HasPrefix(is.Comments[0].Body, is.Ref.Tracker+" "+is.Ref.Key+" ") {
			t.Errorf("%s carries comments %+v", is.Ref, is.Comments)
		}
		if len(is.Links) != 1 || is.Links[0].To.Tracker != is.Ref.Tracker {
			t.Errorf("%s carries links %+v", is.Ref, is.Links)
		}
	}
	if c, err := s.Count(t.Context()); err != nil || c != 6 {
		t.Errorf("Count = %d, %v; want 6", c, err)
	}
	today := time.Now().UTC().Format(time.DateOnly)
	_, err = s.Issue(t.Context(), ladder.Ref{Tracker: "jira", Key: "A-2"})
	if !errors.Is(err, store.ErrNotFound) || !errors.Is(err, store.ErrGone) || !strings.Contains(err.Error(), today) {
		t.Errorf("Issue(jira:A-2) error = %v; want not found, gone since %s", err, today)
	}
	// Title: what a comment names a dependency by; gone and unknown issues have none.
	for _, tt := range []struct {
		key, want string
		ok        bool
	}{{"A-3", "jira A-3 retitled", true}, {"A-2", "", false}, {"A-9", "", false}} {
		title, ok, err := s.Title(t.Context(), ladder.Ref{Tracker: "jira", Key: tt.key})
		if err != nil || ok != tt.ok || title != tt.want {
			t.Errorf("Title(jira:%s) = %q, %v, %v; want %q, %v", tt.key, title, ok, err, tt.want, tt.ok)
		}
	}

	outer := t
	t.Run("kept when reopened", func(t *testing.T) {
		// Reopened, the store still knows which are gone and still has
		// their comments (a gone issue that returns keeps its history).
		s.Close()
		s = open(outer, o)
		diff(t, "Each after reopening", refsOf(Dump(t, s)), want)
	})

	t.Run("an incremental sync brings one back, comments and all", func(t *testing.T) {
		// A-4 moved back into scope unchanged and without its comments: no
		// sweep is open, and it returns all the same, with what it had.
		back := all[7]
		back.Comments = nil
		if st := mustPut(t, s, back); st.Unchanged != 1 {
			t.Fatalf("put: %+v", st)
		}
		got := refsOf(Dump(t, s))
		if !slices.Contains(got, "jira:A-4") {
			t.Errorf("jira:A-4 did not come back: %v", got)
		}
		if is := mustIssue(t, s, all[7].Ref); len(is.Comments) != 1 {
			t.Errorf("jira:A-4 came back with comments %+v, want the one it had", is.Comments)
		}
	})

	t.Run("an abandoned sweep marks nothing", func(t *testing.T) {
		s.StartSweep("gh")
		mustPut(t, s, all[0])
		s.AbandonSweep("gh")
		if _, err := s.FinishSweep(t.Context(), "gh"); err == nil {
			t.Error("FinishSweep after AbandonSweep: want an error")
		}
		if got := refsOf(Dump(t, s)); len(got) != 7 {
			t.Errorf("after an abandoned sweep: %v", got)
		}
	})

	t.Run("a sweep judges only its tracker", func(t *testing.T) {
		s.StartSweep("gh")
		mustPut(t, s, all[0], all[1], all[2], all[3])
		n, err := s.FinishSweep(t.Context(), "gh")
		if err != nil || n != 0 {
			t.Errorf("FinishSweep(gh) = %d, %v; want 0", n, err)
		}
		if got := refsOf(Dump(t, s)); len(got) != 7 {
			t.Errorf("after a gh sweep: %v", got)
		}
	})
}

// testReopen: a store opened again (the migrations find their work done)
// holds what was written, and two handles on one store see each other's
// writes, as two processes do.
func testReopen(t *testing.T, f Factory) {
	o := f(t)
	s := open(t, o)
	full := FullIssue()
	mustPut(t, s, full)
	s.Close()
	for i := range 2 {
		s = open(t, o)
		diff(t, "after reopening", Dump(t, s), []ladder.Issue{full})
		if i == 0 {
			s.Close()
		}
	}
	other := open(t, o)
	b := ladder.Issue{Ref: ladder.Ref{Tracker: "gh", Key: "acme/x#1"}, ID: "1", Title: "from the other handle"}
	mustPut(t, other, b)
	if got := mustIssue(t, s, b.Ref); got.Title != b.Title {
		t.Errorf("first handle reads %q, want %q", got.Title, b.Title)
	}
}

func testLock(t *testing.T, f Factory) {
	me := store.Holder{Host: "build-1", PID: 4242}
	them := store.Holder{Host: "build-2", PID: 77}
	const ttl = 600 * time.Millisecond

	t.Run("a second holder is told who holds it", func(t *testing.T) {
		o := f(t)
		a, b := open(t, o), open(t, o)
		start := time.Now()
		unlock, err := a.Lock(t.Context(), me, ttl)
		if err != nil {
			t.Fatal(err)
		}
		// Held past several TTLs: the heartbeat keeps the lease.
		time.Sleep(2 * ttl)
		_, err = b.Lock(t.Context(), them, ttl)
		var held *store.HeldError
		if !errors.As(err, &held) || !errors.Is(err, store.ErrLocked) {
			t.Fatalf("second Lock = %v, want a *HeldError", err)
		}
		if h := held.Holder; h.Host != me.Host || h.PID != me.PID || h.Since.Before(start.Add(-time.Second)) || h.Since.After(time.Now()) {
			t.Errorf("holder = %+v, want %s pid %d since about %s", h, me.Host, me.PID, start)
		}
		if msg := err.Error(); !strings.Contains(msg, "host build-1, pid 4242, since ") {
			t.Errorf("message %q does not say who holds the store", msg)
		}
		if err := unlock(); err != nil {
			t.Fatal(err)
		}
		unlock2, err := b.Lock(t.Context(), them, ttl)
		if err != nil {
			t.Fatalf("Lock after unlock: %v", err)
		}
		if _, err := a.Lock(t.Context(), me, ttl); !errors.Is(err, store.ErrLocked) {
			t.Errorf("Lock while the other handle holds it = %v, want ErrLocked", err)
		}
		unlock2()
	})

	t.Run("a holder that stops without unlocking frees the store", func(t *testing.T) {
		o := f(t)
		a, b := o(t), open(t, o)
		if _, err := a.Lock(t.Context(), me, ttl); err != nil {
			t.Fatal(err)
		}
		// Closed without unlock, as a killed process: no more heartbeat,
		// no more connection.
		a.Close()
		deadline := time.Now().Add(5 * ttl)
		for {
			unlock, err := b.Lock(t.Context(), them, ttl)
			if err == nil {
				unlock()
				break
			}
			if !errors.Is(err, store.ErrLocked) || time.Now().After(deadline) {
				t.Fatalf("Lock after the holder stopped: %v", err)
			}
			time.Sleep(ttl / 10)
		}
	})
}
