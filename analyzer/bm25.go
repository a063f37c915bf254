package analyzer

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/ladderhq/ladder"
)

// Text relevance between an issue and a goal is Okapi BM25 with the goals as
// the documents and the issue as the query, over Tokenize's stems.
//
// A goal's document weighs its fields by how deliberately they were written:
// each keyword counts three times, each title or description word once (only
// title words and keywords are the goal's core, see below). A
// multi-word keyword ("payment form") is also a term of its own that matches
// only when its words stand together in the issue. On the query side a word
// of the issue title weighs twice a word of the body; repeating a word does
// not add to it.
//
// Raw BM25 has no scale, so the score is normalised by what the goal's three
// strongest title or keyword terms would score in an issue body: 1 means the
// issue names the core of the goal. A goal is only matched when at least one
// of its title words or keywords appears: description words add weight but
// never align an issue alone.
const (
	bm25K1        = 1.2
	bm25B         = 0.75
	titleWeight   = 2.0
	goalKeywordTF = 3
	goalTitleTF   = 1
	goalDescTF    = 1
	normTerms     = 3
	matchWords    = 3
)

type goalIndex struct {
	term     map[string]int32
	surface  []string    // term → how the goal spells it
	postings [][]posting // term → goals that have it
	parts    [][]int32   // phrase term → its word terms
	phrases  map[string][]phrase
	norm     []float64
	// queryN finds a stem's query term (its term and the phrases it
	// starts) in qterms in one lookup; maybe filters out, by first two
	// bytes, the many stems it cannot have. An issue is matched as the
	// query terms of its stems (-1 for a stem no goal has), which a run
	// looks up once per distinct word.
	queryN map[string]int32
	qterms []qterm
	maybe  [1 << 16 / 64]uint64
}

func stemBits(stem string) int {
	b := int(stem[0]) << 8
	if len(stem) > 1 {
		b |= int(stem[1])
	}
	return b
}

type qterm struct {
	id      int32 // -1: the stem only starts phrases
	phrases []phrase
}

type posting struct {
	goal int32
	w    float64 // idf × saturated term frequency
	core bool    // from the title or a keyword
}

// phrase is a multi-word keyword's term; its words are parts[term].
type phrase struct {
	term int32
}

// textMatch is a goal an issue matches by text, with the (at most three)
// terms that weighed most.
type textMatch struct {
	goal  int32
	score float64
	words [matchWords]int32 // term ids, -1 for none
}

func newGoalIndex(goals []ladder.Goal) *goalIndex {
	x := &goalIndex{term: map[string]int32{}, phrases: map[string][]phrase{}, norm: make([]float64, len(goals))}
	type tf struct {
		n    float64
		core bool
	}
	docs := make([]map[int32]*tf, len(goals))
	lens := make([]float64, len(goals))
	termOf := func(stem, surface string) int32 {
		if id, ok := x.term[stem]; ok {
			return id
		}
		id := int32(len(x.surface))
		x.term[stem] = id
		x.surface = append(x.surface, surface)
		x.postings = append(x.postings, nil)
		x.parts = append(x.parts, nil)
		return id
	}
	for g, goal := range goals {
		doc := map[int32]*tf{}
		add := func(id int32, n float64, core bool) {
			d := doc[id]
			if d == nil {
				d = &tf{}
				doc[id] = d
			}
			d.n += n
			d.core = d.core || core
			lens[g] += n
		}
		field := func(text string, n float64, core bool) []string {
			var stems []string
			scanTerms(text, func(stem string, start, end int) {
				add(termOf(stem, strings.ToLower(text[start:end])), n, core)
				stems = append(stems, stem)
			})
			return stems
		}
		field(goal.Title, goalTitleTF, true)
		field(goal.Description, goalDescTF, false)
		for _, kw := range goal.Keywords {
			stems := field(kw, goalKeywordTF, true)
			if len(stems) < 2 {
				continue
			}
			key := strings.Join(stems, " ")
			id := termOf(key, strings.ToLower(strings.TrimSpace(kw)))
			add(id, goalKeywordTF, true)
			if x.parts[id] == nil {
				for _, st := range stems {
					x.parts[id] = append(x.parts[id], x.term[st])
				}
			}
			known := false
			for _, p := range x.phrases[stems[0]] {
				known = known || p.term == id
			}
			if !known {
				x.phrases[stems[0]] = append(x.phrases[stems[0]], phrase{term: id})
			}
		}
		docs[g] = doc
	}
	n := float64(len(goals))
	var avg float64
	for _, l := range lens {
		avg += l / n
	}
	df := make([]float64, len(x.surface))
	for _, doc := range docs {
		for id := range doc {
			df[id]++
		}
	}
	for g, doc := range docs {
		var core, all []float64
		for id, d := range doc {
			idf := math.Log(1 + (n-df[id]+0.5)/(df[id]+0.5))
			w := idf * d.n * (bm25K1 + 1) / (d.n + bm25K1*(1-bm25B+bm25B*lens[g]/avg))
			x.postings[id] = append(x.postings[id], posting{goal: int32(g), w: w, core: d.core})
			all = append(all, w)
			if d.core {
				core = append(core, w)
			}
		}
		if len(core) == 0 {
			core = all
		}
		slices.SortFunc(core, func(a, b float64) int { return cmp.Compare(b, a) })
		for i := 0; i < len(core) && i < normTerms; i++ {
			x.norm[g] += core[i]
		}
	}
	for _, ps := range x.postings {
		slices.SortFunc(ps, func(a, b posting) int { return cmp.Compare(a.goal, b.goal) })
	}
	x.queryN = make(map[string]int32, len(x.term))
	query := func(stem string, q qterm) {
		x.queryN[stem] = int32(len(x.qterms))
		x.qterms = append(x.qterms, q)
		b := stemBits(stem)
		x.maybe[b/64] |= 1 << (b % 64)
	}
	for stem, id := range x.term {
		query(stem, qterm{id: id, phrases: x.phrases[stem]})
	}
	for stem, ps := range x.phrases {
		if _, ok := x.term[stem]; !ok {
			query(stem, qterm{id: -1, phrases: ps})
		}
	}
	return x
}

