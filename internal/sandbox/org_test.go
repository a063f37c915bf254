package sandbox

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
)

var testNow = time.Date(2026, time.May, 20, 9, 30, 0, 0, time.UTC)

func TestSampleOrgDeterministic(t *testing.T) {
	a, b := SampleOrg(testNow), SampleOrg(testNow)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("SampleOrg(now) differs between two calls with the same now")
	}
	// Another now moves the times, not the work.
	later := SampleOrg(testNow.Add(40 * 24 * time.Hour))
	if len(later.Jira) != len(a.Jira) || len(later.GitHub) != len(a.GitHub) {
		t.Fatalf("issue counts change with now: %d/%d vs %d/%d", len(later.Jira), len(later.GitHub), len(a.Jira), len(a.GitHub))
	}
	for i := range a.Jira {
		if a.Jira[i].Key != later.Jira[i].Key || a.Jira[i].Title != later.Jira[i].Title {
			t.Fatalf("issue %d is %s with now and %s forty days later", i, a.Jira[i].Key, later.Jira[i].Key)
		}
	}
}

func TestSampleOrgIssues(t *testing.T) {
	org := SampleOrg(testNow)
	if n := len(org.Jira); n < 180 || n > 230 {
		t.Errorf("%d Jira issues, want about 200", n)
	}
	if n := len(org.GitHub); n < 110 || n > 140 {
		t.Errorf("%d GitHub issues, want about 120", n)
	}
	jiraKey := regexp.MustCompile(`^([A-Z]+)-[1-9][0-9]*$`)
	ghKey := regexp.MustCompile(`^(acme/[a-z-]+)#[1-9][0-9]*$`)
	seen := map[ladder.Ref]bool{}
	ids := map[string]bool{}
	var estimated, unestimated int
	for _, is := range org.Issues() {
		if seen[is.Ref] {
			t.Errorf("%v appears twice", is.Ref)
		}
		seen[is.Ref] = true
		if ids[is.ID] || is.ID == "" {
			t.Errorf("%v: id %q is empty or not unique", is.Ref, is.ID)
		}
		ids[is.ID] = true
		switch is.Tracker {
		case JiraTracker:
			m := jiraKey.FindStringSubmatch(is.Key)
			if m == nil || m[1] != is.Project {
				t.Errorf("%v: Jira key does not match project %q", is.Ref, is.Project)
			}
			if is.Status != jiraStatus[is.StatusCategory] {
				t.Errorf("%v: status %q with category %q", is.Ref, is.Status, is.StatusCategory)
			}
			if is.Estimate == nil {
				unestimated++
			} else {
				estimated++
			}
		case GitHubTracker:
			m := ghKey.FindStringSubmatch(is.Key)
			if m == nil || m[1] != is.Project {
				t.Errorf("%v: GitHub key does not match repo %q", is.Ref, is.Project)
			}
			if is.Estimate != nil {
				t.Errorf("%v: GitHub issues carry no story points", is.Ref)
			}
		default:
			t.Errorf("%v: unknown tracker", is.Ref)
		}
		if is.Estimate != nil && *is.Estimate <= 0 {
			t.Errorf("%v: estimate %v; an unknown estimate is nil, never 0", is.Ref, *is.Estimate)
		}
		if is.Title == "" || is.Body == "" || is.BodyRaw == "" || is.Reporter == "" {
			t.Errorf("%v: title, body, raw body and reporter are all expected", is.Ref)
		}
		checkTimes(t, is, testNow)
	}
	if estimated < 4*unestimated || unestimated == 0 {
		t.Errorf("%d Jira issues estimated, %d not: want most but not all estimated", estimated, unestimated)
	}
}

