package main

import (
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/ladderhq/ladder/internal/sandbox"
)

// TestServeReceivesWebhooks: with serve.webhooks.github_secret_env set,
// `ladder serve` mounts POST /webhooks/github; a signed delivery for an
// edited issue is stored within seconds and counted on /metrics under the
// tracker's name, a forged one is refused and counted, and the Jira
// receiver, whose variable is unset, is not mounted.
func TestServeReceivesWebhooks(t *testing.T) {
	e := newEnv(t)
	e.rewriteConfig(t, func(s string) string {
		return s + "serve:\n  webhooks:\n    github_secret_env: TEST_GH_HOOK_SECRET\n    jira_secret_env: TEST_JIRA_HOOK_SECRET\n"
	})
	vars := maps.Clone(demoEnv)
	vars["TEST_GH_HOOK_SECRET"] = "s3cret-for-hooks"
	s := e.serve(t, vars, serveOptions{RunNow: true, Apply: true})
	waitFor(t, "the first run to end", func() bool { return s.runsEnded(t) == 1 })

	ref := e.org.GitHub[0].Ref
	if err := e.gh.EditIssue(ref.Key, addLabel("tech-debt")); err != nil {
		t.Fatal(err)
	}
	status, err := e.gh.Deliver(t.Context(), s.url+"/webhooks/github", []byte("s3cret-for-hooks"),
		sandbox.GitHubDelivery{Event: "issues", Action: "labeled", Key: ref.Key})
	if err != nil || status != http.StatusAccepted {
		t.Fatalf("signed delivery: %d, %v", status, err)
	}
	status, err = e.gh.Deliver(t.Context(), s.url+"/webhooks/github", []byte("not the secret"),
		sandbox.GitHubDelivery{Event: "issues", Action: "labeled", Key: ref.Key})
	if err != nil || status != http.StatusUnauthorized {
		t.Fatalf("forged delivery: %d, %v; want 401", status, err)
	}
	counted := func(result string) float64 {
		v, _ := value(s.metrics(t), "ladder_webhook_deliveries_total", "tracker", "gh", "result", result)
		return v
	}
	deadline := time.Now().Add(10 * time.Second)
	for counted(whRefreshed) != 1 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := counted(whRefreshed); n != 1 {
		t.Fatalf("ladder_webhook_deliveries_total{tracker=gh,result=refreshed} = %v, want 1", n)
	}
	if n := counted("unauthorized"); n != 1 {
		t.Errorf("forged deliveries counted %v, want 1", n)
	}
	if code, _ := s.get(t, "/webhooks/jira"); code != http.StatusNotFound && code != http.StatusMethodNotAllowed {
		t.Errorf("GET /webhooks/jira: %d; the Jira receiver has no secret and must not be mounted", code)
	}
	resp, err := http.Post(s.url+"/webhooks/jira", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST /webhooks/jira: %d, want 404 (no secret, no receiver)", resp.StatusCode)
	}
}
