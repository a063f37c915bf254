package report

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/ladderhq/ladder"
)

// jsonReport is the documented shape of `ladder report --format json`. Field
// names are snake_case like the verdict's; lists are [] rather than null so
// consumers need no null checks, and the order of everything is stable.
type jsonReport struct {
	Title                string         `json:"title"`
	AsOf                 *time.Time     `json:"as_of,omitempty"`
	GeneratedAt          *time.Time     `json:"generated_at,omitempty"`
	FiscalYearStartMonth int            `json:"fiscal_year_start_month"`
	Quarter              string         `json:"quarter"`
	Quarters             []string       `json:"quarters"`
	Headline             []jsonHeadline `json:"headline"`
	Goals                []jsonGoal     `json:"goals"`
	Teams                []jsonTeam     `json:"teams"`
	UnknownTeam          []ladder.Ref   `json:"unknown_team"`
	// UnknownTeamTotal counts every issue no team owns; unknown_team lists
	// the first of them.
	UnknownTeamTotal int               `json:"unknown_team_total"`
	Dependencies     ladder.DepSummary `json:"dependencies"`
	Overlaps         []ladder.Overlap  `json:"overlaps"`
	// OverlapsTotal counts every overlap; overlaps lists the strongest.
	OverlapsTotal int `json:"overlaps_total"`
}

// jsonHeadline is one team's line of the top summary, for the current quarter.
type jsonHeadline struct {
	Team         string  `json:"team"`
	Issues       int     `json:"issues"`
	AlignedShare float64 `json:"aligned_share"`
	DebtShare    float64 `json:"debt_share"`
	// DebtBasis says what DebtShare counts: "points" when at least half
	// the issues are estimated, else "issues"; the band is judged on it.
	DebtBasis   string      `json:"debt_basis"`
	DebtTarget  ladder.Band `json:"debt_target"`
	DebtStatus  string      `json:"debt_status"`
	WaitsOnOpen int         `json:"waits_on_open"`
	BlocksOpen  int         `json:"blocks_open"`
	Uncovered   int         `json:"waits_on_uncovered"`
}

// jsonGoal is a configured goal with the work of the report's quarter that
// ladders up to it: issues 0 and teams [] when nobody works on it.
type jsonGoal struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Team    string `json:"team,omitempty"`
	Parent  string `json:"parent,omitempty"`
	Company string `json:"company"`
	Quarter string `json:"quarter,omitempty"`
	// InQuarter says whether the goal belongs to the report's quarter: its
	// own quarter or its nearest ancestor's is that one, or neither names any.
	InQuarter bool       `json:"in_quarter"`
	Children  []string   `json:"children"`
	Issues    int        `json:"issues"`
	Points    float64    `json:"points"`
	Teams     []goalTeam `json:"teams"`
}

// jsonTeam holds a team's quarters over the trend, oldest first; quarters
// without issues are left out.
type jsonTeam struct {
	Team     string               `json:"team"`
	Quarters []ladder.TeamQuarter `json:"quarters"`
}

// JSON writes the report as indented JSON: the top summary, the goal tree,
// every team's quarters over the trend, and the cross-team picture.
func JSON(w io.Writer, s *ladder.Summary, o Options) error {
	v := newView(s, o)
	r := jsonReport{
		Title:                v.Title,
		FiscalYearStartMonth: int(v.FYStart),
		Quarters:             make([]string, len(v.Quarters)),
		Headline:             []jsonHeadline{},
		Goals:                []jsonGoal{},
		Teams:                []jsonTeam{},
		UnknownTeam:          nonNil(v.Unknown),
		UnknownTeamTotal:     v.UnknownTotal,
		Dependencies:         v.Deps,
		Overlaps:             nonNil(v.Overlaps),
		OverlapsTotal:        v.OverlapsTotal,
	}
	if !o.Now.IsZero() {
		t := o.Now.UTC()
		r.AsOf = &t
	}
	if s != nil && !s.GeneratedAt.IsZero() {
		t := s.GeneratedAt.UTC()
		r.GeneratedAt = &t
	}
	if !v.Quarter.IsZero() {
		r.Quarter = v.Quarter.String()
	}
	r.Dependencies.Pairs = nonNil(r.Dependencies.Pairs)
	r.Dependencies.UncoveredTotal = v.UncoveredTotal
	for i, q := range v.Quarters {
		r.Quarters[i] = q.String()
	}
	goals := o.Goals
	if len(goals) == 0 && s != nil {
		goals = s.Goals
	}
	children, _ := v.goalChildren()
	work := v.goalWork()
	for _, g := range goals {
		w := work[g.ID]
		r.Goals = append(r.Goals, jsonGoal{ID: g.ID, Title: g.Title, Team: g.Team, Parent: g.Parent,
			Company: v.companyOf(g.ID), Quarter: g.Quarter, InQuarter: v.goalIn(g.ID, v.Quarter),
			Children: nonNil(children[g.ID]), Issues: w.Issues, Points: w.Points, Teams: nonNil(w.Teams)})
	}
	for _, t := range v.Teams {
		c := t.Cur
		share, basis := debtShare(c)
		r.Headline = append(r.Headline, jsonHeadline{
			Team: t.Name, Issues: c.Issues, AlignedShare: aligned(c), DebtShare: share, DebtBasis: basis,
			DebtTarget: c.DebtTarget, DebtStatus: c.DebtStatus,
			WaitsOnOpen: t.WaitsOnOpen, BlocksOpen: t.BlocksOpen, Uncovered: t.Uncovered,
		})
		jt := jsonTeam{Team: t.Name, Quarters: []ladder.TeamQuarter{}}
		for _, p := range t.Trend {
			if !p.Has {
				continue
			}
			tq := p.TQ
			tq.Goals = nonNil(tq.Goals)
			tq.DebtStatus = p.Status
			if tq.DebtTarget.IsZero() {
				tq.DebtTarget = t.Band
			}
			jt.Quarters = append(jt.Quarters, tq)
		}
		r.Teams = append(r.Teams, jt)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
