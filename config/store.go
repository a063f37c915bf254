package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// StoreKind is the backend a store value selects.
type StoreKind string

const (
	// StoreSQLite is one SQLite file: a plain path, sqlite:PATH or file:PATH.
	StoreSQLite StoreKind = "sqlite"
	// StorePostgres is a PostgreSQL database: postgres:// or postgresql://.
	StorePostgres StoreKind = "postgres"
)

// schemeRe finds a URL scheme. One letter is a Windows drive (C:\ladder.db),
// not a scheme.
var schemeRe = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]+):`)

// ParseStore says which backend a store value (the store: key, LADDER_STORE
// or --store) selects, and where: the file path for SQLite (as written,
// relative or not), the URL for PostgreSQL. An unknown scheme is an error
// naming it; a PostgreSQL URL holding a password is refused, since secrets
// never go inline. Errors never repeat the value, which may hold a secret.
func ParseStore(v string) (StoreKind, string, error) {
	m := schemeRe.FindStringSubmatch(v)
	if m == nil {
		return StoreSQLite, v, nil
	}
	switch scheme := strings.ToLower(m[1]); scheme {
	case "postgres", "postgresql":
		u, err := url.Parse(v)
		if err != nil {
			return "", "", fmt.Errorf("is not a readable PostgreSQL URL (postgres://user@host:5432/db?sslmode=verify-full)")
		}
		if _, ok := u.User.Password(); ok || u.Query().Has("password") {
			return "", "", fmt.Errorf("holds a password: leave it out of the URL and set PGPASSWORD, or put it in a passfile (~/.pgpass or PGPASSFILE)")
		}
		return StorePostgres, v, nil
	case "sqlite", "file":
		p := strings.TrimPrefix(v[len(m[0]):], "//")
		if i := strings.IndexAny(p, "?#"); i >= 0 {
			p = p[:i]
		}
		if p == "" {
			return "", "", fmt.Errorf("%s: names no file (sqlite:ladder.db, sqlite:///var/lib/ladder/ladder.db)", scheme)
		}
		return StoreSQLite, p, nil
	default:
		return "", "", fmt.Errorf("has the unknown scheme %q: use postgres:// or postgresql:// for PostgreSQL, sqlite: or file: (or a plain path) for an SQLite file", scheme+":")
	}
}
