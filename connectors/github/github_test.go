package github

import (
	"strings"
	"testing"

	"github.com/ladderhq/ladder/internal/sandbox"
)

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no token", Config{Name: "gh", Repos: []string{"a/b"}}, `github tracker "gh": no token`},
		{"nothing to sync", Config{Name: "gh", Token: "t"}, "no repos and no orgs"},
		{"repo without owner", Config{Name: "gh", Token: "t", Repos: []string{"payments"}}, `repo "payments": want owner/repo`},
		{"repo with issue number", Config{Name: "gh", Token: "t", Repos: []string{"a/b#1"}}, `repo "a/b#1"`},
		{"org with slash", Config{Name: "gh", Token: "t", Orgs: []string{"a/b"}}, `org "a/b"`},
		{"url not http", Config{Name: "gh", Token: "t", Repos: []string{"a/b"}, URL: "ftp://x"}, `url "ftp://x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New error = %v, want one containing %q", err, tt.want)
			}
			if err != nil && tt.cfg.Token != "" && strings.Contains(err.Error(), tt.cfg.Token+"\"") {
				t.Errorf("error names the token: %v", err)
			}
		})
	}
}

func TestAPIBase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "https://api.github.com/"},
		{"https://api.github.com", "https://api.github.com/"},
		{"https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/"},
		{"https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3/"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, err := apiBase(tt.in)
			if err != nil || u.String() != tt.want {
				t.Errorf("apiBase(%q) = %v, %v; want %s", tt.in, u, err, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		repos []string
		orgs  []string
		token string
		perms map[string]sandbox.GitHubPermissions
		want  []string // substrings of the error; none means success
	}{
		{name: "all good", repos: []string{"acme/api"}, orgs: []string{"acme"}},
		{name: "read-only token may comment", repos: []string{"acme/api"},
			perms: map[string]sandbox.GitHubPermissions{"acme/api": {Pull: true}}},
		{name: "bad token", repos: []string{"acme/api"}, token: "nope",
			want: []string{`github tracker "gh": token rejected (401 Bad credentials): check the env var named by token_env`}},
		{name: "repo not visible", repos: []string{"acme/api", "acme/secret"},
			want: []string{"repo acme/secret: not found, or not visible to ladder-bot's token"}},
		{name: "no pull permission", repos: []string{"acme/api"},
			perms: map[string]sandbox.GitHubPermissions{"acme/api": {}},
			want:  []string{"repo acme/api: ladder-bot's token has no read (pull) permission"}},
		{name: "every problem reported", repos: []string{"acme/nope", "acme/api"}, orgs: []string{"ghost-org"},
			perms: map[string]sandbox.GitHubPermissions{"acme/api": {}},
			want:  []string{"repo acme/nope: not found", "repo acme/api: ladder-bot's token has no read", "org ghost-org: not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, genIssues("acme/api", 2, base), sandbox.GitHubOptions{Permissions: tt.perms})
			c := f.client(t, tt.repos, func(cfg *Config) {
				cfg.Orgs = tt.orgs
				if tt.token != "" {
					cfg.Token = tt.token
				}
			})
			err := c.Validate(t.Context())
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Validate succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}
