package main

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	tests := []struct {
		name          string
		issues, total int
		elapsed       time.Duration
		want          string
	}{
		{"a total and a rate", 1200, 4000, 2 * time.Second, "gh acme/web: 1,200 of ~4,000 issues, 600/s"},
		{"no total", 1200, 0, 2 * time.Second, "gh acme/web: 1,200 issues, 600/s"},
		{"too soon for a rate", 100, 4000, 10 * time.Millisecond, "gh acme/web: 100 of ~4,000 issues"},
		{"past the estimate", 4100, 4000, 4 * time.Second, "gh acme/web: 4,100 of ~4,100 issues, 1,025/s"},
		{"a million", 1234567, 2000000, time.Second, "gh acme/web: 1,234,567 of ~2,000,000 issues, 1,234,567/s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := progressLine("gh", "acme/web", tt.issues, tt.total, tt.elapsed); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
	t.Run("a long JQL", func(t *testing.T) {
		jql := "project in (PAY, PLAT, DATA) AND labels not in (ladder-ignore) AND created >= -365d"
		want := "jira project in (PAY, PLAT, DATA) AND labels…: 100 issues"
		if got := progressLine("jira", jql, 100, 0, 0); got != want {
			t.Errorf("got  %q\nwant %q", got, want)
		}
	})
}

var progressRE = regexp.MustCompile(`^(\S+) (.+): ([0-9,]+)(?: of ~([0-9,]+))? issues(?:, ([0-9,]+)/s)?$`)

// TestSyncProgressShowsTotals syncs a synthetic organisation of several
// pages per repository and per Jira search, with the progress line drawn as
// on a terminal: GitHub's lines estimate the total from the last page
// link, Jira Cloud's from the approximate count, Data Center's from the
// search's total, and every estimate is within a page of what was listed.
func TestSyncProgressShowsTotals(t *testing.T) {
	for _, deployment := range []string{"cloud", "datacenter"} {
		t.Run(deployment, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "big")
			sb := startSandbox(t, "--out", dir, "--issues", "3000", "--deployment", deployment)
			vars := exports(t, sb.stdout.String())
			var stdout, stderr, prog bytes.Buffer
			g := &globals{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return vars[k] }, progressTo: &prog}
			if code := execute(t.Context(), g, []string{"--config", filepath.Join(dir, "ladder.yaml"), "sync"}); code != exitOK {
				t.Fatalf("sync: exit %d\n%s%s", code, &stdout, &stderr)
			}
			lines := map[string][]string{} // tracker → its lines
			last := map[string][2]int{}    // tracker scope → issues, total of its last line
			for _, l := range strings.Split(prog.String(), "\r\033[K") {
				if l == "" {
					continue
				}
				m := progressRE.FindStringSubmatch(l)
				if m == nil {
					t.Fatalf("progress line %q does not read as \"tracker scope: n [of ~N] issues[, X/s]\"", l)
				}
				lines[m[1]] = append(lines[m[1]], l)
				last[m[1]+" "+m[2]] = [2]int{number(t, m[3]), number(t, m[4])}
			}
			for _, tr := range []string{"gh", "jira"} {
				if len(lines[tr]) < 2 {
					t.Errorf("%s drew %d progress lines, want one per page: %q", tr, len(lines[tr]), lines[tr])
				}
			}
			for scope, v := range last {
				issues, total := v[0], v[1]
				// GitHub counts pull requests in its pages; a page is 100.
				if total == 0 || total < issues || total-issues > 100 {
					t.Errorf("%s: last line says %d of ~%d", scope, issues, total)
				}
			}
			if t.Failed() {
				t.Logf("progress:\n%s", strings.ReplaceAll(prog.String(), "\r\033[K", "\n"))
			}
		})
	}
}

func number(t *testing.T, s string) int {
	t.Helper()
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		t.Fatal(err)
	}
	return n
}
