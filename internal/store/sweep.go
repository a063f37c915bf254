package store

import (
	"context"
	"fmt"
)

// A sweep is a full sync's census of one tracker. Incremental syncs only
// hear of issues that changed, so they can never notice an issue deleted
// upstream or moved out of every synced scope; a full sync lists everything,
// and what it does not list is gone. Gone issues stay in the file, comments
// and all, but leave Each, Count and Issue; listed again, they come back.

// StartSweep opens a census of tracker: until FinishSweep or AbandonSweep,
// every issue of that tracker PutIssues receives (new, changed or not) is
// recorded as seen by this sweep.
func (s *Store) StartSweep(tracker string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sweeps == nil {
		s.sweeps = map[string]string{}
	}
	s.sweeps[tracker] = formatTime(s.Now())
}

// AbandonSweep closes tracker's sweep without judging anything: the sync
// that ran it failed, so what it did not list may still exist.
func (s *Store) AbandonSweep(tracker string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sweeps, tracker)
}

// FinishSweep closes tracker's sweep and marks the tracker's issues it did
// not see as gone, returning how many were newly marked. Call it only when
// the sync listed every scope completely.
func (s *Store) FinishSweep(ctx context.Context, tracker string) (int, error) {
	s.mu.Lock()
	stamp, ok := s.sweeps[tracker]
	delete(s.sweeps, tracker)
	s.mu.Unlock()
	if !ok {
		return 0, fmt.Errorf("store: finish sweep of %s: no sweep was started", tracker)
	}
	if err := s.writable(); err != nil {
		return 0, fmt.Errorf("store: finish sweep of %s: %w", tracker, err)
	}
	res, err := s.w.ExecContext(ctx, `UPDATE issues SET gone = ? WHERE tracker = ? AND gone IS NULL AND seen <> ?`,
		formatTime(s.Now()), tracker, stamp)
	if err != nil {
		return 0, fmt.Errorf("store: finish sweep of %s: %w", tracker, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: finish sweep of %s: %w", tracker, err)
	}
	return int(n), nil
}

// sweepStamp is the stamp of tracker's open sweep, "" when none is open.
func (s *Store) sweepStamp(tracker string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sweeps[tracker]
}
