package analyzer

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"sync"
)

// The embedded model is trained on labelled Apache Jira issues; see
// model/README.md for the data, the figures and their credit.
//
//go:generate go run ../internal/train/techdebt -data ../testdata/eval/techdebt/train-sections.csv -out model/techdebt.json

//go:embed model/techdebt.json
var defaultDebtModel []byte

// DebtModel scores how much an issue's title and body read like technical
// debt work: a logistic regression over sublinear, L2-normalised TF-IDF
// unigrams and bigrams of stems (Tokenize's, with stop-words kept, so that
// "should be", "no longer" and "not used" count).
//
// A DebtModel is immutable once loaded and safe for concurrent use.
type DebtModel struct {
	file debtModelFile

	index map[string]int32 // term ("stem" or "stem stem") → feature
	// The same terms by word: every stem that is a term or part of one has
	// a word id; uni maps it to its unigram feature (-1: none) and bigram
	// maps a pair of ids (first<<32 | second) to theirs, so that scoring
	// never builds "stem stem" strings to look them up.
	words  map[string]int32
	uni    []int32
	bigram map[uint64]int32

	idf []float64
	w   []float64
	// onlyStopWords marks terms made of stop-words alone ("should",
	// "should be"): they count in the score but make poor reasons.
	onlyStopWords []bool

	// Character n-grams: bucket → feature (-1: none), their idf and
	// weight side by side (scoring reads both for each n-gram of an
	// issue); their weights also follow the terms' and NoBody's in w.
	charFeature []int32
	charParam   []debtCharParam
}

type debtCharParam struct{ idf, w float64 }

// debtModelFile is the model as stored: small, diffable JSON whose bytes
// depend only on the training data and options.
type debtModelFile struct {
	debtModelHeader
	// Terms are [term, idf, weight], sorted by term.
	Terms []debtTerm `json:"terms"`
	// Chars are [bucket, idf, weight], sorted by bucket.
	Chars []debtBucket `json:"chars"`
}

// debtModelHeader is everything of the model file but its term tables;
// WriteJSON writes it as the file's first line.
type debtModelHeader struct {
	Version    string  `json:"version"`
	DataSHA256 string  `json:"data_sha256"`
	Trainer    string  `json:"trainer"`
	Threshold  float64 `json:"threshold"`
	Bias       float64 `json:"bias"`
	// TitleWeight multiplies the term counts of the title, which says what
	// the work is more directly than the body does.
	TitleWeight float64 `json:"title_weight"`
	// StopWords: the terms include stop-words ("should", "not", "no").
	StopWords bool `json:"stop_words"`
	// NoBody is the weight of an empty body. Term weights are
	// L2-normalised, so a bare title would otherwise weigh as much as a
	// full description; in every project issues without one are less
	// often debt.
	NoBody float64 `json:"no_body"`
	// CharGrams are the lengths [min, max] of the character n-grams taken
	// inside each word (padded with a space each side); [0, 0]: none. They
	// are hashed (FNV-1a) into 2^CharBits buckets. Words spelled a little
	// differently in another project (deprecation, deprecated, @Deprecated,
	// unusedImports) share most of their n-grams where they share no stem.
	CharGrams [2]int `json:"char_grams"`
	CharBits  int    `json:"char_bits"`
	// CharShare is the weight of the character block in each issue's
	// vector: words and n-grams are L2-normalised apart, then scaled by
	// √(1−CharShare) and √CharShare.
	CharShare float64 `json:"char_share"`
}

type debtBucket struct {
	Bucket uint32
	IDF    float64
	Weight float64
}

func (t debtBucket) MarshalJSON() ([]byte, error) {
	return json.Marshal([]any{t.Bucket, round6(t.IDF), round6(t.Weight)})
}

func (t *debtBucket) UnmarshalJSON(b []byte) error {
	var raw [3]float64
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("char bucket %s: want [bucket, idf, weight]: %w", b, err)
	}
	t.Bucket, t.IDF, t.Weight = uint32(raw[0]), raw[1], raw[2]
	return nil
}

type debtTerm struct {
	Term   string
	IDF    float64
	Weight float64
}

func (t debtTerm) MarshalJSON() ([]byte, error) {
	return json.Marshal([]any{t.Term, round6(t.IDF), round6(t.Weight)})
}

func (t *debtTerm) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if len(raw) != 3 {
		return fmt.Errorf("term %s: want [term, idf, weight]", b)
	}
	if err := json.Unmarshal(raw[0], &t.Term); err != nil {
		return err
	}
	if err := json.Unmarshal(raw[1], &t.IDF); err != nil {
		return err
	}
	return json.Unmarshal(raw[2], &t.Weight)
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

