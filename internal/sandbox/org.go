package sandbox

// The sample organisation is Acme, five teams building a payments product,
// seen over the current fiscal quarter and the three before it (the fiscal
// year starts in February). Run through Ladder, it tells this story:
//
//   - Platform is above its tech-debt band (target 25–40%) and climbing every
//     quarter: retiring the legacy job runner and the v1 webhook dispatcher
//     crowds out the SDK v2 goal the other teams are waiting for.
//   - Payments is below its band (target 15–25%): almost all of its work is the
//     one-page checkout, while its comments keep admitting new debt
//     ("workaround for now", "we'll clean this up later").
//   - Data, growth and mobile stay within their bands.
//   - The company goal "Launch in the EU" and growth's team goal "Localise the
//     web signup" have no work at all.
//   - Data's revenue dashboard waits on PAY-57 "Publish ledger events to the
//     warehouse topic", which no payments goal covers: that blocker is at risk
//     of never being scheduled. So is acme/web's invoice history page, which
//     waits on PAY-60. Mobile's Apple Pay work waits on PAY-41, which is on
//     payments' checkout goal, so that one will move.
//   - Platform, data and payments wait on each other in a cycle
//     (PLAT-71 → DATA-33 → PAY-52 → PLAT-71), and Apple Pay sits at the end of
//     a long chain: acme/mobile#31 → PAY-41 → PLAT-64 → PLAT-66 → DATA-40.
//   - Platform (PLAT-80) and growth (acme/web#48) filed the same work: rate
//     limiting for the public API.
//   - A few OPS issues match no team: nobody owns them.

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
	// placeholders {{.GitHubURL}}, {{.JiraURL}} and {{.Store}}; see RenderConfig.
	Config string
	// Story says, in a few paragraphs, what a PM should notice in the report.
	Story string
}

// ConfigVars fills the placeholders of Org.Config.
type ConfigVars struct {
	GitHubURL string
	JiraURL   string
	Store     string
}

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
	for _, s := range jiraSeeds {
		b.add(JiraTracker, s)
	}
	for _, s := range githubSeeds {
		b.add(GitHubTracker, s)
	}
	b.link()
	return Org{
		GitHub: b.issues(GitHubTracker),
		Jira:   b.issues(JiraTracker),
		Teams:  teams,
		Goals:  goals,
		Config: orgConfig(teams, goals),
		Story:  orgStory,
	}
}

