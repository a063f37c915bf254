package analyzer

import (
	"cmp"
	"slices"

	"github.com/ladderhq/ladder"
)

// depGraph is the dependency graph's state in a run: what the graph of open
// waits between issues of the store says as a whole. Between the passes
// build finds its cycles and longest chain and picks the open cross-team
// blockers the summary lists; the second pass fills in the lines (title,
// status, URL) of only those issues, so the summary's size does not grow
// with the store.
type depGraph struct {
	a  *Analyzer
	ix *index

	cycles    [][]ladder.Ref
	chainRefs []ladder.Ref
	blockers  []edge // open cross-team waits, until pickBlockers
	pairs     []blockerPair
	uncovered []edge // the blockers no goal covers the summary lists
	// uncoveredTotal counts open cross-team blockers no goal covers.
	uncoveredTotal int
	// lines has a key for each issue the summary lists; the second pass
	// sets its line.
	lines map[int32]*ladder.IssueLine
}

func newDepGraph(a *Analyzer, ix *index) depGraph {
	return depGraph{a: a, ix: ix, lines: map[int32]*ladder.IssueLine{}}
}

// build finds the cycles and the longest chain of the open waits among
// edges, and the open cross-team blockers whose lines the second pass fills
// in. al says which blockers a goal of their own team covers.
func (dg *depGraph) build(edges []edge, al *aligner) {
	g := dg.openWaits(edges)
	dg.pickBlockers(al)
	if len(g.nodes) == 0 {
		return
	}
	g.components()
	dg.cycles = g.cycles()
	dg.chainRefs = g.longestChain()
}

// waitGraph is the graph of open waits between issues of the store, its
// nodes numbered densely, in CSR form, and its strongly connected
// components. It lives only while build runs.
type waitGraph struct {
	ix       *index
	nodes    []int32 // node → entry id
	from, to []int32 // the edges, as nodes
	// Adjacency: node v's successors are adj[start[v]:start[v+1]], in ref
	// order, so ties break the same way whatever order the store streamed
	// issues in.
	start, adj []int32
	comp       []int32   // node → its component
	comps      [][]int32 // components, sinks first
	rep        []int32   // component → its smallest member by ref
}

// openWaits is the graph of the open waits among edges; the cross-team ones
// are kept as blockers.
func (dg *depGraph) openWaits(edges []edge) *waitGraph {
	g := &waitGraph{ix: dg.ix}
	local := map[int32]int32{}
	node := func(id int32) int32 {
		if l, ok := local[id]; ok {
			return l
		}
		l := int32(len(g.nodes))
		local[id] = l
		g.nodes = append(g.nodes, id)
		return l
	}
	for _, e := range edges {
		if !dg.ix.openWait(e) {
			continue
		}
		g.from = append(g.from, node(e.from))
		g.to = append(g.to, node(e.to))
		if dg.ix.crossTeam(e.from, e.to) {
			dg.blockers = append(dg.blockers, e)
		}
	}
	return g
}

// components builds the adjacency and finds the strongly connected
// components and their representatives.
func (g *waitGraph) components() {
	x, nodes := g.ix, g.nodes
	n := len(nodes)
	start := make([]int32, n+1)
	for _, f := range g.from {
		start[f+1]++
	}
	for i := range n {
		start[i+1] += start[i]
	}
	adj := make([]int32, len(g.from))
	fill := slices.Clone(start[:n])
	for i, f := range g.from {
		adj[fill[f]] = g.to[i]
		fill[f]++
	}
	for v := range n {
		succ := adj[start[v]:start[v+1]]
		slices.SortFunc(succ, func(a, b int32) int { return x.compare(nodes[a], nodes[b]) })
	}
	g.start, g.adj = start, adj
	g.comp, g.comps = tarjan(n, start, adj)
	g.rep = make([]int32, len(g.comps))
	for c, members := range g.comps {
		g.rep[c] = members[0]
		for _, m := range members[1:] {
			if x.compare(nodes[m], nodes[g.rep[c]]) < 0 {
				g.rep[c] = m
			}
		}
	}
}

// cycles lists the components of more than one issue, each from its
// smallest member, ordered by it.
func (g *waitGraph) cycles() [][]ladder.Ref {
	var cycles [][]ladder.Ref
	for c, members := range g.comps {
		if len(members) > 1 {
			cycles = append(cycles, g.cycleOrder(members, g.rep[c]))
		}
	}
	slices.SortFunc(cycles, func(a, b []ladder.Ref) int { return compareRefs(a[0], b[0]) })
	return cycles
}

