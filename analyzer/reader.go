package analyzer

import "github.com/ladderhq/ladder"

// token is a term of the issue at hand: its word's record in the run's
// wordTable and where in the text the word stands.
type token struct{ rec, start, end int32 }

// textReader reads an issue's title and body once, in the first pass, for
// every measure that needs its words: the debt model scores them, goal
// matching takes each word's goal query term (titleQ, bodyQ), overlap
// detection the words and where they stand (title, body). It keeps nothing
// of one issue once the next is read. The word table it reads through lasts
// the pass (it is bounded, see wordTable) and a fresh one serves the second
// pass, which reads words only of issues the first did not see.
type textReader struct {
	a             *Analyzer
	wordTab       *wordTable
	title, body   []token      // terms of the issue at hand
	titleQ, bodyQ []int32      // and their goal query terms
	tee           teeFunc      // collects them behind the debt model
	scan          [2]pieceFunc // or, by field, without it (explicit debt)
}

// init prepares rd where it lives: its collectors keep a pointer to it.
func (rd *textReader) init(a *Analyzer) {
	rd.a = a
	rd.wordTab = newWordTable(a.model)
	rd.tee = func(field int, t *term, start, end int) {
		if t.stop {
			return // the model reads stop-words; Tokenize drops them
		}
		tok := token{rec: t.rec, start: int32(start), end: int32(end)}
		if field == 0 {
			rd.title = append(rd.title, tok)
			rd.titleQ = append(rd.titleQ, rd.goalQuery(t.rec))
		} else {
			rd.body = append(rd.body, tok)
			rd.bodyQ = append(rd.bodyQ, rd.goalQuery(t.rec))
		}
	}
	for field := range rd.scan {
		rd.scan[field] = func(t *term, _ bool, start, end int) { rd.tee(field, t, start, end) }
	}
}

// reset forgets the words of the issue read last.
func (rd *textReader) reset() {
	rd.title, rd.titleQ, rd.body, rd.bodyQ = rd.title[:0], rd.titleQ[:0], rd.body[:0], rd.bodyQ[:0]
	rd.wordTab.trim()
}

// score returns the debt model's score of the issue, keeping its words too
// when keep is set.
func (rd *textReader) score(is *ladder.Issue, keep bool) float64 {
	var tee teeFunc
	if keep {
		tee = rd.tee
	}
	return rd.a.model.probabilityTee(is.Title, is.Body, rd.wordTab, tee)
}

// read keeps the issue's words without scoring it (its debt is explicit):
// Tokenize's terms, keeping where each word stood.
func (rd *textReader) read(is *ladder.Issue) {
	scanPieces(is.Title, false, rd.a.model, rd.wordTab, rd.scan[0])
	scanPieces(is.Body, false, rd.a.model, rd.wordTab, rd.scan[1])
}

// renew starts an empty word table for the second pass.
func (rd *textReader) renew() { rd.wordTab = newWordTable(rd.a.model) }

// goalQuery is the goal index's query term of the stem of the word at rec
// (see goalIndex.queryOf), looked up once per word.
func (rd *textReader) goalQuery(rec int32) int32 {
	q := &rd.wordTab.recs[rec+recGoal]
	if *q == 0 {
		*q = rd.a.text.queryOf(rd.wordTab.stem(rec)) + 2
	}
	return *q - 2
}
