package jira

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
	"github.com/ladderhq/ladder/internal/trackertest"
)

// sameMillisecond gives issues [from, to) of list one created instant, as an
// import does.
func sameMillisecond(list []ladder.Issue, from, to int) []ladder.Issue {
	at := list[from].Created
	for i := from; i < to; i++ {
		list[i].Created = at
		if list[i].Updated.Before(at) {
			list[i].Updated = at
		}
	}
	return list
}

// onlyProject moves every issue to project p, keeping the keys distinct.
func onlyProject(list []ladder.Issue, p string) []ladder.Issue {
	for i := range list {
		list[i].Key = p + "-" + strconv.Itoa(i+1)
		list[i].Parent = ""
		list[i].Links = nil
	}
	return list
}

func TestSyncDataCenterPastSearchWindow(t *testing.T) {
	tests := []struct {
		name       string
		issues     []ladder.Issue
		opts       sandbox.JiraOptions
		window     int // what the client assumes; 0 keeps the default 10,000
		want500    int // "Search limit exceeded" answers the client may see
		wantTieRun bool
	}{
		{name: "client knows the window", issues: sampleIssues(1000), opts: sandbox.JiraOptions{SearchWindow: 250, MaxResultsClamp: 50}, window: 250},
		{name: "site's window is smaller than assumed", issues: sampleIssues(1000), opts: sandbox.JiraOptions{SearchWindow: 250, MaxResultsClamp: 50}, want500: 1},
		{name: "site answers past its window with an empty page", issues: sampleIssues(1000), opts: sandbox.JiraOptions{SearchWindow: 250, SearchWindowEmpty: true, MaxResultsClamp: 50}},
		{name: "more than a window created in one millisecond", issues: sameMillisecond(sampleIssues(700), 100, 500), opts: sandbox.JiraOptions{SearchWindow: 150, MaxResultsClamp: 50}, window: 150, wantTieRun: true},
		{name: "one project's tie beyond the window", issues: sameMillisecond(onlyProject(sampleIssues(500), "PAY"), 50, 450), opts: sandbox.JiraOptions{SearchWindow: 100, MaxResultsClamp: 50}, window: 100, wantTieRun: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, "datacenter", tt.issues, tt.opts, func(c *Config) { c.SearchWindow = tt.window })
			sink := trackertest.NewSink()
			stats, err := s.client.Sync(t.Context(), sink, false, nil)
			if err != nil {
				t.Fatalf("Sync: %v", err)
			}
			if len(sink.Issues()) != len(tt.issues) || stats.Issues.New != len(tt.issues) {
				t.Fatalf("stored %d issues (%d new), want %d", len(sink.Issues()), stats.Issues.New, len(tt.issues))
			}
			for id, n := range sink.Puts() {
				if n != 1 {
					t.Errorf("issue %s put %d times", id, n)
				}
			}
			settle(s.jira)
			refused, tieRun := 0, false
			for _, r := range s.jira.Harness().Requests() {
				if r.Path != "/rest/api/2/search" {
					continue
				}
				if r.Status == http.StatusInternalServerError {
					refused++
				} else if r.Status != http.StatusOK {
					t.Errorf("search answered %d: %s", r.Status, r.Query)
				}
				q, _ := url.ParseQuery(r.Query)
				tieRun = tieRun || strings.HasSuffix(q.Get("jql"), "ORDER BY key ASC")
			}
			if refused != tt.want500 {
				t.Errorf("%d searches refused past the window, want %d", refused, tt.want500)
			}
			if tieRun != tt.wantTieRun {
				t.Errorf("listed a tie by key: %v, want %v", tieRun, tt.wantTieRun)
			}
			// Re-reading at each span's start costs little: well under one
			// extra page per span.
			if max := len(tt.issues)/50 + len(tt.issues)/40 + 4; stats.Requests > max+1 {
				t.Errorf("%d requests for %d issues, want at most %d", stats.Requests, len(tt.issues), max+1)
			}
		})
	}
}

func TestSyncDataCenterPastWindowIncremental(t *testing.T) {
	issues := sampleIssues(600)
	s := newSite(t, "datacenter", issues, sandbox.JiraOptions{SearchWindow: 200, MaxResultsClamp: 50}, nil)
	sink := trackertest.NewSink()
	if _, err := s.client.Sync(t.Context(), sink, false, nil); err != nil {
		t.Fatal(err)
	}
	s.clock.advance(time.Hour)
	for i := 0; i < 300; i++ {
		if err := s.jira.EditIssue(issues[i*2].Key, func(is *ladder.Issue) { is.Title += " (edited)" }); err != nil {
			t.Fatal(err)
		}
	}
	stats, err := s.client.Sync(t.Context(), sink, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Issues.Updated != 300 {
		t.Errorf("incremental %+v, want 300 updated", stats.Issues)
	}
	fresh := trackertest.NewSink()
	if _, err := s.client.Sync(t.Context(), fresh, true, nil); err != nil {
		t.Fatal(err)
	}
	if !mapsEqual(sink.Snapshot(), fresh.Snapshot()) {
		t.Error("incremental store differs from a full sync")
	}
}

func TestSyncDataCenterResumePastWindow(t *testing.T) {
	issues := sampleIssues(800)
	s := newSite(t, "datacenter", issues, sandbox.JiraOptions{SearchWindow: 200, MaxResultsClamp: 50}, func(c *Config) { c.SearchWindow = 200 })
	want := trackertest.NewSink()
	if _, err := s.client.Sync(t.Context(), want, false, nil); err != nil {
		t.Fatal(err)
	}
	sink := trackertest.NewSink()
	ctx, cancel := context.WithCancel(t.Context())
	sink.AfterPut(func(n int) {
		if n == 9 { // past the first span of four pages
			cancel()
		}
	})
	if _, err := s.client.Sync(ctx, sink, false, nil); err == nil {
		t.Fatal("interrupted sync reported no error")
	}
	stored := len(sink.Issues())
	if stored < 400 || stored >= len(issues) {
		t.Fatalf("interrupted sync stored %d; the test wants a partial store past the first span", stored)
	}
	sink.AfterPut(nil)
	s.jira.Harness().ResetLog()
	stats, err := s.client.Sync(t.Context(), sink, false, nil)
	if err != nil {
		t.Fatalf("re-run: %v", err)
	}
	if stats.Issues.Unchanged > 50 {
		t.Errorf("the re-run fetched %d issues it already had", stats.Issues.Unchanged)
	}
	if !mapsEqual(sink.Snapshot(), want.Snapshot()) {
		t.Error("re-run store differs from an uninterrupted sync")
	}
}
