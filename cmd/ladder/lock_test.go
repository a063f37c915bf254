package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ladderhq/ladder/internal/storetest"
)

// The run lock across processes: a holder process (this test binary run
// again, taking the lock through the same code path as run, sync and
// publish --apply) and the ladder command line in this process.

const lockHolderEnv = "LADDER_TEST_LOCK_HOLDER" // the config path, in the holder process

// TestLockHolderProcess is the holder: not a test of its own. It takes the
// run lock of the config's store, says "held" on stdout, and keeps it for
// LADDER_TEST_LOCK_HOLD (or until killed).
func TestLockHolderProcess(t *testing.T) {
	cfgPath := os.Getenv(lockHolderEnv)
	if cfgPath == "" {
		t.Skip("the lock holder of the run lock tests, started by them")
	}
	hold, err := time.ParseDuration(os.Getenv("LADDER_TEST_LOCK_HOLD"))
	if err != nil {
		t.Fatal(err)
	}
	g := &globals{ConfigPath: cfgPath, Stdout: io.Discard, Stderr: os.Stderr, Getenv: os.Getenv, Logger: slog.New(slog.DiscardHandler)}
	cfg, err := g.loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	_, release, err := g.takeRunLock(context.Background(), cfg, storeFills, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("held")
	time.Sleep(hold)
	release()
	fmt.Println("released")
}

// holder is a running holder process.
type holder struct {
	cmd  *exec.Cmd
	done chan error
}

// startHolder starts a holder on e's store (LADDER_STORE in vars, if set)
// and returns once it holds the lock.
func startHolder(t *testing.T, e *env, vars map[string]string, hold time.Duration) *holder {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHolderProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), lockHolderEnv+"="+e.cfg, "LADDER_TEST_LOCK_HOLD="+hold.String())
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h := &holder{cmd: cmd, done: make(chan error, 1)}
	held := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == "held" {
				held <- true
			}
		}
		h.done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-h.done
	})
	select {
	case <-held:
	case err := <-h.done:
		t.Fatalf("the holder ended before it held the lock: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the holder did not take the lock within 30s")
	}
	return h
}

func TestRunLockAcrossProcesses(t *testing.T) {
	backends := []struct {
		name string
		vars func(t *testing.T) map[string]string // besides demoEnv
	}{
		{"sqlite", func(t *testing.T) map[string]string { return map[string]string{} }},
		{"postgres", func(t *testing.T) map[string]string {
			return map[string]string{"LADDER_STORE": storetest.PostgresURL(t)}
		}},
	}
	host, _ := os.Hostname()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Run("a second run says who holds the store and exits 0", func(t *testing.T) {
				e := newEnv(t)
				vars := withDemoEnv(b.vars(t))
				if code := e.runEnv(t, vars, "sync"); code != 0 {
					t.Fatalf("sync: exit %d\n%s", code, e.stderr)
				}
				before := e.gh.Count(nil) + e.jira.Harness().Count(nil)
				h := startHolder(t, e, vars, time.Minute)
				want := fmt.Sprintf("skipped: another run holds the store: host %s, pid %d, since ", host, h.cmd.Process.Pid)
				for _, args := range [][]string{{"run"}, {"sync"}, {"publish", "--apply"}} {
					if code := e.runEnv(t, vars, args...); code != 0 || !strings.Contains(e.stdout.String(), want) {
						t.Errorf("ladder %s on a held store: exit %d, want 0 and %q\nstdout:\n%s\nstderr:\n%s",
							strings.Join(args, " "), code, want, e.stdout, e.stderr)
					}
				}
				if n := e.gh.Count(nil) + e.jira.Harness().Count(nil) - before; n != 0 {
					t.Errorf("runs that skipped made %d requests", n)
				}
				// Commands that only read need no lock.
				for _, args := range [][]string{{"analyze", "--as-of", asOfDate}, {"publish", "--as-of", asOfDate}} {
					if code := e.runEnv(t, vars, args...); code != 0 || strings.Contains(e.stdout.String(), "skipped") {
						t.Errorf("ladder %s on a held store: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, e.stdout, e.stderr)
					}
				}
			})
			t.Run("--wait gets the lock once the holder ends", func(t *testing.T) {
				e := newEnv(t)
				vars := withDemoEnv(b.vars(t))
				startHolder(t, e, vars, 1500*time.Millisecond)
				if code := e.runEnv(t, vars, "sync", "--wait", "60s"); code != 0 || strings.Contains(e.stdout.String(), "skipped") || !strings.Contains(e.stdout.String(), "gh: ") {
					t.Errorf("sync --wait: exit %d\nstdout:\n%s\nstderr:\n%s", code, e.stdout, e.stderr)
				}
			})
			t.Run("a killed holder's lock expires", func(t *testing.T) {
				e := newEnv(t)
				vars := withDemoEnv(b.vars(t))
				vars[lockTTLEnv] = "1s"
				h := startHolder(t, e, vars, time.Hour)
				if err := h.cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				<-h.done
				h.done <- nil // for the cleanup
				if code := e.runEnv(t, vars, "run", "--wait", "60s"); code != 0 || strings.Contains(e.stdout.String(), "skipped") {
					t.Errorf("run after the holder was killed: exit %d\nstdout:\n%s\nstderr:\n%s", code, e.stdout, e.stderr)
				}
			})
		})
	}
}

func withDemoEnv(vars map[string]string) map[string]string {
	for k, v := range demoEnv {
		vars[k] = v
	}
	return vars
}
