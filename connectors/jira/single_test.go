package jira

import (
	"context"
	"reflect"
	"strings"
	"testing"

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

// TestSyncIssueStoresWhatASyncStores: one issue fetched by key (or by id,
// as link events name it) is stored exactly as a full sync's search stores
// it, comments past the embedded cap included, and nothing is searched.
func TestSyncIssueStoresWhatASyncStores(t *testing.T) {
	for _, deployment := range []string{"cloud", "datacenter"} {
		t.Run(deployment, func(t *testing.T) {
			s := newSite(t, deployment, sampleIssues(60), sandbox.JiraOptions{}, nil)
			full := trackertest.NewSink()
			if _, err := s.client.Sync(t.Context(), full, true, nil); err != nil {
				t.Fatal(err)
			}
			byKey := map[string]ladder.Issue{}
			for _, is := range full.Issues() {
				byKey[is.Key] = is
			}
			tests := []struct {
				name, key string
				want      string // the stored issue's key
			}{
				{"story in an epic with links", "PLAT-3", "PLAT-3"},
				{"comments beyond the embedded cap", "PAY-4", "PAY-4"},
				{"epic", "PAY-1", "PAY-1"},
				{"by id", byKey["PLAT-6"].ID, "PLAT-6"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					want, ok := byKey[tt.want]
					if !ok {
						t.Fatalf("the full sync stored no %s", tt.want)
					}
					one := &goneSink{Sink: trackertest.NewSink()}
					s.jira.Harness().ResetLog()
					if err := s.client.SyncIssue(t.Context(), tt.key, one); err != nil {
						t.Fatal(err)
					}
					got, ok := one.Issues()[want.ID]
					if !ok || len(one.Issues()) != 1 {
						t.Fatalf("stored %d issues, not %s", len(one.Issues()), tt.want)
					}
					if canon(got) != canon(want) {
						t.Errorf("refreshed issue\n%s\nwant what the full sync stored\n%s", canon(got), canon(want))
					}
					for _, r := range s.jira.Harness().Requests() {
						if strings.Contains(r.Path, "/search") {
							t.Errorf("refreshing one issue searched: %s %s?%s", r.Method, r.Path, r.Query)
						}
					}
				})
			}
		})
	}
}

// TestSyncIssueCapped: PAY-4 has more comments than a fetched issue embeds,
// so the rest are listed, as a sync does for its hits.
func TestSyncIssueCapped(t *testing.T) {
	issues := sampleIssues(8)
	s := newSite(t, "cloud", issues, sandbox.JiraOptions{}, nil)
	one := trackertest.NewSink()
	if err := s.client.SyncIssue(t.Context(), "PAY-4", one); err != nil {
		t.Fatal(err)
	}
	var got ladder.Issue
	for _, is := range one.Issues() {
		got = is
	}
	if len(got.Comments) != 27 {
		t.Errorf("%d comments, want all 27", len(got.Comments))
	}
}

func TestSyncIssueGone(t *testing.T) {
	s := newSite(t, "cloud", sampleIssues(6), sandbox.JiraOptions{}, nil)
	if err := s.jira.DeleteIssue("PLAT-2"); err != nil {
		t.Fatal(err)
	}
	one := &goneSink{Sink: trackertest.NewSink()}
	if err := s.client.SyncIssue(t.Context(), "PLAT-2", one); err != nil {
		t.Fatal(err)
	}
	if want := []ladder.Ref{{Tracker: "jira", Key: "PLAT-2"}}; !reflect.DeepEqual(one.gone, want) || len(one.Issues()) != 0 {
		t.Errorf("gone %v, %d issues stored; want %v and none", one.gone, len(one.Issues()), want)
	}
}
