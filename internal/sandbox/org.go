package sandbox

// The sample organisation is Acme, five teams building a payments product,
// seen over the current fiscal quarter and the three before it (the fiscal
// year starts in February). Run through Ladder, it tells this story:
//
//   - Platform has been above its tech-debt band (target 20–35%) for three
//     quarters running: retiring the legacy job runner and the v1 webhook
//     dispatcher crowds out the SDK v2 goal other teams wait for.
//   - Payments is below its band (target 15–25%) for two quarters running:
//     nearly everything is the one-page checkout, while its comments keep
//     admitting new debt ("workaround for now", "we'll clean this up later").
//   - Data, growth and mobile stay within their bands.
//   - The company goal "Launch in the EU" has nothing but a parked epic
//     (PAY-2), and growth's team goal "Localise the web signup" has no work.
//   - Data's revenue dashboard (DATA-35) waits on PAY-57 "Publish ledger
//     events to the warehouse topic", which no payments goal covers: at risk
//     of never being scheduled. So is acme/web#56 (invoice history), waiting
//     on PAY-60. Mobile's Apple Pay (acme/mobile#31) waits on PAY-41, which is
//     on payments' checkout goal, but PAY-41 itself waits on platform's
//     PLAT-64, which no platform goal covers.
//   - The longest chain: acme/mobile#31 → PAY-41 → PLAT-64 → PLAT-66 → DATA-40.
//   - Platform, data and payments wait on each other in a cycle:
//     PLAT-71 → DATA-33 → PAY-52 → PLAT-71.
//   - Two teams filed the same work: rate limiting for the public API
//     (PLAT-80 and acme/web#48), and a CSV export of failed payments (PAY-11
//     and DATA-16).
//   - OPS-3, OPS-7 and OPS-12 match no ownership rule: nobody owns them.
//
// Both trackers' sample issues are written once below, as seeds in a small
// Markdown subset; the builder renders Jira wiki markup, places every issue
// in time relative to now and adds the tracker-side halves of each link.

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/ladderhq/ladder"
)

// Tracker names the sample config gives the two fake trackers.
const (
	GitHubTracker = "gh"
	JiraTracker   = "jira"
)

// FiscalYearStart is the sample organisation's first fiscal month.
const FiscalYearStart = time.February

// Org is a sample organisation: the issues the fake trackers serve, the
// teams and goals its config declares, and the story a PM should read out of
// Ladder's report.
type Org struct {
	// GitHub issues have Tracker "gh" and keys "acme/web#12"; acme/planning#1
	// is the summary issue the report is published to.
	GitHub []ladder.Issue
	// Jira issues have Tracker "jira" and keys "PAY-12".
	Jira []ladder.Issue
	// Teams and Goals are what Config declares, as domain values.
	Teams []ladder.Team
	Goals []ladder.Goal
	// Config is a complete ladder.yaml as a text/template with the
	// placeholders of ConfigVars; see RenderConfig.
	Config string
	// Story says, in a few paragraphs, what a PM should notice in the report.
	Story string
}

// ConfigVars fills the placeholders of Org.Config.
type ConfigVars struct {
	GitHubURL string
	JiraURL   string
	Store     string
	// JiraDeployment is "cloud" (the default when empty) or "datacenter",
	// whose personal access token needs no user_env.
	JiraDeployment string
}

// The environment variables the sample config names for the sandbox
// trackers' credentials.
const (
	GitHubTokenEnv = "LADDER_DEMO_GITHUB_TOKEN"
	JiraEmailEnv   = "LADDER_DEMO_JIRA_EMAIL"
	JiraTokenEnv   = "LADDER_DEMO_JIRA_TOKEN"
)

// RenderConfig returns o.Config with v filled in.
func (o Org) RenderConfig(v ConfigVars) (string, error) {
	t, err := template.New("ladder.yaml").Option("missingkey=error").Parse(o.Config)
	if err != nil {
		return "", fmt.Errorf("sandbox: parse config template: %w", err)
	}
	var b strings.Builder
	if err := t.Execute(&b, v); err != nil {
		return "", fmt.Errorf("sandbox: render config: %w", err)
	}
	return b.String(), nil
}

// Issues returns every issue of both trackers, Jira first.
func (o Org) Issues() []ladder.Issue {
	return slices.Concat(o.Jira, o.GitHub)
}

// SampleOrg returns the sample organisation with every time placed relative
// to now. The same now always gives the same Org.
func SampleOrg(now time.Time) Org {
	now = now.UTC().Truncate(time.Second)
	teams, goals := orgTeams(), orgGoals(now)
	b := newOrgBuilder(now)
	for _, s := range slices.Concat(paySeeds, platSeeds, dataSeeds, opsSeeds) {
		b.add(JiraTracker, s)
	}
	for _, s := range slices.Concat(webSeeds, mobileSeeds, sdkSeeds, planningSeeds) {
		b.add(GitHubTracker, s)
	}
	b.finish()
	return Org{
		GitHub: b.issues(GitHubTracker),
		Jira:   b.issues(JiraTracker),
		Teams:  teams,
		Goals:  goals,
		Config: orgConfig(teams, goals, orgRepos, orgProjects),
		Story:  orgStory,
	}
}

const orgStory = `Acme has five teams — payments, platform, data, growth and mobile — and
three company goals: grow self-serve revenue, keep money movement reliable,
and launch in the EU. Ladder read the Jira projects PAY, PLAT, DATA and OPS and
the GitHub repos acme/web, acme/mobile and acme/platform-sdk over the last four
fiscal quarters.

Tech debt: platform has been above its 20–35% band for three quarters running,
as retiring the legacy job runner and the v1 webhook dispatcher crowds out SDK v2.
Payments is below its 15–25% band for the second quarter running — nearly
everything is one-page checkout — while its comments keep admitting new debt
("workaround for now", "we'll clean this up later"). Data, growth and mobile
are within their bands.

Goals: "Launch in the EU" has nothing but a parked SEPA epic (PAY-2), and
growth's "Localise the web signup" has no work at all. Checkout, onboarding and
the revenue dashboard carry most of the aligned effort.

Dependencies: data's revenue dashboard (DATA-35) waits on PAY-57, "Publish
ledger events to the warehouse topic", and no payments goal covers it: at risk
of never being scheduled. So is growth's invoice history (acme/web#56), waiting
on PAY-60. Mobile's Apple Pay (acme/mobile#31) waits on PAY-41, which is on
payments' checkout goal, but PAY-41 waits on platform's PLAT-64, which no
platform goal covers; that is the longest chain: acme/mobile#31 → PAY-41 →
PLAT-64 → PLAT-66 → DATA-40. Platform, data and payments wait on each other in
a cycle: PLAT-71 → DATA-33 → PAY-52 → PLAT-71.

Overlaps: platform's PLAT-80 and growth's acme/web#48 are the same work (rate
limiting for the public API), as are PAY-11 and DATA-16 (a CSV export of
failed payments). And OPS-3, OPS-7 and OPS-12 belong to no team.`

func orgTeams() []ladder.Team {
	return []ladder.Team{
		{
			Name:           "payments",
			JiraProjects:   []string{"PAY"},
			Labels:         []string{"team:payments"},
			TechDebtTarget: ladder.Band{Min: 0.15, Max: 0.25},
		},
		{
			Name:           "platform",
			JiraProjects:   []string{"PLAT"},
			GitHubRepos:    []string{"acme/platform-sdk"},
			Labels:         []string{"team:platform"},
			TechDebtTarget: ladder.Band{Min: 0.20, Max: 0.35},
		},
		{
			Name:           "data",
			JiraProjects:   []string{"DATA"},
			Components:     []string{"Warehouse"},
			TechDebtTarget: ladder.Band{Min: 0.15, Max: 0.35},
		},
		{
			Name:           "growth",
			GitHubRepos:    []string{"acme/web"},
			Labels:         []string{"team:growth"},
			TechDebtTarget: ladder.Band{Min: 0.10, Max: 0.20},
		},
		{
			Name:           "mobile",
			GitHubRepos:    []string{"acme/mobile"},
			Components:     []string{"Mobile API", "Push notifications"},
			Members:        []string{"mei-tanaka", "tomas-novak", "ama-owusu", "kofi-mensah"},
			TechDebtTarget: ladder.Band{Min: 0.15, Max: 0.25},
		},
	}
}

func orgGoals(now time.Time) []ladder.Goal {
	current := ladder.QuarterOf(now, FiscalYearStart).String()
	return []ladder.Goal{
		{ID: "self-serve", Title: "Grow self-serve revenue",
			Description: "More customers sign up, pay and upgrade without talking to sales."},
		{ID: "reliability", Title: "Keep money movement reliable",
			Description: "Payments, payouts and the public API stay up; incidents are rare and short."},
		{ID: "eu-launch", Title: "Launch in the EU", Quarter: current,
			Description: "Sell to customers in Germany and France in their language and currency."},

		{ID: "pay-checkout", Team: "payments", Parent: "self-serve", Title: "One-page checkout",
			Description: "Replace the three-step checkout with a single page that converts better.",
			Keywords:    []string{"checkout", "cart", "payment form", "card form"},
			Labels:      []string{"goal:checkout"}, Epics: []string{"PAY-1"}},
		{ID: "pay-sepa", Team: "payments", Parent: "eu-launch", Title: "SEPA Direct Debit",
			Description: "EU customers pay by bank debit with a signed mandate.",
			Keywords:    []string{"sepa", "direct debit", "iban", "mandate"},
			Labels:      []string{"goal:sepa"}, Epics: []string{"PAY-2"}},
		{ID: "plat-sdk-v2", Team: "platform", Parent: "self-serve", Title: "Public SDK v2",
			Description: "Partners integrate on their own with a typed SDK, self-serve API keys and a developer portal.",
			Keywords:    []string{"sdk", "api key", "developer portal", "idempotency"},
			Labels:      []string{"goal:sdk-v2"}, Epics: []string{"PLAT-1"}},
		{ID: "plat-availability", Team: "platform", Parent: "reliability", Title: "99.95% public API availability",
			Description: "The public API meets its availability objective with automatic failover.",
			Keywords:    []string{"availability", "failover", "slo", "latency"},
			Labels:      []string{"goal:availability"}, Epics: []string{"PLAT-2"}},
		{ID: "data-revenue", Team: "data", Parent: "self-serve", Title: "Trusted revenue dashboard",
			Description: "One revenue dashboard by plan, channel and country that finance and product both trust.",
			Keywords:    []string{"revenue", "dashboard", "mrr", "attribution"},
			Labels:      []string{"goal:revenue-dashboard"}, Epics: []string{"DATA-1"}},
		{ID: "data-freshness", Team: "data", Parent: "reliability", Title: "Warehouse fresh within an hour",
			Description: "Every warehouse table lags production by less than an hour.",
			Keywords:    []string{"freshness", "lag", "backfill", "pipeline"},
			Labels:      []string{"goal:freshness"}, Epics: []string{"DATA-2"}},
		{ID: "growth-onboarding", Team: "growth", Parent: "self-serve", Title: "Onboarding in five minutes",
			Description: "A new customer goes from sign-up to first successful payment in five minutes.",
			Keywords:    []string{"onboarding", "signup", "trial", "activation"},
			Labels:      []string{"goal:onboarding"}},
		{ID: "growth-localise", Team: "growth", Parent: "eu-launch", Title: "Localise the web signup",
			Description: "Sign-up and billing pages in German and French.",
			Keywords:    []string{"localisation", "translation", "german", "french"},
			Labels:      []string{"goal:localise"}},
		{ID: "mobile-wallet", Team: "mobile", Parent: "self-serve", Title: "Apple Pay and Google Pay in the app",
			Description: "Customers pay in the app with their phone's wallet.",
			Keywords:    []string{"apple pay", "google pay", "wallet"},
			Labels:      []string{"goal:wallet"}},
		{ID: "mobile-crash-free", Team: "mobile", Parent: "reliability", Title: "99.8% crash-free sessions",
			Description: "The app crashes in fewer than one session in five hundred.",
			Keywords:    []string{"crash", "anr", "crash-free", "stability"},
			Labels:      []string{"goal:crash-free"}},
	}
}

// orgConfig writes the sample ladder.yaml from the same teams and goals the
// Org carries, so the two cannot drift apart, syncing repos and projects.
func orgConfig(teams []ladder.Team, goals []ladder.Goal, repos, projects []string) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("# Acme's Ladder config for the sandbox trackers (`ladder demo`, `ladder sandbox`).")
	w("store: {{.Store}}")
	w("fiscal_year_start_month: %d", int(FiscalYearStart))
	w("")
	w("trackers:")
	w("  - name: %s", GitHubTracker)
	w("    kind: github")
	w("    url: {{.GitHubURL}}")
	w("    token_env: %s", GitHubTokenEnv)
	w("    repos: %s", yamlList(repos))
	w("    write_interval: 10ms # the sandbox answers at once; real GitHub wants >= 1s between writes")
	w("  - name: %s", JiraTracker)
	w("    kind: jira")
	w(`    deployment: {{or .JiraDeployment "cloud"}}`)
	w("    url: {{.JiraURL}}")
	w(`{{if ne .JiraDeployment "datacenter"}}    user_env: %s`, JiraEmailEnv)
	w("{{end}}    token_env: %s # Cloud: an API token; Data Center: a personal access token", JiraTokenEnv)
	w("    jql: project in (%s)", strings.Join(projects, ", "))
	w("    story_points_field: auto")
	w("    write_interval: 10ms")
	w("")
	w("teams:")
	for _, t := range teams {
		w("  - name: %s", yamlString(t.Name))
		for _, kv := range []struct {
			key  string
			vals []string
		}{
			{"jira_projects", t.JiraProjects},
			{"github_repos", t.GitHubRepos},
			{"components", t.Components},
			{"labels", t.Labels},
			{"members", t.Members},
		} {
			if len(kv.vals) > 0 {
				w("    %s: %s", kv.key, yamlList(kv.vals))
			}
		}
		w("    tech_debt_target: {min: %g, max: %g}", t.TechDebtTarget.Min, t.TechDebtTarget.Max)
	}
	w("")
	w("goals:")
	for _, g := range goals {
		w("  - id: %s", yamlString(g.ID))
		if g.Team != "" {
			w("    team: %s", yamlString(g.Team))
			w("    parent: %s", yamlString(g.Parent))
		}
		w("    title: %s", yamlString(g.Title))
		w("    description: %s", yamlString(g.Description))
		if g.Quarter != "" {
			w("    quarter: %s", g.Quarter)
		}
		if len(g.Keywords) > 0 {
			w("    keywords: %s", yamlList(g.Keywords))
		}
		if len(g.Labels) > 0 {
			w("    labels: %s", yamlList(g.Labels))
		}
		if len(g.Epics) > 0 {
			w("    epics: %s", yamlList(g.Epics))
		}
	}
	w("")
	w("techdebt:")
	w("  labels: %s", yamlList(orgDebtLabels))
	w("  types: %s", yamlList(orgDebtTypes))
	w("")
	w("writeback:")
	w("  dry_run: true")
	w("  comment_on: [cross_team, unaligned, tech_debt]")
	w("  opt_out_label: %s", OptOutLabel)
	w("  summary_issue: %s:%s", GitHubTracker, SummaryIssue)
	return b.String()
}

// OptOutLabel is the label the sample config tells Ladder to leave alone.
const OptOutLabel = "ladder-ignore"

// SummaryIssue is the GitHub issue the sample config publishes the report to.
const SummaryIssue = "acme/planning#1"

var (
	orgRepos      = []string{"acme/web", "acme/mobile", "acme/platform-sdk"}
	orgProjects   = []string{"PAY", "PLAT", "DATA", "OPS"}
	orgDebtLabels = []string{"tech-debt", "refactor"}
	orgDebtTypes  = []string{"Technical Debt"}
)

