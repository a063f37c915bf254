package analyzer

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ladderhq/ladder"
)

// now is in FY2027-Q1 with a February fiscal year (Feb–Apr 2026).
var now = time.Date(2026, time.March, 15, 12, 0, 0, 0, time.UTC)

func testConfig() Config {
	return Config{
		FiscalYearStartMonth: time.February,
		Now:                  now,
		Teams: []ladder.Team{
			{Name: "payments", JiraProjects: []string{"PAY"}, GitHubRepos: []string{"acme/payments"}, Labels: []string{"team:payments"},
				Members: []string{"alice"}, TechDebtTarget: ladder.Band{Min: 0.15, Max: 0.25}},
			{Name: "platform", JiraProjects: []string{"PLAT"}, GitHubRepos: []string{"acme/platform"}, Components: []string{"Infra"},
				Members: []string{"bob"}, TechDebtTarget: ladder.Band{Min: 0.25, Max: 0.40}},
			{Name: "data", JiraProjects: []string{"DATA"}},
		},
		Goals: []ladder.Goal{
			{ID: "self-serve", Title: "Grow self-serve revenue", Description: "More customers buy without talking to sales."},
			{ID: "reliability", Title: "Be reliable", Description: "Customers trust us with their money.", Quarter: "FY2027-Q1"},
			{ID: "pay-checkout", Team: "payments", Parent: "self-serve", Title: "One-page checkout",
				Keywords: []string{"checkout", "cart", "payment form"}, Labels: []string{"goal:checkout"}, Epics: []string{"PAY-1"}},
			{ID: "plat-sdk", Team: "platform", Parent: "self-serve", Title: "SDK v2 for partners",
				Keywords: []string{"sdk", "client library"}, Labels: []string{"goal:sdk"}},
			{ID: "plat-uptime", Team: "platform", Parent: "reliability", Title: "Queue uptime",
				Keywords: []string{"queue", "outage", "failover"}},
		},
		TechDebtLabels: []string{"tech-debt", "refactor"},
		TechDebtTypes:  []string{"Technical Debt"},
	}
}

// stream serves issues the way the store does: one at a time, as often as asked.
func stream(list []ladder.Issue) func(fn func(*ladder.Issue) error) error {
	return func(fn func(*ladder.Issue) error) error {
		for i := range list {
			is := list[i] // a copy: the analyzer must not keep it
			if err := fn(&is); err != nil {
				return err
			}
		}
		return nil
	}
}

// analyze runs cfg over list and returns the verdicts by "tracker:key".
func analyze(t *testing.T, cfg Config, list []ladder.Issue) (map[string]*ladder.Verdict, *ladder.Summary) {
	t.Helper()
	a, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	got := map[string]*ladder.Verdict{}
	sum, err := a.Run(stream(list), func(v *ladder.Verdict) error {
		if _, dup := got[v.Ref.String()]; dup {
			t.Errorf("verdict for %s emitted twice", v.Ref)
		}
		got[v.Ref.String()] = v
		return nil
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return got, sum
}

func jira(key, title string, opts ...func(*ladder.Issue)) ladder.Issue {
	p, _, _ := strings.Cut(key, "-")
	is := ladder.Issue{Ref: ladder.Ref{Tracker: "jira", Key: key}, Project: p, Type: "Story", Title: title,
		StatusCategory: ladder.StatusTodo, Created: now.AddDate(0, -1, 0), Updated: now.AddDate(0, 0, -1),
		URL: "https://acme.atlassian.net/browse/" + key}
	for _, o := range opts {
		o(&is)
	}
	return is
}

func gh(key, title string, opts ...func(*ladder.Issue)) ladder.Issue {
	repo, num, _ := strings.Cut(key, "#")
	is := ladder.Issue{Ref: ladder.Ref{Tracker: "gh", Key: key}, Project: repo, Title: title,
		StatusCategory: ladder.StatusTodo, Created: now.AddDate(0, -1, 0), Updated: now.AddDate(0, 0, -1),
		URL: "https://github.com/" + repo + "/issues/" + num}
	for _, o := range opts {
		o(&is)
	}
	return is
}

func body(s string) func(*ladder.Issue)      { return func(is *ladder.Issue) { is.Body = s } }
func labels(l ...string) func(*ladder.Issue) { return func(is *ladder.Issue) { is.Labels = l } }
func parent(p string) func(*ladder.Issue)    { return func(is *ladder.Issue) { is.Parent = p } }
func typ(s string) func(*ladder.Issue)       { return func(is *ladder.Issue) { is.Type = s } }
func links(l ...ladder.Link) func(*ladder.Issue) {
	return func(is *ladder.Issue) { is.Links = append(is.Links, l...) }
}
func done(at time.Time) func(*ladder.Issue) {
	return func(is *ladder.Issue) { is.StatusCategory = ladder.StatusDone; is.Resolved = &at; is.Updated = at }
}
func points(p float64) func(*ladder.Issue) { return func(is *ladder.Issue) { is.Estimate = &p } }
func comment(who, text string) func(*ladder.Issue) {
	return func(is *ladder.Issue) {
		is.Comments = append(is.Comments, ladder.Comment{Author: who, Created: now.AddDate(0, 0, -2), Body: text})
	}
}
func link(kind ladder.LinkKind, tracker, key string) ladder.Link {
	return ladder.Link{Kind: kind, To: ladder.Ref{Tracker: tracker, Key: key}, Via: "Blocks"}
}

func TestExplore(t *testing.T) {
	list := []ladder.Issue{
		jira("PAY-1", "One-page checkout epic", typ("Epic")),
		jira("PAY-7", "Cart page", parent("PAY-1")),
		jira("PAY-8", "Totals rounding", parent("PAY-7"), body("Blocked by PLAT-88 and also see acme/platform#12")),
		jira("PAY-9", "Checkout button misaligned", typ("Bug")),
		jira("PLAT-88", "Refactor the legacy job runner", labels("tech-debt")),
		gh("acme/platform#12", "Queue failover drill"),
		gh("acme/payments#3", "Rate limiting for the public API", labels("team:payments")),
		gh("acme/platform#13", "Add rate limiting to the public API"),
	}
	vs, sum := analyze(t, testConfig(), list)
	for _, is := range list {
		b, _ := json.MarshalIndent(vs[is.Ref.String()], "", " ")
		t.Logf("%s", b)
	}
	b, _ := json.MarshalIndent(sum, "", " ")
	t.Logf("%s", b)
}
