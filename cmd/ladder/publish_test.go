package main

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/config"
	"github.com/ladderhq/ladder/internal/report"
	"github.com/ladderhq/ladder/internal/sandbox"
)

// globals for calling runX directly, with the demo credentials.
func (e *env) globals(t *testing.T) (*globals, *config.Config) {
	t.Helper()
	g := &globals{ConfigPath: e.cfg, Stdout: e.stdout, Stderr: e.stderr,
		Getenv: func(k string) string { return demoEnv[k] }}
	var err error
	if g.Logger, err = newLogger(e.stderr, "warn", "text"); err != nil {
		t.Fatal(err)
	}
	cfg, err := g.loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	return g, cfg
}

func (e *env) publish(t *testing.T, apply bool) publishResult {
	t.Helper()
	g, cfg := e.globals(t)
	res, err := runPublish(t.Context(), g, cfg, publishOptions{Apply: apply, Quiet: true, AsOf: asOf{asOfDate}})
	if err != nil {
		t.Fatalf("publish: %v\n%s", err, e.stderr)
	}
	return res
}

func (e *env) writes() int { return writes(e.gh.Harness) + writes(e.jira.Harness()) }

func itemOf(res publishResult, ref ladder.Ref) (planItem, bool) {
	for _, it := range res.Items {
		if it.Ref == ref {
			return it, true
		}
	}
	return planItem{}, false
}

// firstSelected returns the first planned issue of the tracker, for edits.
func firstSelected(t *testing.T, res publishResult, tracker string, act action) ladder.Ref {
	t.Helper()
	for _, it := range res.Items {
		if it.Ref.Tracker == tracker && it.Action == act && !strings.HasSuffix(it.Ref.Key, "planning#1") {
			return it.Ref
		}
	}
	t.Fatalf("no %s item for tracker %s", act, tracker)
	return ladder.Ref{}
}

func TestPublishDryRunMakesNoWrites(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	before := e.writes()
	res := e.publish(t, false)
	if !res.DryRun {
		t.Fatal("publish without --apply must be a dry run (the sample config keeps dry_run: true)")
	}
	if got := e.writes(); got != before {
		t.Fatalf("dry-run made %d write requests", got-before)
	}
	if res.Counts[actCreate] == 0 {
		t.Fatalf("dry-run planned no comments: %v", res.Counts)
	}
	// The printed plan shows the text that would be written.
	e.mustRun(t, "publish", "--as-of", asOfDate)
	if out := e.stdout.String(); !strings.Contains(out, "create    ") || !strings.Contains(out, "+") || !strings.Contains(out, "dry-run, nothing written") {
		t.Errorf("dry-run plan lacks creates with diff:\n%.2000s", out)
	}
	if got := e.writes(); got != before {
		t.Fatalf("dry-run CLI made %d write requests", got-before)
	}
}

func TestPublishIsIdempotentAndEditsInPlace(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	first := e.publish(t, true)
	created := first.Counts[actCreate]
	if created == 0 || first.Counts[actFailed] != 0 {
		t.Fatalf("first publish: %v", first.Counts)
	}
	for _, it := range first.Items {
		if it.Action != actCreate {
			continue
		}
		if n := len(ladderComments(e, it.Ref)); n != 1 {
			t.Errorf("%s: %d Ladder comments after first publish, want 1", it.Ref, n)
		}
	}

	writesBefore := e.writes()
	second := e.publish(t, true)
	if second.Counts[actUnchanged] != created || second.Counts[actCreate]+second.Counts[actUpdate] != 0 {
		t.Fatalf("second publish: %v, want %d unchanged and nothing written", second.Counts, created)
	}
	if e.writes() != writesBefore {
		t.Fatalf("second publish wrote %d times", e.writes()-writesBefore)
	}

	// A changed verdict edits the existing comment: mark an unaligned GitHub
	// issue as tech debt and put it on a goal.
	ref := firstSelected(t, second, "gh", actUnchanged)
	old := ladderComments(e, ref)
	if err := e.gh.EditIssue(ref.Key, func(is *ladder.Issue) { is.Labels = append(is.Labels, "tech-debt") }); err != nil {
		t.Fatal(err)
	}
	e.mustRun(t, "sync")
	third := e.publish(t, true)
	it, ok := itemOf(third, ref)
	if !ok || it.Action != actUpdate {
		t.Fatalf("%s after edit: %+v, want update", ref, it)
	}
	now := ladderComments(e, ref)
	if len(now) != 1 || now[0].ID != old[0].ID || now[0].Raw == old[0].Raw {
		t.Fatalf("%s: comment not edited in place: before %+v after %+v", ref, old, now)
	}
	if !strings.Contains(now[0].Raw, "tech-debt") && !strings.Contains(strings.ToLower(now[0].Raw), "debt") {
		t.Errorf("edited comment does not mention the debt label:\n%s", now[0].Raw)
	}

	// The summary issue has exactly one Ladder summary comment, edited in place.
	var summaries int
	for _, c := range e.gh.Comments("acme/planning#1") {
		if strings.Contains(c.Raw, summaryMarker) {
			summaries++
		}
	}
	if summaries != 1 {
		t.Errorf("summary issue has %d summary comments, want 1", summaries)
	}
}

