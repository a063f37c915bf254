package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/ladderhq/ladder/internal/sandbox"
)

// analyzedRefs runs analyze --format jsonl and returns the refs it printed.
func analyzedRefs(t *testing.T, e *env) map[string]bool {
	t.Helper()
	out := e.mustRun(t, "analyze", "--format", "jsonl", "--as-of", asOfDate)
	refs := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var v struct{ Tracker, Key string }
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("analyze line %q: %v", sc.Text(), err)
		}
		refs[v.Tracker+":"+v.Key] = true
	}
	return refs
}

func TestFullSyncNoticesDeletedIssues(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	const ghGone, jiraGone = "gh:acme/web#48", "jira:PAY-11"
	before := analyzedRefs(t, e)
	if !before[ghGone] || !before[jiraGone] {
		t.Fatalf("sandbox lacks %s or %s", ghGone, jiraGone)
	}
	if err := e.gh.DeleteIssue("acme/web#48"); err != nil {
		t.Fatal(err)
	}
	if err := e.jira.DeleteIssue("PAY-11"); err != nil {
		t.Fatal(err)
	}

	// Incremental syncs only hear of changes: nothing can tell them.
	e.mustRun(t, "sync")
	if got := analyzedRefs(t, e); !got[ghGone] || !got[jiraGone] {
		t.Fatalf("an incremental sync dropped a deleted issue; only --full may")
	}

	// A full sync whose Jira listing fails judges Jira's issues not at all.
	e.jira.Harness().AddFault(sandbox.Fault{
		Match:  func(r *http.Request) bool { return strings.Contains(r.URL.Path, "/search") },
		After:  1,
		Status: http.StatusBadRequest,
	})
	if code := e.run(t, "sync", "--full"); code != exitPartial {
		t.Fatalf("full sync with a failing Jira: exit %d, want %d\n%s%s", code, exitPartial, e.stdout, e.stderr)
	}
	if !strings.Contains(e.stdout.String(), "1 no longer upstream") {
		t.Errorf("the gh line does not count the deleted issue:\n%s", e.stdout)
	}
	got := analyzedRefs(t, e)
	if got[ghGone] {
		t.Errorf("%s still analysed after a complete full sync of gh", ghGone)
	}
	if !got[jiraGone] {
		t.Errorf("%s dropped by a full sync of jira that failed halfway", jiraGone)
	}
	if len(got) != len(before)-1 {
		t.Errorf("after the gh sweep %d issues are analysed, want %d", len(got), len(before)-1)
	}

	e.jira.Harness().ClearFaults()
	out := e.mustRun(t, "sync", "--full")
	if !strings.Contains(out, "jira: ") || !strings.Contains(out, "1 no longer upstream") {
		t.Errorf("the jira line does not count the deleted issue:\n%s", out)
	}
	if strings.Count(out, "no longer upstream") != 1 {
		t.Errorf("gh's deleted issue was counted again:\n%s", out)
	}
	got = analyzedRefs(t, e)
	if got[jiraGone] || got[ghGone] || len(got) != len(before)-2 {
		t.Errorf("after both sweeps: %d analysed (want %d), %s %v, %s %v", len(got), len(before)-2, ghGone, got[ghGone], jiraGone, got[jiraGone])
	}
	if code := e.run(t, "explain", jiraGone); code != exitFailure || !strings.Contains(e.stderr.String(), "deleted upstream or moved out of every synced scope") {
		t.Errorf("explain %s: exit %d, %s", jiraGone, code, e.stderr)
	}

	// Recreated upstream (a restore), it comes back with the next sync.
	issue := e.org.Jira[0]
	for _, is := range e.org.Jira {
		if is.Key == "PAY-11" {
			issue = is
		}
	}
	e.jira.AddIssue(issue)
	e.mustRun(t, "sync", "--full")
	if got := analyzedRefs(t, e); !got[jiraGone] {
		t.Errorf("%s did not come back after it reappeared upstream", jiraGone)
	}
}