const orgStory = `Acme has five teams — payments, platform, data, growth and mobile — and three
company goals: grow self-serve revenue, keep money movement reliable, and launch in
the EU. Ladder read their Jira projects (PAY, PLAT, DATA, OPS) and GitHub repos
(acme/web, acme/mobile, acme/platform-sdk) over the last four fiscal quarters.

Tech debt: platform is above its 25–40% band and has climbed every quarter, as
retiring the legacy job runner and the v1 webhook dispatcher crowds out SDK v2.
Payments is below its 15–25% band — nearly everything is one-page checkout — while
its comments keep admitting new debt ("workaround for now", "we'll clean this up
later"). Data, growth and mobile stay inside their bands.

Goals: "Launch in the EU" and growth's "Localise the web signup" have no work
at all. Checkout, onboarding and the revenue dashboard carry most aligned effort.

Dependencies: data's revenue dashboard (DATA-35) waits on PAY-57, "Publish ledger
events to the warehouse topic", and no payments goal covers it — at risk of never
being scheduled; so is acme/web's invoice history (acme/web#41, waiting on PAY-60).
Mobile's Apple Pay (acme/mobile#31) waits on PAY-41, which is on payments'
checkout goal, at the head of the longest chain: acme/mobile#31 → PAY-41 → PLAT-64
→ PLAT-66 → DATA-40. Platform, data and payments wait on each other in a cycle:
PLAT-71 → DATA-33 → PAY-52 → PLAT-71.

Overlap: platform's PLAT-80 and growth's acme/web#48 are the same work — rate
limiting for the public API. And a few OPS issues belong to no team.`

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
			TechDebtTarget: ladder.Band{Min: 0.25, Max: 0.40},
		},
		{
			Name:           "data",
			JiraProjects:   []string{"DATA"},
			Components:     []string{"Warehouse"},
			TechDebtTarget: ladder.Band{Min: 0.15, Max: 0.30},
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
// Org carries, so the two cannot drift apart.
func orgConfig(teams []ladder.Team, goals []ladder.Goal) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("# Acme's Ladder config for the sandbox trackers (`ladder demo`).")
	w("store: {{.Store}}")
	w("fiscal_year_start_month: %d", int(FiscalYearStart))
	w("")
	w("trackers:")
	w("  - name: %s", GitHubTracker)
	w("    kind: github")
	w("    url: {{.GitHubURL}}")
	w("    token_env: LADDER_DEMO_GITHUB_TOKEN")
	w("    repos: %s", yamlList(orgRepos))
	w("  - name: %s", JiraTracker)
	w("    kind: jira")
	w("    deployment: cloud")
	w("    url: {{.JiraURL}}")
	w("    user_env: LADDER_DEMO_JIRA_EMAIL")
	w("    token_env: LADDER_DEMO_JIRA_TOKEN")
	w("    jql: project in (%s) ORDER BY created ASC", strings.Join(orgProjects, ", "))
	w("    story_points_field: auto")
	w("")
	w("teams:")
	for _, t := range teams {
		w("  - name: %s", yamlString(t.Name))
		w("    jira_projects: %s", yamlList(t.JiraProjects))
		w("    github_repos: %s", yamlList(t.GitHubRepos))
		w("    components: %s", yamlList(t.Components))
		w("    labels: %s", yamlList(t.Labels))
		w("    members: %s", yamlList(t.Members))
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

func yamlList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = yamlString(x)
		if strings.Contains(q[i], " ") && q[i][0] != '"' {
			q[i] = strconv.Quote(x) // a flow sequence reads "a b" fine, but quoting reads clearer
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
	order  []ladder.Ref
	seeds  map[ladder.Ref]seed
	groups map[string][]ladder.Ref // project/quarter → refs in listed order
	ids    int
}

func newOrgBuilder(now time.Time) *orgBuilder {
	return &orgBuilder{
		now:    now,
		byRef:  map[ladder.Ref]*ladder.Issue{},
		seeds:  map[ladder.Ref]seed{},
		groups: map[string][]ladder.Ref{},
	}
}

func (b *orgBuilder) add(tracker string, s seed) {
	ref := ladder.Ref{Tracker: tracker, Key: s.key}
	if _, dup := b.byRef[ref]; dup {
		panic("sandbox: duplicate sample issue " + ref.String())
	}
	b.ids++
	is := &ladder.Issue{
		Ref:        ref,
		Type:       s.typ,
		Title:      s.title,
		Labels:     splitList(s.lbl),
		Components: splitList(s.comp),
		Assignee:   s.who,
		Parent:     s.epic,
	}
	switch tracker {
	case JiraTracker:
		is.ID = strconv.Itoa(10000 + b.ids)
		is.Project, _, _ = strings.Cut(s.key, "-")
		is.URL = "https://acme.atlassian.net/browse/" + s.key
		is.BodyRaw = wikiMarkup(s.body)
		is.Status = jiraStatus[s.st]
		is.Reporter = projectLead[is.Project]
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
		is.Reporter = projectLead[repo]
	}
	is.StatusCategory = s.st
	is.Body = plainText(s.body)
	b.byRef[ref] = is
	b.seeds[ref] = s
	b.order = append(b.order, ref)
	g := is.Project + "/" + strconv.Itoa(s.q)
	b.groups[g] = append(b.groups[g], ref)
}

// link places every issue in time, then adds links and comments.
func (b *orgBuilder) link() {
	cur := ladder.QuarterOf(b.now, FiscalYearStart)
	for _, refs := range b.groups {
		q := cur
		for range b.seeds[refs[0]].q {
			q = q.Prev()
		}
		start := q.Start(FiscalYearStart, time.UTC)
		end := nextQuarter(q).Start(FiscalYearStart, time.UTC)
		if end.After(b.now) {
			end = b.now
		}
		span := end.Sub(start)
		for j, ref := range refs {
			is := b.byRef[ref]
			// Leave the last fifth of the window for work to finish in.
			is.Created = start.Add(time.Duration(float64(span) * 0.8 * (float64(j) + 0.5) / float64(len(refs)))).Truncate(time.Minute)
			is.Updated = is.Created
			if is.StatusCategory == done {
				left := end.Sub(is.Created) - time.Hour
				took := time.Duration(2+hash(ref.Key)%20) * 24 * time.Hour
				if took > left {
					took = left
				}
				r := is.Created.Add(took).Truncate(time.Minute)
				is.Resolved = &r
				is.Updated = r
			} else if is.StatusCategory == doing {
				is.Updated = is.Created.Add(b.now.Sub(is.Created) / 2).Truncate(time.Minute)
			}
			if is.Parent != "" {
				parent := ladder.Ref{Tracker: ref.Tracker, Key: is.Parent}
				if _, ok := b.byRef[parent]; !ok {
					panic("sandbox: " + ref.String() + " names unknown parent " + is.Parent)
				}
				if ref.Tracker == GitHubTracker {
					b.addLink(parent, ladder.Link{Kind: ladder.ChildOf, To: ref, Via: "sub-issue"})
				}
			}
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
		if notes == nil {
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

// Jira issues, one project after another, each in creation order.
var jiraSeeds = []seed{
	// PAY — payments. Below its debt band in the current quarter: checkout eats everything.
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

// GitHub issues, one repository after another, each in creation order.
var githubSeeds = []seed{
	{key: "acme/planning#1", st: todo, q: 0, who: "grace-lee", lbl: OptOutLabel,
		title: "Quarterly planning: goals, debt and dependencies",
		body:  "Ladder keeps this issue up to date with the team/quarter report. Edit the goals in `ladder.yaml`, not here."},
	{key: "acme/web#7", st: done, q: 2, who: "noah-fischer", lbl: "goal:onboarding",
		title: "Define the signup analytics event schema",
		body:  "One schema for every event the sign-up flow emits, versioned, so data can model the funnel."},
	{key: "acme/web#52", st: todo, q: 0, lbl: "bug",
		title: "@everyone see #1 <script>x</script> [~accountid:abc]",
		body:  "Pasted from a support ticket as is. @everyone please look at #1 and acme/web#7 <img src=x onerror=alert(1)>"},
}

// orgEdges are the native links: Jira issue links (Via = link type name) and
// GitHub issue dependencies.
var orgEdges = []edge{
	{from: "jira:PAY-44", to: "jira:PAY-43", kind: ladder.BlockedBy, via: "Blocks"},
}

// orgNotes are the comments that matter to the story.
var orgNotes = []note{
	{key: "jira:PAY-31", who: "daniel-okafor", text: "Disabled the button after the first click as a workaround for now. The real fix is idempotency keys (PAY-47)."},
}

// poolNotes are ordinary comments handed out to the other issues.
var poolNotes = []string{
	"Picked this up, will have a PR tomorrow.",
	"Can we get a screenshot of what you see?",
	"Reproduced on staging.",
}
