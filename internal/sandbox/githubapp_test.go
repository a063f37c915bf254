package sandbox

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	jwt "github.com/golang-jwt/jwt/v4"

	"github.com/ladderhq/ladder"
)

var (
	sbKeyOnce sync.Once
	sbKey     *rsa.PrivateKey
)

func appTestKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	sbKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		sbKey = k
	})
	return sbKey
}

func newAppGitHub(t *testing.T, clock *testClock, repos []string) *GitHub {
	t.Helper()
	issues := append(ghIssues(3), ladder.Issue{Ref: ladder.Ref{Tracker: "gh", Key: "acme/web#1"}, Title: "elsewhere"})
	g := NewGitHub(issues, GitHubOptions{Token: "ghp_person", Now: clock.Now,
		App: &GitHubApp{ID: 42, Slug: "acme-ladder", InstallationID: 4242, PublicKey: &appTestKey(t).PublicKey, Repos: repos}})
	t.Cleanup(g.Close)
	return g
}

func signJWT(t *testing.T, method jwt.SigningMethod, key any, iss string, iat, exp time.Time) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, jwt.RegisteredClaims{
		Issuer: iss, IssuedAt: jwt.NewNumericDate(iat), ExpiresAt: jwt.NewNumericDate(exp),
	}).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestGitHubAppChecksTheJWT(t *testing.T) {
	clock := &testClock{t: ghBase}
	g := newAppGitHub(t, clock, nil)
	now := clock.Now()
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	key := appTestKey(t)
	for _, tc := range []struct {
		name  string
		token string
		want  int
		msg   string
	}{
		{"good", signJWT(t, jwt.SigningMethodRS256, key, "42", now.Add(-time.Minute), now.Add(9*time.Minute)), 200, ""},
		{"issued in the future", signJWT(t, jwt.SigningMethodRS256, key, "42", now.Add(time.Minute), now.Add(9*time.Minute)), 401, "'Issued at' claim"},
		{"expired", signJWT(t, jwt.SigningMethodRS256, key, "42", now.Add(-10*time.Minute), now.Add(-time.Second)), 401, "'Expiration time' claim"},
		{"expiring too late", signJWT(t, jwt.SigningMethodRS256, key, "42", now.Add(-time.Minute), now.Add(11*time.Minute)), 401, "too far in the future"},
		{"another app", signJWT(t, jwt.SigningMethodRS256, key, "43", now.Add(-time.Minute), now.Add(9*time.Minute)), 401, "Integration not found"},
		{"another key", signJWT(t, jwt.SigningMethodRS256, other, "42", now.Add(-time.Minute), now.Add(9*time.Minute)), 401, "could not be decoded"},
		{"HMAC", signJWT(t, jwt.SigningMethodHS256, []byte("secret"), "42", now.Add(-time.Minute), now.Add(9*time.Minute)), 401, "could not be decoded"},
		{"a token", "ghp_person", 401, "could not be decoded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := ghDo(t, "GET", g.URL()+"app", tc.token, "", "")
			if res.status != tc.want || !strings.Contains(string(res.body), tc.msg) {
				t.Fatalf("GET /app: %d %s; want %d with %q", res.status, res.body, tc.want, tc.msg)
			}
			if tc.want == 200 {
				var app struct {
					ID   int64  `json:"id"`
					Slug string `json:"slug"`
				}
				if err := json.Unmarshal(res.body, &app); err != nil || app.ID != 42 || app.Slug != "acme-ladder" {
					t.Errorf("GET /app = %s, %v", res.body, err)
				}
			}
		})
	}
}

