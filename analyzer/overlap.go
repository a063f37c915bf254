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
// Between the passes each issue names its keyTerms most distinctive stems
// (highest weight among stems it shares with at least one other issue), and
// two issues become candidates when two of those stems are the same pair:
// one shared word is weak evidence of one piece of work, and words that are
// common alone ("rate", "limit", "api") are specific together. A pair of
// stems that more than maxKeyDF issues name is too generic to pair issues up
// ("fix" and "error"). Sorting the pair keys keeps this near-linear in the
// number of issues. Candidates are scored by cosine similarity of IDF-weighted stem
// sets in which title stems weigh double (a title says what the work is; a
// body says how). Issues already linked to each other — one
// waits on, mentions or is the parent of the other — are known to be
// related and are not reported. The shared stems with the most weight are the
// evidence, spelled as the issues spell them.
//
// However alike a backlog's issues read (templated titles, one checklist
// filed by every team), the result stays bounded: each issue keeps its
// overlapsPerIssue strongest overlaps, and a pair is reported when it is
// among the strongest of either of its issues. The summary lists the
// summaryOverlaps strongest of those and counts the rest.
const (
	overlapTerms     = 24
	keyTerms         = 5
	maxKeyDF         = 50
	overlapWords     = 5
	overlapsPerIssue = 3
	summaryOverlaps  = 100
)

// overlapFinder is overlap detection's state in a run. The first pass
// keeps the distinct stems of each recent issue of a team (entry.tOff,
// entry.nt into terms, ids into a vocabulary with each stem's document
// frequency); between the passes find pairs them up, and then forget drops
// the terms and the vocabulary, keeping only the overlaps found (ids, not
// strings) and each stem's spelling that one of them names as evidence.
type overlapFinder struct {
	a     *Analyzer
	ix    *index
	edges *depEdges // issues already linked are not reported

	// First pass.
	vocab map[string]uint32 // stem → vocabulary id
	df    []uint32          // by vocabulary id: issues with the stem
	seen  []uint32          // by vocabulary id: stamp of the last issue counted
	stamp uint32
	terms []uint32 // every kept issue's stems: id<<1 | 1 for a title stem

	// Kept to the end: the spelling of each stem (the evidence words), the
	// overlaps found, and which of them each issue's verdict shows.
	words     []string
	overlaps  []overlapRec
	overlapOf []shownOverlaps // by entry id, only issues that show some
}

func newOverlapFinder(a *Analyzer, ix *index, edges *depEdges) overlapFinder {
	return overlapFinder{a: a, ix: ix, edges: edges, vocab: map[string]uint32{}}
}

// forget drops what only finding overlaps needs, once they are found.
func (ov *overlapFinder) forget() {
	ov.terms, ov.vocab, ov.df, ov.seen = nil, nil, nil, nil
	if len(ov.overlaps) == 0 {
		ov.words = nil
	}
}

// strongest spells out the n strongest overlaps found, strongest first.
func (ov *overlapFinder) strongest(n int) []ladder.Overlap {
	order := make([]int32, len(ov.overlaps))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(p, q int32) int { return ov.compareOverlapRecs(&ov.overlaps[p], &ov.overlaps[q]) })
	var out []ladder.Overlap
	for _, i := range order[:min(len(order), n)] {
		out = append(out, ov.overlap(&ov.overlaps[i]))
	}
	return out
}

