package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ladderhq/ladder"
)

// giveUpAfter failed requests in a row on one tracker (a revoked token, an
// outage) and that tracker is not asked again for the rest of the publish.
const giveUpAfter = 3

// errGivenUp is the answer of a streakWriter that has stopped asking.
type errGivenUp struct {
	tracker  string
	failures int
}

func (e errGivenUp) Error() string {
	return fmt.Sprintf("not tried: %d requests in a row failed on tracker %q", e.failures, e.tracker)
}

// streakWriter wraps a tracker's comment writer for one publish: after
// limit failures in a row it refuses every further call with errGivenUp
// instead of sending a request that will fail like the others. A success
// resets the count; a write the pacer defers is neither.
type streakWriter struct {
	inner    commenter
	tracker  string
	limit    int
	failures int
}

func newStreakWriter(tracker string, inner commenter) *streakWriter {
	return &streakWriter{inner: inner, tracker: tracker, limit: giveUpAfter}
}

func (w *streakWriter) refused() error {
	if w.failures >= w.limit {
		return errGivenUp{tracker: w.tracker, failures: w.failures}
	}
	return nil
}

func (w *streakWriter) count(err error) {
	var d errDeferred
	switch {
	case err == nil:
		w.failures = 0
	case errors.As(err, &d):
	default:
		w.failures++
	}
}

func (w *streakWriter) find(ctx context.Context, key, marker string) (ladder.Comment, bool, error) {
	if err := w.refused(); err != nil {
		return ladder.Comment{}, false, err
	}
	c, ok, err := w.inner.find(ctx, key, marker)
	w.count(err)
	return c, ok, err
}

func (w *streakWriter) create(ctx context.Context, key, marker, body string) (ladder.Comment, error) {
	if err := w.refused(); err != nil {
		return ladder.Comment{}, err
	}
	c, err := w.inner.create(ctx, key, marker, body)
	w.count(err)
	return c, err
}

func (w *streakWriter) edit(ctx context.Context, key, id, body string) error {
	if err := w.refused(); err != nil {
		return err
	}
	err := w.inner.edit(ctx, key, id, body)
	w.count(err)
	return err
}

func (w *streakWriter) markup() string { return w.inner.markup() }

// contentLimits are a tracker's documented limits on requests that create
// or change content. Ladder's creates and edits are such requests; its
// look-ups are not.
type contentLimits struct {
	Vendor    string // who sets them, for the message that defers writes
	PerMinute int    // 0: none
	PerHour   int    // 0: none
}

// vendorLimits are the limits by tracker kind. GitHub documents secondary
// rate limits of 80 content-generating requests a minute and 500 an hour,
// on top of the primary budget, and answers beyond them with a 403 or 429
// that can ban the token for a while: they must hold for the whole process,
// however many publishes it runs. Jira documents no such count; its cost
// budget is waited out by the connector.
var vendorLimits = map[string]contentLimits{
	"github": {Vendor: "GitHub", PerMinute: 80, PerHour: 500},
}

// errDeferred is a write the pacer did not let through: the comment waits
// for the next run, it has not failed.
type errDeferred struct{ why string }

func (e errDeferred) Error() string { return "deferred to the next run: " + e.why }

