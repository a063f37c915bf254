package analyzer

import (
	"math"
	"strconv"
	"strings"

	"github.com/ladderhq/ladder"
)

// Kinds of evidence an issue carries itself. Epics are not stored: whether
// an issue is a goal's epic follows from its key (run.epics).
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

// allowed returns the goals an issue of team in quarter q may match by text:
// the team's own goals active in q.
func (r *run) allowed(team int16, q ladder.Quarter) []int {
	if team < 0 {
		return nil
	}
	k := allowKey{team, q}
	if gs, ok := r.allow[k]; ok {
		return gs
	}
	var gs []int
	for _, g := range r.a.goals.ofTeam[team] {
		if r.a.goals.active(g, q) {
			gs = append(gs, g)
		}
	}
	r.allow[k] = gs
	return gs
}

// ownMatches adds the issue's label and text matches to the pool.
func (r *run) ownMatches(is *ladder.Issue, e *entry, q ladder.Quarter, title, body []int32) {
	e.mOff = int32(len(r.matches))
	t := r.a.goals
	for _, l := range is.Labels {
		if len(t.byLabel) == 0 {
			break
		}
		r.buf = appendLower(r.buf[:0], l)
		for _, g := range t.byLabel[string(r.buf)] {
			if r.hasMatch(e.mOff, g) {
				continue
			}
			m := match{goal: int16(g), kind: matchLabel, score: 1, words: [matchWords]int32{-1, -1, -1}}
			for i, gl := range t.goals[g].Labels {
				if strings.EqualFold(gl, l) {
					m.words[0] = int32(i)
					break
				}
			}
			r.matches = append(r.matches, m)
		}
	}
	r.texts = r.texts[:0]
	if len(r.matches) == int(e.mOff) && !r.explicitEpic(is) { // no label matched
		r.texts = r.a.text.match(title, body, r.allowed(e.team, q), r.a.alignThr, r.textS, r.texts)
	}
	for _, tm := range r.texts {
		r.matches = append(r.matches, match{goal: int16(tm.goal), kind: matchText, score: float32(tm.score), words: tm.words})
	}
	n := len(r.matches) - int(e.mOff)
	if n > math.MaxUint8 {
		r.matches = r.matches[:int(e.mOff)+math.MaxUint8]
		n = math.MaxUint8
	}
	e.nm = uint8(n)
}

// explicitEpic reports whether the issue or its parent is a goal epic: then
// explicit evidence decides for it and everything under it, and its own text
// matches would never be read.
func (r *run) explicitEpic(is *ladder.Issue) bool {
	t := r.a.goals
	return len(t.byEpic) > 0 && (len(t.byEpic[is.Key]) > 0 || (is.Parent != "" && len(t.byEpic[is.Parent]) > 0))
}

// needsText reports whether anything will read the issue's words: text
// matching (a team with goals for the quarter and no explicit evidence) or
// overlap detection (recent work of a team).
func (r *run) needsText(is *ladder.Issue, team int16, q ladder.Quarter, recent bool) bool {
	if team < 0 {
		return false
	}
	if recent && !r.linked {
		return true
	}
	return len(r.allowed(team, q)) > 0 && !r.explicitEpic(is)
}

func (r *run) hasMatch(off int32, g int) bool {
	for _, m := range r.matches[off:] {
		if int(m.goal) == g {
			return true
		}
	}
	return false
}

// linkEpics resolves the configured epic keys to index entries, in every
// tracker that has the key.
func (r *run) linkEpics() {
	r.epics = map[int32][]int{}
	for key, goals := range r.a.goals.byEpic {
		p, n := splitKey(key)
		pid, ok := r.ix.prefixN[p]
		if !ok {
			continue
		}
		for t := range r.ix.trackers {
			if id, ok := r.ix.ids.find(r.ix.entries, refKey{uint16(t), pid, n}); ok {
				r.epics[id] = goals
			}
		}
	}
}

