package analyzer

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ladderhq/ladder"
)

// Overlap finds issues of different teams that describe the same work.
//
// The first pass keeps, for each issue with a team that is open or was done
// in the last four quarters (the trend a report shows), up to overlapTerms
// distinct stems of its title and then its body, as ids into a shared
// vocabulary: a few dozen bytes per recent issue, nothing for older ones.
// Between the passes candidates are found by prefix filtering: each issue
// probes, rarest stem first, the issues sharing its stems until what is left
// of its weight could no longer reach the threshold, so no pair at or above
// the threshold is missed — except pairs that share only stems found in more
// than maxKeyDF issues, which are too common to say two issues are one piece
// of work. Candidates are scored by cosine similarity of IDF-weighted stem
// sets in which title stems weigh double (a title says what the work is; a
// body says how). Issues already linked to each other — one
// waits on, mentions or is the parent of the other — are known to be
// related and are not reported. The shared stems with the most weight are the
// evidence, spelled as the issues spell them.
const (
	overlapTerms = 24
	maxKeyDF     = 50
	overlapWords = 5
)

// keepTerms stores the issue's distinct stems for overlap detection, each as
// its vocabulary id shifted left with the low bit set for a title stem. Each
// stem remembers the shortest spelling seen (then the first in byte order),
// so the words a report shows read as words and do not depend on the order
// issues come in.
func (r *run) keepTerms(e *entry, is *ladder.Issue) {
	r.stamp++
	e.tOff = int32(len(r.terms))
	n := 0
	fields := [2]struct {
		text  string
		stems []string
		spans []span
	}{{is.Title, r.title, r.titleSp}, {is.Body, r.body, r.bodySp}}
	for fi, f := range fields {
		for i, tok := range f.stems {
			surface := f.text[f.spans[i].start:f.spans[i].end]
			id, ok := r.vocab[tok]
			if !ok {
				id = uint32(len(r.words))
				tok = strings.Clone(tok)
				r.vocab[tok] = id
				r.words = append(r.words, strings.ToLower(surface))
				r.df = append(r.df, 0)
				r.seen = append(r.seen, 0)
			} else if w := r.words[id]; len(surface) <= len(w) && !strings.EqualFold(surface, w) {
				if l := strings.ToLower(surface); len(l) < len(w) || l < w {
					r.words[id] = l
				}
			}
			if r.seen[id] == r.stamp {
				continue
			}
			r.seen[id] = r.stamp
			r.terms = append(r.terms, id<<1|uint32(boolInt(fi == 0)))
			r.df[id]++
			if n++; n == overlapTerms {
				e.nt = uint8(n)
				return
			}
		}
	}
	e.nt = uint8(n)
}

// inWindow reports whether work of quarter q is recent enough to compare.
func (r *run) inWindow(q ladder.Quarter) bool {
	w := r.a.now.Prev().Prev().Prev()
	return q.FY > w.FY || (q.FY == w.FY && q.Q >= w.Q)
}

