package main

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ladderhq/ladder/internal/sandbox"
)

const appKeyEnv = "LADDER_GITHUB_APP_KEY"

// appEnv is the sample organisation with its GitHub tracker authenticating
// as a GitHub App, whose key is in vars.
type appEnv struct {
	*env
	vars   map[string]string
	keyPEM string
}

// newAppEnv serves the sample organisation's GitHub with an App; appBlock is
// the tracker's app: block (nil: the usual one, key in LADDER_GITHUB_APP_KEY).
func newAppEnv(t *testing.T, appBlock ...string) *appEnv {
	t.Helper()
	e := newEnv(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	e.gh.Close()
	e.gh = sandbox.NewGitHub(e.org.GitHub, sandbox.GitHubOptions{Token: demoGitHubToken, Login: "ladder-bot", PullRequests: 2,
		App: &sandbox.GitHubApp{ID: 123456, Slug: "acme-ladder", InstallationID: 7890123, PublicKey: &key.PublicKey}})
	t.Cleanup(e.gh.Close)
	cfg, err := e.org.RenderConfig(sandbox.ConfigVars{GitHubURL: e.gh.URL(), JiraURL: e.jira.URL(), Store: "ladder.db"})
	if err != nil {
		t.Fatal(err)
	}
	block := strings.Join(appBlock, "\n")
	if len(appBlock) == 0 {
		block = "    app:\n      id: 123456\n      installation_id: 7890123\n      private_key_env: " + appKeyEnv
	}
	tokenLine := "    token_env: " + sandbox.GitHubTokenEnv + "\n"
	if !strings.Contains(cfg, tokenLine) {
		t.Fatalf("the sample config has no %q", tokenLine)
	}
	cfg = strings.Replace(cfg, tokenLine, block+"\n", 1)
	if err := os.WriteFile(e.cfg, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	vars := maps.Clone(demoEnv)
	delete(vars, sandbox.GitHubTokenEnv)
	vars[appKeyEnv] = keyPEM
	return &appEnv{env: e, vars: vars, keyPEM: keyPEM}
}

func (e *appEnv) mustRun(t *testing.T, args ...string) string {
	t.Helper()
	if code := e.runEnv(t, e.vars, args...); code != 0 {
		t.Fatalf("ladder %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, e.stdout, e.stderr)
	}
	return e.stdout.String() + e.stderr.String()
}

// TestGitHubAppSyncAndPublish: with an app: block, validate says who Ladder
// is, sync and publish --apply work, the comments are the App's bot's, a
// second publish edits them in place (nothing to do), and neither the key
// nor any installation token is in the logs or the store.
func TestGitHubAppSyncAndPublish(t *testing.T) {
	e := newAppEnv(t)
	var all strings.Builder
	out := e.mustRun(t, "--log-level", "debug", "validate")
	all.WriteString(out)
	if !strings.Contains(out, "gh: ok (authenticates as GitHub App 123456 installation 7890123 as acme-ladder[bot]") {
		t.Errorf("validate does not say how it authenticates:\n%s", out)
	}
	all.WriteString(e.mustRun(t, "--log-level", "debug", "sync"))
	all.WriteString(e.mustRun(t, "--log-level", "debug", "--log-format", "json", "publish", "--apply"))
	bot := 0
	for _, is := range e.org.GitHub {
		for _, c := range e.gh.Comments(is.Key) {
			switch c.Author {
			case "acme-ladder[bot]":
				bot++
			case "ladder-bot":
				t.Errorf("%s: a comment by the token's account, not the App's bot", is.Key)
			}
		}
	}
	if bot == 0 {
		t.Fatalf("publish --apply wrote no comment as acme-ladder[bot]:\n%s", e.stdout)
	}
	before := writes(e.gh.Harness)
	all.WriteString(e.mustRun(t, "--log-level", "debug", "publish", "--apply", "--verify"))
	if n := writes(e.gh.Harness) - before; n != 0 {
		t.Errorf("a second publish made %d writes to GitHub, want 0 (its comments found again as the bot's)", n)
	}
	if n := e.gh.Count(func(r sandbox.Request) bool { return r.Path == "/user" }); n != 0 {
		t.Errorf("GET /user was called %d times", n)
	}

	db, err := os.ReadFile(filepath.Join(e.dir, "ladder.db"))
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(filepath.Join(e.dir, "ladder.db-wal"))
	keyLine := strings.Split(e.keyPEM, "\n")[1]
	secrets := append([]string{keyLine}, e.gh.IssuedTokens()...)
	if len(secrets) < 2 {
		t.Fatal("no installation token was issued")
	}
	for _, s := range secrets {
		if strings.Contains(all.String(), s) {
			t.Errorf("a secret (%.8s…) appears in the output", s)
		}
		if bytes.Contains(db, []byte(s)) || bytes.Contains(wal, []byte(s)) {
			t.Errorf("a secret (%.8s…) is in the store", s)
		}
	}
}

func TestGitHubAppKeyFile(t *testing.T) {
	e := newAppEnv(t, "    app:", "      id: 123456", "      installation_id: 7890123", "      private_key_file: app.pem")
	if err := os.WriteFile(filepath.Join(e.dir, "app.pem"), []byte(e.keyPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	delete(e.vars, appKeyEnv)
	e.mustRun(t, "sync", "--tracker", "gh")
}

func TestGitHubAppConfigErrors(t *testing.T) {
	usual := []string{"    app:", "      id: 123456", "      installation_id: 7890123", "      private_key_env: " + appKeyEnv}
	for _, tc := range []struct {
		name  string
		block []string
		vars  func(map[string]string)
		want  []string
	}{
		{"a key that is not one", usual, func(v map[string]string) { v[appKeyEnv] = "ghp_pasted-a-token-by-mistake" },
			[]string{"the GitHub App private key in environment variable LADDER_GITHUB_APP_KEY (app.private_key_env) is not PEM"}},
		{"a key that is not RSA", usual, func(v map[string]string) {
			v[appKeyEnv] = "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n"
		}, []string{"is a PEM \"RSA PRIVATE KEY\" block but not an RSA private key"}},
		{"the key's variable unset, with the other missing variables", usual, func(v map[string]string) {
			delete(v, appKeyEnv)
			delete(v, "LADDER_DEMO_JIRA_TOKEN")
		}, []string{"environment variable LADDER_GITHUB_APP_KEY (app.private_key_env) is not set",
			"environment variable LADDER_DEMO_JIRA_TOKEN (token_env) is not set"}},
		{"app and token_env", append([]string{"    token_env: " + sandbox.GitHubTokenEnv}, usual...), nil,
			[]string{"trackers[0].token_env: and app: are exclusive"}},
		{"ids not positive", []string{"    app:", "      id: 0", "      installation_id: -3", "      private_key_env: " + appKeyEnv}, nil,
			[]string{"trackers[0].app.id: must be the App's positive id", "trackers[0].app.installation_id: must be the installation's positive id"}},
		{"no key", []string{"    app:", "      id: 1", "      installation_id: 2"}, nil,
			[]string{"trackers[0].app: needs the App's private key"}},
		{"two keys", append(slicesClone(usual), "      private_key_file: app.pem"), nil,
			[]string{"trackers[0].app.private_key_file: and private_key_env are exclusive"}},
		{"a key file that is not there", []string{"    app:", "      id: 1", "      installation_id: 2", "      private_key_file: missing.pem"}, nil,
			[]string{"cannot read the GitHub App private key file", "missing.pem (app.private_key_file)"}},
		{"an unknown key", append(slicesClone(usual), "      private_key: inline"), nil,
			[]string{"trackers[0].app.private_key: unknown key"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newAppEnv(t, tc.block...)
			if tc.vars != nil {
				tc.vars(e.vars)
			}
			code := e.runEnv(t, e.vars, "validate")
			out := e.stdout.String() + e.stderr.String()
			if code != exitUsage {
				t.Fatalf("validate: exit %d, want %d (a config error)\n%s", code, exitUsage, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("the error does not say %q:\n%s", w, out)
				}
			}
			for _, secret := range []string{"ghp_pasted", "bm90IGEga2V5", strings.Split(e.keyPEM, "\n")[1]} {
				if strings.Contains(out, secret) {
					t.Errorf("the error echoes the key (%s):\n%s", secret, out)
				}
			}
			if n := len(e.gh.Requests()); n != 0 {
				t.Errorf("%d requests to GitHub before the config was right", n)
			}
		})
	}
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }
