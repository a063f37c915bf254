package report

import (
	"slices"
	"strings"

	"github.com/ladderhq/ladder"
)

// A goal belongs to the quarter its own Quarter names, else the quarter its
// nearest ancestor names, and to every quarter when none of them names one:
// the analyzer matches issue text against goals by the same rule. Every goal
// of the report's quarter is shown, with the work that ladders up to it or,
// when there is none, a plain "no work yet": a goal nobody works on is what
// a PM most needs to see.

// goalNode is one goal of the report's goal tree with the work of the
// current quarter that ladders up to it, from every team.
type goalNode struct {
	ladder.Goal
	Depth int // 0 for a goal without a parent
	// InQuarter is false for a goal of another quarter shown only because a
	// goal below it belongs to this one.
	InQuarter bool
	Issues    int
	Points    float64
	Teams     []goalTeam // the teams whose issues serve it, most issues first
	Children  []string
}

// goalTeam is one team's share of the work on a goal.
type goalTeam struct {
	Team   string  `json:"team"`
	Issues int     `json:"issues"`
	Points float64 `json:"points"`
}

// quarterOfGoal is the quarter goal id belongs to: its own or its nearest
// ancestor's, zero for every quarter.
func (v *view) quarterOfGoal(id string) ladder.Quarter {
	seen := map[string]bool{}
	for id != "" && !seen[id] {
		seen[id] = true
		g, ok := v.goals[id]
		if !ok {
			break
		}
		if q, err := ladder.ParseQuarter(g.Quarter); err == nil {
			return q
		}
		id = g.Parent
	}
	return ladder.Quarter{}
}

// goalIn reports whether goal id belongs to quarter q; with no quarter to
// tell, every goal does.
func (v *view) goalIn(id string, q ladder.Quarter) bool {
	gq := v.quarterOfGoal(id)
	return q.IsZero() || gq.IsZero() || gq == q
}

// teamGoalIDs lists, in config order, the goals team must show for quarter
// q even without work: its own goals of q and every goal above them.
func (v *view) teamGoalIDs(team string, q ladder.Quarter) []string {
	want := map[string]bool{}
	for _, g := range v.goalOrder {
		if g.Team != team || !v.goalIn(g.ID, q) {
			continue
		}
		for id := g.ID; id != "" && !want[id]; id = v.goals[id].Parent {
			if _, ok := v.goals[id]; !ok {
				break
			}
			want[id] = true
		}
	}
	var out []string
	for _, g := range v.goalOrder {
		if want[g.ID] {
			out = append(out, g.ID)
		}
	}
	return out
}

// withTeamGoals returns tq's goal shares, in the summary's order, followed
// by a zero share for each of the team's goals of quarter q it lacks, in
// config order.
func (v *view) withTeamGoals(tq ladder.TeamQuarter, q ladder.Quarter) []ladder.GoalShare {
	ids := v.teamGoalIDs(tq.Team, q)
	if len(ids) == 0 {
		return tq.Goals
	}
	out := slices.Clone(tq.Goals)
	for _, id := range ids {
		if !slices.ContainsFunc(out, func(gs ladder.GoalShare) bool { return gs.Goal == id }) {
			out = append(out, ladder.GoalShare{Goal: id, Title: v.goals[id].Title})
		}
	}
	return out
}

// goalTree lays out every goal of the current quarter under its parent,
// depth first in config order, with the current quarter's work from every
// team. A goal of another quarter appears only as the parent of one of this
// quarter's.
func (v *view) goalTree() []goalNode {
	children, roots := v.goalChildren()
	work := v.goalWork()
	// shown: a goal of the quarter, or above one.
	shown := map[string]bool{}
	var mark func(id string, seen map[string]bool) bool
	mark = func(id string, seen map[string]bool) bool {
		if seen[id] {
			return false
		}
		seen[id] = true
		in := v.goalIn(id, v.Quarter)
		for _, c := range children[id] {
			in = mark(c, seen) || in
		}
		shown[id] = in
		return in
	}
	seen := map[string]bool{}
	for _, r := range roots {
		mark(r, seen)
	}
	var out []goalNode
	var walk func(id string, depth int)
	walk = func(id string, depth int) {
		if !shown[id] {
			return
		}
		n := work[id]
		n.Goal, n.Depth, n.InQuarter = v.goals[id], depth, v.goalIn(id, v.Quarter)
		for _, c := range children[id] {
			if shown[c] {
				n.Children = append(n.Children, c)
			}
		}
		out = append(out, n)
		for _, c := range n.Children {
			walk(c, depth+1)
		}
	}
	for _, r := range roots {
		walk(r, 0)
	}
	return out
}

// goalChildren lists each goal's children and the goals without a parent,
// in config order.
func (v *view) goalChildren() (children map[string][]string, roots []string) {
	children = map[string][]string{}
	for _, g := range v.goalOrder {
		if _, ok := v.goals[g.Parent]; g.Parent != "" && ok && g.Parent != g.ID {
			children[g.Parent] = append(children[g.Parent], g.ID)
		} else {
			roots = append(roots, g.ID)
		}
	}
	return children, roots
}

// goalWork adds up the current quarter's work on each goal over the teams,
// the busiest team first.
func (v *view) goalWork() map[string]goalNode {
	work := map[string]goalNode{}
	for _, t := range v.Teams {
		for _, gs := range t.Cur.Goals {
			if gs.Issues == 0 {
				continue
			}
			n := work[gs.Goal]
			n.Issues += gs.Issues
			n.Points += gs.Points
			n.Teams = append(n.Teams, goalTeam{Team: t.Name, Issues: gs.Issues, Points: gs.Points})
			work[gs.Goal] = n
		}
	}
	for id, n := range work {
		slices.SortStableFunc(n.Teams, func(a, b goalTeam) int { return b.Issues - a.Issues })
		work[id] = n
	}
	return work
}

// noWork lists the goals of the current quarter nothing ladders up to.
func (v *view) noWork() []goalNode {
	var out []goalNode
	for _, n := range v.Goals {
		if n.InQuarter && n.Issues == 0 {
			out = append(out, n)
		}
	}
	return out
}

// workText says how much work ladders up to a goal: "no work yet", or
// "12 issues, 30 points", with the teams when more than one team or
// another team than the owner does it.
func (n goalNode) workText(team func(string) string) string {
	if n.Issues == 0 {
		return "no work yet"
	}
	s := thousands(n.Issues) + " " + plural(n.Issues, "issue", "issues")
	if n.Points > 0 {
		s += ", " + pointsGrouped(n.Points) + " points"
	}
	if len(n.Teams) > 1 || (len(n.Teams) == 1 && n.Teams[0].Team != n.Team) {
		parts := make([]string, len(n.Teams))
		for i, t := range n.Teams {
			parts[i] = team(t.Team) + " " + thousands(t.Issues)
		}
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}
