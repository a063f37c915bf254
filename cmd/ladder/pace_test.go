package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder/internal/sandbox"
)

// TestPublishDefersPastTheHourLimit: one process publishing twice in an
// hour (as `ladder serve` does) keeps within GitHub's hour limit across
// both runs: the first writes what the hour allows and says why the rest
// waits, the second writes nothing on GitHub, and an hour later the next
// run carries on. Jira, with no such limit, is written in full.
func TestPublishDefersPastTheHourLimit(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	const perHour = 5
	clock := &pacerClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	pace := newPacer(pacerConfig{MaxWrites: 1000, Now: clock.now, Sleep: clock.sleep,
		Limits: map[string]contentLimits{"github": {Vendor: "GitHub", PerMinute: 80, PerHour: perHour}}})
	publishMode := func(apply bool) publishResult {
		t.Helper()
		g, cfg := e.globals(t)
		e.stdout.Reset()
		res, err := runPublish(t.Context(), g, cfg, publishOptions{Apply: apply, Quiet: true, AsOf: asOf{asOfDate}, Pacer: pace})
		if err != nil {
			t.Fatalf("publish: %v\n%s", err, e.stderr)
		}
		return res
	}
	publish := func() publishResult { t.Helper(); return publishMode(true) }
	// Deferred GitHub issues; the summary comment (the last item) is
	// deferred too once the hour is used, unread, as max_writes defers it.
	ghDeferred := func(res publishResult) int {
		n := 0
		for _, it := range res.Items[:len(res.Items)-1] {
			if it.Ref.Tracker == "gh" && it.Action == actDeferred {
				n++
			}
		}
		return n
	}

	// A dry run plans what the real run will do: no more GitHub writes
	// than the hour allows, the rest deferred unread.
	dry := publishMode(false)
	planned := 0
	for _, it := range dry.Items {
		if it.Ref.Tracker == "gh" && (it.Action == actCreate || it.Action == actUpdate) {
			planned++
		}
	}
	if planned != perHour {
		t.Errorf("dry run planned %d GitHub writes, the hour allows %d", planned, perHour)
	}

	before := writes(e.gh.Harness)
	first := publish()
	if n := writes(e.gh.Harness) - before; n != perHour {
		t.Errorf("first publish wrote %d times on GitHub, the hour allows %d", n, perHour)
	}
	deferred := ghDeferred(first)
	if deferred == 0 {
		t.Fatalf("nothing deferred on GitHub: %v; the sample organisation is too small for the test", first.Counts)
	}
	if want := fmt.Sprintf("%d comments deferred to the next run: GitHub allows %d an hour", deferred, perHour); !strings.Contains(e.stdout.String(), want) {
		t.Errorf("output does not say %q:\n%s", want, e.stdout)
	}
	for _, it := range first.Items {
		if it.Ref.Tracker == "jira" && it.Action == actDeferred {
			t.Errorf("jira issue %s deferred: Jira has no hour limit", it.Ref)
		}
	}

	before = writes(e.gh.Harness)
	second := publish()
	if n := writes(e.gh.Harness) - before; n != 0 {
		t.Errorf("second publish in the same hour wrote %d times on GitHub", n)
	}
	if got := ghDeferred(second); got != deferred {
		t.Errorf("second publish deferred %d on GitHub, want the %d still waiting", got, deferred)
	}

	clock.t = clock.t.Add(time.Hour)
	before = writes(e.gh.Harness)
	third := publish()
	if n := writes(e.gh.Harness) - before; n != min(perHour, deferred) {
		t.Errorf("an hour later publish wrote %d times on GitHub, want %d", n, min(perHour, deferred))
	}
	if got := ghDeferred(third); got != max(deferred-perHour, 0) {
		t.Errorf("an hour later %d still deferred, want %d", got, max(deferred-perHour, 0))
	}
}

// TestPublishStopsAfterThreeFailuresInARow: a tracker whose comment requests
// fail (a token that lost its write scope) is asked three times, then left
// alone for the rest of the publish; the other tracker is written as usual.
func TestPublishStopsAfterThreeFailuresInARow(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	e.gh.AddFault(sandbox.Fault{Match: sandbox.PathHas("/comments"), Status: http.StatusUnauthorized,
		Body: `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}`})
	e.gh.ResetLog()
	g, cfg := e.globals(t)
	res, err := runPublish(t.Context(), g, cfg, publishOptions{Apply: true, Quiet: true, AsOf: asOf{asOfDate}})
	if err == nil {
		t.Fatal("publish reported no error")
	}
	tried, refused := 0, 0
	for _, it := range res.Items {
		switch {
		case it.Ref.Tracker == "gh" && it.Action != actFailed:
			t.Errorf("%s: %s, want failed", it.Ref, it.Action)
		case it.Ref.Tracker == "gh" && strings.Contains(it.Err.Error(), `not tried: 3 requests in a row failed on tracker "gh"`):
			refused++
		case it.Ref.Tracker == "gh":
			tried++
		case it.Action == actFailed:
			t.Errorf("jira %s failed: %v", it.Ref, it.Err)
		}
	}
	if tried != 3 || refused == 0 {
		t.Errorf("%d GitHub items tried, %d refused; want 3 tried and the rest refused", tried, refused)
	}
	if n := e.gh.Count(func(r sandbox.Request) bool { return strings.Contains(r.Path, "/comments") }); n != 3 {
		t.Errorf("%d comment requests reached GitHub, want 3", n)
	}
	if res.Counts[actCreate] == 0 {
		t.Errorf("nothing written on Jira: %v", res.Counts)
	}
}