var yamlPlain = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9 ._/+-]*$`)

// yamlString quotes s unless it is a plain YAML scalar that reads back as the
// same string (no colon, hash, leading digit or YAML keyword).
func yamlString(s string) string {
	switch strings.ToLower(s) {
	case "yes", "no", "true", "false", "on", "off", "null", "y", "n":
		return strconv.Quote(s)
	}
	if yamlPlain.MatchString(s) && !strings.HasSuffix(s, " ") {
		return s
	}
	return strconv.Quote(s)
}

// yamlList writes a flow sequence, quoting items with spaces for the reader's sake.
func yamlList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = yamlString(x)
		if strings.Contains(x, " ") {
			q[i] = strconv.Quote(x)
		}
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// seed is one hand-written issue. Times are not written down: the builder
// spreads each project's issues of one quarter over that quarter in the order
// they are listed, so keys grow with creation time as in a real tracker.
type seed struct {
	key   string                // PAY-12, acme/web#12
	typ   string                // Jira issue type; GitHub issue type or ""
	st    ladder.StatusCategory // todo, in_progress, done
	q     int                   // fiscal quarters before now's (0..3)
	pts   float64               // story points; 0 = not estimated
	who   string                // assignee; "" = unassigned
	lbl   string                // comma-separated labels
	comp  string                // comma-separated components
	epic  string                // parent key
	title string
	body  string // a small Markdown subset, rendered to each tracker's markup
}

// edge is a native tracker link between two issues, written from the waiting
// (or linking) side; the builder adds the other side as the tracker would.
type edge struct {
	from, to string // tracker:key
	kind     ladder.LinkKind
	via      string
}

// note is a comment on an issue, written in the same Markdown subset.
type note struct {
	key  string // tracker:key
	who  string
	text string
}

const (
	todo  = ladder.StatusTodo
	doing = ladder.StatusInProgress
	done  = ladder.StatusDone
)

type orgBuilder struct {
	now    time.Time
	byRef  map[ladder.Ref]*ladder.Issue
	order  []ladder.Ref // as added
	seeds  map[ladder.Ref]seed
	groups map[string]int     // project/quarter → issues in it
	pos    map[ladder.Ref]int // the issue's place in its group
	ids    int
}

func newOrgBuilder(now time.Time) *orgBuilder {
	return &orgBuilder{
		now:    now,
		byRef:  map[ladder.Ref]*ladder.Issue{},
		seeds:  map[ladder.Ref]seed{},
		groups: map[string]int{},
		pos:    map[ladder.Ref]int{},
	}
}

func (b *orgBuilder) add(tracker string, s seed) {
	ref := ladder.Ref{Tracker: tracker, Key: s.key}
	if _, dup := b.byRef[ref]; dup {
		panic("sandbox: duplicate sample issue " + ref.String())
	}
	b.ids++
	is := &ladder.Issue{
		Ref:            ref,
		Type:           s.typ,
		Title:          s.title,
		Body:           plainText(s.body),
		Labels:         splitList(s.lbl),
		Components:     splitList(s.comp),
		StatusCategory: s.st,
		Assignee:       s.who,
		Parent:         s.epic,
	}
	switch tracker {
	case JiraTracker:
		is.ID = strconv.Itoa(10000 + b.ids)
		is.Project, _, _ = strings.Cut(s.key, "-")
		is.URL = "https://acme.atlassian.net/browse/" + s.key
		is.BodyRaw = wikiMarkup(s.body)
		is.Status = jiraStatus[s.st]
		if s.pts > 0 {
			is.Estimate = new(s.pts)
		}
	case GitHubTracker:
		repo, n, _ := strings.Cut(s.key, "#")
		is.ID = strconv.Itoa(2400000000 + 7*b.ids)
		is.Project = repo
		is.URL = "https://github.com/" + repo + "/issues/" + n
		is.BodyRaw = s.body
		is.Status = "open"
		if s.st == done {
			is.Status = "closed"
		}
	}
	is.Reporter = projectLead[is.Project]
	b.byRef[ref] = is
	b.seeds[ref] = s
	b.order = append(b.order, ref)
	g := is.Project + "/" + strconv.Itoa(s.q)
	b.pos[ref] = b.groups[g]
	b.groups[g]++
}

// finish places every issue in time, then adds parent and child links, the
// written links with their other halves, and comments.
func (b *orgBuilder) finish() {
	b.placeInTime()
	for _, ref := range b.order {
		is := b.byRef[ref]
		if is.Parent == "" {
			continue
		}
		parent := ladder.Ref{Tracker: ref.Tracker, Key: is.Parent}
		if b.byRef[parent] == nil {
			panic("sandbox: " + ref.String() + " names unknown parent " + is.Parent)
		}
		// GitHub lists sub-issues on the parent; Jira only names the epic on the child.
		if ref.Tracker == GitHubTracker {
			b.addLink(parent, ladder.Link{Kind: ladder.ChildOf, To: ref, Via: "sub-issue"})
		}
	}
	for _, e := range orgEdges {
		from, to := mustRef(e.from), mustRef(e.to)
		if b.byRef[from] == nil || b.byRef[to] == nil {
			panic("sandbox: link between unknown issues " + e.from + " → " + e.to)
		}
		b.addLink(from, ladder.Link{Kind: e.kind, To: to, Via: e.via})
		if back, ok := reverseKind[e.kind]; ok {
			b.addLink(to, ladder.Link{Kind: back, To: from, Via: e.via})
		}
	}
	b.comment()
}

// placeInTime spreads the issues of each project and quarter evenly over the
// first four fifths of that quarter (up to now for the current one), so work
// done in a quarter is resolved within it, and gives large work in progress a
// due date at the end of the current quarter.
func (b *orgBuilder) placeInTime() {
	cur := ladder.QuarterOf(b.now, FiscalYearStart)
	for _, ref := range b.order {
		is, s := b.byRef[ref], b.seeds[ref]
		q := cur
		for range s.q {
			q = q.Prev()
		}
		start := q.Start(FiscalYearStart, time.UTC)
		end := nextQuarter(q).Start(FiscalYearStart, time.UTC)
		if end.After(b.now) {
			end = b.now
		}
		n := b.groups[is.Project+"/"+strconv.Itoa(s.q)]
		at := float64(end.Sub(start)) * 0.8 * (float64(b.pos[ref]) + 0.5) / float64(n)
		is.Created = start.Add(time.Duration(at)).Truncate(time.Minute)
		is.Updated = is.Created
		switch is.StatusCategory {
		case done:
			took := min(time.Duration(2+hash(ref.Key)%20)*24*time.Hour, end.Sub(is.Created)-time.Hour)
			r := is.Created.Add(max(took, 0)).Truncate(time.Minute)
			is.Resolved = &r
			is.Updated = r
		case doing:
			is.Updated = is.Created.Add(b.now.Sub(is.Created) / 2).Truncate(time.Minute)
			if s.pts >= 5 {
				due := nextQuarter(cur).Start(FiscalYearStart, time.UTC).AddDate(0, 0, -1)
				is.Due = &due
			}
		}
	}
}

var reverseKind = map[ladder.LinkKind]ladder.LinkKind{
	ladder.BlockedBy: ladder.Blocks,
	ladder.Blocks:    ladder.BlockedBy,
	ladder.DependsOn: ladder.Blocks,
	ladder.Relates:   ladder.Relates,
}

func (b *orgBuilder) addLink(from ladder.Ref, l ladder.Link) {
	is := b.byRef[from]
	is.Links = append(is.Links, l)
}

// comment attaches the written notes, then a few ordinary comments from the
// pool to other issues, so that about two issues in three have a conversation.
func (b *orgBuilder) comment() {
	written := map[ladder.Ref][]note{}
	for _, n := range orgNotes {
		ref := mustRef(n.key)
		if b.byRef[ref] == nil {
			panic("sandbox: note on unknown issue " + n.key)
		}
		written[ref] = append(written[ref], n)
	}
	for i, ref := range b.order {
		is := b.byRef[ref]
		notes := written[ref]
		if notes == nil && ref.Key != SummaryIssue {
			h := hash(ref.Key)
			for k := range int(h % 3) {
				p := poolNotes[(h/3+uint32(k)*7)%uint32(len(poolNotes))]
				notes = append(notes, note{who: commenter(is, k), text: p})
			}
		}
		end := b.now
		if is.Resolved != nil {
			end = *is.Resolved
		}
		for k, n := range notes {
			at := is.Created.Add(end.Sub(is.Created) * time.Duration(k+1) / time.Duration(len(notes)+1)).Truncate(time.Minute)
			c := ladder.Comment{
				ID:      strconv.Itoa(500000 + i*10 + k),
				Author:  n.who,
				Created: at,
				Body:    plainText(n.text),
				Raw:     n.text,
			}
			if ref.Tracker == JiraTracker {
				c.Raw = wikiMarkup(n.text)
			}
			is.Comments = append(is.Comments, c)
			if at.After(is.Updated) {
				is.Updated = at
			}
		}
	}
}

// commenter picks someone other than the assignee from the issue's project.
func commenter(is *ladder.Issue, k int) string {
	people := projectPeople[is.Project]
	if len(people) == 0 {
		return projectLead[is.Project]
	}
	for j := range people {
		p := people[(int(hash(is.Key))+k+j)%len(people)]
		if p != is.Assignee {
			return p
		}
	}
	return people[0]
}

func (b *orgBuilder) issues(tracker string) []ladder.Issue {
	var out []ladder.Issue
	for _, ref := range b.order {
		if ref.Tracker == tracker {
			out = append(out, *b.byRef[ref])
		}
	}
	return out
}

func nextQuarter(q ladder.Quarter) ladder.Quarter {
	if q.Q == 4 {
		return ladder.Quarter{FY: q.FY + 1, Q: 1}
	}
	return ladder.Quarter{FY: q.FY, Q: q.Q + 1}
}

func mustRef(s string) ladder.Ref {
	r, err := ladder.ParseRef(s)
	if err != nil {
		panic("sandbox: " + err.Error())
	}
	return r
}

func hash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

var jiraStatus = map[ladder.StatusCategory]string{todo: "To Do", doing: "In Progress", done: "Done"}

// Markup. Sample bodies are written once in a small Markdown subset —
// paragraphs, "### " headings, "- " bullets, ``` fences, **bold**, `code`,
// [text](url) — and rendered to Jira wiki markup, kept as GitHub Markdown,
// and reduced to the plain text connectors hand the analyzer.

var (
	mdBold = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	mdCode = regexp.MustCompile("`([^`]+)`")
	mdLink = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)\)`)
)

func wikiMarkup(md string) string {
	var b strings.Builder
	fenced := false
	for i, line := range strings.Split(md, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		if lang, ok := strings.CutPrefix(line, "```"); ok {
			switch {
			case fenced:
				b.WriteString("{code}")
			case lang != "":
				b.WriteString("{code:" + lang + "}")
			default:
				b.WriteString("{code}")
			}
			fenced = !fenced
			continue
		}
		if fenced {
			b.WriteString(line)
			continue
		}
		if h, ok := strings.CutPrefix(line, "### "); ok {
			line = "h3. " + h
		} else if item, ok := strings.CutPrefix(line, "- "); ok {
			line = "* " + item
		}
		line = mdLink.ReplaceAllString(line, "[$1|$2]")
		line = mdCode.ReplaceAllString(line, "{{$1}}")
		line = mdBold.ReplaceAllString(line, "*$1*")
		b.WriteString(line)
	}
	return b.String()
}

func plainText(md string) string {
	var b strings.Builder
	for i, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "```") {
			continue
		}
		if i > 0 && b.Len() > 0 {
			b.WriteByte('\n')
		}
		line = strings.TrimPrefix(line, "### ")
		line = mdLink.ReplaceAllString(line, "$1 ($2)")
		line = mdCode.ReplaceAllString(line, "$1")
		line = mdBold.ReplaceAllString(line, "$1")
		b.WriteString(line)
	}
	return strings.TrimSpace(b.String())
}

// People. Handles are the same in both trackers so that the mobile team's
// member list matches its assignees everywhere.
var projectPeople = map[string][]string{
	"PAY":               {"priya-raman", "lukas-berg", "sofia-alvarez", "daniel-okafor"},
	"PLAT":              {"hannah-weiss", "ravi-kumar", "jonas-lind", "marta-kowalska", "yusuf-demir"},
	"DATA":              {"chen-wei", "fatima-haddad", "olu-adeyemi"},
	"OPS":               {"kim-sato", "hannah-weiss", "tomas-novak"},
	"acme/web":          {"emma-dubois", "noah-fischer", "isabel-costa", "sam-porter"},
	"acme/mobile":       {"mei-tanaka", "tomas-novak", "ama-owusu", "kofi-mensah"},
	"acme/platform-sdk": {"ravi-kumar", "jonas-lind", "yusuf-demir"},
	"acme/planning":     {"grace-lee"},
}

var projectLead = map[string]string{
	"PAY":               "grace-lee",
	"PLAT":              "victor-hale",
	"DATA":              "nadia-rossi",
	"OPS":               "kim-sato",
	"acme/web":          "arjun-mehta",
	"acme/mobile":       "lena-park",
	"acme/platform-sdk": "victor-hale",
	"acme/planning":     "grace-lee",
}

