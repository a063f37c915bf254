package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ladderhq/ladder"
)

// Options shape the team/quarter report. Goals and Teams come from the
// config: they give goal titles, the company goal each team goal ladders to,
// and the order teams are shown in.
type Options struct {
	Title                string
	Now                  time.Time
	FiscalYearStartMonth time.Month
	// Quarters is how many quarters the trend shows, ending with the
	// current one; 0 means 4.
	Quarters int
	Goals    []ladder.Goal
	Teams    []ladder.Team
}

// view is the report as all three formats present it: the current quarter
// per team, the trend, and the cross-team picture, computed once.
type view struct {
	Title    string
	Quarter  ladder.Quarter
	Quarters []ladder.Quarter // oldest first, ending with Quarter
	// Period names the current quarter for people: "FY2027-Q1", or "this
	// quarter" when there is neither a clock nor data to tell which.
	Period    string
	AsOf      time.Time
	FYStart   time.Month
	Teams     []teamView
	Deps      ladder.DepSummary
	TeamNames []string // matrix axes: every team with a cross-team blocker
	Overlaps  []ladder.Overlap
	// OverlapsTotal counts every overlap; Overlaps are the strongest.
	OverlapsTotal int
	// Unknown lists issues no team owns (the first of them on a large
	// backlog); UnknownTotal counts them all.
	Unknown      []ladder.Ref
	UnknownTotal int
	// UncoveredTotal counts the open cross-team blockers no goal covers;
	// Deps.Uncovered lists the first of them.
	UncoveredTotal int
	// Goals is the goal tree of the current quarter with its work.
	Goals     []goalNode
	goals     map[string]ladder.Goal
	goalOrder []ladder.Goal // as configured
}

type teamView struct {
	Name string
	Band ladder.Band
	// Cur is the current quarter; Issues is 0 when the team had none.
	Cur   ladder.TeamQuarter
	Trend []trendPoint
	Goals []goalRow
	// WaitsOn and Blocks are the open cross-team blockers by other team.
	WaitsOn, Blocks []ladder.TeamPair
	WaitsOnOpen     int
	BlocksOpen      int
	// Uncovered counts the team's open waits on blockers no goal of the
	// blocking team covers.
	Uncovered int
	// HasTrend is false when the team had no issues in any trend quarter.
	HasTrend bool
	// Overlapping is true when goal shares add up to more than the whole:
	// an issue counts toward every goal it ladders up to.
	Overlapping bool
}

type trendPoint struct {
	Quarter ladder.Quarter
	Has     bool
	TQ      ladder.TeamQuarter
	Status  string
}

type goalRow struct {
	ladder.GoalShare
	Company      string // company goal ID this goal ladders up to ("" if none)
	CompanyTitle string
	// IsCompany marks a company goal's row: it counts the issues of every
	// team goal under it again, so it is listed after them and kept out of
	// the stacked bar.
	IsCompany bool
}

func (o Options) quarters() int {
	if o.Quarters <= 0 {
		return 4
	}
	return o.Quarters
}

func newView(s *ladder.Summary, o Options) *view {
	if s == nil {
		s = &ladder.Summary{}
	}
	v := &view{
		Title:         o.Title,
		FYStart:       o.FiscalYearStartMonth,
		Deps:          s.Dependencies,
		Overlaps:      s.Overlaps,
		OverlapsTotal: max(s.OverlapsTotal, len(s.Overlaps)),
		Unknown:       s.UnknownTeam,
		// A summary written before the totals existed lists everything.
		UnknownTotal:   max(s.UnknownTeamTotal, len(s.UnknownTeam)),
		UncoveredTotal: max(s.Dependencies.UncoveredTotal, len(s.Dependencies.Uncovered)),
		goals:          map[string]ladder.Goal{},
	}
	if v.Title == "" {
		v.Title = "Ladder report"
	}
	if v.FYStart < time.January || v.FYStart > time.December {
		v.FYStart = time.January
	}
	v.setGoals(s, o)
	v.setQuarters(s, o)
	names, byTeam, bands := teamOrder(s, o)
	for _, name := range names {
		v.Teams = append(v.Teams, v.team(s, name, byTeam[name], bands[name]))
	}
	v.Goals = v.goalTree()
	v.setMatrixAxis(s, names)
	return v
}

// setGoals keeps the goal tree the report shows: the config's goals, or
// the summary's when the config gave none.
func (v *view) setGoals(s *ladder.Summary, o Options) {
	goals := o.Goals
	if len(goals) == 0 {
		goals = s.Goals
	}
	for _, g := range goals {
		v.goals[g.ID] = g
	}
	v.goalOrder = goals
}