func checkTimes(t *testing.T, is ladder.Issue, now time.Time) {
	t.Helper()
	switch {
	case is.Created.IsZero() || is.Created.After(now):
		t.Errorf("%v: created %v, now %v", is.Ref, is.Created, now)
	case is.Updated.Before(is.Created) || is.Updated.After(now):
		t.Errorf("%v: updated %v outside [created %v, now]", is.Ref, is.Updated, is.Created)
	case (is.StatusCategory == ladder.StatusDone) != (is.Resolved != nil):
		t.Errorf("%v: status %s but resolved %v", is.Ref, is.StatusCategory, is.Resolved)
	case is.Resolved != nil && (is.Resolved.Before(is.Created) || is.Resolved.After(now)):
		t.Errorf("%v: resolved %v outside [created %v, now]", is.Ref, *is.Resolved, is.Created)
	}
	for _, c := range is.Comments {
		if c.Created.Before(is.Created) || c.Created.After(is.Updated) || c.Author == "" || c.ID == "" {
			t.Errorf("%v: comment %s by %q at %v outside [created, updated]", is.Ref, c.ID, c.Author, c.Created)
		}
	}
}

// TestSampleOrgQuarters checks that every team has work in the current
// quarter and the three before it, at any now.
func TestSampleOrgQuarters(t *testing.T) {
	tests := []struct {
		name string
		now  time.Time
	}{
		{"mid quarter", testNow},
		{"first day of a fiscal year", time.Date(2027, time.February, 1, 6, 0, 0, 0, time.UTC)},
		{"last day of a quarter", time.Date(2026, time.October, 31, 23, 0, 0, 0, time.UTC)},
		{"the very start of a quarter", time.Date(2026, time.August, 1, 0, 0, 0, 0, time.UTC)},
		{"another zone", time.Date(2026, time.March, 3, 12, 0, 0, 0, time.FixedZone("AEDT", 11*3600))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org := SampleOrg(tt.now)
			cur := ladder.QuarterOf(tt.now.UTC(), FiscalYearStart)
			want := map[ladder.Quarter]bool{cur: true, cur.Prev(): true, cur.Prev().Prev(): true, cur.Prev().Prev().Prev(): true}
			perTeam := map[string]map[ladder.Quarter]int{}
			for _, is := range org.Issues() {
				checkTimes(t, is, tt.now)
				q := ladder.QuarterOf(is.Created, FiscalYearStart)
				if !want[q] {
					t.Errorf("%v created %v in %v, outside the four quarters up to %v", is.Ref, is.Created, q, cur)
				}
				if is.Resolved != nil && ladder.QuarterOf(*is.Resolved, FiscalYearStart) != q {
					t.Errorf("%v created in %v but resolved in another quarter (%v)", is.Ref, q, *is.Resolved)
				}
				team := ownerOf(org.Teams, is)
				if perTeam[team] == nil {
					perTeam[team] = map[ladder.Quarter]int{}
				}
				perTeam[team][q]++
			}
			for _, team := range org.Teams {
				for q := range want {
					if perTeam[team.Name][q] < 5 {
						t.Errorf("team %s has %d issues in %v, want a real quarter's work", team.Name, perTeam[team.Name][q], q)
					}
				}
			}
		})
	}
}

func TestSampleOrgLinks(t *testing.T) {
	org := SampleOrg(testNow)
	byRef := indexIssues(org)
	kinds := map[string]int{}
	for _, is := range org.Issues() {
		for _, l := range is.Links {
			other := byRef[l.To]
			if other == nil {
				t.Errorf("%v links (%s) to %v, which is not in the org", is.Ref, l.Kind, l.To)
				continue
			}
			if l.To.Tracker != is.Tracker {
				t.Errorf("%v has a native link into another tracker (%v); cross-tracker references live in text", is.Ref, l.To)
			}
			kinds[string(l.Kind)+" via "+l.Via]++
			// Both trackers show a dependency from both ends.
			// A Jira "Dependency" reads "depends on" on one side and "is
			// depended on by" (blocks) on the other.
			back, ok := reverseKind[l.Kind]
			if ok && !hasLink(other, back, is.Ref) && !(back == ladder.BlockedBy && hasLink(other, ladder.DependsOn, is.Ref)) {
				t.Errorf("%v %s %v, but %v has no %s link back", is.Ref, l.Kind, l.To, l.To, back)
			}
			if l.Kind == ladder.ChildOf && other.Parent != is.Key {
				t.Errorf("%v lists child %v, whose parent is %q", is.Ref, l.To, other.Parent)
			}
		}
		if is.Parent != "" {
			p := byRef[ladder.Ref{Tracker: is.Tracker, Key: is.Parent}]
			switch {
			case p == nil:
				t.Errorf("%v names parent %s, which is not in the org", is.Ref, is.Parent)
			case is.Tracker == JiraTracker && p.Type != "Epic":
				t.Errorf("%v's parent %s is a %s, want an Epic", is.Ref, p.Key, p.Type)
			case is.Tracker == GitHubTracker && !hasLink(p, ladder.ChildOf, is.Ref):
				t.Errorf("%v is a sub-issue of %s, which has no child link to it", is.Ref, p.Key)
			}
		}
	}
	for _, want := range []string{
		"blocked_by via Blocks", "blocks via Blocks", "depends_on via Dependency", "relates via Relates",
		"blocked_by via github dependency", "blocks via github dependency", "child via sub-issue",
	} {
		if kinds[want] == 0 {
			t.Errorf("no %s link in the org (have %v)", want, kinds)
		}
	}
}

