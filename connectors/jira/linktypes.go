package jira

import (
	"fmt"
	"strings"

	"github.com/ladderhq/ladder"
)

// Jira link types are configured per site: "depends on" arrives as Depends,
// Dependency, Required, Gantt Dependency, "5 - Depend"… Each issuelinks entry
// carries its type's name and both phrases, plus either inwardIssue ("this
// issue <inward phrase> X") or outwardIssue ("this issue <outward phrase> Y").
// The phrase on the side we read says the direction best — some sites swap
// the usual sides (Sakai's "5 - Depend" has inward "depends on") — so phrases
// decide first and names only when the phrase says nothing ("Dependency" /
// "Dependency").

// linkTypeCategories maps real sites' link type names to a normalised meaning.
// Data: L. Montgomery, C. Lüders, W. Maalej, "An Alternative Issue Tracking
// Dataset of Public Jira Repositories", MSR 2022, doi 10.5281/zenodo.5901956,
// file jira_issue_linktype_mapping.json, licensed CC BY 4.0.
var linkTypeCategories = map[string]string{
	"backports": "Backport",
	"blocked":   "Block", "blocker": "Block", "blocks": "Block",
	"bonfire testing": "Bonfire Testing", "git code review": "Bonfire Testing", "testing": "Bonfire Testing",
	"causality": "Cause", "cause": "Cause", "caused": "Cause", "problem/incident": "Cause",
	"child-issue": "Parent-Child", "parent feature": "Parent-Child", "parent/child": "Parent-Child",
	"multi-level hierarchy [gantt]": "Parent-Child", "parent-relation": "Parent-Child",
	"cloners": "Clone", "cloners (old)": "Clone",
	"collection": "Incorporate", "container": "Incorporate", "contains(wbsgantt)": "Incorporate",
	"incorporate": "Incorporate", "incorporates": "Incorporate", "part": "Incorporate",
	"partof": "Incorporate", "superset": "Incorporate",
	"completes": "Fix", "fixes": "Fix", "resolve": "Fix",
	"depend": "Depend", "dependency": "Depend", "dependent": "Depend", "depends": "Depend",
	"gantt dependency": "Depend",
	"derived":          "Derive",
	"detail":           "Detail",
	"documentation":    "Documented", "documented": "Documented",
	"duplicate": "Duplicate",
	"epic":      "Epic", "epic-relation": "Epic",
	"finish-to-finish link (wbsgantt)": "finish-finish", "gantt end to end": "finish-finish",
	"gantt: finish-finish": "finish-finish", "finish-finish [gantt]": "finish-finish",
	"gantt end to start": "finish-start", "gantt: finish-start": "finish-start", "finish-start [gantt]": "finish-start",
	"gantt start to start": "start-start",
	"gantt: start-finish":  "start-finish",
	"follows":              "Follow", "sequence": "Follow",
	"implement": "Implement", "implements": "Implement",
	"issue split": "Split", "split": "Split", "work breakdown": "Split",
	"preceded by": "Precede",
	"reference":   "Relate", "relate": "Relate", "related": "Relate", "relates": "Relate", "relationship": "Relate",
	"regression":  "Breaks",
	"replacement": "Replace",
	"required":    "Require",
	"supercedes":  "Supercede", "supersede": "Supercede", "supersession": "Supercede",
	"test": "Test", "tested": "Test",
	"trigger": "Trigger",
	"subtask": "Subtask",
}

