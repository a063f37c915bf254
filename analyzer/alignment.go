package analyzer

import (
	"math"
	"strconv"
	"strings"

	"github.com/ladderhq/ladder"
)

// Kinds of evidence an issue carries itself. Epics are not stored: whether
// an issue is a goal's epic follows from its key (aligner.epics).
const (
	matchLabel uint8 = iota + 1
	matchText
)

// match is one goal an issue matches by its own label or text, kept in the
// index so children and dependants can inherit or inspect it.
type match struct {
	goal  int16
	kind  uint8
	score float32
	// words: for a label match, words[0] is the index in Goal.Labels; for a
	// text match, the goal terms that weighed most (-1 for none).
	words [matchWords]int32
}

// maxChain bounds the parent walk; real hierarchies are a few levels deep and
// a longer chain is a loop or bad data.
const maxChain = 32

type allowKey struct {
	team    int16
	quarter ladder.Quarter
}

// aligner is goal alignment's state in a run. The first pass adds each
// issue's own goal matches (labels and text) to one pool, which the index
// entry points into: what children inherit and what a dependant's verdict
// asks of the other side ("is it on a goal of its own team?"). Between the
// passes the configured goal epics are resolved to entries. The rest is
// scratch or caches, kept so the hot path does not allocate.
type aligner struct {
	a  *Analyzer
	ix *index

	// matches is the pool of every entry's own matches
	// (entry.mOff, entry.nm): kept for the whole run.
	matches []match
	// epics are the entries of the configured goal epics, from link.
	epics map[int32][]int

	// Caches: the goals a team may match by text in a quarter, and the
	// "unaligned:" reason of a team in a quarter, each worked out once.
	allow     map[allowKey][]int
	unaligned map[allowKey]ladder.Reason

	// Scratch.
	texts    []textMatch
	textS    *textScratch
	chainBuf []int32
	goalSeen []int
	buf      []byte
}

func newAligner(a *Analyzer, ix *index) aligner {
	return aligner{
		a:         a,
		ix:        ix,
		textS:     a.text.scratch(),
		allow:     map[allowKey][]int{},
		unaligned: map[allowKey]ladder.Reason{},
	}
}

// allowed returns the goals an issue of team in quarter q may match by text:
// the team's own goals active in q.
func (al *aligner) allowed(team int16, q ladder.Quarter) []int {
	if team < 0 {
		return nil
	}
	k := allowKey{team, q}
	if gs, ok := al.allow[k]; ok {
		return gs
	}
	var gs []int
	for _, g := range al.a.goals.ofTeam[team] {
		if al.a.goals.active(g, q) {
			gs = append(gs, g)
		}
	}
	al.allow[k] = gs
	return gs
}

// ownMatches adds the issue's label and text matches to the pool.
func (al *aligner) ownMatches(is *ladder.Issue, e *entry, q ladder.Quarter, title, body []int32) {
	e.mOff = int32(len(al.matches))
	t := al.a.goals
	for _, l := range is.Labels {
		if len(t.byLabel) == 0 {
			break
		}
		al.buf = appendLower(al.buf[:0], l)
		for _, g := range t.byLabel[string(al.buf)] {
			if al.hasMatch(e.mOff, g) {
				continue
			}
			m := match{goal: int16(g), kind: matchLabel, score: 1, words: [matchWords]int32{-1, -1, -1}}
			for i, gl := range t.goals[g].Labels {
				if strings.EqualFold(gl, l) {
					m.words[0] = int32(i)
					break
				}
			}
			al.matches = append(al.matches, m)
		}
	}
	al.texts = al.texts[:0]
	if len(al.matches) == int(e.mOff) && !al.explicitEpic(is) { // no label matched
		al.texts = al.a.text.match(title, body, al.allowed(e.team, q), al.a.alignThr, al.textS, al.texts)
	}
	for _, tm := range al.texts {
		al.matches = append(al.matches, match{goal: int16(tm.goal), kind: matchText, score: float32(tm.score), words: tm.words})
	}
	n := len(al.matches) - int(e.mOff)
	if n > math.MaxUint8 {
		al.matches = al.matches[:int(e.mOff)+math.MaxUint8]
		n = math.MaxUint8
	}
	e.nm = uint8(n)
}