// setQuarters fixes the quarter reported (as of the report's clock, or the
// latest the data has) and the trend's quarters ending with it.
func (v *view) setQuarters(s *ladder.Summary, o Options) {
	v.AsOf = o.Now
	if v.AsOf.IsZero() {
		v.AsOf = s.GeneratedAt
	}
	if !v.AsOf.IsZero() {
		v.Quarter = ladder.QuarterOf(v.AsOf, v.FYStart)
	} else {
		// No clock at all: report the latest quarter the data has.
		for _, tq := range s.Teams {
			if q, err := ladder.ParseQuarter(tq.Quarter); err == nil && quarterLess(v.Quarter, q) {
				v.Quarter = q
			}
		}
	}
	v.Period = "this quarter"
	if !v.Quarter.IsZero() {
		v.Period = v.Quarter.String()
		v.Quarters = make([]ladder.Quarter, o.quarters())
		q := v.Quarter
		for i := len(v.Quarters) - 1; i >= 0; i-- {
			v.Quarters[i] = q
			q = q.Prev()
		}
	}
}

// teamOrder returns the teams in report order (the config's, then teams
// only the data names, sorted), each team's summaries by quarter, and the
// config's debt targets.
func teamOrder(s *ladder.Summary, o Options) (names []string, byTeam map[string]map[string]ladder.TeamQuarter, bands map[string]ladder.Band) {
	byTeam = map[string]map[string]ladder.TeamQuarter{}
	seen := map[string]bool{}
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	bands = map[string]ladder.Band{}
	for _, t := range o.Teams {
		add(t.Name)
		bands[t.Name] = t.TechDebtTarget
	}
	var extra []string
	for _, tq := range s.Teams {
		if byTeam[tq.Team] == nil {
			byTeam[tq.Team] = map[string]ladder.TeamQuarter{}
			if !seen[tq.Team] {
				extra = append(extra, tq.Team)
			}
		}
		byTeam[tq.Team][tq.Quarter] = tq
	}
	slices.Sort(extra)
	for _, n := range extra {
		add(n)
	}
	return names, byTeam, bands
}

// team is one team's part of the report: its trend over the quarters, its
// current quarter's goals (company goals first, then by work), whether its
// shares overlap, and what it waits on and blocks.
func (v *view) team(s *ladder.Summary, name string, quarters map[string]ladder.TeamQuarter, band ladder.Band) teamView {
	t := teamView{Name: name, Band: band}
	cur := v.Quarter.String()
	for _, q := range v.Quarters {
		tq, ok := quarters[q.String()]
		p := trendPoint{Quarter: q, Has: ok && tq.Issues > 0, TQ: tq}
		if p.Has {
			p.TQ.Goals = v.withTeamGoals(tq, q)
			t.HasTrend = true
			if t.Band.IsZero() {
				t.Band = tq.DebtTarget
			}
			p.Status = debtStatus(tq, t.Band)
		}
		t.Trend = append(t.Trend, p)
	}
	t.Cur = quarters[cur]
	t.Cur.Team, t.Cur.Quarter = name, cur
	t.Cur.Goals = v.withTeamGoals(t.Cur, v.Quarter)
	if t.Cur.DebtTarget.IsZero() {
		t.Cur.DebtTarget = t.Band
	}
	t.Cur.DebtStatus = debtStatus(t.Cur, t.Cur.DebtTarget)
	for _, gs := range t.Cur.Goals {
		row := goalRow{GoalShare: gs}
		if g, ok := v.goals[gs.Goal]; ok && g.IsCompany() {
			row.IsCompany = true
		}
		if row.Title == "" {
			row.Title = v.goals[gs.Goal].Title
		}
		if c := v.companyOf(gs.Goal); c != gs.Goal {
			row.Company = c
			row.CompanyTitle = v.goals[c].Title
		}
		t.Goals = append(t.Goals, row)
	}
	slices.SortStableFunc(t.Goals, func(a, b goalRow) int {
		return cmp.Or(cmpBool(a.IsCompany, b.IsCompany), cmp.Compare(b.Issues, a.Issues), cmp.Compare(b.Points, a.Points), cmp.Compare(a.Goal, b.Goal))
	})
	total := t.Cur.Unaligned.ShareCount
	for _, g := range t.Goals {
		total += g.ShareCount
	}
	t.Overlapping = total > 1.0001
	for _, p := range s.Dependencies.Pairs {
		if p.Waiting == name && p.Open > 0 {
			t.WaitsOn = append(t.WaitsOn, p)
			t.WaitsOnOpen += p.Open
		}
		if p.Blocking == name && p.Open > 0 {
			t.Blocks = append(t.Blocks, p)
			t.BlocksOpen += p.Open
		}
	}
	t.Uncovered = uncoveredWaits(s.Dependencies, name)
	return t
}

