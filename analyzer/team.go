package analyzer

import (
	"fmt"
	"strings"

	"github.com/ladderhq/ladder"
)

// teamRule is which kind of ownership gave an issue its team, in precedence order.
type teamRule uint8

const (
	ruleNone teamRule = iota
	ruleComponent
	ruleLabel
	ruleProject
	ruleMember
)

// teamRules assigns issues to teams from what the config says each team owns.
// All lookups are case-insensitive: Jira project keys and GitHub repository
// names are, and people type labels and components both ways.
type teamRules struct {
	names     []string
	byName    map[string]int
	component map[string]int
	label     map[string]int
	project   map[string]int // Jira project keys and owner/repo
	member    map[string]int
}

func newTeamRules(teams []ladder.Team) (*teamRules, error) {
	r := &teamRules{
		byName:    make(map[string]int, len(teams)),
		component: map[string]int{},
		label:     map[string]int{},
		project:   map[string]int{},
		member:    map[string]int{},
	}
	for i, t := range teams {
		if t.Name == "" {
			return nil, fmt.Errorf("analyzer: team #%d has no name", i+1)
		}
		if _, dup := r.byName[t.Name]; dup {
			return nil, fmt.Errorf("analyzer: team %q is declared twice", t.Name)
		}
		if t.TechDebtTarget.Min < 0 || t.TechDebtTarget.Max > 1 || t.TechDebtTarget.Min > t.TechDebtTarget.Max {
			return nil, fmt.Errorf("analyzer: team %q: tech debt target %g..%g: want 0 ≤ min ≤ max ≤ 1", t.Name, t.TechDebtTarget.Min, t.TechDebtTarget.Max)
		}
		r.byName[t.Name] = i
		r.names = append(r.names, t.Name)
		// The first team in config order keeps a name two teams claim.
		claim := func(m map[string]int, keys []string) {
			for _, k := range keys {
				k = strings.ToLower(k)
				if _, taken := m[k]; !taken {
					m[k] = i
				}
			}
		}
		claim(r.component, t.Components)
		claim(r.label, t.Labels)
		claim(r.project, t.JiraProjects)
		claim(r.project, t.GitHubRepos)
		claim(r.member, t.Members)
	}
	return r, nil
}

// of returns the team owning the issue (-1 for none), the rule that decided
// and the value it matched.
func (r *teamRules) of(is *ladder.Issue, buf *[]byte) (int, teamRule, string) {
	for _, c := range is.Components {
		if t, ok := lookupFold(r.component, c, buf); ok {
			return t, ruleComponent, c
		}
	}
	for _, l := range is.Labels {
		if t, ok := lookupFold(r.label, l, buf); ok {
			return t, ruleLabel, l
		}
	}
	if p := projectOf(is); p != "" {
		if t, ok := lookupFold(r.project, p, buf); ok {
			return t, ruleProject, p
		}
	}
	if is.Assignee != "" {
		if t, ok := lookupFold(r.member, is.Assignee, buf); ok {
			return t, ruleMember, is.Assignee
		}
	}
	return -1, ruleNone, ""
}

// projectOf is the issue's Jira project or owner/repo; when a connector left
// Project empty it is read off the key (PAY-12, acme/web#48).
func projectOf(is *ladder.Issue) string {
	if is.Project != "" {
		return is.Project
	}
	p, n := splitKey(is.Key)
	if n == 0 {
		return ""
	}
	return p[:len(p)-1]
}

// reason says in words why the issue has its team, or why it has none.
func (r *teamRules) reason(is *ladder.Issue, team int, rule teamRule, value string) ladder.Reason {
	return ladder.Reason{Kind: ladder.ReasonTeam, Text: r.why(is, team, rule, value)}
}

func (r *teamRules) why(is *ladder.Issue, team int, rule teamRule, value string) string {
	if team < 0 {
		var b strings.Builder
		b.WriteString("no team: no team owns ")
		if p := projectOf(is); p != "" {
			fmt.Fprintf(&b, "%s %s", projectWord(p), p)
		} else {
			b.WriteString("its project")
		}
		b.WriteString(", its components or labels, and ")
		if is.Assignee == "" {
			b.WriteString("it has no assignee")
		} else {
			fmt.Fprintf(&b, "assignee %s is no team's member", is.Assignee)
		}
		return b.String()
	}
	name := r.names[team]
	switch rule {
	case ruleComponent:
		return fmt.Sprintf("team %s: owns component %s", name, value)
	case ruleLabel:
		return fmt.Sprintf("team %s: owns label %s", name, value)
	case ruleProject:
		return fmt.Sprintf("team %s: owns %s %s", name, projectWord(value), value)
	default:
		return fmt.Sprintf("team %s: assignee %s is a member", name, value)
	}
}

func projectWord(p string) string {
	if strings.Contains(p, "/") {
		return "repo"
	}
	return "project"
}

// lookupFold looks s up in a map of lower-case keys without allocating once
// the scratch buf has grown to the longest key looked up.
func lookupFold(m map[string]int, s string, buf *[]byte) (int, bool) {
	if len(m) == 0 {
		return 0, false
	}
	*buf = appendLower((*buf)[:0], s)
	v, ok := m[string(*buf)]
	return v, ok
}

func appendLower(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return append(buf[:0], strings.ToLower(s)...)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}
