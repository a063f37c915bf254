// Package store keeps Ladder's issues, sync cursors and publish bookkeeping in
// one SQLite file (modernc.org/sqlite, pure Go). It owns the schema and its
// embedded migrations, implements ladder.Sink for the connectors, and streams
// issues back to the analyzer without loading the store into memory.
//
// A Store is safe for one writer and many readers in one process: writes go
// through a single connection that takes the write lock up front (BEGIN
// IMMEDIATE), reads through a read-only pool, and WAL lets readers work while
// a write is in progress. OpenReadOnly opens a store for commands that only
// read, even one this user may read but not write.
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
	"path/filepath"
	"strconv"
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

// ErrReadOnly is returned, wrapped, by every write to a store opened with
// OpenReadOnly.
var ErrReadOnly = errors.New("the store is open read-only")

// ErrOlderSchema is returned, wrapped, by OpenReadOnly for a store an
// older Ladder wrote: bringing its schema up to date needs Open.
var ErrOlderSchema = errors.New("the store's schema is older than this ladder's")

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
	w    *sql.DB // exactly one connection: SQLite allows one writer at a time; nil when read-only
	r    *sql.DB // read-only pool
	st   statements

	// Now stamps saved cursors; Open sets it to time.Now.
	Now func() time.Time

	mu     sync.Mutex
	sweeps map[string]string // tracker → stamp of its open sweep (sweep.go)
	leases []chan struct{}   // heartbeats of the run locks taken (lock.go)
}

// Open opens the store at path for reading and writing, creating the file
// and its directory when missing and bringing the schema up to date. It
// refuses a file that is not an SQLite database and a store written by a
// newer Ladder, and says so when this user may not write the file or its
// directory.
func Open(ctx context.Context, path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, fmt.Errorf("store: open %s: cannot create its directory: %w", path, unwrapPath(err))
	}
	s := &Store{path: path, Now: time.Now}
	if exists(abs) && !canWriteFile(abs) {
		// SQLite would open it anyway, read-only without a word, and
		// fail only at the first write: after a publication's comments
		// were posted, say, with nowhere to record them.
		return nil, s.permissionError(abs, &fs.PathError{Op: "open", Path: abs, Err: fs.ErrPermission})
	}
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
		return nil, s.permissionError(abs, err)
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

// OpenReadOnly opens the existing store at path for reading only: it never
// creates the file, never migrates it and never writes, so it serves a user
// who may read the store but not write it or its directory. Writes to it
// return ErrReadOnly. A missing file is an error wrapping fs.ErrNotExist; a
// store whose schema is older than this Ladder's is refused with a message
// saying that a command that writes must open it first.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	switch fi, err := os.Stat(abs); {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("store: %s: %w", path, fs.ErrNotExist)
	case err != nil:
		return nil, fmt.Errorf("store: open %s: %w", path, unwrapPath(err))
	case fi.IsDir():
		return nil, fmt.Errorf("store: open %s: is a directory, not a store file", path)
	}
	s := &Store{path: path, Now: time.Now}
	ms := strconv.FormatInt(busyTimeout.Milliseconds(), 10)
	params := url.Values{"_busy_timeout": {ms}, "mode": {"ro"}}
	s.r, err = openReader(ctx, abs, params)
	if err != nil && isAccess(err) && !exists(abs+"-wal") {
		// A store in WAL mode is read through its shared-memory file
		// (-shm), which SQLite must create next to the store: in a
		// directory this user may not write, mode=ro alone cannot open
		// it. With no -wal file the main file holds every committed
		// transaction, so reading it as immutable (no locks, no -shm)
		// sees all there is; what a writer might commit meanwhile is not
		// seen, which a read-only command can live with.
		params.Set("immutable", "1")
		s.r, err = openReader(ctx, abs, params)
	}
	if err != nil {
		return nil, s.openReadError(abs, err)
	}
	s.r.SetMaxIdleConns(idleReaders)
	if err := s.checkSchema(ctx); err != nil {
		s.r.Close()
		return nil, err
	}
	return s, nil
}

