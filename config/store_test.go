package config

import (
	"strings"
	"testing"
)

func TestStoreSelection(t *testing.T) {
	tests := []struct {
		name      string
		store     string
		env       string // LADDER_STORE; "" unset
		wantKind  StoreKind
		wantPath  string // StorePath, config in /etc/ladder
		wantErr   string // substring of the error; "" none
		forbidden string // must not appear in the error
	}{
		{name: "plain relative path", store: "ladder.db", wantKind: StoreSQLite, wantPath: "/etc/ladder/ladder.db"},
		{name: "plain absolute path", store: "/var/lib/ladder.db", wantKind: StoreSQLite, wantPath: "/var/lib/ladder.db"},
		{name: "sqlite: relative", store: "sqlite:data/ladder.db", wantKind: StoreSQLite, wantPath: "/etc/ladder/data/ladder.db"},
		{name: "sqlite:// absolute", store: "sqlite:///var/lib/ladder.db", wantKind: StoreSQLite, wantPath: "/var/lib/ladder.db"},
		{name: "file: with options", store: "file:ladder.db?mode=rwc", wantKind: StoreSQLite, wantPath: "/etc/ladder/ladder.db"},
		{name: "postgres", store: "postgres://ladder@db.internal:5432/ladder?sslmode=verify-full", wantKind: StorePostgres,
			wantPath: "postgres://ladder@db.internal:5432/ladder?sslmode=verify-full"},
		{name: "postgresql", store: "postgresql://ladder@db.internal/ladder", wantKind: StorePostgres,
			wantPath: "postgresql://ladder@db.internal/ladder"},
		{name: "unknown scheme named with its line", store: "mysql://ladder@db/ladder",
			wantErr: `x.yaml:10: store: has the unknown scheme "mysql:"`},
		{name: "password in the user info", store: "postgres://ladder:s3cret@db/ladder",
			wantErr: "x.yaml:10: store: holds a password: leave it out of the URL and set PGPASSWORD", forbidden: "s3cret"},
		{name: "password as a parameter", store: "postgres://ladder@db/ladder?password=s3cret",
			wantErr: "set PGPASSWORD, or put it in a passfile", forbidden: "s3cret"},
		{name: "password through LADDER_STORE", store: "ladder.db", env: "postgresql://ladder:s3cret@db/ladder",
			wantErr: "LADDER_STORE (overrides x.yaml:10): store: holds a password", forbidden: "s3cret"},
		{name: "sqlite: without a file", store: `"sqlite:"`, wantErr: "store: sqlite: names no file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{}
			if tt.env != "" {
				env["LADDER_STORE"] = tt.env
			}
			cfg, err := Parse("x.yaml", []byte(minimal+"store: "+tt.store+"\n"), Options{Getenv: envOf(env)})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				if tt.forbidden != "" && strings.Contains(err.Error(), tt.forbidden) {
					t.Errorf("the error repeats the secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			cfg.File = "/etc/ladder/ladder.yaml"
			kind, _, err := ParseStore(cfg.Store)
			if err != nil || kind != tt.wantKind {
				t.Errorf("ParseStore = %q, %v; want %q", kind, err, tt.wantKind)
			}
			if got := cfg.StorePath(); got != tt.wantPath {
				t.Errorf("StorePath = %q, want %q", got, tt.wantPath)
			}
		})
	}
}
