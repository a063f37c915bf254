package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
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
			ms, _ := loadMigrations()
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

func TestRoundTrip(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	tests := []struct {
		name string
		in   ladder.Issue
		want ladder.Issue // zero: same as in
	}{
		{name: "every field set", in: fullIssue()},
		{name: "only required fields", in: ladder.Issue{Ref: ladder.Ref{Tracker: "gh", Key: "acme/payments#45"}}},
		{name: "nil estimate resolved and due stay nil", in: func() ladder.Issue {
			is := fullIssue()
			is.Estimate, is.Resolved, is.Due = nil, nil, nil
			return is
		}()},
		{name: "zero estimate stays zero, not nil", in: func() ladder.Issue {
			is := fullIssue()
			is.Estimate = ptr(0.0)
			return is
		}()},
		{name: "times in another zone come back as the same instant in UTC",
			in: func() ladder.Issue {
				is := fullIssue()
				is.Created = is.Created.In(berlin)
				is.Resolved = ptr(is.Resolved.In(berlin))
				is.Comments[0].Created = is.Comments[0].Created.In(berlin)
				return is
			}(),
			want: fullIssue(),
		},
		{name: "empty lists read back as nil", in: func() ladder.Issue {
			is := fullIssue()
			is.Labels, is.Components, is.Links, is.Comments = []string{}, []string{}, []ladder.Link{}, []ladder.Comment{}
			return is
		}(), want: func() ladder.Issue {
			is := fullIssue()
			is.Labels, is.Components, is.Links, is.Comments = nil, nil, nil, nil
			return is
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			want := tt.want
			if want.Key == "" {
				want = tt.in
			}
			if st := mustPut(t, s, tt.in); st != (ladder.PutStats{New: 1}) {
				t.Errorf("PutIssues stats = %+v, want 1 new", st)
			}
			diff(t, "Issue", mustIssue(t, s, tt.in.Ref), want)
			all := dump(t, s)
			if len(all) != 1 {
				t.Fatalf("Each gave %d issues, want 1", len(all))
			}
			diff(t, "Each", all[0], want)
		})
	}
}

