package analyzer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
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
		is := func(ref ladder.Ref) func(ladder.Ref) bool { return func(r ladder.Ref) bool { return r == ref } }
		vs, err := a.Explain(stream(issues), is(ladder.Ref{Tracker: "jira", Key: "PAY-2"}))
		if err != nil || len(vs) != 1 || vs[0].Title != "b" {
			t.Errorf("Explain = %+v, %v", vs, err)
		}
		if vs, err := a.Explain(stream(issues), is(ladder.Ref{Tracker: "jira", Key: "PAY-404"})); err != nil || len(vs) != 0 {
			t.Errorf("Explain of a missing issue = %v, %v; want none", vs, err)
		}
	})
}

// Runs of one Analyzer share its model and the stem cache, nothing else:
// runs side by side give what a lone run gives.
func TestRunConcurrent(t *testing.T) {
	const n = 3000
	a, err := New(newSynthOrg(n).cfg)
	if err != nil {
		t.Fatal(err)
	}
	render := func() (string, error) {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		org := newSynthOrg(n) // its own: the generator reuses its buffers
		sum, err := a.Run(org.each, func(v *ladder.Verdict) error { return enc.Encode(v) })
		if err != nil {
			return "", err
		}
		err = enc.Encode(sum)
		return b.String(), err
	}
	want, err := render()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if got, err := render(); err != nil || got != want {
				t.Errorf("a concurrent run gave other output (err %v)", err)
			}
		})
	}
	wg.Wait()
}

// synthOrg generates a large organisation on the fly: 10 teams, 16 Jira
// projects and 8 GitHub repos, 30 goals, a Zipf-like vocabulary, epics,
// links and references across trackers, comments, estimates, and five years
// of done work with a fifth of the issues still open.
type synthOrg struct {
	n       int
	reverse bool // stream the issues last first
	vocab   []string
	cfg     Config
	issue   ladder.Issue // reused: the analyzer must not keep issues
	buf     []byte
	comms   [2]ladder.Comment
	links   [1]ladder.Link
	labels  []string
	est     float64
}

var synthProjects = []string{"PAY", "PLAT", "DATA", "GROW", "MOB", "SEC", "OPS", "BILL", "RISK", "LEDG", "AUTH", "SRCH", "NOTF", "ANLY", "INFR", "DOCS"}

func newSynthOrg(n int) *synthOrg {
	s := &synthOrg{n: n}
	cons, vows := "bdfgklmnprstvz", "aeiou"
	for k := 0; len(s.vocab) < 20000; k++ {
		var w []byte
		for x := k + 7; x > 0 || len(w) < 4; x /= len(cons) * len(vows) {
			c := x % (len(cons) * len(vows))
			w = append(w, cons[c%len(cons)], vows[c/len(cons)])
		}
		s.vocab = append(s.vocab, string(w))
	}
	cfg := Config{FiscalYearStartMonth: time.February, Now: now, TechDebtLabels: []string{"tech-debt"}, TechDebtTypes: []string{"Technical Debt"}}
	for t := range 10 {
		team := ladder.Team{
			Name:           fmt.Sprintf("team%d", t),
			JiraProjects:   []string{synthProjects[t], synthProjects[t+6]},
			GitHubRepos:    []string{fmt.Sprintf("acme/repo%d", t%8)},
			Labels:         []string{fmt.Sprintf("team:%d", t)},
			TechDebtTarget: ladder.Band{Min: 0.1, Max: 0.3},
		}
		cfg.Teams = append(cfg.Teams, team)
		cfg.Goals = append(cfg.Goals, ladder.Goal{ID: fmt.Sprintf("co%d", t), Title: "Company goal " + s.vocab[500+t]})
		for g := range 2 {
			kw := []string{s.vocab[300+t*7+g], s.vocab[301+t*7+g] + " " + s.vocab[302+t*7+g]}
			cfg.Goals = append(cfg.Goals, ladder.Goal{
				ID: fmt.Sprintf("t%dg%d", t, g), Team: team.Name, Parent: fmt.Sprintf("co%d", t),
				Title: s.vocab[200+t*7+g] + " " + s.vocab[600+t], Keywords: kw,
				Labels: []string{fmt.Sprintf("goal:%d-%d", t, g)}, Epics: []string{fmt.Sprintf("%s-%d", synthProjects[t], 50*(g+1))},
			})
		}
	}
	s.cfg = cfg
	return s
}