func hasLink(is *ladder.Issue, kind ladder.LinkKind, to ladder.Ref) bool {
	return slices.ContainsFunc(is.Links, func(l ladder.Link) bool { return l.Kind == kind && l.To == to })
}

func TestSampleOrgMarkup(t *testing.T) {
	org := SampleOrg(testNow)
	tests := []struct {
		name    string
		issues  []ladder.Issue
		raw     []string // each must appear in some raw body
		notRaw  []string // none may appear in any raw body
		tracker string
	}{
		{"jira wiki markup", org.Jira, []string{"h3. ", "{code", "*workaround for now*", "{{", "[Figma|https://"}, []string{"```", "**", "### "}, JiraTracker},
		{"github markdown", org.GitHub, []string{"### ", "```", "- [ ]", "`"}, []string{"{code", "h3. "}, GitHubTracker},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var raws []string
			for _, is := range tt.issues {
				raws = append(raws, is.BodyRaw)
				for _, c := range is.Comments {
					raws = append(raws, c.Raw)
				}
				for _, s := range []string{is.Body} {
					for _, markup := range []string{"{code", "```", "**", "h3. ", "### "} {
						if strings.Contains(s, markup) {
							t.Errorf("%v: plain body keeps markup %q", is.Ref, markup)
						}
					}
				}
			}
			all := strings.Join(raws, "\n")
			for _, want := range tt.raw {
				if !strings.Contains(all, want) {
					t.Errorf("no raw body contains %q", want)
				}
			}
			for _, bad := range tt.notRaw {
				if strings.Contains(all, bad) {
					t.Errorf("a raw body contains %q, foreign to %s", bad, tt.tracker)
				}
			}
		})
	}
}

func TestMarkupRendering(t *testing.T) {
	tests := []struct {
		name, md, wiki, plain string
	}{
		{"heading and list", "### Scope\n- one\n- two", "h3. Scope\n* one\n* two", "Scope\n- one\n- two"},
		{"inline", "Use **bold**, `code` and [docs](https://x.test/a).", "Use *bold*, {{code}} and [docs|https://x.test/a].", "Use bold, code and docs (https://x.test/a)."},
		{"fence with language", "Before\n```go\nx := **y**\n```\nAfter", "Before\n{code:go}\nx := **y**\n{code}\nAfter", "Before\nx := y\nAfter"},
		{"plain fence", "```\nexpected: [r1 r2]\n```", "{code}\nexpected: [r1 r2]\n{code}", "expected: [r1 r2]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wikiMarkup(tt.md); got != tt.wiki {
				t.Errorf("wikiMarkup:\n got %q\nwant %q", got, tt.wiki)
			}
			if got := plainText(tt.md); got != tt.plain {
				t.Errorf("plainText:\n got %q\nwant %q", got, tt.plain)
			}
		})
	}
}

