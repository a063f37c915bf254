package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
)

// scriptedWriter answers each call with the next error of its script (nil
// past the end) and counts the calls that reached it.
type scriptedWriter struct {
	script []error
	calls  int
}

func (w *scriptedWriter) next() error {
	w.calls++
	if w.calls <= len(w.script) {
		return w.script[w.calls-1]
	}
	return nil
}

func (w *scriptedWriter) find(context.Context, string, string) (ladder.Comment, bool, error) {
	return ladder.Comment{}, false, w.next()
}

func (w *scriptedWriter) create(context.Context, string, string, string) (ladder.Comment, error) {
	return ladder.Comment{ID: "1"}, w.next()
}

func (w *scriptedWriter) edit(context.Context, string, string, string) error { return w.next() }

func (*scriptedWriter) markup() string { return "markdown" }

func TestStreakWriter(t *testing.T) {
	fail := errors.New("503 Service Unavailable")
	tests := []struct {
		name      string
		script    []error
		calls     int
		wantSent  int  // calls that reached the tracker
		wantGiven bool // the last call was refused
	}{
		{"three failures in a row stop it", []error{fail, fail, fail}, 5, 3, true},
		{"a success resets the count", []error{fail, fail, nil, fail, fail}, 5, 5, false},
		{"two failures are not enough", []error{fail, fail}, 3, 3, false},
		{"a deferred write is no failure", []error{fail, fail, errDeferred{"GitHub allows 500 an hour"}, errDeferred{"x"}, fail}, 5, 5, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inner := &scriptedWriter{script: tc.script}
			w := newStreakWriter("gh", inner)
			var last error
			for i := range tc.calls {
				switch i % 3 { // every kind of call counts alike
				case 0:
					_, _, last = w.find(t.Context(), "o/r#1", "m")
				case 1:
					_, last = w.create(t.Context(), "o/r#1", "m", "b")
				default:
					last = w.edit(t.Context(), "o/r#1", "1", "b")
				}
			}
			if inner.calls != tc.wantSent {
				t.Errorf("%d calls reached the tracker, want %d", inner.calls, tc.wantSent)
			}
			var given errGivenUp
			if got := errors.As(last, &given); got != tc.wantGiven {
				t.Fatalf("last call: %v; want refused %v", last, tc.wantGiven)
			}
			if tc.wantGiven && !strings.Contains(last.Error(), `3 requests in a row failed on tracker "gh"`) {
				t.Errorf("refusal does not say why: %v", last)
			}
		})
	}
}

// pacerClock is a clock whose sleeps advance it.
type pacerClock struct {
	t      time.Time
	sleeps []time.Duration
}

func (c *pacerClock) now() time.Time { return c.t }

func (c *pacerClock) sleep(_ context.Context, d time.Duration) error {
	c.sleeps = append(c.sleeps, d)
	c.t = c.t.Add(d)
	return nil
}

func newTestPacer(c *pacerClock, maxWrites int, window time.Duration) *pacer {
	return newPacer(pacerConfig{MaxWrites: maxWrites, Window: window, Now: c.now, Sleep: c.sleep})
}

// writeN creates n comments through w and returns how many went through
// and the first deferral.
func writeN(t *testing.T, w commenter, n int) (int, error) {
	t.Helper()
	for i := range n {
		if _, err := w.create(t.Context(), fmt.Sprintf("o/r#%d", i), "m", "b"); err != nil {
			var d errDeferred
			if !errors.As(err, &d) {
				t.Fatalf("write %d: %v", i, err)
			}
			return i, err
		}
	}
	return n, nil
}

func TestPacerWaitsWhenTheMinuteIsUsed(t *testing.T) {
	c := &pacerClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	p := newTestPacer(c, 1000, 0)
	inner := &scriptedWriter{}
	w := p.wrap("gh", "github", inner)
	if n, err := writeN(t, w, 80); n != 80 || err != nil {
		t.Fatalf("%d of the first 80 writes went through: %v", n, err)
	}
	if len(c.sleeps) != 0 {
		t.Fatalf("waited %v within GitHub's 80 a minute", c.sleeps)
	}
	start := c.t
	if n, _ := writeN(t, w, 1); n != 1 {
		t.Fatal("the 81st write was not let through after waiting")
	}
	if got := c.t.Sub(start); got != time.Minute {
		t.Errorf("the 81st write waited %v, want a minute (until the first write of the minute is a minute old)", got)
	}
	// Look-ups are not content-creating: never paced.
	for range 200 {
		if _, _, err := w.find(t.Context(), "o/r#1", "m"); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.sleeps) != 1 {
		t.Errorf("look-ups waited: %v", c.sleeps)
	}
}

