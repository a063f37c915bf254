package report

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// applyDiff rebuilds the new text from old and a Diff, checking each hunk's
// header and context against old: a diff that applies is one a reader can trust.
func applyDiff(t *testing.T, old, diff string) string {
	t.Helper()
	a := splitLines(old)
	var out []string
	next := 0 // lines of a consumed
	lines := splitLines(diff)
	for i := 0; i < len(lines); {
		var aStart, aN, bStart, bN int
		if _, err := fmt.Sscanf(lines[i], "@@ -%d,%d +%d,%d @@", &aStart, &aN, &bStart, &bN); err != nil {
			t.Fatalf("line %d %q: want a hunk header: %v", i, lines[i], err)
		}
		from := aStart - 1
		if aN == 0 {
			from = aStart
		}
		if from < next {
			t.Fatalf("hunk %q overlaps the previous one", lines[i])
		}
		out = append(out, a[next:from]...)
		next = from
		i++
		var seenA, seenB int
		for ; i < len(lines) && !strings.HasPrefix(lines[i], "@@"); i++ {
			l := lines[i]
			switch l[0] {
			case ' ', '-':
				if next >= len(a) || a[next] != l[1:] {
					t.Fatalf("diff line %q does not match old line %d", l, next+1)
				}
				if l[0] == ' ' {
					out = append(out, l[1:])
					seenB++
				}
				next++
				seenA++
			case '+':
				out = append(out, l[1:])
				seenB++
			default:
				t.Fatalf("diff line %q has no ' ', '-' or '+' prefix", l)
			}
		}
		if seenA != aN || seenB != bN {
			t.Fatalf("hunk counts %d,%d disagree with its lines %d,%d", aN, bN, seenA, seenB)
		}
	}
	out = append(out, a[next:]...)
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "\n") + "\n"
}

func numbered(n int, edit func(i int) string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		l := "line " + strconv.Itoa(i)
		if edit != nil {
			l = edit(i)
		}
		if l != "" {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     string // exact output, when pinned
		hunks    int
		changed  int // lines starting with + or -
	}{
		{name: "equal", old: "a\nb\n", new: "a\nb\n", want: ""},
		{name: "create", old: "", new: "a\nb\n", want: "@@ -0,0 +1,2 @@\n+a\n+b\n", hunks: 1, changed: 2},
		{name: "delete all", old: "a\nb\n", new: "", want: "@@ -1,2 +0,0 @@\n-a\n-b\n", hunks: 1, changed: 2},
		{
			name: "one line changed in the middle",
			old:  numbered(9, nil),
			new: numbered(9, func(i int) string {
				return map[bool]string{true: "line five", false: "line " + strconv.Itoa(i)}[i == 5]
			}),
			want: "@@ -3,5 +3,5 @@\n line 3\n line 4\n-line 5\n+line five\n line 6\n line 7\n", hunks: 1, changed: 2,
		},
		{
			name: "distant changes make two hunks",
			old:  numbered(30, nil),
			new: numbered(30, func(i int) string {
				return map[bool]string{true: "x", false: "line " + strconv.Itoa(i)}[i == 3 || i == 25]
			}),
			hunks: 2, changed: 4,
		},
		{
			name: "near changes share a hunk",
			old:  numbered(30, nil),
			new: numbered(30, func(i int) string {
				return map[bool]string{true: "x", false: "line " + strconv.Itoa(i)}[i == 10 || i == 14]
			}),
			hunks: 1, changed: 4,
		},
		{
			name:  "insert at start and remove at end",
			old:   numbered(12, nil),
			new:   "new first\n" + numbered(11, nil),
			hunks: 2, changed: 2,
		},
		{
			name:  "comment edit",
			old:   GitHubComment(blockedVerdict()),
			new:   GitHubComment(richVerdict()),
			hunks: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Diff(tt.old, tt.new)
			if tt.want != "" || tt.old == tt.new {
				if got != tt.want {
					t.Fatalf("Diff =\n%s\nwant\n%s", got, tt.want)
				}
			}
			if tt.old == tt.new {
				return
			}
			if rebuilt := applyDiff(t, tt.old, got); rebuilt != tt.new {
				t.Errorf("applying the diff gives\n%s\nwant\n%s\ndiff:\n%s", rebuilt, tt.new, got)
			}
			if n := strings.Count("\n"+got, "\n@@"); tt.hunks > 0 && n != tt.hunks {
				t.Errorf("%d hunks, want %d:\n%s", n, tt.hunks, got)
			}
			changed := 0
			for _, l := range splitLines(got) {
				if l[0] == '+' || l[0] == '-' {
					changed++
				}
			}
			if tt.changed > 0 && changed != tt.changed {
				t.Errorf("%d changed lines, want %d:\n%s", changed, tt.changed, got)
			}
		})
	}
}

func BenchmarkDiffComment(b *testing.B) {
	old, new := GitHubComment(blockedVerdict()), GitHubComment(richVerdict())
	for b.Loop() {
		Diff(old, new)
	}
}
