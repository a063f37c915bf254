// Package store keeps Ladder's issues, sync cursors and publish bookkeeping in
// one SQLite file (modernc.org/sqlite, pure Go). It owns the schema and its
// embedded migrations, implements ladder.Sink for the connectors, and streams
// issues back to the analyzer without loading the store into memory.
//
// A Store is safe for one writer and many readers in one process: writes go
// through a single connection that takes the write lock up front (BEGIN
// IMMEDIATE), reads through a read-only pool, and WAL lets readers work while
// a write is in progress.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// ErrNotFound is returned, wrapped with what was looked up, when the store
// does not hold it.
var ErrNotFound = errors.New("not found")

// ErrGone is returned with ErrNotFound for an issue a full sync no longer
// found upstream (sweep.go).
var ErrGone = errors.New("deleted upstream or moved out of every synced scope")

// idleReaders is how many read connections stay open between reads. The read
// pool itself is not capped: a cap would deadlock callers that hold one
// connection in Each and look an issue up from inside its callback.
const idleReaders = 4

// busyTimeout is how long a connection waits for another process's lock
// (a second `ladder` run on the same file) before giving up.
const busyTimeout = 10 * time.Second

// Store is a Ladder store on one SQLite file.
type Store struct {
	path string
	w    *sql.DB // exactly one connection: SQLite allows one writer at a time
	r    *sql.DB // read-only pool
	st   statements

	// Now stamps saved cursors; Open sets it to time.Now.
	Now func() time.Time

	// beforeItem, when set, runs before each item of a Put* batch; tests
	// use it to fail a batch halfway.
	beforeItem func(i int)

	mu     sync.Mutex
	sweeps map[string]string // tracker → stamp of its open sweep (sweep.go)
}

// Open opens the store at path, creating the file and its directory when
// missing and bringing the schema up to date. It refuses a file that is not
// an SQLite database and a store written by a newer Ladder.
func Open(ctx context.Context, path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &Store{path: path, Now: time.Now}
	ms := strconv.FormatInt(busyTimeout.Milliseconds(), 10)
	s.w, err = sql.Open("sqlite", dsn(abs, url.Values{
		"_busy_timeout": {ms},
		"_foreign_keys": {"1"},
		"_journal_mode": {"WAL"},
		// NORMAL is durable against corruption in WAL mode; a power cut may
		// lose the last transaction, and with it the cursor saved after it,
		// so the next sync fetches it again.
		"_synchronous": {"NORMAL"},
		"_txlock":      {"immediate"},
	}))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetMaxIdleConns(1)
	s.w.SetConnMaxIdleTime(0)
	s.w.SetConnMaxLifetime(0)

	if err := s.migrate(ctx); err != nil {
		s.w.Close()
		return nil, err
	}

	s.r, err = sql.Open("sqlite", dsn(abs, url.Values{
		"_busy_timeout": {ms},
		"_foreign_keys": {"1"},
		"_query_only":   {"1"},
	}))
	if err != nil {
		s.w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s.r.SetMaxIdleConns(idleReaders)

	if err := s.st.prepare(ctx, s.w); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return s, nil
}

// dsn builds a file: URI so that paths holding '?', '#' or '%' reach SQLite intact.
func dsn(abs string, params url.Values) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: params.Encode()}
	return u.String()
}

// Close closes the store's connections.
func (s *Store) Close() error {
	s.st.close()
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	errs = append(errs, s.w.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("store: close %s: %w", s.path, err)
	}
	return nil
}

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, n := range names {
		base := path.Base(n)
		num, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v < 1 {
			return nil, fmt.Errorf("migration %s: name must start with a positive version number", base)
		}
		b, err := migrations.ReadFile(n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: want version %d", m.name, i+1)
		}
	}
	return ms, nil
}

// migrate applies each missing migration in its own transaction, recording it
// in schema_version in the same transaction, so a crash leaves the schema at
// a version boundary. Two processes opening a fresh file at once serialise on
// the write lock and the second finds the work done.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	latest := len(ms)
	if err := s.w.PingContext(ctx); err != nil {
		return s.openError(err)
	}
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version    INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return s.openError(err)
	}
	for _, m := range ms {
		if err := s.apply(ctx, m, latest); err != nil {
			return err
		}
	}
	// A store that was already current never enters apply's check.
	v, err := schemaVersion(ctx, s.w)
	if err != nil {
		return s.openError(err)
	}
	if v > latest {
		return s.newerError(v, latest)
	}
	return nil
}

func (s *Store) apply(ctx context.Context, m migration, latest int) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.openError(err)
	}
	defer tx.Rollback()
	v, err := schemaVersion(ctx, tx)
	if err != nil {
		return s.openError(err)
	}
	if v > latest {
		return s.newerError(v, latest)
	}
	if v >= m.version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("store: migrate %s to version %d (%s): %w", s.path, m.version, m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, applied_at) VALUES (?, ?)`,
		m.version, formatTime(time.Now())); err != nil {
		return fmt.Errorf("store: migrate %s to version %d: %w", s.path, m.version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: migrate %s to version %d: %w", s.path, m.version, err)
	}
	return nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func schemaVersion(ctx context.Context, q querier) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&v)
	return v, err
}

func (s *Store) newerError(have, latest int) error {
	return fmt.Errorf("store: %s has schema version %d, newer than this ladder knows (%d): use a newer ladder, or point --store at another file",
		s.path, have, latest)
}

// openError names the common reasons a file cannot serve as a store.
func (s *Store) openError(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return fmt.Errorf("store: open %s: not an SQLite database, or a corrupt one: %w", s.path, err)
		}
	}
	return fmt.Errorf("store: open %s: %w", s.path, err)
}
