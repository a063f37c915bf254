package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/analyzer"
	"github.com/ladderhq/ladder/config"
	"github.com/ladderhq/ladder/internal/report"
	"github.com/ladderhq/ladder/internal/store"
)

// summaryMarker and summaryProperty find the one summary comment on
// writeback.summary_issue, as report.Marker / report.JiraProperty find the
// per-issue ones. Analysis knows the summary by its title and footer instead
// (ladder.IsLadderText): it sees neither markers nor properties.
const (
	summaryMarker   = ladder.SummaryMarker
	summaryProperty = "ladder.summary"
)

type publishOptions struct {
	Apply       bool
	Verify      bool
	IncludeDone bool
	Quiet       bool
	AsOf        asOf
	// Trackers, when not nil, limits publishing to these trackers (`run`
	// skips the ones whose sync failed).
	Trackers   []string
	Wait       time.Duration // how long to wait for the run lock (--apply)
	HTTPClient *http.Client
	// Pacer, when not nil, paces the writes of every publish of a
	// long-lived process; nil gives this publish a fresh one.
	Pacer *pacer
}

func newPublishCmd(g *globals) *cobra.Command {
	var opts publishOptions
	cmd := &cobra.Command{
		Use:   "publish",
		Short: "Plan (and with --apply, write) one Ladder comment per issue and the summary issue",
		Long: `Plan one Ladder comment per issue that writeback.comment_on selects (open issues
only unless --include-done): create, update, unchanged or opted-out. Dry-run is the
default and makes no write request: it prints the plan with the text diff. Writes happen
only with --apply or writeback.dry_run: false. Ladder finds its earlier comment by a
hidden marker (GitHub) or comment property (Jira) AND its own account, edits it in place,
skips unchanged content, honours the opt-out label and never touches labels.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.loadTrackerConfig("")
			if err != nil {
				return err
			}
			_, err = runPublish(cmd.Context(), g, cfg, opts)
			return g.skipIfHeld(err)
		},
	}
	cmd.Flags().BoolVar(&opts.Apply, "apply", false, "write for real (default: dry-run)")
	cmd.Flags().DurationVar(&opts.Wait, "wait", 0, "with --apply: wait up to this long for another run on the store to end (default: skip at once)")
	cmd.Flags().BoolVar(&opts.IncludeDone, "include-done", false, "also comment on done issues")
	cmd.Flags().BoolVar(&opts.Quiet, "quiet", false, "print counts only, not the plan")
	cmd.Flags().BoolVar(&opts.Verify, "verify", false, "re-read every comment from the tracker instead of trusting what the store says Ladder last wrote")
	opts.AsOf.register(cmd)
	return cmd
}

type action string

const (
	actCreate    action = "create"
	actUpdate    action = "update"
	actUnchanged action = "unchanged"
	actOptedOut  action = "opted-out"
	actDeferred  action = "deferred" // over writeback.max_writes or a tracker's hour limit
	actFailed    action = "failed"
)

type planItem struct {
	Ref       ladder.Ref
	Action    action
	Body      string
	Old       string
	CommentID string
	Err       error
	Why       string // why a deferred item waits for the next run
}

// publishResult counts the plan's actions.
type publishResult struct {
	Counts map[action]int
	Items  []planItem
	DryRun bool
}

func (r publishResult) line() string {
	mode := "applied"
	if r.DryRun {
		mode = "dry-run, nothing written"
	}
	return fmt.Sprintf("publish (%s): %d create, %d update, %d unchanged, %d opted-out, %d deferred, %d failed",
		mode, r.Counts[actCreate], r.Counts[actUpdate], r.Counts[actUnchanged], r.Counts[actOptedOut], r.Counts[actDeferred], r.Counts[actFailed])
}

func runPublish(ctx context.Context, g *globals, cfg *config.Config, opts publishOptions) (publishResult, error) {
	dryRun := cfg.Writeback.DryRun && !opts.Apply
	res := publishResult{Counts: map[action]int{}, DryRun: dryRun}
	now, err := opts.AsOf.time()
	if err != nil {
		return res, err
	}
	if !dryRun {
		// Writing takes the run lock; a dry run only reads.
		var release func()
		if ctx, release, err = g.takeRunLock(ctx, cfg, storeWrites, opts.Wait); err != nil {
			return res, err
		}
		defer release()
	}
	trackers, err := openTrackers(cfg, "", g.Getenv, g.Logger, opts.HTTPClient)
	if err != nil {
		return res, err
	}
	pace := opts.Pacer
	if pace == nil {
		pace = newPacer(pacerConfig{MaxWrites: cfg.Writeback.MaxWrites})
	}
	budget := newWriteBudget(min(cfg.Writeback.MaxWrites, pace.windowLeft()), pace.maxWritesReason())
	writers := publishWriters(trackers, opts.Trackers, pace, budget)
	rules := planRules{Trackers: map[string]bool{}, CommentOn: cfg.Writeback.CommentOn, IncludeDone: opts.IncludeDone,
		OptedOut: map[ladder.Ref]bool{}}
	for name := range writers {
		rules.Trackers[name] = true
	}
	a, err := newAnalyzer(cfg, now)
	if err != nil {
		return res, err
	}
	use := storeWrites
	if dryRun {
		use = storeReadsMayRecord
	}
	st, err := g.openStore(ctx, cfg, use)
	if err != nil {
		return res, err
	}
	defer st.Close()

	items, sum, stored, err := planVerdicts(ctx, g, st, a, writers, rules, cfg.Writeback.OptOutLabel, opts.Verify)
	if err != nil {
		return res, err
	}
	if stored == 0 && cfg.Writeback.SummaryIssue != "" {
		// An empty store is a wrong path or a sync that found nothing: its
		// report would replace the real summary with one of no issues.
		c, _ := g.chooseStore(cfg)
		return res, fmt.Errorf("publish: the store %s (chosen by %s) holds no issues; refusing to replace the summary on %s with an empty report "+
			"(run `ladder sync` first, or check the store's path)", c.path, c.how, cfg.Writeback.SummaryIssue)
	}

	var summaryItem *planItem
	if ref := cfg.Writeback.SummaryIssue; ref != "" {
		sref, _ := ladder.ParseRef(ref) // validated with the config
		if writers[sref.Tracker] != nil {
			summaryItem = &planItem{Ref: sref}
		}
	}
	// Plan: read-only requests to find our earlier comments, only as many
	// as the budget can act on.
	look := func(it *planItem, summary bool) error {
		w := writers[it.Ref.Tracker]
		if summary {
			body, err := renderSummary(w, sum, reportOpts(cfg, now, 4))
			if err != nil {
				return err
			}
			it.Body = body
		}
		it.Action, it.Old, it.CommentID, it.Err = planOne(ctx, w, it.Ref.Key, marker(w, summary), it.Body)
		if it.Action == actUnchanged && !summary {
			remember(ctx, g, st, it)
			it.Body, it.Old = "", ""
		}
		return nil
	}
	if err := spendBudget(budget, summaryItem, items, look); err != nil {
		return res, err
	}
	res.Items = items
	// The plan holds no more creates and updates than the budget: applying
	// it needs no budget of its own (the pacer still guards every write).
	if !dryRun {
		if summaryItem != nil {
			apply(ctx, g, st, writers, summaryItem, true)
		}
		for i := range res.Items {
			if ctx.Err() != nil {
				break
			}
			apply(ctx, g, st, writers, &res.Items[i], false)
		}
	}
	if summaryItem != nil {
		res.Items = append(res.Items, *summaryItem)
	}
	return res, finish(ctx, g, &res, opts.Quiet)
}

// publishWriters returns the comment writer of each tracker published (all
// when only is nil): paced by the process's pacer, inside a failure streak
// of this publish's own. The budget learns each tracker's hour allowance.
func publishWriters(trackers []tracker, only []string, pace *pacer, budget *writeBudget) map[string]commenter {
	writers := map[string]commenter{}
	for _, t := range trackers {
		if only != nil && !slices.Contains(only, t.cfg.Name) {
			continue
		}
		writers[t.cfg.Name] = newStreakWriter(t.cfg.Name, pace.wrap(t.cfg.Name, t.cfg.Kind, t.writer))
		if left, why, ok := pace.trackerLeft(t.cfg.Name, t.cfg.Kind); ok {
			budget.limit(t.cfg.Name, left, why)
		}
	}
	return writers
}

// planVerdicts runs the analysis and turns each verdict the rules select
// into a plan item as the analyzer emits it: its comment rendered, and
// dropped again when the store says that is what the issue already shows,
// so a nightly run over a large backlog holds only the comments that
// changed, not every verdict. It returns the items, the summary and how
// many issues the store holds.
func planVerdicts(ctx context.Context, g *globals, st ladderStore, a *analyzer.Analyzer, writers map[string]commenter,
	rules planRules, optOut string, verify bool) ([]planItem, *ladder.Summary, int, error) {
	// The opt-out label lives on the issue, not the verdict: note it while
	// the analyzer streams the issues.
	stored := 0
	each := func(fn func(*ladder.Issue) error) error {
		return readAhead(ctx, st)(func(is *ladder.Issue) error {
			stored++
			if optOut != "" && is.HasLabel(optOut) {
				rules.OptedOut[is.Ref] = true
			}
			return fn(is)
		})
	}
	var items []planItem
	var storeErr error
	summary, err := a.Run(each, func(v *ladder.Verdict) error {
		item, ok := rules.decide(v)
		if !ok {
			return nil
		}
		if item.Action == "" {
			if err := withTitles(ctx, st, v); err != nil {
				return err
			}
			item.Body = renderComment(writers[v.Tracker], v)
			// What the store says we last wrote spares a read per issue on
			// every nightly run; --verify goes to the tracker anyway.
			pub, ok, err := st.Published(ctx, v.Ref)
			if err != nil {
				storeErr = err
			}
			knownUnchanged(&item, pub, ok, verify)
		}
		items = append(items, item)
		return nil
	})
	if err != nil {
		return nil, nil, stored, fmt.Errorf("analyze: %w", err)
	}
	if storeErr != nil {
		g.Logger.Warn("could not read what was published before; asking the tracker instead", "err", storeErr)
	}
	return items, summary, stored, nil
}

// apply writes one planned create or update. A failure marks the item
// failed; a write the pacer holds back marks it deferred.
func apply(ctx context.Context, g *globals, st ladderStore, writers map[string]commenter, it *planItem, summary bool) {
	if it.Action != actCreate && it.Action != actUpdate {
		return
	}
	w := writers[it.Ref.Tracker]
	err := write(ctx, w, it, marker(w, summary))
	var deferred errDeferred
	var givenUp errGivenUp
	switch {
	case errors.As(err, &deferred):
		it.Action, it.Body, it.Old, it.Why = actDeferred, "", "", deferred.why
		return
	case errors.As(err, &givenUp):
		it.Err, it.Action = err, actFailed
		return
	case err != nil:
		it.Err, it.Action = err, actFailed
		if ctx.Err() == nil { // an interruption is reported once, by execute
			g.Logger.Error("write failed", "issue", it.Ref.String(), "err", err)
		}
		return
	}
	g.Logger.Info("wrote comment", "issue", it.Ref.String(), "action", string(it.Action), "comment", it.CommentID,
		"lines_changed", changedLines(it.Old, it.Body))
	if !summary {
		remember(ctx, g, st, it)
	}
}

// finish counts the plan, prints it (the counts only when quiet) with why
// comments were deferred, and returns what failed.
func finish(ctx context.Context, g *globals, res *publishResult, quiet bool) error {
	var failed []error
	deferred := map[string]int{}
	var whys []string
	for _, it := range res.Items {
		res.Counts[it.Action]++
		if it.Err != nil {
			failed = append(failed, fmt.Errorf("%s: %w", it.Ref, it.Err))
		}
		if it.Action == actDeferred && it.Why != "" {
			if deferred[it.Why] == 0 {
				whys = append(whys, it.Why)
			}
			deferred[it.Why]++
		}
	}
	if !quiet {
		printPlan(g, *res)
	}
	fmt.Fprintln(g.Stdout, res.line())
	for _, why := range whys {
		fmt.Fprintf(g.Stdout, "%d comments deferred to the next run: %s\n", deferred[why], why)
	}
	g.record("published", "dry_run", res.DryRun, "create", res.Counts[actCreate], "update", res.Counts[actUpdate],
		"unchanged", res.Counts[actUnchanged], "opted_out", res.Counts[actOptedOut], "deferred", res.Counts[actDeferred],
		"failed", res.Counts[actFailed])
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(failed) > 0 {
		const show = 5
		total, more := len(failed), ""
		if total > show {
			more = fmt.Sprintf("\n… and %d more", len(failed)-show)
			failed = failed[:show]
		}
		return fmt.Errorf("publish: %d of %d comments failed:\n%w%s", total, len(res.Items), errors.Join(failed...), more)
	}
	return nil
}

// remember records what Ladder's comment on an issue now says. A failure
// only costs a read on the next run, so it is logged, not returned; a
// read-only store (a dry run by a user who may not write it) records nothing.
func remember(ctx context.Context, g *globals, st ladderStore, it *planItem) {
	if st.ReadOnly() {
		return
	}
	err := st.SavePublished(ctx, store.Publication{Ref: it.Ref, CommentID: it.CommentID, Hash: bodyHash(it.Body), At: time.Now().UTC()})
	if err != nil {
		g.Logger.Warn("could not record the publication", "issue", it.Ref.String(), "err", err)
	}
}

func bodyHash(body string) string {
	sum := sha256.Sum256([]byte(normalize(body)))
	return hex.EncodeToString(sum[:])
}

func marker(w commenter, summary bool) string {
	switch {
	case w.markup() == "jira" && summary:
		return summaryProperty
	case w.markup() == "jira":
		return report.JiraProperty
	case summary:
		return summaryMarker
	default:
		return report.Marker
	}
}

func renderComment(w commenter, v *ladder.Verdict) string {
	if w.markup() == "jira" {
		return report.JiraComment(v)
	}
	return report.GitHubComment(v)
}

// renderSummary renders the report for the summary issue: Markdown behind
// the marker on GitHub, wiki markup on Jira (whose comment property marks it).
func renderSummary(w commenter, s *ladder.Summary, o report.Options) (string, error) {
	var buf bytes.Buffer
	if w.markup() == "jira" {
		if err := report.JiraWiki(&buf, s, o); err != nil {
			return "", fmt.Errorf("summary report: %w", err)
		}
		return buf.String(), nil
	}
	if err := report.Markdown(&buf, s, o); err != nil {
		return "", fmt.Errorf("summary report: %w", err)
	}
	return summaryMarker + "\n" + buf.String(), nil
}

// planOne decides create / update / unchanged by finding our earlier comment.
func planOne(ctx context.Context, w commenter, key, marker, body string) (act action, old, id string, err error) {
	c, found, err := w.find(ctx, key, marker)
	if err != nil {
		return actFailed, "", "", err
	}
	if !found {
		return actCreate, "", "", nil
	}
	old = c.Raw
	if old == "" {
		old = c.Body
	}
	if normalize(old) == normalize(body) {
		return actUnchanged, old, c.ID, nil
	}
	return actUpdate, old, c.ID, nil
}

// normalize ignores what trackers change on the way: line endings and
// trailing whitespace.
func normalize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.Join(lines, "\n")
}

func write(ctx context.Context, w commenter, it *planItem, marker string) error {
	if it.Action == actUpdate {
		return w.edit(ctx, it.Ref.Key, it.CommentID, it.Body)
	}
	c, err := w.create(ctx, it.Ref.Key, marker, it.Body)
	if err != nil {
		return err
	}
	it.CommentID = c.ID
	return nil
}

func changedLines(old, new string) int {
	n := 0
	for _, l := range strings.Split(report.Diff(old, new), "\n") {
		if strings.HasPrefix(l, "+") || strings.HasPrefix(l, "-") {
			n++
		}
	}
	return n
}

func printPlan(g *globals, res publishResult) {
	for _, it := range res.Items {
		switch it.Action {
		case actUnchanged, actOptedOut, actDeferred:
			fmt.Fprintf(g.Stdout, "%-9s %s\n", it.Action, it.Ref)
		case actFailed:
			fmt.Fprintf(g.Stdout, "%-9s %s: %v\n", it.Action, it.Ref, it.Err)
		default:
			fmt.Fprintf(g.Stdout, "%-9s %s\n", it.Action, it.Ref)
			if res.DryRun {
				for _, l := range strings.Split(strings.TrimRight(report.Diff(it.Old, it.Body), "\n"), "\n") {
					fmt.Fprintf(g.Stdout, "    %s\n", l)
				}
			}
		}
	}
}
