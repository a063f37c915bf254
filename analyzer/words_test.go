package analyzer

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ladderhq/ladder/internal/sandbox"
)

// A run's word table hands out the terms the shared stem cache does, in the
// same order, as it grows and after it starts again empty.
func TestWordTableMatchesSharedCache(t *testing.T) {
	var texts []string
	for _, x := range append(goldenTexts, benchIssues...) {
		texts = append(texts, x[0], x[1])
	}
	for i := range 300 {
		is := sandbox.SyntheticIssue(i, 7, time.Date(2026, time.May, 20, 0, 0, 0, 0, time.UTC))
		texts = append(texts, is.Title, is.Body)
	}
	org := newSynthOrg(0)
	for i := range 500 { // thousands of distinct words: the table grows a few times
		texts = append(texts, org.words(uint64(i), 40))
	}
	m := DefaultDebtModel()
	w := newWordTable(m)
	scan := func(text string, keepStop bool, words *wordTable) []string {
		var out []string
		scanPieces(text, keepStop, m, words, func(t *term, ascii bool, start, end int) {
			stem := t.stem
			if words != nil && !t.stop {
				stem = words.stem(t.rec)
			}
			out = append(out, fmt.Sprintf("%q stop=%v ascii=%v %d-%d word=%d uni=%d chars=%v",
				stem, t.stop, ascii, start, end, t.feat.word, t.feat.uni, t.feat.chars))
		})
		return out
	}
	for round := range 2 {
		for _, text := range texts {
			for _, keepStop := range []bool{false, true} {
				want, got := scan(text, keepStop, nil), scan(text, keepStop, w)
				if !slices.Equal(got, want) {
					t.Fatalf("round %d, keepStop %v, %q:\ntable  %q\nshared %q", round, keepStop, text, got, want)
				}
			}
		}
		if round == 0 {
			t.Logf("%d words in %d slots", w.n, len(w.slots))
			if len(w.slots) == wordTableMin {
				t.Fatalf("the table never grew (%d words)", w.n)
			}
			w.n = wordTableMax // as if full: trim must empty it
			w.trim()
			if w.n != 0 || len(w.recs) != 0 {
				t.Fatalf("trim left %d words, %d record ints", w.n, len(w.recs))
			}
		}
	}
}