// designKeys are the config keys the README's Configuration section
// documents, as dotted paths (list items are written with []).
var designKeys = []string{
	"store", "fiscal_year_start_month",
	"trackers[].name", "trackers[].kind", "trackers[].url", "trackers[].token_env", "trackers[].repos",
	"trackers[].deployment", "trackers[].user_env", "trackers[].jql", "trackers[].story_points_field",
	"trackers[].write_interval",
	"teams[].name", "teams[].jira_projects", "teams[].github_repos", "teams[].components", "teams[].labels",
	"teams[].members", "teams[].tech_debt_target",
	"goals[].id", "goals[].title", "goals[].description", "goals[].quarter", "goals[].team", "goals[].parent",
	"goals[].keywords", "goals[].labels", "goals[].epics",
	"techdebt.labels", "techdebt.types",
	"writeback.dry_run", "writeback.comment_on", "writeback.opt_out_label", "writeback.summary_issue",
}

func TestSampleOrgConfig(t *testing.T) {
	org := SampleOrg(testNow)
	vars := ConfigVars{GitHubURL: "http://127.0.0.1:41001/api/v3", JiraURL: "http://127.0.0.1:41002", Store: t.TempDir() + "/ladder.db"}
	cfg, err := org.RenderConfig(vars)
	if err != nil {
		t.Fatal(err)
	}
	keys := yamlKeys(cfg)
	for _, k := range designKeys {
		if !keys[k] {
			t.Errorf("rendered config lacks %s", k)
		}
	}
	for k := range keys {
		documented := slices.ContainsFunc(designKeys, func(d string) bool { return d == k || strings.HasPrefix(d, k+".") || strings.HasPrefix(d, k+"[]") })
		if !documented {
			t.Errorf("rendered config has %s, which the README does not document", k)
		}
	}
	for _, want := range []string{
		"url: " + vars.GitHubURL, "url: " + vars.JiraURL, "store: " + vars.Store,
		"token_env: LADDER_DEMO_GITHUB_TOKEN", "user_env: LADDER_DEMO_JIRA_EMAIL", "token_env: LADDER_DEMO_JIRA_TOKEN",
		"fiscal_year_start_month: 2", "summary_issue: gh:acme/planning#1", "opt_out_label: ladder-ignore",
		"quarter: " + ladder.QuarterOf(testNow, FiscalYearStart).String(),
	} {
		if !strings.Contains(cfg, want) {
			t.Errorf("rendered config lacks %q", want)
		}
	}
	if strings.Contains(cfg, "{{") {
		t.Error("rendered config still has a placeholder")
	}
	for _, team := range org.Teams {
		if !strings.Contains(cfg, "- name: "+team.Name+"\n") {
			t.Errorf("team %s is not in the config", team.Name)
		}
	}
	for _, g := range org.Goals {
		if !strings.Contains(cfg, "- id: "+g.ID+"\n") {
			t.Errorf("goal %s is not in the config", g.ID)
		}
	}
	if _, err := (Org{Config: "{{.Nope}}"}).RenderConfig(vars); err == nil {
		t.Error("RenderConfig accepted an unknown placeholder")
	}
}

// yamlKeys lists the key paths of a block-style YAML document, list items
// written as [] ("trackers[].name"): enough for the config Ladder writes.
func yamlKeys(doc string) map[string]bool {
	type level struct {
		indent int // column of the keys that belong to this level
		path   string
	}
	keyRe := regexp.MustCompile(`^(\s*)(- )?([a-z_]+):(.*)$`)
	keys := map[string]bool{}
	var stack []level
	for _, line := range strings.Split(doc, "\n") {
		m := keyRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		col := len(m[1])
		if m[2] != "" {
			col += 2
		}
		for len(stack) > 0 && stack[len(stack)-1].indent >= col {
			stack = stack[:len(stack)-1]
		}
		if m[2] != "" {
			// "- key:" opens a list item of the enclosing key.
			for len(stack) > 0 && stack[len(stack)-1].indent >= len(m[1]) {
				stack = stack[:len(stack)-1]
			}
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1].path
			}
			stack = append(stack, level{indent: col - 1, path: parent + "[]"})
		}
		path := m[3]
		if len(stack) > 0 {
			path = stack[len(stack)-1].path + "." + m[3]
		}
		keys[path] = true
		if strings.TrimSpace(m[4]) == "" {
			stack = append(stack, level{indent: col + 1, path: path})
		}
	}
	return keys
}

