package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/store"
)

// Cursor returns the saved cursor of one tracker scope, "" when none was saved.
func (s *Store) Cursor(ctx context.Context, tracker, scope string) (string, error) {
	var v string
	err := s.pool.QueryRow(ctx, `SELECT value FROM cursors WHERE tracker = $1 AND scope = $2`, tracker, scope).Scan(&v)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("store: cursor %s %s: %w", tracker, scope, err)
	}
	return v, nil
}

// SaveCursor records a tracker scope's cursor.
func (s *Store) SaveCursor(ctx context.Context, tracker, scope, cursor string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO cursors (tracker, scope, value, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (tracker, scope) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		tracker, scope, cursor, store.FormatTime(s.Now()))
	if err != nil {
		return fmt.Errorf("store: save cursor %s %s: %w", tracker, scope, err)
	}
	return nil
}

// Published returns the publication recorded for ref; ok is false when
// Ladder has not written on it.
func (s *Store) Published(ctx context.Context, ref ladder.Ref) (p store.Publication, ok bool, err error) {
	var at string
	err = s.pool.QueryRow(ctx, `SELECT comment_id, hash, at FROM publications WHERE tracker = $1 AND key = $2`,
		ref.Tracker, ref.Key).Scan(&p.CommentID, &p.Hash, &at)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Publication{}, false, nil
	}
	if err != nil {
		return store.Publication{}, false, fmt.Errorf("store: publication on %s: %w", ref, err)
	}
	if p.At, err = store.ParseTime(at); err != nil {
		return store.Publication{}, false, fmt.Errorf("store: publication on %s: %w", ref, err)
	}
	p.Ref = ref
	return p, true, nil
}

// SavePublished records what Ladder wrote on an issue, replacing the previous record.
func (s *Store) SavePublished(ctx context.Context, p store.Publication) error {
	if p.Ref.Tracker == "" || p.Ref.Key == "" {
		return fmt.Errorf("store: save publication: incomplete issue reference %q", p.Ref)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO publications (tracker, key, comment_id, hash, at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (tracker, key) DO UPDATE SET comment_id = excluded.comment_id, hash = excluded.hash, at = excluded.at`,
		p.Ref.Tracker, p.Ref.Key, p.CommentID, p.Hash, store.FormatTime(p.At))
	if err != nil {
		return fmt.Errorf("store: save publication on %s: %w", p.Ref, err)
	}
	return nil
}

// StartSweep opens a census of tracker (see the SQLite store's sweep.go).
func (s *Store) StartSweep(tracker string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sweeps == nil {
		s.sweeps = map[string]string{}
	}
	s.sweeps[tracker] = store.FormatTime(s.Now())
}

// AbandonSweep closes tracker's sweep without judging anything.
func (s *Store) AbandonSweep(tracker string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sweeps, tracker)
}

// FinishSweep closes tracker's sweep and marks the tracker's issues it did
// not see as gone, returning how many were newly marked.
func (s *Store) FinishSweep(ctx context.Context, tracker string) (int, error) {
	s.mu.Lock()
	stamp, ok := s.sweeps[tracker]
	delete(s.sweeps, tracker)
	s.mu.Unlock()
	if !ok {
		return 0, fmt.Errorf("store: finish sweep of %s: no sweep was started", tracker)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE issues SET gone = $1 WHERE tracker = $2 AND gone IS NULL AND seen <> $3`,
		store.FormatTime(s.Now()), tracker, stamp)
	if err != nil {
		return 0, fmt.Errorf("store: finish sweep of %s: %w", tracker, err)
	}
	return int(tag.RowsAffected()), nil
}

func (s *Store) sweepStamp(tracker string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sweeps[tracker]
}

// Cursors returns every saved cursor, by tracker and scope.
func (s *Store) Cursors(ctx context.Context) ([]store.Cursor, error) {
	rows, err := s.pool.Query(ctx, `SELECT tracker, scope, value FROM cursors ORDER BY tracker COLLATE "C", scope COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("store: list cursors: %w", err)
	}
	cs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Cursor, error) {
		var c store.Cursor
		err := r.Scan(&c.Tracker, &c.Scope, &c.Value)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list cursors: %w", err)
	}
	return cs, nil
}

// Publications returns every publication record, by tracker and key.
func (s *Store) Publications(ctx context.Context) ([]store.Publication, error) {
	rows, err := s.pool.Query(ctx, `SELECT tracker, key, comment_id, hash, at FROM publications ORDER BY tracker COLLATE "C", key COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("store: list publications: %w", err)
	}
	ps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Publication, error) {
		var p store.Publication
		var at string
		if err := r.Scan(&p.Ref.Tracker, &p.Ref.Key, &p.CommentID, &p.Hash, &at); err != nil {
			return p, err
		}
		var err error
		p.At, err = store.ParseTime(at)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list publications: %w", err)
	}
	return ps, nil
}

// MarkGone marks the one issue ref names gone (the tracker answered 404 or
// 410 for it); ref.Key may be the key or its tracker id. It reports
// whether an issue was newly marked; the mark is lifted when the issue is
// put again.
func (s *Store) MarkGone(ctx context.Context, ref ladder.Ref) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE issues SET gone = $1 WHERE tracker = $2 AND gone IS NULL AND (key = $3 OR (id = $3 AND id <> ''))`,
		store.FormatTime(s.Now()), ref.Tracker, ref.Key)
	if err != nil {
		return false, fmt.Errorf("store: mark %s gone: %w", ref, err)
	}
	return tag.RowsAffected() > 0, nil
}