func TestPacerDefersPastTheHourAcrossPublishes(t *testing.T) {
	c := &pacerClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	p := newTestPacer(c, 10000, 0)
	// Two publishes of one process, each through its own wrapper.
	first := p.wrap("gh", "github", &scriptedWriter{})
	if n, err := writeN(t, first, 300); n != 300 || err != nil {
		t.Fatalf("first publish: %d written: %v", n, err)
	}
	if left, why, ok := p.trackerLeft("gh", "github"); !ok || left != 200 || why != "GitHub allows 500 an hour" {
		t.Errorf("after 300 writes: left %d (%q, limited %v), want 200", left, why, ok)
	}
	second := p.wrap("gh", "github", &scriptedWriter{})
	n, err := writeN(t, second, 300)
	if n != 200 || err == nil || !strings.Contains(err.Error(), "GitHub allows 500 an hour") {
		t.Fatalf("second publish: %d written, then %v; want 200 then a deferral naming GitHub's hour limit", n, err)
	}
	// Another tracker has its own limits; Jira has no content count.
	if n, err := writeN(t, p.wrap("jira", "jira", &scriptedWriter{}), 600); n != 600 || err != nil {
		t.Errorf("jira: %d written: %v", n, err)
	}
	if _, _, ok := p.trackerLeft("jira", "jira"); ok {
		t.Error("jira is given an hour limit")
	}
	// An hour after the first writes, the hour frees up again.
	c.t = c.t.Add(time.Hour)
	if n, err := writeN(t, second, 100); n != 100 || err != nil {
		t.Errorf("an hour later: %d written: %v", n, err)
	}
}

func TestPacerHoldsMaxWritesForTheProcess(t *testing.T) {
	tests := []struct {
		name   string
		window time.Duration
		later  time.Duration // time between the two publishes
		second int           // writes the second publish gets through
	}{
		{"one window for the whole process", 0, 48 * time.Hour, 0},
		{"same window", 24 * time.Hour, time.Hour, 0},
		{"next window", 24 * time.Hour, 25 * time.Hour, 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &pacerClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
			p := newTestPacer(c, 20, tc.window)
			// Across trackers: 15 on GitHub, 5 on Jira.
			if n, _ := writeN(t, p.wrap("gh", "github", &scriptedWriter{}), 15); n != 15 {
				t.Fatalf("%d written", n)
			}
			n, err := writeN(t, p.wrap("jira", "jira", &scriptedWriter{}), 10)
			if n != 5 || err == nil || !strings.Contains(err.Error(), "writeback.max_writes is 20") {
				t.Fatalf("jira: %d written, then %v; want 5 then a deferral naming max_writes", n, err)
			}
			if got := p.windowLeft(); got != 0 {
				t.Errorf("windowLeft %d after 20 writes", got)
			}
			c.t = c.t.Add(tc.later)
			if n, _ := writeN(t, p.wrap("gh", "github", &scriptedWriter{}), 20); n != tc.second {
				t.Errorf("second publish: %d written, want %d", n, tc.second)
			}
		})
	}
}

// TestApplyDefersWhatThePacerHoldsBack: a write the pacer refuses at the
// last moment (another publish of the process took the allowance since this
// one planned) is deferred to the next run, not failed, and sends nothing.
func TestApplyDefersWhatThePacerHoldsBack(t *testing.T) {
	c := &pacerClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	pace := newTestPacer(c, 1, 0)
	inner := &scriptedWriter{}
	writers := map[string]commenter{"gh": newStreakWriter("gh", pace.wrap("gh", "github", inner))}
	// The other publish.
	if n, _ := writeN(t, pace.wrap("gh", "github", &scriptedWriter{}), 1); n != 1 {
		t.Fatal("the other publish could not write")
	}
	it := planItem{Ref: ladder.Ref{Tracker: "gh", Key: "o/r#1"}, Action: actCreate, Body: "text"}
	apply(t.Context(), &globals{Logger: slog.New(slog.DiscardHandler)}, nil, writers, &it, false)
	if it.Action != actDeferred || it.Err != nil || it.Body != "" || it.Why != "writeback.max_writes is 1" {
		t.Errorf("item %+v; want deferred because of max_writes, without error or body", it)
	}
	if inner.calls != 0 {
		t.Errorf("%d requests sent", inner.calls)
	}
}
