package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ladderhq/ladder/internal/sandbox"
)

// TestUsageErrorsExitTwo: whatever cobra finds wrong with a command line is
// bad usage, said in words a user can act on; with --log-format json it is
// a JSON record like every other line on stderr.
func TestUsageErrorsExitTwo(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate" for "ladder" (see 'ladder --help')`},
		{"misspelt command", []string{"analyse"}, `unknown command "analyse" for "ladder" (did you mean "analyze"?)`},
		{"argument to a command that takes none", []string{"analyze", "extra"}, `'ladder analyze' takes no arguments, got "extra"`},
		{"missing argument", []string{"explain"}, "usage: ladder explain REF [flags] (got 0 arguments) (see 'ladder explain --help')"},
		{"too many arguments", []string{"import", "a.jsonl", "b.jsonl"}, "usage: ladder import FILE [flags] (got 2 arguments)"},
		{"unknown flag", []string{"analyze", "--bogus"}, "unknown flag: --bogus (see 'ladder analyze --help')"},
		{"unknown global flag", []string{"--verbose", "sync"}, "unknown flag: --verbose"},
		{"bad flag value", []string{"report", "--quarters", "many"}, `invalid argument "many" for "--quarters"`},
		{"bad log level", []string{"--log-level", "loud", "analyze"}, `--log-level "loud": want debug, info, warn or error`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			g := &globals{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
			if code := execute(t.Context(), g, tt.args); code != exitUsage || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("ladder %s: exit %d, want %d and %q:\n%s", strings.Join(tt.args, " "), code, exitUsage, tt.want, stderr.String())
			}

			stderr.Reset()
			g = &globals{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
			args := append([]string{"--log-format", "json"}, tt.args...)
			if tt.name == "unknown global flag" { // the bad flag before --log-format
				args = append(append([]string{}, tt.args[0]), "--log-format=json", tt.args[1])
			}
			if code := execute(t.Context(), g, args); code != exitUsage {
				t.Errorf("ladder %s: exit %d", strings.Join(args, " "), code)
			}
			var rec struct {
				Msg  string `json:"msg"`
				Err  string `json:"err"`
				Exit int    `json:"exit"`
			}
			if err := json.Unmarshal(stderr.Bytes(), &rec); err != nil || rec.Msg != "ladder failed" || rec.Exit != exitUsage || !strings.Contains(rec.Err, tt.want) {
				t.Errorf("ladder %s: stderr is not one JSON record of the error (%v):\n%s", strings.Join(args, " "), err, stderr.String())
			}
		})
	}
}

func TestHelpListsTheExitCodes(t *testing.T) {
	var stdout bytes.Buffer
	g := &globals{Stdout: &stdout, Stderr: &stdout, Getenv: func(string) string { return "" }}
	if code := execute(t.Context(), g, []string{"--help"}); code != 0 {
		t.Fatalf("--help: exit %d", code)
	}
	for _, want := range []string{"Exit codes:", "2    bad usage or config", "3    partial", "130  interrupted by SIGINT", "143  interrupted by SIGTERM"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("--help lacks %q:\n%s", want, stdout.String())
		}
	}
}

// signalOnJiraSearch sends sig to this process when the first Jira search
// arrives, gh having been synced already, and holds the request until the
// signal has canceled ctx, so the run is stopped mid-tracker.
func signalOnJiraSearch(t *testing.T, e *env, ctx context.Context, sig syscall.Signal) {
	t.Helper()
	var once sync.Once
	e.jira.Harness().AddFault(sandbox.Fault{
		Match: func(r *http.Request) bool {
			if strings.Contains(r.URL.Path, "/search") {
				once.Do(func() {
					if err := syscall.Kill(os.Getpid(), sig); err != nil {
						t.Error(err)
					}
					select {
					case <-ctx.Done():
					case <-time.After(10 * time.Second):
						t.Error("the signal did not cancel the run")
					}
				})
			}
			return false
		},
	})
}

// TestInterruptedRunSaysSoOnce: a sync or run stopped by a signal is not a
// failure nor a partial success: it says once that it was interrupted and
// that its progress is saved, exits 130 (SIGINT) or 143 (SIGTERM), and
// publishes nothing; the next run carries on.
func TestInterruptedRunSaysSoOnce(t *testing.T) {
	tests := []struct {
		name    string
		sig     syscall.Signal
		command string
		code    int
	}{
		{"SIGTERM during sync", syscall.SIGTERM, "sync", exitTerminated},
		{"SIGINT during run", syscall.SIGINT, "run", exitInterrupted},
	}
	for _, tt := range tests {
		for _, format := range []string{"text", "json"} {
			t.Run(tt.name+" "+format, func(t *testing.T) {
				e := newEnv(t)
				ctx, stop := interruptContext(t.Context())
				defer stop()
				signalOnJiraSearch(t, e, ctx, tt.sig)
				g := &globals{Stdout: e.stdout, Stderr: e.stderr, Getenv: func(k string) string { return demoEnv[k] }}
				code := execute(ctx, g, []string{"--config", e.cfg, "--log-format", format, tt.command})
				out, log := e.stdout.String(), e.stderr.String()
				if code != tt.code {
					t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, log)
				}
				if !strings.Contains(out, "gh: ") || strings.Contains(out, "FAILED") || strings.Contains(out, "publish (") {
					t.Errorf("stdout should show gh synced, no failure and no publication:\n%s", out)
				}
				want := "interrupted by " + map[syscall.Signal]string{syscall.SIGTERM: "SIGTERM", syscall.SIGINT: "SIGINT"}[tt.sig] +
					" during `ladder " + tt.command + "`; its progress is saved"
				if n := strings.Count(log, "interrupted"); n != 1 || !strings.Contains(log, want) {
					t.Errorf("stderr should say %q once:\n%s", want, log)
				}
				if strings.Contains(out+log, "context canceled") || strings.Contains(log, "sync failed") {
					t.Errorf("the interruption is reported as a failure:\n%s%s", out, log)
				}
				if format == "json" {
					for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
						if !json.Valid([]byte(line)) {
							t.Errorf("stderr line is not JSON: %q", line)
						}
					}
				}
				e.jira.Harness().ClearFaults()
				if out := e.mustRun(t, "sync"); !strings.Contains(out, "jira: ") {
					t.Errorf("the next sync did not finish jira:\n%s", out)
				}
				if _, err := os.Stat(filepath.Join(e.dir, "ladder.db")); err != nil {
					t.Error(err)
				}
			})
		}
	}
}