// Issues of each project in creation order. PAY — payments: below its debt
// band in the current quarter, as checkout eats everything.
var paySeeds = []seed{
	{key: "PAY-1", typ: "Epic", st: doing, q: 3, who: "priya-raman", lbl: "goal:checkout", comp: "Checkout",
		title: "One-page checkout",
		body: "### Why\nThe three-step checkout loses a third of buyers between the cart and the payment form. " +
			"One page with the cart summary, the card form and the address side by side.\n\n" +
			"### Scope\n- Single page layout behind the `checkout_v3` flag\n- Card form with inline validation\n- Saved cards for returning customers\n- Prefill from sign-up\n\n" +
			"Design: [Figma](https://www.figma.com/file/acme-checkout-v3)"},
	{key: "PAY-2", typ: "Epic", st: todo, q: 3, who: "lukas-berg", lbl: "goal:sepa", comp: "Billing",
		title: "SEPA Direct Debit",
		body: "Let EU customers pay by direct debit from their bank account. Needs mandate capture, IBAN validation and the " +
			"longer settlement window (D+2 to D+5) in the ledger.\n\nParked until the EU launch is staffed."},
	{key: "PAY-3", typ: "Story", st: done, q: 3, pts: 5, who: "priya-raman", comp: "Checkout", epic: "PAY-1", lbl: "goal:checkout",
		title: "Checkout v3 page skeleton behind a feature flag",
		body:  "Render the new single-page checkout at `/checkout/v3` when `checkout_v3` is on for the account. No payment yet, just the layout and the cart summary."},
	{key: "PAY-4", typ: "Bug", st: done, q: 3, pts: 2, who: "daniel-okafor", comp: "Billing",
		title: "Proration credit shown twice on the upgrade invoice",
		body: "Upgrading from Starter to Growth mid-cycle shows the proration credit line twice on the PDF invoice. Totals are right, only the rendering duplicates it.\n\n" +
			"### Steps\n- Subscribe to Starter\n- Upgrade to Growth on day 10\n- Open the invoice PDF"},
	{key: "PAY-5", typ: "Technical Debt", st: done, q: 3, pts: 3, who: "lukas-berg", comp: "Ledger", lbl: "tech-debt",
		title: "Replace hand-rolled retry loop in ledger client",
		body: "The ledger client retries with a `for i := 0; i < 5; i++` loop and a fixed 200ms sleep, so a ledger brown-out turns into a thundering herd. " +
			"Use the shared backoff package with jitter and respect `Retry-After`."},
	{key: "PAY-6", typ: "Story", st: done, q: 3, pts: 3, who: "sofia-alvarez", comp: "Checkout", epic: "PAY-1",
		title: "Card form with inline validation",
		body:  "Validate card number (Luhn), expiry and CVC as the customer types, with error text under the field instead of a banner after submit."},
	{key: "PAY-7", typ: "Task", st: done, q: 3, pts: 1, who: "daniel-okafor", comp: "Payouts",
		title: "Update payout bank holiday calendar for next year",
		body:  "Add next year's TARGET2 and Fedwire holidays so payouts are not scheduled on closed days."},
	{key: "PAY-8", typ: "Bug", st: done, q: 3, pts: 3, who: "priya-raman", comp: "Checkout",
		title: "3-D Secure challenge iframe cut off on small screens",
		body:  "On screens narrower than 380px the issuer's challenge page is clipped and the Submit button is unreachable. Seen with two UK issuers."},
	{key: "PAY-9", typ: "Technical Debt", st: done, q: 3, pts: 5, who: "lukas-berg", comp: "Ledger",
		title: "Remove the legacy v1 webhook dispatcher from the payments service",
		body: "Everything now goes through the platform event bus; the v1 dispatcher only still runs because two merchants had custom endpoints. " +
			"Both have migrated. Delete `webhooks/v1`, its cron and the `webhook_attempts_v1` table."},
	{key: "PAY-10", typ: "Story", st: done, q: 3, pts: 5, who: "sofia-alvarez", comp: "Checkout", epic: "PAY-1",
		title: "Saved cards for returning customers",
		body:  "Show the customer's saved cards at the top of the payment form with the last four digits and expiry; a new card stays one click away."},
	{key: "PAY-11", typ: "Task", st: done, q: 3, pts: 2, who: "daniel-okafor", comp: "Billing",
		title: "Nightly export of failed payments to CSV",
		body:  "Finance wants a CSV of yesterday's failed payments (amount, currency, decline code, customer id) dropped in the shared bucket every night."},
	{key: "PAY-12", typ: "Bug", st: done, q: 3, pts: 1, who: "priya-raman", comp: "Billing",
		title: "Invoice PDF uses the server's time zone for the due date",
		body:  "Customers in Sydney see a due date one day early. Format the due date in the account's time zone."},
	{key: "PAY-13", typ: "Improvement", st: done, q: 3, pts: 2, who: "lukas-berg", comp: "Ledger", lbl: "refactor",
		title: "Split LedgerService into posting and query halves",
		body:  "`LedgerService` is 2,400 lines and every change touches both the write path and the reporting queries. Split it so the posting path can be reviewed on its own."},
	{key: "PAY-14", typ: "Story", st: todo, q: 3, pts: 8, comp: "Billing",
		title: "Dunning emails with a retry schedule per plan",
		body:  "Retry failed renewals on day 1, 3 and 7 and email the customer each time, with the schedule configurable per plan. Product wants to revisit after checkout."},
	{key: "PAY-15", typ: "Task", st: done, q: 3, pts: 1, who: "sofia-alvarez", comp: "Checkout",
		title: "Add checkout funnel events to the analytics tracker",
		body:  "Emit `checkout_viewed`, `payment_submitted` and `payment_succeeded` from the v3 page so we can compare conversion with the old flow."},

	{key: "PAY-16", typ: "Story", st: done, q: 2, pts: 5, who: "priya-raman", comp: "Checkout", epic: "PAY-1",
		title: "Address autocomplete on the checkout page",
		body:  "Use the address lookup API for billing addresses; fall back to free text when the lookup is down."},
	{key: "PAY-17", typ: "Bug", st: done, q: 2, pts: 3, who: "daniel-okafor", comp: "Payouts",
		title: "Payout batch skips merchants whose balance is exactly the minimum",
		body:  "The payout job uses `balance > minimum` where the contract says at least the minimum.\n\n```go\nif m.Balance > m.PayoutMinimum { // should be >=\n```"},
	{key: "PAY-18", typ: "Technical Debt", st: done, q: 2, pts: 3, who: "lukas-berg", comp: "Ledger",
		title: "Migrate ledger amounts from float64 to integer minor units",
		body:  "A handful of ledger paths still carry amounts as `float64` and round at the edges. Move them to `int64` minor units with the currency's exponent, as the rest of the ledger does."},
	{key: "PAY-19", typ: "Story", st: done, q: 2, pts: 8, who: "sofia-alvarez", comp: "Checkout", epic: "PAY-1", lbl: "goal:checkout",
		title: "Apple Pay and Google Pay buttons on the web checkout",
		body:  "Show the wallet buttons above the card form when the browser supports them. Uses the payment request API; tokens go through the same charge endpoint."},
	{key: "PAY-20", typ: "Task", st: done, q: 2, pts: 2, who: "daniel-okafor", comp: "Billing",
		title: "Rotate the invoice numbering sequence for the new fiscal year",
		body:  "Invoice numbers restart per fiscal year with the FY prefix. Prepare the sequence and test it on staging before February 1st."},
	{key: "PAY-21", typ: "Bug", st: done, q: 2, pts: 2, who: "priya-raman", comp: "Checkout", epic: "PAY-1",
		title: "Coupon field clears the cart on Safari",
		body:  "Applying a coupon on Safari 17 reloads the page and empties the cart. The form submit is not prevented."},
	{key: "PAY-22", typ: "Story", st: done, q: 2, pts: 3, who: "lukas-berg", comp: "Ledger",
		title: "Ledger report of unsettled captures older than seven days",
		body:  "Ops asked for a daily list of captures that have not settled after seven days, grouped by acquirer."},
	{key: "PAY-23", typ: "Technical Debt", st: done, q: 2, pts: 2, who: "daniel-okafor", comp: "Payouts", lbl: "tech-debt",
		title: "Flaky test in SettlementReconcilerTest",
		body: "`SettlementReconcilerTest.reconcilesPartialRefunds` fails about one run in twenty on CI. It depends on map iteration order when it builds the expected rows.\n\n" +
			"```\nexpected: [r1 r2] got: [r2 r1]\n```"},
	{key: "PAY-24", typ: "Story", st: done, q: 2, pts: 5, who: "sofia-alvarez", comp: "Checkout", epic: "PAY-1",
		title: "Show taxes and fees in the cart summary before payment",
		body:  "Customers complain about surprise VAT at the last step. Compute tax as soon as the country is known and show it in the cart summary."},
	{key: "PAY-25", typ: "Bug", st: done, q: 2, pts: 1, who: "daniel-okafor", comp: "Billing",
		title: "Refund email says 'undefined' for the card brand",
		body:  "Refunds issued from the admin tool send an email with **undefined** where the card brand should be. The admin path does not load the payment method."},
	{key: "PAY-26", typ: "Improvement", st: done, q: 2, pts: 3, who: "priya-raman", comp: "Checkout", lbl: "refactor",
		title: "Extract price formatting into one currency helper",
		body:  "Checkout, invoices and emails each format money differently (JPY shows decimals in two of them). One helper, one set of tests."},
	{key: "PAY-27", typ: "Story", st: done, q: 2, pts: 3, who: "lukas-berg", comp: "Billing",
		title: "Let customers download all invoices as a zip",
		body:  "Accountants ask for a year of invoices at once. Add a \"Download all\" action that builds a zip in the background and emails a link."},
	{key: "PAY-28", typ: "Task", st: done, q: 2, pts: 2, who: "sofia-alvarez", comp: "Checkout",
		title: "A/B test: one-page checkout vs. the three-step flow",
		body:  "Run the v3 page for 20% of new buyers for two weeks. Success metric: paid conversion from cart view."},
	{key: "PAY-29", typ: "Bug", st: todo, q: 2, pts: 2, comp: "Payouts",
		title: "Payout CSV has a trailing comma on every line",
		body:  "Two merchants' accounting tools reject the payout export because each row ends with a comma."},

	{key: "PAY-30", typ: "Story", st: done, q: 1, pts: 5, who: "priya-raman", comp: "Checkout", epic: "PAY-1", lbl: "goal:checkout",
		title: "Remember the chosen payment method for the next purchase",
		body:  "Pre-select the last payment method the customer used, including wallets, on the one-page checkout."},
	{key: "PAY-31", typ: "Bug", st: done, q: 1, pts: 3, who: "daniel-okafor", comp: "Checkout", epic: "PAY-1",
		title: "Double charge when the pay button is clicked twice on slow networks",
		body: "Two captures for one order when the customer clicks **Pay** twice within a second on 3G. The button is not disabled and the charge request has no idempotency key.\n\n" +
			"Refunded both affected customers by hand."},
	{key: "PAY-32", typ: "Story", st: done, q: 1, pts: 3, who: "sofia-alvarez", comp: "Checkout", epic: "PAY-1",
		title: "Guest checkout without creating an account",
		body:  "Let buyers pay with just an email; offer to create the account on the receipt page."},
	{key: "PAY-33", typ: "Task", st: done, q: 1, pts: 1, who: "lukas-berg", comp: "Ledger",
		title: "Archive ledger partitions older than seven years",
		body:  "Retention policy allows moving ledger partitions older than seven years to cold storage. Script the move and run it once."},
	{key: "PAY-34", typ: "Technical Debt", st: done, q: 1, pts: 3, who: "lukas-berg", comp: "Ledger", lbl: "tech-debt",
		title: "Drop the dual-write to the old balances table",
		body:  "Since the ledger migration every posting writes to `balances` and `balances_legacy`. Nothing reads the legacy table any more; remove the dual write and the table."},
	{key: "PAY-35", typ: "Story", st: done, q: 1, pts: 5, who: "priya-raman", comp: "Checkout", epic: "PAY-1",
		title: "Inline coupon and gift card entry on the payment form",
		body:  "Move the coupon field onto the payment form and accept gift cards in the same field."},
	{key: "PAY-36", typ: "Bug", st: done, q: 1, pts: 2, who: "daniel-okafor", comp: "Billing",
		title: "Annual plan renewal charges the monthly price",
		body:  "Customers who switched from monthly to annual in the last week of a cycle were renewed at the monthly price. 14 accounts affected; see the query in the comments."},
	{key: "PAY-37", typ: "Story", st: done, q: 1, pts: 2, who: "sofia-alvarez", comp: "Checkout", epic: "PAY-1",
		title: "Show the order summary on the receipt page",
		body:  "After payment, show what was bought, the amount charged and a link to the invoice."},
	{key: "PAY-38", typ: "Task", st: doing, q: 1, pts: 3, who: "lukas-berg", comp: "Payouts",
		title: "Move payout scheduling to the platform job runner v2",
		body:  "Payout scheduling still runs on the legacy cron box. Platform asked every team to move to job runner v2 this year."},
	{key: "PAY-39", typ: "Story", st: done, q: 1, pts: 3, who: "priya-raman", comp: "Checkout", epic: "PAY-1",
		title: "Accessible error messages on the card form",
		body:  "Screen readers do not announce card form errors. Tie each error to its field with `aria-describedby` and move focus to the first error."},
	{key: "PAY-40", typ: "Bug", st: done, q: 1, pts: 1, who: "sofia-alvarez", comp: "Checkout",
		title: "Cart total rounds 0.5 cents the wrong way for HUF",
		body:  "HUF has no minor unit in practice; the cart rounds half-down where the invoice rounds half-up, so the two differ by 1 Ft."},
	{key: "PAY-41", typ: "Story", st: doing, q: 1, pts: 8, who: "priya-raman", comp: "Checkout", epic: "PAY-1", lbl: "goal:checkout",
		title: "Accept network-tokenized wallet payments in the charge API",
		body: "The mobile apps need to charge Apple Pay and Google Pay tokens through the same endpoint the one-page checkout uses. " +
			"The charge API has to accept `payment_method.type = network_token` and pass the cryptogram to the acquirer.\n\n" +
			"Needs the vault to decrypt wallet payloads first (blocked by PLAT-64)."},
	{key: "PAY-42", typ: "Task", st: done, q: 1, pts: 2, who: "daniel-okafor", comp: "Billing",
		title: "Add VAT numbers to invoices for B2B customers in the UK",
		body:  "UK business customers need their VAT number printed on the invoice; we already collect it at sign-up."},
	{key: "PAY-43", typ: "Story", st: doing, q: 1, pts: 5, who: "lukas-berg", comp: "Ledger",
		title: "Ledger API for refunds against split payments",
		body:  "A refund against a split payment has to reverse each leg in proportion. Add the ledger call that does it atomically."},
	{key: "PAY-44", typ: "Story", st: todo, q: 1, pts: 3, who: "sofia-alvarez", comp: "Checkout", epic: "PAY-1",
		title: "Partial refunds from the order page",
		body:  "Support wants to refund one item of an order from the order page. Blocked by the ledger work on split refunds."},

	{key: "PAY-45", typ: "Story", st: doing, q: 0, pts: 3, who: "sofia-alvarez", comp: "Checkout", epic: "PAY-1", lbl: "goal:checkout",
		title: "Accept a prefill token on the checkout page",
		body:  "Growth's sign-up flow wants to hand the buyer's name, email and plan to checkout. Accept a signed, short-lived prefill token in the checkout URL."},
	{key: "PAY-46", typ: "Story", st: done, q: 0, pts: 5, who: "priya-raman", comp: "Checkout", epic: "PAY-1",
		title: "Express checkout for returning customers in one click",
		body:  "Returning customers with a saved card and address get a single **Buy now** button that skips the payment form."},
	{key: "PAY-47", typ: "Story", st: todo, q: 0, pts: 3, who: "lukas-berg", comp: "Checkout", epic: "PAY-1",
		title: "Send idempotency keys on every charge retry",
		body: "After PAY-31 we want every charge to carry an `Idempotency-Key`, generated once per checkout attempt.\n\n" +
			"Needs acme/platform-sdk#12 so the SDK client passes the key through on its own retries."},
	{key: "PAY-48", typ: "Bug", st: done, q: 0, pts: 2, who: "daniel-okafor", comp: "Checkout", epic: "PAY-1",
		title: "Express checkout button flickers on page load",
		body:  "The Buy now button renders, disappears and comes back while saved cards load. Reserve its space and show a skeleton."},
	{key: "PAY-49", typ: "Story", st: done, q: 0, pts: 3, who: "sofia-alvarez", comp: "Checkout", epic: "PAY-1", lbl: "goal:checkout",
		title: "Checkout page loads in under one second on 4G",
		body:  "Largest contentful paint is 2.3s on a mid-range phone. Split the card form bundle, preload the font, drop the unused date library."},
	{key: "PAY-50", typ: "Task", st: done, q: 0, pts: 1, who: "priya-raman", comp: "Checkout",
		title: "Turn checkout v3 on for all new accounts",
		body:  "The A/B test won (+6.1% paid conversion). Make v3 the default for new accounts; existing accounts follow next month."},
	{key: "PAY-51", typ: "Bug", st: doing, q: 0, pts: 2, who: "daniel-okafor", comp: "Checkout", epic: "PAY-1",
		title: "Cart summary shows the old price after a plan change",
		body:  "Switching plans on the checkout page keeps the previous price in the summary until reload."},
	{key: "PAY-52", typ: "Story", st: todo, q: 0, pts: 5, who: "lukas-berg", comp: "Payouts",
		title: "Switch payout reports to logical replication",
		body:  "Payout reports read straight from the shared Postgres replica. Move them to a logical replication slot so the replica can be retired. Needs pg16 on the shared cluster."},
	{key: "PAY-53", typ: "Story", st: done, q: 0, pts: 3, who: "sofia-alvarez", comp: "Checkout", epic: "PAY-1",
		title: "Trust badges and refund policy next to the pay button",
		body:  "Research says first-time buyers hesitate at the pay button. Add the refund policy summary and card brand logos beside it."},
	{key: "PAY-54", typ: "Task", st: todo, q: 0, comp: "Billing", lbl: OptOutLabel,
		title: "Security review notes for the card vault (internal)",
		body:  "Findings from the annual vault review. Kept here for the auditors; nothing to plan."},
	{key: "PAY-55", typ: "Bug", st: todo, q: 0, pts: 5, who: "daniel-okafor", comp: "Payouts",
		title: "Settlement reconciler times out on month-end batches",
		body: "On the last day of the month the reconciler's batch query runs past its 30s statement timeout and the whole run is retried from scratch.\n\n" +
			"We are blocked by PLAT-88: the batch pool on pgbouncer only allows 10 connections."},
	{key: "PAY-56", typ: "Story", st: doing, q: 0, pts: 5, who: "priya-raman", comp: "Checkout", epic: "PAY-1", lbl: "goal:checkout",
		title: "Checkout in the customer's currency with live FX rates",
		body:  "Show prices in the buyer's local currency on the checkout page and lock the rate for 15 minutes."},
	{key: "PAY-57", typ: "Story", st: todo, q: 0, pts: 5, comp: "Ledger",
		title: "Publish ledger events to the warehouse topic",
		body: "Data needs every ledger posting as an event on the `ledger.postings.v1` topic (amount, currency, account, plan) to build revenue by plan. " +
			"Today they scrape the replica. Nobody on payments has picked this up yet."},
	{key: "PAY-58", typ: "Bug", st: done, q: 0, pts: 1, who: "daniel-okafor", comp: "Checkout", epic: "PAY-1",
		title: "Postcode field rejects valid Irish Eircodes",
		body:  "The postcode regex is UK-only; `D02 X285` is refused. Skip postcode validation for IE."},
	{key: "PAY-59", typ: "Story", st: todo, q: 0, pts: 3, who: "sofia-alvarez", comp: "Checkout", epic: "PAY-1",
		title: "Save the cart when the payment fails",
		body:  "A declined card sends the buyer back to an empty cart. Keep the cart and show the decline reason above the card form."},
	{key: "PAY-60", typ: "Story", st: todo, q: 0, pts: 3, comp: "Billing",
		title: "Paginated invoice listing endpoint",
		body:  "`GET /v1/invoices` returns every invoice of an account in one response and times out for large accounts. Add cursor pagination. The web team needs it for the invoice history page."},
	{key: "PAY-61", typ: "Task", st: done, q: 0, pts: 2, who: "lukas-berg", comp: "Ledger",
		title: "Alert when ledger postings and acquirer settlements drift apart",
		body:  "Page the payments on-call when the daily difference between ledger postings and acquirer settlement files exceeds 0.01%."},
	{key: "PAY-62", typ: "Story", st: doing, q: 0, pts: 5, who: "priya-raman", comp: "Checkout", epic: "PAY-1",
		title: "Buy-now-pay-later option on the payment form",
		body:  "Offer pay in three instalments for carts above 100 EUR through the BNPL partner, shown as a third tab next to card and wallet."},
	{key: "PAY-63", typ: "Technical Debt", st: todo, q: 0, pts: 2, who: "lukas-berg", comp: "Ledger", lbl: "tech-debt",
		title: "Delete the unused legacy refund endpoint",
		body:  "`POST /internal/refunds/legacy` has had no traffic for 90 days. Remove the handler and its feature flag."},
}

var planningSeeds = []seed{
	{key: "acme/planning#1", st: todo, q: 0, who: "grace-lee", lbl: OptOutLabel,
		title: "Quarterly planning: goals, debt and dependencies",
		body:  "Ladder keeps this issue up to date with the team/quarter report. Edit the goals in `ladder.yaml`, not here."},
}

