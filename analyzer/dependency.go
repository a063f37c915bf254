package analyzer

import (
	"cmp"
	"slices"
	"strings"

	"github.com/ladderhq/ladder"
)

// edgeKind is a dependency between two issues as the index keeps it.
// Waits point from the waiting issue to the one it waits on, whichever side
// the link or text came from; parent edges point from child to parent and
// are kept only when the two belong to different teams.
type edgeKind uint8

const (
	edgeBlockedBy edgeKind = iota
	edgeDependsOn
	edgeMention
	edgeParent
)

func (k edgeKind) waits() bool { return k == edgeBlockedBy || k == edgeDependsOn }

type edge struct {
	from, to int32
	kind     edgeKind
	via      uint8 // index into depEdges.vias; 0 is "text"
}

const viaText = "text"

// pendingRef is a reference found in text, kept until the index knows which
// tracker holds its project or repository.
type pendingRef struct {
	from    int32
	prefix  uint32
	num     uint32
	host    uint16
	kind    edgeKind
	reverse bool // "blocks X": X waits on this issue
}

// pendingChild is a child link seen from the parent's side; it sets the
// child's parent unless the child names one itself.
type pendingChild struct{ parent, child int32 }

// depEdges is the dependency edges' state in a run. The first pass
// collects each issue's links as edges and its text references as pending
// references (which tracker a key names is only known once every issue is
// indexed); link resolves those and the child links, adds the cross-team
// parent edges, and sorts and de-duplicates them all into edges, with byTo
// to find an issue's incoming edges. After link the edges are what the
// graph, overlap detection (already linked issues are not duplicates) and
// every verdict's dependencies read.
type depEdges struct {
	a  *Analyzer
	ix *index

	edges []edge  // by from, then to, after link
	byTo  []int32 // edge indexes by to, after link

	// First pass, dropped by link.
	pending  []pendingRef
	children []pendingChild

	// vias names how each edge was found ("text", a link type's name);
	// an edge keeps an index into it.
	vias []string
	viaN map[string]uint8

	prefixFold map[string]uint32 // lower-case repository prefix → prefix id, from link
	buf        []byte
}

func newDepEdges(a *Analyzer, ix *index) depEdges {
	return depEdges{a: a, ix: ix, vias: []string{viaText}, viaN: map[string]uint8{viaText: 0}}
}

func (de *depEdges) via(name string) uint8 {
	if v, ok := de.viaN[name]; ok {
		return v
	}
	if len(de.vias) > 255 {
		return 0
	}
	v := uint8(len(de.vias))
	name = strings.Clone(name)
	de.vias = append(de.vias, name)
	de.viaN[name] = v
	return v
}

func (de *depEdges) addEdge(from, to int32, kind edgeKind, via uint8) {
	if from != to {
		de.edges = append(de.edges, edge{from: from, to: to, kind: kind, via: via})
	}
}

// collect records the issue's links and text references.
func (de *depEdges) collect(id int32, is *ladder.Issue) {
	for _, l := range is.Links {
		to := l.To
		if to.Key == "" {
			continue
		}
		if to.Tracker == "" {
			to.Tracker = is.Tracker
		}
		via := de.via(cmp.Or(l.Via, string(l.Kind)))
		switch l.Kind {
		case ladder.BlockedBy:
			de.addEdge(id, de.ix.get(to), edgeBlockedBy, via)
		case ladder.DependsOn:
			de.addEdge(id, de.ix.get(to), edgeDependsOn, via)
		case ladder.Blocks:
			de.addEdge(de.ix.get(to), id, edgeBlockedBy, via)
		case ladder.Mentions:
			de.addEdge(id, de.ix.get(to), edgeMention, via)
		case ladder.ParentOf:
			if p := de.ix.get(to); de.ix.entries[id].parent < 0 && p != id {
				de.ix.entries[id].parent = p
			}
		case ladder.ChildOf:
			if c := de.ix.get(to); c != id {
				de.children = append(de.children, pendingChild{parent: id, child: c})
			}
		}
	}
	selfRepo := ""
	if p := de.ix.prefixes[de.ix.entries[id].prefix]; strings.HasSuffix(p, "#") {
		selfRepo = p
	}
	found := func(t textRef) {
		pr := pendingRef{from: id, prefix: de.ix.prefix(t.prefix), num: t.num, kind: t.kind, reverse: t.reverse}
		if t.host != "" {
			pr.host = de.ix.host(t.host)
		}
		de.pending = append(de.pending, pr)
	}
	scanRefs(is.Title, selfRepo, found)
	scanRefs(is.Body, selfRepo, found)
	for i := range is.Comments {
		scanRefs(is.Comments[i].Body, selfRepo, found)
	}
}