// categorySides gives each dependency-bearing category its kinds by Jira's
// convention that the outward phrase is the active one ("blocks",
// "depends on", "is a parent of"). Categories not listed relate.
var categorySides = map[string]struct{ outward, inward ladder.LinkKind }{
	"Block":         {ladder.Blocks, ladder.BlockedBy},
	"Depend":        {ladder.DependsOn, ladder.Blocks},
	"Require":       {ladder.DependsOn, ladder.Blocks},
	"finish-start":  {ladder.Blocks, ladder.DependsOn},
	"Precede":       {ladder.Blocks, ladder.DependsOn},
	"Parent-Child":  {ladder.ChildOf, ladder.ParentOf},
	"Incorporate":   {ladder.ChildOf, ladder.ParentOf},
	"Epic":          {ladder.ParentOf, ladder.ChildOf},
	"Subtask":       {ladder.ParentOf, ladder.ChildOf},
	"Duplicate":     {ladder.Duplicates, ladder.Duplicates},
	"Relate":        {ladder.Relates, ladder.Relates},
	"Clone":         {ladder.Relates, ladder.Relates},
	"finish-finish": {ladder.Relates, ladder.Relates},
}

// phraseKinds reads a phrase as "this issue <phrase> the other". ParentOf
// means the other issue is this one's parent.
var phraseKinds = map[string]ladder.LinkKind{
	"is blocked by": ladder.BlockedBy, "blocked by": ladder.BlockedBy,
	"blocks": ladder.Blocks, "is blocking": ladder.Blocks, "blocking": ladder.Blocks,

	"depends on": ladder.DependsOn, "depends upon": ladder.DependsOn, "depend on": ladder.DependsOn,
	"is dependent on": ladder.DependsOn, "requires": ladder.DependsOn,
	"has to be done after": ladder.DependsOn, "preceded by": ladder.DependsOn, "is preceded by": ladder.DependsOn,
	"can't start until the linked issue is done":  ladder.DependsOn,
	"can't finish until the linked issue is done": ladder.DependsOn,

	"is depended on by": ladder.Blocks, "is depended upon by": ladder.Blocks, "depended on by": ladder.Blocks,
	"is required by": ladder.Blocks, "is required for": ladder.Blocks, "is a precondition for": ladder.Blocks,
	"is a prerequisite for": ladder.Blocks, "has to be done before": ladder.Blocks, "precedes": ladder.Blocks,
	"linked one can't start until this issue is done":  ladder.Blocks,
	"linked one can't finish until this issue is done": ladder.Blocks,

	"is a child of": ladder.ParentOf, "is child of": ladder.ParentOf, "is subtask of": ladder.ParentOf,
	"is a subtask of": ladder.ParentOf, "is part of": ladder.ParentOf, "is contained by": ladder.ParentOf,
	"is contained in": ladder.ParentOf, "is included in": ladder.ParentOf, "included in initiative": ladder.ParentOf,
	"belongs to epic": ladder.ParentOf, "is incorporated by": ladder.ParentOf,

	"is a parent of": ladder.ChildOf, "is parent of": ladder.ChildOf, "is parent task of": ladder.ChildOf,
	"contains": ladder.ChildOf, "includes": ladder.ChildOf, "incorporates": ladder.ChildOf,
	"is the epic for": ladder.ChildOf, "includes epic(s)": ladder.ChildOf,

	"duplicates": ladder.Duplicates, "is duplicated by": ladder.Duplicates, "is a duplicate of": ladder.Duplicates,
}

// linkKinds maps link types to kinds, with the user's overrides first.
type linkKinds struct {
	byName   map[string]ladder.LinkKind // overrides: the outward side's kind
	byPhrase map[string]ladder.LinkKind // overrides: the kind as read
}

func newLinkKinds(overrides map[string]string) (linkKinds, error) {
	lk := linkKinds{byName: map[string]ladder.LinkKind{}, byPhrase: map[string]ladder.LinkKind{}}
	for k, v := range overrides {
		kind := ladder.LinkKind(strings.TrimSpace(strings.ToLower(v)))
		switch kind {
		case ladder.Blocks, ladder.BlockedBy, ladder.DependsOn, ladder.ParentOf, ladder.ChildOf,
			ladder.Relates, ladder.Duplicates, ladder.Mentions:
		default:
			return linkKinds{}, fmt.Errorf("link kind for %q: %q is not one of blocks, blocked_by, depends_on, parent, child, relates, duplicates, mentions", k, v)
		}
		// A key may name a type or quote a phrase; both are kept and the
		// phrase reading wins when a key could be either.
		lk.byName[normName(k)] = kind
		lk.byPhrase[normPhrase(k)] = kind
	}
	return lk, nil
}

