package analyzer

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ladderhq/ladder"
)

func TestScanRefs(t *testing.T) {
	type ref struct {
		ref, host string
		kind      edgeKind
		reverse   bool
	}
	m := func(r string) ref { return ref{ref: r, kind: edgeMention} }
	b := func(r string) ref { return ref{ref: r, kind: edgeBlockedBy} }
	tests := []struct {
		name, text, self string
		want             []ref
	}{
		{"jira key", "See PLAT-88 for context.", "", []ref{m("PLAT-88")}},
		{"github reference", "like acme/platform#12 does", "", []ref{m("acme/platform#12")}},
		{"bare number in a github issue", "dup of #7", "acme/web#", []ref{m("acme/web#7")}},
		{"bare number outside github", "dup of #7", "", nil},
		{"blocked by", "Blocked by PLAT-88.", "", []ref{b("PLAT-88")}},
		{"blocked by, with markup and colon", "**Blocked by:** [PLAT-88]", "", []ref{b("PLAT-88")}},
		{"blocked by a list", "blocked by PLAT-1, PLAT-2 and acme/api#3", "", []ref{b("PLAT-1"), b("PLAT-2"), b("acme/api#3")}},
		{"a list ends at the first other word", "blocked by PLAT-1 and also see PLAT-2", "", []ref{b("PLAT-1"), m("PLAT-2")}},
		{"a few words between phrase and ref", "We are waiting on the platform team for PLAT-9", "", []ref{b("PLAT-9")}},
		{"too far from the phrase", "blocked the whole release train for days now, PLAT-9", "", []ref{m("PLAT-9")}},
		{"a sentence ends the phrase", "It was blocked for a while. PLAT-9 is unrelated", "", []ref{m("PLAT-9")}},
		{"a blank line ends the phrase", "Blocked by:\n\nPLAT-9", "", []ref{m("PLAT-9")}},
		{"a markdown list under the phrase", "Blocked by:\n- [ ] PLAT-9\n- [x] PLAT-10", "", []ref{b("PLAT-9"), b("PLAT-10")}},
		{"negation", "no longer blocked by PLAT-9", "", []ref{m("PLAT-9")}},
		{"depends on", "depends on PLAT-9", "", []ref{{ref: "PLAT-9", kind: edgeDependsOn}}},
		{"requires", "Requires acme/api#4", "", []ref{{ref: "acme/api#4", kind: edgeDependsOn}}},
		{"blocks is the other way round", "This blocks PAY-3", "", []ref{{ref: "PAY-3", kind: edgeBlockedBy, reverse: true}}},
		{"github url", "see https://github.com/acme/api/issues/7", "", []ref{{ref: "acme/api#7", host: "github.com", kind: edgeMention}}},
		{"github url with a fragment, blocked", "blocked by https://github.com/acme/api/issues/7#issuecomment-1.", "",
			[]ref{{ref: "acme/api#7", host: "github.com", kind: edgeBlockedBy}}},
		{"github api url", "(https://api.github.com/repos/acme/api/issues/7)", "", []ref{{ref: "acme/api#7", host: "api.github.com", kind: edgeMention}}},
		{"github enterprise url", "https://ghe.acme.io/acme/api/issues/7", "", []ref{{ref: "acme/api#7", host: "ghe.acme.io", kind: edgeMention}}},
		{"jira url", "waiting for https://acme.atlassian.net/browse/PAY-1?focusedCommentId=3", "",
			[]ref{{ref: "PAY-1", host: "acme.atlassian.net", kind: edgeBlockedBy}}},
		{"markdown link to jira", "[the ledger](https://jira.acme.io/browse/PAY-1)", "", []ref{{ref: "PAY-1", host: "jira.acme.io", kind: edgeMention}}},
		{"pull request urls are not issues", "https://github.com/acme/api/pull/7", "", nil},
		{"lower-case and odd keys are not keys", "pay-12 P-1 PAY-012 PAY- -12", "", nil},
		{"key-like words are found; resolution drops them", "UTF-8 and SHA-256", "", []ref{m("UTF-8"), m("SHA-256")}},
		{"possessive", "PLAT-88's owner", "", []ref{m("PLAT-88")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []ref
			scanRefs(tt.text, tt.self, func(r textRef) {
				got = append(got, ref{ref: r.prefix + fmt.Sprint(r.num), host: r.host, kind: r.kind, reverse: r.reverse})
			})
			if !slices.Equal(got, tt.want) {
				t.Errorf("scanRefs(%q) = %+v, want %+v", tt.text, got, tt.want)
			}
		})
	}
}

