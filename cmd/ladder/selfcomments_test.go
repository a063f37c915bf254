package main

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
)

// These tests run the whole loop over HTTP against the sandbox trackers:
// Ladder posts its comments, the next sync brings them back, and they must
// change nothing — not a verdict, not the report, not a comment.

// syncPlanning adds the summary issue's repository to the GitHub tracker's
// repos, so the summary comment is synced back like any other comment.
func syncPlanning(t *testing.T, e *env) ladder.Ref {
	t.Helper()
	repo, _, _ := strings.Cut(sandbox.SummaryIssue, "#")
	editConfig(t, e, "    repos: [", "    repos: ["+repo+", ")
	return ladder.Ref{Tracker: sandbox.GitHubTracker, Key: sandbox.SummaryIssue}
}

// summaryOnJira moves writeback.summary_issue to a Jira issue, so the
// summary is posted as wiki markup and read back through the Jira connector.
func summaryOnJira(t *testing.T, e *env) ladder.Ref {
	t.Helper()
	ref := ladder.Ref{Tracker: sandbox.JiraTracker, Key: e.org.Jira[0].Key}
	editConfig(t, e, "summary_issue: "+sandbox.GitHubTracker+":"+sandbox.SummaryIssue, "summary_issue: "+ref.String())
	return ref
}

// dataCenter serves the env's Jira as Data Center instead of Cloud: a
// personal access token, offset-paged search, user names for accounts.
func dataCenter(t *testing.T, e *env) {
	t.Helper()
	cloud := e.jira.URL()
	e.jira = sandbox.NewJira(e.org.Jira, sandbox.JiraOptions{Deployment: "datacenter", Token: demoJiraToken})
	t.Cleanup(e.jira.Close)
	editConfig(t, e, "deployment: cloud", "deployment: datacenter")
	editConfig(t, e, "url: "+cloud, "url: "+e.jira.URL())
	editConfig(t, e, "    user_env: LADDER_DEMO_JIRA_EMAIL\n", "")
}

