package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/store"
)

func testRoundTrip(t *testing.T, f Factory) {
	berlin := time.FixedZone("CET", 3600)
	tests := []struct {
		name string
		in   ladder.Issue
		want ladder.Issue // zero: same as in
	}{
		{name: "every field set", in: FullIssue()},
		{name: "only required fields", in: ladder.Issue{Ref: ladder.Ref{Tracker: "gh", Key: "acme/payments#45"}}},
		{name: "nil estimate resolved and due stay nil", in: func() ladder.Issue {
			is := FullIssue()
			is.Estimate, is.Resolved, is.Due = nil, nil, nil
			return is
		}()},
		{name: "zero estimate stays zero, not nil", in: func() ladder.Issue {
			is := FullIssue()
			is.Estimate = ptr(0.0)
			return is
		}()},
		{name: "times in another zone come back as the same instant in UTC",
			in: func() ladder.Issue {
				is := FullIssue()
				is.Created = is.Created.In(berlin)
				is.Resolved = ptr(is.Resolved.In(berlin))
				is.Comments[0].Created = is.Comments[0].Created.In(berlin)
				return is
			}(),
			want: FullIssue(),
		},
		{name: "empty lists read back as nil", in: func() ladder.Issue {
			is := FullIssue()
			is.Labels, is.Components, is.Links, is.Comments = []string{}, []string{}, []ladder.Link{}, []ladder.Comment{}
			return is
		}(), want: func() ladder.Issue {
			is := FullIssue()
			is.Labels, is.Components, is.Links, is.Comments = nil, nil, nil, nil
			return is
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fresh(t, f)
			want := tt.want
			if want.Key == "" {
				want = tt.in
			}
			if st := mustPut(t, s, tt.in); st != (ladder.PutStats{New: 1}) {
				t.Errorf("PutIssues stats = %+v, want 1 new", st)
			}
			diff(t, "Issue", mustIssue(t, s, tt.in.Ref), want)
			all := Dump(t, s)
			if len(all) != 1 {
				t.Fatalf("Each gave %d issues, want 1", len(all))
			}
			diff(t, "Each", all[0], want)
		})
	}
}

func testPutStats(t *testing.T, f Factory) {
	a := FullIssue()
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
	s := fresh(t, f)
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

func testIdentity(t *testing.T, f Factory) {
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
			s := fresh(t, f)
			var last ladder.PutStats
			for _, batch := range tt.puts {
				last = mustPut(t, s, batch...)
			}
			if last != tt.wantStats {
				t.Errorf("last put stats = %+v, want %+v", last, tt.wantStats)
			}
			diff(t, "store", Dump(t, s), tt.want)
			for _, w := range tt.want {
				diff(t, "Issue("+w.Key+")", mustIssue(t, s, w.Ref), w)
			}
			for _, k := range tt.absent {
				_, err := s.Issue(t.Context(), ref(k))
				if !errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), "jira:"+k) {
					t.Errorf("Issue(%s) = %v, want ErrNotFound naming the ref", k, err)
				}
			}
		})
	}
}

