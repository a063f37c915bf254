package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/ladderhq/ladder"
)

// Cursor returns the saved cursor of one tracker scope, "" when none was saved.
func (s *Store) Cursor(ctx context.Context, tracker, scope string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, `SELECT value FROM cursors WHERE tracker = ? AND scope = ?`, tracker, scope).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("store: cursor %s %s: %w", tracker, scope, err)
	}
	return v, nil
}

// SaveCursor records a tracker scope's cursor; its content belongs to the connector.
func (s *Store) SaveCursor(ctx context.Context, tracker, scope, cursor string) error {
	if err := s.writable(); err != nil {
		return fmt.Errorf("store: save cursor %s %s: %w", tracker, scope, err)
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO cursors (tracker, scope, value, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (tracker, scope) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		tracker, scope, cursor, formatTime(s.Now()))
	if err != nil {
		return fmt.Errorf("store: save cursor %s %s: %w", tracker, scope, err)
	}
	return nil
}

// Publication is what Ladder last wrote on an issue: the comment it keeps up
// to date and a hash of the content, so a publish plan can call an issue
// unchanged without reading its comments back from the tracker.
type Publication struct {
	Ref       ladder.Ref
	CommentID string
	Hash      string
	At        time.Time
}

// Published returns the publication recorded for ref; ok is false when Ladder
// has not written on it. A publication follows its issue when the issue moves.
func (s *Store) Published(ctx context.Context, ref ladder.Ref) (p Publication, ok bool, err error) {
	var at string
	err = s.r.QueryRowContext(ctx, `SELECT comment_id, hash, at FROM publications WHERE tracker = ? AND key = ?`,
		ref.Tracker, ref.Key).Scan(&p.CommentID, &p.Hash, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Publication{}, false, nil
	}
	if err != nil {
		return Publication{}, false, fmt.Errorf("store: publication on %s: %w", ref, err)
	}
	if p.At, err = parseTime(at); err != nil {
		return Publication{}, false, fmt.Errorf("store: publication on %s: %w", ref, err)
	}
	p.Ref = ref
	return p, true, nil
}

// SavePublished records what Ladder wrote on an issue, replacing the previous record.
func (s *Store) SavePublished(ctx context.Context, p Publication) error {
	if p.Ref.Tracker == "" || p.Ref.Key == "" {
		return fmt.Errorf("store: save publication: incomplete issue reference %q", p.Ref)
	}
	if err := s.writable(); err != nil {
		return fmt.Errorf("store: save publication on %s: %w", p.Ref, err)
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO publications (tracker, key, comment_id, hash, at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (tracker, key) DO UPDATE SET comment_id = excluded.comment_id, hash = excluded.hash, at = excluded.at`,
		p.Ref.Tracker, p.Ref.Key, p.CommentID, p.Hash, formatTime(p.At))
	if err != nil {
		return fmt.Errorf("store: save publication on %s: %w", p.Ref, err)
	}
	return nil
}

// Cursor is one saved sync cursor, for a copy of the store.
type Cursor struct {
	Tracker, Scope, Value string
}

// Cursors returns every saved cursor, by tracker and scope.
func (s *Store) Cursors(ctx context.Context) ([]Cursor, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT tracker, scope, value FROM cursors ORDER BY tracker, scope`)
	if err != nil {
		return nil, fmt.Errorf("store: list cursors: %w", err)
	}
	defer rows.Close()
	var cs []Cursor
	for rows.Next() {
		var c Cursor
		if err := rows.Scan(&c.Tracker, &c.Scope, &c.Value); err != nil {
			return nil, fmt.Errorf("store: list cursors: %w", err)
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list cursors: %w", err)
	}
	return cs, nil
}

// Publications returns every publication record, by tracker and key.
func (s *Store) Publications(ctx context.Context) ([]Publication, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT tracker, key, comment_id, hash, at FROM publications ORDER BY tracker, key`)
	if err != nil {
		return nil, fmt.Errorf("store: list publications: %w", err)
	}
	defer rows.Close()
	var ps []Publication
	for rows.Next() {
		var p Publication
		var at string
		if err := rows.Scan(&p.Ref.Tracker, &p.Ref.Key, &p.CommentID, &p.Hash, &at); err != nil {
			return nil, fmt.Errorf("store: list publications: %w", err)
		}
		if p.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("store: list publications: %s: %w", p.Ref, err)
		}
		ps = append(ps, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list publications: %w", err)
	}
	return ps, nil
}
