package analyzer

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// Tokenize turns issue text into the terms every text model of the analyzer
// compares: lower-cased, stop-words dropped, Snowball (Porter2) English stems.
//
// It reads the text as people write it in trackers. Jira wiki markup and
// Markdown leave no tokens behind: {code}/{noformat} blocks and ``` fences are
// skipped whole (stack traces and pasted code would drown the prose), macro
// tags such as {color:red} and {quote} are dropped but what they wrap is kept,
// {{monospace}} and `inline code` keep their content. URLs, e-mail addresses,
// [~user] mentions, images (!shot.png!), HTML entities, pure numbers, hex
// hashes and one-letter words are dropped. Identifiers are split where people
// split them when they talk: ConnectionPool → connect, pool; HTTPServer →
// http, server; snake_case and dotted.names split on the punctuation.
//
// Tokenize is safe for concurrent use and linear in the length of text.
// Stems are interned in a bounded shared cache, so the returned slice is
// usually the only allocation.
func Tokenize(text string) []string {
	out := make([]string, 0, estimateTokens(len(text)))
	scanTerms(text, func(stem string, _, _ int) {
		out = append(out, stem)
	})
	return out
}

func estimateTokens(n int) int {
	n = n/7 + 4
	if n > 1<<14 {
		n = 1 << 14
	}
	return n
}

const (
	maxWordBytes  = 256 // longer runs of letters are encoded blobs, not words
	maxPieceBytes = 40  // longer identifier parts are hashes or generated names
)

// scanTerms calls emit for each term of text (as Tokenize returns them) with
// the stem and the byte span of the surface word it came from
// (text[start:end]), in order.
func scanTerms(text string, emit func(stem string, start, end int)) {
	scanWords(text, false, emit)
}

// scanWords is scanTerms that, with keepStop, emits stop-words too,
// lower-cased and unstemmed: "should not" and "no longer" carry meaning for
// a classifier that BM25 does not need.
func scanWords(text string, keepStop bool, emit func(stem string, start, end int)) {
	scanPieces(text, keepStop, nil, nil, func(t *term, _ bool, start, end int) {
		emit(t.stem, start, end)
	})
}

// pieceFunc receives each term with the span of its surface word; ascii
// says the word is all ASCII, so that the cache key t stands for (the word
// lower-cased) is exactly the word with its ASCII letters lower-cased.
type pieceFunc func(t *term, ascii bool, start, end int)

// scanPieces is scanWords handing out the cached term itself: with a debt
// model m, the term carries that model's features of the word (see
// wordFeatures), so the model needs no further lookups for it. With a
// table of m's (a run's own, see wordTable) terms come from it rather than
// from the shared cache, all of the text's words at once at the end.
func scanPieces(text string, keepStop bool, m *DebtModel, words *wordTable, emit pieceFunc) {
	n := len(text)
	i := 0
	for i < n {
		c := text[i]
		if c < utf8.RuneSelf && !isASCIIWordByte(c) {
			switch c {
			case '{':
				i = skipMacro(text, i)
				continue
			case '`':
				i = skipFence(text, i)
				continue
			case '[':
				if i+1 < n && text[i+1] == '~' {
					i = skipUntil(text, i+2, ']')
					continue
				}
			case '&':
				i = skipEntity(text, i)
				continue
			case '!':
				i = skipImage(text, i)
				continue
			case '@':
				// @handle mentions name people, not work.
				j := i + 1
				for j < n && (isASCIIWordByte(text[j]) || text[j] == '-' || text[j] == '_') {
					j++
				}
				i = j
				continue
			}
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(text[i:])
			if !isWordRune(r) {
				i += size
				continue
			}
		}
		// A word starts here, unless it is a URL.
		if j, ok := skipURL(text, i); ok {
			i = j
			continue
		}
		start := i
		end := wordEnd(text, i)
		if end < n && text[end] == '@' && end+1 < n && isASCIILetter(text[end+1]) {
			// user@example.org: neither half says anything about the work.
			i = skipToSpace(text, end)
			continue
		}
		i = end
		if end-start > maxWordBytes {
			continue
		}
		emitWord(text, start, end, keepStop, m, words, emit)
	}
	if words != nil {
		words.flush(keepStop, emit)
	}
}

func isASCIIWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isASCIILetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIWordByte(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// wordEnd returns the end of the word starting at i. An apostrophe between
// letters stays inside the word (don't, user's), so stop-words and
// possessives are recognised.
func wordEnd(text string, i int) int {
	n := len(text)
	for i < n {
		c := text[i]
		if c < utf8.RuneSelf {
			if isASCIIWordByte(c) {
				i++
				continue
			}
			if c == '\'' && i+1 < n && isASCIILetter(text[i+1]) && i > 0 && isASCIILetter(text[i-1]) {
				i++
				continue
			}
			return i
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '’' && i+size < n && isASCIILetter(text[i+size]) && i > 0 && isASCIILetter(text[i-1]) {
			i += size
			continue
		}
		if !isWordRune(r) {
			return i
		}
		i += size
	}
	return n
}

// splitCamel controls whether identifiers are split at case changes. It is a
// variable so the trainer can measure both ways; see analyzer/model/README.md.
var splitCamel = true

// emitWord emits the terms of the word text[start:end]: the whole word, or
// its camelCase parts.
func emitWord(text string, start, end int, keepStop bool, m *DebtModel, words *wordTable, emit pieceFunc) {
	if !splitCamel || !hasUpperOrNonASCII(text[start:end]) {
		// Nothing to split: there is no case change in a word without
		// capitals.
		emitPiece(text, start, end, keepStop, m, words, emit)
		return
	}
	p := start
	prev := caseOther
	for i := start; i < end; {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:end])
		}
		cur := runeCase(r)
		if i > p {
			switch {
			case prev == caseLower && cur == caseUpper:
				// connectionPool: split before P.
				emitPiece(text, p, i, keepStop, m, words, emit)
				p = i
			case prev == caseUpper && cur == caseLower && i-p > 2:
				// HTTPServer: split before S (the last upper of the run),
				// but keep HBase whole: a one-letter prefix is no word.
				q := lastRuneStart(text, p, i)
				if q > p {
					emitPiece(text, p, q, keepStop, m, words, emit)
					p = q
				}
			}
		}
		if r != '\'' && r != '’' {
			prev = cur
		}
		i += size
	}
	emitPiece(text, p, end, keepStop, m, words, emit)
}

func hasUpperOrNonASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; 'A' <= c && c <= 'Z' || c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

const (
	caseOther = iota
	caseLower
	caseUpper
)

func runeCase(r rune) int {
	switch {
	case 'a' <= r && r <= 'z':
		return caseLower
	case 'A' <= r && r <= 'Z':
		return caseUpper
	case r < utf8.RuneSelf:
		return caseOther
	case unicode.IsLower(r):
		return caseLower
	case unicode.IsUpper(r):
		return caseUpper
	}
	return caseOther
}

func lastRuneStart(text string, lo, hi int) int {
	_, size := utf8.DecodeLastRuneInString(text[lo:hi])
	return hi - size
}

// pieceCounts is what emitPiece learns of a piece's characters on the way.
type pieceCounts struct {
	digits, letters int
	hex             bool // only 0-9, a-f and apostrophes so far
}

// ascii counts an ASCII byte of a piece and returns it lower-cased.
func (n *pieceCounts) ascii(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		n.digits++
	case 'A' <= c && c <= 'Z':
		c += 'a' - 'A'
		n.letters++
	case c == '\'':
	default:
		n.letters++
	}
	if c > 'f' && c != '\'' {
		n.hex = false
	}
	return c
}

// emitPiece lower-cases text[start:end], drops what is not a word (numbers,
// hashes, single letters, stop-words) and emits its stem.
func emitPiece(text string, start, end int, keepStop bool, m *DebtModel, words *wordTable, emit pieceFunc) {
	piece := text[start:end]
	if len(piece) > maxPieceBytes || len(piece) < 2 {
		return
	}
	var buf [maxPieceBytes + 8]byte
	var n pieceCounts
	n.hex = true
	ascii := true
	// The ASCII bytes up front, hashed as they are lower-cased: nearly
	// always the whole piece.
	h := uint32(2166136261)
	i := 0
	for ; i < len(piece); i++ {
		c := piece[i]
		if c >= utf8.RuneSelf {
			break
		}
		c = n.ascii(c)
		buf[i] = c
		h = (h ^ uint32(c)) * 16777619
	}
	b := buf[:i]
	for i += start; i < end; {
		if c := text[i]; c < utf8.RuneSelf {
			b = append(b, n.ascii(c))
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:end])
		i += size
		n.hex, ascii = false, false
		n.letters++
		if r == '’' {
			b = append(b, '\'')
			continue
		}
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	if n.letters == 0 || n.letters+n.digits < 2 {
		return // 2024, 42, x
	}
	if n.hex && n.digits > 0 && len(b) >= 7 {
		return // 3f2a9b1c: commit hashes and ids
	}
	if !ascii {
		h = wordHash(b)
	}
	if words != nil {
		words.queue(b, h, ascii, start, end)
		return
	}
	if t := stems.get(b, h, m); !t.stop || keepStop && t.stem != "" {
		emit(t, ascii, start, end)
	}
}