func TestPublishHonoursOptOutLabel(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	plan := e.publish(t, false)
	ref := firstSelected(t, plan, "gh", actCreate)
	if err := e.gh.EditIssue(ref.Key, func(is *ladder.Issue) { is.Labels = append(is.Labels, sandbox.OptOutLabel) }); err != nil {
		t.Fatal(err)
	}
	e.mustRun(t, "sync")
	res := e.publish(t, true)
	if it, _ := itemOf(res, ref); it.Action != actOptedOut {
		t.Fatalf("%s: action %q, want opted-out", ref, it.Action)
	}
	if n := len(ladderComments(e, ref)); n != 0 {
		t.Errorf("%s: opted-out issue got %d comments", ref, n)
	}
	// Labels people set are never touched.
	is, _ := e.gh.Issue(ref.Key)
	if !slices.Contains(is.Labels, sandbox.OptOutLabel) {
		t.Errorf("labels changed: %v", is.Labels)
	}
}

func TestPublishNeverEditsSomebodyElsesComment(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	plan := e.publish(t, false)
	ghRef := firstSelected(t, plan, "gh", actCreate)
	jiraRef := firstSelected(t, plan, "jira", actCreate)

	const fake = "quoting Ladder:\n" + report.Marker + "\nnot Ladder's"
	forged, err := e.gh.AddComment(ghRef.Key, "mallory", fake)
	if err != nil {
		t.Fatal(err)
	}
	jid, err := e.jira.AddComment(jiraRef.Key, "mallory-account", "looks like Ladder's")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.jira.SetCommentProperty(jid, report.JiraProperty, map[string]any{"marker": "v1"}); err != nil {
		t.Fatal(err)
	}
	e.mustRun(t, "sync")
	res := e.publish(t, true)
	for _, ref := range []ladder.Ref{ghRef, jiraRef} {
		if it, _ := itemOf(res, ref); it.Action != actCreate {
			t.Errorf("%s: action %q, want create (the other comment is not ours)", ref, it.Action)
		}
	}
	for _, c := range e.gh.Comments(ghRef.Key) {
		if c.ID == forged && c.Raw != fake {
			t.Errorf("somebody else's GitHub comment was edited: %q", c.Raw)
		}
	}
	for _, c := range e.jira.Comments(jiraRef.Key) {
		if c.ID == jid && c.Raw != "looks like Ladder's" {
			t.Errorf("somebody else's Jira comment was edited: %q", c.Raw)
		}
	}
	// Second run: still exactly one comment of ours, and unchanged.
	res = e.publish(t, true)
	for _, ref := range []ladder.Ref{ghRef, jiraRef} {
		if it, _ := itemOf(res, ref); it.Action != actUnchanged {
			t.Errorf("%s: second run %q, want unchanged", ref, it.Action)
		}
	}
}

