package analyzer

import (
	"cmp"
	"time"

	"github.com/ladderhq/ladder"
)

// run is one Run's working state. Each measure keeps its own state, in a
// type and file of its own; run holds what they all share (the key index),
// drives the two passes and hands each measure what it needs of another.
// Read a measure's type for what it keeps between the passes and why.
type run struct {
	a  *Analyzer
	ix *index // index.go: one compact entry per issue, shared by every measure

	reader  textReader    // reader.go: each issue's words, read once in the first pass
	debt    debtRules     // category.go: tech debt, bug, maintenance, feature; debt admitted
	align   aligner       // alignment.go: goal matches and the evidence of each verdict's goals
	deps    depEdges      // dependency.go: links and text references as edges
	graph   depGraph      // graph.go: cycles, the longest chain, cross-team blockers
	overlap overlapFinder // overlap.go: other teams' issues that read as the same work
	sum     summer        // summary.go: per team and quarter, as verdicts are emitted

	// linked is set once the cross-issue facts are settled, between the
	// passes; judged has a bit per entry whose verdict was emitted.
	linked bool
	judged []uint64
	buf    []byte // the team rules' scratch
}

func newRun(a *Analyzer) *run {
	ix := newIndex()
	r := &run{
		a:     a,
		ix:    ix,
		debt:  debtRules{a: a},
		align: newAligner(a, ix),
		deps:  newDepEdges(a, ix),
		graph: newDepGraph(a, ix),
		sum:   newSummer(a),
	}
	r.overlap = newOverlapFinder(a, ix, &r.deps)
	r.reader.init(a)
	return r
}

// quarterOf is the quarter an issue's work counts in: done work in the
// quarter it was done, work in progress in the current quarter, and work not
// started in the quarter it was filed — so a backlog of old tickets nobody
// has picked up does not swamp the current quarter, and shows where it was
// planned.
func (a *Analyzer) quarterOf(is *ladder.Issue) ladder.Quarter {
	var t time.Time
	switch is.StatusCategory {
	case ladder.StatusDone:
		t = is.Updated
		if is.Resolved != nil && !is.Resolved.IsZero() {
			t = *is.Resolved
		}
	case ladder.StatusInProgress:
		return a.now
	default:
		t = is.Created
	}
	if t.IsZero() || t.After(a.cfg.Now) {
		return a.now
	}
	return ladder.QuarterOf(t, a.fyStart)
}

// index is the first pass over one issue. The first copy of an issue wins.
func (r *run) index(is *ladder.Issue) {
	x := r.ix
	id := x.get(is.Ref)
	if x.entries[id].known() {
		return
	}
	team, _, _ := r.a.teams.of(is, &r.buf)
	q := r.a.quarterOf(is)
	if is.Parent != "" {
		if p := x.get(ladder.Ref{Tracker: is.Tracker, Key: is.Parent}); p != id {
			x.entries[id].parent = p
		}
	}
	e := &x.entries[id]
	e.team = int16(team)
	e.state = stateOf(is.StatusCategory)
	if t := e.tracker; t < 64 {
		x.prefixMask[e.prefix] |= 1 << t
		if h := hostOf(is.URL); h != "" {
			x.hostMask[x.host(h)] |= 1 << t
		}
	}
	r.reader.reset()
	recent := e.open() || r.overlap.inWindow(q)
	needsText := r.needsText(is, e.team, q, recent)
	switch {
	case r.debt.explicit(is) == "":
		r.debt.keep(id, r.reader.score(is, needsText))
	case needsText:
		r.reader.read(is)
	}
	r.align.ownMatches(is, e, q, r.reader.titleQ, r.reader.bodyQ)
	if r.linked {
		return // judged late: overlaps and edges are settled
	}
	if e.team >= 0 && recent {
		r.overlap.keepTerms(e, is, &r.reader)
	}
	r.deps.collect(id, is)
}

// needsText reports whether anything will read the issue's words: text
// matching (a team with goals for the quarter and no explicit evidence) or,
// in the first pass, overlap detection (recent work of a team).
func (r *run) needsText(is *ladder.Issue, team int16, q ladder.Quarter, recent bool) bool {
	if team < 0 {
		return false
	}
	if recent && !r.linked {
		return true
	}
	return len(r.align.allowed(team, q)) > 0 && !r.align.explicitEpic(is)
}

// link derives the cross-issue facts once every issue is indexed.
func (r *run) link() {
	r.align.linkEpics()
	r.deps.link()
	r.graph.build(r.deps.edges, &r.align)
	r.overlap.find()
	r.overlap.forget()
	r.reader.renew()
	r.judged = make([]uint64, len(r.ix.entries)/64+1)
	r.linked = true
}

// verdict is the second pass over one issue.
func (r *run) verdict(is *ladder.Issue) *ladder.Verdict {
	id, ok := r.ix.lookup(is.Ref)
	if !ok || !r.ix.entries[id].known() {
		// Not seen by the first pass (the store changed in between): judge
		// it on its own, without the cross-issue facts it would have added.
		r.index(is)
		id, _ = r.ix.lookup(is.Ref)
	}
	if w := int(id) / 64; w >= len(r.judged) {
		r.judged = append(r.judged, make([]uint64, w-len(r.judged)+1)...)
	}
	if r.judged[id/64]&(1<<(id%64)) != 0 {
		return nil
	}
	r.judged[id/64] |= 1 << (id % 64)

	team, rule, value := r.a.teams.of(is, &r.buf)
	q := r.a.quarterOf(is)
	v := &ladder.Verdict{
		Ref:     is.Ref,
		Title:   is.Title,
		URL:     is.URL,
		Quarter: q.String(),
		Status:  cmp.Or(is.StatusCategory, ladder.StatusTodo),
		// Room for the usual team, category, goal and one more reason in
		// one allocation.
		Reasons: append(make(ladder.Reasons, 0, 4), r.a.teams.reason(is, team, rule, value)),
	}
	if team >= 0 {
		v.Team = r.a.teams.names[team]
	}
	if is.Estimate != nil {
		est := *is.Estimate
		v.Estimate = &est
	}
	r.debt.judge(id, is, v)
	v.Goals = r.align.goalMatches(id)
	v.Aligned = len(v.Goals) > 0
	for _, g := range v.Goals {
		v.Reasons = append(v.Reasons, ladder.Reason{Kind: ladder.ReasonGoal, Text: "aligned to " + g.ID + ": " + g.Path})
	}
	if !v.Aligned {
		v.Reasons = append(v.Reasons, r.align.unalignedReason(int16(team), q))
	}
	r.deps.dependencies(id, v, &r.align)
	r.overlap.overlapsOf(id, v)
	r.debt.admitted(is, v)
	r.graph.fill(id, is, v.Status)
	r.sum.add(v, team, q)
	return v
}

func (r *run) summary() *ladder.Summary {
	return r.sum.summary(r.graph.summary(&r.align), r.overlap.strongest(summaryOverlaps), len(r.overlap.overlaps))
}

// teamName is the name of the team of entry id, "" for none.
func (a *Analyzer) teamName(x *index, id int32) string {
	if t := x.entries[id].team; t >= 0 {
		return a.teams.names[t]
	}
	return ""
}
