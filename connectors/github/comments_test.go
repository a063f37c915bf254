package github

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
)

const marker = "<!-- ladder:verdict -->"

func TestFindComment(t *testing.T) {
	tests := []struct {
		name string
		// comments are (login, body) posted before the lookup.
		comments [][2]string
		wantBody string // "" means not found
	}{
		{name: "no comments"},
		{name: "marker written by somebody else", comments: [][2]string{{"mallory", marker + " fake verdict"}}},
		{name: "our comment without the marker", comments: [][2]string{{"ladder-bot", "a note"}}},
		{
			name:     "ours among others",
			comments: [][2]string{{"mallory", marker + " quoted"}, {"ann", "hello"}, {"ladder-bot", marker + "\nOur verdict"}},
			wantBody: marker + "\nOur verdict",
		},
		{
			name:     "ours on the second page",
			comments: append(slices.Repeat([][2]string{{"ann", "chatter"}}, 130), [2]string{"ladder-bot", marker + " late"}),
			wantBody: marker + " late",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, genIssues("acme/api", 3, base), sandbox.GitHubOptions{})
			var wantID string
			for _, c := range tt.comments {
				id, err := f.srv.AddComment("acme/api#2", c[0], c[1])
				if err != nil {
					t.Fatal(err)
				}
				if c[1] == tt.wantBody {
					wantID = id
				}
			}
			c := f.client(t, []string{"acme/api"})
			got, ok, err := c.FindComment(t.Context(), "acme/api#2", marker)
			if err != nil {
				t.Fatalf("FindComment: %v", err)
			}
			if ok != (tt.wantBody != "") {
				t.Fatalf("found = %v (%+v), want %v", ok, got, tt.wantBody != "")
			}
			if ok && (got.ID != wantID || got.Raw != tt.wantBody || got.Author != "ladder-bot") {
				t.Errorf("found %+v, want ID %s by ladder-bot with body %q", got, wantID, tt.wantBody)
			}
		})
	}
}

func TestCreateThenEditInPlace(t *testing.T) {
	f := newFixture(t, genIssues("acme/api", 3, base), sandbox.GitHubOptions{})
	c := f.client(t, []string{"acme/api"}, func(cfg *Config) { cfg.WriteSpacing = 2 * time.Second })
	ctx := t.Context()
	before, _ := f.srv.Issue("acme/api#1")

	created, err := c.CreateComment(ctx, "acme/api#1", marker+"\nfirst")
	if err != nil {
		t.Fatalf("CreateComment: %v", err)
	}
	if created.ID == "" || created.Author != "ladder-bot" || created.Raw != marker+"\nfirst" || created.Body != "first" {
		t.Errorf("created = %+v", created)
	}
	found, ok, err := c.FindComment(ctx, "acme/api#1", marker)
	if err != nil || !ok || found.ID != created.ID {
		t.Fatalf("FindComment after create = %+v, %v, %v; want ID %s", found, ok, err, created.ID)
	}
	if err := c.EditComment(ctx, "acme/api#1", created.ID, marker+"\nsecond"); err != nil {
		t.Fatalf("EditComment: %v", err)
	}
	got := f.srv.Comments("acme/api#1")
	if len(got) != 1 || got[0].ID != created.ID || got[0].Body != marker+"\nsecond" {
		t.Errorf("comments on the issue = %+v, want the one comment edited in place", got)
	}
	after, _ := f.srv.Issue("acme/api#1")
	if !after.Updated.After(before.Updated) {
		t.Errorf("issue updated_at %s not bumped past %s by the comment", after.Updated, before.Updated)
	}
	if n := f.srv.Count(func(r sandbox.Request) bool { return r.Write() }); n != 2 {
		t.Errorf("%d writes, want 2", n)
	}
}

