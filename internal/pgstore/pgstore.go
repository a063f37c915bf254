// Package pgstore keeps Ladder's store in PostgreSQL (through pgx, a pool,
// no ORM), for teams that share one store between machines: the same
// contract as the SQLite store (internal/storetest runs on both), its own
// embedded migrations, and the same stored forms, so a store copied from
// one to the other reads back identically.
//
// The URL is a libpq one (postgres://user@host:5432/db?sslmode=verify-full);
// a password inside it is refused, it comes from PGPASSWORD or a passfile
// (~/.pgpass, PGPASSFILE), which pgx reads itself. A search_path parameter
// puts Ladder's tables in that schema.
package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ladderhq/ladder/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// maxConns caps the pool. It is generous because a walk (Each) holds a
// connection while its callback looks other issues up on another.
const maxConns = 32

// Store is a Ladder store in one PostgreSQL schema.
type Store struct {
	url  string // redacted, for messages
	cfg  *pgxpool.Config
	pool *pgxpool.Pool

	// Now stamps cursors, sweeps and the run lock; Open sets it to time.Now.
	Now func() time.Time

	mu     sync.Mutex
	sweeps map[string]string // tracker → stamp of its open sweep
	locks  []*pgx.Conn       // connections holding a run lock (lock.go)
}

// Redact returns rawURL with any password replaced, for messages.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(an unreadable PostgreSQL URL)"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// ErrPasswordInURL is returned by Open for a URL that carries a password.
var ErrPasswordInURL = errors.New("the store URL holds a password: leave it out and set PGPASSWORD, or put it in a passfile (~/.pgpass or PGPASSFILE)")

// HasPassword reports whether rawURL carries a password, in its user info
// or as a password parameter.
func HasPassword(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	if _, ok := u.User.Password(); ok {
		return true
	}
	return u.Query().Has("password")
}

// Open connects to the PostgreSQL store at rawURL and brings its schema up
// to date (which needs CREATE on the schema; a role without it may use a
// schema already at this Ladder's version).
func Open(ctx context.Context, rawURL string) (*Store, error) {
	s := &Store{url: Redact(rawURL), Now: time.Now}
	if HasPassword(rawURL) {
		return nil, fmt.Errorf("store: open %s: %w", s.url, ErrPasswordInURL)
	}
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", s.url, scrub(err))
	}
	if !strings.Contains(rawURL, "pool_max_conns") {
		cfg.MaxConns = maxConns
	}
	s.cfg = cfg
	s.pool, err = pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", s.url, scrub(err))
	}
	if err := s.migrate(ctx); err != nil {
		s.pool.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the pool and the connections holding run locks, which
// releases them.
func (s *Store) Close() error {
	s.mu.Lock()
	locks := s.locks
	s.locks = nil
	s.mu.Unlock()
	for _, c := range locks {
		c.Close(context.Background())
	}
	s.pool.Close()
	return nil
}

// ReadOnly is false: a PostgreSQL store is always opened for writing; what
// the role may do is the database's business.
func (s *Store) ReadOnly() bool { return false }

// scrub drops from a pgx error the connection details it may repeat.
func scrub(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return err
	}
	msg := err.Error()
	if i := strings.Index(msg, "password="); i >= 0 {
		msg = msg[:i] + "password=xxxxx"
	}
	return errors.New(msg)
}

// migrate applies the missing migrations, all in one transaction under a
// transaction-scoped advisory lock, so two Ladders opening a fresh schema at
// once serialise and the second finds the work done. A schema already
// current is only read, so a role without CREATE can use it.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := store.LoadMigrations(migrations)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	latest := len(ms)
	v, err := s.schemaVersion(ctx, s.pool)
	if err != nil {
		return fmt.Errorf("store: open %s: %w", s.url, scrub(err))
	}
	if v > latest {
		return s.newerError(v, latest)
	}
	if v == latest {
		return nil
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store: open %s: %w", s.url, scrub(err))
	}
	defer tx.Rollback(context.Background())
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('ladder migrate ' || current_database() || '.' || current_schema()))`); err != nil {
		return fmt.Errorf("store: migrate %s: %w", s.url, err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version    INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("store: migrate %s: %w%s", s.url, err, permissionHint(err))
	}
	if v, err = s.schemaVersion(ctx, tx); err != nil {
		return fmt.Errorf("store: migrate %s: %w", s.url, err)
	}
	for _, m := range ms {
		if m.Version <= v {
			continue
		}
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return fmt.Errorf("store: migrate %s to version %d (%s): %w%s", s.url, m.Version, m.Name, err, permissionHint(err))
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)`,
			m.Version, store.FormatTime(time.Now())); err != nil {
			return fmt.Errorf("store: migrate %s to version %d: %w", s.url, m.Version, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("store: migrate %s: %w", s.url, err)
	}
	return nil
}

// permissionHint says what a role refused DDL needs.
func permissionHint(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42501" {
		return " (the role needs CREATE on the schema to set up or upgrade the store; or have an owner run `ladder sync` once, then SELECT, INSERT, UPDATE, DELETE on its tables suffice)"
	}
	return ""
}

type queryRower interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func (s *Store) schemaVersion(ctx context.Context, q queryRower) (int, error) {
	var exists bool
	if err := q.QueryRow(ctx, `SELECT to_regclass('schema_version') IS NOT NULL`).Scan(&exists); err != nil {
		return 0, err
	}
	if !exists {
		return 0, nil
	}
	var v int
	err := q.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&v)
	return v, err
}

func (s *Store) newerError(have, latest int) error {
	return fmt.Errorf("store: %s has schema version %d, newer than this ladder knows (%d): use a newer ladder, or point --store at another database",
		s.url, have, latest)
}

// enc makes any Go string storable as PostgreSQL text, which refuses NUL
// bytes and invalid UTF-8 (SQLite keeps both): such a string, or one that
// starts with the marker \x01, is stored as \x01 and its quoted form. Every
// other string, nearly all of them, is stored as it is.
func enc(s string) string {
	if strings.IndexByte(s, 0) < 0 && (s == "" || s[0] != 1) && utf8.ValidString(s) {
		return s
	}
	return "\x01" + strconv.QuoteToASCII(s)
}

// dec reads what enc wrote.
func dec(s string) (string, error) {
	if s == "" || s[0] != 1 {
		return s, nil
	}
	return strconv.Unquote(s[1:])
}
