package analyzer

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/ladderhq/ladder"
)

// FuzzRun feeds the analyzer issues with arbitrary keys, text, parents and
// links: it must judge every issue exactly once, with reasons, the same way
// twice, whatever the markup. Run longer with
// go test ./analyzer -run '^$' -fuzz FuzzRun -fuzztime 2m
func FuzzRun(f *testing.F) {
	f.Add("PAY-7", "Refactor the checkout cart", "Blocked by PLAT-2 and acme/platform#3; see https://github.com/acme/platform/issues/3", "workaround for now, clean up later", "PAY-1", "PLAT-2", uint8(0))
	f.Add("acme/payments#9", "{code}x{code} *bold* [link|http://x]", "h1. Title\n||a||b||\n|PAY-1|PLAT-2|", "", "acme/payments#9", "acme/payments#9", uint8(3))
	f.Add("", "", "", "", "", "", uint8(255))
	f.Add("PAY-0", "🙂 ÄÖÜ \x00\xff", "PAY-99999999999999 #12 ##### acme/#1 /issues/", "PLAT-2 PLAT-2 PLAT-2", "PLAT-2", "PAY-0", uint8(1))
	f.Fuzz(func(t *testing.T, key, title, text, comm, par, to string, kind uint8) {
		kinds := []ladder.LinkKind{ladder.BlockedBy, ladder.Blocks, ladder.DependsOn, ladder.ParentOf, ladder.ChildOf, ladder.Relates, ladder.Duplicates, ladder.Mentions}
		fuzzed := ladder.Issue{Ref: ladder.Ref{Tracker: "jira", Key: key}, Project: "PAY", Title: title, Body: text,
			StatusCategory: ladder.StatusInProgress, Created: now.AddDate(0, -1, 0), Updated: now, Parent: par,
			Labels: []string{title}, Components: []string{comm},
			Links:    []ladder.Link{{Kind: kinds[int(kind)%len(kinds)], To: ladder.Ref{Tracker: "jira", Key: to}, Via: comm}},
			Comments: []ladder.Comment{{Author: "alice", Created: now, Body: comm}}}
		if kind%2 == 1 {
			fuzzed.Ref.Tracker, fuzzed.Links[0].To.Tracker = "gh", "gh"
		}
		issues := []ladder.Issue{
			fuzzed,
			jira("PLAT-2", "Queue failover for "+title, body(text), comment("bob", comm), parent(key)),
			gh("acme/platform#3", "SDK client library", body("Waiting on "+key+" "+to)),
		}
		if issues[0].Ref == issues[1].Ref || issues[0].Ref == issues[2].Ref {
			return
		}
		a, err := New(testConfig())
		if err != nil {
			t.Fatal(err)
		}
		run := func() []byte {
			var out []byte
			seen := map[ladder.Ref]bool{}
			sum, err := a.Run(stream(issues), func(v *ladder.Verdict) error {
				if seen[v.Ref] {
					t.Errorf("%s judged twice", v.Ref)
				}
				seen[v.Ref] = true
				if len(v.Reasons) == 0 {
					t.Errorf("%s: no reasons", v.Ref)
				}
				if s := v.TechDebtScore; math.IsNaN(s) || s < 0 || s > 1 {
					t.Errorf("%s: debt score %v", v.Ref, s)
				}
				b, err := json.Marshal(v)
				if err != nil {
					t.Errorf("%s: %v", v.Ref, err)
				}
				out = append(out, b...)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(seen) != len(issues) {
				t.Errorf("%d verdicts for %d issues", len(seen), len(issues))
			}
			b, err := json.Marshal(sum)
			if err != nil {
				t.Fatal(err)
			}
			return append(out, b...)
		}
		if first, second := run(), run(); string(first) != string(second) {
			t.Error("two runs over the same issues differ")
		}
	})
}
