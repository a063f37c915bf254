package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ladderhq/ladder"
)

// Marker opens and closes Ladder's comment on a GitHub issue. It is an HTML
// comment, invisible when rendered, by which publish finds its own comment
// again to edit it in place. Analysis never sees it (plain text drops HTML
// comments): the heading and footer every comment is rendered with, in both
// dialects, are what ladder.IsLadderText knows it by.
const Marker = ladder.VerdictMarker

// JiraProperty is the comment property key that marks Ladder's comment on a
// Jira issue; wiki markup has no invisible marker, so publish sets it.
const JiraProperty = "ladder.verdict"

// markup is what the two comment dialects differ in. text and code make
// issue-derived strings inert; bold and em wrap Ladder's own words.
type markup struct {
	text, code, bold, em func(string) string
	heading, bullet      string
}

var gfm = markup{
	text:    Inert,
	code:    Code,
	bold:    func(s string) string { return "**" + s + "**" },
	em:      func(s string) string { return "_" + s + "_" },
	heading: "### ",
	bullet:  "- ",
}

var wiki = markup{
	text:    InertWiki,
	code:    wikiCode,
	bold:    func(s string) string { return "*" + s + "*" },
	em:      func(s string) string { return "_" + s + "_" },
	heading: "h3. ",
	bullet:  "* ",
}

// GitHubComment renders v as GitHub-flavoured Markdown between two Markers.
// The text depends on the verdict only (no timestamps), so an unchanged
// verdict renders byte-identical and publish can skip it.
func GitHubComment(v *ladder.Verdict) string {
	return Marker + "\n" + comment(v, gfm) + "\n" + Marker + "\n"
}

// JiraComment renders v as Jira wiki markup (REST v2 comment bodies).
func JiraComment(v *ladder.Verdict) string {
	return comment(v, wiki)
}

func comment(v *ladder.Verdict, m markup) string {
	reasons := placeReasons(v.Reasons)
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	items := func(rs []ladder.Reason) {
		for _, r := range rs {
			line(m.bullet + m.text(r.Text))
		}
	}

	line(m.heading + ladder.VerdictOpener + headline(v))
	line("")
	facts := []string{m.bold("Team") + " " + teamName(v.Team, m)}
	if v.Quarter != "" {
		facts = append(facts, m.bold("Quarter")+" "+m.text(v.Quarter))
	}
	if v.Category != "" {
		facts = append(facts, m.bold("Category")+" "+m.text(strings.ReplaceAll(string(v.Category), "_", " ")))
	}
	line(strings.Join(facts, " · "))
	if v.Team == "" {
		line("")
		line("No team owns this issue: add its project, repository, component or label to a team in ladder.yaml.")
	}
	items(reasons[sectionTeam])

	line("")
	if v.Aligned && len(v.Goals) > 0 {
		top := v.Goals[0]
		s := m.bold("Goal") + " ladders up to " + m.code(top.ID)
		if top.Company != "" && top.Company != top.ID {
			s += " → company goal " + m.code(top.Company)
		}
		line(s)
		for _, g := range v.Goals {
			line(fmt.Sprintf("%s%s via %s (score %.2f)", m.bullet, m.code(g.ID), m.code(g.Path), g.Score))
		}
		// A goal's reason says what its line above says.
		reasons[sectionGoal] = slices.DeleteFunc(reasons[sectionGoal], func(r ladder.Reason) bool { return r.Kind == ladder.ReasonGoal })
	} else {
		line(m.bold("Goal") + " does not ladder up to any goal.")
		line(m.bullet + "To fix: give it a goal's label, or put it under an epic that serves a goal. " +
			"If it matters but no goal covers it, raise it at planning.")
	}
	items(reasons[sectionGoal])

	line("")
	if v.TechDebt {
		line(fmt.Sprintf("%s yes, debt paydown (score %.2f)", m.bold("Tech debt"), v.TechDebtScore))
	} else {
		line(fmt.Sprintf("%s no (score %.2f)", m.bold("Tech debt"), v.TechDebtScore))
	}
	items(reasons[sectionDebt])

	if v.DebtAdmitted || len(reasons[sectionAdmitted]) > 0 {
		line("")
		line(m.bold("Debt admitted") + " a comment takes on new debt to pay back later.")
		items(reasons[sectionAdmitted])
	}

	if len(v.Dependencies) > 0 {
		line("")
		line(m.bold("Dependencies"))
		// Each dependency reason says what its line says.
		for _, d := range v.Dependencies {
			line(m.bullet + dependency(d, m))
		}
	} else if len(reasons[sectionDeps]) > 0 {
		line("")
		line(m.bold("Dependencies"))
		items(reasons[sectionDeps])
	}

	if len(v.Overlaps) > 0 {
		line("")
		line(m.bold("Possible duplicate effort"))
		for _, o := range v.Overlaps {
			other, team := o.B, o.BTeam
			if other == v.Ref {
				other, team = o.A, o.ATeam
			}
			s := fmt.Sprintf("%s%s (team %s) looks like the same work, similarity %.2f", m.bullet, m.code(other.Key), teamName(team, m), o.Score)
			if len(o.Words) > 0 {
				s += "; shared words: " + m.text(strings.Join(o.Words, ", "))
			}
			line(s)
		}
	}

	// An overlap's reason says what its line above says.
	if len(v.Overlaps) == 0 && len(reasons[sectionOverlap]) > 0 {
		line("")
		line(m.bold("Possible duplicate effort"))
		items(reasons[sectionOverlap])
	}

	if len(reasons[sectionOther]) > 0 {
		line("")
		line(m.bold("Also"))
		items(reasons[sectionOther])
	}

	line("")
	// The footer is half of the signature by which Ladder knows its own
	// comment and never reads it as evidence: it stays the last line.
	b.WriteString(m.em(ladder.VerdictFooter))
	return b.String()
}

// headline is the verdict in one line of Ladder's own words.
func headline(v *ladder.Verdict) string {
	parts := []string{"not aligned to any goal"}
	if v.Aligned {
		parts[0] = "aligned"
	}
	if v.TechDebt {
		parts = append(parts, "tech debt")
	}
	waits, risk := 0, 0
	for _, d := range v.Dependencies {
		if d.Known && d.CrossTeam && d.Kind.Waits() && d.Open {
			waits++
			if d.Known && !d.OtherAligned {
				risk++
			}
		}
	}
	if waits > 0 {
		s := fmt.Sprintf("waits on %d open %s", waits, plural(waits, "issue of another team", "issues of other teams"))
		if risk > 0 {
			s += fmt.Sprintf(" (%d at risk)", risk)
		}
		parts = append(parts, s)
	}
	if v.DebtAdmitted {
		parts = append(parts, "debt admitted")
	}
	if len(v.Overlaps) > 0 {
		parts = append(parts, "possible duplicate")
	}
	return strings.Join(parts, " · ")
}

var kindPhrase = map[ladder.LinkKind]string{
	ladder.BlockedBy:  "waits on",
	ladder.DependsOn:  "depends on",
	ladder.Blocks:     "blocks",
	ladder.ParentOf:   "is part of",
	ladder.ChildOf:    "contains",
	ladder.Relates:    "relates to",
	ladder.Duplicates: "duplicates",
	ladder.Mentions:   "mentions",
}

// dependency says who the other side is, where it stands and, when this
// issue waits on it, whether the other team has any goal that will get it
// done: a blocker outside its team's goals may never be scheduled.
func dependency(d ladder.Dependency, m markup) string {
	phrase, ok := kindPhrase[d.Kind]
	if !ok {
		phrase = m.text(string(d.Kind))
	}
	s := phrase + " " + m.code(d.Key)
	if d.Title != "" {
		s += " “" + m.text(d.Title) + "”"
	}
	if !d.Known {
		s += " — not synced by Ladder, so its team and state are unknown"
		if d.Via != "" {
			s += " (from " + m.text(d.Via) + ")"
		}
		return s
	}
	team := "team " + teamName(d.Team, m)
	if !d.CrossTeam {
		team = "same team"
	}
	state := "open"
	if !d.Open {
		state = "done"
	}
	s += " — " + team + ", " + state
	if d.Via != "" {
		s += ", from " + m.text(d.Via)
	}
	if d.Kind.Waits() && d.CrossTeam && d.Open {
		if d.OtherAligned && len(d.OtherGoals) > 0 {
			goals := make([]string, len(d.OtherGoals))
			for i, g := range d.OtherGoals {
				goals[i] = m.code(g)
			}
			s += "; it serves their goal " + strings.Join(goals, ", ")
		} else if d.OtherAligned {
			s += "; it serves one of their goals"
		} else {
			s += "; " + m.bold("at risk") + ": no goal of " + teamName(d.Team, m) + " covers it, so nobody may plan it"
		}
	}
	return s
}

func teamName(t string, m markup) string {
	if t == "" {
		return "unknown"
	}
	return m.text(t)
}

// section is a part of the comment that reasons stand in.
type section int

const (
	sectionGoal section = iota
	sectionDebt
	sectionAdmitted
	sectionDeps
	sectionOverlap
	sectionTeam
	sectionOther
)

// sectionOf places each kind of reason next to the part of the verdict it
// explains. Placing by kind, never by the words, means rewording a reason
// in the analyzer cannot move it.
var sectionOf = map[ladder.ReasonKind]section{
	ladder.ReasonTeam:         sectionTeam,
	ladder.ReasonCategory:     sectionDebt,
	ladder.ReasonGoal:         sectionGoal,
	ladder.ReasonUnaligned:    sectionGoal,
	ladder.ReasonDependency:   sectionDeps,
	ladder.ReasonOverlap:      sectionOverlap,
	ladder.ReasonDebtAdmitted: sectionAdmitted,
}

// placeReasons sorts the reasons into the comment's sections by their kind;
// one of no kind the comment knows is shown under "Also". Blank reasons say
// nothing and are left out.
func placeReasons(rs ladder.Reasons) map[section][]ladder.Reason {
	out := map[section][]ladder.Reason{}
	for _, r := range rs {
		if strings.TrimSpace(r.Text) == "" {
			continue
		}
		k, ok := sectionOf[r.Kind]
		if !ok {
			k = sectionOther
		}
		out[k] = append(out[k], r)
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