// dep finds the dependency of v on other ("tracker:key").
func dep(v *ladder.Verdict, other string) *ladder.Dependency {
	for i := range v.Dependencies {
		if v.Dependencies[i].Ref.String() == other {
			return &v.Dependencies[i]
		}
	}
	return nil
}

func TestDependencies(t *testing.T) {
	type want struct {
		other              string
		kind               ladder.LinkKind
		team, via          string
		open, cross, known bool
		otherGoals         []string
	}
	plat88 := jira("PLAT-88", "Retire the legacy job runner") // platform, unaligned
	sdk := jira("PLAT-90", "SDK client library v2")           // platform, on plat-sdk
	tests := []struct {
		name   string
		issues []ladder.Issue
		ref    string
		want   []want // the verdict's dependencies, in order
	}{
		{"jira link, blocked by", []ladder.Issue{jira("PAY-7", "x", links(link(ladder.BlockedBy, "jira", "PLAT-88"))), plat88}, "jira:PAY-7",
			[]want{{"jira:PLAT-88", ladder.BlockedBy, "platform", "Blocks", true, true, true, nil}}},
		{"the other side sees blocks", []ladder.Issue{jira("PAY-7", "x", links(link(ladder.BlockedBy, "jira", "PLAT-88"))), plat88}, "jira:PLAT-88",
			[]want{{"jira:PAY-7", ladder.Blocks, "payments", "Blocks", true, true, true, nil}}},
		{"link from the blocker's side", []ladder.Issue{jira("PAY-7", "x"), jira("PLAT-90", "SDK client library v2", links(link(ladder.Blocks, "jira", "PAY-7")))}, "jira:PAY-7",
			[]want{{"jira:PLAT-90", ladder.BlockedBy, "platform", "Blocks", true, true, true, []string{"plat-sdk"}}}},
		{"both sides linked count once", []ladder.Issue{
			jira("PAY-7", "x", links(link(ladder.BlockedBy, "jira", "PLAT-90"))), jira("PLAT-90", "SDK client library v2", links(link(ladder.Blocks, "jira", "PAY-7")))}, "jira:PAY-7",
			[]want{{"jira:PLAT-90", ladder.BlockedBy, "platform", "Blocks", true, true, true, []string{"plat-sdk"}}}},
		{"a link beats the same reference in text", []ladder.Issue{jira("PAY-7", "x", body("blocked by PLAT-90"), links(link(ladder.BlockedBy, "jira", "PLAT-90"))), sdk}, "jira:PAY-7",
			[]want{{"jira:PLAT-90", ladder.BlockedBy, "platform", "Blocks", true, true, true, []string{"plat-sdk"}}}},
		{"depends on", []ladder.Issue{jira("PAY-7", "x", links(ladder.Link{Kind: ladder.DependsOn, To: ladder.Ref{Tracker: "jira", Key: "PLAT-90"}, Via: "Depends"})), sdk}, "jira:PAY-7",
			[]want{{"jira:PLAT-90", ladder.DependsOn, "platform", "Depends", true, true, true, []string{"plat-sdk"}}}},
		{"link without tracker is in the same tracker", []ladder.Issue{jira("PAY-7", "x", links(ladder.Link{Kind: ladder.BlockedBy, To: ladder.Ref{Key: "PLAT-88"}})), plat88}, "jira:PAY-7",
			[]want{{"jira:PLAT-88", ladder.BlockedBy, "platform", "blocked_by", true, true, true, nil}}},
		{"same team is not cross-team", []ladder.Issue{jira("PAY-7", "x", links(link(ladder.BlockedBy, "jira", "PAY-8"))), jira("PAY-8", "y")}, "jira:PAY-7",
			[]want{{"jira:PAY-8", ladder.BlockedBy, "payments", "Blocks", true, false, true, nil}}},
		{"done blocker", []ladder.Issue{jira("PAY-7", "x", links(link(ladder.BlockedBy, "jira", "PLAT-88"))), jira("PLAT-88", "y", done(now.AddDate(0, 0, -3)))}, "jira:PAY-7",
			[]want{{"jira:PLAT-88", ladder.BlockedBy, "platform", "Blocks", false, true, true, nil}}},
		{"blocker not in the store", []ladder.Issue{jira("PAY-7", "x", links(link(ladder.BlockedBy, "jira", "PLAT-404")))}, "jira:PAY-7",
			[]want{{"jira:PLAT-404", ladder.BlockedBy, "", "Blocks", false, false, false, nil}}},
		{"github issue waits on a jira key", []ladder.Issue{gh("acme/payments#5", "x", body("Blocked by PLAT-88")), plat88}, "gh:acme/payments#5",
			[]want{{"jira:PLAT-88", ladder.BlockedBy, "platform", "text", true, true, true, nil}}},
		{"jira issue waits on a github url", []ladder.Issue{jira("PAY-7", "x", body("waiting on https://github.com/acme/platform/issues/12")), gh("acme/platform#12", "SDK docs", labels("goal:sdk"))}, "jira:PAY-7",
			[]want{{"gh:acme/platform#12", ladder.BlockedBy, "platform", "text", true, true, true, []string{"plat-sdk"}}}},
		{"github reference in other case", []ladder.Issue{jira("PAY-7", "x", body("see Acme/Platform#12")), gh("acme/platform#12", "Docs page")}, "jira:PAY-7",
			[]want{{"gh:acme/platform#12", ladder.Mentions, "platform", "text", true, true, true, nil}}},
		{"jira url to a project not synced on a known site", []ladder.Issue{gh("acme/payments#5", "x", body("blocked by https://acme.atlassian.net/browse/SEC-4")), plat88}, "gh:acme/payments#5",
			[]want{{"jira:SEC-4", ladder.BlockedBy, "", "text", false, false, false, nil}}},
		{"configured project not in the store", []ladder.Issue{jira("PAY-7", "x", body("blocked by DATA-4"))}, "jira:PAY-7",
			[]want{{"jira:DATA-4", ladder.BlockedBy, "", "text", false, false, false, nil}}},
		{"unknown key-like words are no references", []ladder.Issue{jira("PAY-7", "x", body("UTF-8 blocked by ISO-8601"))}, "jira:PAY-7", nil},
		{"references in comments", []ladder.Issue{jira("PAY-7", "x", comment("alice", "we depend on PLAT-88 here, blocked by PLAT-88")), plat88}, "jira:PAY-7",
			[]want{{"jira:PLAT-88", ladder.BlockedBy, "platform", "text", true, true, true, nil}}},
		{"a mention of an issue already waited on is dropped", []ladder.Issue{jira("PAY-7", "x", body("see PLAT-88"), links(link(ladder.BlockedBy, "jira", "PLAT-88"))), plat88}, "jira:PAY-7",
			[]want{{"jira:PLAT-88", ladder.BlockedBy, "platform", "Blocks", true, true, true, nil}}},
		{"self references are ignored", []ladder.Issue{jira("PAY-7", "x", body("blocked by PAY-7"))}, "jira:PAY-7", nil},
		{"cross-team parent and child", []ladder.Issue{jira("PAY-1", "Epic"), jira("PLAT-5", "x", parent("PAY-1"))}, "jira:PLAT-5",
			[]want{{"jira:PAY-1", ladder.ParentOf, "payments", "parent", true, true, true, []string{"pay-checkout"}}}},
		{"the parent sees the child", []ladder.Issue{jira("PAY-1", "Epic"), jira("PLAT-5", "x", parent("PAY-1"))}, "jira:PAY-1",
			[]want{{"jira:PLAT-5", ladder.ChildOf, "platform", "parent", true, true, true, nil}}},
		{"same-team parent is no dependency", []ladder.Issue{jira("PAY-1", "Epic"), jira("PAY-5", "x", parent("PAY-1"))}, "jira:PAY-5", nil},
		{"relates is no dependency", []ladder.Issue{jira("PAY-7", "x", links(ladder.Link{Kind: ladder.Relates, To: ladder.Ref{Tracker: "jira", Key: "PLAT-88"}})), plat88}, "jira:PAY-7", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, _ := analyze(t, testConfig(), tt.issues)
			v := vs[tt.ref]
			if len(v.Dependencies) != len(tt.want) {
				t.Fatalf("dependencies = %+v, want %d", v.Dependencies, len(tt.want))
			}
			cross := false
			for i, w := range tt.want {
				d := v.Dependencies[i]
				got := want{d.Ref.String(), d.Kind, d.Team, d.Via, d.Open, d.CrossTeam, d.Known, d.OtherGoals}
				if fmt.Sprint(got) != fmt.Sprint(w) {
					t.Errorf("dependency %d = %+v, want %+v", i, got, w)
				}
				if d.OtherAligned != (len(d.OtherGoals) > 0) {
					t.Errorf("other aligned = %v with goals %v", d.OtherAligned, d.OtherGoals)
				}
				cross = cross || (w.cross && w.kind != ladder.Mentions)
			}
			if v.CrossTeam != cross {
				t.Errorf("verdict cross team = %v, want %v", v.CrossTeam, cross)
			}
		})
	}
}

