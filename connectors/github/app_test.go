package github

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/sandbox"
)

const (
	testAppID          = 123456
	testInstallationID = 7890123
)

var (
	appKeyOnce sync.Once
	appKey     *rsa.PrivateKey
	appKeyPEM  []byte
)

// testAppKey is an RSA key standing for a GitHub App's, made once per run.
func testAppKey(t *testing.T) (*rsa.PrivateKey, []byte) {
	t.Helper()
	appKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		appKey = k
		appKeyPEM = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	})
	return appKey, appKeyPEM
}

// newAppFixture serves issues with a GitHub App whose installation sees repos
// (nil: all), on the fixture's clock.
func newAppFixture(t *testing.T, issues int, repos []string, edit ...func(*sandbox.GitHubApp)) *fixture {
	t.Helper()
	key, _ := testAppKey(t)
	app := &sandbox.GitHubApp{ID: testAppID, Slug: "acme-ladder", InstallationID: testInstallationID, PublicKey: &key.PublicKey, Repos: repos}
	for _, e := range edit {
		e(app)
	}
	f := newFixture(t, genIssues("acme/web", issues, time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)), sandbox.GitHubOptions{App: app})
	// ghinstallation judges a token's expires_at on the real clock, so
	// GitHub's clock starts at the real time here; tests move it on.
	f.clock.Set(time.Now().UTC().Truncate(time.Second))
	return f
}

// asApp makes the client authenticate as the fixture's App instead of a token.
func asApp(t *testing.T) func(*Config) {
	_, pemKey := testAppKey(t)
	return func(c *Config) {
		c.Token = ""
		c.App = &App{ID: testAppID, InstallationID: testInstallationID, PrivateKey: pemKey}
	}
}

func TestAppSyncsAndCommentsAsItsBot(t *testing.T) {
	f := newAppFixture(t, 30, nil)
	c := f.client(t, []string{"acme/web"}, asApp(t))
	if _, err := c.Sync(t.Context(), f.sink, false, nil); err != nil {
		t.Fatalf("sync as an App: %v", err)
	}
	if len(f.sink.Issues()) != 30 {
		t.Errorf("stored %d issues, want 30", len(f.sink.Issues()))
	}
	login, err := c.Login(t.Context())
	if err != nil || login != "acme-ladder[bot]" {
		t.Fatalf("Login = %q, %v; want acme-ladder[bot]", login, err)
	}
	created, err := c.CreateComment(t.Context(), "acme/web#2", "<!-- ladder -->\nverdict")
	if err != nil {
		t.Fatalf("CreateComment: %v", err)
	}
	found, ok, err := c.FindComment(t.Context(), "acme/web#2", "<!-- ladder -->")
	if err != nil || !ok || found.ID != created.ID {
		t.Fatalf("FindComment = %+v, %v, %v; want the comment just created (%s)", found, ok, err, created.ID)
	}
	if err := c.EditComment(t.Context(), "acme/web#2", created.ID, "<!-- ladder -->\nnew verdict"); err != nil {
		t.Fatalf("EditComment: %v", err)
	}
	cs := f.srv.Comments("acme/web#2")
	last := cs[len(cs)-1]
	if last.Author != "acme-ladder[bot]" || !strings.Contains(last.Body, "new verdict") {
		t.Errorf("the comment is %q by %q; want it edited, by acme-ladder[bot]", last.Body, last.Author)
	}
	if n := countPath(f.srv, func(p string) bool { return p == "/user" }); n != 0 {
		t.Errorf("GET /user was called %d times; installation tokens cannot call it", n)
	}
	if n := countPath(f.srv, func(p string) bool { return p == "/app" }); n != 1 {
		t.Errorf("GET /app was called %d times, want once (the login is learnt once)", n)
	}
	if got := f.srv.TokenRequests(); got != 1 {
		t.Errorf("%d installation tokens were asked for, want 1 (one lives an hour)", got)
	}
}