var defaultDebt = sync.OnceValue(func() *DebtModel {
	m, err := LoadDebtModel(strings.NewReader(string(defaultDebtModel)))
	if err != nil {
		panic("analyzer: embedded technical-debt model: " + err.Error())
	}
	return m
})

// DefaultDebtModel returns the model embedded in the binary, parsed once.
func DefaultDebtModel() *DebtModel { return defaultDebt() }

// LoadDebtModel reads a model written by the trainer
// (go run ./internal/train/techdebt).
func LoadDebtModel(r io.Reader) (*DebtModel, error) {
	var f debtModelFile
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return nil, fmt.Errorf("techdebt model: decode: %w", err)
	}
	if f.Version == "" {
		return nil, fmt.Errorf("techdebt model: no version")
	}
	if f.Threshold <= 0 || f.Threshold >= 1 {
		return nil, fmt.Errorf("techdebt model %s: threshold %v outside (0, 1)", f.Version, f.Threshold)
	}
	if f.TitleWeight == 0 {
		f.TitleWeight = 1
	}
	return newDebtModel(f)
}

func newDebtModel(f debtModelFile) (*DebtModel, error) {
	m := &DebtModel{
		file:  f,
		index: make(map[string]int32, len(f.Terms)),
		idf:   make([]float64, len(f.Terms)),
		w:     make([]float64, len(f.Terms)+1+len(f.Chars)), // then NoBody, then chars

		onlyStopWords: make([]bool, len(f.Terms)),
	}
	for i, t := range f.Terms {
		if _, dup := m.index[t.Term]; dup {
			return nil, fmt.Errorf("techdebt model %s: term %q twice", f.Version, t.Term)
		}
		m.index[t.Term] = int32(i)
		m.idf[i] = t.IDF
		m.w[i] = t.Weight
		m.onlyStopWords[i] = true // until a word says otherwise
		for w := range strings.FieldsSeq(t.Term) {
			if _, stop := stopWords[w]; !stop {
				m.onlyStopWords[i] = false
			}
		}
	}
	m.indexWords()
	m.w[len(f.Terms)] = f.NoBody
	if f.CharGrams[0] > 0 {
		if f.CharBits < 1 || f.CharBits > 24 || f.CharGrams[0] > f.CharGrams[1] {
			return nil, fmt.Errorf("techdebt model %s: char n-grams %v in 2^%d buckets", f.Version, f.CharGrams, f.CharBits)
		}
		m.charFeature = make([]int32, 1<<f.CharBits)
		for i := range m.charFeature {
			m.charFeature[i] = -1
		}
		m.charParam = make([]debtCharParam, len(f.Chars))
		for i, c := range f.Chars {
			if int(c.Bucket) >= len(m.charFeature) || m.charFeature[c.Bucket] >= 0 {
				return nil, fmt.Errorf("techdebt model %s: char bucket %d out of range or twice", f.Version, c.Bucket)
			}
			m.charFeature[c.Bucket] = int32(i)
			m.charParam[i] = debtCharParam{idf: c.IDF, w: c.Weight}
			m.w[len(f.Terms)+1+i] = c.Weight
		}
	}
	return m, nil
}

// indexWords fills words, uni and bigram from index. Stems hold no spaces,
// so a term of one space-free word can only match a unigram and a term of
// two only a bigram; other shapes never match and are left out.
func (m *DebtModel) indexWords() {
	m.words = make(map[string]int32)
	m.bigram = make(map[uint64]int32)
	word := func(w string) int32 {
		id, ok := m.words[w]
		if !ok {
			id = int32(len(m.uni))
			m.words[w] = id
			m.uni = append(m.uni, -1)
		}
		return id
	}
	for t, i := range m.index {
		a, b, two := strings.Cut(t, " ")
		switch {
		case a == "" || strings.Contains(b, " "):
		case !two:
			m.uni[word(a)] = i
		case b != "":
			m.bigram[uint64(word(a))<<32|uint64(word(b))] = i
		}
	}
}

// wordFeatures are what one surface word brings to the model, found once
// per distinct word and kept in the stem cache.
type wordFeatures struct {
	word int32 // in words, -1: none
	uni  int32 // unigram feature, -1: none
	// chars are the character n-gram features of the cache key (the word
	// lower-cased), in the order charGrams emits them, repeats included.
	chars []int32
}