// TestWritesAreSpaced: GitHub's default spacing of a second, and time
// that passed between writes counting towards it. (A configured spacing
// holding is the tracker contract's.)
func TestWritesAreSpaced(t *testing.T) {
	tests := []struct {
		name    string
		spacing time.Duration
		writes  int
		// elapse is clock time passing between writes (reads, analysis).
		elapse time.Duration
		want   []time.Duration
	}{
		{name: "default spacing", writes: 3, want: []time.Duration{time.Second, time.Second}},
		{name: "time already passed counts", spacing: 5 * time.Second, writes: 3, elapse: 2 * time.Second,
			want: []time.Duration{3 * time.Second, 3 * time.Second}},
		{name: "gap longer than spacing", writes: 2, elapse: time.Minute},
		{name: "single write", writes: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, genIssues("acme/api", 2, base), sandbox.GitHubOptions{})
			c := f.client(t, []string{"acme/api"}, func(cfg *Config) { cfg.WriteSpacing = tt.spacing })
			var last time.Time
			for i := range tt.writes {
				if i > 0 {
					f.clock.Advance(tt.elapse)
				}
				if _, err := c.CreateComment(t.Context(), "acme/api#1", "note"); err != nil {
					t.Fatal(err)
				}
				now := f.clock.Now()
				spacing := tt.spacing
				if spacing == 0 {
					spacing = time.Second
				}
				if i > 0 && now.Sub(last) < spacing {
					t.Errorf("write %d came %s after the previous one, want at least %s", i, now.Sub(last), spacing)
				}
				last = now
			}
			if got := f.clock.Sleeps(); !slices.Equal(got, tt.want) {
				t.Errorf("slept %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWriteFailures(t *testing.T) {
	tests := []struct {
		name      string
		fault     sandbox.Fault
		wantErr   string
		wantPosts int
		wantSaved int // comments on the issue afterwards
	}{
		{
			name:      "5xx on create: not created, so posted again",
			fault:     sandbox.Fault{Status: 502, Times: 1, Match: func(r *http.Request) bool { return r.Method == http.MethodPost }},
			wantPosts: 2, wantSaved: 1,
		},
		{
			name:    "422 on create is not retried",
			fault:   sandbox.Fault{Status: 422, Times: 1, Body: `{"message":"Validation Failed","documentation_url":"https://docs.github.com/rest"}`, Match: func(r *http.Request) bool { return r.Method == http.MethodPost }},
			wantErr: "422", wantPosts: 1, wantSaved: 0,
		},
		{
			name:      "secondary limit on create is waited out and retried",
			fault:     sandbox.Fault{Status: 403, Times: 1, Header: sandbox.RetryAfter(45 * time.Second), Body: secondaryBody, Match: func(r *http.Request) bool { return r.Method == http.MethodPost }},
			wantPosts: 2, wantSaved: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, genIssues("acme/api", 2, base), sandbox.GitHubOptions{})
			f.srv.AddFault(tt.fault)
			c := f.client(t, []string{"acme/api"})
			_, err := c.CreateComment(t.Context(), "acme/api#1", "note")
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("CreateComment: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("CreateComment error = %v, want one containing %q", err, tt.wantErr)
			}
			if n := f.srv.Count(func(r sandbox.Request) bool { return r.Method == http.MethodPost }); n != tt.wantPosts {
				t.Errorf("%d POSTs, want %d", n, tt.wantPosts)
			}
			if n := len(f.srv.Comments("acme/api#1")); n != tt.wantSaved {
				t.Errorf("%d comments on the issue, want %d", n, tt.wantSaved)
			}
		})
	}
}

func TestLoginIsCached(t *testing.T) {
	f := newFixture(t, genIssues("acme/api", 1, base), sandbox.GitHubOptions{Login: "ladder-app"})
	c := f.client(t, []string{"acme/api"})
	for range 3 {
		got, err := c.Login(t.Context())
		if err != nil || got != "ladder-app" {
			t.Fatalf("Login = %q, %v", got, err)
		}
	}
	if n := countPath(f.srv, func(p string) bool { return p == "/user" }); n != 1 {
		t.Errorf("GET /user made %d times, want once", n)
	}
}

func TestLabels(t *testing.T) {
	issues := []ladder.Issue{{Ref: ladder.Ref{Tracker: "gh", Key: "acme/api#4"}, Title: "x", Labels: []string{"ladder-ignore", "bug"}}}
	f := newFixture(t, issues, sandbox.GitHubOptions{})
	got, err := f.client(t, []string{"acme/api"}).Labels(t.Context(), "acme/api#4")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"ladder-ignore", "bug"}) {
		t.Errorf("Labels = %v", got)
	}
}