// orgEdges are the native links: Jira issue links (Via = the link type's
// name) and GitHub issue dependencies. References in text ("blocked by
// PLAT-88", a GitHub URL in a Jira description) live in the bodies only, as
// in the real trackers.
var orgEdges = []edge{
	// Inside a team.
	{from: "jira:PAY-44", to: "jira:PAY-43", kind: ladder.BlockedBy, via: "Blocks"},
	{from: "jira:PLAT-51", to: "jira:PLAT-70", kind: ladder.BlockedBy, via: "Blocks"},
	{from: "jira:PLAT-58", to: "jira:PLAT-51", kind: ladder.BlockedBy, via: "Blocks"},
	{from: "jira:PLAT-75", to: "jira:PLAT-51", kind: ladder.BlockedBy, via: "Blocks"},
	{from: "jira:PLAT-85", to: "jira:PLAT-70", kind: ladder.DependsOn, via: "Dependency"},
	{from: "jira:DATA-43", to: "jira:DATA-31", kind: ladder.BlockedBy, via: "Blocks"},
	{from: "gh:acme/web#30", to: "gh:acme/web#28", kind: ladder.BlockedBy, via: "github dependency"},
	{from: "gh:acme/mobile#35", to: "gh:acme/mobile#34", kind: ladder.BlockedBy, via: "github dependency"},

	// The longest chain: acme/mobile#31 → PAY-41 (in text) → PLAT-64 → PLAT-66 → DATA-40.
	{from: "jira:PAY-41", to: "jira:PLAT-64", kind: ladder.BlockedBy, via: "Blocks"},
	{from: "jira:PLAT-64", to: "jira:PLAT-66", kind: ladder.DependsOn, via: "Dependency"},
	{from: "jira:PLAT-66", to: "jira:DATA-40", kind: ladder.BlockedBy, via: "Blocks"},

	// A cycle across three teams.
	{from: "jira:PLAT-71", to: "jira:DATA-33", kind: ladder.BlockedBy, via: "Blocks"},
	{from: "jira:DATA-33", to: "jira:PAY-52", kind: ladder.DependsOn, via: "Dependency"},
	{from: "jira:PAY-52", to: "jira:PLAT-71", kind: ladder.BlockedBy, via: "Blocks"},

	// Across teams: blockers no goal of their team covers …
	{from: "jira:DATA-35", to: "jira:PAY-57", kind: ladder.BlockedBy, via: "Blocks"},
	{from: "jira:DATA-36", to: "jira:PAY-57", kind: ladder.DependsOn, via: "Dependency"},
	{from: "jira:PLAT-51", to: "jira:PAY-38", kind: ladder.BlockedBy, via: "Blocks"},
	{from: "gh:acme/mobile#22", to: "gh:acme/platform-sdk#18", kind: ladder.BlockedBy, via: "github dependency"},
	// … and one that a goal does cover.
	{from: "gh:acme/web#30", to: "gh:acme/platform-sdk#9", kind: ladder.BlockedBy, via: "github dependency"},

	// Not waits.
	{from: "jira:PAY-47", to: "jira:PAY-31", kind: ladder.Relates, via: "Relates"},
	{from: "jira:PLAT-68", to: "jira:PLAT-25", kind: ladder.Relates, via: "Relates"},
	{from: "jira:OPS-11", to: "jira:PLAT-3", kind: ladder.Relates, via: "Relates"},
	{from: "jira:PAY-38", to: "jira:PLAT-19", kind: ladder.Relates, via: "Relates"},
}

// orgNotes are the comments that matter to the story: debt admitted in
// passing, and the conversation around the blockers.
var orgNotes = []note{
	{key: "jira:PAY-31", who: "daniel-okafor", text: "Disabled the button after the first click as a **workaround for now**. The real fix is idempotency keys on every charge (PAY-47)."},
	{key: "jira:PAY-31", who: "grace-lee", text: "Thanks. Both customers refunded and emailed."},
	{key: "jira:PAY-41", who: "priya-raman", text: "The vault side is PLAT-64; platform says it needs the per-merchant key hierarchy first."},
	{key: "jira:PAY-41", who: "mei-tanaka", text: "Mobile is ready on our side, the Apple Pay sheet works against a stub. Any date for this?"},
	{key: "jira:PAY-46", who: "priya-raman", text: "Shipped. The saved-address lookup is copied from the old checkout — we'll clean this up later, it works for now."},
	{key: "jira:PAY-49", who: "sofia-alvarez", text: "Down to 0.9s. I inlined the card form CSS by hand to get there; it is a hack until the build can extract critical CSS."},
	{key: "jira:PAY-51", who: "daniel-okafor", text: "Quick fix merged: we force a reload after the plan change. Temporary — the summary should subscribe to the plan store."},
	{key: "jira:PAY-56", who: "priya-raman", text: "FX rates are cached in a package-level map for now. We should clean this up after launch and read them from the rates service."},
	{key: "jira:PAY-57", who: "chen-wei", text: "Who on payments can take this? The revenue dashboard (DATA-35) is blocked on it and finance reviews it next month."},
	{key: "jira:PAY-57", who: "grace-lee", text: "Not this quarter, sorry: checkout comes first. Happy to look again at planning."},
	{key: "jira:PAY-58", who: "daniel-okafor", text: "Skipped postcode validation for IE entirely as a workaround for now; a proper Eircode check can come later."},
	{key: "jira:PAY-60", who: "emma-dubois", text: "Our invoice history page needs this; the largest accounts time out today."},
	{key: "jira:PLAT-68", who: "hannah-weiss", text: "Lowered the DNS TTL to 5s as a stopgap. TODO: have the gateway follow the failover event instead of DNS."},
	{key: "jira:PLAT-51", who: "jonas-lind", text: "Down to the billing export and the ownerless jobs. Payments' payout scheduling (PAY-38) is the other one left."},
	{key: "jira:PLAT-71", who: "yusuf-demir", text: "We cannot schedule the cutover while DATA-33 is open, and data is waiting on payments. Can we get the three leads in a room?"},
	{key: "jira:DATA-35", who: "nadia-rossi", text: "Still waiting on PAY-57. Without it we present the replica numbers again."},
	{key: "jira:DATA-34", who: "fatima-haddad", text: "Backfill now only rewrites partitions whose source rows changed. Cost of yesterday's fix: 4% of the last one."},
	{key: "jira:OPS-5", who: "tomas-novak", text: "Action items: backoff in the app (shipped in 5.9), pool size alert, rate limit per device on login."},
	{key: "jira:OPS-7", who: "kim-sato", text: "Still nobody. Raising it at the next leads meeting."},
	{key: "gh:acme/web#42", who: "noah-fischer", text: "Temporary workaround: the error now says to sign in with the password first. Proper account linking later."},
	{key: "gh:acme/web#25", who: "noah-fischer", text: "Linking to Settings → API keys for now. Will switch to inline creation when PLAT-30 is public."},
	{key: "gh:acme/mobile#31", who: "mei-tanaka", text: "Parking this until PAY-41 lands. The sheet, merchant ids and error states are done."},
	{key: "gh:acme/mobile#41", who: "ama-owusu", text: "6.2.1 wraps the font lookup in a fallback — a hack, but the crash is gone. The widget crash is still open."},
	{key: "gh:acme/mobile#22", who: "kofi-mensah", text: "We could move the first API call off `onCreate` as a workaround for now, but the real fix is acme/platform-sdk#18."},
	{key: "gh:acme/platform-sdk#12", who: "ravi-kumar", text: "Design agreed in the v2 doc. Not started; the legacy runner migration has the team until next month."},
}

// poolNotes are ordinary comments, handed out deterministically to the issues
// without written notes so that most issues have a conversation.
var poolNotes = []string{
	"Picked this up, PR coming tomorrow.",
	"Can you add a screenshot of what you see?",
	"Reproduced on staging with a fresh account.",
	"Merged, will go out with Thursday's release.",
	"Moving this to next sprint, we ran out of time.",
	"Talked to support: three more customers reported the same thing this week.",
	"Design review done, see the notes in the doc.",
	"Is this still needed after the last release?",
	"Added tests for the edge cases from the description.",
	"Deployed to production, monitoring for a day before closing.",
	"Pairing with **design** on the copy tomorrow.",
	"Estimate looks right to me.",
	"Verified in production, closing.",
	"The fix is behind a flag for now, rolling out to 10% first.",
	"Could we split this into two? The second half needs a product decision.",
	"Left a few review comments on the PR.",
	"This came up in the customer advisory board as well.",
	"Checked the logs: it started with last Tuesday's deploy.",
	"Ran the load test again, numbers are in the dashboard.",
	"+1, we hit this too.",
	"Product signed off on the behaviour described above.",
	"Rebased on main, CI is green.",
}