// openReader opens a read pool and proves it can read the store.
func openReader(ctx context.Context, abs string, params url.Values) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn(abs, params))
	if err != nil {
		return nil, err
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema`).Scan(&n); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// checkSchema refuses a read-only store whose schema is not this Ladder's:
// a newer one it cannot read, an older one it may not migrate.
func (s *Store) checkSchema(ctx context.Context) error {
	ms, err := LoadMigrations(migrations)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	latest := len(ms)
	var tables int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'`).Scan(&tables); err != nil {
		return s.openError(err)
	}
	if tables == 0 {
		return fmt.Errorf("store: %s is not a Ladder store (an SQLite file without Ladder's tables): point --store at the store `ladder sync` writes", s.path)
	}
	v, err := schemaVersion(ctx, s.r)
	if err != nil {
		return s.openError(err)
	}
	switch {
	case v > latest:
		return s.newerError(v, latest)
	case v < latest:
		return fmt.Errorf("store: %s has schema version %d and this ladder needs %d: the upgrade writes to the store, and it is open read-only; "+
			"run a command that writes (`ladder sync`) once as a user who may write %s: %w", s.path, v, latest, s.path, ErrOlderSchema)
	}
	return nil
}

// dsn builds a file: URI so that paths holding '?', '#' or '%' reach SQLite intact.
func dsn(abs string, params url.Values) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: params.Encode()}
	return u.String()
}

// Close closes the store's connections.
func (s *Store) Close() error {
	s.stopLeases()
	s.st.close()
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		errs = append(errs, s.w.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("store: close %s: %w", s.path, err)
	}
	return nil
}

// migrate applies each missing migration in its own transaction, recording it
// in schema_version in the same transaction, so a crash leaves the schema at
// a version boundary. Two processes opening a fresh file at once serialise on
// the write lock and the second finds the work done.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := LoadMigrations(migrations)
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

func (s *Store) apply(ctx context.Context, m Migration, latest int) error {
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
	if v >= m.Version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("store: migrate %s to version %d (%s): %w", s.path, m.Version, m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, applied_at) VALUES (?, ?)`,
		m.Version, formatTime(time.Now())); err != nil {
		return fmt.Errorf("store: migrate %s to version %d: %w", s.path, m.Version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: migrate %s to version %d: %w", s.path, m.Version, err)
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

// ReadOnly reports whether the store was opened with OpenReadOnly.
func (s *Store) ReadOnly() bool { return s.w == nil }

// writable is the error of a write to a read-only store, nil otherwise.
func (s *Store) writable() error {
	if s.w == nil {
		return fmt.Errorf("%s: %w", s.path, ErrReadOnly)
	}
	return nil
}

// isAccess reports whether err is SQLite failing to open or write a file
// (permissions, a read-only directory), as opposed to a damaged store.
func isAccess(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH:
		return true
	}
	return false
}

// permissionError says, for an open that failed on access, which file or
// directory this user may not write: SQLite itself only says "unable to open
// database file" or "attempt to write a readonly database".
func (s *Store) permissionError(abs string, err error) error {
	if !isAccess(err) && !errors.Is(err, fs.ErrPermission) {
		return err
	}
	dir := filepath.Dir(abs)
	switch {
	case exists(abs) && !canWriteFile(abs):
		return fmt.Errorf("store: open %s: %w: this user may read but not write it "+
			"(commands that only read — analyze, report, explain, publish without --apply — still work)", s.path, fs.ErrPermission)
	case !canCreateIn(dir):
		what := "create the store"
		if exists(abs) {
			what = "create the store's journal files (-wal, -shm) next to it"
		}
		return fmt.Errorf("store: open %s: %w: this user may not %s in %s", s.path, fs.ErrPermission, what, dir)
	}
	return err
}

// openReadError names what kept a read-only open from reading the store.
func (s *Store) openReadError(abs string, err error) error {
	if isAccess(err) {
		if !canReadFile(abs) {
			return fmt.Errorf("store: open %s: %w: this user may not read it: %w", s.path, fs.ErrPermission, err)
		}
		if exists(abs + "-wal") {
			return fmt.Errorf("store: open %s: %w: its write-ahead log (%s-wal) holds recent changes "+
				"that this user cannot share (a writer is running, or the last one stopped without closing); "+
				"read it as a user who may write %s, or let a command that writes close it cleanly: %w", s.path, fs.ErrPermission, s.path, filepath.Dir(abs), err)
		}
	}
	return s.openError(err)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func canReadFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

func canWriteFile(path string) bool {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// canCreateIn tries to create (and removes) a file in dir.
func canCreateIn(dir string) bool {
	f, err := os.CreateTemp(dir, ".ladder-probe-*")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	return true
}

// unwrapPath drops the path an *fs.PathError repeats, keeping its reason.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