// keepTerms stores the issue's distinct stems for overlap detection, each as
// its vocabulary id shifted left with the low bit set for a title stem. Each
// stem remembers the shortest spelling seen (then the first in byte order),
// so the words a report shows read as words and do not depend on the order
// issues come in.
func (ov *overlapFinder) keepTerms(e *entry, is *ladder.Issue, rd *textReader) {
	ov.stamp++
	e.tOff = int32(len(ov.terms))
	n := 0
	fields := [2]struct {
		text   string
		tokens []token
	}{{is.Title, rd.title}, {is.Body, rd.body}}
	for fi, f := range fields {
		for _, tok := range f.tokens {
			surface := f.text[tok.start:tok.end]
			id, ok := ov.vocabID(rd.wordTab, tok.rec)
			// An ASCII surface lower-cases to its word's record key, so once
			// the stem's spelling is that key or comes before it, no later
			// occurrence of the word can change it.
			ascii := isASCII(surface)
			spelled := &rd.wordTab.recs[tok.rec+recVocab]
			switch {
			case !ok:
				ov.words = append(ov.words, strings.ToLower(surface))
				ov.df = append(ov.df, 0)
				ov.seen = append(ov.seen, 0)
			case ascii && *spelled&recSpelled != 0:
				// settled
			default:
				if w := ov.words[id]; len(surface) < len(w) || (len(surface) == len(w) && surface < w) {
					if l := strings.ToLower(surface); len(l) < len(w) || l < w {
						ov.words[id] = l
					}
				}
			}
			if ascii {
				*spelled |= recSpelled
			}
			if ov.seen[id] == ov.stamp {
				continue
			}
			ov.seen[id] = ov.stamp
			ov.terms = append(ov.terms, id<<1|uint32(boolInt(fi == 0)))
			ov.df[id]++
			if n++; n == overlapTerms {
				e.nt = uint8(n)
				return
			}
		}
	}
	e.nt = uint8(n)
}