func TestDependencyReasons(t *testing.T) {
	issues := []ladder.Issue{
		jira("PAY-7", "x", body("Blocked by PLAT-88 and PLAT-90; blocked by PLAT-404")),
		jira("PLAT-88", "Retire the legacy job runner"),
		jira("PLAT-90", "SDK client library v2"),
	}
	vs, _ := analyze(t, testConfig(), issues)
	for _, want := range []string{
		"blocked by PLAT-88 (platform, open); PLAT-88 (platform) is not on any platform goal — at risk of never being scheduled",
		"blocked by PLAT-90 (platform, open); PLAT-90 is on platform goal plat-sdk",
		"blocked by PLAT-404, which is not in the store: its team and state are unknown",
	} {
		if !contains(vs["jira:PAY-7"].Reasons, want) {
			t.Errorf("reasons %q lack %q", vs["jira:PAY-7"].Reasons, want)
		}
	}
	if want := "blocks PAY-7 (payments, open)"; !contains(vs["jira:PLAT-88"].Reasons, want) {
		t.Errorf("reasons %q lack %q", vs["jira:PLAT-88"].Reasons, want)
	}
}

// waits builds open issues where each "A>B" says A is blocked by B.
func waits(edges ...string) []ladder.Issue {
	byKey := map[string]*ladder.Issue{}
	var order []string
	get := func(k string) *ladder.Issue {
		if byKey[k] == nil {
			is := jira(k, "work "+k)
			byKey[k] = &is
			order = append(order, k)
		}
		return byKey[k]
	}
	for _, e := range edges {
		a, b, _ := strings.Cut(e, ">")
		get(b)
		get(a).Links = append(get(a).Links, link(ladder.BlockedBy, "jira", b))
	}
	out := make([]ladder.Issue, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	return out
}

func keys(refs []ladder.Ref) string {
	ks := make([]string, len(refs))
	for i, r := range refs {
		ks[i] = r.Key
	}
	return strings.Join(ks, " ")
}

func TestCyclesAndChains(t *testing.T) {
	tests := []struct {
		name   string
		issues []ladder.Issue
		cycles []string
		chain  string
	}{
		{"no waits", waits(), nil, ""},
		{"one wait is a chain of two", waits("PAY-1>PLAT-1"), nil, "PAY-1 PLAT-1"},
		{"longest of two chains", waits("PAY-1>PLAT-1", "DATA-1>PAY-2", "PAY-2>PLAT-2", "PLAT-2>PLAT-3"), nil, "DATA-1 PAY-2 PLAT-2 PLAT-3"},
		{"tie goes to the smaller ref", waits("PAY-2>PLAT-2", "PAY-1>PLAT-1"), nil, "PAY-1 PLAT-1"},
		{"three-way cycle", waits("PLAT-71>DATA-33", "DATA-33>PAY-52", "PAY-52>PLAT-71"),
			[]string{"DATA-33 PAY-52 PLAT-71"}, "DATA-33"},
		{"cycle condensed inside a chain", waits("PAY-1>PLAT-1", "PLAT-1>PLAT-2", "PLAT-2>PLAT-1", "PLAT-2>DATA-1"),
			[]string{"PLAT-1 PLAT-2"}, "PAY-1 PLAT-1 DATA-1"},
		{"two cycles", waits("PAY-1>PAY-2", "PAY-2>PAY-1", "DATA-5>DATA-6", "DATA-6>DATA-5"),
			[]string{"DATA-5 DATA-6", "PAY-1 PAY-2"}, "DATA-5"},
		{"numbers order as numbers", waits("PAY-10>PAY-9", "PAY-9>PAY-10"), []string{"PAY-9 PAY-10"}, "PAY-9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, sum := analyze(t, testConfig(), tt.issues)
			var cycles []string
			for _, c := range sum.Dependencies.Cycles {
				cycles = append(cycles, keys(c))
			}
			if !slices.Equal(cycles, tt.cycles) {
				t.Errorf("cycles = %q, want %q", cycles, tt.cycles)
			}
			chain := keys(sum.Dependencies.LongestChain)
			if len(tt.cycles) > 0 && !strings.Contains(tt.chain, " ") {
				// A lone cycle condenses to one node: no chain to report.
				tt.chain = ""
			}
			if chain != tt.chain {
				t.Errorf("longest chain = %q, want %q", chain, tt.chain)
			}
		})
	}
}

