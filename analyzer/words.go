package analyzer

// wordTable is one Run's own cache of the words it reads: the same terms as
// the shared stem cache (with the run's debt model's features), found
// without a lock and without turning the word into a string. A run reads
// tens of words of every issue and nearly all of them again and again, so
// this lookup is the inner loop of the analysis: one probe of a flat
// open-addressing table, keyed by a hash of the word's bytes, that compares
// the word in place.
//
// A table belongs to one goroutine. It holds at most wordTableMax words;
// past that it starts again empty (between issues, see trim), so memory
// stays bounded on streams of one-off identifiers.
type wordTable struct {
	model *DebtModel
	// slots hold h<<32 | (index in terms)+1 of each word (0: empty), h
	// being the word's wordHash: a slot is rejected without reading its
	// term unless the hashes agree. A power of two, at most half full.
	slots []uint64
	// terms in the order first read, in chunks that never move: the words
	// read most are nearly all read early, so they sit together in memory.
	terms [][]term
	n     int
}

const (
	wordTableMin = 1 << 10
	wordTableMax = 1 << 16
	wordChunk    = 1 << 10
)

func newWordTable(m *DebtModel) *wordTable {
	return &wordTable{model: m, slots: make([]uint64, wordTableMin)}
}

// wordHash is 32-bit FNV-1a, the hash the shared stem cache shards by.
func wordHash(word []byte) uint32 {
	h := uint32(2166136261)
	for _, b := range word {
		h = (h ^ uint32(b)) * 16777619
	}
	return h
}

// get returns the term of a lower-cased word whose wordHash is h, with the
// table's model's features. The term belongs to the table until trim
// empties it; it must not be modified.
func (w *wordTable) get(word []byte, h uint32) *term {
	mask := uint32(len(w.slots) - 1)
	i := h & mask
	for {
		s := w.slots[i]
		if s == 0 {
			break
		}
		if uint32(s>>32) == h {
			k := uint32(s) - 1
			if t := &w.terms[k/wordChunk][k%wordChunk]; t.key == string(word) {
				return t
			}
		}
		i = (i + 1) & mask
	}
	k := w.n
	if k%wordChunk == 0 {
		w.terms = append(w.terms, make([]term, wordChunk))
	}
	t := &w.terms[k/wordChunk][k%wordChunk]
	*t = *stems.get(word, h, w.model)
	// Copies of their own, allocated next to the other words read early.
	t.key = string(word)
	t.feat.chars = append([]int32(nil), t.feat.chars...)
	w.slots[i] = uint64(h)<<32 | uint64(k+1)
	if w.n++; 2*w.n > len(w.slots) {
		w.grow()
	}
	return t
}

func (w *wordTable) grow() {
	old := w.slots
	w.slots = make([]uint64, 2*len(old))
	mask := uint32(len(w.slots) - 1)
	for _, s := range old {
		if s == 0 {
			continue
		}
		i := uint32(s>>32) & mask
		for w.slots[i] != 0 {
			i = (i + 1) & mask
		}
		w.slots[i] = s
	}
}

// trim empties a full table. Call it only between issues: terms handed out
// before are no longer the table's.
func (w *wordTable) trim() {
	if w.n >= wordTableMax {
		clear(w.slots)
		w.terms, w.n = nil, 0
	}
}
