package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// helperArgs carries a command line to TestHelperRunLadder in a child process.
const helperArgs = "LADDER_TEST_HELPER_ARGS"

// TestHelperRunLadder is not a test: run by unprivileged() in a child
// process under another user, it executes one ladder command line.
func TestHelperRunLadder(t *testing.T) {
	raw := os.Getenv(helperArgs)
	if raw == "" {
		t.Skip("runs only as the child process of a test that needs another user")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	g := &globals{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	os.Exit(execute(context.Background(), g, args))
}

// unprivileged runs ladder command lines as a user file permissions apply
// to. Tests run as root here, and root reads and writes whatever the mode
// bits say; so as root the test binary runs itself as nobody, and as
// anyone else a command runs in process.
type unprivileged struct {
	exe  string // a copy of the test binary nobody may run; "" in process
	cred *syscall.Credential
}

func newUnprivileged(t *testing.T) *unprivileged {
	t.Helper()
	if os.Geteuid() != 0 {
		return &unprivileged{}
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		t.Skipf("running as root, and there is no user nobody to drop to: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := openTempDir(t)
	exe := filepath.Join(dir, "ladder.test")
	copyFile(t, self, exe, 0o755)
	return &unprivileged{exe: exe, cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}}
}

// run executes one command line in dir, with the demo credentials, and
// returns its exit code, stdout and stderr.
func (u *unprivileged) run(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if u.exe == "" {
		t.Chdir(dir)
		g := &globals{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return demoEnv[k] }}
		return execute(t.Context(), g, args), stdout.String(), stderr.String()
	}
	raw, _ := json.Marshal(args)
	cmd := exec.CommandContext(t.Context(), u.exe, "-test.run=^TestHelperRunLadder$")
	cmd.Dir = dir
	cmd.Env = []string{helperArgs + "=" + string(raw), "PATH=/usr/bin:/bin"}
	for k, v := range demoEnv {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: u.cred}
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("run as nobody: %v", err)
	}
	return cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()
}

// openTempDir is a t.TempDir that other users may enter.
func openTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for d := dir; d != filepath.Dir(os.TempDir()) && d != "/"; d = filepath.Dir(d) {
		if strings.HasPrefix(d, filepath.Clean(os.TempDir())+string(filepath.Separator)) {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(to, mode); err != nil {
		t.Fatal(err)
	}
}

// readOnlyCopy copies the synced env's config and store into a new
// directory, then takes write permission away from the store (and, with
// lockDir, from its directory), as for a user who may only read the
// nightly job's store.
func readOnlyCopy(t *testing.T, e *env, lockDir bool) (dir string) {
	t.Helper()
	dir = filepath.Join(openTempDir(t), "store")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, e.cfg, filepath.Join(dir, "ladder.yaml"), 0o644)
	copyFile(t, filepath.Join(e.dir, "ladder.db"), filepath.Join(dir, "ladder.db"), 0o444)
	if lockDir {
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
	} else if err := os.Chmod(dir, 0o777); err != nil { // nobody may create the -shm file, not write the store
		t.Fatal(err)
	}
	return dir
}

// TestReadOnlyStoreServesReadingCommands: a user who may read the store but
// not write it (or its directory) can analyze, report, explain and plan a
// publication; what would write says so plainly, before any request.
func TestReadOnlyStoreServesReadingCommands(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	u := newUnprivileged(t)
	for _, lockDir := range []bool{false, true} {
		name := "read-only file"
		if lockDir {
			name = "read-only file in a read-only directory"
		}
		t.Run(name, func(t *testing.T) {
			dir := readOnlyCopy(t, e, lockDir)
			for _, args := range [][]string{
				{"analyze", "--format", "jsonl"},
				{"report", "--format", "json"},
				{"explain", "jira:PAY-57"},
				{"publish", "--quiet"},
			} {
				code, stdout, stderr := u.run(t, dir, append([]string{"--config", "ladder.yaml"}, args...)...)
				if code != 0 || stdout == "" {
					t.Errorf("%s on a read-only store: exit %d\n%s%s", args, code, stdout, stderr)
				}
			}
			e.gh.ResetLog()
			e.jira.Harness().ResetLog()
			for _, args := range [][]string{{"publish", "--apply"}, {"sync"}} {
				code, stdout, stderr := u.run(t, dir, append([]string{"--config", "ladder.yaml"}, args...)...)
				if code == 0 || !strings.Contains(stderr, "ladder.db: permission denied") {
					t.Errorf("%s on a read-only store: exit %d, want an error saying permission denied\n%s%s", args, code, stdout, stderr)
				}
			}
			if n := e.gh.Count(nil) + e.jira.Harness().Count(nil); n != 0 {
				t.Errorf("commands refused for want of write access made %d requests", n)
			}
		})
	}
	t.Run("new store in a read-only directory", func(t *testing.T) {
		dir := readOnlyCopy(t, e, true)
		code, _, stderr := u.run(t, dir, "--config", "ladder.yaml", "--store", "other.db", "sync", "--tracker", "gh")
		if code == 0 || !strings.Contains(stderr, "permission denied: this user may not create the store in "+dir) {
			t.Errorf("sync into a read-only directory: exit %d\n%s", code, stderr)
		}
	})
}

// TestReadOnlyStoreWithPendingMigration: an older store this user may not
// upgrade gets a message saying so, not SQLite's "readonly database".
func TestReadOnlyStoreWithPendingMigration(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync")
	old := readOnlyCopy(t, e, false)
	db := filepath.Join(old, "ladder.db")
	if err := os.Chmod(db, 0o644); err != nil {
		t.Fatal(err)
	}
	sdb, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.Exec(`DELETE FROM schema_version WHERE version > 1`); err != nil {
		t.Fatal(err)
	}
	if err := sdb.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(db, 0o444); err != nil {
		t.Fatal(err)
	}
	u := newUnprivileged(t)
	code, _, stderr := u.run(t, old, "--config", "ladder.yaml", "analyze")
	if code == 0 || !strings.Contains(stderr, "has schema version 1 and this ladder needs 3") || !strings.Contains(stderr, "open read-only") {
		t.Errorf("analyze of an older read-only store: exit %d\n%s", code, stderr)
	}
}