func TestDoneIssuesDoNotWait(t *testing.T) {
	issues := waits("PAY-1>PLAT-1", "PLAT-1>DATA-1", "DATA-1>PAY-1")
	for i := range issues {
		if issues[i].Key == "PLAT-1" {
			issues[i].StatusCategory = ladder.StatusDone
		}
	}
	_, sum := analyze(t, testConfig(), issues)
	if len(sum.Dependencies.Cycles) != 0 {
		t.Errorf("cycles = %v, want none: PLAT-1 is done", sum.Dependencies.Cycles)
	}
	if got := keys(sum.Dependencies.LongestChain); got != "DATA-1 PAY-1" {
		t.Errorf("longest chain = %q, want DATA-1 PAY-1", got)
	}
}

func TestTarjanDeepChain(t *testing.T) {
	// A chain far deeper than a recursive walk would survive comfortably,
	// closed into one cycle at the end.
	const n = 200_000
	start := make([]int32, n+1)
	adj := make([]int32, n)
	for i := range n {
		start[i+1] = int32(i + 1)
		adj[i] = int32((i + 1) % n)
	}
	_, comps := tarjan(n, start, adj)
	if len(comps) != 1 || len(comps[0]) != n {
		t.Fatalf("components = %d (first of %d), want one of %d", len(comps), len(comps[0]), n)
	}
	adj[n-1] = int32(n - 1) // open the cycle: every node its own component, sinks first
	comp, comps := tarjan(n, start, adj)
	if len(comps) != n || comp[n-1] != 0 || comp[0] != int32(n-1) {
		t.Fatalf("components = %d, comp[last] = %d, comp[0] = %d; want %d, 0, %d", len(comps), comp[n-1], comp[0], n, n-1)
	}
}