// PLAT — platform: above its debt band and climbing, as the legacy job runner
// and the v1 webhook dispatcher take more of every quarter. Keys have gaps, as
// in any real project (moved and deleted issues).
var platSeeds = []seed{
	{key: "PLAT-1", typ: "Epic", st: doing, q: 3, who: "ravi-kumar", lbl: "goal:sdk-v2", comp: "SDK",
		title: "Public SDK v2",
		body: "### Goal\nPartners integrate without a call with us: typed SDKs for Go, TypeScript and Kotlin, self-serve API keys and a developer portal.\n\n" +
			"### Out of scope\n- GraphQL\n- Webhook signing changes (separate epic)"},
	{key: "PLAT-2", typ: "Epic", st: doing, q: 3, who: "hannah-weiss", lbl: "goal:availability", comp: "API Gateway",
		title: "99.95% availability for the public API",
		body:  "Multi-zone gateway, automatic failover for the primary database, error budget alerts. Today we are at 99.87% over 90 days."},
	{key: "PLAT-3", typ: "Story", st: done, q: 3, pts: 5, who: "hannah-weiss", comp: "API Gateway", epic: "PLAT-2",
		title: "Run the API gateway in three availability zones",
		body:  "The gateway runs in one zone with a warm standby. Spread it over three zones behind the regional load balancer."},
	{key: "PLAT-4", typ: "Technical Debt", st: done, q: 3, pts: 8, who: "jonas-lind", comp: "Job Runner",
		title: "Migrate the first ten cron jobs from the legacy job runner to v2",
		body:  "Start with the jobs that have owners and tests. Each job gets a v2 definition, a dry run for a week, then the legacy entry is deleted."},
	{key: "PLAT-5", typ: "Story", st: done, q: 3, pts: 3, who: "ravi-kumar", comp: "SDK", epic: "PLAT-1",
		title: "Generate the Go client from the OpenAPI spec",
		body:  "Hand-written Go client drifts from the API. Generate it from `openapi.yaml` in CI and publish it as a module."},
	{key: "PLAT-6", typ: "Bug", st: done, q: 3, pts: 2, who: "marta-kowalska", comp: "Auth",
		title: "OAuth refresh tokens never expire for service accounts",
		body:  "Service-account refresh tokens are created with `expires_at = NULL`. Give them a 90-day lifetime and rotate on use."},
	{key: "PLAT-7", typ: "Task", st: done, q: 3, pts: 1, who: "yusuf-demir", comp: "Infrastructure",
		title: "Renew the code-signing certificate for the CLI",
		body:  "Expires next month. Order the renewal and update the signing step in the release pipeline."},
	{key: "PLAT-8", typ: "Technical Debt", st: done, q: 3, pts: 3, who: "yusuf-demir", comp: "Infrastructure", lbl: "tech-debt",
		title: "Upgrade every service to Go 1.23",
		body:  "Eleven services are still on Go 1.20, which no longer gets security fixes."},
	{key: "PLAT-9", typ: "Story", st: done, q: 3, pts: 3, who: "hannah-weiss", comp: "API Gateway", epic: "PLAT-2",
		title: "Error budget burn alerts for the public API",
		body:  "Page when the 1h burn rate of the 99.95% objective exceeds 14x, ticket when the 6h burn rate exceeds 6x."},
	{key: "PLAT-10", typ: "Bug", st: done, q: 3, pts: 3, who: "jonas-lind", comp: "Job Runner",
		title: "Job runner retries non-idempotent jobs after a node restart",
		body:  "When a node restarts, jobs it had claimed are retried even if they finished. The claim is released before the result is written."},
	{key: "PLAT-11", typ: "Story", st: done, q: 3, pts: 2, who: "marta-kowalska", comp: "Auth",
		title: "Scoped API keys: read-only and write keys",
		body:  "Partners ask for read-only keys for their reporting jobs. Add a scope to keys and check it in the gateway."},
	{key: "PLAT-12", typ: "Improvement", st: done, q: 3, pts: 5, who: "ravi-kumar", comp: "API Gateway", lbl: "refactor",
		title: "Consolidate the three HTTP client wrappers into one",
		body:  "`httpx`, `netclient` and `apiclient` all wrap `net/http` with different retry and timeout defaults. Keep one, migrate callers, delete the others."},
	{key: "PLAT-13", typ: "Task", st: done, q: 3, pts: 2, who: "yusuf-demir", comp: "Infrastructure",
		title: "Add the new Frankfurt region to the Terraform inventory",
		body:  "Networking, KMS keys and the base node pool for eu-central-1. No workloads yet."},
	{key: "PLAT-15", typ: "Technical Debt", st: done, q: 3, pts: 5, who: "jonas-lind", comp: "API Gateway",
		title: "Remove the deprecated /v0 API routes",
		body:  "The /v0 routes were deprecated two years ago; traffic is down to one internal caller, which moves to /v1 first."},
	{key: "PLAT-16", typ: "Story", st: todo, q: 3, pts: 8, comp: "API Gateway",
		title: "GraphQL gateway prototype",
		body:  "Spike a GraphQL layer over the public API for the partner dashboard. Parked: not on this year's plan."},
	{key: "PLAT-18", typ: "Bug", st: done, q: 3, pts: 1, who: "marta-kowalska", comp: "Auth",
		title: "Login rate limiter counts successful logins",
		body:  "Five successful logins in a minute lock the account. Only failures should count."},

	{key: "PLAT-19", typ: "Technical Debt", st: done, q: 2, pts: 8, who: "jonas-lind", comp: "Job Runner", lbl: "tech-debt",
		title: "Migrate the remaining payments and billing jobs off the legacy job runner",
		body:  "24 jobs left, most of them owned by payments. Pair with each owning team; the legacy runner cannot be turned off until they are gone."},
	{key: "PLAT-20", typ: "Story", st: done, q: 2, pts: 5, who: "ravi-kumar", comp: "SDK", epic: "PLAT-1", lbl: "goal:sdk-v2",
		title: "TypeScript SDK v2 with typed errors",
		body:  "Every API error becomes a typed error class with the error code, request id and retryability."},
	{key: "PLAT-21", typ: "Technical Debt", st: done, q: 2, pts: 3, who: "yusuf-demir", comp: "Infrastructure",
		title: "Replace Jenkins pipelines with GitHub Actions for the platform repos",
		body:  "The Jenkins box is on an unsupported OS and only platform still uses it. Port the four pipelines and shut it down."},
	{key: "PLAT-22", typ: "Bug", st: done, q: 2, pts: 3, who: "hannah-weiss", comp: "API Gateway", epic: "PLAT-2",
		title: "Gateway returns 502 during deploys",
		body:  "Connections are not drained when a gateway pod stops, so every deploy produces a burst of 502s. Add a preStop hook and honour the termination grace period."},
	{key: "PLAT-23", typ: "Task", st: done, q: 2, pts: 2, who: "marta-kowalska", comp: "Auth",
		title: "Audit log export for enterprise customers",
		body:  "Enterprise contracts promise a daily export of auth events. Write them to the customer's bucket as JSON Lines."},
	{key: "PLAT-24", typ: "Technical Debt", st: done, q: 2, pts: 5, who: "jonas-lind", comp: "Job Runner",
		title: "Remove ZooKeeper from the job runner's leader election",
		body:  "The job runner is the last user of ZooKeeper. Use a Postgres advisory lock for leader election and decommission the ensemble."},
	{key: "PLAT-25", typ: "Story", st: done, q: 2, pts: 3, who: "hannah-weiss", comp: "API Gateway", epic: "PLAT-2", lbl: "goal:availability",
		title: "Automatic failover for the primary API database",
		body:  "Promote the synchronous standby automatically when the primary is unreachable for 30 seconds. Test it in a game day."},
	{key: "PLAT-26", typ: "Bug", st: done, q: 2, pts: 2, who: "ravi-kumar", comp: "SDK",
		title: "Kotlin SDK crashes on responses without a request id",
		body:  "`NullPointerException` in `ApiException.<init>` when the gateway answers without `X-Request-Id` (only on 503 from the load balancer)."},
	{key: "PLAT-27", typ: "Improvement", st: done, q: 2, pts: 3, who: "yusuf-demir", comp: "Infrastructure", lbl: "refactor",
		title: "Collapse per-service Helm chart copies into one library chart",
		body:  "Thirty services carry near-identical copies of the same chart. Move the shared templates into a library chart and keep only values per service."},
	{key: "PLAT-28", typ: "Task", st: done, q: 2, pts: 1, who: "marta-kowalska", comp: "Auth",
		title: "Rotate the JWT signing keys",
		body:  "Yearly rotation. Publish the new key in the JWKS a week before switching."},
	{key: "PLAT-29", typ: "Technical Debt", st: done, q: 2, pts: 3, who: "jonas-lind", comp: "API Gateway", lbl: "tech-debt",
		title: "Flaky test in GatewayRoutingTest",
		body:  "`GatewayRoutingTest.routesByHostHeader` binds a fixed port and fails when CI runs two jobs on one agent. Use an ephemeral port."},
	{key: "PLAT-30", typ: "Story", st: doing, q: 2, pts: 8, who: "marta-kowalska", comp: "Auth", epic: "PLAT-1",
		title: "API key management endpoints for the developer portal",
		body:  "Create, list, roll and revoke API keys through the public API so the developer portal (and partners) can manage keys without support."},
	{key: "PLAT-32", typ: "Story", st: done, q: 2, pts: 2, who: "hannah-weiss", comp: "API Gateway",
		title: "Per-partner request dashboards",
		body:  "Give account managers a dashboard of each partner's request volume and error rate."},
	{key: "PLAT-34", typ: "Bug", st: done, q: 2, pts: 1, who: "yusuf-demir", comp: "Infrastructure",
		title: "Log shipping drops lines longer than 16 KB",
		body:  "Stack traces from the JVM services are cut off. Raise the line limit in the shipper to 256 KB."},
	{key: "PLAT-36", typ: "Technical Debt", st: todo, q: 2, pts: 5, comp: "Infrastructure",
		title: "Move secrets from .env files into the vault",
		body:  "Four services still read secrets from `.env` files baked into the image. Fetch them from the vault at start-up."},
	{key: "PLAT-38", typ: "Story", st: done, q: 2, pts: 3, who: "ravi-kumar", comp: "SDK", epic: "PLAT-1",
		title: "SDK v2 pagination helpers",
		body:  "Iterators over list endpoints in every SDK so partners stop writing cursor loops by hand."},

	{key: "PLAT-41", typ: "Technical Debt", st: done, q: 1, pts: 8, who: "jonas-lind", comp: "Job Runner", lbl: "tech-debt",
		title: "Port the job runner's scheduler off the deprecated Quartz fork",
		body:  "We run a 2014 fork of Quartz with our own patches. Replace it with the scheduler in job runner v2; keep the cron syntax."},
	{key: "PLAT-42", typ: "Story", st: done, q: 1, pts: 5, who: "ravi-kumar", comp: "SDK", epic: "PLAT-1", lbl: "goal:sdk-v2",
		title: "Developer portal: interactive API reference",
		body:  "Render the OpenAPI spec with a try-it console that uses the visitor's test-mode key."},
	{key: "PLAT-43", typ: "Technical Debt", st: done, q: 1, pts: 5, who: "yusuf-demir", comp: "Infrastructure",
		title: "Upgrade the Kubernetes clusters from 1.27 to 1.29",
		body:  "1.27 is out of support on our provider next month. Two API removals affect our manifests (flowcontrol v1beta2, PodSecurityPolicy leftovers)."},
	{key: "PLAT-44", typ: "Bug", st: done, q: 1, pts: 3, who: "hannah-weiss", comp: "API Gateway", epic: "PLAT-2",
		title: "Health check marks the gateway healthy while the config is still loading",
		body:  "After a restart the gateway answers 200 on /healthz before the routing table is loaded, so it gets traffic it answers with 404."},
	{key: "PLAT-45", typ: "Technical Debt", st: done, q: 1, pts: 3, who: "jonas-lind", comp: "Job Runner",
		title: "Delete the v1 webhook dispatcher service",
		body:  "Payments removed their last v1 webhooks (PAY-9). The dispatcher service, its queue and its dashboards can go."},
	{key: "PLAT-46", typ: "Story", st: done, q: 1, pts: 3, who: "marta-kowalska", comp: "Auth", epic: "PLAT-1",
		title: "Test-mode API keys for every new account",
		body:  "New accounts get a test-mode key on sign-up so developers can try the API before talking to anyone."},
	{key: "PLAT-48", typ: "Technical Debt", st: done, q: 1, pts: 2, who: "yusuf-demir", comp: "Infrastructure", lbl: "tech-debt",
		title: "Remove the shared 'common-utils' module",
		body:  "`common-utils` is imported by 40 services for three string helpers and a retry function. Inline the helpers, move retry to the backoff package, delete the module."},
	{key: "PLAT-49", typ: "Task", st: done, q: 1, pts: 2, who: "hannah-weiss", comp: "API Gateway",
		title: "Game day: lose a zone during peak traffic",
		body:  "Drain eu-west-1b during the Tuesday peak and write down what broke."},
	{key: "PLAT-51", typ: "Technical Debt", st: doing, q: 1, pts: 8, who: "jonas-lind", comp: "Job Runner", lbl: "tech-debt",
		title: "Retire the legacy job runner",
		body: "### Remaining\n- 6 jobs without an owner\n- the nightly billing export (payments)\n- the cron box itself\n\n" +
			"Once these are gone, delete the runner, its database and the on-call runbook."},
	{key: "PLAT-52", typ: "Bug", st: done, q: 1, pts: 2, who: "marta-kowalska", comp: "Auth",
		title: "Password reset link works twice",
		body:  "A reset token is not invalidated after use if the user opens the link in two tabs."},
	{key: "PLAT-54", typ: "Improvement", st: done, q: 1, pts: 3, who: "ravi-kumar", comp: "API Gateway", lbl: "refactor",
		title: "Replace the homegrown config loader with the standard env loader",
		body:  "Our YAML+env loader has its own precedence rules nobody remembers. Use the standard env loader with typed structs."},
	{key: "PLAT-56", typ: "Story", st: todo, q: 1, pts: 5, who: "ravi-kumar", comp: "SDK", epic: "PLAT-1",
		title: "Kotlin SDK v2",
		body:  "Port the v2 design (typed errors, pagination helpers, idempotency) to Kotlin for the Android partners."},
	{key: "PLAT-58", typ: "Technical Debt", st: todo, q: 1, pts: 3, comp: "Infrastructure", lbl: "tech-debt",
		title: "Decommission the legacy cron box",
		body:  "After the job runner migration the old cron host only runs log rotation. Move that to the node image and turn the box off."},
	{key: "PLAT-60", typ: "Task", st: done, q: 1, pts: 1, who: "yusuf-demir", comp: "Infrastructure",
		title: "Bump the base image to Debian 12",
		body:  "Debian 11 base images stop getting security updates in the summer."},

	{key: "PLAT-63", typ: "Technical Debt", st: done, q: 0, pts: 5, who: "jonas-lind", comp: "Job Runner", lbl: "tech-debt",
		title: "Move the six ownerless jobs to job runner v2 or delete them",
		body:  "Four of the six have not produced output in a year. Delete those after a week's notice in #eng; move the other two."},
	{key: "PLAT-64", typ: "Story", st: doing, q: 0, pts: 8, who: "marta-kowalska", comp: "Vault",
		title: "Vault: decrypt Apple Pay and Google Pay payment tokens",
		body:  "Payments needs wallet payloads decrypted inside the vault so the cryptogram never reaches application memory. Needs the new key hierarchy first."},
	{key: "PLAT-65", typ: "Technical Debt", st: doing, q: 0, pts: 5, who: "yusuf-demir", comp: "Infrastructure", lbl: "tech-debt",
		title: "Migrate Terraform state from one bucket to per-environment workspaces",
		body:  "All environments share one state file, so a plan for staging locks production. Split the state per environment."},
	{key: "PLAT-66", typ: "Story", st: todo, q: 0, pts: 5, who: "marta-kowalska", comp: "Vault",
		title: "Per-merchant key hierarchy in the vault",
		body:  "Wrap each merchant's data keys under a merchant key so keys can be rotated and revoked per merchant. Waiting on data to move the key-usage audit trail (DATA-40)."},
	{key: "PLAT-67", typ: "Technical Debt", st: done, q: 0, pts: 3, who: "ravi-kumar", comp: "API Gateway",
		title: "Remove the feature-flag client for the old flag service",
		body:  "Every service has moved to the new flag service; the old client is still linked into 22 binaries and opens a connection at start-up."},
	{key: "PLAT-68", typ: "Bug", st: done, q: 0, pts: 2, who: "hannah-weiss", comp: "API Gateway", epic: "PLAT-2",
		title: "Failover leaves the gateway pointing at the old primary for five minutes",
		body:  "The gateway caches the database DNS for 300s. After PLAT-25's failover it kept writing to the demoted primary."},
	{key: "PLAT-69", typ: "Technical Debt", st: todo, q: 0, pts: 3, comp: "Infrastructure", lbl: "tech-debt",
		title: "Upgrade protobuf and regenerate every service's stubs",
		body:  "We are two major versions behind; the old generator does not support editions, which the SDK codegen needs."},
	{key: "PLAT-70", typ: "Technical Debt", st: doing, q: 0, pts: 5, who: "jonas-lind", comp: "Job Runner", lbl: "tech-debt",
		title: "Move the nightly billing export to job runner v2",
		body:  "The last payments job on the legacy runner. Payments signed off on the v2 definition; needs a week of parallel runs."},
	{key: "PLAT-71", typ: "Story", st: todo, q: 0, pts: 8, who: "yusuf-demir", comp: "Database",
		title: "Cut the shared Postgres cluster over to version 16",
		body:  "The shared cluster is on Postgres 12, out of support. Upgrade by logical replication into a new pg16 cluster, then switch. Data's CDC slots have to move first."},
	{key: "PLAT-72", typ: "Technical Debt", st: done, q: 0, pts: 2, who: "ravi-kumar", comp: "SDK", lbl: "refactor",
		title: "Delete the hand-written Go client now that the generated one is published",
		body:  "Nothing imports `platform/client-legacy` since the last service moved. Remove it from the monorepo."},
	{key: "PLAT-73", typ: "Task", st: done, q: 0, pts: 1, who: "marta-kowalska", comp: "Auth",
		title: "Enforce TLS 1.2 minimum on the auth endpoints",
		body:  "Security review finding: the auth service still negotiates TLS 1.0 with old clients."},
	{key: "PLAT-75", typ: "Technical Debt", st: todo, q: 0, pts: 5, comp: "Job Runner", lbl: "tech-debt",
		title: "Drop the legacy job runner's database",
		body:  "After PLAT-51 the `jobs_legacy` database has no readers. Take a final snapshot and drop it."},
	{key: "PLAT-76", typ: "Story", st: todo, q: 0, pts: 3, who: "ravi-kumar", comp: "SDK", epic: "PLAT-1",
		title: "Developer portal: self-serve webhook endpoint registration",
		body:  "Let partners register and test webhook endpoints from the portal instead of asking support."},
	{key: "PLAT-78", typ: "Technical Debt", st: doing, q: 0, pts: 3, who: "yusuf-demir", comp: "Infrastructure",
		title: "Replace the hand-rolled canary script with progressive delivery",
		body:  "`canary.sh` shifts traffic by editing weights with sed. Replace it with the rollout controller's canary steps and analysis."},
	{key: "PLAT-80", typ: "Story", st: todo, q: 0, pts: 5, who: "hannah-weiss", comp: "API Gateway",
		title: "Add rate limiting to public API",
		body:  "Partners can overload the public API with bursts of requests. Add per-key rate limits in the gateway (token bucket, 100 requests per second by default) and answer 429 with a `Retry-After` header."},
	{key: "PLAT-81", typ: "Bug", st: todo, q: 0, pts: 2, who: "marta-kowalska", comp: "Auth",
		title: "Session cookie missing SameSite on the developer portal",
		body:  "The portal's session cookie has no `SameSite` attribute; browsers default to Lax, which breaks the OAuth popup."},
	{key: "PLAT-83", typ: "Technical Debt", st: todo, q: 0, pts: 3, comp: "API Gateway", lbl: "tech-debt",
		title: "Remove the Lua plugins from the gateway",
		body:  "Three Lua plugins duplicate logic now in the gateway core (header rewriting, request ids, CORS). Nobody on the team writes Lua any more."},
	{key: "PLAT-85", typ: "Technical Debt", st: todo, q: 0, pts: 2, who: "jonas-lind", comp: "Job Runner",
		title: "Clean up the job runner v2 compatibility shims",
		body:  "The shims that let legacy job definitions run on v2 are no longer needed once the last legacy job is gone (after PLAT-70)."},
	{key: "PLAT-88", typ: "Task", st: todo, q: 0, pts: 2, comp: "Database",
		title: "Raise the pgbouncer pool for batch jobs",
		body:  "The batch pool allows 10 server connections; month-end jobs from payments queue behind each other. Raise it to 40 after checking the primary's connection headroom."},
	{key: "PLAT-89", typ: "Technical Debt", st: done, q: 0, pts: 2, who: "jonas-lind", comp: "Job Runner", lbl: "tech-debt",
		title: "Flaky test in JobRunnerV2SchedulerTest",
		body:  "`JobRunnerV2SchedulerTest.firesAtDstBoundary` fails twice a year, on the nights the clocks change. It uses the host's zone instead of the job's."},
	{key: "PLAT-90", typ: "Story", st: todo, q: 0, pts: 3, who: "hannah-weiss", comp: "API Gateway", epic: "PLAT-2",
		title: "Latency objective for the charge endpoint",
		body:  "Add a p99 latency objective (300ms) for `POST /v1/charges` with burn alerts like the availability ones."},
	{key: "PLAT-91", typ: "Technical Debt", st: todo, q: 0, pts: 3, comp: "Infrastructure", lbl: "refactor",
		title: "Split the platform monorepo's CI config into per-service workflows",
		body:  "One 1,800-line workflow file runs everything on every push. Per-service workflows with path filters."},
	{key: "PLAT-92", typ: "Technical Debt", st: todo, q: 0, pts: 3, comp: "Infrastructure", lbl: "tech-debt",
		title: "Remove the ZooKeeper client from the service template",
		body:  "The ensemble is gone (PLAT-24) but every service generated from the template still links the client and reads `ZK_HOSTS` at start-up."},
}