// TestAppOnEnterpriseServer: on GitHub Enterprise Server the API, the App's
// endpoints and the token exchange all live under /api/v3.
func TestAppOnEnterpriseServer(t *testing.T) {
	f := newAppFixture(t, 5, nil)
	target, err := url.Parse(f.srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	var mu sync.Mutex
	proxy := httputil.NewSingleHostReverseProxy(target)
	ghes := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		if !strings.HasPrefix(r.URL.Path, "/api/v3/") {
			http.NotFound(w, r)
			return
		}
		http.StripPrefix("/api/v3", proxy).ServeHTTP(w, r)
	}))
	t.Cleanup(ghes.Close)
	c := f.client(t, []string{"acme/web"}, asApp(t), func(c *Config) { c.URL = ghes.URL + "/api/v3" })
	if _, err := c.Sync(t.Context(), f.sink, false, nil); err != nil {
		t.Fatalf("sync through /api/v3: %v", err)
	}
	if login, err := c.Login(t.Context()); err != nil || login != "acme-ladder[bot]" {
		t.Fatalf("Login = %q, %v", login, err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, want := range []string{"/api/v3/app/installations/7890123/access_tokens", "/api/v3/app"} {
		if !slices.Contains(paths, want) {
			t.Errorf("no request to %s; requests: %v", want, paths)
		}
	}
}

func TestAppLoginOverride(t *testing.T) {
	f := newAppFixture(t, 2, nil)
	c := f.client(t, []string{"acme/web"}, asApp(t), func(c *Config) { c.Login = "renamed[bot]" })
	if login, err := c.Login(t.Context()); err != nil || login != "renamed[bot]" {
		t.Fatalf("Login = %q, %v; want the configured renamed[bot]", login, err)
	}
	if n := countPath(f.srv, func(p string) bool { return p == "/app" }); n != 0 {
		t.Errorf("GET /app was called %d times; login: saves it", n)
	}
	// validate compares login: with the App's bot, who would not
	// recognise a comment by renamed[bot] as its own.
	err := c.Validate(t.Context())
	if err == nil || !strings.Contains(err.Error(), `set login: "acme-ladder[bot]"`) {
		t.Errorf("Validate = %v; want the wrong login: reported with the bot's", err)
	}
}

// TestAppTokenRefreshedBeforeExpiry: GitHub's clock passes the hour in the
// middle of a sync; the token is replaced before GitHub would refuse it, so
// no request is answered 401 and the sync completes.
func TestAppTokenRefreshedBeforeExpiry(t *testing.T) {
	f := newAppFixture(t, 450, nil)
	var logs bytes.Buffer
	c := f.client(t, []string{"acme/web"}, asApp(t), func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	pages := 0
	progress := func(string, int) {
		if pages++; pages == 2 {
			f.clock.Advance(61 * time.Minute)
		}
	}
	if _, err := c.Sync(t.Context(), f.sink, false, progress); err != nil {
		t.Fatalf("sync across the token's expiry: %v\n%s", err, logs.String())
	}
	if pages < 3 {
		t.Fatalf("the sync reported %d pages; the test needs requests after the clock moved", pages)
	}
	if len(f.sink.Issues()) != 450 {
		t.Errorf("stored %d issues, want 450", len(f.sink.Issues()))
	}
	for _, r := range f.srv.Requests() {
		if r.Status == http.StatusUnauthorized {
			t.Errorf("%s %s answered 401", r.Method, r.Path)
		}
	}
	if strings.Contains(logs.String(), "401") {
		t.Errorf("the log mentions a 401:\n%s", logs.String())
	}
	if got := f.srv.TokenRequests(); got != 2 {
		t.Errorf("%d installation tokens were asked for, want 2 (one per hour)", got)
	}
}

// TestAppRevokedTokenIsReplaced: a token GitHub refuses before its
// expires_at is replaced once, and the request sent again.
func TestAppRevokedTokenIsReplaced(t *testing.T) {
	f := newAppFixture(t, 250, nil)
	c := f.client(t, []string{"acme/web"}, asApp(t))
	pages := 0
	progress := func(string, int) {
		if pages++; pages == 1 {
			f.srv.RevokeTokens()
		}
	}
	if _, err := c.Sync(t.Context(), f.sink, false, progress); err != nil {
		t.Fatalf("sync after the token was revoked: %v", err)
	}
	if len(f.sink.Issues()) != 250 {
		t.Errorf("stored %d issues, want 250", len(f.sink.Issues()))
	}
	if got := f.srv.TokenRequests(); got != 2 {
		t.Errorf("%d installation tokens were asked for, want 2", got)
	}
	if _, err := c.CreateComment(t.Context(), "acme/web#4", "<!-- ladder -->"); err != nil {
		t.Fatalf("comment after the token was replaced: %v", err)
	}
	f.srv.RevokeTokens()
	if _, err := c.CreateComment(t.Context(), "acme/web#5", "<!-- ladder -->"); err != nil {
		t.Fatalf("comment with a revoked token: %v", err)
	}
	if n := len(f.srv.Comments("acme/web#5")); n != 1 {
		t.Errorf("acme/web#5 has %d comments, want 1 (the refused POST wrote nothing)", n)
	}
}

func TestAppRefusalsAreClearAndFinal(t *testing.T) {
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	otherPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(other)})
	for _, tc := range []struct {
		name string
		app  func(*App)
		want string
	}{
		{"another key", func(a *App) { a.PrivateKey = otherPEM }, "A JSON web token could not be decoded"},
		{"another app id", func(a *App) { a.ID = 99 }, "Integration not found"},
		{"no such installation", func(a *App) { a.InstallationID = 42 }, "has no installation 42"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newAppFixture(t, 2, nil)
			c := f.client(t, []string{"acme/web"}, asApp(t), func(c *Config) { tc.app(c.App) })
			_, err := c.Sync(t.Context(), f.sink, false, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("sync error = %v; want it to say %q", err, tc.want)
			}
			if len(f.clock.Sleeps()) != 0 {
				t.Errorf("waited %v: a refused App is not retried", f.clock.Sleeps())
			}
			if strings.Contains(err.Error(), "PRIVATE KEY") {
				t.Errorf("the error quotes the key: %v", err)
			}
		})
	}
}