func TestGitHubAppInstallationTokens(t *testing.T) {
	clock := &testClock{t: ghBase}
	g := newAppGitHub(t, clock, []string{"acme/api"})
	now := clock.Now()
	jwtOK := signJWT(t, jwt.SigningMethodRS256, appTestKey(t), "42", now.Add(-time.Minute), now.Add(9*time.Minute))

	if res := ghDo(t, "POST", g.URL()+"app/installations/999/access_tokens", jwtOK, "", ""); res.status != 404 {
		t.Errorf("another installation: %d %s; want 404", res.status, res.body)
	}
	if res := ghDo(t, "POST", g.URL()+"app/installations/4242/access_tokens", "ghp_person", "", ""); res.status != 401 {
		t.Errorf("a token instead of the JWT: %d; want 401", res.status)
	}
	res := ghDo(t, "POST", g.URL()+"app/installations/4242/access_tokens", jwtOK, "", "")
	var tok struct {
		Token               string            `json:"token"`
		ExpiresAt           time.Time         `json:"expires_at"`
		Permissions         map[string]string `json:"permissions"`
		RepositorySelection string            `json:"repository_selection"`
	}
	if err := json.Unmarshal(res.body, &tok); err != nil || res.status != http.StatusCreated {
		t.Fatalf("access_tokens: %d %s %v", res.status, res.body, err)
	}
	if !strings.HasPrefix(tok.Token, "ghs_") || !tok.ExpiresAt.Equal(now.Add(time.Hour)) ||
		tok.Permissions["issues"] != "write" || tok.Permissions["metadata"] != "read" || tok.RepositorySelection != "selected" {
		t.Errorf("access_tokens answered %s", res.body)
	}

	if res := ghDo(t, "GET", g.URL()+"repos/acme/api", tok.Token, "", ""); res.status != 200 || res.header.Get("X-RateLimit-Limit") != "12500" {
		t.Errorf("GET a repo of the installation: %d, limit %q; want 200 on the installation's 12500", res.status, res.header.Get("X-RateLimit-Limit"))
	}
	if res := ghDo(t, "GET", g.URL()+"repos/acme/web", tok.Token, "", ""); res.status != 404 {
		t.Errorf("GET a repo outside the installation: %d; want 404", res.status)
	}
	if res := ghDo(t, "GET", g.URL()+"repos/acme/api", jwtOK, "", ""); res.status != 401 {
		t.Errorf("the JWT on a repository: %d; want 401", res.status)
	}
	if res := ghDo(t, "GET", g.URL()+"user", tok.Token, "", ""); res.status != 403 {
		t.Errorf("GET /user with an installation token: %d; want 403", res.status)
	}
	res = ghDo(t, "GET", g.URL()+"installation/repositories", tok.Token, "", "")
	var list struct {
		TotalCount   int `json:"total_count"`
		Repositories []struct {
			FullName string `json:"full_name"`
		} `json:"repositories"`
	}
	if err := json.Unmarshal(res.body, &list); err != nil || list.TotalCount != 1 || len(list.Repositories) != 1 || list.Repositories[0].FullName != "acme/api" {
		t.Errorf("installation/repositories: %d %s", res.status, res.body)
	}
	if res := ghDo(t, "GET", g.URL()+"installation/repositories", "ghp_person", "", ""); res.status != 403 {
		t.Errorf("installation/repositories with a personal token: %d; want 403", res.status)
	}

	res = ghDo(t, "POST", g.URL()+"repos/acme/api/issues/1/comments", tok.Token, "", `{"body":"hello"}`)
	var c struct {
		User struct {
			Login string `json:"login"`
			Type  string `json:"type"`
		} `json:"user"`
	}
	if err := json.Unmarshal(res.body, &c); err != nil || c.User.Login != "acme-ladder[bot]" || c.User.Type != "Bot" {
		t.Errorf("a comment by the installation: %d %s; want user acme-ladder[bot] of type Bot", res.status, res.body)
	}

	clock.Advance(time.Hour)
	if res := ghDo(t, "GET", g.URL()+"repos/acme/api", tok.Token, "", ""); res.status != 401 || !strings.Contains(string(res.body), "Bad credentials") {
		t.Errorf("an expired installation token: %d %s; want 401 Bad credentials", res.status, res.body)
	}
	if res := ghDo(t, "GET", g.URL()+"repos/acme/api", "ghp_person", "", ""); res.status != 200 {
		t.Errorf("the personal token beside the App: %d; want 200", res.status)
	}
}
