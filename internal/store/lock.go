package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"
)

// The run lock is a lease row in the store file itself, so it holds for
// every process and every machine that opens the file (a store on a network
// share, say), not only for this one: a local file lock would not. The
// holder renews it from a goroutine every third of its TTL; a holder killed
// with SIGKILL stops renewing, and after the TTL the next run takes over.

// Lock takes the store's run lock for me (its host and pid; Since and
// Expires are filled in) with a lease of ttl (DefaultLockTTL when 0),
// renewed until unlock is called or the store is closed. When another run
// holds an unexpired lease it returns a *HeldError naming it.
func (s *Store) Lock(ctx context.Context, me Holder, ttl time.Duration) (unlock func() error, err error) {
	if err := s.writable(); err != nil {
		return nil, fmt.Errorf("store: take the run lock: %w", err)
	}
	if ttl <= 0 {
		ttl = DefaultLockTTL
	}
	var b [16]byte
	rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	now := s.Now().UTC()
	me.Since, me.Expires = now, now.Add(ttl)

	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: take the run lock: %w", err)
	}
	defer tx.Rollback()
	var h Holder
	var since, expires string
	switch err := tx.QueryRowContext(ctx, `SELECT host, pid, since, expires FROM run_lock WHERE name = 'run'`).
		Scan(&h.Host, &h.PID, &since, &expires); {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, fmt.Errorf("store: take the run lock: %w", err)
	default:
		h.Since, _ = parseTime(since)
		h.Expires, _ = parseTime(expires)
		if h.Expires.After(now) {
			return nil, &HeldError{Holder: h}
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO run_lock (name, token, host, pid, since, expires)
		VALUES ('run', ?, ?, ?, ?, ?)`, token, me.Host, me.PID, formatTime(me.Since), formatTime(me.Expires)); err != nil {
		return nil, fmt.Errorf("store: take the run lock: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: take the run lock: %w", err)
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { s.heartbeat(token, ttl, stop) })
	s.mu.Lock()
	s.leases = append(s.leases, stop)
	s.mu.Unlock()
	var once sync.Once
	return func() error {
		var err error
		once.Do(func() {
			s.stopLease(stop)
			wg.Wait()
			// A background context: the run's own may be cancelled by
			// now (SIGTERM), and the lease should go all the same.
			ctx, cancel := context.WithTimeout(context.Background(), busyTimeout)
			defer cancel()
			if _, e := s.w.ExecContext(ctx, `DELETE FROM run_lock WHERE name = 'run' AND token = ?`, token); e != nil {
				err = fmt.Errorf("store: release the run lock: %w", e)
			}
		})
		return err
	}, nil
}

// heartbeat renews the lease every third of its TTL until stop is closed.
func (s *Store) heartbeat(token string, ttl time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), ttl/3)
			// A failed renewal is tried again at the next tick; the lease
			// lasts three ticks.
			s.w.ExecContext(ctx, `UPDATE run_lock SET expires = ? WHERE name = 'run' AND token = ?`,
				formatTime(s.Now().UTC().Add(ttl)), token)
			cancel()
		}
	}
}

// stopLease stops one lease's heartbeat, once.
func (s *Store) stopLease(stop chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, l := range s.leases {
		if l == stop {
			close(stop)
			s.leases = append(s.leases[:i], s.leases[i+1:]...)
			return
		}
	}
}

// stopLeases stops every heartbeat (Close): the leases are left to expire.
func (s *Store) stopLeases() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.leases {
		close(l)
	}
	s.leases = nil
}