// setMatrixAxis orders the dependency matrix's teams: the report's order
// for those with open waits, then any others the pairs name, sorted.
func (v *view) setMatrixAxis(s *ladder.Summary, names []string) {
	axis := map[string]bool{}
	for _, p := range s.Dependencies.Pairs {
		if p.Open > 0 {
			axis[p.Waiting], axis[p.Blocking] = true, true
		}
	}
	for _, name := range names {
		if axis[name] {
			v.TeamNames = append(v.TeamNames, name)
			delete(axis, name)
		}
	}
	rest := make([]string, 0, len(axis))
	for n := range axis {
		rest = append(rest, n)
	}
	slices.Sort(rest)
	v.TeamNames = append(v.TeamNames, rest...)
}

// companyOf follows a goal's parents up to the company goal; it stops at a
// goal without a parent, and at a cycle a config should never have.
func (v *view) companyOf(id string) string {
	seen := map[string]bool{}
	for !seen[id] {
		seen[id] = true
		g, ok := v.goals[id]
		if !ok || g.Parent == "" {
			return id
		}
		id = g.Parent
	}
	return id
}

// pair returns the open blockers from waiting on blocking.
func (v *view) pair(waiting, blocking string) int {
	for _, p := range v.Deps.Pairs {
		if p.Waiting == waiting && p.Blocking == blocking {
			return p.Open
		}
	}
	return 0
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// debtShare is the debt share a team's band is judged on, as the analyzer
// judges it (DebtStatus): by issue count, the one measure every issue has.
// The share by story points is shown beside it. basis names the measure.
func debtShare(tq ladder.TeamQuarter) (share float64, basis string) {
	return tq.Debt.ShareCount, "issues"
}

// debtStatus keeps the analyzer's verdict and computes one only when it
// left none (a summary built by hand, an older store).
func debtStatus(tq ladder.TeamQuarter, band ladder.Band) string {
	if tq.DebtStatus != "" {
		return tq.DebtStatus
	}
	share, _ := debtShare(tq)
	switch {
	case band.IsZero():
		return "no target"
	case share < band.Min:
		return "below"
	case share > band.Max:
		return "above"
	}
	return "within"
}

// aligned is the aligned share of a quarter by issue count.
func aligned(tq ladder.TeamQuarter) float64 {
	if tq.Issues == 0 {
		return 0
	}
	return float64(tq.Issues-tq.Unaligned.Issues) / float64(tq.Issues)
}

func quarterLess(a, b ladder.Quarter) bool {
	return a.FY < b.FY || (a.FY == b.FY && a.Q < b.Q)
}

// note is one line of "Needs attention": a lead in bold, then the rest.
type note struct{ Lead, Text string }

// attention lists what a PM should look at first, most persuasive first.
func (v *view) attention() []note {
	var out []note
	if n := v.UncoveredTotal; n > 0 {
		out = append(out, note{
			fmt.Sprintf("%s open cross-team %s no goal covers.", thousands(n), plural(n, "blocker", "blockers")),
			"The team that must do the work has no goal that includes it, so it may never be planned (see Blockers nobody plans to do).",
		})
	}
	if n := len(v.Deps.Cycles); n > 0 {
		out = append(out, note{fmt.Sprintf("%d dependency %s:", n, plural(n, "cycle", "cycles")), "issues that wait on each other in a loop."})
	}
	if idle := v.noWork(); len(idle) > 0 {
		titles := make([]string, len(idle))
		for i, g := range idle {
			titles[i] = cmp.Or(g.Title, g.ID)
		}
		out = append(out, note{fmt.Sprintf("%d %s with no work yet:", len(idle), plural(len(idle), "goal", "goals")),
			strings.Join(titles, ", ") + "."})
	}
	for _, t := range v.Teams {
		c := t.Cur
		if c.Issues > 0 && (c.DebtStatus == "above" || c.DebtStatus == "below") {
			share, basis := debtShare(c)
			out = append(out, note{t.Name + ":", fmt.Sprintf("tech debt is %s of %s, %s.", pct(share), basis, debtSentence(c.DebtStatus, c.DebtTarget))})
		}
	}
	if n := v.OverlapsTotal; n > 0 {
		out = append(out, note{fmt.Sprintf("%s possible %s", thousands(n), plural(n, "duplicate", "duplicates")), "of effort across teams."})
	}
	if n := v.UnknownTotal; n > 0 {
		out = append(out, note{fmt.Sprintf("%s %s", thousands(n), plural(n, "issue", "issues")), "belong to no team: they are left out of every share."})
	}
	return out
}

// uncoveredWaits counts team's open waits on blockers no goal covers: from
// the team pairs' counts, or, for a summary written before pairs counted
// them, from the list of such blockers.
func uncoveredWaits(d ladder.DepSummary, team string) int {
	n, counted := 0, false
	for _, p := range d.Pairs {
		counted = counted || p.Uncovered > 0
		if p.Waiting == team {
			n += p.Uncovered
		}
	}
	if counted {
		return n
	}
	for _, u := range d.Uncovered {
		if u.WaitingTeam == team {
			n++
		}
	}
	return n
}
