package analyzer

import (
	"fmt"
	"strings"

	"github.com/ladderhq/ladder"
)

// goalTree is the configured goals with their links resolved: parent,
// company goal at the top, owning team, effective quarter, and the labels and
// epics that tie issues to them.
type goalTree struct {
	goals   []ladder.Goal
	byID    map[string]int
	parent  []int
	company []int // company goal at the top of the chain, -1 when there is none
	team    []int // owning team, -1 for company goals
	// quarter is the goal's own quarter or its nearest ancestor's; zero
	// means the goal applies in every quarter.
	quarter []ladder.Quarter
	// up is the path upwards as shown in verdicts: "pay-checkout → self-serve".
	up      []string
	byLabel map[string][]int // lower-case label → goals
	byEpic  map[string][]int // epic key → goals
	// ofTeam lists each team's goals in config order.
	ofTeam [][]int
}

func newGoalTree(goals []ladder.Goal, teams *teamRules) (*goalTree, error) {
	n := len(goals)
	if n >= 1<<15 {
		return nil, fmt.Errorf("analyzer: %d goals: at most %d", n, 1<<15-1)
	}
	t := &goalTree{
		goals:   goals,
		byID:    make(map[string]int, n),
		parent:  make([]int, n),
		company: make([]int, n),
		team:    make([]int, n),
		quarter: make([]ladder.Quarter, n),
		up:      make([]string, n),
		byLabel: map[string][]int{},
		byEpic:  map[string][]int{},
		ofTeam:  make([][]int, len(teams.names)),
	}
	for i, g := range goals {
		if g.ID == "" {
			return nil, fmt.Errorf("analyzer: goal #%d (%q) has no id", i+1, g.Title)
		}
		if _, dup := t.byID[g.ID]; dup {
			return nil, fmt.Errorf("analyzer: goal %q is declared twice", g.ID)
		}
		t.byID[g.ID] = i
	}
	own := make([]ladder.Quarter, n)
	for i, g := range goals {
		t.parent[i], t.team[i] = -1, -1
		if g.Parent != "" {
			p, ok := t.byID[g.Parent]
			if !ok {
				return nil, fmt.Errorf("analyzer: goal %q: parent %q is not a configured goal", g.ID, g.Parent)
			}
			if g.IsCompany() && !goals[p].IsCompany() {
				return nil, fmt.Errorf("analyzer: company goal %q: parent %q is a team goal; a company goal can only ladder up to another company goal", g.ID, g.Parent)
			}
			t.parent[i] = p
		}
		if !g.IsCompany() {
			tm, ok := teams.byName[g.Team]
			if !ok {
				return nil, fmt.Errorf("analyzer: goal %q: team %q is not a configured team", g.ID, g.Team)
			}
			t.team[i] = tm
			t.ofTeam[tm] = append(t.ofTeam[tm], i)
		}
		if g.Quarter != "" {
			q, err := ladder.ParseQuarter(g.Quarter)
			if err != nil {
				return nil, fmt.Errorf("analyzer: goal %q: %w", g.ID, err)
			}
			own[i] = q
		}
		for _, l := range g.Labels {
			k := strings.ToLower(l)
			t.byLabel[k] = appendOnce(t.byLabel[k], i)
		}
		for _, e := range g.Epics {
			t.byEpic[e] = appendOnce(t.byEpic[e], i)
		}
	}
	for i := range goals {
		chain := []int{i}
		for p := t.parent[i]; p >= 0; p = t.parent[p] {
			for j, c := range chain {
				if c == p {
					return nil, fmt.Errorf("analyzer: goal %q: parents loop: %s", goals[i].ID, loopPath(goals, append(chain[j:], p)))
				}
			}
			chain = append(chain, p)
		}
		ids := make([]string, len(chain))
		t.company[i] = -1
		for j, c := range chain {
			ids[j] = goals[c].ID
			if goals[c].IsCompany() {
				t.company[i] = c
			}
			if t.quarter[i].IsZero() {
				t.quarter[i] = own[c]
			}
		}
		t.up[i] = strings.Join(ids, " → ")
	}
	return t, nil
}

func appendOnce(xs []int, x int) []int {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

func loopPath(goals []ladder.Goal, chain []int) string {
	ids := make([]string, len(chain))
	for i, c := range chain {
		ids[i] = goals[c].ID
	}
	return strings.Join(ids, " → ")
}

// active reports whether goal g applies to work of quarter q.
func (t *goalTree) active(g int, q ladder.Quarter) bool {
	return t.quarter[g].IsZero() || t.quarter[g] == q
}

// companyID is the id of the company goal g ladders up to, "" for none.
func (t *goalTree) companyID(g int) string {
	if c := t.company[g]; c >= 0 {
		return t.goals[c].ID
	}
	return ""
}
