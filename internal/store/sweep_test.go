package store

import (
	"database/sql"
	"path/filepath"
	"testing"
)

// TestUpgradeKeepsIssues opens a file written before sweeps existed (schema
// version 1, with an issue in it) and finds the issue analysable.
func TestUpgradeKeepsIssues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	v1, err := migrations.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		string(v1),
		`CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`,
		`INSERT INTO schema_version VALUES (1, '2026-01-01T00:00:00Z')`,
		`INSERT INTO issues (tracker, id, key, title, hash) VALUES ('jira', '1', 'PAY-1', 'old issue', x'00')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	s := openStore(t, path)
	got := dump(t, s)
	if len(got) != 1 || got[0].Title != "old issue" {
		t.Fatalf("after the upgrade Each gives %+v", got)
	}
	s.StartSweep("jira")
	if n, err := s.FinishSweep(t.Context(), "jira"); err != nil || n != 1 {
		t.Errorf("a sweep that saw nothing: %d gone, %v; want the old issue gone", n, err)
	}
}
