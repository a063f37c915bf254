package ladder

import (
	"context"
	"time"
)

// IssueComment is a comment addressed to its issue, as repository-wide comment
// listings deliver them (GitHub's /issues/comments pages every comment of a repo).
type IssueComment struct {
	Issue Ref
	Comment
}

// PutStats says what an upsert did: issues first seen, changed, or identical
// to what was stored.
type PutStats struct {
	New       int
	Updated   int
	Unchanged int
}

// Add accumulates o into s.
func (s *PutStats) Add(o PutStats) {
	s.New += o.New
	s.Updated += o.Updated
	s.Unchanged += o.Unchanged
}

// Sink receives what a connector pulls; the store implements it. Each call is
// one transaction: it lands whole or not at all. A connector saves a scope's
// cursor only after everything before it was put, so a sync killed at any
// point re-fetches from the old cursor and the upserts make the re-run
// converge on the store an uninterrupted sync leaves.
type Sink interface {
	PutIssues(ctx context.Context, issues []Issue) (PutStats, error)
	// PutComments upserts comments by (issue, comment ID); comments whose
	// issue is not stored (GitHub pull requests) are skipped.
	PutComments(ctx context.Context, comments []IssueComment) error
	// Cursor returns the saved cursor of one tracker scope ("" if none);
	// its content belongs to the connector.
	Cursor(ctx context.Context, tracker, scope string) (string, error)
	SaveCursor(ctx context.Context, tracker, scope, cursor string) error
}

// SyncStats is what one tracker's sync cost and found.
type SyncStats struct {
	Tracker  string
	Scopes   int
	Requests int
	// NotModified counts conditional requests answered 304 (free on GitHub).
	NotModified int
	Issues      PutStats
	Comments    int
	// QuotaRemaining is the rate-limit budget left after the sync; -1 when
	// the tracker does not say.
	QuotaRemaining int
	// Waited is the time spent waiting out rate limits and backoff.
	Waited time.Duration
	// Gone counts issues a full sync no longer found upstream (deleted, or
	// moved out of every synced scope): the store keeps them but analysis
	// leaves them out. Incremental syncs cannot tell, so it stays 0.
	Gone int
	// Malformed counts issues that arrived with a field Ladder could not read
	// (a value of an unexpected type): each is stored with what could be read
	// and logged once with the field, so one odd issue never costs the rest.
	Malformed int
	// Degraded names relations a tracker could not serve (an endpoint an
	// older server lacks, an issue transferred away meanwhile): the issues
	// are kept without those links and the sync says so once per kind.
	Degraded []string
}