func TestBlockerSummary(t *testing.T) {
	issues := []ladder.Issue{
		jira("DATA-1", "Revenue dashboard", body("blocked by PAY-57")),
		jira("PAY-57", "Publish ledger events"), // no payments goal
		gh("acme/platform#2", "Wallet SDK", body("waiting on PAY-41")),
		jira("PAY-41", "Apple Pay in checkout"), // on pay-checkout by text
		jira("PAY-3", "Done work", body("blocked by PLAT-1"), done(now.AddDate(0, 0, -1))),
		jira("PLAT-1", "Something"),
		jira("PAY-9", "Same team", body("blocked by PAY-57")),
	}
	_, sum := analyze(t, testConfig(), issues)
	d := sum.Dependencies
	var pairs []string
	for _, p := range d.Pairs {
		var bs []string
		for _, b := range p.Blockers {
			bs = append(bs, fmt.Sprintf("%s>%s%v", b.Waiting.Key, b.Blocker.Key, b.BlockerGoals))
		}
		pairs = append(pairs, fmt.Sprintf("%s→%s:%d %s", p.Waiting, p.Blocking, p.Open, strings.Join(bs, ",")))
	}
	want := []string{"platform→payments:1 acme/platform#2>PAY-41[pay-checkout]", "data→payments:1 DATA-1>PAY-57[]"}
	if !slices.Equal(pairs, want) {
		t.Errorf("pairs = %q, want %q", pairs, want)
	}
	if len(d.Uncovered) != 1 || d.Uncovered[0].Blocker.Key != "PAY-57" || d.Uncovered[0].Waiting.Key != "DATA-1" {
		t.Fatalf("uncovered = %+v, want DATA-1 waiting on PAY-57", d.Uncovered)
	}
	u := d.Uncovered[0]
	if u.Blocker.Title != "Publish ledger events" || u.Waiting.Title != "Revenue dashboard" || u.BlockerTeam != "payments" ||
		u.WaitingTeam != "data" || u.Blocker.URL == "" || u.Blocker.Status != ladder.StatusTodo {
		t.Errorf("uncovered blocker lines = %+v", u)
	}
}
