package analyzer

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ladderhq/ladder"
)

func TestOverlap(t *testing.T) {
	platform := gh("acme/platform#80", "Rate limiting for the public API", body("Throttle abusive clients per token."))
	tests := []struct {
		name  string
		other ladder.Issue
		want  bool
	}{
		{"another team, same work", gh("acme/payments#48", "Add rate limits to the public API", body("Throttle clients that abuse the API.")), true},
		{"same team is its own business", gh("acme/platform#81", "Add rate limits to the public API", body("Throttle clients that abuse the API.")), false},
		{"recently done work is compared", gh("acme/payments#48", "Add rate limits to the public API", body("Throttle clients that abuse the API."), done(now.AddDate(0, -6, 0))), true},
		{"work done over a year ago is not", gh("acme/payments#48", "Add rate limits to the public API", body("Throttle clients that abuse the API."), done(now.AddDate(-1, -1, 0))), false},
		{"linked issues are known to be related", gh("acme/payments#48", "Add rate limits to the public API", body("Throttle clients that abuse the API. Blocked by acme/platform#80")), false},
		{"no team, no overlap", gh("acme/ops#48", "Add rate limits to the public API", body("Throttle clients that abuse the API.")), false},
		{"different work", gh("acme/payments#48", "Refund emails are late", body("Customers wait two days for a refund email.")), false},
	}
	// Filler issues give the words realistic document frequencies.
	filler := []ladder.Issue{
		jira("DATA-1", "Warehouse export of ledger events"), jira("DATA-2", "Dashboard for refunds"),
		jira("PAY-20", "Card vault token rotation"), jira("PLAT-20", "Queue failover drill"),
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, sum := analyze(t, testConfig(), append([]ladder.Issue{platform, tt.other}, filler...))
			if got := len(sum.Overlaps) > 0; got != tt.want {
				t.Fatalf("overlaps = %+v, want found = %v", sum.Overlaps, tt.want)
			}
			if !tt.want {
				return
			}
			o := sum.Overlaps[0]
			if o.A != tt.other.Ref || o.B != platform.Ref || o.ATeam != "payments" || o.BTeam != "platform" {
				t.Errorf("overlap = %+v, want payments#48 (A, smaller ref) with platform#80 (B)", o)
			}
			if o.Score < DefaultOverlapThreshold || o.Score > 1 {
				t.Errorf("score = %v", o.Score)
			}
			// Seven words are shared, equally rare here; the five shown are
			// spelled as written, the shortest spelling of each.
			shared := []string{"abuse", "api", "clients", "limits", "public", "rate", "throttle"}
			if len(o.Words) != overlapWords {
				t.Errorf("words = %q, want %d", o.Words, overlapWords)
			}
			for _, w := range o.Words {
				if !slices.Contains(shared, w) {
					t.Errorf("word %q is not one the two issues share (%q)", w, shared)
				}
			}
			for _, ref := range []string{platform.Ref.String(), tt.other.Ref.String()} {
				if v := vs[ref]; len(v.Overlaps) != 1 || v.Overlaps[0].Score != o.Score {
					t.Errorf("%s overlaps = %+v", ref, v.Overlaps)
				}
			}
			if want := "looks like the same work as acme/platform#80 of platform"; !hasPrefix(vs[tt.other.Ref.String()].Reasons, want) {
				t.Errorf("reasons %q lack %q…", vs[tt.other.Ref.String()].Reasons, want)
			}
		})
	}
}

func hasPrefix(rs ladder.Reasons, p string) bool {
	for _, r := range rs {
		if x := r.Text; len(x) >= len(p) && x[:len(p)] == p {
			return true
		}
	}
	return false
}

func TestOverlapThreshold(t *testing.T) {
	issues := []ladder.Issue{
		gh("acme/platform#80", "Rate limiting for the public API", body("Throttle abusive clients per token.")),
		gh("acme/payments#48", "Rate limiting for webhooks", body("Retry storms from merchants.")),
		jira("DATA-1", "Warehouse export"), jira("PAY-20", "Card vault token rotation"),
	}
	_, sum := analyze(t, testConfig(), issues)
	if len(sum.Overlaps) != 0 {
		t.Fatalf("at the default threshold, overlaps = %+v; want none", sum.Overlaps)
	}
	cfg := testConfig()
	cfg.OverlapThreshold = 0.05
	_, sum = analyze(t, cfg, issues)
	if len(sum.Overlaps) == 0 || sum.Overlaps[0].A.Key != "acme/payments#48" || sum.Overlaps[0].B.Key != "acme/platform#80" {
		t.Fatalf("at 0.05, overlaps = %+v; want the two rate limiting issues first", sum.Overlaps)
	}
}