// longestChain is the longest chain of components, as their
// representatives; nil when no issue waits on another's waiter.
func (g *waitGraph) longestChain() []ladder.Ref {
	x, nodes, rep, comp := g.ix, g.nodes, g.rep, g.comp
	// Tarjan emits components sinks first, so every successor's best chain
	// is known when a component is reached.
	best := make([]int32, len(g.comps))
	next := make([]int32, len(g.comps))
	for c, members := range g.comps {
		best[c], next[c] = 1, -1
		for _, m := range members {
			for _, w := range g.adj[g.start[m]:g.start[m+1]] {
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
	for c := range g.comps {
		if head < 0 || best[c] > best[head] || (best[c] == best[head] && x.compare(nodes[rep[c]], nodes[rep[head]]) < 0) {
			head = int32(c)
		}
	}
	if best[head] < 2 {
		return nil
	}
	var chain []ladder.Ref
	for c := head; c >= 0; c = next[c] {
		chain = append(chain, x.ref(nodes[rep[c]]))
	}
	return chain
}

// cycleOrder lists a strongly connected component by following its waits
// from its smallest member, so a simple cycle reads in order.
func (g *waitGraph) cycleOrder(members []int32, first int32) []ladder.Ref {
	start, adj, comp, nodes := g.start, g.adj, g.comp, g.nodes
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
	slices.SortFunc(rest, func(a, b int32) int { return g.ix.compare(nodes[a], nodes[b]) })
	refs := make([]ladder.Ref, 0, len(members))
	for _, m := range append(order, rest...) {
		refs = append(refs, g.ix.ref(nodes[m]))
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
func (dg *depGraph) pickBlockers(al *aligner) {
	x := dg.ix
	lim := dg.a.listLimit
	team := func(id int32) int16 { return x.entries[id].team }
	slices.SortFunc(dg.blockers, func(a, b edge) int {
		return cmp.Or(cmp.Compare(team(a.from), team(b.from)), cmp.Compare(team(a.to), team(b.to)),
			x.compare(a.from, b.from), x.compare(a.to, b.to))
	})
	keep := func(e edge) { dg.lines[e.from], dg.lines[e.to] = nil, nil }
	var uncovered []edge
	covered := map[int32]bool{}
	for _, e := range dg.blockers {
		wt, bt := team(e.from), team(e.to)
		if n := len(dg.pairs); n == 0 || dg.pairs[n-1].waiting != wt || dg.pairs[n-1].blocking != bt {
			dg.pairs = append(dg.pairs, blockerPair{waiting: wt, blocking: bt})
		}
		p := &dg.pairs[len(dg.pairs)-1]
		p.open++
		if lim <= 0 || len(p.kept) < lim {
			p.kept = append(p.kept, e)
			keep(e)
		}
		c, ok := covered[e.to]
		if !ok {
			c = len(al.teamGoals(e.to)) > 0
			covered[e.to] = c
		}
		if !c {
			p.uncovered++
			uncovered = append(uncovered, e)
		}
	}
	dg.blockers = nil
	dg.uncoveredTotal = len(uncovered)
	slices.SortFunc(uncovered, func(a, b edge) int {
		return cmp.Or(x.compare(a.to, b.to), x.compare(a.from, b.from))
	})
	if lim > 0 && len(uncovered) > lim {
		uncovered = slices.Clip(uncovered[:lim])
	}
	for _, e := range uncovered {
		keep(e)
	}
	dg.uncovered = uncovered
}

// summary builds the cross-team picture once the second pass has filled
// in the lines of the issues the summary lists.
func (dg *depGraph) summary(al *aligner) ladder.DepSummary {
	s := ladder.DepSummary{Pairs: []ladder.TeamPair{}, Cycles: dg.cycles, LongestChain: dg.chainRefs, UncoveredTotal: dg.uncoveredTotal}
	for _, p := range dg.pairs {
		tp := ladder.TeamPair{
			Waiting: dg.a.teams.names[p.waiting], Blocking: dg.a.teams.names[p.blocking],
			Open: p.open, Uncovered: p.uncovered, Blockers: make([]ladder.Blocker, 0, len(p.kept)),
		}
		for _, e := range p.kept {
			tp.Blockers = append(tp.Blockers, dg.blocker(e, al))
		}
		s.Pairs = append(s.Pairs, tp)
	}
	for _, e := range dg.uncovered {
		s.Uncovered = append(s.Uncovered, dg.blocker(e, al))
	}
	return s
}

func (dg *depGraph) blocker(e edge, al *aligner) ladder.Blocker {
	return ladder.Blocker{
		Waiting:      dg.line(e.from),
		WaitingTeam:  dg.a.teams.names[dg.ix.entries[e.from].team],
		Blocker:      dg.line(e.to),
		BlockerTeam:  dg.a.teams.names[dg.ix.entries[e.to].team],
		BlockerGoals: al.teamGoals(e.to),
	}
}

// fill sets the line of an issue the summary lists, as the second pass
// judges it.
func (dg *depGraph) fill(id int32, is *ladder.Issue, status ladder.StatusCategory) {
	if _, ok := dg.lines[id]; ok {
		dg.lines[id] = &ladder.IssueLine{Ref: is.Ref, Title: is.Title, Status: status, URL: is.URL}
	}
}

func (dg *depGraph) line(id int32) ladder.IssueLine {
	if l := dg.lines[id]; l != nil {
		return *l
	}
	return ladder.IssueLine{Ref: dg.ix.ref(id)}
}