// DATA — data: within its debt band; its revenue dashboard waits on payments.
var dataSeeds = []seed{
	{key: "DATA-1", typ: "Epic", st: doing, q: 3, who: "chen-wei", lbl: "goal:revenue-dashboard", comp: "Dashboards",
		title: "Trusted revenue dashboard",
		body:  "Finance and product each keep their own MRR spreadsheet and they disagree by 4%. One dashboard, one definition of revenue, by plan, channel and country."},
	{key: "DATA-2", typ: "Epic", st: doing, q: 3, who: "fatima-haddad", lbl: "goal:freshness", comp: "Pipelines",
		title: "Warehouse fresh within an hour",
		body:  "Most tables land once a night; some lag by two days after a failure. Target: every table within one hour of production."},
	{key: "DATA-3", typ: "Story", st: done, q: 3, pts: 5, who: "chen-wei", comp: "Warehouse", epic: "DATA-1",
		title: "Model subscriptions as a slowly changing dimension",
		body:  "Plan changes overwrite the subscription row, so last month's MRR changes when a customer upgrades today. Keep history with valid-from / valid-to."},
	{key: "DATA-4", typ: "Bug", st: done, q: 3, pts: 2, who: "olu-adeyemi", comp: "Pipelines",
		title: "Nightly load double-counts refunds issued after midnight UTC",
		body:  "Refunds created between 00:00 and the load's start are picked up by two consecutive runs. Use the high-water mark, not the run date."},
	{key: "DATA-5", typ: "Technical Debt", st: done, q: 3, pts: 3, who: "fatima-haddad", comp: "Pipelines", lbl: "tech-debt",
		title: "Replace the cron-driven shell loaders with the orchestrator",
		body:  "Seven loaders are bash scripts started by cron with no retries or alerting. Move them to the orchestrator as tasks with retries and SLAs."},
	{key: "DATA-6", typ: "Story", st: done, q: 3, pts: 3, who: "chen-wei", comp: "Dashboards", epic: "DATA-1",
		title: "MRR by plan, first cut",
		body:  "A first MRR chart by plan from the subscriptions model, shared with finance for review."},
	{key: "DATA-7", typ: "Task", st: done, q: 3, pts: 1, who: "olu-adeyemi", comp: "Warehouse",
		title: "Grant the finance analysts read access to the marts schema",
		body:  "Four analysts, read-only, through the existing finance group."},
	{key: "DATA-8", typ: "Story", st: done, q: 3, pts: 5, who: "fatima-haddad", comp: "Pipelines", epic: "DATA-2",
		title: "Stream the orders table through CDC instead of nightly dumps",
		body:  "Use the change-data-capture connector on the orders table so it lands within minutes."},
	{key: "DATA-9", typ: "Bug", st: done, q: 3, pts: 1, who: "chen-wei", comp: "Dashboards",
		title: "Churn chart divides by the wrong month's customer count",
		body:  "Monthly churn uses the end-of-month count as the denominator; it should be the start-of-month count."},
	{key: "DATA-10", typ: "Improvement", st: done, q: 3, pts: 2, who: "olu-adeyemi", comp: "Warehouse", lbl: "refactor",
		title: "Rename the staging models to the source_table convention",
		body:  "Half the staging models are named after the team that asked for them. Rename to `stg_<source>__<table>` and add aliases for a month."},
	{key: "DATA-11", typ: "Task", st: todo, q: 3, pts: 2, comp: "Warehouse",
		title: "Document the customers mart columns",
		body:  "Column descriptions for the customers mart so the catalogue shows more than names."},

	{key: "DATA-12", typ: "Story", st: done, q: 2, pts: 5, who: "chen-wei", comp: "Dashboards", epic: "DATA-1", lbl: "goal:revenue-dashboard",
		title: "Revenue by acquisition channel",
		body:  "Join first-touch attribution onto subscriptions and show new MRR by channel per month."},
	{key: "DATA-13", typ: "Technical Debt", st: done, q: 2, pts: 3, who: "fatima-haddad", comp: "Pipelines",
		title: "Remove the deprecated Python 2 transforms",
		body:  "Three transforms still run on a Python 2 image pinned in 2019. Port them to SQL models; they are simple joins."},
	{key: "DATA-14", typ: "Bug", st: done, q: 2, pts: 2, who: "olu-adeyemi", comp: "Pipelines", epic: "DATA-2",
		title: "CDC connector stalls after a primary failover",
		body:  "After the database failover game day the connector kept a slot on the old primary and stopped emitting. Restart on leader change."},
	{key: "DATA-15", typ: "Story", st: done, q: 2, pts: 3, who: "fatima-haddad", comp: "Pipelines", epic: "DATA-2", lbl: "goal:freshness",
		title: "Freshness checks with alerts for every mart",
		body:  "Alert in #data-alerts when a mart's newest row is older than its SLA. Start with 6h everywhere and tighten."},
	{key: "DATA-16", typ: "Task", st: done, q: 2, pts: 2, who: "chen-wei", comp: "Warehouse",
		title: "Daily CSV export of failed payments for finance",
		body:  "Finance wants a daily CSV of failed payments with the decline code and customer segment in their shared folder."},
	{key: "DATA-17", typ: "Technical Debt", st: done, q: 2, pts: 2, who: "olu-adeyemi", comp: "Warehouse", lbl: "tech-debt",
		title: "Drop 140 unused tables from the sandbox schema",
		body:  "Tables nobody has queried in six months, according to the query log. Snapshot to cold storage first."},
	{key: "DATA-18", typ: "Story", st: done, q: 2, pts: 3, who: "chen-wei", comp: "Dashboards", epic: "DATA-1",
		title: "Net revenue retention by cohort",
		body:  "NRR per monthly sign-up cohort, as finance defines it (expansion minus contraction minus churn)."},
	{key: "DATA-19", typ: "Bug", st: done, q: 2, pts: 1, who: "fatima-haddad", comp: "Pipelines",
		title: "Currency conversion uses the rate of the load day, not the transaction day",
		body:  "Revenue in EUR shifts every night because the FX join uses `current_date`. Join on the transaction date."},
	{key: "DATA-20", typ: "Story", st: done, q: 2, pts: 2, who: "olu-adeyemi", comp: "Dashboards",
		title: "Support ticket volume per plan for the support leads",
		body:  "Weekly ticket counts per plan and per 100 customers."},
	{key: "DATA-21", typ: "Technical Debt", st: done, q: 2, pts: 5, who: "olu-adeyemi", comp: "Warehouse",
		title: "Consolidate the two customer dimension tables",
		body:  "`dim_customer` and `customers_v2` disagree on what a customer is (account vs. billing entity). Pick one model, migrate the dashboards, delete the other."},
	{key: "DATA-22", typ: "Task", st: done, q: 2, pts: 1, who: "chen-wei", comp: "Warehouse",
		title: "Rotate the warehouse service account key",
		body:  "Ninety-day rotation, last done in the spring."},

	{key: "DATA-23", typ: "Story", st: done, q: 1, pts: 5, who: "fatima-haddad", comp: "Pipelines", epic: "DATA-2",
		title: "Stream subscriptions and invoices through CDC",
		body:  "Same setup as orders (DATA-8). Subscriptions and invoices are what the revenue models read, so they matter most for freshness."},
	{key: "DATA-24", typ: "Bug", st: done, q: 1, pts: 2, who: "chen-wei", comp: "Dashboards", epic: "DATA-1",
		title: "MRR chart counts trialing subscriptions as paying",
		body:  "Trials with a card on file are counted in MRR from day one. Exclude `status = trialing`."},
	{key: "DATA-25", typ: "Technical Debt", st: done, q: 1, pts: 3, who: "olu-adeyemi", comp: "Pipelines", lbl: "tech-debt",
		title: "Flaky test in the orders dedup model",
		body:  "The uniqueness test on `fct_orders` fails a few times a week when late CDC events arrive out of order. The dedup picks the first row by arrival, not by `updated_at`."},
	{key: "DATA-26", typ: "Story", st: done, q: 1, pts: 3, who: "chen-wei", comp: "Dashboards", epic: "DATA-1",
		title: "Revenue by country with the finance region mapping",
		body:  "Finance groups countries into regions differently from sales. Use their mapping table as the source of truth."},
	{key: "DATA-27", typ: "Task", st: done, q: 1, pts: 2, who: "fatima-haddad", comp: "Warehouse",
		title: "Set up cost alerts on the warehouse",
		body:  "Alert when daily warehouse spend is 50% above the 30-day average."},
	{key: "DATA-28", typ: "Story", st: done, q: 1, pts: 3, who: "olu-adeyemi", comp: "Pipelines",
		title: "Land the support tool's tickets in the warehouse",
		body:  "Nightly load of tickets and satisfaction scores from the support tool's export API."},
	{key: "DATA-29", typ: "Improvement", st: done, q: 1, pts: 2, who: "chen-wei", comp: "Warehouse", lbl: "refactor",
		title: "Split the 900-line revenue model into staged CTE models",
		body:  "`fct_revenue.sql` is one query nobody can review. Break it into intermediate models with their own tests."},
	{key: "DATA-30", typ: "Bug", st: done, q: 1, pts: 1, who: "fatima-haddad", comp: "Dashboards",
		title: "Dashboard filters reset when switching tabs",
		body:  "The country filter on the revenue dashboard resets to All when moving between the MRR and NRR tabs."},
	{key: "DATA-31", typ: "Story", st: doing, q: 1, pts: 5, who: "olu-adeyemi", comp: "Pipelines", epic: "DATA-2", lbl: "goal:freshness",
		title: "Hourly incremental builds for the revenue marts",
		body:  "Build the revenue marts incrementally every hour from the CDC tables instead of a full nightly rebuild."},
	{key: "DATA-32", typ: "Task", st: done, q: 1, pts: 1, who: "chen-wei", comp: "Warehouse",
		title: "Add the new Frankfurt database to the connector inventory",
		body:  "No data there yet; register it so the first tables land without a ticket."},

	{key: "DATA-33", typ: "Story", st: todo, q: 0, pts: 5, who: "fatima-haddad", comp: "Pipelines",
		title: "Move the CDC replication slots to the new Postgres 16 cluster",
		body: "Platform cannot cut over the shared cluster while our CDC slots live on it. The new slots need payments' payout reports off the old replica first (PAY-52), " +
			"otherwise both read paths compete for the same WAL."},
	{key: "DATA-34", typ: "Bug", st: done, q: 0, pts: 2, who: "olu-adeyemi", comp: "Pipelines",
		title: "Backfill job rewrites partitions it did not change",
		body:  "The backfill rewrites every partition in the date range, even untouched ones, which triples the bill for a one-day fix."},
	{key: "DATA-35", typ: "Story", st: todo, q: 0, pts: 8, who: "chen-wei", comp: "Dashboards", epic: "DATA-1", lbl: "goal:revenue-dashboard",
		title: "Revenue dashboard by plan from ledger events",
		body: "Finance does not trust revenue by plan built from the replica scrape: it misses refunds that happen in the ledger only. " +
			"Build it from ledger events instead.\n\n**Blocked**: payments has to publish the events first."},
	{key: "DATA-36", typ: "Technical Debt", st: doing, q: 0, pts: 3, who: "fatima-haddad", comp: "Pipelines", lbl: "tech-debt",
		title: "Retire the replica scraper once ledger events land",
		body:  "The scraper queries the payments replica every 15 minutes with a 400-line SQL file. It goes when ledger events arrive."},
	{key: "DATA-37", typ: "Story", st: done, q: 0, pts: 3, who: "olu-adeyemi", comp: "Dashboards", epic: "DATA-1",
		title: "Expansion and contraction MRR split",
		body:  "Split MRR movement into new, expansion, contraction and churn on the revenue dashboard."},
	{key: "DATA-38", typ: "Story", st: doing, q: 0, pts: 3, who: "chen-wei", comp: "Pipelines",
		title: "Model the sign-up funnel from the new onboarding events",
		body: "Growth's onboarding emits new events; model the funnel from visit to first payment. The schema is defined in https://github.com/acme/web/issues/7 " +
			"and we follow its versioning."},
	{key: "DATA-39", typ: "Task", st: done, q: 0, pts: 1, who: "fatima-haddad", comp: "Warehouse",
		title: "Upgrade the dbt version in the transform image",
		body:  "Two minor versions behind; the new one has the incremental strategy we want for DATA-31."},
	{key: "DATA-40", typ: "Story", st: todo, q: 0, pts: 5, who: "olu-adeyemi", comp: "Warehouse",
		title: "Move the vault key-usage audit trail out of the shared warehouse schema",
		body:  "Platform's key hierarchy work needs the audit trail of key use in its own schema with its own retention. Today it sits in `shared.events` with everything else."},
	{key: "DATA-41", typ: "Technical Debt", st: todo, q: 0, pts: 2, comp: "Warehouse", lbl: "tech-debt",
		title: "Delete the legacy KPI dashboard and its 30 scheduled queries",
		body:  "Replaced by the revenue dashboard. The queries still run every hour and cost more than the rest of the BI tool."},
	{key: "DATA-42", typ: "Bug", st: doing, q: 0, pts: 2, who: "chen-wei", comp: "Dashboards", epic: "DATA-1",
		title: "Annual plans show twelve times their value in monthly MRR",
		body:  "Annual subscriptions are not normalised to a monthly amount in one branch of the MRR model."},
	{key: "DATA-43", typ: "Story", st: todo, q: 0, pts: 3, who: "fatima-haddad", comp: "Pipelines", epic: "DATA-2",
		title: "Freshness SLA of one hour for the payments marts",
		body:  "Tighten the SLA on payments marts from 6h to 1h once the hourly builds are stable."},
	{key: "DATA-44", typ: "Task", st: done, q: 0, pts: 1, who: "olu-adeyemi", comp: "Warehouse",
		title: "Give the mobile team a read-only role for app events",
		body:  "Mobile wants to query crash and session events directly."},
	{key: "DATA-45", typ: "Technical Debt", st: todo, q: 0, pts: 3, comp: "Pipelines",
		title: "Consolidate the three copies of the currency conversion macro",
		body:  "Three macros convert currencies with slightly different rounding. Keep one, test it, point every model at it."},
	{key: "DATA-46", typ: "Story", st: todo, q: 0, pts: 2, who: "chen-wei", comp: "Dashboards",
		title: "Weekly revenue email to the leadership team",
		body:  "A Monday email with last week's new MRR, churn and the top five expansions."},
	{key: "DATA-47", typ: "Bug", st: done, q: 0, pts: 1, who: "fatima-haddad", comp: "Pipelines",
		title: "Orchestrator retries a failed load forever on schema drift",
		body:  "A renamed source column made the load fail and retry every five minutes for a weekend. Stop after three attempts and alert."},
}

// OPS — the shared operations project. No team owns it: the mobile team's
// components and members claim some issues, the Warehouse component claims
// one for data, and the rest belong to nobody.
var opsSeeds = []seed{
	{key: "OPS-1", typ: "Task", st: done, q: 3, pts: 1, who: "tomas-novak", comp: "Push notifications",
		title: "Renew the APNs push certificate before it expires",
		body:  "The production APNs certificate expires in 30 days. Move to token-based auth while we are at it."},
	{key: "OPS-2", typ: "Incident", st: done, q: 3, who: "mei-tanaka", comp: "Mobile API",
		title: "Incident: Amex charges declined from the iOS app",
		body: "### Timeline\n- 14:02 first declines reported by support\n- 14:20 traced to the app sending the CVC field empty for 4-digit CIDs\n- 15:05 hotfix build submitted\n\n" +
			"### Impact\n312 declined charges, all retried successfully after the fix."},
	{key: "OPS-3", typ: "Task", st: done, q: 3, pts: 1,
		title: "Rotate the wildcard TLS certificate for the marketing site",
		body:  "The wildcard certificate on the marketing site's CDN expires on the 30th. Nobody is sure who owns the CDN account."},
	{key: "OPS-4", typ: "Bug", st: done, q: 2, pts: 2, who: "ama-owusu", comp: "Mobile API",
		title: "Mobile API returns 500 for users with an emoji in their display name",
		body:  "The profile endpoint serialises the display name through a Latin-1 encoder. Any emoji makes it throw."},
	{key: "OPS-5", typ: "Incident", st: done, q: 2, who: "tomas-novak",
		title: "Postmortem: 40-minute outage of mobile login",
		body:  "The login endpoint's connection pool was exhausted by retries from an app version with no backoff. Action items in the comments."},
	{key: "OPS-6", typ: "Task", st: done, q: 2, pts: 1, who: "kim-sato", comp: "Warehouse",
		title: "Warehouse staging disk at 85%",
		body:  "The staging volume of the warehouse loader is at 85% and grows 2% a day. Expand it or clean up old extracts."},
	{key: "OPS-7", typ: "Task", st: todo, q: 2, who: "kim-sato",
		title: "Pager rota spreadsheet is out of date",
		body:  "Three people on the rota have left; two teams are missing. Somebody has to own this."},
	{key: "OPS-8", typ: "Incident", st: done, q: 1, who: "mei-tanaka", comp: "Push notifications",
		title: "Incident: push notifications delayed by up to an hour",
		body:  "The push worker's queue backed up after the provider throttled us. We were sending one request per device instead of batching."},
	{key: "OPS-9", typ: "Task", st: done, q: 1, pts: 2, who: "ama-owusu",
		title: "App Store rejected build 5.12 for missing in-app account deletion",
		body:  "Guideline 5.1.1(v): apps with account creation must let users delete the account in the app. Add the flow, resubmit."},
	{key: "OPS-10", typ: "Bug", st: done, q: 1, pts: 1, who: "kofi-mensah", comp: "Push notifications",
		title: "Receipt push notification sent twice for wallet payments",
		body:  "Both the charge webhook and the app's own confirmation trigger the receipt push."},
	{key: "OPS-11", typ: "Bug", st: doing, q: 0, pts: 3, who: "tomas-novak", comp: "Mobile API",
		title: "Mobile API p99 latency doubled after the gateway upgrade",
		body:  "Since the gateway moved to three zones the mobile API's p99 went from 180ms to 390ms. Cross-zone hops on every request?"},
	{key: "OPS-12", typ: "Task", st: todo, q: 0,
		title: "Update the on-call escalation phone number",
		body:  "The escalation number still forwards to a phone that was returned. Needs someone with admin on the telephony account."},
	{key: "OPS-13", typ: "Technical Debt", st: todo, q: 0, pts: 2, who: "ama-owusu", comp: "Mobile API", lbl: "tech-debt",
		title: "Remove the v2 login endpoint from the mobile API",
		body:  "App versions older than 5.0 are below 0.3% of sessions and get a forced update screen. The v2 login path can go."},
	{key: "OPS-15", typ: "Bug", st: doing, q: 0, pts: 3, who: "kim-sato", lbl: "team:payments",
		title: "Chargeback evidence upload fails for Visa disputes",
		body:  "Uploading evidence for Visa disputes answers `413 Payload Too Large` above 2 MB; the network allows 10 MB. Two disputes lost by default this month."},
	{key: "OPS-16", typ: "Task", st: todo, q: 0, pts: 1, lbl: "team:platform",
		title: "Disk alerts on the CI runners page at night",
		body:  "CI runner disk alerts page the on-call at 3am for build caches that are pruned at 4am anyway. Make them tickets, not pages."},
	{key: "OPS-14", typ: "Task", st: todo, q: 0, pts: 1, comp: "Warehouse",
		title: "Quarterly access review for the warehouse",
		body:  "List every principal with write access to the warehouse and have the data lead confirm or revoke."},
}

