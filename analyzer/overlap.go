package analyzer

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ladderhq/ladder"
)

// Overlap finds open issues of different teams that describe the same work.
//
// The first pass keeps, for each open issue with a team, up to overlapTerms
// distinct stems of its title and then its body, as ids into a shared
// vocabulary: a few dozen bytes per open issue, nothing for done ones. Between
// the passes two issues become candidates when they share one of their
// rarest stems (each issue's keyTerms rarest, among stems in 2..maxKeyDF open
// issues), which keeps the comparison far from quadratic: common words never
// pair issues up. Candidates are scored by cosine similarity of their
// IDF-weighted stem sets; the shared stems with the most weight are the
// evidence.
const (
	overlapTerms = 24
	keyTerms     = 3
	maxKeyDF     = 50
	overlapWords = 5
)

// keepTerms stores the issue's distinct stems for overlap detection. Each
// stem remembers the shortest spelling seen (then the first in byte order),
// so the words a report shows read as words and do not depend on the order
// issues come in.
func (r *run) keepTerms(e *entry, is *ladder.Issue) {
	r.stamp++
	e.tOff = int32(len(r.terms))
	n := 0
	for _, f := range [2]struct {
		text  string
		stems []string
		spans []span
	}{{is.Title, r.title, r.titleSp}, {is.Body, r.body, r.bodySp}} {
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
			r.terms = append(r.terms, id)
			r.df[id]++
			if n++; n == overlapTerms {
				e.nt = uint8(n)
				return
			}
		}
	}
	e.nt = uint8(n)
}

// findOverlaps pairs up open issues of different teams that read alike.
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
	norm := make(map[int32]float64, len(docs))
	type keyed struct {
		term uint32
		doc  int32
	}
	var keys []keyed
	var cand []uint32
	for _, d := range docs {
		ts := terms(d)
		var sq float64
		cand = cand[:0]
		for _, t := range ts {
			sq += idf[t] * idf[t]
			if df := r.df[t]; df >= 2 && df <= maxKeyDF {
				cand = append(cand, t)
			}
		}
		norm[d] = math.Sqrt(sq)
		slices.SortFunc(cand, func(a, b uint32) int { return cmp.Or(cmp.Compare(r.df[a], r.df[b]), cmp.Compare(a, b)) })
		for _, t := range cand[:min(len(cand), keyTerms)] {
			keys = append(keys, keyed{t, d})
		}
		slices.Sort(ts) // merge intersections below need sorted sets
	}
	slices.SortFunc(keys, func(a, b keyed) int { return cmp.Or(cmp.Compare(a.term, b.term), cmp.Compare(a.doc, b.doc)) })
	var pairs [][2]int32
	for i := 0; i < len(keys); {
		j := i
		for j < len(keys) && keys[j].term == keys[i].term {
			j++
		}
		for a := i; a < j; a++ {
			for b := a + 1; b < j; b++ {
				da, db := keys[a].doc, keys[b].doc
				if x.entries[da].team != x.entries[db].team {
					pairs = append(pairs, [2]int32{min(da, db), max(da, db)})
				}
			}
		}
		i = j
	}
	slices.SortFunc(pairs, func(a, b [2]int32) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	pairs = slices.Compact(pairs)
	for _, p := range pairs {
		a, b := p[0], p[1]
		if x.compare(a, b) > 0 {
			a, b = b, a
		}
		var dot float64
		var shared []uint32
		ta, tb := terms(a), terms(b)
		for i, j := 0, 0; i < len(ta) && j < len(tb); {
			switch {
			case ta[i] < tb[j]:
				i++
			case ta[i] > tb[j]:
				j++
			default:
				dot += idf[ta[i]] * idf[ta[i]]
				shared = append(shared, ta[i])
				i++
				j++
			}
		}
		if norm[a] == 0 || norm[b] == 0 {
			continue
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
