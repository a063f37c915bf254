package main

import (
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/ladderhq/ladder"
	"github.com/ladderhq/ladder/internal/store"
	"github.com/ladderhq/ladder/internal/storetest"
)

// pipelineOutputs runs sync → analyze → publish --apply → publish (dry
// run) on e with vars and returns what the commands print that must not
// depend on the store: the verdicts and the publish plans.
func pipelineOutputs(t *testing.T, e *env, vars map[string]string) map[string]string {
	t.Helper()
	run := func(args ...string) string {
		t.Helper()
		if code := e.runEnv(t, vars, args...); code != 0 {
			t.Fatalf("ladder %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, e.stdout, e.stderr)
		}
		return normalise(e, e.stdout.String())
	}
	run("sync")
	out := map[string]string{
		"analyze":       run("analyze", "--format", "jsonl", "--as-of", asOfDate),
		"analyze table": run("analyze", "--as-of", asOfDate),
		"publish plan":  run("publish", "--as-of", asOfDate),
	}
	run("publish", "--apply", "--as-of", asOfDate)
	out["publish plan after apply"] = run("publish", "--as-of", asOfDate)
	return out
}

// normalise replaces the sandbox servers' addresses, which differ between
// two envs, with fixed names: everything else must match byte for byte.
func normalise(e *env, out string) string {
	return strings.NewReplacer(e.gh.URL(), "GITHUB", e.jira.URL(), "JIRA").Replace(out)
}

func sameOutputs(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			continue
		}
		if g != w {
			t.Errorf("%s: %s differs from SQLite's (%d bytes against %d):\n%s", what, k, len(g), len(w), firstDiff(g, w))
		}
	}
}

// firstDiff shows the first line where a and b part.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "line " + strconv.Itoa(i+1) + ":\n got  " + al[i] + "\n want " + bl[i]
		}
	}
	return "one is a prefix of the other"
}

// sameContents checks that two stores hold the same issues (every field,
// raw markup, links and comments in order), cursors and publications.
func sameContents(t *testing.T, a, b string) {
	t.Helper()
	read := func(value string) (issues []ladder.Issue, cs []store.Cursor, ps []store.Publication) {
		t.Helper()
		st, err := openCopyEnd(t.Context(), "store", value, true)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if cs, err = st.Cursors(t.Context()); err != nil {
			t.Fatal(err)
		}
		if ps, err = st.Publications(t.Context()); err != nil {
			t.Fatal(err)
		}
		return storetest.Dump(t, st), cs, ps
	}
	ai, ac, ap := read(a)
	bi, bc, bp := read(b)
	if len(ai) == 0 || len(ac) == 0 || len(ap) == 0 {
		t.Fatalf("the source holds %d issues, %d cursors, %d publications: too little to compare", len(ai), len(ac), len(ap))
	}
	if !reflect.DeepEqual(ai, bi) {
		t.Errorf("the copy's issues differ (%d against %d)", len(bi), len(ai))
	}
	if !reflect.DeepEqual(ac, bc) {
		t.Errorf("the copy's cursors differ:\n%v\n%v", bc, ac)
	}
	if !reflect.DeepEqual(ap, bp) {
		t.Errorf("the copy's publications differ (%d against %d)", len(bp), len(ap))
	}
}

// TestVerdictsIdenticalOnBothStores: the same organisation synced,
// analyzed and published through SQLite and through PostgreSQL prints the
// same verdicts and plans byte for byte; `store copy` moves a store either
// way and the copy analyzes the same, with its publication records (the
// plan after a copy still knows every comment is up to date).
func TestVerdictsIdenticalOnBothStores(t *testing.T) {
	pgURL := storetest.PostgresURL(t)

	sq := newEnv(t)
	want := pipelineOutputs(t, sq, withDemoEnv(map[string]string{}))
	if !strings.Contains(want["analyze"], `"tracker"`) || strings.Count(want["analyze"], "\n") < 100 {
		t.Fatalf("the SQLite run analyzed too little to compare:\n%.500s", want["analyze"])
	}

	pg := newEnv(t)
	pgVars := withDemoEnv(map[string]string{"LADDER_STORE": pgURL})
	sameOutputs(t, "PostgreSQL", pipelineOutputs(t, pg, pgVars), want)

	copied := func(t *testing.T, e *env, vars map[string]string) map[string]string {
		t.Helper()
		out := map[string]string{}
		for name, args := range map[string][]string{
			"analyze":                  {"analyze", "--format", "jsonl", "--as-of", asOfDate},
			"analyze table":            {"analyze", "--as-of", asOfDate},
			"publish plan after apply": {"publish", "--as-of", asOfDate},
		} {
			if code := e.runEnv(t, vars, args...); code != 0 {
				t.Fatalf("ladder %s on the copy: exit %d\n%s", strings.Join(args, " "), code, e.stderr)
			}
			out[name] = normalise(e, e.stdout.String())
		}
		return out
	}
	sqlitePath := filepath.Join(sq.dir, "ladder.db")

	t.Run("SQLite to PostgreSQL", func(t *testing.T) {
		to := storetest.PostgresURL(t)
		if code := sq.run(t, "store", "copy", sqlitePath, to); code != 0 || !strings.Contains(sq.stdout.String(), "copied ") {
			t.Fatalf("store copy: exit %d\n%s%s", code, sq.stdout, sq.stderr)
		}
		sameContents(t, sqlitePath, to)
		sameOutputs(t, "copied to PostgreSQL", copied(t, sq, withDemoEnv(map[string]string{"LADDER_STORE": to})), want)
		if code := sq.run(t, "store", "copy", sqlitePath, to); code != exitUsage || !strings.Contains(sq.stderr.String(), "--force") {
			t.Errorf("copy into a non-empty store: exit %d, want %d and a word on --force\n%s", code, exitUsage, sq.stderr)
		}
		if code := sq.run(t, "store", "copy", "--force", sqlitePath, to); code != 0 {
			t.Errorf("copy --force: exit %d\n%s", code, sq.stderr)
		}
	})
	t.Run("PostgreSQL to SQLite", func(t *testing.T) {
		to := filepath.Join(t.TempDir(), "copy.db")
		if code := pg.run(t, "store", "copy", pgURL, "sqlite:"+to); code != 0 {
			t.Fatalf("store copy: exit %d\n%s%s", code, pg.stdout, pg.stderr)
		}
		sameContents(t, pgURL, to)
		sameOutputs(t, "copied to SQLite", copied(t, pg, withDemoEnv(map[string]string{"LADDER_STORE": to})), want)
	})
}
