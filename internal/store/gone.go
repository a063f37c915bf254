package store

import (
	"context"
	"fmt"

	"github.com/ladderhq/ladder"
)

// MarkGone marks the one issue ref names gone: the tracker answered 404 or
// 410 for it (deleted, or moved where the token cannot see it). ref.Key may
// be the key or its tracker id (Jira's link events name issues by
// id). It reports whether an issue was newly marked; like a sweep's, the
// mark is lifted when the issue is put again.
func (s *Store) MarkGone(ctx context.Context, ref ladder.Ref) (bool, error) {
	if err := s.writable(); err != nil {
		return false, fmt.Errorf("store: mark %s gone: %w", ref, err)
	}
	res, err := s.w.ExecContext(ctx, `UPDATE issues SET gone = ? WHERE tracker = ? AND gone IS NULL AND (key = ? OR (id = ? AND id <> ''))`,
		formatTime(s.Now()), ref.Tracker, ref.Key, ref.Key)
	if err != nil {
		return false, fmt.Errorf("store: mark %s gone: %w", ref, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: mark %s gone: %w", ref, err)
	}
	return n > 0, nil
}