func TestWriteBackBadInput(t *testing.T) {
	f := newFixture(t, genIssues("acme/api", 1, base), sandbox.GitHubOptions{})
	c := f.client(t, []string{"acme/api"})
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"bad key", func() error { _, err := c.CreateComment(t.Context(), "PAY-12", "x"); return err }, `issue key "PAY-12"`},
		{"bad comment id", func() error { return c.EditComment(t.Context(), "acme/api#1", "abc", "x") }, `comment id "abc"`},
		{"unknown comment", func() error { return c.EditComment(t.Context(), "acme/api#1", "42", "x") }, "404"},
		{"empty marker", func() error { _, _, err := c.FindComment(t.Context(), "acme/api#1", ""); return err }, "empty marker"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestCreateCommentAfterLostAnswer makes the sandbox apply a comment POST
// and then lose the answer: a 503, or the connection closed without a word.
// Ladder must find the comment it made instead of posting it twice, and
// must not post again when it cannot check.
func TestCreateCommentAfterLostAnswer(t *testing.T) {
	post := func(r *http.Request) bool { return r.Method == http.MethodPost }
	tests := []struct {
		name       string
		fault      sandbox.GitHubWriteFault
		checkFails bool // the look for the comment fails too
		wantErr    string
		wantPosts  int
	}{
		{name: "503 after the comment was made", fault: sandbox.GitHubWriteFault{Match: post, Times: 1, Status: 503}, wantPosts: 1},
		{name: "connection dropped after the comment was made", fault: sandbox.GitHubWriteFault{Match: post, Times: 1, Drop: true}, wantPosts: 1},
		{name: "cannot check: not posted again", fault: sandbox.GitHubWriteFault{Match: post, Times: 1, Status: 502}, checkFails: true,
			wantErr: "could not be checked", wantPosts: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, genIssues("acme/api", 2, base), sandbox.GitHubOptions{})
			// Somebody else's comment with the same text is not ours.
			if _, err := f.srv.AddComment("acme/api#1", "mallory", marker+"\nverdict"); err != nil {
				t.Fatal(err)
			}
			c := f.client(t, []string{"acme/api"}, func(cfg *Config) { cfg.MaxRetries = 1 })
			if _, _, err := c.FindComment(t.Context(), "acme/api#1", marker); err != nil {
				t.Fatal(err)
			}
			f.srv.AddWriteFault(tt.fault)
			if tt.checkFails {
				f.srv.AddFault(sandbox.Fault{Status: 500, Match: func(r *http.Request) bool {
					return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/issues/1/comments")
				}})
			}
			got, err := c.CreateComment(t.Context(), "acme/api#1", marker+"\nverdict")
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("CreateComment: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("CreateComment error = %v, want one containing %q", err, tt.wantErr)
			}
			if n := f.srv.Count(func(r sandbox.Request) bool { return r.Method == http.MethodPost }); n != tt.wantPosts {
				t.Errorf("%d POSTs, want %d", n, tt.wantPosts)
			}
			var ours []ladder.Comment
			for _, cm := range f.srv.Comments("acme/api#1") {
				if cm.Author == "ladder-bot" {
					ours = append(ours, cm)
				}
			}
			if len(ours) != 1 {
				t.Fatalf("the issue has %d comments by ladder-bot, want exactly 1", len(ours))
			}
			if err == nil && (got.ID != ours[0].ID || got.Author != "ladder-bot") {
				t.Errorf("CreateComment returned %+v, want the comment it made (%s)", got, ours[0].ID)
			}
		})
	}
}