func TestSampleOrgGoalsAndTeams(t *testing.T) {
	org := SampleOrg(testNow)
	byRef := indexIssues(org)
	goals := map[string]ladder.Goal{}
	for _, g := range org.Goals {
		goals[g.ID] = g
	}
	teams := map[string]bool{}
	for _, team := range org.Teams {
		teams[team.Name] = true
		if team.TechDebtTarget.IsZero() {
			t.Errorf("team %s has no tech-debt band", team.Name)
		}
	}
	company := 0
	perTeam := map[string]int{}
	for _, g := range org.Goals {
		if g.IsCompany() {
			company++
			continue
		}
		perTeam[g.Team]++
		if !teams[g.Team] {
			t.Errorf("goal %s names unknown team %s", g.ID, g.Team)
		}
		if p, ok := goals[g.Parent]; !ok || !p.IsCompany() {
			t.Errorf("team goal %s has parent %q, want a company goal", g.ID, g.Parent)
		}
		if len(g.Keywords) == 0 || len(g.Labels) == 0 {
			t.Errorf("team goal %s lacks keywords or labels", g.ID)
		}
		for _, e := range g.Epics {
			if is := byRef[ladder.Ref{Tracker: JiraTracker, Key: e}]; is == nil || is.Type != "Epic" {
				t.Errorf("goal %s names epic %s, which is not an Epic in the org", g.ID, e)
			}
		}
	}
	if company < 2 || company > 3 {
		t.Errorf("%d company goals, want 2–3", company)
	}
	for team := range teams {
		if n := perTeam[team]; n < 2 || n > 3 {
			t.Errorf("team %s has %d goals, want 2–3", team, n)
		}
	}
	// Ownership: every kind of rule claims something.
	via := map[string]int{}
	for _, is := range org.Issues() {
		via[ownerRule(org.Teams, is)]++
	}
	for _, rule := range []string{"project", "repo", "component", "label", "member", "none"} {
		if via[rule] == 0 {
			t.Errorf("no issue is owned by %s (have %v)", rule, via)
		}
	}
	if via["none"] > 5 {
		t.Errorf("%d issues have no team; want a couple", via["none"])
	}
}

