package github

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
	"github.com/ladderhq/ladder/internal/trackertest"
)

// goneSink is a trackertest.Sink that records the issues marked gone, as the store
// does when SyncIssue hears 404.
type goneSink struct {
	*trackertest.Sink
	gone []ladder.Ref
}

func (s *goneSink) MarkGone(_ context.Context, ref ladder.Ref) (bool, error) {
	s.gone = append(s.gone, ref)
	return true, nil
}

// listsRepository reports whether a logged request lists a repository's issues or
// comments, which a one-issue refresh must never do.
func listsRepository(r sandbox.Request) bool {
	p := strings.TrimSuffix(r.Path, "/")
	return strings.HasSuffix(p, "/issues") || strings.HasSuffix(p, "/issues/comments") || strings.Contains(p, "/orgs/")
}

// TestSyncIssueStoresWhatAFullSyncStores: an issue refreshed alone is the
// issue a full sync stores (fields, links from its dependencies and
// sub-issues, parent, comments), fetched without any listing.
func TestSyncIssueStoresWhatAFullSyncStores(t *testing.T) {
	base := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	f := newFixture(t, genIssues("acme/web", 90, base), sandbox.GitHubOptions{PullRequests: 2})
	c := f.client(t, []string{"acme/web"})
	if _, err := c.Sync(t.Context(), f.sink, true, nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		key      string
		requests int // the issue, its comments, and each relation its summary announces
	}{
		{"plain issue", "acme/web#1", 2},
		{"issue with comments", "acme/web#4", 2},
		{"blocked by another issue", "acme/web#25", 3},
		{"parent of sub-issues", "acme/web#40", 3},
		{"sub-issue", "acme/web#41", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			one := &goneSink{Sink: trackertest.NewSink()}
			f.srv.ResetLog()
			if err := c.SyncIssue(t.Context(), tt.key, one); err != nil {
				t.Fatal(err)
			}
			got, want := one.Issue(t, tt.key), f.sink.Issue(t, tt.key)
			gotComments := slices.Clone(got.Comments)
			slices.SortFunc(gotComments, func(a, b ladder.Comment) int { return strings.Compare(a.ID, b.ID) })
			got.Comments = nil
			if !reflect.DeepEqual(got, want) {
				t.Errorf("refreshed issue\n%+v\nwant what the full sync stored\n%+v", got, want)
			}
			if wantComments := f.sink.CommentsOf(tt.key); !reflect.DeepEqual(gotComments, wantComments) {
				t.Errorf("comments %+v, want %+v", gotComments, wantComments)
			}
			reqs := f.srv.Requests()
			for _, r := range reqs {
				if listsRepository(r) {
					t.Errorf("refreshing one issue listed the repository: %s %s", r.Method, r.Path)
				}
			}
			if len(reqs) != tt.requests {
				t.Errorf("%d requests, want %d: %v", len(reqs), tt.requests, reqs)
			}
		})
	}
}

func TestSyncIssueGone(t *testing.T) {
	base := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	f := newFixture(t, genIssues("acme/web", 5, base), sandbox.GitHubOptions{})
	c := f.client(t, []string{"acme/web"})
	if err := f.srv.DeleteIssue("acme/web#3"); err != nil {
		t.Fatal(err)
	}
	one := &goneSink{Sink: trackertest.NewSink()}
	if err := c.SyncIssue(t.Context(), "acme/web#3", one); err != nil {
		t.Fatal(err)
	}
	if want := []ladder.Ref{{Tracker: "gh", Key: "acme/web#3"}}; !reflect.DeepEqual(one.gone, want) || len(one.Issues()) != 0 {
		t.Errorf("gone %v, %d issues stored; want %v and none", one.gone, len(one.Issues()), want)
	}
	if err := c.SyncIssue(t.Context(), "acme/web#3", trackertest.NewSink()); err == nil {
		t.Error("a sink that cannot mark issues gone: no error")
	}
}

func TestSyncIssueBadKey(t *testing.T) {
	f := newFixture(t, nil, sandbox.GitHubOptions{})
	c := f.client(t, []string{"acme/web"})
	for _, key := range []string{"acme/web", "acme#1", "acme/web#x"} {
		if err := c.SyncIssue(t.Context(), key, trackertest.NewSink()); err == nil {
			t.Errorf("SyncIssue(%q): no error", key)
		}
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("%d requests for keys that name no issue", n)
	}
}
