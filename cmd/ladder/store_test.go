package main

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ladderhq/ladder/internal/sandbox"
)

// rewriteConfig edits the env's config file.
func (e *env) rewriteConfig(t *testing.T, edit func(string) string) {
	t.Helper()
	data, err := os.ReadFile(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.cfg, []byte(edit(string(data))), 0o644); err != nil {
		t.Fatal(err)
	}
}

// lineOf is the 1-based line of the first line of file that starts with prefix.
func lineOf(t *testing.T, file, prefix string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, prefix) {
			return i + 1
		}
	}
	t.Fatalf("%s has no line starting with %q", file, prefix)
	return 0
}

// TestReadingCommandsRefuseAMissingStore: a mistyped store path must not
// show an empty backlog (or publish an empty summary); the error names the
// path and what chose it, and nothing is created.
func TestReadingCommandsRefuseAMissingStore(t *testing.T) {
	e := newEnv(t)
	e.mustRun(t, "sync") // the real store, next to the config
	typo := filepath.Join(e.dir, "ladr.db")
	withStoreLine := func(t *testing.T) (map[string]string, []string, string) {
		e.rewriteConfig(t, func(s string) string { return strings.Replace(s, "store: ladder.db", "store: ladr.db", 1) })
		t.Cleanup(func() {
			e.rewriteConfig(t, func(s string) string { return strings.Replace(s, "store: ladr.db", "store: ladder.db", 1) })
		})
		return demoEnv, nil, "the store: key at " + e.cfg + ":" + strconv.Itoa(lineOf(t, e.cfg, "store:"))
	}
	tests := []struct {
		name  string
		setup func(t *testing.T) (vars map[string]string, args []string, how string)
	}{
		{"--store flag", func(*testing.T) (map[string]string, []string, string) {
			return demoEnv, []string{"--store", typo}, "the --store flag"
		}},
		{"LADDER_STORE", func(*testing.T) (map[string]string, []string, string) {
			vars := maps.Clone(demoEnv)
			vars["LADDER_STORE"] = typo
			return vars, nil, "the LADDER_STORE environment variable"
		}},
		{"store: key", withStoreLine},
		{"default", func(t *testing.T) (map[string]string, []string, string) {
			e.rewriteConfig(t, func(s string) string { return strings.Replace(s, "store: ladder.db\n", "", 1) })
			t.Cleanup(func() { e.rewriteConfig(t, func(s string) string { return "store: ladder.db\n" + s }) })
			if err := os.Rename(filepath.Join(e.dir, "ladder.db"), typo); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Rename(typo, filepath.Join(e.dir, "ladder.db")) })
			return demoEnv, nil, "the default (" + e.cfg + " sets no store:), which puts it next to the config"
		}},
	}
	commands := [][]string{
		{"analyze"}, {"report", "--format", "json"}, {"explain", "jira:PAY-57"}, {"publish"}, {"publish", "--apply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars, flags, how := tt.setup(t)
			missing := typo
			if tt.name == "default" {
				missing = filepath.Join(e.dir, "ladder.db")
			}
			for _, cmd := range commands {
				e.gh.ResetLog()
				e.jira.Harness().ResetLog()
				code := e.runEnv(t, vars, append(flags, cmd...)...)
				msg := e.stderr.String()
				if code != exitUsage || !strings.Contains(msg, "no store at "+missing) || !strings.Contains(msg, "(chosen by "+how+")") {
					t.Errorf("%s: exit %d, want %d and an error naming %s and %q:\n%s%s", cmd, code, exitUsage, missing, how, e.stdout, msg)
				}
				if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
					t.Fatalf("%s created %s", cmd, missing)
				}
				if n := e.gh.Count(nil) + e.jira.Harness().Count(nil); n != 0 {
					t.Errorf("%s made %d requests to the trackers", cmd, n)
				}
			}
		})
	}
}

// TestFillingCommandsCreateTheStore: sync and import make the store they
// are pointed at, and say so on the log.
func TestFillingCommandsCreateTheStore(t *testing.T) {
	e := newEnv(t)
	fresh := filepath.Join(e.dir, "new", "ladder.db")
	e.mustRun(t, "--store", fresh, "sync", "--tracker", "gh")
	if _, err := os.Stat(fresh); err != nil {
		t.Fatalf("sync did not create the store: %v", err)
	}
	if !strings.Contains(e.stderr.String(), "created a new store") || !strings.Contains(e.stderr.String(), "--store flag") {
		t.Errorf("sync does not say it created a store, and why there:\n%s", e.stderr)
	}
	e.mustRun(t, "--store", fresh, "sync", "--tracker", "gh")
	if strings.Contains(e.stderr.String(), "created a new store") {
		t.Errorf("the second sync says it created the store again:\n%s", e.stderr)
	}
	file := filepath.Join(e.dir, "one.jsonl")
	if err := os.WriteFile(file, []byte(`{"tracker":"x","key":"X-1","title":"t"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(e.dir, "imported.db")
	e.mustRun(t, "--store", other, "import", file)
	if _, err := os.Stat(other); err != nil {
		t.Fatalf("import did not create the store: %v", err)
	}
}

// TestPublishRefusesToSummarizeAnEmptyStore: an existing store that holds
// nothing (a sync that matched nothing, an import of an empty file) must
// not replace the summary comment with a report of no issues.
func TestPublishRefusesToSummarizeAnEmptyStore(t *testing.T) {
	e := newEnv(t)
	empty := filepath.Join(e.dir, "empty.jsonl")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	e.mustRun(t, "import", empty) // an existing store with no issue in it
	for _, args := range [][]string{{"publish"}, {"publish", "--apply"}} {
		e.gh.ResetLog()
		code := e.run(t, args...)
		if code != exitFailure || !strings.Contains(e.stderr.String(), "holds no issues; refusing to replace the summary on gh:"+sandbox.SummaryIssue) {
			t.Errorf("%s: exit %d\n%s%s", args, code, e.stdout, e.stderr)
		}
		if n := e.gh.Count(nil); n != 0 {
			t.Errorf("%s: %d requests to GitHub", args, n)
		}
	}
}