// pacerConfig sets up a pacer.
type pacerConfig struct {
	// MaxWrites is writeback.max_writes: at most this many writes, across
	// trackers, in any Window of the process (its whole life when Window is 0).
	MaxWrites int
	Window    time.Duration
	// Limits by tracker kind; nil means vendorLimits.
	Limits map[string]contentLimits
	// Now and Sleep are the clock; nil means the real one.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// pacer keeps a process's writes within the trackers' content limits and
// writeback.max_writes. One pacer serves every publish of a process, so a
// long-lived process (`ladder serve`) keeps the limits across its runs:
// a write over the minute limit waits, a write over the hour limit or the
// window's max_writes is deferred (errDeferred) to a later run. It is safe
// for concurrent use.
type pacer struct {
	mu        sync.Mutex
	maxWrites int
	window    time.Duration
	limits    map[string]contentLimits
	now       func() time.Time
	sleep     func(ctx context.Context, d time.Duration) error
	all       []time.Time            // every write in the current window, oldest first
	byTracker map[string][]time.Time // a tracker's writes of the last hour, oldest first
}

func newPacer(c pacerConfig) *pacer {
	p := &pacer{maxWrites: c.MaxWrites, window: c.Window, limits: c.Limits, now: c.Now, sleep: c.Sleep,
		byTracker: map[string][]time.Time{}}
	if p.limits == nil {
		p.limits = vendorLimits
	}
	if p.now == nil {
		p.now = time.Now
	}
	if p.sleep == nil {
		p.sleep = sleepCtx
	}
	return p
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// since drops the times before cutoff from a list kept oldest first.
func since(ts []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(cutoff) {
		i++
	}
	return ts[i:]
}

func (p *pacer) prune(now time.Time, tracker string) {
	if p.window > 0 {
		p.all = since(p.all, now.Add(-p.window))
	}
	p.byTracker[tracker] = since(p.byTracker[tracker], now.Add(-time.Hour))
}

// windowLeft is how many writes max_writes still allows in the current window.
func (p *pacer) windowLeft() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.prune(p.now(), "")
	return max(p.maxWrites-len(p.all), 0)
}

// trackerLeft is how many writes the tracker's hour limit still allows, and
// why no more; limited is false for a tracker with no hour limit.
func (p *pacer) trackerLeft(tracker, kind string) (left int, why string, limited bool) {
	lim := p.limits[kind]
	if lim.PerHour <= 0 {
		return 0, "", false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.prune(p.now(), tracker)
	return max(lim.PerHour-len(p.byTracker[tracker]), 0), hourReason(lim), true
}

func hourReason(lim contentLimits) string {
	return fmt.Sprintf("%s allows %d an hour", lim.Vendor, lim.PerHour)
}

func (p *pacer) maxWritesReason() string {
	if p.window > 0 {
		return fmt.Sprintf("writeback.max_writes is %d per %s", p.maxWrites, p.window)
	}
	return fmt.Sprintf("writeback.max_writes is %d", p.maxWrites)
}

// take claims one write on the tracker: it waits while the minute limit is
// used and defers when the hour limit or max_writes is. A claimed write
// counts whether or not the request then succeeds: the tracker counts it.
func (p *pacer) take(ctx context.Context, tracker, kind string) error {
	lim := p.limits[kind]
	for {
		p.mu.Lock()
		now := p.now()
		p.prune(now, tracker)
		recent := p.byTracker[tracker]
		switch {
		case len(p.all) >= p.maxWrites:
			p.mu.Unlock()
			return errDeferred{p.maxWritesReason()}
		case lim.PerHour > 0 && len(recent) >= lim.PerHour:
			p.mu.Unlock()
			return errDeferred{hourReason(lim)}
		}
		var wait time.Duration
		if lim.PerMinute > 0 {
			if lastMinute := since(recent, now.Add(-time.Minute)); len(lastMinute) >= lim.PerMinute {
				// The minute frees up when its oldest write is a minute old.
				wait = lastMinute[len(lastMinute)-lim.PerMinute].Add(time.Minute).Sub(now)
			}
		}
		if wait <= 0 {
			p.all = append(p.all, now)
			p.byTracker[tracker] = append(recent, now)
			p.mu.Unlock()
			return nil
		}
		p.mu.Unlock()
		if err := p.sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// wrap returns the tracker's comment writer paced by p. Look-ups pass
// through unpaced.
func (p *pacer) wrap(tracker, kind string, w commenter) commenter {
	return pacedWriter{inner: w, p: p, tracker: tracker, kind: kind}
}

type pacedWriter struct {
	inner   commenter
	p       *pacer
	tracker string
	kind    string
}

func (w pacedWriter) find(ctx context.Context, key, marker string) (ladder.Comment, bool, error) {
	return w.inner.find(ctx, key, marker)
}

func (w pacedWriter) create(ctx context.Context, key, marker, body string) (ladder.Comment, error) {
	if err := w.p.take(ctx, w.tracker, w.kind); err != nil {
		return ladder.Comment{}, err
	}
	return w.inner.create(ctx, key, marker, body)
}

func (w pacedWriter) edit(ctx context.Context, key, id, body string) error {
	if err := w.p.take(ctx, w.tracker, w.kind); err != nil {
		return err
	}
	return w.inner.edit(ctx, key, id, body)
}

func (w pacedWriter) markup() string { return w.inner.markup() }