// stemCache interns the stem of each surface word seen. Stemming allocates
// and costs about a microsecond; a map hit costs tens of nanoseconds and
// returns a shared string. The cache is sharded to keep concurrent analyzers
// off each other's locks, and each shard is cleared when it fills, so memory
// stays bounded on streams of one-off identifiers.
type stemCache struct {
	shards [64]stemShard
}

type stemShard struct {
	mu sync.RWMutex
	// by lower-cased word; pointers keep the map's slots small, and the
	// map is probed for every word read
	m map[string]*term
}

// term is what a surface word contributes: its stem, or, for a stop-word,
// the word itself (or "" when it is no word at all, like a lone letter).
// When model is set, feat are that model's features of the word: the debt
// model is scored on every issue, and looking its features up once per
// distinct word rather than once per occurrence is most of its speed.
type term struct {
	stem  string // for a wordTable's terms, only when stop: see wordTable.stem
	stop  bool
	rec   int32 // its record in the wordTable that handed it out; -1: none
	model *DebtModel
	feat  wordFeatures
}

const stemShardMax = 4096

var stems stemCache

// get returns the term of a lower-cased word whose wordHash is h; with a
// model m, carrying m's
// features of it. An entry made for another model (or none) is refilled:
// in practice one model is in use, so each word is refilled once.
// The returned term is shared and must not be modified.
func (c *stemCache) get(word []byte, h uint32, m *DebtModel) *term {
	s := &c.shards[h%uint32(len(c.shards))]
	s.mu.RLock()
	t, ok := s.m[string(word)]
	s.mu.RUnlock()
	if ok && (m == nil || t.model == m) {
		return t
	}
	w := string(word)
	nt := &term{}
	if ok {
		*nt = *t
	} else {
		*nt = stemWord(w)
		nt.rec = -1
	}
	if m != nil {
		nt.model, nt.feat = m, m.wordFeatures(nt.stem, w)
	}
	s.mu.Lock()
	if s.m == nil || len(s.m) >= stemShardMax {
		s.m = make(map[string]*term, 256)
	}
	s.m[w] = nt
	s.mu.Unlock()
	return nt
}

// stemWord returns the term of a lower-cased word.
func stemWord(w string) term {
	if _, stop := stopWords[w]; stop {
		return term{stem: w, stop: true}
	}
	if base, _, ok := strings.Cut(w, "'"); ok && base != "" {
		// Contractions not in the list keep their stop-word part
		// (that'll → that); possessives are the stemmer's (user's → user).
		if _, stop := stopWords[base]; stop {
			return term{stem: base, stop: true}
		}
	}
	s := english.Stem(w, true)
	if _, stop := stopWords[s]; stop {
		return term{stem: s, stop: true}
	}
	if len(s) < 2 {
		return term{stop: true}
	}
	return term{stem: s}
}

// stopWords is the Snowball English stop-word list (snowballstem.org
// algorithms/english/stop.txt) with the NLTK additions (can, will, just, don,
// now), plus wiki heading tags (h1. … h6.) and HTML remnants.
var stopWords = func() map[string]struct{} {
	list := `i me my myself we our ours ourselves you your yours yourself yourselves
	he him his himself she her hers herself it its itself they them their theirs
	themselves what which who whom this that these those am is are was were be been
	being have has had having do does did doing would should could ought i'm you're
	he's she's it's we're they're i've you've we've they've i'd you'd he'd she'd
	we'd they'd i'll you'll he'll she'll we'll they'll isn't aren't wasn't weren't
	hasn't haven't hadn't doesn't don't didn't won't wouldn't shan't shouldn't
	can't cannot couldn't mustn't let's that's who's what's here's there's when's
	where's why's how's a an the and but if or because as until while of at by for
	with about against between into through during before after above below to
	from up down in out on off over under again further then once here there when
	where why how all any both each few more most other some such no nor not only
	own same so than too very can will just don now s t
	h1 h2 h3 h4 h5 h6 nbsp amp quot lt gt br`
	m := make(map[string]struct{}, 200)
	for _, w := range strings.Fields(list) {
		m[w] = struct{}{}
	}
	return m
}()