// queryOf returns the query term of a stem, -1 for none.
func (x *goalIndex) queryOf(stem string) int32 {
	if b := stemBits(stem); x.maybe[b/64]&(1<<(b%64)) == 0 {
		return -1
	}
	if q, ok := x.queryN[stem]; ok {
		return q
	}
	return -1
}

// textScratch is reused across issues so matching does not allocate.
type textScratch struct {
	qw      []float64 // term → query weight
	touched []int32
	score   []float64 // goal → raw score
	core    []bool    // goal → a core term matched
}

func (x *goalIndex) scratch() *textScratch {
	return &textScratch{qw: make([]float64, len(x.surface)), score: make([]float64, len(x.norm)), core: make([]bool, len(x.norm))}
}

func (s *textScratch) reset() {
	for _, t := range s.touched {
		s.qw[t] = 0
	}
	s.touched = s.touched[:0]
	clear(s.score)
	clear(s.core)
}

// weighQuery weighs the query terms of an issue's stems (see queryOf).
func (x *goalIndex) weighQuery(tokens []int32, w float64, s *textScratch) {
	for i, tok := range tokens {
		if tok < 0 {
			continue
		}
		q := &x.qterms[tok]
		if q.id >= 0 {
			s.weigh(q.id, w)
		}
		for _, p := range q.phrases {
			if x.phraseAt(tokens[i:], p.term) {
				s.weigh(p.term, w)
			}
		}
	}
}

// phraseAt reports whether the stems of tokens start with phrase's words.
// Every word of a phrase is a term, and a stem's query term has the stem's
// term id, so comparing ids compares stems.
func (x *goalIndex) phraseAt(tokens []int32, phrase int32) bool {
	words := x.parts[phrase]
	if len(tokens) < len(words) {
		return false
	}
	for k, id := range words {
		if tokens[k] < 0 || x.qterms[tokens[k]].id != id {
			return false
		}
	}
	return true
}

func (s *textScratch) weigh(id int32, w float64) {
	if s.qw[id] == 0 {
		s.touched = append(s.touched, id)
	}
	s.qw[id] = max(s.qw[id], w)
}

// match appends to out the allowed goals whose normalised relevance to the
// issue reaches thr, strongest first. title and body are the query terms of
// their stems (see queryOf).
func (x *goalIndex) match(title, body []int32, allowed []int, thr float64, s *textScratch, out []textMatch) []textMatch {
	if len(allowed) == 0 || len(x.surface) == 0 {
		return out
	}
	s.reset()
	x.weighQuery(title, titleWeight, s)
	x.weighQuery(body, 1, s)
	if len(s.touched) == 0 {
		return out
	}
	for _, t := range s.touched {
		for _, p := range x.postings[t] {
			s.score[p.goal] += s.qw[t] * p.w
			s.core[p.goal] = s.core[p.goal] || p.core
		}
	}
	start := len(out)
	for _, g := range allowed {
		if !s.core[g] || x.norm[g] == 0 {
			continue
		}
		sc := min(1, s.score[g]/x.norm[g])
		if sc < thr {
			continue
		}
		out = append(out, textMatch{goal: int32(g), score: sc, words: x.topWords(int32(g), s)})
	}
	slices.SortStableFunc(out[start:], func(a, b textMatch) int { return cmp.Compare(b.score, a.score) })
	return out
}

func (x *goalIndex) topWords(g int32, s *textScratch) [matchWords]int32 {
	type contrib struct {
		term int32
		w    float64
	}
	var top [matchWords]contrib
	for i := range top {
		top[i].term = -1
	}
	// A matched phrase speaks for its words.
	var covered []int32
	for _, t := range s.touched {
		if x.parts[t] != nil && x.has(t, g) {
			covered = append(covered, x.parts[t]...)
		}
	}
	for _, t := range s.touched {
		ps := x.postings[t]
		i, ok := slices.BinarySearchFunc(ps, g, func(p posting, g int32) int { return cmp.Compare(p.goal, g) })
		if !ok || slices.Contains(covered, t) {
			continue
		}
		c := contrib{t, s.qw[t] * ps[i].w}
		for j := range top {
			if top[j].term < 0 || c.w > top[j].w || (c.w == top[j].w && c.term < top[j].term) {
				copy(top[j+1:], top[j:])
				top[j] = c
				break
			}
		}
	}
	var words [matchWords]int32
	for i, c := range top {
		words[i] = c.term
	}
	return words
}

func (x *goalIndex) has(t, g int32) bool {
	_, ok := slices.BinarySearchFunc(x.postings[t], g, func(p posting, g int32) int { return cmp.Compare(p.goal, g) })
	return ok
}

// words spells a match's terms as the goal writes them: "checkout, cart".
func (x *goalIndex) words(ids [matchWords]int32) string {
	var b strings.Builder
	for _, id := range ids {
		if id < 0 {
			break
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(x.surface[id])
	}
	return b.String()
}