// explicitEpic reports whether the issue or its parent is a goal epic: then
// explicit evidence decides for it and everything under it, and its own text
// matches would never be read.
func (al *aligner) explicitEpic(is *ladder.Issue) bool {
	t := al.a.goals
	return len(t.byEpic) > 0 && (len(t.byEpic[is.Key]) > 0 || (is.Parent != "" && len(t.byEpic[is.Parent]) > 0))
}

func (al *aligner) hasMatch(off int32, g int) bool {
	for _, m := range al.matches[off:] {
		if int(m.goal) == g {
			return true
		}
	}
	return false
}

// linkEpics resolves the configured epic keys to index entries, in every
// tracker that has the key.
func (al *aligner) linkEpics() {
	al.epics = map[int32][]int{}
	for key, goals := range al.a.goals.byEpic {
		p, n := splitKey(key)
		pid, ok := al.ix.prefixN[p]
		if !ok {
			continue
		}
		for t := range al.ix.trackers {
			if id, ok := al.ix.ids.find(al.ix.entries, refKey{uint16(t), pid, n}); ok {
				al.epics[id] = goals
			}
		}
	}
}

// chain returns id and its ancestors, nearest first, stopping at a loop.
func (al *aligner) chain(id int32) []int32 {
	c := append(al.chainBuf[:0], id)
	for p := al.ix.entries[id].parent; p >= 0 && len(c) < maxChain; p = al.ix.entries[p].parent {
		loop := false
		for _, x := range c {
			loop = loop || x == p
		}
		if loop {
			break
		}
		c = append(c, p)
	}
	al.chainBuf = c
	return c
}

// alignment is the evidence that decided an issue's goals: the matches at
// chain[at], explicit (labels and epics) or text.
type alignment struct {
	chain    []int32
	at       int
	explicit bool
}

// align finds the evidence that decides the goals of id: its own goal labels
// and epic (it is a goal epic, or its parent is), else the nearest
// ancestor's, else the text matches of its ancestors from the top down, else
// its own text matches.
func (al *aligner) align(id int32) (alignment, bool) {
	c := al.chain(id)
	for j, n := range c {
		if al.hasKind(n, matchLabel) || len(al.epics[n]) > 0 || (j+1 < len(c) && len(al.epics[c[j+1]]) > 0) {
			return alignment{chain: c, at: j, explicit: true}, true
		}
	}
	for j := len(c) - 1; j >= 0; j-- {
		if al.hasKind(c[j], matchText) {
			return alignment{chain: c, at: j}, true
		}
	}
	return alignment{chain: c}, false
}

func (al *aligner) hasKind(id int32, kind uint8) bool {
	e := &al.ix.entries[id]
	for _, m := range al.matches[e.mOff : e.mOff+int32(e.nm)] {
		if m.kind == kind {
			return true
		}
	}
	return false
}

