package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// importFile writes lines as a JSON Lines file in the env's directory.
func importFile(t *testing.T, e *env, lines ...string) string {
	t.Helper()
	file := filepath.Join(e.dir, "issues.jsonl")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// requireNoStore fails when a refused import left a store behind.
func requireNoStore(t *testing.T, e *env) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(e.dir, "ladder.db")); err == nil {
		t.Error("a refused import created the store")
	}
}

const goodLine = `{"tracker":"apache","key":"CAMEL-1","title":"Refactor the route builder","status_category":"todo","estimate":3}`

// TestImportRejectsValuesOutOfTheirDomain: each line is valid JSON that
// encoding/json alone would store, but holds something the canonical format
// does not allow. Each is refused with its line number and the field, and
// the good line before it is not written either.
func TestImportRejectsValuesOutOfTheirDomain(t *testing.T) {
	tests := []struct {
		name string
		line string
		want string
	}{
		{"unknown link kind", `{"tracker":"apache","key":"CAMEL-2","links":[{"kind":"blocks_by","key":"CAMEL-1"}]}`,
			`:2: links[0]: kind "blocks_by": want one of blocks, blocked_by,`},
		{"status category outside the three", `{"tracker":"apache","key":"CAMEL-2","status_category":"finished"}`,
			`:2: "status_category" "finished": want todo, in_progress or done`},
		{"negative estimate", `{"tracker":"apache","key":"CAMEL-2","estimate":-3}`,
			`:2: "estimate" -3: an estimate is not negative`},
		{"key repeated in one object", `{"tracker":"apache","key":"CAMEL-2","title":"Old","title":"New"}`,
			`:2: "title" appears more than once in the object`},
		{"key repeated in another case", `{"tracker":"apache","key":"CAMEL-2","Title":"Old","title":"New"}`,
			`:2: "title" (as "Title" and "title") appears more than once`},
		{"key repeated inside a link", `{"tracker":"apache","key":"CAMEL-2","links":[{"kind":"blocks","kind":"blocked_by","key":"CAMEL-1"}]}`,
			`:2: "links[0].kind" appears more than once`},
		{"unknown field in a link", `{"tracker":"apache","key":"CAMEL-2","links":[{"kind":"blocks","key":"CAMEL-1","type":"Blocks"}]}`,
			`:2: links: unknown field "type"`},
		{"a time without its zone", `{"tracker":"apache","key":"CAMEL-2","created":"2026-03-01"}`,
			`:2: "created" "2026-03-01": not an RFC 3339 time`},
		{"a comment's time", `{"tracker":"apache","key":"CAMEL-2","comments":[{"author":"a","body":"b","created":"yesterday"}]}`,
			`:2: "comments[0].created" "yesterday": not an RFC 3339 time`},
		{"a number as a string", `{"tracker":"apache","key":"CAMEL-2","estimate":"3"}`,
			`:2: "estimate": want a number, got a JSON string`},
		{"updated before created", `{"tracker":"apache","key":"CAMEL-2","created":"2026-03-02T00:00:00Z","updated":"2026-03-01T00:00:00Z"}`,
			`:2: "updated" 2026-03-01T00:00:00Z is before "created"`},
		{"resolved before created", `{"tracker":"apache","key":"CAMEL-2","created":"2026-03-02T00:00:00Z","resolved":"2026-03-01T00:00:00Z"}`,
			`:2: "resolved" 2026-03-01T00:00:00Z is before "created"`},
		{"an empty label", `{"tracker":"apache","key":"CAMEL-2","labels":["tech-debt",""]}`, `:2: labels[1]: an empty label`},
		{"a link to itself", `{"tracker":"apache","key":"CAMEL-2","links":[{"kind":"blocks","key":"CAMEL-2"}]}`,
			`:2: links[0] points at the issue itself`},
		{"its own parent", `{"tracker":"apache","key":"CAMEL-2","parent":"CAMEL-2"}`, `:2: "parent" "CAMEL-2" is the issue itself`},
		{"a comment without a body", `{"tracker":"apache","key":"CAMEL-2","comments":[{"author":"a"}]}`, `:2: comments[0] has no "body"`},
		{"a key with spaces", `{"tracker":"apache","key":"CAMEL 2"}`, `:2: "key" "CAMEL 2": a key has no spaces`},
		{"the same issue twice", `{"tracker":"apache","key":"CAMEL-1","title":"again"}`, `:2: apache:CAMEL-1 is already on line 1`},
		{"two objects on a line", `{"tracker":"apache","key":"CAMEL-2"} {"tracker":"apache","key":"CAMEL-3"}`,
			`:2: more than one JSON value on the line`},
		{"a pretty-printed object", `{"tracker":"apache",`, `:2: the JSON object does not end on this line`},
		{"not UTF-8", "{\"tracker\":\"apache\",\"key\":\"CAMEL-2\",\"title\":\"Caf\xe9 menu\"}", `:2: not UTF-8 text`},
		{"a url that is not an address", `{"tracker":"apache","key":"CAMEL-2","url":"CAMEL-2"}`, `:2: "url" "CAMEL-2": want the issue's http(s) address`},
		{"a JSON array", `[{"tracker":"apache","key":"CAMEL-2"}]`, `:2: a JSON array; want one issue object per line`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			file := importFile(t, e, goodLine, tt.line)
			if code := e.run(t, "import", file); code != exitUsage {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitUsage, e.stdout, e.stderr)
			}
			if got := e.stderr.String(); !strings.Contains(got, "issues.jsonl"+tt.want) || !strings.Contains(got, "nothing imported") {
				t.Errorf("stderr does not say %q:\n%s", tt.want, got)
			}
			requireNoStore(t, e)
		})
	}
}

