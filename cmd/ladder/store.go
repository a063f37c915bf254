package main

import (
	"context"
	"time"

	"github.com/ladderhq/ladder"
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
	Lock(ctx context.Context, me store.Holder, ttl time.Duration) (unlock func() error, err error)
	// ReadOnly reports a store opened for reading only: writes fail.
	ReadOnly() bool
	Close() error
}

var _ ladderStore = (*store.Store)(nil)