// skipMacro skips a Jira macro tag at text[i] == '{'. {code} and {noformat}
// blocks are skipped up to their closing tag; other tags ({color:red},
// {quote}, {panel:title=x}) alone. {{monospace}} keeps its content.
func skipMacro(text string, i int) int {
	n := len(text)
	if i+1 < n && text[i+1] == '{' {
		return i + 2
	}
	j := i + 1
	for j < n && isASCIILetter(text[j]) {
		j++
	}
	if j == i+1 {
		return i + 1
	}
	name := text[i+1 : j]
	end := strings.IndexByte(text[j:min(n, j+256)], '}')
	if end < 0 || (j < n && text[j] != '}' && text[j] != ':') {
		return i + 1 // not a macro: "{foo bar}" or a brace in code
	}
	tagEnd := j + end + 1
	if strings.EqualFold(name, "code") || strings.EqualFold(name, "noformat") {
		if k := indexFold(text[tagEnd:], "{"+name+"}"); k >= 0 {
			return tagEnd + k + len(name) + 2
		}
	}
	return tagEnd
}

// indexFold is strings.Index ignoring ASCII case of needle's letters; Jira
// accepts {CODE} as well as {code}.
func indexFold(s, needle string) int {
	for k := 0; k+len(needle) <= len(s); {
		j := strings.IndexByte(s[k:], '{')
		if j < 0 {
			return -1
		}
		k += j
		if k+len(needle) <= len(s) && strings.EqualFold(s[k:k+len(needle)], needle) {
			return k
		}
		k++
	}
	return -1
}

// skipFence skips a Markdown ``` fenced block; a single backtick (inline
// code) is only punctuation.
func skipFence(text string, i int) int {
	if !strings.HasPrefix(text[i:], "```") {
		return i + 1
	}
	if k := strings.Index(text[i+3:], "```"); k >= 0 {
		return i + 3 + k + 3
	}
	return i + 3
}

func skipUntil(text string, i int, c byte) int {
	if k := strings.IndexByte(text[i:], c); k >= 0 {
		return i + k + 1
	}
	return len(text)
}

func skipToSpace(text string, i int) int {
	for i < len(text) && !isSpace(text[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// skipEntity skips &nbsp; &#160; and friends.
func skipEntity(text string, i int) int {
	j := i + 1
	for j < len(text) && j-i <= 10 && (isASCIIWordByte(text[j]) || text[j] == '#') {
		j++
	}
	if j < len(text) && text[j] == ';' && j > i+1 {
		return j + 1
	}
	return i + 1
}

// skipImage skips a Jira image !name.png! or !name.png|thumbnail!.
func skipImage(text string, i int) int {
	end := min(len(text), i+256)
	dot := false
	for j := i + 1; j < end; j++ {
		switch c := text[j]; {
		case c == '!':
			if dot && j > i+1 {
				return j + 1
			}
			return i + 1
		case c == '.':
			dot = true
		case isSpace(c):
			return i + 1
		}
	}
	return i + 1
}

// skipURL reports whether a URL starts at text[i] and where it ends: at white
// space or at the markup that closes a link ([text|url], <url>, (url)).
func skipURL(text string, i int) (int, bool) {
	switch text[i] | 0x20 { // a first letter of the prefixes below, either case
	case 'h', 'f', 'w':
	default:
		return i, false
	}
	rest := text[i:min(len(text), i+8)]
	if !(hasPrefixFold(rest, "http://") || hasPrefixFold(rest, "https://") ||
		hasPrefixFold(rest, "ftp://") || hasPrefixFold(rest, "file:/") ||
		hasPrefixFold(rest, "www.")) {
		return i, false
	}
	j := i
	for j < len(text) {
		switch text[j] {
		case ' ', '\n', '\t', '\r', '|', ']', '[', '<', '>', '"', ')', '}':
			return j, true
		}
		j++
	}
	return j, true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