// rng is splitmix64: cheap enough not to dominate what it feeds.
func rng(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func (s *synthOrg) words(seed uint64, n int) string {
	s.buf = s.buf[:0]
	for k := range n {
		r := rng(seed + uint64(k)*0x632be59bd9b4e019)
		u := float64(r>>11) / (1 << 53)
		if k > 0 {
			s.buf = append(s.buf, ' ')
		}
		s.buf = append(s.buf, s.vocab[int(float64(len(s.vocab))*u*u*u)]...)
	}
	return string(s.buf)
}

func (s *synthOrg) key(i int) (tracker, key, project string) {
	if i%10 < 7 {
		p := synthProjects[i%len(synthProjects)]
		return "jira", fmt.Sprintf("%s-%d", p, i/len(synthProjects)+1), p
	}
	repo := fmt.Sprintf("acme/repo%d", i%8)
	return "gh", fmt.Sprintf("%s#%d", repo, i/8+1), repo
}

func (s *synthOrg) each(fn func(*ladder.Issue) error) error {
	for i := range s.n {
		if s.reverse {
			i = s.n - 1 - i
		}
		r := rng(uint64(i))
		tracker, key, project := s.key(i)
		text := r
		if i%1000 == 999 {
			text = rng(uint64(i - 1)) // one in a thousand repeats the issue before, in another project
		}
		is := &s.issue
		*is = ladder.Issue{Ref: ladder.Ref{Tracker: tracker, Key: key}, Project: project, Type: "Story",
			Title: s.words(text, 4+int(text%5)), Body: s.words(text>>7, 15+int(text>>3%40))}
		is.Created = now.Add(-time.Duration(r>>20%(5*365*24)) * time.Hour)
		is.Updated = is.Created
		if r%5 == 0 {
			is.StatusCategory = ladder.StatusTodo
		} else {
			is.StatusCategory = ladder.StatusDone
			res := is.Created.Add(time.Duration(r>>9%400) * time.Hour)
			is.Resolved, is.Updated = &res, res
		}
		if r>>13%10 < 6 {
			s.est = float64(1 + r>>17%8)
			is.Estimate = &s.est
		}
		s.labels = s.labels[:0]
		switch r >> 23 % 20 {
		case 0:
			s.labels = append(s.labels, "tech-debt")
		case 1:
			s.labels = append(s.labels, fmt.Sprintf("goal:%d-%d", r>>27%10, r>>31%2))
		case 2:
			is.Type = "Bug"
		}
		is.Labels = s.labels
		if r>>33%10 < 3 && tracker == "jira" {
			is.Parent = fmt.Sprintf("%s-%d", project, 50*(1+r>>35%4))
		}
		switch r >> 37 % 40 {
		case 0, 1:
			_, other, _ := s.key(int(r>>41) % s.n)
			s.links[0] = ladder.Link{Kind: ladder.BlockedBy, To: ladder.Ref{Tracker: "jira", Key: other}, Via: "Blocks"}
			if strings.Contains(other, "#") {
				s.links[0].To.Tracker = "gh"
			}
			is.Links = s.links[:]
		case 2:
			_, other, _ := s.key(int(r>>41) % s.n)
			is.Body += " Blocked by " + other + "."
		}
		if r>>45%10 < 3 {
			s.comms[0] = ladder.Comment{Author: "dev", Created: is.Created, Body: s.words(r>>2, 12)}
			s.comms[1] = ladder.Comment{Author: "lead", Created: is.Created, Body: "Merged as a workaround for now."}
			is.Comments = s.comms[:1+int(r>>50%2)]
		}
		if err := fn(is); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkRun analyses a synthetic organisation generated on the fly.
// Run it on one core: go test ./analyzer -run '^$' -bench Run -benchtime 1x -cpu 1
// issues/s is the whole run; heap-index-MB is what the analyzer holds between
// the passes (after a GC), peak-heap-MB the largest live heap sampled during
// the run; gen-only-s is what generating the issues once costs: issues/s
// includes generating them twice (one per pass), issues/s-excl-gen does not.
func BenchmarkRun(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("issues=%d", n), func(b *testing.B) {
			org := newSynthOrg(n)
			a, err := New(org.cfg)
			if err != nil {
				b.Fatal(err)
			}
			genStart := time.Now()
			if err := org.each(func(*ladder.Issue) error { return nil }); err != nil {
				b.Fatal(err)
			}
			gen := time.Since(genStart)
			var peak, index uint64
			var ms runtime.MemStats
			sample := func() {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
			b.ResetTimer()
			var sum *ladder.Summary
			for b.Loop() {
				passes, seen := 0, 0
				each := func(fn func(*ladder.Issue) error) error {
					if passes++; passes == 2 {
						b.StopTimer()
						runtime.GC()
						runtime.ReadMemStats(&ms)
						index = ms.HeapAlloc
						b.StartTimer()
					}
					return org.each(func(is *ladder.Issue) error {
						if seen++; seen%100_000 == 0 {
							sample()
						}
						return fn(is)
					})
				}
				sum, err = a.Run(each, func(*ladder.Verdict) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			perRun := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(n)/perRun, "issues/s")
			b.ReportMetric(float64(n)/(perRun-2*gen.Seconds()), "issues/s-excl-gen")
			b.ReportMetric(gen.Seconds(), "gen-only-s")
			b.ReportMetric(float64(index)/(1<<20), "heap-index-MB")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(0, "ns/op")
			if testing.Verbose() {
				b.Logf("teams×quarters %d, overlaps %d, cycles %d, chain %d, uncovered %d",
					len(sum.Teams), len(sum.Overlaps), len(sum.Dependencies.Cycles), len(sum.Dependencies.LongestChain), len(sum.Dependencies.Uncovered))
			}
		})
	}
}