func TestAppBadKeyIsClearWithoutTheKey(t *testing.T) {
	_, good := testAppKey(t)
	for _, tc := range []struct {
		name string
		key  []byte
	}{
		{"not PEM", []byte("ghp_this-is-a-token-not-a-key")},
		{"cut short", good[:len(good)/2]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(Config{Name: "gh", Repos: []string{"acme/web"},
				App: &App{ID: 1, InstallationID: 2, PrivateKey: tc.key}})
			if err == nil || !strings.Contains(err.Error(), "not a PEM-encoded RSA private key") {
				t.Fatalf("New = %v; want a clear key error", err)
			}
			if strings.Contains(err.Error(), "ghp_this") || strings.Contains(err.Error(), "MII") {
				t.Errorf("the error echoes the key: %v", err)
			}
		})
	}
}

// TestAppRateLimitIsReadFromHeaders: an installation's budget is larger
// than a personal token's 5,000; what is left is what GitHub says, and a
// budget spent is waited out until its reset, whatever its size.
func TestAppRateLimitIsReadFromHeaders(t *testing.T) {
	f := newAppFixture(t, 250, nil, func(a *sandbox.GitHubApp) { a.RateLimit = 15_000 })
	c := f.client(t, []string{"acme/web"}, asApp(t))
	stats, err := c.Sync(t.Context(), f.sink, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := f.srv.AppRateRemaining(); stats.QuotaRemaining != want || want <= 5000 {
		t.Errorf("quota remaining %d; want the installation's %d (of 15,000)", stats.QuotaRemaining, want)
	}

	f = newAppFixture(t, 250, nil, func(a *sandbox.GitHubApp) { a.RateLimit = 2 })
	c = f.client(t, []string{"acme/web"}, asApp(t))
	if _, err := c.Sync(t.Context(), f.sink, false, nil); err != nil {
		t.Fatalf("sync on a small installation budget: %v", err)
	}
	if len(f.clock.Sleeps()) == 0 {
		t.Errorf("never waited for the installation's budget to reset")
	}
}

func TestAppValidateChecksTheInstallationsRepos(t *testing.T) {
	f := newAppFixture(t, 2, []string{"acme/web"})
	if err := f.srv.AddIssue(ladder.Issue{Ref: ladder.Ref{Tracker: "gh", Key: "acme/api#1"}, Title: "Outside the installation"}); err != nil {
		t.Fatal(err)
	}
	c := f.client(t, []string{"acme/web"}, asApp(t))
	if err := c.Validate(t.Context()); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if got := c.Identity(); got != "GitHub App 123456 installation 7890123 as acme-ladder[bot]" {
		t.Errorf("Identity = %q", got)
	}
	c = f.client(t, []string{"acme/web", "acme/api"}, asApp(t))
	err := c.Validate(t.Context())
	if err == nil || !strings.Contains(err.Error(), "repo acme/api: not in GitHub App 123456 installation 7890123") {
		t.Fatalf("Validate = %v; want acme/api reported as outside the installation", err)
	}
	if n := strings.Count(err.Error(), "repo acme/api"); n != 1 {
		t.Errorf("acme/api is reported %d times, want once: %v", n, err)
	}
	if n := countPath(f.srv, func(p string) bool { return p == "/installation/repositories" }); n == 0 {
		t.Errorf("Validate did not list the installation's repositories")
	}
}

// TestAppSecretsStayOutOfLogs: neither the key nor an installation token
// appears in the debug log of a sync, a publish and a validate.
func TestAppSecretsStayOutOfLogs(t *testing.T) {
	f := newAppFixture(t, 120, nil)
	var logs bytes.Buffer
	c := f.client(t, []string{"acme/web"}, asApp(t), func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	if _, err := c.Sync(t.Context(), f.sink, false, nil); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour) // a second token
	verr := c.Validate(t.Context())
	_, cerr := c.CreateComment(t.Context(), "acme/web#3", "<!-- ladder -->")
	_, gerr := c.CreateComment(t.Context(), "acme/nowhere#3", "<!-- ladder -->")
	all := logs.String() + errString(verr) + errString(cerr) + errString(gerr)
	_, pemKey := testAppKey(t)
	body := strings.Split(string(pemKey), "\n")[1]
	if strings.Contains(all, body) {
		t.Errorf("the log or an error holds the private key")
	}
	tokens := f.srv.IssuedTokens()
	if len(tokens) != 2 {
		t.Errorf("%d installation tokens were issued, want 2", len(tokens))
	}
	if len(tokens) == 0 {
		t.Fatal("no installation token was issued")
	}
	for _, tok := range tokens {
		if strings.Contains(all, tok) {
			t.Errorf("the log or an error holds an installation token")
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