// vocabID returns the overlap vocabulary id of the stem of the word at rec,
// adding the stem (ok false) when it is new; a word's id is looked up once.
func (ov *overlapFinder) vocabID(wt *wordTable, rec int32) (id uint32, ok bool) {
	v := &wt.recs[rec+recVocab]
	if *v > 0 {
		return uint32(*v&^recSpelled - 1), true
	}
	stem := wt.stem(rec)
	if id, ok = ov.vocab[stem]; !ok {
		id = uint32(len(ov.vocab))
		ov.vocab[strings.Clone(stem)] = id
	}
	*v = int32(id + 1)
	return id, ok
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// inWindow reports whether work of quarter q is recent enough to compare.
func (ov *overlapFinder) inWindow(q ladder.Quarter) bool {
	w := ov.a.now.Prev().Prev().Prev()
	return q.FY > w.FY || (q.FY == w.FY && q.Q >= w.Q)
}

// find pairs up issues of different teams that read alike: candidates by
// their shared key stems, scored, the strongest kept per issue.
func (ov *overlapFinder) find() {
	d := ov.docs()
	if len(d.ids) < 2 {
		return
	}
	best := ov.score(d, ov.candidates(d, ov.pairKeys(d)))
	ov.keep(d, best)
}

// overlapDocs are the issues overlap detection compares (those that kept
// terms), with what scoring them needs.
type overlapDocs struct {
	ov   *overlapFinder
	ids  []int32   // entry ids, in entry id order; a doc's position is its index
	idf  []float64 // by vocabulary id
	norm []float64 // by position
}

// docs lists the issues that kept terms and weighs their stems.
func (ov *overlapFinder) docs() *overlapDocs {
	d := &overlapDocs{ov: ov}
	for id := range ov.ix.entries {
		if ov.ix.entries[id].nt > 0 {
			d.ids = append(d.ids, int32(id))
		}
	}
	if len(d.ids) < 2 {
		return d
	}
	n := float64(len(d.ids))
	d.idf = make([]float64, len(ov.words))
	for t, df := range ov.df {
		if df > 0 {
			d.idf[t] = math.Log(n / float64(df))
		}
	}
	d.norm = make([]float64, len(d.ids))
	return d
}

// terms are the stems entry id kept, each with its title bit.
func (d *overlapDocs) terms(id int32) []uint32 {
	e := &d.ov.ix.entries[id]
	return d.ov.terms[e.tOff : e.tOff+int32(e.nt)]
}

// weight is a stem's weight: its idf, doubled in a title (t carries the
// title bit).
func (d *overlapDocs) weight(t uint32) float64 {
	if t&1 == 1 {
		return 2 * d.idf[t>>1]
	}
	return d.idf[t>>1]
}

// pairKeys names each doc's keyTerms most distinctive shared stems and
// returns a key per pair of them: a hash of the two stems in the high half,
// the doc's position in the low half. A hash collision only adds a
// candidate that scoring rejects. On the way it sets each doc's norm and
// sorts its terms by id, as similar and addOverlap need.
func (ov *overlapFinder) pairKeys(d *overlapDocs) []uint64 {
	var keys []uint64
	var top []uint32
	for o, id := range d.ids {
		ts := d.terms(id)
		var sq float64
		top = top[:0]
		for _, t := range ts {
			sq += d.weight(t) * d.weight(t)
			if ov.df[t>>1] >= 2 {
				top = append(top, t)
			}
		}
		d.norm[o] = math.Sqrt(sq)
		slices.SortFunc(top, func(s, t uint32) int {
			if c := cmp.Compare(d.weight(t), d.weight(s)); c != 0 {
				return c
			}
			return strings.Compare(ov.words[s>>1], ov.words[t>>1]) // only on a tie: cmp.Or would read both words every time
		})
		top = top[:min(len(top), keyTerms)]
		for i, s := range top {
			for _, t := range top[i+1:] {
				lo, hi := min(s>>1, t>>1), max(s>>1, t>>1)
				keys = append(keys, uint64(pairHash(lo, hi))<<32|uint64(o))
			}
		}
		slices.Sort(ts) // by id: the merges in similar and addOverlap need sorted sets
	}
	return keys
}

// candidates pairs up the docs of different teams that name the same pair
// of key stems, unless more than maxKeyDF docs name it: each pair once, as
// two positions, the lower first.
func (ov *overlapFinder) candidates(d *overlapDocs, keys []uint64) []uint64 {
	slices.Sort(keys)
	var pairs []uint64
	for i := 0; i < len(keys); {
		j := i
		for j < len(keys) && keys[j]>>32 == keys[i]>>32 {
			j++
		}
		if j-i <= maxKeyDF {
			for a := i; a < j; a++ {
				for b := a + 1; b < j; b++ {
					ao, bo := int32(uint32(keys[a])), int32(uint32(keys[b]))
					if ov.ix.entries[d.ids[ao]].team != ov.ix.entries[d.ids[bo]].team {
						pairs = append(pairs, uint64(ao)<<32|uint64(bo))
					}
				}
			}
		}
		i = j
	}
	slices.Sort(pairs)
	return slices.Compact(pairs)
}

// score offers each candidate pair that reads as the same work to both its
// docs, which keep their strongest.
func (ov *overlapFinder) score(d *overlapDocs, pairs []uint64) []overlapSlots {
	best := make([]overlapSlots, len(d.ids))
	for _, p := range pairs {
		ao, bo := int32(p>>32), int32(p&(1<<32-1))
		if score, ok := ov.similar(d, ao, bo); ok {
			best[ao].offer(ov.ix, d.ids, score, bo)
			best[bo].offer(ov.ix, d.ids, score, ao)
		}
	}
	return best
}

// keptPair is a pair one of its docs keeps: entry ids, the first in key
// order high, and the similarity in thousandths.
type keptPair struct {
	ab    uint64
	score uint16
}

func compareKeptPairs(p, q keptPair) int { return cmp.Compare(p.ab, q.ab) }

// keep records the pairs either doc keeps, once each, with their evidence,
// and which of them each doc's verdict shows: the ones it keeps itself.
func (ov *overlapFinder) keep(d *overlapDocs, best []overlapSlots) {
	pairOf := func(o int, sl overlapSlot) keptPair {
		a, b := d.ids[o], d.ids[sl.other]
		if ov.ix.compare(a, b) > 0 {
			a, b = b, a
		}
		return keptPair{uint64(uint32(a))<<32 | uint64(uint32(b)), sl.milli}
	}
	var kept []keptPair
	for o := range best {
		for _, sl := range best[o].slots[:best[o].n] {
			kept = append(kept, pairOf(o, sl))
		}
	}
	if len(kept) == 0 {
		return
	}
	slices.SortFunc(kept, compareKeptPairs)
	kept = slices.CompactFunc(kept, func(p, q keptPair) bool { return p.ab == q.ab })
	ov.overlaps = make([]overlapRec, 0, len(kept))
	for _, k := range kept {
		ov.addOverlap(d, int32(k.ab>>32), int32(uint32(k.ab)), float64(k.score)/1000)
	}
	for o := range best { // docs, and so this list, in entry id order
		if best[o].n == 0 {
			continue
		}
		sh := shownOverlaps{id: d.ids[o]}
		for _, sl := range best[o].slots[:best[o].n] {
			i, _ := slices.BinarySearchFunc(kept, pairOf(o, sl), compareKeptPairs)
			sh.i[sh.n] = int32(i)
			sh.n++
		}
		ov.overlapOf = append(ov.overlapOf, sh)
	}
}

// shownOverlaps are the overlaps an issue's verdict shows: indexes into the
// run's overlaps.
type shownOverlaps struct {
	id int32 // the issue's entry
	n  uint8
	i  [overlapsPerIssue]int32
}

// overlapSlots are one issue's strongest overlaps so far.
type overlapSlots struct {
	n     uint8
	slots [overlapsPerIssue]overlapSlot
}

type overlapSlot struct {
	milli uint16 // the similarity in thousandths, as reported
	other int32  // position in docs
}

// offer keeps (score, other) if it is among the strongest, ties going to
// the other issue first in key order, so the choice does not depend on the
// order pairs come in.
func (s *overlapSlots) offer(x *index, docs []int32, milli uint16, other int32) {
	better := func(a, b overlapSlot) bool {
		if a.milli != b.milli {
			return a.milli > b.milli
		}
		return x.compare(docs[a.other], docs[b.other]) < 0
	}
	in := overlapSlot{milli, other}
	if int(s.n) == len(s.slots) {
		if !better(in, s.slots[s.n-1]) {
			return
		}
		s.n--
	}
	i := int(s.n)
	for i > 0 && better(in, s.slots[i-1]) {
		s.slots[i] = s.slots[i-1]
		i--
	}
	s.slots[i] = in
	s.n++
}

// pairHash mixes two stem ids into 32 bits.
func pairHash(a, b uint32) uint32 {
	x := uint64(a)<<32 | uint64(b)
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	return uint32(x)
}

// similar scores one candidate pair: the similarity in thousandths (as
// reported, rounded), and whether it reads as the same work (and the two
// are not already linked).
func (ov *overlapFinder) similar(d *overlapDocs, ao, bo int32) (uint16, bool) {
	if d.norm[ao] == 0 || d.norm[bo] == 0 {
		return 0, false
	}
	a, b := d.ids[ao], d.ids[bo]
	var dot float64
	ta, tb := d.terms(a), d.terms(b)
	for i, j := 0, 0; i < len(ta) && j < len(tb); {
		switch {
		case ta[i]>>1 < tb[j]>>1:
			i++
		case ta[i]>>1 > tb[j]>>1:
			j++
		default:
			dot += d.weight(ta[i]) * d.weight(tb[j])
			i++
			j++
		}
	}
	sim := dot / (d.norm[ao] * d.norm[bo])
	if sim < ov.a.overlap || ov.linkedPair(a, b) {
		return 0, false
	}
	return uint16(math.Round(min(sim, 1) * 1000)), true
}

// addOverlap records the overlap of a and b (a first in key order) with the
// stems they share, strongest first, as evidence.
func (ov *overlapFinder) addOverlap(d *overlapDocs, a, b int32, score float64) {
	ta, tb := d.terms(a), d.terms(b)
	var shared []uint32
	for i, j := 0, 0; i < len(ta) && j < len(tb); {
		switch {
		case ta[i]>>1 < tb[j]>>1:
			i++
		case ta[i]>>1 > tb[j]>>1:
			j++
		default:
			shared = append(shared, ta[i]>>1)
			i++
			j++
		}
	}
	slices.SortFunc(shared, func(s, t uint32) int {
		return cmp.Or(cmp.Compare(d.idf[t], d.idf[s]), strings.Compare(ov.words[s], ov.words[t]))
	})
	o := overlapRec{a: a, b: b, score: score}
	for _, t := range shared[:min(len(shared), overlapWords)] {
		o.words[o.nw] = t
		o.nw++
	}
	ov.overlaps = append(ov.overlaps, o)
}

// overlapRec is an overlap as a run keeps it until a verdict or the summary
// shows it: ids instead of strings, some 40 bytes.
type overlapRec struct {
	a, b  int32 // a first in key order
	score float64
	words [overlapWords]uint32 // vocabulary ids, strongest first
	nw    uint8
}

// overlap spells out an overlap the run kept.
func (ov *overlapFinder) overlap(o *overlapRec) ladder.Overlap {
	words := make([]string, o.nw)
	for i, t := range o.words[:o.nw] {
		words[i] = ov.words[t]
	}
	return ladder.Overlap{
		A: ov.ix.ref(o.a), ATeam: ov.a.teamName(ov.ix, o.a),
		B: ov.ix.ref(o.b), BTeam: ov.a.teamName(ov.ix, o.b),
		Score: o.score,
		Words: words,
	}
}

// compareOverlapRecs orders kept overlaps as compareOverlaps orders them.
func (ov *overlapFinder) compareOverlapRecs(p, q *overlapRec) int {
	return cmp.Or(cmp.Compare(q.score, p.score), ov.ix.compare(p.a, q.a), ov.ix.compare(p.b, q.b))
}

// linkedPair reports whether a and b are linked either way.
func (ov *overlapFinder) linkedPair(a, b int32) bool {
	for _, e := range ov.edges.out(a) {
		if e.to == b {
			return true
		}
	}
	for _, e := range ov.edges.out(b) {
		if e.to == a {
			return true
		}
	}
	return ov.ix.entries[a].parent == b || ov.ix.entries[b].parent == a
}

// overlapsOf adds the issue's overlaps to its verdict, strongest first.
func (ov *overlapFinder) overlapsOf(id int32, v *ladder.Verdict) {
	k, ok := slices.BinarySearchFunc(ov.overlapOf, id, func(sh shownOverlaps, id int32) int { return cmp.Compare(sh.id, id) })
	if !ok {
		return
	}
	sh := &ov.overlapOf[k]
	for _, i := range sh.i[:sh.n] {
		v.Overlaps = append(v.Overlaps, ov.overlap(&ov.overlaps[i]))
	}
	slices.SortFunc(v.Overlaps, compareOverlaps)
	for _, o := range v.Overlaps {
		other, team := o.B, o.BTeam
		if o.B == v.Ref {
			other, team = o.A, o.ATeam
		}
		v.Reasons = append(v.Reasons, ladder.Reason{Kind: ladder.ReasonOverlap, Text: "looks like the same work as " + other.Key + " of " + team +
			" (similarity " + strconv.FormatFloat(o.Score, 'f', 2, 64) + ": " + strings.Join(o.Words, ", ") + ")"})
	}
}

func compareOverlaps(a, b ladder.Overlap) int {
	return cmp.Or(cmp.Compare(b.Score, a.Score), compareRefs(a.A, b.A), compareRefs(a.B, b.B))
}
