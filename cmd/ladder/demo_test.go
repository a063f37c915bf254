package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoReplacesOnlyItsOwnDirectory: the demo may be run again and again
// into the directory it made, but never deletes a store or overwrites a
// config it did not write, unless told to with --force.
func TestDemoReplacesOnlyItsOwnDirectory(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	e := &env{dir: dir, cfg: filepath.Join(dir, "unused.yaml"), stdout: new(bytes.Buffer), stderr: new(bytes.Buffer)}
	demo := func(args ...string) int {
		e.stdout.Reset()
		e.stderr.Reset()
		g := &globals{Stdout: e.stdout, Stderr: e.stderr, Getenv: func(string) string { return "" }}
		return execute(t.Context(), g, append([]string{"demo", "--as-of", asOfDate}, args...))
	}
	// The default directory, twice: the second run replaces the first.
	for run := 1; run <= 2; run++ {
		if code := demo(); code != 0 {
			t.Fatalf("demo run %d: exit %d\n%s", run, code, e.stderr)
		}
	}
	if !strings.Contains(e.stdout.String(), "Replacing the earlier demo in ladder-demo") {
		t.Errorf("the second demo does not say it replaces the first:\n%.300s", e.stdout)
	}

	// A directory with somebody's own config and store in it.
	real := filepath.Join(dir, "prod")
	if err := os.Mkdir(real, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"ladder.yaml": "store: ladder.db\n# the real one\n", "ladder.db": "the real store", "notes.txt": "mine"}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(real, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	unchanged := func(what string) {
		t.Helper()
		for name, content := range files {
			if got, err := os.ReadFile(filepath.Join(real, name)); err != nil || string(got) != content {
				t.Errorf("%s: %s changed (%v)", what, name, err)
			}
		}
	}
	if code := demo("--out", real); code != exitUsage || !strings.Contains(e.stderr.String(), "not a directory an earlier `ladder demo` made") ||
		!strings.Contains(e.stderr.String(), "pass --force") {
		t.Errorf("demo into a real directory: exit %d\n%s", code, e.stderr)
	}
	unchanged("refused demo")

	// The demo's own directory, once somebody changed it.
	for _, change := range []struct {
		name string
		do   func(t *testing.T)
		want string
	}{
		{"a file added", func(t *testing.T) {
			if err := os.WriteFile(filepath.Join("ladder-demo", "mine.html"), []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "also holds files the demo did not make (mine.html)"},
		{"its config edited", func(t *testing.T) {
			if err := os.Remove(filepath.Join("ladder-demo", "mine.html")); err != nil {
				t.Fatal(err)
			}
			f, err := os.OpenFile(filepath.Join("ladder-demo", "ladder.yaml"), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("# my experiment\n")
			f.Close()
		}, "ladder.yaml was edited since `ladder demo` wrote it"},
	} {
		change.do(t)
		if code := demo(); code != exitUsage || !strings.Contains(e.stderr.String(), change.want) {
			t.Errorf("%s: exit %d, want %d and %q\n%s", change.name, code, exitUsage, change.want, e.stderr)
		}
	}

	// --force replaces the demo's files and leaves the others alone.
	if code := demo("--out", real, "--force"); code != 0 {
		t.Fatalf("demo --force: exit %d\n%s", code, e.stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(real, "notes.txt")); string(got) != "mine" {
		t.Errorf("--force touched a file the demo does not write")
	}
	if got, _ := os.ReadFile(filepath.Join(real, "ladder.yaml")); string(got) == files["ladder.yaml"] {
		t.Errorf("--force did not write the demo's config")
	}
}