// resolve turns a text reference into an entry. A reference names a tracker
// when the index holds issues of its project or repository (several trackers:
// the URL's host, then the referring issue's own tracker, then the first by
// name decide), when its URL's host is a tracker's, or when the config
// assigns the project to a team and the referring issue is of the same kind
// (a Jira key from a Jira issue). Anything else — UTF-8, ISO-8601, a
// tracker Ladder does not know — is not a reference.
func (de *depEdges) resolve(p pendingRef) (int32, bool) {
	x := de.ix
	src := &x.entries[p.from]
	pid := p.prefix
	mask := x.prefixMask[pid]
	if mask == 0 {
		if alt, ok := de.prefixFold[strings.ToLower(x.prefixes[pid])]; ok {
			pid, mask = alt, x.prefixMask[alt]
		}
	}
	if p.host != 0 {
		if hm := x.hostMask[p.host]; mask&hm != 0 {
			mask &= hm
		} else if mask == 0 {
			mask = hm
		}
	}
	prefix := x.prefixes[pid]
	if mask == 0 && src.tracker < 64 {
		own := x.prefixes[src.prefix]
		if _, ok := lookupFold(de.a.teams.project, prefix[:len(prefix)-1], &de.buf); ok && own[len(own)-1] == prefix[len(prefix)-1] {
			mask = 1 << src.tracker
		}
	}
	if mask == 0 {
		return -1, false
	}
	t := -1
	if src.tracker < 64 && mask&(1<<src.tracker) != 0 {
		t = int(src.tracker)
	} else {
		for i := 0; i < len(x.trackers) && i < 64; i++ {
			if mask&(1<<i) != 0 && (t < 0 || x.trackers[i] < x.trackers[t]) {
				t = i
			}
		}
	}
	return x.getKey(uint16(t), pid, p.num), true
}