func TestPutStats(t *testing.T) {
	a := fullIssue()
	b := ladder.Issue{Ref: ladder.Ref{Tracker: "gh", Key: "acme/payments#45"}, ID: "900", Title: "Checkout"}
	retitled := a
	retitled.Title = "New title"
	relinked := a
	relinked.Links = a.Links[:1]
	commented := a
	commented.Comments = append(append([]ladder.Comment(nil), a.Comments...), ladder.Comment{ID: "503", Author: "cy", Body: "new"})
	reestimated := a
	reestimated.Estimate = nil
	later := a
	later.Updated = a.Updated.Add(time.Nanosecond)

	tests := []struct {
		name  string
		batch []ladder.Issue
		want  ladder.PutStats
	}{
		{name: "first put is new", batch: []ladder.Issue{a, b}, want: ladder.PutStats{New: 2}},
		{name: "same data again is unchanged", batch: []ladder.Issue{a, b}, want: ladder.PutStats{Unchanged: 2}},
		{name: "title change", batch: []ladder.Issue{retitled, b}, want: ladder.PutStats{Updated: 1, Unchanged: 1}},
		{name: "back again", batch: []ladder.Issue{a}, want: ladder.PutStats{Updated: 1}},
		{name: "links change", batch: []ladder.Issue{relinked}, want: ladder.PutStats{Updated: 1}},
		{name: "estimate removed", batch: []ladder.Issue{reestimated}, want: ladder.PutStats{Updated: 1}},
		{name: "a nanosecond later", batch: []ladder.Issue{later}, want: ladder.PutStats{Updated: 1}},
		{name: "a new comment alone does not change the issue", batch: []ladder.Issue{func() ladder.Issue {
			c := commented
			c.Updated = later.Updated
			return c
		}()}, want: ladder.PutStats{Unchanged: 1}},
		{name: "one issue twice in a batch", batch: []ladder.Issue{a, a}, want: ladder.PutStats{Updated: 1, Unchanged: 1}},
	}
	s := newStore(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustPut(t, s, tt.batch...); got != tt.want {
				t.Errorf("stats = %+v, want %+v", got, tt.want)
			}
		})
	}
	if n, err := s.Count(t.Context()); err != nil || n != 2 {
		t.Errorf("Count = %d, %v; want 2", n, err)
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

func TestIdentity(t *testing.T) {
	ref := func(key string) ladder.Ref { return ladder.Ref{Tracker: "jira", Key: key} }
	issue := func(id, key, title string, comments ...string) ladder.Issue {
		is := ladder.Issue{Ref: ref(key), ID: id, Title: title}
		for _, c := range comments {
			is.Comments = append(is.Comments, ladder.Comment{ID: c, Author: "ann", Body: c})
		}
		return is
	}
	tests := []struct {
		name      string
		puts      [][]ladder.Issue
		want      []ladder.Issue // the whole store, in Each order
		wantStats ladder.PutStats
		absent    []string
	}{
		{
			name: "moved issue keeps its row and comments under the new key",
			puts: [][]ladder.Issue{
				{issue("1", "PAY-12", "t", "c1")},
				{issue("1", "PLAT-5", "t", "c2")},
			},
			want:      []ladder.Issue{issue("1", "PLAT-5", "t", "c1", "c2")},
			wantStats: ladder.PutStats{Updated: 1},
			absent:    []string{"PAY-12"},
		},
		{
			name: "issues without id are keyed by key",
			puts: [][]ladder.Issue{
				{issue("", "PAY-1", "a")},
				{issue("", "PAY-1", "b")},
			},
			want:      []ladder.Issue{issue("", "PAY-1", "b")},
			wantStats: ladder.PutStats{Updated: 1},
		},
		{
			name: "an import without id keeps the synced identity",
			puts: [][]ladder.Issue{
				{issue("1", "PAY-1", "a")},
				{issue("", "PAY-1", "a")},
			},
			want:      []ladder.Issue{issue("1", "PAY-1", "a")},
			wantStats: ladder.PutStats{Unchanged: 1},
		},
		{
			name: "a synced issue adopts the row an import made",
			puts: [][]ladder.Issue{
				{issue("", "PAY-1", "a", "c1")},
				{issue("1", "PAY-1", "a")},
			},
			want:      []ladder.Issue{issue("1", "PAY-1", "a", "c1")},
			wantStats: ladder.PutStats{Updated: 1},
		},
		{
			name: "two issues swap keys in one batch",
			puts: [][]ladder.Issue{
				{issue("1", "PAY-1", "one"), issue("2", "PAY-2", "two")},
				{issue("1", "PAY-2", "one"), issue("2", "PAY-1", "two")},
			},
			// The first move frees PAY-2 by dropping the stale row of issue 2,
			// which the same batch then brings back under PAY-1.
			want:      []ladder.Issue{issue("2", "PAY-1", "two"), issue("1", "PAY-2", "one")},
			wantStats: ladder.PutStats{Updated: 1, New: 1},
		},
		{
			name: "a key taken over by another id replaces the stale row",
			puts: [][]ladder.Issue{
				{issue("1", "PAY-1", "old", "c1")},
				{issue("2", "PAY-1", "new")},
			},
			want:      []ladder.Issue{issue("2", "PAY-1", "new")},
			wantStats: ladder.PutStats{New: 1},
		},
		{
			name: "same key in two trackers is two issues",
			puts: [][]ladder.Issue{
				{issue("1", "PAY-1", "a"), func() ladder.Issue {
					is := issue("1", "PAY-1", "a")
					is.Tracker = "jira-dc"
					return is
				}()},
			},
			want: []ladder.Issue{issue("1", "PAY-1", "a"), func() ladder.Issue {
				is := issue("1", "PAY-1", "a")
				is.Tracker = "jira-dc"
				return is
			}()},
			wantStats: ladder.PutStats{New: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			var last ladder.PutStats
			for _, batch := range tt.puts {
				last = mustPut(t, s, batch...)
			}
			if last != tt.wantStats {
				t.Errorf("last put stats = %+v, want %+v", last, tt.wantStats)
			}
			diff(t, "store", dump(t, s), tt.want)
			for _, w := range tt.want {
				diff(t, "Issue("+w.Key+")", mustIssue(t, s, w.Ref), w)
			}
			for _, k := range tt.absent {
				_, err := s.Issue(t.Context(), ref(k))
				if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "jira:"+k) {
					t.Errorf("Issue(%s) = %v, want ErrNotFound naming the ref", k, err)
				}
			}
		})
	}
}