// kind says how this issue relates to the other through a link of type
// (name, inwardPhrase, outwardPhrase), read from the side given by inward.
func (lk linkKinds) kind(name, inwardPhrase, outwardPhrase string, inward bool) ladder.LinkKind {
	phrase, other := outwardPhrase, inwardPhrase
	if inward {
		phrase, other = inwardPhrase, outwardPhrase
	}
	p, o := normPhrase(phrase), normPhrase(other)
	// A phrase is only evidence of direction when the two sides differ.
	if p != o {
		if k, ok := lk.byPhrase[p]; ok {
			return k
		}
	}
	if k, ok := lk.byName[normName(name)]; ok {
		if inward {
			return inverse(k)
		}
		return k
	}
	if p != o {
		if k, ok := phraseKinds[p]; ok {
			return k
		}
		if k, ok := phraseGuess(p); ok {
			return k
		}
		// The other side's phrase, inverted, is the next best evidence.
		if k, ok := phraseKinds[o]; ok {
			return inverse(k)
		}
		if k, ok := phraseGuess(o); ok {
			return inverse(k)
		}
	} else if k, ok := phraseKinds[p]; ok && k == inverse(k) {
		return k // symmetric phrases such as "duplicates" / "duplicates"
	}
	if sides, ok := categorySides[category(name)]; ok {
		if inward {
			return sides.inward
		}
		return sides.outward
	}
	return ladder.Relates
}

// phraseGuess reads phrases no table lists by their telling words.
func phraseGuess(p string) (ladder.LinkKind, bool) {
	switch {
	case strings.Contains(p, "blocked by"):
		return ladder.BlockedBy, true
	case strings.Contains(p, "depended on by"), strings.Contains(p, "depended upon by"), strings.Contains(p, "waited on by"),
		strings.Contains(p, "required by"), strings.Contains(p, "required for"):
		return ladder.Blocks, true
	case strings.Contains(p, "depends on"), strings.Contains(p, "depends upon"), strings.Contains(p, "waits for"):
		return ladder.DependsOn, true
	case strings.HasPrefix(p, "blocks "):
		return ladder.Blocks, true
	}
	return "", false
}

// category finds a name's meaning: the dataset's table first, then the
// words that give the common ones away.
func category(name string) string {
	n := normName(name)
	if c, ok := linkTypeCategories[n]; ok {
		return c
	}
	switch {
	case strings.Contains(n, "block"):
		return "Block"
	case strings.Contains(n, "depend"):
		return "Depend"
	case strings.Contains(n, "requir"):
		return "Require"
	case strings.Contains(n, "duplicat"):
		return "Duplicate"
	case strings.Contains(n, "clone"):
		return "Clone"
	case strings.Contains(n, "parent"), strings.Contains(n, "child"), strings.Contains(n, "hierarch"):
		return "Parent-Child"
	case strings.Contains(n, "subtask"), strings.Contains(n, "sub-task"):
		return "Subtask"
	case strings.Contains(n, "epic"):
		return "Epic"
	}
	return ""
}

func inverse(k ladder.LinkKind) ladder.LinkKind {
	switch k {
	case ladder.Blocks:
		return ladder.BlockedBy
	case ladder.BlockedBy, ladder.DependsOn:
		return ladder.Blocks
	case ladder.ParentOf:
		return ladder.ChildOf
	case ladder.ChildOf:
		return ladder.ParentOf
	}
	return k
}

// normName lowercases a type name and drops a leading ordinal ("5 - Depend").
func normName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.Index(s, " - "); i > 0 && strings.Trim(s[:i], "0123456789") == "" {
		s = strings.TrimSpace(s[i+3:])
	}
	return s
}

func normPhrase(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.TrimRight(s, ".")
}
