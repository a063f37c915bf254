package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/store"
)

// TestExplainGoneIssueByBareKey: an issue a full sync found deleted is
// explained as gone by its bare key, as by tracker:KEY, and when two
// trackers both had the key the answer names them to choose from.
func TestExplainGoneIssueByBareKey(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	if err := e.jira.DeleteIssue("PAY-11"); err != nil {
		t.Fatal(err)
	}
	if err := e.gh.DeleteIssue("acme/web#48"); err != nil {
		t.Fatal(err)
	}
	e.mustRun(t, "sync", "--full")

	tests := []struct {
		name, ref string
		code      int
		want      string
	}{
		{"jira with its tracker", "jira:PAY-11", exitFailure, "explain jira:PAY-11: store: issue jira:PAY-11: not found: deleted upstream"},
		{"jira by its bare key", "PAY-11", exitFailure, "explain jira:PAY-11: store: issue jira:PAY-11: not found: deleted upstream"},
		{"github by its bare key", "acme/web#48", exitFailure, "explain gh:acme/web#48: store: issue gh:acme/web#48: not found: deleted upstream"},
		{"github by its address", "https://github.com/acme/web/issues/48", exitFailure, "explain gh:acme/web#48: store: issue gh:acme/web#48: not found: deleted upstream"},
		{"never there", "PAY-9999", exitFailure, "explain PAY-9999: no such issue in the store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code := e.run(t, "explain", tt.ref); code != tt.code || !strings.Contains(e.stderr.String(), tt.want) {
				t.Errorf("explain %s: exit %d (want %d)\n%s\nwant %q", tt.ref, code, tt.code, e.stderr, tt.want)
			}
		})
	}

	// A second tracker (not in the config: its issues were imported) that
	// had PAY-11 too, gone from it as well; its other issue stays.
	file := importFile(t, e, `{"key":"PAY-11","title":"The same key elsewhere"}`)
	e.mustRun(t, "import", "--tracker", "legacy", file)
	st, err := store.Open(t.Context(), filepath.Join(e.dir, "ladder.db"))
	if err != nil {
		t.Fatal(err)
	}
	st.StartSweep("legacy")
	if _, err := st.PutIssues(t.Context(), []ladder.Issue{{Ref: ladder.Ref{Tracker: "legacy", Key: "LEG-1"}, Title: "Still there"}}); err != nil {
		t.Fatal(err)
	}
	if n, err := st.FinishSweep(t.Context(), "legacy"); err != nil || n != 1 {
		t.Fatalf("sweep of legacy: %d gone, %v", n, err)
	}
	st.Close()
	want := "explain PAY-11: several trackers had it, all of them gone upstream since; say which: jira:PAY-11, legacy:PAY-11"
	if code := e.run(t, "explain", "PAY-11"); code != exitUsage || !strings.Contains(e.stderr.String(), want) {
		t.Errorf("explain PAY-11 with two gone: exit %d (want %d)\n%s\nwant %q", code, exitUsage, e.stderr, want)
	}
}

// TestExplainBadReferences: a reference that cannot name an issue is bad
// usage, said before the store is read; a Jira key in the wrong case is
// answered with the key that is stored.
func TestExplainBadReferences(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	tests := []struct {
		name, ref string
		code      int
		want      string
	}{
		{"no key", "jira:", exitUsage, `issue reference "jira:": want tracker:KEY`},
		{"no tracker", ":PAY-11", exitUsage, `issue reference ":PAY-11": want tracker:KEY`},
		{"lower case", "pay-11", exitFailure, "explain pay-11: no such issue in the store; did you mean PAY-11?"},
		{"lower case with its tracker", "jira:pay-11", exitFailure, "explain jira:pay-11: no such issue in the store; did you mean jira:PAY-11?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code := e.run(t, "explain", tt.ref); code != tt.code || !strings.Contains(e.stderr.String(), tt.want) {
				t.Errorf("explain %s: exit %d (want %d)\n%s\nwant %q", tt.ref, code, tt.code, e.stderr, tt.want)
			}
		})
	}
}