func TestLinksAndComments(t *testing.T) {
	ref := ladder.Ref{Tracker: "gh", Key: "acme/payments#45"}
	link := func(key string) ladder.Link {
		return ladder.Link{Kind: ladder.BlockedBy, To: ladder.Ref{Tracker: "gh", Key: key}, Via: "github dependency"}
	}
	comment := func(id, author, created, body string) ladder.Comment {
		return ladder.Comment{ID: id, Author: author, Created: at(created), Body: body}
	}
	snapshot := func(links []ladder.Link, comments ...ladder.Comment) func(*testing.T, *Store) {
		return func(t *testing.T, s *Store) {
			mustPut(t, s, ladder.Issue{Ref: ref, ID: "45", Title: "t", Links: links, Comments: comments})
		}
	}
	addComments := func(cs ...ladder.IssueComment) func(*testing.T, *Store) {
		return func(t *testing.T, s *Store) {
			if err := s.PutComments(t.Context(), cs); err != nil {
				t.Fatal(err)
			}
		}
	}
	c1 := comment("1", "ann", "2026-01-01T00:00:00Z", "first")
	c2 := comment("2", "bob", "2026-01-02T00:00:00Z", "second")
	c3 := comment("3", "cy", "2026-01-03T00:00:00Z", "third")
	tests := []struct {
		name         string
		steps        []func(*testing.T, *Store)
		wantLinks    []ladder.Link
		wantComments []ladder.Comment
	}{
		{
			name:      "links are replaced by the next snapshot",
			steps:     []func(*testing.T, *Store){snapshot([]ladder.Link{link("a#1"), link("a#2")}), snapshot([]ladder.Link{link("a#3")})},
			wantLinks: []ladder.Link{link("a#3")},
		},
		{
			name:  "a snapshot without links removes them",
			steps: []func(*testing.T, *Store){snapshot([]ladder.Link{link("a#1")}), snapshot(nil)},
		},
		{
			name:         "comments missing from a later snapshot stay",
			steps:        []func(*testing.T, *Store){snapshot(nil, c1, c2), snapshot(nil, c3)},
			wantComments: []ladder.Comment{c1, c2, c3},
		},
		{
			name: "PutComments adds and edits by comment id",
			steps: []func(*testing.T, *Store){
				snapshot(nil, c2),
				addComments(ladder.IssueComment{Issue: ref, Comment: c3}, ladder.IssueComment{Issue: ref, Comment: c1}),
				addComments(ladder.IssueComment{Issue: ref, Comment: comment("2", "bob", "2026-01-02T00:00:00Z", "second, edited")}),
			},
			wantComments: []ladder.Comment{c1, comment("2", "bob", "2026-01-02T00:00:00Z", "second, edited"), c3},
		},
		{
			name: "comments without id are keyed by author and created",
			steps: []func(*testing.T, *Store){
				snapshot(nil, comment("", "ann", "2026-01-01T00:00:00Z", "v1"), comment("", "bob", "2026-01-01T00:00:00Z", "other author")),
				snapshot(nil, comment("", "ann", "2026-01-01T00:00:00Z", "v2")),
			},
			wantComments: []ladder.Comment{comment("", "ann", "2026-01-01T00:00:00Z", "v2"), comment("", "bob", "2026-01-01T00:00:00Z", "other author")},
		},
		{
			name: "comments of issues not stored are skipped",
			steps: []func(*testing.T, *Store){
				snapshot(nil, c1),
				addComments(
					ladder.IssueComment{Issue: ladder.Ref{Tracker: "gh", Key: "acme/payments#46"}, Comment: c2},
					ladder.IssueComment{Issue: ref, Comment: c3},
				),
			},
			wantComments: []ladder.Comment{c1, c3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			for _, step := range tt.steps {
				step(t, s)
			}
			got := mustIssue(t, s, ref)
			diff(t, "links", got.Links, tt.wantLinks)
			diff(t, "comments", got.Comments, tt.wantComments)
			var rows int
			if err := s.r.QueryRow(`SELECT count(*) FROM comments`).Scan(&rows); err != nil {
				t.Fatal(err)
			}
			if rows != len(tt.wantComments) {
				t.Errorf("comments table holds %d rows, want %d", rows, len(tt.wantComments))
			}
		})
	}
}

