package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ladderhq/ladder/internal/sandbox"
)

// TestJSONLogRecordsHaveUniqueKeys: a collector reading --log-format json
// keeps one value per key (most keep the last, some reject the record), so
// no record may carry a key twice. The runs go through the paths that log
// per tracker: a Jira listing that fails halfway and resumes, a rate limit,
// a sync, a publish, at debug level.
func TestJSONLogRecordsHaveUniqueKeys(t *testing.T) {
	e := newEnv(t)
	var records []string
	run := func(want int, args ...string) {
		t.Helper()
		code := e.run(t, append([]string{"--log-format", "json", "--log-level", "debug"}, args...)...)
		if code != want {
			t.Fatalf("ladder %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, e.stderr)
		}
		for _, line := range strings.Split(strings.TrimSpace(e.stderr.String()), "\n") {
			if line != "" {
				records = append(records, line)
			}
		}
	}
	search := func(r *http.Request) bool { return strings.Contains(r.URL.Path, "/search") }
	e.jira.Harness().AddFault(sandbox.Fault{Match: search, After: 1, Status: http.StatusBadRequest})
	run(exitPartial, "sync")
	e.jira.Harness().ClearFaults()
	e.jira.Harness().AddFault(sandbox.Fault{Match: search, Times: 1, Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"0"}}})
	run(exitOK, "sync")
	run(exitOK, "publish", "--as-of", asOfDate, "--apply")

	var sawTracker, sawResume bool
	for _, rec := range records {
		dups, err := duplicateKeys([]byte(rec))
		if err != nil {
			t.Fatalf("stderr line is not JSON: %q", rec)
		}
		if len(dups) > 0 {
			t.Errorf("record repeats %s: %s", strings.Join(dups, ", "), rec)
		}
		sawTracker = sawTracker || strings.Contains(rec, `"tracker":"jira"`)
		sawResume = sawResume || strings.Contains(rec, "resuming an interrupted listing")
	}
	if !sawTracker || !sawResume {
		t.Errorf("the runs did not log per Jira tracker (%v) or resume its listing (%v):\n%s", sawTracker, sawResume, strings.Join(records, "\n"))
	}
}
