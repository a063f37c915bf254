package analyzer

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
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

func TestCategory(t *testing.T) {
	m := DefaultDebtModel()
	debtTitle, debtBody := "Refactor legacy job runner", "Remove deprecated unused code and clean up the technical debt in the old scheduler."
	if s, _ := m.Score(debtTitle, debtBody); s < m.Threshold() {
		t.Fatalf("the model scores the debt example %.2f, below its threshold %.2f; pick a clearer example", s, m.Threshold())
	}
	plainTitle := "Show invoice totals in the account page"
	if s, _ := m.Score(plainTitle, ""); s >= m.Threshold() {
		t.Fatalf("the model scores the feature example %.2f, above its threshold", s)
	}
	tests := []struct {
		name     string
		issue    ladder.Issue
		category ladder.Category
		debt     bool
		reason   string // prefix of the category reason
	}{
		{"debt label", jira("PAY-2", plainTitle, labels("Tech-Debt")), ladder.TechDebt, true, "tech debt: label Tech-Debt"},
		{"debt type", jira("PAY-2", plainTitle, typ("Technical Debt")), ladder.TechDebt, true, "tech debt: type Technical Debt"},
		{"debt label beats bug type", jira("PAY-2", plainTitle, typ("Bug"), labels("refactor")), ladder.TechDebt, true, "tech debt: label refactor"},
		{"debt by the model", jira("PAY-2", debtTitle, body(debtBody)), ladder.TechDebt, true, "tech debt: the debt model scores"},
		{"bug type", jira("PAY-2", plainTitle, typ("Bug")), ladder.Bug, false, "bug: type Bug (debt model"},
		{"bug label", gh("acme/payments#2", plainTitle, labels("kind/bug")), ladder.Bug, false, "bug: label kind/bug"},
		{"dependency bump", gh("acme/payments#2", "Bump lodash from 4.17.20 to 4.17.21"), ladder.Maintenance, false, `maintenance: title starts with "Bump"`},
		{"chore commit style", gh("acme/payments#2", "chore: update CI images"), ladder.Maintenance, false, `maintenance: title starts with "chore:"`},
		{"dependencies label", gh("acme/payments#2", plainTitle, labels("dependencies")), ladder.Maintenance, false, "maintenance: label dependencies"},
		{"chore type", jira("PAY-2", plainTitle, typ("Chore")), ladder.Maintenance, false, "maintenance: type Chore"},
		{"feature", jira("PAY-2", plainTitle), ladder.Feature, false, "feature: no debt, bug or maintenance signal (debt model"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, _ := analyze(t, testConfig(), []ladder.Issue{tt.issue})
			v := vs[tt.issue.Ref.String()]
			if v.Category != tt.category || v.TechDebt != tt.debt {
				t.Errorf("category %s, debt %v; want %s, %v", v.Category, v.TechDebt, tt.category, tt.debt)
			}
			if !hasPrefix(v.Reasons, tt.reason) {
				t.Errorf("reasons %q lack %q…", v.Reasons, tt.reason)
			}
			if v.TechDebtScore < 0 || v.TechDebtScore > 1 {
				t.Errorf("debt score %v", v.TechDebtScore)
			}
		})
	}
}

func TestDebtThresholdOverride(t *testing.T) {
	is := jira("PAY-2", "Show invoice totals in the account page")
	s, _ := DefaultDebtModel().Score(is.Title, is.Body)
	for _, tc := range []struct {
		thr  float64
		debt bool
	}{{s, true}, {s + 0.001, false}} {
		cfg := testConfig()
		cfg.DebtThreshold = tc.thr
		vs, _ := analyze(t, cfg, []ladder.Issue{is})
		if got := vs["jira:PAY-2"].TechDebt; got != tc.debt {
			t.Errorf("score %.4f, threshold %.4f: debt = %v, want %v", s, tc.thr, got, tc.debt)
		}
	}
}

func TestDebtAdmitted(t *testing.T) {
	is := jira("PAY-2", "x", comment("bob", "Looks good."), comment("alice", "Merged it as a workaround for now, we'll clean this up later."))
	vs, _ := analyze(t, testConfig(), []ladder.Issue{is, jira("PAY-3", "y", comment("bob", "Shipped."))})
	v := vs["jira:PAY-2"]
	if !v.DebtAdmitted || !hasPrefix(v.Reasons, `debt admitted: a comment by alice on 2026-03-13 says "`) {
		t.Errorf("admitted = %v, reasons %q", v.DebtAdmitted, v.Reasons)
	}
	if vs["jira:PAY-3"].DebtAdmitted {
		t.Errorf("PAY-3 admits no debt")
	}
}