// chain returns id and its ancestors, nearest first, stopping at a loop.
func (r *run) chain(id int32) []int32 {
	c := append(r.chainBuf[:0], id)
	for p := r.ix.entries[id].parent; p >= 0 && len(c) < maxChain; p = r.ix.entries[p].parent {
		loop := false
		for _, x := range c {
			loop = loop || x == p
		}
		if loop {
			break
		}
		c = append(c, p)
	}
	r.chainBuf = c
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
func (r *run) align(id int32) (alignment, bool) {
	c := r.chain(id)
	for j, n := range c {
		if r.hasKind(n, matchLabel) || len(r.epics[n]) > 0 || (j+1 < len(c) && len(r.epics[c[j+1]]) > 0) {
			return alignment{chain: c, at: j, explicit: true}, true
		}
	}
	for j := len(c) - 1; j >= 0; j-- {
		if r.hasKind(c[j], matchText) {
			return alignment{chain: c, at: j}, true
		}
	}
	return alignment{chain: c}, false
}

func (r *run) hasKind(id int32, kind uint8) bool {
	e := &r.ix.entries[id]
	for _, m := range r.matches[e.mOff : e.mOff+int32(e.nm)] {
		if m.kind == kind {
			return true
		}
	}
	return false
}

// evidence calls fn for each goal the alignment names, in precedence order
// (labels, the issue as epic, its parent as epic; or text, strongest first),
// with the path of hops that leads to it.
func (r *run) evidence(al alignment, paths bool, fn func(g int, score float64, path string)) {
	n := al.chain[al.at]
	var hops strings.Builder // "parent K1 → … → parent K(at-1) → "
	key := func(id int32) string { return r.ix.key(&r.ix.entries[id]) }
	if paths {
		for j := 1; j < al.at; j++ {
			hops.WriteString("parent " + key(al.chain[j]) + " → ")
		}
	}
	upTo := func(ev string) string { // evidence found on chain[at] itself
		if !paths {
			return ""
		}
		if al.at == 0 {
			return hops.String() + ev
		}
		return hops.String() + "parent " + key(n) + " → " + ev
	}
	t := r.a.goals
	e := &r.ix.entries[n]
	for _, m := range r.matches[e.mOff : e.mOff+int32(e.nm)] {
		switch {
		case al.explicit && m.kind == matchLabel:
			fn(int(m.goal), 1, upTo("label "+t.goals[m.goal].Labels[m.words[0]]))
		case !al.explicit && m.kind == matchText:
			ev := ""
			if paths {
				ev = "text " + strconv.FormatFloat(float64(m.score), 'f', 2, 32)
				if w := r.a.text.words(m.words); w != "" {
					ev += ": " + w
				}
			}
			fn(int(m.goal), float64(m.score), upTo(ev))
		}
	}
	if !al.explicit {
		return
	}
	for _, g := range r.epics[n] {
		ev := ""
		if paths {
			ev = hops.String() + "epic " + key(n)
		}
		fn(g, 1, ev)
	}
	if al.at+1 < len(al.chain) {
		p := al.chain[al.at+1]
		for _, g := range r.epics[p] {
			fn(g, 1, upTo("epic "+key(p)))
		}
	}
}

// goalIDs calls fn with each goal the evidence decides for id, once per goal.
func (r *run) goalIDs(id int32, fn func(g int)) {
	al, ok := r.align(id)
	if !ok {
		return
	}
	seen := r.goalSeen[:0]
	r.evidence(al, false, func(g int, _ float64, _ string) {
		for _, s := range seen {
			if s == g {
				return
			}
		}
		seen = append(seen, g)
		fn(g)
	})
	r.goalSeen = seen
}

// goalMatches builds the verdict's goal matches with their paths.
func (r *run) goalMatches(id int32) []ladder.GoalMatch {
	out := []ladder.GoalMatch{}
	al, ok := r.align(id)
	if !ok {
		return out
	}
	t := r.a.goals
	r.evidence(al, true, func(g int, score float64, path string) {
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
func (r *run) teamGoals(id int32) []string {
	team := r.ix.entries[id].team
	if team < 0 {
		return nil
	}
	var ids []string
	r.goalIDs(id, func(g int) {
		if r.a.goals.team[g] == int(team) {
			ids = append(ids, r.a.goals.goals[g].ID)
		}
	})
	return ids
}

// unalignedReason says what was looked for and not found.
func (r *run) unalignedReason(team int16, q ladder.Quarter) string {
	k := allowKey{team, q}
	if s, ok := r.unaligned[k]; ok {
		return s
	}
	s := r.unalignedWhy(team, q)
	r.unaligned[k] = s
	return s
}

func (r *run) unalignedWhy(team int16, q ladder.Quarter) string {
	const explicit = "unaligned: no goal label, goal epic or aligned parent"
	if team < 0 {
		return explicit + ", and text is only matched against the owning team's goals"
	}
	name := r.a.teams.names[team]
	if len(r.allowed(team, q)) == 0 {
		return explicit + ", and " + name + " has no goals for " + q.String()
	}
	return explicit + ", and no " + name + " goal for " + q.String() + " scores " +
		strconv.FormatFloat(r.a.alignThr, 'f', 2, 64) + " or more by text"
}