func TestPutIsAllOrNothing(t *testing.T) {
	batch := func(n int) []ladder.Issue {
		var out []ladder.Issue
		for i := range n {
			is := fullIssue()
			is.ID = fmt.Sprint(100 + i)
			is.Key = fmt.Sprintf("PAY-%d", 100+i)
			out = append(out, is)
		}
		return out
	}
	changed := batch(4)
	for i := range changed {
		changed[i].Title = "changed"
		changed[i].Links = nil
		changed[i].Comments = []ladder.Comment{{ID: "9", Author: "x", Body: "new"}}
	}
	invalid := batch(4)
	invalid[2].Key = ""
	nan := batch(4)
	nan[3].Estimate = ptr(math.NaN())
	farFuture := batch(4)
	farFuture[1].Due = ptr(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))
	badComment := batch(4)
	badComment[3].Comments[1].Created = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)

	tests := []struct {
		name     string
		cancelAt int // cancel the context before this item; -1: never
		put      func(ctx context.Context, s *Store) error
		wantErr  string
	}{
		{name: "issues: context cancelled mid-batch", cancelAt: 2, wantErr: "context canceled",
			put: func(ctx context.Context, s *Store) error { _, err := s.PutIssues(ctx, changed); return err }},
		{name: "issues: invalid issue mid-batch", cancelAt: -1, wantErr: "no key",
			put: func(ctx context.Context, s *Store) error { _, err := s.PutIssues(ctx, invalid); return err }},
		{name: "issues: estimate that is not a number", cancelAt: -1, wantErr: "not a number",
			put: func(ctx context.Context, s *Store) error { _, err := s.PutIssues(ctx, nan); return err }},
		{name: "issues: due date past year 9999", cancelAt: -1, wantErr: "due: year 10000",
			put: func(ctx context.Context, s *Store) error { _, err := s.PutIssues(ctx, farFuture); return err }},
		{name: "issues: comment time before year 0", cancelAt: -1, wantErr: "created: year -1",
			put: func(ctx context.Context, s *Store) error { _, err := s.PutIssues(ctx, badComment); return err }},
		{name: "comments: time past year 9999", cancelAt: -1, wantErr: "year 10000",
			put: func(ctx context.Context, s *Store) error {
				return s.PutComments(ctx, []ladder.IssueComment{
					{Issue: changed[0].Ref, Comment: ladder.Comment{ID: "8", Body: "fine"}},
					{Issue: changed[1].Ref, Comment: ladder.Comment{ID: "9", Updated: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}},
				})
			}},
		{name: "comments: context cancelled mid-batch", cancelAt: 2, wantErr: "context canceled",
			put: func(ctx context.Context, s *Store) error {
				var cs []ladder.IssueComment
				for _, is := range changed {
					cs = append(cs, ladder.IssueComment{Issue: is.Ref, Comment: is.Comments[0]})
				}
				return s.PutComments(ctx, cs)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			mustPut(t, s, batch(3)...)
			before := dump(t, s)

			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			s.beforeItem = func(i int) {
				if i == tt.cancelAt {
					cancel()
				}
			}
			err := tt.put(ctx, s)
			s.beforeItem = nil
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("put: %v, want error containing %q", err, tt.wantErr)
			}
			diff(t, "store after the failed put", dump(t, s), before)

			// The store stays usable: the same batch lands once nothing interferes.
			if _, err := s.PutIssues(t.Context(), batch(4)); err != nil {
				t.Fatalf("PutIssues after failure: %v", err)
			}
			if n, _ := s.Count(t.Context()); n != 4 {
				t.Errorf("Count after retry = %d, want 4", n)
			}
		})
	}
}