// Same issues in any order: the same verdicts and the same summary.
func TestDeterministic(t *testing.T) {
	issues := []ladder.Issue{
		jira("PAY-1", "Epic", typ("Epic")), jira("PAY-7", "Cart page", parent("PAY-1"), points(3)),
		jira("PAY-8", "Totals", parent("PAY-7"), body("Blocked by PLAT-88 and acme/platform#12"), points(2)),
		jira("PLAT-88", "Refactor the legacy job runner", labels("tech-debt"), body("blocked by DATA-3")),
		jira("DATA-3", "Export", body("waiting on PAY-8")),
		gh("acme/platform#12", "Queue failover drill"), gh("acme/platform#13", "Add rate limiting to the public API"),
		gh("acme/payments#3", "Rate limiting for the public API"), jira("OPS-1", "Nobody's"), jira("OPS-2", "Nobody's either"),
		jira("PAY-9", "Old", done(now.AddDate(0, -4, 0)), labels("tech-debt"), points(5)),
	}
	render := func(list []ladder.Issue) string {
		vs, sum := analyze(t, testConfig(), list)
		var b bytes.Buffer
		for _, is := range issues {
			json.NewEncoder(&b).Encode(vs[is.Ref.String()])
		}
		json.NewEncoder(&b).Encode(sum)
		return b.String()
	}
	want := render(issues)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 5 {
		shuffled := append([]ladder.Issue(nil), issues...)
		rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		if got := render(shuffled); got != want {
			t.Fatalf("shuffle %d changed the output:\n%s\nwant\n%s", i, got, want)
		}
	}
}

func TestRunContract(t *testing.T) {
	a, err := New(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	issues := []ladder.Issue{jira("PAY-1", "a"), jira("PAY-2", "b"), jira("PAY-1", "a again")}
	t.Run("a duplicate issue gets one verdict", func(t *testing.T) {
		vs, sum := analyze(t, testConfig(), issues)
		if len(vs) != 2 || sum.Teams[0].Issues != 2 {
			t.Errorf("verdicts %d, issues counted %d; want 2 and 2", len(vs), sum.Teams[0].Issues)
		}
	})
	t.Run("emit errors stop the run", func(t *testing.T) {
		stop := errors.New("disk full")
		_, err := a.Run(stream(issues), func(*ladder.Verdict) error { return stop })
		if !errors.Is(err, stop) {
			t.Errorf("err = %v, want %v", err, stop)
		}
	})
	t.Run("each errors stop the run", func(t *testing.T) {
		broken := errors.New("store closed")
		_, err := a.Run(func(func(*ladder.Issue) error) error { return broken }, nil)
		if !errors.Is(err, broken) {
			t.Errorf("err = %v, want %v", err, broken)
		}
	})
	t.Run("nil emit still summarises", func(t *testing.T) {
		sum, err := a.Run(stream(issues), nil)
		if err != nil || sum.Teams[0].Issues != 2 {
			t.Errorf("summary %+v, err %v", sum, err)
		}
	})
	t.Run("an issue only the second pass sees is judged", func(t *testing.T) {
		pass := 0
		each := func(fn func(*ladder.Issue) error) error {
			pass++
			list := issues[:2]
			if pass == 2 {
				list = append(list[:2:2], jira("PAY-5", "late", labels("goal:checkout")))
			}
			return stream(list)(fn)
		}
		var late *ladder.Verdict
		if _, err := a.Run(each, func(v *ladder.Verdict) error {
			if v.Key == "PAY-5" {
				late = v
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if late == nil || !late.Aligned || late.Team != "payments" {
			t.Errorf("late verdict = %+v", late)
		}
	})
	t.Run("explain", func(t *testing.T) {
		v, err := a.Explain(stream(issues), ladder.Ref{Tracker: "jira", Key: "PAY-2"})
		if err != nil || v.Title != "b" {
			t.Errorf("Explain = %+v, %v", v, err)
		}
		if _, err := a.Explain(stream(issues), ladder.Ref{Tracker: "jira", Key: "PAY-404"}); err == nil {
			t.Error("Explain of a missing issue: no error")
		}
	})
}