// acme/web — growth: within its band, onboarding first; nothing filed for
// the localisation goal.
var webSeeds = []seed{
	{key: "acme/web#1", st: done, q: 3, who: "emma-dubois", lbl: "enhancement,goal:onboarding",
		title: "Shorter sign-up form: email and password only",
		body:  "Company name, phone and team size move to after the first login. Sign-up form completion is 41% today; the test variant without them did 58%."},
	{key: "acme/web#2", st: done, q: 3, who: "noah-fischer", lbl: "bug",
		title: "Pricing page toggle shows annual prices with the monthly label",
		body:  "Switching to annual updates the numbers but not the `/month` suffix.\n\n![screenshot](https://user-images.example/pricing-toggle.png)"},
	{key: "acme/web#3", st: done, q: 3, who: "isabel-costa", lbl: "tech-debt",
		title: "Remove the jQuery dependency from the marketing pages",
		body:  "Only the FAQ accordion and the cookie banner still use jQuery. Rewrite both in plain JS and drop 90 KB from every page."},
	{key: "acme/web#4", st: done, q: 3, who: "sam-porter", lbl: "enhancement",
		title: "Customer logos carousel on the home page",
		body:  "Marketing wants the logo wall from the deck on the home page. Lazy-load the images."},
	{key: "acme/web#5", st: done, q: 3, who: "emma-dubois", lbl: "enhancement,goal:onboarding",
		title: "Sign in with Google on the sign-up page",
		body:  "Half of our sign-ups use a Google Workspace address. One-click sign-up with Google, linking to an existing account by verified email."},
	{key: "acme/web#6", st: done, q: 3, who: "noah-fischer", lbl: "bug",
		title: "Password strength meter blocks passphrases with spaces",
		body:  "The meter marks `correct horse battery staple` as invalid because of the spaces. Allow spaces; measure entropy, not character classes."},
	{key: "acme/web#7", st: done, q: 3, who: "noah-fischer", lbl: "goal:onboarding",
		title: "Define the sign-up analytics event schema",
		body: "One schema for every event the sign-up flow emits, versioned, so data can model the funnel.\n\n" +
			"```json\n{\"event\": \"signup_step_completed\", \"version\": 2, \"step\": \"verify_email\", \"account_id\": \"acc_123\"}\n```"},
	{key: "acme/web#8", st: done, q: 3, who: "isabel-costa", lbl: "chore",
		title: "Update the cookie consent banner for the new categories",
		body:  "Legal added a \"functional\" category. The banner and the consent record need it."},
	{key: "acme/web#9", st: done, q: 3, who: "sam-porter", lbl: "bug",
		title: "Blog RSS feed has relative image URLs",
		body:  "Feed readers show broken images because `<img src>` in the feed is relative."},
	{key: "acme/web#10", st: done, q: 3, who: "emma-dubois", lbl: "enhancement",
		title: "Compare plans table on the pricing page",
		body:  "A feature-by-plan table under the pricing cards, generated from the same plan config the billing system uses."},
	{key: "acme/web#11", st: todo, q: 3, lbl: "tech-debt",
		title: "Migrate the web app from Webpack 4 to Vite",
		body:  "Cold builds take 3 minutes and the Webpack 4 loaders we use are unmaintained. Needs a spike to see what breaks."},
	{key: "acme/web#12", st: done, q: 3, who: "noah-fischer", lbl: "enhancement",
		title: "Show the trial days left in the app header",
		body:  "Trial users do not know when their trial ends. A small counter in the header, linking to the plans page."},

	{key: "acme/web#13", st: done, q: 2, who: "isabel-costa", lbl: "enhancement,goal:onboarding",
		title: "Email verification by code instead of link",
		body:  "Verification links break when mail scanners pre-open them. Send a six-digit code the user types on the next screen."},
	{key: "acme/web#14", st: done, q: 2, who: "sam-porter", lbl: "bug",
		title: "Sign-up page jumps when the password hint appears",
		body:  "Cumulative layout shift of 0.21 on the sign-up page from the hint. Reserve the space."},
	{key: "acme/web#15", st: done, q: 2, who: "emma-dubois", lbl: "enhancement",
		title: "Case studies section with filters by industry",
		body:  "Twelve case studies, filter by industry and company size."},
	{key: "acme/web#16", st: done, q: 2, who: "noah-fischer", lbl: "tech-debt",
		title: "Replace the hand-rolled form validation with the shared schema library",
		body:  "Each form has its own validation code with its own bugs (#6 was one). Use the schema library the app already ships."},
	{key: "acme/web#17", st: done, q: 2, who: "isabel-costa", lbl: "bug",
		title: "Contact sales form submits twice on Enter",
		body:  "Pressing Enter in the message field submits the form and then the button's click handler submits it again."},
	{key: "acme/web#18", st: done, q: 2, who: "sam-porter", lbl: "enhancement,goal:onboarding",
		title: "Sample data for new accounts",
		body:  "New accounts start empty and people do not know what the product does. Offer to load sample customers and payments in test mode."},
	{key: "acme/web#19", st: done, q: 2, who: "emma-dubois", lbl: "chore",
		title: "Upgrade React to 18 in the web app",
		body:  "Needed for the new router. Strict mode double-invokes effects; expect a few fixes."},
	{key: "acme/web#20", st: doing, q: 2, who: "noah-fischer", lbl: "enhancement,goal:onboarding",
		title: "Onboarding checklist in the dashboard",
		body: "A checklist on the dashboard home for new accounts:\n\n- [x] Verify email\n- [ ] Create an API key\n- [ ] Make a test payment\n- [ ] Invite a teammate\n\n" +
			"Each step is its own sub-issue."},
	{key: "acme/web#21", st: done, q: 2, who: "isabel-costa", epic: "acme/web#20", lbl: "enhancement",
		title: "Checklist step: verify email",
		body:  "Tick the step when the account's email is verified; link to resend the code otherwise."},
	{key: "acme/web#22", st: done, q: 2, who: "sam-porter", epic: "acme/web#20", lbl: "enhancement",
		title: "Checklist step: make a test payment",
		body:  "Open a test payment dialog with a prefilled test card. Tick the step on the first successful test payment."},
	{key: "acme/web#23", st: todo, q: 2, epic: "acme/web#20", lbl: "enhancement",
		title: "Checklist step: invite a teammate",
		body:  "Invite by email from the checklist; tick when the invite is accepted."},
	{key: "acme/web#24", st: done, q: 2, who: "emma-dubois", lbl: "bug",
		title: "Dashboard shows 'Good morning' at 11pm",
		body:  "The greeting uses the server's time zone."},
	{key: "acme/web#25", st: doing, q: 2, who: "noah-fischer", epic: "acme/web#20", lbl: "enhancement,goal:onboarding",
		title: "Checklist step: create an API key",
		body:  "Create a key right from the checklist without going to settings.\n\nBlocked by PLAT-30: the key management endpoints are not public yet, so this only links to settings for now."},
	{key: "acme/web#26", st: done, q: 2, who: "isabel-costa", lbl: "tech-debt",
		title: "Remove the old A/B testing snippet from the marketing pages",
		body:  "The vendor contract ended; the snippet still loads on every page and slows first paint."},

	{key: "acme/web#27", st: done, q: 1, who: "sam-porter", lbl: "enhancement,goal:onboarding",
		title: "Skip the team size question for sign-ups from personal email domains",
		body:  "Solo developers drop at the team size step. Skip it when the email domain is a consumer mailbox."},
	{key: "acme/web#28", st: done, q: 1, who: "emma-dubois", lbl: "enhancement",
		title: "Account settings: move API keys into their own page",
		body:  "API keys live in a modal under Settings → Developers. Give them a page the checklist and the docs can link to."},
	{key: "acme/web#29", st: done, q: 1, who: "noah-fischer", lbl: "bug",
		title: "Invite emails land in spam for Outlook recipients",
		body:  "Missing DKIM alignment on the invite sender domain. Move invites to the transactional domain."},
	{key: "acme/web#30", st: todo, q: 1, who: "isabel-costa", lbl: "enhancement,goal:onboarding",
		title: "Show a ready-to-copy code sample with the new API key",
		body:  "Right after a key is created, show a curl and a Node snippet with the key filled in. Uses the SDK v2 snippet generator from platform."},
	{key: "acme/web#31", st: done, q: 1, who: "sam-porter", lbl: "tech-debt",
		title: "Delete the unused Angular admin pages",
		body:  "The old admin pages under `/legacy-admin` were replaced two years ago. They still build in CI and pull in AngularJS."},
	{key: "acme/web#32", st: done, q: 1, who: "emma-dubois", lbl: "enhancement",
		title: "Annual billing discount banner on the pricing page",
		body:  "Show \"2 months free\" on annual plans; the number comes from the plan config."},
	{key: "acme/web#33", st: done, q: 1, who: "noah-fischer", lbl: "bug,goal:onboarding",
		title: "Verification code email arrives after the code has expired",
		body:  "Codes expire after 5 minutes; some providers delay our mail by 6–8 minutes. Extend to 15 and allow resend after 30s."},
	{key: "acme/web#34", st: done, q: 1, who: "isabel-costa", lbl: "chore",
		title: "Add the status page link to the footer",
		body:  "Support asked for a visible link to the status page."},
	{key: "acme/web#35", st: done, q: 1, who: "sam-porter", lbl: "enhancement,goal:onboarding",
		title: "Welcome email sequence for trial accounts",
		body:  "Three emails over the first week of the trial: getting started, first payment, invite your team."},
	{key: "acme/web#36", st: done, q: 1, who: "emma-dubois", lbl: "bug",
		title: "Docs search returns nothing for terms with a hyphen",
		body:  "Searching `api-key` returns no results; the tokenizer splits on hyphens at index time but not at query time."},
	{key: "acme/web#37", st: todo, q: 1, lbl: "enhancement",
		title: "Dark mode for the dashboard",
		body:  "Popular request on the feedback board. Needs the design tokens work first."},
	{key: "acme/web#38", st: done, q: 1, who: "noah-fischer", lbl: "enhancement",
		title: "Usage-based pricing calculator on the pricing page",
		body:  "Let visitors enter their monthly volume and see the price on each plan."},
	{key: "acme/web#39", st: done, q: 1, who: "isabel-costa", lbl: "bug",
		title: "Trial counter shows a negative number of days",
		body:  "Accounts whose trial was extended by support show `-3 days left`."},
	{key: "acme/web#40", st: done, q: 1, who: "sam-porter", lbl: "chore,tech-debt",
		title: "Bump Node to 20 in the web build",
		body:  "Node 16 is end of life; the build image and `.nvmrc` both need updating."},

	{key: "acme/web#41", st: done, q: 0, who: "emma-dubois", lbl: "enhancement,goal:onboarding",
		title: "Guided first payment in test mode",
		body:  "A three-step guide over the dashboard that walks a new account through its first test payment."},
	{key: "acme/web#42", st: done, q: 0, who: "noah-fischer", lbl: "bug",
		title: "Sign-up with Google fails when the account already exists with a password",
		body:  "Instead of linking, the flow shows a generic error. Offer to link after password confirmation."},
	{key: "acme/web#43", st: doing, q: 0, who: "isabel-costa", lbl: "enhancement,goal:onboarding",
		title: "Measure time from sign-up to first live payment",
		body:  "We claim five minutes in the goal but nobody measures it. Emit the events and show the median on the growth dashboard."},
	{key: "acme/web#44", st: done, q: 0, who: "sam-porter", lbl: "tech-debt",
		title: "Replace Moment.js with date-fns",
		body:  "Moment adds 70 KB to the dashboard bundle and is in maintenance mode. About forty call sites."},
	{key: "acme/web#45", st: done, q: 0, who: "emma-dubois", lbl: "enhancement",
		title: "Referral link in the account menu",
		body:  "Give every account a referral link; credit is applied by billing when the referred account pays."},
	{key: "acme/web#46", st: done, q: 0, who: "noah-fischer", lbl: "bug",
		title: "Onboarding checklist reappears after it was dismissed",
		body:  "Dismissal is stored in local storage only; it comes back on another browser."},
	{key: "acme/web#47", st: todo, q: 0, who: "isabel-costa", lbl: "enhancement,goal:onboarding",
		title: "Carry the plan chosen at sign-up into checkout",
		body:  "Sign-up already asks for the plan; the buyer should land on checkout with it selected and their details filled in. Needs PAY-45 (prefill token on the checkout page)."},
	{key: "acme/web#48", st: todo, q: 0, who: "sam-porter", lbl: "enhancement",
		title: "Rate-limit the public API endpoints",
		body:  "Bots hammer the public API with bursts of requests through the docs' try-it console. Add rate limits per API key and per IP, and answer 429 with a `Retry-After` header."},
	{key: "acme/web#49", st: done, q: 0, who: "emma-dubois", lbl: "chore",
		title: "Refresh the customer logos on the home page",
		body:  "Three logos are of customers who have left."},
	{key: "acme/web#50", st: done, q: 0, who: "noah-fischer", lbl: "bug",
		title: "Verification code input does not accept paste on iOS Safari",
		body:  "Pasting the code from the email fills only the first box."},
	{key: "acme/web#51", st: doing, q: 0, who: "isabel-costa", lbl: "enhancement,goal:onboarding",
		title: "Ask for the use case at sign-up and tailor the checklist",
		body:  "Platforms, marketplaces and SaaS need different first steps. One question at sign-up picks the checklist."},
	{key: "acme/web#52", st: todo, q: 0, lbl: "bug",
		title: "@everyone see #1 <script>x</script> [~accountid:abc]",
		body: "Pasted from a support ticket as is:\n\n> @everyone please look at #1 and acme/web#7 <img src=x onerror=alert(1)>\n\n" +
			"The ticket form does not escape the title, so this is what landed here."},
	{key: "acme/web#53", st: todo, q: 0, lbl: "tech-debt",
		title: "Split the 3,000-line dashboard store into feature slices",
		body:  "Every feature adds to `store.js`. Move onboarding, billing and settings state into their own slices."},
	{key: "acme/web#54", st: done, q: 0, who: "sam-porter", lbl: "bug," + OptOutLabel,
		title: "Pricing page shows the wrong currency symbol for CHF",
		body:  "Shows `$` for Swiss francs. Fixed by the currency helper; keeping the issue for the support macro."},
	{key: "acme/web#55", st: todo, q: 0, lbl: "enhancement",
		title: "Webinar sign-up landing page template",
		body:  "Marketing runs a webinar a month and builds each page by hand."},
	{key: "acme/web#56", st: todo, q: 0, who: "emma-dubois", lbl: "enhancement",
		title: "Invoice history in account settings",
		body:  "Customers email support for old invoices. A paginated invoice list with PDF download in settings.\n\nWaiting on PAY-60: the invoice endpoint returns everything at once and times out for our largest accounts."},
	{key: "acme/web#57", st: done, q: 0, who: "noah-fischer", lbl: "chore",
		title: "Rotate the reCAPTCHA keys",
		body:  "The keys were shared in a screen recording. Rotate and update the secrets."},
	{key: "acme/web#58", st: todo, q: 0, who: "isabel-costa", lbl: "bug",
		title: "Trial banner covers the onboarding checklist on small laptops",
		body:  "At 1280×720 the sticky trial banner hides the last checklist step."},
	{key: "acme/web#59", st: todo, q: 0, lbl: "tech-debt",
		title: "Remove feature flags that have been fully rolled out",
		body:  "Twenty-three flags in the web app have been on for everyone for more than three months. Each one keeps a dead code path and a test for it."},
}