// TestSampleOrgStory checks the story the sample organisation is built to
// tell, with the explicit signals alone (labels, epics, links and the
// "blocked by" references in text), so it holds whatever the analyzer's text
// matching adds.
func TestSampleOrgStory(t *testing.T) {
	org := SampleOrg(testNow)
	byRef := indexIssues(org)
	waits := waitGraph(org, byRef)

	t.Run("cycle across teams", func(t *testing.T) {
		cycle := findCycle(waits)
		if cycle == nil {
			t.Fatal("no dependency cycle")
		}
		owners := map[string]bool{}
		for _, r := range cycle {
			owners[ownerOf(org.Teams, *byRef[r])] = true
		}
		if len(owners) < 2 {
			t.Errorf("cycle %v stays inside one team", cycle)
		}
	})

	t.Run("long chain", func(t *testing.T) {
		chain := longestOpenChain(waits, byRef)
		if len(chain) < 5 {
			t.Errorf("longest open chain %v has %d issues, want at least 5", chain, len(chain))
		}
	})

	t.Run("cross-team blockers covered and not", func(t *testing.T) {
		var covered, uncovered []string
		for from, tos := range waits {
			for _, to := range tos {
				a, b := byRef[from], byRef[to]
				ta, tb := ownerOf(org.Teams, *a), ownerOf(org.Teams, *b)
				if ta == tb || tb == "" || !b.Open() {
					continue
				}
				pair := from.String() + " → " + to.String()
				if explicitGoal(org, byRef, b, tb) != "" {
					covered = append(covered, pair)
				} else {
					uncovered = append(uncovered, pair)
				}
			}
		}
		if len(covered) < 3 || len(uncovered) < 3 {
			t.Errorf("cross-team blockers: %d covered %v, %d uncovered %v; want several of each", len(covered), covered, len(uncovered), uncovered)
		}
		for _, want := range []string{"jira:DATA-35 → jira:PAY-57", "gh:acme/web#56 → jira:PAY-60"} {
			if !slices.Contains(uncovered, want) {
				t.Errorf("%s is not an uncovered cross-team blocker", want)
			}
		}
		if !slices.Contains(covered, "gh:acme/mobile#31 → jira:PAY-41") {
			t.Error("acme/mobile#31 → PAY-41 is not a covered cross-team blocker")
		}
	})

	t.Run("debt bands this quarter", func(t *testing.T) {
		cur := ladder.QuarterOf(testNow, FiscalYearStart)
		want := map[string]string{"payments": "below", "platform": "above", "data": "within", "growth": "within", "mobile": "within"}
		for _, team := range org.Teams {
			share := explicitDebtShare(org, team.Name, cur)
			got := "within"
			switch {
			case share < team.TechDebtTarget.Min:
				got = "below"
			case share > team.TechDebtTarget.Max:
				got = "above"
			}
			if got != want[team.Name] {
				t.Errorf("team %s: debt share %.2f is %s its band %v, want %s", team.Name, share, got, team.TechDebtTarget, want[team.Name])
			}
		}
		// Platform was within its band a year ago and above it for the three
		// quarters since; payments was already below its band last quarter.
		bands := map[string]ladder.Band{}
		for _, team := range org.Teams {
			bands[team.Name] = team.TechDebtTarget
		}
		q := cur.Prev().Prev().Prev()
		if share := explicitDebtShare(org, "platform", q); share > bands["platform"].Max {
			t.Errorf("platform's debt share in %v is %.2f, want within its band %v", q, share, bands["platform"])
		}
		for range 3 {
			q = nextQuarter(q)
			if share := explicitDebtShare(org, "platform", q); share <= bands["platform"].Max {
				t.Errorf("platform's debt share in %v is %.2f, want above its band %v", q, share, bands["platform"])
			}
		}
		if share := explicitDebtShare(org, "payments", cur.Prev()); share >= bands["payments"].Min {
			t.Errorf("payments' debt share last quarter is %.2f, want below its band %v", share, bands["payments"])
		}
	})

	t.Run("a goal without work", func(t *testing.T) {
		for _, g := range org.Goals {
			if g.ID != "growth-localise" {
				continue
			}
			for _, is := range org.Issues() {
				if explicitGoal(org, byRef, &is, g.Team) == g.ID {
					t.Errorf("%v carries goal %s", is.Ref, g.ID)
				}
				text := strings.ToLower(is.Title + " " + is.Body)
				for _, kw := range g.Keywords {
					if strings.Contains(text, kw) {
						t.Errorf("%v mentions %q, a keyword of %s", is.Ref, kw, g.ID)
					}
				}
			}
			return
		}
		t.Error("no growth-localise goal")
	})

	t.Run("debt admitted in comments", func(t *testing.T) {
		admits := regexp.MustCompile(`(?i)workaround for now|clean this up later|stopgap|hack|temporary|TODO`)
		n := 0
		for _, is := range org.Jira {
			if is.Project != "PAY" {
				continue
			}
			for _, c := range is.Comments {
				if admits.MatchString(c.Body) {
					n++
				}
			}
		}
		if n < 4 {
			t.Errorf("%d payments comments admit debt, want several", n)
		}
	})

	t.Run("fixtures for write-back and overlap", func(t *testing.T) {
		const hostile = "@everyone see #1 <script>x</script> [~accountid:abc]"
		var hostileFound, optOut int
		for _, is := range org.Issues() {
			if is.Title == hostile {
				hostileFound++
			}
			if is.HasLabel(OptOutLabel) && is.Key != SummaryIssue {
				optOut++
			}
		}
		if hostileFound != 1 {
			t.Errorf("%d issues titled %q, want 1", hostileFound, hostile)
		}
		if optOut < 1 || optOut > 3 {
			t.Errorf("%d synced issues carry %s, want one or two", optOut, OptOutLabel)
		}
		if byRef[mustRef("gh:"+SummaryIssue)] == nil {
			t.Errorf("summary issue %s is missing", SummaryIssue)
		}
		a, b := byRef[mustRef("jira:PLAT-80")], byRef[mustRef("gh:acme/web#48")]
		if a == nil || b == nil || !strings.Contains(strings.ToLower(a.Title), "rate limit") || !strings.Contains(strings.ToLower(b.Title), "rate-limit") {
			t.Error("the rate-limiting overlap between PLAT-80 and acme/web#48 is missing")
		}
	})

	t.Run("references across trackers", func(t *testing.T) {
		var jiraToGH, ghToJira bool
		for _, is := range org.Jira {
			jiraToGH = jiraToGH || strings.Contains(is.Body, "https://github.com/acme/web/issues/7") || strings.Contains(is.Body, "acme/platform-sdk#12")
		}
		for _, is := range org.GitHub {
			ghToJira = ghToJira || strings.Contains(is.Body, "PAY-41")
		}
		if !jiraToGH || !ghToJira {
			t.Errorf("Jira → GitHub references: %v, GitHub → Jira: %v", jiraToGH, ghToJira)
		}
	})

	t.Run("story names real issues", func(t *testing.T) {
		for _, m := range textRefs(org.Story) {
			if byRef[m] == nil {
				t.Errorf("the story names %v, which is not in the org", m)
			}
		}
		for _, must := range []string{"PAY-57", "platform", "payments", "above", "below", "cycle", "Launch in the EU"} {
			if !strings.Contains(org.Story, must) {
				t.Errorf("the story does not mention %q", must)
			}
		}
	})
}

