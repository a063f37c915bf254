package jira

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
	"github.com/ladderhq/ladder/internal/trackertest"
)

const prop = "ladder.verdict"

func isCommentPost(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/comment")
}

func TestWriteBackFindsOnlyOurMarkedComment(t *testing.T) {
	tests := []struct {
		name       string
		deployment string
		opts       sandbox.JiraOptions
	}{
		{name: "cloud", deployment: "cloud"},
		{name: "datacenter", deployment: "datacenter", opts: sandbox.JiraOptions{AccountID: "ladder"}},
		{name: "site that ignores properties on create", deployment: "datacenter", opts: sandbox.JiraOptions{IgnoreCreateProperties: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			issues := sampleIssues(3)
			s := newSite(t, tt.deployment, issues, tt.opts, nil)
			ctx := t.Context()
			me, err := s.client.Me(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if want := tt.opts.AccountID; want != "" && me != want || want == "" && me != "ladder-bot-account" {
				t.Fatalf("Me = %q", me)
			}
			// Someone else's comment carrying our property, and our own comment without it.
			theirs, err := s.jira.AddComment("PAY-1", "mallory", "looks like Ladder's")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.jira.SetCommentProperty(theirs, prop, map[string]any{"managed_by": "ladder"}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.jira.AddComment("PAY-1", me, "a note the bot left by hand"); err != nil {
				t.Fatal(err)
			}
			if c, found, err := s.client.FindComment(ctx, "PAY-1", prop); err != nil || found {
				t.Fatalf("FindComment before create = %+v, %v, %v; want nothing", c, found, err)
			}

			created, err := s.client.CreateComment(ctx, "PAY-1", "h3. Ladder\n*aligned* to checkout", prop)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := s.jira.CommentProperty(created.ID, prop); !ok {
				t.Fatal("created comment carries no property")
			}
			got, found, err := s.client.FindComment(ctx, "PAY-1", prop)
			if err != nil || !found || got.ID != created.ID || got.Raw != "h3. Ladder\n*aligned* to checkout" || got.Body != "Ladder\naligned to checkout" {
				t.Fatalf("FindComment after create = %+v, %v, %v; want comment %s", got, found, err, created.ID)
			}

			before := len(s.jira.Comments("PAY-1"))
			if err := s.client.EditComment(ctx, "PAY-1", created.ID, "h3. Ladder\nnow unaligned"); err != nil {
				t.Fatal(err)
			}
			after := s.jira.Comments("PAY-1")
			if len(after) != before {
				t.Errorf("edit changed the comment count from %d to %d", before, len(after))
			}
			got, found, err = s.client.FindComment(ctx, "PAY-1", prop)
			if err != nil || !found || got.ID != created.ID || got.Raw != "h3. Ladder\nnow unaligned" {
				t.Errorf("FindComment after edit = %+v, %v, %v", got, found, err)
			}
			if c, found, _ := s.client.FindComment(ctx, "PAY-2", prop); found {
				t.Errorf("found %+v on an issue Ladder never commented on", c)
			}
		})
	}
}

func TestWriteBackFindsBeyondFirstPage(t *testing.T) {
	var comments []ladder.Comment
	for i := 0; i < 130; i++ {
		comments = append(comments, ladder.Comment{Author: "someone", Raw: "chatter"})
	}
	s := newSite(t, "cloud", []ladder.Issue{{Ref: ladder.Ref{Key: "PAY-1"}, Title: "busy", Comments: comments}}, sandbox.JiraOptions{}, nil)
	created, err := s.client.CreateComment(t.Context(), "PAY-1", "verdict", prop)
	if err != nil {
		t.Fatal(err)
	}
	got, found, err := s.client.FindComment(t.Context(), "PAY-1", prop)
	if err != nil || !found || got.ID != created.ID {
		t.Errorf("FindComment = %+v, %v, %v; want %s past 100 comments", got, found, err, created.ID)
	}
}

func TestCreateCommentRetries(t *testing.T) {
	tests := []struct {
		name      string
		fault     sandbox.Fault
		wantErr   bool
		wantPosts int
		wantMade  int
	}{
		{name: "429 is retried after Retry-After", fault: sandbox.Fault{Match: isCommentPost, Times: 1, Status: 429, Header: sandbox.RetryAfter(3 * time.Second)}, wantPosts: 2, wantMade: 1},
		{name: "502 before anything was made: checked, then sent again", fault: sandbox.Fault{Match: isCommentPost, Times: 1, Status: 502}, wantPosts: 2, wantMade: 1},
		{name: "502 every time: reported after the retries", fault: sandbox.Fault{Match: isCommentPost, Status: 502}, wantErr: true, wantPosts: 5, wantMade: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, "cloud", sampleIssues(3), sandbox.JiraOptions{}, nil)
			s.jira.Harness().AddFault(tt.fault)
			_, err := s.client.CreateComment(t.Context(), "PAY-2", "verdict", prop)
			if (err != nil) != tt.wantErr {
				t.Fatalf("CreateComment: %v", err)
			}
			settle(s.jira)
			posts := s.jira.Harness().Count(func(r sandbox.Request) bool { return r.Method == http.MethodPost })
			if posts != tt.wantPosts {
				t.Errorf("%d POSTs, want %d", posts, tt.wantPosts)
			}
			made := 0
			for _, c := range s.jira.Comments("PAY-2") {
				if c.Raw == "verdict" {
					made++
				}
			}
			if made != tt.wantMade {
				t.Errorf("%d comments made, want %d", made, tt.wantMade)
			}
		})
	}
}

func TestWriteBumpsUpdatedSoNextSyncSeesIt(t *testing.T) {
	s := newSite(t, "cloud", sampleIssues(20), sandbox.JiraOptions{}, nil)
	sink := trackertest.NewSink()
	if _, err := s.client.Sync(t.Context(), sink, false, nil); err != nil {
		t.Fatal(err)
	}
	s.clock.advance(time.Hour)
	if _, err := s.client.CreateComment(t.Context(), "PLAT-3", "verdict", prop); err != nil {
		t.Fatal(err)
	}
	stats, err := s.client.Sync(t.Context(), sink, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Issues.Updated != 1 {
		t.Errorf("second sync %+v; want the commented issue updated", stats.Issues)
	}
}
