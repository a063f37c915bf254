package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/config"
)

type syncOptions struct {
	Tracker string
	Full    bool
	Wait    time.Duration // how long to wait for the run lock
	// HTTPClient replaces the default transport (tests, demo).
	HTTPClient *http.Client
}

func newSyncCmd(g *globals) *cobra.Command {
	var opts syncOptions
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Pull issues incrementally from every tracker into the store",
		Long: `Pull issues from every configured tracker (or one, with --tracker) into the store.
Incremental by default: only what changed since the last sync is fetched, and an
unchanged GitHub repository costs no API quota. A sync killed halfway loses nothing:
the next run picks up from the last page stored. Exit code 3 when some trackers
failed and others synced; 130 / 143 when SIGINT / SIGTERM stopped it.

--full also takes a census: issues the store holds that a complete listing no
longer returns (deleted upstream, or moved out of every synced scope) are marked
gone and leave analysis, reports and write-back; they come back if they reappear.
Run it now and then (weekly, say) next to the nightly incremental sync.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.loadTrackerConfig(opts.Tracker)
			if err != nil {
				return err
			}
			_, err = runSync(cmd.Context(), g, cfg, opts)
			return g.skipIfHeld(err)
		},
	}
	cmd.Flags().StringVar(&opts.Tracker, "tracker", "", "sync only the tracker of this name")
	cmd.Flags().DurationVar(&opts.Wait, "wait", 0, "wait up to this long for another run on the store to end (default: skip at once)")
	cmd.Flags().BoolVar(&opts.Full, "full", false, "ignore saved cursors and fetch everything again; issues no longer upstream are marked gone")
	return cmd
}

// runSync syncs each tracker in turn into the store and prints one summary
// line per tracker. A failing tracker does not stop the others; the error
// then says which failed (partialError when some succeeded).
func runSync(ctx context.Context, g *globals, cfg *config.Config, opts syncOptions) ([]ladder.SyncStats, error) {
	trackers, err := openTrackers(cfg, opts.Tracker, g.Getenv, g.Logger, opts.HTTPClient)
	if err != nil {
		return nil, err
	}
	if len(trackers) == 0 {
		return nil, usageError{fmt.Errorf("%s has no trackers to sync (add one under trackers:, or load issues with `ladder import`)", cfg.File)}
	}
	ctx, release, err := g.takeRunLock(ctx, cfg, storeFills, opts.Wait)
	if err != nil {
		return nil, err
	}
	defer release()
	st, err := g.openStore(ctx, cfg, storeFills)
	if err != nil {
		return nil, err
	}
	defer st.Close()

	prog := newProgress(g.Stderr)
	if g.progressTo != nil {
		prog = &progress{w: g.progressTo, tty: true, now: time.Now}
	}
	var all []ladder.SyncStats
	var failed []error
	for _, t := range trackers {
		start := time.Now()
		if opts.Full {
			st.StartSweep(t.cfg.Name)
		}
		stats, err := t.source.Sync(ctx, st, opts.Full, prog.update(t.cfg.Name, t.source))
		prog.done()
		stats.Tracker = t.cfg.Name
		if opts.Full {
			// Only a listing that completed may call what it missed gone.
			if err != nil {
				st.AbandonSweep(t.cfg.Name)
			} else {
				stats.Gone, err = st.FinishSweep(ctx, t.cfg.Name)
			}
		}
		if err != nil && ctx.Err() != nil {
			// Stopped, not failed: what it stored is kept and its cursor
			// says where to resume; the one message is execute's.
			return all, fmt.Errorf("sync %s: %w", t.cfg.Name, context.Cause(ctx))
		}
		if err != nil {
			g.Logger.Error("sync failed", "tracker", t.cfg.Name, "err", err)
			failed = append(failed, err)
			fmt.Fprintf(g.Stdout, "%s: FAILED after %d requests: %v%s\n", t.cfg.Name, stats.Requests, err, unreachableHint(t.cfg, err))
			continue
		}
		all = append(all, stats)
		took := time.Since(start)
		fmt.Fprintln(g.Stdout, syncLine(stats, took))
		g.record("synced", "tracker", stats.Tracker, "new", stats.Issues.New, "updated", stats.Issues.Updated,
			"unchanged", stats.Issues.Unchanged, "comments", stats.Comments, "gone", stats.Gone, "malformed", stats.Malformed,
			"requests", stats.Requests, "not_modified", stats.NotModified, "quota_remaining", stats.QuotaRemaining,
			"waited", stats.Waited, "took", took)
	}
	switch {
	case len(failed) == 0:
		return all, nil
	case len(all) > 0:
		return all, partialError{fmt.Errorf("%d of %d trackers failed: %w", len(failed), len(trackers), errors.Join(failed...))}
	default:
		return all, errors.Join(failed...)
	}
}

// unreachableHint says what to check when nothing listens at a tracker's
// address: on loopback that is most often a `ladder sandbox` that was
// stopped (or restarted on other ports), elsewhere the URL or the network.
func unreachableHint(tc config.Tracker, err error) string {
	if dns, ok := errors.AsType[*net.DNSError](err); ok && dns.IsNotFound {
		return fmt.Sprintf(" (host %s not found: check the network, and the tracker's url: in the config; `ladder init` writes example ones)", dns.Name)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		return ""
	}
	if u, perr := url.Parse(tc.URL); perr == nil {
		if ip := net.ParseIP(u.Hostname()); u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback()) {
			return fmt.Sprintf(" (nothing listens at %s: if this config is `ladder sandbox`'s, is the sandbox still running? A restarted one serves other ports unless started with --port)", tc.URL)
		}
	}
	return fmt.Sprintf(" (nothing listens at %s: check the tracker's url: and the network)", tc.URL)
}

func syncLine(s ladder.SyncStats, took time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d new, %d updated, %d unchanged issues", s.Tracker, s.Issues.New, s.Issues.Updated, s.Issues.Unchanged)
	if s.Comments > 0 {
		fmt.Fprintf(&b, ", %d comments", s.Comments)
	}
	if s.Gone > 0 {
		fmt.Fprintf(&b, "; %d no longer upstream (deleted or moved out of scope), left out of analysis", s.Gone)
	}
	if s.Malformed > 0 {
		fmt.Fprintf(&b, "; %d with a field that could not be read (kept without it, see the log)", s.Malformed)
	}
	for _, d := range s.Degraded {
		fmt.Fprintf(&b, "; %s", d)
	}
	fmt.Fprintf(&b, "; %d requests", s.Requests)
	if s.NotModified > 0 {
		fmt.Fprintf(&b, " (%d answered 304, free)", s.NotModified)
	}
	if s.QuotaRemaining >= 0 {
		fmt.Fprintf(&b, "; quota left %d", s.QuotaRemaining)
	}
	if s.Waited > 0 {
		fmt.Fprintf(&b, "; waited %s for rate limits", s.Waited.Round(time.Second))
	}
	fmt.Fprintf(&b, "; %s", took.Round(time.Millisecond))
	return b.String()
}

// progress draws one updating line on a terminal and nothing otherwise, so
// cron logs stay clean.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	dirty bool
	now   func() time.Time
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, tty: ok && term.IsTerminal(int(f.Fd())), now: time.Now}
}

// totaler is a tracker that can tell about how many issues the listing it
// is paging holds (GitHub from its page links, Jira from its search total or
// Cloud's approximate count).
type totaler interface {
	ListingTotal(scope string) (int, bool)
}

// update returns the progress func for one tracker's sync, nil when no
// line is drawn (so the tracker is not asked for what only the line shows).
func (p *progress) update(tracker string, src source) func(scope string, issues int) {
	if !p.tty {
		return nil
	}
	tot, _ := src.(totaler)
	// Issues are counted per scope (a repository, a JQL), so the rate is
	// too: a scope's listing starts when the one before it last reported.
	var current string
	start, last := p.now(), p.now()
	return func(scope string, issues int) {
		total := 0
		if tot != nil {
			total, _ = tot.ListingTotal(scope)
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		now := p.now()
		if scope != current {
			current, start = scope, last
		}
		last = now
		fmt.Fprintf(p.w, "\r\033[K%s", progressLine(tracker, scope, issues, total, now.Sub(start)))
		p.dirty = true
	}
}

// maxProgressScope bounds the scope the progress line names, in runes.
const maxProgressScope = 40

// progressLine is what the progress line says: "gh acme/web: 1,200 of ~4,000
// issues, 850/s" when the tracker gave a total (an estimate: see
// ListingTotal), "1,200 issues, 850/s" otherwise.
func progressLine(tracker, scope string, issues, total int, elapsed time.Duration) string {
	// A long JQL would wrap, and a wrapped line cannot be redrawn in place.
	if r := []rune(scope); len(r) > maxProgressScope {
		scope = string(r[:maxProgressScope-1]) + "…"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s", tracker, scope, thousands(issues))
	if total > 0 {
		fmt.Fprintf(&b, " of ~%s", thousands(max(total, issues)))
	}
	b.WriteString(" issues")
	if elapsed >= 100*time.Millisecond {
		fmt.Fprintf(&b, ", %s/s", thousands(int(float64(issues)/elapsed.Seconds()+0.5)))
	}
	return b.String()
}

// thousands writes n with comma separators.
func thousands(n int) string {
	s := strconv.Itoa(n)
	start := 0
	if n < 0 {
		start = 1
	}
	for i := len(s) - 3; i > start; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dirty {
		fmt.Fprint(p.w, "\r\033[K")
		p.dirty = false
	}
}