func TestPublishRendersHostileTitleInert(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	res := e.publish(t, true)
	var hostile *planItem
	for i, it := range res.Items {
		if strings.Contains(it.Body, "everyone") && strings.Contains(it.Body, "script") {
			hostile = &res.Items[i]
		}
	}
	if hostile == nil {
		t.Fatal("the sample organisation's hostile issue got no comment")
	}
	for _, bad := range []string{"@everyone", "<script>", "[~accountid:abc]", " #1 "} {
		if strings.Contains(hostile.Body, bad) {
			t.Errorf("%s: comment contains live %q:\n%s", hostile.Ref, bad, hostile.Body)
		}
	}
}

func TestPublishTrustsTheStoreUnlessVerify(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	first := e.publish(t, true)
	e.gh.ResetLog()
	e.jira.Harness().ResetLog()
	second := e.publish(t, true)
	reads := e.gh.Count(nil) + e.jira.Harness().Count(nil)
	// Only the summary comment is looked up again (its content has no cache).
	if reads > 3 {
		t.Errorf("second publish made %d requests; the store knows what Ladder wrote", reads)
	}
	if second.Counts[actUnchanged] != first.Counts[actCreate] {
		t.Errorf("second publish: %v", second.Counts)
	}

	// --verify reads every comment from the trackers again (to find one somebody deleted).
	g, cfg := e.globals(t)
	res, err := runPublish(t.Context(), g, cfg, publishOptions{Apply: true, Verify: true, Quiet: true, AsOf: asOf{asOfDate}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts[actUnchanged] != first.Counts[actCreate] {
		t.Errorf("--verify: %v", res.Counts)
	}
	if e.gh.Count(nil)+e.jira.Harness().Count(nil) <= reads+first.Counts[actCreate]/2 {
		t.Errorf("--verify did not read the comments from the trackers")
	}
}

func TestPublishGivesUpOnAFailingTracker(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	vars := map[string]string{}
	for k, v := range demoEnv {
		vars[k] = v
	}
	vars["LADDER_DEMO_JIRA_TOKEN"] = "revoked"
	e.jira.Harness().ResetLog()
	code := e.runEnv(t, vars, "publish", "--apply", "--quiet")
	if code != exitFailure {
		t.Fatalf("exit %d", code)
	}
	if n := e.jira.Harness().Count(nil); n > 10 {
		t.Errorf("publish kept calling a tracker that rejects the token: %d requests", n)
	}
	_, msg, _ := strings.Cut(e.stderr.String(), "ladder: publish:")
	if !strings.Contains(msg, "token rejected") || !strings.Contains(msg, "… and ") || strings.Count(msg, "\n") > 8 {
		t.Errorf("error should show a few failures and count the rest:\n%s", msg)
	}
	if !strings.Contains(e.stdout.String(), "publish (applied)") || writes(e.gh.Harness) == 0 {
		t.Errorf("GitHub comments should still be written:\n%s", e.stdout)
	}
}

func TestPublishSummaryToJiraInWikiMarkup(t *testing.T) {
	e := newEnv(t)
	cfg, err := os.ReadFile(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	const from, to = "summary_issue: gh:acme/planning#1", "summary_issue: jira:OPS-3"
	if !bytes.Contains(cfg, []byte(from)) {
		t.Fatalf("sample config lacks %q", from)
	}
	if err := os.WriteFile(e.cfg, bytes.Replace(cfg, []byte(from), []byte(to), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	e.mustRun(t, "sync")
	summaries := func() []ladder.Comment {
		var out []ladder.Comment
		for _, c := range e.jira.Comments("OPS-3") {
			if _, ok := e.jira.CommentProperty(c.ID, summaryProperty); ok {
				out = append(out, c)
			}
		}
		return out
	}
	e.publish(t, true)
	got := summaries()
	if len(got) != 1 {
		t.Fatalf("OPS-3 has %d summary comments, want 1", len(got))
	}
	body := got[0].Raw
	for _, want := range []string{"h1. ", "h2. At a glance", "||Team||Issues||", "|payments|"} {
		if !strings.Contains(body, want) {
			t.Errorf("Jira summary lacks %q:\n%.600s", want, body)
		}
	}
	for _, bad := range []string{"{noformat}", "| --- |", "## "} {
		if strings.Contains(body, bad) {
			t.Errorf("Jira summary has Markdown or a noformat block (%q)", bad)
		}
	}

	before := e.writes()
	e.publish(t, true)
	if again := summaries(); len(again) != 1 || again[0].ID != got[0].ID || again[0].Raw != body {
		t.Errorf("second publish: %d summary comments, or the first one changed", len(again))
	}
	if w := e.writes() - before; w != 0 {
		t.Errorf("second publish of an unchanged report made %d writes", w)
	}
}

// TestPublishMaxWritesDefersTheRestUnread: a run writes at most max_writes
// comments and does not even look up the issues it could not write on; the
// next runs carry on where it stopped; a dry run plans what the real run
// would do.
func TestPublishMaxWritesDefersTheRestUnread(t *testing.T) {
	e := newEnv(t)
	yaml, err := os.ReadFile(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	const limit = 20
	if err := os.WriteFile(e.cfg, append(yaml, fmt.Sprintf("  max_writes: %d\n", limit)...), 0o644); err != nil {
		t.Fatal(err)
	}
	e.mustRun(t, "sync")
	reads := func() int {
		n := e.gh.Count(func(r sandbox.Request) bool { return !r.Write() }) +
			e.jira.Harness().Count(func(r sandbox.Request) bool { return !r.Write() })
		e.gh.ResetLog()
		e.jira.Harness().ResetLog()
		return n
	}
	reads()

	dry := e.publish(t, false)
	dryReads := reads()
	selected := len(dry.Items) - 1 // the summary issue
	if selected <= 2*limit {
		t.Fatalf("%d issues selected: too few to exercise max_writes %d", selected, limit)
	}
	if dry.Counts[actCreate] != limit || dry.Counts[actDeferred] != selected-limit+1 {
		t.Errorf("dry run: %v; want %d create (the summary comment first) and the rest deferred", dry.Counts, limit)
	}
	// One look-up per planned issue, a few for the summary comment.
	if dryReads > limit+3 {
		t.Errorf("dry run made %d read requests for %d issues it could write on", dryReads, limit)
	}

	written := map[ladder.Ref]bool{}
	for run := 1; len(written) < selected; run++ {
		if run > selected/limit+2 {
			t.Fatalf("after %d runs %d of %d issues have their comment", run, len(written), selected)
		}
		before := e.writes()
		res := e.publish(t, true)
		if n := e.writes() - before; n > limit {
			t.Errorf("run %d wrote %d times, max_writes is %d", run, n, limit)
		}
		// One look-up per issue; the rest: who the token is (each
		// tracker), the summary comment, Jira's check of its first create.
		if r := reads(); r > limit+4 {
			t.Errorf("run %d made %d read requests", run, r)
		}
		for _, it := range res.Items {
			if it.Action == actCreate {
				if written[it.Ref] {
					t.Errorf("run %d creates a second comment on %s", run, it.Ref)
				}
				written[it.Ref] = true
			}
			if it.Action == actDeferred && it.Body != "" {
				t.Errorf("deferred %s keeps its comment in memory", it.Ref)
			}
		}
		if run == 1 && !slices.Equal(itemRefs(res, actCreate), itemRefs(dry, actCreate)) {
			t.Error("the first real run did not write where the dry run planned to")
		}
	}
	for _, is := range slices.Concat(e.org.Jira, e.org.GitHub) {
		if n := len(ladderComments(e, is.Ref)); n > 1 {
			t.Errorf("%s has %d Ladder comments", is.Ref, n)
		}
	}
}

func itemRefs(res publishResult, act action) []ladder.Ref {
	var refs []ladder.Ref
	for _, it := range res.Items {
		if it.Action == act {
			refs = append(refs, it.Ref)
		}
	}
	return refs
}

// TestPublishNamesBlockersByTitle: the comment names the other team's
// issue by its title, read from the store, not only by its key.
func TestPublishNamesBlockersByTitle(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	e.publish(t, true)
	cs := ladderComments(e, ladder.Ref{Tracker: "jira", Key: "DATA-35"})
	if len(cs) != 1 {
		t.Fatalf("%d Ladder comments on DATA-35", len(cs))
	}
	if body := cs[0].Body; !strings.Contains(body, "Publish ledger events to the warehouse topic") {
		t.Errorf("the comment does not name PAY-57 by its title:\n%s", body)
	}
}
