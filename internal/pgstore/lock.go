package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ladderhq/ladder/internal/store"
)

// The run lock is a session advisory lock, held on a connection of its own
// (outside the pool) for the whole run: PostgreSQL releases it the moment
// that connection ends, so a holder killed with SIGKILL, or a machine that
// vanished, frees the store as soon as the server notices the connection
// gone (at once for a closed socket; after the TCP keepalive otherwise). It
// holds for every machine using the same database and schema. The run_lock
// row only names the holder for the message a second run prints.
//
// Session advisory locks need a session: behind pgBouncer in transaction
// pooling mode they do not hold, so point Ladder at PostgreSQL directly (or
// at a pgBouncer pool in session mode).

// lockKey is the advisory lock's key: one per database and schema.
const lockKey = `hashtext('ladder run ' || current_database() || '.' || current_schema())`

// Lock takes the store's run lock for me; ttl is unused (the lock lasts as
// long as its connection). When another run holds it, it returns a
// *store.HeldError naming it.
func (s *Store) Lock(ctx context.Context, me store.Holder, _ time.Duration) (unlock func() error, err error) {
	conn, err := pgx.ConnectConfig(ctx, s.cfg.ConnConfig.Copy())
	if err != nil {
		return nil, fmt.Errorf("store: take the run lock: %w", scrub(err))
	}
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(`+lockKey+`)`).Scan(&got); err != nil {
		conn.Close(context.Background())
		return nil, fmt.Errorf("store: take the run lock: %w", err)
	}
	if !got {
		defer conn.Close(context.Background())
		var h store.Holder
		var since string
		err := conn.QueryRow(ctx, `SELECT host, pid, since FROM run_lock WHERE name = 'run'`).Scan(&h.Host, &h.PID, &since)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("store: read who holds the run lock: %w", err)
		}
		h.Since, _ = store.ParseTime(since)
		return nil, &store.HeldError{Holder: h}
	}
	me.Since = s.Now().UTC()
	if _, err := conn.Exec(ctx, `INSERT INTO run_lock (name, host, pid, since) VALUES ('run', $1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET host = excluded.host, pid = excluded.pid, since = excluded.since`,
		me.Host, me.PID, store.FormatTime(me.Since)); err != nil {
		conn.Close(context.Background())
		return nil, fmt.Errorf("store: take the run lock: %w", err)
	}
	s.mu.Lock()
	s.locks = append(s.locks, conn)
	s.mu.Unlock()
	return func() error {
		s.mu.Lock()
		held := false
		for i, c := range s.locks {
			if c == conn {
				s.locks = append(s.locks[:i], s.locks[i+1:]...)
				held = true
				break
			}
		}
		s.mu.Unlock()
		if !held {
			return nil
		}
		// A background context: the run's own may be cancelled by now.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DELETE FROM run_lock WHERE name = 'run'`); err != nil {
			return fmt.Errorf("store: release the run lock: %w", err)
		}
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_unlock(`+lockKey+`)`); err != nil {
			return fmt.Errorf("store: release the run lock: %w", err)
		}
		return nil
	}, nil
}