func TestEach(t *testing.T) {
	// Issues put out of order, some with links or comments and some without,
	// so a cursor that drifts by one issue attaches rows to the wrong issue.
	var issues []ladder.Issue
	for i, key := range []string{"PAY-3", "PAY-10", "PAY-1", "PAY-2", "PAY-20"} {
		for _, tracker := range []string{"jira", "gh", "jira-dc"} {
			is := ladder.Issue{Ref: ladder.Ref{Tracker: tracker, Key: key}, ID: fmt.Sprint(i), Title: tracker + " " + key}
			if i%2 == 0 {
				is.Links = []ladder.Link{{Kind: ladder.Relates, To: ladder.Ref{Tracker: tracker, Key: key + "-link"}}}
			}
			if i%3 != 1 {
				is.Comments = []ladder.Comment{{ID: tracker + key, Author: key, Body: tracker + " " + key}}
			}
			issues = append(issues, is)
		}
	}
	s := newStore(t)
	mustPut(t, s, issues...)

	t.Run("order and attachment", func(t *testing.T) {
		var got []string
		err := s.Each(t.Context(), func(is *ladder.Issue) error {
			got = append(got, is.Ref.String())
			for _, l := range is.Links {
				if l.To.Key != is.Key+"-link" || l.To.Tracker != is.Tracker {
					t.Errorf("%s carries link %v", is.Ref, l)
				}
			}
			for _, c := range is.Comments {
				if c.Body != is.Tracker+" "+is.Key {
					t.Errorf("%s carries comment %q", is.Ref, c.Body)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			"gh:PAY-1", "gh:PAY-10", "gh:PAY-2", "gh:PAY-20", "gh:PAY-3",
			"jira:PAY-1", "jira:PAY-10", "jira:PAY-2", "jira:PAY-20", "jira:PAY-3",
			"jira-dc:PAY-1", "jira-dc:PAY-10", "jira-dc:PAY-2", "jira-dc:PAY-20", "jira-dc:PAY-3",
		}
		diff(t, "order", got, want)
		for _, is := range issues {
			diff(t, "Issue("+is.Ref.String()+")", mustIssue(t, s, is.Ref), is)
		}
	})
	t.Run("lookups and writes from inside fn", func(t *testing.T) {
		var wg sync.WaitGroup
		for range 6 { // more walks than idle read connections
			wg.Go(func() {
				err := s.Each(t.Context(), func(is *ladder.Issue) error {
					got, err := s.Issue(t.Context(), is.Ref)
					if err != nil {
						return err
					}
					if got.Title != is.Title {
						return fmt.Errorf("Issue(%s).Title = %q, Each gave %q", is.Ref, got.Title, is.Title)
					}
					return s.SaveCursor(t.Context(), is.Tracker, "walk", is.Key)
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	})
	t.Run("an error from fn stops the walk", func(t *testing.T) {
		stop := errors.New("stop")
		calls := 0
		err := s.Each(t.Context(), func(*ladder.Issue) error {
			calls++
			if calls == 4 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || calls != 4 {
			t.Errorf("Each = %v after %d calls, want stop after 4", err, calls)
		}
	})
	t.Run("count and trackers", func(t *testing.T) {
		n, err := s.Count(t.Context())
		if err != nil || n != len(issues) {
			t.Errorf("Count = %d, %v; want %d", n, err, len(issues))
		}
		ts, err := s.Trackers(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		diff(t, "Trackers", ts, []string{"gh", "jira", "jira-dc"})
	})
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

func TestConcurrentReadersAndWriter(t *testing.T) {
	const batches, size = 20, 25
	s := newStore(t)
	ctx := t.Context()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	done := make(chan struct{})
	wg.Go(func() {
		defer close(done)
		for b := range batches {
			var batch []ladder.Issue
			for i := range size {
				batch = append(batch, ladder.Issue{Ref: ladder.Ref{Tracker: "gh", Key: fmt.Sprintf("acme/x#%d", b*size+i)},
					Title: "t", Comments: []ladder.Comment{{ID: fmt.Sprint(b*size + i), Body: "c"}}})
			}
			if _, err := s.PutIssues(ctx, batch); err != nil {
				errs <- err
				return
			}
		}
	})
	for range 3 {
		wg.Go(func() {
			for {
				n := 0
				err := s.Each(ctx, func(is *ladder.Issue) error {
					n++
					if len(is.Comments) != 1 {
						return fmt.Errorf("%s has %d comments", is.Ref, len(is.Comments))
					}
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
				// Each batch commits whole, so a snapshot holds whole batches.
				if n%size != 0 {
					errs <- fmt.Errorf("Each saw %d issues, not a whole number of batches of %d", n, size)
					return
				}
				select {
				case <-done:
					return
				default:
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, _ := s.Count(ctx); n != batches*size {
		t.Errorf("Count = %d, want %d", n, batches*size)
	}
}

func TestCursors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ladder.db")
	s := openStore(t, path)
	s.Now = func() time.Time { return at("2026-03-01T12:00:00Z") }
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
	var updated string
	if err := s.r.QueryRow(`SELECT updated_at FROM cursors WHERE tracker = 'gh' AND scope = 'acme/payments'`).Scan(&updated); err != nil {
		t.Fatal(err)
	}
	if want := "2026-03-01T12:00:00.000000000Z"; updated != want {
		t.Errorf("updated_at = %q, want %q", updated, want)
	}
	s.Close()
	s2 := openStore(t, path)
	if got, err := s2.Cursor(t.Context(), "gh", "acme/platform"); err != nil || got != "p1" {
		t.Errorf("after reopen Cursor = %q, %v; want p1", got, err)
	}
}

func TestPublications(t *testing.T) {
	s := newStore(t)
	ref := ladder.Ref{Tracker: "jira", Key: "PAY-12"}
	p1 := Publication{Ref: ref, CommentID: "10100", Hash: "h1", At: at("2026-03-01T12:00:00Z")}
	p2 := Publication{Ref: ref, CommentID: "10100", Hash: "h2", At: at("2026-03-02T12:00:00Z")}
	summary := Publication{Ref: ladder.Ref{Tracker: "gh", Key: "acme/planning#1"}, CommentID: "body", Hash: "s", At: at("2026-03-02T00:00:00Z")}
	moved := ladder.Ref{Tracker: "jira", Key: "PLAT-5"}

	steps := []struct {
		name   string
		do     func(t *testing.T)
		ref    ladder.Ref
		want   Publication
		wantOK bool
	}{
		{name: "nothing published", ref: ref},
		{name: "saved", do: func(t *testing.T) { savePub(t, s, p1) }, ref: ref, want: p1, wantOK: true},
		{name: "replaced", do: func(t *testing.T) { savePub(t, s, p2) }, ref: ref, want: p2, wantOK: true},
		{name: "on an issue the store does not hold", do: func(t *testing.T) { savePub(t, s, summary) },
			ref: summary.Ref, want: summary, wantOK: true},
		{name: "follows its issue when it moves", do: func(t *testing.T) {
			mustPut(t, s, ladder.Issue{Ref: ref, ID: "1", Title: "a"})
			mustPut(t, s, ladder.Issue{Ref: moved, ID: "1", Title: "a"})
		}, ref: moved, want: Publication{Ref: moved, CommentID: "10100", Hash: "h2", At: p2.At}, wantOK: true},
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
	if err := s.SavePublished(t.Context(), Publication{CommentID: "x"}); err == nil {
		t.Error("SavePublished without a ref: no error")
	}
}

func savePub(t *testing.T, s *Store, p Publication) {
	t.Helper()
	if err := s.SavePublished(t.Context(), p); err != nil {
		t.Fatal(err)
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
		{name: "refuses a store that needs migrating", wantErr: "has schema version 1 and this ladder needs 2: the upgrade writes to the store, and it is open read-only",
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
