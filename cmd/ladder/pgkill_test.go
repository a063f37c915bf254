package main

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ladderhq/ladder/internal/sandbox"
	"github.com/ladderhq/ladder/internal/storetest"
)

const ladderProcessEnv = "LADDER_TEST_LADDER_ARGS" // the command line, \x1f-separated, in the child

// TestLadderProcess runs the ladder command line given in its environment:
// the child process of the tests that kill a run. Not a test of its own.
func TestLadderProcess(t *testing.T) {
	args := os.Getenv(ladderProcessEnv)
	if args == "" {
		t.Skip("a ladder process for the tests that kill one, started by them")
	}
	g := &globals{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	os.Exit(execute(context.Background(), g, strings.Split(args, "\x1f")))
}

// onJiraRequest runs fn once, at the n-th Jira search or comment request,
// and holds that request until release is closed (or 10 s).
func onJiraRequest(e *env, n int, fn func()) (release chan struct{}) {
	var mu sync.Mutex
	seen := 0
	release = make(chan struct{})
	e.jira.Harness().AddFault(sandbox.Fault{
		Match: func(r *http.Request) bool {
			if !strings.Contains(r.URL.Path, "/search") && !strings.Contains(r.URL.Path, "/comment") {
				return false
			}
			mu.Lock()
			seen++
			hit := seen == n
			mu.Unlock()
			if hit {
				fn()
				select {
				case <-release:
				case <-time.After(10 * time.Second):
				}
			}
			return false
		},
	})
	return release
}

// TestKilledSyncOnPostgresContinues: a sync stopped mid-way on PostgreSQL —
// its context cancelled, or its process killed with SIGKILL — leaves a
// store the next sync carries on from, ending where an uninterrupted sync
// ends.
func TestKilledSyncOnPostgresContinues(t *testing.T) {
	storetest.PostgresURL(t) // skips without a server
	tests := []struct {
		name string
		stop func(t *testing.T, e *env, vars map[string]string)
	}{
		{"context cancelled", func(t *testing.T, e *env, vars map[string]string) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			release := onJiraRequest(e, 2, cancel)
			defer close(release)
			g := &globals{Stdout: e.stdout, Stderr: e.stderr, Getenv: func(k string) string { return vars[k] }}
			if code := execute(ctx, g, []string{"--config", e.cfg, "sync"}); code == 0 {
				t.Fatalf("the cancelled sync exited 0:\n%s", e.stdout)
			}
		}},
		{"process killed", func(t *testing.T, e *env, vars map[string]string) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestLadderProcess$", "-test.count=1")
			cmd.Env = append(os.Environ(), ladderProcessEnv+"="+strings.Join([]string{"--config", e.cfg, "sync"}, "\x1f"))
			for k, v := range vars {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
			release := onJiraRequest(e, 2, func() { cmd.Process.Kill() })
			defer close(release)
			err := cmd.Run()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != -1 {
				t.Fatalf("the sync was not killed: %v", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			vars := withDemoEnv(map[string]string{"LADDER_STORE": storetest.PostgresURL(t)})
			tt.stop(t, e, vars)
			e.jira.Harness().ClearFaults()
			if code := e.runEnv(t, vars, "sync"); code != 0 || !strings.Contains(e.stdout.String(), "jira: ") {
				t.Fatalf("the next sync: exit %d\n%s%s", code, e.stdout, e.stderr)
			}
			if code := e.runEnv(t, vars, "analyze", "--format", "jsonl", "--as-of", asOfDate); code != 0 {
				t.Fatalf("analyze: exit %d\n%s", code, e.stderr)
			}
			got := e.stdout.String()

			clean := withDemoEnv(map[string]string{"LADDER_STORE": storetest.PostgresURL(t)})
			if code := e.runEnv(t, clean, "sync"); code != 0 {
				t.Fatalf("the reference sync: exit %d\n%s", code, e.stderr)
			}
			if code := e.runEnv(t, clean, "analyze", "--format", "jsonl", "--as-of", asOfDate); code != 0 {
				t.Fatalf("analyze: exit %d\n%s", code, e.stderr)
			}
			if want := e.stdout.String(); got != want {
				t.Errorf("after the interrupted sync and the next one, analyze differs from an uninterrupted sync's:\n%s", firstDiff(got, want))
			}
		})
	}
}