// editConfig replaces the first from in the env's config with to.
func editConfig(t *testing.T, e *env, from, to string) {
	t.Helper()
	b, err := os.ReadFile(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), from) {
		t.Fatalf("the sample config has no %q:\n%s", from, b)
	}
	if err := os.WriteFile(e.cfg, []byte(strings.Replace(string(b), from, to, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// verdictsAndReport is what a night's analysis says: every verdict as
// `analyze --format jsonl` prints it and the report as JSON.
func verdictsAndReport(t *testing.T, e *env, extra ...string) (jsonl, reportJSON string) {
	t.Helper()
	// Issue addresses name the sandbox's port, which differs between envs.
	hosts := strings.NewReplacer(e.gh.URL(), "https://github.example", e.jira.URL(), "https://jira.example")
	jsonl = hosts.Replace(e.mustRun(t, append(extra, "analyze", "--format", "jsonl", "--as-of", asOfDate)...))
	reportJSON = hosts.Replace(e.mustRun(t, append(extra, "report", "--format", "json", "--as-of", asOfDate)...))
	return jsonl, reportJSON
}

// sameLines fails with the lines that differ between two outputs.
func sameLines(t *testing.T, what, want, got string) {
	t.Helper()
	if want == got {
		return
	}
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var diff []string
	for i := 0; i < max(len(w), len(g)) && len(diff) < 8; i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			diff = append(diff, "- "+a, "+ "+b)
		}
	}
	t.Errorf("%s changed once Ladder's own comments were synced back; first differing lines:\n%s", what, strings.Join(diff, "\n"))
}

// changes counts the requests that change data on a tracker.
func changes(h *sandbox.Harness) int {
	return h.Count(sandbox.Request.Write)
}

// commentCreates counts the requests that post a new comment: GitHub's POST
// …/issues/{n}/comments and Jira's POST …/issue/{key}/comment.
func commentCreates(h *sandbox.Harness) int {
	return h.Count(func(r sandbox.Request) bool {
		return r.Method == http.MethodPost && (strings.HasSuffix(r.Path, "/comments") && strings.Contains(r.Path, "/issues/") ||
			strings.HasSuffix(r.Path, "/comment") && strings.Contains(r.Path, "/issue/"))
	})
}

func TestLadderCommentsAreNotEvidence(t *testing.T) {
	tests := []struct {
		name    string
		summary func(*testing.T, *env) ladder.Ref
	}{
		{"summary on GitHub", syncPlanning},
		{"summary on Jira", summaryOnJira},
		{"Jira Data Center, summary on Jira", func(t *testing.T, e *env) ladder.Ref {
			dataCenter(t, e)
			return summaryOnJira(t, e)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			summary := tt.summary(t, e)
			e.mustRun(t, "sync")
			verdicts, rep := verdictsAndReport(t, e)
			if !strings.Contains(verdicts, `"key":"`+summary.Key+`"`) {
				t.Fatalf("the summary issue %s is not analysed, so its comment would prove nothing", summary)
			}

			first := e.publish(t, true)
			perTracker := map[string]int{}
			for _, it := range first.Items {
				if it.Action == actCreate && it.Ref != summary {
					perTracker[it.Ref.Tracker]++
				}
			}
			if perTracker[sandbox.GitHubTracker] == 0 || perTracker[sandbox.JiraTracker] == 0 {
				t.Fatalf("first publish commented on %v, want issues of both trackers", perTracker)
			}
			// The summary's item comes last; the issue may have one of its own.
			if it := first.Items[len(first.Items)-1]; it.Ref != summary || it.Action != actCreate {
				t.Fatalf("summary: %s %q, want %s create", it.Ref, it.Action, summary)
			}

			// The next night brings every comment back into the store.
			e.mustRun(t, "sync")
			if out := e.stdout.String(); !strings.Contains(out, "comments") {
				t.Fatalf("the sync after publishing stored no comments:\n%s", out)
			}
			verdicts2, rep2 := verdictsAndReport(t, e)
			sameLines(t, "analyze --format jsonl", verdicts, verdicts2)
			sameLines(t, "the JSON report", rep, rep2)

			// An unchanged night writes nothing on either tracker.
			e.gh.ResetLog()
			e.jira.Harness().ResetLog()
			e.mustRun(t, "sync")
			second := e.publish(t, true)
			if n := changes(e.gh.Harness) + changes(e.jira.Harness()); n != 0 {
				t.Errorf("an unchanged night made %d write requests; plan %v", n, second.Counts)
			}
			if second.Counts[actCreate]+second.Counts[actUpdate]+second.Counts[actFailed] != 0 {
				t.Errorf("an unchanged night planned %v", second.Counts)
			}
		})
	}
}

// TestFreshStoreEditsLadderCommentsInPlace is the store lost with an
// ephemeral pod: a new store syncs trackers that already carry Ladder's
// comments, and publishing edits the comments whose verdict really changed,
// in place, and leaves every other one alone.
func TestFreshStoreEditsLadderCommentsInPlace(t *testing.T) {
	e := newEnv(t)
	summaryOnJira(t, e)
	e.mustRun(t, "sync")
	first := e.publish(t, true)
	commented := map[ladder.Ref]string{} // issue → the id of Ladder's comment
	for _, it := range first.Items {
		if it.Action == actCreate {
			commented[it.Ref] = it.CommentID
		}
	}
	ghRef := firstSelected(t, first, sandbox.GitHubTracker, actCreate)
	jiraRef := firstSelected(t, first, sandbox.JiraTracker, actCreate)

	// Somebody labels one issue of each tracker as debt: those two verdicts
	// change, nothing else does.
	debt := func(is *ladder.Issue) { is.Labels = append(is.Labels, "tech-debt") }
	if err := e.gh.EditIssue(ghRef.Key, debt); err != nil {
		t.Fatal(err)
	}
	if err := e.jira.EditIssue(jiraRef.Key, debt); err != nil {
		t.Fatal(err)
	}

	fresh := filepath.Join(t.TempDir(), "new.db")
	e.gh.ResetLog()
	e.jira.Harness().ResetLog()
	e.mustRun(t, "--store", fresh, "sync")
	g, cfg := e.globals(t)
	g.StorePath = fresh
	res, err := runPublish(t.Context(), g, cfg, publishOptions{Apply: true, Quiet: true, AsOf: asOf{asOfDate}})
	if err != nil {
		t.Fatalf("publish: %v\n%s", err, e.stderr)
	}

	if n := commentCreates(e.gh.Harness) + commentCreates(e.jira.Harness()); n != 0 || res.Counts[actCreate] != 0 {
		t.Errorf("a fresh store created %d comments (plan %v), want none: they are all there", n, res.Counts)
	}
	for _, it := range res.Items {
		switch {
		case it.Ref == ghRef || it.Ref == jiraRef:
			if it.Action != actUpdate {
				t.Errorf("%s: %q, want update (it was labelled tech debt)", it.Ref, it.Action)
			}
		case it.Action == actUpdate && it.Ref.String() == cfg.Writeback.SummaryIssue:
			// The debt shares of two teams changed.
		case it.Action != actUnchanged:
			t.Errorf("%s: %q, want unchanged: its verdict did not change", it.Ref, it.Action)
		}
	}
	for ref, id := range commented {
		var ids []string
		for _, c := range ladderComments(e, ref) {
			ids = append(ids, c.ID)
		}
		if !slices.Equal(ids, []string{id}) {
			t.Errorf("%s: Ladder's comments are %v, want the one it wrote first (%s)", ref, ids, id)
		}
	}
	edited := ladderComments(e, ghRef)
	if len(edited) != 1 || !strings.Contains(edited[0].Raw, "yes, debt paydown") {
		t.Errorf("%s: the comment was not edited to say it is debt:\n%+v", ghRef, edited)
	}
}

// TestRenamedBotCommentsAreNotEvidence: comments in Ladder's format posted by
// an account that is not the token's — the bot renamed, an App in place of a
// token — are Ladder's words all the same, and change no verdict.
func TestRenamedBotCommentsAreNotEvidence(t *testing.T) {
	// One organisation publishes, to learn what Ladder writes on each issue.
	src := newEnv(t)
	summaryOnJira(t, src)
	src.mustRun(t, "sync")
	verdicts, rep := verdictsAndReport(t, src)
	res := src.publish(t, true)

	// The same organisation elsewhere carries those comments, posted by
	// accounts other than the token's.
	e := newEnv(t)
	summaryOnJira(t, e)
	copied := map[string]int{}
	for _, it := range res.Items {
		for _, c := range ladderComments(src, it.Ref) {
			var err error
			if it.Ref.Tracker == sandbox.GitHubTracker {
				_, err = e.gh.AddComment(it.Ref.Key, "ladder-old-name", c.Raw)
			} else {
				_, err = e.jira.AddComment(it.Ref.Key, "retired-bot-account", c.Raw)
			}
			if err != nil {
				t.Fatal(err)
			}
			copied[it.Ref.Tracker]++
		}
	}
	if copied[sandbox.GitHubTracker] == 0 || copied[sandbox.JiraTracker] == 0 {
		t.Fatalf("copied %v, want comments on both trackers", copied)
	}

	e.mustRun(t, "sync")
	verdicts2, rep2 := verdictsAndReport(t, e)
	sameLines(t, "analyze --format jsonl", verdicts, verdicts2)
	sameLines(t, "the JSON report", rep, rep2)
}
