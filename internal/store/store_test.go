package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
)

func openStore(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func newStore(t *testing.T) *Store {
	t.Helper()
	return openStore(t, filepath.Join(t.TempDir(), "ladder.db"))
}

func ptr[T any](v T) *T { return &v }

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// fullIssue sets every field of ladder.Issue, with text that tends to break
// naive storage: unicode, quotes, NULs, markup, SQL.
func fullIssue() ladder.Issue {
	return ladder.Issue{
		Ref:     ladder.Ref{Tracker: "jira", Key: "PAY-12"},
		ID:      "10012",
		URL:     "https://acme.atlassian.net/browse/PAY-12",
		Project: "PAY",
		Type:    "Technical Debt",
		Title:   "Zahlungsformular: «Ümlaute» & emoji 🚀 — 'quotes' \"double\"",
		Body:    "Plain text.\nLine two\twith tab; DROP TABLE issues; --\x00after NUL",
		BodyRaw: "h1. Heading\n{code:go}fmt.Println(\"<b>\"){code}\n* [link|https://x.y/?a=1&b=2]\n<!-- ladder -->",
		Labels:  []string{"tech-debt", "goal:checkout", "日本語", "tech-debt"},
		Components: []string{
			"API", "Web, UI",
		},
		Status:         "In Review",
		StatusCategory: ladder.StatusInProgress,
		Assignee:       "Zoë O'Brien",
		Reporter:       "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077",
		Created:        at("2026-01-05T09:15:00.123456789Z"),
		Updated:        at("2026-02-01T00:00:00Z"),
		Resolved:       ptr(at("2026-02-03T17:00:00Z")),
		Due:            ptr(at("2026-03-31T00:00:00Z")),
		Estimate:       ptr(2.5),
		Parent:         "PAY-1",
		Milestone:      "Sprint 14",
		Links: []ladder.Link{
			{Kind: ladder.BlockedBy, To: ladder.Ref{Tracker: "jira", Key: "PLAT-88"}, Via: "Blocks"},
			{Kind: ladder.Relates, To: ladder.Ref{Tracker: "gh", Key: "acme/api#7"}, Via: "text"},
			{Kind: ladder.ParentOf, To: ladder.Ref{Tracker: "jira", Key: "PAY-1"}, Via: "parent"},
		},
		Comments: []ladder.Comment{
			{ID: "501", Author: "ann", Created: at("2026-01-06T10:00:00Z"), Updated: at("2026-01-07T10:00:00Z"),
				Body: "workaround for now", Raw: "_workaround_ for now"},
			{ID: "502", Author: "bob", Created: at("2026-01-08T10:00:00Z"), Body: "ok 👍", Raw: "ok :+1:"},
		},
	}
}

// dump reads the whole store through Each, for before/after comparisons.
func dump(t *testing.T, s *Store) []ladder.Issue {
	t.Helper()
	var all []ladder.Issue
	if err := s.Each(t.Context(), func(is *ladder.Issue) error {
		all = append(all, *is)
		return nil
	}); err != nil {
		t.Fatalf("Each: %v", err)
	}
	return all
}

func mustPut(t *testing.T, s *Store, issues ...ladder.Issue) ladder.PutStats {
	t.Helper()
	st, err := s.PutIssues(t.Context(), issues)
	if err != nil {
		t.Fatalf("PutIssues: %v", err)
	}
	return st
}

func mustIssue(t *testing.T, s *Store, ref ladder.Ref) ladder.Issue {
	t.Helper()
	is, err := s.Issue(t.Context(), ref)
	if err != nil {
		t.Fatalf("Issue(%s): %v", ref, err)
	}
	return is
}

func diff(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		w, _ := json.MarshalIndent(want, "", "  ")
		t.Errorf("%s:\ngot  %s\nwant %s", what, g, w)
	}
}