// acme/mobile — mobile: the wallet goal waits on payments and, behind them, platform.
var mobileSeeds = []seed{
	{key: "acme/mobile#1", typ: "Bug", st: done, q: 3, who: "mei-tanaka", lbl: "goal:crash-free",
		title: "Crash on launch when the keychain item is missing after a restore",
		body:  "Restoring an iPhone from a backup restores the app but not the keychain. The app force-unwraps the token and crashes on launch.\n\n```swift\nlet token = try! keychain.get(\"session\")!\n```"},
	{key: "acme/mobile#2", typ: "Feature", st: done, q: 3, who: "tomas-novak",
		title: "Payment detail screen with refund action",
		body:  "Tap a payment to see its detail and refund it, fully or partially, from the phone."},
	{key: "acme/mobile#3", typ: "Task", st: done, q: 3, who: "ama-owusu", lbl: "tech-debt",
		title: "Migrate the Android app from Kotlin synthetics to view binding",
		body:  "Kotlin synthetics are removed in the next Kotlin plugin. 64 screens to migrate."},
	{key: "acme/mobile#4", typ: "Feature", st: done, q: 3, who: "kofi-mensah",
		title: "Push notification when a payout is sent",
		body:  "Merchants want to know when money is on its way. Opt-in, with the amount and expected arrival date."},
	{key: "acme/mobile#5", typ: "Bug", st: done, q: 3, who: "mei-tanaka",
		title: "Amounts in the payments list ignore the device locale",
		body:  "Devices set to Spanish show `1,234.50 €` instead of `1.234,50 €`."},
	{key: "acme/mobile#6", typ: "Feature", st: done, q: 3, who: "tomas-novak",
		title: "Face ID / fingerprint unlock",
		body:  "Optional biometric unlock instead of the PIN after the app has been in the background for 5 minutes."},
	{key: "acme/mobile#7", typ: "Bug", st: done, q: 3, who: "ama-owusu", lbl: "goal:crash-free",
		title: "ANR when opening the payments list with 10k+ payments",
		body:  "The list sorts on the main thread. Sort in the query, page the list."},
	{key: "acme/mobile#8", typ: "Task", st: done, q: 3, who: "kofi-mensah",
		title: "Set up crash reporting dashboards per release",
		body:  "Crash-free sessions per release and per OS version, posted to #mobile every morning."},
	{key: "acme/mobile#9", typ: "Task", st: done, q: 3, who: "kofi-mensah", lbl: "tech-debt",
		title: "Remove the React Native settings screen",
		body:  "The settings screen is the last React Native screen in a native app. It pulls the whole RN runtime into the bundle."},

	{key: "acme/mobile#10", typ: "Feature", st: done, q: 2, who: "mei-tanaka",
		title: "Home screen widget with today's volume",
		body:  "An iOS and Android widget with today's payment volume and count."},
	{key: "acme/mobile#11", typ: "Bug", st: done, q: 2, who: "tomas-novak", lbl: "goal:crash-free",
		title: "Crash when rotating the device on the refund sheet",
		body:  "`IllegalStateException: Fragment not attached` after rotation while the refund sheet is open."},
	{key: "acme/mobile#12", typ: "Task", st: done, q: 2, who: "ama-owusu", lbl: "tech-debt",
		title: "Replace the hand-rolled networking layer with the generated API client",
		body:  "Platform publishes a generated Kotlin client now. Our hand-written layer has its own retry loop and no timeouts on uploads."},
	{key: "acme/mobile#13", typ: "Feature", st: done, q: 2, who: "kofi-mensah",
		title: "Search payments by customer email",
		body:  "Search box on the payments list, server-side search by email or last four digits."},
	{key: "acme/mobile#14", typ: "Bug", st: done, q: 2, who: "mei-tanaka",
		title: "Dark mode: chart labels are black on black",
		body:  "The volume chart uses a hard-coded label colour."},
	{key: "acme/mobile#15", typ: "Task", st: done, q: 2, who: "tomas-novak", lbl: "tech-debt",
		title: "Raise the minimum iOS version to 16",
		body:  "iOS 15 is 1.8% of sessions; dropping it lets us use the new charts framework."},
	{key: "acme/mobile#16", typ: "Feature", st: done, q: 2, who: "ama-owusu",
		title: "Offline mode for the payments list",
		body:  "Cache the last 500 payments so the list opens on the underground."},
	{key: "acme/mobile#17", typ: "Bug", st: done, q: 2, who: "kofi-mensah", lbl: "goal:crash-free",
		title: "Out-of-memory crash when exporting a month of payments to PDF",
		body:  "The export renders every page in memory at once on Android. Stream pages to the file."},
	{key: "acme/mobile#18", typ: "Task", st: todo, q: 2,
		title: "Accessibility audit of the refund flow",
		body:  "VoiceOver reads the amount field as \"text field\" with no label. Audit the whole flow."},
	{key: "acme/mobile#19", typ: "Feature", st: done, q: 2, who: "mei-tanaka",
		title: "Share a payment receipt from the app",
		body:  "Share sheet with the receipt PDF and a public link."},

	{key: "acme/mobile#20", typ: "Bug", st: done, q: 1, who: "tomas-novak", lbl: "goal:crash-free",
		title: "Crash in the widget when the session has expired",
		body:  "The widget extension tries to refresh the session itself and crashes without keychain access."},
	{key: "acme/mobile#21", typ: "Feature", st: done, q: 1, who: "ama-owusu",
		title: "In-app account deletion",
		body:  "Required by the App Store (see OPS-9). Confirm with the password, then call the deletion endpoint."},
	{key: "acme/mobile#22", typ: "Bug", st: todo, q: 1, who: "kofi-mensah", lbl: "goal:crash-free",
		title: "ANR on Android cold start while the token refreshes",
		body:  "Our top ANR: the app blocks on the API client's token refresh during `Application.onCreate`. The fix is in the client (platform)."},
	{key: "acme/mobile#23", typ: "Task", st: done, q: 1, who: "mei-tanaka", lbl: "tech-debt",
		title: "Delete the feature flags that have been 100% on for six months",
		body:  "Eighteen flags, each with two code paths we still test."},
	{key: "acme/mobile#24", typ: "Feature", st: done, q: 1, who: "tomas-novak",
		title: "Dispute notifications with a deadline reminder",
		body:  "Notify when a dispute opens and again three days before the evidence deadline."},
	{key: "acme/mobile#25", typ: "Bug", st: done, q: 1, who: "ama-owusu",
		title: "Payout amounts rounded to whole units in the widget",
		body:  "The widget formatter drops the minor units."},
	{key: "acme/mobile#26", typ: "Task", st: done, q: 1, who: "kofi-mensah",
		title: "Move the release pipeline to the new signing keys",
		body:  "Upload key rotation for Google Play and the new App Store Connect API key."},
	{key: "acme/mobile#27", typ: "Feature", st: done, q: 1, who: "mei-tanaka",
		title: "Filter payments by status",
		body:  "Succeeded, refunded, disputed, failed."},
	{key: "acme/mobile#28", typ: "Bug", st: done, q: 1, who: "tomas-novak", lbl: "goal:crash-free",
		title: "Crash when a push notification arrives during biometric unlock",
		body:  "The notification handler navigates before the unlock screen is dismissed."},
	{key: "acme/mobile#29", typ: "Task", st: done, q: 1, who: "mei-tanaka", lbl: "tech-debt",
		title: "Split the 4,000-line PaymentsViewModel",
		body:  "List, detail, refund and export all live in one view model. Split by screen."},

	{key: "acme/mobile#30", typ: "Feature", st: doing, q: 0, who: "mei-tanaka", lbl: "goal:wallet",
		title: "Apple Pay and Google Pay in the app",
		body: "Customers of our merchants pay in the app with their phone's wallet.\n\n" +
			"- [ ] Apple Pay\n- [ ] Google Pay\n- [ ] Wallet settings per merchant\n\nTracked as sub-issues."},
	{key: "acme/mobile#31", typ: "Feature", st: doing, q: 0, who: "mei-tanaka", epic: "acme/mobile#30",
		title: "Apple Pay on iOS",
		body: "PassKit sheet, merchant identifier per environment, token sent to the charge API.\n\n" +
			"Blocked by PAY-41: the charge API does not accept network tokens yet. We have the sheet working against a stub."},
	{key: "acme/mobile#32", typ: "Feature", st: todo, q: 0, who: "ama-owusu", epic: "acme/mobile#30",
		title: "Google Pay on Android",
		body:  "Same flow as Apple Pay with the Google Pay API; depends on the same charge API change (PAY-41)."},
	{key: "acme/mobile#33", typ: "Feature", st: todo, q: 0, epic: "acme/mobile#30",
		title: "Wallet settings per merchant",
		body:  "Merchants can switch wallets on and off for their customers."},
	{key: "acme/mobile#34", typ: "Task", st: doing, q: 0, who: "tomas-novak",
		title: "Batch push sends through the provider's v2 API",
		body:  "Send one request per 500 devices instead of one per device, so a busy evening does not get us throttled again (OPS-8). Only the provider's v2 API can batch."},
	{key: "acme/mobile#35", typ: "Feature", st: todo, q: 0, who: "kofi-mensah",
		title: "Rich push notifications with the payment amount",
		body:  "Show amount and customer in the notification itself. Needs the batched v2 sends first."},
	{key: "acme/mobile#36", typ: "Bug", st: done, q: 0, who: "ama-owusu", lbl: "goal:crash-free",
		title: "Crash on Android 14 when the exact alarm permission is missing",
		body:  "The payout reminder schedules an exact alarm without checking `canScheduleExactAlarms()`."},
	{key: "acme/mobile#37", typ: "Task", st: done, q: 0, who: "kofi-mensah", lbl: "tech-debt",
		title: "Remove the React Native runtime after the settings rewrite",
		body:  "Settings is native now (was #9). Drop the RN dependency, the bridge and 11 MB from the Android bundle."},
	{key: "acme/mobile#38", typ: "Bug", st: done, q: 0, who: "mei-tanaka",
		title: "Refund sheet keeps the previous amount after cancel",
		body:  "Cancelling a partial refund and reopening the sheet shows the last typed amount."},
	{key: "acme/mobile#39", typ: "Feature", st: todo, q: 0, who: "tomas-novak",
		title: "Tap to Pay on iPhone for in-person payments",
		body:  "Sales asks for it for the events segment. Needs an entitlement from Apple and a new terminal flow."},
	{key: "acme/mobile#40", typ: "Task", st: todo, q: 0, lbl: "tech-debt",
		title: "Migrate the iOS app from CocoaPods to Swift Package Manager",
		body:  "CocoaPods' trunk goes read-only; three of our pods already moved to SPM only."},
	{key: "acme/mobile#41", typ: "Bug", st: doing, q: 0, who: "ama-owusu", lbl: "goal:crash-free",
		title: "Crash-free sessions dropped to 99.4% on 6.2",
		body:  "Two new crashes in 6.2 account for most of it: a nil font on iOS 16 and the widget timeline provider."},
}

// acme/platform-sdk — platform's public SDKs.
var sdkSeeds = []seed{
	{key: "acme/platform-sdk#1", st: done, q: 3, who: "ravi-kumar", lbl: "enhancement,goal:sdk-v2",
		title: "v2 client design doc",
		body:  "### Decisions\n- one client per API version\n- typed errors with `code`, `request_id`, `retryable`\n- retries with jitter, on by default for idempotent calls\n\nComments welcome until Friday."},
	{key: "acme/platform-sdk#2", st: done, q: 3, who: "jonas-lind", lbl: "bug",
		title: "TypeScript types mark `customer.email` as required",
		body:  "The API returns `null` for customers created from the dashboard without an email. The type says `string`."},
	{key: "acme/platform-sdk#3", st: done, q: 3, who: "yusuf-demir", lbl: "tech-debt",
		title: "Drop Node 14 and 16 from the test matrix",
		body:  "Both are end of life; the matrix takes 25 minutes because of them."},
	{key: "acme/platform-sdk#4", st: done, q: 3, who: "ravi-kumar", lbl: "enhancement",
		title: "Expose rate limit headers on every response object",
		body:  "Callers want `RateLimit-Remaining` without reaching into the raw response."},
	{key: "acme/platform-sdk#5", st: done, q: 3, who: "jonas-lind", lbl: "bug",
		title: "Go client leaks a goroutine per request when the context is cancelled",
		body:  "The response body is not closed on the cancellation path.\n\n```go\nresp, err := c.http.Do(req)\nif ctx.Err() != nil {\n\treturn nil, ctx.Err() // resp.Body never closed\n}\n```"},
	{key: "acme/platform-sdk#6", st: todo, q: 3, lbl: "question",
		title: "Publish the SDKs to a private registry for enterprise customers?",
		body:  "Two enterprise customers cannot pull from public registries. Mirror, or document vendoring?"},

	{key: "acme/platform-sdk#7", st: done, q: 2, who: "ravi-kumar", lbl: "enhancement,goal:sdk-v2",
		title: "Typed errors in the Go v2 client",
		body:  "`errors.As(err, &apierr.CardDeclined{})` instead of matching strings."},
	{key: "acme/platform-sdk#8", st: done, q: 2, who: "yusuf-demir", lbl: "tech-debt",
		title: "Replace the hand-rolled retry loop with the shared backoff policy",
		body:  "Each SDK has its own retry loop with different limits. Generate the policy from one definition."},
	{key: "acme/platform-sdk#9", st: doing, q: 2, who: "jonas-lind", lbl: "enhancement,goal:sdk-v2",
		title: "Code snippet generator for the docs and the dashboard",
		body:  "Generate curl, Node, Python and Go snippets from an operation id and a key, so the docs and the dashboard show the same code."},
	{key: "acme/platform-sdk#10", st: done, q: 2, who: "ravi-kumar", lbl: "bug",
		title: "Python client sends floats for amounts",
		body:  "`amount=10.5` is serialised as a float; the API expects integer minor units and rounds."},
	{key: "acme/platform-sdk#11", st: done, q: 2, who: "yusuf-demir", lbl: "tech-debt",
		title: "Flaky test in the webhook signature verifier",
		body:  "`TestVerifySignature/expired` fails near the second boundary because it uses the wall clock."},
	{key: "acme/platform-sdk#12", st: todo, q: 2, who: "ravi-kumar", lbl: "enhancement,goal:sdk-v2",
		title: "Idempotency-Key support in the client's automatic retries",
		body:  "Generate one `Idempotency-Key` per logical call and reuse it on every retry, so a retried charge cannot double charge. Callers can pass their own key."},

	{key: "acme/platform-sdk#13", st: done, q: 1, who: "jonas-lind", lbl: "enhancement,goal:sdk-v2",
		title: "Pagination iterators in every v2 client",
		body:  "`for p := range client.Payments.All(ctx)` in Go, async iterators in TypeScript."},
	{key: "acme/platform-sdk#14", st: done, q: 1, who: "yusuf-demir", lbl: "tech-debt",
		title: "Generate the TypeScript client instead of maintaining it by hand",
		body:  "Use the same OpenAPI pipeline as the Go client."},
	{key: "acme/platform-sdk#15", st: done, q: 1, who: "ravi-kumar", lbl: "bug",
		title: "Go client ignores `Retry-After` on 429",
		body:  "It retries after its own backoff instead of the server's delay."},
	{key: "acme/platform-sdk#16", st: done, q: 1, who: "jonas-lind", lbl: "documentation",
		title: "Migration guide from v1 to v2",
		body:  "A page per language with the renamed methods and the error handling changes."},
	{key: "acme/platform-sdk#17", st: done, q: 1, who: "yusuf-demir", lbl: "refactor",
		title: "Move the shared test fixtures into one package",
		body:  "Every client keeps its own copy of the recorded API responses."},
	{key: "acme/platform-sdk#18", st: todo, q: 1, lbl: "bug",
		title: "Token refresh blocks the calling thread on Android",
		body:  "`AuthInterceptor.refresh()` runs synchronously on whatever thread makes the first call, which is the main thread during app start-up."},

	{key: "acme/platform-sdk#19", st: done, q: 0, who: "ravi-kumar", lbl: "enhancement,goal:sdk-v2",
		title: "Publish v2.0.0 of the Go and TypeScript clients",
		body:  "Tag, changelog, announcement in the developer newsletter."},
	{key: "acme/platform-sdk#20", st: done, q: 0, who: "jonas-lind", lbl: "tech-debt",
		title: "Remove the v1 clients from the main branch",
		body:  "v1 lives on in the `v1` branch for security fixes only."},
	{key: "acme/platform-sdk#21", st: todo, q: 0, lbl: "tech-debt",
		title: "Upgrade the code generator and drop our template patches",
		body:  "We patch eleven generator templates; upstream fixed nine of the underlying issues."},
	{key: "acme/platform-sdk#22", st: doing, q: 0, who: "yusuf-demir", lbl: "tech-debt",
		title: "Remove the deprecated `charges.create_legacy` method",
		body:  "Deprecated for a year; the v2 release is the moment to drop it."},
	{key: "acme/platform-sdk#23", st: todo, q: 0, who: "ravi-kumar", lbl: "bug",
		title: "TypeScript client bundles Node's `crypto` in browser builds",
		body:  "Webpack users get a 400 KB polyfill because the webhook verifier imports `crypto` at the top level."},
	{key: "acme/platform-sdk#24", st: todo, q: 0, lbl: "enhancement",
		title: "Expose the request id on successful responses",
		body:  "Support asks for the request id for every call, not only errors."},
	{key: "acme/platform-sdk#25", st: done, q: 0, who: "jonas-lind", lbl: "bug",
		title: "Webhook verifier rejects signatures with uppercase hex",
		body:  "The comparison is case-sensitive; one partner's proxy uppercases the header."},
	{key: "acme/platform-sdk#26", st: todo, q: 0, lbl: "tech-debt",
		title: "Delete the Python 2 compatibility shims",
		body:  "`six` and the `compat.py` module are still imported everywhere although we only test on Python 3.9+."},
}