// evidence calls fn for each goal the alignment names, in precedence order
// (labels, the issue as epic, its parent as epic; or text, strongest first),
// with the path of hops that leads to it.
func (al *aligner) evidence(dec alignment, paths bool, fn func(g int, score float64, path string)) {
	n := dec.chain[dec.at]
	var hops strings.Builder // "parent K1 → … → parent K(at-1) → "
	key := func(id int32) string { return al.ix.key(&al.ix.entries[id]) }
	if paths {
		for j := 1; j < dec.at; j++ {
			hops.WriteString("parent " + key(dec.chain[j]) + " → ")
		}
	}
	upTo := func(ev string) string { // evidence found on chain[at] itself
		if !paths {
			return ""
		}
		if dec.at == 0 {
			return hops.String() + ev
		}
		return hops.String() + "parent " + key(n) + " → " + ev
	}
	t := al.a.goals
	e := &al.ix.entries[n]
	for _, m := range al.matches[e.mOff : e.mOff+int32(e.nm)] {
		switch {
		case dec.explicit && m.kind == matchLabel:
			fn(int(m.goal), 1, upTo("label "+t.goals[m.goal].Labels[m.words[0]]))
		case !dec.explicit && m.kind == matchText:
			ev := ""
			if paths {
				ev = "text " + strconv.FormatFloat(float64(m.score), 'f', 2, 32)
				if w := al.a.text.words(m.words); w != "" {
					ev += ": " + w
				}
			}
			fn(int(m.goal), float64(m.score), upTo(ev))
		}
	}
	if !dec.explicit {
		return
	}
	for _, g := range al.epics[n] {
		ev := ""
		if paths {
			ev = hops.String() + "epic " + key(n)
		}
		fn(g, 1, ev)
	}
	if dec.at+1 < len(dec.chain) {
		p := dec.chain[dec.at+1]
		for _, g := range al.epics[p] {
			fn(g, 1, upTo("epic "+key(p)))
		}
	}
}

// goalIDs calls fn with each goal the evidence decides for id, once per goal.
func (al *aligner) goalIDs(id int32, fn func(g int)) {
	dec, ok := al.align(id)
	if !ok {
		return
	}
	seen := al.goalSeen[:0]
	al.evidence(dec, false, func(g int, _ float64, _ string) {
		for _, s := range seen {
			if s == g {
				return
			}
		}
		seen = append(seen, g)
		fn(g)
	})
	al.goalSeen = seen
}

// goalMatches builds the verdict's goal matches with their paths.
func (al *aligner) goalMatches(id int32) []ladder.GoalMatch {
	out := []ladder.GoalMatch{}
	dec, ok := al.align(id)
	if !ok {
		return out
	}
	t := al.a.goals
	al.evidence(dec, true, func(g int, score float64, path string) {
		for _, m := range out {
			if m.ID == t.goals[g].ID {
				return
			}
		}
		out = append(out, ladder.GoalMatch{
			ID:      t.goals[g].ID,
			Score:   math.Round(score*1000) / 1000,
			Path:    path + " → " + t.up[g],
			Company: t.companyID(g),
		})
	})
	return out
}

// teamGoals returns the ids of the goals of id's own team that it ladders up
// to: what decides whether its team has a reason to schedule it.
func (al *aligner) teamGoals(id int32) []string {
	team := al.ix.entries[id].team
	if team < 0 {
		return nil
	}
	var ids []string
	al.goalIDs(id, func(g int) {
		if al.a.goals.team[g] == int(team) {
			ids = append(ids, al.a.goals.goals[g].ID)
		}
	})
	return ids
}

// unalignedReason says what was looked for and not found.
func (al *aligner) unalignedReason(team int16, q ladder.Quarter) ladder.Reason {
	k := allowKey{team, q}
	if r, ok := al.unaligned[k]; ok {
		return r
	}
	r := ladder.Reason{Kind: ladder.ReasonUnaligned, Text: al.unalignedWhy(team, q)}
	al.unaligned[k] = r
	return r
}

func (al *aligner) unalignedWhy(team int16, q ladder.Quarter) string {
	const explicit = "unaligned: no goal label, goal epic or aligned parent"
	if team < 0 {
		return explicit + ", and text is only matched against the owning team's goals"
	}
	name := al.a.teams.names[team]
	if len(al.allowed(team, q)) == 0 {
		return explicit + ", and " + name + " has no goals for " + q.String()
	}
	return explicit + ", and no " + name + " goal for " + q.String() + " scores " +
		strconv.FormatFloat(al.a.alignThr, 'f', 2, 64) + " or more by text"
}