func TestOpen(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, path string)
		wantErr string
	}{
		{name: "creates file and missing directories", prepare: func(*testing.T, string) {}},
		{name: "reopens an existing store", prepare: func(t *testing.T, path string) {
			s, err := Open(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
		}},
		{name: "empty file becomes a store", prepare: func(t *testing.T, path string) {
			writeFile(t, path, "")
		}},
		{name: "refuses a text file", wantErr: "not an SQLite database", prepare: func(t *testing.T, path string) {
			writeFile(t, path, strings.Repeat("store: ladder.db\nthis is YAML, not SQLite\n", 200))
		}},
		{name: "refuses a corrupt database", wantErr: "not an SQLite database", prepare: func(t *testing.T, path string) {
			s, err := Open(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			copy(b, "garbage garbage garbage")
			writeFile(t, path, string(b))
		}},
		{name: "refuses a store from a newer version", wantErr: "schema version 99, newer", prepare: func(t *testing.T, path string) {
			s, err := Open(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.w.Exec(`INSERT INTO schema_version (version, applied_at) VALUES (99, '')`); err != nil {
				t.Fatal(err)
			}
			s.Close()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a dir", "odd?name#1%.db")
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			tt.prepare(t, path)
			os.Remove(path + "-wal")
			os.Remove(path + "-shm")
			s, err := Open(t.Context(), path)
			if tt.wantErr != "" {
				if err == nil {
					s.Close()
					t.Fatalf("Open: no error, want %q", tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), path) {
					t.Fatalf("Open: %v, want an error naming the file and saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("store file: %v", err)
			}
			for pragma, want := range map[string]string{"journal_mode": "wal", "foreign_keys": "1"} {
				var got string
				if err := s.w.QueryRow("PRAGMA " + pragma).Scan(&got); err != nil || got != want {
					t.Errorf("PRAGMA %s = %q (%v), want %q", pragma, got, err, want)
				}
			}
			var versions int
			if err := s.w.QueryRow(`SELECT count(*) FROM schema_version`).Scan(&versions); err != nil {
				t.Fatal(err)
			}
			ms, _ := LoadMigrations(migrations)
			if versions != len(ms) {
				t.Errorf("schema_version has %d rows, want one per migration (%d)", versions, len(ms))
			}
		})
	}
}

func TestOpenCreatesParentDirectories(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x", "y", "z", "ladder.db")
	openStore(t, path)
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// dataVersion reads PRAGMA data_version on a connection of its own: it
// changes when any other connection commits a change to the file.
type dataVersion struct{ conn *sql.Conn }

func watchVersion(t *testing.T, path string) dataVersion {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return dataVersion{conn}
}

func (d dataVersion) read(t *testing.T) int64 {
	t.Helper()
	var v int64
	if err := d.conn.QueryRowContext(t.Context(), "PRAGMA data_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRepeatedPutChangesNoRows(t *testing.T) {
	noID := fullIssue()
	noID.ID = ""
	noID.Key = "PAY-13"
	noID.Comments = append(noID.Comments, ladder.Comment{Author: "dee", Created: at("2026-01-09T00:00:00Z"), Body: "no id"})
	comments := []ladder.IssueComment{
		{Issue: fullIssue().Ref, Comment: ladder.Comment{ID: "777", Author: "eve", Body: "later"}},
		{Issue: ladder.Ref{Tracker: "gh", Key: "acme/payments#9"}, Comment: ladder.Comment{ID: "1", Body: "a pull request"}},
	}
	tests := []struct {
		name    string
		again   func(t *testing.T, s *Store) error
		changes bool
	}{
		{name: "same issues", again: func(t *testing.T, s *Store) error {
			_, err := s.PutIssues(t.Context(), []ladder.Issue{fullIssue(), noID})
			return err
		}},
		{name: "same comments", again: func(t *testing.T, s *Store) error {
			return s.PutComments(t.Context(), comments)
		}},
		{name: "same cursor", again: func(t *testing.T, s *Store) error {
			return s.SaveCursor(t.Context(), "jira", "PAY", "c1")
		}, changes: true}, // the cursor's updated_at moves: a control that writes do show
		{name: "changed comment", again: func(t *testing.T, s *Store) error {
			c := append([]ladder.IssueComment(nil), comments...)
			c[0].Body = "edited"
			return s.PutComments(t.Context(), c)
		}, changes: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ladder.db")
			s := openStore(t, path)
			mustPut(t, s, fullIssue(), noID)
			if err := s.PutComments(t.Context(), comments); err != nil {
				t.Fatal(err)
			}
			if err := s.SaveCursor(t.Context(), "jira", "PAY", "c1"); err != nil {
				t.Fatal(err)
			}
			before := dump(t, s)
			dv := watchVersion(t, path)
			v0 := dv.read(t)
			if err := tt.again(t, s); err != nil {
				t.Fatal(err)
			}
			if changed := dv.read(t) != v0; changed != tt.changes {
				t.Errorf("file changed = %v, want %v", changed, tt.changes)
			}
			if !tt.changes {
				diff(t, "store", dump(t, s), before)
			}
		})
	}
}

// TestQueryPlans guards the plans the store's speed rests on: lookups go
// through an index, and Each's three cursors stream without a sort.
func TestQueryPlans(t *testing.T) {
	s := newStore(t)
	mustPut(t, s, fullIssue())
	if _, err := s.w.ExecContext(t.Context(), "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, query, forbid string
	}{
		{"issue by id", sqlIssueByID, "SCAN"},
		{"issue by key", sqlIssueByKey, "SCAN"},
		{"one issue", sqlIssue, "SCAN"},
		{"one issue's links", sqlIssueLinks, "SCAN"},
		{"one issue's comments", sqlIssueComments, "SCAN"},
		{"each issue", sqlEachIssue, "TEMP B-TREE"},
		{"each link", sqlEachLink, "TEMP B-TREE"},
		{"each comment", sqlEachComment, "TEMP B-TREE"},
		{"each issue's text", sqlEachIssueText, "TEMP B-TREE"},
		{"each comment's text", sqlEachCommentText, "TEMP B-TREE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := make([]any, strings.Count(tt.query, "?"))
			for i := range args {
				args[i] = "x"
			}
			rows, err := s.r.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+tt.query, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			if p := strings.Join(plan, "; "); strings.Contains(p, tt.forbid) {
				t.Errorf("plan has %s: %s", tt.forbid, p)
			}
		})
	}
}

func TestOpenReadOnly(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, path string)
		wantErr string
		is      error
	}{
		{name: "reads an existing store", prepare: func(t *testing.T, path string) {
			s := openStore(t, path)
			mustPut(t, s, fullIssue())
		}},
		{name: "refuses a missing file and does not create it", wantErr: "file does not exist", is: fs.ErrNotExist,
			prepare: func(*testing.T, string) {}},
		{name: "refuses a directory", wantErr: "is a directory", prepare: func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "refuses an SQLite file that is not a store", wantErr: "not a Ladder store", prepare: func(t *testing.T, path string) {
			writeFile(t, path, "")
		}},
		{name: "refuses a text file", wantErr: "not an SQLite database", prepare: func(t *testing.T, path string) {
			writeFile(t, path, strings.Repeat("store: ladder.db\n", 400))
		}},
		{name: "refuses a store that needs migrating", wantErr: "has schema version 1 and this ladder needs 3: the upgrade writes to the store, and it is open read-only",
			prepare: func(t *testing.T, path string) {
				s := openStore(t, path)
				if _, err := s.w.Exec(`DELETE FROM schema_version WHERE version > 1`); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "refuses a store from a newer version", wantErr: "schema version 99, newer", prepare: func(t *testing.T, path string) {
			s := openStore(t, path)
			if _, err := s.w.Exec(`INSERT INTO schema_version (version, applied_at) VALUES (99, '')`); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ladder.db")
			t.Run("prepare", func(t *testing.T) { tt.prepare(t, path) }) // closes what it opened
			s, err := OpenReadOnly(t.Context(), path)
			if tt.wantErr != "" {
				if err == nil {
					s.Close()
					t.Fatalf("OpenReadOnly: no error, want %q", tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), path) {
					t.Errorf("OpenReadOnly: %v, want an error naming the file and saying %q", err, tt.wantErr)
				}
				if tt.is != nil && !errors.Is(err, tt.is) {
					t.Errorf("OpenReadOnly: %v is not %v", err, tt.is)
				}
				if tt.is == fs.ErrNotExist {
					if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
						t.Errorf("OpenReadOnly created %s (%v)", path, err)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("OpenReadOnly: %v", err)
			}
			defer s.Close()
			if !s.ReadOnly() {
				t.Error("ReadOnly() = false")
			}
			diff(t, "issue read back", mustIssue(t, s, fullIssue().Ref), fullIssue())
			if n, err := s.Count(t.Context()); err != nil || n != 1 {
				t.Errorf("Count = %d, %v", n, err)
			}
			for name, write := range map[string]func() error{
				"PutIssues":     func() error { _, err := s.PutIssues(t.Context(), []ladder.Issue{fullIssue()}); return err },
				"SaveCursor":    func() error { return s.SaveCursor(t.Context(), "jira", "all", "x") },
				"SavePublished": func() error { return s.SavePublished(t.Context(), Publication{Ref: fullIssue().Ref, Hash: "h"}) },
			} {
				if err := write(); !errors.Is(err, ErrReadOnly) {
					t.Errorf("%s on a read-only store: %v, want ErrReadOnly", name, err)
				}
			}
		})
	}
}