func indexIssues(org Org) map[ladder.Ref]*ladder.Issue {
	m := map[ladder.Ref]*ladder.Issue{}
	for _, list := range [][]ladder.Issue{org.Jira, org.GitHub} {
		for i := range list {
			m[list[i].Ref] = &list[i]
		}
	}
	return m
}

// ownerRule says which ownership rule claims an issue, in the order the README's "How the analysis works" gives (component, label, project or repo, member).
func ownerRule(teams []ladder.Team, is ladder.Issue) string {
	_, rule := owner(teams, is)
	return rule
}

func ownerOf(teams []ladder.Team, is ladder.Issue) string {
	team, _ := owner(teams, is)
	return team
}

func owner(teams []ladder.Team, is ladder.Issue) (team, rule string) {
	for _, t := range teams {
		if slices.Contains(t.JiraProjects, is.Project) && is.Tracker == JiraTracker {
			return t.Name, "project"
		}
		if slices.Contains(t.GitHubRepos, is.Project) && is.Tracker == GitHubTracker {
			return t.Name, "repo"
		}
	}
	for _, t := range teams {
		for _, c := range is.Components {
			if slices.Contains(t.Components, c) {
				return t.Name, "component"
			}
		}
	}
	for _, t := range teams {
		for _, l := range t.Labels {
			if is.HasLabel(l) {
				return t.Name, "label"
			}
		}
	}
	for _, t := range teams {
		if is.Assignee != "" && slices.Contains(t.Members, is.Assignee) {
			return t.Name, "member"
		}
	}
	return "", "none"
}

// explicitGoal returns the goal of team that is explicitly behind is: a goal
// label on it or on an ancestor, or an ancestor that is a goal's epic.
func explicitGoal(org Org, byRef map[ladder.Ref]*ladder.Issue, is *ladder.Issue, team string) string {
	for cur, hops := is, 0; cur != nil && hops < 10; hops++ {
		for _, g := range org.Goals {
			if g.Team != team {
				continue
			}
			if slices.Contains(g.Epics, cur.Key) && cur.Tracker == JiraTracker {
				return g.ID
			}
			for _, l := range g.Labels {
				if cur.HasLabel(l) {
					return g.ID
				}
			}
		}
		if cur.Parent == "" {
			break
		}
		cur = byRef[ladder.Ref{Tracker: cur.Tracker, Key: cur.Parent}]
	}
	return ""
}

// workQuarter is the quarter an issue's effort counts in: the quarter it was
// resolved in, or the current one while it is open.
func workQuarter(is ladder.Issue, now time.Time) ladder.Quarter {
	if is.Resolved != nil {
		return ladder.QuarterOf(*is.Resolved, FiscalYearStart)
	}
	return ladder.QuarterOf(now, FiscalYearStart)
}

