package analyzer

import (
	"cmp"
	"slices"
	"strconv"
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
	via      uint8 // index into run.vias; 0 is "text"
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

func (r *run) via(name string) uint8 {
	if v, ok := r.viaN[name]; ok {
		return v
	}
	if len(r.vias) > 255 {
		return 0
	}
	v := uint8(len(r.vias))
	name = strings.Clone(name)
	r.vias = append(r.vias, name)
	r.viaN[name] = v
	return v
}

func (r *run) addEdge(from, to int32, kind edgeKind, via uint8) {
	if from != to {
		r.edges = append(r.edges, edge{from: from, to: to, kind: kind, via: via})
	}
}

// collectLinks records the issue's links and text references.
func (r *run) collectLinks(id int32, is *ladder.Issue) {
	for _, l := range is.Links {
		to := l.To
		if to.Key == "" {
			continue
		}
		if to.Tracker == "" {
			to.Tracker = is.Tracker
		}
		via := r.via(cmp.Or(l.Via, string(l.Kind)))
		switch l.Kind {
		case ladder.BlockedBy:
			r.addEdge(id, r.ix.get(to), edgeBlockedBy, via)
		case ladder.DependsOn:
			r.addEdge(id, r.ix.get(to), edgeDependsOn, via)
		case ladder.Blocks:
			r.addEdge(r.ix.get(to), id, edgeBlockedBy, via)
		case ladder.Mentions:
			r.addEdge(id, r.ix.get(to), edgeMention, via)
		case ladder.ParentOf:
			if p := r.ix.get(to); r.ix.entries[id].parent < 0 && p != id {
				r.ix.entries[id].parent = p
			}
		case ladder.ChildOf:
			if c := r.ix.get(to); c != id {
				r.children = append(r.children, pendingChild{parent: id, child: c})
			}
		}
	}
	selfRepo := ""
	if p := r.ix.prefixes[r.ix.entries[id].prefix]; strings.HasSuffix(p, "#") {
		selfRepo = p
	}
	found := func(t textRef) {
		pr := pendingRef{from: id, prefix: r.ix.prefix(t.prefix), num: t.num, kind: t.kind, reverse: t.reverse}
		if t.host != "" {
			pr.host = r.ix.host(t.host)
		}
		r.pending = append(r.pending, pr)
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
func (r *run) resolve(p pendingRef) (int32, bool) {
	x := r.ix
	src := &x.entries[p.from]
	pid := p.prefix
	mask := x.prefixMask[pid]
	if mask == 0 {
		if alt, ok := r.prefixFold[strings.ToLower(x.prefixes[pid])]; ok {
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
		if _, ok := lookupFold(r.a.teams.project, prefix[:len(prefix)-1], r.buf); ok && own[len(own)-1] == prefix[len(prefix)-1] {
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

// linkDependencies resolves text references, child links and cross-team
// parents into one sorted, de-duplicated edge list with an index by target.
func (r *run) linkDependencies() {
	x := r.ix
	r.prefixFold = map[string]uint32{}
	for id, p := range x.prefixes {
		if x.prefixMask[id] != 0 && strings.HasSuffix(p, "#") {
			r.prefixFold[strings.ToLower(p)] = uint32(id)
		}
	}
	for _, p := range r.pending {
		to, ok := r.resolve(p)
		if !ok {
			continue
		}
		if p.reverse {
			r.addEdge(to, p.from, edgeBlockedBy, 0)
		} else {
			r.addEdge(p.from, to, p.kind, 0)
		}
	}
	r.pending = nil
	for _, c := range r.children {
		if x.entries[c.child].parent < 0 {
			x.entries[c.child].parent = c.parent
		}
	}
	r.children = nil
	for id := range x.entries {
		e := &x.entries[id]
		if e.parent >= 0 && e.team >= 0 {
			if pt := x.entries[e.parent].team; pt >= 0 && pt != e.team {
				r.addEdge(int32(id), e.parent, edgeParent, r.via("parent"))
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
	slices.SortFunc(r.edges, func(a, b edge) int {
		return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to), cmp.Compare(class(a.kind), class(b.kind)),
			cmp.Compare(boolInt(a.via == 0), boolInt(b.via == 0)), cmp.Compare(a.kind, b.kind), cmp.Compare(a.via, b.via))
	})
	r.edges = slices.CompactFunc(r.edges, func(a, b edge) bool {
		return a.from == b.from && a.to == b.to && class(a.kind) == class(b.kind)
	})
	waited := map[[2]int32]bool{}
	for _, e := range r.edges {
		if e.kind.waits() {
			waited[[2]int32{min(e.from, e.to), max(e.from, e.to)}] = true
		}
	}
	r.edges = slices.DeleteFunc(r.edges, func(e edge) bool {
		return e.kind == edgeMention && waited[[2]int32{min(e.from, e.to), max(e.from, e.to)}]
	})
	r.edges = slices.Clip(r.edges)
	r.byTo = make([]int32, len(r.edges))
	for i := range r.byTo {
		r.byTo[i] = int32(i)
	}
	slices.SortFunc(r.byTo, func(a, b int32) int {
		return cmp.Or(cmp.Compare(r.edges[a].to, r.edges[b].to), cmp.Compare(r.edges[a].from, r.edges[b].from), cmp.Compare(a, b))
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// out and in return the edges leaving and entering id.
func (r *run) out(id int32) []edge {
	lo, _ := slices.BinarySearchFunc(r.edges, id, func(e edge, id int32) int { return cmp.Compare(e.from, id) })
	hi := lo
	for hi < len(r.edges) && r.edges[hi].from == id {
		hi++
	}
	return r.edges[lo:hi]
}

func (r *run) in(id int32) []int32 {
	lo, _ := slices.BinarySearchFunc(r.byTo, id, func(i int32, id int32) int { return cmp.Compare(r.edges[i].to, id) })
	hi := lo
	for hi < len(r.byTo) && r.edges[r.byTo[hi]].to == id {
		hi++
	}
	return r.byTo[lo:hi]
}

// openWait reports whether e is a wait between two open issues of the store.
func (r *run) openWait(e edge) bool {
	return e.kind.waits() && r.ix.entries[e.from].open() && r.ix.entries[e.to].open()
}

// crossTeam reports whether a and b belong to two different known teams.
func (r *run) crossTeam(a, b int32) bool {
	ta, tb := r.ix.entries[a].team, r.ix.entries[b].team
	return ta >= 0 && tb >= 0 && ta != tb
}

func (r *run) teamName(id int32) string {
	if t := r.ix.entries[id].team; t >= 0 {
		return r.a.teams.names[t]
	}
	return ""
}

var depOrder = map[ladder.LinkKind]int{
	ladder.BlockedBy: 0, ladder.DependsOn: 1, ladder.Blocks: 2, ladder.ParentOf: 3, ladder.ChildOf: 4, ladder.Mentions: 5,
}

// dependencies builds the verdict's dependencies and their reasons. Mentions
// are listed on the mentioning side only.
func (r *run) dependencies(id int32, v *ladder.Verdict) {
	type dep struct {
		other int32
		kind  ladder.LinkKind
		via   uint8
	}
	var deps []dep
	for _, e := range r.out(id) {
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
	for _, i := range r.in(id) {
		e := r.edges[i]
		switch {
		case e.kind.waits():
			deps = append(deps, dep{e.from, ladder.Blocks, e.via})
		case e.kind == edgeParent:
			deps = append(deps, dep{e.from, ladder.ChildOf, e.via})
		}
	}
	slices.SortStableFunc(deps, func(a, b dep) int {
		return cmp.Or(cmp.Compare(depOrder[a.kind], depOrder[b.kind]), r.ix.compare(a.other, b.other))
	})
	v.Dependencies = make([]ladder.Dependency, 0, len(deps))
	self := &r.ix.entries[id]
	for _, d := range deps {
		o := &r.ix.entries[d.other]
		dv := ladder.Dependency{
			Ref:       r.ix.ref(d.other),
			Team:      r.teamName(d.other),
			Kind:      d.kind,
			Open:      o.open(),
			Via:       r.vias[d.via],
			CrossTeam: r.crossTeam(id, d.other),
			Known:     o.known(),
		}
		if dv.Known {
			dv.OtherGoals = r.teamGoals(d.other)
			dv.OtherAligned = len(dv.OtherGoals) > 0
		}
		if dv.CrossTeam && d.kind != ladder.Mentions {
			v.CrossTeam = true
		}
		v.Dependencies = append(v.Dependencies, dv)
		if reason := r.depReason(self, dv); reason != "" {
			v.Reasons = append(v.Reasons, reason)
		}
	}
}

func (r *run) depReason(self *entry, d ladder.Dependency) string {
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

// graph finds the cycles and the longest chain of open waits, and the open
// cross-team blockers whose lines the second pass fills in.
func (r *run) graph() {
	x := r.ix
	local := map[int32]int32{}
	var nodes []int32
	node := func(id int32) int32 {
		if l, ok := local[id]; ok {
			return l
		}
		l := int32(len(nodes))
		local[id] = l
		nodes = append(nodes, id)
		return l
	}
	var from, to []int32
	for _, e := range r.edges {
		if !r.openWait(e) {
			continue
		}
		from = append(from, node(e.from))
		to = append(to, node(e.to))
		if r.crossTeam(e.from, e.to) {
			r.blockers = append(r.blockers, e)
		}
	}
	r.pickBlockers()
	n := len(nodes)
	if n == 0 {
		return
	}
	// Adjacency in CSR form, successors in ref order so ties break the same
	// way whatever order the store streamed issues in.
	start := make([]int32, n+1)
	for _, f := range from {
		start[f+1]++
	}
	for i := range n {
		start[i+1] += start[i]
	}
	adj := make([]int32, len(from))
	fill := slices.Clone(start[:n])
	for i, f := range from {
		adj[fill[f]] = to[i]
		fill[f]++
	}
	for v := range n {
		succ := adj[start[v]:start[v+1]]
		slices.SortFunc(succ, func(a, b int32) int { return x.compare(nodes[a], nodes[b]) })
	}
	comp, comps := tarjan(n, start, adj)

	rep := make([]int32, len(comps)) // smallest member by ref
	for c, members := range comps {
		rep[c] = members[0]
		for _, m := range members[1:] {
			if x.compare(nodes[m], nodes[rep[c]]) < 0 {
				rep[c] = m
			}
		}
		if len(members) > 1 {
			r.cycles = append(r.cycles, r.cycleOrder(members, rep[c], start, adj, comp, nodes))
		}
	}
	slices.SortFunc(r.cycles, func(a, b []ladder.Ref) int { return compareRefs(a[0], b[0]) })

	// Tarjan emits components sinks first, so every successor's best chain
	// is known when a component is reached.
	best := make([]int32, len(comps))
	next := make([]int32, len(comps))
	for c, members := range comps {
		best[c], next[c] = 1, -1
		for _, m := range members {
			for _, w := range adj[start[m]:start[m+1]] {
				d := comp[w]
				if d == int32(c) {
					continue
				}
				if best[d]+1 > best[c] || (best[d]+1 == best[c] && next[c] >= 0 && x.compare(nodes[rep[d]], nodes[rep[next[c]]]) < 0) {
					best[c], next[c] = best[d]+1, d
				}
			}
		}
	}
	head := int32(-1)
	for c := range comps {
		if head < 0 || best[c] > best[head] || (best[c] == best[head] && x.compare(nodes[rep[c]], nodes[rep[head]]) < 0) {
			head = int32(c)
		}
	}
	if best[head] >= 2 {
		for c := head; c >= 0; c = next[c] {
			r.chainRefs = append(r.chainRefs, x.ref(nodes[rep[c]]))
		}
	}
}

// cycleOrder lists a strongly connected component by following its waits
// from its smallest member, so a simple cycle reads in order.
func (r *run) cycleOrder(members []int32, first int32, start, adj, comp []int32, nodes []int32) []ladder.Ref {
	in := map[int32]bool{}
	for _, m := range members {
		in[m] = false
	}
	var order []int32
	for v := first; v >= 0; {
		order = append(order, v)
		in[v] = true
		nv := int32(-1)
		for _, w := range adj[start[v]:start[v+1]] {
			if visited, ok := in[w]; ok && !visited && comp[w] == comp[v] {
				nv = w
				break
			}
		}
		v = nv
	}
	var rest []int32
	for _, m := range members {
		if !in[m] {
			rest = append(rest, m)
		}
	}
	slices.SortFunc(rest, func(a, b int32) int { return r.ix.compare(nodes[a], nodes[b]) })
	refs := make([]ladder.Ref, 0, len(members))
	for _, m := range append(order, rest...) {
		refs = append(refs, r.ix.ref(nodes[m]))
	}
	return refs
}

// tarjan finds the strongly connected components of a graph in CSR form
// without recursion, so a chain of a million waits cannot overflow the stack.
// Components come out in reverse topological order (sinks first); comp maps
// each node to its component.
func tarjan(n int, start, adj []int32) (comp []int32, comps [][]int32) {
	const unvisited = -1
	index := make([]int32, n)
	low := make([]int32, n)
	onStack := make([]bool, n)
	comp = make([]int32, n)
	for i := range index {
		index[i] = unvisited
	}
	var stack []int32
	type frame struct{ v, next int32 }
	var calls []frame
	counter := int32(0)
	for root := range int32(n) {
		if index[root] != unvisited {
			continue
		}
		calls = append(calls, frame{root, start[root]})
		index[root], low[root] = counter, counter
		counter++
		stack = append(stack, root)
		onStack[root] = true
		for len(calls) > 0 {
			f := &calls[len(calls)-1]
			v := f.v
			if f.next < start[v+1] {
				w := adj[f.next]
				f.next++
				if index[w] == unvisited {
					index[w], low[w] = counter, counter
					counter++
					stack = append(stack, w)
					onStack[w] = true
					calls = append(calls, frame{w, start[w]})
				} else if onStack[w] {
					low[v] = min(low[v], index[w])
				}
				continue
			}
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				p := calls[len(calls)-1].v
				low[p] = min(low[p], low[v])
			}
			if low[v] == index[v] {
				var members []int32
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = int32(len(comps))
					members = append(members, w)
					if w == v {
						break
					}
				}
				comps = append(comps, members)
			}
		}
	}
	return comp, comps
}

// blockerPair is one (waiting team, blocking team) pair's open cross-team
// blockers: all counted, the first listLimit in ref order kept for the
// report.
type blockerPair struct {
	waiting, blocking int16
	open, uncovered   int
	kept              []edge
}

// pickBlockers counts the open cross-team blockers per team pair and keeps
// those the summary lists: per pair the first listLimit by waiting issue,
// and the first listLimit no goal of the blocking team covers, by blocker.
// Only kept issues have their lines filled in by the second pass, so the
// summary stays the same size however many blockers there are.
func (r *run) pickBlockers() {
	x := r.ix
	lim := r.a.listLimit
	team := func(id int32) int16 { return x.entries[id].team }
	slices.SortFunc(r.blockers, func(a, b edge) int {
		return cmp.Or(cmp.Compare(team(a.from), team(b.from)), cmp.Compare(team(a.to), team(b.to)),
			x.compare(a.from, b.from), x.compare(a.to, b.to))
	})
	keep := func(e edge) { r.lines[e.from], r.lines[e.to] = nil, nil }
	var uncovered []edge
	covered := map[int32]bool{}
	for _, e := range r.blockers {
		wt, bt := team(e.from), team(e.to)
		if n := len(r.pairs); n == 0 || r.pairs[n-1].waiting != wt || r.pairs[n-1].blocking != bt {
			r.pairs = append(r.pairs, blockerPair{waiting: wt, blocking: bt})
		}
		p := &r.pairs[len(r.pairs)-1]
		p.open++
		if lim <= 0 || len(p.kept) < lim {
			p.kept = append(p.kept, e)
			keep(e)
		}
		c, ok := covered[e.to]
		if !ok {
			c = len(r.teamGoals(e.to)) > 0
			covered[e.to] = c
		}
		if !c {
			p.uncovered++
			uncovered = append(uncovered, e)
		}
	}
	r.blockers = nil
	r.uncoveredTotal = len(uncovered)
	slices.SortFunc(uncovered, func(a, b edge) int {
		return cmp.Or(x.compare(a.to, b.to), x.compare(a.from, b.from))
	})
	if lim > 0 && len(uncovered) > lim {
		uncovered = slices.Clip(uncovered[:lim])
	}
	for _, e := range uncovered {
		keep(e)
	}
	r.uncovered = uncovered
}

// depSummary builds the cross-team picture once the second pass has filled
// in the lines of the issues the summary lists.
func (r *run) depSummary() ladder.DepSummary {
	s := ladder.DepSummary{Pairs: []ladder.TeamPair{}, Cycles: r.cycles, LongestChain: r.chainRefs, UncoveredTotal: r.uncoveredTotal}
	for _, p := range r.pairs {
		tp := ladder.TeamPair{
			Waiting: r.a.teams.names[p.waiting], Blocking: r.a.teams.names[p.blocking],
			Open: p.open, Uncovered: p.uncovered, Blockers: make([]ladder.Blocker, 0, len(p.kept)),
		}
		for _, e := range p.kept {
			tp.Blockers = append(tp.Blockers, r.blocker(e))
		}
		s.Pairs = append(s.Pairs, tp)
	}
	for _, e := range r.uncovered {
		s.Uncovered = append(s.Uncovered, r.blocker(e))
	}
	return s
}

func (r *run) blocker(e edge) ladder.Blocker {
	return ladder.Blocker{
		Waiting:      r.line(e.from),
		WaitingTeam:  r.a.teams.names[r.ix.entries[e.from].team],
		Blocker:      r.line(e.to),
		BlockerTeam:  r.a.teams.names[r.ix.entries[e.to].team],
		BlockerGoals: r.teamGoals(e.to),
	}
}

func (r *run) line(id int32) ladder.IssueLine {
	if l := r.lines[id]; l != nil {
		return *l
	}
	return ladder.IssueLine{Ref: r.ix.ref(id)}
}

// textRef is an issue reference found in text: a Jira key (PLAT-88), a
// GitHub reference (acme/platform#12, or #12 within a repository), or an
// issue URL of either tracker.
type textRef struct {
	prefix  string
	num     uint32
	host    string
	kind    edgeKind
	reverse bool
}

// Words after a phrase such as "blocked by" that may stand before the
// reference it announces; a reference keeps the phrase alive for a list.
const (
	phraseReach = 6
	listReach   = 1
)

// scanRefs calls fn for each issue reference in text. A reference is a
// mention unless a phrase announces it: "blocked by", "waiting on", "blocker:"
// (it waits), "depends on", "requires" (it depends), "blocks" (the other
// issue waits on this one). "not blocked by" announces nothing. selfRepo is
// the issue's own "owner/repo#" prefix for bare #12 references, "" outside
// GitHub.
func scanRefs(text, selfRepo string, fn func(textRef)) {
	if strings.IndexByte(text, '-') < 0 && strings.IndexByte(text, '#') < 0 && strings.IndexByte(text, ':') < 0 {
		return // no reference without a dash, a hash or a scheme
	}
	mode, reverse, budget := edgeMention, false, 0
	prev := ""
	n := len(text)
	for i := 0; i < n; {
		newlines := 0
		for i < n && isBlank(text[i]) {
			if text[i] == '\n' {
				newlines++
			}
			i++
		}
		if newlines >= 2 {
			mode = edgeMention // a blank line ends what a phrase announced
		}
		j := i
		for j < n && !isBlank(text[j]) {
			j++
		}
		if j == i {
			break
		}
		w := text[i:j]
		i = j
		core, tail := trimWord(w)
		if mayBeRef(w) {
			if ref, ok := parseRef(w, core, selfRepo); ok {
				ref.kind, ref.reverse = mode, reverse && mode != edgeMention
				fn(ref)
				budget = listReach
				if hasAny(tail, ".;!?") {
					mode = edgeMention
				}
				prev = ""
				continue
			}
		}
		if k, rev, ok := trigger(core, prev); ok {
			mode, reverse, budget = k, rev, phraseReach
		} else if len(core) > 1 && !isConnector(core) {
			// One-character words are list markup ("- [x]"), not prose.
			if budget--; budget <= 0 {
				mode = edgeMention
			}
		}
		if tail != "" && tail != ":" && hasAny(tail, ".,;!?)") {
			mode = edgeMention
		}
		prev = core
	}
}

func isBlank(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// trimWord strips markup and punctuation around a word; tail is what came
// off the end. A possessive 's goes too: PLAT-88's.
func trimWord(w string) (core, tail string) {
	i, j := 0, len(w)
	for i < j && isLeadMark(w[i]) {
		i++
	}
	for j > i && isTrailMark(w[j-1]) {
		j--
	}
	core, tail = w[i:j], w[j:]
	if n := len(core); n > 2 && (core[n-2] == '\'') && (core[n-1] == 's' || core[n-1] == 'S') {
		core = core[:n-2]
	}
	return core, tail
}

func isLeadMark(c byte) bool {
	switch c {
	case '(', '[', '{', '<', '"', '\'', '*', '_', '~', '>', '`':
		return true
	}
	return false
}

func isTrailMark(c byte) bool {
	switch c {
	case ')', ']', '}', '>', '"', '\'', '*', '_', '~', '`', '.', ',', ';', ':', '!', '?':
		return true
	}
	return false
}

// hasAny is strings.ContainsAny for a few ASCII marks, without its setup cost.
func hasAny(s, marks string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(marks, s[i]) >= 0 {
			return true
		}
	}
	return false
}

// mayBeRef reports whether a word has what every reference has: a dash
// (PLAT-88), a hash (#12) or a colon (https:).
func mayBeRef(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c == '-' || c == '#' || c == ':' {
			return true
		}
	}
	return false
}

func isConnector(w string) bool {
	if c := w[0] | 0x20; c != 'a' && c != 'o' && c != 'p' {
		return false
	}
	switch len(w) {
	case 2:
		return strings.EqualFold(w, "or")
	case 3:
		return strings.EqualFold(w, "and")
	case 4:
		return strings.EqualFold(w, "also") || strings.EqualFold(w, "plus")
	}
	return false
}

func trigger(w, prev string) (edgeKind, bool, bool) {
	if w == "" {
		return 0, false, false
	}
	switch w[0] | 0x20 {
	case 'b', 'w', 'd', 'r', 'a', 'p':
	default:
		return 0, false, false
	}
	if isNegation(prev) {
		return 0, false, false
	}
	switch {
	case foldIn(w, "blocked", "blocker", "blockers", "waiting", "waits", "wait", "awaiting"):
		return edgeBlockedBy, false, true
	case foldIn(w, "depends", "dependent", "depending", "dependency", "dependencies", "requires", "prerequisite", "prerequisites"):
		return edgeDependsOn, false, true
	case foldIn(w, "blocks", "blocking"):
		return edgeBlockedBy, true, true
	}
	return 0, false, false
}

func isNegation(w string) bool {
	return foldIn(w, "not", "no", "longer", "never", "isn't", "aren't", "wasn't", "un")
}

func foldIn(w string, words ...string) bool {
	for _, x := range words {
		if len(x) == len(w) && strings.EqualFold(w, x) {
			return true
		}
	}
	return false
}

// parseRef reads one word as an issue reference.
func parseRef(w, core, selfRepo string) (textRef, bool) {
	if k := strings.Index(w, "http"); k >= 0 && strings.Contains(w[k:], "://") {
		return parseIssueURL(w[k:])
	}
	if len(core) < 2 {
		return textRef{}, false
	}
	if h := strings.IndexByte(core, '#'); h >= 0 {
		num, ok := parseNum(core[h+1:])
		if !ok {
			return textRef{}, false
		}
		if h == 0 {
			return textRef{prefix: selfRepo, num: num}, selfRepo != ""
		}
		if !isRepo(core[:h]) {
			return textRef{}, false
		}
		return textRef{prefix: core[:h+1], num: num}, true
	}
	if p, num, ok := jiraKey(core); ok {
		return textRef{prefix: p, num: num}, true
	}
	return textRef{}, false
}

// jiraKey reads PROJ-123: an upper-case letter, more upper-case letters,
// digits or underscores, a dash and a number.
func jiraKey(s string) (string, uint32, bool) {
	d := strings.IndexByte(s, '-')
	if d < 2 || s[0] < 'A' || s[0] > 'Z' {
		return "", 0, false
	}
	for i := 1; i < d; i++ {
		if c := s[i]; !('A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return "", 0, false
		}
	}
	num, ok := parseNum(s[d+1:])
	return s[:d+1], num, ok
}

func parseNum(s string) (uint32, bool) {
	if s == "" || len(s) > 9 || s[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, _ := strconv.ParseUint(s, 10, 32)
	return uint32(n), true
}

func isRepo(s string) bool {
	slash := strings.IndexByte(s, '/')
	if slash <= 0 || slash == len(s)-1 || strings.Count(s, "/") != 1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '/') {
			return false
		}
	}
	return true
}

// parseIssueURL reads a Jira browse URL (https://x.atlassian.net/browse/PAY-1)
// or a GitHub issue URL, web or API, github.com or Enterprise
// (https://github.com/acme/api/issues/7, …/repos/acme/api/issues/7).
// Pull request URLs are not issues.
func parseIssueURL(u string) (textRef, bool) {
	for len(u) > 0 && isTrailMark(u[len(u)-1]) {
		u = u[:len(u)-1]
	}
	s := strings.Index(u, "://")
	rest := u[s+3:]
	slash := strings.IndexByte(rest, '/')
	if slash <= 0 {
		return textRef{}, false
	}
	host := strings.ToLower(rest[:slash])
	path := rest[slash:]
	if q := strings.IndexAny(path, "?#"); q >= 0 {
		path = path[:q]
	}
	if k := strings.Index(path, "/browse/"); k >= 0 {
		key := path[k+len("/browse/"):]
		if e := strings.IndexByte(key, '/'); e >= 0 {
			key = key[:e]
		}
		if p, num, ok := jiraKey(key); ok {
			return textRef{prefix: p, num: num, host: host}, true
		}
		return textRef{}, false
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := 2; i+1 < len(segs); i++ {
		if segs[i] != "issues" {
			continue
		}
		num, ok := parseNum(segs[i+1])
		repo := segs[i-2] + "/" + segs[i-1]
		if ok && isRepo(repo) && (i+2 == len(segs)) {
			return textRef{prefix: repo + "#", num: num, host: host}, true
		}
	}
	return textRef{}, false
}
