package store

import (
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
)

func refsOf(issues []ladder.Issue) []string {
	var out []string
	for _, is := range issues {
		out = append(out, is.Ref.String())
	}
	return out
}

// sweepIssues are issues of two trackers with links and comments, so a gone
// issue in the middle of the order would knock Each's cursors out of step
// if its links or comments were still walked.
func sweepIssues() []ladder.Issue {
	var out []ladder.Issue
	for _, tracker := range []string{"gh", "jira"} {
		for i, key := range []string{"A-1", "A-2", "A-3", "A-4"} {
			out = append(out, ladder.Issue{
				Ref: ladder.Ref{Tracker: tracker, Key: key}, ID: tracker + key, Title: tracker + " " + key,
				Links:    []ladder.Link{{Kind: ladder.Blocks, To: ladder.Ref{Tracker: tracker, Key: "A-9"}}},
				Comments: []ladder.Comment{{ID: tracker + key + "c", Body: tracker + " " + key + " comment " + string(rune('a'+i))}},
			})
		}
	}
	return out
}

func TestSweep(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ladder.db")
	s := openStore(t, path)
	now := at("2026-11-01T02:00:00Z")
	s.Now = func() time.Time { return now }
	all := sweepIssues()
	mustPut(t, s, all...)

	// A full sync of jira lists everything but A-2 (deleted) and A-4 (moved
	// to a project outside the JQL); it puts A-1 unchanged and A-3 changed.
	now = now.Add(24 * time.Hour)
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
	got := dump(t, s)
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
	_, err = s.Issue(t.Context(), ladder.Ref{Tracker: "jira", Key: "A-2"})
	if !errors.Is(err, ErrNotFound) || !errors.Is(err, ErrGone) || !strings.Contains(err.Error(), "2026-11-02") {
		t.Errorf("Issue(jira:A-2) error = %v; want not found, gone since 2026-11-02", err)
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
	t.Run("kept on disk", func(t *testing.T) {
		// Reopened, the file still knows which are gone and still has
		// their comments (a gone issue that returns keeps its history).
		s.Close()
		s2 := openStore(outer, path)
		diff(t, "Each after reopening", refsOf(dump(t, s2)), want)
		var comments int
		if err := s2.r.QueryRow(`SELECT count(*) FROM comments c JOIN issues i ON i.pk = c.issue WHERE i.gone IS NOT NULL`).Scan(&comments); err != nil || comments != 2 {
			t.Errorf("comments of gone issues = %d, %v; want 2 kept", comments, err)
		}
		s = s2
	})

	t.Run("an incremental sync brings one back", func(t *testing.T) {
		// A-4 moved back into scope unchanged: no sweep is open, and it
		// returns all the same.
		if st := mustPut(t, s, all[7]); st.Unchanged != 1 {
			t.Fatalf("put: %+v", st)
		}
		got := refsOf(dump(t, s))
		if !slices.Contains(got, "jira:A-4") {
			t.Errorf("jira:A-4 did not come back: %v", got)
		}
	})

	t.Run("an abandoned sweep marks nothing", func(t *testing.T) {
		s.StartSweep("gh")
		mustPut(t, s, all[0])
		s.AbandonSweep("gh")
		if _, err := s.FinishSweep(t.Context(), "gh"); err == nil {
			t.Error("FinishSweep after AbandonSweep: want an error")
		}
		if got := refsOf(dump(t, s)); len(got) != 7 {
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
		if got := refsOf(dump(t, s)); len(got) != 7 {
			t.Errorf("after a gh sweep: %v", got)
		}
	})
}

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

// TestEachForAnalysis gives what Each gives, issue for issue, but for the
// raw markup; gone issues are left out of both.
func TestEachForAnalysis(t *testing.T) {
	s := newStore(t)
	full := fullIssue()
	mustPut(t, s, append(sweepIssues(), full)...)
	s.StartSweep("gh")
	mustPut(t, s, sweepIssues()[:3]...)
	if _, err := s.FinishSweep(t.Context(), "gh"); err != nil {
		t.Fatal(err)
	}
	want := dump(t, s)
	for i := range want {
		want[i].BodyRaw = ""
		for j := range want[i].Comments {
			want[i].Comments[j].Raw = ""
		}
	}
	var got []ladder.Issue
	if err := s.EachForAnalysis(t.Context(), func(is *ladder.Issue) error {
		got = append(got, *is)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(got) != 8 { // 1 + 4 jira + 3 gh seen by the sweep
		t.Fatalf("EachForAnalysis gave %d issues, Each %d; want 8", len(got), len(want))
	}
	diff(t, "EachForAnalysis", got, want)
	if full.BodyRaw == "" || full.Comments[0].Raw == "" {
		t.Fatal("the fixture has no raw markup to leave out")
	}
}
