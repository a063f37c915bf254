package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/config"
	"github.com/ladderhq/ladder/internal/store"
)

// ladderStore is what the commands need of a store, whichever backend holds
// it (an SQLite file, a PostgreSQL database): the connectors' sink, the
// streaming reads the analyzer and reports walk, the publish bookkeeping,
// a full sync's sweep and the run lock. internal/storetest holds the
// behaviour every implementation must show.
type ladderStore interface {
	ladder.Sink
	Issue(ctx context.Context, ref ladder.Ref) (ladder.Issue, error)
	Title(ctx context.Context, ref ladder.Ref) (title string, ok bool, err error)
	Each(ctx context.Context, fn func(*ladder.Issue) error) error
	EachForAnalysis(ctx context.Context, fn func(*ladder.Issue) error) error
	Count(ctx context.Context) (int, error)
	Trackers(ctx context.Context) ([]string, error)
	Published(ctx context.Context, ref ladder.Ref) (p store.Publication, ok bool, err error)
	SavePublished(ctx context.Context, p store.Publication) error
	StartSweep(tracker string)
	AbandonSweep(tracker string)
	FinishSweep(ctx context.Context, tracker string) (int, error)
	// MarkGone marks one issue gone (a webhook refresh heard 404/410).
	MarkGone(ctx context.Context, ref ladder.Ref) (bool, error)
	Lock(ctx context.Context, me store.Holder, ttl time.Duration) (unlock func() error, err error)
	// ReadOnly reports a store opened for reading only: writes fail.
	ReadOnly() bool
	Close() error
}

var _ ladderStore = (*store.Store)(nil)

// errRunLockHeld is what a command that needs the run lock returns, wrapped
// with who holds it, when another run holds the store: `ladder run`, `sync`
// and `publish --apply` report it as "skipped" and exit 0, and `serve`
// counts its scheduled run as skipped.
var errRunLockHeld = store.ErrLocked

// lockTTLEnv sets the run lock's lease on an SQLite store (a Go duration):
// how long a killed run keeps the store from the next one.
const lockTTLEnv = "LADDER_LOCK_TTL"

// runLockKey marks a context whose run holds the store's lock, so that
// runSync and runPublish inside runRun do not take it a second time.
type runLockKey struct{}

// takeRunLock takes the run lock of the store chooseStore picks (opened as
// use says: publish never creates a store), waiting up
// to wait for it, and returns a context that says it is held and the
// function that releases it. A context already holding it is returned as
// it is. Held by another run (after wait), the error wraps errRunLockHeld.
func (g *globals) takeRunLock(ctx context.Context, cfg *config.Config, use storeUse, wait time.Duration) (context.Context, func(), error) {
	if ctx.Value(runLockKey{}) != nil {
		return ctx, func() {}, nil
	}
	ttl := store.DefaultLockTTL
	if v := g.Getenv(lockTTLEnv); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return ctx, nil, usageError{fmt.Errorf("%s=%q: want a positive duration such as 2m", lockTTLEnv, v)}
		}
		ttl = d
	}
	st, err := g.openStore(ctx, cfg, use)
	if err != nil {
		return ctx, nil, err
	}
	host, _ := os.Hostname()
	me := store.Holder{Host: host, PID: os.Getpid()}
	deadline := time.Now().Add(wait)
	for {
		unlock, err := st.Lock(ctx, me, ttl)
		if err == nil {
			g.Logger.Debug("took the run lock", "host", host, "pid", me.PID)
			release := func() {
				if err := unlock(); err != nil {
					g.Logger.Warn("could not release the run lock; it expires by itself", "err", err)
				}
				st.Close()
			}
			return context.WithValue(ctx, runLockKey{}, true), release, nil
		}
		if !errors.Is(err, errRunLockHeld) || !time.Now().Before(deadline) {
			st.Close()
			return ctx, nil, err
		}
		select {
		case <-ctx.Done():
			st.Close()
			return ctx, nil, context.Cause(ctx)
		case <-time.After(min(time.Second, time.Until(deadline))):
		}
	}
}

// skipIfHeld turns a held run lock into the "skipped" line and a nil error
// (exit 0): a run that finds another one going has nothing to do.
func (g *globals) skipIfHeld(err error) error {
	if !errors.Is(err, errRunLockHeld) {
		return err
	}
	fmt.Fprintf(g.Stdout, "skipped: %v (use --wait DURATION to wait for it)\n", err)
	g.record("skipped", "reason", err.Error())
	return nil
}
