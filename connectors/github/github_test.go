package github

import (
	"cmp"
	"errors"
	"net/http"
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
		name   string
		repos  []string
		orgs   []string
		token  string
		perms  map[string]sandbox.GitHubPermissions
		scopes []string
		want   []string // substrings of the error; none means success
	}{
		{name: "classic token without repo scopes", repos: []string{"acme/api"}, scopes: []string{"read:org", "gist"},
			want: []string{"the classic token has neither the repo nor the public_repo scope (it has: read:org, gist)"}},
		{name: "classic token with public_repo", repos: []string{"acme/api"}, scopes: []string{"public_repo"}},
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
			f := newFixture(t, genIssues("acme/api", 2, base), sandbox.GitHubOptions{Permissions: tt.perms, OAuthScopes: tt.scopes})
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

const installToken = "ghs_installation-secret-token"

// TestInstallationToken runs Ladder on a GitHub App installation token,
// which GitHub refuses on GET /user: Ladder must learn the account it writes
// as elsewhere (login:, or GraphQL's viewer), still check the repositories,
// and refuse to look for or write comments when it cannot tell.
func TestInstallationToken(t *testing.T) {
	tests := []struct {
		name  string
		login string // the tracker's login: key
		token string
		// fault breaks a request of the run.
		fault *sandbox.Fault
		repos []string
		// wantErr are substrings of Validate's error; none means success.
		wantErr []string
		// wantLogin is the account found; "" means comments are refused.
		wantLogin string
	}{
		{name: "viewer names the bot", wantLogin: "acme-ladder[bot]"},
		{name: "login: given", login: "acme-ladder[bot]", wantLogin: "acme-ladder[bot]"},
		{name: "login: names another account", login: "other[bot]", wantLogin: "other[bot]",
			wantErr: []string{`login: is "other[bot]" but the token writes as "acme-ladder[bot]"`, `set login: "acme-ladder[bot]"`}},
		{name: "viewer fails and no login:", fault: &sandbox.Fault{Match: sandbox.PathHas("/graphql"), Status: 502},
			repos:   []string{"acme/api", "acme/nope"},
			wantErr: []string{"cannot tell which account this token writes as", `set login: on the tracker`, `login: "acme-ladder[bot]"`, "repo acme/nope: not found, or the GitHub App is not installed on it"}},
		{name: "refused on GET /user without the ghs_ prefix", token: testToken,
			fault:     &sandbox.Fault{Match: func(r *http.Request) bool { return r.URL.Path == "/user" }, Status: 403, Body: integrationRefusal},
			wantLogin: "acme-ladder[bot]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := cmp.Or(tt.token, installToken)
			f := newFixture(t, genIssues("acme/api", 2, base), sandbox.GitHubOptions{Token: token, Login: "acme-ladder[bot]"})
			if _, err := f.srv.AddComment("acme/api#1", "acme-ladder[bot]", marker+"\nearlier verdict"); err != nil {
				t.Fatal(err)
			}
			if tt.fault != nil {
				f.srv.AddFault(*tt.fault)
			}
			repos := tt.repos
			if repos == nil {
				repos = []string{"acme/api"}
			}
			c := f.client(t, repos, func(cfg *Config) { cfg.Token, cfg.Login = token, tt.login })
			err := c.Validate(t.Context())
			if len(tt.wantErr) == 0 && err != nil {
				t.Fatalf("Validate: %v", err)
			}
			for _, w := range tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("Validate error %v does not contain %q", err, w)
				}
			}
			if err != nil && strings.Contains(err.Error(), token) {
				t.Errorf("error leaks the token: %v", err)
			}
			if n := countPath(f.srv, func(p string) bool { return p == "/repos/acme/api" }); n != 1 {
				t.Errorf("GET /repos/acme/api made %d times, want once: repositories are checked whatever the login", n)
			}
			if installationToken(token) && countPath(f.srv, func(p string) bool { return p == "/user" }) != 0 {
				t.Error("GET /user asked with an installation token, which GitHub never answers")
			}

			found, ok, ferr := c.FindComment(t.Context(), "acme/api#1", marker)
			_, cerr := c.CreateComment(t.Context(), "acme/api#2", marker+"\nverdict")
			if tt.wantLogin == "" {
				for _, err := range []error{ferr, cerr} {
					if err == nil || !strings.Contains(err.Error(), "set login:") {
						t.Errorf("comment call error = %v, want one saying to set login:", err)
					}
				}
				if n := f.srv.Count(func(r sandbox.Request) bool {
					return r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/comments")
				}); n != 0 {
					t.Errorf("%d comments posted without knowing whose they are", n)
				}
				return
			}
			if ferr != nil {
				t.Fatalf("FindComment: %v", ferr)
			}
			if wantFound := tt.wantLogin == "acme-ladder[bot]"; ok != wantFound || ok && found.Author != "acme-ladder[bot]" {
				t.Errorf("FindComment = %+v, %v; want found %v", found, ok, wantFound)
			}
			if wantErr := tt.wantLogin != "acme-ladder[bot]"; (cerr != nil) != wantErr {
				t.Errorf("CreateComment error = %v, want error %v", cerr, wantErr)
			}
		})
	}
}

// integrationRefusal is GitHub's answer to an installation token on GET /user.
const integrationRefusal = `{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest/users/users#get-the-authenticated-user","status":"403"}`

func TestGraphQLURL(t *testing.T) {
	tests := []struct{ api, want string }{
		{"https://api.github.com", "https://api.github.com/graphql"},
		{"https://ghe.example.com/api/v3", "https://ghe.example.com/api/graphql"},
	}
	for _, tt := range tests {
		t.Run(tt.api, func(t *testing.T) {
			var got string
			c, err := New(Config{Name: "gh", URL: tt.api, Token: installToken, Repos: []string{"a/b"}, MaxRetries: -1,
				HTTPClient: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
					got = r.URL.String()
					return nil, errors.New("offline")
				})}})
			if err != nil {
				t.Fatal(err)
			}
			c.viewerLogin(t.Context())
			if got != tt.want {
				t.Errorf("GraphQL asked at %s, want %s", got, tt.want)
			}
		})
	}
}