// explicitDebtShare is the share of a team's issues in quarter q that the
// config's debt labels and types mark as debt.
func explicitDebtShare(org Org, team string, q ladder.Quarter) float64 {
	var n, debt int
	for _, is := range org.Issues() {
		if ownerOf(org.Teams, is) != team || workQuarter(is, testNow) != q {
			continue
		}
		n++
		if slices.Contains(orgDebtTypes, is.Type) || slices.ContainsFunc(orgDebtLabels, is.HasLabel) {
			debt++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(debt) / float64(n)
}

var (
	refJira = regexp.MustCompile(`\b(?:PAY|PLAT|DATA|OPS)-[0-9]+\b`)
	refGH   = regexp.MustCompile(`\bacme/[a-z-]+#[0-9]+\b`)
	refURL  = regexp.MustCompile(`https://github\.com/(acme/[a-z-]+)/issues/([0-9]+)`)
	waitsRe = regexp.MustCompile(`(?i)blocked by|blocked until|needs |waiting on|depends on`)
)

func textRefs(s string) []ladder.Ref {
	var out []ladder.Ref
	for _, k := range refJira.FindAllString(s, -1) {
		out = append(out, ladder.Ref{Tracker: JiraTracker, Key: k})
	}
	for _, m := range refURL.FindAllStringSubmatch(s, -1) {
		out = append(out, ladder.Ref{Tracker: GitHubTracker, Key: m[1] + "#" + m[2]})
	}
	s = refURL.ReplaceAllString(s, "")
	for _, k := range refGH.FindAllString(s, -1) {
		out = append(out, ladder.Ref{Tracker: GitHubTracker, Key: k})
	}
	return out
}

// waitGraph is every waits-on edge: native blocked_by/depends_on links plus
// references in body sentences that say "blocked by", "needs", "waiting on"…
func waitGraph(org Org, byRef map[ladder.Ref]*ladder.Issue) map[ladder.Ref][]ladder.Ref {
	g := map[ladder.Ref][]ladder.Ref{}
	add := func(from, to ladder.Ref) {
		if from != to && byRef[to] != nil && !slices.Contains(g[from], to) {
			g[from] = append(g[from], to)
		}
	}
	for _, is := range org.Issues() {
		for _, l := range is.Links {
			if l.Kind.Waits() {
				add(is.Ref, l.To)
			}
		}
		for _, sentence := range regexp.MustCompile(`[.\n]\s`).Split(is.Body, -1) {
			if waitsRe.MatchString(sentence) {
				for _, to := range textRefs(sentence) {
					add(is.Ref, to)
				}
			}
		}
	}
	return g
}

func findCycle(g map[ladder.Ref][]ladder.Ref) []ladder.Ref {
	const (
		white = iota
		grey
		black
	)
	color := map[ladder.Ref]int{}
	var path []ladder.Ref
	var found []ladder.Ref
	var visit func(ladder.Ref) bool
	visit = func(r ladder.Ref) bool {
		color[r] = grey
		path = append(path, r)
		for _, next := range g[r] {
			switch color[next] {
			case grey:
				i := slices.Index(path, next)
				found = slices.Clone(path[i:])
				return true
			case white:
				if visit(next) {
					return true
				}
			}
		}
		path = path[:len(path)-1]
		color[r] = black
		return false
	}
	keys := make([]ladder.Ref, 0, len(g))
	for r := range g {
		keys = append(keys, r)
	}
	slices.SortFunc(keys, func(a, b ladder.Ref) int { return strings.Compare(a.String(), b.String()) })
	for _, r := range keys {
		if color[r] == white && visit(r) {
			return found
		}
	}
	return nil
}

// longestOpenChain is the longest simple path of open issues along waits-on edges.
func longestOpenChain(g map[ladder.Ref][]ladder.Ref, byRef map[ladder.Ref]*ladder.Issue) []ladder.Ref {
	var best []ladder.Ref
	var path []ladder.Ref
	var walk func(ladder.Ref)
	walk = func(r ladder.Ref) {
		path = append(path, r)
		if len(path) > len(best) {
			best = slices.Clone(path)
		}
		for _, next := range g[r] {
			if byRef[next].Open() && !slices.Contains(path, next) {
				walk(next)
			}
		}
		path = path[:len(path)-1]
	}
	for r := range g {
		if byRef[r].Open() {
			walk(r)
		}
	}
	return best
}