// TestImportReportsEveryProblemAtOnce: a file with several bad lines says
// all of them in one run, in line order, up to a cap past which it counts.
func TestImportReportsEveryProblemAtOnce(t *testing.T) {
	e := newEnv(t)
	file := importFile(t, e,
		goodLine,
		`{"tracker":"apache","key":"CAMEL-2","status_category":"finished"}`,
		`{"tracker":"apache","key":"CAMEL-3","estimate":-1,"links":[{"kind":"blocks_by","key":"CAMEL-1"}]}`,
		`{"tracker":"apache","key":"CAMEL-4","title":"Add Kafka headers"}`,
	)
	if code := e.run(t, "import", file); code != exitUsage {
		t.Fatalf("exit %d, want %d\n%s", code, exitUsage, e.stderr)
	}
	got := e.stderr.String()
	for _, want := range []string{"3 problems, nothing imported", "issues.jsonl:2: \"status_category\"", "issues.jsonl:3: links[0]", "issues.jsonl:3: \"estimate\""} {
		if !strings.Contains(got, want) {
			t.Errorf("stderr does not say %q:\n%s", want, got)
		}
	}
	requireNoStore(t, e)

	var many []string
	for i := range maxImportProblems + 5 {
		many = append(many, fmt.Sprintf(`{"tracker":"apache","key":"CAMEL-%d","estimate":-1}`, i+1))
	}
	file = importFile(t, e, many...)
	if code := e.run(t, "import", file); code != exitUsage {
		t.Fatalf("exit %d, want %d\n%s", code, exitUsage, e.stderr)
	}
	got = e.stderr.String()
	if n := strings.Count(got, "an estimate is not negative"); n != maxImportProblems || !strings.Contains(got, "\nand 5 more") ||
		!strings.Contains(got, fmt.Sprintf("%d problems", maxImportProblems+5)) {
		t.Errorf("%d problems listed, want %d and \"and 5 more\":\n%s", n, maxImportProblems, got)
	}
	requireNoStore(t, e)
}

// TestImportRefusesWhatIsNotAnIssueFile: a missing file is bad usage, and
// creates no store.
func TestImportRefusesWhatIsNotAnIssueFile(t *testing.T) {
	tests := []struct {
		name string
		file func(e *env) string
		want string
	}{
		{"missing", func(e *env) string { return filepath.Join(e.dir, "nope.jsonl") }, "no such file"},
		{"a directory", func(e *env) string { return e.dir }, "a directory; want a JSON Lines file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if code := e.run(t, "import", tt.file(e)); code != exitUsage || !strings.Contains(e.stderr.String(), tt.want) {
				t.Fatalf("exit %d, want %d saying %q:\n%s", code, exitUsage, tt.want, e.stderr)
			}
			requireNoStore(t, e)
		})
	}
}

// TestImportReadsAByteOrderMark: a file saved with a UTF-8 BOM (as
// spreadsheet and Windows tools write them) imports like one without.
func TestImportReadsAByteOrderMark(t *testing.T) {
	e := newEnv(t)
	file := importFile(t, e, "\ufeff"+goodLine)
	if out := e.mustRun(t, "import", file); !strings.Contains(out, "imported 1 issue: 1 new") {
		t.Fatalf("import: %s", out)
	}
}

// TestImportRefusesABadTrackerName: --tracker is checked once, before the
// file is read, not reported again on every line that lacks a tracker.
func TestImportRefusesABadTrackerName(t *testing.T) {
	e := newEnv(t)
	file := importFile(t, e, `{"key":"CAMEL-1"}`, `{"key":"CAMEL-2"}`)
	if code := e.run(t, "import", "--tracker", "apache:jira", file); code != exitUsage ||
		strings.Count(e.stderr.String(), "no spaces or colons") != 1 || !strings.Contains(e.stderr.String(), `--tracker "apache:jira"`) {
		t.Fatalf("exit %d, want %d with one complaint about --tracker:\n%s", code, exitUsage, e.stderr)
	}
	requireNoStore(t, e)
}