// findOverlaps pairs up issues of different teams that read alike.
func (r *run) findOverlaps() {
	x := r.ix
	var docs []int32
	for id := range x.entries {
		if x.entries[id].nt > 0 {
			docs = append(docs, int32(id))
		}
	}
	if len(docs) < 2 {
		return
	}
	n := float64(len(docs))
	idf := make([]float64, len(r.words))
	for t, df := range r.df {
		if df > 0 {
			idf[t] = math.Log(n / float64(df))
		}
	}
	terms := func(id int32) []uint32 {
		e := &x.entries[id]
		return r.terms[e.tOff : e.tOff+int32(e.nt)]
	}
	weight := func(t uint32) float64 { // t carries the title bit
		if t&1 == 1 {
			return 2 * idf[t>>1]
		}
		return idf[t>>1]
	}
	norm := make(map[int32]float64, len(docs))
	// postings: docs by stem, for stems rare enough to pair issues up.
	start := make([]int32, len(r.words)+1)
	for _, d := range docs {
		ts := terms(d)
		var sq float64
		for _, t := range ts {
			sq += weight(t) * weight(t)
			if df := r.df[t>>1]; df >= 2 && df <= maxKeyDF {
				start[t>>1+1]++
			}
		}
		norm[d] = math.Sqrt(sq)
		slices.Sort(ts) // by id: the merges below need sorted sets
	}
	for i := range len(r.words) {
		start[i+1] += start[i]
	}
	postings := make([]int32, start[len(r.words)])
	fill := slices.Clone(start[:len(r.words)])
	for _, d := range docs {
		for _, t := range terms(d) {
			if df := r.df[t>>1]; df >= 2 && df <= maxKeyDF {
				postings[fill[t>>1]] = d
				fill[t>>1]++
			}
		}
	}
	var pairs [][2]int32
	var prefix []uint32
	thr2 := r.a.overlap * r.a.overlap
	for _, a := range docs {
		prefix = append(prefix[:0], terms(a)...)
		slices.SortFunc(prefix, func(s, t uint32) int {
			return cmp.Or(cmp.Compare(r.df[s>>1], r.df[t>>1]), cmp.Compare(weight(t), weight(s)), cmp.Compare(s, t))
		})
		rest := norm[a] * norm[a]
		for _, t := range prefix {
			if rest < thr2*norm[a]*norm[a] {
				break // the stems left cannot reach the threshold on their own
			}
			rest -= weight(t) * weight(t)
			if df := r.df[t>>1]; df < 2 || df > maxKeyDF {
				continue
			}
			for _, b := range postings[start[t>>1]:start[t>>1+1]] {
				if b != a && x.entries[a].team != x.entries[b].team {
					pairs = append(pairs, [2]int32{min(a, b), max(a, b)})
				}
			}
		}
	}
	slices.SortFunc(pairs, func(a, b [2]int32) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	pairs = slices.Compact(pairs)
	for _, p := range pairs {
		a, b := p[0], p[1]
		if x.compare(a, b) > 0 {
			a, b = b, a
		}
		if norm[a] == 0 || norm[b] == 0 || r.linkedPair(a, b) {
			continue
		}
		var dot float64
		var shared []uint32
		ta, tb := terms(a), terms(b)
		for i, j := 0, 0; i < len(ta) && j < len(tb); {
			switch {
			case ta[i]>>1 < tb[j]>>1:
				i++
			case ta[i]>>1 > tb[j]>>1:
				j++
			default:
				dot += weight(ta[i]) * weight(tb[j])
				shared = append(shared, ta[i]>>1)
				i++
				j++
			}
		}
		sim := dot / (norm[a] * norm[b])
		if sim < r.a.overlap {
			continue
		}
		slices.SortFunc(shared, func(s, t uint32) int {
			return cmp.Or(cmp.Compare(idf[t], idf[s]), strings.Compare(r.words[s], r.words[t]))
		})
		words := make([]string, 0, overlapWords)
		for _, t := range shared[:min(len(shared), overlapWords)] {
			words = append(words, r.words[t])
		}
		i := int32(len(r.overlaps))
		r.overlaps = append(r.overlaps, ladder.Overlap{
			A: x.ref(a), ATeam: r.teamName(a),
			B: x.ref(b), BTeam: r.teamName(b),
			Score: math.Round(sim*1000) / 1000,
			Words: words,
		})
		r.overlapOf[a] = append(r.overlapOf[a], i)
		r.overlapOf[b] = append(r.overlapOf[b], i)
	}
}

// linkedPair reports whether a and b are linked either way.
func (r *run) linkedPair(a, b int32) bool {
	for _, e := range r.out(a) {
		if e.to == b {
			return true
		}
	}
	for _, e := range r.out(b) {
		if e.to == a {
			return true
		}
	}
	return r.ix.entries[a].parent == b || r.ix.entries[b].parent == a
}

// overlapsOf adds the issue's overlaps to its verdict, strongest first.
func (r *run) overlapsOf(id int32, v *ladder.Verdict) {
	for _, i := range r.overlapOf[id] {
		v.Overlaps = append(v.Overlaps, r.overlaps[i])
	}
	slices.SortFunc(v.Overlaps, compareOverlaps)
	for _, o := range v.Overlaps {
		other, team := o.B, o.BTeam
		if o.B == v.Ref {
			other, team = o.A, o.ATeam
		}
		v.Reasons = append(v.Reasons, "looks like the same work as "+other.Key+" of "+team+
			" (similarity "+strconv.FormatFloat(o.Score, 'f', 2, 64)+": "+strings.Join(o.Words, ", ")+")")
	}
}

func compareOverlaps(a, b ladder.Overlap) int {
	return cmp.Or(cmp.Compare(b.Score, a.Score), compareRefs(a.A, b.A), compareRefs(a.B, b.B))
}