// wordFeatures returns the features of a word whose stem is stem and whose
// lower-cased form is key.
func (m *DebtModel) wordFeatures(stem, key string) wordFeatures {
	f := wordFeatures{word: -1, uni: -1}
	if id, ok := m.words[stem]; ok {
		f.word, f.uni = id, m.uni[id]
	}
	if m.charFeature != nil {
		buf := make([]byte, 0, len(key)+2)
		m.charGrams(buf, key, 0, len(key), func(b uint32) {
			if c := m.charFeature[b]; c >= 0 {
				f.chars = append(f.chars, c)
			}
		})
	}
	return f
}

// charBase is the index in w of the first character n-gram feature.
func (m *DebtModel) charBase() int32 { return int32(len(m.idf) + 1) }

// charGrams calls emit with the bucket of each character n-gram of the
// word text[start:end], lower-cased (ASCII) and padded with a space each
// side.
func (m *DebtModel) charGrams(buf []byte, text string, start, end int, emit func(bucket uint32)) []byte {
	buf = append(buf[:0], ' ')
	for i := start; i < end; i++ {
		c := text[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	buf = append(buf, ' ')
	mask := uint32(1)<<m.file.CharBits - 1
	lo, hi := m.file.CharGrams[0], m.file.CharGrams[1]
	// One pass per start: the hash of each n-gram extends the shorter one's.
	for i := 0; i+lo <= len(buf); i++ {
		h := uint32(2166136261)
		for j := i; j < len(buf) && j < i+hi; j++ {
			h ^= uint32(buf[j])
			h *= 16777619
			if j+1-i >= lo {
				emit(h & mask)
			}
		}
	}
	return buf
}

// Version names the model: its training recipe and a prefix of the training
// data's SHA-256, so a verdict can say which model produced it.
func (m *DebtModel) Version() string { return m.file.Version }

// Threshold is the score at and above which an issue counts as debt work. It
// was chosen on data held back from training.
func (m *DebtModel) Threshold() float64 { return m.file.Threshold }

// Score returns how likely the issue is debt work (0..1; compare with
// Threshold) and up to five of its words that pushed the score up the most,
// as written in the issue (lower-cased), strongest first.
func (m *DebtModel) Score(title, body string) (score float64, words []string) {
	s := debtScratchPool.Get().(*debtScratch)
	defer debtScratchPool.Put(s)
	s.reset()
	s.title, s.body = title, body
	m.features(s, nil)
	return m.logistic(s), m.topWords(s)
}

// probability is Score without the words.
func (m *DebtModel) probability(title, body string) float64 {
	return m.probabilityTee(title, body, nil, nil)
}

// teeFunc receives every term the model reads, with its field (0 title, 1
// body).
type teeFunc func(field int, t *term, start, end int)

// probabilityTee is probability that also hands each term it reads to tee
// (when not nil), so that a caller needing the same issue's terms for
// another model reads the text once. words, when not nil, is the caller's
// own table of m's words.
func (m *DebtModel) probabilityTee(title, body string, words *wordTable, tee teeFunc) float64 {
	s := debtScratchPool.Get().(*debtScratch)
	defer debtScratchPool.Put(s)
	s.reset()
	s.title, s.body, s.words = title, body, words
	m.features(s, tee)
	s.words = nil // s goes back to the pool, which must not keep the caller's table
	return m.logistic(s)
}

// logistic scores the features of s, summed in the order vectorize lists
// them: terms, character n-grams, the empty body.
func (m *DebtModel) logistic(s *debtScratch) float64 {
	z := m.file.Bias
	for k := range s.vec {
		z += m.w[s.vec[k].idx] * s.vec[k].val
	}
	for _, c := range s.chars {
		z += m.charParam[c.feature].w * c.n
	}
	if s.noBody {
		z += m.w[len(m.idf)] * 1
	}
	return 1 / (1 + math.Exp(-z))
}

// debtEntry is one non-zero feature of an issue.
type debtEntry struct {
	idx int32
	val float64
	// first occurrence, for reasons: spans in title (field 0) or body (1)
	field        int8
	start, end   int
	start2, end2 int // second word of a bigram
	bigram       bool
}

type debtScratch struct {
	title, body string
	words       *wordTable // nil: the shared stem cache
	vec         []debtEntry
	// pos maps a term feature to its place in vec (+1; 0 none); it is
	// cleared through vec.
	pos       []int32
	prev      int32 // word id of the previous stem in the field (-1: none)
	prevStart int
	prevEnd   int
	cbuf      []byte
	// chars: character n-gram features (index into DebtModel.charParam)
	// and their counts, then (after features) their values; cpos maps a
	// feature to its place in chars (+1; 0 none) and is cleared through
	// chars.
	chars  []debtCharCount
	cpos   []int32
	noBody bool // the body has no terms
}

type debtCharCount struct {
	feature int32
	n       float64
}

var debtScratchPool = sync.Pool{New: func() any { return &debtScratch{} }}

func (s *debtScratch) reset() {
	for _, e := range s.vec {
		if int(e.idx) < len(s.pos) {
			s.pos[e.idx] = 0
		}
	}
	s.vec = s.vec[:0]
	s.noBody = false
	for _, c := range s.chars {
		s.cpos[c.feature] = 0
	}
	s.chars = s.chars[:0]
}

// vectorize fills s.vec with the features: term weights
// (1+ln tf)·idf, L2-normalised over the model's vocabulary. Words the model
// does not know count for nothing, as in training.
func (m *DebtModel) vectorize(s *debtScratch, tee teeFunc) {
	m.features(s, tee)
	base := m.charBase()
	for _, c := range s.chars {
		s.vec = append(s.vec, debtEntry{idx: base + c.feature, val: c.n})
	}
	if s.noBody {
		s.vec = append(s.vec, debtEntry{idx: int32(len(m.idf)), val: 1})
	}
}

// features is vectorize leaving the character n-grams' values in s.chars
// and an empty body in s.noBody, where scoring reads them without copying.
func (m *DebtModel) features(s *debtScratch, tee teeFunc) {
	if len(s.pos) < len(m.idf) {
		s.pos = make([]int32, len(m.idf))
	}
	if len(s.cpos) < len(m.charParam) {
		s.cpos = make([]int32, len(m.charParam))
	}
	bodyTerms := 0
	for field, text := range [2]string{s.title, s.body} {
		tf := 1.0
		if field == 0 {
			tf = m.file.TitleWeight
		}
		s.prev = -1
		scanPieces(text, m.file.StopWords, m, s.words, func(t *term, ascii bool, start, end int) {
			bodyTerms += field
			if tee != nil {
				tee(field, t, start, end)
			}
			f := &t.feat
			if f.uni >= 0 {
				s.add(f.uni, tf, int8(field), start, end)
			}
			if s.prev >= 0 && f.word >= 0 {
				if i, ok := m.bigram[uint64(s.prev)<<32|uint64(f.word)]; ok {
					p := s.add(i, tf, int8(field), s.prevStart, s.prevEnd)
					e := &s.vec[p]
					if !e.bigram {
						e.bigram, e.start2, e.end2 = true, start, end
					}
				}
			}
			s.prev, s.prevStart, s.prevEnd = f.word, start, end
			if m.charFeature == nil {
				return
			}
			if ascii {
				for _, c := range f.chars {
					s.addChar(c, tf)
				}
				return
			}
			// The cache key lower-cases more than ASCII (and reads ’ as
			// '): n-grams of the word as written.
			s.cbuf = m.charGrams(s.cbuf, text, start, end, func(b uint32) {
				if c := m.charFeature[b]; c >= 0 {
					s.addChar(c, tf)
				}
			})
		})
	}
	var norm float64
	for k := range s.vec {
		e := &s.vec[k]
		e.val = (1 + logCount(e.val)) * m.idf[e.idx]
		norm += e.val * e.val
	}
	wordScale, charScale := 1.0, 0.0
	if m.charFeature != nil {
		wordScale, charScale = math.Sqrt(1-m.file.CharShare), math.Sqrt(m.file.CharShare)
	}
	if norm > 0 {
		norm = wordScale / math.Sqrt(norm)
		for k := range s.vec {
			s.vec[k].val *= norm
		}
	}
	if len(s.chars) > 0 {
		norm = 0
		for k := range s.chars {
			c := &s.chars[k]
			c.n = (1 + logCount(c.n)) * m.charParam[c.feature].idf
			norm += c.n * c.n
		}
		norm = charScale / math.Sqrt(norm)
		for k := range s.chars {
			s.chars[k].n *= norm
		}
	}
	s.noBody = bodyTerms == 0
}

// logCounts holds math.Log of the small whole counts that term weights
// nearly always are (tf is 1 or TitleWeight): the same bits, without a
// logarithm per feature of every issue.
var logCounts = func() (t [64]float64) {
	for k := range t {
		t[k] = math.Log(float64(k))
	}
	return t
}()

func logCount(x float64) float64 {
	if k := int(x); float64(k) == x && k >= 0 && k < len(logCounts) {
		return logCounts[k]
	}
	return math.Log(x)
}

// addChar counts one occurrence of character n-gram feature f.
func (s *debtScratch) addChar(f int32, tf float64) {
	if p := s.cpos[f]; p > 0 {
		s.chars[p-1].n += tf
		return
	}
	s.chars = append(s.chars, debtCharCount{f, tf})
	s.cpos[f] = int32(len(s.chars))
}

// add counts one occurrence of feature i and returns its position in s.vec.
func (s *debtScratch) add(i int32, tf float64, field int8, start, end int) int32 {
	if p := s.pos[i] - 1; p >= 0 {
		s.vec[p].val += tf
		return p
	}
	p := int32(len(s.vec))
	s.pos[i] = p + 1
	s.vec = append(s.vec, debtEntry{idx: i, val: tf, field: field, start: start, end: end})
	return p
}

// topWords returns the surface words of the features that added most to
// the score, as the issue spells them (lower-cased); a bigram as its two
// words. A word already shown inside a stronger bigram is not repeated.
func (m *DebtModel) topWords(s *debtScratch) []string {
	type contrib struct {
		p int32
		c float64
	}
	var cs [64]contrib
	list := cs[:0]
	for p, e := range s.vec {
		if int(e.idx) >= len(m.idf) {
			continue // no body, or a character n-gram: no word to show
		}
		if c := m.w[e.idx] * e.val; c > 0 && !m.onlyStopWords[e.idx] {
			list = append(list, contrib{int32(p), c})
		}
	}
	slices.SortStableFunc(list, func(a, b contrib) int {
		switch {
		case a.c > b.c:
			return -1
		case a.c < b.c:
			return 1
		}
		return int(a.p - b.p)
	})
	var words []string
	for _, c := range list {
		if len(words) == 5 {
			break
		}
		e := s.vec[c.p]
		text := s.title
		if e.field == 1 {
			text = s.body
		}
		w := strings.ToLower(text[e.start:e.end])
		if e.bigram {
			w += " " + strings.ToLower(text[e.start2:e.end2])
		}
		if slices.ContainsFunc(words, func(x string) bool { return sharesWord(x, w) }) {
			continue
		}
		words = append(words, w)
	}
	return words
}

// sharesWord reports whether phrases a and b have a word in common.
func sharesWord(a, b string) bool {
	for x := range strings.FieldsSeq(a) {
		for y := range strings.FieldsSeq(b) {
			if x == y {
				return true
			}
		}
	}
	return false
}

// debtPhrases are ways people admit, in a comment, that the work leaves
// debt behind or finds some: a deferral ("clean up later", "in a separate
// issue"), a shortcut ("hack", "temporary fix"), or a named kind of debt
// (dead code, missing tests, a typo in the docs). Each is matched
// case-insensitively on word boundaries, in this order. Broad words that
// mostly carry ordinary review talk ("later", "for now", "follow-up",
// "wrong") are left out: on the labelled comments they flag far more
// non-debt than debt.
var debtPhrases = []string{
	"tech debt", "technical debt", "todo", "fixme", "hack", "hacky", "kludge", "ugly",
	"workaround for now", "temporary fix", "temporary workaround", "temporary solution",
	"quick and dirty", "band-aid", "for the time being", "long term",
	"clean this up later", "clean it up later", "clean up later", "cleanup later",
	"should be refactored", "needs refactoring", "refactor later", "not ideal",
	"another jira", "separate issue", "separate ticket",
	"dead code", "unused", "redundant", "should be removed", "deprecated",
	"cleanup", "cleaned up", "simplify", "confusing", "messy", "nit",
	"checkstyle", "warnings",
	"add a test", "add tests", "missing tests", "lack of tests", "flaky",
	"typo", "documentation", "javadoc",
}

// debtPhrasesByFirst indexes debtPhrases by their first byte, so a comment
// is read once whatever the number of phrases.
var debtPhrasesByFirst = func() (idx [256][]string) {
	for _, p := range debtPhrases {
		idx[p[0]] = append(idx[p[0]], p)
	}
	return idx
}()

// AdmitsDebt reports whether a comment admits new debt ("workaround for
// now", "we should clean this up later", "TODO") and the phrase it matched,
// the first in the comment. Phrases match case-insensitively as whole words.
func AdmitsDebt(commentText string) (bool, string) {
	s := commentText
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		cands := debtPhrasesByFirst[c]
		if len(cands) == 0 || i > 0 && isASCIIWordByte(s[i-1]) {
			continue
		}
		for _, p := range cands {
			end := i + len(p)
			if end > len(s) || !strings.EqualFold(s[i:end], p) {
				continue
			}
			if end < len(s) && isASCIIWordByte(s[end]) {
				continue
			}
			return true, p
		}
	}
	return false, ""
}