// TestOverlapsStayBounded files the same pieces of work in every team many
// times over, as templated backlogs do: each issue keeps its strongest few
// overlaps, the summary its strongest hundred, whatever order issues come in.
func TestOverlapsStayBounded(t *testing.T) {
	families := []struct{ title, body string }{
		{"Upgrade the logging library to version two", "Structured fields and async appenders."},
		{"Rotate the database credentials every quarter", "Vault leases expire and services reconnect."},
		{"Translate the onboarding emails into German", "Marketing copy for the DACH launch."},
		{"Archive stale feature flags older than a year", "Flags nobody toggled since last spring."},
		{"Alert when the nightly backup job fails", "Pager duty escalation for missed snapshots."},
	}
	prefixes := map[string]string{"payments": "PAY", "platform": "PLAT", "data": "DATA"}
	var issues []ladder.Issue
	for f, fam := range families {
		for _, team := range []string{"payments", "platform", "data"} {
			for i := range 12 {
				key := fmt.Sprintf("%s-%d", prefixes[team], 100*f+i+1)
				issues = append(issues, jira(key, fam.title, body(fam.body)))
			}
		}
	}
	for i := range 40 { // filler: realistic document frequencies
		issues = append(issues, jira(fmt.Sprintf("DATA-%d", 900+i), fmt.Sprintf("Quarterly report number %d", i)))
	}
	vs, sum := analyze(t, testConfig(), issues)

	for ref, v := range vs {
		if strings.HasPrefix(v.Key, "DATA-9") {
			continue
		}
		if len(v.Overlaps) != overlapsPerIssue {
			t.Errorf("%s shows %d overlaps, want its %d strongest", ref, len(v.Overlaps), overlapsPerIssue)
		}
	}
	// All candidates score alike, so PAY-1 keeps the first other-team
	// issues in key order (numbers compared as numbers).
	var others []string
	for _, o := range vs["jira:PAY-1"].Overlaps {
		others = append(others, o.A.Key)
	}
	if want := []string{"DATA-1", "DATA-2", "DATA-3"}; !slices.Equal(others, want) {
		t.Errorf("PAY-1 keeps %v, want %v", others, want)
	}
	if len(sum.Overlaps) != summaryOverlaps || sum.OverlapsTotal <= summaryOverlaps {
		t.Errorf("summary lists %d of %d overlaps; want the %d strongest of more", len(sum.Overlaps), sum.OverlapsTotal, summaryOverlaps)
	}
	if !slices.IsSortedFunc(sum.Overlaps, compareOverlaps) {
		t.Error("summary overlaps are not strongest first")
	}

	// The same issues in the opposite order give the same result.
	rev := slices.Clone(issues)
	slices.Reverse(rev)
	vs2, sum2 := analyze(t, testConfig(), rev)
	if !reflect.DeepEqual(sum.Overlaps, sum2.Overlaps) || sum.OverlapsTotal != sum2.OverlapsTotal {
		t.Error("summary overlaps depend on the order issues come in")
	}
	for ref, v := range vs {
		if !reflect.DeepEqual(v.Overlaps, vs2[ref].Overlaps) {
			t.Errorf("%s: overlaps depend on the order issues come in", ref)
		}
	}
}

// TestOverlapsAndALateIssue: an issue only the second pass sees (the store
// changed in between) is judged without overlaps while others keep theirs.
func TestOverlapsAndALateIssue(t *testing.T) {
	a, err := New(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	issues := []ladder.Issue{
		gh("acme/platform#80", "Rate limiting for the public API", body("Throttle abusive clients per token.")),
		gh("acme/payments#48", "Add rate limits to the public API", body("Throttle clients that abuse the API.")),
		jira("DATA-1", "Warehouse export of ledger events"), jira("PAY-20", "Card vault token rotation"),
	}
	pass := 0
	each := func(fn func(*ladder.Issue) error) error {
		pass++
		list := issues
		if pass == 2 {
			list = append(slices.Clone(issues), gh("acme/payments#49", "Add rate limits to the public API", body("Throttle clients that abuse the API.")))
		}
		return stream(list)(fn)
	}
	got := map[string]int{}
	if _, err := a.Run(each, func(v *ladder.Verdict) error {
		got[v.Key] = len(v.Overlaps)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got["acme/platform#80"] != 1 || got["acme/payments#48"] != 1 {
		t.Errorf("overlaps per issue %v; want the first-pass pair to keep theirs", got)
	}
	if n, ok := got["acme/payments#49"]; !ok || n != 0 {
		t.Errorf("late issue: judged %v with %d overlaps; want judged, with none", ok, n)
	}
}