// link resolves text references, child links and cross-team
// parents into one sorted, de-duplicated edge list with an index by target.
func (de *depEdges) link() {
	x := de.ix
	de.prefixFold = map[string]uint32{}
	for id, p := range x.prefixes {
		if x.prefixMask[id] != 0 && strings.HasSuffix(p, "#") {
			de.prefixFold[strings.ToLower(p)] = uint32(id)
		}
	}
	for _, p := range de.pending {
		to, ok := de.resolve(p)
		if !ok {
			continue
		}
		if p.reverse {
			de.addEdge(to, p.from, edgeBlockedBy, 0)
		} else {
			de.addEdge(p.from, to, p.kind, 0)
		}
	}
	de.pending = nil
	for _, c := range de.children {
		if x.entries[c.child].parent < 0 {
			x.entries[c.child].parent = c.parent
		}
	}
	de.children = nil
	for id := range x.entries {
		e := &x.entries[id]
		if e.parent >= 0 && e.team >= 0 {
			if pt := x.entries[e.parent].team; pt >= 0 && pt != e.team {
				de.addEdge(int32(id), e.parent, edgeParent, de.via("parent"))
			}
		}
	}
	// Keep one edge per pair and class: a link over a text reference,
	// blocked-by over depends-on; drop mentions of issues already waited on.
	class := func(k edgeKind) int {
		if k.waits() {
			return 0
		}
		return int(k)
	}
	slices.SortFunc(de.edges, func(a, b edge) int {
		return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to), cmp.Compare(class(a.kind), class(b.kind)),
			cmp.Compare(boolInt(a.via == 0), boolInt(b.via == 0)), cmp.Compare(a.kind, b.kind), cmp.Compare(a.via, b.via))
	})
	de.edges = slices.CompactFunc(de.edges, func(a, b edge) bool {
		return a.from == b.from && a.to == b.to && class(a.kind) == class(b.kind)
	})
	waited := map[[2]int32]bool{}
	for _, e := range de.edges {
		if e.kind.waits() {
			waited[[2]int32{min(e.from, e.to), max(e.from, e.to)}] = true
		}
	}
	de.edges = slices.DeleteFunc(de.edges, func(e edge) bool {
		return e.kind == edgeMention && waited[[2]int32{min(e.from, e.to), max(e.from, e.to)}]
	})
	de.edges = slices.Clip(de.edges)
	de.byTo = make([]int32, len(de.edges))
	for i := range de.byTo {
		de.byTo[i] = int32(i)
	}
	slices.SortFunc(de.byTo, func(a, b int32) int {
		return cmp.Or(cmp.Compare(de.edges[a].to, de.edges[b].to), cmp.Compare(de.edges[a].from, de.edges[b].from), cmp.Compare(a, b))
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// out and in return the edges leaving and entering id.
func (de *depEdges) out(id int32) []edge {
	lo, _ := slices.BinarySearchFunc(de.edges, id, func(e edge, id int32) int { return cmp.Compare(e.from, id) })
	hi := lo
	for hi < len(de.edges) && de.edges[hi].from == id {
		hi++
	}
	return de.edges[lo:hi]
}

func (de *depEdges) in(id int32) []int32 {
	lo, _ := slices.BinarySearchFunc(de.byTo, id, func(i int32, id int32) int { return cmp.Compare(de.edges[i].to, id) })
	hi := lo
	for hi < len(de.byTo) && de.edges[de.byTo[hi]].to == id {
		hi++
	}
	return de.byTo[lo:hi]
}

var depOrder = map[ladder.LinkKind]int{
	ladder.BlockedBy: 0, ladder.DependsOn: 1, ladder.Blocks: 2, ladder.ParentOf: 3, ladder.ChildOf: 4, ladder.Mentions: 5,
}

// dependencies builds the verdict's dependencies and their reasons. Mentions
// are listed on the mentioning side only.
func (de *depEdges) dependencies(id int32, v *ladder.Verdict, al *aligner) {
	type dep struct {
		other int32
		kind  ladder.LinkKind
		via   uint8
	}
	var deps []dep
	for _, e := range de.out(id) {
		k := ladder.Mentions
		switch e.kind {
		case edgeBlockedBy:
			k = ladder.BlockedBy
		case edgeDependsOn:
			k = ladder.DependsOn
		case edgeParent:
			k = ladder.ParentOf
		}
		deps = append(deps, dep{e.to, k, e.via})
	}
	for _, i := range de.in(id) {
		e := de.edges[i]
		switch {
		case e.kind.waits():
			deps = append(deps, dep{e.from, ladder.Blocks, e.via})
		case e.kind == edgeParent:
			deps = append(deps, dep{e.from, ladder.ChildOf, e.via})
		}
	}
	slices.SortStableFunc(deps, func(a, b dep) int {
		return cmp.Or(cmp.Compare(depOrder[a.kind], depOrder[b.kind]), de.ix.compare(a.other, b.other))
	})
	v.Dependencies = make([]ladder.Dependency, 0, len(deps))
	self := &de.ix.entries[id]
	for _, d := range deps {
		o := &de.ix.entries[d.other]
		dv := ladder.Dependency{
			Ref:       de.ix.ref(d.other),
			Team:      de.a.teamName(de.ix, d.other),
			Kind:      d.kind,
			Open:      o.open(),
			Via:       de.vias[d.via],
			CrossTeam: de.ix.crossTeam(id, d.other),
			Known:     o.known(),
		}
		if dv.Known {
			dv.OtherGoals = al.teamGoals(d.other)
			dv.OtherAligned = len(dv.OtherGoals) > 0
		}
		if dv.CrossTeam && d.kind != ladder.Mentions {
			v.CrossTeam = true
		}
		v.Dependencies = append(v.Dependencies, dv)
		if reason := de.depReason(self, dv); reason != "" {
			v.Reasons = append(v.Reasons, ladder.Reason{Kind: ladder.ReasonDependency, Text: reason})
		}
	}
}

func (de *depEdges) depReason(self *entry, d ladder.Dependency) string {
	var verb string
	switch d.Kind {
	case ladder.BlockedBy:
		verb = "blocked by"
	case ladder.DependsOn:
		verb = "depends on"
	case ladder.Blocks:
		if !d.CrossTeam {
			return ""
		}
		verb = "blocks"
	case ladder.ParentOf:
		return "parent " + d.Key + " belongs to " + d.Team
	case ladder.ChildOf:
		return "child " + d.Key + " belongs to " + d.Team
	default:
		if !d.CrossTeam {
			return ""
		}
		return "mentions " + d.Key + " of " + d.Team
	}
	if !d.Known {
		return verb + " " + d.Key + ", which is not in the store: its team and state are unknown"
	}
	state := "done"
	if d.Open {
		state = "open"
	}
	reason := verb + " " + d.Key + " (" + cmp.Or(d.Team, "no team") + ", " + state + ")"
	if d.CrossTeam && d.Open && self.open() && d.Kind != ladder.Blocks {
		if len(d.OtherGoals) == 0 {
			reason += "; " + d.Key + " (" + d.Team + ") is not on any " + d.Team + " goal — at risk of never being scheduled"
		} else {
			reason += "; " + d.Key + " is on " + d.Team + " goal " + strings.Join(d.OtherGoals, ", ")
		}
	}
	return reason
}