func testLinksAndComments(t *testing.T, f Factory) {
	ref := ladder.Ref{Tracker: "gh", Key: "acme/payments#45"}
	link := func(key string) ladder.Link {
		return ladder.Link{Kind: ladder.BlockedBy, To: ladder.Ref{Tracker: "gh", Key: key}, Via: "github dependency"}
	}
	comment := func(id, author, created, body string) ladder.Comment {
		return ladder.Comment{ID: id, Author: author, Created: at(created), Body: body}
	}
	snapshot := func(links []ladder.Link, comments ...ladder.Comment) func(*testing.T, Store) {
		return func(t *testing.T, s Store) {
			mustPut(t, s, ladder.Issue{Ref: ref, ID: "45", Title: "t", Links: links, Comments: comments})
		}
	}
	addComments := func(cs ...ladder.IssueComment) func(*testing.T, Store) {
		return func(t *testing.T, s Store) {
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
		steps        []func(*testing.T, Store)
		wantLinks    []ladder.Link
		wantComments []ladder.Comment
	}{
		{
			name:      "links are replaced by the next snapshot",
			steps:     []func(*testing.T, Store){snapshot([]ladder.Link{link("a#1"), link("a#2")}), snapshot([]ladder.Link{link("a#3")})},
			wantLinks: []ladder.Link{link("a#3")},
		},
		{
			name:  "a snapshot without links removes them",
			steps: []func(*testing.T, Store){snapshot([]ladder.Link{link("a#1")}), snapshot(nil)},
		},
		{
			name:         "comments missing from a later snapshot stay",
			steps:        []func(*testing.T, Store){snapshot(nil, c1, c2), snapshot(nil, c3)},
			wantComments: []ladder.Comment{c1, c2, c3},
		},
		{
			name: "PutComments adds and edits by comment id",
			steps: []func(*testing.T, Store){
				snapshot(nil, c2),
				addComments(ladder.IssueComment{Issue: ref, Comment: c3}, ladder.IssueComment{Issue: ref, Comment: c1}),
				addComments(ladder.IssueComment{Issue: ref, Comment: comment("2", "bob", "2026-01-02T00:00:00Z", "second, edited")}),
			},
			wantComments: []ladder.Comment{c1, comment("2", "bob", "2026-01-02T00:00:00Z", "second, edited"), c3},
		},
		{
			name: "comments without id are keyed by author and created",
			steps: []func(*testing.T, Store){
				snapshot(nil, comment("", "ann", "2026-01-01T00:00:00Z", "v1"), comment("", "bob", "2026-01-01T00:00:00Z", "other author")),
				snapshot(nil, comment("", "ann", "2026-01-01T00:00:00Z", "v2")),
			},
			wantComments: []ladder.Comment{comment("", "ann", "2026-01-01T00:00:00Z", "v2"), comment("", "bob", "2026-01-01T00:00:00Z", "other author")},
		},
		{
			name: "comments of issues not stored are skipped",
			steps: []func(*testing.T, Store){
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
			s := fresh(t, f)
			for _, step := range tt.steps {
				step(t, s)
			}
			got := mustIssue(t, s, ref)
			diff(t, "links", got.Links, tt.wantLinks)
			diff(t, "comments", got.Comments, tt.wantComments)
			all := Dump(t, s)
			if len(all) != 1 {
				t.Fatalf("Each gave %d issues, want 1", len(all))
			}
			diff(t, "comments through Each", all[0].Comments, tt.wantComments)
		})
	}
}

func testPutIsAllOrNothing(t *testing.T, f Factory) {
	batch := func(n int) []ladder.Issue {
		var out []ladder.Issue
		for i := range n {
			is := FullIssue()
			is.ID = fmt.Sprint(100 + i)
			is.Key = fmt.Sprintf("PAY-%d", 100+i)
			out = append(out, is)
		}
		return out
	}
	// Long enough that a cancel after the first few items lands mid-batch.
	changed := batch(40)
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
		cancelAt int // the context is cancelled by this call of its Err; 0: never
		put      func(ctx context.Context, s Store) error
		wantErr  string // "": any error
	}{
		{name: "issues: context cancelled mid-batch", cancelAt: 3,
			put: func(ctx context.Context, s Store) error { _, err := s.PutIssues(ctx, changed); return err }},
		{name: "issues: invalid issue mid-batch", wantErr: "no key",
			put: func(ctx context.Context, s Store) error { _, err := s.PutIssues(ctx, invalid); return err }},
		{name: "issues: estimate that is not a number", wantErr: "not a number",
			put: func(ctx context.Context, s Store) error { _, err := s.PutIssues(ctx, nan); return err }},
		{name: "issues: due date past year 9999", wantErr: "due: year 10000",
			put: func(ctx context.Context, s Store) error { _, err := s.PutIssues(ctx, farFuture); return err }},
		{name: "issues: comment time before year 0", wantErr: "created: year -1",
			put: func(ctx context.Context, s Store) error { _, err := s.PutIssues(ctx, badComment); return err }},
		{name: "comments: time past year 9999", wantErr: "year 10000",
			put: func(ctx context.Context, s Store) error {
				return s.PutComments(ctx, []ladder.IssueComment{
					{Issue: changed[0].Ref, Comment: ladder.Comment{ID: "8", Body: "fine"}},
					{Issue: changed[1].Ref, Comment: ladder.Comment{ID: "9", Updated: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}},
				})
			}},
		{name: "comments: context cancelled mid-batch", cancelAt: 3,
			put: func(ctx context.Context, s Store) error {
				var cs []ladder.IssueComment
				for _, is := range changed[:3] {
					for k := range 10 {
						cs = append(cs, ladder.IssueComment{Issue: is.Ref, Comment: ladder.Comment{ID: fmt.Sprint(900 + k), Body: "new"}})
					}
				}
				return s.PutComments(ctx, cs)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fresh(t, f)
			mustPut(t, s, batch(3)...)
			before := Dump(t, s)

			var ctx context.Context = t.Context()
			if tt.cancelAt > 0 {
				ctx = newCancelAfter(t.Context(), tt.cancelAt)
			}
			err := tt.put(ctx, s)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("put: %v, want an error containing %q", err, tt.wantErr)
			}
			diff(t, "store after the failed put", Dump(t, s), before)

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

func testEach(t *testing.T, f Factory) {
	// Issues put out of order, some with links or comments and some without,
	// so a cursor that drifts by one issue attaches rows to the wrong issue.
	var issues []ladder.Issue
	for i, key := range []string{"PAY-3", "PAY-10", "PAY-1", "PAY-2", "PAY-20", "pay-1", "PAY_1", "Ä-1"} {
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
	s := fresh(t, f)
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
		// Byte order of tracker, then key: not a locale's collation, so
		// every store gives the analyzer the same sequence.
		var want []string
		for _, tracker := range []string{"gh", "jira", "jira-dc"} {
			for _, key := range []string{"PAY-1", "PAY-10", "PAY-2", "PAY-20", "PAY-3", "PAY_1", "pay-1", "Ä-1"} {
				want = append(want, tracker+":"+key)
			}
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

// testEachForAnalysis: EachForAnalysis gives what Each gives, issue for
// issue, but for the raw markup; gone issues are left out of both.
func testEachForAnalysis(t *testing.T, f Factory) {
	s := fresh(t, f)
	full := FullIssue()
	mustPut(t, s, append(sweepIssues(), full)...)
	s.StartSweep("gh")
	mustPut(t, s, sweepIssues()[:3]...)
	if _, err := s.FinishSweep(t.Context(), "gh"); err != nil {
		t.Fatal(err)
	}
	want := Dump(t, s)
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

// testReaderDuringWrite: readers walking the store while a writer puts
// batches see whole batches only, each issue with its comment.
func testReaderDuringWrite(t *testing.T, f Factory) {
	const batches, size = 20, 25
	s := fresh(t, f)
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
					errs <- fmt.Errorf("a walk with Each saw %d issues, not a whole number of batches of %d", n, size)
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
